package request

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
)

// Calendar is what the request package needs of a working-day calendar;
// *deadline.Calendar implements it. End is deadline's Due without the
// day-by-day trace (hosts that show the trace call Due themselves).
type Calendar interface {
	End(received time.Time, p deadline.Period) (deadline.Due, error)
	WorkdaysBetween(a, b time.Time) (int, error)
}

// Rules are the host's policy options. The zero value of each field is its
// policy default; none of these numbers is fixed by the regulation.
type Rules struct {
	// AutoAgreeUnconditional answers an application for only
	// unconditionally shared items automatically on receipt (policy
	// option, default off): the system agrees to every item requested.
	AutoAgreeUnconditional bool
	// CloseOfBusiness ends reply periods at that time of day instead of
	// 24:00 (R14 allows it where business hours apply). Default 24:00.
	CloseOfBusiness time.Duration
	// Cutoff makes receipts at or after that time of day count from the
	// next working day. Default none.
	Cutoff time.Duration
	// CorrectionDays is the period for answering a 校核 request, in
	// working days (R20; the regulation's figure is not encoded here).
	// Default 10.
	CorrectionDays int
	// Reminders are the lead times before a due instant at which a
	// due-soon reminder is emitted. Default (nil): one day; an empty,
	// non-nil list turns reminders off.
	Reminders []time.Duration
	// MaxOrderDays bounds the working days an authority may give when it
	// orders a reply. Default 10.
	MaxOrderDays int
}

// Default policy values (not law).
const (
	DefaultCorrectionDays = 10
	DefaultMaxOrderDays   = 10
	DefaultReminder       = 24 * time.Hour
)

func (r Rules) withDefaults() Rules {
	if r.CorrectionDays <= 0 {
		r.CorrectionDays = DefaultCorrectionDays
	}
	if r.MaxOrderDays <= 0 {
		r.MaxOrderDays = DefaultMaxOrderDays
	}
	if r.Reminders == nil {
		r.Reminders = []time.Duration{DefaultReminder}
	}
	return r
}

// Env is what Apply needs besides the application and the command: the
// catalog entry applied for (as currently stored), the calendar, the
// host's rules and the competent authority of the provider's level and
// region. Apply does no I/O; the Service fills the Env.
type Env struct {
	Entry     catalog.Entry
	Calendar  Calendar
	Rules     Rules
	Authority govshare.Department
}

// Transition is one row of the transition table: in state From, command
// Command, issued by one of Who, leads to state To (or leaves the state as
// it is when Stay is set), when the row's condition holds.
type Transition struct {
	From    State
	Command CommandName
	Who     []Who
	To      State
	Stay    bool
	// When describes the row's extra condition, if any (for the docs).
	When string
	// Rule is the rule id the row implements.
	Rule string

	cond condition
}

// condition is a row's extra condition. It is data, evaluated by holds, so
// that Apply calls nothing through function values and its arguments stay
// on the stack.
type condition struct {
	kind   condKind
	ground Ground // for groundIs
	from   State  // for objectedFrom
}

type condKind uint8

const (
	always condKind = iota
	autoAgreeOn
	groundIs
	objectedFrom
)

func (c condition) holds(a *Application, cmd Command, env *Env) bool {
	switch c.kind {
	case autoAgreeOn:
		return env.Rules.AutoAgreeUnconditional && a.Attribute == govshare.Unconditional
	case groundIs:
		o, ok := cmd.(Object)
		return ok && o.Ground == c.ground
	case objectedFrom:
		return len(a.Objections) > 0 && a.Objections[len(a.Objections)-1].From == c.from
	}
	return true
}

type row struct {
	from    []State
	command CommandName
	who     []Who
	to      State
	stay    bool
	when    string
	rule    string
	cond    condition
}

var open = []State{UnderReview, ExtensionRequested}

