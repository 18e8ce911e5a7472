package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// No silent loss (issue 11): a cell or row whose XML cannot be read is a
// finding at the cell, the rows after it are read, and the cells it lost
// are not reported again as empty.

// codesAt lists the findings as code@path.
func codesAt(fs []govshare.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code + "@" + f.Path
	}
	return out
}

// damagedItems is the valid workbook whose 数据项 row 3 (the second item)
// is written raw: cells is the XML of its cells after A3.
func damagedItems(t *testing.T, cells string) []byte {
	items := `<sheetData>` + inlineRow(1, wantItemHeaders...) +
		inlineRow(2, "101001/000001", "姓名", "xm", "字符型", "50") +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>101001/000001</t></is></c>` + cells + `</row>` +
		inlineRow(4, "101001/000001", "住址", "zz", "字符型", "200") + `</sheetData>`
	return rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})
}

func TestXLSXDamagedCells(t *testing.T) {
	const column = `<c r="C3" t="inlineStr"><is><t>sfzh</t></is></c>`
	cases := []struct {
		name  string
		cells string
		// The second item as imported: nil when its row is left out.
		want *DataItem
		zh   string // in the finding's message
	}{
		{"NUL字符引用", `<c r="B3" t="inlineStr"><is><t>&#0;身份证号</t></is></c>` + column,
			&DataItem{Column: "sfzh"}, "U+0000"},
		{"未转义的“<”", `<c r="B3" t="inlineStr"><is><t>身份<证号</t></is></c>` + column,
			nil, "<证号"},
		{"不是UTF-8的字节", "<c r=\"B3\" t=\"inlineStr\"><is><t>\xc9\xed\xb7\xdd</t></is></c>" + column,
			&DataItem{Column: "sfzh"}, "UTF-8"},
		{"转义的控制字符", `<c r="B3" t="inlineStr"><is><t>身份_x0001_证号</t></is></c>` + column,
			&DataItem{Column: "sfzh"}, "控制字符U+0001"},
		{"DEL控制字符", `<c r="B3" t="inlineStr"><is><t>身份&#x7f;证号</t></is></c>` + column,
			&DataItem{Column: "sfzh"}, "控制字符U+007F"},
		{"C1控制字符", "<c r=\"B3\" t=\"inlineStr\"><is><t>身份\u0085证号</t></is></c>" + column,
			&DataItem{Column: "sfzh"}, "控制字符U+0085"},
		{"未知实体", `<c r="B3" t="inlineStr"><is><t>身份&nbsp;证号</t></is></c>` + column,
			&DataItem{Column: "sfzh"}, "&nbsp;"},
		{"结束标签不匹配", `<c r="B3" t="inlineStr"><is><t>身份证号</t></is></v>` + column,
			nil, "</v>"},
		{"属性值缺少引号", `<c r=B3 t="inlineStr"><is><t>身份证号</t></is></c>` + column,
			nil, "引号"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(damagedItems(t, c.cells)))
			require.NoError(t, err)
			// A control character has its own code: it is the cell's text
			// that is refused, not the file's XML.
			code := CodeMalformed
			if strings.Contains(c.zh, "控制字符") {
				code = CodeControlChar
			}
			assert.Equal(t, []string{code + "@数据项!B3"}, codesAt(findings), "one finding, at the cell, and no 未填写 for what it lost")
			assert.Contains(t, findings[0].Message, c.zh)
			assert.Equal(t, govshare.Error, findings[0].Severity)
			require.Len(t, entries, 1)
			var names []string
			for _, it := range entries[0].Items {
				names = append(names, it.Name)
			}
			if c.want == nil {
				assert.Contains(t, findings[0].Message, "这一格及其后各格未导入")
				assert.Equal(t, []string{"姓名", "住址"}, names, "the row after the damage is read")
				return
			}
			assert.Contains(t, findings[0].Message, "该单元格未导入")
			require.Len(t, entries[0].Items, 3, "the row after the damage is read")
			assert.Equal(t, *c.want, entries[0].Items[1])
			assert.Equal(t, "住址", entries[0].Items[2].Name)
		})
	}
}

// A damaged 目录 row no longer ends the sheet: the entry after it is read.
func TestXLSXDamagedEntryRow(t *testing.T) {
	entry := func(r int, id, name string) string {
		return inlineRow(r, id, name, "", "杭州市公安局", policeCode, "330100", "部门目录", "库表", "每日",
			"无条件共享", "", "", "服务接口", "公共安全/人/基础", "一般数据1级", "")
	}
	sheet := `<sheetData>` + inlineRow(1, wantCatalogHeaders...) + entry(2, "101001/000001", "户籍&#0;人口") +
		entry(3, "101001/000002", "户籍人口基本信息") + `</sheetData>`
	items := `<sheetData>` + inlineRow(1, wantItemHeaders...) +
		inlineRow(2, "101001/000001", "姓名") + inlineRow(3, "101001/000002", "姓名") + `</sheetData>`
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", sheet}, [2]string{"数据项", items})))
	require.NoError(t, err)
	assert.Equal(t, []string{CodeMalformed + "@目录!B2"}, codesAt(findings))
	require.Len(t, entries, 2)
	assert.Equal(t, "", entries[0].Name)
	assert.Equal(t, "户籍人口基本信息", entries[1].Name)
	assert.Len(t, entries[1].Items, 1)
}

