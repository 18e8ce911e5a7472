package catalog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a streaming tokenizer for the parts of an .xlsx file. It
// is written here rather than taken from encoding/xml for three reasons:
//
//   - speed: encoding/xml's Token allocated for every element and
//     attribute and was 43 % of an import's CPU time; this scanner
//     allocates nothing per element (BenchmarkImportXLSX1M in
//     docs/benchmarks.md);
//   - recovery: after a syntax error encoding/xml returns the same error
//     for ever, so one stray "<" in one cell lost the rest of the sheet;
//     this scanner reports the error where it happened and can resume at
//     the next row (resync);
//   - bounds: character data is collected only where the caller asks and
//     up to a limit, and a tag is at most maxTagBytes.
//
// It checks what the rows depend on: names, attribute syntax, matching
// end tags, entity and character references, UTF-8 and the characters
// XML 1.0 allows (§2.2). A document type declaration is refused, as the
// Open Packaging Conventions require of a package reader (ECMA-376 Part 2,
// rule M1.18: "shall treat the presence of DTD declarations as an
// error"), so no entity can be declared, let alone expanded.
type xmlScanner struct {
	br *bufio.Reader
	// collect makes next gather the character data (text and CDATA)
	// before each tag into text, decoded; the caller clears text.
	collect bool
	text    []byte
	// textProblem describes the first thing wrong in the collected text
	// (an unknown entity, a character XML does not allow, bytes that are
	// not UTF-8); the caller clears it with text. The text beyond the
	// problem is still collected.
	textProblem *problem
	maxText     int  // most raw bytes of collected character data
	textOver    bool // the character data went beyond maxText

	// The current tag: qname and local name, whether it is empty
	// (<c/>), and its attributes as spans of tag.
	tag   []byte
	qname []byte
	local []byte
	empty bool
	attrs []attrSpan

	// syntax describes a syntax error at the current position; next
	// returns xmlBad with it set.
	syntax *problem
	// err is the reader's error (a limit, a damaged zip part); next
	// returns xmlEOF with it set and scanning ends.
	err error

	stack   []uint64 // hashes of the open elements' qnames; 0 matches any
	raw     []byte   // raw character data being collected
	scratch []byte   // a tag longer than the reader's buffer
}

// problem is what is wrong at a place of a file, in Chinese and English,
// and the code of its finding: CodeMalformed unless code says otherwise.
type problem struct{ zh, en, code string }

type attrSpan struct{ name, value [2]int }

type xmlKind uint8

const (
	xmlEOF   xmlKind = iota // the end of the part, or err
	xmlStart                // a start tag (empty says whether it closes too)
	xmlEnd                  // an end tag
	xmlBad                  // a syntax error, described by syntax
)

const (
	// maxTagBytes is the longest tag read. The tags of a worksheet are a
	// few dozen bytes.
	maxTagBytes = 1 << 20
	// maxDepth is the deepest nesting read; a worksheet nests 5 deep.
	maxDepth = 256
)

func newXMLScanner(r io.Reader, maxText int) *xmlScanner {
	return &xmlScanner{br: bufio.NewReaderSize(r, 64<<10), maxText: maxText}
}

func bad(zh, en string) *problem { return &problem{zh: zh, en: en} }

// next reads up to the next tag and returns its kind. Character data
// before it is collected when collect is set, and skipped otherwise;
// comments and processing instructions are skipped.
func (x *xmlScanner) next() xmlKind {
	for {
		if !x.readText() {
			return xmlEOF
		}
		k := x.readTag()
		if k == xmlKind(255) {
			continue // a comment, processing instruction or CDATA section
		}
		return k
	}
}

// readText reads up to and including the next "<"; false at the end of
// the part.
func (x *xmlScanner) readText() bool {
	if x.err != nil {
		return false
	}
	x.raw = x.raw[:0]
	for {
		seg, err := x.br.ReadSlice('<')
		if x.collect {
			body := seg
			if err == nil {
				body = seg[:len(seg)-1]
			}
			if len(x.raw)+len(body) > x.maxText {
				x.textOver = true
			} else {
				x.raw = append(x.raw, body...)
			}
		}
		switch {
		case err == nil:
			x.flushText()
			return true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			x.flushText()
			return false
		default:
			x.err = err
			return false
		}
	}
}

