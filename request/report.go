package request

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare"
)

// Report is a supervision report over a period [From, To): for each
// providing department, how it answered the applications it received; for
// each requesting department, what it applied for and holds.
type Report struct {
	From       time.Time         `json:"from"`
	To         time.Time         `json:"to"`
	Providers  []ProviderReport  `json:"providers"`
	Requesters []RequesterReport `json:"requesters"`
}

// ProviderReport is one providing department's record over the period.
type ProviderReport struct {
	Department govshare.Department `json:"department"`
	// Received counts applications first received in the period.
	Received int `json:"received"`
	// Answered, OnTime and Late count the provider's own first answers
	// to them (an answer whose lateness waits for a schedule is neither on
	// time nor late; see PendingWorkdays); Unanswered those without one, of which Overdue are past
	// their due instant at the end of the period.
	Answered   int `json:"answered"`
	OnTime     int `json:"on_time"`
	Late       int `json:"late"`
	Unanswered int `json:"unanswered"`
	Overdue    int `json:"overdue"`
	// AverageWorkdays is the mean time to answer, in working days from
	// receipt, over the answers whose working days are known (0 when none
	// is).
	AverageWorkdays float64 `json:"average_workdays"`
	// PendingWorkdays counts answers whose working days wait for a year's
	// schedule: counted apart, never as 0 days.
	PendingWorkdays int `json:"pending_workdays"`
	// PendingDeadlines counts unanswered applications whose reply deadline
	// waits for a year's schedule (期限待定); they are not counted overdue.
	PendingDeadlines int `json:"pending_deadlines"`
	// ExtensionsRequested and ExtensionsGranted count extension requests.
	ExtensionsRequested int `json:"extensions_requested"`
	ExtensionsGranted   int `json:"extensions_granted"`
	// Agreed, PartlyAgreed and Refused classify the first answers.
	Agreed       int `json:"agreed"`
	PartlyAgreed int `json:"partly_agreed"`
	Refused      int `json:"refused"`
	// RefusalsByReason counts the refusals by reason, most frequent first.
	RefusalsByReason []ReasonCount `json:"refusals_by_reason,omitempty"`
}

// ReasonCount is a refusal reason and how often it was given.
type ReasonCount struct {
	Reason RefusalReason `json:"reason"`
	Count  int           `json:"count"`
}

// RequesterReport is one requesting department's record.
type RequesterReport struct {
	Department govshare.Department `json:"department"`
	// Submitted counts applications submitted in the period.
	Submitted int `json:"submitted"`
	// ActiveGrants counts the grants live at the end of the period.
	ActiveGrants int `json:"active_grants"`
	// Refused counts its applications refused in the period.
	Refused int `json:"refused"`
}

// Report computes the supervision report for [from, to).
func (s *Service) Report(ctx context.Context, from, to time.Time) (Report, error) {
	rep := Report{From: from, To: to}
	providers := map[string]*ProviderReport{}
	requesters := map[string]*RequesterReport{}
	workdays := map[string]int{}
	timed := map[string]int{}
	reasons := map[string]map[RefusalReason]int{}
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	err := s.store.All(ctx, func(a Application) bool {
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