// rows is the transition table, declared once. Table, the docs' state
// diagram and the exhaustive test are generated from it.
var rows = []row{
	{from: []State{New}, command: CmdCreate, who: []Who{requesterClerk, requesterHead}, to: Draft, rule: "R8"},
	{from: []State{Draft}, command: CmdEdit, who: []Who{requesterClerk, requesterHead}, stay: true, rule: "R8"},
	{from: []State{Draft}, command: CmdSubmit, who: []Who{requesterClerk}, to: PendingApproval, rule: "R8"},
	{from: []State{PendingApproval}, command: CmdApprove, who: []Who{requesterHead}, to: UnderReview, rule: "R8"},
	{from: []State{PendingApproval}, command: CmdReturn, who: []Who{requesterHead}, to: Draft, rule: "R8"},
	{from: []State{Draft, PendingApproval, UnderReview, ExtensionRequested}, command: CmdWithdraw, who: []Who{requesterClerk, requesterHead}, to: Withdrawn, rule: "R8"},
	{from: []State{UnderReview}, command: CmdRequestExtension, who: []Who{providerClerk, providerHead}, to: ExtensionRequested, rule: "R12"},
	{from: []State{ExtensionRequested}, command: CmdDecideExtension, who: []Who{authority}, to: UnderReview, rule: "R12"},
	{from: open, command: CmdAgree, who: []Who{providerHead}, to: Approved, rule: "R9"},
	{from: []State{UnderReview}, command: CmdAgree, who: []Who{system}, to: Approved, rule: "R10",
		when: "AutoAgreeUnconditional and every item unconditional", cond: condition{kind: autoAgreeOn}},
	{from: open, command: CmdRefuse, who: []Who{providerHead}, to: Refused, rule: "R11"},
	{from: []State{Approved}, command: CmdProvision, who: []Who{providerClerk, providerHead}, to: Active, rule: "R13"},
	{from: []State{Approved, Active}, command: CmdExpire, who: []Who{system}, to: Expired, rule: "R19"},
	{from: []State{Approved, Active}, command: CmdRevoke, who: []Who{providerHead, authority}, to: Revoked, rule: "R19"},
	{from: []State{Refused}, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		when: "ground: refusal", cond: condition{kind: groundIs, ground: AgainstRefusal}},
	{from: open, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		when: "ground: delay", cond: condition{kind: groundIs, ground: AgainstDelay}},
	{from: []State{Approved, Active}, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		when: "ground: conditions", cond: condition{kind: groundIs, ground: AgainstConditions}},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Refused, rule: "R21", when: "objected from 已拒绝", cond: condition{kind: objectedFrom, from: Refused}},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: UnderReview, rule: "R21", when: "objected from 待答复", cond: condition{kind: objectedFrom, from: UnderReview}},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: ExtensionRequested, rule: "R21", when: "objected from 延期待批", cond: condition{kind: objectedFrom, from: ExtensionRequested}},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Approved, rule: "R21", when: "objected from 已同意", cond: condition{kind: objectedFrom, from: Approved}},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Active, rule: "R21", when: "objected from 共享中", cond: condition{kind: objectedFrom, from: Active}},
	{from: []State{InCoordination}, command: CmdOverturn, who: []Who{authority}, to: Approved, rule: "R21"},
	{from: []State{InCoordination}, command: CmdOrderReply, who: []Who{authority}, to: UnderReview, rule: "R21"},
	{from: []State{Active}, command: CmdFileCorrection, who: []Who{requesterClerk, requesterHead}, stay: true, rule: "R20"},
	{from: []State{Active, Expired, Revoked}, command: CmdAnswerCorrection, who: []Who{providerClerk, providerHead}, stay: true, rule: "R20"},
	{from: []State{UnderReview, ExtensionRequested, Active, Expired, Revoked}, command: CmdAlert, who: []Who{system}, stay: true, rule: "R10"},
	{from: []State{UnderReview, ExtensionRequested, Approved, Refused, Withdrawn, Active, Expired, Revoked, InCoordination},
		command: CmdAckNotice, who: []Who{system}, stay: true, rule: "R12"},
}

var (
	table   []Transition
	byState = map[State]map[CommandName][]int{}
)

func init() {
	for _, r := range rows {
		for _, from := range r.from {
			to := r.to
			if r.stay {
				to = from
			}
			byState[from] = addIndex(byState[from], r.command, len(table))
			table = append(table, Transition{From: from, Command: r.command, Who: r.who, To: to, Stay: r.stay, When: r.when, Rule: r.rule, cond: r.cond})
		}
	}
}

func addIndex(m map[CommandName][]int, c CommandName, i int) map[CommandName][]int {
	if m == nil {
		m = map[CommandName][]int{}
	}
	m[c] = append(m[c], i)
	return m
}

// Table returns the transition table, one row per (from state, command,
// condition).
func Table() []Transition {
	out := make([]Transition, len(table))
	copy(out, table)
	for i := range out {
		out[i].Who = slices.Clone(out[i].Who)
	}
	return out
}

// Event is what a successful transition produces: one per transition,
// recorded in the audit log by the Service.
type Event struct {
	// Action is the stable audit action code, "request." + command code.
	Action  string
	AppID   string
	Command CommandName
	From    State
	To      State
	Actor   govshare.Actor
	At      time.Time
	// Details are a few facts of the transition (the due instant, the
	// items granted, …), in the order the transition recorded them, for the
	// audit record.
	Details []Detail
	// Notices are notices the transition issued, which the host must
	// deliver (e.g. R12 告知需求部门).
	Notices []Notice
}

// Detail is one fact of a transition.
type Detail struct {
	Key   string
	Value any
}

// Detail returns the value of the detail with the key, if the event has it.
func (e Event) Detail(key string) (any, bool) {
	for _, d := range e.Details {
		if d.Key == key {
			return d.Value, true
		}
	}
	return nil, false
}

