package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare"
)

// maxRows is the row limit of a spreadsheet (Excel's 1,048,576). A file
// that claims rows beyond it is malformed; reading stops there rather than
// walking up to a row number a crafted file chose.
const maxRows = 1 << 20

// headerSearchRows is how far down a sheet the header row is looked for:
// departments often put a title row or two above it.
const headerSearchRows = 20

// rowReader yields the rows of one sheet or CSV file in order.
type rowReader interface {
	// next returns the next row, or false at the end of the rows or
	// when fatal has an error. The row is valid until the next call.
	next() (*sheetRow, bool)
	// setKeep is called once the header row is found: from then on
	// only the cells of the file columns i with fileCols[i] >= 0 are
	// kept; of the others, only whether one is not blank (sheetRow.more).
	// Before it every cell is kept, cut short.
	setKeep(fileCols []int)
	// problem returns what stopped the rows early, if anything, and the
	// row where reading stopped; the import goes on without them.
	problem() (row int, p *problem)
	// fatal returns what stops the import: a limit, a damaged part.
	fatal() error
}

// sheetRow is a row as a rowReader reads it.
type sheetRow struct {
	n      int      // 1-based
	cells  []string // by 0-based file column; "" where not kept
	more   bool     // a cell not kept is not blank
	damage []damage // what could not be read
}

// damage is a part of a row that could not be read.
type damage struct {
	col  int // 0-based; -1 for the row as a whole
	lost loss
	p    problem
}

// loss says what a damage loses.
type loss uint8

const (
	oneCell   loss = iota // the cell (col -1: a cell of unknown column)
	restOfRow             // the cell at col and those after it
	wholeRow              // the row
)

// put keeps the value of the cell in 0-based column i, as setKeep says.
func (r *sheetRow) put(i int, val []byte, keepAll bool, keep []bool, in *interner) {
	switch {
	case keepAll:
		if len(val) > maxKeptHeaderBytes {
			val = val[:maxKeptHeaderBytes]
			for len(val) > 0 && !utf8.Valid(val) {
				val = val[:len(val)-1]
			}
		}
	case i < len(keep) && keep[i]:
	default:
		if len(bytes.TrimFunc(val, isSpace)) > 0 {
			r.more = true
		}
		return
	}
	for len(r.cells) < i {
		r.cells = append(r.cells, "")
	}
	r.cells = append(r.cells[:i], in.str(val))
}

// controlProblem is the problem of a cell holding the control character r.
func controlProblem(r rune) *problem {
	return &problem{zh: "含有控制字符" + runeName(r), en: "holds the control character " + runeName(r), code: CodeControlChar}
}

// controlChar returns the first control character of b — a C0 control
// other than tab, line feed and carriage return, DEL, or a C1 control —
// which no cell of a catalog means to hold.
func controlChar(b []byte) (rune, bool) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
			return rune(c), true
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] < 0xa0:
			return rune(b[i+1]), true
		}
	}
	return 0, false
}

// pending is an entry being assembled from rows, with where each part came
// from so that findings can name the cell.
type pending struct {
	e         Entry
	sheet     string
	row       int
	itemSheet string
	itemRows  []int32
	clipped   bool // Items was cut to its length once
}

type place struct {
	sheet    string
	row, col int // 1-based row, 0-based column; 0 and -1 when absent
}

type located struct {
	at place
	f  govshare.Finding
}

// importer collects entries and findings from the rows of CSV and XLSX
// files.
type importer struct {
	ctx      context.Context
	c        *config
	format   string // "xlsx" or "csv"
	lim      Limits
	in       *interner
	err      error // a limit met: the import stops with it
	entries  []*pending
	byID     map[string]*pending
	findings []located
	// cols maps, per sheet, a field key to the file's column index.
	cols map[string]map[string]int
	// absent records the field keys of required columns a sheet lacks,
	// so that validation does not repeat the header's finding per row.
	absent  map[string]bool
	flagged map[place]bool
	// filling is the entry the last item went to; itemsHint how many
	// items the entry before it had.
	filling   *pending
	itemsHint int
	// item and again are scratch values rows are read into.
	item  DataItem
	again Entry
}

