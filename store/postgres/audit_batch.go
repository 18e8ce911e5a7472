package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare/audit"
)

// Group commit of a log's own-transaction appends. Appends that arrive
// while a transaction of the log is running wait, and the next
// transaction writes all of them (up to maxBatch): one head lock, one
// multi-row INSERT, one head update and one commit for many records, in
// the order they arrived. Each Append still returns only when its own
// record is committed, or with the error that kept it out. An append in a
// caller's transaction is never batched: it belongs to that transaction.

// maxBatch is the most records one group commit writes.
const maxBatch = 256

// pending is one Append waiting for its group commit.
type pending struct {
	ctx  context.Context
	e    audit.Event
	rec  audit.Record
	err  error
	done chan struct{}
}

// batcher queues a log's own-transaction appends.
type batcher struct {
	queue   []*pending
	running bool
}

// appendGrouped queues e and waits for the group commit that writes it.
func (l *AuditLog) appendGrouped(ctx context.Context, e audit.Event) (audit.Record, error) {
	p := &pending{ctx: ctx, e: e, done: make(chan struct{})}
	l.bmu.Lock()
	l.b.queue = append(l.b.queue, p)
	lead := !l.b.running
	l.b.running = true
	l.bmu.Unlock()
	if lead {
		l.lead()
	}
	// Wait even if ctx ends meanwhile: once in a batch the record may be
	// committed, and Append must not then report a failure.
	<-p.done
	return p.rec, p.err
}

// lead writes the queued appends, one batch, and hands the lead on to a
// new goroutine if more arrived meanwhile.
func (l *AuditLog) lead() {
	l.bmu.Lock()
	n := min(len(l.b.queue), maxBatch)
	batch := l.b.queue[:n:n]
	l.b.queue = l.b.queue[n:]
	l.bmu.Unlock()

	live := batch[:0:0]
	for _, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.err = err // ended before its batch: not recorded
			close(p.done)
			continue
		}
		live = append(live, p)
	}
	if len(live) > 0 {
		// The batch is the work of several callers: one caller's
		// cancellation must not fail the others'.
		ctx := context.WithoutCancel(live[0].ctx)
		err := l.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error { return l.appendBatch(ctx, tx, live) })
		for _, p := range live {
			if err != nil {
				p.rec, p.err = audit.Record{}, err
			}
			close(p.done)
		}
	}

	l.bmu.Lock()
	if len(l.b.queue) == 0 {
		l.b.running = false
		l.bmu.Unlock()
		return
	}
	l.bmu.Unlock()
	go l.lead()
}

// appendBatch writes the records of ps in tx, in order: lock the head,
// seal each after the one before, one INSERT of all and the head's
// advance. It sets each pending's record; an event the sealer refuses
// (it was checked before it was queued, so only a changed limit could)
// gets its error and is left out.
func (l *AuditLog) appendBatch(ctx context.Context, tx pgx.Tx, ps []*pending) error {
	var size int64
	var headHash []byte
	if err := tx.QueryRow(ctx, l.q.lockHead, l.name).Scan(&size, &headHash); err != nil {
		return dbError("audit: lock head", err)
	}
	h := audit.Head{Size: uint64(size)}
	copy(h.Hash[:], headHash)
	var (
		seqs, times                                    []int64
		prevs, hashes                                  [][]byte
		actorIDs, actorNames, deptNames, credits, dirs []string
		regions, actions, kinds, targets, codes, corrs []string
		depts                                          []string
		roles, levels, outcomes                        []int16
		details                                        []*string
	)
	for _, p := range ps {
		p.err = nil
		s, err := l.sealer.Seal(h, p.e)
		if err != nil {
			p.err = err
			continue
		}
		r := s.Record
		p.rec = r
		ev := &r.Event
		d := &ev.Actor.Department
		seqs, times = append(seqs, int64(r.Seq)), append(times, ev.Time.UnixNano())
		prevs, hashes = append(prevs, r.Prev[:]), append(hashes, r.Hash[:])
		actorIDs, actorNames = append(actorIDs, ev.Actor.ID), append(actorNames, ev.Actor.Name)
		roles = append(roles, int16(ev.Actor.Role))
		deptNames, credits, dirs = append(deptNames, d.Name), append(credits, d.CreditCode), append(dirs, d.DirectoryID)
		regions, levels = append(regions, d.RegionCode), append(levels, int16(d.Level))
		actions, kinds, targets = append(actions, string(ev.Action)), append(kinds, ev.Target.Kind), append(targets, ev.Target.ID)
		outcomes, codes = append(outcomes, int16(ev.Outcome)), append(codes, ev.ErrorCode)
		var det *string
		if len(ev.Details) > 0 {
			s := string(ev.Details)
			det = &s
		}
		details, corrs, depts = append(details, det), append(corrs, ev.CorrelationID), append(depts, d.ID())
		h = audit.Head{Size: r.Seq + 1, Hash: r.Hash}
	}
	if len(seqs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, l.q.insertBatch, l.name, seqs, prevs, hashes, times, actorIDs, actorNames, roles, deptNames, credits,
		dirs, regions, levels, actions, kinds, targets, outcomes, codes, details, corrs, depts, h.Hash[:]); err != nil {
		return dbError("audit: insert records", err)
	}
	return nil
}
