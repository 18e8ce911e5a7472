package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/jcs"
)

// benchEvents are realistic events (an application's submission, reply or
// a refused access, with details), about 330 bytes encoded.
var benchEvents = func() []Event {
	out := make([]Event, 1024)
	for i := range out {
		out[i] = testEvent(i)
	}
	return out
}()

// marshaledEvents are benchEvents with their details as the request
// package writes them: json.Marshal of a map, which sorts the members, so
// that they are already in RFC 8785 form. Every event records the same
// bytes as its benchEvents twin, so BenchmarkRawSM3/events is the floor
// for both.
func marshaledEvents(b *testing.B) []Event {
	out := make([]Event, len(benchEvents))
	for i, e := range benchEvents {
		var m map[string]any
		if err := json.Unmarshal(e.Details, &m); err != nil {
			b.Fatal(err)
		}
		d, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		n1, err1 := e.normalize(DefaultLimits)
		e.Details = d
		n2, err2 := e.normalize(DefaultLimits)
		if err1 != nil || err2 != nil || !bytes.Equal(encodeRecord(0, Digest{}, &n1), encodeRecord(0, Digest{}, &n2)) {
			b.Fatalf("event %d: the marshaled details record other bytes (%v, %v)", i, err1, err2)
		}
		out[i] = e
	}
	return out
}

