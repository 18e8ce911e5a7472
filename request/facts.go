package request

import (
	"strconv"
	"time"

	"github.com/govshare/govshare/internal/textcode"
)

// FactKind is the kind of a time fact about an application that Sweep
// reports.
type FactKind uint8

// The fact kinds.
const (
	// ReplyOverdue: the reply period ended without a reply (R10–R12).
	ReplyOverdue FactKind = iota + 1
	// ReplyDueSoon: the reply period ends within a reminder lead time.
	ReplyDueSoon
	// DecisionOverdue: the authority has not decided an extension request
	// by the reply's due instant (policy default, R12).
	DecisionOverdue
	// CorrectionOverdue: a 校核 request is unanswered after its period (R20).
	CorrectionOverdue
	// CorrectionDueSoon: a 校核 answer is due within a reminder lead time.
	CorrectionDueSoon
	// DeadlinePending: a deadline waits for a year's official schedule
	// (期限待定); Fact.Year names the year. Reported once.
	DeadlinePending
)

var factKinds = textcode.Table[FactKind]{
	{Value: ReplyOverdue, Code: "reply_overdue", Zh: "答复超期", En: "reply overdue"},
	{Value: ReplyDueSoon, Code: "reply_due_soon", Zh: "答复即将到期", En: "reply due soon"},
	{Value: DecisionOverdue, Code: "decision_overdue", Zh: "延期审批超期", En: "extension decision overdue"},
	{Value: CorrectionOverdue, Code: "correction_overdue", Zh: "校核答复超期", En: "correction overdue"},
	{Value: CorrectionDueSoon, Code: "correction_due_soon", Zh: "校核答复即将到期", En: "correction due soon"},
	{Value: DeadlinePending, Code: "deadline_pending", Zh: "期限待定", En: "deadline pending"},
}

// String returns the Chinese term, e.g. 答复超期.
func (k FactKind) String() string { return textcode.String(factKinds, "FactKind", k) }

// English returns the English term, e.g. "reply overdue".
func (k FactKind) English() string { return textcode.English(factKinds, k) }

// Code returns the stable code, e.g. reply_overdue.
func (k FactKind) Code() string { e, _ := factKinds.Lookup(k); return e.Code }

// Overdue reports whether the fact is a breach rather than a reminder.
func (k FactKind) Overdue() bool {
	return k == ReplyOverdue || k == DecisionOverdue || k == CorrectionOverdue
}

// MarshalText returns the stable code.
func (k FactKind) MarshalText() ([]byte, error) { return textcode.Marshal(factKinds, "fact kind", k) }

// UnmarshalText accepts the stable code or the Chinese term.
func (k *FactKind) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(factKinds, "fact kind", text, k)
}

// Fact is one overdue or due-soon fact about an application.
type Fact struct {
	Kind  FactKind `json:"kind"`
	AppID string   `json:"app_id"`
	// Ref names the correction ("C1") or extension ("E1") concerned.
	Ref string `json:"ref,omitempty"`
	// Due is the due instant the fact is about.
	Due time.Time `json:"due"`
	// Lead is the reminder lead time of a due-soon fact.
	Lead time.Duration `json:"lead,omitempty"`
	// Year is the year a pending deadline waits for.
	Year int `json:"year,omitempty"`
}

// Note is the fact in Chinese and English, e.g. 期限待定：2027年放假安排尚未载入.
func (f Fact) Note() (zh, en string) {
	if f.Kind == DeadlinePending {
		return dueNote(f.Year, false)
	}
	return f.Kind.String(), f.Kind.English()
}

// Same reports whether f and g are the same fact: kind, reference, due
// instant and lead time (the application is the caller's to compare).
func (f Fact) Same(g Fact) bool {
	return f.Kind == g.Kind && f.Ref == g.Ref && f.Due.Equal(g.Due) && f.Lead == g.Lead && f.Year == g.Year
}

// Key identifies the fact; an application keeps the keys of the facts
// already emitted. A new due instant (after an extension) is a new fact.
func (f Fact) Key() string { return string(f.appendKey(make([]byte, 0, 48))) }

// appendKey appends the fact's key to b.
func (f *Fact) appendKey(b []byte) []byte {
	b = append(b, f.Kind.Code()...)
	b = append(b, '/')
	b = append(b, f.Ref...)
	b = append(b, '/')
	b = strconv.AppendInt(b, f.Due.Unix(), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(f.Lead/time.Second), 10)
	if f.Year != 0 {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(f.Year), 10)
	}
	return b
}

// watchFacts are the fact kinds each deadline watch reports: overdue, and
// due soon (zero: no reminders).
var watchFacts = [...]struct{ overdue, soon FactKind }{
	ReplyWatch:      {ReplyOverdue, ReplyDueSoon},
	DecisionWatch:   {DecisionOverdue, 0},
	CorrectionWatch: {CorrectionOverdue, CorrectionDueSoon},
}

// watchDue returns the due instant of a single-instant watch that runs
// for the application: the reply's due instant, the pending extension's
// decision instant, the end of the period of use.
func (a *Application) watchDue(w Watch) (time.Time, bool) {
	if !a.runs(w) {
		return time.Time{}, false
	}
	switch w {
	case ReplyWatch:
		if a.Clock != nil && a.Clock.Pending == 0 {
			return a.Clock.DueAt, true
		}
	case DecisionWatch:
		if n := len(a.Extensions); n > 0 && a.Extensions[n-1].Decision == Pending && !a.Extensions[n-1].DecisionDue.IsZero() {
			return a.Extensions[n-1].DecisionDue, true
		}
	case ExpiryWatch:
		if a.Answer != nil && a.Answer.Agreed {
			return a.Answer.Period.To, true
		}
	case ChangeWatch:
		if n := a.Announcement; n != nil && n.EffectedAt.IsZero() {
			return n.EffectiveAt, true
		}
	}
	return time.Time{}, false
}

