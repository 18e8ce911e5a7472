package deadline

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update is the one golden-file flag of govshare's packages (docs/api.md):
// go test ./deadline -run Golden -update rewrites the files in testdata.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func at(y int, m time.Month, day, hh, mm int) time.Time {
	return time.Date(y, m, day, hh, mm, 0, 0, CST)
}

func TestNamedPeriods(t *testing.T) {
	assert.Equal(t, 1, ReplyUnconditional.Workdays)
	assert.Equal(t, "R10", ReplyUnconditional.Citation.Rule)
	assert.Equal(t, 10, ReplyConditional.Workdays)
	assert.Equal(t, "R11", ReplyConditional.Citation.Rule)
	assert.Equal(t, 10, MaxExtension.Workdays)
	assert.Equal(t, "R12", MaxExtension.Citation.Rule)
}

func TestDueOnRealDates(t *testing.T) {
	cob := ReplyConditional
	cob.CloseOfBusiness = 17*time.Hour + 30*time.Minute
	cut := ReplyUnconditional
	cut.Cutoff = 17 * time.Hour
	cutCond := ReplyConditional
	cutCond.Cutoff = 17 * time.Hour
	cases := []struct {
		name     string
		received time.Time
		p        Period
		lastDay  time.Time
		end      time.Time
	}{
		{"unconditional received the day before 国庆 2026", at(2026, 9, 30, 10, 0), ReplyUnconditional, d(2026, 10, 8), at(2026, 10, 9, 0, 0)},
		{"unconditional received on a working Saturday", at(2026, 10, 10, 9, 0), ReplyUnconditional, d(2026, 10, 12), at(2026, 10, 13, 0, 0)},
		{"unconditional received during the holiday", at(2026, 10, 3, 11, 0), ReplyUnconditional, d(2026, 10, 8), at(2026, 10, 9, 0, 0)},
		{"unconditional received on the last day of 2025", at(2025, 12, 31, 16, 0), ReplyUnconditional, d(2026, 1, 4), at(2026, 1, 5, 0, 0)},
		{"conditional across 国庆 2026", at(2026, 9, 29, 15, 0), ReplyConditional, d(2026, 10, 19), at(2026, 10, 20, 0, 0)},
		{"conditional across 春节 2026 and both working Saturdays", at(2026, 2, 12, 9, 0), ReplyConditional, d(2026, 3, 4), at(2026, 3, 5, 0, 0)}, // 02-13, 02-14, 02-24…28, 03-02…04
		{"received in UTC on what is already 10-01 in China", time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), ReplyUnconditional, d(2026, 10, 8), at(2026, 10, 9, 0, 0)},
		{"close of business 17:30", at(2026, 9, 29, 15, 0), cob, d(2026, 10, 19), at(2026, 10, 19, 17, 30)},
		{"after the 17:00 cut-off: received on the next working day", at(2026, 9, 30, 17, 30), cut, d(2026, 10, 9), at(2026, 10, 10, 0, 0)},
		{"before the cut-off: no shift", at(2026, 9, 30, 16, 59), cut, d(2026, 10, 8), at(2026, 10, 9, 0, 0)},
		{"conditional after the cut-off", at(2026, 9, 30, 17, 0), cutCond, d(2026, 10, 21), at(2026, 10, 22, 0, 0)},
		{"approved extension of 5 working days", at(2026, 9, 29, 15, 0), ReplyConditional.Extended(5), d(2026, 10, 26), at(2026, 10, 27, 0, 0)},
		{"maximum extension of 10", at(2026, 9, 29, 15, 0), ReplyConditional.Extended(MaxExtension.Workdays), d(2026, 11, 2), at(2026, 11, 3, 0, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			due, err := China().Due(c.received, c.p)
			require.NoError(t, err)
			assert.Equal(t, c.lastDay, due.LastDay, "last day %s", due.LastDay.Format("2006-01-02 Mon"))
			assert.True(t, c.end.Equal(due.At), "ends %s", due.At)
			assert.False(t, due.Provisional)
			assert.Equal(t, dayNumber(due.LastDay)-dayNumber(c.received)+1, int64(len(due.Trace)), "one trace line per day")
			counted := 0
			for _, td := range due.Trace {
				if td.Counted {
					counted++
					assert.Equal(t, counted, td.Ordinal)
					assert.True(t, td.Kind.Working())
				}
				assert.NotEmpty(t, td.Reason)
				assert.NotEmpty(t, td.ReasonEN)
			}
			assert.Equal(t, c.p.Workdays+c.p.Extension, counted)
		})
	}
}