func newImporter(ctx context.Context, format string, opts []Option) (*importer, error) {
	c, err := newConfig(opts, forImport)
	if err != nil {
		return nil, err
	}
	return &importer{
		ctx:     ctx,
		c:       c,
		format:  format,
		lim:     c.lim(),
		in:      &interner{m: map[string]string{}},
		byID:    map[string]*pending{},
		cols:    map[string]map[string]int{},
		absent:  map[string]bool{},
		flagged: map[place]bool{},
	}, nil
}

// readAll reads a file whole for an importer, up to lim.FileBytes
// (beyond, a *LimitError), stopping between reads when ctx is done: a slow
// upload of a large file is abandoned when its caller gives up.
func readAll(ctx context.Context, format string, r io.Reader, lim Limits) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size := 0
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader, bytes.Buffer
		size = l.Len()
	} else if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok { // *os.File
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(min(fi.Size(), int64(math.MaxInt32)))
		}
	}
	var buf bytes.Buffer
	buf.Grow(int(min(int64(size), lim.FileBytes)) + bytes.MinRead)
	if _, err := buf.ReadFrom(uploadReader(ctx, format, r, lim)); err != nil {
		return nil, readFailed(ctx, format, err)
	}
	return buf.Bytes(), nil
}

// uploadReader reads r for an importer: up to lim.FileBytes, beyond which
// it fails with a *LimitError, and unless ctx is done.
func uploadReader(ctx context.Context, format string, r io.Reader, lim Limits) io.Reader {
	return &countingReader{r: ctxReader{ctx, r}, max: lim.FileBytes, over: func(n int64) error {
		return &LimitError{Format: format, Limit: "FileBytes", Max: lim.FileBytes, Value: n, reading: true}
	}}
}

// readFailed is the error of an import whose reader failed: ctx.Err()
// when ctx is done, a *LimitError as it is, and otherwise a *ReadError,
// unless the reader's error has a kind of govshare's already: a host's
// reader that stops an upload at its size limit with govshare.ErrTooLarge
// keeps that kind (and its 413), rather than being one more unreadable
// file with two kinds.
func readFailed(ctx context.Context, format string, err error) error {
	var le *LimitError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &le), hasKind(err):
		return err
	}
	return &ReadError{Format: format, Err: err}
}

