package request

import (
	"time"

	"github.com/govshare/govshare"
)

// Command is one command of the transition table, carrying the actor who
// issues it. The concrete types below are the commands; Apply checks the
// actor against the table and the payload against the rules.
type Command interface {
	// Name is the command's name in the transition table.
	Name() CommandName
	// By is the actor issuing the command.
	By() govshare.Actor
}

// Create starts an application in Draft for the actor's department, for
// items of a published catalog entry (R5, R8). The elements may be
// incomplete until Submit.
type Create struct {
	Actor     govshare.Actor
	ID        string
	EntryID   string
	Elements  Elements
	RenewalOf string
}

// Edit replaces the elements of a draft.
type Edit struct {
	Actor    govshare.Actor
	Elements Elements
}

// Submit hands the draft to the requester's sharing-office head (R8).
type Submit struct{ Actor govshare.Actor }

// Approve is the requester's sharing-office head agreeing to the
// application, which sends it to the provider (R8). ReceivedAt, if set, is
// a later instant at which the host delivered it; the reply period counts
// from receipt (R10, R11).
type Approve struct {
	Actor      govshare.Actor
	ReceivedAt time.Time
}

// Return sends the application back to the clerk, with a comment.
type Return struct {
	Actor   govshare.Actor
	Comment string
}

// Withdraw ends the application before the reply.
type Withdraw struct {
	Actor  govshare.Actor
	Reason string
}

// RequestExtension asks the competent department to extend the reply
// period by Days working days, for a stated reason, before the period ends
// (R12).
type RequestExtension struct {
	Actor  govshare.Actor
	Days   int
	Reason string
}

// DecideExtension is the competent department's decision on the pending
// extension request (R12).
type DecideExtension struct {
	Actor   govshare.Actor
	Approve bool
	Comment string
}

// Agree is the provider's agreement (R9–R11): the items granted (the rest
// refused with reasons), conditions taken from the entry (R7), the method
// and period of use. Zero Method and Period mean those requested.
type Agree struct {
	Actor      govshare.Actor
	Items      []string
	Refused    []RefusedItem
	Conditions []string
	Method     govshare.ShareMethod
	Period     UsePeriod
}

// Refuse is the provider's refusal, with its reasons (R11).
type Refuse struct {
	Actor       govshare.Actor
	Reason      RefusalReason
	Explanation string
}

// Provision records that the data were provided, with a reference per
// method (R13); the grant becomes live.
type Provision struct {
	Actor      govshare.Actor
	Deliveries []Delivery
}

// Expire ends the grant at the end of its period of use (R19).
type Expire struct{ Actor govshare.Actor }

// Revoke ends the grant early, e.g. for misuse (R17, R19).
type Revoke struct {
	Actor  govshare.Actor
	Reason string
}

// Object is the requester's objection to a refusal, a late reply or the
// conditions imposed (R21).
type Object struct {
	Actor     govshare.Actor
	Ground    Ground
	Statement string
}

// Uphold is the authority's resolution leaving the objected state as it was.
type Uphold struct {
	Actor   govshare.Actor
	Comment string
}

// Overturn is the authority's resolution approving the application with
// the items, conditions (from the entry), method and period it states.
type Overturn struct {
	Actor      govshare.Actor
	Items      []string
	Conditions []string
	Method     govshare.ShareMethod
	Period     UsePeriod
	Comment    string
}

// OrderReply is the authority's resolution ordering the provider to reply
// within Days working days.
type OrderReply struct {
	Actor   govshare.Actor
	Days    int
	Comment string
}

// FileCorrection is the requester's 校核 request: shared data of the named
// items are wrong or incomplete (R20).
type FileCorrection struct {
	Actor       govshare.Actor
	Items       []string
	Description string
}

// AnswerCorrection is the provider's answer to a 校核 request: corrected,
// or rejected with a reason (R20).
type AnswerCorrection struct {
	Actor        govshare.Actor
	CorrectionID string
	Corrected    bool
	Reason       string
}

// Alert records that the system emitted an overdue or due-soon fact
// (Sweep issues these), so that each fact is emitted once.
type Alert struct {
	Actor govshare.Actor
	Fact  Fact
}

// AckNotice records that the host delivered a notice.
type AckNotice struct {
	Actor    govshare.Actor
	NoticeID string
}

// Name implements Command.
func (Create) Name() CommandName { return CmdCreate }

// Name implements Command.
func (Edit) Name() CommandName { return CmdEdit }

// Name implements Command.
func (Submit) Name() CommandName { return CmdSubmit }

// Name implements Command.
func (Approve) Name() CommandName { return CmdApprove }

// Name implements Command.
func (Return) Name() CommandName { return CmdReturn }

// Name implements Command.
func (Withdraw) Name() CommandName { return CmdWithdraw }

// Name implements Command.
func (RequestExtension) Name() CommandName { return CmdRequestExtension }

// Name implements Command.
func (DecideExtension) Name() CommandName { return CmdDecideExtension }

// Name implements Command.
func (Agree) Name() CommandName { return CmdAgree }

// Name implements Command.
func (Refuse) Name() CommandName { return CmdRefuse }

// Name implements Command.
func (Provision) Name() CommandName { return CmdProvision }

// Name implements Command.
func (Expire) Name() CommandName { return CmdExpire }

// Name implements Command.
func (Revoke) Name() CommandName { return CmdRevoke }

// Name implements Command.
func (Object) Name() CommandName { return CmdObject }

// Name implements Command.
func (Uphold) Name() CommandName { return CmdUphold }

// Name implements Command.
func (Overturn) Name() CommandName { return CmdOverturn }

// Name implements Command.
func (OrderReply) Name() CommandName { return CmdOrderReply }

// Name implements Command.
func (FileCorrection) Name() CommandName { return CmdFileCorrection }

// Name implements Command.
func (AnswerCorrection) Name() CommandName { return CmdAnswerCorrection }

// Name implements Command.
func (Alert) Name() CommandName { return CmdAlert }

// Name implements Command.
func (AckNotice) Name() CommandName { return CmdAckNotice }

// By implements Command.
func (c Create) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Edit) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Submit) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Approve) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Return) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Withdraw) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c RequestExtension) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c DecideExtension) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Agree) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Refuse) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Provision) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Expire) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Revoke) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Object) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Uphold) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Overturn) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c OrderReply) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c FileCorrection) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c AnswerCorrection) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Alert) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c AckNotice) By() govshare.Actor { return c.Actor }
