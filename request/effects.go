package request

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
)

// The effects of the rows: each checks its command's payload against the
// rules and changes the copy of the application the transaction holds.
// Conditions that decide whether a row applies at all are its guards
// (guards.go), not checks here.

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

func (x *tx) create() error {
	c := x.cmd.(Create)
	return x.start(c.EntryID, c.Elements, "")
}

// renew starts an application from the grant it renews: the same entry,
// the items and method granted, the new period of use.
func (x *tx) renew() error {
	c := x.cmd.(Renew)
	old := x.env.Renewed
	el := cloneElements(old.Elements)
	el.Items = cloneSlice(old.Answer.Items)
	el.Method = old.Answer.Method
	el.Period = c.Period
	return x.start(old.EntryID, el, old.ID)
}

// start creates the application for create and renew.
func (x *tx) start(entryID string, el Elements, renewalOf string) error {
	if strings.TrimSpace(x.app.ID) == "" {
		return x.fail("id", "缺少申请编号", "the application needs an ID", "")
	}
	x.app.EntryID = entryID
	e, err := x.entry()
	if err != nil {
		return err
	}
	if err := checkPeriod("elements.period", el.Period); err != nil {
		return err
	}
	by := x.cmd.By()
	if e.Provider.Same(by.Department) {
		return x.fail("requester", "部门不能申请本部门的数据", "a department does not apply for its own data", "R8")
	}
	if err := x.checkItems("elements.items", el.Items); err != nil {
		return err
	}
	x.app.Requester = by.Department
	x.app.Provider = e.Provider
	x.app.EntryVersion = e.Version
	x.app.Elements = cloneElements(el)
	x.app.RenewalOf = renewalOf
	x.app.CreatedAt = x.at
	if renewalOf != "" {
		x.detail("renewal_of", renewalOf)
	}
	x.detail("entry_id", e.ID)
	return nil
}

func cloneElements(el Elements) Elements {
	el.Items = cloneSlice(el.Items)
	el.Systems = cloneSlice(el.Systems)
	return el
}

func (x *tx) edit() error {
	c := x.cmd.(Edit)
	if _, err := x.entry(); err != nil {
		return err
	}
	if err := x.checkItems("elements.items", c.Elements.Items); err != nil {
		return err
	}
	if err := checkPeriod("elements.period", c.Elements.Period); err != nil {
		return err
	}
	x.app.Elements = cloneElements(c.Elements)
	return nil
}

