package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

// AuditLog is an audit.Log in PostgreSQL: one named log of the DB, its
// head row in audit_logs, its records in audit_records, its checkpoints
// in audit_checkpoints (docs/postgres.md). Append locks the head row FOR
// UPDATE, seals the next record with audit.Sealer, inserts it and advances
// the head in one transaction — the caller's, when ctx comes from a
// store's write in this package, so that the change and its record commit
// together or not at all. Sequence numbers are gapless and the chain has
// one order whatever the number of writers and replicas; the head row
// serialises the appends of one log, so a platform whose appends contend
// runs separate logs (per department, per region), each with its own head.
//
// Verify recomputes every record from its typed columns, so a change made
// with SQL — an UPDATE, DELETE or INSERT of rows, two rows swapped — is
// found with the sequence number where it was made (a keyed log,
// audit.WithKey, makes the hashes impossible to recompute without the
// key). Safe for concurrent use.
type AuditLog struct {
	db       *DB
	name     string
	hdr      audit.Header
	settings audit.Settings
	sealer   *audit.Sealer
	q        auditSQL

	mu   sync.Mutex // guards tree
	tree *audit.Tree

	b group[*pending] // group commit of own-transaction appends: audit_batch.go
}

var _ audit.Log = (*AuditLog)(nil)

type auditSQL struct {
	header, create, lockHead, head, insert, insertBatch string
	records, checkpoints, addCheckpoint                 string
	records_                                            string // the table, for Query
}

// recordColumns are the columns a Record is read from, in scanRecord's
// order.
const recordColumns = `seq, prev, hash, time_ns, actor_id, actor_name, actor_role, department_name, department_credit_code,
	department_directory_id, department_region, department_level, action, target_kind, target_id, outcome, error_code,
	details, correlation_id`

// MaxLogName is the longest name AuditLog accepts, in bytes.
const MaxLogName = 200

// AuditLog returns the named audit log of the DB, creating it on first
// use with a header from opts. Options are those of audit.NewSettings:
// WithKey (a keyed log must always be opened with its key; another key is
// refused), WithAlgorithm and WithLogID for a new log (an algorithm or id
// other than the stored one is refused with an *audit.HeaderError), WithSigner or WithPublicKey for
// checkpoints, WithClock, WithLimits. A name is 1 to MaxLogName bytes of
// UTF-8 without control characters. Migrate first.
func (db *DB) AuditLog(ctx context.Context, name string, opts ...audit.Option) (*AuditLog, error) {
	if name == "" || len(name) > MaxLogName || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return nil, &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "postgres.invalid_log_name",
			Zh: "审计日志名称须为1至" + strconv.Itoa(MaxLogName) + "字节、不含控制字符的 UTF-8 文本",
			En: "postgres: an audit log name is 1 to " + strconv.Itoa(MaxLogName) + " bytes of UTF-8 without control characters"}
	}
	st, err := audit.NewSettings(opts...)
	if err != nil {
		return nil, err
	}
	l := &AuditLog{db: db, name: name, settings: st, q: auditSQL{
		header: db.qualify(`SELECT log_id, algorithm, keyed, key_check FROM {schema}.audit_logs WHERE name = $1`),
		create: db.qualify(`INSERT INTO {schema}.audit_logs (name, log_id, algorithm, keyed, key_check, size, head)
			VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (name) DO NOTHING`),
		lockHead: db.qualify(`SELECT size, head FROM {schema}.audit_logs WHERE name = $1 FOR UPDATE`),
		head:     db.qualify(`SELECT size, head FROM {schema}.audit_logs WHERE name = $1`),
		// The insert and the head's advance in one statement: one round
		// trip while the head row is locked.
		insert: db.qualify(`WITH r AS (INSERT INTO {schema}.audit_records (log, ` + recordColumns + `, department)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING seq)
			UPDATE {schema}.audit_logs SET size = (SELECT seq + 1 FROM r), head = $4 WHERE name = $1`),
		insertBatch: db.qualify(`WITH r AS (INSERT INTO {schema}.audit_records (log, ` + recordColumns + `, department)
			SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::bigint[], $6::text[], $7::text[], $8::smallint[],
				$9::text[], $10::text[], $11::text[], $12::text[], $13::smallint[], $14::text[], $15::text[], $16::text[], $17::smallint[],
				$18::text[], $19::text[]::json[], $20::text[], $21::text[])
			RETURNING seq)
			UPDATE {schema}.audit_logs SET size = (SELECT max(seq) + 1 FROM r), head = $22 WHERE name = $1`),
		records: db.qualify(`SELECT ` + recordColumns + ` FROM {schema}.audit_records
			WHERE log = $1 AND seq >= $2 AND seq < $3 ORDER BY seq LIMIT $4`),
		checkpoints: db.qualify(`SELECT size, root, head, time_ns, signature_algorithm, signature
			FROM {schema}.audit_checkpoints WHERE log = $1 ORDER BY n`),
		addCheckpoint: db.qualify(`INSERT INTO {schema}.audit_checkpoints (log, n, size, root, head, time_ns, signature_algorithm, signature)
			SELECT $1, coalesce(max(n) + 1, 0), $2, $3, $4, $5, $6, $7 FROM {schema}.audit_checkpoints WHERE log = $1`),
		records_: db.qualify(`{schema}.audit_records`),
	}}
	if l.hdr, err = l.openHeader(ctx); err != nil {
		return nil, err
	}
	if st.Algorithm != 0 && st.Algorithm != l.hdr.Algorithm {
		return nil, &audit.HeaderError{Path: name, Setting: "algorithm", Header: algCode(l.hdr.Algorithm), Options: algCode(st.Algorithm)}
	}
	if st.LogID != nil && *st.LogID != l.hdr.LogID {
		return nil, &audit.HeaderError{Path: name, Setting: "log id", Header: l.hdr.LogID.String(), Options: st.LogID.String()}
	}
	if l.sealer, err = audit.NewSealer(l.hdr, st.Key, audit.WithLimits(st.Limits)); err != nil {
		return nil, err
	}
	if l.tree, err = audit.NewTree(l.hdr.Algorithm); err != nil {
		return nil, err
	}
	return l, nil
}