// Apply is the pure core of the package: the application after cmd is
// applied at instant at, and the event of the transition, or a typed
// error. It checks, in order: that the table has the command in the
// application's state (ErrIllegalTransition), that the actor is one the
// table allows (ErrForbidden), then the command's rules (ErrInvalid,
// ErrNotShareable, ErrNotPublished, or deadline.ErrUnknownYear when a
// period reaches a year without an official schedule). On error the
// returned application is app, unchanged. Apply does no I/O and never
// modifies its argument.
func Apply(app Application, cmd Command, at time.Time, env Env) (Application, []Event, error) {
	if cmd == nil {
		return app, nil, invalid(0, "command", "缺少指令", "no command", govshare.Citation{})
	}
	name := cmd.Name()
	idx := byState[app.State][name]
	if len(idx) == 0 {
		return app, nil, &TransitionError{From: app.State, Command: name}
	}
	who, err := whoIs(&app, cmd, &env)
	if err != nil {
		return app, nil, err
	}
	var buf [4]int
	candidates := buf[:0]
	for _, i := range idx {
		if slices.Contains(table[i].Who, who) {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		var allowed []Who
		for _, i := range idx {
			for _, w := range table[i].Who {
				if !slices.Contains(allowed, w) {
					allowed = append(allowed, w)
				}
			}
		}
		return app, nil, &ForbiddenError{Command: name, Actor: cmd.By(), Allowed: allowed}
	}
	if at.IsZero() {
		return app, nil, invalid(name, "at", "缺少操作时间", "no instant given", govshare.Citation{})
	}
	if at.Before(app.UpdatedAt) {
		return app, nil, invalid(name, "at", "操作时间早于上一次操作", fmt.Sprintf("%s is before the last transition at %s", at.Format(time.RFC3339), app.UpdatedAt.Format(time.RFC3339)), govshare.Citation{})
	}
	var tr *Transition
	for _, i := range candidates {
		if t := &table[i]; t.cond.holds(&app, cmd, &env) {
			tr = t
			break
		}
	}
	if tr == nil {
		return app, nil, conditionError(&app, cmd, candidates)
	}
	env.Rules = env.Rules.withDefaults()
	// The transition works on a shallow copy: slices it edits in place are
	// cloned first and appends never write into shared capacity (see
	// slices.Clip), so app is never changed and the result shares only
	// what the transition left alone.
	x := tx{app: app, cmd: cmd, at: at.In(deadline.CST), env: env, who: who,
		ev: Event{Action: actionOf(name), AppID: app.ID, Command: name, From: app.State, Actor: cmd.By(), At: at.In(deadline.CST)}}
	if err := x.run(); err != nil {
		return app, nil, err
	}
	x.app.State = tr.To
	x.app.UpdatedAt = x.at
	x.ev.AppID = x.app.ID
	x.ev.To = tr.To
	if x.ndet > 0 {
		x.ev.Details = slices.Clone(x.det[:x.ndet])
	}
	return x.app, []Event{x.ev}, nil
}

func conditionError(a *Application, cmd Command, candidates []int) error {
	name := cmd.Name()
	switch name {
	case CmdObject:
		return invalid(name, "ground", fmt.Sprintf("在“%s”状态下不能以该理由提出异议", a.State),
			fmt.Sprintf("that ground of objection does not apply in state %s", a.State.Code()), govshare.Rule("R21"))
	case CmdAgree:
		return invalid(name, "actor", "仅无条件共享的申请可由系统自动同意，且须启用该策略",
			"the system may agree only to all-unconditional applications, when AutoAgreeUnconditional is set", govshare.PolicyDefault("R10"))
	}
	return invalid(name, "state", "不满足该操作的条件："+table[candidates[0]].When, "condition not met: "+table[candidates[0]].When, govshare.Rule(table[candidates[0]].Rule))
}

var actions = func() (a [CmdAckNotice + 1]string) {
	for _, c := range CommandNames() {
		a[c] = "request." + c.Code()
	}
	return a
}()

func actionOf(c CommandName) string {
	if int(c) < len(actions) {
		return actions[c]
	}
	return ""
}

// whoIs places the actor on a side of the application.
func whoIs(a *Application, cmd Command, env *Env) (Who, error) {
	actor := cmd.By()
	if actor.ID == "" || !actor.Role.Valid() {
		return Who{}, invalid(cmd.Name(), "actor", "操作人须有标识和有效角色", "the actor needs an ID and a valid role", govshare.Rule("R4"))
	}
	switch actor.Role {
	case govshare.System:
		return system, nil
	case govshare.Authority:
		if env.Authority.ID() != "" && env.Authority.Same(actor.Department) {
			return authority, nil
		}
		return Who{Role: govshare.Authority}, nil
	}
	requester := a.Requester
	if a.State == New {
		requester = actor.Department
	}
	switch {
	case requester.Same(actor.Department):
		return Who{Requester, actor.Role}, nil
	case a.Provider.Same(actor.Department):
		return Who{Provider, actor.Role}, nil
	}
	return Who{Role: actor.Role}, nil
}

// tx applies one command to a copy of the application.
type tx struct {
	app Application
	cmd Command
	at  time.Time
	env Env
	who Who
	ev  Event
	// det gathers the event's details without allocating; Apply copies
	// them out once.
	det  [8]Detail
	ndet int
}

// detail records one fact of the transition for the audit record.
func (x *tx) detail(key string, value any) {
	if x.ndet < len(x.det) {
		x.det[x.ndet] = Detail{Key: key, Value: value}
		x.ndet++
	}
}

func (x *tx) fail(field, zh, en, rule string) error {
	c := govshare.Citation{}
	if rule != "" {
		c = govshare.Rule(rule)
	}
	return invalid(x.cmd.Name(), field, zh, en, c)
}

func (x *tx) run() error {
	switch c := x.cmd.(type) {
	case Create:
		return x.create(c)
	case Edit:
		return x.edit(c)
	case Submit:
		return x.submit()
	case Approve:
		return x.approve(c)
	case Return:
		return x.comment(c.Comment, true)
	case Withdraw:
		return x.comment(c.Reason, false)
	case RequestExtension:
		return x.requestExtension(c)
	case DecideExtension:
		return x.decideExtension(c)
	case Agree:
		return x.agree(c)
	case Refuse:
		return x.refuse(c)
	case Provision:
		return x.provision(c)
	case Expire:
		return x.expire()
	case Revoke:
		return x.revoke(c)
	case Object:
		return x.object(c)
	case Uphold:
		return x.resolve(Upheld, c.Comment)
	case Overturn:
		return x.overturn(c)
	case OrderReply:
		return x.orderReply(c)
	case FileCorrection:
		return x.fileCorrection(c)
	case AnswerCorrection:
		return x.answerCorrection(c)
	case Alert:
		return x.alert(c)
	case AckNotice:
		return x.ackNotice(c)
	}
	return x.fail("command", "未知指令", fmt.Sprintf("unknown command type %T", x.cmd), "")
}

func (x *tx) entry() (*catalog.Entry, error) {
	e := &x.env.Entry
	if e.ID == "" || e.ID != x.app.EntryID {
		return nil, x.fail("entry", "环境中的目录条目与申请不符", fmt.Sprintf("the Env holds entry %q, the application names %q", e.ID, x.app.EntryID), "R5")
	}
	if e.Status != catalog.Published {
		return nil, &NotPublishedError{EntryID: e.ID, Status: e.Status.String()}
	}
	return e, nil
}

// checkItems checks names against the entry: known, not repeated and not
// 不予共享 (R7).
func (x *tx) checkItems(field string, items []string) error {
	e := &x.env.Entry
	var notShared []string
	for k, name := range items {
		if slices.Contains(items[:k], name) {
			return x.fail(field, "数据项“"+name+"”重复", "item "+name+" is listed twice", "R8")
		}
		_, i, ok := e.Item(name)
		if !ok {
			return x.fail(field, "目录“"+e.Name+"”中没有数据项“"+name+"”", "the entry has no data item "+name, "R5")
		}
		if e.EffectiveShare(i) == govshare.NotShared {
			notShared = append(notShared, name)
		}
	}
	if len(notShared) > 0 {
		basis := e.LegalBasis
		if basis == "" {
			basis = "（目录未写明依据）"
		}
		return &NotShareableError{EntryID: e.ID, Items: notShared, LegalBasis: basis}
	}
	return nil
}

func (x *tx) create(c Create) error {
	if strings.TrimSpace(c.ID) == "" {
		return x.fail("id", "缺少申请编号", "the application needs an ID", "")
	}
	x.app.ID, x.app.EntryID = c.ID, c.EntryID
	e, err := x.entry()
	if err != nil {
		return err
	}
	if e.Provider.Same(c.Actor.Department) {
		return x.fail("requester", "部门不能申请本部门的数据", "a department does not apply for its own data", "R8")
	}
	if err := x.checkItems("elements.items", c.Elements.Items); err != nil {
		return err
	}
	x.app.Requester = c.Actor.Department
	x.app.Provider = e.Provider
	x.app.EntryVersion = e.Version
	x.app.Elements = cloneElements(c.Elements)
	x.app.RenewalOf = c.RenewalOf
	x.app.CreatedAt = x.at
	if c.RenewalOf != "" {
		x.detail("renewal_of", c.RenewalOf)
	}
	x.detail("entry_id", e.ID)
	return nil
}

func cloneElements(el Elements) Elements {
	el.Items = cloneSlice(el.Items)
	el.Systems = cloneSlice(el.Systems)
	return el
}

func (x *tx) edit(c Edit) error {
	if _, err := x.entry(); err != nil {
		return err
	}
	if err := x.checkItems("elements.items", c.Elements.Items); err != nil {
		return err
	}
	x.app.Elements = cloneElements(c.Elements)
	return nil
}

// checkElements checks the five elements of R8 against the entry.
func (x *tx) checkElements() error {
	e, err := x.entry()
	if err != nil {
		return err
	}
	el := &x.app.Elements
	switch {
	case strings.TrimSpace(el.Basis) == "":
		return x.fail("elements.basis", "缺少使用依据", "the legal basis for the use is missing", "R8")
	case strings.TrimSpace(el.Scenario) == "":
		return x.fail("elements.scenario", "缺少使用场景", "the use scenario is missing", "R8")
	case len(el.Items) == 0:
		return x.fail("elements.items", "使用范围未列明数据项", "no data item is requested", "R8")
	case !e.HasMethod(el.Method):
		return x.fail("elements.method", "共享方式“"+el.Method.String()+"”不在目录所列共享方式之中", "method "+string(el.Method)+" is not one the entry offers", "R13")
	case el.Period.From.IsZero() || !el.Period.To.After(el.Period.From):
		return x.fail("elements.period", "使用时限不完整或起止颠倒", "the period of use is missing or ends before it starts", "R8")
	case !el.Period.To.After(x.at):
		return x.fail("elements.period", "使用时限已届满", "the period of use has already ended", "R8")
	}
	return x.checkItems("elements.items", el.Items)
}

func (x *tx) submit() error {
	if err := x.checkElements(); err != nil {
		return err
	}
	x.app.SubmittedAt = x.at
	return nil
}

func (x *tx) replyPeriod(base deadline.Period) deadline.Period {
	base.CloseOfBusiness = x.env.Rules.CloseOfBusiness
	base.Cutoff = x.env.Rules.Cutoff
	return base
}

func (x *tx) approve(c Approve) error {
	if err := x.checkElements(); err != nil {
		return err
	}
	e := &x.env.Entry
	x.app.Attribute = govshare.Unconditional
	for _, name := range x.app.Elements.Items {
		if _, i, _ := e.Item(name); e.EffectiveShare(i) == govshare.Conditional {
			x.app.Attribute = govshare.Conditional
		}
	}
	p := deadline.ReplyUnconditional // R10
	if x.app.Attribute == govshare.Conditional {
		p = deadline.ReplyConditional // R11
	}
	received := x.at
	if !c.ReceivedAt.IsZero() {
		if c.ReceivedAt.Before(x.at) {
			return x.fail("received_at", "送达时间早于审核同意时间", "the delivery instant is before the approval", "R10")
		}
		received = c.ReceivedAt.In(deadline.CST)
	}
	clock, err := x.clock(received, x.replyPeriod(p), false)
	if err != nil {
		return err
	}
	x.app.Clock = clock
	x.app.ReceivedAt = received
	x.app.EntryVersion = e.Version
	x.detail("attribute", x.app.Attribute.String())
	x.detail("due_at", clock.DueAt.Format(time.RFC3339))
	return nil
}

func (x *tx) clock(received time.Time, p deadline.Period, ordered bool) (*Clock, error) {
	due, err := x.env.Calendar.End(received, p)
	if err != nil {
		return nil, fmt.Errorf("request: %s: computing the reply period: %w", x.cmd.Name().Code(), err)
	}
	return &Clock{Period: p, ReceivedAt: received, LastDay: due.LastDay, DueAt: due.At, Ordered: ordered}, nil
}

func (x *tx) comment(text string, required bool) error {
	if required && strings.TrimSpace(text) == "" {
		return x.fail("comment", "退回须说明理由", "a return needs a comment", "R8")
	}
	if text != "" {
		x.app.Comments = append(slices.Clip(x.app.Comments), Comment{Command: x.cmd.Name(), By: x.cmd.By(), At: x.at, Text: text})
	}
	return nil
}

func (x *tx) extensionDays() (granted int) {
	for _, e := range x.app.Extensions {
		if e.Decision == Granted {
			granted += e.Days
		}
	}
	return granted
}

func (x *tx) requestExtension(c RequestExtension) error {
	max := deadline.MaxExtension.Workdays
	switch {
	case c.Days < 1:
		return x.fail("days", "延期天数须至少为1个工作日", "an extension is at least 1 working day", "R12")
	case strings.TrimSpace(c.Reason) == "":
		return x.fail("reason", "申请延期须说明特殊原因", "an extension needs a reason", "R12")
	case x.app.Clock == nil || !x.at.Before(x.app.Clock.DueAt):
		return x.fail("at", "答复期限已届满，不能再申请延期", "the reply period has ended; an extension must be asked before", "R12")
	case x.extensionDays()+c.Days > max:
		return x.fail("days", fmt.Sprintf("延期合计不得超过%d个工作日（已批准%d个）", max, x.extensionDays()),
			fmt.Sprintf("extensions total at most %d working days (%d already granted)", max, x.extensionDays()), "R12")
	}
	x.app.Extensions = append(slices.Clip(x.app.Extensions), Extension{Days: c.Days, Reason: c.Reason, RequestedAt: x.at, RequestedBy: c.Actor, DecisionDue: x.app.Clock.DueAt})
	x.detail("days", c.Days)
	return nil
}

func (x *tx) decideExtension(c DecideExtension) error {
	n := len(x.app.Extensions)
	if n == 0 || x.app.Extensions[n-1].Decision != Pending {
		return x.fail("extension", "没有待审批的延期申请", "no extension request is pending", "R12")
	}
	x.app.Extensions = slices.Clone(x.app.Extensions)
	ext := &x.app.Extensions[n-1]
	ext.DecidedAt, ext.DecidedBy, ext.Comment = x.at, c.Actor, c.Comment
	x.detail("approved", c.Approve)
	if !c.Approve {
		ext.Decision = Denied
		return nil
	}
	ext.Decision = Granted
	clock := *x.app.Clock
	clock.Period = clock.Period.Extended(ext.Days)
	next, err := x.clock(clock.ReceivedAt, clock.Period, clock.Ordered)
	if err != nil {
		return err
	}
	x.app.Clock = next
	due := next.DueAt.In(deadline.CST)
	end := "24:00"
	if next.Period.CloseOfBusiness > 0 {
		end = due.Format("15:04")
	}
	notice := Notice{
		ID: fmt.Sprintf("N%d", len(x.app.Notices)+1),
		To: x.app.Requester,
		Message: fmt.Sprintf("经主管部门批准，%s对共享申请%s的答复期限延长%d个工作日，延长后于%d年%d月%d日%s届满。",
			x.app.Provider.Name, x.app.ID, ext.Days, next.LastDay.Year(), int(next.LastDay.Month()), next.LastDay.Day(), end),
		MessageEN: fmt.Sprintf("With the competent department's approval, %s's reply to application %s is extended by %d working days, to %s %s China Standard Time.",
			x.app.Provider.Name, x.app.ID, ext.Days, next.LastDay.Format("2006-01-02"), end),
		Rule:      "R12",
		CreatedAt: x.at,
	}
	x.app.Notices = append(slices.Clip(x.app.Notices), notice)
	x.ev.Notices = append(x.ev.Notices, notice)
	x.detail("due_at", next.DueAt.Format(time.RFC3339))
	return nil
}

// entryHasCondition reports whether c is one of the conditions in the
// entry's 使用条件, which lists them one per line or separated by
// semicolons (full or half width). It allocates nothing.
func entryHasCondition(conditions, c string) bool {
	c = strings.TrimSpace(c)
	if c == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(conditions[from:], c)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(c)
		if atSeparator(strings.TrimRight(conditions[:start], " \t\r\u3000"), true) &&
			atSeparator(strings.TrimLeft(conditions[end:], " \t\r\u3000"), false) {
			return true
		}
		from = start + 1
	}
}

