package catalog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govshare/govshare"
)

// utf8BOM starts the CSV files ExportCSV writes, so that spreadsheet
// programs on Chinese systems read them as UTF-8.
var utf8BOM = []byte("\xEF\xBB\xBF")

// ImportCSV reads a catalog from CSV: one row per data item, the 目录
// columns first and then the 数据项 columns (the item's share attribute is
// headed 数据项共享属性). An entry's columns are read from its first row;
// later rows of the same 目录代码 may repeat them or leave them empty, and
// must not contradict them. A row with no item column filled is an entry
// without that item. The provider's Level is derived from its 行政区划代码.
// A field that ExportCSV protected against formula injection (a leading
// "'" before =, +, -, @, tab or carriage return) is read without it.
//
// The encoding is UTF-8 (with or without BOM) or GB18030, as spreadsheet
// programs on Chinese systems save it: without a BOM, the rows are read
// in the encoding of the header row (the first row that is not ASCII
// decides before it). A later row in the other encoding — a file pasted
// together from two — is not imported, and a finding names it
// (CodeMalformed); a cell holding a control character is not imported
// either ("catalog.control_character").
//
// err is non-nil only when r cannot be read (ErrUnreadable), when the file
// goes beyond a limit (Limits, WithLimits: *LimitError,
// govshare.ErrTooLarge), when an option cannot be used
// (govshare.ErrInvalid) or when ctx is done, checked between reads and
// between rows (ctx.Err()); every problem in the content is a finding
// whose Path is the cell ("F12"), in row and column order, including
// every finding of Validate on every entry. The file is streamed: only
// the current row's cells of the template's columns are held.
func ImportCSV(ctx context.Context, r io.Reader, opts ...Option) ([]Entry, []govshare.Finding, error) {
	im, err := newImporter(ctx, "csv", opts)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	rr := newCSVRows(uploadReader(ctx, "csv", r, im.lim), im.lim, im.in)
	if err := im.rows(csvLayout, rr, nil, im.csvRow); err != nil {
		return nil, nil, readFailed(ctx, "csv", err)
	}
	return im.finish("")
}

// csvEncoding is how the rows of a CSV file are decoded.
type csvEncoding uint8

const (
	encUndecided csvEncoding = iota // ASCII so far
	encUTF8
	encGB18030
)

// csvRows reads the records of a CSV file as encoding/csv does (RFC 4180
// with its leniencies: "\r\n" read as "\n", empty lines skipped, no
// leading-space trimming), numbered from 1 as a spreadsheet program shows
// them. It is written here rather than taken from encoding/csv because
// that reader holds a whole record, however long, before returning it;
// this one keeps only the fields of the template's columns, each up to
// 4 × CellChars bytes, so that a single row cannot exhaust memory. A fuzz
// test compares the two (FuzzCSVReader).
type csvRows struct {
	br    *bufio.Reader
	lim   Limits
	in    *interner
	cells int64

	keepAll bool
	keep    []bool
	row     sheetRow
	n       int

	enc   csvEncoding
	fixed bool // a BOM fixed the encoding, or the header row did
	gb    *encoding.Decoder

	// The record being read: the raw bytes of the kept fields.
	raw     []byte
	ends    []int  // end of each kept field in raw
	cols    []int  // its 0-based column
	cut     []bool // kept in part (before the header)
	field   int    // bytes of the current field
	col     int    // its column
	blank   bool   // the current field not kept is blank so far
	started bool   // a byte of the record was read

	stopRow int
	stop    *problem
	err     error
}

func newCSVRows(r io.Reader, lim Limits, in *interner) *csvRows {
	c := &csvRows{br: bufio.NewReaderSize(r, 64<<10), lim: lim, in: in, keepAll: true, gb: simplifiedchinese.GB18030.NewDecoder()}
	if b, err := c.br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = c.br.Discard(len(utf8BOM))
		c.enc, c.fixed = encUTF8, true
	}
	return c
}

func (c *csvRows) setKeep(fileCols []int) {
	c.keepAll = false
	c.keep = c.keep[:0]
	for _, j := range fileCols {
		c.keep = append(c.keep, j >= 0)
	}
	if !c.fixed {
		c.fixed = true
		if c.enc == encUndecided {
			c.enc = encUTF8
		}
	}
}

