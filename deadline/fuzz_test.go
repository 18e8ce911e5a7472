package deadline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

// The fuzz targets of the package. Their seed corpora are the f.Add calls
// below and the files in testdata/fuzz/<target>; run one with, e.g.,
//
//	go test ./deadline -run '^$' -fuzz '^FuzzLoadSchedule$' -fuzztime 60s
//
// docs/benchmarks.md records the executions and findings of the last runs.

// checkScheduleErr asserts what every loader error must be: a
// *ScheduleError, with no schedule, of one known kind, with a message.
func checkScheduleErr(t *testing.T, s *Schedule, err error) {
	t.Helper()
	if s != nil {
		t.Fatal("schedule returned with an error")
	}
	var se *ScheduleError
	if !errors.As(err, &se) || !errors.Is(err, ErrInvalidSchedule) {
		t.Fatalf("not a *ScheduleError: %v", err)
	}
	if govshare.Kind(err) == govshare.ErrInternal {
		t.Fatalf("error of no known kind: %v", err)
	}
	if m := govshare.MessageOf(err); !strings.HasPrefix(m.Code, "deadline.") || m.Zh == "" || m.En == "" {
		t.Fatalf("message %+v", m)
	}
}

// checkLoaded asserts what every successfully loaded schedule must give:
// it passes CheckSchedule, holds the limits, and, if national, builds a
// one-year calendar that answers every day of its year.
func checkLoaded(t *testing.T, s *Schedule) {
	t.Helper()
	if err := CheckSchedule(s); err != nil {
		t.Fatalf("loaded schedule fails CheckSchedule: %v", err)
	}
	days := 0
	for _, h := range s.Holidays {
		days += len(h.Off) + len(h.Work)
	}
	if days > MaxScheduleDays || len(s.Holidays) > MaxScheduleHolidays || len(s.Notices) > MaxScheduleNotices {
		t.Fatalf("over a limit: %d days, %d blocks, %d notices", days, len(s.Holidays), len(s.Notices))
	}
	if s.Overlay {
		return
	}
	c, err := New(WithSchedules(s))
	if err != nil {
		t.Fatalf("loaded schedule does not build a calendar: %v", err)
	}
	for day := Date(s.Year, 1, 1); day.Year() == s.Year; day = day.AddDate(0, 0, 1) {
		if _, err := c.IsWorkday(day); err != nil {
			t.Fatalf("%s: %v", day.Format("2006-01-02"), err)
		}
	}
}

func FuzzLoadSchedule(f *testing.F) {
	files, _ := fs.Glob(embedded, "schedules/*.json")
	for _, name := range files {
		b, _ := fs.ReadFile(embedded, name)
		f.Add(b)
	}
	f.Add([]byte(fixture2027))
	f.Add([]byte(overlayFixture))
	f.Add([]byte(minimalSchedule(2000)))
	f.Add([]byte(minimalSchedule(2199)))
	f.Add([]byte(`{"format":"govshare.schedule/1","year":2027,"notices":[],"holidays":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadSchedule(bytes.NewReader(data))
		if err != nil {
			checkScheduleErr(t, s, err)
			return
		}
		checkLoaded(t, s)
	})
}

func FuzzLoadHolidayCN(f *testing.F) {
	// The reference dataset seeds the corpus when it sits beside the
	// checkout; it is not copied into the repository.
	dir := filepath.Join("..", "..", "shared", "reference", "holiday-cn")
	if names, err := filepath.Glob(filepath.Join(dir, "20*.json")); err == nil {
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(holidayCN2027))
	f.Add([]byte(`{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"春节","date":"2027-02-20","isOffDay":false}]}`))
	f.Add([]byte(`{"year": 2027, "papers": [], "days": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadHolidayCN(bytes.NewReader(data))
		if err != nil {
			checkScheduleErr(t, s, err)
			return
		}
		checkLoaded(t, s)
	})
}

// fuzzCalendars are the calendars FuzzDue computes on: the embedded one,
// the same with the regular-week fallback, and one with the 2027 fixture.
var fuzzCalendars = sync.OnceValue(func() [3]*Calendar {
	fb, err := New(WithBase(China()), WithRegularWeekFallback())
	if err != nil {
		panic(err)
	}
	s, err := LoadSchedule(strings.NewReader(fixture2027))
	if err != nil {
		panic(err)
	}
	more, err := New(WithBase(China()), WithSchedules(s))
	if err != nil {
		panic(err)
	}
	return [3]*Calendar{China(), fb, more}
})

