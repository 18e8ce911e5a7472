package request

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type harness struct {
	svc   *Service
	store *MemoryStore
	cat   *catalog.MemoryStore
	log   *audit.Memory
	mu    sync.Mutex
	now   time.Time
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) set(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

func (h *harness) tick() {
	h.mu.Lock()
	h.now = h.now.Add(time.Minute)
	h.mu.Unlock()
}

// publishedEntry is householdEntry with every field a catalog requires, so
// that the catalog store publishes it.
func publishedEntry() catalog.Entry {
	e := householdEntry()
	e.Status, e.Version = 0, 0
	e.Summary = "户籍人口的姓名、身份证号、户籍地址"
	e.Level = catalog.Departmental
	e.Format = catalog.FormatTable
	e.Frequency = catalog.Daily
	e.Classification = classify.Classification{Category: "public_security/person/basic", Grade: classify.General3}
	for i := range e.Items {
		e.Items[i].Column = fmt.Sprintf("c%d", i)
		e.Items[i].Type = catalog.TypeString
	}
	e.Items[1].Kind = classify.IDCard
	e.Items[3].Kind = classify.Religion
	return e
}

func newHarness(t *testing.T, rules Rules) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{now: t0}
	var err error
	h.cat, err = catalog.NewMemoryStore(catalog.WithClock(h.clock))
	require.NoError(t, err)
	e, err := h.cat.Put(ctx, publishedEntry(), 0)
	require.NoError(t, err)
	_, findings, err := h.cat.Publish(ctx, e.ID, e.Version)
	require.NoError(t, err, "%v", findings)
	h.log, err = audit.NewMemory()
	require.NoError(t, err)
	h.store = NewMemoryStore()
	h.svc, err = NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}},
		WithRules(rules), WithClock(h.clock))
	require.NoError(t, err)
	return h
}

func (h *harness) auditLen(t *testing.T) uint64 {
	n, err := h.log.Len(context.Background())
	require.NoError(t, err)
	return n
}

// successes counts the audit records of transitions (outcome success).
func (h *harness) successes(t *testing.T) uint64 {
	var n uint64
	for _, err := range h.log.Query(context.Background(), audit.Filter{Outcome: audit.Success}) {
		require.NoError(t, err)
		n++
	}
	return n
}

// toActive runs an application through the service to an active grant.
func (h *harness) toActive(t *testing.T, id string) Application {
	t.Helper()
	ctx := context.Background()
	_, _, err := h.svc.Do(ctx, id, Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	h.tick()
	_, _, err = h.svc.Do(ctx, id, Submit{Actor: reqClerk})
	require.NoError(t, err)
	h.tick()
	_, _, err = h.svc.Do(ctx, id, Endorse{Actor: reqHead})
	require.NoError(t, err)
	h.tick()
	_, _, err = h.svc.Do(ctx, id, Agree{Actor: provHead, Conditions: []string{condA}})
	require.NoError(t, err)
	h.tick()
	a, _, err := h.svc.Do(ctx, id, Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: "key-" + id}}})
	require.NoError(t, err)
	h.tick()
	return a
}

func TestServiceRecordsEveryTransition(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	a := h.toActive(t, "S-1")
	assert.Equal(t, Active, a.State)
	assert.Equal(t, int64(5), a.Version)
	assert.Equal(t, uint64(5), h.auditLen(t), "one audit record per transition")

	var actions []string
	for rec, err := range h.log.Query(ctx, audit.Filter{TargetKind: "application", TargetID: "S-1"}) {
		require.NoError(t, err)
		actions = append(actions, string(rec.Event.Action))
		assert.Equal(t, audit.Success, rec.Event.Outcome)
	}
	assert.Equal(t, []string{"request.create", "request.submit", "request.endorse", "request.agree", "request.provision"}, actions)
	require.NoError(t, h.log.Verify(ctx))

	// A refused command changes nothing; it is recorded as a failure event
	// with its error code, never as a transition (issue 11).
	_, _, err := h.svc.Do(ctx, "S-1", Submit{Actor: reqClerk})
	require.ErrorIs(t, err, ErrIllegalTransition)
	_, _, err = h.svc.Do(ctx, "S-1", Revoke{Actor: reqHead, Reason: "x"})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	assert.Equal(t, uint64(5), h.successes(t))
	assert.Equal(t, uint64(7), h.auditLen(t))
	var failures []string
	for rec, err := range h.log.Query(ctx, audit.Filter{Outcome: audit.Failure}) {
		require.NoError(t, err)
		failures = append(failures, string(rec.Event.Action)+":"+rec.Event.ErrorCode+":"+rec.Event.Actor.ID)
		assert.Equal(t, "S-1", rec.Event.Target.ID)
	}
	assert.Equal(t, []string{"request.submit:request.illegal_transition:wang", "request.revoke:request.forbidden:li"}, failures)
	got, err := h.svc.Get(ctx, "S-1")
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.Version)

	_, err = h.svc.Get(ctx, "nope")
	assert.ErrorIs(t, err, govshare.ErrNotFound)
	_, _, err = h.svc.Do(ctx, "nope", Submit{Actor: reqClerk})
	assert.ErrorIs(t, err, govshare.ErrNotFound)
}

