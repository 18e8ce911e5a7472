package catalog

import (
	"fmt"
	"io"
	"strconv"

	"github.com/govshare/govshare"
)

// Limits bound what the importers read from one uploaded file, so that no
// upload can exhaust the memory or the time of the host (issue 11). A zero
// field takes its default (DefaultLimits); a file beyond a limit is refused
// with a *LimitError, of kind govshare.ErrTooLarge (HTTP 413), before the
// part of it beyond the limit is read.
//
//	field              applies to          default        what it bounds
//	FileBytes          XLSX, CSV, JSON     64 MiB         bytes read from the reader
//	Parts              XLSX                10,000         entries of the zip's central directory
//	PartBytes          XLSX                512 MiB        inflated bytes of one zip part, declared and actual
//	PartRatio          XLSX                100            inflated ÷ compressed size of a part over 1 MiB
//	SharedStringBytes  XLSX                64 MiB         text of the shared-string table held while reading
//	Rows               XLSX, CSV, JSON     1,048,576      rows of one sheet or CSV file; entries plus items of a JSON file
//	Cells              XLSX, CSV, JSON     16,777,216     cells of the file; values of a JSON file
//	CellChars          XLSX, CSV, JSON     32,767         characters of one cell or JSON string
//	Findings           XLSX, CSV, JSON     100,000        findings of one import
//
// The defaults admit the largest catalog a worksheet holds: 1,048,575
// data-item rows exported by ExportXLSX make a 26 MB file whose item sheet
// inflates to 320 MB at a ratio of 14. A sheet whose row numbers go beyond
// a worksheet's 1,048,576 rows is malformed whatever Rows says (a finding,
// and the rest of the sheet is not read); Rows is for hosts that want less.
type Limits struct {
	// FileBytes is the most bytes read from the reader. An XLSX file is
	// held in memory whole (the zip format is read from its end); CSV is
	// streamed.
	FileBytes int64
	// Parts is the most entries the zip's central directory may have.
	// archive/zip allocates a record for each before anything else can be
	// checked, so they are counted first.
	Parts int
	// PartBytes is the most bytes one zip part may declare, and may
	// inflate to.
	PartBytes int64
	// PartRatio is the most a part over 1 MiB may inflate to per byte of
	// its compressed size, declared and actual. Worksheets compress 10 to
	// 20 times; a deflate bomb some 1,000 times.
	PartRatio int
	// SharedStringBytes is the most text the workbook's shared-string
	// table may hold, counted as read (with 8 bytes for each string).
	SharedStringBytes int64
	// Rows is the most rows read from one sheet or CSV file, blank rows
	// included, and the most entries and data items of a JSON file.
	Rows int
	// Cells is the most cells read from the file (every cell element of
	// the sheets read, every field of a CSV file, every value of a JSON
	// file).
	Cells int64
	// CellChars is the most characters of one cell, or of one JSON
	// string; 32,767 is what a spreadsheet cell holds.
	CellChars int
	// Findings is the most findings an import returns; a file with more
	// is refused rather than reported in part.
	Findings int
}

// The defaults of Limits, field by field.
const (
	// DefaultFileBytes is the default of Limits.FileBytes: 64 MiB.
	DefaultFileBytes = 64 << 20
	// DefaultParts is the default of Limits.Parts: 10,000 zip entries.
	DefaultParts = 10_000
	// DefaultPartBytes is the default of Limits.PartBytes: 512 MiB.
	DefaultPartBytes = 512 << 20
	// DefaultPartRatio is the default of Limits.PartRatio: 100.
	DefaultPartRatio = 100
	// DefaultSharedStringBytes is the default of Limits.SharedStringBytes:
	// 64 MiB.
	DefaultSharedStringBytes = 64 << 20
	// DefaultRows is the default of Limits.Rows: 1,048,576, a worksheet's
	// rows.
	DefaultRows = 1 << 20
	// DefaultCells is the default of Limits.Cells: 16,777,216.
	DefaultCells = 1 << 24
	// DefaultCellChars is the default of Limits.CellChars: 32,767, what a
	// spreadsheet cell holds.
	DefaultCellChars = 32767
	// DefaultFindings is the default of Limits.Findings: 100,000.
	DefaultFindings = 100_000
)

// ratioFloor is the inflated size below which PartRatio is not checked: a
// small part of repeated markup may compress far better than a sheet,
// and costs nothing to read.
const ratioFloor = 1 << 20

// DefaultLimits returns the limits the importers use without WithLimits.
func DefaultLimits() Limits {
	return Limits{
		FileBytes:         DefaultFileBytes,
		Parts:             DefaultParts,
		PartBytes:         DefaultPartBytes,
		PartRatio:         DefaultPartRatio,
		SharedStringBytes: DefaultSharedStringBytes,
		Rows:              DefaultRows,
		Cells:             DefaultCells,
		CellChars:         DefaultCellChars,
		Findings:          DefaultFindings,
	}
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v *int64, def int64) {
		if *v == 0 {
			*v = def
		}
	}
	pickInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	pick(&l.FileBytes, d.FileBytes)
	pickInt(&l.Parts, d.Parts)
	pick(&l.PartBytes, d.PartBytes)
	pickInt(&l.PartRatio, d.PartRatio)
	pick(&l.SharedStringBytes, d.SharedStringBytes)
	pickInt(&l.Rows, d.Rows)
	pick(&l.Cells, d.Cells)
	pickInt(&l.CellChars, d.CellChars)
	pickInt(&l.Findings, d.Findings)
	return l
}

