package deadline

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/rickar/cal/v2"

	"github.com/govshare/govshare"
)

// Calendar answers working-day questions from official schedules. It is
// immutable: New(WithBase(c), …) builds a new calendar from c, and one
// calendar is safe for concurrent use without locks.
//
// The schedules are held as a rickar/cal/v2 BusinessCalendar — every day
// off a named cal.Holiday, the 调休 working weekends through WorkdayFunc
// (see Business) — and, for speed, as a per-day index computed once from
// those holidays, so no question ever scans a holiday list.
type Calendar struct {
	first, last int   // covered years
	base        int64 // day number of 1 January of first
	days        []dayEntry
	cum         []int32 // cum[i]: working days among days[:i]
	work        []int32 // indexes into days of the working days, ascending
	blocks      []block // blocks[dayEntry.block-1]
	national    []*Schedule
	overlays    []*Schedule
	holidays    []*cal.Holiday // one per day off, for Business
	fallback    bool
}

type dayEntry struct {
	kind  DayKind
	block uint16 // 1-based index into blocks; 0 for none
}

type block struct {
	name, nameEN string
	notices      []Notice
	region       string
}

//go:embed schedules/*.json
var embedded embed.FS

var china = sync.OnceValue(func() *Calendar {
	c, err := fromFS(embedded, "schedules")
	if err != nil {
		// The embedded schedules are the project's own data, checked by its
		// tests; a failure here is a build defect, not an input error.
		panic(err)
	}
	return c
})

// China returns the national calendar built from the embedded official
// schedules, one per year from 2007 to 2026, each citing its State Council
// notice. It is built once, on first use.
func China() *Calendar { return china() }

func fromFS(fsys fs.FS, dir string) (*Calendar, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var all []*Schedule
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		s, err := LoadSchedule(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.Source = "embedded " + path.Base(name)
		all = append(all, s)
	}
	return New(WithSchedules(all...))
}

// New builds a calendar from its options: most programs start from the
// embedded national calendar and add what they need,
//
//	cal, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithSchedules(s2027))
//
// Without WithBase the calendar has only the schedules of WithSchedules
// (one national schedule per year, contiguous, and regional overlays); with
// no schedule at all it is refused (ErrCoverageGap). A problem with a
// schedule is a *ScheduleError; a bad option value is an error matching
// govshare.ErrInvalid.
func New(opts ...Option) (*Calendar, error) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	b := cfg.base
	if b == nil {
		return build(cfg.schedules, cfg.fallback)
	}
	fallback := cfg.fallback || b.fallback
	if len(cfg.schedules) == 0 {
		// Nothing to rebuild: the index is shared, the calendar immutable.
		cp := *b
		cp.fallback = fallback
		return &cp, nil
	}
	all := make([]*Schedule, 0, len(b.national)+len(b.overlays)+len(cfg.schedules))
	replaced := map[int]bool{}
	for _, s := range cfg.schedules {
		if s == nil {
			return nil, &ScheduleError{Kind: ErrMalformed, Detail: "nil schedule"}
		}
		if !s.Overlay && s.Replace {
			replaced[s.Year] = true
		}
	}
	for _, s := range b.national {
		if replaced[s.Year] {
			continue
		}
		for _, n := range cfg.schedules {
			if !n.Overlay && n.Year == s.Year {
				return nil, &ScheduleError{Source: n.Source, Year: n.Year, Kind: ErrReplacesYear,
					Detail: fmt.Sprintf("the calendar already has %d from %s; set Schedule.Replace to replace it", s.Year, s.Source)}
			}
		}
		all = append(all, s)
	}
	all = append(all, b.overlays...)
	all = append(all, cfg.schedules...)
	return build(all, fallback)
}

