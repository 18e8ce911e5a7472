package deadline

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) time.Time { return Date(y, m, day) }

func TestChinaYears(t *testing.T) {
	first, last := China().Years()
	assert.Equal(t, 2007, first)
	assert.Equal(t, 2026, last)
}

// Days from the State Council notices, including the ones other libraries
// get wrong: 调休 weekends, the 2013 make-up days lunar-go misses, the 2015
// anniversary, the 2020 extension.
func TestIsWorkdayOfficialDays(t *testing.T) {
	cases := []struct {
		name string
		day  time.Time
		work bool
	}{
		{"2026 国庆节 first day", d(2026, 10, 1), false},
		{"2026 国庆节 Monday inside the block", d(2026, 10, 5), false},
		{"2026 国庆节 last day", d(2026, 10, 7), false},
		{"2026-09-20 Sunday 调休上班 for 国庆节", d(2026, 9, 20), true},
		{"2026-10-10 Saturday 调休上班 for 国庆节", d(2026, 10, 10), true},
		{"2026 中秋节 Friday", d(2026, 9, 25), false},
		{"2026-02-14 Saturday 调休上班 for 春节", d(2026, 2, 14), true},
		{"2026 春节 Monday 02-23", d(2026, 2, 23), false},
		{"2026-02-28 Saturday 调休上班 for 春节", d(2026, 2, 28), true},
		{"2026-01-04 Sunday 调休上班 for 元旦", d(2026, 1, 4), true},
		{"2025-12-31 ordinary Wednesday", d(2025, 12, 31), true},
		{"2013-04-07 Sunday 调休上班 (清明)", d(2013, 4, 7), true},
		{"2013-10-12 Saturday 调休上班 (国庆)", d(2013, 10, 12), true},
		{"2015-09-03 抗战胜利70周年纪念日", d(2015, 9, 3), false},
		{"2015-09-04 Friday after the anniversary", d(2015, 9, 4), false},
		{"2015-09-06 Sunday worked for the anniversary", d(2015, 9, 6), true},
		{"2020-01-31 Friday, Spring Festival extended", d(2020, 1, 31), false},
		{"2020-02-01 Saturday, no longer a working day after the extension", d(2020, 2, 1), false},
		{"2020-01-19 Sunday worked for 春节", d(2020, 1, 19), true},
		{"2020-02-03 Monday, back to work", d(2020, 2, 3), true},
		{"2019-05-03 Friday, May Day adjusted by 国办发明电〔2019〕3号", d(2019, 5, 3), false},
		{"2019-05-05 Sunday worked after the adjustment", d(2019, 5, 5), true},
		{"2007-12-29 Saturday worked for the 2008 New Year", d(2007, 12, 29), true},
		{"2007-12-31 Monday off for the 2008 New Year", d(2007, 12, 31), false},
		{"2007-01-02 Tuesday off for the 2007 New Year", d(2007, 1, 2), false},
		{"ordinary Saturday", d(2026, 11, 28), false},
		{"ordinary Thursday", d(2026, 11, 26), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := China().IsWorkday(c.day)
			require.NoError(t, err)
			assert.Equal(t, c.work, got)
		})
	}
}

