//go:build linux

package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// rssChild, when set, makes TestHostileUploadsRSS the child: it imports the
// file named by the variable, with the importer of its extension, and
// prints the outcome as JSON.
const rssChild = "GOVSHARE_RSS_CHILD"

// maxRSS is the bound on an import's peak resident memory.
const maxRSS = 256 << 20

// outcome is what a child's import gave.
type outcome struct {
	Code     string         `json:"code"` // govshare.MessageOf(err).Code, "" without error
	Limit    string         `json:"limit"`
	Value    int64          `json:"value"`
	Entries  int            `json:"entries"`
	Items    int            `json:"items"`
	Findings map[string]int `json:"findings"` // by code
	First    []string       `json:"first"`    // code@path of the first findings
	RSS      int64          `json:"-"`
}

func childImport(path string) outcome {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	imp := map[string]func(context.Context, *os.File) ([]Entry, []govshare.Finding, error){
		".xlsx": func(ctx context.Context, f *os.File) ([]Entry, []govshare.Finding, error) { return ImportXLSX(ctx, f) },
		".csv":  func(ctx context.Context, f *os.File) ([]Entry, []govshare.Finding, error) { return ImportCSV(ctx, f) },
		".json": func(ctx context.Context, f *os.File) ([]Entry, []govshare.Finding, error) { return ImportJSON(ctx, f) },
	}[filepath.Ext(path)]
	entries, findings, err := imp(context.Background(), f)
	o := outcome{Entries: len(entries), Findings: map[string]int{}}
	if err != nil {
		o.Code = govshare.MessageOf(err).Code
		var le *LimitError
		if errors.As(err, &le) {
			o.Limit, o.Value = le.Limit, le.Value
		}
	}
	for _, e := range entries {
		o.Items += len(e.Items)
	}
	for i, fd := range findings {
		o.Findings[fd.Code]++
		if i < 5 {
			o.First = append(o.First, fd.Code+"@"+fd.Path)
		}
	}
	return o
}

// Every hostile upload of issue 11 is imported, or refused with a typed
// error, by a child process whose peak resident memory stays within
// 256 MB (Linux only: Maxrss is in kilobytes there, in bytes elsewhere). The files are generated here; the figures go to
// docs/benchmarks.md (go test -run HostileUploadsRSS -v ./catalog).
func TestHostileUploadsRSS(t *testing.T) {
	if path := os.Getenv(rssChild); path != "" {
		out, _ := json.Marshal(childImport(path))
		fmt.Println("outcome:", string(out))
		return
	}
	if raceEnabled {
		t.Skip("under the race detector the resident memory is the detector's")
	}
	dir := t.TempDir()
	cases := []struct {
		name  string
		file  string
		write func(w io.Writer) error
		check func(t *testing.T, o outcome)
	}{
		{"zip declaring a 12 GiB part", "lying-size.xlsx", func(w io.Writer) error { return lyingSizeXLSX(t, w) },
			func(t *testing.T, o outcome) {
				assert.Equal(t, "catalog.too_large", o.Code)
				assert.Equal(t, "PartBytes", o.Limit)
				assert.Equal(t, int64(12<<30), o.Value)
			}},
		{"deflate bomb of 1 GiB", "bomb.xlsx", func(w io.Writer) error { return bombXLSX(t, w, 0) },
			func(t *testing.T, o outcome) {
				assert.Equal(t, "catalog.too_large", o.Code)
				assert.Equal(t, "PartBytes", o.Limit)
				assert.Greater(t, o.Value, int64(1<<30))
			}},
		{"deflate bomb of 1 GiB declaring 1 MiB", "bomb-lying.xlsx", func(w io.Writer) error { return bombXLSX(t, w, 1<<20) },
			func(t *testing.T, o outcome) { assert.Equal(t, "catalog.unreadable", o.Code) }},
		{"sheet bomb: the whole grid, merged", "sheet-bomb.xlsx", sheetBombXLSX,
			func(t *testing.T, o outcome) {
				assert.Equal(t, "", o.Code)
				assert.Equal(t, 1, o.Entries)
				assert.Equal(t, 3, o.Items)
				assert.Equal(t, map[string]int{CodeMergedCells: 1}, o.Findings)
				assert.Equal(t, []string{CodeMergedCells + "@数据项!A5"}, o.First)
			}},
		{"a value in column XFD of every row", "findings-bomb.xlsx", findingsBombXLSX,
			func(t *testing.T, o outcome) {
				assert.Equal(t, "catalog.too_large", o.Code)
				assert.Equal(t, "Findings", o.Limit)
			}},
		{"1,200,000 item rows", "rows.xlsx", manyRowsXLSX,
			func(t *testing.T, o outcome) {
				assert.Equal(t, "", o.Code)
				assert.Equal(t, 60_000, o.Entries)
				assert.Equal(t, maxRows-1, o.Items)
				// The rows beyond the worksheet's last are one finding; the
				// entries whose items lie there have none.
				assert.Equal(t, map[string]int{CodeMalformed: 1, CodeNoItems: 60_000 - ((maxRows-1)/20 + 1)}, o.Findings)
			}},
		{"1,100,000 CSV rows", "rows.csv", manyRowsCSV,
			func(t *testing.T, o outcome) {
				assert.Equal(t, "", o.Code)
				assert.Equal(t, (maxRows-1)/20+1, o.Entries)
				assert.Equal(t, maxRows-1, o.Items)
				assert.Equal(t, map[string]int{CodeMalformed: 1}, o.Findings)
				assert.Equal(t, []string{CodeMalformed + "@1048576:1048576"}, o.First)
			}},
		{"JSON items giving their name twice", "duplicates.json", duplicateMembersJSON,
			func(t *testing.T, o outcome) {
				assert.Equal(t, "catalog.too_large", o.Code)
				assert.Equal(t, "Findings", o.Limit)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			f, err := os.Create(path)
			require.NoError(t, err)
			require.NoError(t, c.write(f))
			require.NoError(t, f.Close())
			fi, err := os.Stat(path)
			require.NoError(t, err)

			cmd := exec.Command(os.Args[0], "-test.run=^TestHostileUploadsRSS$", "-test.count=1")
			cmd.Env = append(os.Environ(), rssChild+"="+path)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			line, ok := strings.CutPrefix(lastLine(string(out), "outcome: "), "outcome: ")
			require.True(t, ok, "%s", out)
			var o outcome
			require.NoError(t, json.Unmarshal([]byte(line), &o))
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			require.True(t, ok)
			o.RSS = ru.Maxrss << 10 // kilobytes on Linux
			cpu := ru.Utime.Nano() + ru.Stime.Nano()
			t.Logf("%s: %.1f MB file, peak RSS %.0f MB, CPU %.1f s: %s %s=%d, %d entries, %d items, findings %v",
				c.file, float64(fi.Size())/1e6, float64(o.RSS)/(1<<20), float64(cpu)/1e9, o.Code, o.Limit, o.Value, o.Entries, o.Items, o.Findings)
			c.check(t, o)
			assert.LessOrEqual(t, o.RSS, int64(maxRSS), "peak RSS")
		})
	}
}

func lastLine(out, prefix string) string {
	lines := strings.Split(out, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], prefix) {
			return lines[i]
		}
	}
	return ""
}