func (c *csvRows) problem() (int, *problem) { return c.stopRow, c.stop }
func (c *csvRows) fatal() error             { return c.err }

var (
	errBareQuote = bad("非引号字段中有引号“\"”", `bare " in non-quoted-field`)
	errQuote     = bad("引号字段中的引号多余或缺失", `extraneous or missing " in quoted-field`)
)

func (c *csvRows) next() (*sheetRow, bool) {
	if c.stop != nil || c.err != nil {
		return nil, false
	}
	ok, p := c.readRecord()
	if c.err != nil || !ok && p == nil {
		return nil, false
	}
	c.n++
	if p != nil {
		c.stop, c.stopRow = bad("该行不符合CSV格式，其后的内容未读取："+p.zh, "the row is not valid CSV and the rest of the file was not read: "+p.en), c.n
		return nil, false
	}
	if c.n > maxRows {
		c.stop, c.stopRow = bad("文件超过1048576行，其后的内容未读取", "the file goes beyond row 1048576; the rest was not read"), maxRows
		return nil, false
	}
	if c.n > c.lim.Rows {
		c.err = &LimitError{Format: "csv", Limit: "Rows", Max: int64(c.lim.Rows), Value: int64(c.n), reading: true}
		return nil, false
	}
	c.decodeRow()
	if c.err != nil {
		return nil, false
	}
	return &c.row, true
}

// readRecord reads one record's fields into raw. It returns false at the
// end of the file, and the problem of a record that is not valid CSV.
func (c *csvRows) readRecord() (bool, *problem) {
	c.raw, c.ends, c.cols, c.cut = c.raw[:0], c.ends[:0], c.cols[:0], c.cut[:0]
	c.row.more, c.started = false, false
	c.col = -1
	c.startField()
	quoted := false
	for {
		if quoted {
			// Up to the next quote or carriage return.
			if !c.run(`"` + "\r") {
				if c.err != nil {
					return false, nil
				}
				return true, errQuote
			}
		} else if !c.run(",\n\r\"") {
			if c.err != nil {
				return false, nil
			}
			if !c.started {
				return false, nil
			}
			c.endField()
			return true, nil
		}
		b, _ := c.br.ReadByte()
		switch {
		case b == '\r':
			nb, err := c.br.Peek(1)
			switch {
			case err == nil && nb[0] == '\n':
				_, _ = c.br.Discard(1)
				if quoted {
					c.data('\n')
					continue
				}
				if !c.started {
					continue // an empty line
				}
				c.endField()
				return true, nil
			case err != nil:
				// A carriage return before the end of the file is dropped.
				if c.isEOF(err) != nil {
					return false, nil
				}
				if quoted {
					return true, errQuote
				}
				if !c.started {
					return false, nil
				}
				c.endField()
				return true, nil
			}
			c.data('\r')
		case quoted && b == '"':
			nb, err := c.br.Peek(1)
			if err != nil {
				if c.isEOF(err) != nil {
					return false, nil
				}
				c.endField()
				return true, nil
			}
			switch nb[0] {
			case '"':
				_, _ = c.br.Discard(1)
				c.data('"')
			case ',':
				_, _ = c.br.Discard(1)
				quoted = false
				c.endField()
				c.startField()
			case '\n':
				_, _ = c.br.Discard(1)
				c.endField()
				return true, nil
			case '\r':
				if nb2, err := c.br.Peek(2); err == nil && nb2[1] != '\n' {
					return true, errQuote
				} else if err != nil && c.isEOF(err) != nil {
					return false, nil
				}
				_, _ = c.br.Discard(min(2, c.br.Buffered()))
				c.endField()
				return true, nil
			default:
				return true, errQuote
			}
		case b == '"':
			if c.field > 0 {
				return true, errBareQuote // a quote may open a field only at its start
			}
			quoted = true
			c.started = true
		case b == ',':
			c.started = true
			c.endField()
			c.startField()
		case b == '\n':
			if !c.started {
				continue // an empty line
			}
			c.endField()
			return true, nil
		}
	}
}

// isEOF turns a read error other than the end of the file into c.err.
func (c *csvRows) isEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	c.err = err
	return err
}

