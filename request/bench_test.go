package request

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

// BenchmarkApply measures the pure transition function on the two
// heaviest everyday transitions: Approve (which computes a due instant
// with its day-by-day trace) and Agree (which checks the grant against
// the entry).
func BenchmarkApply(b *testing.B) {
	e := env()
	pending := reachB(b, PendingApproval)
	review := reachB(b, UnderReview)
	b.Run("approve", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := Apply(pending, Endorse{Actor: reqHead}, t0.Add(time.Hour), e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("agree", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := Apply(review, Agree{Actor: provHead, Conditions: []string{condA}}, t0.Add(time.Hour), e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("submit", func(b *testing.B) {
		draft := reachB(b, Draft)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := Apply(draft, Submit{Actor: reqClerk}, t0.Add(time.Hour), e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reachB is reach for benchmarks.
func reachB(b *testing.B, s State) Application {
	t := &testing.T{}
	a := reach(t, s)
	if t.Failed() {
		b.Fatal("fixture failed")
	}
	return a
}

// BenchmarkServiceTransitions runs whole applications (create, submit,
// approve, agree, provision: five transitions) through the Service with
// the memory store and an SM3 memory audit log, from parallel goroutines.
// It reports transitions per second.
func BenchmarkServiceTransitions(b *testing.B) {
	ctx := context.Background()
	h := newHarnessB(b)
	var seq atomic.Int64
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := "B-" + strconv.FormatInt(seq.Add(1), 10)
			if _, _, err := h.svc.Do(ctx, id, Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := h.svc.Do(ctx, id, Submit{Actor: reqClerk}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := h.svc.Do(ctx, id, Endorse{Actor: reqHead}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := h.svc.Do(ctx, id, Agree{Actor: provHead}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := h.svc.Do(ctx, id, Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: id}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(5*b.N)/time.Since(start).Seconds(), "transitions/s")
	n, _ := h.log.Len(ctx)
	if n != uint64(5*b.N) {
		b.Fatalf("audit has %d records for %d transitions", n, 5*b.N)
	}
}

func newHarnessB(b *testing.B) *harness {
	t := &testing.T{}
	h := newHarness(t, Rules{})
	if t.Failed() {
		b.Fatal("harness failed")
	}
	return h
}

// BenchmarkSweep sweeps a store of 1,000,000 applications under review
// whose due instants are spread over 100 hours. "overdue-1pct": each sweep
// is an hour later and finds the 10,000 replies that just became overdue
// among the million, and records each fact (an alert transition with its
// audit record). "nothing-new": sweeping again at the same instant, the
// steady state of a sweeper that runs every few minutes. Reminders are off
// (an empty Rules.Reminders) so that only the overdue facts count.
func BenchmarkSweep(b *testing.B) {
	const total, slots = 1_000_000, 100
	ctx := context.Background()
	t := &testing.T{}
	h := newHarness(t, Rules{Reminders: []time.Duration{}})
	if t.Failed() {
		b.Fatal("harness failed")
	}
	base := reachB(b, UnderReview)
	due0 := cst(2026, 10, 20, 0, 0)
	for i := 0; i < total; i++ {
		a := base.Clone()
		a.ID = "W" + strconv.Itoa(i)
		a.Version = 0
		c := *a.Clock
		c.DueAt = due0.Add(time.Duration(i%slots) * time.Hour)
		a.Clock = &c
		if _, err := h.store.Save(ctx, a, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	// Collect the setup's garbage first: a sweep should not pay for it.
	runtime.GC()
	slot := 0
	b.Run("overdue-1pct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if slot >= slots {
				b.Skip("all slots swept")
			}
			res, err := h.svc.Sweep(ctx, due0.Add(time.Duration(slot)*time.Hour))
			slot++
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Overdue) != total/slots {
				b.Fatalf("sweep found %d overdue, want %d", len(res.Overdue), total/slots)
			}
		}
		b.ReportMetric(float64(total), "applications")
	})
	b.Run("nothing-new", func(b *testing.B) {
		at := due0.Add(time.Duration(slot-1) * time.Hour)
		for i := 0; i < b.N; i++ {
			res, err := h.svc.Sweep(ctx, at)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Overdue) != 0 {
				b.Fatalf("sweep emitted %d facts again", len(res.Overdue))
			}
		}
		b.ReportMetric(float64(total), "applications")
	})
}

// authorizeFixture is 1,000,000 grants (10,000 departments × 100 entries)
// indexed by the index and by the pre-issue-16 one, built once per process.
type authorizeFixture struct {
	depts    []govshare.Department
	entries  []string
	scenario string
	index    *Grants
	legacy   *legacyGrants
	// bytes per grant of each, from the live heap before and after.
	indexBytes, legacyBytes float64
}

var authorizeOnce struct {
	sync.Once
	f authorizeFixture
}

func authorizeSetup(b *testing.B) *authorizeFixture {
	base := reachB(b, Active)
	authorizeOnce.Do(func() {
		f := &authorizeOnce.f
		const nd, ne = 10_000, 100
		period := UsePeriod{From: cst(2026, 1, 1, 0, 0), To: cst(2027, 1, 1, 0, 0)}
		f.depts = make([]govshare.Department, nd)
		for d := range f.depts {
			f.depts[d] = govshare.Department{Name: fmt.Sprintf("部门%05d", d), CreditCode: fmt.Sprintf("D%017d", d)}
		}
		for e := 0; e < ne; e++ {
			f.entries = append(f.entries, fmt.Sprintf("101001/%06d", e))
		}
		f.scenario = base.Elements.Scenario
		// The IDs exist before either index (the store holds them).
		ids := make([]string, nd*ne)
		for i := range ids {
			ids[i] = fmt.Sprintf("G%d-%d", i/ne, i%ne)
		}
		ans := *base.Answer
		ans.Period = period
		build := func(put func(Application)) {
			for i, id := range ids {
				a := base
				a.ID = id
				a.Requester = f.depts[i/ne]
				a.EntryID = f.entries[i%ne]
				a.Answer = &ans
				put(a)
			}
		}
		f.index = NewGrants()
		f.indexBytes = heapDelta(func() { build(f.index.Put) }) / float64(len(ids))
		f.legacy = newLegacyGrants()
		f.legacyBytes = heapDelta(func() { build(f.legacy.Put) }) / float64(len(ids))
	})
	f := &authorizeOnce.f
	if f.index.Len() != 1_000_000 || f.legacy.Len() != 1_000_000 {
		b.Fatalf("%d and %d grants indexed", f.index.Len(), f.legacy.Len())
	}
	return f
}

// heapDelta returns the growth of the live heap over fn, in bytes.
func heapDelta(fn func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// floorSink keeps the floor benchmark's loads from being optimized away.
var floorSink uint64

// BenchmarkAuthorize asks the grant index about an allowed access, with
// 1,000,000 grants indexed (10,000 departments × 100 entries), beside the
// index as it was before issue 16 ("legacy", grants_legacy_test.go).
// "hot" cycles through the same 1,024 accesses (which stay in the caches);
// "random" draws the department and entry of each access at random over
// all the grants, as a gateway serving a whole platform sees them. It
// reports wall and CPU time per access (cpu-ns/op, getrusage of the whole
// process) and the live heap per grant of building the index (B/grant).
func BenchmarkAuthorize(b *testing.B) {
	f := authorizeSetup(b)
	hot := make([]Access, 1024)
	for i := range hot {
		hot[i] = Access{Department: f.depts[(i*7919)%len(f.depts)], EntryID: f.entries[i%len(f.entries)],
			Items: []string{"姓名", "身份证号"}, Method: govshare.ServiceAPI, Scenario: f.scenario,
			At: cst(2026, 6, 1, 12, 0).Add(time.Duration(i) * time.Minute)}
	}
	impls := []struct {
		name      string
		authorize func(Access) Decision
		bytes     float64
	}{
		{"index", f.index.Authorize, f.indexBytes},
		{"legacy", f.legacy.Authorize, f.legacyBytes},
	}
	// The floor: one load from a random slot of the index's own tables,
	// drawn the same way, which no lookup at this scale can avoid.
	b.Run("floor/random", func(b *testing.B) {
		var tables []*grantTable
		for i := range f.index.shards {
			tables = append(tables, f.index.shards[i].Load())
		}
		x, sum := uint64(0x9e3779b97f4a7c15), uint64(0)
		cpu := cpuTime()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			t := tables[x>>(64-grantShardBits)]
			sum += atomic.LoadUint64(&t.slots[t.home(grantKey(x))].key)
		}
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		floorSink = sum
	})
	for _, im := range impls {
		b.Run(im.name+"/hot", func(b *testing.B) {
			runtime.GC()
			b.ReportAllocs()
			cpu := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if d := im.authorize(hot[i&1023]); !d.Allowed {
					b.Fatal(d.Reason)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(im.bytes, "B/grant")
		})
		b.Run(im.name+"/random", func(b *testing.B) {
			acc := hot[0]
			acc.Department = govshare.Department{}
			// A xorshift generator: a few nanoseconds per access. The
			// departments' credit codes are cut from one string, so that
			// the access side stays in the caches as a request a gateway
			// has just parsed would: the misses measured are the index's.
			var all strings.Builder
			for _, d := range f.depts {
				all.WriteString(d.CreditCode)
			}
			codes, joined := make([]string, len(f.depts)), all.String()
			for d := range codes {
				n := len(f.depts[0].CreditCode)
				codes[d] = joined[d*n : (d+1)*n]
			}
			x := uint64(0x9e3779b97f4a7c15)
			runtime.GC()
			b.ReportAllocs()
			cpu := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				acc.Department.CreditCode = codes[(x>>32)%uint64(len(codes))]
				acc.EntryID = f.entries[(x&0xffffffff)%uint64(len(f.entries))]
				if d := im.authorize(acc); !d.Allowed {
					b.Fatal(d.Reason)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(im.bytes, "B/grant")
		})
	}
}

var _ = audit.Success
var _ = deadline.CST
