package catalog

import (
	"context"
	"runtime"
	"sync"
	"testing"
)

// Find by text on the inverted index against the scan it replaced
// (issue 16), in the same run, on the same store: the "scan" cases call
// the unexported switch of Find that searches by scanning every
// document's text, as Find did before. Each case reports wall time
// (ns/op) and CPU time (cpu-ns/op, getrusage of the whole process: the
// garbage collector's work counts). See docs/benchmarks.md.
//
//	go test -run='^$' -bench=FindText -benchtime=200x ./catalog

// findTextQueries are the queries of the benchmark, with the number of
// matches at 100,000 and 300,000 entries.
var findTextQueries = []struct {
	name        string
	q           Query
	n100, n300k int
}{
	{"rare-ascii", Query{Text: "kw31337"}, 1, 1},                            // a token
	{"rare-cjk+digits", Query{Text: "数据目录31337号"}, 1, 1},                    // bigrams and a whole token
	{"rare-id", Query{Text: "301337/031337"}, 1, 1},                         // the end of one token and the start of the next
	{"common-cjk", Query{Text: "摘要"}, 100_000, 300_000},                     // one bigram in every entry
	{"common-ascii-prefix", Query{Text: "kw1"}, 11_111, 111_111},            // every token starting kw1
	{"common-cjk-phrase", Query{Text: "目录的摘要"}, 100_000, 300_000},           // four bigrams in every entry
	{"rare-text+region", Query{Text: "kw31337", Region: "330000"}, 1, 1},    // text and a posting list
	{"common-text+provider", Query{Text: "摘要", Provider: "部门42"}, 200, 600}, // the provider's list is shorter
}

// textStore holds n entries of bigEntry's shape as drafts, the entries
// generated one at a time so that only the store is in memory.
func textStore(b *testing.B, n int) *MemoryStore {
	b.Helper()
	s, err := NewMemoryStore()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if _, err := s.Put(ctx, bigEntry(i), 0); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

var (
	store300kOnce sync.Once
	store300k     *MemoryStore
)

func BenchmarkFindText(b *testing.B) {
	for _, size := range []struct {
		name  string
		store func() *MemoryStore
		want  func(i int) int
	}{
		{"n=100k", func() *MemoryStore { return bigStore(b) }, func(i int) int { return findTextQueries[i].n100 }},
		{"n=300k", func() *MemoryStore {
			store300kOnce.Do(func() { store300k = textStore(b, 300_000) })
			return store300k
		}, func(i int) int { return findTextQueries[i].n300k }},
	} {
		b.Run(size.name, func(b *testing.B) {
			s := size.store()
			for i, c := range findTextQueries {
				for _, mode := range []string{"index", "scan"} {
					b.Run(c.name+"/"+mode, func(b *testing.B) {
						ctx := context.Background()
						scan := mode == "scan"
						cpu := cpuTime()
						for b.Loop() {
							res, err := s.find(ctx, c.q, scan)
							if err != nil || res.Total != size.want(i) {
								b.Fatal(err, res.Total, size.want(i))
							}
						}
						b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
					})
				}
			}
		})
	}
}

// BenchmarkTextIndexMemory reports what the inverted index costs per
// entry: the heap of a store of 100,000 entries (drafts of bigEntry's
// shape) with the index, less that of the same store without it.
func BenchmarkTextIndexMemory(b *testing.B) {
	const n = 100_000
	heap := func(words bool) uint64 {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		s, err := NewMemoryStore()
		if err != nil {
			b.Fatal(err)
		}
		s.idx = newIndex(words)
		ctx := context.Background()
		for i := 0; i < n; i++ {
			if _, err := s.Put(ctx, bigEntry(i), 0); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(s)
		return after.HeapAlloc - before.HeapAlloc
	}
	// Measured once, whatever b.N: building the stores is the op.
	with, without := heap(true), heap(false)
	for b.Loop() {
	}
	b.ReportMetric(float64(with)/n, "store-B/entry")
	b.ReportMetric(float64(without)/n, "scan-store-B/entry")
	b.ReportMetric(float64(with-without)/n, "index-B/entry")
}

// BenchmarkPut stores entries of bigEntry's shape one after another into
// a store of 100,000, with the inverted index and without it: what
// maintaining the index adds to a write.
func BenchmarkPut(b *testing.B) {
	for _, words := range []bool{true, false} {
		name := "index"
		if !words {
			name = "scan"
		}
		b.Run(name, func(b *testing.B) {
			s, err := NewMemoryStore()
			if err != nil {
				b.Fatal(err)
			}
			s.idx = newIndex(words)
			ctx := context.Background()
			entries := make([]Entry, 100_000)
			for i := range entries {
				entries[i] = bigEntry(i)
			}
			for i := 0; i < 100_000; i++ {
				if _, err := s.Put(ctx, entries[i], 0); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				e := entries[i%len(entries)]
				cur, err := s.Get(ctx, e.ID)
				if err == nil {
					_, err = s.Put(ctx, e, cur.Version)
				}
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
