package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// A transition through the Service is one row, one audit record and one
// numbered change, with the Chinese text intact.
func TestRequestStoreThroughService(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	log := keyedLog(t, db, "requests")
	store := db.Requests()
	svc := newService(t, store, testCatalog(t), log)
	grant(t, svc, "SQ-𠀀-1")
	if d := svc.Authorize(access); !d.Allowed {
		t.Fatalf("Authorize after the grant: %+v", d)
	}
	a, err := store.Get(ctx, "SQ-𠀀-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 5 || a.State != request.Active || a.Elements.Scenario != scenario || a.Elements.Items[1] != "身份证号" {
		t.Fatalf("stored application: version %d state %v scenario %q", a.Version, a.State, a.Elements.Scenario)
	}
	if a.UpdatedAt.Location().String() != commandsAt.Location().String() || !a.UpdatedAt.Equal(commandsAt) {
		t.Fatalf("UpdatedAt %v, want %v in CST", a.UpdatedAt, commandsAt)
	}
	n, err := log.Len(ctx)
	if err != nil || n != 5 {
		t.Fatalf("audit Len = %d, %v; want 5", n, err)
	}
	head, err := store.Head(ctx)
	if err != nil || head != 5 {
		t.Fatalf("feed Head = %d, %v; want 5", head, err)
	}
	var rows, changes int
	q := "SELECT COUNT(*) FROM `" + db.Database() + "`."
	if err := db.SQL().QueryRow(q + "applications").Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d application rows (%v)", rows, err)
	}
	if err := db.SQL().QueryRow(q + "request_changes WHERE application = 'SQ-𠀀-1'").Scan(&changes); err != nil || changes != 5 {
		t.Fatalf("%d change rows for the application (%v)", changes, err)
	}
	var name string
	if err := db.SQL().QueryRow("SELECT actor_name FROM `" + db.Database() + "`.audit_records WHERE seq = 0").Scan(&name); err != nil || name != "王𠀀" {
		t.Fatalf("actor_name %q (%v)", name, err)
	}
	if _, _, err := svc.Do(ctx, "SQ-𠀀-1", revoke()); err != nil {
		t.Fatal(err)
	}
	if d := svc.Authorize(access); d.Allowed || d.Reason != request.GrantRevoked {
		t.Fatalf("Authorize after the revoke: %+v", d)
	}
	// A new Service on the same store (a restart) builds its index from the rows.
	if d := newService(t, store, testCatalog(t), log).Authorize(access); d.Allowed || d.Reason != request.GrantRevoked {
		t.Fatalf("a fresh Service after the revoke: %+v", d)
	}
	if err := log.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// A record that fails leaves no row, no change and no audit record.
func TestRequestSaveRecordFailsStoresNothing(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	log := keyedLog(t, db, "requests")
	store := db.Requests()
	boom := errors.New("injected")
	app := request.Application{ID: "SQ-1", Requester: welfare, Provider: police, EntryID: entryID, CreatedAt: commandsAt, UpdatedAt: commandsAt}
	_, err := store.Save(ctx, app, 0, func(ctx context.Context) error {
		if _, err := log.Append(ctx, testEvent(0)); err != nil {
			return err
		}
		return boom // after the record was appended in the transaction
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Save = %v, want the record's error", err)
	}
	if _, err := store.Get(ctx, "SQ-1"); !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("Get after a failed Save: %v", err)
	}
	if n, _ := log.Len(ctx); n != 0 {
		t.Fatalf("audit Len = %d, want 0: the record rolled back with the change", n)
	}
	if h, _ := store.Head(ctx); h != 0 {
		t.Fatalf("feed head %d, want 0", h)
	}
	// A refused Save changes nothing either.
	for _, a := range []request.Application{{}, {ID: strings.Repeat("长", 192)}} {
		if _, err := store.Save(ctx, a, 0, nil); !errors.Is(err, govshare.ErrInvalid) {
			t.Fatalf("Save of id %q: %v, want ErrInvalid", a.ID, err)
		}
	}
	saved, err := store.Save(ctx, app, 0, nil)
	if err != nil || saved.Version != 1 {
		t.Fatalf("Save = %+v, %v", saved, err)
	}
	if _, err := store.Save(ctx, app, 0, nil); !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("second create: %v", err)
	}
	if _, err := store.Save(ctx, app, 7, nil); !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	if h, _ := store.Head(ctx); h != 1 {
		t.Fatalf("feed head %d, want 1", h)
	}
}

