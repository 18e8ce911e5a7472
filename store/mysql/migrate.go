package mysql

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/sqlstore"
)

// The migrations, one file per schema version: migrations/NNNN_name.sql,
// numbered from 0001 without gaps. Each names its tables {table}; Migrate
// puts the qualified, quoted name in. Statements end with a semicolon at
// the end of a line. A released migration is never changed: a change of
// layout is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema version, split into statements (MySQL runs
// one statement at a time).
type migration struct {
	sqlstore.Migration
	statements []string // in order
}

// migrations are the schema versions this code knows, in order; loaded
// once, and checked so that a bad file fails every test at once.
var migrations = mustLoadMigrations()

func mustLoadMigrations() []migration {
	files, err := sqlstore.LoadMigrations(migrationFiles, "migrations", "mysql")
	if err != nil {
		panic(err)
	}
	ms := make([]migration, len(files))
	for i, f := range files {
		ms[i] = migration{Migration: f, statements: splitStatements(f.SQL)}
		if len(ms[i].statements) == 0 {
			panic(fmt.Errorf("mysql: migration %s has no statements", f.Name))
		}
	}
	return ms
}

// splitStatements splits a migration at each semicolon that ends a line,
// dropping comment lines (--) and blank statements.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(sql) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(t, ";") {
			if s := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"); strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// SchemaVersion is the schema version this code migrates to: the number
// of its last migration.
func SchemaVersion() int { return len(migrations) }

// SchemaError is a database whose schema version is newer than this
// code's: a newer release migrated it. Its kind is govshare.ErrConflict;
// the code must be upgraded, never the schema rolled back under it.
type SchemaError struct {
	Database string // the database, "" for the connection's default
	Found    int    // the schema version of the database
	Code     int    // SchemaVersion of this code
}

// Error returns the message.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("mysql: database %q has schema version %d, newer than this code's %d: upgrade govshare", e.Database, e.Found, e.Code)
}

// Unwrap returns govshare.ErrConflict, the error's kind.
func (e *SchemaError) Unwrap() error { return govshare.ErrConflict }

// ErrorMessage implements govshare.Messenger.
func (e *SchemaError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "mysql.schema_newer",
		Zh: fmt.Sprintf("数据库的模式版本 %d 新于本程序的 %d，请升级 govshare", e.Found, e.Code),
		En: e.Error()}
}

// Migrate brings the database to SchemaVersion: it creates the database
// (WithDatabase) if need be and applies every migration it has not had,
// recording each in the schema_version table. It is idempotent, and
// replicas may run it at once: it holds the named lock GET_LOCK on one
// connection (waiting up to WithLockTimeout), so one migrates and the
// others then find nothing to do. A database whose schema is newer than
// this code is refused with a *SchemaError (govshare.ErrConflict) and
// nothing changes.
//
// MySQL commits DDL implicitly, so a migration is not one transaction: if
// the server fails halfway, the next Migrate applies the interrupted
// migration again, and every statement of a migration is written to be
// run again (CREATE TABLE IF NOT EXISTS, indexes declared in the table).
// On a Galera cluster GET_LOCK holds on one node only: replicas on two
// nodes may migrate at once, but DDL runs in total order on every node,
// CREATE … IF NOT EXISTS makes the second one's statements no-ops and the
// version row's key makes it find the version recorded. An engine that
// refuses GET_LOCK (ER_NOT_SUPPORTED_YET) migrates the same way.
func (db *DB) Migrate(ctx context.Context) (err error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return dbError("migrate: connect", err)
	}
	defer conn.Close()
	locked, err := db.lock(ctx, conn)
	if err != nil {
		return err
	}
	if locked {
		defer func() {
			// A lost connection releases the lock by itself.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", db.lockName)
		}()
	}
	if db.database != "" {
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?", db.database).Scan(&n); err != nil {
			return dbError("migrate: find database", err)
		}
		if n == 0 {
			if _, err := conn.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+db.database+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
				return dbError("migrate: create database", err)
			}
		}
	}
	if _, err := conn.ExecContext(ctx, db.qualify(`CREATE TABLE IF NOT EXISTS {schema_version} (
	version    INT          NOT NULL PRIMARY KEY,
	name       VARCHAR(200) NOT NULL,
	applied_ns BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)); err != nil {
		return dbError("migrate: create schema_version", err)
	}
	current, err := db.version(ctx, conn)
	if err != nil {
		return err
	}
	if current > len(migrations) {
		return &SchemaError{Database: db.database, Found: current, Code: len(migrations)}
	}
	for _, m := range migrations[current:] {
		for i, st := range m.statements {
			if err := db.execMigration(ctx, conn, db.qualify(st)); err != nil {
				return dbError("migrate: "+m.Name+" statement "+strconv.Itoa(i+1), err)
			}
		}
		err := db.execMigration(ctx, conn, db.qualify(`INSERT INTO {schema_version} (version, name, applied_ns) VALUES (?, ?, ?)`),
			m.Version, m.Name, time.Now().UnixNano())
		if errorNumber(err) == errDuplicate {
			continue // another replica recorded it (Galera, without GET_LOCK)
		}
		if err != nil {
			return dbError("migrate: record "+m.Name, err)
		}
	}
	return nil
}

// execMigration runs one statement of a migration, again after a
// deadlock or certification conflict (on Galera, replicas migrating
// through other nodes at the same moment write the same rows), up to the
// DB's retries: every statement of a migration can run twice.
func (db *DB) execMigration(ctx context.Context, conn *sql.Conn, stmt string, args ...any) error {
	for attempt := 0; ; attempt++ {
		_, err := conn.ExecContext(ctx, stmt, args...)
		if err == nil || !retryable(err) || attempt >= db.retries {
			return err
		}
		db.countRetry()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1+attempt) * 5 * time.Millisecond):
		}
	}
}

// lock takes Migrate's named lock on conn. It reports false, and no error,
// on an engine that refuses GET_LOCK (a Galera cluster).
func (db *DB) lock(ctx context.Context, conn *sql.Conn) (bool, error) {
	var got sql.NullInt64
	err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", db.lockName, db.lockTimeout).Scan(&got)
	switch {
	case errorNumber(err) == errNotSupported:
		return false, nil
	case err != nil:
		return false, dbError("migrate: lock", err)
	case !got.Valid || got.Int64 != 1:
		return false, &govshare.CodedError{Kind: govshare.ErrUnavailable, Code: "mysql.migrate_locked",
			Zh: "另一副本正在迁移数据库模式，等待 " + strconv.Itoa(db.lockTimeout) + " 秒后仍未结束",
			En: "mysql: migrate: another replica held the migration lock " + strconv.Quote(db.lockName) + " for " + strconv.Itoa(db.lockTimeout) + "s"}
	}
	return true, nil
}

// querier is what *sql.DB, *sql.Conn and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) version(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, db.qualify(`SELECT COALESCE(MAX(version), 0) FROM {schema_version}`)).Scan(&v); err != nil {
		return 0, dbError("schema version", err)
	}
	return v, nil
}

// Version returns the schema version of the database: 0 before the first
// Migrate.
func (db *DB) Version(ctx context.Context) (int, error) {
	v, err := db.version(ctx, db.db)
	if n := errorNumber(err); n == 1146 || n == 1049 { // ER_NO_SUCH_TABLE, ER_BAD_DB_ERROR
		return 0, nil
	}
	return v, err
}
