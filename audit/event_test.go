package audit

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

func TestEventValidation(t *testing.T) {
	ok := testEvent(0)
	tests := []struct {
		name   string
		change func(*Event)
		field  string
	}{
		{"no time", func(e *Event) { e.Time = time.Time{} }, "time"},
		{"time beyond 2262", func(e *Event) { e.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, cst) }, "time"},
		{"no action", func(e *Event) { e.Action = "" }, "action"},
		{"one-segment action", func(e *Event) { e.Action = "submit" }, "action"},
		{"uppercase action", func(e *Event) { e.Action = "Request.Submit" }, "action"},
		{"action with empty segment", func(e *Event) { e.Action = "request..submit" }, "action"},
		{"action segment starting with a digit", func(e *Event) { e.Action = "request.1submit" }, "action"},
		{"action too long", func(e *Event) { e.Action = Action("a." + strings.Repeat("b", 70)) }, "action"},
		{"no actor id", func(e *Event) { e.Actor.ID = "" }, "actor.id"},
		{"no role", func(e *Event) { e.Actor.Role = 0 }, "actor.role"},
		{"unknown role", func(e *Event) { e.Actor.Role = 9 }, "actor.role"},
		{"clerk without department", func(e *Event) { e.Actor.Department = govshare.Department{} }, "actor.department"},
		{"unknown level", func(e *Event) { e.Actor.Department.Level = 9 }, "actor.department.level"},
		{"target id without kind", func(e *Event) { e.Target.Kind = "" }, "target.kind"},
		{"target kind not a code", func(e *Event) { e.Target.Kind = "申请" }, "target.kind"},
		{"target kind without id", func(e *Event) { e.Target.ID = "" }, "target.id"},
		{"no outcome", func(e *Event) { e.Outcome = 0 }, "outcome"},
		{"failure without error code", func(e *Event) { e.Outcome = Failure }, "error_code"},
		{"success with error code", func(e *Event) { e.ErrorCode = "forbidden" }, "error_code"},
		{"name too long", func(e *Event) { e.Actor.Name = strings.Repeat("张", 400) }, "actor.name"},
		{"name not UTF-8", func(e *Event) { e.Actor.Name = "\xff\xfe" }, "actor.name"},
		{"newline in an id (log injection)", func(e *Event) { e.Target.ID = "SQ-1\nforged line" }, "target.id"},
		{"details an array", func(e *Event) { e.Details = []byte(`[1]`) }, "details"},
		{"details not JSON", func(e *Event) { e.Details = []byte(`{"a":}`) }, "details"},
		{"details too large", func(e *Event) { e.Details = []byte(`{"a":"` + strings.Repeat("x", 17<<10) + `"}`) }, "details"},
		{"details with a rounded integer", func(e *Event) { e.Details = []byte(`{"id":12345678901234567890}`) }, "details"},
		{"details a string", func(e *Event) { e.Details = []byte(`"x"`) }, "details"},
		{"details only whitespace", func(e *Event) { e.Details = []byte(" \n") }, "details"},
		{"details with a duplicate member", func(e *Event) { e.Details = []byte(`{"a":1,"\u0061":2}`) }, "details"},
		{"details not UTF-8", func(e *Event) { e.Details = []byte("{\"a\":\"\xff\"}") }, "details"},
		{"details nested too deep", func(e *Event) { e.Details = []byte(`{"a":` + strings.Repeat("[", 32) + strings.Repeat("]", 32) + `}`) }, "details"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			_, err := e.normalize(DefaultLimits)
			var ee *EventError
			if !errors.As(err, &ee) || !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("error = %v, want an *EventError", err)
			}
			if ee.Field != tt.field {
				t.Errorf("field = %q, want %q (%v)", ee.Field, tt.field, err)
			}
		})
	}
}

func TestEventNormalize(t *testing.T) {
	e := testEvent(0)
	e.Time = time.Date(2026, 9, 29, 7, 0, 0, 123, time.UTC) // 15:00 CST
	e.Details = []byte(` { "b": 1.50, "a": [ true ] } `)
	n, err := e.normalize(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if n.Time.Location() != cst || n.Time.Hour() != 15 || n.Time.Nanosecond() != 123 {
		t.Errorf("time = %v, want 15:00:00.000000123 CST", n.Time)
	}
	if string(n.Details) != `{"a":[true],"b":1.5}` {
		t.Errorf("details = %s", n.Details)
	}
	e.Details = []byte(" {} ")
	if n, _ := e.normalize(DefaultLimits); n.Details != nil {
		t.Errorf("empty details recorded as %q, want none", n.Details)
	}
	sys := Event{Time: t0, Actor: platform, Action: "grant.expire", Outcome: Success}
	if _, err := sys.normalize(DefaultLimits); err != nil {
		t.Errorf("a system event needs no department or target: %v", err)
	}
	small := Limits{MaxText: 4, MaxDetails: 8, MaxDepth: 1}
	if _, err := sys.normalize(small); err == nil {
		t.Errorf("actor id %q passed a 4-byte limit", sys.Actor.ID)
	}
}

// TestNormalizeDetails: canonical details are recorded as given, without
// a copy; details out of order are put in order; the limit applies to
// both; a duplicate member is refused.
func TestNormalizeDetails(t *testing.T) {
	e := testEvent(1)
	e.Details = []byte(`{"attribute":"conditional","entry":"CAT-330100-0001","n":1}`)
	n, err := e.normalize(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if &n.Details[0] != &e.Details[0] {
		t.Error("canonical details were copied")
	}
	for _, in := range []string{
		`{"n":1,"entry":"CAT-330100-0001","attribute":"conditional"}`,  // only reordered
		`{"n":1, "entry":"CAT-330100-0001","attribute":"conditional"}`, // rewritten
	} {
		e.Details = []byte(in)
		if n, err = e.normalize(DefaultLimits); err != nil || string(n.Details) != `{"attribute":"conditional","entry":"CAT-330100-0001","n":1}` {
			t.Errorf("%s: details not canonicalized: %s, %v", in, n.Details, err)
		}
		if string(e.Details) != in {
			t.Errorf("normalize changed the caller's details to %s", e.Details)
		}
	}
	var ee *EventError
	for _, in := range []string{`{"a":"`, `{"b":0,"a":"`} {
		e.Details = []byte(in + strings.Repeat("x", DefaultLimits.MaxDetails) + `"}`)
		if _, err := e.normalize(DefaultLimits); !errors.As(err, &ee) || ee.Field != "details" {
			t.Errorf("details over the limit: %v", err)
		}
	}
	e.Details = []byte(`{"b":1,"a":2,"b":3}`)
	if _, err := e.normalize(DefaultLimits); !errors.As(err, &ee) || ee.Field != "details" || !strings.Contains(ee.Reason, "duplicate") {
		t.Errorf("duplicate member: %v", err)
	}
}

func TestOutcomeText(t *testing.T) {
	for _, o := range []Outcome{Success, Failure} {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%s round trip: %v %v", b, back, err)
		}
		var zh Outcome
		if err := zh.UnmarshalText([]byte(o.String())); err != nil || zh != o {
			t.Errorf("Chinese term %s: %v %v", o, zh, err)
		}
	}
	if _, err := Outcome(0).MarshalText(); err == nil {
		t.Error("Outcome(0).MarshalText succeeded")
	}
}