// atSeparator reports whether s is empty or ends (before) or starts
// (after) with a condition separator: a newline or a semicolon.
func atSeparator(s string, before bool) bool {
	if s == "" {
		return true
	}
	for _, sep := range [...]string{"\n", ";", "；"} {
		if before && strings.HasSuffix(s, sep) || !before && strings.HasPrefix(s, sep) {
			return true
		}
	}
	return false
}

// grant checks and builds an agreement: items ⊆ requested ∩ shareable,
// conditions only those of the entry (R7), method among the entry's (R13),
// period within the one requested (R19).
func (x *tx) grant(items []string, refused []RefusedItem, autoRefuse bool, conditions []string, method govshare.ShareMethod, period UsePeriod) (*Answer, error) {
	e, err := x.entry()
	if err != nil {
		return nil, err
	}
	req := x.app.Elements.Items
	fromApp := false // items is the application's own slice, not the caller's
	if items == nil && refused == nil && !autoRefuse {
		items, fromApp = req, true
	}
	if len(items) == 0 {
		return nil, x.fail("items", "同意共享须列明至少一个数据项，全部不同意应答复不予共享", "an agreement grants at least one item; refuse instead", "R11")
	}
	for _, it := range items {
		if !slices.Contains(req, it) {
			return nil, x.fail("items", "数据项“"+it+"”不在申请范围内", "item "+it+" was not requested", "R8")
		}
	}
	if err := x.checkItems("items", items); err != nil {
		return nil, err
	}
	if autoRefuse {
		refused = nil
		for _, it := range req {
			if !slices.Contains(items, it) {
				refused = append(refused, RefusedItem{Item: it, Reason: "协调决定不予提供"})
			}
		}
	}
	refusedItem := func(it string) bool {
		return slices.ContainsFunc(refused, func(r RefusedItem) bool { return r.Item == it })
	}
	for k, r := range refused {
		switch {
		case !slices.Contains(req, r.Item):
			return nil, x.fail("refused", "数据项“"+r.Item+"”不在申请范围内", "refused item "+r.Item+" was not requested", "R8")
		case slices.Contains(items, r.Item) || refusedItem(r.Item) && slices.IndexFunc(refused, func(q RefusedItem) bool { return q.Item == r.Item }) != k:
			return nil, x.fail("refused", "数据项“"+r.Item+"”既同意又不同意", "item "+r.Item+" is both granted and refused", "R11")
		case strings.TrimSpace(r.Reason) == "":
			return nil, x.fail("refused", "不同意共享的数据项“"+r.Item+"”须说明理由", "refused item "+r.Item+" needs a reason", "R11")
		}
	}
	for _, it := range req {
		if !slices.Contains(items, it) && !refusedItem(it) {
			return nil, x.fail("refused", "申请的数据项“"+it+"”未作答复", "requested item "+it+" is neither granted nor refused", "R11")
		}
	}
	for _, c := range conditions {
		if !entryHasCondition(e.Conditions, c) {
			return nil, x.fail("conditions", "条件“"+c+"”不在目录所列使用条件之中，不得擅自增设条件", "condition "+c+" is not one the entry states; no conditions may be added", "R7")
		}
	}
	if method == "" {
		method = x.app.Elements.Method
	}
	if !e.HasMethod(method) {
		return nil, x.fail("method", "共享方式“"+method.String()+"”不在目录所列共享方式之中", "method "+string(method)+" is not one the entry offers", "R13")
	}
	if period == (UsePeriod{}) {
		period = x.app.Elements.Period
	}
	if !period.To.After(period.From) || !period.Within(x.app.Elements.Period) {
		return nil, x.fail("period", "同意的使用时限须在申请的使用时限之内", "the period granted must lie within the period requested", "R19")
	}
	if !fromApp {
		items = cloneSlice(items)
	}
	if !autoRefuse {
		refused = cloneSlice(refused)
	}
	a := &Answer{Agreed: true, At: x.at, By: x.cmd.By(), Items: items, Refused: refused,
		Conditions: cloneSlice(conditions), Method: method, Period: period}
	x.stamp(a)
	return a, nil
}