func TestAddWorkdaysOfficialDays(t *testing.T) {
	cases := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"across 国庆 2026: 09-30 + 1", d(2026, 9, 30), 1, d(2026, 10, 8)},
		{"conditional reply from 09-29, across 国庆 and the 10-10 Saturday", d(2026, 9, 29), 10, d(2026, 10, 19)},
		{"Friday before 春节 2026 lands on the working Saturday", d(2026, 2, 13), 1, d(2026, 2, 14)},
		{"working Saturday 02-14 + 1 skips the whole 春节 block", d(2026, 2, 14), 1, d(2026, 2, 24)},
		{"2025→2026 New Year lands on the working Sunday", d(2025, 12, 31), 1, d(2026, 1, 4)},
		{"2025-12-30 + 2 across New Year", d(2025, 12, 30), 2, d(2026, 1, 4)},
		{"from a holiday counts from the next working day", d(2026, 10, 3), 1, d(2026, 10, 8)},
		{"2020 extension pushes past 02-02", d(2020, 1, 23), 1, d(2020, 2, 3)},
		{"2013-04-03 + 1 is the working Sunday 04-07", d(2013, 4, 3), 1, d(2013, 4, 7)},
		{"n = 0 is the day itself", d(2026, 10, 3), 0, d(2026, 10, 3)},
		{"backwards: 1 working day before 10-08 is 09-30", d(2026, 10, 8), -1, d(2026, 9, 30)},
		{"backwards from a holiday", d(2026, 10, 4), -1, d(2026, 9, 30)},
		{"backwards 2 from 10-12 passes the working Saturday", d(2026, 10, 12), -2, d(2026, 10, 9)},
		{"250 working days (checked against holiday-cn by counting)", d(2025, 1, 2), 250, d(2026, 1, 6)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := China().AddWorkdays(c.from, c.n)
			require.NoError(t, err)
			assert.Equal(t, c.want, got, "got %s", got.Format("2006-01-02 Mon"))
			assert.Equal(t, CST, got.Location())
		})
	}
}

// The 250-working-day case above is checked here by counting day by day.
func TestAddWorkdaysAgreesWithCounting(t *testing.T) {
	c := China()
	for _, from := range []time.Time{d(2025, 1, 2), d(2007, 1, 1), d(2020, 1, 20), d(2026, 2, 13)} {
		for _, n := range []int{1, 2, 5, 10, 20, 250} {
			got, err := c.AddWorkdays(from, n)
			if errors.Is(err, ErrUnknownYear) {
				continue
			}
			require.NoError(t, err)
			count := 0
			day := from
			for count < n {
				day = day.AddDate(0, 0, 1)
				w, err := c.IsWorkday(day)
				require.NoError(t, err)
				if w {
					count++
				}
			}
			assert.Equal(t, day, got, "from %s n=%d", from.Format("2006-01-02"), n)
			between, err := c.WorkdaysBetween(from, got)
			require.NoError(t, err)
			assert.Equal(t, n, between)
		}
	}
}

func TestChinaCivilDayFromAnyZone(t *testing.T) {
	c := China()
	// 16:30 UTC on 30 September is 00:30 on 1 October in China: a holiday.
	utc := time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)
	w, err := c.IsWorkday(utc)
	require.NoError(t, err)
	assert.False(t, w)
	name, ok := c.Holiday(utc)
	assert.True(t, ok)
	assert.Equal(t, "国庆节", name)

	// 15:59 UTC is still 23:59 on 30 September in China: a working day.
	w, err = c.IsWorkday(time.Date(2026, 9, 30, 15, 59, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.True(t, w)

	// A zone far west: 2026-09-30 10:00 in UTC-10 is 2026-10-01 04:00 in China.
	hst := time.FixedZone("HST", -10*3600)
	got, err := c.AddWorkdays(time.Date(2026, 9, 30, 10, 0, 0, 0, hst), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 10, 8), got)

	assert.Equal(t, d(2026, 10, 1), CivilDay(utc))
}

