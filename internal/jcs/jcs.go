package jcs

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Error says why a JSON text has no canonical form, and where: Offset is
// the byte of the input at which the problem was found.
type Error struct {
	Offset int    // where in the input, in bytes
	Reason string // what is wrong, in English
	// TooDeep says the text nests objects and arrays deeper than the
	// limit the caller gave.
	TooDeep bool
	// inexact marks the one refusal RFC 8785 itself does not make: an
	// integer literal a double cannot hold exactly.
	inexact bool
}

// Error returns "JSON at byte N: " and the reason.
func (e *Error) Error() string { return "JSON at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason }

// Canonicalize returns the RFC 8785 form of the JSON text src, any JSON
// value, with objects and arrays nested at most maxDepth deep. When src is
// canonical already the result is src itself, found by one scan that
// writes and allocates nothing; otherwise it is a new slice. It refuses
// what RFC 8785 refuses and, beyond it, integer literals a double cannot
// hold exactly (see the package documentation), with an *Error.
func Canonicalize(src []byte, maxDepth int) ([]byte, error) {
	return canonicalize(src, maxDepth, true)
}

// AppendCanonical appends the RFC 8785 form of the JSON text src to dst,
// as Canonicalize computes it; dst's free capacity must not overlap src.
// On error it returns dst unchanged and an *Error.
func AppendCanonical(dst, src []byte, maxDepth int) ([]byte, error) {
	p := getParser(src, maxDepth)
	p.out, p.outSet = dst, true
	same, err := p.run(true)
	out := p.out
	p.release()
	switch {
	case err != nil:
		return dst, err
	case same:
		return append(dst, src...), nil
	}
	return out, nil
}

// canonicalize is Canonicalize; with lazy false, it writes every token as
// it goes instead of only once the input first differs from its canonical
// form, and always returns a new slice. That is the general path the
// package's benchmark weighs the lazy one against.
func canonicalize(src []byte, maxDepth int, lazy bool) ([]byte, error) {
	p := getParser(src, maxDepth)
	if !lazy {
		p.out, p.outSet = make([]byte, 0, len(src)), true
	}
	same, err := p.run(lazy)
	out := p.out
	p.release()
	switch {
	case err != nil:
		return nil, err
	case same:
		return src, nil
	}
	return out, nil
}

// parsers keeps parsers with their buffers between calls, so that
// canonicalizing allocates at most its result.
var parsers = sync.Pool{New: func() any { return new(parser) }}

func getParser(src []byte, maxDepth int) *parser {
	p := parsers.Get().(*parser)
	p.src, p.pos, p.maxDepth = src, 0, maxDepth
	p.depth, p.nmembers, p.outSet = 0, 0, false
	if len(p.names) > 0 { // only then, as storing a slice costs a write barrier
		p.names = p.names[:0]
	}
	return p
}

// release returns p to the pool, without the buffers a very large input
// grew. It keeps the caller's input and output unless they are large:
// each pointer stored into the pooled parser costs a write barrier while
// the collector marks, which on small texts was a tenth of the time, and
// the pool lets go of the parser by the second collection anyway.
func (p *parser) release() {
	if len(p.src) > 4<<10 || cap(p.out) > 4<<10 {
		p.src, p.out = nil, nil
	}
	if cap(p.tmp)+cap(p.esc)+cap(p.names) > 64<<10 || len(p.members) > 1024 || len(p.frames) > 1024 {
		*p = parser{}
	}
	parsers.Put(p)
}

// parser parses JSON and writes its canonical form in one pass.
//
// While lazy, it writes nothing: everything parsed so far is canonical
// as it stands, so the output is src[:pos]. At the first difference (a
// space, an escape or a number written otherwise, members out of order)
// it copies that prefix to out and from then on writes every token. An
// object is written in input order and reordered at its end when its
// members are not in order. Offsets into the output (mark) are relative
// to base, where the output starts in out; while lazy, they are offsets
// into src.
type parser struct {
	src      []byte
	pos      int
	maxDepth int
	lazy     bool
	base     int
	out      []byte // the output, if outSet (else what a past call left)
	outSet   bool
	tmp      []byte // reordering space
	esc      []byte // the last string that had escapes, unescaped
	names    []byte // unescaped member names that had escapes
	// frames[:depth] are the objects and arrays being parsed, innermost
	// last, and members[:nmembers] the members of those objects. Their
	// lengths are kept apart so that a push stores no slice header.
	frames   []frame
	depth    int
	members  []member
	nmembers int
}

// member is an object member being canonicalized. It holds no pointers
// (names are offsets), which keeps the parser cheap for the garbage
// collector.
type member struct {
	nameStart, nameEnd int32 // the unescaped name in src, or in names when escaped
	escaped            bool
	// start is where the member ("name":value) starts in the output
	// (mark). It ends one byte before the next member starts, at the ','
	// between them (the output has no whitespace), or where the object's
	// '}' is.
	start int32
}

func (p *parser) name(m *member) []byte {
	if m.escaped {
		return p.names[m.nameStart:m.nameEnd]
	}
	return p.src[m.nameStart:m.nameEnd]
}

func (p *parser) fail(at int, reason string) error { return &Error{Offset: at, Reason: reason} }

// frame is an object or array being parsed.
type frame struct {
	open   int32 // where its '{' or '[' is in the output (mark)
	base   int32 // where an object's members start in members
	object bool
	sorted bool // an object's members so far are in order
}

// run parses the whole input and reports whether it was canonical as it
// stands (only possible when lazy). It is one loop over the input, with
// the objects and arrays it is in on a stack: at the top of the loop a
// value starts at p.pos; after it, the containers that end there are
// closed.
func (p *parser) run(lazy bool) (bool, error) {
	if len(p.src) > math.MaxInt32 { // offsets are int32
		return false, p.fail(0, "text larger than 2 GiB")
	}
	p.lazy, p.base = lazy, 0
	if p.outSet {
		p.base = len(p.out)
	}
	var f *frame // the innermost open container, p.frames[p.depth-1]
	for {
		c := byte(0)
		if p.pos < len(p.src) {
			c = p.src[p.pos]
		}
		if c <= ' ' {
			c = p.skipSpace()
		}
		switch {
		case c == '"':
			start, class := p.pos, noEscapes
			if i := plainRun(p.src, p.pos+1); i < len(p.src) && p.src[i] == '"' {
				p.pos = i + 1
			} else {
				var err error
				if class, err = p.unescape(i); err != nil {
					return false, err
				}
			}
			p.putString(start, class)
		case c == '{' || c == '[':
			if p.depth >= p.maxDepth {
				return false, &Error{Offset: p.pos, Reason: "nested deeper than " + strconv.Itoa(p.maxDepth), TooDeep: true}
			}
			open := p.mark()
			p.pos++
			p.put(c)
			if p.peek() == c+2 { // {} or []
				p.pos++
				p.put(c + 2)
				break
			}
			f = p.pushFrame(frame{open: open, base: int32(p.nmembers), object: c == '{', sorted: true})
			if f.object {
				if err := p.member(f); err != nil {
					return false, err
				}
			}
			continue
		case c == '-' || (c >= '0' && c <= '9'):
			if err := p.number(); err != nil {
				return false, err
			}
		case c == 't':
			if err := p.literal("true"); err != nil {
				return false, err
			}
		case c == 'f':
			if err := p.literal("false"); err != nil {
				return false, err
			}
		case c == 'n':
			if err := p.literal("null"); err != nil {
				return false, err
			}
		default:
			return false, p.unexpected("a JSON value")
		}
		// After a value: close what ends here, then expect another value.
		for {
			if p.depth == 0 {
				if p.pos < len(p.src) && (p.skipSpace() != 0 || p.pos < len(p.src)) {
					return false, p.fail(p.pos, "data after the JSON value")
				}
				return p.lazy, nil
			}
			closing := byte(']')
			if f.object {
				closing = '}'
			}
			c := byte(0)
			if p.pos < len(p.src) {
				c = p.src[p.pos]
			}
			if c <= ' ' {
				c = p.skipSpace()
			}
			if c == ',' {
				p.pos++
				p.put(',')
				if f.object {
					if err := p.member(f); err != nil {
						return false, err
					}
				}
				break
			}
			if c != closing {
				return false, p.unexpected("',' or '" + string(closing) + "'")
			}
			if f.object {
				if !f.sorted {
					if err := p.reorder(p.members[f.base:p.nmembers], f.open); err != nil {
						return false, err
					}
				}
				p.nmembers = int(f.base)
			}
			p.pos++
			p.put(closing)
			if p.depth--; p.depth > 0 {
				f = &p.frames[p.depth-1]
			}
		}
	}
}

// member reads an object member's name and ':' at p.pos, notes whether
// the name comes after the previous member's of object f, and pushes the
// member; its value follows.
func (p *parser) member(f *frame) error {
	if !p.at('"') {
		return p.unexpected("a member name")
	}
	m := member{start: p.mark()}
	at, class := p.pos, noEscapes
	if i := plainRun(p.src, p.pos+1); i < len(p.src) && p.src[i] == '"' {
		p.pos = i + 1
	} else {
		var err error
		if class, err = p.unescape(i); err != nil {
			return err
		}
	}
	if class == noEscapes {
		m.nameStart, m.nameEnd = int32(at+1), int32(p.pos-1)
	} else {
		m.escaped, m.nameStart = true, int32(len(p.names))
		p.names = append(p.names, p.esc...)
		m.nameEnd = int32(len(p.names))
	}
	if f.sorted && p.nmembers > int(f.base) {
		switch c := compareNames(p.name(&p.members[p.nmembers-1]), p.name(&m)); {
		case c == 0:
			return p.fail(at, "duplicate member name "+strconv.Quote(string(p.name(&m))))
		case c > 0:
			f.sorted = false
		}
	}
	p.putString(at, class)
	if !p.at(':') {
		return p.unexpected("':'")
	}
	p.pos++
	p.put(':')
	p.push(m)
	return nil
}

// pushFrame pushes f on the stack of open containers and returns it
// there.
func (p *parser) pushFrame(f frame) *frame {
	if p.depth == len(p.frames) {
		p.frames = append(p.frames, make([]frame, max(8, len(p.frames)))...)
	}
	p.frames[p.depth] = f
	p.depth++
	return &p.frames[p.depth-1]
}

func (p *parser) push(m member) {
	if p.nmembers == len(p.members) {
		p.members = append(p.members, make([]member, max(16, len(p.members)))...)
	}
	p.members[p.nmembers] = m
	p.nmembers++
}

// materialize ends the lazy phase: the input up to upTo is the output.
func (p *parser) materialize(upTo int) {
	if p.lazy {
		p.out = p.begin(upTo)
	}
}

// begin ends the lazy phase and returns the output with the input up to
// upTo in it; the caller stores it in p.out. Canonicalize's output is new;
// its size is usually the input's or less (spaces and escapes removed,
// members reordered).
func (p *parser) begin(upTo int) []byte {
	p.lazy = false
	if p.outSet {
		return append(p.out, p.src[:upTo]...)
	}
	p.outSet = true
	// make and copy in one statement pair, which the compiler turns into
	// an allocation that does not zero what it copies over.
	src := p.src
	out := make([]byte, len(src))
	copy(out, src)
	return out[:upTo]
}

// mark returns the current offset in the output.
func (p *parser) mark() int32 {
	if p.lazy {
		return int32(p.pos)
	}
	return int32(len(p.out) - p.base)
}

func (p *parser) put(c byte) {
	if !p.lazy {
		p.out = append(p.out, c)
	}
}

// putRaw writes src[start:p.pos], a token that is canonical as written.
func (p *parser) putRaw(start int) {
	if !p.lazy {
		p.appendRaw(start)
	}
}

// appendRaw is putRaw's append, out of line so that the lazy path's
// putRaw and putString are inlined.
//
//go:noinline
func (p *parser) appendRaw(start int) { p.out = append(p.out, p.src[start:p.pos]...) }

// at skips whitespace and reports whether c is next. It is inlined and
// its first check is all canonical input, which has no whitespace, needs.
func (p *parser) at(c byte) bool {
	return uint(p.pos) < uint(len(p.src)) && p.src[p.pos] == c || p.skipSpace() == c
}

// peek skips whitespace and returns the byte at p.pos, or 0 at the end.
// The hot loop of run does the same in line, as peek is not inlined.
func (p *parser) peek() byte {
	if p.pos < len(p.src) && p.src[p.pos] > ' ' {
		return p.src[p.pos]
	}
	return p.skipSpace()
}

// skipSpace skips whitespace and returns the byte at p.pos, or 0 at the
// end of the input (or at a NUL byte, which is valid nowhere there).
//
//go:noinline
func (p *parser) skipSpace() byte {
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t' || p.src[i] == '\n' || p.src[i] == '\r') {
		i++
	}
	if i > p.pos {
		p.materialize(p.pos)
		p.pos = i
	}
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// unexpected refuses what is at p.pos, where want was expected.
func (p *parser) unexpected(want string) error {
	if p.pos >= len(p.src) {
		return p.fail(p.pos, "unexpected end of input; expected "+want)
	}
	return p.fail(p.pos, "unexpected "+describe(p.src[p.pos])+"; expected "+want)
}

func describe(c byte) string {
	if c < utf8.RuneSelf {
		return "character " + strconv.QuoteRune(rune(c))
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

func (p *parser) literal(lit string) error {
	if end := p.pos + len(lit); end > len(p.src) || string(p.src[p.pos:end]) != lit {
		return p.unexpected("a JSON value")
	}
	start := p.pos
	p.pos += len(lit)
	p.putRaw(start)
	return nil
}

// reorder puts the members ms of the object whose '{' is at offset open
// of the output in order of their names, or refuses a duplicate name.
// p.pos is at the object's '}'. Every member keeps its length, so the
// offsets of the enclosing object's members stay right.
func (p *parser) reorder(ms []member, open int32) error {
	// The order is sorted as indexes into ms, and the usual few names are
	// kept in an array on the stack: values with pointers stored in a
	// slice would each cost a write barrier while the collector runs.
	var fewIdx [8]int32
	var fewNames [8][]byte
	idx := fewIdx[:0]
	if len(ms) > len(fewIdx) {
		idx = make([]int32, 0, len(ms))
	}
	for i := range ms {
		idx = append(idx, int32(i))
	}
	if len(ms) > len(fewNames) {
		slices.SortFunc(idx, func(a, b int32) int { return compareNames(p.name(&ms[a]), p.name(&ms[b])) })
		for i := 1; i < len(idx); i++ {
			if compareNames(p.name(&ms[idx[i-1]]), p.name(&ms[idx[i]])) == 0 {
				return p.fail(p.pos, "duplicate member name "+strconv.Quote(string(p.name(&ms[idx[i]]))))
			}
		}
	} else {
		for i := range ms {
			fewNames[i] = p.name(&ms[i])
		}
		for i := 1; i < len(idx); i++ { // by insertion, without a closure
			m := idx[i]
			j := i
			for ; j > 0; j-- {
				c := compareNames(fewNames[idx[j-1]], fewNames[m])
				if c == 0 { // equal names end up side by side
					return p.fail(p.pos, "duplicate member name "+strconv.Quote(string(fewNames[m])))
				}
				if c < 0 {
					break
				}
				idx[j] = idx[j-1]
			}
			idx[j] = m
		}
	}
	// The members' bytes are in src while lazy, in out otherwise: copy
	// them in order after the '{'. Member i ends one byte before member
	// i+1 starts, at the ',', and the last where the '}' is.
	closing := p.mark()
	from, off := p.src, 0
	var out []byte // a local, so that appending stores no pointer through p
	if p.lazy {
		out = p.begin(int(open) + 1)
	} else {
		p.tmp = append(p.tmp[:0], p.out[p.base+int(open)+1:]...)
		out = p.out[:p.base+int(open)+1]
		from, off = p.tmp, int(open)+1
	}
	for n, i := range idx {
		if n > 0 {
			out = append(out, ',')
		}
		end := closing
		if int(i)+1 < len(ms) {
			end = ms[i+1].start - 1
		}
		out = append(out, from[int(ms[i].start)-off:int(end)-off]...)
	}
	p.out = out
	return nil
}

// How a string is written in the input.
const (
	noEscapes        = iota // its value is its bytes, and canonical
	canonicalEscapes        // each escape as RFC 8785 writes it: canonical too
	otherEscapes            // some escape RFC 8785 writes otherwise
)

// putString writes the string that starts at start and was just parsed.
// While lazy, a string written canonically needs nothing.
func (p *parser) putString(start, class int) {
	if !p.lazy || class == otherEscapes {
		p.writeString(start, class)
	}
}

// writeString is putString's writing, out of line so that putString is
// inlined.
func (p *parser) writeString(start, class int) {
	if class != otherEscapes {
		p.out = append(p.out, p.src[start:p.pos]...)
		return
	}
	p.materialize(start)
	p.out = appendString(p.out, p.esc)
}

// The strings of a text are parsed where they occur, in run (values) and
// member (names): a string starts at p.pos; plainRun finds the usual one,
// without escapes, and if something else comes before its closing '"'
// at i, unescape reads the rest.

// unescape parses the rest, from src[i] on, of the JSON string that starts
// at p.pos and says how it is written. It unescapes the string into p.esc
// (valid until the next call). Inside a string, only the escapes, '"' and
// bytes that are not valid UTF-8 or are control characters differ from
// their value: a string whose escapes are all canonical is canonical.
func (p *parser) unescape(i int) (int, error) {
	src := p.src
	p.esc = append(p.esc[:0], src[p.pos+1:i]...)
	class := canonicalEscapes
	for {
		switch {
		case i >= len(src):
			return 0, p.fail(p.pos, "unterminated string")
		case src[i] == '"':
			p.pos = i + 1
			return class, nil
		case src[i] < 0x20:
			return 0, p.fail(i, "control character in a string")
		case src[i] != '\\':
			return 0, p.fail(i, "string is not valid UTF-8")
		}
		if i+1 >= len(src) {
			return 0, p.fail(p.pos, "unterminated string")
		}
		switch e := src[i+1]; e {
		case '"', '\\':
			p.esc = append(p.esc, e)
		case '/':
			p.esc = append(p.esc, '/')
			class = otherEscapes
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
			r, ok := hex4(src, i+2)
			if !ok {
				return 0, p.fail(i, "bad \\u escape")
			}
			// RFC 8785 writes \u00xx, in lowercase, only for the
			// control characters without a short escape.
			if r >= 0x20 || shortEscape[r] != 0 || (src[i+5] >= 'A' && src[i+5] <= 'F') {
				class = otherEscapes
			}
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if r < 0xDC00 && i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
					r2, ok = hex4(src, i+8)
				}
				if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
					return 0, p.fail(i, "lone surrogate in a string")
				}
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			p.esc = utf8.AppendRune(p.esc, r)
			i += 6
			j := plainRun(src, i)
			p.esc = append(p.esc, src[i:j]...)
			i = j
			continue
		default:
			return 0, p.fail(i, "bad escape \\"+string(rune(e)))
		}
		i += 2
		j := plainRun(src, i)
		p.esc = append(p.esc, src[i:j]...)
		i = j
	}
}

// hex4 reads the four hexadecimal digits at src[i:].
func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
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
	return r, true
}

