package request

import (
	"errors"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func applyErr(t *testing.T, a Application, c Command, at time.Time, e Env) error {
	t.Helper()
	next, ev, err := Apply(a, c, at, e)
	require.Error(t, err)
	assert.Equal(t, Event{}, ev)
	assert.Equal(t, a, next, "on error the application is returned unchanged")
	return err
}

func invalidField(t *testing.T, err error, field, rule string) {
	t.Helper()
	require.ErrorIs(t, err, govshare.ErrInvalid)
	var ie *InvalidError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, field, ie.Field)
	assert.Equal(t, rule, ie.Citation.Rule)
	assert.NotEmpty(t, ie.Message)
	assert.NotEmpty(t, ie.MessageEN)
}

// Reply periods on real dates (R10, R11, R14).
func TestReplyDeadlines(t *testing.T) {
	e := env()
	// Conditional: received 2026-09-29 10:00, 10 working days across 国庆
	// (10-01…10-07 off, Saturday 10-10 worked): due 2026-10-19 24:00.
	a := reach(t, PendingApproval)
	a = step(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
	assert.Equal(t, govshare.Conditional, a.Attribute)
	assert.Equal(t, deadline.Date(2026, 10, 19), a.Clock.LastDay)
	assert.True(t, a.Clock.DueAt.Equal(cst(2026, 10, 20, 0, 0)))

	// Unconditional only: 1 working day; received the day before 国庆, due
	// the first working day after it.
	u := unconditionalUnderReview(t)
	assert.Equal(t, govshare.Unconditional, u.Attribute)
	assert.Equal(t, deadline.Date(2026, 9, 30), u.Clock.LastDay)

	el := elements()
	el.Items = []string{"姓名"}
	b := step(t, Application{ID: "B"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: el}, cst(2026, 9, 30, 9, 0), e)
	b = step(t, b, Submit{Actor: reqClerk}, cst(2026, 9, 30, 9, 1), e)
	// The host delivered it at 16:00 the same day.
	b = step(t, b, Endorse{Actor: reqHead, ReceivedAt: cst(2026, 9, 30, 16, 0)}, cst(2026, 9, 30, 9, 2), e)
	assert.Equal(t, deadline.Date(2026, 10, 8), b.Clock.LastDay)
	assert.True(t, b.Clock.ReceivedAt.Equal(cst(2026, 9, 30, 16, 0)))

	// A host closing at 17:30 ends periods then (R14 policy option).
	e.Rules.CloseOfBusiness = 17*time.Hour + 30*time.Minute
	c := reach(t, PendingApproval)
	c = step(t, c, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
	assert.True(t, c.Clock.DueAt.Equal(cst(2026, 10, 19, 17, 30)))

	// A delivery instant before the approval is refused.
	err := applyErr(t, reach(t, PendingApproval), Endorse{Actor: reqHead, ReceivedAt: t0}, t0.Add(2*time.Minute), env())
	invalidField(t, err, "received_at", "R10")

	// A period reaching a year without an official schedule is never a
	// guess: with strict calendars it is refused (ErrUnknownYear); by
	// default the receipt is recorded and the deadline is pending on the
	// year (issue 12).
	late := Elements(elements())
	late.Period.To = cst(2027, 6, 1, 0, 0)
	d := step(t, Application{ID: "D"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: late}, cst(2026, 12, 20, 9, 0), env())
	d = step(t, d, Submit{Actor: reqClerk}, cst(2026, 12, 20, 9, 1), env())
	strict := env()
	strict.Rules.StrictCalendar = true
	err = applyErr(t, d, Endorse{Actor: reqHead}, cst(2026, 12, 21, 9, 0), strict)
	assert.ErrorIs(t, err, deadline.ErrUnknownYear)
	p := step(t, d, Endorse{Actor: reqHead}, cst(2026, 12, 21, 9, 0), env())
	assert.Equal(t, 2027, p.Clock.Pending)
	assert.True(t, p.Clock.DueAt.IsZero())
	assert.True(t, p.ReceivedAt.Equal(cst(2026, 12, 21, 9, 0)))
}

func TestExtensionsR12(t *testing.T) {
	e := env()
	a := reach(t, PendingApproval)
	a = step(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)

	err := applyErr(t, a, RequestExtension{Actor: provClerk, Days: 0, Reason: "x"}, t0.Add(3*time.Minute), e)
	invalidField(t, err, "days", "R12")
	err = applyErr(t, a, RequestExtension{Actor: provClerk, Days: 2}, t0.Add(3*time.Minute), e)
	invalidField(t, err, "reason", "R12")
	err = applyErr(t, a, RequestExtension{Actor: provClerk, Days: 11, Reason: "x"}, t0.Add(3*time.Minute), e)
	invalidField(t, err, "days", "R12")
	// After the due instant it is too late to ask.
	err = applyErr(t, a, RequestExtension{Actor: provClerk, Days: 2, Reason: "x"}, cst(2026, 10, 20, 0, 0), e)
	invalidField(t, err, "at", "R12")

	// Only the competent authority of the provider decides; another
	// region's authority is forbidden.
	a = step(t, a, RequestExtension{Actor: provClerk, Days: 7, Reason: "跨部门核对"}, cst(2026, 10, 12, 9, 0), e)
	err = applyErr(t, a, DecideExtension{Actor: otherAuth, Decision: Granted}, cst(2026, 10, 12, 10, 0), e)
	require.ErrorIs(t, err, govshare.ErrForbidden)
	assert.Contains(t, err.Error(), "主管部门")
	err = applyErr(t, a, DecideExtension{Actor: provHead, Decision: Granted}, cst(2026, 10, 12, 10, 0), e)
	require.ErrorIs(t, err, govshare.ErrForbidden)

	a = step(t, a, DecideExtension{Actor: auth, Decision: Granted, Comment: "同意"}, cst(2026, 10, 12, 10, 0), e)
	// 10-19 + 7 working days: 10-20…10-23, 10-26…10-28.
	assert.Equal(t, deadline.Date(2026, 10, 28), a.Clock.LastDay)
	require.Len(t, a.Notices, 1)
	n := a.Notices[0]
	assert.Equal(t, welfare, n.To)
	assert.Equal(t, "R12", n.Rule)
	assert.Contains(t, n.Message, "延长7个工作日")
	assert.Contains(t, n.Message, "2026年10月28日24:00")

	// 7 granted: asking 4 more would exceed 10 in all.
	err = applyErr(t, a, RequestExtension{Actor: provClerk, Days: 4, Reason: "x"}, cst(2026, 10, 13, 9, 0), e)
	invalidField(t, err, "days", "R12")
	a = step(t, a, RequestExtension{Actor: provClerk, Days: 3, Reason: "再核对"}, cst(2026, 10, 13, 9, 0), e)
	before := a.Clock.DueAt
	a = step(t, a, DecideExtension{Actor: auth, Decision: Denied, Comment: "理由不充分"}, cst(2026, 10, 13, 10, 0), e)
	assert.Equal(t, before, a.Clock.DueAt, "a denied extension leaves the due instant")
	assert.Equal(t, Denied, a.Extensions[1].Decision)
	assert.Len(t, a.Notices, 1, "no notice for a denial")
}

func TestAgreeRules(t *testing.T) {
	e := env()
	a := reach(t, UnderReview)
	at := a.UpdatedAt.Add(time.Hour)

	// Only the provider's sharing-office head replies (R9).
	err := applyErr(t, a, Agree{Actor: provClerk}, at, e)
	require.ErrorIs(t, err, govshare.ErrForbidden)
	var fe *ForbiddenError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, []Who{providerHead, system}, fe.Allowed, "the head, or the system when auto-agreeing")

	// No conditions beyond the catalog's (R7).
	err = applyErr(t, a, Agree{Actor: provHead, Conditions: []string{"每次调用须另行报批"}}, at, e)
	invalidField(t, err, "conditions", "R7")
	// Items must have been requested (R8) and be answered in full (R11).
	err = applyErr(t, a, Agree{Actor: provHead, Items: []string{"姓名", "宗教信仰"}}, at, e)
	invalidField(t, err, "items", "R8")
	err = applyErr(t, a, Agree{Actor: provHead, Items: []string{"姓名"}}, at, e)
	invalidField(t, err, "refused", "R11")
	err = applyErr(t, a, Agree{Actor: provHead, Items: []string{"姓名"}, Refused: []RefusedItem{{Item: "身份证号", Reason: "x"}, {Item: "户籍地址"}}}, at, e)
	invalidField(t, err, "refused", "R11")
	// Method among the entry's (R13), period within the one requested (R19).
	err = applyErr(t, a, Agree{Actor: provHead, Method: govshare.FileDownload}, at, e)
	invalidField(t, err, "method", "R13")
	err = applyErr(t, a, Agree{Actor: provHead, Period: UsePeriod{From: cst(2026, 9, 1, 0, 0), To: cst(2027, 1, 1, 0, 0)}}, at, e)
	invalidField(t, err, "period", "R19")

	// A partial agreement: two items granted, one refused with its reason.
	p := step(t, a, Agree{Actor: provHead, Items: []string{"姓名", "身份证号"},
		Refused: []RefusedItem{{Item: "户籍地址", Reason: "地址数据正在治理"}}, Conditions: []string{condA, condB},
		Period: UsePeriod{From: cst(2026, 10, 1, 0, 0), To: cst(2026, 11, 1, 0, 0)}}, at, e)
	assert.Equal(t, Approved, p.State)
	assert.Equal(t, []string{"姓名", "身份证号"}, p.Answer.Items)
	assert.Equal(t, "户籍地址", p.Answer.Refused[0].Item)
	assert.Equal(t, govshare.ServiceAPI, p.Answer.Method)
	assert.False(t, p.Answer.Late)
	require.Len(t, p.Replies, 1)

	// A late agreement is marked late, with the working days it took.
	late := step(t, a, Agree{Actor: provHead}, cst(2026, 10, 22, 9, 0), e)
	assert.True(t, late.Answer.Late)
	assert.Equal(t, 13, late.Answer.Workdays) // 09-30, 10-08…10-10, 10-12…10-16, 10-19…10-22
}

func TestNotShareableAndNotPublished(t *testing.T) {
	e := env()
	el := elements()
	el.Items = append(el.Items, "宗教信仰")
	_, _, err := Apply(Application{ID: "X"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: el}, t0, e)
	require.ErrorIs(t, err, ErrNotShareable)
	var ns *NotShareableError
	require.True(t, errors.As(err, &ns))
	assert.Equal(t, []string{"宗教信仰"}, ns.Items)
	assert.Equal(t, "《中华人民共和国个人信息保护法》第二十八条", ns.LegalBasis)

	// An item unknown to the entry.
	el = elements()
	el.Items = []string{"婚姻状况"}
	_, _, err = Apply(Application{ID: "X"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: el}, t0, e)
	invalidField(t, err, "elements.items", "R5")

	// A withdrawn entry cannot be applied for (R5)…
	e.Entry.Status = catalog.Withdrawn
	_, _, err = Apply(Application{ID: "X"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: elements()}, t0, e)
	require.ErrorIs(t, err, ErrNotPublished)
	// …and an application whose entry was withdrawn meanwhile cannot be approved.
	a := reach(t, PendingApproval)
	err = applyErr(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
	require.ErrorIs(t, err, ErrNotPublished)

	// If the provider marks an item not shared after submission, the head
	// cannot send it on.
	e = env()
	e.Entry.Items[2].Share = govshare.NotShared
	err = applyErr(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
	require.ErrorIs(t, err, ErrNotShareable)
}

func TestSubmitChecksTheFiveElements(t *testing.T) {
	e := env()
	cases := []struct {
		field string
		edit  func(*Elements)
		rule  string
	}{
		{"elements.basis", func(el *Elements) { el.Basis = " " }, "R8"},
		{"elements.scenario", func(el *Elements) { el.Scenario = "" }, "R8"},
		{"elements.items", func(el *Elements) { el.Items = nil }, "R8"},
		{"elements.method", func(el *Elements) { el.Method = govshare.FileDownload }, "R13"},
		{"elements.period", func(el *Elements) { el.Period.To = el.Period.From }, "R8"},
		{"elements.period", func(el *Elements) { el.Period.To = cst(2026, 9, 2, 0, 0) }, "R8"},
	}
	for _, c := range cases {
		el := elements()
		c.edit(&el)
		a := step(t, Application{ID: "E"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: el}, t0, e)
		err := applyErr(t, a, Submit{Actor: reqClerk}, t0.Add(time.Minute), e)
		invalidField(t, err, c.field, c.rule)
	}
	// Only the clerk submits; the head approves or returns with a comment.
	a := reach(t, Draft)
	require.ErrorIs(t, applyErr(t, a, Submit{Actor: reqHead}, t0.Add(time.Minute), e), govshare.ErrForbidden)
	p := reach(t, PendingApproval)
	require.ErrorIs(t, applyErr(t, p, Endorse{Actor: reqClerk}, t0.Add(2*time.Minute), e), govshare.ErrForbidden)
	invalidField(t, applyErr(t, p, Return{Actor: reqHead}, t0.Add(2*time.Minute), e), "comment", "R8")
	r := step(t, p, Return{Actor: reqHead, Comment: "请写明条款"}, t0.Add(2*time.Minute), e)
	assert.Equal(t, Draft, r.State)
	assert.Equal(t, "请写明条款", r.Comments[0].Text)
	// Nobody applies for their own data.
	_, _, err := Apply(Application{ID: "S"}, Create{Actor: provClerk, EntryID: e.Entry.ID, Elements: elements()}, t0, e)
	invalidField(t, err, "requester", "R8")
}

func TestRefuseNeedsReasons(t *testing.T) {
	a := reach(t, UnderReview)
	at := a.UpdatedAt.Add(time.Hour)
	invalidField(t, applyErr(t, a, Refuse{Actor: provHead, Explanation: "x"}, at, env()), "reason", "R11")
	invalidField(t, applyErr(t, a, Refuse{Actor: provHead, Reason: LegalProhibition}, at, env()), "explanation", "R11")
	r := step(t, a, Refuse{Actor: provHead, Reason: LegalProhibition, Explanation: "涉及国家秘密"}, at, env())
	assert.Equal(t, LegalProhibition, r.Answer.Reason)
	assert.False(t, r.Answer.Agreed)
}

func TestWithdrawnCannotBeAnswered(t *testing.T) {
	a := reach(t, Withdrawn)
	at := a.UpdatedAt.Add(time.Hour)
	require.ErrorIs(t, applyErr(t, a, Agree{Actor: provHead}, at, env()), ErrIllegalTransition)
	require.ErrorIs(t, applyErr(t, a, Refuse{Actor: provHead, Reason: OtherReason, Explanation: "x"}, at, env()), ErrIllegalTransition)
}

func TestTimeNeverRunsBackwards(t *testing.T) {
	a := reach(t, UnderReview)
	invalidField(t, applyErr(t, a, Agree{Actor: provHead}, a.UpdatedAt.Add(-time.Second), env()), "at", "")
	invalidField(t, applyErr(t, a, Agree{Actor: provHead}, time.Time{}, env()), "at", "")
	_, _, err := Apply(a, nil, a.UpdatedAt, env())
	require.ErrorIs(t, err, govshare.ErrInvalid)
	_, _, err = Apply(a, Agree{Actor: govshare.Actor{Department: police, Role: govshare.OfficeHead}}, a.UpdatedAt, env())
	invalidField(t, err, "actor", "R4")
}

func TestDisputesR21(t *testing.T) {
	e := env()
	// Objecting to delay only once the reply is overdue.
	a := reach(t, UnderReview)
	err := applyErr(t, a, Object{Actor: reqHead, Ground: AgainstDelay, Statement: "太慢"}, a.UpdatedAt.Add(time.Hour), e)
	invalidField(t, err, "ground", "R21")
	err = applyErr(t, a, Object{Actor: reqHead, Ground: AgainstRefusal, Statement: "x"}, a.UpdatedAt.Add(time.Hour), e)
	invalidField(t, err, "ground", "R21")
	late := a.Clock.DueAt
	c := step(t, a, Object{Actor: reqHead, Ground: AgainstDelay, Statement: "逾期未答复"}, late, e)
	assert.Equal(t, InCoordination, c.State)
	// The authority orders a reply within 3 working days: from Tuesday
	// 10-21 00:00 that is 10-22, 10-23, 10-26.
	o := step(t, c, OrderReply{Actor: auth, Days: 3, Comment: "限期答复"}, late.Add(time.Minute), e)
	assert.Equal(t, UnderReview, o.State)
	assert.Equal(t, deadline.Date(2026, 10, 26), o.Clock.LastDay)
	assert.True(t, o.Clock.Ordered)
	assert.Equal(t, ReplyOrdered, o.Objections[0].Outcome)
	invalidField(t, applyErr(t, c, OrderReply{Actor: auth, Days: 11}, late.Add(time.Minute), e), "days", "R21")

	// Against a refusal: overturned with stated items and conditions.
	r := reach(t, InCoordination)
	at := r.UpdatedAt.Add(time.Hour)
	invalidField(t, applyErr(t, r, Overturn{Actor: auth, Items: []string{"姓名"}, Conditions: []string{"另加条件"}}, at, e), "conditions", "R7")
	v := step(t, r, Overturn{Actor: auth, Items: []string{"姓名"}, Conditions: []string{condA}}, at, e)
	assert.Equal(t, Approved, v.State)
	assert.Equal(t, []string{"姓名"}, v.Answer.Items)
	assert.Len(t, v.Answer.Refused, 2, "the items the authority does not grant are recorded as refused")
	require.Len(t, v.Replies, 2, "the provider's refusal stays in the replies")
	assert.False(t, v.Replies[0].Agreed)

	// Upheld: back to where it was.
	u := step(t, r, Uphold{Actor: auth, Comment: "维持原决定"}, at, e)
	assert.Equal(t, Refused, u.State)
	assert.Equal(t, Upheld, u.Objections[0].Outcome)

	// Against conditions, from an active grant.
	act := reach(t, Active)
	invalidField(t, applyErr(t, act, Object{Actor: reqHead, Ground: AgainstConditions}, act.UpdatedAt.Add(time.Hour), e), "statement", "R21")
	k := step(t, act, Object{Actor: reqHead, Ground: AgainstConditions, Statement: "条件过严"}, act.UpdatedAt.Add(time.Hour), e)
	k = step(t, k, Uphold{Actor: auth}, k.UpdatedAt.Add(time.Hour), e)
	assert.Equal(t, Active, k.State)
}

func TestGrantLifecycle(t *testing.T) {
	e := env()
	a := reach(t, Approved)
	_, ok := a.Grant()
	assert.False(t, ok, "no grant before provision")
	invalidField(t, applyErr(t, a, Provision{Actor: provClerk}, a.UpdatedAt.Add(time.Hour), e), "deliveries", "R13")
	invalidField(t, applyErr(t, a, Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.BatchExchange, Reference: "b"}}}, a.UpdatedAt.Add(time.Hour), e), "deliveries", "R13")
	act := step(t, a, Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: "k"}}}, a.UpdatedAt.Add(time.Hour), e)
	g, ok := act.Grant()
	require.True(t, ok)
	assert.Equal(t, welfare, g.Requester)
	assert.Equal(t, []string{"姓名", "身份证号", "户籍地址"}, g.Items)
	assert.Equal(t, "最低生活保障对象资格审核", g.Scenario)

	invalidField(t, applyErr(t, act, Expire{Actor: sys}, cst(2026, 11, 30, 23, 59), e), "at", "R19")
	ex := step(t, act, Expire{Actor: sys}, cst(2026, 12, 1, 0, 0), e)
	assert.Equal(t, Expired, ex.State)
	_, ok = ex.Grant()
	assert.False(t, ok)

	invalidField(t, applyErr(t, act, Revoke{Actor: auth}, act.UpdatedAt.Add(time.Hour), e), "reason", "R19")
	rv := step(t, act, Revoke{Actor: auth, Reason: "向第三方提供数据"}, act.UpdatedAt.Add(time.Hour), e)
	assert.Equal(t, "向第三方提供数据", rv.Revocation.Text)
	require.ErrorIs(t, applyErr(t, act, Revoke{Actor: provClerk, Reason: "x"}, act.UpdatedAt.Add(time.Hour), e), govshare.ErrForbidden)
}

