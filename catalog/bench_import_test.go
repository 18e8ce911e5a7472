//go:build unix

package catalog

import (
	"bytes"
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Issue 16: importing 1,000,000 data-item rows. This file uses only what
// the importer had before the issue (ExportXLSX, ImportXLSX, bigCorpus,
// peak), so that the same benchmark compiles against the commit it
// started from and the two run side by side; docs/benchmarks.md has the
// commands and the figures.

var (
	millionOnce sync.Once
	millionFile []byte
)

// millionItems is ExportXLSX of 50,000 entries of 20 items: 1,000,000
// data-item rows, 25 MB.
func millionItems(b *testing.B) []byte {
	millionOnce.Do(func() {
		var buf bytes.Buffer
		if err := ExportXLSX(&buf, bigCorpus(50_000)); err != nil {
			b.Fatal(err)
		}
		millionFile = buf.Bytes()
	})
	return millionFile
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapPeak runs f and returns the highest heap-plus-stacks in use while it
// ran, sampled every 5 ms (it counts garbage not yet collected). It reads
// runtime/metrics, which does not stop the world as ReadMemStats does.
func heapPeak(f func()) uint64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
	}
	var top uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			var in uint64
			for _, s := range samples {
				in += s.Value.Uint64()
			}
			top = max(top, in)
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
	return top
}

// BenchmarkImportXLSX1M imports the million rows and validates every
// entry. Targets: ≤ 12 s and ≤ 300 MB peak beyond the entries returned.
// It reports the CPU time of the whole process (getrusage, so garbage
// collection counts), the allocations per row, the peak of heap and
// stacks above what was in use before (op-peak-MB), what the returned
// entries hold (entries-MB, after a collection with the entries alive)
// and the peak beyond them (beyond-entries-MB).
func BenchmarkImportXLSX1M(b *testing.B) {
	data := millionItems(b)
	const rows = 1_000_000 + 50_000 // item rows and entry rows
	var cpu time.Duration
	var mallocs, opPeak, held uint64
	n := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		base := m0.HeapInuse + m0.StackInuse
		b.StartTimer()
		c0 := processCPU()
		var entries []Entry
		top := heapPeak(func() {
			var err error
			entries, _, err = ImportXLSX(context.Background(), bytes.NewReader(data))
			if err != nil || len(entries) != 50_000 {
				b.Fatal(err, len(entries))
			}
		})
		cpu += processCPU() - c0
		b.StopTimer()
		runtime.ReadMemStats(&m1)
		runtime.GC()
		runtime.ReadMemStats(&m2)
		mallocs += m1.Mallocs - m0.Mallocs
		opPeak = max(opPeak, top-base)
		held = max(held, m2.HeapInuse+m2.StackInuse-base)
		runtime.KeepAlive(entries)
		n++
		b.StartTimer()
	}
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	b.ReportMetric(cpu.Seconds()/float64(n), "cpu-s/op")
	b.ReportMetric(float64(mallocs)/float64(n)/rows, "allocs/row")
	b.ReportMetric(mb(opPeak), "op-peak-MB")
	b.ReportMetric(mb(held), "entries-MB")
	b.ReportMetric(mb(opPeak-min(opPeak, held)), "beyond-entries-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}
