package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txKey is the context key of the transaction a store's write runs in.
type txKey struct{}

// withTx returns ctx carrying tx, so that what is called with it (the
// audit log's Append, from a store's write) works inside tx instead of
// opening its own transaction: one commit stores the change and its
// record, or neither.
func withTx(ctx context.Context, tx pgx.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// txFrom returns the transaction ctx carries, if any.
func txFrom(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(pgx.Tx)
	return tx, ok && tx != nil
}

// inTx runs fn in a transaction (read committed) and commits it if fn
// returns nil; fn's context carries the transaction (withTx). A
// serialization failure or deadlock (SQLSTATE 40001, 40P01) of fn or of
// the commit runs fn again in a new transaction, up to the DB's retries,
// after a short random pause; fn must therefore do nothing outside the
// database that it cannot do twice. When ctx already carries a
// transaction, fn runs in it, once, and its owner commits, rolls back and
// retries.
func (db *DB) inTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	if tx, ok := txFrom(ctx); ok {
		return fn(ctx, tx)
	}
	for attempt := 0; ; attempt++ {
		err := db.runTx(ctx, fn)
		if err == nil || !retryable(err) || attempt >= db.retries {
			return err
		}
		pause := time.Duration(1+rand.IntN(1<<min(attempt, 6))) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

func (db *DB) runTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) (err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return dbError("begin", err)
	}
	defer func() {
		if err != nil {
			// The rollback's own error says nothing more: the
			// transaction is gone either way.
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = fn(withTx(ctx, tx), tx); err != nil {
		return err
	}
	if err = tx.Commit(ctx); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// retryable reports whether err is a serialization failure or a deadlock,
// which running the transaction again may not meet.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
