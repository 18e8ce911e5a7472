package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// replica is one Service on its own pool, on the test's database.
type replica struct {
	db    *mysql.DB
	store *mysql.RequestStore
	svc   *request.Service
}

// replicas returns n Services on the database of db, each on a pool of
// its own, recording into the audit log "main".
func replicas(t *testing.T, db *mysql.DB, n int, now func() time.Time) []*replica {
	t.Helper()
	cat := testCatalog(t)
	out := make([]*replica, n)
	for i := range out {
		rdb, err := mysql.New(mytest.Open(t, mytest.DSN()), mysql.WithDatabase(db.Database()))
		if err != nil {
			t.Fatal(err)
		}
		store := rdb.Requests()
		var opts []request.Option
		if now != nil {
			opts = append(opts, request.WithClock(now))
		}
		out[i] = &replica{db: rdb, store: store, svc: newService(t, store, cat, keyedLog(t, rdb, "main"), opts...)}
	}
	return out
}

// follow runs r's Follow until the test ends.
func (r *replica) follow(t *testing.T, opts ...request.FollowOption) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.svc.Follow(ctx, r.store, opts...) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Follow ended with %v", err)
		}
	})
}

// reflects waits until svc decides access with the reason, and returns
// how long that took; 15 s at most (the tests check what is decided, the
// benchmark how fast).
func reflects(t *testing.T, svc *request.Service, want request.DenyReason) time.Duration {
	t.Helper()
	began := time.Now()
	var last request.Decision
	for time.Since(began) < 15*time.Second {
		if last = svc.Authorize(access); last.Reason == want {
			return time.Since(began)
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("want %s, still %+v", want.Code(), last)
	return 0
}

// Each replica in turn grants and revokes; every replica, following the
// polled change table, reflects each within the bound; the audit chain
// written from three pools is gapless and verifies.
func TestReplicasReflectEachOther(t *testing.T) {
	db := mytest.New(t)
	rs := replicas(t, db, 3, nil)
	for _, r := range rs {
		r.follow(t)
	}
	var slowest time.Duration
	for i, w := range rs {
		id := fmt.Sprintf("SQ-%d", i)
		grant(t, w.svc, id)
		for _, r := range rs {
			slowest = max(slowest, reflects(t, r.svc, request.Allowed))
		}
		if _, _, err := w.svc.Do(context.Background(), id, revoke()); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			slowest = max(slowest, reflects(t, r.svc, request.GrantRevoked))
		}
	}
	// How fast is the benchmark's to say (docs/benchmarks.md), not a
	// timed test's: reflects bounds the wait, this only reports it.
	t.Logf("slowest propagation %v at the default poll interval %v (the issue asks for under 1 s)", slowest, mysql.DefaultPollInterval)
	ctx := context.Background()
	log := keyedLog(t, db, "main")
	n, err := log.Len(ctx)
	if err != nil || n != 3*6 {
		t.Fatalf("audit Len = %d, %v; want 18", n, err)
	}
	if err := log.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// A stale grant — the active version handed to a replica's index again,
// a replica restarted, an old version saved over the new — never comes
// back.
func TestReplicaNeverBringsBackARevokedGrant(t *testing.T) {
	db := mytest.New(t)
	rs := replicas(t, db, 2, nil)
	a, b := rs[0], rs[1]
	b.follow(t)
	grant(t, a.svc, "SQ-1")
	active, err := a.store.Get(context.Background(), "SQ-1")
	if err != nil {
		t.Fatal(err)
	}
	reflects(t, b.svc, request.Allowed)
	if _, _, err := a.svc.Do(context.Background(), "SQ-1", revoke()); err != nil {
		t.Fatal(err)
	}
	reflects(t, b.svc, request.GrantRevoked)
	b.svc.Grants().Put(active)
	if d := b.svc.Authorize(access); d.Reason != request.GrantRevoked {
		t.Fatalf("after the stale version was put back: %+v", d)
	}
	again := replicas(t, db, 1, nil)[0]
	if d := again.svc.Authorize(access); d.Reason != request.GrantRevoked {
		t.Fatalf("a restarted replica: %+v", d)
	}
	if _, err := b.store.Save(context.Background(), active, active.Version, nil); !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("saving the old version over the new: %v", err)
	}
}

// A replica whose feed cannot be read denies after the bound, and
// recovers when it can be read again.
func TestReplicaStaleFeedDenies(t *testing.T) {
	db := mytest.New(t)
	rs := replicas(t, db, 2, nil)
	a, b := rs[0], rs[1]
	var mu sync.Mutex
	var failures []error
	b.follow(t, request.WithStaleAfter(time.Second), request.WithPollInterval(50*time.Millisecond),
		request.WithFollowErrors(func(err error) { mu.Lock(); failures = append(failures, err); mu.Unlock() }))
	grant(t, a.svc, "SQ-1")
	reflects(t, b.svc, request.Allowed)
	// Take the change table away from under the replica.
	tbl := "`" + db.Database() + "`.request_changes"
	if _, err := db.SQL().Exec("RENAME TABLE " + tbl + " TO " + tbl + "_away"); err != nil {
		t.Fatal(err)
	}
	reflects(t, b.svc, request.StaleIndex)
	if !a.svc.Authorize(access).Allowed {
		t.Fatal("the writer does not follow and still allows")
	}
	if _, err := db.SQL().Exec("RENAME TABLE " + tbl + "_away TO " + tbl); err != nil {
		t.Fatal(err)
	}
	reflects(t, b.svc, request.Allowed)
	mu.Lock()
	defer mu.Unlock()
	if len(failures) == 0 {
		t.Fatal("the failed reads were not reported")
	}
}

// Sweep on four replicas at once: each fact once, one record per fact.
func TestReplicasSweepOnce(t *testing.T) {
	ctx := context.Background()
	db := mytest.New(t)
	var mu sync.Mutex
	clock := commandsAt
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	rs := replicas(t, db, 4, now)
	const apps = 12
	for i := range apps {
		for _, cmd := range grantSteps()[:3] { // create, submit, endorse: awaiting the reply
			if _, _, err := rs[i%len(rs)].svc.Do(ctx, fmt.Sprintf("SQ-%02d", i), cmd); err != nil {
				t.Fatal(err)
			}
		}
	}
	log := keyedLog(t, db, "main")
	before, _ := log.Len(ctx)
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, commandsAt.Location()) // every reply long overdue
	mu.Lock()
	clock = at
	mu.Unlock()
	var wg sync.WaitGroup
	results := make([]request.SweepResult, len(rs))
	errs := make([]error, len(rs))
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = r.svc.Sweep(ctx, at)
		}()
	}
	wg.Wait()
	var facts []string
	for i, res := range results {
		if errs[i] != nil || len(res.Failed) > 0 {
			t.Fatalf("replica %d: %v %v", i, errs[i], res.Failed)
		}
		for _, f := range res.Overdue {
			facts = append(facts, f.AppID+" "+f.Key())
		}
	}
	slices.Sort(facts)
	if len(facts) != apps || len(slices.Compact(slices.Clone(facts))) != apps {
		t.Fatalf("facts %v: want one overdue reply per application, each once", facts)
	}
	after, _ := log.Len(ctx)
	if after-before != apps {
		t.Fatalf("%d audit records for %d facts", after-before, apps)
	}
	for i := range apps {
		a, err := rs[0].store.Get(ctx, fmt.Sprintf("SQ-%02d", i))
		if err != nil || len(a.Alerts) != 1 {
			t.Fatalf("%s: alerts %v (%v), want its fact once", a.ID, a.Alerts, err)
		}
	}
	if err := log.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// A replica that lagged while the changes it needed were pruned scans
