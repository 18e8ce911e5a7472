package request

import (
	"fmt"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/internal/textcode"
)

// Application is a 共享申请: one requesting department's application for
// data items of one published catalog entry (R5, R8), and everything that
// happened to it since. It is a value: Apply returns a new one and never
// changes its argument. The result may share the backing arrays of slices
// a transition left alone; this package never modifies an element in
// place, and neither should callers (use Clone for a private copy).
type Application struct {
	// ID identifies the application; the host chooses it at Create.
	ID string `json:"id"`
	// Version is the store's optimistic version (1 after Create).
	Version int64 `json:"version"`
	// State is where the application stands.
	State State `json:"state"`
	// Requester is the 需求部门 (R8), Provider the 提供部门 (R9).
	Requester govshare.Department `json:"requester"`
	Provider  govshare.Department `json:"provider"`
	// EntryID and EntryVersion name the catalog entry applied for, as it
	// was when the application was last checked against it.
	EntryID      string `json:"entry_id"`
	EntryVersion int64  `json:"entry_version"`
	// Elements are the five elements R8 requires.
	Elements Elements `json:"elements"`
	// Attribute is Conditional if any requested item is shared
	// conditionally, else Unconditional; it fixes the reply period (R10, R11).
	Attribute govshare.ShareAttribute `json:"attribute,omitempty"`
	// RenewalOf is the ID of the application this one renews, if any.
	RenewalOf string `json:"renewal_of,omitempty"`
	// CreatedAt, SubmittedAt and UpdatedAt are transition instants.
	CreatedAt   time.Time `json:"created_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
	// ReceivedAt is when the provider first received the application (R10,
	// R11); it does not change when an authority later orders a reply.
	ReceivedAt time.Time `json:"received_at,omitzero"`
	// Clock is the reply period running against the provider, set when
	// the application is received (or when an authority orders a reply).
	Clock *Clock `json:"clock,omitempty"`
	// Extensions are the extension requests, in order (R12).
	Extensions []Extension `json:"extensions,omitempty"`
	// Answer is the reply in force: the provider's, or the authority's
	// after it overturned a decision (R21).
	Answer *Answer `json:"answer,omitempty"`
	// Replies are every answer given, in order, for supervision (a refusal
	// later overturned stays here).
	Replies []*Answer `json:"replies,omitempty"`
	// Deliveries are the references of the data provided (R13).
	Deliveries []Delivery `json:"deliveries,omitempty"`
	// Objections are the requester's objections, in order (R21).
	Objections []Objection `json:"objections,omitempty"`
	// Corrections are the 校核 requests on the shared data (R20).
	Corrections []Correction `json:"corrections,omitempty"`
	// Notices are what the host must deliver, e.g. the notice of an
	// approved extension to the requester (R12).
	Notices []Notice `json:"notices,omitempty"`
	// Alerts are the keys of the overdue and due-soon facts already
	// emitted, so that each is emitted once.
	Alerts []string `json:"alerts,omitempty"`
	// Comments are the comments of returns, withdrawals and decisions.
	Comments []Comment `json:"comments,omitempty"`
	// Revocation records why and by whom a grant was revoked.
	Revocation *Comment `json:"revocation,omitempty"`
	// Closing records the requester's statement when it ended the grant
	// because the purpose of sharing was achieved (R22).
	Closing *Comment `json:"closing,omitempty"`
	// Announcement is the provider's announced end or change of the
	// service (R23), if any.
	Announcement *Announcement `json:"announcement,omitempty"`
}

// ServiceChange is what a provider announces for a sharing service (R23).
type ServiceChange uint8

// The changes.
const (
	// EndService is 终止服务: the grant ends at the announced instant.
	EndService ServiceChange = iota + 1
	// ChangeService is 变更服务: the grant changes (method, items) at the
	// announced instant.
	ChangeService
)

var serviceChanges = textcode.Table[ServiceChange]{
	{Value: EndService, Code: "end", Zh: "终止服务", En: "end of service"},
	{Value: ChangeService, Code: "change", Zh: "变更服务", En: "change of service"},
}

// String returns the Chinese term.
func (c ServiceChange) String() string { return textcode.String(serviceChanges, "ServiceChange", c) }

func (c ServiceChange) code() string { e, _ := serviceChanges.Lookup(c); return e.Code }

// Valid reports whether c is a defined change.
func (c ServiceChange) Valid() bool { _, ok := serviceChanges.Lookup(c); return ok }

// MarshalText returns the stable code: end or change.
func (c ServiceChange) MarshalText() ([]byte, error) {
	return textcode.Marshal(serviceChanges, "service change", c)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (c *ServiceChange) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(serviceChanges, "service change", text, c)
}

// Announcement is a provider's announced end or change of a sharing
// service (R23).
type Announcement struct {
	Change      ServiceChange        `json:"change"`
	AnnouncedAt time.Time            `json:"announced_at"`
	AnnouncedBy govshare.Actor       `json:"announced_by"`
	EffectiveAt time.Time            `json:"effective_at"`
	Statement   string               `json:"statement"`
	Method      govshare.ShareMethod `json:"method,omitempty"`
	Withdrawn   []string             `json:"withdrawn,omitempty"`
	// EffectedAt is when it took effect; zero until then.
	EffectedAt time.Time `json:"effected_at,omitzero"`
}

// Elements are the five elements of an application (R8).
type Elements struct {
	// Basis is the 使用依据: the law, regulation or duty that needs the data.
	Basis string `json:"basis"`
	// Scenario is the 使用场景, e.g. 办理社会救助审核.
	Scenario string `json:"scenario"`
	// Items, Systems and Users are the 使用范围: the data items wanted and
	// the systems and people that will use them.
	Items   []string `json:"items"`
	Systems []string `json:"systems,omitempty"`
	Users   string   `json:"users,omitempty"`
	// Method is the 共享方式, one of the entry's methods (R13).
	Method govshare.ShareMethod `json:"method"`
	// Period is the 使用时限.
	Period UsePeriod `json:"period"`
}

// UsePeriod is a period of use [From, To).
type UsePeriod struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether at lies in [From, To).
func (p UsePeriod) Contains(at time.Time) bool { return !at.Before(p.From) && at.Before(p.To) }

// Within reports whether p lies inside o.
func (p UsePeriod) Within(o UsePeriod) bool { return !p.From.Before(o.From) && !p.To.After(o.To) }

// Clock is the reply period running against the provider.
type Clock struct {
	// Period is the period counted (workdays, approved extension, policy
	// options).
	Period deadline.Period `json:"period"`
	// ReceivedAt is when the provider received the application (or, after
	// an authority ordered a reply, when it ordered it).
	ReceivedAt time.Time `json:"received_at"`
	// LastDay and DueAt are the last day and the instant the period ends;
	// both zero while the deadline is pending.
	LastDay time.Time `json:"last_day,omitzero"`
	DueAt   time.Time `json:"due_at,omitzero"`
	// Ordered is set when an authority ordered the reply (R21).
	Ordered bool `json:"ordered,omitempty"`
	// Pending is the year whose official schedule the deadline waits for
	// (期限待定): the receipt is recorded, the due day follows when the
	// year is loaded (Service.LoadSchedules). Zero when computed.
	Pending int `json:"pending_year,omitempty"`
	// Provisional is set when the due day was computed from the regular
	// week for a year without an official schedule (a calendar with
	// deadline.WithRegularWeekFallback): it may change when the notice
	// appears.
	Provisional bool `json:"provisional,omitempty"`
}

// Note says, in Chinese and English, whether the deadline is pending or
// provisional; both empty for a deadline computed from official schedules.
func (c Clock) Note() (zh, en string) {
	return dueNote(c.Pending, c.Provisional)
}

func dueNote(pending int, provisional bool) (zh, en string) {
	switch {
	case pending != 0:
		return fmt.Sprintf("期限待定：%d年放假安排尚未载入", pending), fmt.Sprintf("pending: no schedule for %d", pending)
	case provisional:
		return "期限为暂定：按常规周推算，待官方放假安排公布后确认", "provisional: computed from the regular week, to be confirmed by the official schedule"
	}
	return "", ""
}

// ExtensionDecision is the competent department's decision on an
// extension request (R12).
type ExtensionDecision uint8

// The decisions.
const (
	// Pending is 待审批: not decided yet.
	Pending ExtensionDecision = iota
	// Granted is 批准延期.
	Granted
	// Denied is 不批准延期.
	Denied
)

var extensionDecisions = textcode.Table[ExtensionDecision]{
	{Value: Pending, Code: "pending", Zh: "待审批", En: "pending"},
	{Value: Granted, Code: "granted", Zh: "批准延期", En: "granted", Aliases: []string{"批准"}},
	{Value: Denied, Code: "denied", Zh: "不批准延期", En: "denied", Aliases: []string{"不批准"}},
}

// String returns the Chinese term, e.g. 批准延期.
func (d ExtensionDecision) String() string {
	return textcode.String(extensionDecisions, "ExtensionDecision", d)
}

// Code returns the stable code: pending, granted or denied.
func (d ExtensionDecision) Code() string { e, _ := extensionDecisions.Lookup(d); return e.Code }

// MarshalText returns the stable code.
func (d ExtensionDecision) MarshalText() ([]byte, error) {
	return textcode.Marshal(extensionDecisions, "extension decision", d)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (d *ExtensionDecision) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(extensionDecisions, "extension decision", text, d)
}

// Extension is one request to extend the reply period (R12).
type Extension struct {
	Days        int            `json:"days"`
	Reason      string         `json:"reason"`
	RequestedAt time.Time      `json:"requested_at"`
	RequestedBy govshare.Actor `json:"requested_by"`
	// DecisionDue is when the authority's decision is due (policy default:
	// the reply's due instant at the time of the request).
	DecisionDue time.Time         `json:"decision_due"`
	Decision    ExtensionDecision `json:"decision"`
	DecidedAt   time.Time         `json:"decided_at,omitzero"`
	DecidedBy   govshare.Actor    `json:"decided_by,omitzero"`
	Comment     string            `json:"comment,omitempty"`
}

// RefusalReason classifies why data are refused, for supervision reports.
type RefusalReason uint8

// The refusal reasons.
const (
	// BeyondDuties: the use is not needed for the requester's duties (R8).
	BeyondDuties RefusalReason = iota + 1
	// ConditionsNotMet: the catalog's conditions are not met (R7).
	ConditionsNotMet
	// LegalProhibition: a law or regulation forbids providing it (R7).
	LegalProhibition
	// DataUnavailable: the data do not exist or cannot be provided.
	DataUnavailable
	// ElementsIncomplete: the application's elements are insufficient (R8).
	ElementsIncomplete
	// OtherReason: another reason, stated in the explanation.
	OtherReason
)

var refusalReasons = textcode.Table[RefusalReason]{
	{Value: BeyondDuties, Code: "beyond_duties", Zh: "非履职需要", En: "not needed for the requester's duties"},
	{Value: ConditionsNotMet, Code: "conditions_not_met", Zh: "不符合共享条件", En: "conditions not met"},
	{Value: LegalProhibition, Code: "legal_prohibition", Zh: "法律法规不允许", En: "prohibited by law"},
	{Value: DataUnavailable, Code: "data_unavailable", Zh: "数据不存在或无法提供", En: "data unavailable"},
	{Value: ElementsIncomplete, Code: "elements_incomplete", Zh: "申请要素不全", En: "application incomplete"},
	{Value: OtherReason, Code: "other", Zh: "其他", En: "other"},
}

// String returns the Chinese term.
func (r RefusalReason) String() string { return textcode.String(refusalReasons, "RefusalReason", r) }

// Code returns the stable code, e.g. beyond_duties.
func (r RefusalReason) Code() string { e, _ := refusalReasons.Lookup(r); return e.Code }

// Valid reports whether r is a defined reason.
func (r RefusalReason) Valid() bool { _, ok := refusalReasons.Lookup(r); return ok }

// MarshalText returns the stable code.
func (r RefusalReason) MarshalText() ([]byte, error) {
	return textcode.Marshal(refusalReasons, "refusal reason", r)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (r *RefusalReason) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(refusalReasons, "refusal reason", text, r)
}

// Answer is a reply to the application: the provider's (R9–R11) or, after
// coordination, the authority's (R21).
type Answer struct {
	Agreed bool           `json:"agreed"`
	At     time.Time      `json:"at"`
	By     govshare.Actor `json:"by"`
	// Items are the items granted; Refused the items refused, with reasons.
	Items   []string      `json:"items,omitempty"`
	Refused []RefusedItem `json:"refused,omitempty"`
	// Conditions are the conditions imposed, each one of the entry's (R7).
	Conditions []string `json:"conditions,omitempty"`
	// Method and Period are the approved method and period of use.
	Method govshare.ShareMethod `json:"method,omitempty"`
	Period UsePeriod            `json:"period,omitzero"`
	// Reason and Explanation are a refusal's reasons (R11).
	Reason      RefusalReason `json:"reason,omitempty"`
	Explanation string        `json:"explanation,omitempty"`
	// Late is set when the answer came at or after the due instant.
	Late bool `json:"late,omitempty"`
	// Workdays is the number of working days from receipt to the answer.
	Workdays int `json:"workdays"`
	// Pending is the year whose schedule Late and Workdays wait for; zero
	// once they are computed. A pending answer is never counted as taking
	// 0 days.
	Pending int `json:"pending_year,omitempty"`
}

// RefusedItem is one item refused in a partial agreement.
type RefusedItem struct {
	Item   string `json:"item"`
	Reason string `json:"reason"`
}

// Delivery is the reference of data provided by one method (R13): an
// interface credential id, a batch job id, a file id.
type Delivery struct {
	Method    govshare.ShareMethod `json:"method"`
	Reference string               `json:"reference"`
	At        time.Time            `json:"at,omitzero"`
}

// Ground is what a requester objects to (R21): a reply of 不同意共享 (not
// the catalog attribute 不予共享), a late reply, or the conditions imposed.
type Ground uint8

// The grounds of objection.
const (
	// AgainstRefusal objects to a refusal.
	AgainstRefusal Ground = iota + 1
	// AgainstDelay objects to a reply not given in time.
	AgainstDelay
	// AgainstConditions objects to the conditions imposed.
	AgainstConditions
)

var grounds = textcode.Table[Ground]{
	{Value: AgainstRefusal, Code: "refusal", Zh: "对不同意共享有异议", En: "refusal"},
	{Value: AgainstDelay, Code: "delay", Zh: "对答复时长有异议", En: "delay"},
	{Value: AgainstConditions, Code: "conditions", Zh: "对共享条件有异议", En: "conditions"},
}

// String returns the Chinese term.
func (g Ground) String() string { return textcode.String(grounds, "Ground", g) }

// Code returns the stable code: refusal, delay or conditions.
func (g Ground) Code() string { e, _ := grounds.Lookup(g); return e.Code }

// Valid reports whether g is a defined ground.
func (g Ground) Valid() bool { _, ok := grounds.Lookup(g); return ok }

// MarshalText returns the stable code.
func (g Ground) MarshalText() ([]byte, error) { return textcode.Marshal(grounds, "ground", g) }

// UnmarshalText accepts the stable code or the Chinese term.
func (g *Ground) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(grounds, "ground", text, g)
}

// Outcome is how the authority resolved an objection (R21).
type Outcome uint8

// The outcomes.
const (
	// Unresolved is 待协调: not resolved yet.
	Unresolved Outcome = iota
	// Upheld is 维持: the objected state stands.
	Upheld
	// Overturned is 改为同意: the authority approved the application.
	Overturned
	// ReplyOrdered is 责令限期答复: the provider must reply within a period.
	ReplyOrdered
)

var outcomes = textcode.Table[Outcome]{
	{Value: Unresolved, Code: "unresolved", Zh: "待协调", En: "unresolved"},
	{Value: Upheld, Code: "upheld", Zh: "维持", En: "upheld"},
	{Value: Overturned, Code: "overturned", Zh: "改为同意", En: "overturned"},
	{Value: ReplyOrdered, Code: "reply_ordered", Zh: "责令限期答复", En: "reply ordered"},
}

// String returns the Chinese term.
func (o Outcome) String() string { return textcode.String(outcomes, "Outcome", o) }

// Code returns the stable code.
func (o Outcome) Code() string { e, _ := outcomes.Lookup(o); return e.Code }

// MarshalText returns the stable code.
func (o Outcome) MarshalText() ([]byte, error) { return textcode.Marshal(outcomes, "outcome", o) }

// UnmarshalText accepts the stable code or the Chinese term.
func (o *Outcome) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(outcomes, "outcome", text, o)
}

// Objection is a requester's objection and its resolution (R21).
type Objection struct {
	Ground    Ground         `json:"ground"`
	Statement string         `json:"statement"`
	At        time.Time      `json:"at"`
	By        govshare.Actor `json:"by"`
	// From is the state the application was in, to which Uphold returns it.
	From       State          `json:"from"`
	Outcome    Outcome        `json:"outcome"`
	ResolvedAt time.Time      `json:"resolved_at,omitzero"`
	ResolvedBy govshare.Actor `json:"resolved_by,omitzero"`
	Comment    string         `json:"comment,omitempty"`
}

// Correction is a 校核 request on shared data and its answer (R20).
type Correction struct {
	ID          string         `json:"id"`
	Items       []string       `json:"items"`
	Description string         `json:"description"`
	FiledAt     time.Time      `json:"filed_at"`
	FiledBy     govshare.Actor `json:"filed_by"`
	// Period is the answer period counted (a policy default, R20).
	Period deadline.Period `json:"period"`
	// LastDay and DueAt end the answer period; both zero while pending.
	LastDay time.Time `json:"last_day,omitzero"`
	DueAt   time.Time `json:"due_at,omitzero"`
	// Pending and Provisional are as for Clock.
	Pending     int  `json:"pending_year,omitempty"`
	Provisional bool `json:"provisional,omitempty"`
	// Answered is set once the provider answers.
	Answered   bool           `json:"answered,omitempty"`
	Corrected  bool           `json:"corrected,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	AnsweredAt time.Time      `json:"answered_at,omitzero"`
	AnsweredBy govshare.Actor `json:"answered_by,omitzero"`
}