// failingRecorder refuses every append, as a full disk or a lost database
// connection would.
type failingRecorder struct{ n atomic.Int64 }

func (f *failingRecorder) Append(context.Context, audit.Event) (audit.Record, error) {
	f.n.Add(1)
	return audit.Record{}, errors.New("audit log unavailable")
}

func TestNoTransitionWithoutItsAuditRecord(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	_, _, err := h.svc.Do(ctx, "S-2", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	fail := &failingRecorder{}
	broken, err := NewService(ctx, h.store, h.cat, fail, AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}},
		WithClock(h.clock))
	require.NoError(t, err)
	h.tick()
	_, _, err = broken.Do(ctx, "S-2", Submit{Actor: reqClerk})
	require.ErrorContains(t, err, "audit log unavailable")
	assert.Equal(t, int64(1), fail.n.Load())
	a, err := h.store.Get(ctx, "S-2")
	require.NoError(t, err)
	assert.Equal(t, Draft, a.State, "the transition was not stored")
	assert.Equal(t, int64(1), a.Version)
	_, _, err = broken.Do(ctx, "S-3", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.Error(t, err)
	_, err = h.store.Get(ctx, "S-3")
	assert.ErrorIs(t, err, govshare.ErrNotFound)
}

func TestConcurrentCommandsLoseNothing(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "S-4")
	before := h.auditLen(t)

	// 32 goroutines file corrections on one application at once: every one
	// is kept, with its own id, and recorded once.
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			_, _, err := h.svc.Do(ctx, "S-4", FileCorrection{Actor: reqClerk, Items: []string{"姓名"}, Description: fmt.Sprintf("问题%d", g)})
			errs <- err
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	a, err := h.svc.Get(ctx, "S-4")
	require.NoError(t, err)
	require.Len(t, a.Corrections, 32)
	ids := map[string]bool{}
	descs := map[string]bool{}
	for _, c := range a.Corrections {
		ids[c.ID] = true
		descs[c.Description] = true
	}
	assert.Len(t, ids, 32)
	assert.Len(t, descs, 32)
	assert.Equal(t, before+32, h.auditLen(t))
	assert.Equal(t, int64(5+32), a.Version)

	// 32 goroutines race conflicting commands on one application under
	// review: exactly one reply or withdrawal wins, the others fail with
	// a typed error, and the audit log has exactly the winners.
	_, _, err = h.svc.Do(ctx, "S-5", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "S-5", Submit{Actor: reqClerk})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "S-5", Endorse{Actor: reqHead})
	require.NoError(t, err)
	before = h.successes(t)
	var won atomic.Int64
	wg = sync.WaitGroup{}
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var err error
			switch g % 4 {
			case 0:
				_, _, err = h.svc.Do(ctx, "S-5", Agree{Actor: provHead})
			case 1:
				_, _, err = h.svc.Do(ctx, "S-5", Refuse{Actor: provHead, Reason: OtherReason, Explanation: "x"})
			case 2:
				_, _, err = h.svc.Do(ctx, "S-5", Withdraw{Actor: reqClerk, Reason: ""})
			case 3:
				_, _, err = h.svc.Do(ctx, "S-5", RequestExtension{Actor: provClerk, Days: 1, Reason: "y"})
			}
			if err == nil {
				won.Add(1)
				return
			}
			if !errors.Is(err, ErrIllegalTransition) {
				t.Errorf("unexpected error kind: %v", err)
			}
		}(g)
	}
	wg.Wait()
	a, err = h.svc.Get(ctx, "S-5")
	require.NoError(t, err)
	assert.Contains(t, []State{Approved, Refused, Withdrawn, ExtensionRequested}, a.State)
	assert.Equal(t, before+uint64(won.Load()), h.successes(t), "exactly the winners' transitions; the losers' are failure events")
	assert.Equal(t, int64(3)+won.Load(), a.Version)
	if a.State == ExtensionRequested {
		assert.GreaterOrEqual(t, won.Load(), int64(1))
	} else {
		assert.LessOrEqual(t, won.Load(), int64(2), "at most an extension request and one final answer")
	}
	require.NoError(t, h.log.Verify(ctx))
}

