package sqlstore

import (
	"context"
	"sync"
)

// Group is group commit, driver-free: callers that arrive while a batch
// of theirs is running wait in a queue, and the next batch takes all of
// them (up to a bound) into one transaction, so that many callers share
// one commit, and one fsync, instead of committing one after the other
// while they hold the same rows locked. No caller waits for a timer: a
// batch is whatever queued while the one before it ran. T is the store's
// queued caller (its arguments and results); the zero Group is ready.
type Group[T any] struct {
	mu      sync.Mutex // guards queue and running
	queue   []*queued[T]
	running bool
}

// queued is one caller in a Group's queue.
type queued[T any] struct {
	m    T
	ctx  context.Context
	err  error         // ctx's error, when the batch did not run m
	done chan struct{} // closed when m's batch has run
}

// Join queues m and returns when the batch that took m has run; m's
// results are then what run set. The caller that finds no batch running
// leads: it runs one batch, then hands the lead to a new goroutine if
// more arrived meanwhile, so that it returns as soon as its own batch is
// done. run gets at most limit members (at least one) whose ctx had not
// ended when the batch started, in the order they arrived, with the first
// one's ctx without its cancellation (one caller's cancellation must not
// fail the others'); it must set each member's results. A member whose
// ctx ended before its batch is not run: Join returns ctx's error and nil
// otherwise. Join waits even if ctx ends meanwhile: once in a batch, m's
// work may be committed, and its caller must not then be told it failed.
func (g *Group[T]) Join(ctx context.Context, m T, limit int, run func(ctx context.Context, batch []T)) error {
	q := &queued[T]{m: m, ctx: ctx, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, q)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		g.lead(max(limit, 1), run)
	}
	<-q.done
	return q.err
}

// Queued returns how many callers wait for a batch, the running one's
// not counted.
func (g *Group[T]) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// lead runs one batch of the queue and hands the lead on if more queued.
func (g *Group[T]) lead(limit int, run func(ctx context.Context, batch []T)) {
	g.mu.Lock()
	n := min(len(g.queue), limit)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	var ctx context.Context
	live := make([]T, 0, n)
	ran := batch[:0:0]
	for _, q := range batch {
		if err := q.ctx.Err(); err != nil {
			q.err = err // ended before its batch: not run
			close(q.done)
			continue
		}
		if ctx == nil {
			ctx = context.WithoutCancel(q.ctx)
		}
		live = append(live, q.m)
		ran = append(ran, q)
	}
	if len(live) > 0 {
		run(ctx, live)
		for _, q := range ran {
			close(q.done)
		}
	}

	g.mu.Lock()
	if len(g.queue) == 0 {
		g.running = false
		g.mu.Unlock()
		return
	}
	g.mu.Unlock()
	go g.lead(limit, run)
}
