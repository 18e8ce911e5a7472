package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// The fuzz targets of the importers. Their seed corpora are committed in
// testdata/fuzz/<target>/ (go test -run TestFuzzSeeds -update rewrites
// them); the figures of the runs are in docs/benchmarks.md.

func seed(f *testing.F, name string) {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(f, err)
	f.Add(data)
}

// fuzzLimits keep one fuzzed import small, so that the fuzzer runs many.
func fuzzLimits() Option {
	return WithLimits(Limits{FileBytes: 1 << 20, PartBytes: 8 << 20, SharedStringBytes: 1 << 20,
		Rows: 10_000, Cells: 100_000, Findings: 10_000})
}

// checkImport asserts what holds of every import: an error is a read error
// or a limit, of one kind, with nothing returned; findings are complete
// and, in files with cells, name a cell, row or sheet in sheet, row and
// column order.
func checkImport(t *testing.T, format string, entries []Entry, findings []govshare.Finding, err error) {
	t.Helper()
	if err != nil {
		var le *LimitError
		if !errors.As(err, &le) {
			require.ErrorIs(t, err, ErrUnreadable)
		}
		var kinds []error
		for _, k := range govshare.Kinds() {
			if errors.Is(err, k) {
				kinds = append(kinds, k)
			}
		}
		require.Len(t, kinds, 1, "%v", err)
		require.Nil(t, entries)
		require.Nil(t, findings)
		return
	}
	var last *RowError
	for _, f := range findings {
		require.NotEmpty(t, f.Code)
		require.NotEmpty(t, f.Message)
		require.NotEmpty(t, f.MessageEN)
		if format == "json" {
			continue
		}
		re, ok := RowErrorOf(f)
		if f.Path == "" && format == "csv" {
			re, ok = &RowError{}, true // the whole CSV file
		}
		require.True(t, ok, "a finding that names no cell: %q", f.Path)
		if last != nil {
			a := []int{sheetOrder(last.Sheet), last.Row, columnIndex(last.Column)}
			b := []int{sheetOrder(re.Sheet), re.Row, columnIndex(re.Column)}
			require.LessOrEqual(t, slices.Compare(a, b), 0, "findings out of order: %s then %s", last.Ref(), re.Ref())
		}
		last = re
	}
}

