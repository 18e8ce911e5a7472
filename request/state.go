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
	// New is an application not yet created; Create leaves it.
	New State = iota
	// Draft is 草稿: the requester's clerk is preparing it.
	Draft
	// PendingApproval is 待本部门审核: submitted, awaiting the requester's
	// sharing-office head (R8).
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
	// Refused is 已拒绝: the provider refused, with reasons (R11).
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

// Final reports whether no command but corrections, alerts and notices can
// leave the state.
func (s State) Final() bool {
	return s == Refused || s == Withdrawn || s == Expired || s == Revoked
}

// CommandName names a command of the transition table.
type CommandName uint8

// The commands.
const (
	CmdCreate CommandName = iota + 1
	CmdEdit
	CmdSubmit
	CmdApprove
	CmdReturn
	CmdWithdraw
	CmdRequestExtension
	CmdDecideExtension
	CmdAgree
	CmdRefuse
	CmdProvision
	CmdExpire
	CmdRevoke
	CmdObject
	CmdUphold
	CmdOverturn
	CmdOrderReply
	CmdFileCorrection
	CmdAnswerCorrection
	CmdAlert
	CmdAckNotice
)

var commandNames = textcode.Table[CommandName]{
	{Value: CmdCreate, Code: "create", Zh: "创建申请", En: "create"},
	{Value: CmdEdit, Code: "edit", Zh: "修改申请", En: "edit"},
	{Value: CmdSubmit, Code: "submit", Zh: "提交", En: "submit"},
	{Value: CmdApprove, Code: "approve", Zh: "本部门负责人同意", En: "approve"},
	{Value: CmdReturn, Code: "return", Zh: "退回修改", En: "return"},
	{Value: CmdWithdraw, Code: "withdraw", Zh: "撤回", En: "withdraw"},
	{Value: CmdRequestExtension, Code: "request_extension", Zh: "申请延期答复", En: "request extension"},
	{Value: CmdDecideExtension, Code: "decide_extension", Zh: "审批延期", En: "decide extension"},
	{Value: CmdAgree, Code: "agree", Zh: "同意共享", En: "agree"},
	{Value: CmdRefuse, Code: "refuse", Zh: "不同意共享", En: "refuse"},
	{Value: CmdProvision, Code: "provision", Zh: "提供数据", En: "provision"},
	{Value: CmdExpire, Code: "expire", Zh: "到期", En: "expire"},
	{Value: CmdRevoke, Code: "revoke", Zh: "终止共享", En: "revoke"},
	{Value: CmdObject, Code: "object", Zh: "提出异议", En: "object"},
	{Value: CmdUphold, Code: "uphold", Zh: "协调维持", En: "uphold"},
	{Value: CmdOverturn, Code: "overturn", Zh: "协调改为同意", En: "overturn"},
	{Value: CmdOrderReply, Code: "order_reply", Zh: "责令限期答复", En: "order reply"},
	{Value: CmdFileCorrection, Code: "file_correction", Zh: "提出校核", En: "file correction"},
	{Value: CmdAnswerCorrection, Code: "answer_correction", Zh: "答复校核", En: "answer correction"},
	{Value: CmdAlert, Code: "alert", Zh: "期限提醒", En: "alert"},
	{Value: CmdAckNotice, Code: "ack_notice", Zh: "确认告知送达", En: "acknowledge notice"},
}

// CommandNames lists every command in table order.
func CommandNames() []CommandName {
	out := make([]CommandName, len(commandNames))
	for i, e := range commandNames {
		out[i] = e.Value
	}
	return out
}

// String returns the Chinese name, e.g. 申请延期答复.
func (c CommandName) String() string { return textcode.String(commandNames, "Command", c) }

// Code returns the stable code, e.g. request_extension.
func (c CommandName) Code() string {
	e, _ := commandNames.Lookup(c)
	return e.Code
}

// Side is the party an actor acts for, relative to one application.
type Side uint8

// The sides.
const (
	// Requester is 需求部门: the department that applies (R8).
	Requester Side = iota + 1
	// Provider is 提供部门: the department whose catalog entry is requested (R9).
	Provider
	// AuthoritySide is the competent department (主管部门) of the provider's
	// level and region, as the host's Authorities resolver names it (R2,
	// R12, R21).
	AuthoritySide
	// SystemSide is the hosting platform acting on its own.
	SystemSide
)

var sides = textcode.Table[Side]{
	{Value: Requester, Code: "requester", Zh: "需求部门", En: "requester"},
	{Value: Provider, Code: "provider", Zh: "提供部门", En: "provider"},
	{Value: AuthoritySide, Code: "authority", Zh: "主管部门", En: "competent authority"},
	{Value: SystemSide, Code: "system", Zh: "系统", En: "system"},
}

// String returns the Chinese term, e.g. 提供部门.
func (s Side) String() string { return textcode.String(sides, "Side", s) }

// Who is one party allowed to issue a command: a side and a role within
// it (the authority and the system have one role each).
type Who struct {
	Side Side
	Role govshare.Role
}

// String returns e.g. 提供部门工作机构负责人.
func (w Who) String() string {
	switch w.Side {
	case AuthoritySide, SystemSide:
		return w.Side.String()
	}
	return w.Side.String() + w.Role.String()
}

var (
	requesterClerk = Who{Requester, govshare.Clerk}
	requesterHead  = Who{Requester, govshare.OfficeHead}
	providerClerk  = Who{Provider, govshare.Clerk}
	providerHead   = Who{Provider, govshare.OfficeHead}
	authority      = Who{AuthoritySide, govshare.Authority}
	system         = Who{SystemSide, govshare.System}
)
