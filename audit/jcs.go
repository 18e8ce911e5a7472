package audit

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// canonicalJSON returns the RFC 8785 (JSON Canonicalization Scheme)
// form of src, which must be one JSON object: no insignificant
// whitespace; object members sorted by the UTF-16 code units of their
// names; strings with only the escapes JSON.stringify uses; numbers as
// ECMAScript prints IEEE-754 doubles. It refuses what RFC 8785 (through
// I-JSON, RFC 7493) refuses — duplicate names, lone surrogates, invalid
// UTF-8, numbers out of double range — and, beyond it, integer literals a
// double cannot hold exactly (such as 9007199254740993), which it would
// silently round: put such identifiers in strings.
func canonicalJSON(src []byte, maxDepth int) ([]byte, error) {
	p := jcsParsers.Get().(*jcsParser)
	defer p.release()
	p.src, p.pos, p.maxDepth = src, 0, maxDepth
	p.out, p.members, p.names = p.out[:0], p.members[:0], p.names[:0]
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '{' {
		return nil, errors.New("must be a JSON object")
	}
	if err := p.value(0); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errorf("data after the object")
	}
	out := make([]byte, len(p.out))
	copy(out, p.out)
	return out, nil
}

// jcsParsers keeps parsers with their buffers between calls, so that
// canonicalizing allocates only its result.
var jcsParsers = sync.Pool{New: func() any { return new(jcsParser) }}

// release returns p to the pool, without the caller's input and without
// buffers a very large input grew.
func (p *jcsParser) release() {
	p.src = nil
	if cap(p.out)+cap(p.tmp)+cap(p.esc)+cap(p.names) > 64<<10 || cap(p.members) > 1024 {
		*p = jcsParser{}
	}
	jcsParsers.Put(p)
}

// jcsParser parses JSON and writes its canonical form in one pass. Objects
// are written in input order and reordered only when their members are
// not already sorted.
type jcsParser struct {
	src      []byte
	pos      int
	maxDepth int
	out      []byte
	tmp      []byte      // reordering space
	esc      []byte      // the last string that had escapes, unescaped
	names    []byte      // unescaped member names that had escapes
	members  []jcsMember // a stack shared by nested objects
}

// jcsMember is an object member being canonicalized. It holds no pointers
// (names are offsets), which keeps the parser cheap for the garbage
// collector.
type jcsMember struct {
	nameStart, nameEnd int32 // the unescaped name in src, or in names when escaped
	escaped            bool
	utf16              bool  // the name has a rune ≥ U+E000 (see needsUTF16Order)
	start, end         int32 // the member's canonical bytes ("name":value) in out
}

func (p *jcsParser) name(m *jcsMember) []byte {
	if m.escaped {
		return p.names[m.nameStart:m.nameEnd]
	}
	return p.src[m.nameStart:m.nameEnd]
}

type jcsError struct {
	pos int
	msg string
}

func (e *jcsError) Error() string { return "JSON at byte " + strconv.Itoa(e.pos) + ": " + e.msg }

func (p *jcsParser) errorf(msg string) error { return &jcsError{pos: p.pos, msg: msg} }

func (p *jcsParser) skipSpace() {
	src, i := p.src, p.pos
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	p.pos = i
}

