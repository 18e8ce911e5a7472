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
