package deadline

import (
	"fmt"
	"strings"
)

// Festival is a festival of 《全国年节及纪念日放假办法》 on which all citizens
// have days off (its 第二条), with the number of days off the statute gives
// it in a given year. Every national schedule must give each festival of
// its year at least these days (CheckSchedule).
type Festival struct {
	// Name is the statute's name, e.g. 春节.
	Name string `json:"name"`
	// NameEN is the English name, e.g. "Spring Festival".
	NameEN string `json:"name_en"`
	// Days is the number of days off the statute gives the festival.
	Days int `json:"days"`
}

// festival is a Festival with the ways a block's name can name it.
type festival struct {
	Festival
	// names: the block's name contains one of them (清明 matches 清明节).
	names []string
	// numerals: one of the parts of the block's name, quotes removed, is
	// one of them (holiday-cn's 2007 blocks are “五一” and “十一”).
	numerals []string
}

// statute is one version of the statute, in force from the year given.
type statute struct {
	from      int
	version   string // e.g. "as amended on 2024-11-10", for messages
	festivals []festival
}

func fest(name, en string, days int, names []string, numerals ...string) festival {
	return festival{Festival: Festival{Name: name, NameEN: en, Days: days}, names: names, numerals: numerals}
}

// statutes are the versions of 《全国年节及纪念日放假办法》 that matter to
// the years 2000–2199, newest first. The 2013 revision moved 春节's days
// from 除夕–初二 to 初一–初三 without changing their number.
var statutes = []statute{
	{from: 2025, version: "as amended on 2024-11-10, in force from 2025", festivals: []festival{
		fest("元旦", "New Year's Day", 1, []string{"元旦"}),
		fest("春节", "Spring Festival", 4, []string{"春节"}),
		fest("清明节", "Qingming Festival", 1, []string{"清明"}),
		fest("劳动节", "Labour Day", 2, []string{"劳动节"}, "五一"),
		fest("端午节", "Dragon Boat Festival", 1, []string{"端午"}),
		fest("中秋节", "Mid-Autumn Festival", 1, []string{"中秋"}),
		fest("国庆节", "National Day", 3, []string{"国庆"}, "十一"),
	}},
	{from: 2008, version: "as revised in 2007 (in force from 2008) and 2013", festivals: []festival{
		fest("元旦", "New Year's Day", 1, []string{"元旦"}),
		fest("春节", "Spring Festival", 3, []string{"春节"}),
		fest("清明节", "Qingming Festival", 1, []string{"清明"}),
		fest("劳动节", "Labour Day", 1, []string{"劳动节"}, "五一"),
		fest("端午节", "Dragon Boat Festival", 1, []string{"端午"}),
		fest("中秋节", "Mid-Autumn Festival", 1, []string{"中秋"}),
		fest("国庆节", "National Day", 3, []string{"国庆"}, "十一"),
	}},
	{from: minYear, version: "of 1999", festivals: []festival{
		fest("元旦", "New Year's Day", 1, []string{"元旦"}),
		fest("春节", "Spring Festival", 3, []string{"春节"}),
		fest("劳动节", "Labour Day", 3, []string{"劳动节"}, "五一"),
		fest("国庆节", "National Day", 3, []string{"国庆"}, "十一"),
	}},
}

func statuteFor(year int) *statute {
	if year < minYear || year > maxYear {
		return nil
	}
	for i := range statutes {
		if year >= statutes[i].from {
			return &statutes[i]
		}
	}
	return nil
}

// Festivals returns the festivals of 《全国年节及纪念日放假办法》 in force
// in year, in calendar order, with their statutory days off: until 2007
// (the 1999 version) 元旦 1, 春节 3, 劳动节 3, 国庆节 3; from 2008 (the 2007
// revision) 元旦 1, 春节 3, 清明节 1, 劳动节 1, 端午节 1, 中秋节 1, 国庆节 3;
// from 2025 (amended on 2024-11-10) 春节 4 and 劳动节 2, the others as
// before. It returns nil for a year outside 2000–2199. The festivals of
// part of the citizens (妇女节, 青年节, …) have no days off for all and are
// not listed.
func Festivals(year int) []Festival {
	st := statuteFor(year)
	if st == nil {
		return nil
	}
	out := make([]Festival, len(st.festivals))
	for i, f := range st.festivals {
		out[i] = f.Festival
	}
	return out
}

// namedBy reports whether a block called name names the festival.
func (f *festival) namedBy(name string) bool {
	for _, n := range f.names {
		if strings.Contains(name, n) {
			return true
		}
	}
	if len(f.numerals) == 0 {
		return false
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return strings.ContainsRune("、，,;；/ 和及与", r) }) {
		part = strings.Trim(part, "“”‘’\"'「」『』《》")
		for _, n := range f.numerals {
			if part == n {
				return true
			}
		}
	}
	return false
}

// checkComplete is the completeness rule of CheckSchedule: for each
// festival, the blocks naming it list at least the statutory days of the
// festivals they name between them.
func (s *Schedule) checkComplete() error {
	st := statuteFor(s.Year)
	if st == nil {
		return checkYear(s)
	}
	fail := func(f festival, detail string) error {
		return &ScheduleError{Source: s.Source, Year: s.Year, Field: "holidays", Festival: f.Name, Kind: ErrIncomplete,
			Detail: detail + fmt.Sprintf(" (《全国年节及纪念日放假办法》 %s)", st.version)}
	}
	for _, f := range st.festivals {
		var blocks []string
		days := map[int64]bool{}
		shares := make([]bool, len(st.festivals))
		for _, h := range s.Holidays {
			if !f.namedBy(h.Name) {
				continue
			}
			blocks = append(blocks, h.Name)
			for _, t := range h.Off {
				days[dayNumber(t)] = true
			}
			for j := range st.festivals {
				if st.festivals[j].namedBy(h.Name) {
					shares[j] = true
				}
			}
		}
		if len(blocks) == 0 {
			return fail(f, fmt.Sprintf("no holiday block names it (%s); the statute gives it %s off in %d",
				f.NameEN, nDays(f.Days), s.Year))
		}
		need := 0
		var parts []string
		for j, g := range st.festivals {
			if shares[j] {
				need += g.Days
				parts = append(parts, fmt.Sprintf("%s %d", g.Name, g.Days))
			}
		}
		if len(days) >= need {
			continue
		}
		what := nDays(need) + " the statute gives it"
		if len(parts) > 1 {
			what = fmt.Sprintf("%s the statute gives %s together", nDays(need), strings.Join(parts, " and "))
		}
		return fail(f, fmt.Sprintf("the blocks naming it (%s) list %s off in %d, fewer than the %s",
			strings.Join(blocks, ", "), nDays(len(days)), s.Year, what))
	}
	return nil
}

// nDays is "1 day" or "n days".
func nDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
