package mysql

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/govshare/govshare/internal/sqlstore"
)

// DB is govshare's view of a MySQL-family database: the host's *sql.DB
// (opened with github.com/go-sql-driver/mysql) and the database that holds
// govshare's tables. It is safe for concurrent use; the stores it makes
// (AuditLog, Requests) share the pool. The host owns the pool: DB never
// closes it.
//
// The DSN needs nothing special: every instant is stored as an integer
// (Unix nanoseconds), so neither parseTime nor loc nor the server's time
// zone matters, and New's statements set the connection's character set
// they need (utf8mb4) themselves. Give the DSN charset=utf8mb4 or
// collation=utf8mb4_bin anyway if the server's default is not utf8mb4.
type DB struct {
	db          *sql.DB
	database    string // "" for the connection's default database
	retries     int
	lockTimeout int           // seconds
	lockName    string        // the GET_LOCK name of Migrate
	poll        time.Duration // the change feed's poll interval
	retried     atomic.Int64
	lost        atomic.Int64 // transactions a Galera node rolled back silently (tx.go)
	galera      atomic.Int32 // galeraUnknown, galeraOn, galeraOff (causal.go)
}

// Stats are counters of a DB since New.
type Stats struct {
	// Retries is how many times a transaction was run again after a
	// deadlock, a Galera certification failure or a lock wait timeout.
	Retries int64
	// SilentAborts is how many of those retries were of a transaction a
	// Galera node had rolled back without an error (see the package
	// documentation, Galera).
	SilentAborts int64
}

// Stats returns the DB's counters.
func (db *DB) Stats() Stats { return Stats{Retries: db.retried.Load(), SilentAborts: db.lost.Load()} }

func (db *DB) countLost() { db.lost.Add(1) }

func (db *DB) countRetry() { db.retried.Add(1) }

// New returns a DB on db. Nothing is read or written: call Migrate before
// the first use of a store, once per deployment or at every start (it is
// idempotent and safe to run from several replicas at once). A nil db or a
// bad option is an error matching govshare.ErrInvalid, and no DB.
func New(db *sql.DB, opts ...Option) (*DB, error) {
	if db == nil {
		return nil, optionError("New", "连接池为空", "nil *sql.DB")
	}
	c := config{retries: DefaultRetries, lockTimeout: DefaultLockTimeout, poll: DefaultPollInterval}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	name := "govshare.migrate"
	if c.database != "" {
		name += "." + c.database
	}
	return &DB{db: db, database: c.database, retries: c.retries, poll: c.poll,
		lockTimeout: int(c.lockTimeout.Seconds()), lockName: name}, nil
}

// SQL returns the *sql.DB the DB was made with.
func (db *DB) SQL() *sql.DB { return db.db }

// Database returns the name of the database that holds govshare's tables,
// "" when they are in the connection's default database.
func (db *DB) Database() string { return db.database }

// table returns the qualified, quoted name of one of govshare's tables.
func (db *DB) table(name string) string {
	if db.database == "" {
		return "`" + name + "`"
	}
	return "`" + db.database + "`.`" + name + "`"
}

// qualify replaces every {name} in sql with the qualified table name: the
// way statements and migrations name their tables.
func (db *DB) qualify(sql string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(sql, '{')
		if i < 0 {
			b.WriteString(sql)
			return b.String()
		}
		j := strings.IndexByte(sql[i:], '}')
		if j < 0 {
			b.WriteString(sql)
			return b.String()
		}
		b.WriteString(sql[:i])
		b.WriteString(db.table(sql[i+1 : i+j]))
		sql = sql[i+j+1:]
	}
}

// MySQL and MariaDB error numbers the stores act on.
const (
	errLockWaitTimeout = 1205 // ER_LOCK_WAIT_TIMEOUT
	errDeadlock        = 1213 // ER_LOCK_DEADLOCK; also a Galera certification failure
	errDuplicate       = 1062 // ER_DUP_ENTRY
	errUnknownCommand  = 1047 // ER_UNKNOWN_COM_ERROR: a Galera node not ready (WSREP has not yet prepared node)
	errNotSupported    = 1235 // ER_NOT_SUPPORTED_YET
	errServerShutdown  = 1053 // ER_SERVER_SHUTDOWN
	errTooManyConns    = 1040 // ER_CON_COUNT_ERROR
	errQueryInterrupt  = 1317 // ER_QUERY_INTERRUPTED
	errConnKilled      = 1927 // ER_CONNECTION_KILLED (MariaDB)
	errReadOnly        = 1290 // ER_OPTION_PREVENTS_STATEMENT (e.g. --read-only)
	// TiDB's own: a write conflict in optimistic mode, and errors it
	// documents as safe to retry.
	errTiDBWriteConflict = 9007
	errTiDBRetryable     = 8022
)

// errorNumber returns the server's error number of err, 0 if it is not a
// server error.
func errorNumber(err error) uint16 {
	var me *mysqldrv.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// dbError wraps an error from the driver in a typed error:
// govshare.ErrUnavailable for a server that cannot be reached, is shutting
// down, refuses connections or is a Galera node not ready for
// application use; govshare.ErrInternal otherwise. A context's error and
// errors that already have a kind are returned as they are.
func dbError(op string, err error) error {
	return sqlstore.DBError("mysql", op, err, unavailable)
}

// unavailable reports whether err says the server cannot be used now
// rather than that a statement failed.
func unavailable(err error) bool {
	switch errorNumber(err) {
	case errUnknownCommand, errServerShutdown, errTooManyConns, errConnKilled, errReadOnly, errQueryInterrupt:
		return true
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, mysqldrv.ErrInvalidConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, sql.ErrConnDone)
}
