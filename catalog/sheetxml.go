package catalog

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads the parts of a workbook that the import needs — the
// package relationships, the workbook's sheet list, the shared-string
// table and the worksheets — with xmlScanner, as SpreadsheetML
// (ECMA-376 Part 1, §18) lays them out. Cell values are the raw values
// excelize gave with Options{RawCellValue: true}: the shared or inline
// string, or the <v> text (a number as written, a boolean 0 or 1, an
// error value such as #N/A); inline and shared strings have their _xHHHH_
// escapes decoded (§22.9.2.19 ST_Xstring). A test compares the rows with
// excelize's on the workbooks excelize writes.

// workbookInfo is what the import needs from a workbook's structure.
type workbookInfo struct {
	// sheets maps a sheet name, normalised as normCode does, to its
	// name in the file and its part. The last of several sheets whose
	// names normalise alike is kept.
	sheets map[string]sheetInfo
	// sharedStrings is the part of the shared-string table, "" if none.
	sharedStrings string
}

type sheetInfo struct{ name, part string }

// readWorkbook reads the package relationships, the workbook part and its
// relationships. Only the sheets named like want are kept.
func (z *workbookZip) readWorkbook(ctx context.Context, want ...string) (*workbookInfo, error) {
	wbPart := "xl/workbook.xml"
	err := z.scanPart(ctx, "_rels/.rels", func(x *xmlScanner) *problem {
		if string(x.local) != "Relationship" {
			return nil
		}
		typ, _, p1 := x.attrText("Type")
		target, ok, p2 := x.attrText("Target")
		if p := first(p1, p2); p != nil {
			return p
		}
		if ok && strings.HasSuffix(typ, "/officeDocument") {
			wbPart = resolve("", target)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !z.has(wbPart) {
		return nil, &ReadError{Format: "xlsx", Err: fmt.Errorf("no workbook part %s", wbPart)}
	}
	info := &workbookInfo{sheets: map[string]sheetInfo{}}
	rids := map[string]string{} // normalised sheet name → relationship id
	err = z.scanPart(ctx, wbPart, func(x *xmlScanner) *problem {
		if string(x.local) != "sheet" {
			return nil
		}
		name, _, p1 := x.attrText("name")
		rid, _, p2 := x.attrText("id")
		if p := first(p1, p2); p != nil {
			return p
		}
		key := normCode(name)
		for _, w := range want {
			if key == w {
				info.sheets[key] = sheetInfo{name: name}
				rids[key] = rid
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = z.scanPart(ctx, relsPart(wbPart), func(x *xmlScanner) *problem {
		if string(x.local) != "Relationship" {
			return nil
		}
		id, _, p1 := x.attrText("Id")
		typ, _, p2 := x.attrText("Type")
		target, _, p3 := x.attrText("Target")
		mode, _, p4 := x.attrText("TargetMode")
		if p := first(p1, p2, p3, p4); p != nil {
			return p
		}
		if mode == "External" {
			return nil
		}
		if strings.HasSuffix(typ, "/sharedStrings") {
			info.sharedStrings = resolve(wbPart, target)
		}
		for key, rid := range rids {
			if id == rid {
				s := info.sheets[key]
				s.part = resolve(wbPart, target)
				info.sheets[key] = s
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if info.sharedStrings == "" && z.has("xl/sharedStrings.xml") {
		info.sharedStrings = "xl/sharedStrings.xml"
	}
	return info, nil
}

// relsPart returns the relationships part of a part:
// xl/_rels/workbook.xml.rels for xl/workbook.xml.
func relsPart(part string) string {
	dir, file := "", part
	if i := strings.LastIndexByte(part, '/'); i >= 0 {
		dir, file = part[:i+1], part[i+1:]
	}
	return dir + "_rels/" + file + ".rels"
}

func first(ps ...*problem) *problem {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// scanPart calls start for every start tag of a small structural part. A
// missing part is none; a part that is not well-formed makes the workbook
// unreadable, since which sheets it has cannot be known.
func (z *workbookZip) scanPart(ctx context.Context, name string, start func(*xmlScanner) *problem) error {
	pr, err := z.open(name)
	if err != nil || pr == nil {
		return err
	}
	x := newXMLScanner(pr, 1<<16)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var p *problem
		switch x.next() {
		case xmlEOF:
			if x.err != nil {
				return x.err
			}
			return nil
		case xmlBad:
			p = x.syntax
		case xmlStart:
			p = start(x)
		}
		if p != nil {
			return &ReadError{Format: "xlsx", Err: fmt.Errorf("part %s: %s", name, p.en)}
		}
	}
}

// sharedStrings is the shared-string table of a workbook, its text in one
// buffer. A string whose text has a problem holds the problem's message
// instead, marked by the high bit of its end.
type sharedStrings struct {
	text []byte
	ends []uint32
	zh   []byte // the Chinese messages of the problems, by the same ends
	zEnd []uint32
}

const badString = 1 << 31

// get returns string i, or the problem of string i, or false when there is
// none.
func (s *sharedStrings) get(i int) (text []byte, p *problem, ok bool) {
	if s == nil || i < 0 || i >= len(s.ends) {
		return nil, nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1] &^ badString
	}
	end := s.ends[i]
	if end&badString == 0 {
		return s.text[start:end], nil, true
	}
	end &^= badString
	zs, ze := uint32(0), s.zEnd[i]
	if i > 0 {
		zs = s.zEnd[i-1]
	}
	return nil, &problem{zh: string(s.zh[zs:ze]), en: string(s.text[start:end])}, true
}

// readSharedStrings reads the table: each <si> is the text of its <t>
// and of its runs' <t>, without the phonetic runs (<rPh>), as excelize
// reads it. The text is counted against SharedStringBytes as it is read;
// a table that is not well-formed makes the workbook unreadable, since
// the strings after the damage could not be numbered.
func (z *workbookZip) readSharedStrings(ctx context.Context, name string, lim Limits) (*sharedStrings, error) {
	pr, err := z.open(name)
	if err != nil || pr == nil {
		return nil, err
	}
	s := &sharedStrings{}
	x := newXMLScanner(pr, 16*lim.CellChars+64)
	inSI, inPh := false, 0
	var cur []byte
	size := int64(0)
	fail := func(p *problem) error {
		return &ReadError{Format: "xlsx", Err: fmt.Errorf("shared string %d: %s", len(s.ends)+1, p.en)}
	}
	for {
		k := x.next()
		switch k {
		case xmlEOF:
			if x.err != nil {
				return nil, x.err
			}
			if inSI {
				return nil, fail(bad("", "the table ends inside a string"))
			}
			return s, nil
		case xmlBad:
			return nil, fail(x.syntax)
		}
		local := string(x.local)
		switch {
		case k == xmlStart && local == "si":
			if len(s.ends)%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			inSI, inPh, cur, x.textProblem, x.textOver = !x.empty, 0, cur[:0], nil, false
			if x.empty {
				s.ends = append(s.ends, uint32(len(s.text)))
				s.zEnd = append(s.zEnd, uint32(len(s.zh)))
			}
		case k == xmlStart && local == "rPh" && inSI:
			if !x.empty {
				inPh++
			}
		case k == xmlEnd && local == "rPh" && inSI:
			inPh--
		case k == xmlStart && local == "t" && inSI && inPh == 0:
			x.collect, x.text = !x.empty, x.text[:0]
		case k == xmlEnd && local == "t" && x.collect:
			x.collect = false
			cur = append(cur, x.text...)
		case k == xmlEnd && local == "si" && inSI:
			inSI = false
			p := x.textProblem
			if p == nil {
				cur, p = unescapeXstring(cur)
			}
			if n := utf8.RuneCount(cur); x.textOver || n > lim.CellChars {
				return nil, &LimitError{Format: "xlsx", Limit: "CellChars", Max: int64(lim.CellChars), Value: int64(max(n, lim.CellChars+1)),
					Part: name, reading: x.textOver}
			}
			size += 8
			if p != nil {
				s.text = append(s.text, p.en...)
				s.zh = append(s.zh, p.zh...)
				size += int64(len(p.en) + len(p.zh))
			} else {
				s.text = append(s.text, cur...)
				size += int64(len(cur))
			}
			if size > lim.SharedStringBytes || len(s.text) >= badString {
				return nil, &LimitError{Format: "xlsx", Limit: "SharedStringBytes", Max: lim.SharedStringBytes, Value: size, Part: name, reading: true}
			}
			end := uint32(len(s.text))
			if p != nil {
				end |= badString
			}
			s.ends = append(s.ends, end)
			s.zEnd = append(s.zEnd, uint32(len(s.zh)))
		}
	}
}

// unescapeXstring decodes the _xHHHH_ escapes of an ST_Xstring in place:
// the way OOXML writes characters XML cannot carry, "_x0001_" for U+0001;
// "_x005F_" escapes the underscore. A surrogate pair of escapes is one
// character; a lone surrogate is a problem, as excelize left it out.
func unescapeXstring(b []byte) ([]byte, *problem) {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b, nil
	}
	out := b[:i]
	for i < len(b) {
		r, ok := xescape(b[i:])
		if !ok {
			out = append(out, b[i])
			i++
			continue
		}
		i += 7
		if utf8.ValidRune(r) {
			out = utf8.AppendRune(out, r)
			continue
		}
		lo, ok := xescape(b[i:])
		if r >= 0xD800 && r < 0xDC00 && ok && lo >= 0xDC00 && lo < 0xE000 {
			out = utf8.AppendRune(out, 0x10000+(r-0xD800)<<10+(lo-0xDC00))
			i += 7
			continue
		}
		return out, bad(fmt.Sprintf("含有无效的字符转义_x%04X_", r), fmt.Sprintf("holds the invalid character escape _x%04X_", r))
	}
	return out, nil
}

func xescape(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// maxCols is the columns of a worksheet (A to XFD).
const maxCols = 16384

// maxKeptHeaderBytes is how much of a cell is kept while the header row is
// looked for: headers are short, and a title row of 16,384 long cells
// must not be held whole.
const maxKeptHeaderBytes = 1024

// sheetReader reads the rows of a worksheet part one at a time.
type sheetReader struct {
	x     *xmlScanner
	sst   *sharedStrings
	lim   Limits
	part  string
	sheet string // the sheet's name in references ("数据项")
	in    *interner
	cells *int64 // cells read from the file so far
	// merged is called with the ref of every <mergeCell>.
	merged func(ref string) error

	keepAll bool   // before the header: every cell is kept (cut short)
	keep    []bool // after it: the file columns whose cells are kept

	row     sheetRow
	rows    int  // rows read
	last    int  // the number of the last row read
	inData  bool // inside <sheetData>
	done    bool // no more rows: past the last, or beyond maxRows
	ended   bool // the end of the part
	pending bool // the scanner holds a tag resync found, not yet handled
	inRow   bool
	skipRow bool // the row's content is not read
	// The cell being read.
	inCell, skipCell, inIS bool
	hasIS                  bool
	inPh                   int
	col, lastCol           int    // 1-based
	typ                    []byte // its t attribute
	v, is                  []byte
	cellProblem            *problem

	stopRow int
	stop    *problem
	loose   []rowProblem // problems outside any row
	err     error
}

// rowProblem is a problem outside the rows, after row.
type rowProblem struct {
	row int
	p   *problem
}

func newSheetReader(pr *partReader, sst *sharedStrings, lim Limits, sheet string, in *interner, cells *int64) *sheetReader {
	return &sheetReader{x: newXMLScanner(pr, 16*lim.CellChars+64), sst: sst, lim: lim, part: pr.name, sheet: sheet,
		in: in, cells: cells, keepAll: true}
}

// setKeep keeps, from now on, only the cells of the file columns i with
// fileCols[i] >= 0; of the others only whether they are blank.
func (s *sheetReader) setKeep(fileCols []int) {
	s.keepAll = false
	s.keep = s.keep[:0]
	for _, j := range fileCols {
		s.keep = append(s.keep, j >= 0)
	}
}

func (s *sheetReader) problem() (int, *problem) { return s.stopRow, s.stop }
func (s *sheetReader) fatal() error             { return s.err }

// next returns the next row that has a row element, or false at the end
// of the rows. The row is valid until the next call.
func (s *sheetReader) next() (*sheetRow, bool) {
	for !s.ended && s.err == nil {
		k := xmlStart // resync found a start tag
		if !s.pending {
			k = s.x.next()
		}
		s.pending = false
		switch k {
		case xmlEOF:
			s.ended = true
			if s.x.err != nil {
				s.err = s.x.err
				return nil, false
			}
			if s.inRow {
				s.damage(s.lastCol, restOfRow, bad("工作表在这一行中间结束", "the sheet ends in the middle of the row"))
				return s.endRow()
			}
			if len(s.x.stack) > 0 && s.x.stack[len(s.x.stack)-1] != 0 || s.inData {
				s.loose = append(s.loose, rowProblem{s.last, bad("工作表在第"+strconv.Itoa(s.last)+"行之后意外结束", "the sheet ends unexpectedly after row "+strconv.Itoa(s.last))})
			}
			return nil, false
		case xmlBad:
			p := s.x.syntax
			if s.inRow {
				col := s.col - 1
				if !s.inCell {
					col = s.lastCol
				}
				s.damage(col, restOfRow, p)
				s.resync()
				return s.endRow()
			}
			s.loose = append(s.loose, rowProblem{s.last, p})
			s.resync()
			continue
		}
		if row, ok := s.tag(k); ok {
			return row, true
		}
	}
	return nil, false
}

// resync resumes after a syntax error at the next row, the end of the
// rows, or a merged range.
func (s *sheetReader) resync() {
	s.inCell, s.inIS, s.inPh, s.x.collect = false, false, 0, false
	s.x.text, s.x.textProblem, s.x.textOver = s.x.text[:0], nil, false
	switch s.x.resync("sheetData", "row", "sheetData", "mergeCell") {
	case "":
		if s.x.err != nil {
			s.err = s.x.err
		}
		s.ended = true
	case "/sheetData":
		s.inData = false
	case "sheetData":
		s.inData = !s.x.empty
	default:
		s.pending = true
		if string(s.x.local) == "row" {
			s.inData = true
		}
	}
}

// tag handles a start or end tag; it returns a row when one is complete.
func (s *sheetReader) tag(k xmlKind) (*sheetRow, bool) {
	x := s.x
	start := k == xmlStart
	switch string(x.local) {
	case "sheetData":
		s.inData = start && !x.empty
	case "row":
		if !s.inData || s.done {
			return nil, false
		}
		if start {
			return s.startRow()
		}
		if s.inRow {
			return s.endRow()
		}
	case "c":
		if !s.inRow || s.skipRow {
			return nil, false
		}
		if start {
			s.startCell()
			if x.empty {
				s.endCell()
			}
		} else if s.inCell {
			s.endCell()
		}
	case "v":
		if s.inCell && !s.inIS {
			s.collect(start, &s.v)
		}
	case "is":
		if s.inCell {
			s.inIS = start && !x.empty
			if start {
				s.hasIS = true
			}
		}
	case "rPh":
		if s.inIS {
			if start && !x.empty {
				s.inPh++
			} else if !start {
				s.inPh--
			}
		}
	case "t":
		if s.inIS && s.inPh == 0 {
			s.collect(start, &s.is)
		}
	case "mergeCell":
		if start && s.merged != nil {
			ref, _, p := x.attrText("ref")
			if p == nil && ref != "" {
				if err := s.merged(ref); err != nil {
					s.err = err
				}
			}
		}
	}
	return nil, false
}

// collect starts collecting the text of a <v> or <t> at its start tag and
// appends it to dst at its end.
func (s *sheetReader) collect(start bool, dst *[]byte) {
	x := s.x
	if start {
		if x.empty {
			return
		}
		x.collect, x.text = true, x.text[:0]
		if dst == &s.v {
			s.v = s.v[:0]
		}
		return
	}
	if !x.collect {
		return
	}
	x.collect = false
	if x.textOver {
		x.textOver = false
		s.err = &LimitError{Format: "xlsx", Limit: "CellChars", Max: int64(s.lim.CellChars), Value: int64(s.lim.CellChars) + 1,
			Ref: s.ref(s.col), reading: true}
		return
	}
	if x.textProblem != nil {
		if s.cellProblem == nil {
			s.cellProblem = x.textProblem
		}
		x.textProblem = nil
	}
	*dst = append(*dst, x.text...)
	x.text = x.text[:0]
}

func (s *sheetReader) ref(col int) string {
	return s.sheet + "!" + columnName(col-1) + strconv.Itoa(s.row.n)
}

func (s *sheetReader) startRow() (*sheetRow, bool) {
	x := s.x
	n := s.last + 1
	s.row.cells, s.row.more, s.row.damage = s.row.cells[:0], false, s.row.damage[:0]
	s.lastCol, s.col, s.skipRow = 0, 0, false
	bad1 := false
	if v, ok := x.attr("r"); ok {
		r, err := strconv.Atoi(string(v))
		switch {
		case err != nil || r < 1:
			bad1 = true
			s.row.n = n
			s.damage(-1, wholeRow, bad("行号“"+clip(v)+"”不是正整数", "the row number "+strconv.Quote(clip(v))+" is not a positive integer"))
		default:
			n = r
		}
	}
	if n > maxRows {
		s.done = true
		s.stopRow = maxRows
		s.stop = bad(fmt.Sprintf("工作表超过%d行，其后的内容未读取", maxRows),
			fmt.Sprintf("the sheet goes beyond row %d; the rest was not read", maxRows))
		return nil, false
	}
	s.rows++
	if s.rows > s.lim.Rows {
		s.err = &LimitError{Format: "xlsx", Limit: "Rows", Max: int64(s.lim.Rows), Value: int64(s.rows), Part: s.part, reading: true}
		return nil, false
	}
	s.row.n = n
	if !bad1 && n <= s.last {
		s.damage(-1, wholeRow, bad(fmt.Sprintf("第%d行出现在第%d行之后（行号重复或顺序颠倒）", n, s.last),
			fmt.Sprintf("row %d comes after row %d (a repeated or out-of-order row number)", n, s.last)))
	}
	if !bad1 && n > s.last {
		s.last = n
	}
	s.skipRow = len(s.row.damage) > 0
	if x.empty {
		return &s.row, true
	}
	s.inRow = true
	return nil, false
}

func (s *sheetReader) endRow() (*sheetRow, bool) {
	s.inRow, s.inCell = false, false
	return &s.row, true
}

func (s *sheetReader) startCell() {
	x := s.x
	*s.cells++
	if *s.cells > s.lim.Cells {
		s.err = &LimitError{Format: "xlsx", Limit: "Cells", Max: s.lim.Cells, Value: *s.cells, reading: true}
		return
	}
	s.inCell, s.skipCell, s.inIS, s.hasIS, s.inPh, s.cellProblem = true, false, false, false, 0, nil
	s.v, s.is = s.v[:0], s.is[:0]
	col := s.lastCol + 1
	if v, ok := x.attr("r"); ok {
		c, okRef := refColumn(v)
		if !okRef {
			s.skipCell = true
			s.damage(-1, oneCell, bad("单元格引用“"+clip(v)+"”无效", "the cell reference "+strconv.Quote(clip(v))+" is not valid"))
			return
		}
		col = c
	}
	switch {
	case col > maxCols:
		s.skipCell = true
		s.damage(-1, oneCell, bad("单元格超出第XFD列", "a cell beyond column XFD"))
		return
	case col <= s.lastCol:
		s.skipCell = true
		s.damage(col-1, oneCell, bad(columnName(col-1)+"列的单元格重复或顺序颠倒", "the cell of column "+columnName(col-1)+" repeats or is out of order"))
		return
	}
	s.col, s.lastCol = col, col
	t, _ := x.attr("t")
	s.typ = append(s.typ[:0], t...)
}

// refColumn returns the 1-based column of a cell reference such as "AB12".
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(ref) || ref[i] == '0' {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col, true
}

// endCell works out the cell's value and keeps it.
func (s *sheetReader) endCell() {
	s.inCell, s.inIS = false, false
	if s.skipCell || s.err != nil {
		return
	}
	p := s.cellProblem
	var val []byte
	typ := string(s.typ)
	switch {
	case p != nil:
	case typ == "inlineStr" && s.hasIS:
		val, p = unescapeXstring(s.is)
	case typ == "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(s.v)))
		if len(bytes.TrimSpace(s.v)) == 0 {
			break
		}
		var ok bool
		if err == nil {
			val, p, ok = s.sst.get(i)
		}
		if !ok {
			p = bad("共享字符串“"+clip(s.v)+"”不存在", "there is no shared string "+strconv.Quote(clip(s.v)))
		}
	default:
		val = s.v
	}
	if p == nil {
		if n := utf8.RuneCount(val); n > s.lim.CellChars {
			s.err = &LimitError{Format: "xlsx", Limit: "CellChars", Max: int64(s.lim.CellChars), Value: int64(n), Ref: s.ref(s.col)}
			return
		}
		if r, ok := controlChar(val); ok {
			p = controlProblem(r)
		}
	}
	if p != nil {
		s.damage(s.col-1, oneCell, p)
		return
	}
	s.row.put(s.col-1, val, s.keepAll, s.keep, s.in)
}

// damage records a problem of the current row at the 0-based column col
// (-1: the row as a whole) and what it loses.
func (s *sheetReader) damage(col int, lost loss, p *problem) {
	s.row.damage = append(s.row.damage, damage{col: col, lost: lost, p: *p})
}

// interner keeps one copy of the short cell values that recur in a
// catalog (the 目录代码 of every item row, data types, item names), so
// that reading them does not allocate and the entries share them. It
// holds at most 65,536 values; when full it starts again, keeping the
// values of the rows at hand.
type interner struct{ m map[string]string }

func (in *interner) str(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) >= 1<<16 {
		clear(in.m)
	}
	in.m[s] = s
	return s
}
