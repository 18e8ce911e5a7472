package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

func TestDefaultLimits(t *testing.T) {
	// The figures the package documentation gives.
	assert.Equal(t, Limits{
		FileBytes:         64 << 20,
		Parts:             10_000,
		PartBytes:         512 << 20,
		PartRatio:         100,
		SharedStringBytes: 64 << 20,
		Rows:              1_048_576,
		Cells:             16_777_216,
		CellChars:         32_767,
		Findings:          100_000,
	}, DefaultLimits())
	assert.Equal(t, DefaultLimits(), Limits{}.withDefaults())
	assert.Equal(t, 7, Limits{Rows: 7}.withDefaults().Rows)
}

func TestWithLimitsRefused(t *testing.T) {
	ctx := context.Background()
	_, _, err := ImportCSV(ctx, strings.NewReader(""), WithLimits(Limits{Rows: -1}))
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	assert.Contains(t, govshare.MessageOf(err).Zh, "Rows")
	// The limits are the importers'.
	fs := Validate(validEntry(), WithLimits(Limits{Rows: 5}))
	require.Len(t, fs, 1)
	assert.Equal(t, CodeInvalidOption, fs[0].Code)
	_, err = NewMemoryStore(WithLimits(Limits{}))
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	assert.ErrorIs(t, ExportCSV(io.Discard, nil, WithLimits(Limits{})), govshare.ErrInvalid)
	assert.Contains(t, govshare.MessageOf(ExportCSV(io.Discard, nil, WithLimits(Limits{}))).Zh, "不适用于导出")
	_, _, err = ImportXLSX(ctx, strings.NewReader(""), WithClock(time.Now))
	assert.Contains(t, govshare.MessageOf(err).Zh, "不适用于导入")
}

// limitErr asserts that err is the *LimitError of limit, of kind
// govshare.ErrTooLarge (413), and returns it.
func limitErr(t *testing.T, err error, format, limit string) *LimitError {
	t.Helper()
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, format, le.Format)
	assert.Equal(t, limit, le.Limit)
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	assert.NotErrorIs(t, err, ErrUnreadable)
	assert.Equal(t, 413, govshare.HTTPStatus(err))
	m := govshare.MessageOf(err)
	assert.Equal(t, "catalog.too_large", m.Code)
	assert.Contains(t, m.Zh, limit)
	assert.Contains(t, m.En, limit)
	assert.Contains(t, m.En, fmt.Sprint(le.Max))
	return le
}

func validCSV() string {
	return csvText(csvHeader(), filledRow(),
		map[string]string{"目录代码": "101001/000001", "数据项名称": "公民身份号码", "数据项共享属性": "不予共享"})
}

func validJSON(t *testing.T) string {
	var b bytes.Buffer
	require.NoError(t, ExportJSON(&b, []Entry{validEntry()}))
	return b.String()
}

// onlyReader hides every method of r but Read: the importer cannot tell
// its size.
type onlyReader struct{ io.Reader }

