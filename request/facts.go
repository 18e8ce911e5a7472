package request

import (
	"fmt"
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
)

var factKinds = textcode.Table[FactKind]{
	{Value: ReplyOverdue, Code: "reply_overdue", Zh: "答复超期", En: "reply overdue"},
	{Value: ReplyDueSoon, Code: "reply_due_soon", Zh: "答复即将到期", En: "reply due soon"},
	{Value: DecisionOverdue, Code: "decision_overdue", Zh: "延期审批超期", En: "extension decision overdue"},
	{Value: CorrectionOverdue, Code: "correction_overdue", Zh: "校核答复超期", En: "correction overdue"},
	{Value: CorrectionDueSoon, Code: "correction_due_soon", Zh: "校核答复即将到期", En: "correction due soon"},
}

// String returns the Chinese term, e.g. 答复超期.
func (k FactKind) String() string { return textcode.String(factKinds, "FactKind", k) }

// Code returns the stable code, e.g. reply_overdue.
func (k FactKind) Code() string { e, _ := factKinds.Lookup(k); return e.Code }

// Overdue reports whether the fact is a breach rather than a reminder.
func (k FactKind) Overdue() bool {
	return k == ReplyOverdue || k == DecisionOverdue || k == CorrectionOverdue
}

// Fact is one overdue or due-soon fact about an application.
type Fact struct {
	Kind  FactKind
	AppID string
	// Ref names the correction ("C1") or extension ("E1") concerned.
	Ref string
	// Due is the due instant the fact is about.
	Due time.Time
	// Lead is the reminder lead time of a due-soon fact.
	Lead time.Duration
}

// Key identifies the fact; an application keeps the keys of the facts
// already emitted. A new due instant (after an extension) is a new fact.
func (f Fact) Key() string {
	b := make([]byte, 0, 48)
	b = append(b, f.Kind.Code()...)
	b = append(b, '/')
	b = append(b, f.Ref...)
	b = append(b, '/')
	b = strconv.AppendInt(b, f.Due.Unix(), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(f.Lead/time.Second), 10)
	return string(b)
}

// Facts returns the overdue and due-soon facts that hold for the
// application at instant at, whether or not they were emitted already.
func (a Application) Facts(at time.Time, rules Rules) []Fact {
	rules = rules.withDefaults()
	var out []Fact
	due := func(kind, soon FactKind, ref string, dueAt time.Time) {
		if !at.Before(dueAt) {
			out = append(out, Fact{Kind: kind, AppID: a.ID, Ref: ref, Due: dueAt})
			return
		}
		for _, lead := range rules.Reminders {
			if lead > 0 && !at.Before(dueAt.Add(-lead)) {
				out = append(out, Fact{Kind: soon, AppID: a.ID, Ref: ref, Due: dueAt, Lead: lead})
			}
		}
	}
	if (a.State == UnderReview || a.State == ExtensionRequested) && a.Clock != nil {
		due(ReplyOverdue, ReplyDueSoon, "", a.Clock.DueAt)
	}
	if a.State == ExtensionRequested {
		if n := len(a.Extensions); n > 0 && a.Extensions[n-1].Decision == Pending && !at.Before(a.Extensions[n-1].DecisionDue) {
			out = append(out, Fact{Kind: DecisionOverdue, AppID: a.ID, Ref: fmt.Sprintf("E%d", n), Due: a.Extensions[n-1].DecisionDue})
		}
	}
	for _, c := range a.Corrections {
		if !c.Answered {
			due(CorrectionOverdue, CorrectionDueSoon, c.ID, c.DueAt)
		}
	}
	return out
}

// Emitted reports whether the fact was already emitted for the application.
func (a Application) Emitted(f Fact) bool {
	k := f.Key()
	for _, e := range a.Alerts {
		if e == k {
			return true
		}
	}
	return false
}
