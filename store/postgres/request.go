package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/internal/sqlstore"
	"github.com/govshare/govshare/request"
)

// RequestStore is the request.Store on PostgreSQL (migrations 0003 and
// 0004): one row per application, with the versions checked in the
// database, and a change feed (request.ChangeFeed) for several Service
// replicas on one database. Save writes the application, its audit record
// (when the record function appends to this DB's AuditLog) and its change
// in one transaction. Safe for concurrent use.
type RequestStore struct {
	db                            *DB
	get, insert, update, due, all string
	addChange, head, since, prune string
	lock                          string // the counter's row lock
	channel                       string // the notification channel of the feed
	listener                      listener
	group                         group[*pendingSave] // batch.go
}

// appColumns are the columns of request_applications in the order
// scanApp reads and appArgs writes them.
const appColumns = `id, version, state, requester, requester_name, requester_credit_code, requester_directory_id,
	requester_region, requester_level, provider, provider_name, provider_credit_code, provider_directory_id,
	provider_region, provider_level, entry_id, entry_version, attribute, renewal_of, basis, scenario, items,
	systems, users, method, period_from, period_to, created_at, submitted_at, updated_at, received_at, sweep_at, history`

// Requests returns the DB's request store. It reads and writes nothing
// until used; the schema must be migrated (Migrate).
func (db *DB) Requests() *RequestStore {
	apps, changes, head := db.table("request_applications"), db.table("request_changes"), db.table("request_change_head")
	h := fnv.New64a()
	h.Write([]byte(db.schema))
	s := &RequestStore{db: db,
		get:    `SELECT ` + appColumns + ` FROM ` + apps + ` WHERE id = $1`,
		insert: `INSERT INTO ` + apps + ` (` + appColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)`,
		update: `UPDATE ` + apps + ` SET (` + appColumns + `) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33) WHERE id = $1 AND version = $34`,
		due:    `SELECT ` + appColumns + ` FROM ` + apps + ` WHERE sweep_at <= $1`,
		all:    `SELECT ` + appColumns + ` FROM ` + apps,
		// The counter is locked first in Save's transaction (lock) and
		// held to the commit, which orders the commits; the change is
		// added last. One statement takes the number, adds the change and
		// notifies.
		lock: `SELECT seq FROM ` + head + ` FOR UPDATE`,
		addChange: `WITH n AS (UPDATE ` + head + ` SET seq = seq + 1 RETURNING seq),
	c AS (INSERT INTO ` + changes + ` (seq, application, version) SELECT seq, $1, $2 FROM n RETURNING seq)
