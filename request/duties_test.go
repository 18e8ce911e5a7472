package request

import (
	"context"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R22: the requester closes a grant early when its purpose is achieved;
// the grant ends at once, with the statement of what became of the data.
func TestCloseWhenPurposeAchieved(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "C-1")
	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	require.True(t, h.svc.Authorize(acc).Allowed)

	_, _, err := h.svc.Do(ctx, "C-1", Close{Actor: reqHead})
	require.ErrorIs(t, err, govshare.ErrInvalid, "a statement is required")
	_, _, err = h.svc.Do(ctx, "C-1", Close{Actor: provHead, Statement: "x"})
	require.ErrorIs(t, err, govshare.ErrForbidden, "only the requester closes")
	h.set(cst(2026, 10, 10, 9, 0))
	a, _, err := h.svc.Do(ctx, "C-1", Close{Actor: reqHead, Statement: "审核工作已完成，所获数据已于当日删除"})
	require.NoError(t, err)
	assert.Equal(t, Closed, a.State)
	assert.True(t, a.State.Final())
	assert.Equal(t, "审核工作已完成，所获数据已于当日删除", a.Closing.Text)
	d := h.svc.Authorize(acc)
	assert.False(t, d.Allowed)
	assert.Equal(t, GrantClosed, d.Reason)
	assert.True(t, a.NextDue().IsZero(), "nothing runs after the close")
}

// R23: a provider that must end or change a service gives notice to every
// requester with a live grant, at least the notice period ahead; the
// grants end or change at the announced instant.
func TestAnnouncedEndAndChangeOfService(t *testing.T) {
	ctx := context.Background()
	// The notice period is a policy default (30 days); this host asks 10.
	act := reach(t, Active)
	_, _, err := Apply(act, AnnounceChange{Actor: provHead, Change: EndService, EffectiveAt: act.UpdatedAt.Add(20 * 24 * time.Hour), Statement: "x"},
		act.UpdatedAt.Add(time.Minute), env())
	var ie *InvalidError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "effective_at", ie.Field)
	assert.True(t, ie.Citation.PolicyDefault)

	h := newHarness(t, Rules{ChangeNotice: 10 * 24 * time.Hour})
	h.toActive(t, "A-1")
	h.toActive(t, "A-2")
	h.set(cst(2026, 10, 10, 9, 0))
	// Too short a notice is refused, for every grant.
	_, failed, err := h.svc.Announce(ctx, publishedEntry().ID, AnnounceChange{Actor: provHead, Change: EndService,
		EffectiveAt: cst(2026, 10, 15, 0, 0), Statement: "数据库迁移"})
	require.NoError(t, err)
	require.Len(t, failed, 2)
	assert.ErrorIs(t, failed[0], govshare.ErrInvalid)

	notified, failed, err := h.svc.Announce(ctx, publishedEntry().ID, AnnounceChange{Actor: provHead, Change: ChangeService,
		Method: govshare.BatchExchange, EffectiveAt: cst(2026, 11, 10, 0, 0), Statement: "接口服务停止，改为批量交换"})
	require.NoError(t, err)
	assert.Empty(t, failed)
	assert.Equal(t, []string{"A-1", "A-2"}, notified)
	a, err := h.svc.Get(ctx, "A-1")
	require.NoError(t, err)
	n := a.Notices[len(a.Notices)-1]
	assert.Equal(t, welfare, n.To)
	assert.Equal(t, "R23", n.Rule)
	assert.Contains(t, n.Message, "2026年11月10日00:00变更")
	assert.Equal(t, cst(2026, 11, 10, 0, 0), a.NextDue())

	// A second announcement before the first takes effect is refused.
	_, _, err = h.svc.Do(ctx, "A-2", AnnounceChange{Actor: provHead, Change: EndService, EffectiveAt: cst(2026, 11, 30, 0, 0), Statement: "x"})
	require.ErrorIs(t, err, govshare.ErrInvalid)

	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 11, 9, 23, 0)}
	require.True(t, h.svc.Authorize(acc).Allowed, "the old method until the instant")
	res, err := h.svc.Sweep(ctx, cst(2026, 11, 10, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []string{"A-1", "A-2"}, res.Changed)
	acc.At = cst(2026, 11, 10, 1, 0)
	assert.Equal(t, WrongMethod, h.svc.Authorize(acc).Reason)
	acc.Method = govshare.BatchExchange
	assert.True(t, h.svc.Authorize(acc).Allowed)
	a, err = h.svc.Get(ctx, "A-1")
	require.NoError(t, err)
	assert.Equal(t, Active, a.State)
	assert.Equal(t, govshare.ServiceAPI, a.Replies[0].Method, "the answer given is kept as it was")

	// An announced end discontinues the grants at its instant.
	h.set(cst(2026, 11, 10, 9, 0))
	_, failed, err = h.svc.Announce(ctx, publishedEntry().ID, AnnounceChange{Actor: provHead, Change: EndService,
		EffectiveAt: cst(2026, 11, 30, 0, 0), Statement: "该数据不再归本部门管理"})
	require.NoError(t, err)
	assert.Empty(t, failed)
	res, err = h.svc.Sweep(ctx, cst(2026, 11, 30, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []string{"A-1", "A-2"}, res.Changed)
	a, err = h.svc.Get(ctx, "A-2")
	require.NoError(t, err)
	assert.Equal(t, Discontinued, a.State)
	acc.At = cst(2026, 11, 30, 1, 0)
	assert.Equal(t, ServiceEnded, h.svc.Authorize(acc).Reason)
}

// R24: the recorded gateway decisions can be listed per requesting
// department and grant, for supervision.
func TestAccessRecordsPerRequesterAndGrant(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "R-1")
	reader := actor(welfare, govshare.Clerk, "gw-1")
	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	for i := 0; i < 3; i++ {
		acc.At = acc.At.Add(time.Hour)
		_, err := h.svc.AuthorizeRecorded(ctx, acc, reader)
		require.NoError(t, err)
	}
	bad := acc
	bad.Scenario = "招商引资"
	_, err := h.svc.AuthorizeRecorded(ctx, bad, reader)
	require.NoError(t, err)
	// Another department's access is not in welfare's records.
	_, err = h.svc.AuthorizeRecorded(ctx, Access{Department: outsider, EntryID: publishedEntry().ID, Items: []string{"姓名"},
		Method: govshare.ServiceAPI, At: acc.At}, actor(outsider, govshare.Clerk, "gw-2"))
	require.NoError(t, err)

	recs, err := AccessRecords(ctx, h.log, AccessQuery{Requester: welfare})
	require.NoError(t, err)
	require.Len(t, recs, 4)
	assert.True(t, recs[0].Allowed)
	assert.Equal(t, "R-1", recs[0].AppID)
	assert.Equal(t, []string{"姓名"}, recs[0].Items)
	assert.False(t, recs[3].Allowed)
	assert.Equal(t, WrongScenario, recs[3].Reason)
	one, err := AccessRecords(ctx, h.log, AccessQuery{Requester: welfare, AppID: "R-1", From: cst(2026, 10, 10, 11, 30)})
	require.NoError(t, err)
	assert.Len(t, one, 3)
	for _, r := range one {
		assert.NotZero(t, r.Seq)
	}
	_, err = AccessRecords(ctx, h.log, AccessQuery{Requester: govshare.Department{Name: welfare.Name}})
	require.ErrorIs(t, err, govshare.ErrInvalid, "a name is not a department's identity")
	var _ audit.Log = h.log
}