func TestCorrectionsR20(t *testing.T) {
	e := env()
	a := reach(t, Active) // C1 filed 2026-10-21 09:00
	c1 := a.Corrections[0]
	// Policy default: 10 working days, 10-22…10-23, 10-26…10-30, 11-02…11-04.
	assert.Equal(t, deadline.Date(2026, 11, 4), c1.LastDay)
	at := a.UpdatedAt.Add(time.Hour)
	invalidField(t, applyErr(t, a, FileCorrection{Actor: reqClerk, Items: []string{"宗教信仰"}, Description: "x"}, at, e), "items", "R20")
	invalidField(t, applyErr(t, a, FileCorrection{Actor: reqClerk, Items: []string{"姓名"}}, at, e), "description", "R20")
	invalidField(t, applyErr(t, a, AnswerCorrection{Actor: provClerk, CorrectionID: "C9", Corrected: true}, at, e), "correction_id", "R20")
	invalidField(t, applyErr(t, a, AnswerCorrection{Actor: provClerk, CorrectionID: "C1"}, at, e), "reason", "R20")
	b := step(t, a, AnswerCorrection{Actor: provClerk, CorrectionID: "C1", Reason: "地址以户籍登记为准"}, at, e)
	assert.True(t, b.Corrections[0].Answered)
	assert.False(t, b.Corrections[0].Corrected)
	invalidField(t, applyErr(t, b, AnswerCorrection{Actor: provClerk, CorrectionID: "C1", Corrected: true}, at, e), "correction_id", "R20")

	e.Rules.CorrectionDays = 3
	c := step(t, a, FileCorrection{Actor: reqHead, Items: []string{"姓名"}, Description: "错字"}, cst(2026, 10, 23, 9, 0), e)
	assert.Equal(t, deadline.Date(2026, 10, 28), c.Corrections[1].LastDay)
}

