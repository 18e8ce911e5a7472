package deadline_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// A conditional application received on Tuesday 2026-09-29 at 15:00 must be
// answered within 10 working days (R11). The National Day block (10-01 to
// 10-07) does not count; Saturday 10-10 is a 调休 working day and does.
func Example() {
	received := time.Date(2026, time.September, 29, 15, 0, 0, 0, deadline.CST)
	due, err := deadline.China().Due(received, deadline.ReplyConditional)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("last day:", due.LastDay.Format("2006-01-02 Mon"))
	fmt.Println("ends at: ", due.At.Format("2006-01-02 15:04 MST"))
	fmt.Println(due.Overdue(time.Date(2026, 10, 19, 23, 59, 0, 0, deadline.CST)))
	// Output:
	// last day: 2026-10-19 Mon
	// ends at:  2026-10-20 00:00 CST
	// false
}

func ExampleCalendar_AddWorkdays() {
	c := deadline.China()
	// One working day after New Year's Eve 2025 is Sunday 2026-01-04, a
	// 调休 working day.
	day, _ := c.AddWorkdays(time.Date(2025, 12, 31, 9, 0, 0, 0, deadline.CST), 1)
	fmt.Println(day.Format("2006-01-02 Mon"))
	// Inputs in any zone are first turned into the China civil day:
	// 16:30 UTC on 30 September is already 1 October in China.
	day, _ = c.AddWorkdays(time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC), 1)
	fmt.Println(day.Format("2006-01-02 Mon"))
	// Output:
	// 2026-01-04 Sun
	// 2026-10-08 Thu
}

// Years without an official schedule are refused, never guessed.
func ExampleErrUnknownYear() {
	_, err := deadline.China().AddWorkdays(time.Date(2026, 12, 31, 0, 0, 0, 0, deadline.CST), 1)
	var uy *deadline.UnknownYearError
	if errors.As(err, &uy) {
		fmt.Println(uy.Year, uy.First, uy.Last)
	}
	fmt.Println(errors.Is(err, deadline.ErrUnknownYear))
	// Output:
	// 2027 2007 2026
	// true
}

// A host that prefers a provisional answer to none opts in explicitly, and
// every answer from the regular week says so.
func ExampleWithRegularWeekFallback() {
	c, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithRegularWeekFallback())
	if err != nil {
		fmt.Println(err)
		return
	}
	day, err := c.AddWorkdays(time.Date(2026, 12, 31, 0, 0, 0, 0, deadline.CST), 1)
	fmt.Println(day.Format("2006-01-02"), errors.Is(err, deadline.ErrProvisional))
	// Output:
	// 2027-01-01 true
}

// When the State Council publishes a new year's notice, load it (here a
// made-up file in the holiday-cn format) and extend the calendar. A file
// that lacks a festival of 《全国年节及纪念日放假办法》 is refused.
func ExampleLoadHolidayCN() {
	file := `{"year": 2027, "papers": ["https://example.invalid/2027-notice"], "days": [
		{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
		{"name": "春节", "date": "2027-02-05", "isOffDay": true},
		{"name": "春节", "date": "2027-02-08", "isOffDay": true},
		{"name": "春节", "date": "2027-02-09", "isOffDay": true},
		{"name": "春节", "date": "2027-02-10", "isOffDay": true},
		{"name": "清明节", "date": "2027-04-05", "isOffDay": true},
		{"name": "劳动节", "date": "2027-05-03", "isOffDay": true},
		{"name": "劳动节", "date": "2027-05-04", "isOffDay": true},
		{"name": "端午节", "date": "2027-06-09", "isOffDay": true},
		{"name": "中秋节", "date": "2027-09-15", "isOffDay": true},
		{"name": "国庆节", "date": "2027-10-01", "isOffDay": true},
		{"name": "国庆节", "date": "2027-10-04", "isOffDay": true},
		{"name": "国庆节", "date": "2027-10-05", "isOffDay": true}]}`
	s, err := deadline.LoadHolidayCN(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithSchedules(s))
	if err != nil {
		fmt.Println(err)
		return
	}
	first, last := c.Years()
	day, _ := c.AddWorkdays(time.Date(2026, 12, 31, 0, 0, 0, 0, deadline.CST), 1)
	fmt.Println(first, last, day.Format("2006-01-02"))

	_, err = deadline.LoadHolidayCN(strings.NewReader(`{"year": 2027, "papers": ["https://example.invalid/2027-notice"],
		"days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`))
	var se *deadline.ScheduleError
	if errors.As(err, &se) {
		fmt.Println(se.Year, se.Festival, errors.Is(err, deadline.ErrIncomplete))
	}

	_, err = deadline.LoadHolidayCN(strings.NewReader(`{"year": 2028, "papers": [], "days": []}`))
	fmt.Println(errors.Is(err, deadline.ErrUnannounced))
	// Output:
	// 2007 2027 2027-01-04
	// 2027 春节 true
	// true
}