func TestXLSXDamagedRows(t *testing.T) {
	head := `<sheetData>` + inlineRow(1, wantItemHeaders...) + inlineRow(2, "101001/000001", "姓名", "xm")
	tail := inlineRow(5, "101001/000001", "住址", "zz") + `</sheetData>`
	cases := []struct {
		name, rows string
		want       []string
		items      []string
		zh         string
	}{
		{"行号顺序颠倒", inlineRow(4, "101001/000001", "甲") + inlineRow(3, "101001/000001", "乙"),
			[]string{CodeMalformed + "@数据项!3:3"}, []string{"姓名", "甲", "住址"}, "第3行出现在第4行之后"},
		{"行号不是数字", strings.Replace(inlineRow(3, "101001/000001", "乙"), `<row r="3">`, `<row r="三">`, 1),
			[]string{CodeMalformed + "@数据项!3:3"}, []string{"姓名", "住址"}, "不是正整数"},
		{"同一列两个单元格", `<row r="3"><c r="A3" t="inlineStr"><is><t>101001/000001</t></is></c><c r="B3" t="inlineStr"><is><t>乙</t></is></c><c r="B3" t="inlineStr"><is><t>丙</t></is></c></row>`,
			[]string{CodeMalformed + "@数据项!B3"}, []string{"姓名", "乙", "住址"}, "B列的单元格重复"},
		{"无效的单元格引用", `<row r="3"><c r="A3" t="inlineStr"><is><t>101001/000001</t></is></c><c r="3B" t="inlineStr"><is><t>乙</t></is></c></row>`,
			[]string{CodeMalformed + "@数据项!3:3"}, []string{"姓名", "住址"}, `单元格引用“3B”无效`},
		{"目录代码单元格损坏", `<row r="3"><c r="A3" t="inlineStr"><is><t>101001&#1;</t></is></c><c r="B3" t="inlineStr"><is><t>乙</t></is></c></row>`,
			[]string{CodeMalformed + "@数据项!A3"}, []string{"姓名", "住址"}, "该行未导入"},
		{"行之间的垃圾", `<row r="3"/> <<junk <row r="4">` + strings.TrimPrefix(inlineRow(4, "101001/000001", "丁"), `<row r="4">`),
			[]string{CodeMalformed + "@数据项"}, []string{"姓名", "丁", "住址"}, "第3行之后"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", head + c.rows + tail})
			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, c.want, codesAt(findings))
			require.NotEmpty(t, findings)
			assert.Contains(t, findings[0].Message, c.zh)
			require.Len(t, entries, 1)
			var names []string
			for _, it := range entries[0].Items {
				names = append(names, it.Name)
			}
			assert.Equal(t, c.items, names)
		})
	}
}

