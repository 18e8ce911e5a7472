package deadline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
)

// Every error of this package matches exactly one kind of the root package
// (errors.Is), besides its own sentinels:
//
//	error                                  kind                     HTTP
//	ErrUnknownYear, *UnknownYearError      govshare.ErrUnavailable  503
//	ErrProvisional, *ProvisionalError      govshare.ErrUnavailable  503
//	*ScheduleError of ErrMalformed         govshare.ErrMalformed    400
//	*ScheduleError of ErrUnannounced       govshare.ErrUnavailable  503
//	*ScheduleError of ErrNoSource          govshare.ErrInvalid      422
//	*ScheduleError of ErrDuplicateDay      govshare.ErrInvalid      422
//	*ScheduleError of ErrContradiction     govshare.ErrInvalid      422
//	*ScheduleError of ErrOutOfYear         govshare.ErrInvalid      422
//	*ScheduleError of ErrCoverageGap       govshare.ErrInvalid      422
//	*ScheduleError of ErrIncomplete        govshare.ErrInvalid      422
//	*ScheduleError of ErrOutOfRange        govshare.ErrInvalid      422 (govshare.ErrInstant)
//	*ScheduleError of ErrTooLarge          govshare.ErrTooLarge     413
//	*ScheduleError of ErrReplacesYear      govshare.ErrConflict     409
//	ErrInvalidPeriod, *PeriodError         govshare.ErrInvalid      422
//	*govshare.InstantError                 govshare.ErrInvalid      422 (govshare.ErrInstant)
//	a bad Option (*govshare.CodedError)    govshare.ErrInvalid      422
//
// A year without an official schedule cannot be decided yet, so it is
// unavailable rather than invalid; so is a holiday-cn file that marks its
// year as not announced. A schedule that cites no notice or contradicts
// itself can be read but breaks R14's rule that days come from the notice;
// a second schedule for a year the calendar has conflicts with its state.
// A day outside the instants govshare supports (govshare.MinInstant to
// MaxInstant, 2000–2199) will never have a schedule, so a question about
// one is invalid, not unavailable: the calendar's methods refuse it with a
// *govshare.InstantError, the loaders with a *ScheduleError of
// ErrOutOfRange; both match govshare.ErrInstant.

// ErrUnknownYear is the kind of every error for an answer that would need
// a day of a year the calendar has no official schedule for. govshare never
// answers such a question with a silent weekends-only guess.
// errors.Is(err, govshare.ErrUnavailable) holds for it.
var ErrUnknownYear = kinded.New("deadline: no official holiday schedule for the year", govshare.ErrUnavailable)

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

// Unwrap returns ErrUnknownYear.
func (e *UnknownYearError) Unwrap() error { return ErrUnknownYear }

// ErrorMessage implements govshare.Messenger.
func (e *UnknownYearError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "deadline.unknown_year",
		Zh: fmt.Sprintf("没有%d年的官方放假安排（日历覆盖%d–%d年），无法计算工作日；请载入国务院办公厅%d年部分节假日安排的通知",
			e.Year, e.First, e.Last, e.Year),
		En: fmt.Sprintf("no official holiday schedule for %d (the calendar covers %d–%d); load the State Council notice for %d",
			e.Year, e.First, e.Last, e.Year),
		Citation: govshare.Rule("R14")}
}

// ErrProvisional is the kind of the error that accompanies a valid but
// provisional answer from a calendar with the regular-week fallback
// (WithRegularWeekFallback): some day involved lies in a year without an
// official schedule and was taken as an ordinary Monday–Friday week.
// errors.Is(err, govshare.ErrUnavailable) holds for it: the official answer
// is not available yet.
var ErrProvisional = kinded.New("deadline: provisional answer, regular week assumed", govshare.ErrUnavailable)

// ProvisionalError names the years answered from the regular week.
// errors.Is(err, ErrProvisional) holds; the value returned with it is the
// regular-week answer.
type ProvisionalError struct {
	Years       []int // years answered from the regular week
	First, Last int   // the years with official schedules
}

func (e *ProvisionalError) years(sep string) string {
	ys := make([]string, len(e.Years))
	for i, y := range e.Years {
		ys[i] = strconv.Itoa(y)
	}
	return strings.Join(ys, sep)
}

// Error implements error.
func (e *ProvisionalError) Error() string {
	return fmt.Sprintf("deadline: provisional answer: no official schedule for %s (official schedules cover %d–%d), regular Monday–Friday week assumed (暂定结果)",
		e.years(", "), e.First, e.Last)
}

