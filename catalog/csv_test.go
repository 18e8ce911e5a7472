package catalog

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// authoring keeps the fields the spreadsheet formats carry: the store's
// status, version and times are not part of them.
func authoring(entries []Entry) []Entry {
	out := make([]Entry, len(entries))
	for i, e := range entries {
		e = e.Clone()
		e.Status, e.Version = 0, 0
		e.UpdatedAt, e.PublishedAt = time.Time{}, time.Time{}
		out[i] = e
	}
	return out
}

func roundTripEntries() []Entry {
	e := validEntry()
	e.Open = OpenConditional
	e.Summary = "第一行\n第二行，含“引号”和,逗号"
	noItems := corpus(1, 0)[0]
	noItems.ID = "301001/000009"
	noItems.Items = nil
	return append([]Entry{e, noItems}, corpus(6, 3)...)
}

func TestCSVRoundTrip(t *testing.T) {
	entries := roundTripEntries()
	var first bytes.Buffer
	require.NoError(t, ExportCSV(&first, entries))
	golden(t, "catalog.golden.csv", first.Bytes())
	assert.True(t, bytes.HasPrefix(first.Bytes(), utf8BOM))

	got, findings, err := ImportCSV(context.Background(), bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	// The entry without items is reported, and only it.
	require.Len(t, findings, 1)
	assert.Equal(t, CodeNoItems, findings[0].Code)
	assert.Equal(t, "A5", findings[0].Path)
	assert.Equal(t, authoring(entries), got)

	var second bytes.Buffer
	require.NoError(t, ExportCSV(&second, got))
	assert.Equal(t, first.String(), second.String())
}

// csvHeader is the header row of the CSV layout.
func csvHeader() []string {
	h := make([]string, len(csvLayout.cols))
	for i, c := range csvLayout.cols {
		h[i] = c.header
	}
	return h
}

// csvText joins rows into a CSV file; each row is given by header, so that
// tests name the cells they fill.
func csvText(header []string, rows ...map[string]string) string {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, r := range rows {
		cells := make([]string, len(header))
		for i, h := range header {
			cells[i] = r[h]
			if strings.ContainsAny(cells[i], ",\"\n") {
				cells[i] = `"` + strings.ReplaceAll(cells[i], `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	return b.String()
}

// filledRow is validEntry's first item row, as a clerk might type it.
func filledRow() map[string]string {
	return map[string]string{
		"目录代码": "101001/000001", "数据目录名称": "户籍人口基本信息", "摘要": "本市户籍人口的姓名、身份证号和住址",
		"提供单位": "杭州市公安局", "提供单位统一社会信用代码": policeCode, "行政区划代码": "330100",
		"目录层级": "部门目录", "数据格式": "库表", "数据更新频率": "每日", "共享属性": "有条件共享",
		"使用条件": "仅用于社会保障待遇资格认证", "共享方式": "服务接口、批量交换",
		"数据分类": "公共安全/人/基础", "数据分级": "一般数据3级",
		"数据项名称": "姓名", "字段名": "xm", "数据类型": "字符型", "长度": "50", "个人信息类别": "姓名",
	}
}

func TestCSVNormalisesCells(t *testing.T) {
	messy := filledRow()
	messy["目录代码"] = " １０１００１／０００００１ "             // full width, spaces
	messy["提供单位统一社会信用代码"] = "11330100 002482101d" // lower case, a space
	messy["数据目录名称"] = "  户籍人口\u3000基本信息 "         // ideographic space inside, stray spaces
	messy["数据更新频率"] = "DAILY"
	messy["共享属性"] = " conditional"
	messy["共享方式"] = "service_api，批量交换,服务接口" // full-width comma, code, repeat
	messy["数据分类"] = "public_security／person／basic"
	messy["数据分级"] = "一般3级"
	messy["长度"] = "５０.0"
	second := map[string]string{"目录代码": "101001/000001", "数据项名称": "公民身份号码", "字段名": "gmsfhm",
		"数据类型": "varchar", "长度": "18", "数据项共享属性": "不予共享", "个人信息类别": "id_card", "说明": "18位"}
	third := map[string]string{"目录代码": "101001/000001", "数据项名称": "住址", "字段名": "zz",
		"数据类型": "字符型", "长度": "200", "个人信息类别": "住址"}
	// A title row above the header, a required mark and spaces in a header.
	text := "杭州市公安局政务数据目录（标题行）\n" +
		strings.Replace(csvText(csvHeader(), messy, second, third), "目录代码,", " *目录代码 ,", 1)

	got, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
	require.NoError(t, err)
	assert.Empty(t, findings)
	want := validEntry()
	want.Name = "户籍人口 基本信息"
	require.Len(t, got, 1)
	assert.Equal(t, want, got[0])
}

func TestCSVGB18030(t *testing.T) {
	utf := csvText(csvHeader(), filledRow())
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(utf)
	require.NoError(t, err)
	require.NotEqual(t, utf, gbk)
	got, _, err := ImportCSV(context.Background(), strings.NewReader(gbk))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "户籍人口基本信息", got[0].Name)
	assert.Equal(t, classify.Name, got[0].Items[0].Kind)
}

// importCase triggers one finding code in an imported file, at a cell,
// and has a near miss that does not trigger it.
type importCase struct {
	name     string
	code     string
	path     string
	trigger  string
	nearMiss string
}

func csvCases() []importCase {
	h := csvHeader()
	row := filledRow
	with := func(k, v string) map[string]string { r := row(); r[k] = v; return r }
	noHeader := append([]string(nil), h...)
	noHeader[9] = "备注" // 共享属性 replaced by an unknown column
	dupHeader := append(append([]string(nil), h...), "共享属性")
	item := func(k, v string) map[string]string {
		return map[string]string{"目录代码": "101001/000001", "数据项名称": "住址", k: v}
	}
	return []importCase{
		{"未知的共享属性", CodeUnknownValue, "J2",
			csvText(h, with("共享属性", "看情况")), csvText(h, with("共享属性", "有条件"))},
		{"未知的共享方式", CodeUnknownValue, "M2",
			csvText(h, with("共享方式", "服务接口、飞鸽传书")), csvText(h, with("共享方式", "服务接口、文件下载"))},
		{"长度不是数字", CodeWrongType, "T2",
			csvText(h, with("长度", "五十")), csvText(h, with("长度", "50.0"))},
		{"长度不是整数", CodeWrongType, "T2",
			csvText(h, with("长度", "50.5")), csvText(h, with("长度", "５０"))},
		{"未登记的分类", CodeUnknownCategory, "N2",
			csvText(h, with("数据分类", "公共安全/外星人")), csvText(h, with("数据分类", "公共安全/组织"))},
		{"目录列前后不一致", CodeInconsistentEntry, "J3",
			csvText(h, row(), with("共享属性", "无条件共享")), csvText(h, row(), with("共享属性", "conditional"))},
		{"缺少必需列", CodeHeaderMissing, "1:1",
			csvText(noHeader, row()), csvText(h, row())},
		{"重复的列", CodeHeaderDuplicate, columnName(len(h)) + "1", // the column after the last
			csvText(dupHeader, row()), csvText(h, row())},
		{"未知的列", CodeHeaderUnknown, "J1",
			csvText(noHeader, row()), csvText(h, row())},
		{"目录代码为空", CodeRequired, "A3",
			csvText(h, row(), item("目录代码", "")), csvText(h, row(), item("字段名", "zz"))},
		{"数据项只有零值", CodeRequired, "Q3",
			csvText(h, row(), map[string]string{"目录代码": "101001/000001", "长度": "0"}),
			csvText(h, row(), map[string]string{"目录代码": "101001/000001", "长度": "0", "数据项名称": "住址"})},
		{"校验失败映射到单元格", CodeConditionsMissing, "K2",
			csvText(h, with("使用条件", "　")), csvText(h, row())},
		{"数据项宽于目录", CodeItemLooser, "U3",
			csvText(h, row(), item("数据项共享属性", "无条件共享")), csvText(h, row(), item("数据项共享属性", "不予共享"))},
		{"数据项名称重复", CodeDuplicateItem, "Q3",
			csvText(h, row(), item("数据项名称", "姓名")), csvText(h, row(), item("数据项名称", "姓名2"))},
		{"无表头", CodeHeaderMissing, "",
			"甲,乙\n1,2\n", csvText(h, row())},
		{"没有目录", CodeNoEntries, "",
			csvText(h), csvText(h, row())},
		{"CSV引号错误", CodeMalformed, "3:3",
			csvText(h, row()) + "101001/000001,\"坏\"引号\n", csvText(h, row()) + "101001/000001,\"好\"\"引号\"\n"},
	}
}

func TestCSVFindings(t *testing.T) {
	for _, c := range csvCases() {
		t.Run(c.name, func(t *testing.T) {
			_, findings, err := ImportCSV(context.Background(), strings.NewReader(c.trigger))
			require.NoError(t, err)
			f, ok := findCode(findings, c.code, c.path)
			require.True(t, ok, "want %s at %q, got %v", c.code, c.path, findings)
			re, ok := RowErrorOf(f)
			if c.path != "" {
				require.True(t, ok)
				assert.Equal(t, "", re.Sheet)
				assert.ErrorIs(t, re, ErrInvalidContent)
			}
			_, findings, err = ImportCSV(context.Background(), strings.NewReader(c.nearMiss))
			require.NoError(t, err)
			for _, f := range findings {
				assert.NotEqual(t, c.code, f.Code, "near miss triggered %v", f)
			}
		})
	}
}

// A later row may leave the entry's columns empty; the entry keeps what
// its first row said.
func TestCSVContinuationRows(t *testing.T) {
	h := csvHeader()
	text := csvText(h, filledRow(),
		map[string]string{"目录代码": "101001/000001", "数据项名称": "公民身份号码", "数据项共享属性": "不予共享"},
		map[string]string{"目录代码": "101001/000001", "共享属性": "有条件共享", "数据项名称": "住址"})
	got, findings, err := ImportCSV(context.Background(), strings.NewReader(text))
	require.NoError(t, err)
	assert.Empty(t, findings)
	require.Len(t, got, 1)
	assert.Equal(t, govshare.Conditional, got[0].Share)
	assert.Len(t, got[0].Items, 3)
}

func TestCSVUnreadable(t *testing.T) {
	_, _, err := ImportCSV(context.Background(), failingReader{})
	var re *ReadError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "csv", re.Format)
	assert.ErrorIs(t, err, ErrUnreadable)
}

func TestExportCSVRefusesUndefinedValues(t *testing.T) {
	e := validEntry()
	e.Methods = append(e.Methods, "pigeon")
	err := ExportCSV(&bytes.Buffer{}, []Entry{e})
	assert.ErrorIs(t, err, ErrNotExportable)
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
}