// The festivals a national schedule must give their statutory days off
// (CheckSchedule), as 《全国年节及纪念日放假办法》 stands in each year.
func ExampleFestivals() {
	for _, year := range []int{2007, 2024, 2025} {
		fmt.Print(year)
		for _, f := range deadline.Festivals(year) {
			fmt.Printf(" %s%d", f.Name, f.Days)
		}
		fmt.Println()
	}
	// Output:
	// 2007 元旦1 春节3 劳动节3 国庆节3
	// 2024 元旦1 春节3 清明节1 劳动节1 端午节1 中秋节1 国庆节3
	// 2025 元旦1 春节4 清明节1 劳动节2 端午节1 中秋节1 国庆节3
}

func ExampleCalendar_Describe() {
	info, _ := deadline.China().Describe(time.Date(2026, 10, 10, 0, 0, 0, 0, deadline.CST))
	fmt.Println(info.Kind, info.Holiday, info.Notices[0].Number)
	// Output:
	// 调休上班 国庆节 国办发明电〔2025〕7号
}

// New builds a calendar from options; a bad option value is refused with
// an error of kind govshare.ErrInvalid, and nothing is half-built.
func ExampleNew() {
	overlay, err := deadline.LoadSchedule(strings.NewReader(`{
	  "format": "govshare.schedule/1", "year": 2026, "region": "650000", "overlay": true,
	  "notices": [{"number": "示例地方通知", "title": "示例（非官方）", "issued": "2026-05-01", "url": "https://example.invalid/xj"}],
	  "holidays": [{"name": "地方节日（示例）", "name_en": "local festival (example)", "notices": ["示例地方通知"], "off": ["2026-05-27"]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	xj, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithSchedules(overlay))
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := xj.IsWorkday(deadline.Date(2026, 5, 27))
	national, _ := deadline.China().IsWorkday(deadline.Date(2026, 5, 27))
	fmt.Println(w, national)

	_, err = deadline.New(deadline.WithBase(nil))
	fmt.Println(errors.Is(err, govshare.ErrInvalid), govshare.HTTPStatus(err))
	// Output:
	// false true
	// true 422
}

// Hosts already built on github.com/rickar/cal/v2 keep their code:
// Business gives the same official days as a cal.BusinessCalendar, every
// day off a named holiday and the 调休 weekends working days. Inside the
// covered years it agrees with the Calendar; outside them it answers from
// the regular week without an error, and it is thousands of times slower
// (BenchmarkRickarWorkdaysFrom), so new code uses the Calendar itself.
func ExampleCalendar_Business() {
	bc := deadline.China().Business()
	saturday := time.Date(2026, 10, 10, 9, 0, 0, 0, deadline.CST)
	fmt.Println(bc.IsWorkday(saturday))
	actual, _, h := bc.IsHoliday(time.Date(2026, 10, 1, 9, 0, 0, 0, deadline.CST))
	fmt.Println(actual, h.Name, h.Description)
	fmt.Println(bc.WorkdaysFrom(time.Date(2026, 9, 29, 15, 0, 0, 0, deadline.CST), 10).Format("2006-01-02"))
	// Output:
	// true
	// true 国庆节 National Day
	// 2026-10-19
}
