package request

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// BenchmarkSweepBacklog sweeps a store of 1,000,000 applications under
// review of which 900,000 are long overdue and already alerted (the
// backlog) and 100,000 fall due in ten hourly slots of 10,000.
// "new-1pct": each sweep is an hour later and emits the 10,000 overdue
// facts of one slot (each an alert transition with its audit record).
// "nothing-new": all 1,000,000 are then overdue and alerted; sweeping again
// finds nothing. Reminders are off (an empty Rules.Reminders) so that only
// the overdue facts count. It reports wall and CPU time per sweep
// (cpu-ns/op, getrusage of the whole process). The file compiles against
// the code before issue 16 as well, to run the baseline from a worktree.
func BenchmarkSweepBacklog(b *testing.B) {
	const total, slots, perSlot = 1_000_000, 10, 10_000
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
		if fresh := i - (total - slots*perSlot); fresh >= 0 {
			c.DueAt = due0.Add(time.Duration(1+fresh/perSlot) * time.Hour)
		} else {
			c.DueAt = due0.Add(-time.Duration(1+i%500) * time.Hour)
			a.Alerts = append(a.Alerts, Fact{Kind: ReplyOverdue, AppID: a.ID, Due: c.DueAt}.Key())
		}
		a.Clock = &c
		if _, err := h.store.Save(ctx, a, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	slot := 1
	b.Run("new-1pct", func(b *testing.B) {
		cpu := cpuTime()
		for i := 0; i < b.N; i++ {
			if slot > slots {
				b.Skip("all slots swept")
			}
			res, err := h.svc.Sweep(ctx, due0.Add(time.Duration(slot)*time.Hour))
			slot++
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Overdue) != perSlot {
				b.Fatalf("sweep found %d overdue, want %d", len(res.Overdue), perSlot)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	b.Run("nothing-new", func(b *testing.B) {
		for slot <= slots {
			// Emit what is left so that every application is overdue and
			// alerted.
			if _, err := h.svc.Sweep(ctx, due0.Add(time.Duration(slot)*time.Hour)); err != nil {
				b.Fatal(err)
			}
			slot++
		}
		runtime.GC()
		at := due0.Add(time.Duration(slots+5) * time.Hour)
		cpu := cpuTime()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, err := h.svc.Sweep(ctx, at)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Overdue) != 0 {
				b.Fatalf("sweep emitted %d facts again", len(res.Overdue))
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
}