// stamp records whether an answer was late and how many working days it took.
func (x *tx) stamp(a *Answer) {
	if c := x.app.Clock; c != nil {
		a.Late = !x.at.Before(c.DueAt)
		if n, err := x.env.Calendar.WorkdaysBetween(c.ReceivedAt, x.at); err == nil {
			a.Workdays = n
		}
	}
}

// answer puts a in force and keeps it in the replies. Both point to the
// same answer, which nothing modifies once given.
func (x *tx) answer(a *Answer) {
	x.app.Answer = a
	x.app.Replies = append(slices.Clip(x.app.Replies), a)
}

func (x *tx) agree(c Agree) error {
	if x.who == system && (c.Items != nil || c.Refused != nil || c.Conditions != nil) {
		return x.fail("items", "系统自动同意只能同意全部数据项且不附条件", "the system agrees to all items without conditions", "R10")
	}
	a, err := x.grant(c.Items, c.Refused, false, c.Conditions, c.Method, c.Period)
	if err != nil {
		return err
	}
	x.answer(a)
	x.detail("items", a.Items)
	x.detail("late", a.Late)
	return nil
}

func (x *tx) refuse(c Refuse) error {
	if !c.Reason.Valid() {
		return x.fail("reason", "不予共享须选择理由类别", "a refusal needs a reason category", "R11")
	}
	if strings.TrimSpace(c.Explanation) == "" {
		return x.fail("explanation", "不予共享须说明理由", "a refusal must give its reasons", "R11")
	}
	a := &Answer{At: x.at, By: c.Actor, Reason: c.Reason, Explanation: c.Explanation}
	x.stamp(a)
	x.answer(a)
	x.detail("reason", c.Reason.String())
	x.detail("late", a.Late)
	return nil
}