// run appends the bytes before the next of stops to the current field and
// leaves that byte unread; false at the end of the file or on an error.
func (c *csvRows) run(stops string) bool {
	for {
		if c.br.Buffered() == 0 {
			if _, err := c.br.Peek(1); err != nil {
				c.isEOF(err)
				return false
			}
		}
		buf, _ := c.br.Peek(c.br.Buffered())
		i := bytes.IndexAny(buf, stops)
		if i < 0 {
			i = len(buf)
		}
		if i > 0 {
			c.started = true
			c.appendField(buf[:i])
			_, _ = c.br.Discard(i)
			if c.err != nil {
				return false
			}
		}
		if i < len(buf) {
			return true
		}
	}
}

func (c *csvRows) data(b byte) {
	c.started = true
	c.appendField([]byte{b})
}

func (c *csvRows) startField() {
	c.col++
	c.field, c.blank = 0, true
	c.cells++
	if c.cells > c.lim.Cells {
		c.err = &LimitError{Format: "csv", Limit: "Cells", Max: c.lim.Cells, Value: c.cells, reading: true}
	}
}

func (c *csvRows) kept() bool {
	if c.keepAll {
		return c.col < maxCols
	}
	return c.col < len(c.keep) && c.keep[c.col]
}

func (c *csvRows) appendField(b []byte) {
	c.field += len(b)
	if c.field > 4*c.lim.CellChars {
		// Four bytes is the longest character of UTF-8 and GB18030.
		c.err = &LimitError{Format: "csv", Limit: "CellChars", Max: int64(c.lim.CellChars), Value: int64(c.lim.CellChars) + 1,
			Ref: columnName(c.col) + strconv.Itoa(c.n+1), reading: true}
		return
	}
	if !c.kept() {
		if c.blank && len(bytes.TrimFunc(b, isSpace)) > 0 {
			c.blank = false
		}
		return
	}
	if len(c.cols) == 0 || c.cols[len(c.cols)-1] != c.col {
		c.cols, c.ends, c.cut = append(c.cols, c.col), append(c.ends, len(c.raw)), append(c.cut, false)
	}
	if c.keepAll && c.field > maxKeptHeaderBytes {
		keep := maxKeptHeaderBytes + 4 - (c.field - len(b))
		c.cut[len(c.cut)-1] = true
		if keep <= 0 {
			return
		}
		b = b[:min(len(b), keep)]
	}
	c.raw = append(c.raw, b...)
	c.ends[len(c.ends)-1] = len(c.raw)
}

// endField notes a field not kept that is not blank (each of its pieces
// read trims to nothing with isSpace).
func (c *csvRows) endField() {
	if !c.kept() && !c.blank {
		c.row.more = true
	}
}

// decodeRow decodes the kept fields of the record into the row's cells in
// the file's encoding, and records what cannot be decoded.
func (c *csvRows) decodeRow() {
	r := &c.row
	r.n, r.cells, r.damage = c.n, r.cells[:0], r.damage[:0]
	field := func(k int) []byte {
		start := 0
		if k > 0 {
			start = c.ends[k-1]
		}
		return c.raw[start:c.ends[k]]
	}
	// The encoding of this row: the file's once decided, else its own.
	enc := c.enc
	high, valid := false, true
	for k := range c.ends {
		f := field(k)
		for _, b := range f {
			if b >= 0x80 {
				high = true
				break
			}
		}
		if !utf8.Valid(trimCut(f, c.cut[k])) {
			valid = false
		}
	}
	if !c.fixed {
		switch {
		case !high:
		case valid:
			enc = encUTF8
		default:
			enc = encGB18030
		}
		c.enc = enc
	}
	mixed := -1
	var mixedP *problem
	for k := range c.ends {
		f := field(k)
		var val []byte
		switch {
		case enc == encGB18030 && hasHigh(f):
			d, err := c.gb.Bytes(f)
			if c.cut[k] {
				d = trimCut(d, true)
			}
			if c.fixed && looksUTF8(f) {
				mixed, mixedP = k, bad("是UTF-8编码，而表头行是GB18030编码（文件由不同编码拼接而成？）", "UTF-8 in a file whose header row is GB18030 (pasted together from two files?)")
			} else if err != nil || bytes.ContainsRune(d, utf8.RuneError) && !bytes.Contains(f, gbReplacement) {
				mixed, mixedP = k, bad("不是有效的GB18030编码", "not valid GB18030")
			}
			val = d
		default:
			val = trimCut(f, c.cut[k])
			if !utf8.Valid(val) {
				mixed, mixedP = k, bad("不是UTF-8编码（可能是GBK/GB18030），而表头行是UTF-8编码", "not UTF-8 (GBK or GB18030?) in a file whose header row is UTF-8")
			}
		}
		if mixed >= 0 {
			r.damage = append(r.damage, damage{col: c.cols[mixed], lost: wholeRow, p: *mixedP})
			r.cells = r.cells[:0]
			return
		}
		val = unneutralize(val)
		if n := utf8.RuneCount(val); n > c.lim.CellChars {
			c.err = &LimitError{Format: "csv", Limit: "CellChars", Max: int64(c.lim.CellChars), Value: int64(n), Ref: columnName(c.cols[k]) + strconv.Itoa(c.n)}
			return
		}
		if ch, ok := controlChar(val); ok {
			r.damage = append(r.damage, damage{col: c.cols[k], lost: oneCell, p: *controlProblem(ch)})
			continue
		}
		for len(r.cells) < c.cols[k] {
			r.cells = append(r.cells, "")
		}
		r.cells = append(r.cells, c.in.str(val))
	}
}

