package deadline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/govshare/govshare"
)

// Schedule is one year's official holiday arrangement as a State Council
// notice announces it (or a regional overlay of local days off): the
// holiday blocks with their days off and their 调休上班 working days, and
// the notices they come from.
//
// Schedules are data. LoadSchedule reads the project's own JSON format,
// LoadHolidayCN the widely used holiday-cn format; New adds them to a
// calendar (WithBase, WithSchedules).
type Schedule struct {
	// Year is the year the notice is for. A New Year block may reach into
	// December of the year before (the 2008 notice makes 2007-12-29 a
	// working day) or January of the year after.
	Year int
	// Region is empty for the national schedule, or the 6-digit 行政区划代码
	// (GB/T 2260, govshare.ValidateRegionCode) of the region an overlay
	// applies to.
	Region string
	// Overlay marks a regional overlay: extra local days off (or local
	// working days) on top of a year the calendar already covers, e.g. an
	// autonomous region's festival. An overlay wins over the national
	// schedule for the days it lists.
	Overlay bool
	// Notices are the documents the days come from.
	Notices []Notice
	// Holidays are the holiday blocks, in date order.
	Holidays []Holiday
	// Replace, set by the caller, allows the schedule to replace a year the
	// calendar already has (e.g. a corrected notice). Never read from files.
	Replace bool
	// Source says where the schedule was read from, for error messages.
	Source string
}

// Notice is a government document a schedule cites.
type Notice struct {
	// Number is the 发文字号, e.g. 国办发明电〔2025〕7号. holiday-cn files
	// carry only URLs, so it may be empty.
	Number string `json:"number"`
	// Title is the document's title.
	Title string `json:"title"`
	// Issued is the date the document was issued, YYYY-MM-DD.
	Issued string `json:"issued"`
	// URL is where the document is published.
	URL string `json:"url"`
}

// Ref returns the number of the notice, or its URL when it has no number.
func (n Notice) Ref() string {
	if n.Number != "" {
		return n.Number
	}
	return n.URL
}

// Holiday is one holiday block of a schedule.
type Holiday struct {
	// Name is the name the notice gives, e.g. 春节 or 中秋节、国庆节.
	Name string
	// NameEN is the English name, e.g. "Spring Festival".
	NameEN string
	// Notices are the Ref of the notices the block comes from.
	Notices []string
	// Off are the days off (00:00 CST), weekend days inside the block
	// included, ascending.
	Off []time.Time
	// Work are the Saturdays and Sundays declared working days (调休上班)
	// for this block, ascending.
	Work []time.Time
	// Note is the notice's own wording for the block.
	Note string
}

// The limits of every schedule, whether a loader reads it (LoadSchedule,
// LoadHolidayCN) or a program builds it and New or CheckSchedule checks
// it. A real year's notice is under 6 kB, with seven to nine blocks and
// about forty days; the limits are far above that, and far below what could
// exhaust memory: a loader reads at most MaxScheduleBytes and never expands
// more than MaxScheduleDays days. A schedule over a limit is refused with a
// *ScheduleError of ErrTooLarge (govshare.ErrTooLarge, HTTP 413).
const (
	// MaxScheduleBytes is the most a loader reads of a file: 64 KiB.
	MaxScheduleBytes = 64 << 10
	// MaxScheduleDays is the most days a schedule lists, days off and
	// working days together, ranges expanded (for holiday-cn, the entries
	// of "days"): 366.
	MaxScheduleDays = 366
	// MaxScheduleHolidays is the most holiday blocks a schedule has: 64.
	MaxScheduleHolidays = 64
	// MaxScheduleNotices is the most notices a schedule cites, and the most
	// references one block makes to them: 16.
	MaxScheduleNotices = 16
	// MaxNameBytes bounds, in bytes of UTF-8, a block's name and English
	// name, a notice's number and issue date, and a block's reference to a
	// notice: 256.
	MaxNameBytes = 256
	// MaxTextBytes bounds a notice's title and URL and a block's note: 4096.
	MaxTextBytes = 4096
)

