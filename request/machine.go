package request

import (
	"fmt"
	"slices"
	"sync"
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
	AutoAgreeUnconditional bool `json:"auto_agree_unconditional,omitempty"`
	// CloseOfBusiness ends reply periods at that time of day instead of
	// 24:00 (R14 allows it where business hours apply). Default 24:00.
	CloseOfBusiness time.Duration `json:"close_of_business,omitempty"`
	// Cutoff makes receipts at or after that time of day count from the
	// next working day. Default none.
	Cutoff time.Duration `json:"cutoff,omitempty"`
	// CorrectionDays is the period for answering a 校核 request, in
	// working days (R20; the regulation's figure is not encoded here).
	// Default 10.
	CorrectionDays int `json:"correction_days,omitempty"`
	// Reminders are the lead times before a due instant at which a
	// due-soon reminder is emitted. Default (nil): one day; an empty,
	// non-nil list turns reminders off.
	Reminders []time.Duration `json:"reminders,omitempty"`
	// MaxOrderDays bounds the working days an authority may give when it
	// orders a reply. Default 10.
	MaxOrderDays int `json:"max_order_days,omitempty"`
	// ChangeNotice is the least time between a provider's announcement of
	// the end or change of a service and its effect (R23 提前告知; the
	// regulation fixes no figure). Default 30 days.
	ChangeNotice time.Duration `json:"change_notice,omitempty"`
	// StrictCalendar refuses a transition whose deadline reaches a year
	// without an official schedule (deadline.ErrUnknownYear), as govshare
	// did before pending deadlines. Default off: the transition is
	// recorded and its deadline is pending until the year is loaded.
	StrictCalendar bool `json:"strict_calendar,omitempty"`
}

// Default policy values (not law).
const (
	DefaultCorrectionDays = 10
	DefaultMaxOrderDays   = 10
	DefaultReminder       = 24 * time.Hour
	DefaultChangeNotice   = 30 * 24 * time.Hour
)

var defaultReminders = []time.Duration{DefaultReminder}

func (r Rules) withDefaults() Rules {
	if r.CorrectionDays <= 0 {
		r.CorrectionDays = DefaultCorrectionDays
	}
	if r.MaxOrderDays <= 0 {
		r.MaxOrderDays = DefaultMaxOrderDays
	}
	if r.Reminders == nil {
		r.Reminders = defaultReminders
	}
	if r.ChangeNotice <= 0 {
		r.ChangeNotice = DefaultChangeNotice
	}
	return r
}

// Env is what Apply needs besides the application and the command: the
// catalog entry applied for (as currently stored), the calendar, the
// host's rules, the competent authority of the provider's level and region,
// the system actor and, for Renew, the application renewed. Apply does no
// I/O; the Service fills the Env.
type Env struct {
	Entry     catalog.Entry
	Calendar  Calendar
	Rules     Rules
	Authority govshare.Department
	// System is the one actor that acts as the system (the Service's
	// configured system actor). Any other actor claiming the role System
	// is forbidden; with no System set, nobody acts as the system.
	System govshare.Actor
	// Renewed is the application a Renew command renews.
	Renewed *Application
}

// Transition is one row of the transition table, as Table returns it: in
// state From, command Command, issued by one of Who, leads to state To (or
// leaves the state as it is when Stay is set) when every guard holds. It
// arms and ends watches; the states in which each watch runs are derived
// from these rows.
type Transition struct {
	From    State       `json:"from"`
	Command CommandName `json:"command"`
	Who     []Who       `json:"who"`
	To      State       `json:"to"`
	Stay    bool        `json:"stay,omitempty"`
	// Guards are the row's conditions beyond who may issue it.
	Guards []Guard `json:"guards,omitempty"`
	// Arms are the watches that run after the row, Ends those it stops.
	Arms []Watch `json:"arms,omitempty"`
	Ends []Watch `json:"ends,omitempty"`
	// Auto: the system issues the command as soon as the row's guards hold
	// after another transition (e.g. agreeing to unconditional data on
	// receipt, when the host's Rules ask for it).
	Auto bool `json:"auto,omitempty"`
	// Fires are the watches on whose due instant Sweep issues the command.
	Fires []Watch `json:"fires,omitempty"`
	// Suspends marks an objection: the application is taken before the
	// competent department, the state it left is remembered (the
	// objection's From) and the watches the row keeps run on only if they
	// ran there (R21). A suspension does not end a lifecycle: a state left
	// only by suspensions is final.
	Suspends bool `json:"suspends,omitempty"`
	// Rule is the rule id the row implements.
	Rule string `json:"rule"`

	r *row
}

