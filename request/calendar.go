package request

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// Calendar returns the calendar in force.
func (s *Service) Calendar() Calendar { return s.calendar.Load().c }

// LoadReport says what LoadSchedules did.
type LoadReport struct {
	// Years are the years the calendar covers after the load.
	First, Last int
	// Settled are the applications whose pending deadlines (or answers)
	// were computed, each with an audited settle_deadline transition.
	Settled []string
	// Changed are the applications whose computed deadlines a corrected
	// schedule changed (only with a schedule marked Replace).
	Changed []string
	// Failed are the applications that could not be settled (the sweep
	// retries them).
	Failed []error
}

// LoadSchedules adds official schedules to the running Service's calendar
// without a restart, safely while commands run: commands read the calendar
// anew on each attempt, and the new one is in force for every command that
// starts after LoadSchedules swaps it in. A schedule for a year the
// calendar already has is refused (a *deadline.ScheduleError) unless it is
// marked Replace; then every deadline still running is recomputed and the
// applications whose deadlines change are listed in Changed. Every
// deadline that was pending on a year now loaded is computed and recorded
// as a settle_deadline transition (Settled). The calendar in force must be
// a *deadline.Calendar (the default).
func (s *Service) LoadSchedules(ctx context.Context, schedules ...*deadline.Schedule) (LoadReport, error) {
	s.loading.Lock()
	defer s.loading.Unlock()
	cur, ok := s.Calendar().(*deadline.Calendar)
	if !ok {
		return LoadReport{}, &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "request.calendar_not_loadable",
			Zh: "当前日历不是 deadline.Calendar，不能载入放假安排", En: "request: the calendar in force is not a *deadline.Calendar; schedules cannot be loaded into it"}
	}
	next, err := deadline.New(deadline.WithBase(cur), deadline.WithSchedules(schedules...))
	if err != nil {
		return LoadReport{}, err
	}
	replace := slices.ContainsFunc(schedules, func(sc *deadline.Schedule) bool { return sc != nil && sc.Replace })
	s.calendar.Store(&calendarBox{next})
	rep := LoadReport{}
	rep.First, rep.Last = next.Years()
	ids, err := s.toSettle(ctx, replace)
	if err != nil {
		return rep, err
	}
	for _, id := range ids {
		settled, changed, err := s.settle(ctx, id, replace, time.Time{})
		switch {
		case err != nil:
			rep.Failed = append(rep.Failed, err)
		case changed:
			rep.Changed = append(rep.Changed, id)
		case settled:
			rep.Settled = append(rep.Settled, id)
		}
	}
	return rep, nil
}

// toSettle lists the applications with something pending (or, to
// recompute, with a deadline running).
func (s *Service) toSettle(ctx context.Context, recompute bool) ([]string, error) {
	var ids []string
	err := s.store.All(ctx, func(a Application) bool {
		if a.pending() || recompute && (a.runs(ReplyWatch) || a.runs(CorrectionWatch) && len(a.Corrections) > 0) {
			ids = append(ids, a.ID)
		}
		return true
	})
	slices.Sort(ids)
	return ids, err
}

// settle issues settle_deadline for one application. settled reports a
// pending deadline computed, changed a running one recomputed; a settle
// with nothing to do is neither, and no error.
func (s *Service) settle(ctx context.Context, id string, recompute bool, at time.Time) (settled, changed bool, err error) {
	before, err := s.store.Get(ctx, id)
	if err != nil {
		return false, false, err
	}
	_, _, err = s.run(ctx, id, SettleDeadline{Actor: s.cfg.system, Recompute: recompute}, at)
	var ie *InvalidError
	switch {
	case errors.As(err, &ie) && ie.Field == "calendar", errors.Is(err, ErrIllegalTransition):
		return false, false, nil
	case err != nil:
		return false, false, fmt.Errorf("request: settling %s: %w", id, err)
	}
	return before.pending(), !before.pending(), nil
}

// covers reports whether the calendar in force has an official schedule
// for the year (a calendar other than *deadline.Calendar is asked by
// trying).
func (s *Service) covers(year int) bool {
	c, ok := s.Calendar().(*deadline.Calendar)
	if !ok {
		return true
	}
	first, last := c.Years()
	return year >= first && year <= last
}

// pendingYears returns the years an application's pending deadlines wait
// for.
func (a *Application) pendingYears() []int {
	var ys []int
	add := func(y int) {
		if y != 0 && !slices.Contains(ys, y) {
			ys = append(ys, y)
		}
	}
	if a.Clock != nil {
		add(a.Clock.Pending)
	}
	for _, c := range a.Corrections {
		if !c.Answered {
			add(c.Pending)
		}
	}
	for _, r := range a.Replies {
		add(r.Pending)
	}
	return ys
}
