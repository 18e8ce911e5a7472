package postgres

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/sqlstore"
)

// The migrations, one file per schema version: migrations/NNNN_name.sql,
// numbered from 0001 without gaps. Each names its tables {schema}.table;
// Migrate puts the quoted schema name in. A released migration is never
// changed: a change of layout is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the schema versions this code knows, in order; loaded
// once, and checked so that a bad file fails every test at once.
var migrations = mustLoadMigrations()

func mustLoadMigrations() []sqlstore.Migration {
	ms, err := sqlstore.LoadMigrations(migrationFiles, "migrations", "postgres")
	if err != nil {
		panic(err)
	}
	return ms
}

// SchemaVersion is the schema version this code migrates to: the number
// of its last migration.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema to SchemaVersion: it creates the schema if
// need be and applies, in one transaction, every migration the database
// has not had, recording each in the schema_version table. It is
// idempotent, and replicas may run it at once: the transaction holds a
// transaction-scoped advisory lock derived from the schema name, so one
// migrates and the others then find nothing to do. A database whose
// schema is newer than this code — a newer release migrated it — is
// refused with a *SchemaError (govshare.ErrConflict) and nothing changes;
// the code must be upgraded, never the schema rolled back under it.
func (db *DB) Migrate(ctx context.Context) error {
	return db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", db.lockKey); err != nil {
			return dbError("migrate: lock", err)
		}
		// Only a missing schema is created, so that a role without the
		// CREATE privilege on the database can migrate a schema an
		// administrator made for it.
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT to_regnamespace($1) IS NOT NULL`, pgx.Identifier{db.schema}.Sanitize()).Scan(&exists); err != nil {
			return dbError("migrate: find schema", err)
		}
		if !exists {
			if _, err := tx.Exec(ctx, db.qualify(`CREATE SCHEMA {schema}`)); err != nil {
				return dbError("migrate: create schema", err)
			}
		}
		if _, err := tx.Exec(ctx, db.qualify(`CREATE TABLE IF NOT EXISTS {schema}.schema_version (
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`)); err != nil {
			return dbError("migrate: create schema_version", err)
		}
		var current int
		if err := tx.QueryRow(ctx, db.qualify(`SELECT coalesce(max(version), 0) FROM {schema}.schema_version`)).Scan(&current); err != nil {
			return dbError("migrate: read version", err)
		}
		if current > len(migrations) {
			return &SchemaError{Schema: db.schema, Database: current, Code: len(migrations)}
		}
		for _, m := range migrations[current:] {
			// No arguments: pgx sends the file with the simple
			// protocol, so a migration may hold several statements.
			if _, err := tx.Exec(ctx, db.qualify(m.SQL)); err != nil {
				return dbError("migrate: "+m.Name, err)
			}
			if _, err := tx.Exec(ctx, db.qualify(`INSERT INTO {schema}.schema_version (version, name) VALUES ($1, $2)`), m.Version, m.Name); err != nil {
				return dbError("migrate: record "+m.Name, err)
			}
		}
		return nil
	})
}

// Version returns the schema version of the database: 0 before the first
// Migrate.
func (db *DB) Version(ctx context.Context) (int, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, db.table("schema_version")).Scan(&exists); err != nil {
		return 0, dbError("schema version", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := db.pool.QueryRow(ctx, db.qualify(`SELECT coalesce(max(version), 0) FROM {schema}.schema_version`)).Scan(&v); err != nil {
		return 0, dbError("schema version", err)
	}
	return v, nil
}

// advisoryKey is the key of the advisory lock Migrate takes for schema:
// 64 bits of FNV-1a over a prefix and the name, so that two schemas in one
// database migrate independently.
func advisoryKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("govshare.migrate:" + schema))
	return int64(h.Sum64())
}

// SchemaError is Migrate's refusal of a database whose schema version is
// newer than the code's (govshare.ErrConflict): a newer release migrated
// it, and this one does not know its layout.
type SchemaError struct {
	Schema   string // the schema
	Database int    // the database's schema version
	Code     int    // the newest version this code knows (SchemaVersion)
}

// Error describes the problem in English.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("postgres: schema %q is at version %d, newer than this code's %d: upgrade govshare", e.Schema, e.Database, e.Code)
}

// Unwrap returns govshare.ErrConflict.
func (e *SchemaError) Unwrap() error { return govshare.ErrConflict }

// ErrorMessage implements govshare.Messenger.
func (e *SchemaError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "postgres.schema_newer",
		Zh: fmt.Sprintf("数据库模式“%s”的版本为%d，高于本程序支持的%d：请升级 govshare，不要回退数据库", e.Schema, e.Database, e.Code),
		En: e.Error()}
}