// Guard describes one condition of a row: a stable code, what it requires
// in Chinese and English, and the rule it enforces.
type Guard struct {
	Code     string            `json:"code"`
	Zh       string            `json:"zh"`
	En       string            `json:"en"`
	Citation govshare.Citation `json:"citation"`
}

// row is one line of the declaration: a command from some states.
type row struct {
	from    []State
	command CommandName
	who     []Who
	to      State
	stay    bool
	guards  []*guard
	effect  func(*tx) error
	arms    watchSet
	ends    watchSet
	keeps   watchSet // for suspensions: the watches that run on
	auto    bool
	fires   watchSet
	rule    string
}

var (
	open         = []State{UnderReview, ExtensionRequested}
	grantStates  = []State{Approved, Active}
	reply        = watchesOf(ReplyWatch, DecisionWatch)
	objectionEnd = watchesOf(ReplyWatch, DecisionWatch, ExpiryWatch, ChangeWatch)
)

// rows is the transition table, declared once. Apply runs it; Table, the
// docs' state diagram, the exhaustive test, Facts, NextDue, SweepAt, Live, Final,
// Sweep and the automatic transitions are derived from it.
//
// To add a command: declare its type and spec in command.go, add its row
// (or rows) here with its guards and effect, and give the table test a
// builder for it (validCommand in table_test.go). Nothing else names it.
var rows = []row{
	{from: []State{New}, command: CmdCreate, who: []Who{requesterClerk, requesterHead}, to: Draft, rule: "R8", effect: (*tx).create},
	{from: []State{New}, command: CmdRenew, who: []Who{requesterClerk, requesterHead}, to: Draft, rule: "R19",
		guards: []*guard{renewable(Active, Expired), renewedIsOurs}, effect: (*tx).renew},
	{from: []State{Draft}, command: CmdEdit, who: []Who{requesterClerk, requesterHead}, stay: true, rule: "R8", effect: (*tx).edit},
	{from: []State{Draft}, command: CmdSubmit, who: []Who{requesterClerk}, to: PendingApproval, rule: "R8", effect: (*tx).submit},
	{from: []State{PendingApproval}, command: CmdEndorse, who: []Who{requesterHead}, to: UnderReview, rule: "R8",
		arms: watchesOf(ReplyWatch), effect: (*tx).endorse},
	{from: []State{PendingApproval}, command: CmdReturn, who: []Who{requesterHead}, to: Draft, rule: "R8", effect: (*tx).returnToClerk},
	{from: []State{Draft, PendingApproval, UnderReview, ExtensionRequested}, command: CmdWithdraw, who: []Who{requesterClerk, requesterHead},
		to: Withdrawn, rule: "R8", ends: reply, effect: (*tx).withdraw},
	{from: []State{UnderReview}, command: CmdRequestExtension, who: []Who{providerClerk, providerHead}, to: ExtensionRequested, rule: "R12",
		guards: []*guard{beforeReplyDue}, arms: watchesOf(DecisionWatch), effect: (*tx).requestExtension},
	{from: []State{ExtensionRequested}, command: CmdDecideExtension, who: []Who{authority}, to: UnderReview, rule: "R12",
		guards: []*guard{extensionPending}, ends: watchesOf(DecisionWatch), effect: (*tx).decideExtension},
	{from: open, command: CmdAgree, who: []Who{providerHead}, to: Approved, rule: "R9",
		ends: reply, arms: watchesOf(ExpiryWatch), effect: (*tx).agree},
	{from: []State{UnderReview}, command: CmdAgree, who: []Who{system}, to: Approved, rule: "R10", auto: true,
		guards: []*guard{autoAgreeOn}, ends: reply, arms: watchesOf(ExpiryWatch), effect: (*tx).agree},
	{from: open, command: CmdRefuse, who: []Who{providerHead}, to: Refused, rule: "R11", ends: reply, effect: (*tx).refuse},
	{from: []State{Approved}, command: CmdProvision, who: []Who{providerClerk, providerHead}, to: Active, rule: "R13",
		guards: []*guard{useNotEnded}, arms: watchesOf(GrantWatch), effect: (*tx).provision},
	{from: grantStates, command: CmdExpire, who: []Who{system}, to: Expired, rule: "R19",
		guards: []*guard{useEnded}, ends: watchesOf(ExpiryWatch, GrantWatch, ChangeWatch), fires: watchesOf(ExpiryWatch), effect: (*tx).expire},
	{from: grantStates, command: CmdRevoke, who: []Who{providerHead, authority}, to: Revoked, rule: "R19",
		ends: watchesOf(ExpiryWatch, GrantWatch, ChangeWatch), effect: (*tx).revoke},
	{from: []State{Refused}, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		guards: []*guard{groundIs(AgainstRefusal)}, ends: objectionEnd, keeps: watchesOf(GrantWatch, CorrectionWatch), effect: (*tx).object},
	{from: open, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		guards: []*guard{groundIs(AgainstDelay), replyOverdue}, ends: objectionEnd, keeps: watchesOf(GrantWatch, CorrectionWatch), effect: (*tx).object},
	{from: grantStates, command: CmdObject, who: []Who{requesterHead}, to: InCoordination, rule: "R21",
		guards: []*guard{groundIs(AgainstConditions), hasConditions}, ends: objectionEnd, keeps: watchesOf(GrantWatch, CorrectionWatch), effect: (*tx).object},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Refused, rule: "R21",
		guards: []*guard{objectedFrom(Refused)}, ends: watchesOf(GrantWatch), effect: (*tx).uphold},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: UnderReview, rule: "R21",
		guards: []*guard{objectedFrom(UnderReview)}, ends: watchesOf(GrantWatch), arms: watchesOf(ReplyWatch), effect: (*tx).uphold},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: ExtensionRequested, rule: "R21",
		guards: []*guard{objectedFrom(ExtensionRequested)}, ends: watchesOf(GrantWatch), arms: reply, effect: (*tx).uphold},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Approved, rule: "R21",
		guards: []*guard{objectedFrom(Approved)}, ends: watchesOf(GrantWatch), arms: watchesOf(ExpiryWatch), effect: (*tx).uphold},
	{from: []State{InCoordination}, command: CmdUphold, who: []Who{authority}, to: Active, rule: "R21",
		guards: []*guard{objectedFrom(Active)}, arms: watchesOf(ExpiryWatch, GrantWatch), effect: (*tx).uphold},
	{from: []State{InCoordination}, command: CmdOverturn, who: []Who{authority}, to: Approved, rule: "R21",
		ends: watchesOf(GrantWatch), arms: watchesOf(ExpiryWatch), effect: (*tx).overturn},
	{from: []State{InCoordination}, command: CmdOrderReply, who: []Who{authority}, to: UnderReview, rule: "R21",
		ends: watchesOf(GrantWatch), arms: watchesOf(ReplyWatch), effect: (*tx).orderReply},
	{from: []State{Active}, command: CmdClose, who: []Who{requesterHead}, to: Closed, rule: "R22",
		ends: watchesOf(ExpiryWatch, GrantWatch, ChangeWatch), effect: (*tx).closeGrant},
	{from: grantStates, command: CmdAnnounceChange, who: []Who{providerHead}, stay: true, rule: "R23",
		guards: []*guard{noChangeAnnounced}, arms: watchesOf(ChangeWatch), effect: (*tx).announceChange},
	{from: grantStates, command: CmdEffectChange, who: []Who{system}, to: Discontinued, rule: "R23",
		guards: []*guard{changeDue, changeIs(EndService)}, ends: watchesOf(ExpiryWatch, GrantWatch, ChangeWatch),
		fires: watchesOf(ChangeWatch), effect: (*tx).effectChange},
	{from: grantStates, command: CmdEffectChange, who: []Who{system}, stay: true, rule: "R23",
		guards: []*guard{changeDue, changeIs(ChangeService)}, fires: watchesOf(ChangeWatch), effect: (*tx).effectChange},
	{from: []State{Active}, command: CmdFileCorrection, who: []Who{requesterClerk, requesterHead}, stay: true, rule: "R20",
		arms: watchesOf(CorrectionWatch), effect: (*tx).fileCorrection},
	{from: []State{Active, Expired, Revoked, Closed, Discontinued}, command: CmdAnswerCorrection, who: []Who{providerClerk, providerHead}, stay: true, rule: "R20",
		effect: (*tx).answerCorrection},
	{from: []State{UnderReview, ExtensionRequested, Active, Expired, Revoked, Closed, Discontinued}, command: CmdAlert, who: []Who{system}, stay: true, rule: "R10",
		guards: []*guard{factHolds}, fires: watchesOf(ReplyWatch, DecisionWatch, CorrectionWatch), effect: (*tx).alert},
	{from: []State{UnderReview, ExtensionRequested, Approved, Refused, Withdrawn, Active, Expired, Revoked, InCoordination, Closed, Discontinued},
		command: CmdAckNotice, who: []Who{system}, stay: true, rule: "R12", effect: (*tx).ackNotice},
	{from: []State{UnderReview, ExtensionRequested, Approved, Refused, Withdrawn, Active, Expired, Revoked, InCoordination, Closed, Discontinued},
		command: CmdSettleDeadline, who: []Who{system}, stay: true, rule: "R14", guards: []*guard{somethingToSettle}, effect: (*tx).settle},
}

