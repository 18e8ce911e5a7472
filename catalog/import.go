package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

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
	// next returns the next row's 1-based number and cells, or false at
	// the end.
	next() (row int, cells []string, ok bool)
	// problem returns what stopped the rows early, if anything: a finding
	// of the row where reading stopped.
	problem() (row int, f *govshare.Finding)
}

// pending is an entry being assembled from rows, with where each part came
// from so that findings can name the cell.
type pending struct {
	e         Entry
	sheet     string
	row       int
	itemSheet string
	itemRows  []int
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
	entries  []*pending
	byID     map[string]*pending
	findings []located
	// cols maps, per sheet, a field key to the file's column index.
	cols map[string]map[string]int
	// absent records the field keys of required columns a sheet lacks,
	// so that validation does not repeat the header's finding per row.
	absent  map[string]bool
	flagged map[place]bool
}

func newImporter(ctx context.Context, opts []Option) (*importer, error) {
	c, err := newConfig(opts, forValidate)
	if err != nil {
		return nil, err
	}
	return &importer{
		ctx:     ctx,
		c:       c,
		byID:    map[string]*pending{},
		cols:    map[string]map[string]int{},
		absent:  map[string]bool{},
		flagged: map[place]bool{},
	}, nil
}

// readAll reads a file whole for an importer, stopping between reads when
// ctx is done: a slow upload of a large file is abandoned when its caller
// gives up. It returns ctx.Err() then. When r fails it returns a
// *ReadError, unless r's error has a kind of govshare's already: a host's
// reader that stops an upload at its size limit with govshare.ErrTooLarge
// keeps that kind (and its 413), rather than being one more unreadable
// file with two kinds.
func readAll(ctx context.Context, format string, r io.Reader) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(ctxReader{ctx, r})
	switch {
	case err == nil:
		return data, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case hasKind(err):
		return nil, err
	}
	return nil, &ReadError{Format: format, Err: err}
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

func (im *importer) add(at place, f govshare.Finding) {
	re := RowError{Sheet: at.sheet, Row: at.row}
	if at.col >= 0 && at.row > 0 {
		re.Column = columnName(at.col)
	}
	f.Path = re.Ref()
	im.findings = append(im.findings, located{at: at, f: f})
	if at.col >= 0 {
		im.flagged[at] = true
	}
}

// header finds the header row of a sheet and maps the file's columns to
// the layout's: fileCols[i] is the layout column of file column i, or -1.
func (im *importer) header(l *layout, rr rowReader) (fileCols []int, ok bool) {
	sheetName := l.sheet
	for n := 0; n < headerSearchRows; n++ {
		row, cells, more := rr.next()
		if !more {
			break
		}
		fileCols = make([]int, len(cells))
		found := false
		for i, cell := range cells {
			fileCols[i] = -1
			if j, ok := l.byHeader[normHeader(cell)]; ok {
				fileCols[i] = j
				found = found || j == 0
			}
		}
		if !found {
			continue
		}
		im.checkHeader(l, row, cells, fileCols)
		return fileCols, true
	}
	if row, f := rr.problem(); f != nil {
		im.add(place{sheetName, row, -1}, *f)
	}
	first := l.cols[0].header
	im.add(place{sheetName, 0, -1}, finding(CodeHeaderMissing, govshare.Error, "", citeTemplate,
		fmt.Sprintf("未找到表头行：前%d行中没有“%s”列", headerSearchRows, first),
		fmt.Sprintf("no header row: none of the first %d rows has a %s column", headerSearchRows, first)))
	return nil, false
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
	var it DataItem
	before := len(im.findings)
	im.readCells(l, fileCols, row, cells, &p.e, &it, isItemColumn)
	if it == (DataItem{}) {
		if len(im.findings) == before {
			col, ok := im.cols[l.sheet]["items.name"]
			if !ok {
				col = -1
			}
			im.add(place{l.sheet, row, col}, finding(CodeRequired, govshare.Error, "", govshare.Rule("R6"),
				"数据项名称未填写，该行的数据项未导入", "data item name is missing; the row's item was not imported"))
		}
		return
	}
	p.e.Items = append(p.e.Items, it)
	p.itemSheet = l.sheet
	p.itemRows = append(p.itemRows, row)
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
	var again Entry
	for i, cell := range cells {
		if i >= len(fileCols) || fileCols[i] < 0 {
			continue
		}
		col := l.cols[fileCols[i]]
		if !isEntryColumn(col) || strings.TrimFunc(cell, isSpace) == "" {
			continue
		}
		if err := col.parse(&again, nil, cell, im.c); err != nil {
			im.add(place{l.sheet, row, i}, cellFinding(col, cell, err))
			continue
		}
		now, err1 := col.format(&again, nil, im.c)
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
			at = place{sheet: p.itemSheet, row: p.itemRows[i], col: -1}
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
