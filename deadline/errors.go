package deadline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnknownYear is the kind of every error for an answer that would need
// a day of a year the calendar has no official schedule for. govshare never
// answers such a question with a silent weekends-only guess.
var ErrUnknownYear = errors.New("deadline: no official holiday schedule for the year")

// UnknownYearError names the year that was needed and the years covered.
// errors.Is(err, ErrUnknownYear) holds.
type UnknownYearError struct {
	Year        int // the year an answer needed
	First, Last int // the years the calendar covers
}

// Error implements error.
func (e *UnknownYearError) Error() string {
	return fmt.Sprintf("deadline: no official holiday schedule for %d (the calendar covers %d–%d); load the State Council notice for %d with LoadSchedule or LoadHolidayCN (没有%d年的官方放假安排)",
		e.Year, e.First, e.Last, e.Year, e.Year)
}

// Is reports whether target is ErrUnknownYear.
func (e *UnknownYearError) Is(target error) bool { return target == ErrUnknownYear }

// ErrProvisional is the kind of the error that accompanies a valid but
// provisional answer from a calendar with the regular-week fallback
// (WithRegularWeekFallback): some day involved lies in a year without an
// official schedule and was taken as an ordinary Monday–Friday week.
var ErrProvisional = errors.New("deadline: provisional answer, regular week assumed")

// ProvisionalError names the years answered from the regular week.
// errors.Is(err, ErrProvisional) holds; the value returned with it is the
// regular-week answer.
type ProvisionalError struct {
	Years       []int // years answered from the regular week
	First, Last int   // the years with official schedules
}

// Error implements error.
func (e *ProvisionalError) Error() string {
	ys := make([]string, len(e.Years))
	for i, y := range e.Years {
		ys[i] = strconv.Itoa(y)
	}
	return fmt.Sprintf("deadline: provisional answer: no official schedule for %s (official schedules cover %d–%d), regular Monday–Friday week assumed (暂定结果)",
		strings.Join(ys, ", "), e.First, e.Last)
}

// Is reports whether target is ErrProvisional.
func (e *ProvisionalError) Is(target error) bool { return target == ErrProvisional }

// ErrInvalidSchedule is the kind of every error about a schedule that
// cannot be used; ScheduleError says which problem, and errors.Is also
// matches the specific kind below.
var ErrInvalidSchedule = errors.New("deadline: invalid schedule")

// The specific problems a ScheduleError reports.
var (
	// ErrMalformed: the file is not valid JSON of the expected shape, or a
	// field (a date, a year, a region code) cannot be parsed.
	ErrMalformed = errors.New("malformed schedule")
	// ErrUnannounced: the file has no source notice and no days, which is
	// how holiday-cn marks a year whose schedule is not published yet.
	ErrUnannounced = errors.New("year not announced yet")
	// ErrNoSource: the file lists days but cites no notice.
	ErrNoSource = errors.New("no source notice")
	// ErrDuplicateDay: a day is listed twice.
	ErrDuplicateDay = errors.New("duplicate day")
	// ErrContradiction: a day is both off and working, or a 调休上班 day is
	// not a Saturday or Sunday.
	ErrContradiction = errors.New("contradicting days")
	// ErrOutOfYear: a date lies outside the file's year by more than the
	// New Year block allows (one month either side).
	ErrOutOfYear = errors.New("date outside the schedule's year")
	// ErrReplacesYear: a national schedule for a year the calendar already
	// has, without Schedule.Replace.
	ErrReplacesYear = errors.New("schedule replaces a year the calendar has")
	// ErrCoverageGap: the covered years would not be contiguous, or an
	// overlay is for a year without a national schedule.
	ErrCoverageGap = errors.New("years not contiguous")
)

// ScheduleError reports what is wrong with a schedule: which one (Source
// and Year), where (Date or Field) and what (Kind, one of the errors above,
// and Detail).
type ScheduleError struct {
	Source string // e.g. "holiday-cn", "our format", "embedded 2015.json"
	Year   int    // the schedule's year, 0 if not known
	Date   string // the day concerned, YYYY-MM-DD, if any
	Field  string // the field concerned, if any
	Kind   error  // one of ErrMalformed, ErrUnannounced, …
	Detail string // what exactly is wrong
}

// Error implements error.
func (e *ScheduleError) Error() string {
	var b strings.Builder
	b.WriteString("deadline: invalid schedule")
	if e.Source != "" {
		b.WriteString(" (" + e.Source + ")")
	}
	if e.Year != 0 {
		fmt.Fprintf(&b, " for %d", e.Year)
	}
	if e.Date != "" {
		b.WriteString(" at " + e.Date)
	}
	if e.Field != "" {
		b.WriteString(" in " + e.Field)
	}
	if e.Kind != nil {
		b.WriteString(": " + e.Kind.Error())
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// Unwrap returns ErrInvalidSchedule and the specific kind, so errors.Is
// matches both.
func (e *ScheduleError) Unwrap() []error { return []error{ErrInvalidSchedule, e.Kind} }

// ErrInvalidPeriod is the kind of the error for a Period that cannot be
// computed (no working days, a negative extension, a pause that ends
// before it starts, …).
var ErrInvalidPeriod = errors.New("deadline: invalid period")

// PeriodError names the field of the Period that is wrong and why.
type PeriodError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *PeriodError) Error() string {
	return "deadline: invalid period: " + e.Field + ": " + e.Problem
}

// Is reports whether target is ErrInvalidPeriod.
func (e *PeriodError) Is(target error) bool { return target == ErrInvalidPeriod }
