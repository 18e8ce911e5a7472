package request

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// load2027 reads the complete 2027 test schedule (test data, not an
// official notice, and not embedded).
func load2027(t *testing.T) *deadline.Schedule {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schedule-2027-test.json"))
	require.NoError(t, err)
	defer f.Close()
	s, err := deadline.LoadSchedule(f)
	require.NoError(t, err)
	return s
}

// toReview runs an application to 待答复 with the harness's clock at the
// instants given for create, submit and endorse.
func (h *harness) toReview(t *testing.T, id string, at time.Time) Application {
	t.Helper()
	ctx := context.Background()
	h.set(at)
	for _, cmd := range []Command{Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: lateElements()}, Submit{Actor: reqClerk}} {
		_, _, err := h.svc.Do(ctx, id, cmd)
		require.NoError(t, err)
	}
	a, _, err := h.svc.Do(ctx, id, Endorse{Actor: reqHead})
	require.NoError(t, err)
	return a
}

// lateElements asks for use until mid-2027.
func lateElements() Elements {
	el := elements()
	el.Period = UsePeriod{From: cst(2026, 12, 1, 0, 0), To: cst(2027, 6, 30, 0, 0)}
	return el
}

// Issue 12: a receipt on 2026-12-18 whose 10 working days reach into 2027,
// while 2027 has no schedule, is recorded; its deadline is pending, swept
// once as a fact naming the year, and computed when the year is loaded
// into the running Service.
func TestPendingReceiptThenLoadedYear(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	a := h.toReview(t, "P-1", cst(2026, 12, 18, 10, 0))
	assert.Equal(t, UnderReview, a.State, "the receipt is recorded")
	require.NotNil(t, a.Clock)
	assert.True(t, a.ReceivedAt.Equal(cst(2026, 12, 18, 10, 0)))
	assert.Equal(t, 2027, a.Clock.Pending)
	assert.True(t, a.Clock.DueAt.IsZero())
	zh, en := a.Clock.Note()
	assert.Equal(t, "期限待定：2027年放假安排尚未载入", zh)
	assert.Equal(t, "pending: no schedule for 2027", en)
	var endorse audit.Record
	for rec, err := range h.log.Query(ctx, audit.Filter{Action: "request.endorse"}) {
		require.NoError(t, err)
		endorse = rec
	}
	assert.Contains(t, string(endorse.Event.Details), `"due_at_pending_year":2027`)

	// The sweep reports the pending deadline once, naming the year.
	res, err := h.svc.Sweep(ctx, cst(2026, 12, 18, 11, 0))
	require.NoError(t, err)
	require.Len(t, res.Pending, 1)
	assert.Equal(t, 2027, res.Pending[0].Year)
	assert.Equal(t, "reply", res.Pending[0].Ref)
	res, err = h.svc.Sweep(ctx, cst(2026, 12, 19, 11, 0))
	require.NoError(t, err)
	assert.Empty(t, res.Pending, "once")

	// The reply is not overdue while its due day is pending: an objection
	// to delay is refused.
	h.set(cst(2026, 12, 21, 9, 0))
	_, _, err = h.svc.Do(ctx, "P-1", Object{Actor: reqHead, Ground: AgainstDelay, Statement: "太慢"})
	require.ErrorIs(t, err, govshare.ErrInvalid)

	// An answer while the year is unknown is pending too: never 0 days.
	h.toReview(t, "P-2", cst(2026, 12, 18, 10, 0))
	h.set(cst(2026, 12, 22, 10, 0))
	b, _, err := h.svc.Do(ctx, "P-2", Agree{Actor: provHead})
	require.NoError(t, err)
	assert.Equal(t, 2027, b.Answer.Pending)
	rep, err := h.svc.Report(ctx, cst(2026, 12, 1, 0, 0), cst(2027, 1, 1, 0, 0))
	require.NoError(t, err)
	require.Len(t, rep.Providers, 1)
	p := rep.Providers[0]
	assert.Equal(t, 2, p.Received)
	assert.Equal(t, 1, p.Answered)
	assert.Equal(t, 1, p.PendingWorkdays)
	assert.Equal(t, 0, p.OnTime+p.Late, "neither on time nor late yet")
	assert.Equal(t, 0.0, p.AverageWorkdays)
	assert.Equal(t, 1, p.PendingDeadlines)
	assert.Equal(t, 0, p.Overdue)

	// 2027 is loaded into the running Service: both are settled, audited.
	h.set(cst(2026, 12, 28, 9, 0))
	lr, err := h.svc.LoadSchedules(ctx, load2027(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"P-1", "P-2"}, lr.Settled)
	assert.Empty(t, lr.Failed)
	assert.Equal(t, 2027, lr.Last)
	a, err = h.svc.Get(ctx, "P-1")
	require.NoError(t, err)
	assert.Zero(t, a.Clock.Pending)
	// 12-21…12-25, 12-28…12-31 (9 days), 2027-01-01…03 off, 01-04 the 10th.
	assert.Equal(t, deadline.Date(2027, 1, 4), a.Clock.LastDay)
	assert.True(t, a.Clock.DueAt.Equal(cst(2027, 1, 5, 0, 0)))
	b, err = h.svc.Get(ctx, "P-2")
	require.NoError(t, err)
	assert.Zero(t, b.Answer.Pending)
	assert.Equal(t, 2, b.Answer.Workdays) // 12-21, 12-22
	assert.False(t, b.Answer.Late)
	var settled []string
	for rec, err := range h.log.Query(ctx, audit.Filter{Action: "request.settle_deadline"}) {
		require.NoError(t, err)
		settled = append(settled, rec.Event.Target.ID)
	}
	assert.Equal(t, []string{"P-1", "P-2"}, settled)
	require.NoError(t, h.log.Verify(ctx))

	rep, err = h.svc.Report(ctx, cst(2026, 12, 1, 0, 0), cst(2027, 1, 1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Providers[0].OnTime)
	assert.Equal(t, 2.0, rep.Providers[0].AverageWorkdays)

	// Loading the same year again changes nothing and is refused.
	_, err = h.svc.LoadSchedules(ctx, load2027(t))
	require.Error(t, err)
}

// A host that prefers today's strict refusal can choose it.
func TestStrictCalendarRefuses(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{StrictCalendar: true})
	h.set(cst(2026, 12, 18, 10, 0))
	for _, cmd := range []Command{Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: lateElements()}, Submit{Actor: reqClerk}} {
		_, _, err := h.svc.Do(ctx, "S-1", cmd)
		require.NoError(t, err)
	}
	_, _, err := h.svc.Do(ctx, "S-1", Endorse{Actor: reqHead})
	require.ErrorIs(t, err, deadline.ErrUnknownYear)
	assert.Equal(t, 503, govshare.HTTPStatus(err))
	a, err := h.svc.Get(ctx, "S-1")
	require.NoError(t, err)
	assert.Equal(t, PendingApproval, a.State)
}