// hasKind reports whether err matches one of govshare's kinds.
func hasKind(err error) bool {
	for _, k := range govshare.Kinds() {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from r unless ctx is done.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// add records a finding at a place. Beyond Limits.Findings it records the
// *LimitError that stops the import instead.
func (im *importer) add(at place, f govshare.Finding) {
	if len(im.findings) >= im.lim.Findings {
		if im.err == nil {
			im.err = &LimitError{Format: im.format, Limit: "Findings", Max: int64(im.lim.Findings), Value: int64(len(im.findings)) + 1, reading: true}
		}
		return
	}
	im.findings = append(im.findings, im.locate1(at, f))
	if at.col >= 0 {
		im.flagged[at] = true
	}
}

// locate1 gives a finding the reference of its place as its Path.
func (im *importer) locate1(at place, f govshare.Finding) located {
	re := RowError{Sheet: at.sheet, Row: at.row}
	if at.col >= 0 && at.row > 0 {
		re.Column = columnName(at.col)
	}
	f.Path = re.Ref()
	return located{at: at, f: f}
}

func malformed(zh, en string) govshare.Finding {
	return finding(CodeMalformed, govshare.Error, "", citeTemplate, zh, en)
}

// rows reads the rows of a sheet or CSV file in layout l: the header row,
// then each row with handle. It returns the header's row number (0 when
// there is none) and an error that stops the import: ctx's, a limit's or
// the reader's. started is called once the header is read.
func (im *importer) rows(l *layout, rr rowReader, started func(headerRow int), handle func(l *layout, fileCols []int, row int, cells []string)) error {
	fileCols, headerRow, ok := im.header(l, rr)
	if err := im.stopped(rr); err != nil {
		return err
	}
	if !ok {
		return nil
	}
	rr.setKeep(fileCols)
	if started != nil {
		started(headerRow)
	}
	for {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		r, more := rr.next()
		if !more {
			break
		}
		if !im.damaged(l, r, fileCols) && !(blankRow(r.cells) && !r.more) {
			handle(l, fileCols, r.n, r.cells)
		}
		if im.err != nil {
			return im.err
		}
	}
	if err := im.stopped(rr); err != nil {
		return err
	}
	if row, p := rr.problem(); p != nil {
		im.add(place{l.sheet, row, -1}, malformed(p.zh, p.en))
	}
	return im.err
}

// stopped returns what stops the import: the reader's fatal error, a
// limit met by the findings, ctx's error.
func (im *importer) stopped(rr rowReader) error {
	if err := rr.fatal(); err != nil {
		if im.ctx.Err() != nil {
			return im.ctx.Err()
		}
		return err
	}
	if im.err != nil {
		return im.err
	}
	return im.ctx.Err()
}

// damaged reports what of a row could not be read, each at its cell, and
// whether the row is left out: when the whole row, or its 目录代码, is lost.
// The cells lost are flagged, so that validation does not report them
// again as empty. fileCols is nil before the header row is known.
func (im *importer) damaged(l *layout, r *sheetRow, fileCols []int) (skip bool) {
	idCol, idKnown := im.cols[l.sheet]["id"]
	for _, d := range r.damage {
		lost := d.lost
		if fileCols != nil && idKnown && (d.col == idCol || lost == restOfRow && d.col <= idCol) {
			lost = wholeRow
		}
		zh, en := d.p.zh, d.p.en
		switch {
		case fileCols == nil:
			zh, en = "无法读取："+zh, "cannot be read: "+en
		case lost == wholeRow:
			skip = true
			zh, en = "该行无法读取（"+zh+"），该行未导入", "the row cannot be read ("+en+"); the row was not imported"
		case lost == restOfRow:
			zh, en = "该行自此无法读取（"+zh+"），这一格及其后各格未导入", "the row cannot be read from here ("+en+"); this cell and those after it were not imported"
			for i := max(d.col, 0); i < len(fileCols); i++ {
				if fileCols[i] >= 0 {
					im.flagged[place{l.sheet, r.n, i}] = true
				}
			}
		case d.col < 0:
			zh, en = "该行有单元格无法读取（"+zh+"），该单元格未导入", "a cell of the row cannot be read ("+en+"); it was not imported"
			// It may have been any empty cell of the row.
			for i := range fileCols {
				if fileCols[i] >= 0 && (i >= len(r.cells) || strings.TrimFunc(r.cells[i], isSpace) == "") {
					im.flagged[place{l.sheet, r.n, i}] = true
				}
			}
		default:
			zh, en = "单元格无法读取（"+zh+"），该单元格未导入", "the cell cannot be read ("+en+"); it was not imported"
		}
		f := malformed(zh, en)
		if d.p.code != "" {
			f.Code = d.p.code
		}
		im.add(place{l.sheet, r.n, d.col}, f)
	}
	return skip
}

// header finds the header row of a sheet, among its first
// headerSearchRows rows, and maps the file's columns to the layout's:
// fileCols[i] is the layout column of file column i, or -1.
func (im *importer) header(l *layout, rr rowReader) (fileCols []int, headerRow int, ok bool) {
	sheetName := l.sheet
	for {
		r, more := rr.next()
		if !more || r.n > headerSearchRows || im.err != nil {
			break
		}
		im.damaged(l, r, nil)
		fileCols = make([]int, len(r.cells))
		found := false
		for i, cell := range r.cells {
			fileCols[i] = -1
			if j, ok := l.byHeader[normHeader(cell)]; ok {
				fileCols[i] = j
				found = found || j == 0
			}
		}
		if !found {
			continue
		}
		im.checkHeader(l, r.n, r.cells, fileCols)
		return fileCols, r.n, true
	}
	if rr.fatal() != nil || im.err != nil {
		return nil, 0, false
	}
	if row, p := rr.problem(); p != nil {
		im.add(place{sheetName, row, -1}, malformed(p.zh, p.en))
	}
	first := l.cols[0].header
	im.add(place{sheetName, 0, -1}, finding(CodeHeaderMissing, govshare.Error, "", citeTemplate,
		fmt.Sprintf("未找到表头行：前%d行中没有“%s”列", headerSearchRows, first),
		fmt.Sprintf("no header row: none of the first %d rows has a %s column", headerSearchRows, first)))
	return nil, 0, false
}

func (im *importer) checkHeader(l *layout, row int, cells []string, fileCols []int) {
	cols := map[string]int{}
	im.cols[l.sheet] = cols
	seen := make([]bool, len(l.cols))
	for i, j := range fileCols {
		h := normText(cells[i])
		switch {
		case j < 0 && h != "":
			im.add(place{l.sheet, row, i}, finding(CodeHeaderUnknown, govshare.Warning, "", citeTemplate,
				"模板中没有“"+truncate(h)+"”列，该列已忽略",
				"column "+quote(h)+" is not in the template and was ignored"))
		case j >= 0 && seen[j]:
			fileCols[i] = -1
			im.add(place{l.sheet, row, i}, finding(CodeHeaderDuplicate, govshare.Error, "", citeTemplate,
				"“"+l.cols[j].header+"”列重复，只读取第一列",
				"column "+l.cols[j].header+" appears twice; only the first is read"))
		case j >= 0:
			seen[j] = true
			cols[l.cols[j].key] = i
		}
	}
	for j, c := range l.cols {
		if seen[j] || !c.required {
			continue
		}
		im.absent[l.sheet+"\x00"+c.key] = true
		im.add(place{l.sheet, row, -1}, finding(CodeHeaderMissing, govshare.Error, "", citeTemplate,
			"缺少“"+c.header+"”列",
			"the "+c.header+" column is missing"))
	}
}

func truncate(s string) string {
	q := quote(s)
	return q[1 : len(q)-1]
}

// blankRow reports whether every cell of a row is empty or spaces.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimFunc(c, isSpace) != "" {
			return false
		}
	}
	return true
}