func TestDueTraceReasons(t *testing.T) {
	due, err := China().Due(at(2026, 9, 29, 15, 0), ReplyConditional)
	require.NoError(t, err)
	byDay := map[string]TraceDay{}
	for _, td := range due.Trace {
		byDay[td.Day.Format("01-02")] = td
	}
	assert.Contains(t, byDay["09-29"].Reason, "收到之日，不计入")
	assert.Equal(t, "国庆节放假，不计入", byDay["10-03"].Reason)
	assert.Equal(t, "National Day holiday, not counted", byDay["10-03"].ReasonEN)
	assert.Equal(t, "调休上班日（国庆节），计第4个工作日", byDay["10-10"].Reason)
	assert.Equal(t, "周末休息日，不计入", byDay["10-11"].Reason)
	assert.Contains(t, byDay["10-19"].Reason, "期限最后一日")
	assert.Equal(t, d(2026, 10, 19), due.Original)
	assert.Equal(t, d(2026, 9, 29), due.Start)
}

func TestDueOverdueBoundary(t *testing.T) {
	due, err := China().Due(at(2026, 9, 29, 15, 0), ReplyConditional)
	require.NoError(t, err)
	assert.False(t, due.Overdue(time.Date(2026, 10, 19, 23, 59, 59, 999999999, CST)))
	assert.True(t, due.Overdue(at(2026, 10, 20, 0, 0)))
	assert.True(t, due.Overdue(time.Date(2026, 10, 19, 16, 0, 0, 0, time.UTC)), "16:00 UTC is 00:00 on 10-20 in China")
}

func TestDuePauses(t *testing.T) {
	p := ReplyConditional
	// Received Monday 2026-11-02; without a pause the 10th working day is 11-16.
	plain, err := China().Due(at(2026, 11, 2, 10, 0), p)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 11, 16), plain.LastDay)

	// The requester supplements materials from Wednesday 15:00 to Friday
	// 09:00: Wednesday and Thursday do not count, Friday does.
	p.Pauses = []Pause{{From: at(2026, 11, 4, 15, 0), To: at(2026, 11, 6, 9, 0), Reason: "补正材料"}}
	due, err := China().Due(at(2026, 11, 2, 10, 0), p)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 11, 18), due.LastDay)
	var paused []string
	for _, td := range due.Trace {
		if !td.Counted && td.Kind.Working() && td.Day.After(due.Start) {
			paused = append(paused, td.Day.Format("01-02"))
			assert.Contains(t, td.Reason, "暂停计时（补正材料）")
		}
	}
	assert.Equal(t, []string{"11-04", "11-05"}, paused)

	// A pause within one day stops nothing; a pause after the last day
	// changes nothing.
	p.Pauses = []Pause{{From: at(2026, 11, 4, 9, 0), To: at(2026, 11, 4, 11, 0)}, {From: at(2026, 12, 1, 9, 0), To: at(2026, 12, 3, 9, 0)}}
	due, err = China().Due(at(2026, 11, 2, 10, 0), p)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 11, 16), due.LastDay)
}

func TestDueRejectsBadPeriods(t *testing.T) {
	r := at(2026, 9, 29, 15, 0)
	bad := []struct {
		name  string
		p     Period
		field string
	}{
		{"no working days", Period{}, "Workdays"},
		{"negative extension", Period{Workdays: 1, Extension: -1}, "Extension"},
		{"close of business after midnight", Period{Workdays: 1, CloseOfBusiness: 25 * time.Hour}, "CloseOfBusiness"},
		{"negative cut-off", Period{Workdays: 1, Cutoff: -time.Minute}, "Cutoff"},
		{"cut-off of a whole day", Period{Workdays: 1, Cutoff: 24 * time.Hour}, "Cutoff"},
		{"pause ending before it starts", Period{Workdays: 1, Pauses: []Pause{{From: r.Add(time.Hour), To: r}}}, "Pauses[0]"},
		{"pause before the receipt", Period{Workdays: 1, Pauses: []Pause{{From: r.Add(-time.Hour), To: r.Add(time.Hour)}}}, "Pauses[0]"},
		{"absurd length", Period{Workdays: 1 << 30}, "Workdays"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := China().Due(r, b.p)
			require.ErrorIs(t, err, ErrInvalidPeriod)
			var pe *PeriodError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, b.field, pe.Field)
		})
	}
}

