package request

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
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

// Report computes the supervision report for [from, to). It reads one
// compact row per application: the memory store keeps the rows up to date
// on Save, other stores' applications are turned into rows as they are
// read; either way it allocates a constant number of times per department,
// none per application.
func (s *Service) Report(ctx context.Context, from, to time.Time) (Report, error) {
	acc := newReportAcc(from, to)
	if m, ok := s.store.(*MemoryStore); ok {
		if err := m.eachRows(ctx, func(rows []reportRow) {
			for i := range rows {
				acc.add(&rows[i])
			}
		}); err != nil {
			return Report{From: from, To: to}, err
		}
		return acc.report(m.depts.snapshot()), nil
	}
	var depts deptTable
	err := s.store.All(ctx, func(a Application) bool {
		row := makeRow(&a, depts.intern)
		acc.add(&row)
		return true
	})
	if err != nil {
		return Report{From: from, To: to}, err
	}
	return acc.report(depts.list), nil
}

// reportRow is what the report needs of one application, its instants in
// Unix nanoseconds (zeroInstant for a zero time.Time) and its departments
// as indices of a deptTable.
type reportRow struct {
	requester, provider int32
	submitted, received int64
	// grantFrom and grantTo are the period of a live grant (rowLive).
	grantFrom, grantTo int64
	// firstAt is the instant of the provider's own first answer
	// (rowAnswered), dueAt the reply's due instant (rowClock).
	firstAt, dueAt           int64
	extRequested, extGranted int32
	workdays                 int32
	flags                    rowFlags
	reason                   RefusalReason
}

type rowFlags uint16

const (
	rowLive rowFlags = 1 << iota
	rowAnswered
	rowAnswerPending
	rowLate
	rowRefused
	rowPartly
	rowClock
	rowClockPending
)

// zeroInstant stands for the zero time.Time; instants in the supported
// range (govshare.MinInstant to MaxInstant) are far from it.
const zeroInstant = math.MinInt64 + 1

// nanos returns t in Unix nanoseconds, zeroInstant for the zero time. A
// report's bounds may be anything: beyond what int64 nanoseconds hold they
// saturate, keeping their order against the zero time and the supported
// range, which is all they are compared with.
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return zeroInstant
	case t.Before(time.Time{}):
		return zeroInstant - 1
	case t.Before(minNanos):
		return zeroInstant + 1
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var minNanos, maxNanos = time.Unix(0, zeroInstant+2), time.Unix(0, math.MaxInt64)

// makeRow returns the report row of an application.
func makeRow(a *Application, intern func(govshare.Department) int32) reportRow {
	r := reportRow{requester: intern(a.Requester), provider: intern(a.Provider),
		submitted: nanos(a.SubmittedAt), received: nanos(a.ReceivedAt)}
	if a.Live() {
		r.flags |= rowLive
		r.grantFrom, r.grantTo = nanos(a.Answer.Period.From), nanos(a.Answer.Period.To)
	}
	for i := range a.Extensions {
		r.extRequested++
		if a.Extensions[i].Decision == Granted {
			r.extGranted++
		}
	}
	for _, first := range a.Replies {
		if !first.By.Department.Same(a.Provider) && first.By.Role != govshare.System {
			continue
		}
		r.flags |= rowAnswered
		r.firstAt, r.workdays, r.reason = nanos(first.At), int32(first.Workdays), first.Reason
		if first.Pending != 0 {
			r.flags |= rowAnswerPending
		}
		if first.Late {
			r.flags |= rowLate
		}
		switch {
		case !first.Agreed:
			r.flags |= rowRefused
		case len(first.Refused) > 0:
			r.flags |= rowPartly
		}
		break
	}
	if a.Clock != nil {
		r.flags |= rowClock
		r.dueAt = nanos(a.Clock.DueAt)
		if a.Clock.Pending != 0 {
			r.flags |= rowClockPending
		}
	}
	return r
}

// deptTable interns departments by ID: the first department saved under
// an ID is the one a report names.
type deptTable struct {
	ids  map[string]int32
	list []govshare.Department
}

func (t *deptTable) intern(d govshare.Department) int32 {
	id := d.ID()
	if i, ok := t.ids[id]; ok {
		return i
	}
	if t.ids == nil {
		t.ids = map[string]int32{}
	}
	i := int32(len(t.list))
	t.ids[id] = i
	t.list = append(t.list, d)
	return i
}

// syncDepts is a deptTable safe for concurrent use.
type syncDepts struct {
	mu sync.RWMutex
	t  deptTable
}

