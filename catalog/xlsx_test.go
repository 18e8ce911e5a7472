package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// The headers the issue specifies, written out here independently of the
// package's layout.
var (
	wantCatalogHeaders = []string{"目录代码", "数据目录名称", "摘要", "提供单位", "提供单位统一社会信用代码", "行政区划代码",
		"目录层级", "数据格式", "数据更新频率", "共享属性", "使用条件", "不予共享依据", "共享方式", "数据分类", "数据分级", "开放属性",
		// The other core metadata of 《政务信息资源目录编制指南（试行）》 (issue 12 item 9).
		"信息资源分类", "信息资源提供方代码", "关联资源代码", "发布日期"}
	wantItemHeaders = []string{"目录代码", "数据项名称", "字段名", "数据类型", "长度", "共享属性", "个人信息类别", "说明"}
)

func TestXLSXRoundTrip(t *testing.T) {
	entries := roundTripEntries()
	var first bytes.Buffer
	require.NoError(t, ExportXLSX(&first, entries))

	got, findings, err := ImportXLSX(context.Background(), bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	require.Len(t, findings, 1)
	assert.Equal(t, CodeNoItems, findings[0].Code)
	assert.Equal(t, "目录!A3", findings[0].Path)
	assert.Equal(t, authoring(entries), got)

	// The same entries export to the same cells.
	var second bytes.Buffer
	require.NoError(t, ExportXLSX(&second, got))
	assert.Equal(t, sheetRows(t, first.Bytes()), sheetRows(t, second.Bytes()))
}

// sheetRows reads every sheet of a workbook as text.
func sheetRows(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	require.NoError(t, err)
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		require.NoError(t, err)
		out[s] = rows
	}
	return out
}

func TestTemplate(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Template(&b))
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	defer f.Close()

	assert.Equal(t, []string{"目录", "数据项", "说明"}, f.GetSheetList())
	rows := sheetRows(t, b.Bytes())
	assert.Equal(t, [][]string{wantCatalogHeaders}, rows["目录"])
	assert.Equal(t, [][]string{wantItemHeaders}, rows["数据项"])

	// Every enumeration column has a drop-down list whose values are the
	// Chinese terms, and every column an input prompt.
	wantLists := map[string][]string{
		"目录!G":  {"国家目录", "地方目录", "部门目录"},
		"目录!H":  {"库表", "文件", "电子表格", "接口", "图形图像", "音视频", "其他"},
		"目录!I":  {"实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"},
		"目录!J":  {"无条件共享", "有条件共享", "不予共享"},
		"目录!M":  {"服务接口", "批量交换", "文件下载"},
		"目录!O":  {"一般数据", "一般数据1级", "一般数据2级", "一般数据3级", "一般数据4级", "重要数据", "核心数据"},
		"目录!P":  {"无条件开放", "有条件开放", "不予开放"},
		"数据项!D": {"字符型", "整数型", "数值型", "日期型", "日期时间型", "布尔型", "二进制"},
		"数据项!F": {"无条件共享", "有条件共享", "不予共享"},
	}
	gotLists := map[string][]string{}
	for _, sheet := range []string{"目录", "数据项"} {
		dvs, err := f.GetDataValidations(sheet)
		require.NoError(t, err)
		assert.Len(t, dvs, len(map[string][]string{"目录": wantCatalogHeaders, "数据项": wantItemHeaders}[sheet]))
		for _, dv := range dvs {
			col := strings.TrimRight(strings.Split(dv.Sqref, ":")[0], "0123456789")
			assert.Equal(t, fmt.Sprintf("%s2:%s1048576", col, col), dv.Sqref)
			assert.True(t, dv.ShowInputMessage, dv.Sqref)
			if dv.Type != "list" {
				continue
			}
			gotLists[sheet+"!"+col] = listValues(t, f, dv.Formula1)
		}
	}
	for k, want := range wantLists {
		assert.Equal(t, want, gotLists[k], k)
	}
	// The category list names the sectors; the kind list the kinds.
	assert.Contains(t, gotLists["目录!N"], "公共安全")
	assert.Contains(t, gotLists["数据项!G"], "身份证号")

	// The 说明 sheet explains each column of both sheets.
	guide := strings.Join(flatten(rows["说明"]), "\n")
	for _, h := range append(wantCatalogHeaders, wantItemHeaders...) {
		assert.Contains(t, guide, h)
	}
	assert.Contains(t, guide, "不予共享时必填")

	// The empty template imports to nothing, without errors.
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, entries)
	require.Len(t, findings, 1)
	assert.Equal(t, CodeNoEntries, findings[0].Code)
	assert.Equal(t, govshare.Warning, findings[0].Severity)
}