// again and denies the revoked grant, instead of reading on past the
// revoke it never saw (what Since did before it told pruned changes
// apart).
func TestReplicaCatchesUpAfterPrune(t *testing.T) {
	db := mytest.New(t)
	rs := replicas(t, db, 2, nil)
	a, lagging := rs[0], rs[1]
	grant(t, a.svc, "SQ-1")
	slow := requesttest.NewPausedFeed(lagging.store)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lagging.svc.Follow(ctx, slow, request.WithStaleAfter(time.Hour)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Follow ended with %v", err)
		}
	})
	// It took the head and scanned (the grant); its first read waits.
	for began := time.Now(); slow.Calls() == 0; time.Sleep(time.Millisecond) {
		if time.Since(began) > 15*time.Second {
			t.Fatal("Follow never read the feed")
		}
	}
	if !lagging.svc.Grants().Authorize(access).Allowed {
		t.Fatal("the lagging replica's scan did not see the grant")
	}
	if _, _, err := a.svc.Do(context.Background(), "SQ-1", revoke()); err != nil {
		t.Fatal(err)
	}
	// Two changes after the revoke that do not touch the grant: what is
	// kept after pruning, a page that does not start at the follower's
	// next change.
	for _, cmd := range grantSteps()[:2] {
		if _, _, err := a.svc.Do(context.Background(), "SQ-2", cmd); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := a.store.PruneChanges(context.Background(), 2); err != nil || n == 0 {
		t.Fatalf("PruneChanges(2) = %d, %v", n, err)
	}
	slow.Resume()
	reflects(t, lagging.svc, request.GrantRevoked)
	if slow.Truncated() == 0 {
		t.Fatal("the revoke came through, but not through a rescan: was its change not pruned?")
	}
}