func TestServiceExtensionNotice(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	_, _, err := h.svc.Do(ctx, "S-6", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "S-6", Submit{Actor: reqClerk})
	require.NoError(t, err)
	a, _, err := h.svc.Do(ctx, "S-6", Endorse{Actor: reqHead})
	require.NoError(t, err)
	assert.Equal(t, "2026-10-19", a.Clock.LastDay.Format("2006-01-02"))
	h.set(cst(2026, 10, 12, 9, 0))
	_, _, err = h.svc.Do(ctx, "S-6", RequestExtension{Actor: provClerk, Days: 5, Reason: "需跨库核对"})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "S-6", DecideExtension{Actor: provHead, Decision: Granted})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	a, _, err = h.svc.Do(ctx, "S-6", DecideExtension{Actor: auth, Decision: Granted, Comment: "同意延期"})
	require.NoError(t, err)
	assert.Equal(t, "2026-10-26", a.Clock.LastDay.Format("2006-01-02"))
	require.Len(t, a.Notices, 1)
	a, _, err = h.svc.Do(ctx, "S-6", AckNotice{Actor: h.svc.System(), NoticeID: "N1"})
	require.NoError(t, err)
	assert.False(t, a.Notices[0].DeliveredAt.IsZero())

	// A provider without a known authority cannot get extensions decided.
	noAuth, err := NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{}, WithClock(h.clock))
	require.NoError(t, err)
	_, _, err = noAuth.Do(ctx, "S-6", RequestExtension{Actor: provClerk, Days: 1, Reason: "z"})
	require.NoError(t, err)
	_, _, err = noAuth.Do(ctx, "S-6", DecideExtension{Actor: auth, Decision: Granted})
	require.ErrorIs(t, err, govshare.ErrForbidden)
}

func TestAuthorize(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "S-7")
	ok := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名", "身份证号"},
		Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	d := h.svc.Authorize(ok)
	assert.True(t, d.Allowed)
	assert.Equal(t, "S-7", d.AppID)

	deny := func(mod func(*Access), want DenyReason) {
		t.Helper()
		acc := ok
		acc.Items = append([]string(nil), ok.Items...)
		mod(&acc)
		d := h.svc.Authorize(acc)
		assert.False(t, d.Allowed)
		assert.Equal(t, want, d.Reason, want.Code())
	}
	deny(func(a *Access) { a.Department = outsider }, NoGrant)
	deny(func(a *Access) { a.EntryID = "101001/000099" }, NoGrant)
	deny(func(a *Access) { a.Items = []string{"宗教信仰"} }, ItemNotGranted)
	deny(func(a *Access) { a.Items = nil }, ItemNotGranted)
	deny(func(a *Access) { a.Method = govshare.BatchExchange }, WrongMethod)
	deny(func(a *Access) { a.Scenario = "招商引资" }, WrongScenario)
	deny(func(a *Access) { a.At = cst(2026, 12, 1, 0, 0) }, GrantExpired)
	deny(func(a *Access) { a.At = cst(2026, 8, 31, 23, 59) }, NotYetValid)

	// Recorded decisions: an allow and a denial, with the reason code.
	n := h.auditLen(t)
	_, err := h.svc.AuthorizeRecorded(ctx, ok, actor(welfare, govshare.Clerk, "gateway-user"))
	require.NoError(t, err)
	bad := ok
	bad.Method = govshare.FileDownload
	d, err = h.svc.AuthorizeRecorded(ctx, bad, actor(welfare, govshare.Clerk, "gateway-user"))
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Equal(t, n+2, h.auditLen(t))
	var codes []string
	for rec, err := range h.log.Query(ctx, audit.Filter{Action: "grant.access"}) {
		require.NoError(t, err)
		codes = append(codes, rec.Event.Outcome.String()+":"+rec.Event.ErrorCode)
	}
	assert.Equal(t, []string{"成功:", "失败:wrong_method"}, codes)

	// Revoked: denied with the reason, and a restarted service knows it.
	_, _, err = h.svc.Do(ctx, "S-7", Revoke{Actor: auth, Reason: "向第三方提供"})
	require.NoError(t, err)
	deny(func(*Access) {}, GrantRevoked)
	again, err := NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}},
		WithClock(h.clock))
	require.NoError(t, err)
	assert.Equal(t, GrantRevoked, again.Authorize(ok).Reason)
}