// Unwrap returns ErrProvisional.
func (e *ProvisionalError) Unwrap() error { return ErrProvisional }

// ErrorMessage implements govshare.Messenger.
func (e *ProvisionalError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "deadline.provisional",
		Zh: fmt.Sprintf("暂定结果：%s年尚无官方放假安排（官方安排覆盖%d–%d年），按常规周一至周五计算", e.years("、"), e.First, e.Last),
		En: fmt.Sprintf("provisional answer: no official schedule for %s (official schedules cover %d–%d), regular Monday–Friday week assumed",
			e.years(", "), e.First, e.Last),
		Citation: govshare.Rule("R14")}
}

// ErrInvalidSchedule is the family of every error about a schedule that
// cannot be used; ScheduleError says which problem, and errors.Is also
// matches the specific problem below. It matches no kind of its own: each
// problem has its kind (see the table above).
var ErrInvalidSchedule = errors.New("deadline: invalid schedule")

// The specific problems a ScheduleError reports, each with its kind.
var (
	// ErrMalformed: the file is not valid JSON of the expected shape, or a
	// field (a date, a year, a region code) cannot be parsed
	// (govshare.ErrMalformed).
	ErrMalformed = kinded.New("malformed schedule", govshare.ErrMalformed)
	// ErrUnannounced: the file has no source notice and no days, which is
	// how holiday-cn marks a year whose schedule is not published yet
	// (govshare.ErrUnavailable).
	ErrUnannounced = kinded.New("year not announced yet", govshare.ErrUnavailable)
	// ErrNoSource: the file lists days but cites no notice
	// (govshare.ErrInvalid).
	ErrNoSource = kinded.New("no source notice", govshare.ErrInvalid)
	// ErrDuplicateDay: a day is listed twice (govshare.ErrInvalid).
	ErrDuplicateDay = kinded.New("duplicate day", govshare.ErrInvalid)
	// ErrContradiction: a day is both off and working, or a 调休上班 day is
	// not a Saturday or Sunday (govshare.ErrInvalid).
	ErrContradiction = kinded.New("contradicting days", govshare.ErrInvalid)
	// ErrOutOfYear: a date lies outside the file's year by more than the
	// New Year block allows (one month either side) (govshare.ErrInvalid).
	ErrOutOfYear = kinded.New("date outside the schedule's year", govshare.ErrInvalid)
	// ErrReplacesYear: a national schedule for a year the calendar already
	// has, without Schedule.Replace (govshare.ErrConflict).
	ErrReplacesYear = kinded.New("schedule replaces a year the calendar has", govshare.ErrConflict)
	// ErrCoverageGap: the covered years would not be contiguous, or an
	// overlay is for a year without a national schedule
	// (govshare.ErrInvalid).
	ErrCoverageGap = kinded.New("years not contiguous", govshare.ErrInvalid)
	// ErrIncomplete: a national schedule lacks a festival of
	// 《全国年节及纪念日放假办法》, or gives it fewer days off than the
	// statute does (see CheckSchedule); ScheduleError.Festival names it
	// (govshare.ErrInvalid).
	ErrIncomplete = kinded.New("statutory festival missing or short", govshare.ErrInvalid)
	// ErrOutOfRange: the year, or a day, lies outside the instants govshare
	// supports, 2000–2199 (govshare.MinInstant, govshare.MaxInstant);
	// errors.Is(err, govshare.ErrInstant) holds (govshare.ErrInvalid).
	ErrOutOfRange = kinded.New("outside the supported years 2000–2199", govshare.ErrInstant)
	// ErrTooLarge: the schedule exceeds one of the limits of the loaders
	// (MaxScheduleBytes, MaxScheduleDays, …) (govshare.ErrTooLarge).
	ErrTooLarge = kinded.New("schedule over a limit", govshare.ErrTooLarge)
)

// scheduleProblems gives each problem its stable code and Chinese wording.
var scheduleProblems = map[error][2]string{
	ErrMalformed:     {"deadline.schedule_malformed", "格式错误"},
	ErrUnannounced:   {"deadline.schedule_unannounced", "该年放假安排尚未公布"},
	ErrNoSource:      {"deadline.schedule_no_source", "未注明所依据的通知"},
	ErrDuplicateDay:  {"deadline.schedule_duplicate_day", "同一日期重复列出"},
	ErrContradiction: {"deadline.schedule_contradiction", "日期相互矛盾"},
	ErrOutOfYear:     {"deadline.schedule_out_of_year", "日期超出该年范围"},
	ErrReplacesYear:  {"deadline.schedule_replaces_year", "与日历中已有年份的放假安排重复"},
	ErrCoverageGap:   {"deadline.schedule_coverage_gap", "年份不连续"},
	ErrIncomplete:    {"deadline.schedule_incomplete", "缺少法定节日或放假天数少于法定天数"},
	ErrOutOfRange:    {"deadline.schedule_out_of_range", "超出支持的年份范围（2000年至2199年）"},
	ErrTooLarge:      {"deadline.schedule_too_large", "超出载入限制"},
}