func TestUnknownYears(t *testing.T) {
	c := China()
	check := func(t *testing.T, err error, year int) {
		t.Helper()
		require.ErrorIs(t, err, ErrUnknownYear)
		var uy *UnknownYearError
		require.True(t, errors.As(err, &uy))
		assert.Equal(t, year, uy.Year)
		assert.Equal(t, 2007, uy.First)
		assert.Equal(t, 2026, uy.Last)
		assert.Contains(t, err.Error(), "2007–2026")
	}
	_, err := c.IsWorkday(d(2027, 1, 4))
	check(t, err, 2027)
	_, err = c.IsWorkday(d(2006, 12, 31))
	check(t, err, 2006)
	_, err = c.AddWorkdays(d(2026, 12, 31), 1)
	check(t, err, 2027)
	_, err = c.AddWorkdays(d(2026, 12, 20), 10)
	check(t, err, 2027)
	_, err = c.AddWorkdays(d(2007, 1, 4), -5)
	check(t, err, 2006)
	_, err = c.AddWorkdays(d(2003, 6, 1), 1)
	check(t, err, 2003)
	_, err = c.WorkdaysBetween(d(2026, 12, 1), d(2027, 1, 10))
	check(t, err, 2027)
	_, err = c.Describe(d(2030, 5, 1))
	check(t, err, 2030)
	_, ok := c.Holiday(d(2027, 1, 1))
	assert.False(t, ok)

	// The last covered day still answers.
	got, err := c.AddWorkdays(d(2026, 12, 30), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 12, 31), got)
}

func TestRegularWeekFallbackIsProvisional(t *testing.T) {
	c := mustNew(t, WithBase(China()), WithRegularWeekFallback())
	w, err := c.IsWorkday(d(2027, 1, 1)) // a Friday; no official 2027 schedule
	require.ErrorIs(t, err, ErrProvisional)
	var pe *ProvisionalError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, []int{2027}, pe.Years)
	assert.True(t, w, "regular week: Friday is a working day")

	got, err := c.AddWorkdays(d(2026, 12, 31), 1)
	require.ErrorIs(t, err, ErrProvisional)
	assert.Equal(t, d(2027, 1, 1), got)

	// Back into 2006: 2007-01-01…03 are official holidays; 2006 is taken as
	// a regular week, so Fri 12-29, Thu 12-28, Wed 12-27.
	got, err = c.AddWorkdays(d(2007, 1, 4), -3)
	require.ErrorIs(t, err, ErrProvisional)
	assert.Equal(t, d(2006, 12, 27), got)

	n, err := c.WorkdaysBetween(d(2026, 12, 30), d(2027, 1, 8))
	require.ErrorIs(t, err, ErrProvisional)
	assert.Equal(t, 7, n) // 12-31 and 01-01, 01-04…01-08

	// Inside the covered years the fallback calendar answers officially.
	got, err = c.AddWorkdays(d(2026, 9, 30), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 10, 8), got)

	info, err := c.Describe(d(2027, 1, 2))
	require.ErrorIs(t, err, ErrProvisional)
	assert.True(t, info.Provisional)
	assert.Equal(t, Weekend, info.Kind)

	// The strict calendar is unchanged.
	_, err = China().IsWorkday(d(2027, 1, 1))
	assert.ErrorIs(t, err, ErrUnknownYear)

	_, err = c.AddWorkdays(d(2027, 1, 1), maxSpan+1)
	assert.ErrorIs(t, err, ErrInvalidPeriod)
}

func TestWorkdaysBetween(t *testing.T) {
	c := China()
	cases := []struct {
		a, b time.Time
		want int
	}{
		{d(2026, 9, 29), d(2026, 10, 19), 10},
		{d(2026, 9, 30), d(2026, 10, 7), 0},
		{d(2026, 9, 30), d(2026, 10, 8), 1},
		{d(2026, 10, 19), d(2026, 9, 29), -10},
		{d(2026, 10, 3), d(2026, 10, 3), 0},
		{d(2025, 12, 31), d(2026, 1, 4), 1},
	}
	for _, cs := range cases {
		got, err := c.WorkdaysBetween(cs.a, cs.b)
		require.NoError(t, err)
		assert.Equal(t, cs.want, got, "%s → %s", cs.a.Format("2006-01-02"), cs.b.Format("2006-01-02"))
	}
}

