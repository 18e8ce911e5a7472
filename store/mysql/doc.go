// Package mysql keeps govshare's stores in the MySQL family — MySQL 8,
// MariaDB 10.6+, TiDB, OceanBase in MySQL mode — through database/sql
// and github.com/go-sql-driver/mysql: a catalog.Store (Catalog), an audit
// log implementing the whole audit.Log (AuditLog), and a request.Store
// with its change feed, request.ChangeFeed (Requests), whose transitions
// are stored in the same transaction as their audit records. Each passes
// its conformance kit (catalogtest, audittest, requesttest). It runs on a
// single server and on a multi-primary Galera cluster.
//
// # Replicas
//
// MySQL has no LISTEN/NOTIFY: every stored transition adds a row to a
// change table, numbered under one locked counter row so that numbers
// commit in order, and request.Service.Follow on every replica polls it
// (DefaultPollInterval, WithPollInterval) and re-reads each changed
// application, so a revoke committed on one replica is denied on all of
// them within about one interval.
//
// # Schema
//
// New wraps the host's *sql.DB; Migrate applies the embedded, versioned
// migrations (migrations/NNNN_name.sql) under the named lock GET_LOCK so
// that replicas starting at once do not race, is idempotent, and refuses a
// database a newer release has migrated (*SchemaError). The tables have
// typed columns in utf8mb4 with the binary collation utf8mb4_bin (text
// compares and round-trips byte for byte, Chinese and 4-byte characters
// such as 𠀀 included); instants are Unix nanoseconds in BIGINT columns,
// so neither the server's nor the client's time zone matters and the DSN
// needs no parseTime or loc. An application's nested history (answers,
// extensions, deliveries, …) is the one exception to typed columns: it is
// the application's JSON form in one versioned column, read and written
// with the row. docs/mysql.md documents the layout and which
// constructs are not shared by every engine of the family.
//
// # Transactions
//
// Each write is one transaction at the server's isolation level (every
// read a write depends on is a locking read), run again when the server
// reports a deadlock (1213 — also how a Galera node reports that another
// node's transaction won certification) or a lock wait timeout (1205), up
// to WithRetries times; when they run out the error is
// govshare.ErrConflict (mysql.contention) and nothing was stored. On a
// Galera node, whose reads may lag what the cluster committed, a row that
// is not found is read again causally (wsrep_sync_wait) before a store
// reports it missing, and every transaction checks before its commit that
// the node has not rolled it back without an error (Stats.SilentAborts;
// docs/mysql.md, Galera). A store's change and its audit record are
// written in the same transaction: when it fails, neither is stored. Every
// transition of one log locks that log's head row and the feed's counter
// row until it commits; Save takes them last, after the application's own
// row, so that they are held for five statements. A host whose
// departments or regions write independently gives each its own log.
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
// The tests need a server: GOVSHARE_TEST_MYSQL, by default
// root@tcp(127.0.0.1:3306)/test. Each test runs in a fresh database it
// drops afterwards. Without a server the tests are skipped, unless CI is
// set, when they fail. The Galera tests run when GOVSHARE_TEST_GALERA or
// CI is set: they start a three-node cluster with scripts/galera.sh.
package mysql
