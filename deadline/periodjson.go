package deadline

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare"
)

// periodJSON is the JSON form of a Period: lowercase members, and the two
// times of day as clock times, so that no Go field name or nanosecond
// count reaches the wire.
type periodJSON struct {
	Workdays        int               `json:"workdays"`
	Extension       int               `json:"extension,omitempty"`
	Citation        govshare.Citation `json:"citation,omitzero"`
	CloseOfBusiness string            `json:"close_of_business,omitempty"`
	Cutoff          string            `json:"cutoff,omitempty"`
	Pauses          []Pause           `json:"pauses,omitempty"`
}

// MarshalJSON writes the period with lowercase members; CloseOfBusiness
// and Cutoff are clock times "HH:MM" (with ":SS" and a fraction when the
// duration has them), omitted when zero. A time of day outside 00:00–24:00
// is a *PeriodError.
func (p Period) MarshalJSON() ([]byte, error) {
	j := periodJSON{Workdays: p.Workdays, Extension: p.Extension, Citation: p.Citation, Pauses: p.Pauses}
	var err error
	if j.CloseOfBusiness, err = clockText("CloseOfBusiness", p.CloseOfBusiness); err != nil {
		return nil, err
	}
	if j.Cutoff, err = clockText("Cutoff", p.Cutoff); err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes. A clock time that cannot be
// read is an error matching govshare.ErrMalformed; whether the period can
// be computed is for Due to check.
func (p *Period) UnmarshalJSON(data []byte) error {
	var j periodJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	cob, err := parseClock("close_of_business", "下班时间", j.CloseOfBusiness)
	if err != nil {
		return err
	}
	cutoff, err := parseClock("cutoff", "收件截止时间", j.Cutoff)
	if err != nil {
		return err
	}
	*p = Period{Workdays: j.Workdays, Extension: j.Extension, Citation: j.Citation,
		CloseOfBusiness: cob, Cutoff: cutoff, Pauses: j.Pauses}
	return nil
}

func clockText(field string, d time.Duration) (string, error) {
	switch {
	case d == 0:
		return "", nil
	case d < 0 || d > 24*time.Hour:
		return "", &PeriodError{Field: field, Problem: fmt.Sprintf("%v is not a time of day", d), zh: "不是一天中的时刻"}
	}
	h, m := d/time.Hour, d%time.Hour/time.Minute
	s, ns := d%time.Minute/time.Second, d%time.Second
	out := fmt.Sprintf("%02d:%02d", h, m)
	if s != 0 || ns != 0 {
		out += fmt.Sprintf(":%02d", s)
	}
	if ns != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%09d", ns), "0")
	}
	return out, nil
}

// parseClock reads "HH:MM", "HH:MM:SS" or "HH:MM:SS.fraction", from 00:00
// to 24:00.
func parseClock(field, zh, text string) (time.Duration, error) {
	if text == "" {
		return 0, nil
	}
	bad := func() error {
		return &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "deadline.clock_time",
			Zh: "期限的" + zh + "应为“时:分”格式的时刻（00:00–24:00），实为“" + text + "”",
			En: fmt.Sprintf("deadline: period %s: want a clock time HH:MM from 00:00 to 24:00, got %q", field, text)}
	}
	parts := strings.Split(text, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad()
	}
	num := func(s string, max int) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && len(s) == 2 && n >= 0 && n <= max
	}
	h, ok1 := num(parts[0], 24)
	m, ok2 := num(parts[1], 59)
	if !ok1 || !ok2 {
		return 0, bad()
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if len(parts) == 3 {
		whole, frac, hasFrac := strings.Cut(parts[2], ".")
		s, ok := num(whole, 59)
		if !ok || (hasFrac && (frac == "" || len(frac) > 9 || strings.Trim(frac, "0123456789") != "")) {
			return 0, bad()
		}
		d += time.Duration(s) * time.Second
		if hasFrac {
			ns, _ := strconv.Atoi((frac + "000000000")[:9])
			d += time.Duration(ns)
		}
	}
	if d > 24*time.Hour {
		return 0, bad()
	}
	return d, nil
}
