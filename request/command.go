package request

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// Command is one command of the transition table, carrying the actor who
// issues it. The concrete types below are the commands; Apply checks the
// actor against the table and the payload against the rules.
//
// Commands marshal to JSON by name, {"command":"agree", …}, and
// DecodeCommand reads them back. The actor is never part of the JSON: the
// host authenticates the person and hands DecodeCommand the Actor.
type Command interface {
	// Name is the command's name in the transition table.
	Name() CommandName
	// By is the actor issuing the command.
	By() govshare.Actor
}

// CommandName names a command of the transition table.
type CommandName uint8

// The commands.
const (
	CmdCreate CommandName = iota + 1
	CmdRenew
	CmdEdit
	CmdSubmit
	CmdEndorse
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
	CmdSettleDeadline
	CmdClose
	CmdAnnounceChange
	CmdEffectChange
)

// commandSpecs declares each command once: its name, stable code, Chinese
// and English labels and the Go type that carries it.
var commandSpecs = []struct {
	name   CommandName
	code   string
	zh, en string
	proto  Command
}{
	{CmdCreate, "create", "创建申请", "create", Create{}},
	{CmdRenew, "renew", "续期申请", "renew", Renew{}},
	{CmdEdit, "edit", "修改申请", "edit", Edit{}},
	{CmdSubmit, "submit", "提交", "submit", Submit{}},
	{CmdEndorse, "endorse", "工作机构负责人审核同意", "endorse (requester's sharing-office head)", Endorse{}},
	{CmdReturn, "return", "退回修改", "return", Return{}},
	{CmdWithdraw, "withdraw", "撤回", "withdraw", Withdraw{}},
	{CmdRequestExtension, "request_extension", "申请延期答复", "request extension", RequestExtension{}},
	{CmdDecideExtension, "decide_extension", "审批延期", "decide extension", DecideExtension{}},
	{CmdAgree, "agree", "同意共享", "agree", Agree{}},
	{CmdRefuse, "refuse", "不同意共享", "refuse", Refuse{}},
	{CmdProvision, "provision", "提供数据", "provision", Provision{}},
	{CmdExpire, "expire", "到期", "expire", Expire{}},
	{CmdRevoke, "revoke", "终止共享", "revoke", Revoke{}},
	{CmdObject, "object", "提出异议", "object", Object{}},
	{CmdUphold, "uphold", "协调维持", "uphold", Uphold{}},
	{CmdOverturn, "overturn", "协调改为同意", "overturn", Overturn{}},
	{CmdOrderReply, "order_reply", "责令限期答复", "order reply", OrderReply{}},
	{CmdFileCorrection, "file_correction", "提出校核", "file correction", FileCorrection{}},
	{CmdAnswerCorrection, "answer_correction", "答复校核", "answer correction", AnswerCorrection{}},
	{CmdAlert, "alert", "期限提醒", "alert", Alert{}},
	{CmdAckNotice, "ack_notice", "确认告知送达", "acknowledge notice", AckNotice{}},
	{CmdSettleDeadline, "settle_deadline", "确定期限", "settle deadline", SettleDeadline{}},
	{CmdClose, "close", "共享目的已实现，结束共享", "close (purpose achieved)", Close{}},
	{CmdAnnounceChange, "announce_change", "告知终止或变更服务", "announce an end or change of service", AnnounceChange{}},
	{CmdEffectChange, "effect_change", "服务终止或变更生效", "end or change of service takes effect", EffectChange{}},
}

var (
	commandNames = func() textcode.Table[CommandName] {
		t := make(textcode.Table[CommandName], len(commandSpecs))
		for i, s := range commandSpecs {
			t[i] = textcode.Entry[CommandName]{Value: s.name, Code: s.code, Zh: s.zh, En: s.en}
		}
		return t
	}()
	commandTypes = func() map[CommandName]reflect.Type {
		m := map[CommandName]reflect.Type{}
		for _, s := range commandSpecs {
			if s.proto.Name() != s.name {
				panic(fmt.Sprintf("request: command %s declared with the type of %s", s.code, s.proto.Name().Code()))
			}
			m[s.name] = reflect.TypeOf(s.proto)
		}
		return m
	}()
)

