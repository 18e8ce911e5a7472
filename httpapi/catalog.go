package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

// Lint is the result of linting a catalog file: how many entries and data
// items it holds, how many findings of each severity, and the findings
// themselves in sheet, row and column order (at most Limits.Findings of
// them; Truncated says when more were found).
type Lint struct {
	// Format is the file's format: xlsx, csv or json.
	Format string `json:"format"`
	// Entries and Items count the entries and data items read.
	Entries int `json:"entries"`
	Items   int `json:"items"`
	// Errors, Warnings and Infos count the findings by severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Truncated is set when Findings lists only some of them.
	Truncated bool `json:"truncated,omitempty"`
	// Findings are the findings, in the importer's order.
	Findings []LintFinding `json:"findings"`
}

// LintFinding is one finding of a lint, with its place: the sheet, row and
// column of a spreadsheet or CSV file (catalog.RowErrorOf), or the JSON
// element in Path.
type LintFinding struct {
	// Sheet, Row and Column place a spreadsheet or CSV finding (Sheet is
	// empty for CSV; Row 0 for a whole sheet; Column empty for a row).
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	// Path is the finding's path: the cell ("目录!K5") or the JSON
	// element ("entries[2].share").
	Path string `json:"path,omitempty"`
	// Code is the stable code, Severity info, warning or error.
	Code     string            `json:"code"`
	Severity govshare.Severity `json:"severity"`
	// Zh and En are the message in Chinese and in English.
	Zh string `json:"message_zh"`
	En string `json:"message_en"`
	// Citation is the rule the finding enforces.
	Citation govshare.Citation `json:"citation"`
}

// LintOf summarizes an import's entries and findings, listing at most max
// findings (all of them when max ≤ 0).
func LintOf(format string, entries []catalog.Entry, findings []govshare.Finding, max int) Lint {
	l := Lint{Format: format, Entries: len(entries), Findings: []LintFinding{}}
	for _, e := range entries {
		l.Items += len(e.Items)
	}
	for _, f := range findings {
		switch f.Severity {
		case govshare.Error:
			l.Errors++
		case govshare.Warning:
			l.Warnings++
		default:
			l.Infos++
		}
		if max > 0 && len(l.Findings) == max {
			l.Truncated = true
			continue
		}
		lf := LintFinding{Path: f.Path, Code: f.Code, Severity: f.Severity, Zh: f.Message, En: f.MessageEN, Citation: f.Citation}
		if re, ok := catalog.RowErrorOf(f); ok {
			lf.Sheet, lf.Row, lf.Column = re.Sheet, re.Row, re.Column
		}
		l.Findings = append(l.Findings, lf)
	}
	return l
}

// importers are the catalog importers by format name.
var importers = map[string]func(ctx context.Context, r io.Reader, opts ...catalog.Option) ([]catalog.Entry, []govshare.Finding, error){
	"xlsx": catalog.ImportXLSX,
	"csv":  catalog.ImportCSV,
	"json": catalog.ImportJSON,
}

var mediaFormats = map[string]string{
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
	"text/csv":         "csv",
	"application/json": "json",
}

// lint imports an uploaded catalog file (the body; ?format=xlsx|csv|json
// or its Content-Type says which) and returns every finding, within the
// upload limits. The file is not stored.
func (h *Handler) lint(w http.ResponseWriter, r *http.Request, _ govshare.Actor) error {
	format := strings.ToLower(r.URL.Query().Get("format"))
	if format == "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		format = mediaFormats[strings.ToLower(mt)]
	}
	imp, ok := importers[format]
	if !ok {
		return malformed("format", "请用 ?format=xlsx、csv 或 json（或相应的 Content-Type）说明文件格式",
			"say the file's format with ?format=xlsx, csv or json (or its Content-Type)", nil)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.limits.UploadBytes))
	if err != nil {
		return err
	}
	if format == "xlsx" {
		if err := checkInflated(data, h.cfg.limits.InflatedBytes); err != nil {
			return err
		}
	}
	entries, findings, err := imp(r.Context(), bytes.NewReader(data), h.cfg.lint...)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, LintOf(format, entries, findings, h.cfg.limits.Findings))
	return nil
}

// checkInflated refuses a workbook whose parts declare more than limit
// bytes uncompressed. archive/zip, which the importer reads through,
// fails a part that inflates beyond its declared size, so the declared
// sizes bound the work. A body that is no zip archive is left to the
// importer to refuse.
func checkInflated(data []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "httpapi.inflated_too_large",
				Zh:       fmt.Sprintf("工作簿解压后超过%d字节", limit),
				En:       fmt.Sprintf("httpapi: the workbook inflates to more than %d bytes", limit),
				Citation: govshare.PolicyDefault("httpapi.Limits")}
		}
	}
	return nil
}

// template sends the empty catalog workbook departments fill in.
func (h *Handler) template(w http.ResponseWriter, _ *http.Request, _ govshare.Actor) error {
	var buf bytes.Buffer
	if err := catalog.Template(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="catalog-template.xlsx"; filename*=UTF-8''%E7%9B%AE%E5%BD%95%E6%A8%A1%E6%9D%BF.xlsx`)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// findEntries searches the catalog: ?text, provider, region, share,
// method, grade, status, offset, limit as catalog.Query has them.
func (h *Handler) findEntries(w http.ResponseWriter, r *http.Request, _ govshare.Actor) error {
	v := r.URL.Query()
	q := catalog.Query{Text: v.Get("text"), Provider: v.Get("provider"), Region: v.Get("region")}
	if err := q.Share.UnmarshalText([]byte(v.Get("share"))); err != nil {
		return err
	}
	if err := q.Method.UnmarshalText([]byte(v.Get("method"))); err != nil {
		return err
	}
	if s := v.Get("grade"); s != "" {
		g, err := classify.ParseGrade(s)
		if err != nil {
			return err
		}
		q.Grade = g
	}
	if err := q.Status.UnmarshalText([]byte(v.Get("status"))); err != nil {
		return err
	}
	var err error
	if q.Offset, err = queryInt(r, "offset", 0, 1<<30); err != nil {
		return err
	}
	if q.Limit, err = queryInt(r, "limit", 0, catalog.MaxLimit); err != nil {
		return err
	}
	res, err := h.cat.Find(r.Context(), q)
	if err != nil {
		return err
	}
	if res.Entries == nil {
		res.Entries = []catalog.Entry{}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// getEntry returns an entry's latest version, or ?version=N.
func (h *Handler) getEntry(w http.ResponseWriter, r *http.Request, _ govshare.Actor) error {
	id := r.PathValue("id")
	var (
		e   catalog.Entry
		err error
	)
	if s := r.URL.Query().Get("version"); s != "" {
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n < 1 {
			return malformed("invalid_query", "查询参数 version 应为正整数", "query parameter version must be a positive integer", nil)
		}
		e, err = h.cat.Version(r.Context(), id, n)
	} else {
		e, err = h.cat.Get(r.Context(), id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
