package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// appended returns a record func that appends one event about id to log
// (in the Save's transaction), then returns fail.
func appended(log audit.Log, id string, fail error) func(context.Context) error {
	return func(ctx context.Context) error {
		e := audit.Event{Time: start, Actor: clerk, Action: "request.batch_test",
			Target: audit.Target{Kind: "application", ID: id}, Outcome: audit.Success, CorrelationID: id}
		if _, err := log.Append(ctx, e); err != nil {
			return err
		}
		return fail
	}
}

// holdBatch starts a Save of id whose record func blocks until the
// returned release is called, so that the Saves made meanwhile queue for
// the next group commit. It waits until that Save's batch is running.
func holdBatch(t *testing.T, store *postgres.RequestStore, log audit.Log, id string) (release func() error) {
	t.Helper()
	running, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := store.Save(context.Background(), draft(id), 0, func(ctx context.Context) error {
			close(running)
			<-gate
			return appended(log, id, nil)(ctx)
		})
		done <- err
	}()
	select {
	case <-running:
	case err := <-done:
		t.Fatalf("the holding Save ended before its record func: %v", err)
	}
	return func() error { close(gate); return <-done }
}

// waitQueued waits until n Saves are queued (bounded: the test fails
// after a minute rather than hanging).
func waitQueued(t *testing.T, store *postgres.RequestStore, n int) {
	t.Helper()
	for range 6000 {
		if postgres.QueuedSaves(store) == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d Saves queued, want %d", postgres.QueuedSaves(store), n)
}

// One group commit of 32 concurrent Saves and a cancelled one, among
// them version conflicts (an update at a wrong version, an insert of an
// id in use) and failing record funcs (after their append): exactly those
// fail, each with its own error, and store neither application, record
// nor change; every other Save is stored with exactly one record; the
// cancelled one is not run; the log and the feed stay gapless and verify.
func TestSaveBatch(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	log := newAuditLog(t, db, "main")
	store := db.Requests()
	defer store.Close()

	// Eight existing applications, at version 1, each with its record.
	for i := range 8 {
		id := fmt.Sprintf("OLD-%d", i)
		_, err := store.Save(ctx, draft(id), 0, appended(log, id, nil))
		require.NoError(t, err)
	}
	const saves = 32
	require.LessOrEqual(t, saves+1, postgres.MaxSaveBatch)
	type outcome int
	const (
		stored outcome = iota
		conflicts
		fails
	)
	type save struct {
		id       string
		expected int64
		record   error
		want     outcome
		got      request.Application
		err      error
	}
	injected := make([]error, saves)
	plan := make([]*save, saves)
	for i := range saves {
		injected[i] = fmt.Errorf("injected failure %d", i)
		switch {
		case i < 8 && i%2 == 0: // an update of OLD-i at its version
			plan[i] = &save{id: fmt.Sprintf("OLD-%d", i), expected: 1, want: stored}
		case i < 8: // an update of OLD-i at a version it is not at
			plan[i] = &save{id: fmt.Sprintf("OLD-%d", i), expected: 3, want: conflicts}
		case i%8 == 1: // a creation of an id in use
			plan[i] = &save{id: fmt.Sprintf("OLD-%d", i%8), expected: 0, want: conflicts}
		case i%4 == 2: // a creation whose record func fails after its append
			plan[i] = &save{id: fmt.Sprintf("NEW-%d", i), expected: 0, record: injected[i], want: fails}
		default: // a creation
			plan[i] = &save{id: fmt.Sprintf("NEW-%d", i), expected: 0, want: stored}
		}
	}

	release := holdBatch(t, store, log, "HOLD")
	var wg sync.WaitGroup
	for _, s := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := draft(s.id)
			app.Version = s.expected
			app.Elements.Basis = "batch " + s.id
			s.got, s.err = store.Save(ctx, app, s.expected, appended(log, s.id, s.record))
		}()
	}
	waitQueued(t, store, saves)
	cctx, cancel := context.WithCancel(ctx)
	cancelled := make(chan error, 1)
	go func() {
		_, err := store.Save(cctx, draft("CANCELLED"), 0, appended(log, "CANCELLED", nil))
		cancelled <- err
	}()
	waitQueued(t, store, saves+1)
	cancel()
	require.NoError(t, release())
	wg.Wait()
	assert.ErrorIs(t, <-cancelled, context.Canceled)

	n, err := log.Len(ctx)
	require.NoError(t, err)
	records := map[string]int{}
	for r, err := range log.Read(ctx, 0, n) {
		require.NoError(t, err)
		records[r.Event.Target.ID]++
	}
	storedN := 0
	for i, s := range plan {
		a, gerr := store.Get(ctx, s.id)
		switch s.want {
		case stored:
			storedN++
			require.NoError(t, s.err, s.id)
			assert.Equal(t, s.expected+1, s.got.Version, s.id)
			require.NoError(t, gerr)
			assert.Equal(t, s.expected+1, a.Version, s.id)
			assert.Equal(t, "batch "+s.id, a.Elements.Basis, s.id)
		case conflicts:
			require.ErrorIs(t, s.err, govshare.ErrConflict, s.id)
			var ce *govshare.CodedError
			require.ErrorAs(t, s.err, &ce)
			assert.Equal(t, "postgres.version_conflict", ce.Code)
			require.NoError(t, gerr)
			assert.EqualValues(t, 1, a.Version, "%s: a refused Save changed it", s.id)
			assert.NotEqual(t, "batch "+s.id, a.Elements.Basis, s.id)
		case fails:
			require.ErrorIs(t, s.err, injected[i], s.id)
			for j, e := range injected {
				if j != i {
					assert.NotErrorIs(t, s.err, e, "%s has another Save's error", s.id)
				}
			}
			assert.ErrorIs(t, gerr, govshare.ErrNotFound, "%s: a failed Save stored its application", s.id)
		}
	}
	_, err = store.Get(ctx, "CANCELLED")
	assert.ErrorIs(t, err, govshare.ErrNotFound, "a Save cancelled before its batch was run")
	for i := range 8 {
		id := fmt.Sprintf("OLD-%d", i)
		want := 1 // its creation
		if plan[i].want == stored {
			want = 2
		}
		assert.Equal(t, want, records[id], "records of %s", id)
	}
	for _, s := range plan {
		if s.id[:3] == "NEW" {
			want := map[outcome]int{stored: 1, fails: 0}[s.want]
			assert.Equal(t, want, records[s.id], "records of %s", s.id)
		}
	}
	assert.Equal(t, 1, records["HOLD"])
	assert.Zero(t, records["CANCELLED"])

	// The log: the 8 creations, the holding Save, the stored ones; no gap.
	assert.EqualValues(t, 8+1+storedN, n)
	require.NoError(t, log.Verify(ctx))
	// The feed: one change per stored Save, numbered from 1 without gaps.
	changes, err := store.Since(ctx, 0, 1000)
	require.NoError(t, err)
	require.Len(t, changes, 8+1+storedN)
	seen := map[request.Change]bool{} // the batch's: after the creations and the holding Save
	for i, c := range changes {
		assert.EqualValues(t, i+1, c.Seq)
		if i >= 9 {
			seen[request.Change{Application: c.Application, Version: c.Version}] = true
		}
	}
	for _, s := range plan {
		assert.Equal(t, s.want == stored, seen[request.Change{Application: s.id, Version: s.expected + 1}], "change of %s v%d", s.id, s.expected+1)
	}
	head, err := store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 8+1+storedN, head)
}

