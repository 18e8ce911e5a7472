package deadline

import (
	"fmt"
	"testing"
	"time"
)

// benchDays are receipt instants spread over 2007–2026 at varied times of
// day, so the benchmarks do not measure one cached answer.
var benchDays = func() []time.Time {
	out := make([]time.Time, 0, 1024)
	for i := 0; i < 1024; i++ {
		out = append(out, time.Date(2007+i%19, time.Month(1+i%12), 1+i%28, i%24, i%60, 0, 0, CST))
	}
	return out
}()

var sinkTime time.Time
var sinkBool bool

// BenchmarkAddWorkdays measures govshare's calendar; run it together with
// BenchmarkRickarWorkdaysFrom for the comparison in docs/benchmarks.md.
func BenchmarkAddWorkdays(b *testing.B) {
	c := China()
	for _, n := range []int{1, 10, 250} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				t, err := c.AddWorkdays(benchDays[i&1023], n)
				if err != nil {
					b.Fatal(err)
				}
				sinkTime = t
			}
		})
	}
}

// BenchmarkRickarWorkdaysFrom is the alternative: rickar/cal/v2's
// BusinessCalendar with the same 2007–2026 days off registered as holidays
// (and the same 调休 working weekends), answering WorkdaysFrom.
func BenchmarkRickarWorkdaysFrom(b *testing.B) {
	bc := China().Business()
	for _, n := range []int{1, 10, 250} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkTime = bc.WorkdaysFrom(benchDays[i&1023], n)
			}
		})
	}
}

func BenchmarkIsWorkday(b *testing.B) {
	c := China()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w, err := c.IsWorkday(benchDays[i&1023])
		if err != nil {
			b.Fatal(err)
		}
		sinkBool = w
	}
}

// BenchmarkChinaBuild measures what China() does once: read the 20
// embedded schedules and build the index.
func BenchmarkChinaBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := fromFS(embedded, "schedules"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	c := China()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d, err := c.Due(benchDays[i&1023], ReplyConditional)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = d.At
	}
}

func BenchmarkEnd(b *testing.B) {
	c := China()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d, err := c.End(benchDays[i&1023], ReplyConditional)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = d.At
	}
}