func TestAlertsAreEmittedOnce(t *testing.T) {
	e := env()
	a := reach(t, UnderReview)
	due := a.Clock.DueAt
	soon := a.Facts(due.Add(-2*time.Hour), Rules{})
	require.Len(t, soon, 1)
	assert.Equal(t, ReplyDueSoon, soon[0].Kind)
	assert.Empty(t, a.Facts(due.Add(-25*time.Hour), Rules{}))

	facts := a.Facts(due, Rules{})
	require.Len(t, facts, 1)
	assert.Equal(t, ReplyOverdue, facts[0].Kind)
	b := step(t, a, Alert{Actor: sys, Fact: facts[0]}, due, e)
	assert.True(t, b.Emitted(facts[0]))
	invalidField(t, applyErr(t, b, Alert{Actor: sys, Fact: facts[0]}, due.Add(time.Minute), e), "fact", "")
	// A fact that does not hold cannot be recorded.
	invalidField(t, applyErr(t, a, Alert{Actor: sys, Fact: Fact{Kind: ReplyOverdue, Due: due.Add(time.Hour)}}, due, e), "fact", "")
}

func TestNoticeAcknowledgement(t *testing.T) {
	a := reach(t, UnderReview)
	require.Len(t, a.Notices, 1)
	assert.True(t, a.Notices[0].DeliveredAt.IsZero())
	b := step(t, a, AckNotice{Actor: sys, NoticeID: "N1"}, a.UpdatedAt.Add(time.Minute), env())
	assert.False(t, b.Notices[0].DeliveredAt.IsZero())
	invalidField(t, applyErr(t, b, AckNotice{Actor: sys, NoticeID: "N1"}, b.UpdatedAt.Add(time.Minute), env()), "notice_id", "R12")
	invalidField(t, applyErr(t, b, AckNotice{Actor: sys, NoticeID: "N7"}, b.UpdatedAt.Add(time.Minute), env()), "notice_id", "R12")
}

