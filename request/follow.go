package request

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govshare/govshare"
)

// Change is one stored transition in a store's change feed: application
// Application reached version Version. Seq numbers the changes of a feed
// from 1, increasing in the order the transitions were committed.
type Change struct {
	Seq         uint64 `json:"seq"`
	Application string `json:"application"`
	Version     int64  `json:"version"`
}

// ChangeFeed is what a store shared by several Service replicas offers so
// that each replica's grant index follows the transitions the others
// commit (Service.Follow). The PostgreSQL store implements it with
// LISTEN/NOTIFY over a change table; MemoryFeed does for a store shared
// in one process.
type ChangeFeed interface {
	// Head returns the Seq of the last committed change (0 if none).
	Head(ctx context.Context) (uint64, error)
	// Since returns, in Seq order, at most limit changes with Seq > after.
	// A change committed is never skipped: once Since has returned a
	// change with Seq s, every change with a smaller Seq was returned by
	// a call with a smaller after, or is returned now. A feed that no
	// longer keeps the changes right after after (it pruned them) returns
	// an error matching ErrFeedTruncated, and Follow scans the store again.
	Since(ctx context.Context, after uint64, limit int) ([]Change, error)
	// Wait returns nil once there may be a change with Seq > after (it may
	// return early, without one), or ctx's error when ctx is done first.
	Wait(ctx context.Context, after uint64) error
}

// ErrFeedTruncated: the feed no longer keeps the changes a follower asked
// for (they were pruned while it lagged). Follow then reads every
// application again. errors.Is(err, govshare.ErrNotFound) holds.
var ErrFeedTruncated = fmt.Errorf("request: the change feed no longer keeps those changes: %w", govshare.ErrNotFound)

// The policy defaults of Follow. The regulation fixes neither; they are
// this package's choices, configurable with FollowOption.
const (
	// DefaultStaleAfter is how long a following replica's index may go
	// without confirming it is current before Authorize denies every
	// access with StaleIndex.
	DefaultStaleAfter = 2 * time.Second
	// DefaultPollInterval is how often Follow reads the feed when Wait
	// reports nothing: the fallback that finds a change whose notification
	// was lost, and the heartbeat that confirms the index is current.
	DefaultPollInterval = 250 * time.Millisecond
	// DefaultFollowBatch is how many changes Follow reads at a time.
	DefaultFollowBatch = 256
)

// FollowOption configures Follow. An option given a bad value makes
// Follow fail at once with an error matching govshare.ErrInvalid.
type FollowOption func(*followConfig) error

type followConfig struct {
	staleAfter, poll time.Duration
	batch            int
	onError          func(error)
}

// WithStaleAfter sets the bound after which a replica whose index has not
// confirmed it is current denies every access (StaleIndex). Default
// DefaultStaleAfter (2 s, a policy default, not law). It must exceed the
// poll interval.
func WithStaleAfter(d time.Duration) FollowOption {
	return func(c *followConfig) error {
		if d <= 0 {
			return configError("WithStaleAfter: the bound must be positive", "过期界限必须为正")
		}
		c.staleAfter = d
		return nil
	}
}

// WithPollInterval sets how often Follow reads the feed without a
// notification. Default DefaultPollInterval.
func WithPollInterval(d time.Duration) FollowOption {
	return func(c *followConfig) error {
		if d <= 0 {
			return configError("WithPollInterval: the interval must be positive", "轮询间隔必须为正")
		}
		c.poll = d
		return nil
	}
}

// WithFollowBatch sets how many changes Follow reads at a time (1 to
// 65536). Default DefaultFollowBatch.
func WithFollowBatch(n int) FollowOption {
	return func(c *followConfig) error {
		if n < 1 || n > 1<<16 {
			return configError("WithFollowBatch: the batch must be 1 to 65536", "批量须在1至65536之间")
		}
		c.batch = n
		return nil
	}
}

