package request

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// canonicalDetails encodes event details as a JSON object in the RFC 8785
// canonical form the audit log records (keys sorted by UTF-16 code units,
// which for the ASCII keys used here is byte order; strings with minimal
// escaping; integers in plain decimal), so the log can take the bytes as
// they are. Values of other types go through encoding/json and are
// canonicalized by the log.
//
// A key given twice keeps its last value, as in a JSON object built in
// order.
func canonicalDetails(details []Detail) ([]byte, error) {
	var buf [16]int
	order := buf[:0]
	for i, d := range details {
		if j := slices.IndexFunc(order, func(k int) bool { return details[k].Key == d.Key }); j >= 0 {
			order[j] = i
			continue
		}
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(details[a].Key, details[b].Key) })
	b := make([]byte, 0, 64+32*len(order))
	b = append(b, '{')
	for n, i := range order {
		if n > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, details[i].Key)
		b = append(b, ':')
		switch v := details[i].Value.(type) {
		case string:
			b = appendJSONString(b, v)
		case bool:
			b = strconv.AppendBool(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case []string:
			b = append(b, '[')
			for j, s := range v {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, s)
			}
			b = append(b, ']')
		default:
			raw, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			b = append(b, raw...)
		}
	}
	return append(b, '}'), nil
}

// appendJSONString escapes as RFC 8785 does: quotation mark, reverse
// solidus and control characters only, with the short forms where JSON has
// them; everything else, non-ASCII included, as UTF-8.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, w := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && w == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+w]...)
			}
			i += w
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
	}
	return append(b, '"')
}
