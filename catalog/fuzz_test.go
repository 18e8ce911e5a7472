package catalog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func seed(f *testing.F, name string) {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(f, err)
	f.Add(data)
}

// FuzzImportJSON: any input gives entries and findings or ErrUnreadable,
// never a panic; whatever is imported exports, and the export is canonical
// (importing and exporting it again gives the same bytes).
func FuzzImportJSON(f *testing.F) {
	seed(f, "catalog.golden.json")
	for _, s := range []string{``, `null`, `{}`, `{"entries":[{}]}`, `{"entries":[{"items":[{"length":1e400}]}]}`,
		`{"entries":[{"updated_at":"0000-01-01T00:00:00+14:00","methods":[null,7],"classification":[]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := ImportJSON(context.Background(), bytes.NewReader(data))
		if err != nil {
			require.ErrorIs(t, err, ErrUnreadable)
			return
		}
		var first bytes.Buffer
		require.NoError(t, ExportJSON(&first, entries))
		again, _, err := ImportJSON(context.Background(), bytes.NewReader(first.Bytes()))
		require.NoError(t, err)
		var second bytes.Buffer
		require.NoError(t, ExportJSON(&second, again))
		require.Equal(t, first.String(), second.String())
	})
}

// FuzzImportCSV: any input gives entries and findings, never a panic or an
// error; whatever is imported exports, and importing the export gives the
// same entries.
func FuzzImportCSV(f *testing.F) {
	seed(f, "catalog.golden.csv")
	for _, s := range []string{"", "目录代码\n", "目录代码,数据项名称\n1/1,\"a\n", "目录代码,长度,数据项名称\n101001/1,1e9,x\n101001/1,,y\n",
		"\xEF\xBB\xBF目录代码,共享方式\n101001/1,服务接口、，,pigeon\n", "目录代码,数据分类\n101001/1,社会保障/人/基础\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := ImportCSV(context.Background(), bytes.NewReader(data))
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, ExportCSV(&out, entries))
		again, _, err := ImportCSV(context.Background(), bytes.NewReader(out.Bytes()))
		require.NoError(t, err)
		require.Equal(t, entries, again)
	})
}
