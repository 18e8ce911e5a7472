package request

import (
	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// State is where an application stands in its lifecycle. The zero value,
// New, is an application not yet created.
type State uint8

// The states of an application.
const (
	// New is an application not yet created; Create or Renew leaves it.
	New State = iota
	// Draft is 草稿: the requester's clerk is preparing it.
	Draft
	// PendingApproval is 待本部门审核: submitted, awaiting the endorsement of
	// the requester's sharing-office head (工作机构负责人, R8).
	PendingApproval
	// UnderReview is 待答复: received by the provider, whose reply is due
	// within 1 or 10 working days (R9–R11).
	UnderReview
	// ExtensionRequested is 延期待批: the provider asked the competent
	// department to extend the reply period (R12).
	ExtensionRequested
	// Approved is 已同意: the provider agreed (wholly or in part); data not
	// yet provided.
	Approved
	// Refused is 已拒绝: the provider did not agree, with reasons (R11).
	Refused
	// Withdrawn is 已撤回: the requester withdrew it before the reply.
	Withdrawn
	// Active is 共享中: data provided; the grant is live (R13, R19).
	Active
	// Expired is 已到期: the use period ended (R19).
	Expired
	// Revoked is 已终止: the grant was revoked, e.g. for misuse (R17, R19).
	Revoked
	// InCoordination is 协调中: the requester objected and the competent
	// department coordinates (R21).
	InCoordination
	// Closed is 已结束: the requester ended the grant early because the
	// purpose of sharing was achieved (共享目的已实现, R22).
	Closed
	// Discontinued is 已停止服务: the provider ended the sharing service it
	// had announced in advance (确需终止服务, R23).
	Discontinued
)

var states = textcode.Table[State]{
	{Value: New, Code: "new", Zh: "未创建", En: "new"},
	{Value: Draft, Code: "draft", Zh: "草稿", En: "draft"},
	{Value: PendingApproval, Code: "pending_approval", Zh: "待本部门审核", En: "pending approval"},
	{Value: UnderReview, Code: "under_review", Zh: "待答复", En: "under review"},
	{Value: ExtensionRequested, Code: "extension_requested", Zh: "延期待批", En: "extension requested"},
	{Value: Approved, Code: "approved", Zh: "已同意", En: "approved"},
	{Value: Refused, Code: "refused", Zh: "已拒绝", En: "refused"},
	{Value: Withdrawn, Code: "withdrawn", Zh: "已撤回", En: "withdrawn"},
	{Value: Active, Code: "active", Zh: "共享中", En: "active"},
	{Value: Expired, Code: "expired", Zh: "已到期", En: "expired"},
	{Value: Revoked, Code: "revoked", Zh: "已终止", En: "revoked"},
	{Value: InCoordination, Code: "in_coordination", Zh: "协调中", En: "in coordination"},
	{Value: Closed, Code: "closed", Zh: "已结束", En: "closed (purpose achieved)"},
	{Value: Discontinued, Code: "discontinued", Zh: "已停止服务", En: "service discontinued"},
}

// States lists every state in lifecycle order, New first.
func States() []State {
	out := make([]State, len(states))
	for i, e := range states {
		out[i] = e.Value
	}
	return out
}

// String returns the Chinese term, e.g. 待答复.
func (s State) String() string { return textcode.String(states, "State", s) }

// English returns the English name, e.g. "under review".
func (s State) English() string { return textcode.English(states, s) }

// Code returns the stable code, e.g. under_review.
func (s State) Code() string {
	e, _ := states.Lookup(s)
	return e.Code
}

// MarshalText returns the stable code.
func (s State) MarshalText() ([]byte, error) {
	return textcode.Marshal(states, "application state", s)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (s *State) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(states, "application state", text, s)
}

// Final reports whether the application's lifecycle has ended in s: every
// row of the table that leaves s either keeps the state (corrections,
// alerts, notices) or is an objection, which reopens a decided
// application before the competent department (R21). It is derived from
// the table.
func (s State) Final() bool { return machine.final[s] }

// Side is the party an actor acts for, relative to one application.
type Side uint8

// The sides.
const (
	// Requester is 需求部门: the department that applies (R8).
	Requester Side = iota + 1
	// Provider is 提供部门: the department whose catalog entry is requested (R9).
	Provider
	// AuthoritySide is the 政务数据共享主管部门 (competent department for
	// data sharing) of the provider's level and region, as the host's
	// Authorities resolver names it (R2, R12, R21).
	AuthoritySide
	// SystemSide is the hosting platform acting on its own.
	SystemSide
)

var sides = textcode.Table[Side]{
	{Value: Requester, Code: "requester", Zh: "需求部门", En: "requester"},
	{Value: Provider, Code: "provider", Zh: "提供部门", En: "provider"},
	{Value: AuthoritySide, Code: "authority", Zh: "政务数据共享主管部门", En: "competent department for data sharing"},
	{Value: SystemSide, Code: "system", Zh: "系统", En: "system"},
}

// String returns the Chinese term, e.g. 提供部门.
func (s Side) String() string { return textcode.String(sides, "Side", s) }

// English returns the English name.
func (s Side) English() string { return textcode.English(sides, s) }

// MarshalText returns the stable code: requester, provider, authority or system.
func (s Side) MarshalText() ([]byte, error) { return textcode.Marshal(sides, "side", s) }

// UnmarshalText accepts the stable code or the Chinese term.
func (s *Side) UnmarshalText(text []byte) error { return textcode.Unmarshal(sides, "side", text, s) }

// Who is one party allowed to issue a command: a side and a role within
// it (the authority and the system have one role each).
type Who struct {
	Side Side          `json:"side"`
	Role govshare.Role `json:"role"`
}

// String returns e.g. 提供部门工作机构负责人.
func (w Who) String() string {
	switch w.Side {
	case AuthoritySide, SystemSide:
		return w.Side.String()
	case 0:
		return w.Role.String()
	}
	return w.Side.String() + w.Role.String()
}

// English returns e.g. "provider sharing-office head".
func (w Who) English() string {
	switch w.Side {
	case AuthoritySide, SystemSide:
		return w.Side.English()
	case 0:
		return w.Role.English()
	}
	return w.Side.English() + " " + w.Role.English()
}

var (
	requesterClerk = Who{Requester, govshare.Clerk}
	requesterHead  = Who{Requester, govshare.OfficeHead}
	providerClerk  = Who{Provider, govshare.Clerk}
	providerHead   = Who{Provider, govshare.OfficeHead}
	authority      = Who{AuthoritySide, govshare.Authority}
	system         = Who{SystemSide, govshare.System}
)

// Watch is something that runs against an application over time once a
// row of the table arms it, until a row ends it: the reply deadline, the
// extension decision, correction deadlines, the end of the period of use
// and the live grant. In which states each runs is derived from the
// table's rows (see Transition.Arms and Transition.Ends); Facts, NextDue, SweepAt,
// Live and Sweep read it from there.
type Watch uint8

// The watches.
const (
	// ReplyWatch is the provider's reply deadline (R10–R12, R21): overdue
	// and due-soon facts.
	ReplyWatch Watch = iota + 1
	// DecisionWatch is the competent department's decision on an extension
	// request (policy default: due with the reply, R12).
	DecisionWatch
	// CorrectionWatch is the answer deadline of each open 校核 request (R20).
	CorrectionWatch
	// ExpiryWatch is the end of the approved period of use (R19): the
	// system expires the grant then.
	ExpiryWatch
	// GrantWatch is the grant in force: the gateway allows access (R19).
	GrantWatch
	// ChangeWatch is a provider's announced end or change of its service,
	// due at the announced instant (R23).
	ChangeWatch
)

var watches = textcode.Table[Watch]{
	{Value: ReplyWatch, Code: "reply_deadline", Zh: "答复期限", En: "reply deadline"},
	{Value: DecisionWatch, Code: "decision_deadline", Zh: "延期审批期限", En: "extension decision deadline"},
	{Value: CorrectionWatch, Code: "correction_deadline", Zh: "校核答复期限", En: "correction answer deadline"},
	{Value: ExpiryWatch, Code: "use_expiry", Zh: "使用时限届满", En: "end of the period of use"},
	{Value: GrantWatch, Code: "grant", Zh: "共享授权", En: "live grant"},
	{Value: ChangeWatch, Code: "service_change", Zh: "服务终止或变更", En: "announced end or change of the service"},
}

// Watches lists every watch.
func Watches() []Watch {
	out := make([]Watch, len(watches))
	for i, e := range watches {
		out[i] = e.Value
	}
	return out
}

// String returns the Chinese term, e.g. 答复期限.
func (w Watch) String() string { return textcode.String(watches, "Watch", w) }

// English returns the English name.
func (w Watch) English() string { return textcode.English(watches, w) }

// Code returns the stable code, e.g. reply_deadline.
func (w Watch) Code() string { e, _ := watches.Lookup(w); return e.Code }

// MarshalText returns the stable code.
func (w Watch) MarshalText() ([]byte, error) { return textcode.Marshal(watches, "watch", w) }

// UnmarshalText accepts the stable code or the Chinese term.
func (w *Watch) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(watches, "watch", text, w)
}

// RunsIn reports whether the watch runs in state s, as derived from the
// table.
func (w Watch) RunsIn(s State) bool { return machine.runs[s].has(w) }

// watchSet is a set of watches.
type watchSet uint8

func watchesOf(ws ...Watch) watchSet {
	var s watchSet
	for _, w := range ws {
		s |= 1 << w
	}
	return s
}

func (s watchSet) has(w Watch) bool { return s&(1<<w) != 0 }

func (s watchSet) list() []Watch {
	var out []Watch
	for _, w := range Watches() {
		if s.has(w) {
			out = append(out, w)
		}
	}
	return out
}