func TestObjectionKeepsTheGrantLive(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "S-8")
	_, _, err := h.svc.Do(ctx, "S-8", Object{Actor: reqHead, Ground: AgainstConditions, Statement: "条件不合理"})
	require.NoError(t, err)
	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	assert.True(t, h.svc.Authorize(acc).Allowed, "the approval stands while the objection is coordinated")
	a, _, err := h.svc.Do(ctx, "S-8", Overturn{Actor: auth, Items: []string{"姓名"}})
	require.NoError(t, err)
	assert.Equal(t, Approved, a.State)
	assert.Equal(t, NoGrant, h.svc.Authorize(acc).Reason, "re-approved: no grant until provided again")
	_, _, err = h.svc.Do(ctx, "S-8", Submit{Actor: auth})
	assert.ErrorIs(t, err, ErrIllegalTransition)
	assert.ErrorIs(t, err, govshare.ErrConflict)
}

func TestSweepEmitsEachFactOnce(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{Reminders: []time.Duration{24 * time.Hour}})
	for _, id := range []string{"W-1", "W-2"} {
		_, _, err := h.svc.Do(ctx, id, Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
		require.NoError(t, err)
		_, _, err = h.svc.Do(ctx, id, Submit{Actor: reqClerk})
		require.NoError(t, err)
		_, _, err = h.svc.Do(ctx, id, Endorse{Actor: reqHead})
		require.NoError(t, err)
	}
	// W-2 asks for an extension the authority never decides.
	h.set(cst(2026, 10, 19, 9, 0))
	_, _, err := h.svc.Do(ctx, "W-2", RequestExtension{Actor: provClerk, Days: 2, Reason: "数据量大"})
	require.NoError(t, err)
	h.toActive(t, "W-3") // correction-free active grant ending 2026-12-01

	// The day before the due instant: reminders for W-1 and W-2.
	res, err := h.svc.Sweep(ctx, cst(2026, 10, 19, 10, 0))
	require.NoError(t, err)
	assert.Empty(t, res.Overdue)
	require.Len(t, res.DueSoon, 2)
	assert.Equal(t, ReplyDueSoon, res.DueSoon[0].Kind)
	again, err := h.svc.Sweep(ctx, cst(2026, 10, 19, 10, 0))
	require.NoError(t, err)
	assert.Empty(t, again.DueSoon, "idempotent")

	// At the due instant: W-1's reply and W-2's reply and extension decision are overdue.
	n := h.auditLen(t)
	res, err = h.svc.Sweep(ctx, cst(2026, 10, 20, 0, 0))
	require.NoError(t, err)
	kinds := map[string]FactKind{}
	for _, f := range res.Overdue {
		kinds[f.AppID+"/"+f.Kind.Code()] = f.Kind
	}
	assert.Len(t, res.Overdue, 3)
	assert.Contains(t, kinds, "W-1/reply_overdue")
	assert.Contains(t, kinds, "W-2/reply_overdue")
	assert.Contains(t, kinds, "W-2/decision_overdue")
	assert.Equal(t, n+3, h.auditLen(t), "each fact recorded once")
	res, err = h.svc.Sweep(ctx, cst(2026, 10, 21, 0, 0))
	require.NoError(t, err)
	assert.Empty(t, res.Overdue, "overdue facts are emitted once")

	// The grant expires at the end of its period.
	res, err = h.svc.Sweep(ctx, cst(2026, 12, 1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []string{"W-3"}, res.Expired)
	a, err := h.svc.Get(ctx, "W-3")
	require.NoError(t, err)
	assert.Equal(t, Expired, a.State)
	assert.Empty(t, res.Failed)
}

func TestReportPerDepartment(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	start := func(id string) {
		_, _, err := h.svc.Do(ctx, id, Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
		require.NoError(t, err)
		_, _, err = h.svc.Do(ctx, id, Submit{Actor: reqClerk})
		require.NoError(t, err)
		_, _, err = h.svc.Do(ctx, id, Endorse{Actor: reqHead})
		require.NoError(t, err)
	}
	for _, id := range []string{"R-1", "R-2", "R-3", "R-4", "R-5"} {
		start(id)
	}
	h.set(cst(2026, 10, 9, 10, 0)) // 3 working days after receipt
	_, _, err := h.svc.Do(ctx, "R-1", Agree{Actor: provHead})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "R-2", Agree{Actor: provHead, Items: []string{"姓名"}, Refused: []RefusedItem{{"身份证号", "敏感"}, {"户籍地址", "治理中"}}})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "R-3", Refuse{Actor: provHead, Reason: BeyondDuties, Explanation: "非履职需要"})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "R-4", RequestExtension{Actor: provClerk, Days: 2, Reason: "核对"})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "R-4", DecideExtension{Actor: auth, Decision: Granted})
	require.NoError(t, err)
	h.set(cst(2026, 10, 23, 10, 0)) // after the due instant of 10-19 24:00
	_, _, err = h.svc.Do(ctx, "R-5", Refuse{Actor: provHead, Reason: BeyondDuties, Explanation: "逾期仍不同意"})
	require.NoError(t, err)

	rep, err := h.svc.Report(ctx, cst(2026, 9, 1, 0, 0), cst(2026, 11, 1, 0, 0))
	require.NoError(t, err)
	require.Len(t, rep.Providers, 1)
	p := rep.Providers[0]
	assert.Equal(t, police, p.Department)
	assert.Equal(t, 5, p.Received)
	assert.Equal(t, 4, p.Answered)
	assert.Equal(t, 3, p.OnTime)
	assert.Equal(t, 1, p.Late)
	assert.Equal(t, 1, p.Unanswered)
	assert.Equal(t, 1, p.Overdue, "R-4's extended due (10-21 24:00) passed before 11-01")
	assert.Equal(t, 1, p.ExtensionsRequested)
	assert.Equal(t, 1, p.ExtensionsGranted)
	assert.Equal(t, 1, p.Agreed)
	assert.Equal(t, 1, p.PartlyAgreed)
	assert.Equal(t, 2, p.Refused)
	assert.Equal(t, []ReasonCount{{BeyondDuties, 2}}, p.RefusalsByReason)
	// 3 answers after 3 working days (09-30, 10-08, 10-09) and one after 14
	// (those, the 调休 Saturday 10-10, 10-12…10-16, 10-19…10-23).
	assert.InDelta(t, (3.0+3+3+14)/4, p.AverageWorkdays, 1e-9)
	require.Len(t, rep.Requesters, 1)
	assert.Equal(t, 5, rep.Requesters[0].Submitted)
	assert.Equal(t, 2, rep.Requesters[0].Refused)
	assert.Equal(t, 0, rep.Requesters[0].ActiveGrants)

	empty, err := h.svc.Report(ctx, cst(2025, 1, 1, 0, 0), cst(2025, 2, 1, 0, 0))
	require.NoError(t, err)
	assert.Empty(t, empty.Providers)
}

