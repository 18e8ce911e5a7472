package postgres

import (
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare/internal/sqlstore"
)

// DB is govshare's view of a PostgreSQL database: the host's connection
// pool and the schema that holds govshare's tables. It is safe for
// concurrent use; the stores it makes (Catalog, AuditLog, Requests) share
// its pool. The host owns the pool: DB never closes it.
type DB struct {
	pool    *pgxpool.Pool
	schema  string
	retries int
	lockKey int64 // the advisory lock Migrate takes (migrate.go)
}

// New returns a DB on pool. Nothing is read or written: call Migrate
// before the first use of a store, once per deployment or at every start
// (it is idempotent and safe to run from several replicas at once). A nil
// pool or a bad option is an error matching govshare.ErrInvalid, and no
// DB.
func New(pool *pgxpool.Pool, opts ...Option) (*DB, error) {
	if pool == nil {
		return nil, optionError("New", "连接池为空", "nil pool")
	}
	c := config{schema: DefaultSchema, retries: DefaultRetries}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	return &DB{pool: pool, schema: c.schema, retries: c.retries, lockKey: advisoryKey(c.schema)}, nil
}

// Pool returns the pool the DB was made with.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Schema returns the name of the schema that holds govshare's tables.
func (db *DB) Schema() string { return db.schema }

// table returns the schema-qualified, quoted name of one of govshare's
// tables, for building statements: nothing relies on search_path.
func (db *DB) table(name string) string { return pgx.Identifier{db.schema, name}.Sanitize() }

// qualify replaces every {schema} in sql with the quoted schema name: the
// way statements and migrations name their tables.
func (db *DB) qualify(sql string) string {
	return strings.ReplaceAll(sql, "{schema}", pgx.Identifier{db.schema}.Sanitize())
}

// dbError wraps an error from the database driver in a typed error:
// govshare.ErrUnavailable for a server that cannot be reached or is
// shutting down or out of resources, govshare.ErrInternal otherwise. A
// context's error and errors that already have a kind are returned as
// they are.
func dbError(op string, err error) error {
	return sqlstore.DBError("postgres", op, err, unavailable)
}

// unavailable reports whether err says the server cannot be used now
// rather than that a statement failed: a connection that cannot be made
// or was lost, a server shutting down (SQLSTATE class 57P) or out of
// resources (class 53), a connection exception (class 08).
func unavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53") || strings.HasPrefix(pe.Code, "57P")
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