// readCells parses the cells of a row that fill the columns for which use
// is true into e and it; each cell that cannot be read is a finding.
func (im *importer) readCells(l *layout, fileCols []int, row int, cells []string, e *Entry, it *DataItem, use func(column) bool) {
	for i, cell := range cells {
		if i >= len(fileCols) || fileCols[i] < 0 {
			continue
		}
		col := l.cols[fileCols[i]]
		if !use(col) || strings.TrimFunc(cell, isSpace) == "" {
			continue
		}
		if excelError[strings.TrimSpace(cell)] {
			f := field(col.key)
			im.add(place{l.sheet, row, i}, finding(CodeWrongType, govshare.Error, "", citeTemplate,
				f.zh+"是公式错误值"+cell+"，请填写实际内容", f.en+": the cell holds the formula error "+cell))
			continue
		}
		if err := col.parse(e, it, cell, im.c); err != nil {
			im.add(place{l.sheet, row, i}, cellFinding(col, cell, err))
		}
	}
}

// excelError are the error values a spreadsheet formula leaves in a cell.
var excelError = map[string]bool{
	"#N/A": true, "#VALUE!": true, "#REF!": true, "#DIV/0!": true, "#NUM!": true,
	"#NAME?": true, "#NULL!": true, "#SPILL!": true, "#CALC!": true, "#GETTING_DATA": true,
}

func isEntryColumn(c column) bool { return !strings.HasPrefix(c.key, "items.") && c.key != "id" }
func isItemColumn(c column) bool  { return strings.HasPrefix(c.key, "items.") }

// idOf reads the 目录代码 cell of a row; a row without one is a finding.
func (im *importer) idOf(l *layout, row int, cells []string) (string, bool) {
	i, ok := im.cols[l.sheet]["id"]
	id := ""
	if ok && i < len(cells) {
		id = normCode(cells[i])
	}
	if id == "" {
		if !ok {
			i = -1
		}
		im.add(place{l.sheet, row, i}, finding(CodeRequired, govshare.Error, "", citeID,
			"目录代码未填写，该行未导入", "catalog code is missing; the row was not imported"))
		return "", false
	}
	return id, true
}

// entryRow reads a row of the 目录 sheet.
func (im *importer) entryRow(l *layout, fileCols []int, row int, cells []string) {
	id, ok := im.idOf(l, row, cells)
	if !ok {
		return
	}
	if p, dup := im.byID[id]; dup {
		im.add(place{l.sheet, row, im.cols[l.sheet]["id"]}, finding(CodeDuplicateEntry, govshare.Error, "", citeID,
			fmt.Sprintf("目录代码%s与第%d行重复，该行未导入", quote(id), p.row),
			fmt.Sprintf("catalog code %s repeats row %d; the row was not imported", quote(id), p.row)))
		return
	}
	p := &pending{e: Entry{ID: id}, sheet: l.sheet, row: row}
	im.readCells(l, fileCols, row, cells, &p.e, nil, isEntryColumn)
	im.entries = append(im.entries, p)
	im.byID[id] = p
}