// machine is what init derives from rows.
var machine struct {
	table    []Transition
	byState  [Discontinued + 1]map[CommandName][]int
	runs     [Discontinued + 1]watchSet // the watches that run in each state
	kept     [Discontinued + 1]watchSet // watches that run on only if the suspended state ran them
	final    [Discontinued + 1]bool
	auto     [Discontinued + 1][]int // automatic rows from each state
	firesFor [ChangeWatch + 1][]int  // the rows Sweep issues when a watch falls due
}

func init() {
	for ri := range rows {
		r := &rows[ri]
		if r.effect == nil {
			panic("request: row " + r.command.Code() + " has no effect")
		}
		for _, from := range r.from {
			to := r.to
			if r.stay {
				to = from
			}
			if machine.byState[from] == nil {
				machine.byState[from] = map[CommandName][]int{}
			}
			i := len(machine.table)
			machine.byState[from][r.command] = append(machine.byState[from][r.command], i)
			t := Transition{From: from, Command: r.command, Who: r.who, To: to, Stay: r.stay, Arms: r.arms.list(), Ends: r.ends.list(),
				Auto: r.auto, Fires: r.fires.list(), Suspends: r.keeps != 0, Rule: r.rule, r: r}
			for _, g := range r.guards {
				t.Guards = append(t.Guards, g.describe())
			}
			machine.table = append(machine.table, t)
			if r.auto {
				machine.auto[from] = append(machine.auto[from], i)
			}
			for _, w := range r.fires.list() {
				machine.firesFor[w] = append(machine.firesFor[w], i)
			}
		}
	}
	deriveWatches()
	for _, s := range States() {
		lifecycle := false
		for _, t := range machine.table {
			if t.From == s && !t.Stay && !t.Suspends {
				lifecycle = true
			}
		}
		machine.final[s] = !lifecycle
	}
}

