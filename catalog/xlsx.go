package catalog

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare"
)

// ImportXLSX reads a catalog workbook in the template's layout: a 目录 sheet
// with one entry per row and a 数据项 sheet with one data item per row,
// linked by 目录代码; other sheets (such as 说明) are ignored. Columns are
// found by their Chinese headers, in any order, below up to
// headerSearchRows title rows. Cells accept the Chinese terms and the
// stable codes; full-width characters and stray spaces are normalised. The
// provider's Level is derived from its 行政区划代码. The 数据项 sheet is
// read only when the 目录 sheet is.
//
// err is non-nil only when the file is not a workbook at all
// (ErrUnreadable, *ReadError), when it goes beyond a limit (Limits,
// WithLimits: *LimitError, govshare.ErrTooLarge), when an option cannot
// be used (govshare.ErrInvalid) or when ctx is done, checked between
// reads, rows and entries (ctx.Err()). Every problem in its content — a
// missing sheet or column, an unknown value, merged cells, an item of no
// entry, XML that cannot be read, a cell that is not UTF-8 or holds a
// control character, and every finding of Validate on every entry — is a
// finding whose Path is the cell ("数据项!F12"); RowErrorOf gives its
// sheet, row and column. A cell or row that cannot be read is named by a
// finding (CodeMalformed; "catalog.control_character" for a control
// character), what it held is not imported, and reading goes on at the
// next row. All findings are
// returned, in sheet, row and column order.
//
// The zip format is read from its end: a reader that is an io.ReaderAt of
// known size (an *os.File, a multipart.File, a *bytes.Reader) is read in
// place, any other is read into memory first, up to Limits.FileBytes.
// The zip's directory is checked against the limits before any part is
// inflated, and the parts are read as streams, with no temporary files.
func ImportXLSX(ctx context.Context, r io.Reader, opts ...Option) ([]Entry, []govshare.Finding, error) {
	im, err := newImporter(ctx, "xlsx", opts)
	if err != nil {
		return nil, nil, err
	}
	src, size, err := xlsxSource(ctx, r, im.lim)
	if err != nil {
		return nil, nil, err
	}
	z, err := openZip(src, size, im.lim)
	if err != nil {
		return nil, nil, readFailed(ctx, "xlsx", err)
	}
	wb, err := z.readWorkbook(ctx, catalogSheetName, itemSheetName)
	if err != nil {
		return nil, nil, err
	}
	var sst *sharedStrings
	var cells int64
	for _, l := range []*layout{catalogSheet, itemSheet} {
		sheet, ok := wb.sheets[l.sheet]
		if !ok {
			im.add(place{l.sheet, 0, -1}, finding(CodeSheetMissing, govshare.Error, "", citeTemplate,
				"缺少“"+l.sheet+"”工作表", "the workbook has no "+l.sheet+" sheet"))
			continue
		}
		if l == itemSheet && im.cols[catalogSheetName] == nil {
			// Without a readable 目录 sheet every item would be reported
			// as belonging to no entry; the sheet's finding says it all.
			continue
		}
		pr, err := z.open(sheet.part)
		if err == nil && pr == nil {
			err = &ReadError{Format: "xlsx", Err: fmt.Errorf("sheet %s: no part %q", sheet.name, sheet.part)}
		}
		if err == nil && sst == nil && wb.sharedStrings != "" {
			sst, err = z.readSharedStrings(ctx, wb.sharedStrings, im.lim)
			if sst == nil {
				sst = &sharedStrings{}
			}
		}
		if err == nil {
			err = im.readSheet(l, newSheetReader(pr, sst, im.lim, l.sheet, im.in, &cells))
		}
		if err != nil {
			return nil, nil, readFailed(ctx, "xlsx", err)
		}
	}
	return im.finish(catalogSheetName)
}

