package audit

import (
	"bytes"
	"unicode/utf8"
)

// isCanonicalJSON reports whether src is a JSON object already in the
// form canonicalJSON gives it, so that canonicalJSON(src, maxDepth) would
// return src itself, byte for byte. It reads src once and allocates
// nothing; Event.normalize uses it to skip re-encoding details that are
// canonical already. A false answer only means "not proven": the caller
// runs canonicalJSON, which canonicalizes or refuses.
//
// It accepts exactly canonical spellings: no whitespace; members sorted by
// name, no duplicates; strings with only the escapes JSON.stringify
// writes (\" \\ \b \t \n \f \r and \u00xx in lowercase hex for the other
// control characters) and valid UTF-8; numbers as appendJCSNumber writes
// them. To stay simple it does not prove canonical — and leaves to the
// canonicalizer — objects with a member name that has an escape or a rune
// at or above U+E000 (whose UTF-8 order may differ from the UTF-16 order
// RFC 8785 sorts by), and nesting deeper than 32.
//
// This is what encoding/json gives for a map with string keys, with these
// differences, which all send the details to the canonicalizer: Go escapes
// <, > and & as \u003c, \u003e and \u0026 (unless SetEscapeHTML(false))
// and always U+2028 and U+2029, where RFC 8785 writes the characters
// themselves; Go writes -0 for negative zero, RFC 8785 0; Go writes
// invalid UTF-8 as \ufffd; MarshalIndent adds whitespace; and a struct's
// fields come in declaration order, not sorted. Go's float64 formatting
// (shortest round-trip digits, exponent below 1e-6 and from 1e21) is
// ECMAScript's, so Go-marshaled float64 values are accepted as they are.
func isCanonicalJSON(src []byte, maxDepth int) bool {
	if len(src) == 0 || src[0] != '{' {
		return false
	}
	// One loop over src, without recursion: at the top of the loop a
	// value starts at i; after it, the containers it closes are popped.
	var open [32]scanFrame // deeper details are left to the canonicalizer
	depth, i := 0, 0
	for {
		if i >= len(src) {
			return false
		}
		switch c := src[i]; {
		case c == '{' || c == '[':
			if depth >= maxDepth || depth == len(open) {
				return false
			}
			i++
			if i < len(src) && src[i] == c+2 { // "{}" or "[]"
				i++
				break
			}
			open[depth] = scanFrame{object: c == '{'}
			depth++
			if c == '[' {
				continue
			}
			if i = scanMember(src, i, &open[depth-1]); i < 0 {
				return false
			}
			continue
		case c == '"':
			if i = scanString(src, i); i < 0 {
				return false
			}
		case c == '-' || (c >= '0' && c <= '9'):
			if i = scanNumber(src, i); i < 0 {
				return false
			}
		case c == 't' && bytes.HasPrefix(src[i:], []byte("true")):
			i += len("true")
		case c == 'f' && bytes.HasPrefix(src[i:], []byte("false")):
			i += len("false")
		case c == 'n' && bytes.HasPrefix(src[i:], []byte("null")):
			i += len("null")
		default:
			return false
		}
		// After a value: close what ends here, then expect another value.
		for {
			if depth == 0 {
				return i == len(src)
			}
			if i >= len(src) {
				return false
			}
			f := &open[depth-1]
			if src[i] == ',' {
				i++
				if f.object {
					i = scanMember(src, i, f)
				}
				break
			}
			if (f.object && src[i] == '}') || (!f.object && src[i] == ']') {
				i++
				depth--
				continue
			}
			return false
		}
		if i < 0 {
			return false
		}
	}
}

// scanFrame is an object or array isCanonicalJSON is inside; for an
// object, where in src the name of its last member so far is.
type scanFrame struct {
	nameStart, nameEnd int32
	object, named      bool
}

// scanMember reads a member name and its ':' at i and checks that the name
// sorts after the previous one of f. It returns where the value starts, or
// -1. A name must have no escape and no byte of 0xEE or more; see
// isCanonicalJSON.
func scanMember(src []byte, i int, f *scanFrame) int {
	if i >= len(src) || src[i] != '"' {
		return -1
	}
	start := i + 1
	end := plainRun(src, start)
	if end >= len(src) || src[end] != '"' || end+1 >= len(src) || src[end+1] != ':' {
		return -1
	}
	name := src[start:end]
	for _, c := range name {
		if c >= 0xEE {
			return -1
		}
	}
	if f.named && bytes.Compare(src[f.nameStart:f.nameEnd], name) >= 0 {
		return -1
	}
	f.named, f.nameStart, f.nameEnd = true, int32(start), int32(end)
	return end + 2
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
