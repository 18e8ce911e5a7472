package httpapi

import (
	"context"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

func TestStates(t *testing.T) {
	f := newFixture(t)
	var m StateMachine
	want(t, f.do("GET", "/v1/states", "wang", nil), http.StatusOK, &m)
	if len(m.Transitions) != len(request.Table()) || len(m.States) != len(request.States()) || len(m.Commands) != len(request.CommandNames()) {
		t.Fatalf("%d transitions, %d states", len(m.Transitions), len(m.States))
	}
	found := false
	for _, tr := range m.Transitions {
		if tr.From == request.UnderReview && tr.Command == request.CmdAgree && tr.To == request.Approved {
			found = true
		}
	}
	if !found {
		t.Error("no under_review --agree--> approved row")
	}
	var finals int
	for _, s := range m.States {
		if s.Code == "" || s.Zh == "" || s.En == "" {
			t.Errorf("unnamed state %+v", s)
		}
		if s.Final {
			finals++
		}
	}
	if finals == 0 {
		t.Error("no final state")
	}
	want(t, f.do("GET", "/v1/states", "", nil), http.StatusForbidden, nil)
}

// October 2025: 国庆 and 中秋 from the 1st to the 8th, the 11th a
// Saturday worked (调休上班).
func TestCalendarMonth(t *testing.T) {
	f := newFixture(t)
	var m Month
	want(t, f.do("GET", "/v1/calendar/2025/10", "wang", nil), http.StatusOK, &m)
	if m.Year != 2025 || m.Month != 10 || len(m.Days) != 31 {
		t.Fatalf("%d-%d, %d days", m.Year, m.Month, len(m.Days))
	}
	d1, d11, d13 := m.Days[0], m.Days[10], m.Days[12]
	if d1.Date != "2025-10-01" || d1.Weekday != 3 || d1.Kind.String() != "节假日" || d1.Holiday == "" {
		t.Errorf("1st: %+v", d1)
	}
	if d11.Date != "2025-10-11" || d11.Weekday != 6 || d11.Kind.String() != "调休上班" {
		t.Errorf("11th: %+v", d11)
	}
	if d13.Kind.String() != "工作日" {
		t.Errorf("13th: %+v", d13)
	}
	for _, p := range []string{"/v1/calendar/2025/13", "/v1/calendar/2025/0", "/v1/calendar/1999/1", "/v1/calendar/x/1", "/v1/calendar/2025/-1"} {
		want(t, f.do("GET", p, "wang", nil), http.StatusBadRequest, nil)
	}
	want(t, f.do("GET", "/v1/calendar/2190/1", "wang", nil), http.StatusServiceUnavailable, nil)
}

func TestVerification(t *testing.T) {
	f := newFixture(t)
	id := f.activeHousehold()
	path := "/v1/applications/" + id + "/verification"
	var v Verification
	want(t, f.do("GET", path, "wang", nil), http.StatusOK, &v)
	if v.Status != "unverified" || !v.Signed || v.Checkpoint != nil || len(v.Records) != 5 {
		t.Fatalf("before a checkpoint: %+v", v)
	}
	for _, r := range v.Records {
		if r.Status != "uncovered" {
			t.Errorf("record %d: %s", r.Seq, r.Status)
		}
	}
	want(t, f.do("POST", "/v1/audit/checkpoints", "sun", nil), http.StatusCreated, nil)
	want(t, f.do("GET", path, "wang", nil), http.StatusOK, &v)
	if v.Status != "verified" || v.Checkpoint == nil || len(v.Records) != 5 {
		t.Fatalf("after a checkpoint: %+v", v)
	}
	for _, r := range v.Records {
		if r.Status != "proved" {
			t.Errorf("record %d: %s", r.Seq, r.Status)
		}
	}
	want(t, f.cmd("/v1/applications/"+id+"/commands", "li", request.Close{Statement: "核查工作已完成"}), http.StatusOK, nil)
	want(t, f.do("GET", path, "wang", nil), http.StatusOK, &v)
	if v.Status != "partial" || len(v.Records) != 6 || v.Records[5].Status != "uncovered" {
		t.Fatalf("after another command: %+v", v)
	}
	want(t, f.do("GET", path, "other", nil), http.StatusForbidden, nil)
	want(t, f.do("GET", "/v1/applications/SQ-none/verification", "wang", nil), http.StatusNotFound, nil)

	// A record changed after it was signed does not lead to the root.
	h, err := New(f.svc, f.apps, f.cat, tampered{f.log}, testActor, WithErrorLog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	r := newRequest("GET", path, "")
	r.Header.Set("X-Test-Actor", "wang")
	want(t, serve(h, r), http.StatusOK, &v)
	if v.Status != "failed" || v.Records[1].Status != "failed" || v.Records[1].Error == nil || v.Records[1].Error.Code == "" {
		t.Fatalf("tampered: %+v", v)
	}
	if v.Records[0].Status != "proved" {
		t.Errorf("untouched record: %+v", v.Records[0])
	}
}

// tampered is a log whose queries answer the second record of every
// application with another actor's name.
type tampered struct{ *audit.Memory }

func (l tampered) Query(ctx context.Context, f audit.Filter) iter.Seq2[audit.Record, error] {
	return func(yield func(audit.Record, error) bool) {
		i := 0
		for rec, err := range l.Memory.Query(ctx, f) {
			if i == 1 {
				rec.Event.Actor.Name = "某人"
			}
			i++
			if !yield(rec, err) {
				return
			}
		}
	}
}

func TestClock(t *testing.T) {
	f := newFixture(t)
	f.clk.set(time.Date(2026, 10, 27, 23, 30, 0, 0, deadline.CST))
	var c Clock
	want(t, f.do("GET", "/v1/clock", "wang", nil), http.StatusOK, &c)
	if c.Today != "2026-10-27" || !c.Now.Equal(time.Date(2026, 10, 27, 23, 30, 0, 0, deadline.CST)) {
		t.Errorf("%+v", c)
	}
	want(t, f.do("GET", "/v1/clock", "", nil), http.StatusForbidden, nil)
}

// A file log tells its public key as audit.File does: its records are
// proved the same way.
func TestVerificationFileLog(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	flog, err := audit.OpenFile(ctx, filepath.Join(t.TempDir(), "audit.log"), audit.WithKey(testKey), audit.WithSigner(testSigner(t)), audit.WithClock(f.clk.now))
	if err != nil {
		t.Fatal(err)
	}
	defer flog.Close()
	svc, err := request.NewService(ctx, f.apps, f.cat, flog,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}}, request.WithClock(f.clk.now))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(svc, f.apps, f.cat, flog, testActor, WithClock(f.clk.now), WithErrorLog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	id := f.activeHousehold()
	want(t, f.do("POST", "/v1/audit/checkpoints", "sun", nil), http.StatusCreated, nil)
	var v Verification
	want(t, f.do("GET", "/v1/applications/"+id+"/verification", "li", nil), http.StatusOK, &v)
	if v.Status != "verified" || !v.Signed || len(v.Records) != 5 {
		t.Fatalf("%+v", v)
	}
}