// deriveWatches computes in which states each watch runs: in the target of
// a row that arms it, and on along every row that neither ends it nor
// keeps the state, until nothing changes. A stay row that arms a watch
// arms it in its own state.
func deriveWatches() {
	for _, t := range machine.table {
		machine.runs[t.To] |= t.r.arms
		if t.r.keeps != 0 {
			machine.kept[t.To] |= t.r.keeps
		}
	}
	for changed := true; changed; {
		changed = false
		for _, t := range machine.table {
			if t.Stay {
				continue
			}
			carry := machine.runs[t.From] &^ t.r.ends
			if t.r.keeps != 0 {
				carry &= t.r.keeps
			}
			if next := machine.runs[t.To] | carry; next != machine.runs[t.To] {
				machine.runs[t.To] = next
				changed = true
			}
		}
	}
}

// Table returns the transition table, one row per (from state, command,
// guards).
func Table() []Transition {
	out := make([]Transition, len(machine.table))
	copy(out, machine.table)
	for i := range out {
		out[i].Who = slices.Clone(out[i].Who)
		out[i].Guards = slices.Clone(out[i].Guards)
		out[i].Arms = slices.Clone(out[i].Arms)
		out[i].Ends = slices.Clone(out[i].Ends)
		out[i].Fires = slices.Clone(out[i].Fires)
	}
	return out
}

