package deadline

// Option configures New. Options are applied in order; a nil Option is
// ignored, and an option given a value it cannot use makes New fail with
// an error matching govshare.ErrInvalid.
type Option func(*config) error

type config struct {
	base      *Calendar
	schedules []*Schedule
	fallback  bool
}

// WithBase starts the new calendar from c, typically China(): its years,
// corrections and overlays, and its regular-week fallback if it has one.
// The schedules of WithSchedules are added to it as (*Calendar).With used
// to: further years must extend c's years without a gap, a year c already
// has is replaced only by a schedule with Replace set, and overlays are
// added. c itself is unchanged. Default: no base, the calendar has only
// the schedules given. A nil c, or WithBase given twice, is refused.
func WithBase(c *Calendar) Option {
	return func(cfg *config) error {
		switch {
		case c == nil:
			return optionError("WithBase", "日历为空", "nil calendar")
		case cfg.base != nil:
			return optionError("WithBase", "只能指定一个基础日历", "given twice")
		}
		cfg.base = c
		return nil
	}
}

// WithSchedules adds national schedules (one per year; together with the
// base's years they must be contiguous) and regional overlays. Each
// schedule is checked as LoadSchedule checks a file: a problem with one,
// including a nil schedule, is a *ScheduleError of its kind. Default: none.
// Given several times, the schedules add up.
func WithSchedules(schedules ...*Schedule) Option {
	return func(cfg *config) error {
		cfg.schedules = append(cfg.schedules, schedules...)
		return nil
	}
}

// WithRegularWeekFallback makes the calendar answer days outside its
// covered years with the regular Monday–Friday week instead of
// ErrUnknownYear. Every such answer is marked provisional: the methods
// return it together with a *ProvisionalError (errors.Is(err,
// ErrProvisional)), and a Due has Provisional set. Use it only where a
// provisional answer is better than none, and show that it is provisional.
// Default: off (unless the base calendar has it).
func WithRegularWeekFallback() Option {
	return func(cfg *config) error {
		cfg.fallback = true
		return nil
	}
}
