package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/deadline"
)

const calendarHelp = `用法 usage:
  govshare calendar check FILE...
  govshare calendar convert --from holiday-cn FILE > 2027.json
  govshare calendar show YEAR [--month M] [--schedule FILE]...

check    检查放假安排文件（本项目格式或 holiday-cn 格式，自动识别）：格式、日期、来源通知，
         以及《全国年节及纪念日放假办法》规定的每个节日是否都有法定的放假天数；缺少的节日会被点名。
         Checks schedule files (govshare or holiday-cn format, detected): shape,
         dates, source notices, and that every festival of the statute has its
         statutory days off; a missing festival is named.
convert  把 holiday-cn 格式的文件转换为本项目格式，写到标准输出（写出前会重新读入并检查）。
         Converts a holiday-cn file to govshare's format on standard output
         (read back and checked before it is written).
show     显示一年（或一个月）的月历，标出节假日（休）和调休上班日（班）。
         Draws month grids with holidays (休) and make-up working days (班).

退出码 exit status: 0 通过 all pass; 1 有文件未通过检查 a file fails its check;
2 用法错误或文件无法读取 usage error or unreadable file; 3 该年份尚未公布放假安排
(holiday-cn 以空文件表示) or no schedule for the year. 多个文件时取最严重的：2，再 1，再 3。
With several files, the most serious: 2, then 1, then 3.
`

func calendarCmd(ctx context.Context, args []string, e env) error {
	return subcommand(ctx, "calendar", calendarHelp, map[string]command{
		"check":   calendarCheck,
		"convert": calendarConvert,
		"show":    calendarShow,
	}, args, e)
}

// worse returns the more serious of two exit codes: 2, then 1, then 3.
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitNoYear: 1, exitProblems: 2, exitUsage: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func calendarCheck(_ context.Context, args []string, e env) error {
	fs := flags("calendar check", calendarHelp, e)
	paths, err := parse(fs, calendarHelp, e, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError("须给出至少一个文件", "give at least one file")
	}
	code := exitOK
	for _, p := range paths {
		s, err := loadScheduleFile(p)
		if err != nil {
			c := exitUsage
			var x *exitError
			if errors.As(err, &x) {
				c = x.code
			}
			code = worse(code, c)
			report(e.stdout, "不通过 FAIL "+p, err)
			continue
		}
		off, work := 0, 0
		for _, h := range s.Holidays {
			off += len(h.Off)
			work += len(h.Work)
		}
		kind := "全国 national"
		if s.Overlay {
			kind = "地方 overlay " + s.Region
		}
		fmt.Fprintf(e.stdout, "通过 OK %s: %d年（%s）%d个假期，放假%d天，调休上班%d天；%d holiday blocks, %d days off, %d make-up working days\n",
			p, s.Year, kind, len(s.Holidays), off, work, len(s.Holidays), off, work)
	}
	if code != exitOK {
		return silent(code)
	}
	return nil
}

func calendarConvert(_ context.Context, args []string, e env) error {
	fs := flags("calendar convert", calendarHelp, e)
	from := fs.String("from", "", "")
	pos, err := parse(fs, calendarHelp, e, args)
	if err != nil {
		return err
	}
	var f scheduleFormat
	switch *from {
	case string(formatHolidayCN):
		f = formatHolidayCN
	case string(formatGovshare):
		f = formatGovshare
	default:
		return usageError("须给出 --from holiday-cn（或 govshare）", "--from holiday-cn (or govshare) is required")
	}
	if len(pos) != 1 {
		return usageError("须给出一个文件", "give one file")
	}
	data, err := readBounded(pos[0], deadline.MaxScheduleBytes)
	if err != nil {
		return err
	}
	s, err := loadSchedule(pos[0], data, f)
	if err != nil {
		return err
	}
	out, err := encodeSchedule(s)
	if err != nil {
		return fail(exitProblems, err)
	}
	// What we write must read back as the same schedule.
	back, err := deadline.LoadSchedule(bytes.NewReader(out))
	if err != nil {
		return fail(exitProblems, fmt.Errorf("the converted schedule does not read back: %w", err))
	}
	if !sameDays(s, back) {
		return fail(exitProblems, errors.New("the converted schedule reads back with other days"))
	}
	_, err = e.stdout.Write(out)
	return err
}

// scheduleFile is govshare's schedule format (deadline's package
// documentation), as this command writes it.
type scheduleFile struct {
	Format   string            `json:"format"`
	Year     int               `json:"year"`
	Region   string            `json:"region,omitempty"`
	Overlay  bool              `json:"overlay,omitempty"`
	Notices  []deadline.Notice `json:"notices"`
	Holidays []holidayFile     `json:"holidays"`
}

type holidayFile struct {
	Name    string   `json:"name"`
	NameEN  string   `json:"name_en"`
	Notices []string `json:"notices"`
	Off     []string `json:"off"`
	Work    []string `json:"work"`
	Note    string   `json:"note,omitempty"`
}

