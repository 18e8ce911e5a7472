package mysql

import (
	"context"
	"time"
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