func TestDueUnknownYear(t *testing.T) {
	_, err := China().Due(at(2026, 12, 22, 10, 0), ReplyConditional)
	var uy *UnknownYearError
	require.True(t, errors.As(err, &uy))
	assert.Equal(t, 2027, uy.Year)
	_, err = China().Due(at(2027, 3, 1, 10, 0), ReplyUnconditional)
	assert.ErrorIs(t, err, ErrUnknownYear)

	due, err := mustNew(t, WithBase(China()), WithRegularWeekFallback()).Due(at(2026, 12, 22, 10, 0), ReplyConditional)
	require.NoError(t, err)
	assert.True(t, due.Provisional)
	assert.Equal(t, d(2027, 1, 5), due.LastDay, "regular week: 12-23…12-31 is 7 days, then 01-01, 01-04, 01-05")
	assert.Contains(t, due.Explain(), "暂定")
	assert.Contains(t, due.ExplainEN(), "provisional")
}

// The explanation printed by the quickstart, checked against a golden file
// (go test ./deadline -run Golden -update rewrites it).
func TestDueExplainGolden(t *testing.T) {
	p := ReplyConditional.Extended(3)
	due, err := China().Due(at(2026, 9, 29, 15, 0), p)
	require.NoError(t, err)
	got := due.Explain() + "\n" + due.ExplainEN()
	path := filepath.Join("testdata", "golden", "due-2026-09-29-conditional-extended.txt")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}

// End must give what Due gives, minus the trace, for every kind of period.
func TestEndAgreesWithDue(t *testing.T) {
	c := China()
	fb := mustNew(t, WithBase(c), WithRegularWeekFallback())
	periods := []Period{ReplyUnconditional, ReplyConditional, ReplyConditional.Extended(7),
		{Workdays: 3, Cutoff: 17 * time.Hour}, {Workdays: 5, CloseOfBusiness: 17*time.Hour + 30*time.Minute, Extension: 2}}
	for i := 0; i < 1500; i++ {
		received := time.Date(2007, 1, 1, 0, 0, 0, 0, CST).Add(time.Duration(i)*43*time.Hour + time.Duration(i%7)*time.Hour)
		for _, p := range periods {
			for _, cal := range []*Calendar{c, fb} {
				want, errDue := cal.Due(received, p)
				got, errEnd := cal.End(received, p)
				if errDue != nil || errEnd != nil {
					require.Equal(t, errDue, errEnd, "%s %+v", received, p)
					continue
				}
				want.Trace = nil
				require.Equal(t, want, got, "%s %+v", received, p)
			}
		}
	}
	// With pauses End is Due without its trace.
	p := ReplyConditional
	p.Pauses = []Pause{{From: at(2026, 11, 4, 15, 0), To: at(2026, 11, 6, 9, 0)}}
	got, err := c.End(at(2026, 11, 2, 10, 0), p)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 11, 18), got.LastDay)
	assert.Nil(t, got.Trace)
	_, err = c.End(at(2026, 11, 2, 10, 0), Period{})
	assert.ErrorIs(t, err, ErrInvalidPeriod)
}

