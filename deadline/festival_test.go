package deadline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

func TestFestivals(t *testing.T) {
	days := func(year int) map[string]int {
		out := map[string]int{}
		for _, f := range Festivals(year) {
			out[f.Name] = f.Days
		}
		return out
	}
	assert.Equal(t, map[string]int{"元旦": 1, "春节": 3, "劳动节": 3, "国庆节": 3}, days(2000))
	assert.Equal(t, map[string]int{"元旦": 1, "春节": 3, "劳动节": 3, "国庆节": 3}, days(2007))
	assert.Equal(t, map[string]int{"元旦": 1, "春节": 3, "清明节": 1, "劳动节": 1, "端午节": 1, "中秋节": 1, "国庆节": 3}, days(2008))
	assert.Equal(t, map[string]int{"元旦": 1, "春节": 3, "清明节": 1, "劳动节": 1, "端午节": 1, "中秋节": 1, "国庆节": 3}, days(2024))
	assert.Equal(t, map[string]int{"元旦": 1, "春节": 4, "清明节": 1, "劳动节": 2, "端午节": 1, "中秋节": 1, "国庆节": 3}, days(2025))
	assert.Equal(t, days(2025), days(2199))
	assert.Nil(t, Festivals(1999))
	assert.Nil(t, Festivals(2200))
	// The result is the caller's: changing it changes nothing here.
	fs := Festivals(2026)
	fs[0].Days = 99
	assert.Equal(t, 1, Festivals(2026)[0].Days)
}

// Every embedded year passes the completeness check, and each festival is
// found in the block the notice gives it — including the years where
// 中秋节 and 国庆节 share one block, and 2015, whose 中秋节 is one Sunday.
func TestEmbeddedSchedulesAreComplete(t *testing.T) {
	names, err := fs.Glob(embedded, "schedules/*.json")
	require.NoError(t, err)
	require.Len(t, names, 20)
	for _, name := range names {
		b, err := fs.ReadFile(embedded, name)
		require.NoError(t, err)
		s, err := LoadSchedule(strings.NewReader(string(b)))
		require.NoError(t, err, name)
		assert.NoError(t, CheckSchedule(s), name)
	}
	for _, s := range China().national {
		require.NoError(t, CheckSchedule(s), "%d", s.Year)
	}

	blocksOf := func(s *Schedule, festival string) (names []string, days int) {
		st := statuteFor(s.Year)
		for _, f := range st.festivals {
			if f.Name != festival {
				continue
			}
			for _, h := range s.Holidays {
				if f.namedBy(h.Name) {
					names = append(names, h.Name)
					days += len(h.Off)
				}
			}
		}
		return names, days
	}
	byYear := map[int]*Schedule{}
	for _, s := range China().national {
		byYear[s.Year] = s
	}
	cases := []struct {
		year     int
		festival string
		blocks   []string
		days     int
	}{
		{2007, "劳动节", []string{"劳动节"}, 7},
		{2007, "国庆节", []string{"国庆节"}, 7},
		{2014, "元旦", []string{"元旦"}, 1},
		{2015, "中秋节", []string{"中秋节"}, 1}, // Sunday 2015-09-27; the make-up day is in 国庆节's block
		{2020, "中秋节", []string{"国庆节、中秋节"}, 8},
		{2020, "国庆节", []string{"国庆节、中秋节"}, 8},
		{2020, "春节", []string{"春节"}, 10}, // extended by 国办发明电〔2020〕1号
		{2023, "中秋节", []string{"中秋节、国庆节"}, 8},
		{2023, "清明节", []string{"清明节"}, 1},
		{2025, "春节", []string{"春节"}, 8},
		{2025, "劳动节", []string{"劳动节"}, 5},
		{2025, "中秋节", []string{"国庆节、中秋节"}, 8},
		{2026, "春节", []string{"春节"}, 9},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d %s", c.year, c.festival), func(t *testing.T) {
			blocks, days := blocksOf(byYear[c.year], c.festival)
			assert.Equal(t, c.blocks, blocks)
			assert.Equal(t, c.days, days)
		})
	}
}

