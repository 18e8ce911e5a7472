package mysql

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/govshare/govshare/audit"
)

// Verify checks every stored record against its hash (recomputed with the
// log's key from the typed columns, so a changed column shows), the hash
// chain, the stored leaf hashes, the head row, every checkpoint the log
// keeps and the trusted checkpoints given (a supervisor's copies). It
// returns nil or an *audit.VerifyError naming the first bad sequence
// number and what is wrong: an UPDATE of a record is KindModified at its
// seq, a DELETE from the middle KindDeleted at the first missing seq, a
// DELETE of the last records KindTruncated, an INSERT beyond the head
// KindInserted, records rewritten with recomputed hashes (possible only in
// an unkeyed log) KindRootMismatch against a checkpoint. Other errors say
// verification could not be done.
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
	cps := append(stored, trusted...)
	if len(cps) > 0 && l.pub == nil {
		return fmt.Errorf("mysql: audit verify: %w", audit.ErrNoPublicKey)
	}
	var problems []*audit.VerifyError
	found := func(seq uint64, k audit.Kind, cp *audit.Checkpoint, detail string) {
		problems = append(problems, &audit.VerifyError{Seq: seq, Kind: k, Checkpoint: cp, Detail: detail})
	}
	tree, err := audit.NewTree(l.hdr.Algorithm)
	if err != nil {
		return err
	}
	heads := map[uint64]audit.Digest{0: {}} // the last hash at each checkpoint's size
	for _, cp := range cps {
		heads[cp.Size] = audit.Digest{}
	}
	var n uint64 // records that check out, in order from 0
	var prev audit.Digest
	anomaly := false
	err = l.scan(ctx, 0, math.MaxInt64, "", nil, func(r row) bool {
		seq := r.rec.Seq
		stop := func(at uint64, k audit.Kind, detail string) bool {
			found(at, k, nil, detail)
			anomaly = true
			return false
		}
		if seq > n {
			if n >= headSize {
				return stop(seq, audit.KindInserted, fmt.Sprintf("record %d stands beyond the log's %d records", seq, headSize))
			}
			return stop(n, audit.KindDeleted, fmt.Sprintf("records %d to %d are missing", n, seq-1))
		}
		if r.bad != "" {
			return stop(seq, audit.KindModified, r.bad)
		}
		sealed, err := l.verifier.Seal(audit.Head{Size: seq, Hash: r.rec.Prev}, r.rec.Event)
		switch {
		case err != nil:
			return stop(seq, audit.KindModified, "the stored event is not a valid event: "+err.Error())
		case sealed.Record.Hash != r.rec.Hash && seq >= headSize:
			return stop(seq, audit.KindInserted, fmt.Sprintf("record %d is not the log's and stands beyond its %d records", seq, headSize))
		case sealed.Record.Hash != r.rec.Hash:
			return stop(seq, audit.KindModified, "the record's hash does not match its content")
		case r.rec.Prev != prev && seq > 0:
			return stop(seq-1, audit.KindModified, fmt.Sprintf("record %d checks out but does not follow the record before it, which was replaced", seq))
		case r.rec.Prev != prev:
			return stop(seq, audit.KindModified, "the first record does not start the chain")
		case sealed.Leaf != r.leaf:
			return stop(seq, audit.KindModified, "the stored leaf hash is not the record's")
		case seq >= headSize:
			return stop(seq, audit.KindInserted, fmt.Sprintf("record %d stands beyond the log's %d records", seq, headSize))
		}
		tree.Append(sealed.Leaf)
		prev = r.rec.Hash
		n = seq + 1
		if _, want := heads[n]; want {
			heads[n] = prev
		}
		return true
	})
	if err != nil {
		return err
	}
	if !anomaly {
		switch {
		case n < headSize:
			found(n, audit.KindTruncated, nil, fmt.Sprintf("the log has %d records, its head row says %d", n, headSize))
		case string(headHash) != string(prev[:]):
			found(n-1, audit.KindModified, nil, "the head row's hash is not the last record's")
		}
	}
	// Checkpoints: signed for this log, then the records' root at each.
	var ok []*audit.Checkpoint
	for i := range cps {
		cp := &cps[i]
		if cp.LogID != l.hdr.LogID || cp.Algorithm != l.hdr.Algorithm {
			found(cp.Size, audit.KindBadSignature, cp, "the checkpoint is for another log")
			continue
		}
		if err := cp.Verify(*l.pub); err != nil {
			found(cp.Size, audit.KindBadSignature, cp, err.Error())
			continue
		}
		ok = append(ok, cp)
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].Size < ok[j].Size })
	var good uint64
	for _, cp := range ok {
		if cp.Size > n {
			if !anomaly {
				found(n, audit.KindTruncated, cp, fmt.Sprintf("the log has %d records, a signed checkpoint says it had %d", n, cp.Size))
			}
			continue
		}
		root, err := tree.Root(cp.Size)
		if err != nil {
			return err
		}
		if root != cp.Root || heads[cp.Size] != cp.Head {
			found(good, audit.KindRootMismatch, cp, fmt.Sprintf("the first %d records do not give the signed root; the first %d still do", cp.Size, good))
			continue
		}
		good = max(good, cp.Size)
	}
	if len(problems) == 0 {
		return nil
	}
	first := problems[0]
	for _, p := range problems[1:] {
		if p.Seq < first.Seq || p.Seq == first.Seq && priority(p) < priority(first) {
			first = p
		}
	}
	return first
}

// priority breaks ties at one sequence number: the record-level finding
// is the most precise.
func priority(e *audit.VerifyError) int {
	switch e.Kind {
	case audit.KindModified, audit.KindDeleted, audit.KindInserted, audit.KindReordered:
		return 0
	case audit.KindTruncated:
		return 1
	case audit.KindBadSignature:
		return 2
	}
	return 3
}