// listValues reads the cells a drop-down's formula refers to, e.g.
// '说明'!$H$9:$H$11.
func listValues(t *testing.T, f *excelize.File, formula string) []string {
	t.Helper()
	sheet, ref, ok := strings.Cut(formula, "!")
	require.True(t, ok, formula)
	sheet = strings.Trim(sheet, "'")
	from, to, _ := strings.Cut(strings.ReplaceAll(ref, "$", ""), ":")
	c1, r1, err := excelize.CellNameToCoordinates(from)
	require.NoError(t, err)
	_, r2, err := excelize.CellNameToCoordinates(to)
	require.NoError(t, err)
	var out []string
	for r := r1; r <= r2; r++ {
		cell, _ := excelize.CoordinatesToCellName(c1, r)
		v, err := f.GetCellValue(sheet, cell)
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// sheetSpec describes a sheet of a workbook built for a test.
type sheetSpec struct {
	name  string
	rows  [][]any
	merge []string // ranges, "A3:A4"
}

func workbook(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", s.name))
		} else {
			_, err := f.NewSheet(s.name)
			require.NoError(t, err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			require.NoError(t, f.SetSheetRow(s.name, cell, &row))
		}
		for _, m := range s.merge {
			a, b, _ := strings.Cut(m, ":")
			require.NoError(t, f.MergeCell(s.name, a, b))
		}
	}
	var b bytes.Buffer
	require.NoError(t, f.Write(&b))
	return b.Bytes()
}

func headerRow(h []string) []any {
	out := make([]any, len(h))
	for i, s := range h {
		out[i] = s
	}
	return out
}

// validRows are validEntry as the two sheets of a workbook.
func validRows() (catalog, items [][]any) {
	catalog = [][]any{headerRow(wantCatalogHeaders), {
		"101001/000001", "户籍人口基本信息", "本市户籍人口的姓名、身份证号和住址", "杭州市公安局", policeCode, 330100,
		"部门目录", "库表", "每日", "有条件共享", "仅用于社会保障待遇资格认证", "", "服务接口、批量交换", "公共安全/人/基础", "一般数据3级", "",
	}}
	items = [][]any{headerRow(wantItemHeaders),
		{"101001/000001", "姓名", "xm", "字符型", 50, "", "姓名", ""},
		{"101001/000001", "公民身份号码", "gmsfhm", "字符型", 18, "不予共享", "身份证号", "18位"},
		{"101001/000001", "住址", "zz", "字符型", 200, "", "住址", ""},
	}
	return catalog, items
}

func TestImportXLSXValid(t *testing.T) {
	c, i := validRows()
	got, findings, err := ImportXLSX(context.Background(), bytes.NewReader(workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, []Entry{validEntry()}, got)
}

// edit returns the valid workbook with a change to its rows.
func edit(t testing.TB, change func(catalog, items *[][]any)) []byte {
	c, i := validRows()
	change(&c, &i)
	return workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})
}

func set(rows *[][]any, row, col int, v any) { (*rows)[row][col] = v }