func TestLimits(t *testing.T) {
	ctx := context.Background()
	xlsx := edit(t, func(*[][]any, *[][]any) {})
	csvData := validCSV()
	jsonData := validJSON(t)
	type importer = func(io.Reader, ...Option) ([]Entry, []govshare.Finding, error)
	imp := map[string]importer{
		"xlsx": func(r io.Reader, o ...Option) ([]Entry, []govshare.Finding, error) { return ImportXLSX(ctx, r, o...) },
		"csv":  func(r io.Reader, o ...Option) ([]Entry, []govshare.Finding, error) { return ImportCSV(ctx, r, o...) },
		"json": func(r io.Reader, o ...Option) ([]Entry, []govshare.Finding, error) { return ImportJSON(ctx, r, o...) },
	}
	files := map[string][]byte{"xlsx": xlsx, "csv": []byte(csvData), "json": []byte(jsonData)}

	// Each file imports without findings at the defaults, and at limits
	// exactly its size.
	for format, data := range files {
		entries, findings, err := imp[format](bytes.NewReader(data), WithLimits(Limits{FileBytes: int64(len(data))}))
		require.NoError(t, err, format)
		assert.Empty(t, findings, format)
		assert.Len(t, entries, 1, format)
	}

	t.Run("FileBytes", func(t *testing.T) {
		for format, data := range files {
			// Read to the limit and one byte beyond.
			_, _, err := imp[format](onlyReader{bytes.NewReader(data)}, WithLimits(Limits{FileBytes: int64(len(data)) - 1}))
			le := limitErr(t, err, format, "FileBytes")
			assert.Equal(t, int64(len(data)), le.Value)
			assert.Contains(t, le.Error(), fmt.Sprintf("more than %d", len(data)-1))
		}
		// A file whose size is known is refused before it is read.
		_, _, err := ImportXLSX(ctx, bytes.NewReader(xlsx), WithLimits(Limits{FileBytes: 1000}))
		le := limitErr(t, err, "xlsx", "FileBytes")
		assert.Equal(t, int64(len(xlsx)), le.Value)
		assert.Contains(t, govshare.MessageOf(err).Zh, fmt.Sprintf("文件大小为%d字节，上限为1000字节", len(xlsx)))
	})
	t.Run("Parts", func(t *testing.T) {
		zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
		require.NoError(t, err)
		_, _, err = ImportXLSX(ctx, bytes.NewReader(xlsx), WithLimits(Limits{Parts: len(zr.File) - 1}))
		le := limitErr(t, err, "xlsx", "Parts")
		assert.Equal(t, int64(len(zr.File)), le.Value)
		_, _, err = ImportXLSX(ctx, bytes.NewReader(xlsx), WithLimits(Limits{Parts: len(zr.File)}))
		assert.NoError(t, err)
	})
	t.Run("PartBytes", func(t *testing.T) {
		zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
		require.NoError(t, err)
		biggest := zr.File[0]
		for _, f := range zr.File {
			if f.UncompressedSize64 > biggest.UncompressedSize64 {
				biggest = f
			}
		}
		_, _, err = ImportXLSX(ctx, bytes.NewReader(xlsx), WithLimits(Limits{PartBytes: int64(biggest.UncompressedSize64) - 1}))
		le := limitErr(t, err, "xlsx", "PartBytes")
		assert.Equal(t, int64(biggest.UncompressedSize64), le.Value)
		assert.Equal(t, biggest.Name, le.Part)
		assert.Contains(t, govshare.MessageOf(err).Zh, biggest.Name)
	})
	t.Run("PartRatio", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, bombXLSX(t, &b, 0))
		_, _, err := ImportXLSX(ctx, bytes.NewReader(b.Bytes()), WithLimits(Limits{PartBytes: 2 << 30}))
		le := limitErr(t, err, "xlsx", "PartRatio")
		assert.Greater(t, le.Value, int64(500), "a deflate bomb inflates some 700 times")
		assert.Equal(t, "xl/worksheets/sheet2.xml", le.Part)
	})
	t.Run("a part that inflates beyond what it declares", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, bombXLSX(t, &b, 4<<20))
		_, _, err := ImportXLSX(ctx, bytes.NewReader(b.Bytes()))
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.ErrorIs(t, err, govshare.ErrMalformed)
		assert.Contains(t, err.Error(), "inflates to more than the 4194304 bytes it declares")
	})
	t.Run("SharedStringBytes", func(t *testing.T) {
		data := sharedStringWorkbook(t)
		_, _, err := ImportXLSX(ctx, bytes.NewReader(data), WithLimits(Limits{SharedStringBytes: 100}))
		le := limitErr(t, err, "xlsx", "SharedStringBytes")
		assert.Equal(t, "xl/sharedStrings.xml", le.Part)
		_, _, err = ImportXLSX(ctx, bytes.NewReader(data), WithLimits(Limits{SharedStringBytes: 4096}))
		assert.NoError(t, err)
	})
	t.Run("Rows", func(t *testing.T) {
		// The item sheet has 4 rows, the CSV file 3, the JSON file 1
		// entry of 3 items.
		want := map[string]int{"xlsx": 4, "csv": 3, "json": 4}
		for format, data := range files {
			_, _, err := imp[format](bytes.NewReader(data), WithLimits(Limits{Rows: want[format] - 1}))
			le := limitErr(t, err, format, "Rows")
			assert.Equal(t, int64(want[format]), le.Value, format)
			_, _, err = imp[format](bytes.NewReader(data), WithLimits(Limits{Rows: want[format]}))
			assert.NoError(t, err, format)
		}
	})
	t.Run("Cells", func(t *testing.T) {
		for format, data := range files {
			_, _, err := imp[format](bytes.NewReader(data), WithLimits(Limits{Cells: 10}))
			limitErr(t, err, format, "Cells")
		}
	})
	t.Run("CellChars", func(t *testing.T) {
		// The first value over 16 characters is the summary,
		// 本市户籍人口的姓名、身份证号和住址: 17. The workbook keeps it in its
		// shared-string table.
		refs := map[string][2]string{"xlsx": {"", "xl/sharedStrings.xml"}, "csv": {"C2", ""}, "json": {"entries[0].summary", ""}}
		for format, data := range files {
			_, _, err := imp[format](bytes.NewReader(data), WithLimits(Limits{CellChars: 16}))
			le := limitErr(t, err, format, "CellChars")
			assert.Equal(t, refs[format][0], le.Ref, format)
			assert.Equal(t, refs[format][1], le.Part, format)
			assert.Equal(t, int64(17), le.Value, format)
			// The longest values: the credit code's 18 characters, the
			// category code's 28 in JSON.
			longest := map[string]int{"xlsx": 18, "csv": 18, "json": 28}[format]
			_, _, err = imp[format](bytes.NewReader(data), WithLimits(Limits{CellChars: longest}))
			assert.NoError(t, err, format)
		}
		// An inline string is refused at its cell: 101001/000001 is 13.
		inline := rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", `<sheetData>` + inlineRow(1, wantItemHeaders...) + `</sheetData>`})
		_, _, err := ImportXLSX(ctx, bytes.NewReader(inline), WithLimits(Limits{CellChars: 12}))
		le := limitErr(t, err, "xlsx", "CellChars")
		assert.Equal(t, "目录!A2", le.Ref)
		assert.Equal(t, int64(13), le.Value)
	})
	t.Run("Findings", func(t *testing.T) {
		bad := csvText(csvHeader(), map[string]string{"目录代码": "1"}, map[string]string{"目录代码": "2"}, map[string]string{"目录代码": "3"})
		_, findings, err := ImportCSV(ctx, strings.NewReader(bad))
		require.NoError(t, err)
		n := len(findings)
		require.Greater(t, n, 3)
		_, findings, err = ImportCSV(ctx, strings.NewReader(bad), WithLimits(Limits{Findings: n}))
		require.NoError(t, err)
		assert.Len(t, findings, n)
		entries, findings, err := ImportCSV(ctx, strings.NewReader(bad), WithLimits(Limits{Findings: n - 1}))
		le := limitErr(t, err, "csv", "Findings")
		assert.Equal(t, int64(n), le.Value)
		assert.Nil(t, entries, "nothing of a file refused")
		assert.Nil(t, findings)
	})
}