func build(schedules []*Schedule, fallback bool) (*Calendar, error) {
	var national, overlays []*Schedule
	for _, s := range schedules {
		if s == nil {
			return nil, &ScheduleError{Kind: ErrMalformed, Detail: "nil schedule"}
		}
		if err := s.check(); err != nil {
			return nil, err
		}
		if s.Overlay {
			overlays = append(overlays, s)
		} else {
			national = append(national, s)
		}
	}
	if len(national) == 0 {
		return nil, &ScheduleError{Kind: ErrCoverageGap, Detail: "no national schedule"}
	}
	sort.SliceStable(national, func(i, j int) bool { return national[i].Year < national[j].Year })
	for i := 1; i < len(national); i++ {
		prev, s := national[i-1], national[i]
		switch {
		case s.Year == prev.Year:
			return nil, &ScheduleError{Source: s.Source, Year: s.Year, Kind: ErrReplacesYear,
				Detail: fmt.Sprintf("two national schedules for %d (%s, %s)", s.Year, prev.Source, s.Source)}
		case s.Year != prev.Year+1:
			return nil, &ScheduleError{Source: s.Source, Year: s.Year, Kind: ErrCoverageGap,
				Detail: fmt.Sprintf("no national schedule for %d–%d between %d and %d", prev.Year+1, s.Year-1, prev.Year, s.Year)}
		}
	}
	c := &Calendar{
		first:    national[0].Year,
		last:     national[len(national)-1].Year,
		national: national,
		overlays: overlays,
		fallback: fallback,
	}
	for _, s := range overlays {
		if s.Year < c.first || s.Year > c.last {
			return nil, &ScheduleError{Source: s.Source, Year: s.Year, Kind: ErrCoverageGap,
				Detail: fmt.Sprintf("overlay for region %s in %d, which has no national schedule (covered: %d–%d)", s.Region, s.Year, c.first, c.last)}
		}
	}
	c.base = dayNumber(Date(c.first, time.January, 1))
	n := dayNumber(Date(c.last+1, time.January, 1)) - c.base
	c.days = make([]dayEntry, n)
	for i := range c.days {
		if isWeekend(c.base + int64(i)) {
			c.days[i].kind = Weekend
		} else {
			c.days[i].kind = Workday
		}
	}
	if err := c.apply(national, false); err != nil {
		return nil, err
	}
	if err := c.apply(overlays, true); err != nil {
		return nil, err
	}
	c.cum = make([]int32, n+1)
	for i, d := range c.days {
		c.cum[i+1] = c.cum[i]
		if d.kind.Working() {
			c.cum[i+1]++
			c.work = append(c.work, int32(i))
		}
	}
	return c, nil
}

