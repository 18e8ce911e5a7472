package requesttest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
)

// The memory store passes the kit; its log shares no transaction with it.
func TestMemoryStore(t *testing.T) {
	requesttest.Run(t, func(t *testing.T) (request.Store, audit.Log) {
		log, err := audit.NewMemory()
		if err != nil {
			t.Fatal(err)
		}
		return request.NewMemoryStore(), log
	}, requesttest.LogOutsideStore())
}

// PausedFeed holds Since until Resume, lets a cancelled caller go, and
// counts the calls.
func TestPausedFeed(t *testing.T) {
	ctx := context.Background()
	feed := request.NewMemoryFeed(request.NewMemoryStore())
	if _, err := feed.Save(ctx, request.Application{ID: "PF-1"}, 0, nil); err != nil {
		t.Fatal(err)
	}
	p := requesttest.NewPausedFeed(feed)
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := p.Since(cctx, 0, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("held Since with an ended context = %v", err)
	}
	got := make(chan []request.Change, 1)
	go func() {
		out, _ := p.Since(ctx, 0, 10)
		got <- out
	}()
	select {
	case out := <-got:
		t.Fatalf("Since returned %v before Resume", out)
	case <-time.After(50 * time.Millisecond):
	}
	p.Resume()
	p.Resume() // again: nothing
	if out := <-got; len(out) != 1 || out[0].Application != "PF-1" {
		t.Fatalf("after Resume: %+v", out)
	}
	if p.Calls() != 2 || p.Truncated() != 0 {
		t.Fatalf("Calls %d, Truncated %d", p.Calls(), p.Truncated())
	}
}