SELECT seq, pg_notify($3, seq::text) FROM c`,
		head: `SELECT seq FROM ` + head,
		// The head rides along (one row of NULLs when there is no change),
		// so that a pruned range is told from an empty one.
		since: `SELECT h.seq, c.seq, c.application, c.version FROM ` + head + ` h LEFT JOIN LATERAL
	(SELECT seq, application, version FROM ` + changes + ` WHERE seq > $1 ORDER BY seq LIMIT $2) c ON true ORDER BY c.seq`,
		prune:   `DELETE FROM ` + changes + ` WHERE seq <= (SELECT seq FROM ` + head + `) - $1`,
		channel: "govshare_" + strconv.FormatUint(h.Sum64(), 16),
	}
	s.listener.init(db, s.channel)
	return s
}

var (
	_ request.Store      = (*RequestStore)(nil)
	_ request.ChangeFeed = (*RequestStore)(nil)
)

// Get implements request.Store.Get.
func (s *RequestStore) Get(ctx context.Context, id string) (request.Application, error) {
	a, err := scanApp(s.db.pool.QueryRow(ctx, s.get, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return request.Application{}, fmt.Errorf("%w: application %q", govshare.ErrNotFound, id)
	}
	if err != nil {
		return request.Application{}, dbError("request: get", err)
	}
	return a, nil
}

// Save implements request.Store.Save in one transaction: the change
// counter's lock, the version check and the write of the application (an
// insert for expected 0, whose unique key refuses a concurrent creation
// of the same id; otherwise an update of the row at version expected),
// the change and its notification, then record with the transaction in
// its context (this DB's audit log appends in it). A failure of any step, the commit
// included, stores nothing. The application returned is the one Get will
// return: its instants in typed columns at microsecond precision, in
// China Standard Time.
//
// A Save whose ctx carries no transaction of this package is group
// committed (batch.go): the Saves that arrive while one transaction of
// the store commits share the next one, up to 64, each in a
// savepoint of its own, so that a Save's failure (ErrConflict, its
// record's error) is its own and rolls back only its part; the commit
// stores the others, and a failed commit none. Once its batch has begun,
// a Save waits for its commit even if ctx ends; a Save whose ctx ends
// before is not run. A record func that panics makes its own Save panic
// (in the caller's goroutine), its part rolled back; the batch's other
// Saves go on. Every Save, batched or in a caller's transaction, first
// locks the change counter, so that all of them take the rows they share
// (the counter, then the audit head) in one order.
func (s *RequestStore) Save(ctx context.Context, app request.Application, expected int64, record func(ctx context.Context) error) (request.Application, error) {
	if err := ctx.Err(); err != nil {
		return request.Application{}, err
	}
	if app.ID == "" {
		return request.Application{}, fmt.Errorf("%w: an application needs an ID", govshare.ErrInvalid)
	}
	if expected < 0 {
		return request.Application{}, conflict(app.ID, expected, "no negative version exists")
	}
	app = stored(app)
	app.Version = expected + 1
	args, err := appArgs(app)
	if err != nil {
		return request.Application{}, err
	}
	p := &pendingSave{waiter: waiter{ctx: ctx}, app: app, expected: expected, args: args, record: record}
	if _, ok := txFrom(ctx); ok {
		err = s.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			if err := s.lockCounter(ctx, tx); err != nil {
				return err
			}
			return s.write(ctx, tx, p, false)
		})
	} else {
		s.group.join(p, maxSaveBatch, s.runBatch)
		if p.panicked != nil {
			panic(p.panicked) // the record func's, in its caller's goroutine
		}
		err = p.err
	}
	if err != nil {
		return request.Application{}, err
	}
	return app, nil
}

// lockCounter takes the change counter's row lock, the first lock of
// every Save's transaction.
func (s *RequestStore) lockCounter(ctx context.Context, tx pgx.Tx) error {
	var seq int64
	if err := tx.QueryRow(ctx, s.lock).Scan(&seq); err != nil {
		return dbError("request: lock change counter", err)
	}
	return nil
}

// write is p's part of a transaction whose counter lock is taken: the
// application and its change, then the record. With savepoint, the part
// begins with the savepoint saveSavepoint, and the three statements go
// in one round trip: a refused write has then added a change too, which
// the rollback to the savepoint takes back with the rest. The savepoint
// is not released: the next Save's nests in it, and a rollback to it
// undoes the last Save's part only; the commit ends them all. Without
// savepoint (a caller's transaction), the change is sent only once the
// write has succeeded.
func (s *RequestStore) write(ctx context.Context, tx pgx.Tx, p *pendingSave, savepoint bool) error {
	app, expected := p.app, p.expected
	b := &pgx.Batch{}
	if savepoint {
		b.Queue(`SAVEPOINT ` + saveSavepoint)
	}
	if expected == 0 {
		b.Queue(s.insert, p.args...)
	} else {
		b.Queue(s.update, append(p.args, expected)...)
	}
	change := func(r pgx.Row) error {
		var seq int64
		var notified any
		return dbError("request: change", r.Scan(&seq, &notified))
	}
	if savepoint {
		b.Queue(s.addChange, app.ID, app.Version, s.channel)
	}
	if err := s.sendWrite(tx.SendBatch(ctx, b), app, expected, savepoint, change); err != nil {
		return err
	}
	if !savepoint {
		if err := change(tx.QueryRow(ctx, s.addChange, app.ID, app.Version, s.channel)); err != nil {
			return err
		}
	}
	if p.record != nil {
		return p.record(ctx)
	}
	return nil
}

// sendWrite reads the results of write's batch: the savepoint's, the
// insert's or the update's, with savepoint the change's (change reads
// it).
func (s *RequestStore) sendWrite(br pgx.BatchResults, app request.Application, expected int64, savepoint bool, change func(pgx.Row) error) (err error) {
	defer func() {
		if cerr := br.Close(); err == nil && cerr != nil {
			err = dbError("request: write", cerr)
		}
	}()
	if savepoint {
		if _, err := br.Exec(); err != nil {
			return dbError("request: savepoint", err)
		}
	}
	tag, err := br.Exec()
	switch {
	case expected == 0 && err != nil:
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return conflict(app.ID, expected, "the id is in use")
		}
		return dbError("request: insert", err)
	case err != nil:
		return dbError("request: update", err)
	case expected != 0 && tag.RowsAffected() != 1:
		return conflict(app.ID, expected, "it is missing or at another version")
	}
	if savepoint {
		return change(br.QueryRow())
	}
	return nil
}

func conflict(id string, expected int64, why string) error {
	return &govshare.CodedError{Kind: govshare.ErrConflict, Code: "postgres.version_conflict",
		Zh: fmt.Sprintf("共享申请%s已被修改（预期版本%d）", id, expected),
		En: fmt.Sprintf("postgres: application %q is not at version %d: %s", id, expected, why)}
}

// Due implements request.Store.Due on the sweep_at index. fn runs while
// the rows are read: it must not call the store.
func (s *RequestStore) Due(ctx context.Context, until time.Time, fn func(request.Application) bool) error {
	return s.each(ctx, "request: due", s.due, fn, until)
}

// All implements request.Store.All.
func (s *RequestStore) All(ctx context.Context, fn func(request.Application) bool) error {
	return s.each(ctx, "request: all", s.all, fn)
}

func (s *RequestStore) each(ctx context.Context, op, sql string, fn func(request.Application) bool, args ...any) error {
	rows, err := s.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return dbError(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return dbError(op, err)
		}
		if !fn(a) {
			return nil
		}
	}
	return dbError(op, rows.Err())
}

// history is the JSON column: the list-shaped parts of an application.
// Answer is stored as an index into Replies when it is one of them (the
// reply in force), so that a read gives back one answer, not two copies.
type history struct {
	Layout       int                   `json:"layout"`
	Clock        *request.Clock        `json:"clock,omitempty"`
	Extensions   []request.Extension   `json:"extensions,omitempty"`
	Answer       *request.Answer       `json:"answer,omitempty"`
	AnswerReply  *int                  `json:"answer_reply,omitempty"`
	Replies      []*request.Answer     `json:"replies,omitempty"`
	Deliveries   []request.Delivery    `json:"deliveries,omitempty"`
	Objections   []request.Objection   `json:"objections,omitempty"`
	Corrections  []request.Correction  `json:"corrections,omitempty"`
	Notices      []request.Notice      `json:"notices,omitempty"`
	Alerts       []string              `json:"alerts,omitempty"`
	Comments     []request.Comment     `json:"comments,omitempty"`
	Revocation   *request.Comment      `json:"revocation,omitempty"`
	Closing      *request.Comment      `json:"closing,omitempty"`
	Announcement *request.Announcement `json:"announcement,omitempty"`
}

// historyLayout is the layout of the history column this code writes.
const historyLayout = 1

// stored returns app as the typed columns keep it: instants at
// microsecond precision in China Standard Time.
func stored(a request.Application) request.Application {
	a.Elements.Period.From = instant(a.Elements.Period.From)
	a.Elements.Period.To = instant(a.Elements.Period.To)
	a.CreatedAt, a.SubmittedAt = instant(a.CreatedAt), instant(a.SubmittedAt)
	a.UpdatedAt, a.ReceivedAt = instant(a.UpdatedAt), instant(a.ReceivedAt)
	return a
}

func instant(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Microsecond).In(deadline.CST)
}

func nullable(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func appArgs(a request.Application) ([]any, error) {
	h := history{Layout: historyLayout, Clock: a.Clock, Extensions: a.Extensions, Replies: a.Replies,
		Deliveries: a.Deliveries, Objections: a.Objections, Corrections: a.Corrections, Notices: a.Notices,
		Alerts: a.Alerts, Comments: a.Comments, Revocation: a.Revocation, Closing: a.Closing, Announcement: a.Announcement}
	h.Answer = a.Answer
	for i, r := range a.Replies {
		if r == a.Answer && r != nil {
			h.Answer, h.AnswerReply = nil, &i
			break
		}
	}
	body, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("%w: postgres: encoding application %q: %v", govshare.ErrInvalid, a.ID, err)
	}
	r, p := a.Requester, a.Provider
	return []any{a.ID, a.Version, int16(a.State),
		r.ID(), r.Name, r.CreditCode, r.DirectoryID, r.RegionCode, int16(r.Level),
		p.ID(), p.Name, p.CreditCode, p.DirectoryID, p.RegionCode, int16(p.Level),
		a.EntryID, a.EntryVersion, int16(a.Attribute), a.RenewalOf,
		a.Elements.Basis, a.Elements.Scenario, texts(a.Elements.Items), texts(a.Elements.Systems), a.Elements.Users,
		string(a.Elements.Method), a.Elements.Period.From, a.Elements.Period.To,
		a.CreatedAt, nullable(a.SubmittedAt), a.UpdatedAt, nullable(a.ReceivedAt), nullable(storedDue(a)), string(body)}, nil
}

// storedDue is the instant the sweep_at column holds: the one
// request.Store.Due's documentation names.
func storedDue(a request.Application) time.Time { return a.SweepAt() }

func texts(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func untexts(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func scanApp(row pgx.Row) (request.Application, error) {
	var (
		a                       request.Application
		state, rl, pl, attr     int16
		requesterID, providerID string
		method                  string
		submitted, received     *time.Time
		due                     *time.Time
		body                    []byte
	)
	r, p := &a.Requester, &a.Provider
	err := row.Scan(&a.ID, &a.Version, &state,
		&requesterID, &r.Name, &r.CreditCode, &r.DirectoryID, &r.RegionCode, &rl,
		&providerID, &p.Name, &p.CreditCode, &p.DirectoryID, &p.RegionCode, &pl,
		&a.EntryID, &a.EntryVersion, &attr, &a.RenewalOf,
		&a.Elements.Basis, &a.Elements.Scenario, &a.Elements.Items, &a.Elements.Systems, &a.Elements.Users,
		&method, &a.Elements.Period.From, &a.Elements.Period.To,
		&a.CreatedAt, &submitted, &a.UpdatedAt, &received, &due, &body)
	if err != nil {
		return request.Application{}, err
	}
	a.State, r.Level, p.Level, a.Attribute = request.State(state), govshare.Level(rl), govshare.Level(pl), govshare.ShareAttribute(attr)
	a.Elements.Method = govshare.ShareMethod(method)
	a.Elements.Items, a.Elements.Systems = untexts(a.Elements.Items), untexts(a.Elements.Systems)
	if submitted != nil {
		a.SubmittedAt = *submitted
	}
	if received != nil {
		a.ReceivedAt = *received
	}
	var h history
	if err := json.Unmarshal(body, &h); err != nil {
		return request.Application{}, fmt.Errorf("postgres: application %q: history: %w", a.ID, err)
	}
	if h.Layout != historyLayout {
		return request.Application{}, fmt.Errorf("postgres: application %q: history layout %d, this code reads %d", a.ID, h.Layout, historyLayout)
	}
	// The JSON's instants in deadline.CST, as the typed columns' are.
	sqlstore.InCST(&h)
	a.Clock, a.Extensions, a.Answer, a.Replies = h.Clock, h.Extensions, h.Answer, h.Replies
	if h.AnswerReply != nil {
		if *h.AnswerReply < 0 || *h.AnswerReply >= len(h.Replies) {
			return request.Application{}, fmt.Errorf("postgres: application %q: answer_reply %d of %d replies", a.ID, *h.AnswerReply, len(h.Replies))
		}
		a.Answer = h.Replies[*h.AnswerReply]
	}
	a.Deliveries, a.Objections, a.Corrections, a.Notices = h.Deliveries, h.Objections, h.Corrections, h.Notices
	a.Alerts, a.Comments, a.Revocation, a.Closing, a.Announcement = h.Alerts, h.Comments, h.Revocation, h.Closing, h.Announcement
	return stored(a), nil
}