// flushText decodes the raw character data into text.
func (x *xmlScanner) flushText() {
	if len(x.raw) == 0 {
		return
	}
	var p *problem
	x.text, p = decodeXMLText(x.text, x.raw, true)
	if p != nil && x.textProblem == nil {
		x.textProblem = p
	}
	x.raw = x.raw[:0]
}

// readTag reads a tag after its "<". It returns 255 for markup that is
// not a tag.
func (x *xmlScanner) readTag() xmlKind {
	c, err := x.br.ReadByte()
	if err != nil {
		return x.eofInTag(err)
	}
	switch c {
	case '/':
		if !x.readTagBody(false, "</") {
			return x.eofInTag(nil)
		}
		name := x.tag[:len(x.tag)-1]
		for len(name) > 0 && isXMLSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		if !validName(name) {
			x.syntax = bad("结束标签“</"+clip(name)+">”不合XML语法", "malformed end tag </"+clip(name)+">")
			return xmlBad
		}
		x.setName(name)
		x.empty = false
		if len(x.stack) == 0 {
			x.syntax = bad("多余的结束标签</"+clip(name)+">", "end tag </"+clip(name)+"> closes nothing")
			return xmlBad
		}
		top := x.stack[len(x.stack)-1]
		x.stack = x.stack[:len(x.stack)-1]
		if top != 0 && top != hashName(name) {
			x.syntax = bad("结束标签</"+clip(name)+">与开始标签不匹配", "end tag </"+clip(name)+"> does not match its start tag")
			return xmlBad
		}
		return xmlEnd
	case '?':
		if !x.skipUntil("?>") {
			return x.eofInTag(nil)
		}
		return 255
	case '!':
		return x.readBang()
	}
	if err := x.br.UnreadByte(); err != nil {
		x.err = err
		return xmlEOF
	}
	if !x.readTagBody(true, "<") {
		return x.eofInTag(nil)
	}
	body := x.tag[:len(x.tag)-1]
	x.empty = len(body) > 0 && body[len(body)-1] == '/'
	if x.empty {
		body = body[:len(body)-1]
	}
	i := 0
	for i < len(body) && !isXMLSpace(body[i]) {
		i++
	}
	if !validName(body[:i]) {
		x.syntax = bad("“<"+clip(body)+"”不是XML标签（单元格中未转义的“<”？）",
			"<"+clip(body)+" is not an XML tag (an unescaped \"<\" in a cell?)")
		return xmlBad
	}
	x.setName(body[:i])
	if p := x.parseAttrs(body, i); p != nil {
		x.syntax = p
		return xmlBad
	}
	if !x.empty {
		if len(x.stack) >= maxDepth {
			x.syntax = bad("元素嵌套超过"+strconv.Itoa(maxDepth)+"层", "elements nested deeper than "+strconv.Itoa(maxDepth))
			return xmlBad
		}
		x.stack = append(x.stack, hashName(x.qname))
	}
	return xmlStart
}

func (x *xmlScanner) eofInTag(err error) xmlKind {
	if err != nil && !errors.Is(err, io.EOF) {
		x.err = err
		return xmlEOF
	}
	if x.err != nil {
		return xmlEOF
	}
	if x.syntax != nil {
		return xmlBad
	}
	x.syntax = bad("XML在标签中间结束", "the XML ends inside a tag")
	return xmlBad
}