// Issue 12: everything computed through the regular-week fallback says it
// is provisional — the flag, every day of the trace taken from the regular
// week, the last day and the end in both explanations. 2027-01-01 is 元旦,
// but no 2027 notice is loaded: the fallback takes it for an ordinary
// Friday, a provisional working day.
func TestProvisionalIsMarked(t *testing.T) {
	fb := mustNew(t, WithBase(China()), WithRegularWeekFallback())

	w, err := fb.IsWorkday(d(2027, 1, 1))
	assert.True(t, w)
	var pe *ProvisionalError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, []int{2027}, pe.Years)
	assert.Contains(t, govshare.MessageOf(err).Zh, "暂定结果：2027年尚无官方放假安排")
	info, err := fb.Describe(d(2027, 1, 1))
	require.ErrorIs(t, err, ErrProvisional)
	assert.Equal(t, DayInfo{Day: d(2027, 1, 1), Kind: Workday, Provisional: true}, info)

	due, err := fb.Due(at(2026, 12, 31, 10, 0), ReplyUnconditional)
	require.NoError(t, err, "a provisional Due is an answer, flagged, not an error")
	assert.True(t, due.Provisional)
	assert.Equal(t, d(2027, 1, 1), due.LastDay)
	require.Len(t, due.Trace, 2)
	assert.False(t, due.Trace[0].Provisional, "2026-12-31 is official")
	assert.NotContains(t, due.Trace[0].Reason, "暂定")
	assert.True(t, due.Trace[1].Provisional)
	assert.Equal(t, "工作日，计第1个工作日（暂定：2027年尚无官方放假安排，按常规周计算）；期限最后一日", due.Trace[1].Reason)
	assert.Equal(t, "working day, counts as day 1 (provisional: no official schedule for 2027 yet; regular week assumed); last day of the period", due.Trace[1].ReasonEN)
	zh, en := due.Explain(), due.ExplainEN()
	assert.Contains(t, zh, "最后一日：2027年1月1日（星期五）（暂定）")
	assert.Contains(t, zh, "届满时刻：2027年1月1日（星期五） 24:00（北京时间）（暂定）")
	assert.Contains(t, zh, "注意：2027年尚无官方放假安排，按常规周一至周五计算，结果为暂定")
	assert.Contains(t, en, "Last day: Fri 2027-01-01 (provisional)")
	assert.Contains(t, en, "Ends: 2027-01-01 24:00 China Standard Time (provisional)")
	assert.Contains(t, en, "there is no official schedule for 2027 yet")
	js, err := json.Marshal(due)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"provisional":true`)

	// End says the same without a trace; its explanation cannot name the year.
	end, err := fb.End(at(2026, 12, 31, 10, 0), ReplyUnconditional)
	require.NoError(t, err)
	assert.True(t, end.Provisional)
	assert.Equal(t, due.LastDay, end.LastDay)
	assert.Contains(t, end.Explain(), "注意：部分日期所在年份尚无官方放假安排")
	assert.Contains(t, end.ExplainEN(), "some days fall in a year without an official schedule")

	// Received on the provisional day itself, and after a cut-off: the day
	// of receipt and the weekend skipped say so too.
	cut := ReplyUnconditional
	cut.Cutoff = 17 * time.Hour
	due, err = fb.Due(at(2027, 1, 1, 18, 0), cut)
	require.NoError(t, err)
	assert.Equal(t, d(2027, 1, 4), due.Start)
	assert.Equal(t, d(2027, 1, 5), due.LastDay)
	require.Len(t, due.Trace, 5)
	for _, td := range due.Trace {
		assert.True(t, td.Provisional, td.Day)
		assert.Contains(t, td.Reason, "暂定：2027年", td.Day)
		assert.Contains(t, td.ReasonEN, "provisional", td.Day)
	}

	// A period reaching through 2027 into 2028 names both years.
	long := Period{Workdays: 300, Citation: govshare.Rule("R11")}
	due, err = fb.Due(at(2026, 12, 1, 9, 0), long)
	require.NoError(t, err)
	assert.Contains(t, due.Explain(), "注意：2027、2028年尚无官方放假安排")
	assert.Contains(t, due.ExplainEN(), "no official schedule for 2027, 2028 yet")

	// Once the 2027 notice is loaded (here the test fixture, 元旦 01-01 to
	// 01-03 off), the same receipt has an official answer, with no mark.
	official := mustNew(t, WithBase(fb), WithSchedules(load(t, fixture2027)))
	due, err = official.Due(at(2026, 12, 31, 10, 0), ReplyUnconditional)
	require.NoError(t, err)
	assert.False(t, due.Provisional)
	assert.Equal(t, d(2027, 1, 4), due.LastDay)
	assert.NotContains(t, due.Explain(), "暂定")
	assert.NotContains(t, due.ExplainEN(), "provisional")
	info, err = official.Describe(d(2027, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, HolidayOff, info.Kind)
	assert.Equal(t, "元旦", info.Holiday)
}