// WithLimits sets the limits of the importers (ImportXLSX, ImportCSV,
// ImportJSON). Zero fields keep their defaults (DefaultLimits); a
// negative field is refused. It applies to the importers only. Default:
// DefaultLimits().
func WithLimits(l Limits) Option {
	return func(c *config) error {
		if err := c.needs("WithLimits", useImport); err != nil {
			return err
		}
		for name, v := range map[string]int64{
			"FileBytes": l.FileBytes, "Parts": int64(l.Parts), "PartBytes": l.PartBytes, "PartRatio": int64(l.PartRatio),
			"SharedStringBytes": l.SharedStringBytes, "Rows": int64(l.Rows), "Cells": l.Cells,
			"CellChars": int64(l.CellChars), "Findings": int64(l.Findings),
		} {
			if v < 0 {
				return optionError("WithLimits", "限制"+name+"不能为负数", name+" is negative")
			}
		}
		c.limits = l.withDefaults()
		return nil
	}
}

// lim returns the configuration's limits, the defaults when none was
// given.
func (c *config) lim() Limits {
	if c.limits == (Limits{}) {
		return DefaultLimits()
	}
	return c.limits
}

// LimitError reports an import refused because the file goes beyond one of
// the importer's Limits. errors.Is(err, govshare.ErrTooLarge) holds (HTTP
// 413). Nothing of the file is returned: a catalog read in part is not
// the catalog the department sent.
type LimitError struct {
	Format string // "xlsx", "csv" or "json"
	Limit  string // the field of Limits, e.g. "PartBytes"
	Max    int64  // the limit in force
	// Value is what the file has or declares; when the limit was met while
	// reading, the count at which reading stopped (Max+1 or more).
	Value int64
	// Part is the zip part concerned ("xl/worksheets/sheet2.xml"), for
	// the limits of parts; empty otherwise.
	Part string
	// Ref is the cell ("数据项!B7", "F12" in CSV) or JSON path of a cell
	// over CellChars; empty otherwise.
	Ref string
	// reading is true when the limit was met while reading: Value is then
	// where reading stopped, not what the file has.
	reading bool
}

// limitNames are the Chinese names of the limits, for messages.
var limitNames = map[string]struct{ zh, unitZh, unitEn string }{
	"FileBytes":         {"文件大小", "字节", "bytes"},
	"Parts":             {"压缩包条目数", "个", "entries"},
	"PartBytes":         {"压缩包条目解压后大小", "字节", "bytes"},
	"PartRatio":         {"压缩比", "倍", "times its compressed size"},
	"SharedStringBytes": {"共享字符串表大小", "字节", "bytes"},
	"Rows":              {"行数", "行", "rows"},
	"Cells":             {"单元格数", "个", "cells"},
	"CellChars":         {"单元格字符数", "个字符", "characters"},
	"Findings":          {"问题数", "个", "findings"},
}

// Error names the limit, its value and what the file has.
func (e *LimitError) Error() string {
	n := limitNames[e.Limit]
	where := ""
	switch {
	case e.Part != "":
		where = " (part " + e.Part + ")"
	case e.Ref != "":
		where = " (at " + e.Ref + ")"
	}
	return fmt.Sprintf("catalog: %s file beyond the import limit %s = %d %s: %s%s",
		e.Format, e.Limit, e.Max, n.unitEn, e.value(), where)
}

func (e *LimitError) value() string {
	if e.reading {
		return "more than " + strconv.FormatInt(e.Max, 10)
	}
	return strconv.FormatInt(e.Value, 10)
}

// Unwrap returns govshare.ErrTooLarge.
func (e *LimitError) Unwrap() error { return govshare.ErrTooLarge }

// ErrorMessage implements govshare.Messenger.
func (e *LimitError) ErrorMessage() govshare.Message {
	n := limitNames[e.Limit]
	got := strconv.FormatInt(e.Value, 10)
	if e.reading {
		got = "超过" + strconv.FormatInt(e.Max, 10)
	}
	where := ""
	switch {
	case e.Part != "":
		where = "（" + e.Part + "）"
	case e.Ref != "":
		where = "（" + e.Ref + "）"
	}
	return govshare.Message{Code: "catalog.too_large",
		Zh: fmt.Sprintf("%s文件超出导入限制：%s%s为%s%s，上限为%d%s（%s），文件未导入",
			formatsZh[e.Format], n.zh, where, got, n.unitZh, e.Max, n.unitZh, e.Limit),
		En:       e.Error(),
		Citation: citeLimits}
}

var citeLimits = govshare.PolicyDefault("govshare 导入限制（catalog.Limits）")

// countingReader reads at most max bytes from r; one byte more is an error
// made by over, and so is every later read.
type countingReader struct {
	r    io.Reader
	n    int64
	max  int64
	over func(n int64) error
	err  error
}

// Read reads from r and counts; beyond max it returns the error of over.
func (c *countingReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if rest := c.max + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		c.err = c.over(c.n)
		return n - int(c.n-c.max), c.err
	}
	return n, err
}
