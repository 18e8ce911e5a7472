// Package postgres keeps govshare's state in PostgreSQL, and in the
// engines that speak its protocol (openGauss, KingbaseES, YugabyteDB; see
// docs/postgres.md, "Portability"): the catalog (a catalog.Store), the
// audit log (an audit.Log, one or several named logs) and the requests (a
// request.Store), on the host's own pgx connection pool.
//
// A host makes one DB from its pool and migrates it at every start:
//
//	pool, err := pgxpool.New(ctx, "postgres://govshare@db.example.gov.cn/platform")
//	db, err := postgres.New(pool)                     // schema "govshare"; WithSchema to change it
//	err = db.Migrate(ctx)                             // idempotent; replicas may run it at once
//	entries, err := db.Catalog(catalog.WithPolicy(p)) // a catalog.Store
//	log, err := db.AuditLog(ctx, "main", audit.WithKey(key), audit.WithSigner(s))
//
// # Schema
//
// Every table lives in one schema (DefaultSchema unless WithSchema says
// otherwise), and every statement names it: nothing depends on the
// connection's search_path, and several installations can share a
// database. The layout is versioned: Migrate applies the embedded
// migrations (migrations/NNNN_name.sql) the database has not had, in one
// transaction under an advisory lock, records them in schema_version, and
// refuses a database a newer release has migrated (*SchemaError). The
// tables have typed columns, documented in docs/postgres.md; only an
// audit event's open-ended details are JSON.
//
// # Transactions
//
// Each write is one transaction, run again when PostgreSQL aborts it as a
// serialization failure or a deadlock (WithRetries). A store's change and
// its audit record are written in the same transaction: when it fails,
// neither is stored.
//
// # Errors
//
// Errors have the kinds of the root package: the stores' own (a version
// conflict is govshare.ErrConflict, as in the memory stores), a server
// that cannot be reached govshare.ErrUnavailable, any other failure of
// the database govshare.ErrInternal, each with a Chinese and an English
// message (govshare.MessageOf).
//
// # Tests
//
// The tests need a server: GOVSHARE_TEST_POSTGRES, by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. Each test runs
// in a fresh schema it drops afterwards. Without a server the tests are
// skipped, unless CI is set, when they fail.
package postgres
