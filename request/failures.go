package request

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
)

// Default bound on failure events (a policy default): at most
// DefaultFailureLimit failure events per actor in each DefaultFailureWindow.
// GB/T 22239-2019 level 3 (8.1.4.3) asks audit records to say whether an
// event succeeded; a refused command is such an event. The bound keeps a
// flood of refused commands from one actor from filling the log; what it
// drops is counted and reported in the actor's next recorded failure.
const (
	DefaultFailureLimit  = 20
	DefaultFailureWindow = time.Minute
	// maxFailureActors bounds the actors tracked in one window; beyond it
	// every further actor shares one budget.
	maxFailureActors = 10_000
)

// WithFailureEvents bounds the failure events Do records: at most limit
// per actor in each window. limit 0 turns failure events off. Default
// DefaultFailureLimit per DefaultFailureWindow.
func WithFailureEvents(limit int, window time.Duration) Option {
	return func(cfg *config) error {
		if limit < 0 || (limit > 0 && window <= 0) {
			return configError("WithFailureEvents: a negative limit or a window that is not positive", "失败事件限额无效")
		}
		cfg.failureLimit, cfg.failureWindow = limit, window
		return nil
	}
}

// failureGate decides which failure events are recorded.
type failureGate struct {
	mu         sync.Mutex
	limit      int
	window     time.Duration
	start      time.Time
	counts     map[string]int
	suppressed map[string]int
}

const overflowActor = "\x00overflow"

// admit reports whether a failure of the actor at instant now is recorded,
// and how many of its failures were dropped since its last recorded one.
func (g *failureGate) admit(actor string, now time.Time) (bool, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.counts == nil || !now.Before(g.start.Add(g.window)) || now.Before(g.start) {
		g.start, g.counts = now, map[string]int{}
		if len(g.suppressed) > maxFailureActors {
			g.suppressed = nil
		}
	}
	if g.suppressed == nil {
		g.suppressed = map[string]int{}
	}
	if _, ok := g.counts[actor]; !ok && len(g.counts) >= maxFailureActors {
		actor = overflowActor
	}
	if g.counts[actor] >= g.limit {
		g.suppressed[actor]++
		return false, 0
	}
	g.counts[actor]++
	n := g.suppressed[actor]
	delete(g.suppressed, actor)
	return true, n
}

// recordable reports whether a refused command is the actor's failure, to
// be recorded: refused by the rules or the table, or naming nothing.
// Failures of the platform itself (a store or log that is down, a
// cancelled context) are not the actor's and are not recorded as such.
func recordable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	switch govshare.Kind(err) {
	case govshare.ErrForbidden, govshare.ErrInvalid, govshare.ErrMalformed, govshare.ErrNotFound, govshare.ErrConflict, govshare.ErrTooLarge:
		return true
	}
	return false
}

// refused records the failure event of a refused command and returns the
// command's error, joined with the append's error if that failed too.
func (s *Service) refused(ctx context.Context, id string, cmd Command, err error) error {
	if rerr := s.recordFailure(ctx, id, cmd, err); rerr != nil {
		return errors.Join(err, fmt.Errorf("request: recording the failure event: %w", rerr))
	}
	return err
}

// recordFailure writes a failure event for a refused command: outcome
// failure, the error's stable code, the command and the application,
// never linked to a state change. An actor the audit log cannot name (no
// ID, no role, no department identity) is recorded as claimed, in the
// details, under the system actor that observed it. It returns the error
// of the append, which Do does not let hide the command's own error.
func (s *Service) recordFailure(ctx context.Context, id string, cmd Command, cause error) error {
	if s.failures == nil || !recordable(cause) {
		return nil
	}
	var name CommandName
	var by govshare.Actor
	if cmd != nil {
		name, by = cmd.Name(), cmd.By()
	}
	now := s.cfg.now()
	key := by.ID + "\x00" + by.Department.ID()
	ok, dropped := s.failures.admit(key, now)
	if !ok {
		return nil
	}
	action := "request.command"
	if c := name.Code(); c != "" {
		action = "request." + c
	}
	details := []Detail{{"command", name.Code()}, {"error", govshare.MessageOf(cause).En}}
	if dropped > 0 {
		details = append(details, Detail{"suppressed", dropped})
	}
	actor := by
	if by.ID == "" || !by.Role.Valid() || (by.Role != govshare.System && by.Department.ID() == "") {
		details = append(details, Detail{"claimed_actor", by.String() + " [" + by.ID + "|" + by.Department.ID() + "]"})
		actor = s.cfg.system
	}
	raw, err := canonicalDetails(details)
	if err != nil {
		return err
	}
	ev := audit.Event{Time: now, Actor: actor, Action: audit.Action(action), Outcome: audit.Failure,
		ErrorCode: govshare.MessageOf(cause).Code, Details: raw}
	if id != "" {
		ev.Target = audit.Target{Kind: "application", ID: id}
	}
	_, err = s.audit.Append(ctx, ev)
	return err
}
