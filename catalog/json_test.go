package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// update is the one golden-file flag of govshare's packages (docs/api.md):
// go test ./catalog -run RoundTrip -update rewrites the files in testdata.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// storedEntries are entries as a store returns them: with status, version
// and times.
func storedEntries(t *testing.T) []Entry {
	t.Helper()
	ctx := context.Background()
	s, clk := newTestStore(t)
	e := validEntry()
	e.Open = NotOpen
	e.Summary = "含<特殊>字符 & \"引号\"\n第二行"
	v, err := s.Put(ctx, e, 0)
	require.NoError(t, err)
	clk.t = clk.t.Add(90 * time.Minute)
	v, _, err = s.Publish(ctx, v.ID, v.Version)
	require.NoError(t, err)
	out := []Entry{v}
	for _, c := range corpus(2, 2) {
		d, err := s.Put(ctx, c, 0)
		require.NoError(t, err)
		out = append(out, d)
	}
	return out
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestJSONRoundTrip(t *testing.T) {
	entries := storedEntries(t)
	var first bytes.Buffer
	require.NoError(t, ExportJSON(&first, entries))
	golden(t, "catalog.golden.json", first.Bytes())

	got, findings, err := ImportJSON(context.Background(), bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, entries, got)

	var second bytes.Buffer
	require.NoError(t, ExportJSON(&second, got))
	assert.Equal(t, first.String(), second.String(), "export, import, export gives the same bytes")

	// Times in another zone are written in China Standard Time.
	utc := entries[0]
	utc.UpdatedAt = utc.UpdatedAt.UTC()
	var b bytes.Buffer
	require.NoError(t, ExportJSON(&b, []Entry{utc}))
	assert.Contains(t, b.String(), `"updated_at": "2026-03-02T11:00:00+08:00"`)
}

func TestExportJSONRefusesUndefinedValues(t *testing.T) {
	e := validEntry()
	e.Items[2].Type = 42
	err := ExportJSON(&bytes.Buffer{}, []Entry{e})
	var xe *ExportError
	require.ErrorAs(t, err, &xe)
	assert.Equal(t, e.ID, xe.ID)
	assert.ErrorIs(t, err, ErrNotExportable)
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
}

func TestImportJSONFindings(t *testing.T) {
	doc := `{
	  "entries": [
	    {"id": "101001/000001", "name": "甲", "colour": "red",
	     "provider": {"name": "杭州市公安局", "credit_code": 42},
	     "level": "departmental", "format": "table", "frequency": "每日",
	     "share": "maybe", "methods": ["service_api", "pigeon"],
	     "classification": {"category": "public_security", "grade": "general_3"},
	     "items": [{"name": "姓名", "length": "ten"}, "not an item"]},
	    {"id": "101001/000001", "name": "乙", "level": "departmental", "format": "table",
	     "frequency": "daily", "share": "conditional", "methods": ["batch_exchange"],
	     "provider": {"name": "杭州市公安局"},
	     "classification": {"category": "public_security", "grade": "general"},
	     "items": [{"name": "姓名"}], "updated_at": "yesterday"}
	  ]
	}`
	entries, findings, err := ImportJSON(context.Background(), strings.NewReader(doc))
	require.NoError(t, err)
	require.Len(t, entries, 2)
	want := []string{
		CodeUnknownField + "@entries[0].colour",
		CodeWrongType + "@entries[0].provider.credit_code",
		CodeUnknownValue + "@entries[0].share",
		CodeUnknownValue + "@entries[0].methods[1]",
		CodeWrongType + "@entries[0].items[0].length",
		CodeWrongType + "@entries[0].items[1]",
		CodeWrongType + "@entries[1].updated_at",
		CodeDuplicateEntry + "@entries[1].id",
		// Validation runs on every entry, with the entry's path.
		CodeRequired + "@entries[0].share",
		CodeRequired + "@entries[0].items[1].name",
		CodeConditionsMissing + "@entries[1].conditions",
	}
	got := map[string]bool{}
	for _, f := range findings {
		got[f.Code+"@"+f.Path] = true
	}
	for _, w := range want {
		assert.True(t, got[w], "missing %s in %v", w, findings)
	}
	// The rest of a bad entry is read.
	assert.Equal(t, "甲", entries[0].Name)
	assert.Equal(t, Daily, entries[0].Frequency)
	assert.Equal(t, "姓名", entries[0].Items[0].Name)
	assert.Equal(t, 0, entries[0].Items[0].Length)
	f, _ := findCode(findings, CodeUnknownValue, "entries[0].share")
	assert.Contains(t, f.Message, "共享属性")
	assert.Contains(t, f.Message, `"maybe"`)
	assert.Equal(t, "R7", f.Citation.Rule)
}

func TestImportJSONShapes(t *testing.T) {
	cases := []struct {
		name, doc string
		code      string
		path      string
	}{
		{"空目录", `{"entries": []}`, CodeNoEntries, "entries"},
		{"null", `null`, CodeNoEntries, "entries"},
		{"顶层是数组", `[{"id": "1"}]`, CodeWrongType, ""},
		{"entries不是数组", `{"entries": {"id": "1"}}`, CodeWrongType, "entries"},
		{"目录不是对象", `{"entries": [7]}`, CodeWrongType, "entries[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, findings, err := ImportJSON(context.Background(), strings.NewReader(c.doc))
			require.NoError(t, err)
			_, ok := findCode(findings, c.code, c.path)
			assert.True(t, ok, "want %s at %q in %v", c.code, c.path, findings)
		})
	}
}