// Event is what a successful transition produces, recorded in the audit
// log by the Service.
type Event struct {
	// Action is the stable audit action code, "request." + command code.
	Action  string         `json:"action"`
	AppID   string         `json:"app_id"`
	Command CommandName    `json:"command"`
	From    State          `json:"from"`
	To      State          `json:"to"`
	Actor   govshare.Actor `json:"actor"`
	At      time.Time      `json:"at"`
	// Details are a few facts of the transition (the due instant, the
	// items granted, …), in the order the transition recorded them, for the
	// audit record.
	Details []Detail `json:"details,omitempty"`
	// Notices are notices the transition issued, which the host must
	// deliver (e.g. R12 告知需求部门).
	Notices []Notice `json:"notices,omitempty"`
}

// Detail is one fact of a transition.
type Detail struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
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
// error. It finds the row of the table for the application's state and
// the command (else ErrIllegalTransition), checks that the actor is a
// party the row allows (else govshare.ErrForbidden, naming who may), that
// its guards hold and then runs its effect, which checks the payload
// (govshare.ErrInvalid with the rule; ErrNotShareable, ErrNotPublished;
// deadline.ErrUnknownYear when a period reaches a year without an official
// schedule). On error the returned application is app, unchanged. Apply
// does no I/O and never modifies its argument. To create an application,
// pass one in state New carrying the ID the host chose.
func Apply(app Application, cmd Command, at time.Time, env Env) (Application, Event, error) {
	if cmd == nil {
		return app, Event{}, invalid(0, "command", "缺少指令", "no command", govshare.Citation{})
	}
	name := cmd.Name()
	var idx []int
	if int(app.State) < len(machine.byState) {
		idx = machine.byState[app.State][name]
	}
	if len(idx) == 0 {
		return app, Event{}, &TransitionError{From: app.State, Command: name}
	}
	who, err := whoIs(&app, cmd, &env)
	if err != nil {
		return app, Event{}, err
	}
	var buf [4]int
	candidates := buf[:0]
	for _, i := range idx {
		if slices.Contains(machine.table[i].Who, who) {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		var allowed []Who
		for _, i := range idx {
			for _, w := range machine.table[i].Who {
				if !slices.Contains(allowed, w) {
					allowed = append(allowed, w)
				}
			}
		}
		return app, Event{}, &ForbiddenError{Command: name, Actor: cmd.By(), Allowed: allowed}
	}
	if at.IsZero() {
		return app, Event{}, invalid(name, "at", "缺少操作时间", "no instant given", govshare.Citation{})
	}
	if err := govshare.CheckInstant("at", at); err != nil {
		return app, Event{}, err
	}
	if at.Before(app.UpdatedAt) {
		return app, Event{}, invalid(name, "at", "操作时间早于上一次操作", fmt.Sprintf("%s is before the last transition at %s", at.Format(time.RFC3339), app.UpdatedAt.Format(time.RFC3339)), govshare.Citation{})
	}
	env.Rules = env.Rules.withDefaults()
	at = at.In(deadline.CST)
	// The transition works on a shallow copy: slices it edits in place are
	// cloned first and appends never write into shared capacity (see
	// slices.Clip), so app is never changed and the result shares only
	// what the transition left alone.
	// The transaction comes from a pool: rows call their guards and
	// effects through function values, so it cannot live on the stack, and
	// a fresh one per transition would be garbage the size of an
	// application.
	x := txPool.Get().(*tx)
	*x = tx{app: app, cmd: cmd, at: at, env: env, who: who,
		ev: Event{Action: actionOf(name), AppID: app.ID, Command: name, From: app.State, Actor: cmd.By(), At: at}}
	defer x.release()
	var failed *guard
	failedAt := -1
	for _, i := range candidates {
		t := &machine.table[i]
		if g, k := x.firstFailing(t.r); g == nil {
			x.t = t
			break
		} else if k > failedAt {
			failed, failedAt = g, k
		}
	}
	if x.t == nil {
		return app, Event{}, failed.error(x)
	}
	if err := x.t.r.effect(x); err != nil {
		return app, Event{}, err
	}
	x.app.State = x.t.To
	x.app.UpdatedAt = x.at
	x.ev.AppID = x.app.ID
	x.ev.To = x.t.To
	x.ev.Details = x.details()
	return x.app, x.ev, nil
}

var actions = func() (a [CmdEffectChange + 1]string) {
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
	if err := checkActor(cmd); err != nil {
		return Who{}, err
	}
	actor := cmd.By()
	switch actor.Role {
	case govshare.System:
		// Only the configured system actor acts as the system; anyone else
		// claiming the role is no party at all (issue 11).
		if env.System.ID != "" && actor.Same(env.System) {
			return system, nil
		}
		return Who{Role: govshare.System}, nil
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

// checkActor checks that the command's actor has an ID and a role.
func checkActor(cmd Command) error {
	if a := cmd.By(); a.ID == "" || !a.Role.Valid() {
		return invalid(cmd.Name(), "actor", "操作人须有标识和有效角色", "the actor needs an ID and a valid role", govshare.Rule("R4"))
	}
	return nil
}

// tx applies one command to a copy of the application.
type tx struct {
	app Application
	cmd Command
	at  time.Time
	env Env
	who Who
	t   *Transition
	ev  Event
	// det gathers the event's details without allocating for the usual
	// few; more go to extra.
	det   [8]Detail
	ndet  int
	extra []Detail
}

var txPool = sync.Pool{New: func() any { return new(tx) }}

// release clears the transaction, so that the pool keeps no application
// alive, and returns it to the pool.
func (x *tx) release() {
	*x = tx{}
	txPool.Put(x)
}

// detail records one fact of the transition for the audit record.
func (x *tx) detail(key string, value any) {
	if x.ndet < len(x.det) {
		x.det[x.ndet] = Detail{Key: key, Value: value}
		x.ndet++
		return
	}
	x.extra = append(x.extra, Detail{Key: key, Value: value})
}

func (x *tx) details() []Detail {
	if x.ndet == 0 {
		return nil
	}
	out := make([]Detail, 0, x.ndet+len(x.extra))
	return append(append(out, x.det[:x.ndet]...), x.extra...)
}

func (x *tx) fail(field, zh, en, rule string) error {
	c := govshare.Citation{}
	if rule != "" {
		c = govshare.Rule(rule)
	}
	return invalid(x.cmd.Name(), field, zh, en, c)
}
