package request

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/govshare/govshare"
)

// BenchmarkReport computes the supervision report over a store of
// 1,000,000 applications (under review, active, refused, withdrawn and
// expired ones, of 1,000 requesting and 100 providing departments). It
// reports wall and CPU time per report (cpu-ns/op, getrusage of the whole
// process) and allocations per application. The file compiles against the
// code before issue 16 as well, to run the baseline from a worktree.
func BenchmarkReport(b *testing.B) {
	const total = 1_000_000
	ctx := context.Background()
	t := &testing.T{}
	h := newHarness(t, Rules{})
	if t.Failed() {
		b.Fatal("harness failed")
	}
	var bases []Application
	for _, s := range []State{UnderReview, Active, Refused, Withdrawn, Expired} {
		bases = append(bases, reachB(b, s))
	}
	dept := func(kind string, i int) govshare.Department {
		return govshare.Department{Name: kind + strconv.Itoa(i), CreditCode: fmt.Sprintf("%s%016d", kind, i), RegionCode: "330100", Level: govshare.City}
	}
	requesters, providers := make([]govshare.Department, 1000), make([]govshare.Department, 100)
	for i := range requesters {
		requesters[i] = dept("RQ", i)
	}
	for i := range providers {
		providers[i] = dept("PV", i)
	}
	for i := 0; i < total; i++ {
		a := bases[i%len(bases)]
		a.ID = "W" + strconv.Itoa(i)
		a.Version = 0
		a.Requester, a.Provider = requesters[i%len(requesters)], providers[(i/7)%len(providers)]
		if len(a.Replies) > 0 {
			replies := append([]*Answer(nil), a.Replies...)
			first := *replies[0]
			first.By.Department = a.Provider
			replies[0] = &first
			a.Replies = replies
		}
		if _, err := h.store.Save(ctx, a, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	from, to := cst(2026, 1, 1, 0, 0), cst(2027, 1, 1, 0, 0)
	runtime.GC()
	b.ReportAllocs()
	cpu := cpuTime()
	b.ResetTimer()
	var rep Report
	for i := 0; i < b.N; i++ {
		var err error
		if rep, err = h.svc.Report(ctx, from, to); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	if len(rep.Providers) != len(providers) || len(rep.Requesters) != len(requesters) {
		b.Fatalf("%d providers and %d requesters reported", len(rep.Providers), len(rep.Requesters))
	}
	received := 0
	for _, p := range rep.Providers {
		received += p.Received
	}
	b.ReportMetric(float64(received), "received")
}
