package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// Deadline is a computed deadline as the API and the command's --json
// print it: the last day, the instant the period ends and every day from
// the receipt to the last day with the reason it counts or not.
type Deadline struct {
	// LastDay is the last day of the period, YYYY-MM-DD (China civil date).
	LastDay string `json:"last_day"`
	// Due is the instant the period ends, RFC 3339 in China Standard Time:
	// 24:00 of the last day (00:00 of the next), or its close of business.
	Due time.Time `json:"due"`
	// Received is the receipt instant; Start the day counted as the day
	// of receipt (the next working day after a cut-off).
	Received time.Time `json:"received"`
	Start    string    `json:"start"`
	// Workdays and Extension are the period counted.
	Workdays  int `json:"workdays"`
	Extension int `json:"extension,omitempty"`
	// Provisional is set when a day was taken from the regular week.
	Provisional bool `json:"provisional,omitempty"`
	// Days are the days from the receipt to the last day.
	Days []Day `json:"days"`
	// ExplainZh and ExplainEN are deadline.Due's Explain and ExplainEN.
	ExplainZh string `json:"explain_zh"`
	ExplainEN string `json:"explain_en"`
}

// Day is one day of a deadline's computation.
type Day struct {
	// Date is the civil day, YYYY-MM-DD; Weekday its Chinese name.
	Date    string `json:"date"`
	Weekday string `json:"weekday"`
	// Kind says whether and why it is a working day (workday, weekend,
	// holiday, makeup_workday); Holiday and HolidayEN name its block.
	Kind      deadline.DayKind `json:"kind"`
	Holiday   string           `json:"holiday,omitempty"`
	HolidayEN string           `json:"holiday_en,omitempty"`
	// Counted says whether the day counts; Ordinal is its number among
	// the counted days; Extension marks a day of the extension.
	Counted   bool `json:"counted"`
	Ordinal   int  `json:"ordinal,omitempty"`
	Extension bool `json:"extension,omitempty"`
	// Provisional marks a day taken from the regular week.
	Provisional bool `json:"provisional,omitempty"`
	// Reason and ReasonEN say why the day counts or not.
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"`
}

// DeadlineOf returns the deadline as the API sends it.
func DeadlineOf(d deadline.Due) Deadline {
	out := Deadline{
		LastDay: d.LastDay.In(deadline.CST).Format(time.DateOnly), Due: d.At.In(deadline.CST),
		Received: d.Received.In(deadline.CST), Start: d.Start.In(deadline.CST).Format(time.DateOnly),
		Workdays: d.Period.Workdays, Extension: d.Period.Extension, Provisional: d.Provisional,
		Days: make([]Day, 0, len(d.Trace)), ExplainZh: d.Explain(), ExplainEN: d.ExplainEN(),
	}
	for _, t := range d.Trace {
		day := t.Day.In(deadline.CST)
		out.Days = append(out.Days, Day{Date: day.Format(time.DateOnly), Weekday: deadline.WeekdayZh(day.Weekday()),
			Kind: t.Kind, Holiday: t.Holiday, HolidayEN: t.HolidayEN, Counted: t.Counted, Ordinal: t.Ordinal,
			Extension: t.Extension, Provisional: t.Provisional, Reason: t.Reason, ReasonEN: t.ReasonEN})
	}
	return out
}

// dueCalendar is a calendar that explains its deadlines day by day, as
// *deadline.Calendar does.
type dueCalendar interface {
	Due(received time.Time, p deadline.Period) (deadline.Due, error)
}

// deadline computes a period from a receipt with the Service's calendar:
// ?received=…&days=10[&extension=N][&close_of_business=17:30][&cutoff=16:00].
func (h *Handler) deadline(w http.ResponseWriter, r *http.Request, _ govshare.Actor) error {
	q := r.URL.Query()
	received, err := ParseInstant(q.Get("received"))
	if err != nil {
		return err
	}
	days, err := queryInt(r, "days", 0, 36_600)
	if err != nil {
		return err
	}
	ext, err := queryInt(r, "extension", 0, 36_600)
	if err != nil {
		return err
	}
	p := deadline.Period{Workdays: days, Extension: ext}
	if p.CloseOfBusiness, err = parseClockParam(q.Get("close_of_business"), "close_of_business"); err != nil {
		return err
	}
	if p.Cutoff, err = parseClockParam(q.Get("cutoff"), "cutoff"); err != nil {
		return err
	}
	cal, ok := h.svc.Calendar().(dueCalendar)
	if !ok {
		cal = deadline.China()
	}
	due, err := cal.Due(received, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, DeadlineOf(due))
	return nil
}

// ParseInstant reads an instant as the API and the command accept it:
// RFC 3339 (2025-09-30T15:00:00+08:00), or a China civil date and time
// without an offset (2025-09-30T15:00, 2025-09-30 15:00), or a date alone
// (2025-09-30, at 00:00), both in China Standard Time. A text it cannot
// read is an error matching govshare.ErrMalformed; an instant outside
// 2000–2199 one matching govshare.ErrInvalid.
func ParseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, malformed("invalid_instant", "缺少时间（如 2025-09-30T15:00:00+08:00）",
			"an instant is required, e.g. 2025-09-30T15:00:00+08:00", nil)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly} {
			if t, err = time.ParseInLocation(layout, s, deadline.CST); err == nil {
				break
			}
		}
	}
	if err != nil {
		return time.Time{}, malformed("invalid_instant", fmt.Sprintf("时间“%s”无法识别，应为 RFC 3339（如 2025-09-30T15:00:00+08:00）或北京时间的日期和时刻", s),
			fmt.Sprintf("cannot read the instant %q: want RFC 3339 (2025-09-30T15:00:00+08:00) or a China civil date and time", s), err)
	}
	if err := govshare.CheckInstant("time", t); err != nil {
		return time.Time{}, err
	}
	return t.In(deadline.CST), nil
}

// ParseClock reads a time of day, HH:MM or HH:MM:SS from 00:00 to 24:00,
// as a duration from midnight: the close of business and the cut-off of a
// period. An empty text is zero (none).
func ParseClock(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	parts := strings.Split(s, ":")
	bad := malformed("invalid_clock", fmt.Sprintf("时刻“%s”无法识别，应为 HH:MM（如 17:30）", s),
		fmt.Sprintf("cannot read the time of day %q: want HH:MM, e.g. 17:30", s), nil)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) != 2 || v < 0 {
			return 0, bad
		}
		n[i] = v
	}
	d := time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second
	if n[1] > 59 || n[2] > 59 || d > 24*time.Hour {
		return 0, bad
	}
	return d, nil
}

func parseClockParam(s, name string) (time.Duration, error) {
	d, err := ParseClock(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}