// gbReplacement is U+FFFD in GB18030, which a file may hold as such.
var gbReplacement = []byte{0x84, 0x31, 0xA4, 0x37}

func hasHigh(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// trimCut drops the incomplete character at the end of a field kept in
// part.
func trimCut(b []byte, cut bool) []byte {
	if !cut {
		return b
	}
	for i := 0; i < 4 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return b
}

// looksUTF8 reports whether b, read in a GB18030 file, is UTF-8 instead:
// valid UTF-8 with at least two characters of three bytes (Chinese text),
// which GB18030 text of that length practically never is.
func looksUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if size >= 3 && r != utf8.RuneError {
			n++
		}
		b = b[size:]
	}
	return n >= 2
}

// The characters that make a spreadsheet program read a CSV field as a
// formula (OWASP, CSV Injection): =, +, -, @, tab and carriage return at
// its start.
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// neutralize protects a field against formula injection as OWASP
// advises, with a leading "'": a field that starts with a formula
// character, or with apostrophes and then one (so that unneutralize can
// tell the two apart and every field reads back exactly).
func neutralize(s string) string {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i < len(s) && formulaStart(s[i]) {
		return "'" + s
	}
	return s
}

// unneutralize reverses neutralize: one leading "'" is dropped from a
// field of apostrophes followed by a formula character.
func unneutralize(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] == '\'' {
		i++
	}
	if i > 0 && i < len(b) && formulaStart(b[i]) {
		return b[1:]
	}
	return b
}

// ExportCSV writes entries as ImportCSV reads them: a UTF-8 BOM, the
// header row, then one row per data item with its entry's columns
// repeated (one row with the item columns empty for an entry without
// items). Status, Version and times are not written. A field that starts
// with =, +, -, @, a tab or a carriage return — which a spreadsheet
// program would run as a formula ("=cmd|' /C calc'!A0") — is written
// with a leading "'", as OWASP's CSV-injection guidance advises; so is a
// field of apostrophes followed by one, so that ImportCSV, which drops
// that one "'", reads every field back exactly. An entry holding an
// undefined enumeration value is an *ExportError (ErrNotExportable); an
// option that does not apply to exporting (see Option) is an error of kind
// govshare.ErrInvalid.
func ExportCSV(w io.Writer, entries []Entry, opts ...Option) error {
	c, err := newConfig(opts, forExport)
	if err != nil {
		return err
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := make([]string, len(csvLayout.cols))
	for i, col := range csvLayout.cols {
		head[i] = col.header
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(csvLayout.cols))
	write := func(e *Entry, it *DataItem) error {
		for i, col := range csvLayout.cols {
			rec[i] = ""
			if it == nil && isItemColumn(col) {
				continue
			}
			s, err := col.format(e, it, c)
			if err != nil {
				return &ExportError{ID: e.ID, Err: err}
			}
			rec[i] = neutralize(s)
		}
		return cw.Write(rec)
	}
	for i := range entries {
		e := &entries[i]
		if len(e.Items) == 0 {
			if err := write(e, nil); err != nil {
				return err
			}
		}
		for j := range e.Items {
			if err := write(e, &e.Items[j]); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
