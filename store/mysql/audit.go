package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

// AuditLog is a named audit log in the database, implementing the whole
// audit.Log. Its head row (audit_logs) holds the header, the size and the
// last hash; Append locks it with SELECT … FOR UPDATE, seals the next
// record with an audit.Sealer and inserts it in the same transaction —
// the transaction ctx carries when a store's write calls it (see
// RequestStore.Save), so that a failure stores neither the change nor its
// record. Several logs in one database (per department or region) have
// separate heads and do not wait for each other.
type AuditLog struct {
	db     *DB
	name   string
	hdr    audit.Header
	set    audit.Settings
	sealer *audit.Sealer

	// The statements of Append, built once.
	lockHead, insertRecord, advanceHead string

	// tree caches the leaf hashes read so far, for proofs and checkpoints:
	// records are append-only, and Verify recomputes everything from the
	// rows without it.
	mu   sync.Mutex
	tree *audit.Tree
}

// logNamePattern is the form of a log name: 1 to 64 ASCII letters,
// digits, '.', '_' and '-'.
var logNamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// AuditLog opens the log called name, creating it (with a new header from
// the options) if the database has none of that name. The options are the
// audit package's: WithAlgorithm, WithKey, WithLogID, WithSigner,
// WithPublicKey, WithClock, WithLimits. Replicas may open the same log at
// once. A keyed log needs its key: a missing or wrong key is refused
// (audit.ErrKeyRequired, audit.ErrWrongKey), as is a key for an unkeyed
// log or an algorithm or WithLogID other than the log's (*audit.HeaderError). A bad name is
// govshare.ErrInvalid.
func (db *DB) AuditLog(ctx context.Context, name string, opts ...audit.Option) (*AuditLog, error) {
	if !logNamePattern.MatchString(name) {
		return nil, optionError("AuditLog", "日志名“"+name+"”须为1到64个ASCII字母、数字、点、下划线或连字符",
			"log name "+strconv.Quote(name)+" is not 1 to 64 ASCII letters, digits, '.', '_' or '-'")
	}
	set, err := audit.NewSettings(opts...)
	if err != nil {
		return nil, err
	}
	fresh, err := set.Header()
	if err != nil {
		return nil, err
	}
	var hdr audit.Header
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.qualify(`INSERT IGNORE INTO {audit_logs}
			(name, log_id, algorithm, keyed, key_check, size, head, created_ns) VALUES (?, ?, ?, ?, ?, 0, ?, ?)`),
			name, fresh.LogID[:], uint8(fresh.Algorithm), boolInt(fresh.Keyed), fresh.KeyCheck[:], zero[:], time.Now().UnixNano()); err != nil {
			return dbError("audit log: create", err)
		}
		var id, kc []byte
		var alg, keyed int
		if err := tx.QueryRowContext(ctx, db.qualify(`SELECT log_id, algorithm, keyed, key_check FROM {audit_logs} WHERE name = ?`), name).
			Scan(&id, &alg, &keyed, &kc); err != nil {
			return dbError("audit log: read header", err)
		}
		if len(id) != 16 || len(kc) != 32 {
			return &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "mysql.audit_header",
				Zh: "审计日志“" + name + "”的头部已损坏", En: "mysql: audit log " + strconv.Quote(name) + ": corrupt header row"}
		}
		hdr = audit.Header{Algorithm: audit.Algorithm(alg), Keyed: keyed == 1}
		copy(hdr.LogID[:], id)
		copy(hdr.KeyCheck[:], kc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if set.Algorithm != 0 && set.Algorithm != hdr.Algorithm {
		return nil, &audit.HeaderError{Path: name, Setting: "algorithm", Header: hdr.Algorithm.String(), Options: set.Algorithm.String()}
	}
	if set.LogID != nil && *set.LogID != hdr.LogID {
		return nil, &audit.HeaderError{Path: name, Setting: "log id", Header: hdr.LogID.String(), Options: set.LogID.String()}
	}
	if hdr.Keyed && set.Key == nil {
		return nil, fmt.Errorf("mysql: audit log %q: %w", name, audit.ErrKeyRequired)
	}
	sealer, err := audit.NewSealer(hdr, set.Key, audit.WithLimits(set.Limits))
	if err != nil {
		return nil, err
	}
	tree, err := audit.NewTree(hdr.Algorithm)
	if err != nil {
		return nil, err
	}
	if set.Now == nil {
		set.Now = time.Now
	}
	return &AuditLog{db: db, name: name, hdr: hdr, set: set, sealer: sealer, tree: tree,
		lockHead: db.qualify(`SELECT size, head FROM {audit_logs} WHERE name = ? FOR UPDATE`),
		insertRecord: db.qualify(`INSERT INTO {audit_records}
			(log, seq, prev, hash, leaf, time_ns, actor_id, actor_name, actor_role, department, department_name,
			 department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		advanceHead: db.qualify(`UPDATE {audit_logs} SET size = ?, head = ? WHERE name = ?`)}, nil
}

var zero audit.Digest

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PublicKey returns the key that verifies the log's checkpoints: the
// signer's, or WithPublicKey's; the zero key when there is neither.
func (l *AuditLog) PublicKey() audit.PublicKey {
	if l.set.PublicKey == nil {
		return audit.PublicKey{}
	}
	return *l.set.PublicKey
}

// Name returns the log's name.
func (l *AuditLog) Name() string { return l.name }

// Header returns the log's header.
func (l *AuditLog) Header() audit.Header { return l.hdr }

// Append seals e as the next record and stores it, in the transaction ctx
// carries (a store's write) or in its own. It either stores the record and
// returns it or returns an error and stores nothing; an event the log
// cannot record is an *audit.EventError and leaves the transaction
// usable.
func (l *AuditLog) Append(ctx context.Context, e audit.Event) (audit.Record, error) {
	var rec audit.Record
	err := l.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var size uint64
		var head []byte
		if err := tx.QueryRowContext(ctx, l.lockHead, l.name).Scan(&size, &head); err != nil {
			return dbError("audit append: lock head", err)
		}
		h := audit.Head{Size: size}
		copy(h.Hash[:], head)
		sealed, err := l.sealer.Seal(h, e)
		if err != nil {
			return err
		}
		r := &sealed.Record
		ev := &r.Event
		var details any
		if len(ev.Details) > 0 {
			details = string(ev.Details)
		}
		if _, err := tx.ExecContext(ctx, l.insertRecord,
			l.name, r.Seq, r.Prev[:], r.Hash[:], sealed.Leaf[:], ev.Time.UnixNano(), ev.Actor.ID, ev.Actor.Name,
			uint8(ev.Actor.Role), ev.Actor.Department.ID(), ev.Actor.Department.Name, ev.Actor.Department.RegionCode,
			uint8(ev.Actor.Department.Level), string(ev.Action), ev.Target.Kind, ev.Target.ID, uint8(ev.Outcome),
			ev.ErrorCode, details, ev.CorrelationID); err != nil {
			return raced("audit append: insert", err)
		}
		if _, err := tx.ExecContext(ctx, l.advanceHead, r.Seq+1, r.Hash[:], l.name); err != nil {
			return dbError("audit append: advance head", err)
		}
		rec = *r
		return nil
	})
	if err != nil {
		return audit.Record{}, err
	}
	return rec, nil
}

// Len returns the number of records, from the head row.
func (l *AuditLog) Len(ctx context.Context) (uint64, error) {
	var n uint64
	q := querier(l.db.db)
	if tx, ok := txFrom(ctx); ok {
		q = tx
	}
	if err := q.QueryRowContext(ctx, l.db.qualify(`SELECT size FROM {audit_logs} WHERE name = ?`), l.name).Scan(&n); err != nil {
		return 0, dbError("audit len", err)
	}
	return n, nil
}

const recordColumns = `seq, prev, hash, leaf, time_ns, actor_id, actor_name, actor_role, department, department_name,
	department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id`

// row is a stored record as read, with its stored leaf.
type row struct {
	rec  audit.Record
	leaf audit.Digest
	bad  string // why the row cannot be a record, "" if it can
}

func scanRow(rows *sql.Rows) (row, error) {
	var r row
	var prev, hash, leaf []byte
	var tns int64
	var role, level, outcome uint8
	var dept string
	var details sql.NullString
	e := &r.rec.Event
	if err := rows.Scan(&r.rec.Seq, &prev, &hash, &leaf, &tns, &e.Actor.ID, &e.Actor.Name, &role, &dept,
		&e.Actor.Department.Name, &e.Actor.Department.RegionCode, &level, (*string)(&e.Action), &e.Target.Kind,
		&e.Target.ID, &outcome, &e.ErrorCode, &details, &e.CorrelationID); err != nil {
		return r, err
	}
	if len(prev) != 32 || len(hash) != 32 || len(leaf) != 32 {
		r.bad = "a hash column does not hold 32 bytes"
	}
	copy(r.rec.Prev[:], prev)
	copy(r.rec.Hash[:], hash)
	copy(r.leaf[:], leaf)
	e.Time = time.Unix(0, tns).In(deadline.CST)
	e.Actor.Role = govshare.Role(role)
	e.Actor.Department.Level = govshare.Level(level)
	e.Outcome = audit.Outcome(outcome)
	e.Actor.Department.SetID(dept)
	if details.Valid {
		e.Details = []byte(details.String)
	}
	return r, nil
}

// batch is how many records a read fetches per statement.
const batch = 512

// scan yields the stored rows with seq ≥ from that match where (a SQL
// condition on the records' columns with its arguments), in order of
// seq, batch by batch, until yield returns false.
func (l *AuditLog) scan(ctx context.Context, from uint64, to uint64, where string, args []any, yield func(row) bool) error {
	next := from
	for next < to {
		q := l.db.qualify(`SELECT `+recordColumns+` FROM {audit_records} WHERE log = ? AND seq >= ? AND seq < ?`+where+
			` ORDER BY seq LIMIT `) + strconv.Itoa(batch)
		rows, err := l.db.db.QueryContext(ctx, q, append([]any{l.name, next, to}, args...)...)
		if err != nil {
			return dbError("audit read", err)
		}
		var got []row
		for rows.Next() {
			r, err := scanRow(rows)
			if err != nil {
				rows.Close()
				return dbError("audit read", err)
			}
			got = append(got, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return dbError("audit read", err)
		}
		for _, r := range got {
			if !yield(r) {
				return nil
			}
		}
		if len(got) < batch {
			return nil
		}
		next = got[len(got)-1].rec.Seq + 1
	}
	return nil
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

// Read yields the records with from ≤ Seq < to in order; a range beyond
// Len yields an error matching audit.ErrOutOfRange. A missing record —
// a row deleted by SQL — is an error matching govshare.ErrCorrupt.
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
		want := from
		stopped := false
		err = l.scan(ctx, from, to, "", nil, func(r row) bool {
			if r.rec.Seq != want {
				err = missing(want)
				return false
			}
			want++
			if !yield(r.rec, nil) {
				stopped = true
				return false
			}
			return true
		})
		if err == nil && !stopped && want < to {
			err = missing(want)
		}
		if err != nil && !stopped {
			yield(audit.Record{}, err)
		}
	}
}

func missing(seq uint64) error {
	return &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "mysql.audit_missing",
		Zh: "审计记录 " + strconv.FormatUint(seq, 10) + " 缺失（请运行 Verify）",
		En: "mysql: audit record " + strconv.FormatUint(seq, 10) + " is missing (run Verify)"}
}

// Query yields, in order, the records whose events match f, selected by
// the database on the indexed columns.
func (l *AuditLog) Query(ctx context.Context, f audit.Filter) iter.Seq2[audit.Record, error] {
	return func(yield func(audit.Record, error) bool) {
		var where strings.Builder
		var args []any
		add := func(cond string, v any) {
			where.WriteString(" AND " + cond)
			args = append(args, v)
		}
		if f.Department != "" {
			add("department = ?", f.Department)
		}
		if f.Actor != "" {
			add("actor_id = ?", f.Actor)
		}
		if a := string(f.Action); a != "" {
			if strings.HasSuffix(a, ".") {
				where.WriteString(" AND LEFT(action, " + strconv.Itoa(len([]rune(a))) + ") = ?")
				args = append(args, a)
			} else {
				add("action = ?", a)
			}
		}
		if f.TargetKind != "" {
			add("target_kind = ?", f.TargetKind)
		}
		if f.TargetID != "" {
			add("target_id = ?", f.TargetID)
		}
		if f.Outcome.Valid() { // an unknown outcome filters nothing, as in audit.Memory
			add("outcome = ?", uint8(f.Outcome))
		}
		minT, maxT := time.Unix(0, -1<<63), time.Unix(0, 1<<63-1)
		switch {
		case f.From.IsZero() || f.From.Before(minT):
		case f.From.After(maxT):
			return // empty
		default:
			add("time_ns >= ?", f.From.UnixNano())
		}
		switch {
		case f.To.IsZero() || f.To.After(maxT):
		case f.To.Before(minT):
			return
		default:
			add("time_ns < ?", f.To.UnixNano())
		}
		n, err := l.Len(ctx)
		if err != nil {
			yield(audit.Record{}, err)
			return
		}
		stopped := false
		err = l.scan(ctx, 0, n, where.String(), args, func(r row) bool {
			if !yield(r.rec, nil) {
				stopped = true
				return false
			}
			return true
		})
		if err != nil && !stopped {
			yield(audit.Record{}, err)
		}
	}
}

// leaves brings the cached tree to size records, reading the stored leaf
// hashes it lacks; the caller holds l.mu.
func (l *AuditLog) leaves(ctx context.Context, size uint64) error {
	have := l.tree.Size()
	if have >= size {
		return nil
	}
	want := have
	var err error
	scanErr := l.scan(ctx, have, size, "", nil, func(r row) bool {
		if r.rec.Seq != want {
			err = missing(want)
			return false
		}
		l.tree.Append(r.leaf)
		want++
		return true
	})
	if scanErr != nil {
		return scanErr
	}
	if err == nil && want < size {
		err = missing(want)
	}
	return err
}

// Checkpoint signs the log's current state (size, Merkle root, last hash,
// the clock's time), keeps it in audit_checkpoints (Verify checks it) and
// returns it. Without a signer it fails with audit.ErrNoSigner.
func (l *AuditLog) Checkpoint(ctx context.Context) (audit.Checkpoint, error) {
	if l.set.Signer == nil {
		return audit.Checkpoint{}, audit.ErrNoSigner
	}
	var cp audit.Checkpoint
	err := l.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var size uint64
		var head []byte
		if err := tx.QueryRowContext(ctx, l.db.qualify(`SELECT size, head FROM {audit_logs} WHERE name = ? FOR UPDATE`), l.name).
			Scan(&size, &head); err != nil {
			return dbError("audit checkpoint: lock head", err)
		}
		l.mu.Lock()
		err := l.leaves(ctx, size)
		var root audit.Digest
		if err == nil {
			root, err = l.tree.Root(size)
		}
		l.mu.Unlock()
		if err != nil {
			return err
		}
		var h audit.Digest
		copy(h[:], head)
		if cp, err = l.set.Sign(ctx, l.hdr, size, root, h); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, l.db.qualify(`INSERT INTO {audit_checkpoints}
			(log, n, size, root, head, time_ns, signature_algorithm, signature)
			SELECT ?, COALESCE(MAX(n) + 1, 0), ?, ?, ?, ?, ?, ? FROM {audit_checkpoints} WHERE log = ?`),
			l.name, cp.Size, cp.Root[:], cp.Head[:], cp.Time.UnixNano(), uint8(cp.SignatureAlgorithm), cp.Signature, l.name); err != nil {
			return dbError("audit checkpoint: insert", err)
		}
		return nil
	})
	return cp, err
}

// Checkpoints returns the checkpoints the log keeps, oldest first.
func (l *AuditLog) Checkpoints(ctx context.Context) ([]audit.Checkpoint, error) {
	rows, err := l.db.db.QueryContext(ctx, l.db.qualify(`SELECT size, root, head, time_ns, signature_algorithm, signature
		FROM {audit_checkpoints} WHERE log = ? ORDER BY n`), l.name)
	if err != nil {
		return nil, dbError("audit checkpoints", err)
	}
	defer rows.Close()
	var out []audit.Checkpoint
	for rows.Next() {
		cp := audit.Checkpoint{LogID: l.hdr.LogID, Algorithm: l.hdr.Algorithm, KeyCheck: l.hdr.KeyCheck}
		var root, head []byte
		var tns int64
		var salg uint8
		if err := rows.Scan(&cp.Size, &root, &head, &tns, &salg, &cp.Signature); err != nil {
			return nil, dbError("audit checkpoints", err)
		}
		copy(cp.Root[:], root)
		copy(cp.Head[:], head)
		cp.Time = time.Unix(0, tns).In(deadline.CST)
		cp.SignatureAlgorithm = audit.SignatureAlgorithm(salg)
		out = append(out, cp)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("audit checkpoints", err)
	}
	return out, nil
}

// ProveInclusion proves record seq is in the tree of the first size
// records (seq < size ≤ Len).
func (l *AuditLog) ProveInclusion(ctx context.Context, seq, size uint64) (audit.InclusionProof, error) {
	n, err := l.Len(ctx)
	if err != nil {
		return audit.InclusionProof{}, err
	}
	if size > n {
		return audit.InclusionProof{}, &audit.RangeError{What: "tree size", Value: size, Limit: n}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.leaves(ctx, size); err != nil {
		return audit.InclusionProof{}, err
	}
	h, err := l.tree.InclusionProof(seq, size)
	if err != nil {
		return audit.InclusionProof{}, err
	}
	return audit.InclusionProof{Seq: seq, Size: size, Hashes: h}, nil
}

// ProveConsistency proves the tree of size1 records is a prefix of the
// tree of size2 (0 < size1 ≤ size2 ≤ Len).
func (l *AuditLog) ProveConsistency(ctx context.Context, size1, size2 uint64) (audit.ConsistencyProof, error) {
	n, err := l.Len(ctx)
	if err != nil {
		return audit.ConsistencyProof{}, err
	}
	if size2 > n {
		return audit.ConsistencyProof{}, &audit.RangeError{What: "tree size", Value: size2, Limit: n}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.leaves(ctx, size2); err != nil {
		return audit.ConsistencyProof{}, err
	}
	h, err := l.tree.ConsistencyProof(size1, size2)
	if err != nil {
		return audit.ConsistencyProof{}, err
	}
	return audit.ConsistencyProof{Size1: size1, Size2: size2, Hashes: h}, nil
}