// A commit that fails (here a deferred foreign key one Save's record func
// breaks, which PostgreSQL checks at the commit) is the error of every
// Save of the batch, and none of them is stored, recorded or in the feed.
func TestSaveBatchCommitFails(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	log := newAuditLog(t, db, "main")
	store := db.Requests()
	defer store.Close()
	parent, child := postgres.Table(db, "batch_parent"), postgres.Table(db, "batch_child")
	_, err := db.Pool().Exec(ctx, `CREATE TABLE `+parent+` (id int PRIMARY KEY);
		CREATE TABLE `+child+` (parent int REFERENCES `+parent+` DEFERRABLE INITIALLY DEFERRED)`)
	require.NoError(t, err)

	release := holdBatch(t, store, log, "HOLD")
	const saves = 6
	errs := make([]error, saves)
	var wg sync.WaitGroup
	for i := range saves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("C-%d", i)
			record := appended(log, id, nil)
			if i == 3 {
				record = func(ctx context.Context) error {
					tx, ok := postgres.TxFrom(ctx)
					if !ok {
						return fmt.Errorf("no transaction in the record func's context")
					}
					if _, err := tx.Exec(ctx, `INSERT INTO `+child+` VALUES (1)`); err != nil {
						return err
					}
					return appended(log, id, nil)(ctx)
				}
			}
			_, errs[i] = store.Save(ctx, draft(id), 0, record)
		}()
	}
	waitQueued(t, store, saves)
	require.NoError(t, release())
	wg.Wait()
	for i, err := range errs {
		require.ErrorIs(t, err, govshare.ErrInternal, "C-%d", i)
		var pe *pgconn.PgError
		require.ErrorAs(t, err, &pe, "C-%d", i)
		assert.Equal(t, "23503", pe.Code, "C-%d", i)
		_, gerr := store.Get(ctx, fmt.Sprintf("C-%d", i))
		assert.ErrorIs(t, gerr, govshare.ErrNotFound, "C-%d", i)
	}
	n, err := log.Len(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "only the holding Save's record")
	require.NoError(t, log.Verify(ctx))
	head, err := store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, head, "only the holding Save's change")

	// The store goes on: the next batch commits.
	a, err := store.Save(ctx, draft("C-0"), 0, appended(log, "C-0", nil))
	require.NoError(t, err)
	assert.EqualValues(t, 1, a.Version)
	head, err = store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, head)
}

