package audit

import (
	"strings"
	"time"
)

// Filter selects events for Query. Every field that is set must match;
// the zero Filter matches every event.
type Filter struct {
	// Department matches the identity of the actor's department,
	// govshare.Department.ID: its 统一社会信用代码, or "dir:" and the
	// DirectoryID of a department without one. A name is never an
	// identity and matches nothing.
	Department string
	// Actor matches the actor's id.
	Actor string
	// Action matches the action exactly, or, when it ends with ".", every
	// action it is a prefix of ("request." matches request.submit,
	// request.reply, …).
	Action Action
	// TargetKind matches the target's kind, TargetID its id.
	TargetKind string
	TargetID   string // see TargetKind
	// Outcome matches the outcome (0: either).
	Outcome Outcome
	// From and To bound the event time: From ≤ Time < To. A zero bound is
	// open.
	From, To time.Time
}

// match is a Filter prepared for matching stored records.
type match struct {
	f       Filter
	outcome string
	lo, hi  int64 // lo ≤ nanoseconds < hi; hi exclusive unless open
	open    bool  // no upper bound
}

func (f Filter) compile() match {
	m := match{f: f, lo: minTime.UnixNano(), open: true}
	if f.Outcome != 0 {
		code, _ := f.Outcome.MarshalText()
		m.outcome = string(code)
	}
	switch {
	case f.From.IsZero() || f.From.Before(minTime):
	case f.From.After(maxTime):
		m.lo, m.hi, m.open = 1, 0, false // empty
	default:
		m.lo = f.From.UnixNano()
	}
	switch {
	case f.To.IsZero() || f.To.After(maxTime):
	case f.To.Before(minTime):
		m.lo, m.hi, m.open = 1, 0, false
	default:
		m.hi, m.open = f.To.UnixNano(), false
	}
	return m
}

// raw reports whether a parsed record matches, without decoding it.
func (m *match) raw(r *rawFields) bool {
	t, f := &r.text, &m.f
	if f.Department != "" && string(t[fDeptID]) != f.Department {
		return false
	}
	if f.Actor != "" && string(t[fActorID]) != f.Actor {
		return false
	}
	if a := string(f.Action); a != "" {
		if strings.HasSuffix(a, ".") {
			if !strings.HasPrefix(string(t[fAction]), a) {
				return false
			}
		} else if string(t[fAction]) != a {
			return false
		}
	}
	if f.TargetKind != "" && string(t[fTargetKind]) != f.TargetKind {
		return false
	}
	if f.TargetID != "" && string(t[fTargetID]) != f.TargetID {
		return false
	}
	if m.outcome != "" && string(t[fOutcome]) != m.outcome {
		return false
	}
	return r.nano >= m.lo && (m.open || r.nano < m.hi)
}