func (x *tx) provision(c Provision) error {
	if len(c.Deliveries) == 0 {
		return x.fail("deliveries", "提供数据须登记交付凭据", "a provision needs a delivery reference", "R13")
	}
	for _, d := range c.Deliveries {
		if d.Method != x.app.Answer.Method {
			return x.fail("deliveries", "交付方式与同意的共享方式不符", "delivery method "+string(d.Method)+" is not the method agreed", "R13")
		}
		if strings.TrimSpace(d.Reference) == "" {
			return x.fail("deliveries", "交付凭据为空", "a delivery needs a reference", "R13")
		}
	}
	if !x.at.Before(x.app.Answer.Period.To) {
		return x.fail("at", "使用时限已届满，不能再提供数据", "the period of use has ended", "R19")
	}
	for _, d := range c.Deliveries {
		d.At = x.at
		x.app.Deliveries = append(slices.Clip(x.app.Deliveries), d)
	}
	return nil
}

func (x *tx) expire() error {
	if x.app.Answer == nil || x.at.Before(x.app.Answer.Period.To) {
		return x.fail("at", "使用时限尚未届满", "the period of use has not ended", "R19")
	}
	return nil
}

func (x *tx) revoke(c Revoke) error {
	if strings.TrimSpace(c.Reason) == "" {
		return x.fail("reason", "终止共享须说明理由", "a revocation needs a reason", "R19")
	}
	x.app.Revocation = &Comment{Command: CmdRevoke, By: c.Actor, At: x.at, Text: c.Reason}
	return nil
}

