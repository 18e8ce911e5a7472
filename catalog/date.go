package catalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/internal/fold"
)

// Date is a day of the calendar without a time of day, such as the 发布日期
// an entry states: the civil date in China, where the catalog is kept. The
// zero value means not stated. It marshals to "2026-03-02".
type Date struct {
	Year  int        // e.g. 2026
	Month time.Month // January is 1
	Day   int        // of the month, from 1
}

// The years a Date may have (policy default): dates before the first
// catalogs, or beyond what RFC 3339 writes, are mistakes.
const (
	minYear = 1900
	maxYear = 9999
)

var citeDate = govshare.PolicyDefault("政务信息资源目录编制指南（试行） 发布日期；GB/T 7408 日期表示法")

// DateOf returns the day t falls on in China Standard Time.
func DateOf(t time.Time) Date {
	y, m, d := t.In(deadline.CST).Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date, not stated.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a day of the calendar in the years 1900 to
// 9999.
func (d Date) Valid() bool {
	if d.Year < minYear || d.Year > maxYear || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns midnight of d in China Standard Time.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, deadline.CST) }

// String returns d as 2026-03-02, "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText returns d as 2026-03-02, the empty text for the zero Date;
// a Date that is not Valid is an error of kind govshare.ErrMalformed.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsZero() && !d.Valid() {
		return nil, dateError(fmt.Sprintf("%d-%d-%d", d.Year, d.Month, d.Day))
	}
	return []byte(d.String()), nil
}

// UnmarshalText accepts what ParseDate accepts; the empty text is the
// zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDate reads a date as people write one: 2026-03-02, 2026-3-2,
// 2026/03/02, 2026.3.2, 2026年3月2日 or 20260302, in full-width digits too.
// Spaces around it are ignored and the blank text is the zero Date. A date
// that is not a day of the calendar in the years 1900 to 9999 is an error
// of kind govshare.ErrMalformed.
func ParseDate(s string) (Date, error) {
	t := strings.TrimFunc(fold.Width(s), isSpace)
	if t == "" {
		return Date{}, nil
	}
	var parts []string
	switch {
	case len(t) == 8 && digits(t):
		parts = []string{t[:4], t[4:6], t[6:]}
	case strings.HasSuffix(t, "日") && strings.Contains(t, "年") && strings.Contains(t, "月"):
		parts = strings.FieldsFunc(strings.TrimSuffix(t, "日"), func(r rune) bool { return r == '年' || r == '月' })
	default:
		for _, sep := range []string{"-", "/", "."} {
			if strings.Count(t, sep) == 2 {
				parts = strings.Split(t, sep)
				break
			}
		}
	}
	if len(parts) != 3 {
		return Date{}, dateError(s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || !digits(p) || len(p) > 4 || (i > 0 && len(p) > 2) {
			return Date{}, dateError(s)
		}
		n[i] = v
	}
	d := Date{n[0], time.Month(n[1]), n[2]}
	if !d.Valid() {
		return Date{}, dateError(s)
	}
	return d, nil
}

func dateError(s string) error {
	return &govshare.CodedError{Kind: govshare.ErrMalformed, Code: CodeInvalidDate,
		Zh: fmt.Sprintf("“%s”不是有效的日期（应如2026-03-02，%d年至%d年）", s, minYear, maxYear),
		En: fmt.Sprintf("catalog: %q is not a date such as 2026-03-02 in the years %d to %d", s, minYear, maxYear)}
}

// excelEpoch is day 0 of the serial numbers a spreadsheet stores dates as
// (the 1900 date system, counting its fictitious 29 February 1900).
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// parseDateCell reads a 发布日期 cell: the text ParseDate reads, or the
// serial number a spreadsheet program stores a date typed into a date
// cell as (46083 is 2026-03-02).
func parseDateCell(cell string) (Date, error) {
	s := normCode(cell)
	if f, err := strconv.ParseFloat(s, 64); err == nil && len(s) != 8 {
		// 61 is 1 March 1900, the first serial after the fictitious day;
		// 2958465 is 31 December 9999.
		if f != math.Trunc(f) || f < 61 || f > 2958465 {
			return Date{}, dateError(cell)
		}
		t := excelEpoch.AddDate(0, 0, int(f))
		return Date{t.Year(), t.Month(), t.Day()}, nil
	}
	return ParseDate(s)
}
