package deadline

import (
	"time"

	"github.com/govshare/govshare/internal/textcode"
)

// CST is China Standard Time, UTC+8 with no daylight saving, as a fixed
// zone: every civil date in govshare is a CST date, and no time-zone
// database is consulted.
var CST = time.FixedZone("CST", cstOffset)

const (
	cstOffset     = 8 * 60 * 60
	secondsPerDay = 24 * 60 * 60
)

// dayNumber is the China civil day of t as days since 1970-01-01 (CST).
func dayNumber(t time.Time) int64 {
	s := t.Unix() + cstOffset
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d--
	}
	return d
}

// dayStart is 00:00 CST of day number n.
func dayStart(n int64) time.Time {
	return time.Unix(n*secondsPerDay-cstOffset, 0).In(CST)
}

// weekdayOf is the weekday of day number n (1970-01-01 was a Thursday).
func weekdayOf(n int64) time.Weekday {
	w := (n + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

func isWeekend(n int64) bool {
	w := weekdayOf(n)
	return w == time.Saturday || w == time.Sunday
}

func yearOf(n int64) int { return dayStart(n).Year() }

// Date returns 00:00 China Standard Time of the given civil day.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, CST)
}

// CivilDay returns 00:00 CST of the China civil day that contains t,
// whatever t's location: 2026-09-30T16:30Z is 2026-10-01 in China.
func CivilDay(t time.Time) time.Time { return dayStart(dayNumber(t)) }

// DayKind says why a day is or is not a working day.
type DayKind uint8

const (
	// Workday is 工作日: an ordinary Monday to Friday.
	Workday DayKind = iota + 1
	// Weekend is 周末: an ordinary Saturday or Sunday.
	Weekend
	// HolidayOff is 节假日: a day off in a holiday block of the official
	// schedule (or of a regional overlay), weekend days inside the block
	// included.
	HolidayOff
	// MakeupWorkday is 调休上班: a Saturday or Sunday the schedule declares a
	// working day.
	MakeupWorkday
)

var dayKinds = textcode.Table[DayKind]{
	{Value: Workday, Code: "workday", Zh: "工作日", En: "working day"},
	{Value: Weekend, Code: "weekend", Zh: "周末", En: "weekend"},
	{Value: HolidayOff, Code: "holiday", Zh: "节假日", En: "holiday"},
	{Value: MakeupWorkday, Code: "makeup_workday", Zh: "调休上班", En: "make-up working day"},
}

// String returns the Chinese term, e.g. 调休上班.
func (k DayKind) String() string { return textcode.String(dayKinds, "DayKind", k) }

// English returns the English term, e.g. "make-up working day".
func (k DayKind) English() string { return textcode.English(dayKinds, k) }

// MarshalText returns the stable code: workday, weekend, holiday or
// makeup_workday; the zero value marshals to the empty text.
func (k DayKind) MarshalText() ([]byte, error) { return textcode.Marshal(dayKinds, "day kind", k) }

// UnmarshalText accepts the stable code or the Chinese term.
func (k *DayKind) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(dayKinds, "day kind", text, k)
}

// Working reports whether a day of this kind is a working day.
func (k DayKind) Working() bool { return k == Workday || k == MakeupWorkday }

var weekdaysZh = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// WeekdayZh returns the Chinese name of a weekday, e.g. 星期二.
func WeekdayZh(w time.Weekday) string { return weekdaysZh[w%7] }