func (p *jcsParser) value(depth int) error {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return p.errorf("unexpected end")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		start, end, escaped, err := p.str()
		if err != nil {
			return err
		}
		p.appendString(start, end, escaped)
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if bytes.HasPrefix(p.src[p.pos:], []byte(lit)) {
				p.pos += len(lit)
				p.out = append(p.out, lit...)
				return nil
			}
		}
		return p.errorf("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

// appendString writes the string str just parsed. One that had no
// escapes in the input holds no quote, backslash or control character, so
// its canonical form is its input bytes.
func (p *jcsParser) appendString(start, end int, escaped bool) {
	if escaped {
		p.out = appendJCSString(p.out, p.esc)
		return
	}
	p.out = append(p.out, '"')
	p.out = append(p.out, p.src[start:end]...)
	p.out = append(p.out, '"')
}

func (p *jcsParser) object(depth int) error {
	if depth > p.maxDepth {
		return p.errorf("nested deeper than " + strconv.Itoa(p.maxDepth))
	}
	p.pos++ // '{'
	open := len(p.out)
	p.out = append(p.out, '{')
	base := len(p.members)
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return p.errorf("expected a member name")
		}
		ns, ne, escaped, err := p.str()
		if err != nil {
			return err
		}
		m := jcsMember{nameStart: int32(ns), nameEnd: int32(ne), escaped: escaped}
		if escaped {
			m.nameStart = int32(len(p.names))
			p.names = append(p.names, p.esc...)
			m.nameEnd = int32(len(p.names))
		}
		m.utf16 = needsUTF16Order(p.name(&m))
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.errorf("expected ':'")
		}
		p.pos++
		if len(p.members) > base {
			p.out = append(p.out, ',')
		}
		m.start = int32(len(p.out))
		p.appendString(ns, ne, escaped)
		p.out = append(p.out, ':')
		if err := p.value(depth); err != nil {
			return err
		}
		m.end = int32(len(p.out))
		p.members = append(p.members, m)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end in object")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] == '}' {
			p.pos++
			break
		}
		return p.errorf("expected ',' or '}'")
	}
	ms := p.members[base:]
	sorted := true
	for i := 1; i < len(ms) && sorted; i++ {
		sorted = p.compare(&ms[i-1], &ms[i]) < 0
	}
	if !sorted {
		p.sort(ms)
	}
	for i := 1; i < len(ms); i++ {
		if p.compare(&ms[i-1], &ms[i]) == 0 {
			return p.errorf("duplicate member name " + strconv.Quote(string(p.name(&ms[i]))))
		}
	}
	if !sorted {
		body := int32(open + 1)
		p.tmp = append(p.tmp[:0], p.out[body:]...)
		p.out = p.out[:body]
		for i, m := range ms {
			if i > 0 {
				p.out = append(p.out, ',')
			}
			p.out = append(p.out, p.tmp[m.start-body:m.end-body]...)
		}
	}
	p.out = append(p.out, '}')
	p.members = p.members[:base]
	return nil
}

// sort sorts an object's members by name: by insertion for the few
// members details usually have, which needs no closure.
func (p *jcsParser) sort(ms []jcsMember) {
	if len(ms) > 16 {
		slices.SortFunc(ms, func(a, b jcsMember) int { return p.compare(&a, &b) })
		return
	}
	for i := 1; i < len(ms); i++ {
		m := ms[i]
		j := i
		for ; j > 0 && p.compare(&ms[j-1], &m) > 0; j-- {
			ms[j] = ms[j-1]
		}
		ms[j] = m
	}
}

// needsUTF16Order reports whether s has a rune at or above U+E000, the only
// runes whose UTF-8 byte order differs from their UTF-16 code-unit order.
// Their UTF-8 forms are the only ones with a byte of 0xEE or more.
func needsUTF16Order(s []byte) bool {
	for _, c := range s {
		if c >= 0xEE {
			return true
		}
	}
	return false
}

// compare orders member names by their UTF-16 code units (RFC 8785
// §3.2.3), which is UTF-8 byte order unless a name has a rune ≥ U+E000.
func (p *jcsParser) compare(a, b *jcsMember) int {
	na, nb := p.name(a), p.name(b)
	if !a.utf16 && !b.utf16 {
		return bytes.Compare(na, nb)
	}
	return slices.Compare(utf16.Encode([]rune(string(na))), utf16.Encode([]rune(string(nb))))
}

func (p *jcsParser) array(depth int) error {
	if depth > p.maxDepth {
		return p.errorf("nested deeper than " + strconv.Itoa(p.maxDepth))
	}
	p.pos++ // '['
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		return nil
	}
	for first := true; ; first = false {
		if !first {
			p.out = append(p.out, ',')
		}
		if err := p.value(depth); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end in array")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] == ']' {
			p.pos++
			p.out = append(p.out, ']')
			return nil
		}
		return p.errorf("expected ',' or ']'")
	}
}

