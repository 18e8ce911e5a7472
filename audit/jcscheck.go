package audit

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// fastCanonical returns the RFC 8785 form of the details src without
// the full canonicalizer when it can prove what that form is, and
// reports whether it could; when it cannot, the caller runs
// canonicalJSON, which canonicalizes or refuses. Whenever it succeeds its
// result is exactly what canonicalJSON(src, maxDepth) returns, byte for
// byte. Event.normalize uses it so that the usual details cost one scan:
//
//   - src already canonical: the result is src itself, found by a single
//     validating scan that allocates nothing;
//   - src canonical but for the order of some objects' members: the
//     result is a copy of src with those members put in order (the
//     members and their bytes are the canonical ones, only their order
//     changes, so every member keeps its length): one allocation.
//
// Canonical here means: no whitespace; strings with only the escapes
// JSON.stringify writes (\" \\ \b \t \n \f \r and \u00xx in lowercase hex for
// the other control characters) and valid UTF-8; numbers as
// appendJCSNumber writes them; no duplicate member names. To stay simple
// it proves nothing — and leaves to the canonicalizer — for details with
// a member name that has an escape or a rune at or above U+E000 (whose
// UTF-8 order may differ from the UTF-16 order RFC 8785 sorts by), or
// nested deeper than 32.
//
// json.Marshal of a map writes canonical details, with these exceptions,
// which all go to the canonicalizer: Go escapes <, > and & as \u003c,
// \u003e and \u0026 (unless SetEscapeHTML(false)) and always U+2028 and
// U+2029, where RFC 8785 writes the characters themselves; Go writes -0
// for negative zero, RFC 8785 0; Go writes invalid UTF-8 as \ufffd; and
// MarshalIndent adds whitespace. A struct's fields come in declaration
// order: the second case above. Go's float64 formatting (shortest
// round-trip digits, exponent below 1e-6 and from 1e21) is ECMAScript's,
// so Go-marshaled float64 values are taken as they are.
func fastCanonical(src []byte, maxDepth int) ([]byte, bool) {
	if len(src) == 0 || src[0] != '{' {
		return nil, false
	}
	// One loop over src, without recursion: at the top of the loop a
	// value starts at i; after it, the containers it closes are popped.
	var open [32]scanFrame // deeper details are left to the canonicalizer
	var spanSpace [16]memberSpan
	spans := spanSpace[:0] // the members of the open objects, innermost last
	var out []byte         // a copy of src, once members must be reordered
	var scratch [256]byte  // room to reorder members in, for most details
	depth, i := 0, 0
	for {
		if i >= len(src) {
			return nil, false
		}
		switch c := src[i]; {
		case c == '{' || c == '[':
			if depth >= maxDepth || depth == len(open) {
				return nil, false
			}
			if i+1 < len(src) && src[i+1] == c+2 { // "{}" or "[]"
				i += 2
				break
			}
			open[depth] = scanFrame{object: c == '{', sorted: true, start: int32(i), base: int32(len(spans))}
			depth++
			i++
			if c == '{' {
				if i, spans = scanMember(src, i, &open[depth-1], spans); i < 0 {
					return nil, false
				}
			}
			continue
		case c == '"':
			if i = scanString(src, i); i < 0 {
				return nil, false
			}
		case c == '-' || (c >= '0' && c <= '9'):
			if i = scanNumber(src, i); i < 0 {
				return nil, false
			}
		case c == 't' && bytes.HasPrefix(src[i:], []byte("true")):
			i += len("true")
		case c == 'f' && bytes.HasPrefix(src[i:], []byte("false")):
			i += len("false")
		case c == 'n' && bytes.HasPrefix(src[i:], []byte("null")):
			i += len("null")
		default:
			return nil, false
		}
		// After a value: close what ends here, then expect another value.
		for {
			if depth == 0 {
				if i != len(src) {
					return nil, false
				}
				if out == nil {
					return src, true
				}
				return out, true
			}
			if i >= len(src) {
				return nil, false
			}
			f := &open[depth-1]
			if f.object {
				spans[len(spans)-1].end = int32(i)
			}
			if src[i] == ',' {
				i++
				if f.object {
					i, spans = scanMember(src, i, f, spans)
				}
				break
			}
			if !f.object && src[i] == ']' {
				i++
				depth--
				continue
			}
			if !f.object || src[i] != '}' {
				return nil, false
			}
			if !f.sorted {
				if out == nil {
					out = make([]byte, len(src))
					copy(out, src)
				}
				if !sortMembers(out, src, int(f.start)+1, i, spans[f.base:], scratch[:0]) {
					return nil, false
				}
			}
			spans = spans[:f.base]
			i++
			depth--
		}
		if i < 0 {
			return nil, false
		}
	}
}