// number parses a JSON number (RFC 8259 grammar) and writes its canonical
// form.
func (p *parser) number() error {
	src, start := p.src, p.pos
	i := start
	if src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && src[i] >= '1' && src[i] <= '9':
		i = digits(src, i+1)
	default:
		return p.fail(i, "bad number: no digits")
	}
	integer := true
	if i < len(src) && src[i] == '.' {
		integer = false
		j := digits(src, i+1)
		if j == i+1 {
			return p.fail(j, "bad number: no digits after '.'")
		}
		i = j
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		integer = false
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		j := digits(src, i)
		if j == i {
			return p.fail(j, "bad number: no digits in the exponent")
		}
		i = j
	}
	p.pos = i
	lit := src[start:i]
	if !p.lazy {
		out, err := appendNumber(p.out, lit, integer, start)
		p.out = out
		return err
	}
	if integer && len(lit) <= 15 && string(lit) != "-0" {
		return nil // as appendNumber writes it
	}
	var buf [32]byte
	out, err := appendNumber(buf[:0], lit, integer, start)
	if err != nil || string(out) == string(lit) {
		return err
	}
	p.materialize(start)
	p.out = append(p.out, out...)
	return nil
}

func digits(src []byte, i int) int {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	return i
}

// appendNumber appends the canonical form of the JSON number literal lit
// found at offset at (integer when it has neither fraction nor exponent),
// or refuses it.
func appendNumber(dst, lit []byte, integer bool, at int) ([]byte, error) {
	if integer && len(lit) <= 15 {
		// An integer of at most 15 digits is exact in a double and
		// ECMAScript prints it as written, except -0.
		if string(lit) == "-0" {
			lit = lit[1:]
		}
		return append(dst, lit...), nil
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return dst, &Error{Offset: at, Reason: "number out of the range of an IEEE-754 double"}
	}
	if integer && math.Abs(f) >= 1<<53 && !keepsDigits(lit, f) {
		return dst, &Error{Offset: at, inexact: true,
			Reason: "integer " + string(lit) + " cannot be held exactly in a double; write it as a string"}
	}
	return appendES6(dst, f), nil
}