// str parses the JSON string at p.pos. Without escapes, its value is
// src[start:end]; with escapes, it is unescaped into p.esc (valid until
// the next call).
func (p *jcsParser) str() (start, end int, escaped bool, err error) {
	start = p.pos + 1
	src := p.src
	i := plainRun(src, start)
	p.pos = i
	switch {
	case i >= len(src):
		return 0, 0, false, p.errorf("unterminated string")
	case src[i] == '"':
		p.pos++
		return start, i, false, nil
	case src[i] < 0x20:
		return 0, 0, false, p.errorf("control character in string")
	case src[i] >= utf8.RuneSelf:
		return 0, 0, false, p.errorf("string is not valid UTF-8")
	}
	p.esc = append(p.esc[:0], p.src[start:p.pos]...)
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			if !utf8.Valid(p.esc) {
				return 0, 0, false, p.errorf("string is not valid UTF-8")
			}
			p.pos++
			return start, p.pos - 1, true, nil
		case c < 0x20:
			return 0, 0, false, p.errorf("control character in string")
		case c != '\\':
			p.esc = append(p.esc, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.src) {
			break
		}
		e := p.src[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			p.esc = append(p.esc, e)
		case 'b':
			p.esc = append(p.esc, '\b')
		case 'f':
			p.esc = append(p.esc, '\f')
		case 'n':
			p.esc = append(p.esc, '\n')
		case 'r':
			p.esc = append(p.esc, '\r')
		case 't':
			p.esc = append(p.esc, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return 0, 0, false, p.errorf("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || p.pos+1 >= len(p.src) || p.src[p.pos] != '\\' || p.src[p.pos+1] != 'u' {
					return 0, 0, false, p.errorf("lone surrogate in string")
				}
				p.pos += 2
				r2, ok := p.hex4()
				if !ok {
					return 0, 0, false, p.errorf("bad \\u escape")
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return 0, 0, false, p.errorf("lone surrogate in string")
				}
			}
			p.esc = utf8.AppendRune(p.esc, r)
		default:
			return 0, 0, false, p.errorf("bad escape \\" + string(rune(e)))
		}
	}
	return 0, 0, false, p.errorf("unterminated string")
}

func (p *jcsParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.src) {
		return 0, false
	}
	var r rune
	for _, c := range p.src[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// number parses a JSON number (RFC 8259 grammar) and appends its
// ECMAScript form.
func (p *jcsParser) number() error {
	start := p.pos
	integer := true
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.src) && p.src[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return p.errorf("bad number")
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		integer = false
		p.pos++
		if digits() == 0 {
			return p.errorf("bad number")
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		integer = false
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return p.errorf("bad number")
		}
	}
	out, reason := appendJCSNumber(p.out, p.src[start:p.pos], integer)
	if reason != "" {
		return &jcsError{pos: start, msg: reason}
	}
	p.out = out
	return nil
}

// appendJCSNumber appends the canonical form of the JSON number literal
// lit (integer when it has neither fraction nor exponent), or returns why
// it is refused. It is the one place that decides how a number is
// written, for the canonicalizer and for fastCanonical alike.
func appendJCSNumber(dst, lit []byte, integer bool) ([]byte, string) {
	if integer && len(lit) <= 15 {
		// An integer of at most 15 digits is exact in a double and
		// ECMAScript prints it as written, except -0.
		if string(lit) == "-0" {
			lit = lit[1:]
		}
		return append(dst, lit...), ""
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return dst, "number out of the range of an IEEE-754 double"
	}
	if integer && math.Abs(f) >= 1<<53 {
		var buf [400]byte // a double below 2^1024 has at most 309 digits
		exact := strconv.AppendFloat(buf[:0], math.Abs(f), 'f', -1, 64)
		if string(exact) != strings.TrimPrefix(string(lit), "-") {
			return dst, "integer " + string(lit) + " cannot be kept exactly in a double; write it as a string"
		}
	}
	return appendES6Number(dst, f), ""
}

// appendES6Number appends f as ECMAScript's Number.prototype.toString
// prints it (ECMA-262 Number::toString, as RFC 8785 §3.2.2.3 requires): the
// shortest digits that round-trip, in plain notation for exponents from
// -7 to 20 and in exponent notation ("1e+21", "1.5e-7") beyond.
func appendES6Number(dst []byte, f float64) []byte {
	if f == 0 {
		return append(dst, '0') // also -0
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // d.ddde±xx
	mark := bytes.IndexByte(e, 'e')
	var dbuf [24]byte
	digits := append(dbuf[:0], e[0])
	if mark > 1 {
		digits = append(digits, e[2:mark]...)
	}
	exp := 0
	for _, c := range e[mark+2:] {
		exp = 10*exp + int(c-'0')
	}
	if e[mark+1] == '-' {
		exp = -exp
	}
	k := len(digits)
	n := exp + 1 // the value is 0.digits × 10^n
	switch {
	case k <= n && n <= 21:
		dst = append(dst, digits...)
		for i := 0; i < n-k; i++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for i := 0; i < -n; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default:
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

// appendJCSString appends s as a JSON string the way RFC 8785 §3.2.2.2
// (JSON.stringify) writes it: '"' and '\' escaped, the control characters
// U+0008, U+0009, U+000A, U+000C, U+000D as \b \t \n \f \r, the other
// control characters below U+0020 as \u00xx with lowercase hex, everything
// else as itself in UTF-8.
func appendJCSString(dst []byte, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20:
			dst = append(dst, c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return append(dst, '"')
}