// encodeSchedule writes s in govshare's format, runs of days off as
// ranges, indented as the embedded files are.
func encodeSchedule(s *deadline.Schedule) ([]byte, error) {
	f := scheduleFile{Format: deadline.FormatV1, Year: s.Year, Region: s.Region, Overlay: s.Overlay,
		Notices: s.Notices, Holidays: []holidayFile{}}
	for _, h := range s.Holidays {
		f.Holidays = append(f.Holidays, holidayFile{Name: h.Name, NameEN: h.NameEN, Notices: h.Notices,
			Off: ranges(h.Off), Work: ranges(h.Work), Note: h.Note})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ranges writes ascending days, runs of consecutive days as "a..b".
func ranges(days []time.Time) []string {
	out := []string{}
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1].Sub(days[j]) == 24*time.Hour {
			j++
		}
		a := days[i].In(deadline.CST).Format(time.DateOnly)
		if j == i {
			out = append(out, a)
		} else {
			out = append(out, a+".."+days[j].In(deadline.CST).Format(time.DateOnly))
		}
		i = j + 1
	}
	return out
}

func sameDays(a, b *deadline.Schedule) bool {
	if a.Year != b.Year || len(a.Holidays) != len(b.Holidays) {
		return false
	}
	for i := range a.Holidays {
		x, y := a.Holidays[i], b.Holidays[i]
		if x.Name != y.Name || !sameTimes(x.Off, y.Off) || !sameTimes(x.Work, y.Work) {
			return false
		}
	}
	return true
}

func sameTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func calendarShow(_ context.Context, args []string, e env) error {
	fs := flags("calendar show", calendarHelp, e)
	month := fs.Int("month", 0, "")
	var schedules files
	fs.Var(&schedules, "schedule", "")
	pos, err := parse(fs, calendarHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("须给出年份，如 govshare calendar show 2026", "give a year, e.g. govshare calendar show 2026")
	}
	year, err := strconv.Atoi(pos[0])
	if err != nil || year < 2000 || year > 2199 {
		return usageError("年份应为 2000 到 2199 之间的整数", "the year must be a number from 2000 to 2199")
	}
	if *month < 0 || *month > 12 {
		return usageError("--month 应为 1 到 12", "--month must be 1 to 12")
	}
	cal, err := calendarWith(schedules, e)
	if err != nil {
		return err
	}
	first, last := cal.Years()
	if year < first || year > last {
		return fail(exitNoYear, &deadline.UnknownYearError{Year: year, First: first, Last: last})
	}
	months := []time.Month{time.Month(*month)}
	if *month == 0 {
		months = nil
		for m := time.January; m <= time.December; m++ {
			months = append(months, m)
		}
	}
	var sources []deadline.Notice
	for i, m := range months {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		if err := drawMonth(e.stdout, cal, year, m, &sources); err != nil {
			return fail(codeOf(err), err)
		}
	}
	fmt.Fprintln(e.stdout, "\n休 = 节假日 holiday；班 = 调休上班 make-up working day")
	for _, n := range sources {
		fmt.Fprintf(e.stdout, "依据 source: %s\n", strings.Join(nonEmpty(n.Number, n.Title, n.URL), " "))
	}
	return nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// drawMonth draws one month, Monday first, each day five columns wide: the
// day and 休 for a day off or 班 for a make-up working day, then the
// month's holidays by name.
// The notices the marked days come from are added to sources.
func drawMonth(w io.Writer, cal *deadline.Calendar, year int, m time.Month, sources *[]deadline.Notice) error {
	fmt.Fprintf(w, "%d年%d月  %s %d\n", year, int(m), m, year)
	fmt.Fprintln(w, "   一   二   三   四   五   六   日")
	first := deadline.Date(year, m, 1)
	var line strings.Builder
	line.WriteString(strings.Repeat("     ", (int(first.Weekday())+6)%7))
	type block struct {
		name, en  string
		off, work []time.Time
	}
	var blocks []*block
	byName := map[string]*block{}
	for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
		info, err := cal.Describe(d)
		if err != nil {
			return err
		}
		mark := "  "
		switch info.Kind {
		case deadline.HolidayOff:
			mark = "休"
		case deadline.MakeupWorkday:
			mark = "班"
		}
		fmt.Fprintf(&line, "%3d%s", d.Day(), mark)
		for _, n := range info.Notices {
			if !slices.Contains(*sources, n) {
				*sources = append(*sources, n)
			}
		}
		if mark != "  " && info.Holiday != "" {
			b := byName[info.Holiday]
			if b == nil {
				b = &block{name: info.Holiday, en: info.HolidayEN}
				byName[info.Holiday] = b
				blocks = append(blocks, b)
			}
			if info.Kind == deadline.HolidayOff {
				b.off = append(b.off, d)
			} else {
				b.work = append(b.work, d)
			}
		}
		if d.Weekday() == time.Sunday {
			fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
			line.Reset()
		}
	}
	if line.Len() > 0 {
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
	for _, b := range blocks {
		s := "  " + b.name
		if b.en != "" && b.en != b.name {
			s += " " + b.en
		}
		if len(b.off) > 0 {
			s += fmt.Sprintf("：休 %s（%d天 days off）", strings.Join(monthDays(b.off), "、"), len(b.off))
		}
		if len(b.work) > 0 {
			s += "；班 " + strings.Join(monthDays(b.work), "、")
		}
		fmt.Fprintln(w, s)
	}
	return nil
}

// monthDays writes days as MM-DD, runs of consecutive days as "a..b".
func monthDays(days []time.Time) []string {
	out := ranges(days)
	for i, r := range out {
		out[i] = strings.ReplaceAll(r, strconv.Itoa(days[0].Year())+"-", "")
	}
	return out
}
