package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/govshare/govshare"
)

// txKey is the context key of the transaction a store's write runs in.
type txKey struct{}

// withTx returns ctx carrying tx, so that what is called with it (the
// audit log's Append, from a store's write) works inside tx instead of
// opening its own transaction: one commit stores the change and its
// record, or neither.
func withTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// txFrom returns the transaction ctx carries, if any.
func txFrom(ctx context.Context) (*sql.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*sql.Tx)
	return tx, ok && tx != nil
}

// inTx runs fn in a transaction and commits it if fn
// returns nil; fn's context carries the transaction (withTx). A deadlock
// (1213, which is also how a Galera node reports that another node's
// transaction won certification) or a lock wait timeout (1205), of fn or
// of the commit, runs fn again in a new transaction, up to the DB's
// retries, after a short random pause; fn must therefore do nothing
// outside the database that it cannot do twice. When the retries run out
// the error is govshare.ErrConflict (code mysql.contention). When ctx already carries a
// transaction, fn runs in it, once, and its owner commits, rolls back and
// retries.
func (db *DB) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if tx, ok := txFrom(ctx); ok {
		return fn(ctx, tx)
	}
	for attempt := 0; ; attempt++ {
		err := db.runTx(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt >= db.retries {
			// Still losing to other writers: a conflict the caller may
			// retry later (the Service re-reads and re-applies), stored
			// nothing.
			return &govshare.CodedError{Kind: govshare.ErrConflict, Code: "mysql.contention",
				Zh: "并发写入冲突，重试 " + strconv.Itoa(db.retries) + " 次后仍未成功，未保存任何内容",
				En: "mysql: the transaction lost to concurrent writers " + strconv.Itoa(db.retries+1) + " times; nothing was stored", Err: err}
		}
		db.countRetry()
		pause := time.Duration(1+rand.IntN(1<<min(attempt, 5))) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

func (db *DB) runTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) (err error) {
	galera, err := db.isGalera(ctx)
	if err != nil {
		return err
	}
	// The transaction runs on a connection of its own, so that a
	// connection whose rollback failed can be thrown away rather than
	// handed to the next caller with the transaction possibly still open
	// (MySQL's next BEGIN would commit it).
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return dbError("connect", err)
	}
	defer conn.Close()
	if galera {
		if err := db.guardOn(ctx, conn); err != nil {
			return err
		}
		defer db.guardOff(ctx, conn)
	}
	// The server's isolation level (REPEATABLE READ by default): every
	// read a write depends on is a locking read or an UPDATE's own
	// condition, which see the latest committed row at any level, and
	// naming a level would cost a round trip per transaction.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer func() {
		if err == nil {
			return
		}
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			// Discard the connection: database/sql drops one whose
			// driver reports it bad.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if galera {
		if _, err = tx.ExecContext(ctx, "INSERT INTO "+db.table(guardTable)+" VALUES (1)"); err != nil {
			return dbError("begin: mark the transaction", err)
		}
	}
	if err = fn(withTx(ctx, tx), tx); err != nil {
		return err
	}
	if galera {
		if err = db.checkGuard(ctx, tx); err != nil {
			return err
		}
	}
	if err = tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// A Galera node may roll back a local transaction that lost to another
// node's (a brute-force abort) without every later statement saying so:
// MariaDB 10.11.19 was seen to report success for statements after such
// an abort, which then ran outside the transaction and committed on their
// own — an application row lost while its audit record and change were
// stored (TestGalera/NodeKilledMidRun, where workers on three nodes
// conflict at nearly every commit). So on a Galera node every transaction
// runs with autocommit off, which keeps statements after a silent abort
// from committing by themselves, and begins by inserting a row into a
// session's temporary InnoDB table: before the commit, deleting it must
// delete one row, or the transaction is no longer the one that began, and
// it is rolled back and run again (errTxLost).
const guardTable = "govshare_tx_alive"

// errTxLost: the transaction was rolled back by the cluster without a
// statement saying so; running it again is safe (nothing of it commits).
var errTxLost = errors.New("mysql: the cluster rolled the transaction back without an error")

// guardOn prepares conn for a guarded transaction: autocommit off and the
// session's marker table.
func (db *DB) guardOn(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SET autocommit = 0"); err != nil {
		return dbError("begin: autocommit off", err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE TEMPORARY TABLE IF NOT EXISTS "+db.table(guardTable)+
		" (id TINYINT PRIMARY KEY) ENGINE=InnoDB"); err != nil {
		db.guardOff(ctx, conn)
		return dbError("begin: marker table", err)
	}
	return nil
}

// guardOff puts autocommit back on before conn returns to the pool,
// where reads expect it; a connection where that fails is discarded.
func (db *DB) guardOff(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SET autocommit = 1"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// checkGuard deletes the transaction's marker row: errTxLost when it is
// not there to delete.
func (db *DB) checkGuard(ctx context.Context, tx *sql.Tx) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM "+db.table(guardTable))
	if err != nil {
		return dbError("commit: check the transaction", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		db.countLost()
		return errTxLost
	}
	return nil
}

// retryable reports whether err is a deadlock, a certification failure or
// a lock wait timeout, which running the transaction again may not meet,
// or a *raceError.
func retryable(err error) bool {
	switch errorNumber(err) {
	case errDeadlock, errLockWaitTimeout, errTiDBWriteConflict, errTiDBRetryable:
		return true
	}
	var re *raceError
	return errors.As(err, &re) || errors.Is(err, errTxLost)
}

// raceError is a duplicate key met where the transaction had locked the
// row that numbers the key (the audit head, the feed counter): on a
// Galera node a replicated transaction can commit between the locking
// read and the insert — it aborts the local one, which may see the
// duplicate before the abort. Running the transaction again reads the new
// head.
type raceError struct {
	op  string
	err error
}

// Error returns the message.
func (e *raceError) Error() string {
	return "mysql: " + e.op + ": lost a race to another node: " + e.err.Error()
}

// Unwrap returns the driver's error.
func (e *raceError) Unwrap() error { return e.err }

// raced returns err as a *raceError if it is a duplicate key, and as
// dbError would otherwise.
func raced(op string, err error) error {
	if errorNumber(err) == errDuplicate {
		return &raceError{op: op, err: err}
	}
	return dbError(op, err)
}