// readBang reads markup that starts with "<!": a comment, a CDATA section
// (collected as text) or a document type declaration (refused).
func (x *xmlScanner) readBang() xmlKind {
	head, err := x.br.Peek(2)
	if err == nil && string(head) == "--" {
		_, _ = x.br.Discard(2)
		if !x.skipUntil("-->") {
			return x.eofInTag(nil)
		}
		return 255
	}
	head, err = x.br.Peek(7)
	if err == nil && string(head) == "[CDATA[" {
		_, _ = x.br.Discard(7)
		if !x.readCDATA() {
			return x.eofInTag(nil)
		}
		return 255
	}
	x.syntax = bad("文件含有文档类型声明（DOCTYPE），Office文件不允许", "a document type declaration, which Office files may not have")
	return xmlBad
}

// readCDATA reads a CDATA section's content after "<![CDATA[", into text
// when collecting.
func (x *xmlScanner) readCDATA() bool {
	x.raw = x.raw[:0]
	for {
		seg, err := x.br.ReadSlice('>')
		if x.collect {
			if len(x.raw)+len(seg) > x.maxText {
				x.textOver = true
			} else {
				x.raw = append(x.raw, seg...)
			}
		} else {
			// Keep only what can end the section.
			x.raw = append(x.raw[:0], seg[max(0, len(seg)-3):]...)
		}
		switch {
		case err == nil && bytes.HasSuffix(x.raw, []byte("]]>")):
			if x.collect {
				var p *problem
				x.text, p = decodeXMLText(x.text, x.raw[:len(x.raw)-3], false)
				if p != nil && x.textProblem == nil {
					x.textProblem = p
				}
			}
			x.raw = x.raw[:0]
			return true
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return false
		default:
			x.err = err
			return false
		}
	}
}

// skipUntil skips up to and including end.
func (x *xmlScanner) skipUntil(end string) bool {
	last := end[len(end)-1]
	var tail []byte
	for {
		seg, err := x.br.ReadSlice(last)
		tail = append(tail, seg[max(0, len(seg)-len(end)):]...)
		if len(tail) > len(end) {
			tail = tail[len(tail)-len(end):]
		}
		switch {
		case err == nil && string(tail) == end:
			return true
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return false
		default:
			x.err = err
			return false
		}
	}
}

// readTagBody reads the rest of a tag up to and including its ">" into
// tag; in a start tag (quotes), a ">" inside an attribute value does not
// end it. A "<" before the end — the usual damage, an unescaped "<" in a
// cell — is a syntax error left unread, so that resync finds the next row
// even when it starts right there; so is a tag longer than maxTagBytes.
// It returns false on a syntax error or at the end of the part. lead is
// what came before the body ("<" or "</"), for the message.
func (x *xmlScanner) readTagBody(quotes bool, lead string) bool {
	x.scratch = x.scratch[:0]
	var q byte
	for {
		if x.br.Buffered() == 0 {
			if _, err := x.br.Peek(1); err != nil {
				if !errors.Is(err, io.EOF) {
					x.err = err
				}
				return false
			}
		}
		buf, _ := x.br.Peek(x.br.Buffered())
		for i, c := range buf {
			switch {
			case c == '<':
				x.scratch = append(x.scratch, buf[:i]...)
				_, _ = x.br.Discard(i)
				x.syntax = bad("“"+lead+clip(x.scratch)+"”不是XML标签（单元格中未转义的“<”？）",
					lead+clip(x.scratch)+" is not an XML tag (an unescaped \"<\" in a cell?)")
				return false
			case q != 0:
				if c == q {
					q = 0
				}
			case quotes && (c == '"' || c == '\''):
				q = c
			case c == '>':
				x.scratch = append(x.scratch, buf[:i+1]...)
				_, _ = x.br.Discard(i + 1)
				x.tag = x.scratch
				return true
			}
		}
		if len(x.scratch)+len(buf) > maxTagBytes {
			x.syntax = bad("标签超过"+strconv.Itoa(maxTagBytes)+"字节", "a tag longer than "+strconv.Itoa(maxTagBytes)+" bytes")
			return false
		}
		x.scratch = append(x.scratch, buf...)
		_, _ = x.br.Discard(len(buf))
	}
}

func (x *xmlScanner) setName(q []byte) {
	x.qname = q
	x.local = q
	if i := bytes.LastIndexByte(q, ':'); i >= 0 {
		x.local = q[i+1:]
	}
}