// columnIndex is the 0-based index of a column's letters, -1 for none.
func columnIndex(letters string) int {
	n := 0
	for _, c := range letters {
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}

// FuzzImportJSON: any input gives entries and findings or ErrUnreadable,
// never a panic; whatever is imported exports, and the export is canonical
// (importing and exporting it again gives the same bytes).
func FuzzImportJSON(f *testing.F) {
	seed(f, "catalog.golden.json")
	for _, s := range []string{``, `null`, `{}`, `{"entries":[{}]}`, `{"entries":[{"items":[{"length":1e400}]}]}`,
		`{"entries":[{"updated_at":"0000-01-01T00:00:00+14:00","methods":[null,7],"classification":[]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, findings, err := ImportJSON(context.Background(), bytes.NewReader(data))
		checkImport(t, "json", entries, findings, err)
		if err != nil {
			require.ErrorIs(t, err, ErrUnreadable)
			return
		}
		var first bytes.Buffer
		require.NoError(t, ExportJSON(&first, entries))
		again, _, err := ImportJSON(context.Background(), bytes.NewReader(first.Bytes()))
		require.NoError(t, err)
		var second bytes.Buffer
		require.NoError(t, ExportJSON(&second, again))
		require.Equal(t, first.String(), second.String())
	})
}

// FuzzImportCSV: any input gives entries and findings, never a panic or an
// error; whatever is imported exports, and importing the export gives the
// same entries.
func FuzzImportCSV(f *testing.F) {
	seed(f, "catalog.golden.csv")
	for _, s := range []string{"", "目录代码\n", "目录代码,数据项名称\n1/1,\"a\n", "目录代码,长度,数据项名称\n101001/1,1e9,x\n101001/1,,y\n",
		"\xEF\xBB\xBF目录代码,共享方式\n101001/1,服务接口、，,pigeon\n", "目录代码,数据分类\n101001/1,社会保障/人/基础\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, findings, err := ImportCSV(context.Background(), bytes.NewReader(data))
		require.NoError(t, err) // a fuzzed input is far below every default limit
		checkImport(t, "csv", entries, findings, err)
		var out bytes.Buffer
		require.NoError(t, ExportCSV(&out, entries))
		again, _, err := ImportCSV(context.Background(), bytes.NewReader(out.Bytes()))
		require.NoError(t, err)
		require.Equal(t, entries, again)
	})
}

// FuzzImportXLSX fuzzes whole files: the zip's directory and parts, the
// workbook's structure, the shared strings and the sheets, stored or
// deflated. Any input gives entries and findings, a read error or a
// limit, never a panic; whatever is imported exports, and importing the
// export gives the same entries.
func FuzzImportXLSX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzXLSX(t, data) })
}

// FuzzImportXLSXSheet fuzzes the XML of the 数据项 sheet — rows, cells,
// merged ranges — and of the shared-string table, in a zip that is
// always sound, so that the mutations reach the XML.
func FuzzImportXLSXSheet(f *testing.F) {
	f.Fuzz(func(t *testing.T, items, sst []byte) {
		fuzzXLSX(t, fuzzWorkbook(t, string(items), string(sst)))
	})
}

func fuzzXLSX(t *testing.T, data []byte) {
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data), fuzzLimits())
	checkImport(t, "xlsx", entries, findings, err)
	if err != nil || len(entries) == 0 {
		return
	}
	var out bytes.Buffer
	require.NoError(t, ExportXLSX(&out, entries))
	again, _, err := ImportXLSX(context.Background(), bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	require.Equal(t, entries, again)
}

// fuzzWorkbook is a workbook of the valid 目录 sheet, a 数据项 worksheet
// part whose content is items and a shared-string table whose content is
// sst, stored: the fuzzer's bytes are the parts' bytes.
func fuzzWorkbook(t testing.TB, items, sst string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	put := func(name, content string) {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write([]byte(content))
		require.NoError(t, err)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)
	put("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<workbook `+spreadsheetNS+`><sheets><sheet name="目录" sheetId="1" r:id="rId1"/><sheet name="数据项" sheetId="2" r:id="rId2"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>`+
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	put("xl/worksheets/sheet1.xml", `<worksheet `+spreadsheetNS+`>`+catalogSheetXML()+`</worksheet>`)
	put("xl/worksheets/sheet2.xml", items)
	put("xl/sharedStrings.xml", sst)
	require.NoError(t, z.Close())
	return b.Bytes()
}

// xlsxSeeds are the seeds of FuzzImportXLSX: the workbooks of the tests,
// valid, damaged and hostile.
func xlsxSeeds(t *testing.T) map[string][]byte {
	var exported, template, small, lying bytes.Buffer
	require.NoError(t, ExportXLSX(&exported, roundTripEntries()))
	require.NoError(t, Template(&template))
	prefix := `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + spreadsheetNS + `><sheetData>` + inlineRow(1, wantItemHeaders...)
	require.NoError(t, writeXLSX(&small, xsheet{name: "目录", xml: catalogXML()},
		xsheet{name: "数据项", raw: deflateBomb(t, prefix, `</sheetData></worksheet>`, 8, 1<<20)}))
	require.NoError(t, lyingSizeXLSX(t, &lying))
	return map[string][]byte{
		"valid":             edit(t, func(*[][]any, *[][]any) {}),
		"exported":          exported.Bytes(),
		"template":          template.Bytes(),
		"merged":            mergedWorkbook(t, 2),
		"prefixed":          rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", prefixedSheetXML}),
		"damaged":           damagedItems(t, `<c r="B3" t="inlineStr"><is><t>身份<证号&#0;</t></is></c>`),
		"stored":            fuzzWorkbook(t, `<worksheet>`+itemsSheetBody()+`</worksheet>`, ``),
		"bomb-lying":        small.Bytes(),
		"lying-size":        lying.Bytes(),
		"shared-strings":    sharedStringWorkbook(t),
		"truncated-central": edit(t, func(*[][]any, *[][]any) {})[:1200],
	}
}

// itemsSheetBody is the 数据项 sheet of the valid entry, with a shared
// string and a merged range.
func itemsSheetBody() string {
	return `<sheetData>` + inlineRow(1, wantItemHeaders...) + inlineRow(2, "101001/000001", "姓名", "xm", "字符型", "50") +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>101001/000001</t></is></c><c r="B3" t="s"><v>0</v></c></row></sheetData>` +
		`<mergeCells count="1"><mergeCell ref="C3:D3"/></mergeCells>`
}

// sheetSeeds are the seeds of FuzzImportXLSXSheet.
func sheetSeeds() map[string][2]string {
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>公民身份号码</t></si><si><r><t>住</t></r><r><t>址</t></r><rPh><t>zhù</t></rPh></si></sst>`
	return map[string][2]string{
		"valid":     {`<worksheet ` + spreadsheetNS + `>` + itemsSheetBody() + `</worksheet>`, sst},
		"prefixed":  {`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + prefixedSheetXML + `</x:worksheet>`, sst},
		"damaged":   {`<worksheet>` + strings.Replace(itemsSheetBody(), "姓名", "姓&#0;名<", 1) + `</worksheet>`, `<sst><si><t>a&b</t></si>`},
		"entities":  {`<worksheet><sheetData>` + inlineRow(1, wantItemHeaders...) + `<row><c t="inlineStr"><is><t>101001/000001</t></is></c><c t="inlineStr"><is><t>&lt;a&gt; &amp; _x0041_ &#x4E2D;<![CDATA[<>]]></t></is></c></row></sheetData></worksheet>`, ``},
		"doctype":   {`<!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData><row r="1"><c r="A1"><v>&a;</v></c></row></sheetData></worksheet>`, ``},
		"many-rows": {`<worksheet><sheetData>` + inlineRow(1, wantItemHeaders...) + `<row r="1048577"/></sheetData></worksheet>`, ``},
	}
}

// TestFuzzSeeds rewrites the committed seed corpora with -update, and
// otherwise checks that each seed is there and still imports as the
// invariants say.
func TestFuzzSeeds(t *testing.T) {
	write := func(target, name string, args ...[]byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		path := filepath.Join(dir, name)
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, a := range args {
			fmt.Fprintf(&b, "[]byte(%q)\n", a)
		}
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		}
		_, err := os.Stat(path)
		assert.NoError(t, err, "seed %s/%s missing: go test ./catalog -run TestFuzzSeeds -update", target, name)
	}
	for name, data := range xlsxSeeds(t) {
		fuzzXLSX(t, data)
		write("FuzzImportXLSX", name, data)
	}
	for name, s := range sheetSeeds() {
		fuzzXLSX(t, fuzzWorkbook(t, s[0], s[1]))
		write("FuzzImportXLSXSheet", name, []byte(s[0]), []byte(s[1]))
	}
	for name, s := range map[string]string{
		"quotes":     "目录代码,数据项名称\n101001/000001,\"a\"\"b\"\n\"101001/000002\",\"x\ny\"\r\n",
		"gbk-mixed":  "目录代码,数据项名称\n101001/000001,\xb9\xab\xc3\xf1\n101001/000001,公民\n",
		"injection":  "目录代码,数据目录名称,数据项名称\n101001/000001,'=cmd|' /C calc'!A0,''@x\n",
		"bare-quote": "目录代码,数据项名称\n101001/000001,a\"b\n",
		"control":    "目录代码,数据项名称\n101001/000001,a\x00b\n",
	} {
		write("FuzzImportCSV", name, []byte(s))
	}
	for name, s := range map[string]string{
		"duplicate": `{"entries":[{"id":"101001/000001","id":"101001/000002","items":[{"name":"a","n\u0061me":"b"}]}]}`,
		"not-utf8":  "{\"entries\":[{\"name\":\"\xff\"}]}",
		"deep":      `{"entries":[{"provider":{"name":{"name":[[[[[[]]]]]]}}}]}`,
	} {
		write("FuzzImportJSON", name, []byte(s))
	}
}
