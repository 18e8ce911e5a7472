package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/request"
)

// Head implements request.ChangeFeed: the last sequence number given out
// and committed.
func (s *RequestStore) Head(ctx context.Context) (uint64, error) {
	var seq int64
	if err := s.db.pool.QueryRow(ctx, s.head).Scan(&seq); err != nil {
		return 0, dbError("request: feed head", err)
	}
	return uint64(seq), nil
}

// Since implements request.ChangeFeed from request_changes. The sequence
// is gapless and its numbers become visible in order (migration 0004), so
// reading after the last number seen misses nothing; when the changes
// right after after were pruned (PruneChanges), or the head is behind
// after (a database restored from a backup), Since says so with
// request.ErrFeedTruncated, and the follower scans again.
func (s *RequestStore) Since(ctx context.Context, after uint64, limit int) ([]request.Change, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: postgres: feed limit %d", govshare.ErrInvalid, limit)
	}
	rows, err := s.db.pool.Query(ctx, s.since, int64(after), limit)
	if err != nil {
		return nil, dbError("request: feed", err)
	}
	defer rows.Close()
	var out []request.Change
	var head int64
	for rows.Next() {
		var seq, version *int64
		var app *string
		if err := rows.Scan(&head, &seq, &app, &version); err != nil {
			return nil, dbError("request: feed", err)
		}
		if seq != nil {
			out = append(out, request.Change{Seq: uint64(*seq), Application: *app, Version: *version})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("request: feed", err)
	}
	if uint64(head) > after && (len(out) == 0 || out[0].Seq != after+1) {
		return nil, fmt.Errorf("%w: postgres: changes after %d were pruned (head %d)", request.ErrFeedTruncated, after, head)
	}
	if uint64(head) < after {
		// The database went back (restored from a backup): what the
		// follower saw after head is gone, and its cursor means nothing.
		return nil, fmt.Errorf("%w: postgres: the feed's head %d is behind %d (a restored database?)", request.ErrFeedTruncated, head, after)
	}
	return out, nil
}

// PruneChanges deletes the changes older than the last keep, and returns
// how many it deleted. A follower that lagged behind what is kept finds
// out (request.ErrFeedTruncated) and scans the store again, so pruning
// costs a lagging replica a scan, never a missed change. Keep enough for a
// replica's longest expected pause; a host runs this from time to time
// (the table grows by one row per transition otherwise).
func (s *RequestStore) PruneChanges(ctx context.Context, keep uint64) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, s.prune, int64(min(keep, 1<<62)))
	if err != nil {
		return 0, dbError("request: prune changes", err)
	}
	return tag.RowsAffected(), nil
}

// Wait implements request.ChangeFeed with LISTEN/NOTIFY: it returns when a
// notification of a change after after arrives, or at once when the
// listening connection was (re)made, since a notification sent before it
// listened is lost; Service.Follow reads the sequence then, and at its poll
// interval whatever the notifications. The listening connection is taken
// from the pool and kept out of it (one per store); a lost one is made
// again at the next Wait. One Wait listens at a time; others wait for it
// (or for their ctx).
func (s *RequestStore) Wait(ctx context.Context, after uint64) error {
	return s.listener.wait(ctx, after)
}

// listener holds the store's listening connection.
type listener struct {
	db      *DB
	channel string
	turn    chan struct{} // a token: who holds it may use conn
	conn    *pgx.Conn
}

func (l *listener) init(db *DB, channel string) {
	l.db, l.channel, l.turn = db, channel, make(chan struct{}, 1)
	l.turn <- struct{}{}
}

func (l *listener) wait(ctx context.Context, after uint64) error {
	select {
	case <-l.turn:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { l.turn <- struct{}{} }()
	if l.conn == nil || l.conn.IsClosed() {
		if err := l.connect(ctx); err != nil {
			return err
		}
		return nil // notifications before LISTEN are lost: read the sequence
	}
	for {
		n, err := l.conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil && !l.conn.IsClosed() {
				return ctx.Err()
			}
			l.drop()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return dbError("request: feed: listen", err)
		}
		seq, perr := strconv.ParseUint(n.Payload, 10, 64)
		if perr != nil || seq > after {
			return nil
		}
	}
}

func (l *listener) connect(ctx context.Context) error {
	c, err := l.db.pool.Acquire(ctx)
	if err != nil {
		return dbError("request: feed: connect", err)
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{l.channel}.Sanitize()); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return dbError("request: feed: listen", err)
	}
	l.conn = conn
	return nil
}

func (l *listener) drop() {
	if l.conn != nil {
		_ = l.conn.Close(context.Background())
		l.conn = nil
	}
}

// ListenerPID returns the server process id of the store's listening
// connection, or 0 when it has none: for an operator (or a test) that
// wants to see which backend it is, in pg_stat_activity.
func (s *RequestStore) ListenerPID() uint32 {
	l := &s.listener
	select {
	case <-l.turn:
		defer func() { l.turn <- struct{}{} }()
	default:
		return 0 // a Wait holds it; callers retry
	}
	if l.conn == nil || l.conn.IsClosed() {
		return 0
	}
	return l.conn.PgConn().PID()
}

// Close closes the store's listening connection, if any, waiting for a
// Wait in progress to return. The store stays usable: a later Wait
// listens again.
func (s *RequestStore) Close() {
	<-s.listener.turn
	s.listener.drop()
	s.listener.turn <- struct{}{}
}