// BenchmarkMemoryAppend measures Append on an in-memory log: validation,
// RFC 8785 details, encoding, leaf hash and record hash (HMAC when keyed).
// The Merkle tree's interior nodes are not computed by Append but by the
// next root or proof (see Tree; BenchmarkTreeIntegrate measures them).
// Compare with BenchmarkRawSM3 in the same run (-cpu 1 for one core).
//
// The details of benchEvents have their members out of order, so Append
// puts them in order (in a copy); the marshaled-details cases record the
// same bytes from details written by json.Marshal of a map (as the
// request package does), which are canonical already and taken as they
// are.
func BenchmarkMemoryAppend(b *testing.B) {
	noDetails := make([]Event, len(benchEvents))
	for i, e := range benchEvents {
		e.Details = nil
		noDetails[i] = e
	}
	marshaled := marshaledEvents(b)
	for _, c := range []struct {
		name   string
		opts   []Option
		events []Event
	}{
		{"SM3", nil, benchEvents},
		{"SM3+HMAC", []Option{WithKey(testKey)}, benchEvents},
		{"SM3/marshaled-details", nil, marshaled},
		{"SM3+HMAC/marshaled-details", []Option{WithKey(testKey)}, marshaled},
		{"SHA-256", []Option{WithAlgorithm(SHA256)}, benchEvents},
		{"SM3/no-details", nil, noDetails},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			m := newTestMemory(b, c.opts...)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.Append(ctx, c.events[i%len(c.events)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkAppendVsRawSM3 measures the ratio of the target in a
// way less exposed to the shared machine's changing load than two
// separate benchmarks: it alternates between 1,024 Appends and plain SM3
// over the encodings of exactly those 1,024 records, read
// back from the log (the very bytes its leaf hashes covered), and reports
// both per event (ns/op is Append's, raw-ns/op the raw hashing's) and
// their ratio, x-raw. The raw hashing reads bytes just written, still in
// cache, which favours it: the ratio errs against Append.
func BenchmarkAppendVsRawSM3(b *testing.B) {
	marshaled := marshaledEvents(b)
	for _, c := range []struct {
		name   string
		opts   []Option
		events []Event
	}{
		{"SM3", nil, benchEvents},
		{"SM3+HMAC", []Option{WithKey(testKey)}, benchEvents},
		{"SM3/marshaled-details", nil, marshaled},
		{"SM3+HMAC/marshaled-details", []Option{WithKey(testKey)}, marshaled},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			m := newTestMemory(b, c.opts...)
			h := sm3.New()
			var sum [DigestSize]byte
			var appending, hashing time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(1024, b.N-done)
				start := time.Now()
				for i := range n {
					if _, err := m.Append(ctx, c.events[(done+i)%len(c.events)]); err != nil {
						b.Fatal(err)
					}
				}
				appending += time.Since(start)
				start = time.Now()
				for i := range n {
					h.Reset()
					h.Write(m.arena.recs.at(done + i).enc)
					h.Sum(sum[:0])
				}
				hashing += time.Since(start)
				done += n
			}
			b.ReportMetric(float64(appending.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(hashing.Nanoseconds())/float64(b.N), "raw-ns/op")
			b.ReportMetric(float64(b.N)/appending.Seconds(), "events/s")
			b.ReportMetric(appending.Seconds()/hashing.Seconds(), "x-raw")
		})
	}
}

// BenchmarkRawSM3 hashes, with plain SM3, the very bytes Append encodes for
// the same events: the floor Append is compared with. The no-details case
// hashes the encodings of the events without details.
func BenchmarkRawSM3(b *testing.B) {
	b.Run("events", func(b *testing.B) { rawSM3(b, benchEvents) })
	noDetails := make([]Event, len(benchEvents))
	for i, e := range benchEvents {
		e.Details = nil
		noDetails[i] = e
	}
	b.Run("no-details", func(b *testing.B) { rawSM3(b, noDetails) })
}

func rawSM3(b *testing.B, events []Event) {
	encs := make([][]byte, len(events))
	var prev Digest
	total := 0
	for i, e := range events {
		n, err := e.normalize(DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		encs[i] = encodeRecord(uint64(i), prev, &n)
		prev = sm3.Sum(encs[i])
		total += len(encs[i])
	}
	b.SetBytes(int64(total / len(encs)))
	b.ResetTimer()
	h := sm3.New()
	var sum [DigestSize]byte
	for i := 0; i < b.N; i++ {
		h.Reset()
		h.Write(encs[i%len(encs)])
		h.Sum(sum[:0])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkTreeIntegrate measures the Merkle tree work Append no longer
// does: one leaf appended and integrated, in batches of 1,024 as a host
// taking a checkpoint every 1,024 records would (about one interior node,
// two SM3 compressions, per leaf, plus the right edge of each root).
// MemoryAppend plus this is what Append cost when it kept the tree itself.
func BenchmarkTreeIntegrate(b *testing.B) {
	x := newHasher(SM3, nil)
	leaves := make([]Digest, 1024)
	for i := range leaves {
		leaves[i] = x.leaf([]byte{byte(i), byte(i >> 8)})
	}
	t, err := NewTree(SM3)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		t.Append(leaves[i%len(leaves)])
		if i%1024 == 1023 {
			if _, err := t.Root(t.Size()); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := t.Root(t.Size()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCanonicalJSON is the RFC 8785 step of Append alone, for the
// details of the benchmark events (four members out of order, an array of
// Chinese strings), to show where Append's time goes. internal/jcs
// benchmarks that step on more kinds of details.
func BenchmarkCanonicalJSON(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := jcs.Canonicalize(benchEvents[i%len(benchEvents)].Details, 32); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFileAppend measures durable appends to a file log (SM3 with
// HMAC): each Append returns after its record is synced. Group commit only
// pays off with concurrent appenders, so the parallel cases run 128
// goroutines per GOMAXPROCS; "serial" is one appender.
func BenchmarkFileAppend(b *testing.B) {
	for _, c := range []struct {
		name     string
		opt      Option
		parallel bool
	}{
		{"group-commit/parallel", WithGroupCommit(0), true},
		{"sync-each/parallel", WithSyncEach(), true},
		{"group-commit/serial", WithGroupCommit(0), false},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			f := openTestFile(b, filepath.Join(b.TempDir(), "bench.log"), c.opt)
			defer f.Close()
			b.ResetTimer()
			if c.parallel {
				b.SetParallelism(128)
				b.RunParallel(func(pb *testing.PB) {
					for i := 0; pb.Next(); i++ {
						if _, err := f.Append(ctx, benchEvents[i%len(benchEvents)]); err != nil {
							b.Error(err)
							return
						}
					}
				})
			} else {
				for i := 0; i < b.N; i++ {
					if _, err := f.Append(ctx, benchEvents[i%len(benchEvents)]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// million is a keyed SM3 memory log of 1,000,000 records with a
// checkpoint, and the same records in a file, built once.
var million struct {
	once sync.Once
	mem  *Memory
	path string
	cp   Checkpoint
	err  error
}

const millionRecords = 1_000_000

func millionLogs(b *testing.B) (*Memory, string, Checkpoint) {
	million.once.Do(func() {
		ctx := context.Background()
		m, err := NewMemory(WithKey(testKey), WithSigner(testSigner(b, 1)), WithClock(fixedClock(t0)))
		if err != nil {
			million.err = err
			return
		}
		for i := range millionRecords {
			if _, err := m.Append(ctx, benchEvents[i%len(benchEvents)]); err != nil {
				million.err = err
				return
			}
		}
		cp, err := m.Checkpoint(ctx)
		if err != nil {
			million.err = err
			return
		}
		// The file: the memory log's frames written out in one go.
		dir, err := os.MkdirTemp("", "audit-bench")
		if err != nil {
			million.err = err
			return
		}
		hb, _ := m.Header().MarshalBinary()
		buf := appendFrame([]byte(fileMagic), frameHeader, hb)
		for _, c := range m.snapshot() {
			for _, r := range c {
				start := len(buf)
				buf = beginFrame(buf, frameRecord)
				buf = append(buf, r.enc...)
				buf = append(buf, r.hash[:]...)
				buf = finishFrame(buf, start)
			}
		}
		cb, _ := cp.MarshalBinary()
		buf = appendFrame(buf, frameCheckpoint, cb)
		million.path = filepath.Join(dir, "million.log")
		million.err = os.WriteFile(million.path, buf, 0o600)
		million.mem, million.cp = m, cp
	})
	if million.err != nil {
		b.Fatal(million.err)
	}
	return million.mem, million.path, million.cp
}

// BenchmarkVerify1M verifies a log of 1,000,000 records: every record's
// hash and HMAC, the chain, and the checkpoint's root. The file case
// reads the file again (from the page cache) as Verify always does.
func BenchmarkVerify1M(b *testing.B) {
	ctx := context.Background()
	m, path, cp := millionLogs(b)
	b.Run("memory", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := m.Verify(ctx, cp); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)*millionRecords/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("file", func(b *testing.B) {
		f, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(m.PublicKey()))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := f.Verify(ctx, cp); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)*millionRecords/b.Elapsed().Seconds(), "records/s")
	})
}

// BenchmarkProveInclusion builds inclusion proofs for random records in
// trees of a thousand, a million (the target) and the sizes between:
// the proof length (hashes/proof) grows with log2 of the size.
func BenchmarkProveInclusion(b *testing.B) {
	ctx := context.Background()
	m, _, _ := millionLogs(b)
	for _, size := range []uint64{1_000, 32_768, 1_000_000} {
		b.Run(itoaBench(size), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			hashes := 0
			for i := 0; i < b.N; i++ {
				p, err := m.ProveInclusion(ctx, rng.Uint64N(size), size)
				if err != nil {
					b.Fatal(err)
				}
				hashes += len(p.Hashes)
			}
			b.ReportMetric(float64(hashes)/float64(b.N), "hashes/proof")
		})
	}
}

func itoaBench(n uint64) string {
	switch n {
	case 1_000:
		return "size=1k"
	case 32_768:
		return "size=32Ki"
	}
	return "size=1M"
}

// BenchmarkOpenFile1M opens the 1,000,000-record file for writing: the
// scan, every record's hashes, the chain and the checkpoint. The Merkle tree's
// interior nodes are computed by the first proof or checkpoint after
// opening; "open+proof" includes that first proof.
func BenchmarkOpenFile1M(b *testing.B) {
	m, path, _ := millionLogs(b)
	for _, proof := range []bool{false, true} {
		name := "open"
		if proof {
			name = "open+proof"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f, err := OpenFile(b.Context(), path, WithKey(testKey), WithPublicKey(m.PublicKey()))
				if err != nil {
					b.Fatal(err)
				}
				if proof {
					if _, err := f.ProveInclusion(context.Background(), 0, millionRecords); err != nil {
						b.Fatal(err)
					}
				}
				f.Close()
			}
		})
	}
}
