package catalog

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// The sheet reader gives the cells excelize's streaming reader gave, with
// Options{RawCellValue: true} as the importer used it, on the workbooks
// excelize and spreadsheet programs write: a differential test against
// the reader it replaces.

// ourRows reads every row of a sheet with the sheet reader, keeping every
// cell: row number → cells without trailing blanks; damage is reported
// by ref.
func ourRows(t *testing.T, data []byte, sheet string) (map[int][]string, []string) {
	t.Helper()
	lim := DefaultLimits()
	z, err := openZip(bytes.NewReader(data), int64(len(data)), lim)
	require.NoError(t, err)
	wb, err := z.readWorkbook(context.Background(), normCode(sheet))
	require.NoError(t, err)
	info, ok := wb.sheets[normCode(sheet)]
	require.True(t, ok, sheet)
	var sst *sharedStrings
	if wb.sharedStrings != "" {
		sst, err = z.readSharedStrings(context.Background(), wb.sharedStrings, lim)
		require.NoError(t, err)
	}
	pr, err := z.open(info.part)
	require.NoError(t, err)
	var cells int64
	sr := newSheetReader(pr, sst, lim, sheet, &interner{m: map[string]string{}}, &cells)
	sr.setKeep(make([]int, maxCols))
	rows := map[int][]string{}
	var damage []string
	for {
		r, ok := sr.next()
		if !ok {
			break
		}
		for _, d := range r.damage {
			damage = append(damage, fmt.Sprintf("%s%d", columnName(d.col), r.n))
		}
		if c := trimRow(r.cells); len(c) > 0 {
			rows[r.n] = c
		}
	}
	require.NoError(t, sr.fatal())
	return rows, damage
}

// excelizeRows reads the same with excelize, as ImportXLSX did before.
func excelizeRows(t *testing.T, data []byte, sheet string) map[int][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.Rows(sheet)
	require.NoError(t, err)
	defer rows.Close()
	out := map[int][]string{}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		if c := trimRow(cells); len(c) > 0 {
			out[n] = c
		}
	}
	return out
}

func trimRow(cells []string) []string {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return append([]string(nil), cells[:n]...)
}

// trickyWorkbook has the values that test a reader: markup characters,
// line ends, escapes OOXML uses, characters beyond the BMP, numbers,
// booleans, formulas with their values, rich text and long text, in a
// shared-string table, as excelize writes them.
func trickyWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	values := []any{
		"a & b <c> \"d\" 'e'", "第一行\r\n第二行\n第三行", "  leading and trailing  ", "_x0041_ literal", "x_x005F_y",
		"😀 𠀀 emoji and extension B", "全角　空格", 42, 3.25, -7, true, false, "", " ", strings.Repeat("长", 10_000),
		"=not a formula", "#N/A", "0012", "1e10",
	}
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(i%8+1, i/8+1)
		require.NoError(t, f.SetCellValue(s, cell, v))
	}
	require.NoError(t, f.SetCellFormula(s, "A10", "1+1"))
	require.NoError(t, f.SetCellValue(s, "A10", 2))
	require.NoError(t, f.SetCellFormula(s, "B10", `"文"&"本"`))
	require.NoError(t, f.SetCellRichText(s, "C10", []excelize.RichTextRun{{Text: "粗体"}, {Text: " and "}, {Text: "plain"}}))
	var b bytes.Buffer
	require.NoError(t, f.Write(&b))
	return b.Bytes()
}

func TestSheetReaderMatchesExcelize(t *testing.T) {
	var exported bytes.Buffer
	require.NoError(t, ExportXLSX(&exported, append(roundTripEntries(), corpus(20, 3)...)))
	c, i := validRows()
	books := map[string]struct {
		data   []byte
		sheets []string
	}{
		"ExportXLSX (inline strings)":   {exported.Bytes(), []string{"目录", "数据项"}},
		"excelize (shared strings)":     {workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i}), []string{"目录", "数据项"}},
		"tricky values":                 {trickyWorkbook(t), []string{"Sheet1"}},
		"namespace prefix, rich text":   {rawWorkbook(t, [2]string{"S", prefixedSheetXML}), []string{"S"}},
		"the template and its 说明 sheet": {templateBytes(t), []string{"目录", "数据项", "说明"}},
	}
	for name, b := range books {
		t.Run(name, func(t *testing.T) {
			for _, sheet := range b.sheets {
				want := excelizeRows(t, b.data, sheet)
				got, damage := ourRows(t, b.data, sheet)
				assert.Empty(t, damage, sheet)
				assert.Equal(t, want, got, sheet)
				assert.NotEmpty(t, got, sheet)
			}
		})
	}
}

// A sheet as another program may write it: a namespace prefix, rich
// text runs, phonetic runs (which excelize leaves out), a CDATA section,
// cells without references.
const prefixedSheetXML = `<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve"> 文本</x:t></x:r></x:is></x:c>` +
	`<x:c t="inlineStr"><x:is><x:t>东京</x:t><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh></x:is></x:c>` +
	`<x:c t="inlineStr"><x:is><x:t><![CDATA[<cdata> & more]]></x:t></x:is></x:c></x:row>` +
	`<x:row><x:c><x:v>1</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c t="str"><x:f>A2</x:f><x:v>txt</x:v></x:c></x:row>` +
	`<x:row r="7"><x:c r="XFD7" t="inlineStr"><x:is><x:t>last column</x:t></x:is></x:c></x:row>` +
	`<x:row r="1048576"><x:c r="A1048576"><x:v>9</x:v></x:c></x:row>` +
	`</x:sheetData>`

func templateBytes(t *testing.T) []byte {
	var b bytes.Buffer
	require.NoError(t, Template(&b))
	return b.Bytes()
}

// A control character, which Excel writes as _x0007_ (excelize replaces it
// with U+FFFD), is reported at its cell, where excelize's reader returned
// it.
func TestSheetReaderControlCharacter(t *testing.T) {
	data := rawWorkbook(t, [2]string{"S", `<sheetData><row r="2">` +
		`<c r="B2" t="inlineStr"><is><t>bell_x0007_</t></is></c><c r="C2" t="inlineStr"><is><t>fine</t></is></c></row></sheetData>`})
	assert.Equal(t, map[int][]string{2: {"", "bell\x07", "fine"}}, excelizeRows(t, data, "S"))
	got, damage := ourRows(t, data, "S")
	assert.Equal(t, []string{"B2"}, damage)
	assert.Equal(t, map[int][]string{2: {"", "", "fine"}}, got)
}