// ScheduleError reports what is wrong with a schedule: which one (Source
// and Year), where (Date, Field or Festival) and what (Kind, one of the
// errors above, and Detail).
type ScheduleError struct {
	Source   string // e.g. "holiday-cn", "govshare schedule", "embedded 2015.json"
	Year     int    // the schedule's year, 0 if not known
	Date     string // the day concerned, YYYY-MM-DD, if any
	Field    string // the field concerned, if any
	Festival string // the statutory festival concerned (ErrIncomplete), e.g. 春节
	Kind     error  // one of ErrMalformed, ErrUnannounced, …; nil is ErrMalformed
	Detail   string // what exactly is wrong
}

func (e *ScheduleError) problem() error {
	if e.Kind == nil {
		return ErrMalformed
	}
	return e.Kind
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
	b.WriteString(": " + e.problem().Error())
	if e.Festival != "" {
		b.WriteString(": " + e.Festival)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// Unwrap returns ErrInvalidSchedule and the specific problem, so errors.Is
// matches both, and the problem's kind.
func (e *ScheduleError) Unwrap() []error { return []error{ErrInvalidSchedule, e.problem()} }

// ErrorMessage implements govshare.Messenger.
func (e *ScheduleError) ErrorMessage() govshare.Message {
	p, ok := scheduleProblems[e.problem()]
	if !ok {
		p = [2]string{"deadline.invalid_schedule", e.problem().Error()}
	}
	var b strings.Builder
	if e.Year != 0 {
		fmt.Fprintf(&b, "%d年", e.Year)
	}
	b.WriteString("放假安排")
	if e.Source != "" {
		b.WriteString("（" + e.Source + "）")
	}
	if e.Date != "" {
		b.WriteString(e.Date)
	}
	if e.Field != "" {
		b.WriteString(" " + e.Field)
	}
	b.WriteString("：" + p[1])
	if e.Festival != "" {
		b.WriteString("（" + e.Festival + "）")
	}
	return govshare.Message{Code: p[0], Zh: b.String(), En: e.Error(), Citation: govshare.Rule("R14")}
}

// ErrInvalidPeriod is the kind of the error for a Period that cannot be
// computed (no working days, a negative extension, a pause that ends
// before it starts, …). errors.Is(err, govshare.ErrInvalid) holds for it.
var ErrInvalidPeriod = kinded.New("deadline: invalid period", govshare.ErrInvalid)

// PeriodError names the field of the Period that is wrong and why.
type PeriodError struct {
	Field   string // the Period field, e.g. "Workdays" or "Pauses[0]"
	Problem string // what is wrong with it, in English
	zh      string // the same in Chinese, if known
}

// Error implements error.
func (e *PeriodError) Error() string {
	return "deadline: invalid period: " + e.Field + ": " + e.Problem
}

// Unwrap returns ErrInvalidPeriod.
func (e *PeriodError) Unwrap() error { return ErrInvalidPeriod }

// periodFields are the Chinese names of the Period fields in messages.
var periodFields = map[string]string{
	"Workdays": "工作日数", "Extension": "延长的工作日数", "CloseOfBusiness": "下班时间",
	"Cutoff": "收件截止时间", "Pauses": "暂停计时", "n": "工作日数", "b": "结束日期",
}

// ErrorMessage implements govshare.Messenger.
func (e *PeriodError) ErrorMessage() govshare.Message {
	name, _, _ := strings.Cut(e.Field, "[")
	zh := periodFields[name]
	if zh == "" {
		zh = e.Field
	}
	if name != e.Field {
		zh += e.Field[len(name):]
	}
	problem := e.zh
	if problem == "" {
		problem = "不符合要求（" + e.Problem + "）"
	}
	return govshare.Message{Code: "deadline.invalid_period",
		Zh: "期限无法计算：" + zh + problem,
		En: "invalid period: " + e.Field + ": " + e.Problem, Citation: govshare.Rule("R14")}
}

// optionError is the error of an Option given a value it cannot use.
func optionError(option, zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "deadline.invalid_option",
		Zh: "日历选项" + option + "有误：" + zh, En: "deadline: " + option + ": " + en}
}
