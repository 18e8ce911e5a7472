package jcs

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendString appends s as a JSON string in its RFC 8785 form (§3.2.2.2,
// as JSON.stringify writes it): '"' and '\' escaped, the control
// characters U+0008, U+0009, U+000A, U+000C and U+000D as \b \t \n \f \r,
// the other control characters below U+0020 as \u00xx in lowercase hex,
// everything else as itself in UTF-8. A byte of s that is not valid UTF-8
// is written as U+FFFD, as encoding/json does.
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }

func appendString[T string | []byte](dst []byte, s T) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			if n := utf8Len(s[i:]); n > 0 {
				i += n
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case shortEscape[c] != 0:
			dst = append(dst, '\\', shortEscape[c])
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// shortEscape[c] is the letter of the short escape of the control
// character c, or 0.
var shortEscape = [0x20]byte{'\b': 'b', '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r'}

// jsonPlain[c] says whether the byte c is ASCII that stands for itself in
// a JSON string: not '"', not '\\', not a control character below U+0020.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

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

// utf8Len returns the length of the valid UTF-8 sequence of a rune of at
// least U+0080 at the start of b, or 0 if there is none (an invalid or
// truncated sequence, an overlong form, a surrogate, a value above
// U+10FFFF): what utf8.DecodeRune accepts, without its general case, for
// the scan of every string.
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

// Compare orders member names as RFC 8785 §3.2.3 sorts them, by their
// UTF-16 code units: -1 if a comes first, 0 if they are equal, +1 if b
// does. a and b must be valid UTF-8.
func Compare(a, b string) int { return compareNames(a, b) }

// compareNames is Compare. UTF-16 order is UTF-8 byte order but for one
// case: a rune from U+E000 to U+FFFF (lead byte 0xEE or 0xEF) comes after
// a rune above U+FFFF (lead byte 0xF0 to 0xF4), whose surrogates are
// below U+E000.
func compareNames[T string | []byte](a, b T) int {
	// Most names differ in their first byte.
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] && (a[0] < 0xEE || b[0] < 0xEE) {
		if a[0] < b[0] {
			return -1
		}
		return 1
	}
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		switch {
		case len(a) < len(b):
			return -1
		case len(a) > len(b):
			return 1
		}
		return 0
	}
	ca, cb := a[i], b[i]
	if ca >= 0xEE && cb >= 0xEE && (ca >= 0xF0) != (cb >= 0xF0) {
		// Lead bytes of two runes, one of each kind (a continuation
		// byte is below 0xC0).
		ca, cb = cb, ca
	}
	if ca < cb {
		return -1
	}
	return 1
}

// AppendFloat appends f as RFC 8785 writes a number (§3.2.2.3: as
// ECMAScript's Number.prototype.toString prints it). NaN and the
// infinities have no JSON form.
func AppendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, errNotFinite
	}
	return appendES6(dst, f), nil
}

var errNotFinite = errors.New("jcs: NaN and infinities have no JSON form")

// AppendInt appends n as RFC 8785 writes it, in plain decimal. Like
// Canonicalize for an integer literal, it refuses an n beyond ±2^53 whose
// digits a double does not keep (most of them; see the package
// documentation), which a reader would round.
func AppendInt(dst []byte, n int64) ([]byte, error) {
	var buf [24]byte
	lit := strconv.AppendInt(buf[:0], n, 10)
	if (n < -1<<53 || n > 1<<53) && !keepsDigits(lit, float64(n)) {
		return dst, errors.New("jcs: integer " + string(lit) + " cannot be held exactly in a double; write it as a string")
	}
	return append(dst, lit...), nil
}
