package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

func counterTable(t *testing.T, db *postgres.DB) string {
	t.Helper()
	table := postgres.Table(db, "tx_test")
	if _, err := db.Pool().Exec(context.Background(), `CREATE TABLE `+table+` (id int PRIMARY KEY, n int NOT NULL);
		INSERT INTO `+table+` VALUES (1, 0), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	return table
}

func sum(t *testing.T, db *postgres.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(context.Background(), `SELECT sum(n) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInTxCommitsAndRollsBack(t *testing.T) {
	db := pgtest.New(t)
	table := counterTable(t, db)
	ctx := context.Background()
	boom := errors.New("boom")
	err := postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		if got, ok := postgres.TxFrom(ctx); !ok || got != tx {
			t.Error("fn's context does not carry its transaction")
		}
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("inTx = %v, want fn's error", err)
	}
	if n := sum(t, db, table); n != 0 {
		t.Fatalf("a failed transaction left its update: sum %d", n)
	}
	// A nested inTx runs in the outer transaction: both updates commit,
	// or neither.
	err = postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = 1`); err != nil {
			return err
		}
		return postgres.InTx(db, ctx, func(ctx context.Context, inner pgx.Tx) error {
			if inner != tx {
				t.Error("nested inTx opened a transaction of its own")
			}
			_, err := inner.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = 2`)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := sum(t, db, table); n != 2 {
		t.Fatalf("sum %d after the nested transaction, want 2", n)
	}
	if _, ok := postgres.TxFrom(ctx); ok {
		t.Fatal("a plain context carries a transaction")
	}
}

// Two transactions that lock the same rows in opposite orders deadlock;
// PostgreSQL aborts one (40P01) and inTx runs it again, so both commit.
func TestInTxRetriesDeadlock(t *testing.T) {
	db := pgtest.New(t)
	table := counterTable(t, db)
	ctx := context.Background()
	var attempts atomic.Int32
	var locked sync.WaitGroup
	locked.Add(2)
	run := func(first, second int) error {
		try := 0
		return postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
			attempts.Add(1)
			try++
			if _, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = $1`, first); err != nil {
				return err
			}
			if try == 1 {
				locked.Done()
				locked.Wait() // both hold their first row
			}
			_, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = $1`, second)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- run(1, 2) }()
	go func() { errs <- run(2, 1) }()
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("inTx did not survive the deadlock: %v", err)
		}
	}
	if n := sum(t, db, table); n != 4 {
		t.Fatalf("sum %d, want 4: each transaction committed once", n)
	}
	// At least one retry: the victim ran twice. (Under load PostgreSQL's
	// deadlock check can also catch the retry itself, so more is allowed.)
	if a := attempts.Load(); a < 3 {
		t.Fatalf("%d attempts, want at least 3 (the deadlock's victim ran again)", a)
	}
}

// With no retries the deadlock's victim fails with the database's error.
func TestInTxNoRetries(t *testing.T) {
	base := pgtest.New(t)
	db, err := postgres.New(base.Pool(), postgres.WithSchema(base.Schema()), postgres.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	table := counterTable(t, db)
	ctx := context.Background()
	var locked sync.WaitGroup
	locked.Add(2)
	run := func(first, second int) error {
		return postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = $1`, first); err != nil {
				return err
			}
			locked.Done()
			locked.Wait()
			_, err := tx.Exec(ctx, `UPDATE `+table+` SET n = n + 1 WHERE id = $1`, second)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- run(1, 2) }()
	go func() { errs <- run(2, 1) }()
	failed := 0
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d transactions failed, want exactly the deadlock's victim", failed)
	}
	if n := sum(t, db, table); n != 2 {
		t.Fatalf("sum %d, want 2: only the survivor committed", n)
	}
}