// WithFollowErrors sets a function Follow calls with each error it
// recovers from (a lost connection, a failed read): Follow retries at the
// poll interval and the index turns stale after the bound meanwhile.
// Default: errors are dropped.
func WithFollowErrors(fn func(error)) FollowOption {
	return func(c *followConfig) error {
		if fn == nil {
			return configError("WithFollowErrors: nil function", "错误处理函数不能为空")
		}
		c.onError = fn
		return nil
	}
}

// epoch is the origin of the monotonic instants followState keeps.
var epoch = time.Now()

func monotonic() int64 { return int64(time.Since(epoch)) }

// followState is what Authorize reads of Follow: the bound (0 while the
// service has never followed a feed) and when the index was last
// confirmed current, both in nanoseconds.
type followState struct {
	bound     atomic.Int64
	confirmed atomic.Int64 // monotonic instant; 0: never
	running   atomic.Bool
}

func (f *followState) stale() bool {
	b := f.bound.Load()
	return b > 0 && monotonic()-f.confirmed.Load() > b
}

// confirm records that the index was current at instant at (it only
// moves forward).
func (f *followState) confirm(at int64) {
	for {
		old := f.confirmed.Load()
		if at <= old || f.confirmed.CompareAndSwap(old, at) {
			return
		}
	}
}

// IndexAge returns how long ago the grant index was last confirmed
// current by Follow, and true; or false if the service has never followed
// a feed (its index then holds its own transitions only). A health check
// reports a replica whose age nears the bound.
func (s *Service) IndexAge() (time.Duration, bool) {
	if s.follow.bound.Load() == 0 {
		return 0, false
	}
	c := s.follow.confirmed.Load()
	if c == 0 {
		return time.Duration(monotonic()), true
	}
	return time.Duration(monotonic() - c), true
}

// Follow keeps the service's grant index current with the transitions
// other replicas commit to the shared store, until ctx is done; it then
// returns ctx's error. It takes the feed's head, reads every application
// into the index (Grants.Put keeps the newest version of each), then reads
// the changes after the head as they come: on each Wait and at least every
// poll interval (so a lost notification delays a change by one interval at
// most), re-reading each changed application from the store rather than
// trusting the change itself, so an old or repeated change can never bring
// back a revoked grant.
//
// A replica that cannot catch up denies rather than allows: from the call
// on, Authorize answers StaleIndex whenever the index has not been
// confirmed current (a read of the feed that found nothing newer) for
// longer than the bound (WithStaleAfter), including before the first
// catch-up and after Follow returns. Errors of the feed or the store are
// retried at the poll interval (see WithFollowErrors). One Follow runs per
// service at a time; a second is govshare.ErrConflict.
func (s *Service) Follow(ctx context.Context, feed ChangeFeed, opts ...FollowOption) error {
	cfg := followConfig{staleAfter: DefaultStaleAfter, poll: DefaultPollInterval, batch: DefaultFollowBatch, onError: func(error) {}}
	if feed == nil {
		return configError("Follow: nil feed", "缺少变更源")
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return err
		}
	}
	if cfg.poll >= cfg.staleAfter {
		return configError(fmt.Sprintf("Follow: the poll interval %s must be shorter than the stale bound %s", cfg.poll, cfg.staleAfter),
			"轮询间隔必须短于过期界限")
	}
	if !s.follow.running.CompareAndSwap(false, true) {
		return &govshare.CodedError{Kind: govshare.ErrConflict, Code: "request.follow_running",
			Zh: "该服务已在同步变更", En: "request: the service already follows a change feed"}
	}
	defer s.follow.running.Store(false)
	s.follow.bound.Store(int64(cfg.staleAfter))

	retry := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		cfg.onError(err)
		t := time.NewTimer(cfg.poll)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}

	// Catch up: everything up to the head by a scan, the rest by the feed.
	// The same again if the feed was pruned past the cursor.
	catchUp := func() (uint64, error) {
		for {
			head, err := feed.Head(ctx)
			if err == nil {
				err = s.store.All(ctx, func(a Application) bool {
					if a.Answer != nil {
						s.grants.Put(a.Clone())
					}
					return true
				})
			}
			if err == nil {
				return head, nil // the first read of the feed below confirms the index
			}
			if err := retry(fmt.Errorf("request: follow: catching up: %w", err)); err != nil {
				return 0, err
			}
		}
	}
	cursor, err := catchUp()
	if err != nil {
		return err
	}
	for {
		start := monotonic()
		changes, err := feed.Since(ctx, cursor, cfg.batch)
		if errors.Is(err, ErrFeedTruncated) {
			if cursor, err = catchUp(); err != nil {
				return err
			}
			continue
		}
		if err == nil {
			cursor, err = s.apply(ctx, cursor, changes)
		}
		if err != nil {
			if err := retry(fmt.Errorf("request: follow: reading changes after %d: %w", cursor, err)); err != nil {
				return err
			}
			continue
		}
		if len(changes) == cfg.batch {
			continue // more to read at once
		}
		// Nothing newer than cursor when the read began: current then.
		s.follow.confirm(start)
		wctx, cancel := context.WithTimeout(ctx, cfg.poll)
		err = feed.Wait(wctx, cursor)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && !errors.Is(err, context.DeadlineExceeded):
			if err := retry(fmt.Errorf("request: follow: waiting for changes: %w", err)); err != nil {
				return err
			}
		}
	}
}