func (x *tx) object(c Object) error {
	if strings.TrimSpace(c.Statement) == "" {
		return x.fail("statement", "异议须说明理由", "an objection needs a statement", "R21")
	}
	switch c.Ground {
	case AgainstDelay:
		if x.app.Clock == nil || x.at.Before(x.app.Clock.DueAt) {
			return x.fail("ground", "答复期限尚未届满，不能以答复超时提出异议", "the reply is not overdue yet", "R21")
		}
	case AgainstConditions:
		if x.app.Answer == nil || len(x.app.Answer.Conditions) == 0 {
			return x.fail("ground", "答复未附条件", "the answer imposes no conditions", "R21")
		}
	}
	x.app.Objections = append(slices.Clip(x.app.Objections), Objection{Ground: c.Ground, Statement: c.Statement, At: x.at, By: c.Actor, From: x.app.State})
	x.detail("ground", c.Ground.String())
	return nil
}

func (x *tx) resolve(o Outcome, comment string) error {
	x.app.Objections = slices.Clone(x.app.Objections)
	ob := &x.app.Objections[len(x.app.Objections)-1]
	ob.Outcome, ob.ResolvedAt, ob.ResolvedBy, ob.Comment = o, x.at, x.cmd.By(), comment
	return nil
}

func (x *tx) overturn(c Overturn) error {
	a, err := x.grant(c.Items, nil, true, c.Conditions, c.Method, c.Period)
	if err != nil {
		return err
	}
	a.Late = false
	x.answer(a)
	x.app.Deliveries = nil
	return x.resolve(Overturned, c.Comment)
}

