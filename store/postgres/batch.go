package postgres

import (
	"context"
	"errors"
	"maps"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/internal/sqlstore"
	"github.com/govshare/govshare/request"
)

// Group commit, shared by the audit log's own-transaction appends
// (audit_batch.go) and the request store's Saves (request.go), on
// internal/sqlstore's Group: callers that arrive while a batch of theirs
// is running wait in a queue, and the next batch takes all of them (up to
// a bound) into one transaction.

// waiter is the part of a queued caller the group uses: its context and
// the error its batch gives it.
type waiter struct {
	ctx context.Context
	err error
}

func (w *waiter) wait() *waiter { return w }

// member is a queued caller: a struct that embeds waiter.
type member interface{ wait() *waiter }

// group queues the members of one kind of batch.
type group[T member] struct{ g sqlstore.Group[T] }

// join queues m and returns when the batch that took m has run (m's err
// and results are then set), as sqlstore.Group.Join: run gets at most
// limit members whose context had not ended when the batch started (the
// others get their ctx.Err() and are not run), with a context without the
// callers' cancellation; it sets each member's err and results.
func (g *group[T]) join(m T, limit int, run func(ctx context.Context, batch []T)) {
	w := m.wait()
	if err := g.g.Join(w.ctx, m, limit, run); err != nil {
		w.err = err
	}
}

// maxSaveBatch is the most Saves one group commit runs. Each Save is a
// subtransaction (a savepoint) that writes; PostgreSQL keeps up to 64 of
// a transaction's subtransaction ids in shared memory, and beyond that
// every snapshot taken meanwhile has to look them up in pg_subtrans.
const maxSaveBatch = 64

// saveSavepoint is the savepoint each Save of a batch begins with, in the
// one of the Save before (see RequestStore.write).
const saveSavepoint = "govshare_save"

// pendingSave is one Save waiting for its group commit.
type pendingSave struct {
	waiter
	app      request.Application
	expected int64
	args     []any // app's, for the insert or the update
	record   func(ctx context.Context) error
	panicked any // what its record func panicked with, if it did
}

// errPanicked is the error of a Save whose record func panicked: its part
// is rolled back like any failed Save's, and Save panics again with the
// value in its caller's goroutine.
var errPanicked = errors.New("postgres: the record func panicked")

// writeRecovering is write with a savepoint, a panic of p's record func
// turned into errPanicked, so that it does not take down the batch's
// goroutine and the other Saves with it.
func (s *RequestStore) writeRecovering(ctx context.Context, tx pgx.Tx, p *pendingSave) (err error) {
	defer func() {
		if v := recover(); v != nil {
			p.panicked, err = v, errPanicked
		}
	}()
	return s.write(ctx, tx, p, true)
}

// runBatch runs one batch of Saves in one transaction: the change
// counter's lock first, as every Save takes it, then each Save in a
// savepoint of its own. A Save's error rolls back its savepoint and is
// its own; a serialization failure or deadlock instead reruns the whole
// batch (inTx), record functions included, as a single Save's would be.
// A failure of the transaction itself (begin, the counter, a savepoint,
// the commit) is every Save's error, and none is stored. Each Save's
// statements and record see its own context's values, without its
// cancellation: a cancelled statement would abort the whole transaction.
func (s *RequestStore) runBatch(ctx context.Context, live []*pendingSave) {
	err := s.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if err := s.lockCounter(ctx, tx); err != nil {
			return err
		}
		heads := heldHeads{}
		for _, p := range live {
			p.err, p.panicked = nil, nil
			before := maps.Clone(heads)
			err := s.writeRecovering(withHeads(withTx(context.WithoutCancel(p.ctx), tx), heads), tx, p)
			if err == nil {
				continue
			}
			if retryable(err) {
				return err
			}
			if _, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT `+saveSavepoint); rerr != nil {
				return dbError("request: rollback to savepoint", rerr)
			}
			// The rollback undid the Save's appends and released the
			// head locks it took.
			clear(heads)
			maps.Copy(heads, before)
			p.err = err
		}
		return nil
	})
	if err != nil {
		for _, p := range live {
			p.err = err
		}
	}
}

// heldHeads are the audit heads a batch's transaction holds locked, by
// head row (AuditLog.appendIn's key: the schema's statement and the log's
// name), each as its last append there left it. An append in the batch
// seals after the held head instead of locking and reading the row again:
// one round trip less a Save. runBatch puts the map in each Save's context
// and, when a Save's part is rolled back, restores it as it was before
// that Save.
type heldHeads map[string]audit.Head

type headsKey struct{}

func withHeads(ctx context.Context, h heldHeads) context.Context {
	return context.WithValue(ctx, headsKey{}, h)
}

// headsFrom returns the heads ctx carries, nil outside a batch.
func headsFrom(ctx context.Context) heldHeads {
	h, _ := ctx.Value(headsKey{}).(heldHeads)
	return h
}
