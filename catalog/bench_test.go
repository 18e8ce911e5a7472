package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// The speeds the issue names, measured on 100,000 entries (or data-item
// rows). Validate and its floor, BenchmarkValidatorStruct, run in the same
// invocation so that their ratio compares like with like; see
// docs/benchmarks.md for the commands and figures.

// bigCorpus builds n entries of 20 items. Each benchmark builds its own,
// so that no benchmark's data stays live while another measures memory.
func bigCorpus(n int) []Entry {
	entries := make([]Entry, n)
	for i := range entries {
		entries[i] = bigEntry(i)
	}
	return entries
}

// bigItemNames are the names of bigEntry's items, shared by all entries.
var bigItemNames = func() []string {
	names := make([]string, 20)
	for j := range names {
		names[j] = fmt.Sprintf("数据项%d", j)
	}
	return names
}()

// bigEntry is entry i of bigCorpus.
func bigEntry(i int) Entry {
	e := corpusEntry(i, 0)
	items := make([]DataItem, 20)
	for j := range items {
		items[j] = DataItem{Name: bigItemNames[j], Column: bigItemNames[j], Type: TypeString, Length: 10 + j}
	}
	if e.Share != govshare.NotShared {
		items[0].Share, items[0].Kind = govshare.NotShared, classify.IDCard
	}
	e.Items = items
	return e
}

// BenchmarkValidate validates 100,000 entries of 20 items: one op is the
// whole catalog. Target: ≤ 2 s, and ≤ 3× BenchmarkValidatorStruct.
func BenchmarkValidate(b *testing.B) {
	entries := bigCorpus(100_000)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for i := range entries {
			if fs := Validate(entries[i]); fs != nil {
				b.Fatal(fs)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkValidatorStruct is the bare validator/v10 Struct pass over the
// same entries, with the same tags and custom validators: the floor that
// Validate's rule checks add to. The data items' field rules, which
// Validate checks by hand (checkItems), are validated here as the tags
// DataItem once carried (taggedItem), so that the floor still covers every
// field.
func BenchmarkValidatorStruct(b *testing.B) {
	entries := bigCorpus(100_000)
	items := make([]taggedItems, len(entries))
	for i := range entries {
		items[i] = tagged(entries[i].Items)
	}
	v := engine()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for i := range entries {
			if err := v.Struct(&entries[i]); err != nil {
				b.Fatal(err)
			}
			if err := v.Struct(&items[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// peak samples the heap while f runs and reports the highest in-use heap
// (heap and stacks) as peak-MB, and how far it rose above what was in use
// before f as op-peak-MB.
func peak(b *testing.B, f func()) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse + m.StackInuse
	top := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse+m.StackInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	b.ReportMetric(float64(top)/(1<<20), "peak-MB")
	b.ReportMetric(float64(top-base)/(1<<20), "op-peak-MB")
}

// BenchmarkExportXLSX writes 100,000 data-item rows. Target: ≤ 15 s,
// ≤ 500 MB.
func BenchmarkExportXLSX(b *testing.B) {
	entries := bigCorpus(5000) // 100,000 data-item rows
	b.ResetTimer()
	for b.Loop() {
		peak(b, func() {
			if err := ExportXLSX(io.Discard, entries); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkImportXLSX reads and validates 100,000 data-item rows. Target:
// ≤ 15 s, ≤ 500 MB.
func BenchmarkImportXLSX(b *testing.B) {
	var buf bytes.Buffer
	if err := ExportXLSX(&buf, bigCorpus(5000)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		peak(b, func() {
			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(buf.Bytes()))
			if err != nil || len(findings) != 0 || len(entries) != 5000 {
				b.Fatal(err, findings[:min(len(findings), 3)], len(entries))
			}
		})
	}
	b.ReportMetric(float64(buf.Len())/(1<<20), "file-MB")
}

var (
	storeOnce  sync.Once
	benchStore *MemoryStore
)

// bigStore holds the 100,000 entries, published.
func bigStore(b *testing.B) *MemoryStore {
	storeOnce.Do(func() {
		s, err := NewMemoryStore()
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for _, e := range bigCorpus(100_000) {
			v, err := s.Put(ctx, e, 0)
			if err == nil {
				_, _, err = s.Publish(ctx, v.ID, v.Version)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		benchStore = s
		// Collect the garbage of building it now, not in the first
		// benchmark that uses it.
		runtime.GC()
	})
	return benchStore
}

func benchFind(b *testing.B, q Query, want int) {
	s := bigStore(b)
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		res, err := s.Find(ctx, q)
		if err != nil || res.Total != want {
			b.Fatal(err, res.Total, want)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// Find over 100,000 entries. Targets: ≤ 1 ms by provider, attribute or
// grade; ≤ 50 ms by text.
func BenchmarkFindProvider(b *testing.B) { benchFind(b, Query{Provider: "部门42"}, 200) }
func BenchmarkFindShare(b *testing.B) {
	benchFind(b, Query{Share: govshare.Conditional}, 33_333)
}
func BenchmarkFindGrade(b *testing.B) { benchFind(b, Query{Grade: classify.Important}, 25_000) }
func BenchmarkFindGradeShare(b *testing.B) {
	benchFind(b, Query{Grade: classify.Important, Share: govshare.Conditional, Status: Published}, 8_333)
}
func BenchmarkFindTextRare(b *testing.B)   { benchFind(b, Query{Text: "kw31337"}, 1) }
func BenchmarkFindTextCommon(b *testing.B) { benchFind(b, Query{Text: "摘要"}, 100_000) }

// BenchmarkFindScan is the obvious alternative to the indexes: checking
// every entry for an attribute.
func BenchmarkFindScan(b *testing.B) {
	entries := bigCorpus(100_000)
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for i := range entries {
			if entries[i].Share == govshare.Conditional {
				n++
			}
		}
		if n != 33_333 {
			b.Fatal(n)
		}
	}
}

// BenchmarkImportXLSXSharedStrings reads the same rows from a workbook
// whose text is in a shared-string table, as spreadsheet programs save it
// (ExportXLSX writes inline strings).
func BenchmarkImportXLSXSharedStrings(b *testing.B) {
	var buf bytes.Buffer
	if err := ExportXLSX(&buf, bigCorpus(5000)); err != nil {
		b.Fatal(err)
	}
	data := resaveWithSharedStrings(b, buf.Bytes())
	b.ResetTimer()
	for b.Loop() {
		peak(b, func() {
			entries, findings, err := ImportXLSX(context.Background(), bytes.NewReader(data))
			if err != nil || len(findings) != 0 || len(entries) != 5000 {
				b.Fatal(err, findings[:min(len(findings), 3)], len(entries))
			}
		})
	}
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}

// resaveWithSharedStrings copies the 目录 and 数据项 sheets cell by cell
// through excelize's ordinary (non-streaming) API, which stores text in
// the shared-string table.
func resaveWithSharedStrings(b *testing.B, data []byte) []byte {
	src, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst := excelize.NewFile()
	defer dst.Close()
	for i, sheet := range []string{catalogSheetName, itemSheetName} {
		if i == 0 {
			err = dst.SetSheetName("Sheet1", sheet)
		} else {
			_, err = dst.NewSheet(sheet)
		}
		if err != nil {
			b.Fatal(err)
		}
		rows, err := src.GetRows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := dst.SetSheetRow(sheet, cell, &row); err != nil {
				b.Fatal(err)
			}
		}
	}
	var out bytes.Buffer
	if err := dst.Write(&out); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}