// itemRow reads a row of the 数据项 sheet.
func (im *importer) itemRow(l *layout, fileCols []int, row int, cells []string) {
	id, ok := im.idOf(l, row, cells)
	if !ok {
		return
	}
	p, found := im.byID[id]
	if !found {
		im.add(place{l.sheet, row, im.cols[l.sheet]["id"]}, finding(CodeUnknownEntry, govshare.Error, "", citeID,
			fmt.Sprintf("目录代码%s在目录表中不存在，该数据项未导入", quote(id)),
			fmt.Sprintf("catalog code %s has no entry in the 目录 sheet; the item was not imported", quote(id))))
		return
	}
	im.addItem(l, fileCols, row, cells, p)
}

// addItem reads the item columns of a row into a new item of p. A row
// whose item cells say nothing (only spaces, a length of 0, "none") is
// not an item and is reported.
func (im *importer) addItem(l *layout, fileCols []int, row int, cells []string, p *pending) {
	// The item is read into the importer's scratch item: a local one
	// would escape to the heap through the columns' parse functions, one
	// allocation per row.
	im.item = DataItem{}
	it := &im.item
	before := len(im.findings)
	im.readCells(l, fileCols, row, cells, &p.e, it, isItemColumn)
	if *it == (DataItem{}) {
		col, ok := im.cols[l.sheet]["items.name"]
		if !ok {
			col = -1
		}
		if len(im.findings) == before && !im.flagged[place{l.sheet, row, col}] {
			im.add(place{l.sheet, row, col}, finding(CodeRequired, govshare.Error, "", govshare.Rule("R6"),
				"数据项名称未填写，该行的数据项未导入", "data item name is missing; the row's item was not imported"))
		}
		return
	}
	if p != im.filling {
		im.switchItems(p)
	}
	p.e.Items = append(p.e.Items, *it)
	p.itemSheet = l.sheet
	p.itemRows = append(p.itemRows, int32(row))
}

// switchItems is called when the items of a file move on to entry p. A
// catalog lists an entry's items together, so the entry before is done:
// its Items are cut to their length (append doubled them, to 32 for 20
// items), once, and p's start with room for as many as it had, the size
// entries of one catalog tend to share. For 1,048,575 items that is the
// difference between allocating 72 MB and 300 MB.
func (im *importer) switchItems(p *pending) {
	if q := im.filling; q != nil && !q.clipped {
		q.clipped = true
		im.itemsHint = len(q.e.Items)
		if cap(q.e.Items) > len(q.e.Items) {
			q.e.Items = append([]DataItem(nil), q.e.Items...)
			q.itemRows = append([]int32(nil), q.itemRows...)
		}
	}
	im.filling = p
	if p.e.Items == nil && im.itemsHint > 0 {
		p.e.Items = make([]DataItem, 0, im.itemsHint)
		p.itemRows = make([]int32, 0, im.itemsHint)
	}
}

// csvRow reads a row of a CSV file: the entry's columns (the first row of
// an entry sets them; later rows may leave them empty or must agree) and,
// when any item column is filled, a data item.
func (im *importer) csvRow(l *layout, fileCols []int, row int, cells []string) {
	id, ok := im.idOf(l, row, cells)
	if !ok {
		return
	}
	p, seen := im.byID[id]
	if !seen {
		p = &pending{e: Entry{ID: id}, sheet: l.sheet, row: row}
		im.readCells(l, fileCols, row, cells, &p.e, nil, isEntryColumn)
		im.entries = append(im.entries, p)
		im.byID[id] = p
	} else {
		im.agree(l, fileCols, row, cells, p)
	}
	for i, cell := range cells {
		if i < len(fileCols) && fileCols[i] >= 0 && isItemColumn(l.cols[fileCols[i]]) && strings.TrimFunc(cell, isSpace) != "" {
			im.addItem(l, fileCols, row, cells, p)
			return
		}
	}
}