func xlsxCases(t testing.TB) []struct {
	importCase
	trigger, nearMiss []byte
} {
	c, i := validRows()
	type xc = struct {
		importCase
		trigger, nearMiss []byte
	}
	return []xc{
		{importCase{name: "缺少目录表", code: CodeSheetMissing, path: "目录"},
			workbook(t, sheetSpec{name: "目录表", rows: c}, sheetSpec{name: "数据项", rows: i}),
			workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})},
		{importCase{name: "缺少数据项表", code: CodeSheetMissing, path: "数据项"},
			workbook(t, sheetSpec{name: "目录", rows: c}),
			workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项 ", rows: i})},
		{importCase{name: "空白工作表", code: CodeHeaderMissing, path: "数据项"},
			workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项"}),
			workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})},
		{importCase{name: "缺少必需列", code: CodeHeaderMissing, path: "目录!1:1"},
			edit(t, func(c, _ *[][]any) { set(c, 0, 9, "共享类型") }),
			edit(t, func(c, _ *[][]any) { set(c, 0, 9, " 共享属性*") })},
		{importCase{name: "未知的列", code: CodeHeaderUnknown, path: "目录!" + columnName(len(wantCatalogHeaders)) + "1"}, // after the last
			edit(t, func(c, _ *[][]any) { (*c)[0] = append((*c)[0], "备注") }),
			edit(t, func(c, _ *[][]any) { (*c)[0] = append((*c)[0], "") })},
		{importCase{name: "重复的列", code: CodeHeaderDuplicate, path: "数据项!I1"},
			edit(t, func(_, i *[][]any) { (*i)[0] = append((*i)[0], "字段名") }),
			edit(t, func(_, i *[][]any) { (*i)[0] = append((*i)[0], "字段名称") })},
		{importCase{name: "未知的共享属性", code: CodeUnknownValue, path: "目录!J2"},
			edit(t, func(c, _ *[][]any) { set(c, 1, 9, "看情况") }),
			edit(t, func(c, _ *[][]any) { set(c, 1, 9, "ＣＯＮＤＩＴＩＯＮＡＬ") })},
		{importCase{name: "长度不是数字", code: CodeWrongType, path: "数据项!E3"},
			edit(t, func(_, i *[][]any) { set(i, 2, 4, "十八") }),
			edit(t, func(_, i *[][]any) { set(i, 2, 4, "18") })},
		{importCase{name: "数据项的目录不存在", code: CodeUnknownEntry, path: "数据项!A4"},
			edit(t, func(_, i *[][]any) { set(i, 3, 0, "101001/000002") }),
			edit(t, func(_, i *[][]any) { set(i, 3, 0, "１０１００１/000001") })},
		{importCase{name: "目录代码重复", code: CodeDuplicateEntry, path: "目录!A3"},
			edit(t, func(c, _ *[][]any) { *c = append(*c, (*c)[1]) }),
			edit(t, func(c, _ *[][]any) {
				r := append([]any(nil), (*c)[1]...)
				r[0] = "101001/000002"
				*c = append(*c, r)
			})},
		{importCase{name: "数据项宽于目录", code: CodeItemLooser, path: "数据项!F3"},
			edit(t, func(_, i *[][]any) { set(i, 2, 5, "无条件共享") }),
			edit(t, func(_, i *[][]any) { set(i, 2, 5, "") })},
		{importCase{name: "目录代码不合结构", code: CodeInvalidID, path: "目录!A2"},
			edit(t, func(c, i *[][]any) {
				set(c, 1, 0, "GA0001")
				for r := 1; r < len(*i); r++ {
					set(i, r, 0, "GA0001")
				}
			}),
			edit(t, func(*[][]any, *[][]any) {})},
		{importCase{name: "信用代码错误", code: CodeInvalidCreditCode, path: "目录!E2"},
			edit(t, func(c, _ *[][]any) { set(c, 1, 4, policeCode[:17]+"C") }),
			edit(t, func(c, _ *[][]any) { set(c, 1, 4, strings.ToLower(policeCode)) })},
		{importCase{name: "区划代码错误", code: CodeInvalidRegionCode, path: "目录!F2"},
			edit(t, func(c, _ *[][]any) { set(c, 1, 5, 330001) }),
			edit(t, func(c, _ *[][]any) { set(c, 1, 5, "３３０１０６") })},
		{importCase{name: "名称超长的单元格", code: CodeTooLong, path: "目录!B2"},
			edit(t, func(c, _ *[][]any) { set(c, 1, 1, strings.Repeat("长", 30000)) }),
			edit(t, func(c, _ *[][]any) { set(c, 1, 1, strings.Repeat("长", 200)) })},
		{importCase{name: "合并单元格", code: CodeMergedCells, path: "数据项!A3"},
			mergedWorkbook(t, 2),
			mergedWorkbook(t, 0)},
	}
}