// Notice is a message the host must deliver to a department, such as the
// notice of an approved extension the requester must receive (R12
// 告知需求部门). AckNotice records its delivery.
type Notice struct {
	ID          string              `json:"id"`
	To          govshare.Department `json:"to"`
	Message     string              `json:"message"`
	MessageEN   string              `json:"message_en"`
	Rule        string              `json:"rule,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
	DeliveredAt time.Time           `json:"delivered_at,omitzero"`
}

// Comment is a remark attached to a transition.
type Comment struct {
	Command CommandName    `json:"command"`
	By      govshare.Actor `json:"by"`
	At      time.Time      `json:"at"`
	Text    string         `json:"text"`
}

// Grant is what an approved and provided application allows at run time
// (R19): the requester's access to the granted items, by the approved
// method, for the approved scenario, within the approved period.
type Grant struct {
	AppID     string               `json:"app_id"`
	Requester govshare.Department  `json:"requester"`
	Provider  govshare.Department  `json:"provider"`
	EntryID   string               `json:"entry_id"`
	Items     []string             `json:"items"`
	Method    govshare.ShareMethod `json:"method"`
	Scenario  string               `json:"scenario"`
	Period    UsePeriod            `json:"period"`
}

// Live reports whether the application's grant is in force: the data were
// provided under an agreement and the grant watch runs in its state (from
// the table: Active, and in coordination over an objection raised while
// Active, since the approval stands until the authority resolves the
// dispute, R21).
func (a Application) Live() bool {
	return a.Answer != nil && a.Answer.Agreed && len(a.Deliveries) > 0 && a.runs(GrantWatch)
}

// runs reports whether watch w runs for the application: it runs in the
// application's state (as derived from the table) and, in a state entered
// by a suspension, it also ran in the state the objection suspended.
func (a *Application) runs(w Watch) bool {
	if int(a.State) >= len(machine.runs) || !machine.runs[a.State].has(w) {
		return false
	}
	if machine.kept[a.State].has(w) {
		n := len(a.Objections)
		return n > 0 && int(a.Objections[n-1].From) < len(machine.runs) && machine.runs[a.Objections[n-1].From].has(w)
	}
	return true
}

// Grant returns the grant of an application whose grant is live.
func (a Application) Grant() (Grant, bool) {
	if !a.Live() {
		return Grant{}, false
	}
	return Grant{
		AppID:     a.ID,
		Requester: a.Requester,
		Provider:  a.Provider,
		EntryID:   a.EntryID,
		Items:     append([]string(nil), a.Answer.Items...),
		Method:    a.Answer.Method,
		Scenario:  a.Elements.Scenario,
		Period:    a.Answer.Period,
	}, true
}

// Clone returns a deep copy whose slices and pointers share nothing with a.
func (a Application) Clone() Application {
	a.Elements.Items = cloneSlice(a.Elements.Items)
	a.Elements.Systems = cloneSlice(a.Elements.Systems)
	if a.Clock != nil {
		c := *a.Clock
		c.Period.Pauses = cloneSlice(c.Period.Pauses)
		a.Clock = &c
	}
	a.Extensions = cloneSlice(a.Extensions)
	origAnswer := a.Answer
	if a.Answer != nil {
		ans := *a.Answer
		ans.Items = cloneSlice(ans.Items)
		ans.Refused = cloneSlice(ans.Refused)
		ans.Conditions = cloneSlice(ans.Conditions)
		a.Answer = &ans
	}
	a.Replies = cloneSlice(a.Replies)
	for i, r := range a.Replies {
		c := *r
		c.Items, c.Refused, c.Conditions = cloneSlice(r.Items), cloneSlice(r.Refused), cloneSlice(r.Conditions)
		a.Replies[i] = &c
		if r == origAnswer {
			a.Answer = &c
		}
	}
	a.Deliveries = cloneSlice(a.Deliveries)
	a.Objections = cloneSlice(a.Objections)
	a.Corrections = cloneSlice(a.Corrections)
	for i := range a.Corrections {
		a.Corrections[i].Items = cloneSlice(a.Corrections[i].Items)
		a.Corrections[i].Period.Pauses = cloneSlice(a.Corrections[i].Period.Pauses)
	}
	a.Notices = cloneSlice(a.Notices)
	a.Alerts = cloneSlice(a.Alerts)
	a.Comments = cloneSlice(a.Comments)
	if a.Revocation != nil {
		r := *a.Revocation
		a.Revocation = &r
	}
	if a.Closing != nil {
		c := *a.Closing
		a.Closing = &c
	}
	if a.Announcement != nil {
		n := *a.Announcement
		n.Withdrawn = cloneSlice(n.Withdrawn)
		a.Announcement = &n
	}
	return a
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