func TestHolidayAndDescribe(t *testing.T) {
	c := China()
	name, ok := c.Holiday(d(2026, 2, 17))
	require.True(t, ok)
	assert.Equal(t, "春节", name)
	_, ok = c.Holiday(d(2026, 2, 14)) // a working Saturday is not a holiday
	assert.False(t, ok)
	_, ok = c.Holiday(d(2026, 3, 3))
	assert.False(t, ok)

	info, err := c.Describe(d(2026, 10, 10))
	require.NoError(t, err)
	assert.Equal(t, MakeupWorkday, info.Kind)
	assert.Equal(t, "国庆节", info.Holiday)
	require.NotEmpty(t, info.Notices)
	assert.Equal(t, "国办发明电〔2025〕7号", info.Notices[0].Number)
	assert.Contains(t, info.Notices[0].URL, "gov.cn")

	info, err = c.Describe(d(2020, 1, 31))
	require.NoError(t, err)
	assert.Equal(t, HolidayOff, info.Kind)
	var refs []string
	for _, n := range info.Notices {
		refs = append(refs, n.Number)
	}
	assert.Contains(t, refs, "国办发明电〔2020〕1号")

	info, err = c.Describe(d(2026, 11, 28))
	require.NoError(t, err)
	assert.Equal(t, Weekend, info.Kind)
	assert.Empty(t, info.Notices)
}

func TestEveryYearCitesItsNotice(t *testing.T) {
	c := China()
	byYear := map[int]bool{}
	for _, s := range c.national {
		require.NotEmpty(t, s.Notices, "%d", s.Year)
		for _, n := range s.Notices {
			assert.NotEmpty(t, n.Number, "%d", s.Year)
			assert.NotEmpty(t, n.Title, "%d", s.Year)
			assert.Regexp(t, `^https?://www\.gov\.cn/`, n.URL, "%d", s.Year)
			_, err := time.Parse("2006-01-02", n.Issued)
			assert.NoError(t, err, "%d issued date", s.Year)
		}
		byYear[s.Year] = true
	}
	for y := 2007; y <= 2026; y++ {
		assert.True(t, byYear[y], "no schedule for %d", y)
	}
	assert.GreaterOrEqual(t, len(c.Notices()), 23)
}

// The calendar is built on rickar/cal/v2: its BusinessCalendar, with every
// day off as a named holiday and the 调休 weekends through WorkdayFunc, must
// agree with the index on every day of every covered year.
func TestBusinessCalendarAgrees(t *testing.T) {
	c := China()
	bc := c.Business()
	for n := c.base; n < c.base+int64(len(c.days)); n++ {
		day := dayStart(n)
		want, err := c.IsWorkday(day)
		require.NoError(t, err)
		if got := bc.IsWorkday(day); got != want {
			t.Fatalf("%s: rickar/cal says %v, index says %v", day.Format("2006-01-02"), got, want)
		}
	}
	_, _, h := bc.IsHoliday(time.Date(2026, 10, 2, 12, 0, 0, 0, CST))
	require.NotNil(t, h)
	assert.Equal(t, "国庆节", h.Name)
}

func TestConcurrentReaders(t *testing.T) {
	c := China()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			from := d(2007+g%19, time.Month(1+g%12), 1+g%28)
			for i := 0; i < 2000; i++ {
				got, err := c.AddWorkdays(from, 1+i%30)
				if err != nil {
					errs <- err
					return
				}
				back, err := c.WorkdaysBetween(from, got)
				if err != nil || back != 1+i%30 {
					errs <- errors.New("inconsistent answer under concurrency")
					return
				}
				if _, err := c.IsWorkday(got); err != nil {
					errs <- err
					return
				}
				c.Holiday(got)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCivilDayHelpers(t *testing.T) {
	assert.Equal(t, "星期二", WeekdayZh(time.Tuesday))
	assert.Equal(t, time.Thursday, weekdayOf(0))
	assert.Equal(t, time.Wednesday, weekdayOf(-1))
	// Before 1970 the day arithmetic floors correctly.
	assert.Equal(t, Date(1969, 12, 31), CivilDay(time.Date(1969, 12, 31, 15, 0, 0, 0, time.UTC)))
	assert.Equal(t, Date(1970, 1, 1), CivilDay(time.Date(1969, 12, 31, 16, 0, 0, 0, time.UTC)))
	for _, k := range []DayKind{Workday, Weekend, HolidayOff, MakeupWorkday} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back DayKind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back)
		require.NoError(t, back.UnmarshalText([]byte(k.String())))
		assert.Equal(t, k, back)
	}
	var k DayKind
	assert.ErrorIs(t, k.UnmarshalText([]byte("holiday-ish")), govshare.ErrUnknownValue)
	b, err := DayKind(0).MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b, "the zero value is not stated")
	_, err = DayKind(9).MarshalText()
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
}