// jsonCases trigger the codes only JSON files can, each with a near miss.
func jsonCases(t testing.TB) []importCase {
	var b bytes.Buffer
	require.NoError(t, ExportJSON(&b, []Entry{validEntry()}))
	valid := b.String()
	return []importCase{
		{"未知成员", CodeUnknownField, "entries[0].colour",
			strings.Replace(valid, `"name": "户籍人口基本信息"`, `"name": "户籍人口基本信息", "colour": "red"`, 1), valid},
		{"成员类型错误", CodeWrongType, "entries[0].items[0].length",
			strings.Replace(valid, `"length": 50`, `"length": "50"`, 1), strings.Replace(valid, `"length": 50`, `"length": 49`, 1)},
		{"重复的目录代码", CodeDuplicateEntry, "entries[1].id",
			`{"entries": [` + entryJSON(t, validEntry()) + `,` + entryJSON(t, validEntry()) + `]}`,
			`{"entries": [` + entryJSON(t, validEntry()) + `,` + strings.Replace(entryJSON(t, validEntry()), "000001", "000002", 1) + `]}`},
	}
}

func entryJSON(t testing.TB, e Entry) string {
	b, err := json.Marshal(e)
	require.NoError(t, err)
	return string(b)
}

func TestJSONFindingCodes(t *testing.T) {
	for _, c := range jsonCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, findings, err := ImportJSON(context.Background(), strings.NewReader(c.trigger))
			require.NoError(t, err)
			_, ok := findCode(findings, c.code, c.path)
			assert.True(t, ok, "want %s at %s, got %v", c.code, c.path, findings)
			_, findings, err = ImportJSON(context.Background(), strings.NewReader(c.nearMiss))
			require.NoError(t, err)
			assert.Empty(t, findings)
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestImportJSONUnreadable(t *testing.T) {
	for _, doc := range []string{"", "{", `{"entries": [}`, "\xff"} {
		entries, findings, err := ImportJSON(context.Background(), strings.NewReader(doc))
		var re *ReadError
		require.ErrorAs(t, err, &re, doc)
		assert.Equal(t, "json", re.Format)
		assert.ErrorIs(t, err, ErrUnreadable)
		assert.Nil(t, entries)
		assert.Nil(t, findings)
	}
	_, _, err := ImportJSON(context.Background(), failingReader{})
	assert.ErrorIs(t, err, ErrUnreadable)
	assert.ErrorContains(t, err, "disk on fire")
}