// readSheet reads the rows of a worksheet into entries or items, and
// reports its merged ranges at or below the header row (a merged title
// above the header is harmless) before the findings of its rows.
func (im *importer) readSheet(l *layout, sr *sheetReader) error {
	headerRow, at := 0, -1
	var early []string // ranges met before the header row, rare
	var merged []located
	sr.merged = func(ref string) error {
		if headerRow == 0 {
			if len(early) >= im.lim.Findings {
				return &LimitError{Format: "xlsx", Limit: "Findings", Max: int64(im.lim.Findings), Value: int64(len(early)) + 1, reading: true}
			}
			early = append(early, ref)
			return nil
		}
		if f, ok := im.mergedCells(l.sheet, headerRow, ref); ok {
			if len(im.findings)+len(merged) >= im.lim.Findings {
				return &LimitError{Format: "xlsx", Limit: "Findings", Max: int64(im.lim.Findings), Value: int64(len(im.findings)+len(merged)) + 1, reading: true}
			}
			merged = append(merged, f)
		}
		return nil
	}
	handle := im.entryRow
	if l == itemSheet {
		handle = im.itemRow
	}
	err := im.rows(l, sr, func(row int) {
		headerRow, at = row, len(im.findings)
		for _, ref := range early {
			if f, ok := im.mergedCells(l.sheet, headerRow, ref); ok {
				merged = append(merged, f)
			}
		}
	}, handle)
	for _, p := range sr.loose {
		after := "第" + strconv.Itoa(p.row) + "行之后"
		afterEN := "after row " + strconv.Itoa(p.row)
		if p.row == 0 {
			after, afterEN = "第一行之前", "before the first row"
		}
		im.add(place{l.sheet, 0, -1}, malformed("工作表的XML在"+after+"损坏："+p.p.zh, "the sheet's XML is damaged "+afterEN+": "+p.p.en))
	}
	if err != nil {
		return err
	}
	if at >= 0 && len(merged) > 0 {
		im.findings = slices.Insert(im.findings, at, merged...)
		for _, m := range merged {
			im.flagged[m.at] = true
		}
	}
	return im.err
}

// mergedCells makes the finding of a merged range, unless it lies above
// the header row.
func (im *importer) mergedCells(sheet string, headerRow int, ref string) (located, bool) {
	first, last, _ := strings.Cut(ref, ":")
	col, row, err := excelize.CellNameToCoordinates(first)
	if err != nil {
		return located{}, false
	}
	lastRow := row
	if _, r2, err := excelize.CellNameToCoordinates(last); err == nil {
		lastRow = r2
	}
	if lastRow < headerRow {
		return located{}, false
	}
	return im.locate1(place{sheet, row, col - 1}, finding(CodeMergedCells, govshare.Error, "", citeTemplate,
		"合并单元格"+truncate(ref)+"：合并后只有左上角单元格有值，请取消合并并在每一行填写",
		"merged cells "+quote(ref)+": only the top-left cell holds the value; unmerge them and fill every row")), true
}

// ExportXLSX writes entries in the template's layout — the 目录 and 数据项
// sheets with Chinese terms in the cells, and the 说明 sheet with the
// drop-down lists — so that ImportXLSX reads back the same entries (their
// authoring fields: Status, Version and times are not part of the sheets).
// Rows are streamed to w. An entry holding an undefined enumeration value
// is an *ExportError (ErrNotExportable); an option that does not apply to
// exporting (see Option) is an error of kind govshare.ErrInvalid.
func ExportXLSX(w io.Writer, entries []Entry, opts ...Option) error {
	c, err := newConfig(opts, forExport)
	if err != nil {
		return err
	}
	return writeWorkbook(w, entries, c)
}

// Template writes the empty catalog template departments fill in: the 目录
// and 数据项 sheets with their Chinese headers, a drop-down list (data
// validation) on every enumeration column, and a 说明 sheet explaining
// each column and listing the accepted values.
func Template(w io.Writer, opts ...Option) error {
	c, err := newConfig(opts, forExport)
	if err != nil {
		return err
	}
	return writeWorkbook(w, nil, c)
}

// maxCellChars is the most characters a spreadsheet cell holds.
const maxCellChars = 32767

