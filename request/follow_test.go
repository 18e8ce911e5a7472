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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replicas returns a harness whose service (replica A) writes through a
// MemoryFeed, and a second service (replica B) on the same store.
func replicas(t *testing.T) (*harness, *MemoryFeed, *Service) {
	t.Helper()
	h := newHarness(t, Rules{})
	feed := NewMemoryFeed(h.store)
	auths := AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}}
	var err error
	h.svc, err = NewService(context.Background(), feed, h.cat, h.log, auths, WithClock(h.clock))
	require.NoError(t, err)
	b, err := NewService(context.Background(), feed, h.cat, h.log, auths, WithClock(h.clock))
	require.NoError(t, err)
	return h, feed, b
}

// follow runs b.Follow in the background until the test ends and fails
// the test if it returns anything but the cancellation.
func follow(t *testing.T, b *Service, feed ChangeFeed, opts ...FollowOption) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Follow(ctx, feed, opts...) }()
	t.Cleanup(func() {
		cancel()
		assert.ErrorIs(t, <-done, context.Canceled)
	})
}

func okAccess() Access {
	return Access{Department: welfare, EntryID: publishedEntry().ID, Items: []string{"姓名", "身份证号"},
		Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核", At: cst(2026, 10, 10, 10, 0)}
}

// eventually waits (a generous bound, never asserted as a latency) until
// svc decides acc with the reason.
func eventually(t *testing.T, svc *Service, acc Access, want DenyReason) {
	t.Helper()
	start := time.Now()
	var last Decision
	ok := assert.Eventually(t, func() bool { last = svc.Authorize(acc); return last.Reason == want }, 10*time.Second, time.Millisecond)
	require.True(t, ok, "want %s, last decision %+v", want.Code(), last)
	t.Logf("%s after %s", want.Code(), time.Since(start))
}

func TestFollowReflectsOtherReplicas(t *testing.T) {
	ctx := context.Background()
	h, feed, b := replicas(t)
	h.toActive(t, "F-0") // before B follows: found by the catch-up scan
	follow(t, b, feed, WithPollInterval(20*time.Millisecond))
	eventually(t, b, okAccess(), Allowed)

	// Without Follow, B knew nothing of the grant committed on A.
	c, err := NewService(ctx, feed, h.cat, h.log, AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}}, WithClock(h.clock))
	require.NoError(t, err)
	h.toActive(t, "F-1")
	_, _, err = h.svc.Do(ctx, "F-0", Revoke{Actor: auth, Reason: "向第三方提供"})
	require.NoError(t, err)
	_, _, err = h.svc.Do(ctx, "F-1", Revoke{Actor: auth, Reason: "向第三方提供"})
	require.NoError(t, err)
	eventually(t, b, okAccess(), GrantRevoked)
	assert.True(t, c.Authorize(okAccess()).Allowed, "a replica that does not follow keeps the revoked grant: what Follow is for")

	h.toActive(t, "F-2")
	eventually(t, b, okAccess(), Allowed)
	_, _, err = h.svc.Do(ctx, "F-2", Close{Actor: reqHead, Statement: "审核已完成"})
	require.NoError(t, err)
	// Denied; of the three ended grants the index names one, which one
	// depending on the order it learnt them.
	require.Eventually(t, func() bool { return !b.Authorize(okAccess()).Allowed }, 10*time.Second, time.Millisecond)
	assert.Contains(t, []DenyReason{GrantRevoked, GrantClosed}, b.Authorize(okAccess()).Reason)
	age, ok := b.IndexAge()
	assert.True(t, ok)
	assert.Less(t, age, DefaultStaleAfter)
	_, ok = h.svc.IndexAge()
	assert.False(t, ok, "A never followed")
}

// gatedFeed blocks (or fails) every read while closed.
type gatedFeed struct {
	ChangeFeed
	mu     sync.Mutex
	gate   chan struct{} // nil: open
	fail   bool
	reads  atomic.Int64
	faking []Change
}

var errFeedDown = errors.New("feed down")

