package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

func draft(id string) request.Application {
	return request.Application{ID: id, State: request.Draft, Requester: welfare, Provider: police, EntryID: entryID,
		EntryVersion: 1, CreatedAt: start, UpdatedAt: start, Elements: elements()}
}

// The feed numbers every stored transition from 1 without gaps, under
// concurrent writers, and a failed Save adds no change.
func TestFeedSequence(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	store := db.Requests()
	defer store.Close()
	head, err := store.Head(ctx)
	require.NoError(t, err)
	assert.Zero(t, head)

	const writers, each = 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "F-" + string(rune('A'+w))
			a, err := store.Save(ctx, draft(id), 0, nil)
			if !assert.NoError(t, err) {
				return
			}
			for range each - 1 {
				if a, err = store.Save(ctx, a, a.Version, nil); !assert.NoError(t, err) {
					return
				}
			}
		}()
	}
	wg.Wait()
	// Refused and failed Saves: no change.
	_, err = store.Save(ctx, draft("F-A"), 0, nil)
	assert.ErrorIs(t, err, govshare.ErrConflict)
	injected := errors.New("injected")
	a, err := store.Get(ctx, "F-A")
	require.NoError(t, err)
	_, err = store.Save(ctx, a, a.Version, func(context.Context) error { return injected })
	assert.ErrorIs(t, err, injected)
	_, err = store.Save(ctx, a, -1, nil)
	assert.ErrorIs(t, err, govshare.ErrConflict)

	head, err = store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, writers*each, head)
	all, err := store.Since(ctx, 0, 1000)
	require.NoError(t, err)
	require.Len(t, all, writers*each)
	last := map[string]int64{}
	for i, c := range all {
		assert.EqualValues(t, i+1, c.Seq, "gapless")
		assert.Equal(t, last[c.Application]+1, c.Version, "%s's versions in order", c.Application)
		last[c.Application] = c.Version
	}
	page, err := store.Since(ctx, 10, 5)
	require.NoError(t, err)
	assert.Equal(t, all[10:15], page)
	none, err := store.Since(ctx, head, 5)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = store.Since(ctx, 0, 0)
	assert.ErrorIs(t, err, govshare.ErrInvalid)

	// Wait: returns at once on a fresh connection, then on a notification
	// of a later change, and with the context's error when nothing comes.
	require.NoError(t, store.Wait(ctx, head))
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	assert.ErrorIs(t, store.Wait(wctx, head), context.DeadlineExceeded)
	cancel()
	assert.NotZero(t, store.ListenerPID(), "the connection survives a timed-out wait")
	done := make(chan error, 1)
	go func() { done <- store.Wait(ctx, head) }()
	time.Sleep(20 * time.Millisecond)
	_, err = store.Save(ctx, draft("F-new"), 0, nil)
	require.NoError(t, err)
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("no notification")
	}
}

// A row whose history has another layout is refused on read, not misread.
func TestRequestHistoryLayout(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	store := db.Requests()
	_, err := store.Save(ctx, draft("L-1"), 0, nil)
	require.NoError(t, err)
	_, err = db.Pool().Exec(ctx, `UPDATE `+postgres.Table(db, "request_applications")+` SET history = '{"layout":2}' WHERE id = 'L-1'`)
	require.NoError(t, err)
	_, err = store.Get(ctx, "L-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "layout 2")
	assert.ErrorIs(t, err, govshare.ErrInternal, "a database that holds what this code cannot read")
	assert.NotEmpty(t, govshare.MessageOf(err).Zh)
}

// PruneChanges keeps the last changes; a read before them is
// ErrFeedTruncated, never an empty answer.
func TestFeedPrune(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	store := db.Requests()
	a, err := store.Save(ctx, draft("P-1"), 0, nil)
	require.NoError(t, err)
	for range 9 {
		a, err = store.Save(ctx, a, a.Version, nil)
		require.NoError(t, err)
	}
	n, err := store.PruneChanges(ctx, 3)
	require.NoError(t, err)
	assert.EqualValues(t, 7, n)
	for _, after := range []uint64{0, 5, 6} {
		_, err = store.Since(ctx, after, 10)
		assert.ErrorIs(t, err, request.ErrFeedTruncated, "after %d", after)
		assert.ErrorIs(t, err, govshare.ErrNotFound)
	}
	kept, err := store.Since(ctx, 7, 10)
	require.NoError(t, err)
	require.Len(t, kept, 3)
	assert.EqualValues(t, 8, kept[0].Seq)
	n, err = store.PruneChanges(ctx, 1<<63)
	require.NoError(t, err)
	assert.Zero(t, n)
	n, err = store.PruneChanges(ctx, 0)
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
	none, err := store.Since(ctx, 10, 10)
	require.NoError(t, err, "nothing after the head: not truncated")
	assert.Empty(t, none)
	_, err = store.Since(ctx, 9, 10)
	assert.ErrorIs(t, err, request.ErrFeedTruncated, "every change pruned")
	_, err = store.Since(ctx, 11, 10)
	assert.ErrorIs(t, err, request.ErrFeedTruncated, "a cursor past the head: the database went back")
}

// A replica that lagged while the changes it needed were pruned scans
// again and decides from the current state.
func TestReplicaCatchesUpAfterPrune(t *testing.T) {
	db := pgtest.New(t)
	c := &clock{t: start}
	a := newReplica(t, db, nil, c.now)
	toActive(t, a.svc, "SQ-1")
	lagging := newReplica(t, pgtest.Replica(t, db), nil, c.now)
	slow := requesttest.NewPausedFeed(lagging.store)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lagging.svc.Follow(ctx, slow, request.WithStaleAfter(time.Hour)) }()
	t.Cleanup(func() { cancel(); assert.ErrorIs(t, <-done, context.Canceled) })
	// It took the head and scanned (the grant); its first read waits.
	require.Eventually(t, func() bool { return slow.Calls() > 0 }, 15*time.Second, time.Millisecond)
	assert.True(t, lagging.svc.Grants().Authorize(access()).Allowed)
	do(t, a.svc, "SQ-1", request.Revoke{Actor: provider, Reason: "发现超范围使用"})
	_, err := a.store.PruneChanges(context.Background(), 0)
	require.NoError(t, err)
	slow.Resume()
	reflects(t, lagging.svc, access(), request.GrantRevoked)
	assert.Positive(t, slow.Truncated(), "the revoke came through the rescan, its change being pruned")
}

// The history column's instants come back in deadline.CST, as the typed
// columns' do — not in the fixed "+0800" zone a JSON round trip gives.
func TestRequestHistoryInstantsInCST(t *testing.T) {
	db := pgtest.New(t)
	c := &clock{t: start.In(time.FixedZone("UTC+8", 8*3600))}
	r := newReplica(t, db, nil, c.now)
	toActive(t, r.svc, "CST-1")
	got, err := r.store.Get(context.Background(), "CST-1")
	require.NoError(t, err)
	require.NotNil(t, got.Answer)
	require.NotEmpty(t, got.Replies)
	for name, at := range map[string]time.Time{"created": got.CreatedAt, "answer": got.Answer.At, "reply": got.Replies[0].At} {
		assert.Same(t, deadline.CST, at.Location(), "%s at %v", name, at)
		assert.True(t, at.Equal(start), "%s at %v, want %v", name, at, start)
	}
}