func algCode(a audit.Algorithm) string {
	b, err := a.MarshalText()
	if err != nil {
		return strconv.Itoa(int(a))
	}
	return string(b)
}

// openHeader reads the log's header, creating the log if it does not
// exist (a concurrent creation wins or loses cleanly: ON CONFLICT).
func (l *AuditLog) openHeader(ctx context.Context) (audit.Header, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var h audit.Header
		var id, kc []byte
		var alg int16
		err := l.db.pool.QueryRow(ctx, l.q.header, l.name).Scan(&id, &alg, &h.Keyed, &kc)
		if err == nil {
			if len(id) != len(h.LogID) || len(kc) != len(h.KeyCheck) {
				return h, &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "postgres.audit_header",
					Zh: "审计日志“" + l.name + "”的头部数据损坏", En: "postgres: the header of audit log " + strconv.Quote(l.name) + " is damaged"}
			}
			copy(h.LogID[:], id)
			copy(h.KeyCheck[:], kc)
			h.Algorithm = audit.Algorithm(alg)
			return h, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return h, dbError("audit: open log", err)
		}
		if attempt > 0 {
			break
		}
		nh, err := l.settings.Header()
		if err != nil {
			return h, err
		}
		var zero audit.Digest
		if _, err := l.db.pool.Exec(ctx, l.q.create, l.name, nh.LogID[:], int16(nh.Algorithm), nh.Keyed, nh.KeyCheck[:], zero[:]); err != nil {
			return h, dbError("audit: create log", err)
		}
	}
	return audit.Header{}, dbError("audit: open log", errors.New("the log's row vanished"))
}

// PublicKey returns the key that verifies the log's checkpoints (the
// signer's, or WithPublicKey's); the zero PublicKey when the log was
// opened with neither.
func (l *AuditLog) PublicKey() audit.PublicKey {
	if l.settings.PublicKey == nil {
		return audit.PublicKey{}
	}
	return *l.settings.PublicKey
}

// Name returns the log's name.
func (l *AuditLog) Name() string { return l.name }

// Header returns the log's header.
func (l *AuditLog) Header() audit.Header { return l.hdr }

// Append records e and returns its record: in the transaction ctx
// carries, if it comes from a write of this package's stores, else in one
// of its own, which it shares with the appends to the log that arrive
// meanwhile (group commit, audit_batch.go). An invalid event is refused
// with an *audit.EventError and nothing is recorded. Once its record is
// being written, Append waits for the commit even if ctx ends.
func (l *AuditLog) Append(ctx context.Context, e audit.Event) (audit.Record, error) {
	if err := ctx.Err(); err != nil {
		return audit.Record{}, err
	}
	// Refuse an invalid event before taking the head lock.
	if _, err := l.sealer.Seal(audit.Head{}, e); err != nil {
		return audit.Record{}, err
	}
	tx, ok := txFrom(ctx)
	if !ok {
		return l.appendGrouped(ctx, e)
	}
	return l.appendIn(ctx, tx, e)
}

