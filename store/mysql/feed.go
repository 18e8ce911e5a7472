package mysql

import (
	"context"
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

// PruneChanges deletes the changes numbered up to and including through,
// and reports how many it deleted. A replica needs the changes after the
// head it read when it started following (request.Service.Follow reads
// every application first), so a host prunes what every running replica
// has passed, e.g. the changes older than an hour.
func (s *RequestStore) PruneChanges(ctx context.Context, through uint64) (int64, error) {
	res, err := s.db.db.ExecContext(ctx, s.db.qualify(`DELETE FROM {request_changes} WHERE seq <= ?`), through)
	if err != nil {
		return 0, dbError("prune changes", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Since returns, in seq order, at most limit changes with seq > after
// (request.ChangeFeed). Changes are numbered under the feed's counter row
// in commit order, so once a change is returned every change before it
// has been committed and is returned by this or an earlier call: a
// replica never skips one. A limit below 1 is govshare.ErrInvalid.
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
	for rows.Next() {
		var c request.Change
		if err := rows.Scan(&c.Seq, &c.Application, &c.Version); err != nil {
			return nil, dbError("change feed", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("change feed", err)
	}
	return out, nil
}

var _ request.ChangeFeed = (*RequestStore)(nil)
