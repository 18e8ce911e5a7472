package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

func entry(id string) catalog.Entry {
	return catalog.Entry{
		ID: id, Name: "户籍人口基本信息",
		Provider: govshare.Department{Name: "杭州市公安局", CreditCode: "11330100002482101D", RegionCode: "330100"},
		Level:    catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅用于社会保障待遇资格认证",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Kind: classify.Name},
			{Name: "公民身份号码", Share: govshare.NotShared, Kind: classify.IDCard},
		},
	}
}

func writeXLSX(t *testing.T, entries ...catalog.Entry) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, catalog.ExportXLSX(&b, entries))
	path := filepath.Join(t.TempDir(), "目录.xlsx")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return path
}

func TestLintXLSX(t *testing.T) {
	bad := entry("101001/000002")
	bad.Conditions = ""
	bad.Items[1].Share = govshare.Unconditional
	path := writeXLSX(t, entry("101001/000001"), bad)

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{path}, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Empty(t, errOut.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], "目录!K3\t错误\tcatalog.conditions_missing\t有条件共享的目录未写明使用条件〔R7"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "数据项!F5\t错误\tcatalog.item_looser\t"), lines[1])
	assert.Equal(t, "目录.xlsx：2 个目录，4 个数据项；2 个错误，0 个警告，0 个提示", lines[2])

	out.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"-en", path}, &out, &errOut))
	assert.Contains(t, out.String(), "a conditional entry must state its conditions of use")
}

func TestLintCleanFile(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{writeXLSX(t, entry("101001/000001"))}, &out, &errOut))
	assert.Equal(t, "目录.xlsx：1 个目录，2 个数据项；0 个错误，0 个警告，0 个提示\n", out.String())
}

func TestLintCSVRows(t *testing.T) {
	var b bytes.Buffer
	e := entry("101001/000001")
	e.Methods = nil
	require.NoError(t, catalog.ExportCSV(&b, []catalog.Entry{e}))
	path := filepath.Join(t.TempDir(), "catalog.CSV")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run(context.Background(), []string{path}, &out, &errOut))
	assert.True(t, strings.HasPrefix(out.String(), "第2行M列\t错误\tcatalog.method_missing"), out.String())
}

func TestUsageAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	notXLSX := filepath.Join(dir, "目录.xlsx")
	require.NoError(t, os.WriteFile(notXLSX, []byte("目录代码,数据目录名称\n"), 0o644))
	cases := []struct {
		args []string
		want string
	}{
		{nil, "用法 usage: catalog-import"},
		{[]string{"a.xlsx", "b.xlsx"}, "用法 usage"},
		{[]string{"-x", "a.xlsx"}, "flag provided but not defined"},
		{[]string{"目录.docx"}, "不支持的文件类型"},
		{[]string{filepath.Join(dir, "missing.xlsx")}, "no such file"},
		{[]string{notXLSX}, "cannot read xlsx file"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), c.args, &out, &errOut), c.args)
		assert.Contains(t, errOut.String(), c.want, c.args)
		assert.Empty(t, out.String())
	}
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "退出码 exit status")
}

