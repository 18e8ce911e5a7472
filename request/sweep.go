package request

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SweepResult is what one Sweep found and did.
type SweepResult struct {
	// At is the instant swept.
	At time.Time `json:"at"`
	// Overdue are the overdue facts emitted by this sweep: replies (R10–
	// R12), extension decisions, corrections (R20). Each fact is emitted by
	// exactly one sweep.
	Overdue []Fact `json:"overdue"`
	// DueSoon are the reminders emitted by this sweep.
	DueSoon []Fact `json:"due_soon"`
	// Expired are the applications whose grant this sweep expired (R19).
	Expired []string `json:"expired"`
	// Changed are the applications whose announced end or change of
	// service this sweep put into effect (R23).
	Changed []string `json:"changed"`
	// Pending are the deadlines this sweep found waiting for a year's
	// schedule (期限待定), each reported once.
	Pending []Fact `json:"pending"`
	// Settled are the applications whose pending deadlines this sweep
	// computed, their year having been loaded since.
	Settled []string `json:"settled"`
	// Failed are the per-application failures (the sweep goes on).
	Failed []error `json:"-"`
}

// Sweep finds, at instant now, what is overdue (replies, extension
// decisions, corrections), due soon (Rules.Reminders) and at the end of its
// period of use. It records each new fact once, as an alert transition of
// the application (audited like any other), and expires the grants whose
// period has ended. Sweeping again at the same instant emits nothing new.
func (s *Service) Sweep(ctx context.Context, now time.Time) (SweepResult, error) {
	res := SweepResult{At: now}
	var lead time.Duration
	for _, l := range s.cfg.rules.Reminders {
		lead = max(lead, l)
	}
	type todo struct {
		id     string
		facts  []Fact
		expire bool
		settle bool
		change bool
	}
	var work []todo
	err := s.store.Due(ctx, now.Add(lead), func(a Application) bool {
		t := todo{id: a.ID}
		for _, y := range a.pendingYears() {
			if s.covers(y) {
				t.settle = true
			}
		}
		for _, f := range a.Facts(now, s.cfg.rules) {
			if !a.Emitted(f) {
				t.facts = append(t.facts, f)
			}
		}
		if due, ok := a.watchDue(ExpiryWatch); ok && !now.Before(due) {
			t.expire = true
		}
		if due, ok := a.watchDue(ChangeWatch); ok && !now.Before(due) {
			t.change = true
		}
		if len(t.facts) > 0 || t.expire || t.settle || t.change {
			work = append(work, t)
		}
		return true
	})
	if err != nil {
		return res, err
	}
	slices.SortFunc(work, func(a, b todo) int { return strings.Compare(a.id, b.id) })
	// The applications are independent: their transitions run on a few
	// workers (each is mostly its own work; the audit log's lock is the
	// only thing they share), and the results are gathered in ID order.
	done := make([]sweepDone, len(work))
	var next atomic.Int64
	one := func() {
		for {
			k := int(next.Add(1) - 1)
			if k >= len(work) || ctx.Err() != nil {
				return
			}
			w, d := &work[k], &done[k]
			d.ran = true
			if w.settle {
				// The year was loaded since: compute the deadline first; the
				// facts found before it may no longer hold.
				settled, _, err := s.settle(ctx, w.id, false, now)
				if err != nil {
					d.failed = append(d.failed, err)
				} else if settled {
					d.settled = true
				}
			}
			for _, f := range w.facts {
				_, _, err := s.run(ctx, w.id, Alert{Actor: s.cfg.system, Fact: f}, now)
				switch {
				case err == nil:
					d.facts = append(d.facts, f)
				case movedOn(err, "fact", ""):
					// Another sweep emitted it, or the application moved on.
				default:
					d.failed = append(d.failed, err)
				}
			}
			if w.change {
				_, _, err := s.run(ctx, w.id, EffectChange{Actor: s.cfg.system}, now)
				switch {
				case err == nil:
					d.changed = true
				case movedOn(err, "at", "R23"):
				default:
					d.failed = append(d.failed, err)
				}
			}
			if w.expire {
				_, _, err := s.run(ctx, w.id, Expire{Actor: s.cfg.system}, now)
				switch {
				case err == nil:
					d.expired = true
				case movedOn(err, "at", "R19"):
					// Expired or re-approved with a new period meanwhile.
				default:
					d.failed = append(d.failed, err)
				}
			}
		}
	}
	workers := min(sweepWorkers, runtime.GOMAXPROCS(0), (len(work)+sweepBatch-1)/sweepBatch)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one()
		}()
	}
	one()
	wg.Wait()
	var stopped error
	for k := range done {
		d, id := &done[k], work[k].id
		if !d.ran {
			// The context ended first.
			stopped = ctx.Err()
			continue
		}
		if d.settled {
			res.Settled = append(res.Settled, id)
		}
		for _, f := range d.facts {
			switch {
			case f.Kind == DeadlinePending:
				res.Pending = append(res.Pending, f)
			case f.Kind.Overdue():
				res.Overdue = append(res.Overdue, f)
			default:
				res.DueSoon = append(res.DueSoon, f)
			}
		}
		if d.changed {
			res.Changed = append(res.Changed, id)
		}
		if d.expired {
			res.Expired = append(res.Expired, id)
		}
		res.Failed = append(res.Failed, d.failed...)
	}
	return res, stopped
}

// sweepWorkers bounds the goroutines a sweep's transitions run on (no more
// than GOMAXPROCS), one per sweepBatch applications to visit.
const (
	sweepWorkers = 4
	sweepBatch   = 256
)

// sweepDone is what a sweep did for one application.
type sweepDone struct {
	ran                       bool
	settled, changed, expired bool
	facts                     []Fact
	failed                    []error
}

// movedOn reports whether a sweep's transition failed only because the
// application changed since the scan: it left the state, or the condition
// (the fact, the end of the period) no longer holds. Anything else, such
// as an instant before the application's last transition (a clock set
// back), is a failure the host must see.
func movedOn(err error, field, rule string) bool {
	if errors.Is(err, ErrIllegalTransition) {
		return true
	}
	var ie *InvalidError
	return errors.As(err, &ie) && ie.Field == field && ie.Citation.Rule == rule
}