// FuzzDue computes random periods from random instants — any time.Time,
// any working days, extension, close of business, cut-off and pause — and
// checks that nothing panics, that every error is a typed error of a known
// kind, that End agrees with Due, and that a due is what its trace says.
func FuzzDue(f *testing.F) {
	add := func(received time.Time, p Period, which uint8) {
		var from, length int64
		if len(p.Pauses) > 0 {
			from, length = int64(p.Pauses[0].From.Sub(received)), int64(p.Pauses[0].To.Sub(p.Pauses[0].From))
		}
		f.Add(received.Unix(), int64(received.Nanosecond()), p.Workdays, p.Extension,
			int64(p.CloseOfBusiness), int64(p.Cutoff), len(p.Pauses) > 0, from, length, which)
	}
	add(at(2026, 9, 29, 15, 0), ReplyConditional, 0)
	add(at(2026, 9, 30, 17, 30), Period{Workdays: 1, Cutoff: 17 * time.Hour}, 0)
	add(at(2026, 12, 22, 10, 0), ReplyConditional, 1)
	add(at(2026, 12, 31, 10, 0), ReplyUnconditional, 2)
	add(at(2026, 11, 2, 10, 0), Period{Workdays: 10, Pauses: []Pause{{From: at(2026, 11, 4, 15, 0), To: at(2026, 11, 6, 9, 0)}}}, 0)
	add(at(2199, 12, 30, 9, 0), Period{Workdays: 5, Extension: 10, CloseOfBusiness: 17*time.Hour + 30*time.Minute}, 1)
	add(time.Time{}, Period{Workdays: 1 << 62, Extension: 1 << 62}, 1)
	f.Fuzz(func(t *testing.T, sec, nsec int64, workdays, extension int, cob, cutoff int64, paused bool, pauseFrom, pauseLen int64, which uint8) {
		received := time.Unix(sec, nsec)
		p := Period{Workdays: workdays, Extension: extension, CloseOfBusiness: time.Duration(cob), Cutoff: time.Duration(cutoff)}
		if paused {
			from := received.Add(time.Duration(pauseFrom))
			p.Pauses = []Pause{{From: from, To: from.Add(time.Duration(pauseLen)), Reason: "补正材料"}}
		}
		c := fuzzCalendars()[int(which)%3]

		due, errDue := c.Due(received, p)
		end, errEnd := c.End(received, p)
		if (errDue == nil) != (errEnd == nil) || (errDue != nil && errDue.Error() != errEnd.Error()) {
			t.Fatalf("Due and End disagree: %v / %v", errDue, errEnd)
		}
		if errDue != nil {
			var pe *PeriodError
			var ie *govshare.InstantError
			var uy *UnknownYearError
			if !errors.As(errDue, &pe) && !errors.As(errDue, &ie) && !errors.As(errDue, &uy) {
				t.Fatalf("untyped error: %v", errDue)
			}
			if govshare.Kind(errDue) == govshare.ErrInternal || govshare.MessageOf(errDue).Zh == "" {
				t.Fatalf("error of no known kind or message: %v", errDue)
			}
			return
		}
		if !govshare.InRange(received) || !govshare.InRange(due.At) {
			t.Fatalf("instants outside the supported range: received %v, due %v", received, due.At)
		}
		trace := due.Trace
		due.Trace = nil
		if !equalDue(due, end) {
			t.Fatalf("End %+v, Due %+v", end, due)
		}
		total := p.Workdays + p.Extension
		counted, provisional := 0, false
		for _, td := range trace {
			if td.Counted {
				counted++
			}
			provisional = provisional || td.Provisional
			if td.Provisional && (!strings.Contains(td.Reason, "暂定") || !strings.Contains(td.ReasonEN, "provisional")) {
				t.Fatalf("provisional day %v not marked: %s / %s", td.Day, td.Reason, td.ReasonEN)
			}
		}
		switch {
		case counted != total:
			t.Fatalf("%d days counted, period has %d", counted, total)
		case int64(len(trace)) != dayNumber(due.LastDay)-dayNumber(received)+1:
			t.Fatalf("trace of %d days from %v to %v", len(trace), received, due.LastDay)
		case provisional != due.Provisional:
			t.Fatalf("Provisional %v, trace says %v", due.Provisional, provisional)
		case due.Provisional && !c.fallback:
			t.Fatal("provisional answer from a calendar without the fallback")
		case due.Start.Before(CivilDay(received)) || !due.LastDay.After(due.Start) || due.Original.After(due.LastDay):
			t.Fatalf("days out of order: received %v start %v original %v last %v", received, due.Start, due.Original, due.LastDay)
		case !due.At.After(received):
			t.Fatalf("ends at %v, not after the receipt %v", due.At, received)
		}
		if due.Provisional != strings.Contains(due.Explain(), "暂定") || due.Provisional != strings.Contains(due.ExplainEN(), "provisional") {
			t.Fatal("explanation and Provisional disagree")
		}
		if _, err := json.Marshal(due); err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if len(p.Pauses) == 0 {
			n, err := c.WorkdaysBetween(due.Start, due.LastDay)
			if (err != nil && !errors.Is(err, ErrProvisional)) || n != total {
				t.Fatalf("WorkdaysBetween(start, last) = %d, %v; want %d", n, err, total)
			}
			last, err := c.AddWorkdays(due.Start, total)
			if (err != nil && !errors.Is(err, ErrProvisional)) || !last.Equal(due.LastDay) {
				t.Fatalf("AddWorkdays(start, %d) = %v, %v; want %v", total, last, err, due.LastDay)
			}
			// Backwards, the count may leave 2000–2199 before it reaches
			// the day of receipt (a period received on 2000-01-01).
			back, err := c.AddWorkdays(due.LastDay, -total)
			answered := err == nil || errors.Is(err, ErrProvisional)
			if (!answered && !errors.Is(err, govshare.ErrInstant)) || (answered && back.After(due.Start)) {
				t.Fatalf("AddWorkdays(last, -%d) = %v, %v; want at most %v", total, back, err, due.Start)
			}
		}
	})
}

// equalDue compares two trace-less dues, instants by Equal.
func equalDue(a, b Due) bool {
	return a.Received.Equal(b.Received) && a.Start.Equal(b.Start) && a.Original.Equal(b.Original) &&
		a.LastDay.Equal(b.LastDay) && a.At.Equal(b.At) && a.Provisional == b.Provisional &&
		a.Period.Workdays == b.Period.Workdays && a.Period.Extension == b.Period.Extension
}