func (g *gatedFeed) wait(ctx context.Context) error {
	g.mu.Lock()
	gate, fail := g.gate, g.fail
	g.mu.Unlock()
	if fail {
		return errFeedDown
	}
	if gate == nil {
		return nil
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gatedFeed) Since(ctx context.Context, after uint64, limit int) ([]Change, error) {
	g.reads.Add(1)
	if err := g.wait(ctx); err != nil {
		return nil, err
	}
	g.mu.Lock()
	fake := g.faking
	g.faking = nil
	g.mu.Unlock()
	if fake != nil {
		return fake, nil
	}
	return g.ChangeFeed.Since(ctx, after, limit)
}

func (g *gatedFeed) close(fail bool) {
	g.mu.Lock()
	g.gate, g.fail = make(chan struct{}), fail
	g.mu.Unlock()
}

func (g *gatedFeed) open() {
	g.mu.Lock()
	if g.gate != nil {
		close(g.gate)
	}
	g.gate, g.fail = nil, false
	g.mu.Unlock()
}

func TestFollowDeniesWhenStale(t *testing.T) {
	h, feed, b := replicas(t)
	gated := &gatedFeed{ChangeFeed: feed}
	var failures atomic.Int64
	follow(t, b, gated, WithStaleAfter(150*time.Millisecond), WithPollInterval(10*time.Millisecond),
		WithFollowErrors(func(err error) {
			if errors.Is(err, errFeedDown) {
				failures.Add(1)
			}
		}))
	h.toActive(t, "S-1")
	eventually(t, b, okAccess(), Allowed)

	// A blocked feed: after the bound, every access is denied, grant or not.
	gated.close(false)
	eventually(t, b, okAccess(), StaleIndex)
	other := okAccess()
	other.Department = outsider
	assert.Equal(t, StaleIndex, b.Authorize(other).Reason)
	age, _ := b.IndexAge()
	assert.Greater(t, age, 150*time.Millisecond)
	d, err := b.AuthorizeRecorded(context.Background(), okAccess(), actor(welfare, govshare.Clerk, "gateway"))
	require.NoError(t, err)
	assert.Equal(t, StaleIndex, d.Reason, "the recorded decision is the stale denial too")
	assert.True(t, h.svc.Authorize(okAccess()).Allowed, "the writing replica does not follow and is not stale")

	gated.open()
	eventually(t, b, okAccess(), Allowed)

	// A failing feed: the errors are reported, the index turns stale, and
	// it recovers when the feed does.
	gated.close(true)
	require.Eventually(t, func() bool { return failures.Load() > 0 }, 10*time.Second, time.Millisecond)
	eventually(t, b, okAccess(), StaleIndex)
	gated.open()
	eventually(t, b, okAccess(), Allowed)
	assert.Equal(t, "stale_index", StaleIndex.Code())
	assert.NotEmpty(t, StaleIndex.String())
}

func TestFollowNeverBringsBackARevokedGrant(t *testing.T) {
	ctx := context.Background()
	h, feed, b := replicas(t)
	active := h.toActive(t, "R-1")
	gated := &gatedFeed{ChangeFeed: feed}
	follow(t, b, gated, WithPollInterval(10*time.Millisecond))
	eventually(t, b, okAccess(), Allowed)
	_, _, err := h.svc.Do(ctx, "R-1", Revoke{Actor: auth, Reason: "向第三方提供"})
	require.NoError(t, err)
	eventually(t, b, okAccess(), GrantRevoked)

	// An old version handed to the index, and a replayed change of the
	// active version: still revoked.
	b.Grants().Put(active)
	assert.Equal(t, GrantRevoked, b.Authorize(okAccess()).Reason)
	head, err := feed.Head(ctx)
	require.NoError(t, err)
	gated.mu.Lock()
	gated.faking = []Change{{Seq: head + 1, Application: "R-1", Version: active.Version}}
	gated.mu.Unlock()
	require.Eventually(t, func() bool {
		gated.mu.Lock()
		defer gated.mu.Unlock()
		return gated.faking == nil
	}, 10*time.Second, time.Millisecond)
	assert.Equal(t, GrantRevoked, b.Authorize(okAccess()).Reason)
	// A newer version on another replica after the faked sequence number
	// still gets through: the follower reads past it.
	h.toActive(t, "R-2")
	_ = h.svc
	eventually(t, b, okAccess(), Allowed)
}

func TestFollowOptions(t *testing.T) {
	ctx := context.Background()
	h, feed, b := replicas(t)
	for _, opts := range [][]FollowOption{
		{WithStaleAfter(0)}, {WithStaleAfter(-time.Second)}, {WithPollInterval(0)},
		{WithFollowBatch(0)}, {WithFollowBatch(1 << 20)}, {WithFollowErrors(nil)},
		{WithStaleAfter(time.Second), WithPollInterval(time.Second)},
	} {
		err := b.Follow(ctx, feed, opts...)
		assert.ErrorIs(t, err, govshare.ErrInvalid)
		assert.NotEmpty(t, govshare.MessageOf(err).Zh)
	}
	assert.ErrorIs(t, b.Follow(ctx, nil), govshare.ErrInvalid)
	_, following := b.IndexAge()
	assert.False(t, following, "a refused Follow changes nothing")
	h.toActive(t, "O-1")
	assert.True(t, h.svc.Authorize(okAccess()).Allowed)

	// One Follow at a time; a stopped one leaves the index to turn stale.
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- b.Follow(fctx, feed, WithStaleAfter(50*time.Millisecond), WithPollInterval(5*time.Millisecond), WithFollowBatch(1))
	}()
	eventually(t, b, okAccess(), Allowed)
	assert.ErrorIs(t, b.Follow(ctx, feed), govshare.ErrConflict)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	eventually(t, b, okAccess(), StaleIndex)
}