// parseAttrs checks the attributes of a start tag body after its name and
// records their spans.
func (x *xmlScanner) parseAttrs(body []byte, i int) *problem {
	x.attrs = x.attrs[:0]
	for {
		start := i
		for i < len(body) && isXMLSpace(body[i]) {
			i++
		}
		if i == len(body) {
			return nil
		}
		if i == start {
			return bad("标签“<"+clip(body)+"”的属性不合XML语法", "malformed attributes in <"+clip(body)+">")
		}
		n0 := i
		for i < len(body) && body[i] != '=' && !isXMLSpace(body[i]) {
			i++
		}
		n1 := i
		for i < len(body) && isXMLSpace(body[i]) {
			i++
		}
		if n1 == n0 || !validName(body[n0:n1]) || i >= len(body) || body[i] != '=' {
			return bad("标签“<"+clip(body)+"”的属性不合XML语法", "malformed attributes in <"+clip(body)+">")
		}
		i++
		for i < len(body) && isXMLSpace(body[i]) {
			i++
		}
		if i >= len(body) || (body[i] != '"' && body[i] != '\'') {
			return bad("标签“<"+clip(body)+"”的属性值缺少引号", "an attribute value without quotes in <"+clip(body)+">")
		}
		q := body[i]
		v0 := i + 1
		j := bytes.IndexByte(body[v0:], q)
		if j < 0 {
			return bad("标签“<"+clip(body)+"”的属性值缺少引号", "an attribute value without quotes in <"+clip(body)+">")
		}
		if bytes.IndexByte(body[v0:v0+j], '<') >= 0 {
			return bad("属性值中有未转义的“<”", "an unescaped \"<\" in an attribute value")
		}
		x.attrs = append(x.attrs, attrSpan{name: [2]int{n0, n1}, value: [2]int{v0, v0 + j}})
		i = v0 + j + 1
	}
}

// attr returns the raw value of the current start tag's attribute of local
// name name (any prefix), and whether there is one.
func (x *xmlScanner) attr(name string) ([]byte, bool) {
	for _, a := range x.attrs {
		n := x.tag[a.name[0]:a.name[1]]
		if i := bytes.LastIndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		if string(n) == name {
			return x.tag[a.value[0]:a.value[1]], true
		}
	}
	return nil, false
}

// attrText returns an attribute's value decoded, or a problem.
func (x *xmlScanner) attrText(name string) (string, bool, *problem) {
	v, ok := x.attr(name)
	if !ok {
		return "", false, nil
	}
	if bytes.IndexByte(v, '&') < 0 && utf8.Valid(v) {
		return string(v), true, nil
	}
	out, p := decodeXMLText(nil, v, true)
	return string(out), true, p
}