// The years a schedule may be for: those of the instants govshare
// supports (govshare.MinInstant, govshare.MaxInstant), so that no day a
// calendar holds is one the rest of govshare refuses.
const (
	minYear = 2000
	maxYear = 2199
)

// minDay and endDay are the day numbers of the first supported civil day
// and of the first day after the last one.
var (
	minDay = dayNumber(govshare.MinInstant)
	endDay = dayNumber(govshare.MaxInstant)
)

// supported reports whether day number d is a civil day of 2000–2199.
func supported(d int64) bool { return d >= minDay && d < endDay }

// FormatV1 is the value of the "format" field of the project's schedule files.
const FormatV1 = "govshare.schedule/1"

type scheduleFile struct {
	Format   string        `json:"format"`
	Year     int           `json:"year"`
	Region   string        `json:"region,omitempty"`
	Overlay  bool          `json:"overlay,omitempty"`
	Notices  []Notice      `json:"notices"`
	Holidays []holidayFile `json:"holidays"`
}

type holidayFile struct {
	Name    string   `json:"name"`
	NameEN  string   `json:"name_en"`
	Notices []string `json:"notices"`
	Off     []string `json:"off"`
	Work    []string `json:"work,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// LoadSchedule reads a schedule in the project's JSON format (the format of
// the embedded files, see the package documentation) and checks it as
// CheckSchedule does, completeness included. Every problem is a
// *ScheduleError (errors.Is(err, ErrInvalidSchedule)). It reads at most
// MaxScheduleBytes and holds the other limits of MaxScheduleDays and the
// constants beside it.
func LoadSchedule(r io.Reader) (*Schedule, error) {
	const src = "govshare schedule"
	data, err := readLimited(r, src)
	if err != nil {
		return nil, err
	}
	var f scheduleFile
	if err := decodeStrict(data, &f); err != nil {
		return nil, &ScheduleError{Source: src, Kind: ErrMalformed, Detail: err.Error()}
	}
	if f.Format != FormatV1 {
		return nil, &ScheduleError{Source: src, Year: f.Year, Field: "format", Kind: ErrMalformed,
			Detail: fmt.Sprintf("format is %q, want %q", f.Format, FormatV1)}
	}
	s := &Schedule{Year: f.Year, Region: f.Region, Overlay: f.Overlay, Notices: f.Notices, Source: src}
	if err := checkYear(s); err != nil {
		return nil, err
	}
	if len(f.Holidays) > MaxScheduleHolidays {
		return nil, tooLarge(s, "holidays", fmt.Sprintf("%d holiday blocks, more than %d", len(f.Holidays), MaxScheduleHolidays))
	}
	total := 0
	for i, h := range f.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		off, err := parseDays(s, field+".off", h.Off, &total)
		if err != nil {
			return nil, err
		}
		work, err := parseDays(s, field+".work", h.Work, &total)
		if err != nil {
			return nil, err
		}
		s.Holidays = append(s.Holidays, Holiday{Name: h.Name, NameEN: h.NameEN, Notices: h.Notices, Off: off, Work: work, Note: h.Note})
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}

type holidayCNFile struct {
	Year   *int     `json:"year"`
	Papers []string `json:"papers"`
	Days   []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

// holidayCNNames gives the English names of the block names holiday-cn uses.
var holidayCNNames = map[string]string{
	"元旦": "New Year's Day", "春节": "Spring Festival", "清明节": "Qingming Festival",
	"劳动节": "Labour Day", "端午节": "Dragon Boat Festival", "中秋节": "Mid-Autumn Festival",
	"国庆节": "National Day", "国庆节、中秋节": "National Day and Mid-Autumn Festival",
	"中秋节、国庆节": "Mid-Autumn Festival and National Day",
	"“五一”":    "Labour Day", "“五一”国际劳动节": "International Labour Day", "“十一”": "National Day",
	"抗日战争暨世界反法西斯战争胜利70周年纪念日": "70th anniversary of the victory of the War of Resistance",
}

// LoadHolidayCN reads a year in the format of the widely used holiday-cn
// dataset ({year, papers, days: [{name, date, isOffDay}]}) and checks it
// as LoadSchedule does, completeness included, with the same limits (at
// most MaxScheduleDays entries in "days", MaxScheduleNotices papers). A
// file with no papers and no days — how holiday-cn marks a year whose
// schedule is not announced yet — is ErrUnannounced. Days are grouped into
// blocks by name; the papers become the notices. A date listed twice is
// ErrDuplicateDay, or ErrContradiction if it is listed both as a day off
// and as a working day. A Monday-to-Friday day listed (once) as a working
// day is redundant (holiday-cn lists 2020-02-03, the first day back after
// the 2020 extension) and is dropped.
func LoadHolidayCN(r io.Reader) (*Schedule, error) {
	const src = "holiday-cn"
	data, err := readLimited(r, src)
	if err != nil {
		return nil, err
	}
	var f holidayCNFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &ScheduleError{Source: src, Kind: ErrMalformed, Detail: err.Error()}
	}
	if f.Year == nil {
		return nil, &ScheduleError{Source: src, Field: "year", Kind: ErrMalformed, Detail: "missing"}
	}
	s := &Schedule{Year: *f.Year, Source: src}
	if err := checkYear(s); err != nil {
		return nil, err
	}
	if len(f.Papers) == 0 && len(f.Days) == 0 {
		return nil, &ScheduleError{Source: src, Year: s.Year, Kind: ErrUnannounced,
			Detail: "the file has no papers and no days"}
	}
	switch {
	case len(f.Papers) > MaxScheduleNotices:
		return nil, tooLarge(s, "papers", fmt.Sprintf("%d papers, more than %d", len(f.Papers), MaxScheduleNotices))
	case len(f.Days) > MaxScheduleDays:
		return nil, tooLarge(s, "days", fmt.Sprintf("%d days, more than %d", len(f.Days), MaxScheduleDays))
	}
	refs := make([]string, 0, len(f.Papers))
	for _, p := range f.Papers {
		s.Notices = append(s.Notices, Notice{URL: p})
		refs = append(refs, p)
	}
	byName := map[string]int{}
	listed := map[int64]bool{} // whether each date listed is a day off
	for i, d := range f.Days {
		field := fmt.Sprintf("days[%d]", i)
		if d.IsOffDay == nil {
			return nil, &ScheduleError{Source: src, Year: s.Year, Field: field + ".isOffDay", Kind: ErrMalformed, Detail: "missing"}
		}
		day, err := parseDay(s, field+".date", d.Date)
		if err != nil {
			return nil, err
		}
		n := dayNumber(day)
		if off, dup := listed[n]; dup {
			if off == *d.IsOffDay {
				return nil, &ScheduleError{Source: src, Year: s.Year, Date: d.Date, Field: field, Kind: ErrDuplicateDay, Detail: "listed twice"}
			}
			return nil, &ScheduleError{Source: src, Year: s.Year, Date: d.Date, Field: field, Kind: ErrContradiction,
				Detail: "listed both as a day off and as a working day"}
		}
		listed[n] = *d.IsOffDay
		k, ok := byName[d.Name]
		if !ok {
			en := holidayCNNames[d.Name]
			if en == "" {
				en = d.Name
			}
			k = len(s.Holidays)
			byName[d.Name] = k
			s.Holidays = append(s.Holidays, Holiday{Name: d.Name, NameEN: en, Notices: refs})
		}
		switch {
		case *d.IsOffDay:
			s.Holidays[k].Off = append(s.Holidays[k].Off, day)
		case isWeekend(n):
			s.Holidays[k].Work = append(s.Holidays[k].Work, day)
		}
	}
	for i := range s.Holidays {
		sortDays(s.Holidays[i].Off)
		sortDays(s.Holidays[i].Work)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}

func readLimited(r io.Reader, src string) ([]byte, error) {
	if r == nil {
		return nil, &ScheduleError{Source: src, Kind: ErrMalformed, Detail: "nil reader"}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxScheduleBytes+1))
	if err != nil {
		return nil, &ScheduleError{Source: src, Kind: ErrMalformed, Detail: "reading: " + err.Error()}
	}
	if len(data) > MaxScheduleBytes {
		return nil, &ScheduleError{Source: src, Kind: ErrTooLarge, Detail: fmt.Sprintf("larger than %d bytes", MaxScheduleBytes)}
	}
	return data, nil
}

func tooLarge(s *Schedule, field, detail string) error {
	return &ScheduleError{Source: s.Source, Year: s.Year, Field: field, Kind: ErrTooLarge, Detail: detail}
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

func checkYear(s *Schedule) error {
	if s.Year < minYear || s.Year > maxYear {
		return &ScheduleError{Source: s.Source, Year: s.Year, Field: "year", Kind: ErrOutOfRange,
			Detail: fmt.Sprintf("year %d outside %d–%d", s.Year, minYear, maxYear)}
	}
	return nil
}

// window is the range of day numbers a schedule for year may list: the
// year and one month either side, for the New Year block.
func window(year int) (lo, hi int64) {
	return dayNumber(Date(year-1, time.December, 1)), dayNumber(Date(year+1, time.January, 31))
}

// checkDay refuses a day outside the schedule's window, or outside the
// supported years (December 1999 for 2000, January 2200 for 2199).
func checkDay(s *Schedule, field string, d int64) error {
	lo, hi := window(s.Year)
	switch {
	case d < lo || d > hi:
		date := dayStart(d).Format("2006-01-02")
		return &ScheduleError{Source: s.Source, Year: s.Year, Date: date, Field: field, Kind: ErrOutOfYear,
			Detail: fmt.Sprintf("%s is outside %d and the month either side of it", date, s.Year)}
	case !supported(d):
		date := dayStart(d).Format("2006-01-02")
		return &ScheduleError{Source: s.Source, Year: s.Year, Date: date, Field: field, Kind: ErrOutOfRange,
			Detail: fmt.Sprintf("%s is outside %d–%d", date, minYear, maxYear)}
	}
	return nil
}

// parseDays reads "YYYY-MM-DD" and inclusive ranges "YYYY-MM-DD..YYYY-MM-DD".
// Ranges are bounded by the schedule's window before they are expanded,
// and the days of all of them by MaxScheduleDays, so a small file cannot
// ask for millions of days.
func parseDays(s *Schedule, field string, specs []string, total *int) ([]time.Time, error) {
	var out []time.Time
	for i, spec := range specs {
		f := fmt.Sprintf("%s[%d]", field, i)
		from, to, isRange := strings.Cut(spec, "..")
		first, err := parseDay(s, f, from)
		if err != nil {
			return nil, err
		}
		last := first
		if isRange {
			if last, err = parseDay(s, f, to); err != nil {
				return nil, err
			}
			if last.Before(first) {
				return nil, &ScheduleError{Source: s.Source, Year: s.Year, Date: spec, Field: f, Kind: ErrMalformed, Detail: "range ends before it starts"}
			}
		}
		for _, t := range []time.Time{first, last} {
			if err := checkDay(s, f, dayNumber(t)); err != nil {
				return nil, err
			}
		}
		*total += int(dayNumber(last)-dayNumber(first)) + 1
		if *total > MaxScheduleDays {
			return nil, &ScheduleError{Source: s.Source, Year: s.Year, Date: spec, Field: f, Kind: ErrTooLarge,
				Detail: fmt.Sprintf("the schedule lists more than %d days", MaxScheduleDays)}
		}
		for d := dayNumber(first); d <= dayNumber(last); d++ {
			out = append(out, dayStart(d))
		}
	}
	return out, nil
}

func parseDay(s *Schedule, field, text string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", text, CST)
	if err != nil {
		date := text
		if len(date) > 32 {
			date = date[:32] + "…"
		}
		return time.Time{}, &ScheduleError{Source: s.Source, Year: s.Year, Date: date, Field: field, Kind: ErrMalformed, Detail: "not a date YYYY-MM-DD"}
	}
	return t, nil
}

func sortDays(ds []time.Time) { sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) }) }

// CheckSchedule checks a schedule as every loader and New check it before
// a calendar uses it, for a tool that reads a file or a program that builds
// or corrects a schedule in code: the year lies in 2000–2199, the schedule
// holds the limits (MaxScheduleDays and the constants beside it), every
// block has a name and days and cites one of the schedule's notices (a
// document number or a URL: R14 wants the days from the notice), no day is
// listed twice, off and working, outside the year's window or, if
// working, on a weekday; and a national schedule is complete: every
// festival of 《全国年节及纪念日放假办法》 in force in its year (Festivals)
// has its statutory days off.
//
// Complete means, precisely: for each festival, at least one block names
// it (its name contains the festival's name, e.g. 春节 or 国庆, or one of
// its parts is the festival's numeral, “五一” for 劳动节, “十一” for
// 国庆节), and the blocks that name it list together at least as many
// days off as the statute gives that festival and every other festival
// those blocks also name. Days off are counted as the block lists them,
// weekend days inside the block included, so a block named 中秋节、国庆节
// must list at least 1 + 3 = 4 days off (2020 and 2023 list 8), and 2015's
// 中秋节, one Sunday, has its 1. The check does not verify that a festival
// day falling on a weekend is made up on a working day (第六条): holiday-cn
// leaves weekend days out of some blocks, and a block's make-up day may sit
// in another block (2015's 中秋节 in 国庆节's).
//
// A problem is a *ScheduleError; a missing or short festival is one of
// ErrIncomplete with Festival set (errors.Is(err, govshare.ErrInvalid)).
// Regional overlays are not checked for completeness. A nil schedule is
// ErrMalformed.
func CheckSchedule(s *Schedule) error {
	if s == nil {
		return &ScheduleError{Kind: ErrMalformed, Detail: "nil schedule"}
	}
	return s.check()
}

// check is the validation every schedule passes before a calendar uses it,
// whether loaded from a file or built in code (CheckSchedule).
func (s *Schedule) check() error {
	fail := func(date, field string, kind error, detail string) error {
		return &ScheduleError{Source: s.Source, Year: s.Year, Date: date, Field: field, Kind: kind, Detail: detail}
	}
	if err := checkYear(s); err != nil {
		return err
	}
	if err := s.checkLimits(); err != nil {
		return err
	}
	if s.Overlay {
		if err := govshare.ValidateRegionCode(s.Region); err != nil {
			return fail("", "region", ErrMalformed, fmt.Sprintf("an overlay needs the 行政区划代码 (GB/T 2260) of the region it applies to, got %q: %v", s.Region, err))
		}
	} else if s.Region != "" {
		return fail("", "region", ErrMalformed, "a national schedule has no region; set overlay for regional days")
	}
	if len(s.Holidays) == 0 {
		if len(s.Notices) == 0 {
			return fail("", "", ErrUnannounced, "no notices and no days")
		}
		return fail("", "holidays", ErrMalformed, "the schedule lists no days")
	}
	if len(s.Notices) == 0 {
		return fail("", "notices", ErrNoSource, "every schedule must cite the notice its days come from")
	}
	refs := map[string]bool{}
	for i, n := range s.Notices {
		field := fmt.Sprintf("notices[%d]", i)
		if n.Number == "" && n.URL == "" {
			return fail("", field, ErrNoSource, "a notice needs a document number or a URL")
		}
		if n.Issued != "" {
			if _, err := time.Parse("2006-01-02", n.Issued); err != nil {
				return fail("", field+".issued", ErrMalformed, fmt.Sprintf("issued %q is not a date YYYY-MM-DD", n.Issued))
			}
		}
		refs[n.Ref()] = true
		refs[n.URL] = true
	}
	seen := map[int64]string{}
	for i, h := range s.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		if strings.TrimSpace(h.Name) == "" {
			return fail("", field+".name", ErrMalformed, "a holiday block needs a name")
		}
		if len(h.Off) == 0 && len(h.Work) == 0 {
			return fail("", field, ErrMalformed, fmt.Sprintf("holiday %s lists no days", h.Name))
		}
		if len(h.Notices) == 0 {
			return fail("", field+".notices", ErrNoSource, fmt.Sprintf("holiday %s cites no notice", h.Name))
		}
		for _, r := range h.Notices {
			if !refs[r] {
				return fail("", field+".notices", ErrNoSource, fmt.Sprintf("holiday %s cites %q, which is not among the schedule's notices", h.Name, r))
			}
		}
		for _, part := range []struct {
			days []time.Time
			what string
		}{{h.Off, "off"}, {h.Work, "work"}} {
			for _, t := range part.days {
				d := dayNumber(t)
				if err := checkDay(s, field+"."+part.what, d); err != nil {
					return err
				}
				date := dayStart(d).Format("2006-01-02")
				entry := h.Name + " " + part.what
				if prev, dup := seen[d]; dup {
					if strings.HasSuffix(prev, " "+part.what) {
						return fail(date, field+"."+part.what, ErrDuplicateDay, fmt.Sprintf("listed twice (%s, %s)", prev, entry))
					}
					return fail(date, field+"."+part.what, ErrContradiction, fmt.Sprintf("both a day off and a working day (%s, %s)", prev, entry))
				}
				seen[d] = entry
				if part.what == "work" && !isWeekend(d) {
					return fail(date, field+".work", ErrContradiction,
						fmt.Sprintf("调休上班 day %s is a %s, not a Saturday or Sunday", date, weekdayOf(d)))
				}
			}
		}
	}
	if !s.Overlay {
		return s.checkComplete()
	}
	return nil
}

// checkLimits holds a schedule to the limits before anything else reads
// it, so that no check below does more than a bounded amount of work.
func (s *Schedule) checkLimits() error {
	if len(s.Notices) > MaxScheduleNotices {
		return tooLarge(s, "notices", fmt.Sprintf("%d notices, more than %d", len(s.Notices), MaxScheduleNotices))
	}
	if len(s.Holidays) > MaxScheduleHolidays {
		return tooLarge(s, "holidays", fmt.Sprintf("%d holiday blocks, more than %d", len(s.Holidays), MaxScheduleHolidays))
	}
	type text struct {
		field, value string
		max          int
		name         bool // a name, shown in explanations: no control characters
	}
	var texts []text
	for i, n := range s.Notices {
		f := fmt.Sprintf("notices[%d].", i)
		texts = append(texts, text{f + "number", n.Number, MaxNameBytes, true}, text{f + "issued", n.Issued, MaxNameBytes, true},
			text{f + "title", n.Title, MaxTextBytes, false}, text{f + "url", n.URL, MaxTextBytes, true})
	}
	days := 0
	for i, h := range s.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		if len(h.Notices) > MaxScheduleNotices {
			return tooLarge(s, f+".notices", fmt.Sprintf("%d references, more than %d", len(h.Notices), MaxScheduleNotices))
		}
		if days += len(h.Off) + len(h.Work); days > MaxScheduleDays {
			return tooLarge(s, f, fmt.Sprintf("the schedule lists more than %d days", MaxScheduleDays))
		}
		texts = append(texts, text{f + ".name", h.Name, MaxNameBytes, true}, text{f + ".name_en", h.NameEN, MaxNameBytes, true},
			text{f + ".note", h.Note, MaxTextBytes, false})
		for j, r := range h.Notices {
			texts = append(texts, text{fmt.Sprintf("%s.notices[%d]", f, j), r, MaxNameBytes, true})
		}
	}
	for _, t := range texts {
		if len(t.value) > t.max {
			return tooLarge(s, t.field, fmt.Sprintf("%d bytes, more than %d", len(t.value), t.max))
		}
		if t.name && strings.IndexFunc(t.value, unicode.IsControl) >= 0 {
			return &ScheduleError{Source: s.Source, Year: s.Year, Field: t.field, Kind: ErrMalformed, Detail: "contains a control character"}
		}
	}
	return nil
}
