package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/internal/sqlstore"
)

type call struct {
	n     int
	batch int // the batch that ran it, 0 if none
	ctxOK bool
}

// Callers that queue while a batch runs go into the next batches, at
// most limit each, in the order they arrived; one whose context ended
// before its batch is not run and gets its context's error; every other
// gets the results its batch set, and run sees a context that its
// callers' cancellation does not end.
func TestGroupBatches(t *testing.T) {
	var g sqlstore.Group[*call]
	const limit, queued = 4, 10
	gate, running := make(chan struct{}), make(chan struct{})
	batches := 0
	var ran [][]int
	run := func(ctx context.Context, b []*call) {
		batches++
		ns := []int{}
		for _, c := range b {
			c.batch, c.ctxOK = batches, ctx.Err() == nil
			ns = append(ns, c.n)
		}
		ran = append(ran, ns)
		if batches == 1 {
			close(running)
			<-gate
		}
	}
	first := &call{n: -1}
	firstDone := make(chan error, 1)
	go func() { firstDone <- g.Join(context.Background(), first, limit, run) }()
	<-running

	ctxs := make([]context.Context, queued)
	cancels := make([]context.CancelFunc, queued)
	calls := make([]*call, queued)
	errs := make([]error, queued)
	var wg sync.WaitGroup
	for i := range queued {
		ctxs[i], cancels[i] = context.WithCancel(context.Background())
		calls[i] = &call{n: i}
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = g.Join(ctxs[i], calls[i], limit, run) }()
		for g.Queued() != i+1 { // in order of arrival
			time.Sleep(time.Millisecond)
		}
	}
	cancels[2]()
	close(gate)
	require.NoError(t, <-firstDone)
	wg.Wait()
	for _, c := range cancels {
		c()
	}

	assert.Equal(t, 1, first.batch)
	assert.Equal(t, [][]int{{-1}, {0, 1, 3}, {4, 5, 6, 7}, {8, 9}}, ran)
	for i, c := range calls {
		if i == 2 {
			assert.ErrorIs(t, errs[i], context.Canceled)
			assert.Zero(t, c.batch, "a caller cancelled before its batch was run")
			continue
		}
		require.NoError(t, errs[i], i)
		assert.NotZero(t, c.batch, i)
		assert.True(t, c.ctxOK, "run's context of %d", i)
	}
	assert.Zero(t, g.Queued())
}

// A limit below one still runs every caller, one a batch; a caller whose
// context ended before it joined is not run.
func TestGroupLimitAndEndedContext(t *testing.T) {
	var g sqlstore.Group[int]
	var got []int
	run := func(_ context.Context, b []int) { got = append(got, len(b)) }
	require.NoError(t, g.Join(context.Background(), 1, 0, run))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, g.Join(ctx, 2, 8, run), context.Canceled)
	assert.Equal(t, []int{1}, got)
}