// keepsDigits reports whether the integer literal lit is the shortest
// plain decimal of f, the double it is read as: whether a double keeps
// the digits written. Beyond 2^53, where doubles are no longer every
// integer, a literal that does not is refused rather than silently
// rounded (9007199254740993 would become 9007199254740992), and one that
// does is written with the same digits below 1e21.
func keepsDigits(lit []byte, f float64) bool {
	var buf [400]byte // a double below 2^1024 has at most 309 digits
	return string(strconv.AppendFloat(buf[:0], f, 'f', -1, 64)) == string(lit)
}

// appendES6 appends the finite f as ECMAScript's Number.prototype.toString
// prints it (ECMA-262 Number::toString, as RFC 8785 §3.2.2.3 requires):
// the shortest digits that round-trip, in plain notation from 1e-6 up to
// 1e21 and in exponent notation ("1e+21", "1.5e-7") beyond. Go's shortest
// formatting gives the same digits and, but for the exponent's leading
// zero, the same exponent notation.
func appendES6(dst []byte, f float64) []byte {
	if f == 0 {
		return append(dst, '0') // also -0
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	// Go writes at least two exponent digits (1e-07), ECMAScript no more
	// than it needs (1e-7).
	if e := n + bytes.IndexByte(dst[n:], 'e'); dst[e+2] == '0' {
		dst = append(dst[:e+2], dst[e+3:]...)
	}
	return dst
}