// appendIn appends e in tx: lock the head, seal, insert, advance.
// In a batch of Saves (batch.go), the head this transaction already
// holds locked is taken from the batch's heldHeads instead.
func (l *AuditLog) appendIn(ctx context.Context, tx pgx.Tx, e audit.Event) (audit.Record, error) {
	heads, key := headsFrom(ctx), l.q.lockHead+"\x00"+l.name
	h, held := heads[key]
	if !held {
		var size int64
		var headHash []byte
		if err := tx.QueryRow(ctx, l.q.lockHead, l.name).Scan(&size, &headHash); err != nil {
			return audit.Record{}, dbError("audit: lock head", err)
		}
		h.Size = uint64(size)
		copy(h.Hash[:], headHash)
	}
	s, err := l.sealer.Seal(h, e)
	if err != nil {
		return audit.Record{}, err
	}
	r := &s.Record
	ev := &r.Event
	var details []byte
	if len(ev.Details) > 0 {
		details = ev.Details
	}
	if _, err := tx.Exec(ctx, l.q.insert, l.name, int64(r.Seq), r.Prev[:], r.Hash[:], ev.Time.UnixNano(), ev.Actor.ID, ev.Actor.Name,
		int16(ev.Actor.Role), ev.Actor.Department.Name, ev.Actor.Department.CreditCode, ev.Actor.Department.DirectoryID,
		ev.Actor.Department.RegionCode, int16(ev.Actor.Department.Level), string(ev.Action), ev.Target.Kind, ev.Target.ID,
		int16(ev.Outcome), ev.ErrorCode, jsonBytes(details), ev.CorrelationID, ev.Actor.Department.ID()); err != nil {
		return audit.Record{}, dbError("audit: insert record", err)
	}
	if heads != nil {
		heads[key] = audit.Head{Size: r.Seq + 1, Hash: r.Hash}
	}
	return *r, nil
}

// jsonBytes is details for the json column: NULL when none.
func jsonBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// Len returns the number of records.
func (l *AuditLog) Len(ctx context.Context) (uint64, error) {
	h, err := l.readHead(ctx)
	return h.Size, err
}

func (l *AuditLog) readHead(ctx context.Context) (audit.Head, error) {
	var size int64
	var hash []byte
	if err := l.db.pool.QueryRow(ctx, l.q.head, l.name).Scan(&size, &hash); err != nil {
		return audit.Head{}, dbError("audit: read head", err)
	}
	h := audit.Head{Size: uint64(size)}
	copy(h.Hash[:], hash)
	return h, nil
}

// readBatch is how many records a read fetches per statement.
const readBatch = 2048

// scanRecord reads the columns of recordColumns.
func scanRecord(row pgx.CollectableRow) (audit.Record, error) {
	var r audit.Record
	var seq, nano int64
	var prev, hash, details []byte
	var role, level, outcome int16
	var action string
	e := &r.Event
	d := &e.Actor.Department
	err := row.Scan(&seq, &prev, &hash, &nano, &e.Actor.ID, &e.Actor.Name, &role, &d.Name, &d.CreditCode, &d.DirectoryID,
		&d.RegionCode, &level, &action, &e.Target.Kind, &e.Target.ID, &outcome, &e.ErrorCode, &details, &e.CorrelationID)
	if err != nil {
		return r, err
	}
	// A stored number no code has stays one (255 has none), so that it
	// cannot read as a genuine value after truncation to 8 bits.
	for _, v := range []*int16{&role, &level, &outcome} {
		if *v < 0 || *v > 255 {
			*v = 255
		}
	}
	if d.CreditCode != "" {
		// As sealed: the hash covers the department's identity, and the
		// directory id is none beside a credit code.
		d.DirectoryID = ""
	}
	r.Seq = uint64(seq)
	copy(r.Prev[:], prev)
	copy(r.Hash[:], hash)
	e.Time = time.Unix(0, nano).In(cst)
	e.Actor.Role, d.Level, e.Outcome, e.Action = govshare.Role(role), govshare.Level(level), audit.Outcome(outcome), audit.Action(action)
	if details != nil {
		e.Details = json.RawMessage(details)
	}
	return r, nil
}

// cst is China Standard Time, the zone the audit package normalises event
// times to.
var cst = deadline.CST

