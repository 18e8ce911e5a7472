package request

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/jcs"
)

// maxValueDepth bounds the nesting of a detail value of another type
// than those canonicalDetails writes itself; the audit log applies its
// own limit to the whole object.
const maxValueDepth = 64

// canonicalDetails encodes event details as a JSON object in the RFC 8785
// canonical form the audit log records, written with internal/jcs (keys
// sorted by UTF-16 code units; strings, integers and floats as RFC 8785
// writes them), so that the log takes the bytes as they are. Values of
// other types go through encoding/json and then internal/jcs.
//
// A key given twice keeps its last value, as in a JSON object built in
// order. A key must be valid UTF-8 (the keys are the package's own
// constants); a string value that is not is written with U+FFFD for each
// bad byte, as encoding/json does. An int beyond ±2^53 that a double
// cannot hold is refused, as the log would refuse it.
func canonicalDetails(details []Detail) ([]byte, error) {
	var buf [16]int
	order := buf[:0]
	for i, d := range details {
		if !utf8.ValidString(d.Key) {
			return nil, errors.New("request: detail key " + strconv.Quote(d.Key) + " is not valid UTF-8")
		}
		if j := slices.IndexFunc(order, func(k int) bool { return details[k].Key == d.Key }); j >= 0 {
			order[j] = i
			continue
		}
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return jcs.Compare(details[a].Key, details[b].Key) })
	b := make([]byte, 0, 64+32*len(order))
	b = append(b, '{')
	for n, i := range order {
		if n > 0 {
			b = append(b, ',')
		}
		b = jcs.AppendString(b, details[i].Key)
		b = append(b, ':')
		var err error
		switch v := details[i].Value.(type) {
		case string:
			b = jcs.AppendString(b, v)
		case bool:
			b = strconv.AppendBool(b, v)
		case int:
			b, err = jcs.AppendInt(b, int64(v))
		case float64:
			b, err = jcs.AppendFloat(b, v)
		case []string:
			b = append(b, '[')
			for j, s := range v {
				if j > 0 {
					b = append(b, ',')
				}
				b = jcs.AppendString(b, s)
			}
			b = append(b, ']')
		default:
			var raw []byte
			if raw, err = json.Marshal(v); err == nil {
				b, err = jcs.AppendCanonical(b, raw, maxValueDepth)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("request: detail %q: %w", details[i].Key, err)
		}
	}
	return append(b, '}'), nil
}