// The holiday-cn files of 2007–2026 pass it too, read by LoadHolidayCN,
// though they leave weekend days out of some blocks (2015's 劳动节 is the
// one day 05-01) and name 2007's blocks “五一” and “十一”.
func TestHolidayCNSchedulesAreComplete(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "reference", "holiday-cn")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference dataset not beside the checkout (%v)", err)
	}
	for y := 2007; y <= 2026; y++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d.json", y)))
		require.NoError(t, err)
		s, err := LoadHolidayCN(strings.NewReader(string(b)))
		require.NoError(t, err, "%d", y)
		require.NoError(t, CheckSchedule(s), "%d", y)
		if y == 2007 {
			var names []string
			for _, h := range s.Holidays {
				names = append(names, h.Name)
			}
			assert.Equal(t, []string{"元旦", "春节", "“五一”", "“十一”"}, names)
		}
	}
}

// incomplete returns the *ScheduleError of ErrIncomplete in err.
func incomplete(t *testing.T, err error) *ScheduleError {
	t.Helper()
	require.ErrorIs(t, err, ErrIncomplete)
	require.ErrorIs(t, err, ErrInvalidSchedule)
	require.ErrorIs(t, err, govshare.ErrInvalid)
	var se *ScheduleError
	require.True(t, errors.As(err, &se))
	return se
}

// withBlock returns a schedule's JSON with the block of the given name
// replaced by replacement ("" removes it).
func withBlock(t *testing.T, js, name, replacement string) string {
	t.Helper()
	i := strings.Index(js, `{"name": "`+name+`"`)
	require.GreaterOrEqual(t, i, 0, name)
	j := strings.Index(js[i:], "}") + i + 1
	if replacement == "" {
		switch {
		case strings.HasPrefix(js[j:], ",\n"):
			j += len(",\n")
		case strings.HasSuffix(js[:i], ",\n"):
			i -= len(",\n")
		}
	}
	return js[:i] + replacement + js[j:]
}