// scan calls emit with the records from seq from up to (not including)
// to, in batches ordered by seq.
func (l *AuditLog) scan(ctx context.Context, from, to uint64, emit func([]audit.Record) error) error {
	for from < to {
		rows, err := l.db.pool.Query(ctx, l.q.records, l.name, int64(from), int64(min(to, 1<<63-1)), readBatch)
		if err != nil {
			return dbError("audit: read", err)
		}
		batch, err := pgx.CollectRows(rows, scanRecord)
		if err != nil {
			return dbError("audit: read", err)
		}
		if len(batch) == 0 {
			return nil
		}
		if err := emit(batch); err != nil {
			return err
		}
		from = batch[len(batch)-1].Seq + 1
	}
	return nil
}

// Read yields the records with from ≤ Seq < to.
func (l *AuditLog) Read(ctx context.Context, from, to uint64) iter.Seq2[audit.Record, error] {
	return func(yield func(audit.Record, error) bool) {
		n, err := l.Len(ctx)
		if err == nil {
			err = checkRange(from, to, n)
		}
		if err != nil {
			yield(audit.Record{}, err)
			return
		}
		stop := errors.New("stop")
		next := from
		err = l.scan(ctx, from, to, func(batch []audit.Record) error {
			for _, r := range batch {
				if r.Seq != next {
					return missingRecord(next)
				}
				if !yield(r, nil) {
					return stop
				}
				next++
			}
			return nil
		})
		if err == nil && next < to {
			err = missingRecord(next)
		}
		if err != nil && err != stop {
			yield(audit.Record{}, err)
		}
	}
}

// missingRecord is the error of a read that finds a hole below the head:
// a record was deleted with SQL (Verify says more).
func missingRecord(seq uint64) error {
	return &audit.VerifyError{Seq: seq, Kind: audit.KindDeleted, Detail: fmt.Sprintf("record %d is missing from the table", seq)}
}

func checkRange(from, to, n uint64) error {
	if from > to {
		return &audit.RangeError{What: "range start", Value: from, Limit: to}
	}
	if to > n {
		return &audit.RangeError{What: "range end", Value: to, Limit: n}
	}
	return nil
}

// Query yields, in order, the records whose events match f: the filter's
// conditions are conditions on indexed columns, with the semantics of
// audit.Memory's Query.
func (l *AuditLog) Query(ctx context.Context, f audit.Filter) iter.Seq2[audit.Record, error] {
	return func(yield func(audit.Record, error) bool) {
		where := []string{"log = $1", "seq >= $2"}
		args := []any{l.name, int64(0)}
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		if f.Department != "" {
			where = append(where, "department = "+arg(f.Department))
		}
		if f.Actor != "" {
			where = append(where, "actor_id = "+arg(f.Actor))
		}
		if a := string(f.Action); a != "" {
			if strings.HasSuffix(a, ".") {
				// A prefix as a range of the C-collated column.
				hi := a[:len(a)-1] + string(rune(a[len(a)-1]+1))
				where = append(where, "action >= "+arg(a)+" AND action < "+arg(hi))
			} else {
				where = append(where, "action = "+arg(a))
			}
		}
		if f.TargetKind != "" {
			where = append(where, "target_kind = "+arg(f.TargetKind))
		}
		if f.TargetID != "" {
			where = append(where, "target_id = "+arg(f.TargetID))
		}
		if f.Outcome.Valid() {
			where = append(where, "outcome = "+arg(int16(f.Outcome)))
		}
		lo, hi, open := timeBounds(f)
		where = append(where, "time_ns >= "+arg(lo))
		if !open {
			where = append(where, "time_ns < "+arg(hi))
		}
		sql := `SELECT ` + recordColumns + ` FROM ` + l.q.records_ + ` WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY seq LIMIT ` + strconv.Itoa(readBatch)
		for {
			rows, err := l.db.pool.Query(ctx, sql, args...)
			if err != nil {
				yield(audit.Record{}, dbError("audit: query", err))
				return
			}
			batch, err := pgx.CollectRows(rows, scanRecord)
			if err != nil {
				yield(audit.Record{}, dbError("audit: query", err))
				return
			}
			for _, r := range batch {
				if !yield(r, nil) {
					return
				}
			}
			if len(batch) < readBatch {
				return
			}
			args[1] = int64(batch[len(batch)-1].Seq + 1)
		}
	}
}

// The years audit events may fall in: what nanosecond Unix time holds
// (audit's minTime and maxTime).
var (
	minTime = time.Unix(0, -1<<63)
	maxTime = time.Unix(0, 1<<63-1)
)