func TestRenewAndAutoAgree(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{AutoAgreeUnconditional: true})
	h.toActive(t, "N-1")
	period := UsePeriod{From: cst(2026, 12, 1, 0, 0), To: cst(2027, 12, 1, 0, 0)}
	_, _, err := h.svc.Do(ctx, "N-2", Renew{Actor: provClerk, Of: "N-1", Period: period})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	r, _, err := h.svc.Do(ctx, "N-2", Renew{Actor: reqClerk, Of: "N-1", Period: period})
	require.NoError(t, err)
	assert.Equal(t, Draft, r.State)
	assert.Equal(t, "N-1", r.RenewalOf)
	assert.Equal(t, period, r.Elements.Period)

	el := elements()
	el.Items = []string{"姓名"}
	_, _, err = h.svc.Do(ctx, "N-3", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: el})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "N-3", Submit{Actor: reqClerk})
	require.NoError(t, err)
	a, _, err := h.svc.Do(ctx, "N-3", Endorse{Actor: reqHead})
	require.NoError(t, err)
	assert.Equal(t, Approved, a.State, "answered automatically on receipt")
	assert.Equal(t, govshare.System, a.Answer.By.Role)
}

func TestServiceConfigAndCatalogErrors(t *testing.T) {
	ctx := context.Background()
	_, err := NewService(ctx, nil, nil, nil, nil)
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	h := newHarness(t, Rules{})
	_, err = NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{},
		WithSystem(govshare.Actor{ID: "x", Role: govshare.Clerk}))
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	for _, bad := range []Option{WithClock(nil), WithCalendar(nil), WithMaxRetries(-1),
		WithRules(Rules{CloseOfBusiness: 25 * time.Hour}), WithRules(Rules{Reminders: []time.Duration{-time.Hour}})} {
		_, err = NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{}, bad)
		assert.ErrorIs(t, err, govshare.ErrInvalid)
	}
	// The store is read under the caller's context.
	done, cancel := context.WithCancel(ctx)
	cancel()
	_, err = NewService(done, h.store, h.cat, h.log, AuthoritiesByRegion{})
	assert.ErrorIs(t, err, context.Canceled)

	_, _, err = h.svc.Do(ctx, "C-1", Create{Actor: reqClerk, EntryID: "101001/999999", Elements: elements()})
	assert.ErrorIs(t, err, govshare.ErrNotFound)
	_, _, err = h.svc.Do(ctx, "C-2", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "C-2", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	assert.ErrorIs(t, err, govshare.ErrConflict, "ids are unique")
	_, _, err = h.svc.Do(ctx, "C-2", Submit{Actor: reqClerk})
	require.NoError(t, err)

	// The entry is withdrawn before the head approves.
	e, err := h.cat.Get(ctx, publishedEntry().ID)
	require.NoError(t, err)
	_, err = h.cat.Withdraw(ctx, e.ID, e.Version)
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "C-2", Endorse{Actor: reqHead})
	assert.ErrorIs(t, err, ErrNotPublished)

	_, _, err = h.svc.Do(ctx, "C-2", Create{})
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	_, _, err = h.svc.Do(ctx, "C-2", Submit{})
	assert.ErrorIs(t, err, govshare.ErrInvalid)
}

// A sweep at an instant before an application's last transition (a
// sweeper whose clock is behind) reports the failure instead of passing
// over the fact.
func TestSweepReportsClockSkew(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	_, _, err := h.svc.Do(ctx, "K-1", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "K-1", Submit{Actor: reqClerk})
	require.NoError(t, err)
	a, _, err := h.svc.Do(ctx, "K-1", Endorse{Actor: reqHead})
	require.NoError(t, err)
	due := a.Clock.DueAt
	h.set(due.Add(-30 * time.Minute))
	_, _, err = h.svc.Do(ctx, "K-1", RequestExtension{Actor: provClerk, Days: 1, Reason: "最后核对"})
	require.NoError(t, err)

	res, err := h.svc.Sweep(ctx, due.Add(-time.Hour))
	require.NoError(t, err)
	assert.Empty(t, res.DueSoon)
	require.Len(t, res.Failed, 1)
	var ie *InvalidError
	require.ErrorAs(t, res.Failed[0], &ie)
	assert.Equal(t, "at", ie.Field)

	res, err = h.svc.Sweep(ctx, due.Add(-10*time.Minute))
	require.NoError(t, err)
	assert.Len(t, res.DueSoon, 1)
	assert.Empty(t, res.Failed)
}