// Writers on separate pools: the changes are numbered 1…n without gaps,
// each (application, version) once, in the order of each application's
// versions.
func TestRequestChangesNumberedInCommitOrder(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	const writers, apps, steps = 4, 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		rdb := mytest.NewOn(t, mytest.Open(t, mytest.DSN()), db.Database())
		store := rdb.Requests()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range apps {
				id := "SQ-" + string(rune('A'+w)) + "-" + string(rune('0'+i))
				a := request.Application{ID: id, Requester: welfare, Provider: police, CreatedAt: commandsAt, UpdatedAt: commandsAt}
				for v := range steps {
					var err error
					if a, err = store.Save(ctx, a, int64(v), nil); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rows, err := db.SQL().Query("SELECT seq, application, version FROM `" + db.Database() + "`.request_changes ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	last := map[string]int64{}
	var want uint64 = 1
	for rows.Next() {
		var seq uint64
		var id string
		var v int64
		if err := rows.Scan(&seq, &id, &v); err != nil {
			t.Fatal(err)
		}
		if seq != want {
			t.Fatalf("change %d where %d was expected", seq, want)
		}
		if v != last[id]+1 {
			t.Fatalf("change %d: %s version %d after %d", seq, id, v, last[id])
		}
		last[id] = v
		want++
	}
	if want-1 != writers*apps*steps {
		t.Fatalf("%d changes, want %d", want-1, writers*apps*steps)
	}
}

// A transaction that keeps losing to another writer — here a lock held
// past the session's lock wait timeout, with no retries allowed — stores
// nothing and fails with ErrConflict (mysql.contention).
func TestSaveContentionIsConflict(t *testing.T) {
	db := mytest.New(t, mysql.WithRetries(0))
	ctx := context.Background()
	store := db.Requests()
	app := request.Application{ID: "SQ-1", Requester: welfare, Provider: police, CreatedAt: commandsAt, UpdatedAt: commandsAt}
	if _, err := store.Save(ctx, app, 0, nil); err != nil {
		t.Fatal(err)
	}
	// Another writer holds the feed counter's lock.
	holder, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.Exec("UPDATE `" + db.Database() + "`.request_feed SET seq = seq WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	// A replica whose sessions wait one second for a lock, retrying never.
	dsn := mytest.DSN()
	if strings.Contains(dsn, "?") {
		dsn += "&innodb_lock_wait_timeout=1"
	} else {
		dsn += "?innodb_lock_wait_timeout=1"
	}
	short, err := mysql.New(mytest.Open(t, dsn), mysql.WithDatabase(db.Database()), mysql.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = short.Requests().Save(ctx, app, 1, nil)
	if !errors.Is(err, govshare.ErrConflict) || govshare.MessageOf(err).Code != "mysql.contention" {
		t.Fatalf("Save while another writer held the counter = %v, want ErrConflict (mysql.contention)", err)
	}
	if a, gerr := store.Get(ctx, "SQ-1"); gerr != nil || a.Version != 1 {
		t.Fatalf("after the failed Save: version %d, %v", a.Version, gerr)
	}
}

// All reads in batches: more applications than a batch, each once.
func TestRequestAllPages(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	store := db.Requests()
	const n = 1100
	for i := range n {
		app := request.Application{ID: fmt.Sprintf("SQ-%05d", i), Requester: welfare, Provider: police, CreatedAt: commandsAt, UpdatedAt: commandsAt}
		if _, err := store.Save(ctx, app, 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	if err := store.All(ctx, func(a request.Application) bool { seen[a.ID] = true; return true }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("All yielded %d applications, want %d", len(seen), n)
	}
	k := 0
	if err := store.All(ctx, func(request.Application) bool { k++; return k < 600 }); err != nil || k != 600 {
		t.Fatalf("All stopped after %d (%v), want 600", k, err)
	}
}

// The change feed read directly: Since pages in seq order, a bad limit is
// ErrInvalid, and PruneChanges keeps the last changes without moving the
// head; a read of pruned changes, or past the head (a restored database),
// is ErrFeedTruncated, never a page that skips them.
func TestChangeFeedSinceAndPrune(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	store := db.Requests()
	app := request.Application{ID: "SQ-1", Requester: welfare, Provider: police, CreatedAt: commandsAt, UpdatedAt: commandsAt}
	for v := range 5 {
		var err error
		if app, err = store.Save(ctx, app, int64(v), nil); err != nil {
			t.Fatal(err)
		}
	}
	page, err := store.Since(ctx, 1, 2)
	if err != nil || len(page) != 2 || page[0].Seq != 2 || page[1].Seq != 3 || page[1].Application != "SQ-1" || page[1].Version != 3 {
		t.Fatalf("Since(1, 2) = %+v, %v", page, err)
	}
	if _, err := store.Since(ctx, 0, 0); !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("Since with limit 0: %v", err)
	}
	if n, err := store.PruneChanges(ctx, 1<<63); err != nil || n != 0 {
		t.Fatalf("PruneChanges(2^63) = %d, %v; want nothing deleted", n, err)
	}
	if n, err := store.PruneChanges(ctx, 2); err != nil || n != 3 {
		t.Fatalf("PruneChanges(2) = %d, %v; want 3 deleted", n, err)
	}
	for _, after := range []uint64{0, 1, 2} {
		if page, err := store.Since(ctx, after, 10); !errors.Is(err, request.ErrFeedTruncated) || !errors.Is(err, govshare.ErrNotFound) {
			t.Fatalf("Since(%d) after pruning = %+v, %v; want ErrFeedTruncated", after, page, err)
		}
	}
	rest, err := store.Since(ctx, 3, 10)
	if err != nil || len(rest) != 2 || rest[0].Seq != 4 || rest[1].Seq != 5 {
		t.Fatalf("after pruning, Since(3) = %+v, %v", rest, err)
	}
	if none, err := store.Since(ctx, 5, 10); err != nil || len(none) != 0 {
		t.Fatalf("Since(head) = %+v, %v; want nothing, no error", none, err)
	}
	if _, err := store.Since(ctx, 6, 10); !errors.Is(err, request.ErrFeedTruncated) {
		t.Fatalf("Since past the head = %v; want ErrFeedTruncated (the database went back)", err)
	}
	if n, err := store.PruneChanges(ctx, 0); err != nil || n != 2 {
		t.Fatalf("PruneChanges(0) = %d, %v; want the last 2 deleted", n, err)
	}
	if _, err := store.Since(ctx, 4, 10); !errors.Is(err, request.ErrFeedTruncated) {
		t.Fatalf("every change pruned: Since(4) = %v; want ErrFeedTruncated", err)
	}
	if h, err := store.Head(ctx); err != nil || h != 5 {
		t.Fatalf("Head = %d, %v after pruning, want 5", h, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := store.Wait(wctx, 5); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait past the head = %v, want the context's deadline", err)
	}
	if err := store.Wait(ctx, 4); err != nil {
		t.Fatalf("Wait below the head: %v", err)
	}
}