// timeBounds are f's time bounds as audit.Memory reads them: lo ≤ time <
// hi, no upper bound when open; an empty range when From is past every
// time or To before every time.
func timeBounds(f audit.Filter) (lo, hi int64, open bool) {
	lo, open = minTime.UnixNano(), true
	switch {
	case f.From.IsZero() || f.From.Before(minTime):
	case f.From.After(maxTime):
		return 1, 0, false
	default:
		lo = f.From.UnixNano()
	}
	switch {
	case f.To.IsZero() || f.To.After(maxTime):
	case f.To.Before(minTime):
		return 1, 0, false
	default:
		hi, open = f.To.UnixNano(), false
	}
	return lo, hi, open
}

// extendTree adds the leaves of the records up to size to the cached tree
// (records never change once written; Verify finds it if they do).
// l.mu must be held.
func (l *AuditLog) extendTree(ctx context.Context, size uint64) error {
	if l.tree.Size() >= size {
		return nil
	}
	next := l.tree.Size()
	return l.scan(ctx, next, size, func(batch []audit.Record) error {
		for _, r := range batch {
			if r.Seq != next {
				return missingRecord(next)
			}
			leaf, err := audit.LeafHash(l.hdr.Algorithm, r)
			if err != nil {
				return err
			}
			l.tree.Append(leaf)
			next++
		}
		return nil
	})
}

// Checkpoint signs the log's current state, keeps the checkpoint in
// audit_checkpoints (Verify checks it) and returns it. audit.ErrNoSigner
// if the log was opened without audit.WithSigner.
func (l *AuditLog) Checkpoint(ctx context.Context) (audit.Checkpoint, error) {
	if l.settings.Signer == nil {
		return audit.Checkpoint{}, audit.ErrNoSigner
	}
	h, err := l.readHead(ctx)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	l.mu.Lock()
	err = l.extendTree(ctx, h.Size)
	var root audit.Digest
	if err == nil {
		root, err = l.tree.Root(h.Size)
	}
	l.mu.Unlock()
	if err != nil {
		return audit.Checkpoint{}, err
	}
	cp, err := l.settings.Sign(ctx, l.hdr, h.Size, root, h.Hash)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	for attempt := 0; ; attempt++ {
		_, err = l.db.pool.Exec(ctx, l.q.addCheckpoint, l.name, int64(cp.Size), cp.Root[:], cp.Head[:], cp.Time.UnixNano(),
			int16(cp.SignatureAlgorithm), cp.Signature)
		var pe *pgconn.PgError
		if err == nil || attempt >= 10 || !errors.As(err, &pe) || pe.Code != "23505" {
			break
		}
		// Another checkpoint took the number: take the next.
	}
	if err != nil {
		return audit.Checkpoint{}, dbError("audit: keep checkpoint", err)
	}
	return cp, nil
}

// Checkpoints returns the checkpoints the log keeps, oldest first.
func (l *AuditLog) Checkpoints(ctx context.Context) ([]audit.Checkpoint, error) {
	rows, err := l.db.pool.Query(ctx, l.q.checkpoints, l.name)
	if err != nil {
		return nil, dbError("audit: read checkpoints", err)
	}
	cps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (audit.Checkpoint, error) {
		cp := audit.Checkpoint{LogID: l.hdr.LogID, Algorithm: l.hdr.Algorithm, KeyCheck: l.hdr.KeyCheck}
		var size, nano int64
		var root, head []byte
		var alg int16
		if err := row.Scan(&size, &root, &head, &nano, &alg, &cp.Signature); err != nil {
			return cp, err
		}
		cp.Size, cp.Time, cp.SignatureAlgorithm = uint64(size), time.Unix(0, nano).In(cst), audit.SignatureAlgorithm(alg)
		copy(cp.Root[:], root)
		copy(cp.Head[:], head)
		return cp, nil
	})
	if err != nil {
		return nil, dbError("audit: read checkpoints", err)
	}
	return cps, nil
}

// ProveInclusion proves record seq is in the tree of the first size
// records.
func (l *AuditLog) ProveInclusion(ctx context.Context, seq, size uint64) (audit.InclusionProof, error) {
	hashes, err := l.prove(ctx, size, func(t *audit.Tree) ([]audit.Digest, error) { return t.InclusionProof(seq, size) })
	if err != nil {
		return audit.InclusionProof{}, err
	}
	return audit.InclusionProof{Seq: seq, Size: size, Hashes: hashes}, nil
}