// An interrupted import stops and says so, with the usage-or-unreadable
// status; nothing is printed as if the file had been linted.
func TestInterrupted(t *testing.T) {
	path := writeXLSX(t, entry("101001/000001"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(ctx, []string{path}, &out, &errOut))
	assert.Contains(t, errOut.String(), "context canceled")
	assert.Empty(t, out.String())
}

// The linter applies the national grading profile by default: an
// identity-card column the clerk left undeclared, in an entry shared
// unconditionally, is an error as if it had been declared, besides the
// warning asking for the declaration. -policy none lints without a profile.
func TestLintAppliesNationalProfile(t *testing.T) {
	e := entry("101001/000001")
	e.Share, e.Conditions = govshare.Unconditional, ""
	e.Classification.Grade = classify.General2
	e.Items[1] = catalog.DataItem{Name: "身份证号码"} // no kind, no share of its own
	path := writeXLSX(t, e)

	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run(context.Background(), []string{path}, &out, &errOut))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4, out.String())
	assert.True(t, strings.HasPrefix(lines[0], "目录!O2\t错误\tclassify.sensitive_min_grade\t"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "数据项!F3\t错误\tclassify.sensitive_unconditional\t数据项“身份证号码”含敏感个人信息（身份证号，未声明个人信息类别"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "数据项!G3\t警告\tclassify.undeclared_kind\t"), lines[2])
	assert.Equal(t, "目录.xlsx：1 个目录，2 个数据项；2 个错误，1 个警告，0 个提示", lines[3])

	// The same entry with the kind declared has the same errors and no
	// warning.
	e.Items[1].Kind = classify.IDCard
	out.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{writeXLSX(t, e)}, &out, &errOut))
	assert.Contains(t, out.String(), "数据项!F3\t错误\tclassify.sensitive_unconditional\t")
	assert.Contains(t, out.String(), "2 个错误，0 个警告")

	out.Reset()
	assert.Equal(t, 0, run(context.Background(), []string{"-policy", "none", path}, &out, &errOut))
	assert.Equal(t, "目录.xlsx：1 个目录，2 个数据项；0 个错误，0 个警告，0 个提示\n", out.String())

	// A host's own profile: the undeclared kind is an error there.
	profile := filepath.Join(t.TempDir(), "province.json")
	require.NoError(t, os.WriteFile(profile, []byte(`{"name":"某省","rules":[{"id":"undeclared_kind","severity":"error"}]}`), 0o644))
	out.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"-policy", profile, path}, &out, &errOut))
	assert.True(t, strings.HasPrefix(out.String(), "数据项!G3\t错误\tclassify.undeclared_kind\t"), out.String())
	assert.Empty(t, errOut.String())
}

// Bilingual output gives both languages on every line: the severity, the
// message, the place of a CSV cell and the summary.
func TestLintBilingual(t *testing.T) {
	bad := entry("101001/000002")
	bad.Conditions = ""
	var b bytes.Buffer
	require.NoError(t, catalog.ExportCSV(&b, []catalog.Entry{bad}))
	path := filepath.Join(t.TempDir(), "catalog.csv")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))

	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run(context.Background(), []string{"-lang", "both", path}, &out, &errOut))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3, out.String())
	assert.Equal(t, "第2行K列 row 2 column K\t错误 error\tcatalog.conditions_missing\t有条件共享的目录未写明使用条件〔R7 政务数据共享条例 第三章 目录管理〕\ta conditional entry must state its conditions of use", lines[0])
	assert.Equal(t, "catalog.csv：1 个目录，2 个数据项；1 个错误，0 个警告，0 个提示", lines[1])
	assert.Equal(t, "catalog.csv: 1 entry, 2 data items; 1 error, 0 warnings, 0 notes", lines[2])

	out.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"-lang", "en", path}, &out, &errOut))
	assert.Equal(t, "row 2 column K\terror\tcatalog.conditions_missing\ta conditional entry must state its conditions of use〔R7 政务数据共享条例 第三章 目录管理〕\n"+
		"catalog.csv: 1 entry, 2 data items; 1 error, 0 warnings, 0 notes\n", out.String())
	assert.Empty(t, errOut.String())
}

func TestLintBadFlags(t *testing.T) {
	path := writeXLSX(t, entry("101001/000001"))
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-lang", "fr", path}, &out, &errOut))
	assert.Contains(t, errOut.String(), "-lang fr: 应为 zh、en 或 both")
	errOut.Reset()
	bad := filepath.Join(t.TempDir(), "p.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"rules":[{"id":"core_never"}]}`), 0o644))
	assert.Equal(t, 2, run(context.Background(), []string{"-policy", bad, path}, &out, &errOut))
	assert.Contains(t, errOut.String(), "分级保护策略有误")
	assert.Contains(t, errOut.String(), "unknown rule id")
	errOut.Reset()
	assert.Equal(t, 2, run(context.Background(), []string{"-policy", filepath.Join(t.TempDir(), "missing.json"), path}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no such file")
	assert.Empty(t, out.String())
}
