package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// Galera applies another node's committed transactions asynchronously:
// a node's plain read may not yet see a row the cluster has committed.
// A read that finds a row is safe for the stores (every write re-checks
// what it depends on with a locking read or the UPDATE's own condition,
// and certification refuses a write based on a stale row), but an
// absence is an answer no write re-checks: "application not found" on
// node 2 moments after node 1 acknowledged its creation. So before a
// store reports a row missing, it reads again causally — on a connection
// with wsrep_sync_wait = 1, which waits until the node has applied every
// transaction the cluster committed before the read. On a server that is
// not a Galera node (found once, by asking @@global.wsrep_on) nothing is
// read again.

// Whether the server is a Galera node: not yet asked, yes, no.
const (
	galeraUnknown int32 = iota
	galeraOn
	galeraOff
)

// errUnknownVariable is ER_UNKNOWN_SYSTEM_VARIABLE: MySQL without wsrep.
const errUnknownVariable = 1193

// isGalera reports whether the server is a Galera node with replication
// on, asking it the first time.
func (db *DB) isGalera(ctx context.Context) (bool, error) {
	switch db.galera.Load() {
	case galeraOn:
		return true, nil
	case galeraOff:
		return false, nil
	}
	var on sql.NullString
	err := db.db.QueryRowContext(ctx, "SELECT @@global.wsrep_on").Scan(&on)
	switch {
	case errorNumber(err) == errUnknownVariable:
		db.galera.Store(galeraOff)
		return false, nil
	case err != nil:
		return false, dbError("ask whether the server is a Galera node", err)
	}
	galera := on.String == "1" || on.String == "ON"
	if galera {
		db.galera.Store(galeraOn)
	} else {
		db.galera.Store(galeraOff)
	}
	return galera, nil
}

// causally runs read again on a connection that first waits until the
// node has applied everything the cluster committed, when the server is a
// Galera node and ctx carries no transaction (whose own snapshot decides
// what it sees). It reports whether read ran. The connection's previous
// wsrep_sync_wait (the host's DSN may set one) is put back afterwards;
// a connection where that fails is discarded.
func (db *DB) causally(ctx context.Context, read func(q querier) error) (bool, error) {
	if _, ok := txFrom(ctx); ok {
		return false, nil
	}
	galera, err := db.isGalera(ctx)
	if err != nil || !galera {
		return false, err
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return true, dbError("connect", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET @govshare_sync_wait = @@session.wsrep_sync_wait, SESSION wsrep_sync_wait = 1"); err != nil {
		return true, dbError("causal read", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION wsrep_sync_wait = @govshare_sync_wait"); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return true, read(conn)
}
