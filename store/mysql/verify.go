package mysql

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/govshare/govshare/audit"
)

// Verify checks the log as audit.Memory checks its own
// (audit.VerifyRecords): every stored record's hash recomputed with the
// log's key from its typed columns, so that a changed column shows, the
// hash chain, every checkpoint the log keeps and the trusted checkpoints
// given (a supervisor's copies). Then it checks what only this store
// keeps: each stored leaf hash (what proofs are built from) and the head
// row (its size and hash are the last record's). It returns nil or an
// *audit.VerifyError naming the first bad sequence number and what is
// wrong — an UPDATE of a record is found at its seq, a DELETE from the
// middle at the first missing seq, a DELETE of the last records as a
// truncation; other errors say verification could not be done.
func (l *AuditLog) Verify(ctx context.Context, trusted ...audit.Checkpoint) error {
	var headSize uint64
	var headHash []byte
	if err := l.db.db.QueryRowContext(ctx, l.db.qualify(`SELECT size, head FROM {audit_logs} WHERE name = ?`), l.name).
		Scan(&headSize, &headHash); err != nil {
		return dbError("audit verify: head", err)
	}
	stored, err := l.Checkpoints(ctx)
	if err != nil {
		return err
	}
	if (len(stored) > 0 || len(trusted) > 0) && l.set.PublicKey == nil {
		return fmt.Errorf("mysql: audit verify: %w", audit.ErrNoPublicKey)
	}
	src := &rowSource{l: l}
	if err := audit.VerifyRecords(ctx, l.hdr, l.set.Key, l.set.PublicKey, src, append(stored, trusted...)...); err != nil {
		// A record that does not check out beyond the records the head
		// row counts was put there, not changed.
		var ve *audit.VerifyError
		if errors.As(err, &ve) && ve.Kind == audit.KindModified && ve.Seq >= headSize {
			return &audit.VerifyError{Seq: ve.Seq, Kind: audit.KindInserted, Checkpoint: ve.Checkpoint,
				Detail: fmt.Sprintf("record %d is not the log's and stands beyond the %d records of the head row", ve.Seq, headSize)}
		}
		return err
	}
	// The records are the log's: now the leaves and the head row.
	x, err := audit.NewSealer(l.hdr, l.set.Key, audit.WithLimits(audit.Limits{MaxText: 1 << 30, MaxDetails: 1 << 30, MaxDepth: 1000}))
	if err != nil {
		return err
	}
	var n uint64
	var last audit.Digest
	var bad *audit.VerifyError
	err = l.scan(ctx, 0, math.MaxInt64, "", nil, func(r row) bool {
		sealed, err := x.Seal(audit.Head{Size: r.rec.Seq, Hash: r.rec.Prev}, r.rec.Event)
		if err != nil || sealed.Leaf != r.leaf {
			bad = &audit.VerifyError{Seq: r.rec.Seq, Kind: audit.KindModified, Detail: "the stored leaf hash is not the record's"}
			return false
		}
		n, last = r.rec.Seq+1, r.rec.Hash
		return true
	})
	switch {
	case err != nil:
		return err
	case bad != nil:
		return bad
	case n < headSize:
		return &audit.VerifyError{Seq: n, Kind: audit.KindTruncated, Detail: fmt.Sprintf("the log has %d records, its head row says %d", n, headSize)}
	case n > headSize:
		return &audit.VerifyError{Seq: headSize, Kind: audit.KindInserted, Detail: fmt.Sprintf("record %d stands beyond the %d records of the head row", headSize, headSize)}
	case string(headHash) != string(last[:]):
		return &audit.VerifyError{Seq: n - 1, Kind: audit.KindModified, Detail: "the head row's hash is not the last record's"}
	}
	return nil
}

// rowSource gives audit.VerifyRecords the stored records in order of seq.
type rowSource struct{ l *AuditLog }

// Records implements audit.RecordSource: the from-th stored record on,
// whatever seq the rows say, batch by batch.
func (s *rowSource) Records(ctx context.Context, from uint64, emit func([]audit.Record) error) error {
	// Positions are counted over the rows in seq order; a batch is read
	// after the last seq of the one before.
	var pos uint64
	var after int64 = -1
	for {
		rows, err := s.l.db.db.QueryContext(ctx, s.l.db.qualify(`SELECT `+recordColumns+` FROM {audit_records} WHERE log = ? AND seq > ? ORDER BY seq LIMIT `)+fmt.Sprint(batch),
			s.l.name, after)
		if err != nil {
			return dbError("audit verify: read", err)
		}
		var recs []audit.Record
		for rows.Next() {
			r, err := scanRow(rows)
			if err != nil {
				rows.Close()
				return dbError("audit verify: read", err)
			}
			recs = append(recs, r.rec)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return dbError("audit verify: read", err)
		}
		if len(recs) == 0 {
			return nil
		}
		after = int64(recs[len(recs)-1].Seq)
		if end := pos + uint64(len(recs)); end > from {
			skip := uint64(0)
			if from > pos {
				skip = from - pos
			}
			if err := emit(recs[skip:]); err != nil {
				return err
			}
		}
		pos += uint64(len(recs))
		if len(recs) < batch {
			return nil
		}
	}
}
