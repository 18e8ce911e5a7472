package govshare_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every rule id the code cites is defined in docs/regulation.md, and
// govshare.Rule knows its chapter.
func TestCitedRulesAreDefined(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("docs", "regulation.md"))
	require.NoError(t, err)
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\| (R[0-9]+) \|`).FindAllStringSubmatch(string(page), -1) {
		defined[m[1]] = true
	}
	require.NotEmpty(t, defined)
	cite := regexp.MustCompile(`"(R[0-9]+)"`)
	cited := map[string]string{}
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range cite.FindAllStringSubmatch(string(src), -1) {
			cited[m[1]] = path
		}
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, cited, "R12", "the scan finds the citations")
	for id, path := range cited {
		assert.True(t, defined[id], "%s cites %s, which docs/regulation.md does not define", path, id)
	}
	for id := range defined {
		assert.NotPanics(t, func() { _ = govshare.Rule(id) }, id)
		assert.Contains(t, govshare.Rule(id).Source, "第", id)
	}
}