// instantErr asserts that err is a *govshare.InstantError for field.
func instantErr(t *testing.T, err error, field string) *govshare.InstantError {
	t.Helper()
	require.ErrorIs(t, err, govshare.ErrInstant)
	require.ErrorIs(t, err, govshare.ErrInvalid)
	var ie *govshare.InstantError
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Equal(t, field, ie.Field)
	assert.Equal(t, 422, govshare.HTTPStatus(err))
	return ie
}

// Instants outside 2000–2199 (govshare.MinInstant, MaxInstant) are refused
// with a typed error by every method, before any arithmetic on them, and
// so is an answer that would fall outside them.
func TestInstantsOutOfRange(t *testing.T) {
	c := China()
	fb := mustNew(t, WithBase(c), WithRegularWeekFallback())
	justBefore := govshare.MinInstant.Add(-time.Nanosecond)
	extremes := map[string]time.Time{
		"zero time":          {},
		"1999-12-31 23:59":   justBefore,
		"2200-01-01 00:00":   govshare.MaxInstant,
		"year 292277026596":  time.Unix(1<<63-1-62135596800, 999999999),
		"year -292277022657": time.Unix(-1<<63, 0),
		"year 1":             time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for name, tm := range extremes {
		t.Run(name, func(t *testing.T) {
			for _, cal := range []*Calendar{c, fb} {
				_, err := cal.IsWorkday(tm)
				instantErr(t, err, "day")
				_, err = cal.Describe(tm)
				instantErr(t, err, "day")
				_, ok := cal.Holiday(tm)
				assert.False(t, ok)
				for _, n := range []int{-1, 0, 1, 10, math.MaxInt, math.MinInt} {
					_, err = cal.AddWorkdays(tm, n)
					instantErr(t, err, "from")
				}
				_, err = cal.WorkdaysBetween(d(2026, 1, 5), tm)
				instantErr(t, err, "b")
				_, err = cal.WorkdaysBetween(tm, d(2026, 1, 5))
				instantErr(t, err, "a")
				_, err = cal.Due(tm, ReplyConditional)
				instantErr(t, err, "received")
				_, err = cal.End(tm, ReplyConditional)
				instantErr(t, err, "received")
				p := ReplyConditional
				p.Pauses = []Pause{{From: at(2026, 3, 2, 9, 0), To: tm}}
				_, err = cal.Due(at(2026, 3, 2, 8, 0), p)
				instantErr(t, err, "Pauses[0].To")
				_, err = cal.End(at(2026, 3, 2, 8, 0), p)
				instantErr(t, err, "Pauses[0].To")
			}
		})
	}

	// The first and last supported instants are questions like any other.
	_, err := c.IsWorkday(govshare.MinInstant)
	assert.ErrorIs(t, err, ErrUnknownYear)
	_, err = c.IsWorkday(govshare.MaxInstant.Add(-time.Nanosecond))
	assert.ErrorIs(t, err, ErrUnknownYear)
	w, err := fb.IsWorkday(d(2199, 12, 31)) // a Tuesday
	assert.ErrorIs(t, err, ErrProvisional)
	assert.True(t, w)

	// Working-day counts that would overflow are invalid periods, on the
	// fast path and the slow one alike.
	for _, n := range []int{math.MaxInt, math.MinInt, maxSpan + 1, -maxSpan - 1} {
		for _, cal := range []*Calendar{c, fb} {
			_, err := cal.AddWorkdays(d(2026, 3, 2), n)
			assert.ErrorIs(t, err, ErrInvalidPeriod, "n=%d", n)
		}
	}
	for _, p := range []Period{{Workdays: math.MaxInt, Extension: math.MaxInt}, {Workdays: 1, Extension: math.MaxInt}, {Workdays: maxSpan, Extension: 1}} {
		_, err := c.Due(at(2026, 3, 2, 9, 0), p)
		require.ErrorIs(t, err, ErrInvalidPeriod, "%+v", p)
		_, err = c.End(at(2026, 3, 2, 9, 0), p)
		require.ErrorIs(t, err, ErrInvalidPeriod, "%+v", p)
	}

	// With the fallback, arithmetic that would leave 2000–2199 stops with
	// the first day beyond.
	_, err = fb.AddWorkdays(d(2199, 12, 31), 1)
	assert.True(t, instantErr(t, err, "computed day").At.Equal(govshare.MaxInstant))
	_, err = fb.AddWorkdays(d(2000, 1, 3), -2)
	assert.True(t, instantErr(t, err, "computed day").At.Equal(d(1999, 12, 31)))
	_, err = fb.Due(at(2199, 12, 30, 9, 0), ReplyConditional)
	instantErr(t, err, "computed day")
	_, err = fb.End(at(2199, 12, 30, 9, 0), ReplyConditional)
	instantErr(t, err, "computed day")

	// A calendar whose official years reach 2199 answers up to its last
	// day; beyond it there will never be a schedule, so the answer is an
	// instant error, not a pending year 2200.
	var later []*Schedule
	for y := 2027; y <= 2199; y++ {
		later = append(later, load(t, minimalSchedule(y)))
	}
	full := mustNew(t, WithBase(c), WithSchedules(later...))
	got, err := full.AddWorkdays(d(2199, 12, 30), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2199, 12, 31), got)
	_, err = full.AddWorkdays(d(2199, 12, 31), 1)
	instantErr(t, err, "computed day")
	_, err = full.Due(at(2199, 12, 24, 9, 0), ReplyConditional)
	instantErr(t, err, "computed day")
	_, err = full.End(at(2199, 12, 24, 9, 0), ReplyConditional)
	instantErr(t, err, "computed day")
	early := mustNew(t, WithSchedules(load(t, minimalSchedule(2000))))
	_, err = early.AddWorkdays(d(2000, 1, 4), -3)
	instantErr(t, err, "computed day")
	_, err = early.WorkdaysBetween(d(2000, 1, 4), d(2001, 1, 1))
	assert.ErrorIs(t, err, ErrUnknownYear)
}

// The days of an extension are marked in the trace: a 10-working-day
// period received Tuesday 2025-09-30 with 3 more days ends on 2025-10-24;
// counted days 11–13 (22, 23 and 24 October) are the extension's.
func TestTraceMarksExtensionDays(t *testing.T) {
	d, err := China().Due(at(2025, 9, 30, 15, 0), Period{Workdays: 10, Extension: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.LastDay.Format("2006-01-02"); got != "2025-10-24" {
		t.Fatalf("last day %s, want 2025-10-24", got)
	}
	var ext []string
	for _, day := range d.Trace {
		if day.Extension {
			if !day.Counted || day.Ordinal <= 10 {
				t.Errorf("%s marked as an extension day with ordinal %d", day.Day.Format("2006-01-02"), day.Ordinal)
			}
			ext = append(ext, day.Day.Format("2006-01-02"))
		} else if day.Ordinal > 10 {
			t.Errorf("counted day %d (%s) of the extension not marked", day.Ordinal, day.Day.Format("2006-01-02"))
		}
	}
	if want := []string{"2025-10-22", "2025-10-23", "2025-10-24"}; !slices.Equal(ext, want) {
		t.Errorf("extension days %v, want %v", ext, want)
	}
}