// resync skips the raw bytes up to the next start tag of one of the local
// names, or the end tag of end, after a syntax error: the structure
// before it cannot be trusted. It returns the name found (empty at the
// end of the part); the open elements above it are unknown.
func (x *xmlScanner) resync(end string, names ...string) string {
	x.syntax = nil
	x.raw = x.raw[:0]
	for {
		if _, err := x.br.ReadSlice('<'); err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if !errors.Is(err, io.EOF) {
				x.err = err
			}
			return ""
		}
		head, _ := x.br.Peek(64)
		closing := len(head) > 0 && head[0] == '/'
		if closing {
			head = head[1:]
		}
		n := 0
		for n < len(head) && !isXMLSpace(head[n]) && head[n] != '/' && head[n] != '>' {
			n++
		}
		if n == len(head) {
			continue
		}
		q := head[:n]
		local := q
		if i := bytes.LastIndexByte(q, ':'); i >= 0 {
			local = q[i+1:]
		}
		found := ""
		if closing && string(local) == end {
			found = "/" + end
		}
		for _, name := range names {
			if !closing && string(local) == name {
				found = name
			}
		}
		if found == "" {
			continue
		}
		// Two unknown ancestors: the row's sheetData and worksheet.
		x.stack = append(x.stack[:0], 0, 0)
		if k := x.readTag(); k != xmlStart && k != xmlEnd {
			x.syntax = nil
			if x.err != nil {
				return ""
			}
			continue
		}
		return found
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// validName is a loose check of an XML name: not empty, and none of the
// characters that cannot be in one.
func validName(b []byte) bool {
	if len(b) == 0 || b[0] == '-' || b[0] == '.' || (b[0] >= '0' && b[0] <= '9') {
		return false
	}
	for _, c := range b {
		switch c {
		case '<', '>', '&', '"', '\'', '=', '/', ' ', '\t', '\r', '\n', '!', '?', '(', ')', ',', ';':
			return false
		}
	}
	return true
}

// hashName is FNV-1a of a qualified name, for matching end tags; 0 is kept
// for "unknown".
func hashName(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h | 1
}

// clip shortens a piece of markup for a message.
func clip(b []byte) string {
	const n = 24
	s := b
	if len(s) > n {
		s = s[:n]
		for len(s) > 0 && !utf8.Valid(s) {
			s = s[:len(s)-1]
		}
		return string(bytes.ToValidUTF8(s, nil)) + "…"
	}
	return string(bytes.ToValidUTF8(s, []byte("\uFFFD")))
}

// decodeXMLText appends raw character data to dst with its line ends
// normalised ("\r\n" and "\r" to "\n", XML 1.0 §2.11) and, when refs is set
// (not in a CDATA section), its entity and character references
// replaced. It reports the first
// problem: an unknown or malformed reference, a character XML does not
// allow (§2.2: no C0 control but tab, line feed and carriage return; no
// surrogate, U+FFFE or U+FFFF), bytes that are not UTF-8. A problem's
// bytes are left out.
func decodeXMLText(dst, raw []byte, refs bool) ([]byte, *problem) {
	// Fast path: printable ASCII without references or carriage returns.
	simple := true
	for _, c := range raw {
		if c < 0x20 || c >= 0x80 || c == '&' && refs {
			if c != '\n' && c != '\t' {
				simple = false
				break
			}
		}
	}
	if simple {
		return append(dst, raw...), nil
	}
	var first *problem
	note := func(p *problem) {
		if first == nil {
			first = p
		}
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&' && refs:
			j := bytes.IndexByte(raw[i:min(len(raw), i+16)], ';')
			if j < 0 {
				note(bad("“&”之后不是实体或字符引用", "\"&\" not followed by an entity or character reference"))
				i++
				continue
			}
			ref := raw[i+1 : i+j]
			i += j + 1
			if r, ok := entity(ref); ok {
				dst = append(dst, r)
				continue
			}
			r, ok := charRef(ref)
			if !ok {
				note(bad("无法识别的实体“&"+clip(ref)+";”", "unknown entity &"+clip(ref)+";"))
				continue
			}
			if !xmlChar(r) {
				note(bad("字符引用“&"+clip(ref)+";”是XML不允许的字符"+runeName(r), "character reference &"+clip(ref)+"; is "+runeName(r)+", which XML does not allow"))
				continue
			}
			dst = utf8.AppendRune(dst, r)
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c < utf8.RuneSelf:
			if !xmlChar(rune(c)) {
				note(bad("含有XML不允许的字符"+runeName(rune(c)), "holds "+runeName(rune(c))+", which XML does not allow"))
			} else {
				dst = append(dst, c)
			}
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				note(bad("含有不是UTF-8编码的字节", "holds bytes that are not UTF-8"))
			case !xmlChar(r):
				note(bad("含有XML不允许的字符"+runeName(r), "holds "+runeName(r)+", which XML does not allow"))
			default:
				dst = append(dst, raw[i:i+n]...)
			}
			i += n
		}
	}
	return dst, first
}

func entity(ref []byte) (byte, bool) {
	switch string(ref) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	return 0, false
}

func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// xmlChar reports whether XML 1.0 allows r (§2.2 Char).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func runeName(r rune) string { return fmt.Sprintf("U+%04X", r) }