// A sheet cut off in the middle of a row: the row is reported from the
// cell where the XML ends, the rows before are imported.
func TestXLSXTruncatedSheet(t *testing.T) {
	items := `<sheetData>` + inlineRow(1, wantItemHeaders...) + inlineRow(2, "101001/000001", "姓名") +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>101001/000001</t></is></c><c r="B3" t="inlineStr"><is><t>住`
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
	require.NoError(t, err)
	assert.Equal(t, []string{CodeMalformed + "@数据项!B3"}, codesAt(findings))
	require.Len(t, entries, 1)
	require.Len(t, entries[0].Items, 1)
	assert.Equal(t, "姓名", entries[0].Items[0].Name)
}

// rewritePart returns the workbook with one part's text changed.
func rewritePart(t *testing.T, data []byte, name string, change func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		content, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		if f.Name == name {
			found = true
			content = []byte(change(string(content)))
		}
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		_, err = w.Write(content)
		require.NoError(t, err)
	}
	require.True(t, found, "no part %s", name)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// The valid workbook as excelize writes it, its text in a shared-string
// table.
func sharedStringWorkbook(t *testing.T) []byte {
	c, i := validRows()
	return workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})
}

func TestXLSXDamagedSharedStrings(t *testing.T) {
	t.Run("索引不存在", func(t *testing.T) {
		data := rewritePart(t, sharedStringWorkbook(t), "xl/worksheets/sheet2.xml", func(s string) string {
			// The item name of row 3 points past the table.
			i := strings.Index(s, `<c r="B3"`)
			j := strings.Index(s[i:], "<v>") + i
			k := strings.Index(s[j:], "</v>") + j
			return s[:j] + "<v>99999</v>" + s[k+4:]
		})
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@数据项!B3"}, codesAt(findings))
		assert.Contains(t, findings[0].Message, "共享字符串“99999”不存在")
		require.Len(t, entries, 1)
		assert.Len(t, entries[0].Items, 3)
	})
	t.Run("共享字符串中的NUL", func(t *testing.T) {
		data := rewritePart(t, sharedStringWorkbook(t), "xl/sharedStrings.xml", func(s string) string {
			return strings.Replace(s, "<t>公民身份号码</t>", "<t>公民&#0;身份号码</t>", 1)
		})
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@数据项!B3"}, codesAt(findings))
		require.Len(t, entries, 1)
		assert.Len(t, entries[0].Items, 3)
		assert.Equal(t, "", entries[0].Items[1].Name)
	})
	t.Run("表的XML损坏", func(t *testing.T) {
		data := rewritePart(t, sharedStringWorkbook(t), "xl/sharedStrings.xml", func(s string) string {
			return strings.Replace(s, "<t>公民身份号码</t>", "<t>公民<身份号码</t>", 1)
		})
		// The strings after the damage could not be numbered: the file is
		// refused rather than read with its text shifted.
		_, _, err := ImportXLSX(context.Background(), bytes.NewReader(data))
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.ErrorIs(t, err, ErrUnreadable)
		assert.Contains(t, err.Error(), "shared string")
	})
	t.Run("文档类型声明", func(t *testing.T) {
		data := rewritePart(t, sharedStringWorkbook(t), "xl/worksheets/sheet2.xml", func(s string) string {
			return strings.Replace(s, "<worksheet", `<!DOCTYPE lol [<!ENTITY lol "lol">]><worksheet`, 1)
		})
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, []string{CodeMalformed + "@数据项"}, codesAt(findings))
		assert.Contains(t, findings[0].Message, "DOCTYPE")
		require.Len(t, entries, 1)
		assert.Len(t, entries[0].Items, 3, "the rows are read after the declaration")
	})
}

// Text the XML escapes, or that only OOXML's _xHHHH_ escape can carry,
// reads back as written.
func TestXLSXEscapedText(t *testing.T) {
	cases := map[string]string{
		`a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;`: `a & b <c> "d" 'e'`,
		`&#x4E2D;&#25991;`:          "中文",
		`<![CDATA[x < y & z]]>`:     "x < y & z",
		"第一行\r\n第二行\r第三行":           "第一行\n第二行\n第三行",
		`tab&#9;and&#10;line`:       "tab\tand\nline",
		`_x005F_x0041_ and _x0041_`: "_x0041_ and A",
		`😀 𠀀`:                       "😀 𠀀",
		`<!-- a comment -->text`:    "text",
	}
	for raw, want := range cases {
		items := `<sheetData>` + inlineRow(1, wantItemHeaders...) +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>101001/000001</t></is></c><c r="B2" t="inlineStr"><is><t>姓名</t></is></c>` +
			`<c r="H2" t="inlineStr"><is><t xml:space="preserve">` + raw + `</t></is></c></row></sheetData>`
		entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", items})))
		require.NoError(t, err, raw)
		assert.Empty(t, findings, raw)
		require.Len(t, entries, 1)
		require.Len(t, entries[0].Items, 1)
		assert.Equal(t, normText(want), entries[0].Items[0].Description, raw)
	}
}

// Part names are compared without case (ECMA-376 Part 2, M1.12): a
// relationship naming a part in other case finds it, and a zip holding
// two parts of one name is refused rather than read one way or the other.
func TestXLSXPartNames(t *testing.T) {
	valid := rawWorkbook(t, [2]string{"目录", catalogSheetXML()}, [2]string{"数据项", `<sheetData>` + inlineRow(1, wantItemHeaders...) + inlineRow(2, "101001/000001", "姓名") + `</sheetData>`})
	upper := rewritePart(t, valid, "xl/_rels/workbook.xml.rels", func(s string) string {
		return strings.ReplaceAll(s, "worksheets/sheet", "Worksheets/Sheet")
	})
	entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(upper))
	require.NoError(t, err)
	assert.Empty(t, findings)
	require.Len(t, entries, 1)
	assert.Len(t, entries[0].Items, 1)

	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zr, err := zip.NewReader(bytes.NewReader(valid), int64(len(valid)))
	require.NoError(t, err)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.Create("XL/Worksheets/Sheet2.xml")
	require.NoError(t, err)
	_, err = io.WriteString(w, `<worksheet><sheetData/></worksheet>`)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, _, err = ImportXLSX(context.Background(), bytes.NewReader(b.Bytes()))
	var re *ReadError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), `the zip holds the part "XL/Worksheets/Sheet2.xml" twice`)
}