// mergedWorkbook merges the 目录代码 cells of the item rows when header is
// 2 (a title row above the header); with 0 it merges only the title row.
func mergedWorkbook(t testing.TB, mergeItems int) []byte {
	c, i := validRows()
	title := []any{"杭州市公安局数据项清单"}
	i = append([][]any{title}, i...)
	for r := 3; r < len(i); r++ {
		i[r][0] = ""
	}
	merge := []string{"A1:H1"}
	if mergeItems > 0 {
		merge = append(merge, "A3:A5")
	} else {
		for r := 3; r < len(i); r++ {
			i[r][0] = "101001/000001"
		}
	}
	return workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i, merge: merge})
}

func TestXLSXFindings(t *testing.T) {
	for _, c := range xlsxCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, findings, err := ImportXLSX(context.Background(), bytes.NewReader(c.trigger))
			require.NoError(t, err)
			f, ok := findCode(findings, c.code, c.path)
			require.True(t, ok, "want %s at %q, got %v", c.code, c.path, findings)
			re, ok := RowErrorOf(f)
			require.True(t, ok)
			assert.Equal(t, c.path, re.Ref())
			assert.ErrorIs(t, re, ErrInvalidContent)

			_, findings, err = ImportXLSX(context.Background(), bytes.NewReader(c.nearMiss))
			require.NoError(t, err)
			for _, f := range findings {
				assert.NotEqual(t, c.code, f.Code, "near miss triggered %v", f)
			}
		})
	}
}

// Without a 目录 sheet, the items are not read: the missing sheet is the
// one finding, not one per item.
func TestXLSXItemsNeedCatalogSheet(t *testing.T) {
	c, i := validRows()
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(workbook(t, sheetSpec{name: "Sheet", rows: c}, sheetSpec{name: "数据项", rows: i})))
	require.NoError(t, err)
	assert.Empty(t, entries)
	var got []string
	for _, f := range findings {
		got = append(got, f.Code+"@"+f.Path)
	}
	assert.Equal(t, []string{CodeSheetMissing + "@目录", CodeNoEntries + "@目录"}, got)
}

// Merged 目录代码 cells leave the rows below them without a code: the
// merge is reported, and so is each row that lost its code.
func TestXLSXMergedCells(t *testing.T) {
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(mergedWorkbook(t, 2)))
	require.NoError(t, err)
	var got []string
	for _, f := range findings {
		got = append(got, f.Code+"@"+f.Path)
	}
	assert.Equal(t, []string{
		CodeMergedCells + "@数据项!A3",
		CodeRequired + "@数据项!A4",
		CodeRequired + "@数据项!A5",
	}, got)
	require.Len(t, entries, 1)
	assert.Len(t, entries[0].Items, 1)
}

func TestXLSXFindingOrderAndRowError(t *testing.T) {
	data := edit(t, func(c, i *[][]any) {
		set(c, 1, 10, "")        // conditions missing: 目录!K2
		set(i, 3, 5, "无条件共享")    // looser item: 数据项!F4
		set(i, 1, 3, "texte")    // unknown type: 数据项!D2
		set(c, 1, 13, "公共安全/火星") // unknown category: 目录!N2
	})
	_, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
	require.NoError(t, err)
	var paths []string
	for _, f := range findings {
		paths = append(paths, f.Path)
	}
	assert.Equal(t, []string{"目录!K2", "目录!N2", "数据项!D2", "数据项!F4"}, paths)
	re, ok := RowErrorOf(findings[3])
	require.True(t, ok)
	assert.Equal(t, RowError{Sheet: "数据项", Row: 4, Column: "F", Finding: findings[3]}, *re)
	assert.Equal(t, CodeItemLooser, re.Finding.Code)
	assert.Contains(t, re.Error(), "数据项!F4")
}

// A grading policy given to the importer reports at the cell of the item
// it names.
func TestImportXLSXWithPolicy(t *testing.T) {
	data := edit(t, func(c, i *[][]any) {
		set(c, 1, 12, "文件下载")
		set(i, 2, 5, "")
	})
	var seen classify.Subject
	_, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data), WithPolicy(testPolicy{seen: &seen}))
	require.NoError(t, err)
	require.Len(t, findings, 1)
	assert.Equal(t, "test.sensitive_download", findings[0].Code)
	assert.Equal(t, "数据项!G3", findings[0].Path)
	assert.Equal(t, "items[1]", seen.Items[1].Path)
	_, findings, err = ImportXLSX(context.Background(), bytes.NewReader(data))
	require.NoError(t, err)
	assert.Empty(t, findings)
}