// CommandNames lists every command in declaration order.
func CommandNames() []CommandName {
	out := make([]CommandName, len(commandNames))
	for i, e := range commandNames {
		out[i] = e.Value
	}
	return out
}

// String returns the Chinese name, e.g. 申请延期答复.
func (c CommandName) String() string { return textcode.String(commandNames, "Command", c) }

// English returns the English name.
func (c CommandName) English() string { return textcode.English(commandNames, c) }

// Code returns the stable code, e.g. request_extension.
func (c CommandName) Code() string {
	e, _ := commandNames.Lookup(c)
	return e.Code
}

// MarshalText returns the stable code.
func (c CommandName) MarshalText() ([]byte, error) {
	return textcode.Marshal(commandNames, "command", c)
}

// UnmarshalText accepts the stable code or the Chinese name.
func (c *CommandName) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(commandNames, "command", text, c)
}

// Create starts an application in Draft for the actor's department, for
// items of a published catalog entry (R5, R8). The application's ID is the
// one the host gives Service.Do (or the ID of the New application passed
// to Apply). The elements may be incomplete until Submit.
type Create struct {
	Actor    govshare.Actor `json:"-"`
	EntryID  string         `json:"entry_id"`
	Elements Elements       `json:"elements"`
}

// Renew starts an application in Draft that renews a live or expired grant
// of the actor's department: same entry, the items and method granted, the
// new period of use. The Service reads the application renewed into
// Env.Renewed.
type Renew struct {
	Actor govshare.Actor `json:"-"`
	// Of is the ID of the application renewed.
	Of string `json:"of"`
	// Period is the new period of use.
	Period UsePeriod `json:"period"`
}

// Edit replaces the elements of a draft.
type Edit struct {
	Actor    govshare.Actor `json:"-"`
	Elements Elements       `json:"elements"`
}

// Submit hands the draft to the requester's sharing-office head (R8).
type Submit struct {
	Actor govshare.Actor `json:"-"`
}

// Endorse is 工作机构负责人审核同意: the requester's sharing-office head
// agrees to the application, which sends it to the provider (R4, R8). The
// provider receives it at that instant, or at ReceivedAt when the host
// delivers it later; the reply period counts from receipt (R10, R11).
type Endorse struct {
	Actor govshare.Actor `json:"-"`
	// ReceivedAt, when set, is the later instant at which the host
	// delivered the application to the provider. Zero: at the endorsement.
	ReceivedAt time.Time `json:"received_at,omitzero"`
}

// Return sends the application back to the clerk, with a comment.
type Return struct {
	Actor   govshare.Actor `json:"-"`
	Comment string         `json:"comment"`
}

// Withdraw ends the application before the reply.
type Withdraw struct {
	Actor  govshare.Actor `json:"-"`
	Reason string         `json:"reason,omitempty"`
}

// RequestExtension asks the competent department to extend the reply
// period by Days working days, for a stated reason, before the period ends
// (R12).
type RequestExtension struct {
	Actor  govshare.Actor `json:"-"`
	Days   int            `json:"days"`
	Reason string         `json:"reason"`
}

// DecideExtension is the competent department's decision on the pending
// extension request (R12): Granted or Denied.
type DecideExtension struct {
	Actor    govshare.Actor    `json:"-"`
	Decision ExtensionDecision `json:"decision"`
	Comment  string            `json:"comment,omitempty"`
}

// Agree is the provider's agreement (R9–R11): the items granted (the rest
// refused with reasons), conditions taken from the entry (R7), the method
// and period of use. Zero Method and Period mean those requested; nil
// Items and Refused mean every item requested.
type Agree struct {
	Actor      govshare.Actor       `json:"-"`
	Items      []string             `json:"items,omitempty"`
	Refused    []RefusedItem        `json:"refused,omitempty"`
	Conditions []string             `json:"conditions,omitempty"`
	Method     govshare.ShareMethod `json:"method,omitempty"`
	Period     UsePeriod            `json:"period,omitzero"`
}

// Refuse is the provider's reply of 不同意共享, with its reasons (R11).
type Refuse struct {
	Actor       govshare.Actor `json:"-"`
	Reason      RefusalReason  `json:"reason"`
	Explanation string         `json:"explanation"`
}

// Provision records that the data were provided, with a reference per
// method (R13); the grant becomes live.
type Provision struct {
	Actor      govshare.Actor `json:"-"`
	Deliveries []Delivery     `json:"deliveries"`
}

