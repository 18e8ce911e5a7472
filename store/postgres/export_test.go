package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Exports of unexported functions for the external tests (package
// postgres_test, which can import internal/pgtest). Another file's
// exports go in an export_<name>_test.go of its own.

// InTx is (*DB).inTx.
func InTx(db *DB, ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	return db.inTx(ctx, fn)
}

// TxFrom is txFrom.
func TxFrom(ctx context.Context) (pgx.Tx, bool) { return txFrom(ctx) }

// WithTx is withTx.
func WithTx(ctx context.Context, tx pgx.Tx) context.Context { return withTx(ctx, tx) }

// Table is (*DB).table.
func Table(db *DB, name string) string { return db.table(name) }