func TestRowErrorOf(t *testing.T) {
	cases := map[string]*RowError{
		"目录!K2":         {Sheet: "目录", Row: 2, Column: "K"},
		"数据项!AB100":     {Sheet: "数据项", Row: 100, Column: "AB"},
		"数据项!7:7":       {Sheet: "数据项", Row: 7},
		"目录":            {Sheet: "目录"},
		"W12":           {Row: 12, Column: "W"},
		"3:3":           {Row: 3},
		"items[3].name": nil,
		"entries[0]":    nil,
		"目录!2:3":        nil,
		"":              nil,
		"ABCD1":         nil,
	}
	for path, want := range cases {
		re, ok := RowErrorOf(govshare.Finding{Path: path})
		if want == nil {
			assert.False(t, ok, path)
			continue
		}
		require.True(t, ok, path)
		assert.Equal(t, want.Sheet, re.Sheet, path)
		assert.Equal(t, want.Row, re.Row, path)
		assert.Equal(t, want.Column, re.Column, path)
		assert.Equal(t, path, re.Ref())
	}
}

// rawWorkbook builds a minimal workbook by hand, for files no spreadsheet
// program would write: each sheet is given as the XML of its sheetData.
func rawWorkbook(t testing.TB, sheets ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	write := func(name, content string) {
		w, err := z.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(content))
		require.NoError(t, err)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	types := `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	wb := `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + `><sheets>`
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for i, s := range sheets {
		n := i + 1
		types += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		wb += fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s[0], n, n)
		rels += fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		write(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), `<?xml version="1.0" encoding="UTF-8"?><worksheet `+ns+`>`+s[1]+`</worksheet>`)
	}
	write("[Content_Types].xml", types+`</Types>`)
	write("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	write("xl/workbook.xml", wb+`</sheets></workbook>`)
	write("xl/_rels/workbook.xml.rels", rels+`</Relationships>`)
	require.NoError(t, z.Close())
	return b.Bytes()
}

// inlineRow writes a row of inline-string cells.
func inlineRow(r int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cells {
		if c != "" {
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, columnName(i), r, c)
		}
	}
	b.WriteString(`</row>`)
	return b.String()
}

func catalogSheetXML() string {
	return `<sheetData>` + inlineRow(1, wantCatalogHeaders...) +
		inlineRow(2, "101001/000001", "户籍人口基本信息", "", "杭州市公安局", policeCode, "330100", "部门目录", "库表", "每日",
			"无条件共享", "", "", "服务接口", "公共安全/人/基础", "一般数据1级", "") + `</sheetData>`
}

// A sheet of a million empty rows is walked without trouble; the item on
// the row after them is imported, and findings name that row. Spreadsheet
// programs write empty rows either as nothing (a gap in the row numbers)
// or, when the rows carry formatting, as empty row elements.
func TestXLSXMillionEmptyRows(t *testing.T) {
	const empty = 1_000_000
	for _, form := range []string{"gap", "elements"} {
		t.Run(form, func(t *testing.T) {
			if form == "elements" && (testing.Short() || raceEnabled) {
				// Decoding 10^6 row elements takes seconds, and a minute
				// under the race detector; the gap form still runs there.
				t.Skip("10^6 row elements: skipped with -short and -race")
			}
			var items strings.Builder
			items.WriteString(`<sheetData>` + inlineRow(1, wantItemHeaders...))
			if form == "elements" {
				for r := 2; r <= empty+1; r++ {
					fmt.Fprintf(&items, `<row r="%d"/>`, r)
				}
			}
			items.WriteString(inlineRow(empty+2, "101001/000001", "姓名", "xm", "字符型", "-5") + `</sheetData>`)
			data := rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items.String()})

			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
			require.NoError(t, err)
			require.Len(t, entries, 1)
			require.Len(t, entries[0].Items, 1)
			assert.Equal(t, "姓名", entries[0].Items[0].Name)
			require.Len(t, findings, 1)
			assert.Equal(t, CodeOutOfRange, findings[0].Code)
			assert.Equal(t, fmt.Sprintf("数据项!E%d", empty+2), findings[0].Path)
		})
	}
}