func writeWorkbook(w io.Writer, entries []Entry, c *config) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", catalogSheetName); err != nil {
		return err
	}
	for _, s := range []string{itemSheetName, guideSheetName} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	lists, err := writeGuide(f, c)
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep codes as text
	if err != nil {
		return err
	}
	row := func(l *layout, e *Entry, it *DataItem) ([]any, error) {
		vals := make([]any, len(l.cols))
		for i, col := range l.cols {
			s, err := col.format(e, it, c)
			if err != nil {
				return nil, &ExportError{ID: e.ID, Err: err}
			}
			if len(s) > maxCellChars && utf8.RuneCountInString(s) > maxCellChars {
				return nil, &ExportError{ID: e.ID, Err: fmt.Errorf("%s is longer than the %d characters a cell holds", col.header, maxCellChars)}
			}
			if s != "" {
				vals[i] = s
				if col.key == "items.length" {
					vals[i] = it.Length
				}
			}
		}
		return vals, nil
	}
	for _, l := range []*layout{catalogSheet, itemSheet} {
		if err := addValidations(f, l, lists); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(l.sheet)
		if err != nil {
			return err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		for i, col := range l.cols {
			if err := sw.SetColWidth(i+1, i+1, col.width); err != nil {
				return err
			}
			if col.code {
				if err := sw.SetColStyle(i+1, i+1, textStyle); err != nil {
					return err
				}
			}
		}
		head := make([]any, len(l.cols))
		for i, col := range l.cols {
			head[i] = excelize.Cell{StyleID: headStyle, Value: col.header}
		}
		if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
			return err
		}
		n := 1
		for i := range entries {
			e := &entries[i]
			if l == catalogSheet {
				vals, err := row(l, e, nil)
				if err != nil {
					return err
				}
				n++
				if err := sw.SetRow(cellName(n), vals); err != nil {
					return err
				}
				continue
			}
			for j := range e.Items {
				vals, err := row(l, e, &e.Items[j])
				if err != nil {
					return err
				}
				n++
				if n > maxRows {
					return &ExportError{ID: e.ID, Err: fmt.Errorf("more than %d data items do not fit in a sheet", maxRows-1)}
				}
				if err := sw.SetRow(cellName(n), vals); err != nil {
					return err
				}
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	// The 目录 sheet (the renamed first sheet) is the active one already;
	// SetActiveSheet would parse every streamed sheet back into memory.
	return f.Write(w)
}

func cellName(row int) string {
	s, _ := excelize.CoordinatesToCellName(1, row)
	return s
}

// guideListCol is the first column of the 说明 sheet that holds the values
// of the drop-down lists (H).
const guideListCol = 7

// writeGuide fills the 说明 sheet: notes, one row per column of the two
// data sheets, and the value lists the drop-downs refer to. It returns, by
// field key, the reference of each list.
func writeGuide(f *excelize.File, c *config) (map[string]string, error) {
	s := guideSheetName
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	notes := []string{
		"政务数据目录模板说明（《政务数据共享条例》第三章 目录管理）",
		"1. “目录”表每行一个数据目录；“数据项”表每行一个数据项，以“目录代码”关联到目录。",
		"2. 枚举列可从下拉列表选择，也可填写英文代码（如 conditional）；全角字符和多余空格会自动规范。",
		"3. “共享方式”可填多个，以“、”或“,”分隔。请勿合并单元格，表头行请勿修改。",
		"4. 有条件共享须填写使用条件，不予共享须填写法律、行政法规或政策文件依据（R7）；数据项的共享属性只能比目录更严格。",
	}
	set := func(col, row int, v any, style int) error {
		cell, err := excelize.CoordinatesToCellName(col+1, row)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(s, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(s, cell, cell, style)
		}
		return nil
	}
	for i, n := range notes {
		style := 0
		if i == 0 {
			style = bold
		}
		if err := set(0, i+1, n, style); err != nil {
			return nil, err
		}
	}
	top := len(notes) + 2
	for i, h := range []string{"工作表", "列", "列名", "必填", "填写说明"} {
		if err := set(i, top, h, bold); err != nil {
			return nil, err
		}
	}
	lists := map[string]string{}
	row, listCol := top+1, guideListCol
	for _, l := range []*layout{catalogSheet, itemSheet} {
		for i, col := range l.cols {
			required := ""
			if col.required {
				required = "是"
			}
			for j, v := range []string{l.sheet, columnName(i), col.header, required, col.hint} {
				if err := set(j, row, v, wrap); err != nil {
					return nil, err
				}
			}
			row++
			if col.list == nil {
				continue
			}
			values := col.list(c)
			if err := set(listCol, top, l.sheet+"·"+col.header, bold); err != nil {
				return nil, err
			}
			for k, v := range values {
				if err := set(listCol, top+1+k, v, 0); err != nil {
					return nil, err
				}
			}
			letter := columnName(listCol)
			lists[l.sheet+"\x00"+col.key] = fmt.Sprintf("'%s'!$%s$%d:$%s$%d", s, letter, top+1, letter, top+max(len(values), 1))
			listCol++
		}
	}
	for i, w := range []float64{10, 6, 24, 6, 60} {
		name := columnName(i)
		if err := f.SetColWidth(s, name, name, w); err != nil {
			return nil, err
		}
	}
	return lists, nil
}

// addValidations puts an input prompt on every column of a data sheet and
// a drop-down list on every enumeration column. The lists warn rather than
// stop, because a cell may also hold a stable code or, for 共享方式,
// several values.
func addValidations(f *excelize.File, l *layout, lists map[string]string) error {
	for i, col := range l.cols {
		letter := columnName(i)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", letter, letter, maxRows))
		dv.SetInput(col.header, col.hint)
		if ref, ok := lists[l.sheet+"\x00"+col.key]; ok {
			dv.SetSqrefDropList(ref)
			msg := "请从下拉列表选择，或填写对应的英文代码。"
			if col.multi {
				msg = "可填写多个，以“、”或“,”分隔。"
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, col.header, msg)
		}
		if err := f.AddDataValidation(l.sheet, dv); err != nil {
			return err
		}
	}
	return nil
}
