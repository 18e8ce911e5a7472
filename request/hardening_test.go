package request

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11, finding 1: a department named after another's credit code is
// nobody, at the gateway and in the machine.
func TestForgedDepartmentIdentity(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "F-1")
	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	require.True(t, h.svc.Authorize(acc).Allowed)
	acc.Department = govshare.Department{Name: welfare.CreditCode}
	assert.Equal(t, NoGrant, h.svc.Authorize(acc).Reason, "a name is not a credit code")
	acc.Department = govshare.Department{Name: welfare.Name}
	assert.Equal(t, NoGrant, h.svc.Authorize(acc).Reason, "nor is the requester's own name")

	// An actor whose department is named after the provider's code cannot
	// act as the provider's head.
	forged := actor(govshare.Department{Name: police.CreditCode}, govshare.OfficeHead, "chen")
	_, _, err := h.svc.Do(ctx, "F-1", Revoke{Actor: forged, Reason: "x"})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	for _, step := range []Command{Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: elements()}, Submit{Actor: reqClerk}, Endorse{Actor: reqHead}} {
		_, _, err := h.svc.Do(ctx, "F-2", step)
		require.NoError(t, err)
	}
	for _, cmd := range []Command{Agree{Actor: forged}, Refuse{Actor: forged, Reason: OtherReason, Explanation: "x"},
		RequestExtension{Actor: forged, Days: 1, Reason: "x"}} {
		_, _, err := h.svc.Do(ctx, "F-2", cmd)
		require.ErrorIs(t, err, govshare.ErrForbidden, cmd.Name().Code())
	}
	// Nor can a department without identity create an application.
	_, _, err = h.svc.Do(ctx, "F-3", Create{Actor: actor(govshare.Department{Name: welfare.CreditCode}, govshare.Clerk, "w"),
		EntryID: publishedEntry().ID, Elements: elements()})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	a, err := h.svc.Get(ctx, "F-1")
	require.NoError(t, err)
	assert.Equal(t, Active, a.State)
	a, err = h.svc.Get(ctx, "F-2")
	require.NoError(t, err)
	assert.Equal(t, UnderReview, a.State)
}

// Issue 11, finding 3: only the configured system actor acts as the system.
func TestOnlyTheConfiguredSystemActsAsSystem(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	h.toActive(t, "Y-1")
	h.set(cst(2026, 12, 1, 0, 0))
	for _, impostor := range []govshare.Actor{
		{ID: "govshare", Role: govshare.System, Department: welfare}, // the right ID, another department
		{ID: "robot", Role: govshare.System},                         // another ID
		actor(welfare, govshare.System, "wang"),                      // the requester's clerk claiming System
		actor(police, govshare.System, "govshare"),
	} {
		_, _, err := h.svc.Do(ctx, "Y-1", Expire{Actor: impostor})
		require.ErrorIs(t, err, govshare.ErrForbidden, impostor.String())
	}
	a, _, err := h.svc.Do(ctx, "Y-1", Expire{Actor: h.svc.System()})
	require.NoError(t, err)
	assert.Equal(t, Expired, a.State)
}

// Issue 11, finding 2: instants outside 2000–2199 are refused at every
// entry point with a typed error, and never wrap.
func TestInstantsOutOfRange(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	el := elements()
	el.Period.To = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	_, _, err := h.svc.Do(ctx, "T-1", Create{Actor: reqClerk, EntryID: publishedEntry().ID, Elements: el})
	var ie *govshare.InstantError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "elements.period.to", ie.Field)
	assert.Equal(t, 422, govshare.HTTPStatus(err))

	a := reach(t, PendingApproval)
	_, _, err = Apply(a, Endorse{Actor: reqHead, ReceivedAt: time.Date(2611, 1, 1, 0, 0, 0, 0, time.UTC)}, a.UpdatedAt.Add(time.Minute), env())
	require.ErrorIs(t, err, govshare.ErrInstant)
	_, _, err = Apply(a, Endorse{Actor: reqHead}, time.Date(2611, 1, 1, 0, 0, 0, 0, time.UTC), env())
	require.ErrorIs(t, err, govshare.ErrInstant)
	ur := reach(t, UnderReview)
	_, _, err = Apply(ur, Agree{Actor: provHead, Period: UsePeriod{From: cst(2026, 10, 1, 0, 0), To: time.Date(2262, 4, 12, 0, 0, 0, 0, time.UTC)}}, ur.UpdatedAt.Add(time.Minute), env())
	require.ErrorIs(t, err, govshare.ErrInstant)

	// The gateway: mid-period plus 2^64 ns (year ~2611) is not allowed.
	h.toActive(t, "T-2")
	acc := Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
	require.True(t, h.svc.Authorize(acc).Allowed)
	acc.At = acc.At.Add(time.Duration(1<<63 - 1)).Add(time.Duration(1<<63 - 1)).Add(2)
	assert.Equal(t, 2611, acc.At.Year())
	assert.Equal(t, BadInstant, h.svc.Authorize(acc).Reason)
	acc.At = time.Time{}
	assert.False(t, h.svc.Authorize(acc).Allowed)
}

// Issue 11, finding 10: refused commands leave a failure event, bounded
// per actor so that a flood cannot fill the log.
func TestFailureEventsAreBounded(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{})
	var err error
	h.svc, err = NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}},
		WithClock(h.clock), WithFailureEvents(3, time.Minute))
	require.NoError(t, err)
	h.toActive(t, "Z-1")
	before := h.auditLen(t)
	for i := 0; i < 50; i++ {
		_, _, err := h.svc.Do(ctx, "Z-1", Revoke{Actor: stranger, Reason: fmt.Sprint(i)})
		require.ErrorIs(t, err, govshare.ErrForbidden)
	}
	assert.Equal(t, before+3, h.auditLen(t), "three per actor per minute")
	// Another actor has its own budget; a malformed one is recorded under
	// the system actor with the claimed identity in the details.
	_, _, err = h.svc.Do(ctx, "Z-1", Revoke{Actor: govshare.Actor{Name: "无名氏", Role: govshare.OfficeHead}, Reason: "x"})
	require.ErrorIs(t, err, govshare.ErrInvalid)
	assert.Equal(t, before+4, h.auditLen(t))

	// A minute later the flood's count of dropped events is reported.
	h.set(h.clock().Add(time.Minute))
	_, _, err = h.svc.Do(ctx, "Z-1", Revoke{Actor: stranger, Reason: "again"})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	var last audit.Record
	for rec, err := range h.log.Query(ctx, audit.Filter{Outcome: audit.Failure}) {
		require.NoError(t, err)
		last = rec
	}
	assert.Equal(t, "request.revoke", string(last.Event.Action))
	assert.Equal(t, "request.forbidden", last.Event.ErrorCode)
	assert.Contains(t, string(last.Event.Details), `"suppressed":47`)
	require.NoError(t, h.log.Verify(ctx))

	// Failure events off: nothing recorded.
	quiet, err := NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{}, WithClock(h.clock), WithFailureEvents(0, 0))
	require.NoError(t, err)
	n := h.auditLen(t)
	_, _, err = quiet.Do(ctx, "Z-1", Revoke{Actor: stranger, Reason: "x"})
	require.ErrorIs(t, err, govshare.ErrForbidden)
	assert.Equal(t, n, h.auditLen(t))
	_, err = NewService(ctx, h.store, h.cat, h.log, AuthoritiesByRegion{}, WithFailureEvents(-1, time.Minute))
	assert.ErrorIs(t, err, govshare.ErrInvalid)
}