// apply reads the applications of changes from the store into the index
// and returns the new cursor: the Seq of the last change applied.
func (s *Service) apply(ctx context.Context, cursor uint64, changes []Change) (uint64, error) {
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		if c.Seq <= cursor {
			return cursor, fmt.Errorf("%w: change %d after %d is out of order", govshare.ErrConflict, c.Seq, cursor)
		}
		if !seen[c.Application] {
			seen[c.Application] = true
			a, err := s.store.Get(ctx, c.Application)
			if err != nil {
				return cursor, err
			}
			if a.Answer != nil {
				s.grants.Put(a)
			}
		}
		cursor = c.Seq
	}
	return cursor, nil
}

// MemoryFeed is a Store with a ChangeFeed, for several Service values
// sharing one store in a process (tests, examples, a host that runs
// replicas as goroutines): it passes every call to the store it wraps and
// numbers each successful Save as a Change.
type MemoryFeed struct {
	Store
	mu      sync.Mutex
	changes []Change
	wake    chan struct{} // closed and replaced on every change
}

// NewMemoryFeed wraps a store (usually a MemoryStore).
func NewMemoryFeed(s Store) *MemoryFeed {
	return &MemoryFeed{Store: s, wake: make(chan struct{})}
}

// Save implements Store.Save and, when it succeeds, appends the change.
// The change is appended after the store holds the new version, so a
// follower that reads it finds that version or a newer one.
func (m *MemoryFeed) Save(ctx context.Context, app Application, expected int64, record func(ctx context.Context) error) (Application, error) {
	saved, err := m.Store.Save(ctx, app, expected, record)
	if err != nil {
		return saved, err
	}
	m.mu.Lock()
	m.changes = append(m.changes, Change{Seq: uint64(len(m.changes)) + 1, Application: saved.ID, Version: saved.Version})
	close(m.wake)
	m.wake = make(chan struct{})
	m.mu.Unlock()
	return saved, nil
}

// Head implements ChangeFeed.
func (m *MemoryFeed) Head(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return uint64(len(m.changes)), nil
}

// Since implements ChangeFeed.
func (m *MemoryFeed) Since(ctx context.Context, after uint64, limit int) ([]Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("%w: limit %d", govshare.ErrInvalid, limit)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if after >= uint64(len(m.changes)) {
		return nil, nil
	}
	end := min(uint64(len(m.changes)), after+uint64(limit))
	return append([]Change(nil), m.changes[after:end]...), nil
}

// Wait implements ChangeFeed.
func (m *MemoryFeed) Wait(ctx context.Context, after uint64) error {
	m.mu.Lock()
	if uint64(len(m.changes)) > after {
		m.mu.Unlock()
		return nil
	}
	wake := m.wake
	m.mu.Unlock()
	select {
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
