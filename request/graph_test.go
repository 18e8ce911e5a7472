package request

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata and the generated page in docs")

// The diagram in testdata/golden and the page in docs/ are generated from
// the transition table; this test fails when either drifts from it.
// go test ./request -run TestDocsGolden -update rewrites them.
func TestDocsGolden(t *testing.T) {
	files := map[string]string{
		filepath.Join("testdata", "golden", "states.mmd"): Mermaid(),
		filepath.Join("..", "docs", "request-states.md"):  Markdown(),
	}
	for path, got := range files {
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./request -run TestDocsGolden -update")
		assert.Equal(t, string(want), got, path)
	}
}

func TestMermaidHasEveryStateAndCommand(t *testing.T) {
	m := Mermaid()
	for _, s := range States()[1:] {
		assert.Contains(t, m, "as "+s.Code())
	}
	for _, tr := range Table() {
		if tr.housekeeping() {
			continue
		}
		assert.True(t, strings.Contains(m, tr.Command.Code()), tr.Command.Code())
	}
	assert.Contains(t, m, "[*] --> draft : create, renew")
	assert.Contains(t, m, "in_coordination --> approved : uphold, overturn")
}
