package deadline

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// checkLoaded asserts what every successfully loaded national schedule must
// give: a one-year calendar that answers every day of its year.
func checkLoaded(t *testing.T, s *Schedule) {
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
	f.Add([]byte(`{"format":"govshare.schedule/1","year":2027,"notices":[],"holidays":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadSchedule(bytes.NewReader(data))
		if err != nil {
			if s != nil {
				t.Fatal("schedule returned with an error")
			}
			return
		}
		checkLoaded(t, s)
	})
}

func FuzzLoadHolidayCN(f *testing.F) {
	dir := filepath.Join("..", "..", "shared", "reference", "holiday-cn")
	if names, err := filepath.Glob(filepath.Join(dir, "20*.json")); err == nil {
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"year": 2027, "papers": ["u"], "days": [{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"春节","date":"2027-02-20","isOffDay":false}]}`))
	f.Add([]byte(`{"year": 2027, "papers": [], "days": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadHolidayCN(bytes.NewReader(data))
		if err != nil {
			if s != nil {
				t.Fatal("schedule returned with an error")
			}
			return
		}
		checkLoaded(t, s)
	})
}