// apply marks the days of the schedules in the index. Each day off becomes
// a named cal.Holiday, and its place in the index is where that holiday
// falls; national schedules may not claim a day twice, and neither may two
// overlays, but an overlay wins over the national schedule.
func (c *Calendar) apply(schedules []*Schedule, overlay bool) error {
	claimed := map[int64]*Schedule{}
	for _, s := range schedules {
		notices := map[string]Notice{}
		for _, n := range s.Notices {
			notices[n.Ref()] = n
			notices[n.URL] = n
		}
		for _, h := range s.Holidays {
			b := block{name: h.Name, nameEN: h.NameEN, region: s.Region}
			for _, r := range h.Notices {
				b.notices = append(b.notices, notices[r])
			}
			if len(c.blocks) >= 1<<16-1 {
				return &ScheduleError{Source: s.Source, Year: s.Year, Kind: ErrMalformed, Detail: "too many holiday blocks"}
			}
			c.blocks = append(c.blocks, b)
			id := uint16(len(c.blocks))
			mark := func(t time.Time, kind DayKind) error {
				d := dayNumber(t)
				if prev, dup := claimed[d]; dup {
					date := dayStart(d).Format("2006-01-02")
					return &ScheduleError{Source: s.Source, Year: s.Year, Date: date, Kind: ErrDuplicateDay,
						Detail: fmt.Sprintf("%s is also listed by the %d schedule (%s)", date, prev.Year, prev.Source)}
				}
				claimed[d] = s
				if i := d - c.base; i >= 0 && i < int64(len(c.days)) {
					c.days[i] = dayEntry{kind: kind, block: id}
				}
				return nil
			}
			for _, t := range h.Off {
				hol := &cal.Holiday{
					Name:        h.Name,
					Description: h.NameEN,
					Type:        cal.ObservancePublic,
					StartYear:   t.Year(),
					EndYear:     t.Year(),
					Month:       t.Month(),
					Day:         t.Day(),
					Func:        cal.CalcDayOfMonth,
				}
				c.holidays = append(c.holidays, hol)
				actual, _ := hol.Calc(hol.StartYear)
				y, m, d := actual.Date()
				if err := mark(Date(y, m, d), HolidayOff); err != nil {
					return err
				}
			}
			for _, t := range h.Work {
				if err := mark(t, MakeupWorkday); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// index returns the position of t's civil day in the index, or -1 with
// the year when it is outside the covered years.
func (c *Calendar) index(t time.Time) (int64, bool) {
	i := dayNumber(t) - c.base
	return i, i >= 0 && i < int64(len(c.days))
}

// unknown is the error for an answer that needs a year without a
// schedule: ErrUnknownYear, or, for a year outside 2000–2199, which will
// never have one, a *govshare.InstantError naming the first day beyond.
func (c *Calendar) unknown(year int) error {
	switch {
	case year > maxYear:
		return &govshare.InstantError{Field: reachedDay, At: dayStart(endDay)}
	case year < minYear:
		return &govshare.InstantError{Field: reachedDay, At: dayStart(minDay - 1)}
	}
	return &UnknownYearError{Year: year, First: c.first, Last: c.last}
}

// reachedDay is the field an *InstantError names for a day the arithmetic
// reached rather than one the caller gave.
const reachedDay = "computed day"

func (c *Calendar) provisional(years map[int]bool) error {
	e := &ProvisionalError{First: c.first, Last: c.last}
	for y := range years {
		e.Years = append(e.Years, y)
	}
	sort.Ints(e.Years)
	return e
}

// working reports whether day number d is a working day, and whether the
// answer is official (false: outside the index, regular week assumed).
func (c *Calendar) working(d int64) (work, official bool) {
	if i := d - c.base; i >= 0 && i < int64(len(c.days)) {
		return c.days[i].kind.Working(), true
	}
	return !isWeekend(d), false
}

// Years returns the first and last year the calendar has official
// schedules for.
func (c *Calendar) Years() (first, last int) { return c.first, c.last }

// IsWorkday reports whether the China civil day of t is a working day:
// Monday to Friday unless the schedule gives it off, and the 调休上班
// Saturdays and Sundays. For a day outside the covered years it returns
// ErrUnknownYear (or, with the fallback, the regular-week answer and
// ErrProvisional); for an instant outside 2000–2199 a
// *govshare.InstantError.
func (c *Calendar) IsWorkday(day time.Time) (bool, error) {
	if i, ok := c.index(day); ok {
		return c.days[i].kind.Working(), nil
	}
	if err := govshare.CheckInstant("day", day); err != nil {
		return false, err
	}
	d := dayNumber(day)
	if !c.fallback {
		return false, c.unknown(yearOf(d))
	}
	return !isWeekend(d), c.provisional(map[int]bool{yearOf(d): true})
}

// maxSpan bounds the number of working days of any question, and the
// arithmetic of the fallback path, which walks day by day outside the
// covered years: a century of working days.
const maxSpan = 100 * 366

// AddWorkdays returns the civil day (00:00 CST) that is the n-th working
// day strictly after from's China civil day; for negative n, the |n|-th
// working day strictly before it; for n = 0, from's civil day itself.
// AddWorkdays(receipt, 10) is the last day of a 10-working-day period
// counted from receipt (R11, R14). It answers from the precomputed index in
// constant time, without allocating. An answer outside the covered years is
// ErrUnknownYear (with the fallback, ErrProvisional); from outside
// 2000–2199, or an answer beyond it, is a *govshare.InstantError; |n| over
// a century of working days (36,600) is ErrInvalidPeriod.
func (c *Calendar) AddWorkdays(from time.Time, n int) (time.Time, error) {
	if i, ok := c.index(from); ok && n <= len(c.work) && n >= -len(c.work) {
		var k int64
		switch {
		case n > 0:
			k = int64(c.cum[i+1]) + int64(n) - 1
		case n < 0:
			k = int64(c.cum[i]) + int64(n)
		default:
			return dayStart(c.base + i), nil
		}
		if k >= 0 && k < int64(len(c.work)) {
			return dayStart(c.base + int64(c.work[k])), nil
		}
	}
	return c.addSlow(from, n)
}

func (c *Calendar) addSlow(from time.Time, n int) (time.Time, error) {
	if err := govshare.CheckInstant("from", from); err != nil {
		return time.Time{}, err
	}
	if n > maxSpan || n < -maxSpan {
		return time.Time{}, &PeriodError{Field: "n", Problem: fmt.Sprintf("%d working days is more than a century", n), zh: fmt.Sprintf("%d个工作日超过一百年", n)}
	}
	d := dayNumber(from)
	if !c.fallback {
		if i := d - c.base; i < 0 || i >= int64(len(c.days)) {
			return time.Time{}, c.unknown(yearOf(d))
		}
		if n > 0 {
			return time.Time{}, c.unknown(c.last + 1)
		}
		return time.Time{}, c.unknown(c.first - 1)
	}
	step := int64(1)
	if n < 0 {
		step, n = -1, -n
	}
	guessed := map[int]bool{}
	if _, official := c.working(d); !official {
		guessed[yearOf(d)] = true
	}
	for n > 0 {
		d += step
		if !supported(d) {
			return time.Time{}, &govshare.InstantError{Field: reachedDay, At: dayStart(d)}
		}
		work, official := c.working(d)
		if !official {
			guessed[yearOf(d)] = true
		}
		if work {
			n--
		}
	}
	if len(guessed) == 0 {
		return dayStart(d), nil
	}
	return dayStart(d), c.provisional(guessed)
}

// WorkdaysBetween returns the number of working days d with a < d ≤ b
// (civil days), so that AddWorkdays(a, n) = b gives WorkdaysBetween(a, b) =
// n for n ≥ 1. When b is before a it returns minus the working days d with
// b < d ≤ a. Errors are those of AddWorkdays, except that any two days of
// 2000–2199 may be counted.
func (c *Calendar) WorkdaysBetween(a, b time.Time) (int, error) {
	i, okA := c.index(a)
	j, okB := c.index(b)
	if okA && okB {
		return int(c.cum[j+1] - c.cum[i+1]), nil
	}
	if err := govshare.CheckInstant("a", a); err != nil {
		return 0, err
	}
	if err := govshare.CheckInstant("b", b); err != nil {
		return 0, err
	}
	da, db := dayNumber(a), dayNumber(b)
	if !c.fallback {
		if !okA {
			return 0, c.unknown(yearOf(da))
		}
		return 0, c.unknown(yearOf(db))
	}
	sign := 1
	if db < da {
		da, db, sign = db, da, -1
	}
	// Both days lie in 2000–2199, so the walk is bounded by two centuries.
	guessed := map[int]bool{}
	count := 0
	for d := da + 1; d <= db; d++ {
		work, official := c.working(d)
		if !official {
			guessed[yearOf(d)] = true
		}
		if work {
			count++
		}
	}
	if len(guessed) == 0 {
		return sign * count, nil
	}
	return sign * count, c.provisional(guessed)
}

// Holiday returns the name of the holiday block the civil day of t is a
// day off in, e.g. 国庆节; ok is false for any other day, including days
// outside the covered years.
func (c *Calendar) Holiday(day time.Time) (name string, ok bool) {
	i, in := c.index(day)
	if !in || c.days[i].kind != HolidayOff {
		return "", false
	}
	return c.blocks[c.days[i].block-1].name, true
}

// DayInfo describes one civil day of a calendar.
type DayInfo struct {
	// Day is 00:00 CST of the day.
	Day time.Time `json:"day"`
	// Kind says whether and why it is a working day.
	Kind DayKind `json:"kind"`
	// Holiday and HolidayEN name the holiday block of a day off or of a
	// 调休上班 working day.
	Holiday   string `json:"holiday,omitempty"`
	HolidayEN string `json:"holiday_en,omitempty"` // see Holiday
	// Region is the region code of the overlay that set the day, if any.
	Region string `json:"region,omitempty"`
	// Notices are the documents that fix the day, if the schedule does.
	Notices []Notice `json:"notices,omitempty"`
	// Provisional is set for a day outside the covered years answered by a
	// calendar with the regular-week fallback.
	Provisional bool `json:"provisional,omitempty"`
}

// Describe tells what kind of day the civil day of t is and which notice
// says so. Outside the covered years it returns ErrUnknownYear, or with the
// fallback a provisional regular-week description and ErrProvisional;
// outside 2000–2199 a *govshare.InstantError.
func (c *Calendar) Describe(day time.Time) (DayInfo, error) {
	if i, ok := c.index(day); ok {
		info, _ := c.describe(c.base + i)
		return info, nil
	}
	if err := govshare.CheckInstant("day", day); err != nil {
		return DayInfo{}, err
	}
	d := dayNumber(day)
	info, official := c.describe(d)
	if !official {
		if !c.fallback {
			return DayInfo{}, c.unknown(yearOf(d))
		}
		return info, c.provisional(map[int]bool{yearOf(d): true})
	}
	return info, nil
}

func (c *Calendar) describe(d int64) (DayInfo, bool) {
	info := DayInfo{Day: dayStart(d)}
	i := d - c.base
	if i < 0 || i >= int64(len(c.days)) {
		info.Kind, info.Provisional = Workday, true
		if isWeekend(d) {
			info.Kind = Weekend
		}
		return info, false
	}
	e := c.days[i]
	info.Kind = e.kind
	if e.block > 0 {
		b := c.blocks[e.block-1]
		info.Holiday, info.HolidayEN, info.Region, info.Notices = b.name, b.nameEN, b.region, b.notices
	}
	return info, true
}

// Notices returns the notices of the calendar's national schedules, in
// year order, then those of its overlays.
func (c *Calendar) Notices() []Notice {
	var out []Notice
	for _, s := range append(append([]*Schedule(nil), c.national...), c.overlays...) {
		out = append(out, s.Notices...)
	}
	return out
}

// Business returns the calendar as a rickar/cal/v2 BusinessCalendar, the
// bridge for hosts already built on that library: every day off of the
// schedules is a named cal.Holiday (Name the Chinese name, Description the
// English one) and the 调休上班 weekends are working days through
// WorkdayFunc. Each call returns a new BusinessCalendar with copies of the
// holidays. Its answers agree
// with the Calendar inside the covered years, but outside them it answers
// with the regular week and no error, and its arithmetic scans the whole
// holiday list for every day; prefer the Calendar's own methods.
func (c *Calendar) Business() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.Name = "China (govshare)"
	for _, h := range c.holidays {
		bc.AddHoliday(h.Clone(nil))
	}
	bc.WorkdayFunc = func(t time.Time) bool {
		y, m, d := t.Date()
		n := dayNumber(Date(y, m, d))
		if i := n - c.base; i >= 0 && i < int64(len(c.days)) && c.days[i].kind == MakeupWorkday {
			return true
		}
		return !isWeekend(n)
	}
	return bc
}
