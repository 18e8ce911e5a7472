package request

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SweepAt drops a watch whose overdue fact was emitted for its current due
// instant, and brings it back when a transition moves the instant.
func TestSweepAtSkipsEmittedFacts(t *testing.T) {
	a := reach(t, UnderReview)
	due := a.Clock.DueAt
	require.Equal(t, due, a.SweepAt())
	require.Equal(t, a.NextDue(), a.SweepAt())

	// A reminder emitted changes nothing: the overdue fact is still to come.
	soon := Fact{Kind: ReplyDueSoon, AppID: a.ID, Due: due, Lead: 24 * time.Hour}
	a.Alerts = append(a.Alerts, soon.Key())
	assert.Equal(t, due, a.SweepAt())

	over := Fact{Kind: ReplyOverdue, AppID: a.ID, Due: due}
	require.False(t, a.Emitted(over))
	a.Alerts = append(a.Alerts, over.Key())
	require.True(t, a.Emitted(over))
	assert.True(t, a.SweepAt().IsZero(), "nothing more to come")
	assert.Equal(t, due, a.NextDue(), "NextDue does not look at the facts")

	// A later due instant (an extension) is a new fact.
	c := *a.Clock
	c.DueAt = due.Add(48 * time.Hour)
	a.Clock = &c
	assert.Equal(t, c.DueAt, a.SweepAt())

	// A pending deadline is due at once, emitted or not.
	c.Pending = 2099
	assert.Equal(t, a.UpdatedAt, a.SweepAt())
	assert.True(t, reach(t, Withdrawn).SweepAt().IsZero())
}

// The memory store's Due returns exactly the applications whose SweepAt
// has come, through random saves that move instants up, down, to never and
// back.
func TestMemoryStoreDueMatchesScan(t *testing.T) {
	ctx := context.Background()
	base := reach(t, UnderReview)
	done := reach(t, Withdrawn)
	due0 := base.Clock.DueAt
	r := rand.New(rand.NewPCG(16, 6))
	m := NewMemoryStore()
	versions := map[string]int64{}
	for step := 0; step < 3000; step++ {
		id := fmt.Sprintf("D%d", r.IntN(400))
		var a Application
		switch r.IntN(4) {
		case 0:
			a = done.Clone()
		default:
			a = base.Clone()
			c := *a.Clock
			c.DueAt = due0.Add(time.Duration(r.IntN(200)) * time.Hour)
			a.Clock = &c
			if r.IntN(3) == 0 {
				a.Alerts = append(a.Alerts, Fact{Kind: ReplyOverdue, Due: c.DueAt}.Key())
			}
		}
		a.ID = id
		saved, err := m.Save(ctx, a, versions[id], nil)
		require.NoError(t, err)
		versions[id] = saved.Version
		if step%100 != 99 {
			continue
		}
		until := due0.Add(time.Duration(r.IntN(220)-10) * time.Hour)
		var got, want []string
		require.NoError(t, m.Due(ctx, until, func(a Application) bool { got = append(got, a.ID); return true }))
		require.NoError(t, m.All(ctx, func(a Application) bool {
			if at := a.SweepAt(); !at.IsZero() && !at.After(until) {
				want = append(want, a.ID)
			}
			return true
		}))
		slices.Sort(got)
		slices.Sort(want)
		require.Equal(t, want, got, "step %d until %v", step, until)
	}
	// Stopping early stops.
	n := 0
	require.NoError(t, m.Due(ctx, due0.Add(1000*time.Hour), func(Application) bool { n++; return n < 3 }))
	assert.Equal(t, 3, n)
}

// Once Sweep has emitted an application's overdue fact, later sweeps no
// longer visit it: the store's Due does not return it.
func TestSweepForgetsAlertedApplications(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{Reminders: []time.Duration{}})
	a := reach(t, UnderReview)
	a.Version = 0
	_, err := h.store.Save(ctx, a, 0, nil)
	require.NoError(t, err)
	res, err := h.svc.Sweep(ctx, a.Clock.DueAt)
	require.NoError(t, err)
	require.Len(t, res.Overdue, 1)
	visited := 0
	require.NoError(t, h.store.Due(ctx, a.Clock.DueAt.Add(1000*time.Hour), func(Application) bool { visited++; return true }))
	assert.Zero(t, visited)
	res, err = h.svc.Sweep(ctx, a.Clock.DueAt.Add(time.Hour))
	require.NoError(t, err)
	assert.Empty(t, res.Overdue)
}

// A sweep with enough to do runs its transitions on several workers and
// still reports each fact once, in application ID order, each with its
// audit record.
func TestSweepOnWorkers(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Rules{Reminders: []time.Duration{}})
	base := reach(t, UnderReview)
	const n = 3 * sweepBatch
	for i := 0; i < n; i++ {
		a := base.Clone()
		a.ID, a.Version = fmt.Sprintf("P%04d", i), 0
		_, err := h.store.Save(ctx, a, 0, nil)
		require.NoError(t, err)
	}
	before := h.auditLen(t)
	res, err := h.svc.Sweep(ctx, base.Clock.DueAt)
	require.NoError(t, err)
	require.Len(t, res.Overdue, n)
	for i, f := range res.Overdue {
		assert.Equal(t, fmt.Sprintf("P%04d", i), f.AppID)
		assert.Equal(t, ReplyOverdue, f.Kind)
	}
	assert.Empty(t, res.Failed)
	assert.Equal(t, before+n, h.auditLen(t))
	again, err := h.svc.Sweep(ctx, base.Clock.DueAt)
	require.NoError(t, err)
	assert.Empty(t, again.Overdue)

	// A context that ends stops the sweep with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = h.svc.Sweep(cctx, base.Clock.DueAt.Add(time.Hour))
	assert.ErrorIs(t, err, context.Canceled)
}