func TestIncompleteSchedulesRefused(t *testing.T) {
	// A 2027 schedule missing 春节 (the fixture without its block).
	noSpring := withBlock(t, fixture2027, "春节", `{"name": "元宵", "name_en": "x", "notices": ["测试〔2026〕1号"], "off": ["2027-02-22"]}`)
	_, err := LoadSchedule(strings.NewReader(noSpring))
	se := incomplete(t, err)
	assert.Equal(t, 2027, se.Year)
	assert.Equal(t, "春节", se.Festival)
	assert.Contains(t, err.Error(), "no holiday block names it")
	assert.Contains(t, err.Error(), "4 days off in 2027")
	m := govshare.MessageOf(err)
	assert.Equal(t, "deadline.schedule_incomplete", m.Code)
	assert.Contains(t, m.Zh, "2027年放假安排")
	assert.Contains(t, m.Zh, "（春节）")
	assert.Equal(t, 422, govshare.HTTPStatus(err))

	// The same schedule built in code is refused by New and CheckSchedule.
	s := load(t, fixture2027)
	s.Holidays = append(s.Holidays[:1], s.Holidays[2:]...)
	assert.Equal(t, "春节", incomplete(t, CheckSchedule(s)).Festival)
	_, err = New(WithBase(China()), WithSchedules(s))
	assert.Equal(t, "春节", incomplete(t, err).Festival)

	// A holiday-cn 2027 file holding only 元旦.
	_, err = LoadHolidayCN(strings.NewReader(`{"year": 2027, "papers": ["https://example.invalid/2027"], "days": [
		{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`))
	se = incomplete(t, err)
	assert.Equal(t, [2]any{2027, "春节"}, [2]any{se.Year, se.Festival})
	assert.Equal(t, "holiday-cn", se.Source)

	cases := []struct {
		name     string
		year     int
		festival string // the block replaced
		block    string // its replacement
		refused  string // the festival named, "" if accepted
		say      string
	}{
		{"春节 of 3 days from 2025", 2027, "春节", `{"name": "春节", "name_en": "x", "notices": ["测试"], "off": ["2027-02-06..2027-02-08"]}`, "春节", "3 days off in 2027, fewer than the 4 days"},
		{"春节 of 3 days in 2024", 2024, "春节", `{"name": "春节", "name_en": "x", "notices": ["测试"], "off": ["2024-02-10..2024-02-12"]}`, "", ""},
		{"劳动节 of 1 day from 2025", 2025, "劳动节", `{"name": "劳动节", "name_en": "x", "notices": ["测试"], "off": ["2025-05-01"]}`, "劳动节", "1 day off in 2025, fewer than the 2 days"},
		{"劳动节 of 1 day in 2008", 2008, "劳动节", `{"name": "劳动节", "name_en": "x", "notices": ["测试"], "off": ["2008-05-01"]}`, "", ""},
		{"劳动节 of 1 day in 2007", 2007, "劳动节", `{"name": "劳动节", "name_en": "x", "notices": ["测试"], "off": ["2007-05-01"]}`, "劳动节", "1 day off in 2007, fewer than the 3 days"},
		{"劳动节 as “五一”", 2007, "劳动节", `{"name": "“五一”", "name_en": "x", "notices": ["测试"], "off": ["2007-05-01..2007-05-03"]}`, "", ""},
		{"no 清明节 in 2005", 2005, "元旦", `{"name": "元旦", "name_en": "x", "notices": ["测试"], "off": ["2005-01-01"]}`, "", ""},
		{"no 清明节 in 2008", 2008, "清明节", `{"name": "寒食", "name_en": "x", "notices": ["测试"], "off": ["2008-04-04"]}`, "清明节", "no holiday block names it"},
		{"a shared block of 8 days", 2020, "中秋节", `{"name": "国庆节、中秋节", "name_en": "x", "notices": ["测试"], "off": ["2020-09-20..2020-09-27"]}`, "", ""},
		{"a shared block short of the sum", 2023, "中秋节", `{"name": "中秋节、国庆节", "name_en": "x", "notices": ["测试"], "off": ["2023-09-20..2023-09-22"]}`, "中秋节",
			"3 days off in 2023, fewer than the 4 days the statute gives 中秋节 1 and 国庆节 3 together"},
		{"二十一 is not “十一”", 2007, "国庆节", `{"name": "二十一", "name_en": "x", "notices": ["测试"], "off": ["2007-10-01..2007-10-03"]}`, "国庆节", "no holiday block names it"},
		{"working days are not days off", 2026, "元旦", `{"name": "元旦", "name_en": "x", "notices": ["测试"], "off": [], "work": ["2026-01-04"]}`, "元旦", "0 days off"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js := withBlock(t, minimalSchedule(c.year), c.festival, c.block)
			if c.festival == "中秋节" && c.year >= 2008 {
				js = withBlock(t, js, "国庆节", "")
			}
			_, err := LoadSchedule(strings.NewReader(js))
			if c.refused == "" {
				require.NoError(t, err)
				return
			}
			se := incomplete(t, err)
			assert.Equal(t, c.refused, se.Festival)
			assert.Equal(t, c.year, se.Year)
			assert.Contains(t, err.Error(), c.say)
		})
	}

	// Overlays add local days and are not checked for completeness.
	ov := load(t, overlayFixture)
	assert.NoError(t, CheckSchedule(ov))
	// A nil schedule is malformed, not a panic.
	assert.ErrorIs(t, CheckSchedule(nil), ErrMalformed)
}

// A schedule's festivals are counted by the days its blocks list, however
// they are given: ranges, single days, or out of order in code.
func TestCompletenessCountsDistinctDays(t *testing.T) {
	s := load(t, minimalSchedule(2027))
	for i, h := range s.Holidays {
		if h.Name == "春节" {
			off := h.Off
			s.Holidays[i].Off = []time.Time{off[3], off[1], off[0], off[2]}
		}
	}
	assert.NoError(t, CheckSchedule(s))
}