// checkPeriod checks that a period's instants are in the supported range.
func checkPeriod(field string, p UsePeriod) error {
	if p.From.IsZero() && p.To.IsZero() {
		return nil
	}
	if err := govshare.CheckInstant(field+".from", p.From); err != nil {
		return err
	}
	return govshare.CheckInstant(field+".to", p.To)
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

func (x *tx) endorse() error {
	c := x.cmd.(Endorse)
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
		if err := govshare.CheckInstant("received_at", c.ReceivedAt); err != nil {
			return err
		}
		if c.ReceivedAt.Before(x.at) {
			return x.fail("received_at", "送达时间早于审核同意时间", "the delivery instant is before the endorsement", "R10")
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
	x.dueDetail("due_at", clock.DueAt, clock.Pending, clock.Provisional)
	return nil
}

// computeDue computes the end of a period from a receipt instant. A period
// that reaches a year without an official schedule is not an error unless
// the host's Rules ask for strict calendars: the deadline is pending, and
// pendingYear names the year (it is computed when the year is loaded). A
// period answered from the regular week (a calendar with the fallback) is
// provisional.
func (x *tx) computeDue(received time.Time, p deadline.Period) (due deadline.Due, pendingYear int, provisional bool, err error) {
	due, err = x.env.Calendar.End(received, p)
	var uy *deadline.UnknownYearError
	switch {
	case err == nil:
		return due, 0, due.Provisional, nil
	case errors.Is(err, deadline.ErrProvisional):
		return due, 0, true, nil
	case errors.As(err, &uy) && !x.env.Rules.StrictCalendar:
		return deadline.Due{}, uy.Year, false, nil
	}
	return deadline.Due{}, 0, false, fmt.Errorf("request: %s: computing the period: %w", x.cmd.Name().Code(), err)
}

func (x *tx) clock(received time.Time, p deadline.Period, ordered bool) (*Clock, error) {
	due, pending, provisional, err := x.computeDue(received, p)
	if err != nil {
		return nil, err
	}
	return &Clock{Period: p, ReceivedAt: received, LastDay: due.LastDay, DueAt: due.At, Ordered: ordered,
		Pending: pending, Provisional: provisional}, nil
}

// dueDetail records a computed due instant for the audit record, or the
// year it waits for, and whether it is provisional.
func (x *tx) dueDetail(key string, at time.Time, pending int, provisional bool) {
	if pending != 0 {
		x.detail(key+"_pending_year", pending)
		return
	}
	x.detail(key, at.Format(time.RFC3339))
	if provisional {
		x.detail(key+"_provisional", true)
	}
}

func (x *tx) returnToClerk() error { return x.comment(x.cmd.(Return).Comment, true) }

func (x *tx) withdraw() error { return x.comment(x.cmd.(Withdraw).Reason, false) }

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

func (x *tx) requestExtension() error {
	c := x.cmd.(RequestExtension)
	max := deadline.MaxExtension.Workdays
	switch {
	case c.Days < 1:
		return x.fail("days", "延期天数须至少为1个工作日", "an extension is at least 1 working day", "R12")
	case strings.TrimSpace(c.Reason) == "":
		return x.fail("reason", "申请延期须说明特殊原因", "an extension needs a reason", "R12")
	case x.extensionDays()+c.Days > max:
		return x.fail("days", fmt.Sprintf("延期合计不得超过%d个工作日（已批准%d个）", max, x.extensionDays()),
			fmt.Sprintf("extensions total at most %d working days (%d already granted)", max, x.extensionDays()), "R12")
	}
	x.app.Extensions = append(slices.Clip(x.app.Extensions), Extension{Days: c.Days, Reason: c.Reason, RequestedAt: x.at, RequestedBy: c.Actor, DecisionDue: x.app.Clock.DueAt})
	x.detail("days", c.Days)
	return nil
}

func (x *tx) decideExtension() error {
	c := x.cmd.(DecideExtension)
	if c.Decision != Granted && c.Decision != Denied {
		return x.fail("decision", "审批结果须为批准或不批准", "the decision is granted or denied", "R12")
	}
	n := len(x.app.Extensions)
	x.app.Extensions = slices.Clone(x.app.Extensions)
	ext := &x.app.Extensions[n-1]
	ext.DecidedAt, ext.DecidedBy, ext.Comment = x.at, c.Actor, c.Comment
	ext.Decision = c.Decision
	x.detail("decision", c.Decision.Code())
	if c.Decision == Denied {
		return nil
	}
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
	until := fmt.Sprintf("延长后于%d年%d月%d日%s届满", next.LastDay.Year(), int(next.LastDay.Month()), next.LastDay.Day(), end)
	untilEN := fmt.Sprintf("to %s %s China Standard Time", next.LastDay.Format("2006-01-02"), end)
	switch {
	case next.Pending != 0:
		until = fmt.Sprintf("届满日期待%d年放假安排载入后确定", next.Pending)
		untilEN = fmt.Sprintf("the new due day follows when the %d schedule is loaded", next.Pending)
	case next.Provisional:
		until += "（按常规周推算，待放假安排公布后确认）"
		untilEN += " (provisional: from the regular week, to be confirmed by the official schedule)"
	}
	notice := Notice{
		ID: fmt.Sprintf("N%d", len(x.app.Notices)+1),
		To: x.app.Requester,
		Message: fmt.Sprintf("经政务数据共享主管部门批准，%s对共享申请%s的答复期限延长%d个工作日，%s。",
			x.app.Provider.Name, x.app.ID, ext.Days, until),
		MessageEN: fmt.Sprintf("With the approval of the competent department for data sharing, %s's reply to application %s is extended by %d working days, %s.",
			x.app.Provider.Name, x.app.ID, ext.Days, untilEN),
		Rule:      "R12",
		CreatedAt: x.at,
	}
	x.app.Notices = append(slices.Clip(x.app.Notices), notice)
	x.ev.Notices = append(x.ev.Notices, notice)
	x.dueDetail("due_at", next.DueAt, next.Pending, next.Provisional)
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
	if err := checkPeriod("period", period); err != nil {
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

// stamp records whether an answer was late and how many working days it
// took. When the reply's due day or the working days between receipt and
// the answer wait for a year's schedule, the answer is pending: never
// counted as 0 days, settled when the year is loaded.
func (x *tx) stamp(a *Answer) {
	c := x.app.Clock
	if c == nil {
		return
	}
	if c.Pending != 0 {
		a.Pending = c.Pending
		return
	}
	a.Late = !a.At.Before(c.DueAt)
	n, err := x.env.Calendar.WorkdaysBetween(c.ReceivedAt, a.At)
	var uy *deadline.UnknownYearError
	switch {
	case err == nil || errors.Is(err, deadline.ErrProvisional):
		a.Workdays = n
	case errors.As(err, &uy):
		a.Pending = uy.Year
	}
}

// answer puts a in force and keeps it in the replies. Both point to the
// same answer, which nothing modifies once given.
func (x *tx) answer(a *Answer) {
	x.app.Answer = a
	x.app.Replies = append(slices.Clip(x.app.Replies), a)
}

func (x *tx) agree() error {
	c := x.cmd.(Agree)
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

func (x *tx) refuse() error {
	c := x.cmd.(Refuse)
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

func (x *tx) provision() error {
	c := x.cmd.(Provision)
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
	for _, d := range c.Deliveries {
		d.At = x.at
		x.app.Deliveries = append(slices.Clip(x.app.Deliveries), d)
	}
	return nil
}

func (x *tx) expire() error { return nil }

func (x *tx) revoke() error {
	c := x.cmd.(Revoke)
	if strings.TrimSpace(c.Reason) == "" {
		return x.fail("reason", "终止共享须说明理由", "a revocation needs a reason", "R19")
	}
	x.app.Revocation = &Comment{Command: CmdRevoke, By: c.Actor, At: x.at, Text: c.Reason}
	return nil
}

func (x *tx) object() error {
	c := x.cmd.(Object)
	if strings.TrimSpace(c.Statement) == "" {
		return x.fail("statement", "异议须说明理由", "an objection needs a statement", "R21")
	}
	x.app.Objections = append(slices.Clip(x.app.Objections), Objection{Ground: c.Ground, Statement: c.Statement, At: x.at, By: c.Actor, From: x.app.State})
	x.detail("ground", c.Ground.String())
	return nil
}

func (x *tx) uphold() error { return x.resolve(Upheld, x.cmd.(Uphold).Comment) }

func (x *tx) resolve(o Outcome, comment string) error {
	x.app.Objections = slices.Clone(x.app.Objections)
	ob := &x.app.Objections[len(x.app.Objections)-1]
	ob.Outcome, ob.ResolvedAt, ob.ResolvedBy, ob.Comment = o, x.at, x.cmd.By(), comment
	return nil
}

func (x *tx) overturn() error {
	c := x.cmd.(Overturn)
	a, err := x.grant(c.Items, nil, true, c.Conditions, c.Method, c.Period)
	if err != nil {
		return err
	}
	a.Late = false
	x.answer(a)
	x.app.Deliveries = nil
	return x.resolve(Overturned, c.Comment)
}

func (x *tx) orderReply() error {
	c := x.cmd.(OrderReply)
	if c.Days < 1 || c.Days > x.env.Rules.MaxOrderDays {
		return x.fail("days", fmt.Sprintf("责令答复期限须为1至%d个工作日", x.env.Rules.MaxOrderDays),
			fmt.Sprintf("an ordered reply period is 1 to %d working days (policy default)", x.env.Rules.MaxOrderDays), "R21")
	}
	clock, err := x.clock(x.at, x.replyPeriod(deadline.Period{Workdays: c.Days, Citation: govshare.Rule("R21")}), true)
	if err != nil {
		return err
	}
	// An order never shortens a period that is still running: the due
	// instant never moves backwards. A pending due day lies after every
	// day the calendar knows.
	if old := x.app.Clock; old != nil && clock.Pending == 0 && (old.Pending != 0 || clock.DueAt.Before(old.DueAt)) {
		clock.LastDay, clock.DueAt, clock.Pending, clock.Provisional = old.LastDay, old.DueAt, old.Pending, old.Provisional
	}
	x.app.Clock = clock
	x.app.Answer = nil
	x.dueDetail("due_at", clock.DueAt, clock.Pending, clock.Provisional)
	return x.resolve(ReplyOrdered, c.Comment)
}

func (x *tx) fileCorrection() error {
	c := x.cmd.(FileCorrection)
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
	due, pending, provisional, err := x.computeDue(x.at, p)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("C%d", len(x.app.Corrections)+1)
	x.app.Corrections = append(slices.Clip(x.app.Corrections), Correction{ID: id, Items: cloneSlice(c.Items), Description: c.Description,
		FiledAt: x.at, FiledBy: c.Actor, Period: p, LastDay: due.LastDay, DueAt: due.At, Pending: pending, Provisional: provisional})
	x.detail("correction", id)
	x.dueDetail("due_at", due.At, pending, provisional)
	return nil
}

func (x *tx) answerCorrection() error {
	c := x.cmd.(AnswerCorrection)
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

func (x *tx) alert() error {
	f := x.cmd.(Alert).Fact
	x.app.Alerts = append(slices.Clip(x.app.Alerts), f.Key())
	x.detail("fact", f.Key())
	return nil
}

func (x *tx) ackNotice() error {
	c := x.cmd.(AckNotice)
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

// settle computes what waited for a year's schedule — the reply deadline,
// correction deadlines, the lateness and working days of answers — and,
// with Recompute, recomputes the deadlines still running. It fails when
// there is nothing the calendar can settle now.
func (x *tx) settle() error {
	c := x.cmd.(SettleDeadline)
	settled := 0
	if k := x.app.Clock; k != nil && (k.Pending != 0 || c.Recompute && x.app.runs(ReplyWatch)) {
		due, pending, provisional, err := x.computeDue(k.ReceivedAt, k.Period)
		if err != nil {
			return err
		}
		if k.Ordered && pending == 0 && k.Pending == 0 && due.At.Before(k.DueAt) {
			due.LastDay, due.At = k.LastDay, k.DueAt // an ordered reply never moves backwards
		}
		if pending == 0 && (k.Pending != 0 || !due.At.Equal(k.DueAt) || provisional != k.Provisional) {
			next := *k
			next.LastDay, next.DueAt, next.Pending, next.Provisional = due.LastDay, due.At, 0, provisional
			x.app.Clock = &next
			x.dueDetail("due_at", next.DueAt, 0, provisional)
			settled++
			if n := len(x.app.Extensions); n > 0 && x.app.Extensions[n-1].Decision == Pending && x.app.Extensions[n-1].DecisionDue.IsZero() {
				x.app.Extensions = slices.Clone(x.app.Extensions)
				x.app.Extensions[n-1].DecisionDue = next.DueAt
			}
		}
	}
	corrections := slices.Clone(x.app.Corrections)
	for i, k := range corrections {
		if k.Answered || (k.Pending == 0 && !c.Recompute) {
			continue
		}
		due, pending, provisional, err := x.computeDue(k.FiledAt, k.Period)
		if err != nil {
			return err
		}
		if pending == 0 && (k.Pending != 0 || !due.At.Equal(k.DueAt) || provisional != k.Provisional) {
			corrections[i].LastDay, corrections[i].DueAt, corrections[i].Pending, corrections[i].Provisional = due.LastDay, due.At, 0, provisional
			x.app.Corrections = corrections
			x.detail(k.ID+"_due_at", due.At.Format(time.RFC3339))
			settled++
		}
	}
	if x.app.Clock != nil && x.app.Clock.Pending == 0 {
		replies := slices.Clone(x.app.Replies)
		for i, r := range replies {
			if r.Pending == 0 {
				continue
			}
			a := *r
			a.Pending = 0
			x.stamp(&a)
			if a.Pending != 0 {
				continue
			}
			if x.app.Answer == r {
				x.app.Answer = &a
			}
			replies[i] = &a
			x.app.Replies = replies
			x.detail("answer_workdays", a.Workdays)
			settled++
		}
	}
	if settled == 0 {
		return x.fail("calendar", "没有可以确定的期限", "nothing to settle: no deadline waits for a year the calendar has, and none changed", "R14")
	}
	return nil
}

func (x *tx) closeGrant() error {
	c := x.cmd.(Close)
	if strings.TrimSpace(c.Statement) == "" {
		return x.fail("statement", "结束共享须说明所获数据的处理情况", "closing a grant states what became of the data", "R22")
	}
	x.app.Closing = &Comment{Command: CmdClose, By: c.Actor, At: x.at, Text: c.Statement}
	return nil
}

func (x *tx) announceChange() error {
	c := x.cmd.(AnnounceChange)
	switch {
	case !c.Change.Valid():
		return x.fail("change", "须说明是终止服务还是变更服务", "the announcement is an end or a change of service", "R23")
	case strings.TrimSpace(c.Statement) == "":
		return x.fail("statement", "终止或变更服务须说明理由", "an end or change of service needs a statement", "R23")
	}
	if err := govshare.CheckInstant("effective_at", c.EffectiveAt); err != nil {
		return err
	}
	if earliest := x.at.Add(x.env.Rules.ChangeNotice); c.EffectiveAt.Before(earliest) {
		return invalid(CmdAnnounceChange, "effective_at",
			fmt.Sprintf("终止或变更服务须至少提前%d天告知，最早于%s生效", int(x.env.Rules.ChangeNotice/(24*time.Hour)), earliest.In(deadline.CST).Format("2006-01-02 15:04")),
			fmt.Sprintf("an end or change of service is announced at least %s ahead; the earliest is %s", x.env.Rules.ChangeNotice, earliest.In(deadline.CST).Format(time.RFC3339)),
			govshare.PolicyDefault("R23 提前告知期限"))
	}
	if c.Change == ChangeService {
		if c.Method == "" && len(c.Withdrawn) == 0 {
			return x.fail("method", "变更服务须说明新的共享方式或不再提供的数据项", "a change names the new method or the items withdrawn", "R23")
		}
		if c.Method != "" && !x.env.Entry.HasMethod(c.Method) {
			return x.fail("method", "共享方式“"+c.Method.String()+"”不在目录所列共享方式之中", "method "+string(c.Method)+" is not one the entry offers", "R13")
		}
		for _, it := range c.Withdrawn {
			if x.app.Answer == nil || !slices.Contains(x.app.Answer.Items, it) {
				return x.fail("withdrawn", "数据项“"+it+"”不在共享范围内", "item "+it+" is not granted", "R23")
			}
		}
		if x.app.Answer != nil && len(c.Withdrawn) >= len(x.app.Answer.Items) {
			return x.fail("withdrawn", "不再提供全部数据项应告知终止服务", "withdrawing every item is an end of service", "R23")
		}
	}
	x.app.Announcement = &Announcement{Change: c.Change, AnnouncedAt: x.at, AnnouncedBy: c.Actor, EffectiveAt: c.EffectiveAt.In(deadline.CST),
		Statement: c.Statement, Method: c.Method, Withdrawn: cloneSlice(c.Withdrawn)}
	eff := c.EffectiveAt.In(deadline.CST)
	what, whatEN := "终止", "end"
	if c.Change == ChangeService {
		what, whatEN = "变更", "change"
	}
	notice := Notice{
		ID: fmt.Sprintf("N%d", len(x.app.Notices)+1),
		To: x.app.Requester,
		Message: fmt.Sprintf("%s告知：共享申请%s所涉数据共享服务将于%d年%d月%d日%s%s。%s",
			x.app.Provider.Name, x.app.ID, eff.Year(), int(eff.Month()), eff.Day(), eff.Format("15:04"), what, c.Statement),
		MessageEN: fmt.Sprintf("%s gives notice: the sharing service of application %s will %s at %s China Standard Time. %s",
			x.app.Provider.Name, x.app.ID, whatEN, eff.Format("2006-01-02 15:04"), c.Statement),
		Rule:      "R23",
		CreatedAt: x.at,
	}
	x.app.Notices = append(slices.Clip(x.app.Notices), notice)
	x.ev.Notices = append(x.ev.Notices, notice)
	x.detail("change", c.Change.code())
	x.detail("effective_at", eff.Format(time.RFC3339))
	return nil
}

func (x *tx) effectChange() error {
	n := *x.app.Announcement
	n.EffectedAt = x.at
	x.app.Announcement = &n
	x.detail("change", n.Change.code())
	if n.Change != ChangeService || x.app.Answer == nil {
		return nil
	}
	// The answer in force changes; the answer given stays in Replies as it
	// was.
	a := *x.app.Answer
	if n.Method != "" {
		a.Method = n.Method
	}
	if len(n.Withdrawn) > 0 {
		a.Items = slices.DeleteFunc(cloneSlice(a.Items), func(it string) bool { return slices.Contains(n.Withdrawn, it) })
	}
	x.app.Answer = &a
	x.detail("method", string(a.Method))
	x.detail("items", a.Items)
	return nil
}
