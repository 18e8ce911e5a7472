// Package mysql keeps govshare's stores in the MySQL family — MySQL 8,
// MariaDB 10.6+, TiDB, OceanBase in MySQL mode — through database/sql
// and github.com/go-sql-driver/mysql: an audit log implementing the whole
// audit.Log (AuditLog), and a request.Store with its change feed
// (Requests), whose transitions are stored in the same transaction as
// their audit records. It runs on a single server and on a multi-primary
// Galera cluster.
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
// needs no parseTime or loc. docs/mysql.md documents the layout and which
// constructs are not shared by every engine of the family.
//
// # Transactions
//
// Each write is one transaction at the server's isolation level (every
// read a write depends on is a locking read), run again when the server
// reports a deadlock (1213 — also how a Galera node reports that another
// node's transaction won certification) or a lock wait timeout (1205), up
// to WithRetries times. A store's change and its audit record are written
// in the same transaction: when it fails, neither is stored. Every
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
