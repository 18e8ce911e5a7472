package requesttest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/govshare/govshare/request"
)

// PausedFeed is a request.ChangeFeed that holds its Since calls until
// Resume, so that a test can make a replica lag (a transition committed
// and its change pruned while the replica waits), and counts the calls
// and those that found their changes pruned (request.ErrFeedTruncated).
// Head and Wait pass through. Make one with NewPausedFeed.
type PausedFeed struct {
	request.ChangeFeed
	mu        sync.Mutex
	paused    chan struct{} // nil once resumed
	calls     atomic.Int64
	truncated atomic.Int64
}

// NewPausedFeed returns feed held, until Resume.
func NewPausedFeed(feed request.ChangeFeed) *PausedFeed {
	return &PausedFeed{ChangeFeed: feed, paused: make(chan struct{})}
}

// Since waits until Resume (or ctx) and then reads the feed.
func (p *PausedFeed) Since(ctx context.Context, after uint64, limit int) ([]request.Change, error) {
	p.calls.Add(1)
	p.mu.Lock()
	ch := p.paused
	p.mu.Unlock()
	if ch != nil {
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out, err := p.ChangeFeed.Since(ctx, after, limit)
	if errors.Is(err, request.ErrFeedTruncated) {
		p.truncated.Add(1)
	}
	return out, err
}

// Resume lets the held and later Since calls through. Calling it again
// does nothing.
func (p *PausedFeed) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused != nil {
		close(p.paused)
		p.paused = nil
	}
}

// Calls returns how many times Since was called.
func (p *PausedFeed) Calls() int64 { return p.calls.Load() }

// Truncated returns how many Since calls found their changes pruned.
func (p *PausedFeed) Truncated() int64 { return p.truncated.Load() }