func (x *tx) orderReply(c OrderReply) error {
	if c.Days < 1 || c.Days > x.env.Rules.MaxOrderDays {
		return x.fail("days", fmt.Sprintf("责令答复期限须为1至%d个工作日", x.env.Rules.MaxOrderDays),
			fmt.Sprintf("an ordered reply period is 1 to %d working days (policy default)", x.env.Rules.MaxOrderDays), "R21")
	}
	clock, err := x.clock(x.at, x.replyPeriod(deadline.Period{Workdays: c.Days, Citation: govshare.Rule("R21")}), true)
	if err != nil {
		return err
	}
	// An order never shortens a period that is still running: the due
	// instant never moves backwards.
	if old := x.app.Clock; old != nil && clock.DueAt.Before(old.DueAt) {
		clock.LastDay, clock.DueAt = old.LastDay, old.DueAt
	}
	x.app.Clock = clock
	x.app.Answer = nil
	x.detail("due_at", clock.DueAt.Format(time.RFC3339))
	return x.resolve(ReplyOrdered, c.Comment)
}

func (x *tx) fileCorrection(c FileCorrection) error {
	if len(c.Items) == 0 {
		return x.fail("items", "校核须列明数据项", "a correction request names the items concerned", "R20")
	}
	for _, it := range c.Items {
		if !slices.Contains(x.app.Answer.Items, it) {
			return x.fail("items", "数据项“"+it+"”不在共享范围内", "item "+it+" was not granted", "R20")
		}
	}
	if strings.TrimSpace(c.Description) == "" {
		return x.fail("description", "校核须说明数据问题", "a correction request describes the problem", "R20")
	}
	p := deadline.Period{Workdays: x.env.Rules.CorrectionDays, Citation: govshare.PolicyDefault("R20 校核答复期限"),
		CloseOfBusiness: x.env.Rules.CloseOfBusiness, Cutoff: x.env.Rules.Cutoff}
	due, err := x.env.Calendar.End(x.at, p)
	if err != nil {
		return fmt.Errorf("request: file_correction: computing the answer period: %w", err)
	}
	id := fmt.Sprintf("C%d", len(x.app.Corrections)+1)
	x.app.Corrections = append(slices.Clip(x.app.Corrections), Correction{ID: id, Items: cloneSlice(c.Items), Description: c.Description,
		FiledAt: x.at, FiledBy: c.Actor, LastDay: due.LastDay, DueAt: due.At})
	x.detail("correction", id)
	return nil
}

func (x *tx) answerCorrection(c AnswerCorrection) error {
	for i := range x.app.Corrections {
		if x.app.Corrections[i].ID != c.CorrectionID {
			continue
		}
		x.app.Corrections = slices.Clone(x.app.Corrections)
		k := &x.app.Corrections[i]
		switch {
		case k.Answered:
			return x.fail("correction_id", "该校核已答复", "correction "+k.ID+" is already answered", "R20")
		case !c.Corrected && strings.TrimSpace(c.Reason) == "":
			return x.fail("reason", "不予更正须说明理由", "a rejected correction needs a reason", "R20")
		}
		k.Answered, k.Corrected, k.Reason, k.AnsweredAt, k.AnsweredBy = true, c.Corrected, c.Reason, x.at, c.Actor
		x.detail("correction", k.ID)
		x.detail("corrected", c.Corrected)
		return nil
	}
	return x.fail("correction_id", "没有编号为“"+c.CorrectionID+"”的校核", "no correction "+c.CorrectionID, "R20")
}

func (x *tx) alert(c Alert) error {
	key := c.Fact.Key()
	if slices.Contains(x.app.Alerts, key) {
		return x.fail("fact", "该提醒已发出", "fact "+key+" was already emitted", "")
	}
	for _, f := range x.app.Facts(x.at, x.env.Rules) {
		if f.Key() == key {
			x.app.Alerts = append(slices.Clip(x.app.Alerts), key)
			x.detail("fact", key)
			return nil
		}
	}
	return x.fail("fact", "该事实在此时不成立", "fact "+key+" does not hold at this instant", "")
}

func (x *tx) ackNotice(c AckNotice) error {
	for i := range x.app.Notices {
		if x.app.Notices[i].ID != c.NoticeID {
			continue
		}
		x.app.Notices = slices.Clone(x.app.Notices)
		n := &x.app.Notices[i]
		if !n.DeliveredAt.IsZero() {
			return x.fail("notice_id", "该告知已确认送达", "notice "+n.ID+" was already acknowledged", "R12")
		}
		n.DeliveredAt = x.at
		x.detail("notice", n.ID)
		return nil
	}
	return x.fail("notice_id", "没有编号为“"+c.NoticeID+"”的告知", "no notice "+c.NoticeID, "R12")
}