// Expire ends the grant at the end of its period of use (R19).
type Expire struct {
	Actor govshare.Actor `json:"-"`
}

// Revoke ends the grant early, e.g. for misuse (R17, R19).
type Revoke struct {
	Actor  govshare.Actor `json:"-"`
	Reason string         `json:"reason"`
}

// Object is the requester's objection to a reply of 不同意共享, to a late
// reply or to the conditions imposed (R21).
type Object struct {
	Actor     govshare.Actor `json:"-"`
	Ground    Ground         `json:"ground"`
	Statement string         `json:"statement"`
}

// Uphold is the authority's resolution leaving the objected state as it was.
type Uphold struct {
	Actor   govshare.Actor `json:"-"`
	Comment string         `json:"comment,omitempty"`
}

// Overturn is the authority's resolution approving the application with
// the items, conditions (from the entry), method and period it states.
type Overturn struct {
	Actor      govshare.Actor       `json:"-"`
	Items      []string             `json:"items"`
	Conditions []string             `json:"conditions,omitempty"`
	Method     govshare.ShareMethod `json:"method,omitempty"`
	Period     UsePeriod            `json:"period,omitzero"`
	Comment    string               `json:"comment,omitempty"`
}

// OrderReply is the authority's resolution ordering the provider to reply
// within Days working days.
type OrderReply struct {
	Actor   govshare.Actor `json:"-"`
	Days    int            `json:"days"`
	Comment string         `json:"comment,omitempty"`
}

// FileCorrection is the requester's 校核 request: shared data of the named
// items are wrong or incomplete (R20).
type FileCorrection struct {
	Actor       govshare.Actor `json:"-"`
	Items       []string       `json:"items"`
	Description string         `json:"description"`
}

// AnswerCorrection is the provider's answer to a 校核 request: corrected,
// or rejected with a reason (R20).
type AnswerCorrection struct {
	Actor        govshare.Actor `json:"-"`
	CorrectionID string         `json:"correction_id"`
	Corrected    bool           `json:"corrected"`
	Reason       string         `json:"reason,omitempty"`
}

// Alert records that the system emitted an overdue or due-soon fact
// (Sweep issues these), so that each fact is emitted once.
type Alert struct {
	Actor govshare.Actor `json:"-"`
	Fact  Fact           `json:"fact"`
}

// AckNotice records that the host delivered a notice.
type AckNotice struct {
	Actor    govshare.Actor `json:"-"`
	NoticeID string         `json:"notice_id"`
}

// SettleDeadline computes, with the calendar in force now, the deadlines
// and answers that waited for a year's official schedule (期限待定). With
// Recompute, after a schedule was corrected, it also recomputes every
// deadline still running and records those that change. The Service
// issues it as the system when a year is loaded (LoadSchedules) and when
// Sweep finds a pending deadline whose year the calendar now has.
type SettleDeadline struct {
	Actor     govshare.Actor `json:"-"`
	Recompute bool           `json:"recompute,omitempty"`
}

// Name implements Command.
func (SettleDeadline) Name() CommandName { return CmdSettleDeadline }

// Close is the requester ending its grant early because the purpose of
// sharing was achieved (共享目的已实现, R22): the grant ends at once, with
// the requester's statement of what became of the data (deleted, archived
// under which rules, …).
type Close struct {
	Actor     govshare.Actor `json:"-"`
	Statement string         `json:"statement"`
}

// Name implements Command.
func (Close) Name() CommandName { return CmdClose }

// By implements Command.
func (c Close) By() govshare.Actor { return c.Actor }

// AnnounceChange is the provider announcing that it must end or change
// the sharing service of a grant (确需终止或者变更服务, R23): the requester is
// notified at once, and the end or change takes effect at EffectiveAt,
// which must leave at least the notice period of the host's Rules
// (Rules.ChangeNotice, a policy default). A change may move the grant to
// another method of the entry and withdraw items; an end discontinues it.
// Service.Announce issues it to every live grant of an entry.
type AnnounceChange struct {
	Actor       govshare.Actor `json:"-"`
	Change      ServiceChange  `json:"change"`
	EffectiveAt time.Time      `json:"effective_at"`
	Statement   string         `json:"statement"`
	// Method is the method after a change (empty: unchanged).
	Method govshare.ShareMethod `json:"method,omitempty"`
	// Withdrawn are the items no longer provided after a change.
	Withdrawn []string `json:"withdrawn,omitempty"`
}