func (s *syncDepts) intern(d govshare.Department) int32 {
	s.mu.RLock()
	i, ok := s.t.ids[d.ID()]
	s.mu.RUnlock()
	if ok {
		return i
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.intern(d)
}

// snapshot returns the departments interned so far (the list only grows).
func (s *syncDepts) snapshot() []govshare.Department {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.t.list
}

// reportAcc accumulates rows into a report, by department index.
type reportAcc struct {
	from, to, last int64 // last: the final nanosecond of the period
	rep            Report
	providers      []providerAcc
	requesters     []requesterAcc
}

type providerAcc struct {
	seen            bool
	p               ProviderReport
	workdays, timed int
	reasons         [OtherReason + 1]int
	otherReasons    map[RefusalReason]int
}

type requesterAcc struct {
	seen bool
	r    RequesterReport
}

func newReportAcc(from, to time.Time) *reportAcc {
	return &reportAcc{from: nanos(from), to: nanos(to), last: nanos(to.Add(-time.Nanosecond)),
		rep: Report{From: from, To: to}}
}

func (acc *reportAcc) in(t int64) bool { return t != zeroInstant && t >= acc.from && t < acc.to }

func grow[T any](s []T, i int32) []T {
	if int(i) < len(s) {
		return s
	}
	return append(s, make([]T, int(i)+1-len(s)+len(s)/2)...)
}

// add counts one application's row.
func (acc *reportAcc) add(r *reportRow) {
	acc.requesters = grow(acc.requesters, r.requester)
	rq := &acc.requesters[r.requester]
	rq.seen = true
	if acc.in(r.submitted) {
		rq.r.Submitted++
	}
	if r.flags&rowLive != 0 && r.grantFrom <= acc.last && acc.last < r.grantTo {
		rq.r.ActiveGrants++
	}
	if !acc.in(r.received) {
		return
	}
	acc.providers = grow(acc.providers, r.provider)
	pa := &acc.providers[r.provider]
	pa.seen = true
	p := &pa.p
	p.Received++
	p.ExtensionsRequested += int(r.extRequested)
	p.ExtensionsGranted += int(r.extGranted)
	if r.flags&rowAnswered == 0 || r.firstAt >= acc.to {
		p.Unanswered++
		switch {
		case r.flags&rowClockPending != 0:
			p.PendingDeadlines++
		case r.flags&rowClock != 0 && r.dueAt <= acc.to:
			p.Overdue++
		}
		return
	}
	p.Answered++
	switch {
	case r.flags&rowAnswerPending != 0:
		// Neither on time nor late until its year is loaded.
		p.PendingWorkdays++
	case r.flags&rowLate != 0:
		p.Late++
		pa.workdays += int(r.workdays)
		pa.timed++
	default:
		p.OnTime++
		pa.workdays += int(r.workdays)
		pa.timed++
	}
	switch {
	case r.flags&rowRefused != 0:
		p.Refused++
		if int(r.reason) < len(pa.reasons) {
			pa.reasons[r.reason]++
		} else {
			if pa.otherReasons == nil {
				pa.otherReasons = map[RefusalReason]int{}
			}
			pa.otherReasons[r.reason]++
		}
		rq.r.Refused++
	case r.flags&rowPartly != 0:
		p.PartlyAgreed++
	default:
		p.Agreed++
	}
}

// report finishes the report, naming the departments from depts.
func (acc *reportAcc) report(depts []govshare.Department) Report {
	rep := acc.rep
	for i := range acc.providers {
		pa := &acc.providers[i]
		if !pa.seen {
			continue
		}
		p := pa.p
		p.Department = depts[i]
		if pa.timed > 0 {
			p.AverageWorkdays = float64(pa.workdays) / float64(pa.timed)
		}
		for r, n := range pa.reasons {
			if n > 0 {
				p.RefusalsByReason = append(p.RefusalsByReason, ReasonCount{RefusalReason(r), n})
			}
		}
		for r, n := range pa.otherReasons {
			p.RefusalsByReason = append(p.RefusalsByReason, ReasonCount{r, n})
		}
		slices.SortFunc(p.RefusalsByReason, func(a, b ReasonCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return int(a.Reason) - int(b.Reason)
		})
		rep.Providers = append(rep.Providers, p)
	}
	for i := range acc.requesters {
		if rq := &acc.requesters[i]; rq.seen {
			r := rq.r
			r.Department = depts[i]
			rep.Requesters = append(rep.Requesters, r)
		}
	}
	slices.SortFunc(rep.Providers, func(a, b ProviderReport) int { return strings.Compare(a.Department.ID(), b.Department.ID()) })
	slices.SortFunc(rep.Requesters, func(a, b RequesterReport) int { return strings.Compare(a.Department.ID(), b.Department.ID()) })
	return rep
}