func TestMemoryFeed(t *testing.T) {
	ctx := context.Background()
	h, feed, _ := replicas(t)
	head, err := feed.Head(ctx)
	require.NoError(t, err)
	assert.Zero(t, head)
	h.toActive(t, "M-1") // five transitions
	head, err = feed.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 5, head)
	all, err := feed.Since(ctx, 0, 100)
	require.NoError(t, err)
	require.Len(t, all, 5)
	for i, c := range all {
		assert.Equal(t, Change{Seq: uint64(i + 1), Application: "M-1", Version: int64(i + 1)}, c)
	}
	two, err := feed.Since(ctx, 2, 2)
	require.NoError(t, err)
	assert.Equal(t, all[2:4], two)
	none, err := feed.Since(ctx, 5, 10)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = feed.Since(ctx, 0, 0)
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	require.NoError(t, feed.Wait(ctx, 4), "a change after 4 exists")
	wctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, feed.Wait(wctx, 5), context.DeadlineExceeded)
	// A failed Save is no change.
	_, err = feed.Save(ctx, Application{ID: "M-1"}, 0, nil)
	assert.ErrorIs(t, err, govshare.ErrConflict)
	head, _ = feed.Head(ctx)
	assert.EqualValues(t, 5, head)
}

// Two replicas of the Service on one store: B follows the feed, so a grant
// committed on A, and its revoke, reach B's Authorize.
func ExampleService_Follow() {
	ctx := context.Background()
	now := func() time.Time { return t0 }
	cat, _ := catalog.NewMemoryStore(catalog.WithClock(now))
	e, _ := cat.Put(ctx, publishedEntry(), 0)
	cat.Publish(ctx, e.ID, e.Version)
	log, _ := audit.NewMemory()
	feed := NewMemoryFeed(NewMemoryStore())
	auths := AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": dataBur}}
	a, _ := NewService(ctx, feed, cat, log, auths, WithClock(now))
	b, _ := NewService(ctx, feed, cat, log, auths, WithClock(now))
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	go b.Follow(fctx, feed)

	acc := okAccess()
	wait := func(want DenyReason) {
		for b.Authorize(acc).Reason != want {
			time.Sleep(time.Millisecond)
		}
		fmt.Println("B:", want.Code())
	}
	wait(NoGrant)
	for _, c := range []Command{Create{Actor: reqClerk, EntryID: e.ID, Elements: elements()}, Submit{Actor: reqClerk},
		Endorse{Actor: reqHead}, Agree{Actor: provHead, Conditions: []string{condA}},
		Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: "key"}}}} {
		if _, _, err := a.Do(ctx, "SQ-1", c); err != nil {
			fmt.Println(err)
			return
		}
	}
	wait(Allowed)
	a.Do(ctx, "SQ-1", Revoke{Actor: auth, Reason: "发现超范围使用"})
	wait(GrantRevoked)
	// Output:
	// B: no_grant
	// B: allowed
	// B: revoked
}