func TestAutoAgreeUnconditional(t *testing.T) {
	e := env()
	u := unconditionalUnderReview(t)
	invalidField(t, applyErr(t, u, Agree{Actor: sys}, u.UpdatedAt.Add(time.Minute), e), "actor", "")
	e.Rules.AutoAgreeUnconditional = true
	v := step(t, u, Agree{Actor: sys}, u.UpdatedAt.Add(time.Minute), e)
	assert.Equal(t, []string{"姓名"}, v.Answer.Items)
	invalidField(t, applyErr(t, u, Agree{Actor: sys, Conditions: []string{condA}}, u.UpdatedAt.Add(time.Minute), e), "items", "R10")
	// Never for conditional data.
	c := reach(t, UnderReview)
	invalidField(t, applyErr(t, c, Agree{Actor: sys}, c.UpdatedAt.Add(time.Minute), e), "actor", "")
}

func TestEntryHasCondition(t *testing.T) {
	list := " 仅限办理社会救助审核使用；不得向第三方提供\n须加密传输;每年复核 "
	for _, c := range []string{"仅限办理社会救助审核使用", "不得向第三方提供", "须加密传输", " 每年复核"} {
		assert.True(t, entryHasCondition(list, c), c)
	}
	for _, c := range []string{"", "仅限", "不得向第三方提供；须加密传输", "另加条件"} {
		assert.False(t, entryHasCondition(list, c), c)
	}
	assert.False(t, entryHasCondition("", "x"))
}

func TestEventDetails(t *testing.T) {
	a := reach(t, UnderReview)
	_, ev, err := Apply(a, Agree{Actor: provHead, Conditions: []string{condA}}, a.UpdatedAt.Add(time.Hour), env())
	require.NoError(t, err)
	items, ok := ev.Detail("items")
	require.True(t, ok)
	assert.Equal(t, []string{"姓名", "身份证号", "户籍地址"}, items)
	late, _ := ev.Detail("late")
	assert.Equal(t, false, late)
	_, ok = ev.Detail("nope")
	assert.False(t, ok)
}

// Clone keeps the answer in force and its entry in the replies the same
// answer, and shares nothing with the original.
func TestCloneKeepsAnswerIdentity(t *testing.T) {
	a := reach(t, Active)
	c := a.Clone()
	require.Same(t, c.Answer, c.Replies[len(c.Replies)-1])
	assert.NotSame(t, a.Answer, c.Answer)
	c.Answer.Items[0] = "changed"
	assert.Equal(t, "姓名", a.Answer.Items[0])
}