// Name implements Command.
func (AnnounceChange) Name() CommandName { return CmdAnnounceChange }

// By implements Command.
func (c AnnounceChange) By() govshare.Actor { return c.Actor }

// EffectChange puts an announced end or change of service into effect at
// its instant; Sweep issues it as the system (R23).
type EffectChange struct {
	Actor govshare.Actor `json:"-"`
}

// Name implements Command.
func (EffectChange) Name() CommandName { return CmdEffectChange }

// By implements Command.
func (c EffectChange) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c SettleDeadline) By() govshare.Actor { return c.Actor }

// Name implements Command.
func (Create) Name() CommandName { return CmdCreate }

// Name implements Command.
func (Renew) Name() CommandName { return CmdRenew }

// Name implements Command.
func (Edit) Name() CommandName { return CmdEdit }

// Name implements Command.
func (Submit) Name() CommandName { return CmdSubmit }

// Name implements Command.
func (Endorse) Name() CommandName { return CmdEndorse }

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
func (c Renew) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Edit) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Submit) By() govshare.Actor { return c.Actor }

// By implements Command.
func (c Endorse) By() govshare.Actor { return c.Actor }

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

// MaxCommandBytes bounds the JSON DecodeCommand reads (policy default).
const MaxCommandBytes = 1 << 20

// MarshalCommand encodes a command as JSON with its name first:
// {"command":"agree","items":[…],…}. The actor is left out.
func MarshalCommand(cmd Command) ([]byte, error) {
	if cmd == nil {
		return nil, commandError("缺少指令", "no command", nil)
	}
	body, err := json.Marshal(cmd)
	if err != nil {
		return nil, err
	}
	code, err := cmd.Name().MarshalText()
	if err != nil || len(code) == 0 {
		return nil, commandError("未知指令", fmt.Sprintf("unknown command %T", cmd), err)
	}
	out := make([]byte, 0, len(body)+len(code)+16)
	out = append(out, `{"command":"`...)
	out = append(out, code...)
	out = append(out, '"')
	if len(body) > 2 {
		out = append(out, ',')
	}
	return append(out, body[1:]...), nil
}

// DecodeCommand reads a command from JSON by its name ({"command":"agree",
// …}) and makes by its actor: the actor is the one the host authenticated,
// never a field of the body. Unknown names, unknown or misspelt fields,
// wrong types, trailing data and bodies over MaxCommandBytes are refused
// with an error matching govshare.ErrMalformed (govshare.ErrTooLarge for
// the size).
func DecodeCommand(data []byte, by govshare.Actor) (Command, error) {
	if len(data) > MaxCommandBytes {
		return nil, &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "request.command_too_large",
			Zh: fmt.Sprintf("指令超过%d字节", MaxCommandBytes), En: fmt.Sprintf("request: a command is at most %d bytes", MaxCommandBytes)}
	}
	var head struct {
		Command CommandName `json:"command"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, commandError("指令不是有效的JSON对象或指令名称无效", "not a JSON object with a known command name", err)
	}
	t, ok := commandTypes[head.Command]
	if !ok {
		return nil, commandError("缺少指令名称（command）", `the object names no command ("command")`, nil)
	}
	v := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&commandBody{v.Interface()}); err != nil {
		return nil, commandError("指令“"+head.Command.Code()+"”的内容无效", "invalid "+head.Command.Code()+" command", err)
	}
	if dec.More() {
		return nil, commandError("指令之后还有多余内容", "data after the command", nil)
	}
	v.Elem().FieldByName("Actor").Set(reflect.ValueOf(by))
	return v.Elem().Interface().(Command), nil
}

// commandBody decodes a command's fields while accepting its "command"
// member, which DisallowUnknownFields would otherwise refuse.
type commandBody struct{ v any }

func (b *commandBody) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	delete(fields, "command")
	rest, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	return dec.Decode(b.v)
}

func commandError(zh, en string, err error) error {
	return &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "request.malformed_command", Zh: zh, En: "request: " + en, Err: err}
}