// A CSV row of millions of fields, or a field of many megabytes, is
// refused with the limit it meets, without holding the row.
func TestCSVHugeRows(t *testing.T) {
	ctx := context.Background()
	head := strings.Join(csvHeader(), ",") + "\n"
	_, _, err := ImportCSV(ctx, io.MultiReader(strings.NewReader(head+"101001/1,"), strings.NewReader(strings.Repeat("长", 40_000))))
	le := limitErr(t, err, "csv", "CellChars")
	assert.Equal(t, "B2", le.Ref)
	_, _, err = ImportCSV(ctx, io.MultiReader(strings.NewReader(head), strings.NewReader(strings.Repeat(",", 20_000_000))))
	limitErr(t, err, "csv", "Cells")
}

// errors.As finds a *LimitError through the host's wrapping, and its
// message names the limit in both languages.
func TestLimitErrorMessage(t *testing.T) {
	err := fmt.Errorf("upload 7: %w", &LimitError{Format: "xlsx", Limit: "PartBytes", Max: 512 << 20, Value: 12 << 30, Part: "xl/worksheets/sheet1.xml"})
	var le *LimitError
	require.True(t, errors.As(err, &le))
	m := govshare.MessageOf(err)
	assert.Equal(t, "Excel（.xlsx）文件超出导入限制：压缩包条目解压后大小（xl/worksheets/sheet1.xml）为12884901888字节，上限为536870912字节（PartBytes），文件未导入", m.Zh)
	assert.Equal(t, "catalog: xlsx file beyond the import limit PartBytes = 536870912 bytes: 12884901888 (part xl/worksheets/sheet1.xml)", m.En)
	assert.True(t, m.Citation.PolicyDefault)
}