// scanFrame is an object or array fastCanonical is inside.
type scanFrame struct {
	start  int32 // where its '{' or '[' is
	base   int32 // where its members start in the spans
	object bool
	sorted bool // an object's members so far are in strictly increasing order
}

// memberSpan is where an object member is in src: its name (without
// quotes) and the whole member, from the name's '"' to the value's end.
type memberSpan struct {
	nameStart, nameEnd int32
	start, end         int32
}

// scanMember reads a member name and its ':' at i, notes whether the name
// sorts after the previous one of object f, and adds the member to spans.
// It returns where the value starts, or -1. A name must have no escape
// and no byte of 0xEE or more; see fastCanonical.
func scanMember(src []byte, i int, f *scanFrame, spans []memberSpan) (int, []memberSpan) {
	if i >= len(src) || src[i] != '"' {
		return -1, spans
	}
	start := i + 1
	end := plainRun(src, start)
	if end >= len(src) || src[end] != '"' || end+1 >= len(src) || src[end+1] != ':' {
		return -1, spans
	}
	name := src[start:end]
	for _, c := range name {
		if c >= 0xEE {
			return -1, spans
		}
	}
	if n := len(spans); f.sorted && n > int(f.base) && bytes.Compare(src[spans[n-1].nameStart:spans[n-1].nameEnd], name) >= 0 {
		f.sorted = false
	}
	spans = append(spans, memberSpan{nameStart: int32(start), nameEnd: int32(end), start: int32(i)})
	return end + 2, spans
}

// sortMembers puts the members ms of the object whose members are
// out[body:end] in order of their names (read from src: reordering never
// changes a name), writing them in order in sorted first. It reports
// false for a duplicate name, which the canonicalizer refuses.
func sortMembers(out, src []byte, body, end int, ms []memberSpan, sorted []byte) bool {
	name := func(m *memberSpan) []byte { return src[m.nameStart:m.nameEnd] }
	if len(ms) > 16 {
		slices.SortFunc(ms, func(a, b memberSpan) int { return bytes.Compare(name(&a), name(&b)) })
	} else {
		for i := 1; i < len(ms); i++ { // by insertion, without a closure call, for the usual few
			m := ms[i]
			j := i
			for ; j > 0 && bytes.Compare(name(&ms[j-1]), name(&m)) > 0; j-- {
				ms[j] = ms[j-1]
			}
			ms[j] = m
		}
	}
	for i := 1; i < len(ms); i++ {
		if bytes.Equal(name(&ms[i-1]), name(&ms[i])) {
			return false
		}
	}
	for i := range ms {
		if i > 0 {
			sorted = append(sorted, ',')
		}
		sorted = append(sorted, out[ms[i].start:ms[i].end]...)
	}
	copy(out[body:end], sorted)
	return true
}

// scanString reads a string value at i (at '"') and returns the index
// after it, or -1 if it is not written canonically.
func scanString(src []byte, i int) int {
	for i++; ; {
		i = plainRun(src, i)
		if i >= len(src) {
			return -1
		}
		switch src[i] {
		case '"':
			return i + 1
		case '\\':
			n := canonicalEscape(src[i:])
			if n == 0 {
				return -1
			}
			i += n
		default: // a control character or invalid UTF-8
			return -1
		}
	}
}