// ProveConsistency proves the tree of size1 records is a prefix of the
// tree of size2.
func (l *AuditLog) ProveConsistency(ctx context.Context, size1, size2 uint64) (audit.ConsistencyProof, error) {
	hashes, err := l.prove(ctx, size2, func(t *audit.Tree) ([]audit.Digest, error) { return t.ConsistencyProof(size1, size2) })
	if err != nil {
		return audit.ConsistencyProof{}, err
	}
	return audit.ConsistencyProof{Size1: size1, Size2: size2, Hashes: hashes}, nil
}

// prove brings the cached tree up to size (at most the log's length) and
// runs proof on it; the tree refuses sizes beyond it.
func (l *AuditLog) prove(ctx context.Context, size uint64, proof func(*audit.Tree) ([]audit.Digest, error)) ([]audit.Digest, error) {
	n, err := l.Len(ctx)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.extendTree(ctx, min(size, n)); err != nil {
		return nil, err
	}
	return proof(l.tree)
}

// Verify recomputes every record from its columns, the hash chain, every
// checkpoint the log keeps and the trusted ones given, and checks that the
// head row agrees with the last record. It returns nil or a
// *audit.VerifyError naming the first bad sequence number.
func (l *AuditLog) Verify(ctx context.Context, trusted ...audit.Checkpoint) error {
	// The checkpoints first, then the head: every kept checkpoint is then
	// of a size the head has reached.
	cps, err := l.Checkpoints(ctx)
	if err != nil {
		return err
	}
	before, err := l.readHead(ctx)
	if err != nil {
		return err
	}
	src := &tableSource{l: l}
	if err := audit.VerifyRecords(ctx, l.hdr, l.settings.Key, l.settings.PublicKey, src, append(cps, trusted...)...); err != nil {
		return err
	}
	// Records beyond the head, or the head beyond the records, were
	// written around the head row; appends during the scan move the head
	// forward only.
	after, err := l.readHead(ctx)
	if err != nil {
		return err
	}
	switch {
	case src.n > after.Size:
		return &audit.VerifyError{Seq: after.Size, Kind: audit.KindInserted,
			Detail: fmt.Sprintf("the table holds %d records, the log's head says %d", src.n, after.Size)}
	case src.n < before.Size:
		return &audit.VerifyError{Seq: src.n, Kind: audit.KindTruncated,
			Detail: fmt.Sprintf("the table holds %d records, the log's head says %d", src.n, before.Size)}
	case src.n == after.Size && src.last != after.Hash:
		return &audit.VerifyError{Seq: src.n - 1, Kind: audit.KindModified,
			Detail: "the last record's hash differs from the log's head"}
	}
	return nil
}

// tableSource streams the log's rows in seq order, every row whatever the
// head says, and counts them.
type tableSource struct {
	l    *AuditLog
	n    uint64       // rows emitted in the first full pass
	last audit.Digest // the hash of the last row emitted
}

// Records emits the rows from position from: the verifier reads from 0,
// then again from the first bad position to classify it. Positions are
// row numbers, not seq values, so a deleted row shifts the rest. The rows
// come from one statement, streamed: one snapshot, no round trip per
// batch.
func (s *tableSource) Records(ctx context.Context, from uint64, emit func([]audit.Record) error) error {
	rows, err := s.l.db.pool.Query(ctx, s.l.db.qualify(`SELECT `+recordColumns+` FROM {schema}.audit_records
		WHERE log = $1 ORDER BY seq`), s.l.name)
	if err != nil {
		return dbError("audit: verify", err)
	}
	defer rows.Close()
	first := from == 0
	var pos uint64
	batch := make([]audit.Record, 0, verifyBatch)
	for rows.Next() {
		if pos < from {
			pos++
			continue
		}
		r, err := scanRecord(rows)
		if err != nil {
			return dbError("audit: verify", err)
		}
		batch = append(batch, r)
		pos++
		if len(batch) == verifyBatch {
			if first {
				s.n += uint64(len(batch))
				s.last = r.Hash
			}
			if err := emit(batch); err != nil {
				return err
			}
			batch = make([]audit.Record, 0, verifyBatch)
		}
	}
	if err := rows.Err(); err != nil {
		return dbError("audit: verify", err)
	}
	if len(batch) > 0 {
		if first {
			s.n += uint64(len(batch))
			s.last = batch[len(batch)-1].Hash
		}
		return emit(batch)
	}
	return nil
}

// verifyBatch is how many records Verify hands the verifier at a time.
const verifyBatch = 4096
