package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/sqlstore"
	"github.com/govshare/govshare/request"
)

// RequestStore is a request.Store in the database, and the change feed
// several Service replicas on it follow (Head, Since, Wait). Save stores
// the application, its audit record (through the transaction it hands the
// record function, when the log is an AuditLog of the same database) and
// a numbered change in one transaction.
type RequestStore struct {
	db                   *DB
	insertApp, updateApp string
	numberChange         string
	insertChange         string
	since, prune         string
}

// Requests returns the database's application store.
func (db *DB) Requests() *RequestStore {
	return &RequestStore{db: db,
		insertApp: db.qualify(`INSERT INTO {applications}
			(version, state, requester, provider, entry_id, entry_version, renewal_of, created_ns, updated_ns, sweep_at_ns, doc_format, doc, id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		updateApp: db.qualify(`UPDATE {applications} SET
			version = ?, state = ?, requester = ?, provider = ?, entry_id = ?, entry_version = ?, renewal_of = ?,
			created_ns = ?, updated_ns = ?, sweep_at_ns = ?, doc_format = ?, doc = ?
			WHERE id = ? AND version = ?`),
		// LAST_INSERT_ID(expr) hands the new value back with the
		// statement's result: one round trip under the counter's lock.
		numberChange: db.qualify(`UPDATE {request_feed} SET seq = LAST_INSERT_ID(seq + 1) WHERE id = 1`),
		insertChange: db.qualify(`INSERT INTO {request_changes} (seq, application, version, at_ns) VALUES (?, ?, ?, ?)`),
		// The head and the page in one statement, one read view, so that
		// Since can tell pruned changes from changes not yet committed.
		since: db.qualify(`SELECT f.seq, c.seq, c.application, c.version FROM {request_feed} f
			LEFT JOIN (SELECT seq, application, version FROM {request_changes} WHERE seq > ? ORDER BY seq LIMIT ?) c ON 1 = 1
			WHERE f.id = 1 ORDER BY c.seq`),
		prune: db.qualify(`DELETE FROM {request_changes} WHERE seq <= (SELECT seq FROM {request_feed} WHERE id = 1) - ?`),
	}
}

// maxID is the longest application ID the store keeps, in characters
// (the key column is VARCHAR(191), which every engine of the family can
// index in utf8mb4).
const maxID = 191

// docFormat is the doc column's format: request.Application's JSON form.
const docFormat = 1

const appColumns = `version, doc_format, doc`

// Get returns the application with the id, or govshare.ErrNotFound. On
// a Galera node an absent application is read again causally before it is
// reported missing (causal.go).
func (s *RequestStore) Get(ctx context.Context, id string) (request.Application, error) {
	q := querier(s.db.db)
	if tx, ok := txFrom(ctx); ok {
		q = tx
	}
	var version int64
	var format int
	var doc string
	query := s.db.qualify(`SELECT ` + appColumns + ` FROM {applications} WHERE id = ?`)
	err := q.QueryRowContext(ctx, query, id).Scan(&version, &format, &doc)
	if err == sql.ErrNoRows {
		// Absent here; on a Galera node perhaps not yet applied (causal.go).
		ran, cerr := s.db.causally(ctx, func(q querier) error {
			return q.QueryRowContext(ctx, query, id).Scan(&version, &format, &doc)
		})
		if !ran && cerr == nil || cerr == sql.ErrNoRows {
			return request.Application{}, notFound(id)
		}
		err = cerr
	}
	if err != nil {
		return request.Application{}, dbError("get application", err)
	}
	return decodeApp(id, version, format, doc)
}

func notFound(id string) error {
	return &govshare.CodedError{Kind: govshare.ErrNotFound, Code: "request.not_found",
		Zh: "申请“" + id + "”不存在", En: "application " + strconv.Quote(id) + " not found"}
}

func conflict(id string, current, expected int64) error {
	return &govshare.CodedError{Kind: govshare.ErrConflict, Code: "request.version_conflict",
		Zh: fmt.Sprintf("申请“%s”的版本为 %d，不是 %d（已被他人修改）", id, current, expected),
		En: fmt.Sprintf("application %q is at version %d, not %d", id, current, expected)}
}

func decodeApp(id string, version int64, format int, doc string) (request.Application, error) {
	var a request.Application
	if format != docFormat {
		return a, corruptApp(id, "unknown document format "+strconv.Itoa(format))
	}
	if err := json.Unmarshal([]byte(doc), &a); err != nil {
		return a, corruptApp(id, err.Error())
	}
	if a.ID != id || a.Version != version {
		return a, corruptApp(id, fmt.Sprintf("the document is of %q version %d, the row of version %d", a.ID, a.Version, version))
	}
	// Instants as they were before the JSON round trip (deadline.CST).
	sqlstore.InCST(&a)
	return a, nil
}

func corruptApp(id, why string) error {
	return &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "mysql.application_corrupt",
		Zh: "申请“" + id + "”的存储数据无法读取：" + why, En: "mysql: application " + strconv.Quote(id) + " cannot be read: " + why}
}

// Save implements request.Store.Save in one transaction: it writes the
// application if the stored version is expected (UPDATE … WHERE version,
// or INSERT for a new id), calls record with a context carrying the
// transaction, and numbers the change. A version other than expected is govshare.ErrConflict (also
// when two creations of one id race: the loser's insert meets the
// winner's key), and a failing record, insert or commit stores nothing.
func (s *RequestStore) Save(ctx context.Context, app request.Application, expected int64, record func(ctx context.Context) error) (request.Application, error) {
	if app.ID == "" {
		return request.Application{}, fmt.Errorf("%w: an application needs an ID", govshare.ErrInvalid)
	}
	if n := len([]rune(app.ID)); n > maxID {
		return request.Application{}, fmt.Errorf("%w: an application ID has at most %d characters, not %d", govshare.ErrInvalid, maxID, n)
	}
	app.Version = expected + 1
	doc, err := json.Marshal(app)
	if err != nil {
		return request.Application{}, fmt.Errorf("%w: encoding application %q: %v", govshare.ErrInvalid, app.ID, err)
	}
	var due any
	if t := app.SweepAt(); !t.IsZero() {
		due = t.UnixNano()
	}
	args := []any{app.Version, uint8(app.State), app.Requester.ID(), app.Provider.ID(), app.EntryID, app.EntryVersion,
		app.RenewalOf, app.CreatedAt.UnixNano(), app.UpdatedAt.UnixNano(), due, docFormat, string(doc)}
	err = s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The application's row first: the version check is the
		// statement's own condition (or the key, for a creation), and the
		// row stays locked until the commit. Only then the shared rows —
		// the audit head (record) and the feed counter — which every
		// transition locks, for as few statements as possible.
		if expected == 0 {
			_, err := tx.ExecContext(ctx, s.insertApp, append(args, app.ID)...)
			if errorNumber(err) == errDuplicate {
				return conflict(app.ID, 1, 0)
			}
			if err != nil {
				return dbError("save application", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, s.updateApp, append(args, app.ID, expected)...)
			if err != nil {
				return dbError("save application", err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				var current int64
				switch err := tx.QueryRowContext(ctx, s.db.qualify(`SELECT version FROM {applications} WHERE id = ?`), app.ID).Scan(&current); {
				case err == sql.ErrNoRows:
					return conflict(app.ID, 0, expected)
				case err != nil:
					return dbError("save application", err)
				}
				return conflict(app.ID, current, expected)
			}
		}
		if record != nil {
			if err := record(ctx); err != nil {
				return err
			}
		}
		return s.addChange(ctx, tx, app.ID, app.Version)
	})
	if err != nil {
		return request.Application{}, err
	}
	return app, nil
}

// addChange numbers a change under the feed's counter row, which stays
// locked until the transaction commits: changes commit in seq order.
func (s *RequestStore) addChange(ctx context.Context, tx *sql.Tx, id string, version int64) error {
	res, err := tx.ExecContext(ctx, s.numberChange)
	if err != nil {
		return dbError("save: number change", err)
	}
	seq, err := res.LastInsertId()
	if err != nil || seq <= 0 {
		return dbError("save: number change", fmt.Errorf("no sequence number from LAST_INSERT_ID (%v)", err))
	}
	if _, err := tx.ExecContext(ctx, s.insertChange, seq, id, version, time.Now().UnixNano()); err != nil {
		return raced("save: record change", err)
	}
	return nil
}

// Due implements request.Store.Due on the index of sweep_at_ns
// (Application.SweepAt): it reads the applications due by until in order
// of that instant, batch by batch, so that it costs what it returns.
func (s *RequestStore) Due(ctx context.Context, until time.Time, fn func(request.Application) bool) error {
	limit := until.UnixNano()
	var at int64 = -1 << 63
	after := ""
	for {
		rows, err := s.db.db.QueryContext(ctx, s.db.qualify(`SELECT id, sweep_at_ns, `+appColumns+` FROM {applications}
			WHERE sweep_at_ns <= ? AND (sweep_at_ns > ? OR sweep_at_ns = ? AND id > ?)
			ORDER BY sweep_at_ns, id LIMIT `)+strconv.Itoa(batch), limit, at, at, after)
		if err != nil {
			return dbError("due applications", err)
		}
		apps, last, err := scanApps(rows, true)
		if err != nil {
			return err
		}
		for _, a := range apps {
			if !fn(a) {
				return nil
			}
		}
		if len(apps) < batch {
			return ctx.Err()
		}
		at, after = last, apps[len(apps)-1].ID
	}
}

// All implements request.Store.All.
func (s *RequestStore) All(ctx context.Context, fn func(request.Application) bool) error {
	after := ""
	for {
		rows, err := s.db.db.QueryContext(ctx, s.db.qualify(`SELECT id, `+appColumns+` FROM {applications} WHERE id > ? ORDER BY id LIMIT `)+
			strconv.Itoa(batch), after)
		if err != nil {
			return dbError("read applications", err)
		}
		apps, _, err := scanApps(rows, false)
		if err != nil {
			return err
		}
		for _, a := range apps {
			if !fn(a) {
				return nil
			}
		}
		if len(apps) < batch {
			return ctx.Err()
		}
		after = apps[len(apps)-1].ID
	}
}

// scanApps reads and closes rows of id, [sweep_at_ns,] version,
// doc_format, doc, returning the applications and the last sweep instant.
// No statement is open while the caller's function runs.
func scanApps(rows *sql.Rows, withSweep bool) ([]request.Application, int64, error) {
	defer rows.Close()
	var apps []request.Application
	var last int64
	for rows.Next() {
		var id, doc string
		var version int64
		var format int
		dest := []any{&id, &version, &format, &doc}
		if withSweep {
			dest = []any{&id, &last, &version, &format, &doc}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, dbError("read applications", err)
		}
		a, err := decodeApp(id, version, format, doc)
		if err != nil {
			return nil, 0, err
		}
		apps = append(apps, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, dbError("read applications", err)
	}
	return apps, last, nil
}