// plainRun returns the end of the run of bytes from i on that a JSON
// string holds as themselves: valid UTF-8 other than '"', '\\' and the
// control characters below U+0020. It stops at the first other byte (or
// at len(src)).
func plainRun(src []byte, i int) int {
	for {
		for i < len(src) && jsonPlain[src[i]] {
			i++
		}
		if i >= len(src) || src[i] < utf8.RuneSelf {
			return i
		}
		n := utf8Len(src[i:])
		if n == 0 {
			return i
		}
		i += n
	}
}

// jsonPlain[c] says whether the byte c is ASCII that stands for itself in
// a JSON string: not '"', not '\\', not a control character below U+0020.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// utf8Len returns the length of the valid UTF-8 sequence of a rune of at
// least U+0080 at the start of b, or 0 if there is none (an invalid or
// truncated sequence, an overlong form, a surrogate, a value above
// U+10FFFF): what utf8.DecodeRune accepts, without its general case.
func utf8Len[T string | []byte](b T) int {
	const cont = 0xC0 // continuation bytes are 10xxxxxx
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		if len(b) >= 2 && b[1]&cont == 0x80 {
			return 2
		}
	case c >= 0xE0 && c <= 0xEF:
		if len(b) < 3 || b[2]&cont != 0x80 {
			return 0
		}
		lo, hi := byte(0x80), byte(0xBF)
		switch c {
		case 0xE0:
			lo = 0xA0 // no overlong forms
		case 0xED:
			hi = 0x9F // no surrogates
		}
		if b[1] >= lo && b[1] <= hi {
			return 3
		}
	case c >= 0xF0 && c <= 0xF4:
		if len(b) < 4 || b[2]&cont != 0x80 || b[3]&cont != 0x80 {
			return 0
		}
		lo, hi := byte(0x80), byte(0xBF)
		switch c {
		case 0xF0:
			lo = 0x90 // no overlong forms
		case 0xF4:
			hi = 0x8F // nothing above U+10FFFF
		}
		if b[1] >= lo && b[1] <= hi {
			return 4
		}
	}
	return 0
}

// canonicalEscape returns the length of the escape at the start of b if it
// is one appendJCSString writes, or 0.
func canonicalEscape(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', 'b', 't', 'n', 'f', 'r':
		return 2
	case 'u':
		// \u00xx, lowercase, for a control character without a short
		// escape.
		if len(b) < 6 || b[2] != '0' || b[3] != '0' || (b[4] != '0' && b[4] != '1') {
			return 0
		}
		var lo byte
		switch c := b[5]; {
		case c >= '0' && c <= '9':
			lo = c - '0'
		case c >= 'a' && c <= 'f':
			lo = c - 'a' + 10
		default:
			return 0
		}
		switch (b[4]-'0')<<4 | lo {
		case '\b', '\t', '\n', '\f', '\r':
			return 0
		}
		return 6
	}
	return 0
}

// scanNumber reads a number at i (RFC 8259 grammar) and returns the
// index after it, or -1 if it is not written as appendJCSNumber writes it.
func scanNumber(src []byte, i int) int {
	start := i
	digits := func() int {
		n := 0
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if src[i] == '-' {
		i++
	}
	if i < len(src) && src[i] == '0' {
		i++
	} else if digits() == 0 {
		return -1
	}
	integer := true
	if i < len(src) && src[i] == '.' {
		integer = false
		i++
		if digits() == 0 {
			return -1
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		integer = false
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if digits() == 0 {
			return -1
		}
	}
	lit := src[start:i]
	var buf [32]byte
	if out, reason := appendJCSNumber(buf[:0], lit, integer); reason != "" || !bytes.Equal(out, lit) {
		return -1
	}
	return i
}
