package deadline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture2027 is a TEST FIXTURE in the project format, not an official
// schedule: no 2027 notice exists in the reference data. It stands for the
// file a host would load once the State Council publishes one, and has
// every festival the statute requires for 2027 (dates of the 2027 lunar
// festivals, made-up arrangements).
const fixture2027 = `{
  "format": "govshare.schedule/1",
  "year": 2027,
  "notices": [{"number": "测试〔2026〕1号", "title": "测试用放假安排（非官方）", "issued": "2026-11-01", "url": "https://example.invalid/2027"}],
  "holidays": [
    {"name": "元旦", "name_en": "New Year's Day", "notices": ["测试〔2026〕1号"], "off": ["2027-01-01..2027-01-03"], "work": []},
    {"name": "春节", "name_en": "Spring Festival", "notices": ["测试〔2026〕1号"], "off": ["2027-02-06..2027-02-14"], "work": ["2027-02-20"]},
    {"name": "清明节", "name_en": "Qingming Festival", "notices": ["测试〔2026〕1号"], "off": ["2027-04-03..2027-04-05"]},
    {"name": "劳动节", "name_en": "Labour Day", "notices": ["测试〔2026〕1号"], "off": ["2027-05-01..2027-05-05"], "work": ["2027-04-25", "2027-05-08"]},
    {"name": "端午节", "name_en": "Dragon Boat Festival", "notices": ["测试〔2026〕1号"], "off": ["2027-06-09"]},
    {"name": "中秋节", "name_en": "Mid-Autumn Festival", "notices": ["测试〔2026〕1号"], "off": ["2027-09-15"]},
    {"name": "国庆节", "name_en": "National Day", "notices": ["测试〔2026〕1号"], "off": ["2027-10-01..2027-10-07"], "work": ["2027-09-26", "2027-10-09"]}
  ]
}`

// holidayCN2027 is the same TEST FIXTURE in the holiday-cn format, the
// blocks listed as holiday-cn lists them (some weekend days left out).
const holidayCN2027 = `{"year": 2027, "papers": ["https://example.invalid/notice"], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": true},
	{"name": "春节", "date": "2027-02-08", "isOffDay": true},
	{"name": "春节", "date": "2027-02-09", "isOffDay": true},
	{"name": "春节", "date": "2027-02-20", "isOffDay": false},
	{"name": "清明节", "date": "2027-04-05", "isOffDay": true},
	{"name": "劳动节", "date": "2027-05-03", "isOffDay": true},
	{"name": "劳动节", "date": "2027-05-04", "isOffDay": true},
	{"name": "端午节", "date": "2027-06-09", "isOffDay": true},
	{"name": "中秋节、国庆节", "date": "2027-09-15", "isOffDay": true},
	{"name": "中秋节、国庆节", "date": "2027-10-01", "isOffDay": true},
	{"name": "中秋节、国庆节", "date": "2027-10-04", "isOffDay": true},
	{"name": "中秋节、国庆节", "date": "2027-10-05", "isOffDay": true}]}`

// minimalSchedule is a TEST FIXTURE for any year: each festival of the
// statute in force that year (Festivals) on a made-up date, with exactly
// its statutory days off, and no 调休上班 day.
func minimalSchedule(year int) string {
	starts := map[string]time.Month{"元旦": 1, "春节": 2, "清明节": 4, "劳动节": 5, "端午节": 6, "中秋节": 9, "国庆节": 10}
	var blocks []string
	for _, f := range Festivals(year) {
		first := Date(year, starts[f.Name], 1)
		if f.Name == "春节" {
			first = first.AddDate(0, 0, 9)
		}
		last := first.AddDate(0, 0, f.Days-1)
		blocks = append(blocks, fmt.Sprintf(`{"name": %q, "name_en": %q, "notices": ["测试"], "off": ["%s..%s"]}`,
			f.Name, f.NameEN, first.Format("2006-01-02"), last.Format("2006-01-02")))
	}
	return fmt.Sprintf(`{"format": "govshare.schedule/1", "year": %d,
  "notices": [{"number": "测试", "title": "测试用（非官方）", "issued": "", "url": "https://example.invalid/%d"}],
  "holidays": [%s]}`, year, year, strings.Join(blocks, ",\n"))
}

