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
// RFC 8785 sorts by).
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
	s := jcsScanner{src: src, maxDepth: maxDepth}
	return s.object(1) && s.pos == len(src)
}

// jcsScanner is isCanonicalJSON's state: a recursive-descent reader that
// stops at the first byte that is not canonical.
type jcsScanner struct {
	src      []byte
	pos      int
	maxDepth int
}

func (s *jcsScanner) value(depth int) bool {
	if s.pos >= len(s.src) {
		return false
	}
	switch c := s.src[s.pos]; {
	case c == '{':
		return s.object(depth + 1)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		_, ok := s.str(false)
		return ok
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

func (s *jcsScanner) literal(lit string) bool {
	if !bytes.HasPrefix(s.src[s.pos:], []byte(lit)) {
		return false
	}
	s.pos += len(lit)
	return true
}

// object reads an object at s.pos (at '{'); depth counts it, as in
// jcsParser.object.
func (s *jcsScanner) object(depth int) bool {
	if depth > s.maxDepth {
		return false
	}
	s.pos++ // '{'
	if s.pos < len(s.src) && s.src[s.pos] == '}' {
		s.pos++
		return true
	}
	var prev []byte
	for first := true; ; first = false {
		if s.pos >= len(s.src) || s.src[s.pos] != '"' {
			return false
		}
		name, ok := s.str(true)
		if !ok || (!first && bytes.Compare(prev, name) >= 0) {
			return false
		}
		prev = name
		if s.pos >= len(s.src) || s.src[s.pos] != ':' {
			return false
		}
		s.pos++
		if !s.value(depth) || s.pos >= len(s.src) {
			return false
		}
		switch s.src[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return true
		default:
			return false
		}
	}
}

func (s *jcsScanner) array(depth int) bool {
	if depth > s.maxDepth {
		return false
	}
	s.pos++ // '['
	if s.pos < len(s.src) && s.src[s.pos] == ']' {
		s.pos++
		return true
	}
	for {
		if !s.value(depth) || s.pos >= len(s.src) {
			return false
		}
		switch s.src[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return true
		default:
			return false
		}
	}
}

// str reads a string at s.pos (at '"') and returns its contents as they
// stand in src. A member name (name) must have no escape and no byte of
// 0xEE or more; see isCanonicalJSON.
func (s *jcsScanner) str(name bool) ([]byte, bool) {
	src, start := s.src, s.pos+1
	for i := start; ; {
		i = plainRun(src, i)
		if i >= len(src) {
			return nil, false
		}
		switch src[i] {
		case '"':
			if name {
				for _, c := range src[start:i] {
					if c >= 0xEE {
						return nil, false
					}
				}
			}
			s.pos = i + 1
			return src[start:i], true
		case '\\':
			n := canonicalEscape(src[i:])
			if n == 0 || name {
				return nil, false
			}
			i += n
		default: // a control character or invalid UTF-8
			return nil, false
		}
	}
}

// plainRun returns the end of the run of bytes from i on that a JSON
// string holds as themselves: valid UTF-8 other than '"', '\\' and the
// control characters below U+0020. It stops at the first other byte (or
// at len(src)).
func plainRun(src []byte, i int) int {
	for i < len(src) {
		if c := src[i]; c < utf8.RuneSelf {
			if !jsonPlain[c] {
				return i
			}
			i++
			continue
		}
		n := utf8Len(src[i:])
		if n == 0 {
			return i
		}
		i += n
	}
	return i
}

// jsonPlain[c] says whether the ASCII byte c stands for itself in a JSON
// string: not '"', not '\\', not a control character below U+0020.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// utf8Len returns the length of the valid UTF-8 sequence of a rune of at
// least U+0080 at the start of b, or 0 if there is none (an invalid or
// truncated sequence, an overlong form, a surrogate, a value above
// U+10FFFF): what utf8.DecodeRune accepts, without its general case.
func utf8Len(b []byte) int {
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

// number reads a number at s.pos: RFC 8259 grammar, written as
// appendJCSNumber writes it.
func (s *jcsScanner) number() bool {
	src, start := s.src, s.pos
	i := start
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
		return false
	}
	integer := true
	if i < len(src) && src[i] == '.' {
		integer = false
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		integer = false
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	s.pos = i
	lit := src[start:i]
	var buf [32]byte
	out, reason := appendJCSNumber(buf[:0], lit, integer)
	return reason == "" && bytes.Equal(out, lit)
}