// Facts returns the overdue and due-soon facts that hold for the
// application at instant at, whether or not they were emitted already:
// those of the deadline watches that run in its state (see Watch).
func (a Application) Facts(at time.Time, rules Rules) []Fact {
	rules = rules.withDefaults()
	var out []Fact
	due := func(w Watch, ref string, dueAt time.Time) {
		kinds := watchFacts[w]
		if !at.Before(dueAt) {
			out = append(out, Fact{Kind: kinds.overdue, AppID: a.ID, Ref: ref, Due: dueAt})
			return
		}
		if kinds.soon == 0 {
			return
		}
		for _, lead := range rules.Reminders {
			if lead > 0 && !at.Before(dueAt.Add(-lead)) {
				out = append(out, Fact{Kind: kinds.soon, AppID: a.ID, Ref: ref, Due: dueAt, Lead: lead})
			}
		}
	}
	if t, ok := a.watchDue(ReplyWatch); ok {
		due(ReplyWatch, "", t)
	} else if a.Clock != nil && a.Clock.Pending != 0 && a.runs(ReplyWatch) {
		out = append(out, Fact{Kind: DeadlinePending, AppID: a.ID, Ref: "reply", Year: a.Clock.Pending})
	}
	if t, ok := a.watchDue(DecisionWatch); ok {
		due(DecisionWatch, "E"+strconv.Itoa(len(a.Extensions)), t)
	}
	if a.runs(CorrectionWatch) {
		for _, c := range a.Corrections {
			switch {
			case c.Answered:
			case c.Pending != 0:
				out = append(out, Fact{Kind: DeadlinePending, AppID: a.ID, Ref: c.ID, Year: c.Pending})
			default:
				due(CorrectionWatch, c.ID, c.DueAt)
			}
		}
	}
	return out
}

// Emitted reports whether the fact was already emitted for the application.
// It does not allocate.
func (a Application) Emitted(f Fact) bool { return a.emitted(&f) }

func (a *Application) emitted(f *Fact) bool {
	if len(a.Alerts) == 0 {
		return false
	}
	// The key is written on the stack and compared to each emitted one.
	var buf [96]byte
	k := f.appendKey(buf[:0])
	for _, e := range a.Alerts {
		if string(k) == e {
			return true
		}
	}
	return false
}

// SweepAt returns the next instant at which Sweep must look at the
// application, derived from its stored fields: the earliest instant of
// NextDue whose fact is still to come. A watch whose overdue fact was
// already emitted for its current due instant (an overdue reply, extension
// decision or correction, alerted) has nothing more to report until a
// transition changes that instant, so it no longer counts; an application
// with a pending deadline is due at once (UpdatedAt), so that a sweep
// settles it when its year is loaded. Reminders fire a lead time before
// these instants; Sweep asks the store for applications whose SweepAt is
// before now plus the longest lead. Zero when nothing is to come. Stores
// index this instant (see Store.Due).
func (a Application) SweepAt() time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	open := func(kind FactKind, ref string, due time.Time) {
		if !a.emitted(&Fact{Kind: kind, Ref: ref, Due: due}) {
			consider(due)
		}
	}
	if t, ok := a.watchDue(ReplyWatch); ok {
		open(ReplyOverdue, "", t)
	}
	if t, ok := a.watchDue(DecisionWatch); ok {
		open(DecisionOverdue, "E"+strconv.Itoa(len(a.Extensions)), t)
	}
	for _, w := range [...]Watch{ExpiryWatch, ChangeWatch} {
		if t, ok := a.watchDue(w); ok {
			consider(t)
		}
	}
	if a.pending() {
		consider(a.UpdatedAt)
	}
	if a.runs(CorrectionWatch) {
		for i := range a.Corrections {
			if c := &a.Corrections[i]; !c.Answered && c.Pending == 0 {
				open(CorrectionOverdue, c.ID, c.DueAt)
			}
		}
	}
	return next
}

// NextDue returns the earliest instant at which Sweep may have something
// to report or do for the application: the due instant of a watch that
// runs for it (the reply, a pending extension decision, an open
// correction, the end of the period of use). It is zero when nothing is
// pending. Reminders fire a lead time before these instants. It does not
// look at the facts already emitted; SweepAt does, and is what stores index
// for Sweep.
func (a Application) NextDue() time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, w := range [...]Watch{ReplyWatch, DecisionWatch, ExpiryWatch, ChangeWatch} {
		if t, ok := a.watchDue(w); ok {
			consider(t)
		}
	}
	if a.pending() {
		// A pending deadline is reported at once and settled when its year
		// is loaded.
		consider(a.UpdatedAt)
	}
	if a.runs(CorrectionWatch) {
		for _, c := range a.Corrections {
			if !c.Answered && c.Pending == 0 {
				consider(c.DueAt)
			}
		}
	}
	return next
}

// pending reports whether a deadline or an answer of the application waits
// for a year's schedule.
func (a *Application) pending() bool {
	if a.Clock != nil && a.Clock.Pending != 0 {
		return true
	}
	for _, c := range a.Corrections {
		if c.Pending != 0 && !c.Answered {
			return true
		}
	}
	for _, r := range a.Replies {
		if r.Pending != 0 {
			return true
		}
	}
	return false
}