func load(t *testing.T, js string) *Schedule {
	t.Helper()
	s, err := LoadSchedule(strings.NewReader(js))
	require.NoError(t, err)
	return s
}

func TestLoadSchedule(t *testing.T) {
	s := load(t, fixture2027)
	assert.Equal(t, 2027, s.Year)
	require.Len(t, s.Holidays, 7)
	assert.Len(t, s.Holidays[1].Off, 9)
	assert.Equal(t, d(2027, 2, 6), s.Holidays[1].Off[0])
	assert.Equal(t, d(2027, 2, 20), s.Holidays[1].Work[0])
	assert.Equal(t, "测试〔2026〕1号", s.Notices[0].Ref())
}

func TestLoadScheduleRejects(t *testing.T) {
	base := func(holidays string) string {
		return `{"format":"govshare.schedule/1","year":2027,"notices":[{"number":"N1","title":"t","issued":"2026-11-01","url":"u"}],"holidays":[` + holidays + `]}`
	}
	h := func(off, work string) string {
		return `{"name":"春节","name_en":"x","notices":["N1"],"off":[` + off + `],"work":[` + work + `]}`
	}
	cases := []struct {
		name  string
		input string
		kind  error
		say   string
	}{
		{"not JSON", `{"format": `, ErrMalformed, "unexpected EOF"},
		{"not an object", `[1,2]`, ErrMalformed, "cannot unmarshal"},
		{"unknown field", strings.Replace(fixture2027, `"year"`, `"yaer": 1, "year"`, 1), ErrMalformed, "unknown field"},
		{"wrong format tag", strings.Replace(fixture2027, "govshare.schedule/1", "holiday-cn", 1), ErrMalformed, "format"},
		{"trailing data", fixture2027 + `{}`, ErrMalformed, "trailing"},
		{"impossible date", base(h(`"2027-02-30"`, ``)), ErrMalformed, "2027-02-30"},
		{"not a date", base(h(`"next Tuesday"`, ``)), ErrMalformed, "next Tuesday"},
		{"reversed range", base(h(`"2027-02-10..2027-02-06"`, ``)), ErrMalformed, "range ends before"},
		{"date far outside the year", base(h(`"2025-10-01"`, ``)), ErrOutOfYear, "2025-10-01"},
		{"date in the next year beyond January", base(h(`"2028-02-01"`, ``)), ErrOutOfYear, "2028-02-01"},
		{"same day twice", base(h(`"2027-02-06..2027-02-08", "2027-02-08"`, ``)), ErrDuplicateDay, "2027-02-08"},
		{"day both off and working", base(h(`"2027-02-06"`, `"2027-02-06"`)), ErrContradiction, "both a day off and a working day"},
		{"working day on a weekday", base(h(`"2027-02-06"`, `"2027-02-08"`)), ErrContradiction, "not a Saturday or Sunday"},
		{"days across two blocks twice", base(h(`"2027-02-06"`, ``) + "," + strings.Replace(h(`"2027-02-06"`, ``), "春节", "元宵", 1)), ErrDuplicateDay, "2027-02-06"},
		{"no notice", `{"format":"govshare.schedule/1","year":2027,"notices":[],"holidays":[` + h(`"2027-02-06"`, ``) + `]}`, ErrNoSource, "notice"},
		{"no notices and no days", `{"format":"govshare.schedule/1","year":2027,"notices":[],"holidays":[]}`, ErrUnannounced, "no notices and no days"},
		{"block cites an unknown notice", base(strings.Replace(h(`"2027-02-06"`, ``), `["N1"]`, `["N2"]`, 1)), ErrNoSource, "N2"},
		{"block without a name", base(strings.Replace(h(`"2027-02-06"`, ``), `"春节"`, `""`, 1)), ErrMalformed, "name"},
		{"block without days", base(h(``, ``)), ErrMalformed, "lists no days"},
		{"year out of range", strings.Replace(fixture2027, `"year": 2027`, `"year": 99999`, 1), ErrOutOfRange, "99999"},
		{"year before 2000", strings.Replace(fixture2027, `"year": 2027`, `"year": 1999`, 1), ErrOutOfRange, "1999"},
		{"year after 2199", strings.Replace(fixture2027, `"year": 2027`, `"year": 2200`, 1), ErrOutOfRange, "2200"},
		{"issued not a date", strings.Replace(fixture2027, `"2026-11-01"`, `"1 November"`, 1), ErrMalformed, "issued"},
		{"control character in a name", strings.Replace(fixture2027, `"name": "元旦"`, `"name": "元旦\u001b[2J"`, 1), ErrMalformed, "control character"},
		{"name too long", strings.Replace(fixture2027, `"name_en": "Labour Day"`, `"name_en": "`+strings.Repeat("x", MaxNameBytes+1)+`"`, 1), ErrTooLarge, "name_en"},
		{"note too long", strings.Replace(fixture2027, `"name_en": "Labour Day"`, `"name_en": "Labour Day", "note": "`+strings.Repeat("长", MaxTextBytes/3+1)+`"`, 1), ErrTooLarge, "note"},
		{"overlay without a region", strings.Replace(fixture2027, `"year": 2027`, `"year": 2027, "overlay": true`, 1), ErrMalformed, "region"},
		{"national with a region", strings.Replace(fixture2027, `"year": 2027`, `"year": 2027, "region": "650000"`, 1), ErrMalformed, "region"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadSchedule(strings.NewReader(c.input))
			require.Error(t, err)
			assert.Nil(t, s)
			assert.ErrorIs(t, err, ErrInvalidSchedule)
			assert.ErrorIs(t, err, c.kind)
			var se *ScheduleError
			require.True(t, errors.As(err, &se))
			assert.Contains(t, err.Error(), c.say)
		})
	}

	// The window of 2000 reaches into December 1999, that of 2199 into
	// January 2200: days govshare does not support (govshare.MinInstant,
	// MaxInstant).
	for _, c := range []struct{ year, day string }{{"2000", "1999-12-31"}, {"2199", "2200-01-01"}} {
		y, _ := strconv.Atoi(c.year)
		in := strings.Replace(minimalSchedule(y), `"off": ["`+c.year+`-01-01..`, `"off": ["`+c.day+`", "`+c.year+`-01-01..`, 1)
		_, err := LoadSchedule(strings.NewReader(in))
		require.ErrorIs(t, err, ErrOutOfRange, c.day)
		assert.ErrorIs(t, err, govshare.ErrInstant)
		assert.Contains(t, err.Error(), c.day)
		_, err = LoadSchedule(strings.NewReader(minimalSchedule(y)))
		assert.NoError(t, err, c.year)
	}

	huge := bytes.Repeat([]byte(" "), MaxScheduleBytes+10)
	_, err := LoadSchedule(bytes.NewReader(huge))
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	assert.Equal(t, 413, govshare.HTTPStatus(err))
	_, err = LoadHolidayCN(bytes.NewReader(huge))
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	_, err = LoadSchedule(nil)
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestLoadHolidayCN(t *testing.T) {
	s, err := LoadHolidayCN(strings.NewReader(holidayCN2027))
	require.NoError(t, err)
	require.Len(t, s.Holidays, 6)
	assert.Equal(t, "春节", s.Holidays[1].Name)
	assert.Equal(t, "Spring Festival", s.Holidays[1].NameEN)
	assert.Len(t, s.Holidays[1].Off, 4)
	assert.Equal(t, []time.Time{d(2027, 2, 20)}, s.Holidays[1].Work)
	assert.Equal(t, "中秋节、国庆节", s.Holidays[5].Name)
	assert.Equal(t, "Mid-Autumn Festival and National Day", s.Holidays[5].NameEN)
	assert.Equal(t, "https://example.invalid/notice", s.Notices[0].Ref())

	// A weekday listed as a working day is redundant and dropped.
	s, err = LoadHolidayCN(strings.NewReader(strings.Replace(holidayCN2027, `{"name": "春节", "date": "2027-02-20", "isOffDay": false}`,
		`{"name": "春节", "date": "2027-02-20", "isOffDay": false}, {"name": "春节", "date": "2027-02-10", "isOffDay": false}`, 1)))
	require.NoError(t, err)
	assert.Equal(t, []time.Time{d(2027, 2, 20)}, s.Holidays[1].Work)

	manyDays := `{"year": 2027, "papers": ["u"], "days": [` + strings.TrimSuffix(strings.Repeat(`{"name":"元旦","date":"2027-01-01","isOffDay":true},`, MaxScheduleDays+1), ",") + `]}`
	manyPapers := `{"year": 2027, "papers": [` + strings.TrimSuffix(strings.Repeat(`"u",`, MaxScheduleNotices+1), ",") + `], "days": []}`
	bad := []struct {
		name, input string
		kind        error
	}{
		{"unannounced year (as holiday-cn marks it)", `{"year": 2027, "papers": [], "days": []}`, ErrUnannounced},
		{"days without papers", `{"year": 2027, "papers": [], "days": [{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`, ErrNoSource},
		{"no year", `{"papers": ["u"], "days": []}`, ErrMalformed},
		{"missing isOffDay", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-01"}]}`, ErrMalformed},
		{"bad date", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-13-01","isOffDay":true}]}`, ErrMalformed},
		{"contradiction", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-02","isOffDay":true},{"name":"元旦","date":"2027-01-02","isOffDay":false}]}`, ErrContradiction},
		{"contradiction across blocks", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-03","isOffDay":true},{"name":"春节","date":"2027-01-03","isOffDay":false}]}`, ErrContradiction},
		{"duplicate", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`, ErrDuplicateDay},
		{"outside the year", `{"year": 2027, "papers": ["u"], "days": [{"name":"国庆节","date":"2026-10-01","isOffDay":true}]}`, ErrOutOfYear},
		{"truncated", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦"`, ErrMalformed},
		// Issue 11: a Friday listed as a day off and as a working day was
		// accepted, the working day dropped as redundant.
		{"weekday both off and working", `{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-01","isOffDay":false}]}`, ErrContradiction},
		{"weekday working, then off", `{"year": 2027, "papers": ["u"], "days": [{"name":"春节","date":"2027-02-10","isOffDay":false},{"name":"春节","date":"2027-02-10","isOffDay":true}]}`, ErrContradiction},
		{"weekday working twice", `{"year": 2027, "papers": ["u"], "days": [{"name":"春节","date":"2027-02-10","isOffDay":false},{"name":"春节","date":"2027-02-10","isOffDay":false}]}`, ErrDuplicateDay},
		{"too many days", manyDays, ErrTooLarge},
		{"too many papers", manyPapers, ErrTooLarge},
		{"year out of range", `{"year": 2200, "papers": ["u"], "days": [{"name":"元旦","date":"2200-01-01","isOffDay":true}]}`, ErrOutOfRange},
		{"a paper without a URL", strings.Replace(holidayCN2027, `"https://example.invalid/notice"`, `""`, 1), ErrNoSource},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := LoadHolidayCN(strings.NewReader(b.input))
			assert.ErrorIs(t, err, ErrInvalidSchedule)
			assert.ErrorIs(t, err, b.kind)
		})
	}
}

func TestWithMoreYears(t *testing.T) {
	base := China()
	c, err := New(WithBase(base), WithSchedules(load(t, fixture2027)))
	require.NoError(t, err)
	first, last := c.Years()
	assert.Equal(t, 2007, first)
	assert.Equal(t, 2027, last)
	got, err := c.AddWorkdays(d(2026, 12, 31), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2027, 1, 4), got, "the fixture gives 2027-01-01…03 off")
	w, err := c.IsWorkday(d(2027, 2, 20))
	require.NoError(t, err)
	assert.True(t, w)

	// The receiver is unchanged.
	_, err = base.IsWorkday(d(2027, 1, 4))
	assert.ErrorIs(t, err, ErrUnknownYear)

	// A gap is refused.
	s2029 := load(t, minimalSchedule(2029))
	_, err = New(WithBase(base), WithSchedules(s2029))
	assert.ErrorIs(t, err, ErrCoverageGap)
	assert.Contains(t, err.Error(), "2027–2028")

	// Two schedules for one year in one call are refused.
	_, err = New(WithBase(base), WithSchedules(load(t, fixture2027), load(t, fixture2027)))
	assert.ErrorIs(t, err, ErrReplacesYear)
	_, err = New(WithBase(base), WithSchedules(nil))
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestWithReplaceNeedsConsent(t *testing.T) {
	f, err := embedded.Open("schedules/2026.json")
	require.NoError(t, err)
	s, err := LoadSchedule(f)
	f.Close()
	require.NoError(t, err)
	// A corrected 2026 that also makes 2026-11-02 (Monday) a day off.
	s.Holidays = append(s.Holidays, Holiday{Name: "测试更正", NameEN: "test correction", Notices: []string{s.Notices[0].Ref()}, Off: []time.Time{d(2026, 11, 2)}})

	_, err = New(WithBase(China()), WithSchedules(s))
	require.ErrorIs(t, err, ErrReplacesYear)
	assert.Contains(t, err.Error(), "Replace")

	s.Replace = true
	c, err := New(WithBase(China()), WithSchedules(s))
	require.NoError(t, err)
	w, err := c.IsWorkday(d(2026, 11, 2))
	require.NoError(t, err)
	assert.False(t, w)
	w, err = China().IsWorkday(d(2026, 11, 2))
	require.NoError(t, err)
	assert.True(t, w, "China() itself is never changed")
}

func TestWithDuplicateAcrossYears(t *testing.T) {
	f, err := embedded.Open("schedules/2026.json")
	require.NoError(t, err)
	s26, err := LoadSchedule(f)
	f.Close()
	require.NoError(t, err)
	s26.Replace = true
	s26.Holidays = append(s26.Holidays, Holiday{Name: "元旦", NameEN: "x", Notices: []string{s26.Notices[0].Ref()}, Off: []time.Time{d(2026, 12, 31)}})
	s27 := load(t, strings.Replace(fixture2027, `"off": ["2027-01-01..2027-01-03"]`, `"off": ["2026-12-31..2027-01-03"]`, 1))
	_, err = New(WithBase(China()), WithSchedules(s26, s27))
	require.ErrorIs(t, err, ErrDuplicateDay)
	assert.Contains(t, err.Error(), "2026-12-31")
}

// overlayFixture is a TEST FIXTURE of a regional overlay: one extra local
// day off in 新疆 (650000). It is not a real local notice.
const overlayFixture = `{
  "format": "govshare.schedule/1", "year": 2026, "region": "650000", "overlay": true,
  "notices": [{"number": "测试地方通知", "title": "测试用地方节日（非官方）", "issued": "2026-05-01", "url": "https://example.invalid/xj"}],
  "holidays": [{"name": "地方节日（测试）", "name_en": "local festival (test)", "notices": ["测试地方通知"], "off": ["2026-05-27"]}]
}`

func TestRegionalOverlay(t *testing.T) {
	ov := load(t, overlayFixture)
	c, err := New(WithBase(China()), WithSchedules(ov))
	require.NoError(t, err)
	w, err := c.IsWorkday(d(2026, 5, 27))
	require.NoError(t, err)
	assert.False(t, w)
	info, err := c.Describe(d(2026, 5, 27))
	require.NoError(t, err)
	assert.Equal(t, "650000", info.Region)
	assert.Equal(t, "地方节日（测试）", info.Holiday)
	got, err := c.AddWorkdays(d(2026, 5, 26), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 5, 28), got)

	// The national calendar is unchanged, and the overlay survives With.
	w, _ = China().IsWorkday(d(2026, 5, 27))
	assert.True(t, w)
	c2, err := New(WithBase(c), WithSchedules(load(t, fixture2027)))
	require.NoError(t, err)
	w, _ = c2.IsWorkday(d(2026, 5, 27))
	assert.False(t, w)

	// Two overlays may not claim the same day.
	_, err = New(WithBase(c), WithSchedules(load(t, overlayFixture)))
	assert.ErrorIs(t, err, ErrDuplicateDay)

	// An overlay needs a covered year.
	_, err = New(WithBase(China()), WithSchedules(load(t, strings.ReplaceAll(overlayFixture, "2026", "2031"))))
	assert.ErrorIs(t, err, ErrCoverageGap)
}

// For each calendar year, weekday days off minus weekend working days is
// the number of statutory holidays: 10 under the rules in force in 2007
// (元旦1, 春节3, 五一3, 国庆3), 11 from 2008 (元旦1, 春节3, 清明1, 劳动节1,
// 端午1, 中秋1, 国庆3), 13 from 2025 under the revised 全国年节及纪念日放假办法
// (春节 and 劳动节 one day longer). The exceptions are explained one by one.
func TestStatutoryHolidayCount(t *testing.T) {
	statutory := func(y int) int {
		switch {
		case y == 2007:
			return 10
		case y <= 2024:
			return 11
		}
		return 13
	}
	exceptions := map[int]struct {
		delta int
		why   string
	}{
		2007: {+2, "国办发明电〔2006〕49号 gave 2007-01-02 and 01-03 off against the working weekend 2006-12-30/31, which lies in 2006"},
		2011: {-1, "2011-12-31 (Saturday) was worked for the 2012 New Year (国办发明电〔2011〕45号)"},
		2012: {+1, "2012-01-03 (Tuesday) was off against that 2011-12-31 working Saturday"},
		2015: {+1, "国发明电〔2015〕1号: 2015-09-03 and 09-04 off, 09-06 (Sunday) worked, for the 70th anniversary"},
		2020: {+2, "国办发明电〔2020〕1号 extended 春节 to 02-02: 01-31 (Friday) off and 02-01 (Saturday) no longer worked"},
	}
	count := map[int]int{}
	for _, s := range China().national {
		for _, h := range s.Holidays {
			for _, t := range h.Off {
				if !isWeekend(dayNumber(t)) {
					count[t.Year()]++
				}
			}
			for _, t := range h.Work {
				count[t.Year()]--
			}
		}
	}
	for y := 2007; y <= 2026; y++ {
		want := statutory(y)
		if e, ok := exceptions[y]; ok {
			want += e.delta
			t.Logf("%d: %d = %d %+d: %s", y, want, statutory(y), e.delta, e.why)
		}
		assert.Equal(t, want, count[y], "year %d", y)
	}
}

// The embedded schedules, written from the notices, must agree on every day
// of 2007–2026 with the holiday-cn dataset in ../../shared/reference, read
// through LoadHolidayCN.
func TestAgreesWithHolidayCN(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "reference", "holiday-cn")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference dataset not beside the checkout (%v)", err)
	}
	var all []*Schedule
	for y := 2007; y <= 2026; y++ {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("%d.json", y)))
		require.NoError(t, err)
		s, err := LoadHolidayCN(f)
		f.Close()
		require.NoError(t, err, "%d", y)
		all = append(all, s)
	}
	ref, err := New(WithSchedules(all...))
	require.NoError(t, err)
	ours := China()
	for n := ours.base; n < ours.base+int64(len(ours.days)); n++ {
		day := dayStart(n)
		a, err := ours.IsWorkday(day)
		require.NoError(t, err)
		b, err := ref.IsWorkday(day)
		require.NoError(t, err)
		if a != b {
			t.Errorf("%s: ours %v, holiday-cn %v", day.Format("2006-01-02"), a, b)
		}
	}
	f, err := os.Open(filepath.Join(dir, "2027.json"))
	require.NoError(t, err)
	defer f.Close()
	_, err = LoadHolidayCN(f)
	assert.ErrorIs(t, err, ErrUnannounced)
}

// A tiny file may not make the loader expand millions of days.
func TestLoadScheduleRangeBounded(t *testing.T) {
	in := `{"format":"govshare.schedule/1","year":2027,"notices":[{"number":"N","title":"t","issued":"2026-01-01","url":"u"}],
	"holidays":[{"name":"x","name_en":"x","notices":["N"],"off":["0001-01-01..9999-12-31"]}]}`
	_, err := LoadSchedule(strings.NewReader(in))
	require.ErrorIs(t, err, ErrOutOfYear)
	ranges := strings.Repeat(`"2027-01-01..2027-12-31",`, 2000)
	in = `{"format":"govshare.schedule/1","year":2027,"notices":[{"number":"N","title":"t","issued":"2026-01-01","url":"u"}],
	"holidays":[{"name":"x","name_en":"x","notices":["N"],"off":[` + strings.TrimSuffix(ranges, ",") + `]}]}`
	_, err = LoadSchedule(strings.NewReader(in))
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "more than 366 days")
}
