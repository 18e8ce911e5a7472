package request

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare"
)

// legacyReport is Service.Report as it was before issue 16, over any
// Store: the reference of TestReportMatchesLegacy and the baseline of
// BenchmarkReport.
func legacyReport(ctx context.Context, store Store, from, to time.Time) (Report, error) {
	rep := Report{From: from, To: to}
	providers := map[string]*ProviderReport{}
	requesters := map[string]*RequesterReport{}
	workdays := map[string]int{}
	timed := map[string]int{}
	reasons := map[string]map[RefusalReason]int{}
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	err := store.All(ctx, func(a Application) bool {
		rq := requesters[a.Requester.ID()]
		if rq == nil {
			rq = &RequesterReport{Department: a.Requester}
			requesters[a.Requester.ID()] = rq
		}
		if in(a.SubmittedAt) {
			rq.Submitted++
		}
		if g, ok := a.Grant(); ok && g.Period.Contains(to.Add(-time.Nanosecond)) {
			rq.ActiveGrants++
		}
		if !in(a.ReceivedAt) {
			return true
		}
		p := providers[a.Provider.ID()]
		if p == nil {
			p = &ProviderReport{Department: a.Provider}
			providers[a.Provider.ID()] = p
			reasons[a.Provider.ID()] = map[RefusalReason]int{}
		}
		p.Received++
		for _, x := range a.Extensions {
			p.ExtensionsRequested++
			if x.Decision == Granted {
				p.ExtensionsGranted++
			}
		}
		var first *Answer
		for _, r := range a.Replies {
			if r.By.Department.Same(a.Provider) || r.By.Role == govshare.System {
				first = r
				break
			}
		}
		if first == nil || !first.At.Before(to) {
			p.Unanswered++
			switch {
			case a.Clock != nil && a.Clock.Pending != 0:
				p.PendingDeadlines++
			case a.Clock != nil && !to.Before(a.Clock.DueAt):
				p.Overdue++
			}
			return true
		}
		p.Answered++
		switch {
		case first.Pending != 0:
			// Neither on time nor late until its year is loaded.
		case first.Late:
			p.Late++
		default:
			p.OnTime++
		}
		if first.Pending != 0 {
			p.PendingWorkdays++
		} else {
			workdays[a.Provider.ID()] += first.Workdays
			timed[a.Provider.ID()]++
		}
		switch {
		case !first.Agreed:
			p.Refused++
			reasons[a.Provider.ID()][first.Reason]++
			rq.Refused++
		case len(first.Refused) > 0:
			p.PartlyAgreed++
		default:
			p.Agreed++
		}
		return true
	})
	if err != nil {
		return rep, err
	}
	for id, p := range providers {
		if n := timed[id]; n > 0 {
			p.AverageWorkdays = float64(workdays[id]) / float64(n)
		}
		for r, n := range reasons[id] {
			p.RefusalsByReason = append(p.RefusalsByReason, ReasonCount{r, n})
		}
		slices.SortFunc(p.RefusalsByReason, func(a, b ReasonCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return int(a.Reason) - int(b.Reason)
		})
		rep.Providers = append(rep.Providers, *p)
	}
	for _, r := range requesters {
		rep.Requesters = append(rep.Requesters, *r)
	}
	slices.SortFunc(rep.Providers, func(a, b ProviderReport) int { return strings.Compare(a.Department.ID(), b.Department.ID()) })
	slices.SortFunc(rep.Requesters, func(a, b RequesterReport) int { return strings.Compare(a.Department.ID(), b.Department.ID()) })
	return rep, nil
}