// A Save in a caller's transaction runs in it, not in a batch: it is
// visible to that transaction only until its owner commits, and a
// rollback of the owner's transaction stores nothing.
func TestSaveInCallersTx(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	log := newAuditLog(t, db, "main")
	store := db.Requests()
	defer store.Close()
	rollback := errors.New("the caller rolls back")
	err := postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := store.Save(ctx, draft("T-1"), 0, appended(log, "T-1", nil)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+postgres.Table(db, "request_applications")+` WHERE id = 'T-1'`).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("the caller's transaction sees %d rows of T-1", n)
		}
		return rollback
	})
	require.ErrorIs(t, err, rollback)
	_, err = store.Get(ctx, "T-1")
	assert.ErrorIs(t, err, govshare.ErrNotFound)
	n, err := log.Len(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)

	require.NoError(t, postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := store.Save(ctx, draft("T-2"), 0, appended(log, "T-2", nil))
		return err
	}))
	a, err := store.Get(ctx, "T-2")
	require.NoError(t, err)
	assert.EqualValues(t, 1, a.Version)
	// A refused Save in a transaction its caller then commits adds no
	// change.
	require.NoError(t, postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := store.Save(ctx, a, 7, nil)
		if !errors.Is(err, govshare.ErrConflict) {
			return fmt.Errorf("a Save at a wrong version in the caller's transaction: %v", err)
		}
		return nil
	}))
	head, err := store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, head)
	require.NoError(t, log.Verify(ctx))
}

// In one batch, records go to two logs, one of them through two AuditLog
// values of the same name, and one Save's record func fails after its
// append: each log's chain stays one chain, gapless, and verifies.
func TestSaveBatchLogs(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	main1, main2, second := newAuditLog(t, db, "main"), newAuditLog(t, db, "main"), newAuditLog(t, db, "second")
	logs := []audit.Log{main1, main2, second}
	store := db.Requests()
	defer store.Close()

	release := holdBatch(t, store, main1, "HOLD")
	const saves = 12
	errs := make([]error, saves)
	injected := errors.New("injected")
	var wg sync.WaitGroup
	for i := range saves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("L-%d", i)
			var fail error
			if i == 4 || i == 8 {
				fail = injected
			}
			_, errs[i] = store.Save(ctx, draft(id), 0, appended(logs[i%3], id, fail))
		}()
	}
	waitQueued(t, store, saves)
	require.NoError(t, release())
	wg.Wait()
	want := map[string]int{"main": 1, "second": 0} // the holding Save's
	for i, err := range errs {
		if i == 4 || i == 8 {
			assert.ErrorIs(t, err, injected)
			continue
		}
		require.NoError(t, err, "L-%d", i)
		want[logs[i%3].(*postgres.AuditLog).Name()]++
	}
	for _, l := range []*postgres.AuditLog{main1, second} {
		n, err := l.Len(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, want[l.Name()], n, l.Name())
		for r, err := range l.Read(ctx, 0, n) {
			require.NoError(t, err)
			assert.NotEqual(t, "L-4", r.Event.Target.ID)
			assert.NotEqual(t, "L-8", r.Event.Target.ID)
		}
		require.NoError(t, l.Verify(ctx), l.Name())
	}
	require.NoError(t, main2.Verify(ctx))
}

// A record func that panics in a batch makes its own Save panic, in its
// caller's goroutine, with nothing of it stored; the other Saves of the
// batch are stored.
func TestSaveBatchPanic(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	log := newAuditLog(t, db, "main")
	store := db.Requests()
	defer store.Close()

	release := holdBatch(t, store, log, "HOLD")
	const saves = 4
	errs := make([]error, saves)
	recovered := make([]any, saves)
	var wg sync.WaitGroup
	for i := range saves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { recovered[i] = recover() }()
			id := fmt.Sprintf("P-%d", i)
			record := appended(log, id, nil)
			if i == 1 {
				record = func(ctx context.Context) error {
					if err := appended(log, id, nil)(ctx); err != nil {
						return err
					}
					panic("record func bug")
				}
			}
			_, errs[i] = store.Save(ctx, draft(id), 0, record)
		}()
	}
	waitQueued(t, store, saves)
	require.NoError(t, release())
	wg.Wait()
	for i := range saves {
		_, gerr := store.Get(ctx, fmt.Sprintf("P-%d", i))
		if i == 1 {
			assert.Equal(t, "record func bug", recovered[i])
			assert.ErrorIs(t, gerr, govshare.ErrNotFound)
			continue
		}
		assert.Nil(t, recovered[i])
		require.NoError(t, errs[i])
		require.NoError(t, gerr)
	}
	n, err := log.Len(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1+saves-1, n)
	require.NoError(t, log.Verify(ctx))
	head, err := store.Head(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1+saves-1, head)
}