// Loading a year while 32 goroutines run commands: no race, and every
// pending deadline is computed exactly once.
func TestLoadWhileCommandsRun(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	const n = 32
	for i := 0; i < n; i++ {
		h.toReview(t, "L-"+string(rune('A'+i)), cst(2026, 12, 18, 10, 0))
	}
	h.set(cst(2026, 12, 21, 9, 0))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := "L-" + string(rune('A'+i))
			var err error
			if i%2 == 0 {
				_, _, err = h.svc.Do(ctx, id, RequestExtension{Actor: provClerk, Days: 2, Reason: "核对"})
			} else {
				_, _, err = h.svc.Do(ctx, id, FileCorrection{Actor: reqClerk, Items: []string{"姓名"}, Description: "x"})
				if errors.Is(err, ErrIllegalTransition) {
					err = nil
				}
			}
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	_, err := h.svc.LoadSchedules(ctx, load2027(t))
	require.NoError(t, err)
	wg.Wait()
	// Whatever the load missed while it raced, the next sweep settles.
	_, err = h.svc.Sweep(ctx, cst(2026, 12, 21, 10, 0))
	require.NoError(t, err)
	count := map[string]int{}
	for rec, err := range h.log.Query(ctx, audit.Filter{Action: "request.settle_deadline"}) {
		require.NoError(t, err)
		count[rec.Event.Target.ID]++
	}
	for i := 0; i < n; i++ {
		id := "L-" + string(rune('A'+i))
		a, err := h.svc.Get(ctx, id)
		require.NoError(t, err)
		require.NotNil(t, a.Clock)
		assert.Zero(t, a.Clock.Pending, id)
		assert.Equal(t, 1, count[id], "%s settled once", id)
	}
	require.NoError(t, h.log.Verify(ctx))
}

// Same level means same level (R2, R12): no fallback to another level or
// region.
func TestAuthoritiesSameLevel(t *testing.T) {
	ctx := context.Background()
	national := govshare.Department{Name: "国家数据局", CreditCode: "11100000MB0000000X"}
	zhejiang := govshare.Department{Name: "浙江省数据局", CreditCode: "11330000MB0000000X"}
	hangzhou := govshare.Department{Name: "杭州市数据资源管理局", CreditCode: "11330100MB1234567E"}
	xihu := govshare.Department{Name: "西湖区数据资源管理局", CreditCode: "11330106MB0000000X"}
	table := AuthoritiesByRegion{National: national, Regions: map[string]govshare.Department{"330000": zhejiang, "330100": hangzhou, "330106": xihu}}
	cases := []struct {
		provider govshare.Department
		want     govshare.Department
	}{
		{govshare.Department{Name: "公安部", Level: govshare.National, CreditCode: "11100000000013127D"}, national},
		{govshare.Department{Name: "浙江省公安厅", RegionCode: "330000", Level: govshare.Provincial}, zhejiang},
		{govshare.Department{Name: "杭州市公安局", RegionCode: "330100", Level: govshare.City}, hangzhou},
		{govshare.Department{Name: "杭州市公安局西湖区分局", RegionCode: "330106", Level: govshare.County}, xihu},
	}
	for _, c := range cases {
		got, err := table.AuthorityFor(ctx, c.provider)
		require.NoError(t, err, c.provider.Name)
		assert.Equal(t, c.want, got, c.provider.Name)
	}
	// Only the province is mapped: a city provider has no authority; the
	// provincial department is not competent for it.
	onlyProvince := AuthoritiesByRegion{Regions: map[string]govshare.Department{"330000": zhejiang}}
	for _, p := range []govshare.Department{
		{Name: "杭州市公安局", RegionCode: "330100", Level: govshare.City},
		{Name: "余杭区公安分局", RegionCode: "330110", Level: govshare.County},
		{Name: "公安部", Level: govshare.National},
		{Name: "代码不符的市局", RegionCode: "330000", Level: govshare.City},
		{Name: "代码无效", RegionCode: "99", Level: govshare.City},
	} {
		_, err := onlyProvince.AuthorityFor(ctx, p)
		require.ErrorIs(t, err, ErrNoAuthority, p.Name)
		var ne *NoAuthorityError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, p.RegionCode, ne.Provider.RegionCode)
		m := govshare.MessageOf(err)
		assert.Contains(t, m.Zh, p.Name)
		assert.Contains(t, m.En, "level")
		assert.Equal(t, 503, govshare.HTTPStatus(err))
	}
}