// agree checks that the entry columns of a later CSV row say what the
// entry's first row said.
func (im *importer) agree(l *layout, fileCols []int, row int, cells []string, p *pending) {
	again := &im.again // scratch, as in addItem
	*again = Entry{}
	for i, cell := range cells {
		if i >= len(fileCols) || fileCols[i] < 0 {
			continue
		}
		col := l.cols[fileCols[i]]
		if !isEntryColumn(col) || strings.TrimFunc(cell, isSpace) == "" {
			continue
		}
		if err := col.parse(again, nil, cell, im.c); err != nil {
			im.add(place{l.sheet, row, i}, cellFinding(col, cell, err))
			continue
		}
		now, err1 := col.format(again, nil, im.c)
		first, err2 := col.format(&p.e, nil, im.c)
		if err1 == nil && err2 == nil && now != first {
			im.add(place{l.sheet, row, i}, finding(CodeInconsistentEntry, govshare.Error, "", citeTemplate,
				fmt.Sprintf("“%s”与该目录第%d行不一致：%s ≠ %s", col.header, p.row, quote(now), quote(first)),
				fmt.Sprintf("%s differs from the entry's row %d: %s ≠ %s", col.header, p.row, quote(now), quote(first))))
		}
	}
}

// finish validates every entry, places its findings on the cells they
// concern, and returns the entries and all findings in sheet, row and
// column order. mainSheet is where a file without entries is reported. It
// stops with ctx.Err() between entries when the importer's context is
// done.
func (im *importer) finish(mainSheet string) ([]Entry, []govshare.Finding, error) {
	entries := make([]Entry, 0, len(im.entries))
	for _, p := range im.entries {
		if err := im.ctx.Err(); err != nil {
			return nil, nil, err
		}
		if im.err != nil {
			return nil, nil, im.err
		}
		if cap(p.e.Items) > len(p.e.Items)+len(p.e.Items)/4 {
			// Items grew by doubling; the entries returned keep no spare
			// capacity (for 20 items, 32 would be allocated).
			p.e.Items = append([]DataItem(nil), p.e.Items...)
		}
		if govshare.ValidateRegionCode(p.e.Provider.RegionCode) == nil && p.e.Provider.Level == 0 {
			p.e.Provider.Level = govshare.RegionLevel(p.e.Provider.RegionCode)
		}
		for _, f := range im.c.validate(&p.e) {
			if at, ok := im.locate(p, f.Path); ok {
				im.add(at, f)
			}
		}
		entries = append(entries, p.e)
	}
	if len(entries) == 0 {
		im.add(place{mainSheet, 0, -1}, finding(CodeNoEntries, govshare.Warning, "", citeTemplate,
			"文件中没有任何目录", "the file holds no catalog entry"))
	}
	if im.err != nil {
		return nil, nil, im.err
	}
	sort.SliceStable(im.findings, func(a, b int) bool {
		x, y := im.findings[a].at, im.findings[b].at
		if sx, sy := sheetOrder(x.sheet), sheetOrder(y.sheet); sx != sy {
			return sx < sy
		}
		if x.row != y.row {
			return x.row < y.row
		}
		return x.col < y.col
	})
	out := make([]govshare.Finding, len(im.findings))
	for i, l := range im.findings {
		out[i] = l.f
	}
	return entries, out, nil
}

func sheetOrder(s string) int {
	if s == itemSheetName {
		return 1
	}
	return 0
}

// locate maps a validation finding's field path ("items[3].share") to the
// cell it came from. It returns false when the finding would repeat one
// already made: about a column the sheet lacks, or a cell already
// reported.
func (im *importer) locate(p *pending, path string) (place, bool) {
	at := place{sheet: p.sheet, row: p.row, col: -1}
	key := fieldKey(path)
	if rest, ok := strings.CutPrefix(path, "items["); ok {
		end := strings.IndexByte(rest, ']')
		i, err := strconv.Atoi(rest[:max(end, 0)])
		if end >= 0 && err == nil && i >= 0 && i < len(p.itemRows) {
			at = place{sheet: p.itemSheet, row: int(p.itemRows[i]), col: -1}
			if key == "items" {
				key = "items.name"
			}
		}
	}
	switch key {
	case "provider":
		key = "provider.name"
	case "classification":
		key = "classification.category"
	case "items":
		key = "id"
	}
	if im.absent[at.sheet+"\x00"+key] {
		return at, false
	}
	if col, ok := im.cols[at.sheet][key]; ok {
		at.col = col
	}
	if at.col >= 0 && im.flagged[at] {
		return at, false
	}
	return at, true
}