func TestXLSXMalformed(t *testing.T) {
	t.Run("超出行数上限", func(t *testing.T) {
		items := `<sheetData>` + inlineRow(1, wantItemHeaders...) + inlineRow(2_000_000, "101001/000001", "姓名") + `</sheetData>`
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
		require.NoError(t, err)
		_, ok := findCode(findings, CodeMalformed, "数据项!1048576:1048576")
		assert.True(t, ok, "%v", findings)
		require.Len(t, entries, 1)
		assert.Empty(t, entries[0].Items)
	})
	t.Run("带命名空间前缀的合并单元格", func(t *testing.T) {
		items := `<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + inlineRow(1, wantItemHeaders...) +
			inlineRow(2, "101001/000001", "姓名") + `</x:sheetData><x:mergeCells xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><x:mergeCell ref='B2:C2'/></x:mergeCells>`
		_, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
		require.NoError(t, err)
		_, ok := findCode(findings, CodeMergedCells, "数据项!B2")
		assert.True(t, ok, "%v", findings)
	})
	t.Run("公式错误值", func(t *testing.T) {
		// A formula error where a name belongs; a boolean where a length
		// does is read as its value, 1.
		items := `<sheetData>` + inlineRow(1, wantItemHeaders...) +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>101001/000001</t></is></c><c r="B2" t="e"><v>#N/A</v></c><c r="E2" t="b"><v>1</v></c></row></sheetData>`
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
		require.NoError(t, err)
		require.Len(t, entries, 1)
		_, ok := findCode(findings, CodeWrongType, "数据项!B2")
		assert.True(t, ok, "%v", findings)
		require.Len(t, entries[0].Items, 1)
		assert.Equal(t, "", entries[0].Items[0].Name)
		assert.Equal(t, 1, entries[0].Items[0].Length)
	})
	t.Run("损坏的工作表XML", func(t *testing.T) {
		items := `<sheetData>` + inlineRow(1, wantItemHeaders...) + `<row r="2"><c r="A2" t="inlineStr"><is><t>101001/0`
		assert.NotPanics(t, func() {
			_, _, _ = ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
		})
	})
	for name, data := range map[string][]byte{
		"空文件":    nil,
		"不是zip":  []byte("目录代码,数据目录名称\n"),
		"截断的zip": edit(t, func(*[][]any, *[][]any) {})[:500],
		"空zip":   func() []byte { var b bytes.Buffer; z := zip.NewWriter(&b); _ = z.Close(); return b.Bytes() }(),
	} {
		t.Run(name, func(t *testing.T) {
			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "xlsx", re.Format)
			assert.ErrorIs(t, err, ErrUnreadable)
			assert.Nil(t, entries)
			assert.Nil(t, findings)
		})
	}
	_, _, err := ImportXLSX(context.Background(), failingReader{})
	assert.ErrorIs(t, err, ErrUnreadable)
}

func TestExportXLSXRefusesUndefinedValues(t *testing.T) {
	e := validEntry()
	e.Frequency = 77
	err := ExportXLSX(&bytes.Buffer{}, []Entry{e})
	var xe *ExportError
	require.ErrorAs(t, err, &xe)
	assert.Equal(t, e.ID, xe.ID)
	assert.ErrorIs(t, err, ErrNotExportable)

	e = validEntry()
	e.Summary = strings.Repeat("长", maxCellChars+1)
	assert.ErrorIs(t, ExportXLSX(&bytes.Buffer{}, []Entry{e}), ErrNotExportable)
}

// Every finding code is triggered by some test case, with a near miss.
func TestEveryCodeIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, c := range validationCases {
		tested[c.code] = true
	}
	for _, c := range csvCases() {
		tested[c.code] = true
	}
	for _, c := range xlsxCases(t) {
		tested[c.code] = true
	}
	for _, c := range jsonCases(t) {
		tested[c.code] = true
	}
	for _, c := range optionCases {
		tested[c.code] = true
	}
	for _, code := range allCodes {
		assert.True(t, tested[code], "no test case triggers %s", code)
	}
}
