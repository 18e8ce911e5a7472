package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/request"
)

// DefaultPollInterval is how often Wait reads the change feed's head
// without WithPollInterval: MySQL has no LISTEN/NOTIFY, so a replica
// learns of another's transition by polling one primary-key row. A policy
// default: with request.Follow's own loop, a revoke reaches every
// replica's Authorize within about this interval plus one read.
const DefaultPollInterval = 100 * time.Millisecond

// Head returns the seq of the last committed change (0 if none): the
// counter row of request_feed.
func (s *RequestStore) Head(ctx context.Context) (uint64, error) {
	var seq uint64
	if err := s.db.db.QueryRowContext(ctx, s.db.qualify(`SELECT seq FROM {request_feed} WHERE id = 1`)).Scan(&seq); err != nil {
		return 0, dbError("change feed head", err)
	}
	return seq, nil
}

// Wait returns nil once the feed's head is past after, reading it every
// poll interval (WithPollInterval), or ctx's error when ctx is done
// first.
func (s *RequestStore) Wait(ctx context.Context, after uint64) error {
	t := time.NewTicker(s.db.poll)
	defer t.Stop()
	for {
		head, err := s.Head(ctx)
		if err != nil {
			return err
		}
		if head > after {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// PruneChanges deletes the changes older than the last keep and reports
// how many it deleted (the same contract as the PostgreSQL store's). A
// follower that lagged behind what is kept finds out
// (request.ErrFeedTruncated) and scans the store again, so pruning costs a
// lagging replica a scan, never a missed change. Keep enough for a
// replica's longest expected pause; a host runs this from time to time
// (the table grows by one row per transition otherwise).
func (s *RequestStore) PruneChanges(ctx context.Context, keep uint64) (int64, error) {
	res, err := s.db.db.ExecContext(ctx, s.prune, int64(min(keep, 1<<62))) // signed: head - keep may be negative
	if err != nil {
		return 0, dbError("prune changes", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Since returns, in seq order, at most limit changes with seq > after
// (request.ChangeFeed). Changes are numbered under the feed's counter row
// in commit order, gaplessly (a rolled-back transition rolls its number
// back), so once a change is returned every change before it has been
// committed and is returned by this or an earlier call: a replica never
// skips one. The counter and the changes are read in one statement, one
// snapshot: when the changes right after after were pruned
// (PruneChanges), or the head is behind after (a database restored from a
// backup), Since says so with request.ErrFeedTruncated and the follower
// scans again. A limit below 1 is govshare.ErrInvalid.
func (s *RequestStore) Since(ctx context.Context, after uint64, limit int) ([]request.Change, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: change feed limit %d", govshare.ErrInvalid, limit)
	}
	rows, err := s.db.db.QueryContext(ctx, s.since, after, limit)
	if err != nil {
		return nil, dbError("change feed", err)
	}
	defer rows.Close()
	var out []request.Change
	var head uint64
	for rows.Next() {
		var seq sql.NullInt64
		var app sql.NullString
		var version sql.NullInt64
		if err := rows.Scan(&head, &seq, &app, &version); err != nil {
			return nil, dbError("change feed", err)
		}
		if seq.Valid {
			out = append(out, request.Change{Seq: uint64(seq.Int64), Application: app.String, Version: version.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("change feed", err)
	}
	if head > after && (len(out) == 0 || out[0].Seq != after+1) {
		return nil, fmt.Errorf("%w: mysql: changes after %d were pruned (head %d)", request.ErrFeedTruncated, after, head)
	}
	if head < after {
		return nil, fmt.Errorf("%w: mysql: the feed's head %d is behind %d (a restored database?)", request.ErrFeedTruncated, head, after)
	}
	return out, nil
}

var _ request.ChangeFeed = (*RequestStore)(nil)
