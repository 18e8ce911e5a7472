package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

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
// UTF-8 (with or without BOM) is expected; a file that
// is not valid UTF-8 is read as GB18030, as spreadsheet programs on
// Chinese systems save it.
//
// err is non-nil only when r cannot be read (ErrUnreadable), when an
// option cannot be used (govshare.ErrInvalid) or when ctx is done, checked
// between reads and between rows (ctx.Err()); every problem in the content
// is a finding whose Path is the cell ("F12"), in row and column order,
// including every finding of Validate on every entry.
func ImportCSV(ctx context.Context, r io.Reader, opts ...Option) ([]Entry, []govshare.Finding, error) {
	im, err := newImporter(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	data, err := readAll(ctx, "csv", r)
	if err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
			data = d
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	rr := &csvRows{r: cr}
	fileCols, ok := im.header(csvLayout, rr)
	if ok {
		for {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			row, cells, more := rr.next()
			if !more {
				break
			}
			if !blankRow(cells) {
				im.csvRow(csvLayout, fileCols, row, cells)
			}
		}
		if row, f := rr.problem(); f != nil {
			im.add(place{"", row, -1}, *f)
		}
	}
	return im.finish("")
}

// csvRows numbers the records of a CSV file from 1, as a spreadsheet
// program shows them.
type csvRows struct {
	r       *csv.Reader
	n       int
	stopRow int
	stop    *govshare.Finding
}

func (c *csvRows) next() (int, []string, bool) {
	if c.stop != nil {
		return 0, nil, false
	}
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil, false
	}
	c.n++
	if err != nil {
		f := finding(CodeMalformed, govshare.Error, "", citeTemplate,
			"该行不符合CSV格式，其后的内容未读取："+truncate(err.Error()),
			"the row is not valid CSV and the rest of the file was not read: "+err.Error())
		c.stop, c.stopRow = &f, c.n
		return 0, nil, false
	}
	if c.n > maxRows {
		f := finding(CodeMalformed, govshare.Error, "", citeTemplate,
			"文件超过1048576行，其后的内容未读取", "the file goes beyond row 1048576; the rest was not read")
		c.stop, c.stopRow = &f, maxRows
		return 0, nil, false
	}
	return c.n, rec, true
}

func (c *csvRows) problem() (int, *govshare.Finding) { return c.stopRow, c.stop }

// ExportCSV writes entries as ImportCSV reads them: a UTF-8 BOM, the
// header row, then one row per data item with its entry's columns
// repeated (one row with the item columns empty for an entry without
// items). Status, Version and times are not written. An entry holding an
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
			rec[i] = s
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
