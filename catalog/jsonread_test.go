package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A member given twice is refused: a finding names it and its path, and
// neither value is read (encoding/json would keep the last one).
func TestImportJSONDuplicateMembers(t *testing.T) {
	valid := validJSON(t)
	cases := []struct {
		name, doc, path, member string
		check                   func(t *testing.T, entries []Entry)
	}{
		{"目录名称两次", strings.Replace(valid, `"name": "户籍人口基本信息"`, `"name": "户籍人口基本信息", "name": "别的名称"`, 1),
			"entries[0].name", "name", func(t *testing.T, e []Entry) { assert.Equal(t, "", e[0].Name) }},
		{"共享属性两次", strings.Replace(valid, `"share": "conditional"`, `"share": "conditional", "share": "unconditional"`, 1),
			"entries[0].share", "share", func(t *testing.T, e []Entry) { assert.Zero(t, e[0].Share) }},
		{"转义写法的同名成员", strings.Replace(valid, `"name": "户籍人口基本信息"`, `"name": "户籍人口基本信息", "n\u0061me": "别的名称"`, 1),
			"entries[0].name", "name", func(t *testing.T, e []Entry) { assert.Equal(t, "", e[0].Name) }},
		{"提供单位内部", strings.Replace(valid, `"credit_code": "11330100002482101D"`, `"credit_code": "11330100002482101D", "credit_code": "91330100MA27XXXX1X"`, 1),
			"entries[0].provider.credit_code", "credit_code", func(t *testing.T, e []Entry) { assert.Equal(t, "", e[0].Provider.CreditCode) }},
		{"数据项内部", strings.Replace(valid, `"name": "住址"`, `"name": "住址", "name": "籍贯"`, 1),
			"entries[0].items[2].name", "name", func(t *testing.T, e []Entry) { assert.Equal(t, "", e[0].Items[2].Name) }},
		{"顶层entries两次", `{"entries": [], "entries": [` + entryJSON(t, validEntry()) + `]}`,
			"entries", "entries", func(t *testing.T, e []Entry) { assert.Empty(t, e) }},
		{"未知成员两次", strings.Replace(valid, `"name": "户籍人口基本信息"`, `"name": "户籍人口基本信息", "colour": 1, "colour": 2`, 1),
			"entries[0].colour", "colour", func(t *testing.T, e []Entry) { assert.Equal(t, "户籍人口基本信息", e[0].Name) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries, findings, err := ImportJSON(context.Background(), strings.NewReader(c.doc))
			require.NoError(t, err)
			f, ok := findCode(findings, CodeMalformed, c.path)
			require.True(t, ok, "want %s at %s in %v", CodeMalformed, c.path, codesAt(findings))
			assert.Contains(t, f.Message, `"`+c.member+`"出现了2次`)
			assert.Contains(t, f.MessageEN, `member "`+c.member+`" appears 2 times`)
			c.check(t, entries)
		})
	}
	// The same document without the second member has no such finding.
	_, findings, err := ImportJSON(context.Background(), strings.NewReader(valid))
	require.NoError(t, err)
	assert.Empty(t, findings)
}

// encoding/json reads bytes that are not UTF-8 as U+FFFD; ImportJSON
// reports them and leaves the field empty.
func TestImportJSONInvalidUTF8(t *testing.T) {
	doc := strings.Replace(validJSON(t), `"name": "户籍人口基本信息"`, "\"name\": \"\xbb\xa7\xbc\xae\"", 1)
	entries, findings, err := ImportJSON(context.Background(), strings.NewReader(doc))
	require.NoError(t, err)
	f, ok := findCode(findings, CodeMalformed, "entries[0].name")
	require.True(t, ok, "%v", codesAt(findings))
	assert.Contains(t, f.Message, "数据目录名称不是有效的UTF-8文本")
	require.Len(t, entries, 1)
	assert.Equal(t, "", entries[0].Name)
}
