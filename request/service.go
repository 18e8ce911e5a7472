package request

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
)

// Catalog is what the Service needs of the catalog: the version of an
// entry in force (catalog.Store implements it).
type Catalog interface {
	// Published returns the version in force (catalog.ErrStatus if the
	// entry was never published or was withdrawn).
	Published(ctx context.Context, id string) (catalog.Entry, error)
	// Get returns the latest version, whatever its status.
	Get(ctx context.Context, id string) (catalog.Entry, error)
}

// Authorities names the competent department for data sharing (政务数据
// 共享主管部门) of a provider's level and region (R2): the one that decides
// the provider's extension requests (R12) and coordinates disputes about
// its answers (R21).
type Authorities interface {
	AuthorityFor(ctx context.Context, provider govshare.Department) (govshare.Department, error)
}

// ErrNoAuthority is returned by an Authorities that knows no competent
// department for a provider.
var ErrNoAuthority = errors.New("request: no competent authority known for the provider")

// AuthoritiesByRegion is an Authorities from a table: the competent
// department of each region code (行政区划代码), and National for providers
// of national level. A provider's own region is looked up first, then its
// city (xxxx00) and province (xx0000) if the table has no entry for it.
type AuthoritiesByRegion struct {
	National govshare.Department
	Regions  map[string]govshare.Department
}

// AuthorityFor implements Authorities.
func (t AuthoritiesByRegion) AuthorityFor(_ context.Context, p govshare.Department) (govshare.Department, error) {
	if p.Level == govshare.National && t.National.ID() != "" {
		return t.National, nil
	}
	if code := p.RegionCode; len(code) == 6 {
		for _, c := range []string{code, code[:4] + "00", code[:2] + "0000"} {
			if d, ok := t.Regions[c]; ok {
				return d, nil
			}
		}
	}
	return govshare.Department{}, fmt.Errorf("%w: %s (region %q)", ErrNoAuthority, p.Name, p.RegionCode)
}

// Config assembles a Service. Store, Catalog, Audit and Authorities are
// required; the others have defaults.
type Config struct {
	Store       Store
	Catalog     Catalog
	Audit       audit.Recorder
	Authorities Authorities
	// Calendar defaults to deadline.China().
	Calendar Calendar
	// Rules are the host's policy options (see Rules).
	Rules Rules
	// Now defaults to time.Now.
	Now func() time.Time
	// System is the actor Sweep and automatic answers act as; it defaults
	// to {ID: "govshare", Role: System}.
	System govshare.Actor
	// MaxRetries bounds how often a command is retried when another
	// transition of the same application won the race (default 16).
	MaxRetries int
}

// Service runs applications through the state machine: for each command it
// reads the application, the catalog entry and the competent authority,
// applies the pure transition and stores the result together with exactly
// one audit record; a command that lost a race is re-applied to the new
// state. It also keeps the grant index the data gateway asks (Authorize).
type Service struct {
	cfg    Config
	grants *Grants
}

// ErrConfig reports a Config that cannot make a Service.
var ErrConfig = errors.New("request: invalid service configuration")

// NewService checks the configuration and builds the grant index from the
// applications already in the store (reading them once, without a
// deadline: a store that must be bounded should be given a Store whose All
// enforces its own timeout).
func NewService(cfg Config) (*Service, error) {
	ctx := context.Background()
	switch {
	case cfg.Store == nil:
		return nil, fmt.Errorf("%w: Store is required", ErrConfig)
	case cfg.Catalog == nil:
		return nil, fmt.Errorf("%w: Catalog is required", ErrConfig)
	case cfg.Audit == nil:
		return nil, fmt.Errorf("%w: Audit is required: every transition is recorded", ErrConfig)
	case cfg.Authorities == nil:
		return nil, fmt.Errorf("%w: Authorities is required (who decides extensions and disputes, R12, R21)", ErrConfig)
	}
	if cfg.Calendar == nil {
		cfg.Calendar = deadline.China()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.System.ID == "" {
		cfg.System = govshare.Actor{ID: "govshare", Name: "共享平台", Role: govshare.System}
	}
	if cfg.System.Role != govshare.System {
		return nil, fmt.Errorf("%w: System must have role system", ErrConfig)
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 16
	}
	cfg.Rules = cfg.Rules.withDefaults()
	s := &Service{cfg: cfg, grants: NewGrants()}
	err := cfg.Store.All(ctx, func(a Application) bool {
		if a.Answer != nil {
			s.grants.Put(a.Clone())
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("request: building the grant index: %w", err)
	}
	return s, nil
}

// Grants returns the service's grant index.
func (s *Service) Grants() *Grants { return s.grants }

// Get returns the application.
func (s *Service) Get(ctx context.Context, id string) (Application, error) {
	return s.cfg.Store.Get(ctx, id)
}

func (s *Service) env(ctx context.Context, app Application, entryID string) (Env, error) {
	e, err := s.cfg.Catalog.Published(ctx, entryID)
	if errors.Is(err, catalog.ErrStatus) {
		// Not in force: let Apply say so (ErrNotPublished) with the entry's status.
		e, err = s.cfg.Catalog.Get(ctx, entryID)
	}
	if err != nil {
		return Env{}, fmt.Errorf("request: catalog entry %q: %w", entryID, err)
	}
	provider := app.Provider
	if app.State == New {
		provider = e.Provider
	}
	auth, err := s.cfg.Authorities.AuthorityFor(ctx, provider)
	if err != nil && !errors.Is(err, ErrNoAuthority) {
		return Env{}, err
	}
	return Env{Entry: e, Calendar: s.cfg.Calendar, Rules: s.cfg.Rules, Authority: auth}, nil
}

// Do applies a command to the application with the id and stores the
// result with its audit record. Create commands go through Create.
func (s *Service) Do(ctx context.Context, id string, cmd Command) (Application, Event, error) {
	if cmd == nil {
		return Application{}, Event{}, fmt.Errorf("%w: no command", ErrInvalid)
	}
	if cmd.Name() == CmdCreate {
		return Application{}, Event{}, fmt.Errorf("%w: use Service.Create", ErrInvalid)
	}
	return s.run(ctx, id, cmd, time.Time{})
}

// run applies cmd at instant at (zero: the configured clock, read on each
// attempt) and stores it with its audit record, retrying lost races.
func (s *Service) run(ctx context.Context, id string, cmd Command, at time.Time) (Application, Event, error) {
	for attempt := 0; ; attempt++ {
		var app Application
		entryID := ""
		if c, ok := cmd.(Create); ok {
			entryID = c.EntryID
		} else {
			var err error
			if app, err = s.read(ctx, id); err != nil {
				return Application{}, Event{}, err
			}
			entryID = app.EntryID
		}
		env, err := s.env(ctx, app, entryID)
		if err != nil {
			return app.Clone(), Event{}, err
		}
		now := at
		if now.IsZero() {
			now = s.cfg.Now()
		}
		next, evs, err := Apply(app, cmd, now, env)
		if err != nil {
			return app.Clone(), Event{}, err
		}
		ev := evs[0]
		rec, err := auditEvent(ev)
		if err != nil {
			return app, Event{}, err
		}
		saved, err := s.cfg.Store.Save(ctx, next, app.Version, func(ctx context.Context) error {
			_, err := s.cfg.Audit.Append(ctx, rec)
			return err
		})
		if errors.Is(err, ErrConflict) && attempt < s.cfg.MaxRetries && cmd.Name() != CmdCreate {
			continue
		}
		if err != nil {
			return app.Clone(), Event{}, err
		}
		if saved.Answer != nil || app.Answer != nil {
			s.grants.Put(saved)
		}
		return saved, ev, nil
	}
}

// read returns the stored application for a transition. The memory store
// hands over its own value without a copy: Apply never modifies an
// application in place, and run copies it before returning it on an error.
func (s *Service) read(ctx context.Context, id string) (Application, error) {
	if m, ok := s.cfg.Store.(*MemoryStore); ok {
		return m.peek(ctx, id)
	}
	return s.cfg.Store.Get(ctx, id)
}

// auditEvent turns a transition event into the audit log's event.
func auditEvent(ev Event) (audit.Event, error) {
	var buf [12]Detail
	details := append(buf[:0], Detail{"from", ev.From.Code()}, Detail{"to", ev.To.Code()})
	details = append(details, ev.Details...)
	if len(ev.Notices) > 0 {
		ids := make([]string, len(ev.Notices))
		for i, n := range ev.Notices {
			ids[i] = n.ID
		}
		details = append(details, Detail{"notices", ids})
	}
	raw, err := canonicalDetails(details)
	if err != nil {
		return audit.Event{}, fmt.Errorf("request: encoding audit details: %w", err)
	}
	return audit.Event{
		Time:          ev.At,
		Actor:         ev.Actor,
		Action:        audit.Action(ev.Action),
		Target:        audit.Target{Kind: "application", ID: ev.AppID},
		Outcome:       audit.Success,
		Details:       raw,
		CorrelationID: ev.AppID,
	}, nil
}

// Create starts an application in Draft (R8). id is chosen by the host.
func (s *Service) Create(ctx context.Context, id, entryID string, by govshare.Actor, el Elements) (Application, error) {
	app, _, err := s.run(ctx, id, Create{Actor: by, ID: id, EntryID: entryID, Elements: el}, time.Time{})
	return app, err
}

// Renew starts a new application (newID, in Draft) that renews an active
// or expired grant: same entry, the items granted, the new period of use.
func (s *Service) Renew(ctx context.Context, id, newID string, by govshare.Actor, period UsePeriod) (Application, error) {
	old, err := s.cfg.Store.Get(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if (old.State != Active && old.State != Expired) || old.Answer == nil {
		return Application{}, &TransitionError{From: old.State, Command: CmdCreate}
	}
	if !old.Requester.Same(by.Department) {
		return Application{}, &ForbiddenError{Command: CmdCreate, Actor: by, Allowed: []Who{requesterClerk, requesterHead}}
	}
	el := cloneElements(old.Elements)
	el.Items = cloneSlice(old.Answer.Items)
	el.Method = old.Answer.Method
	el.Period = period
	app, _, err := s.run(ctx, newID, Create{Actor: by, ID: newID, EntryID: old.EntryID, Elements: el, RenewalOf: old.ID}, time.Time{})
	return app, err
}

func (s *Service) do(ctx context.Context, id string, cmd Command) (Application, error) {
	app, _, err := s.run(ctx, id, cmd, time.Time{})
	return app, err
}

// Edit replaces the elements of a draft.
func (s *Service) Edit(ctx context.Context, id string, by govshare.Actor, el Elements) (Application, error) {
	return s.do(ctx, id, Edit{Actor: by, Elements: el})
}

// Submit hands a draft to the requester's sharing-office head (R8).
func (s *Service) Submit(ctx context.Context, id string, by govshare.Actor) (Application, error) {
	return s.do(ctx, id, Submit{Actor: by})
}

// Approve is the requester's head agreeing; the provider receives the
// application and the reply period starts (R8, R10, R11). With
// Rules.AutoAgreeUnconditional, an application for unconditional items
// only is then agreed by the system at once (a second transition).
func (s *Service) Approve(ctx context.Context, id string, by govshare.Actor, receivedAt time.Time) (Application, error) {
	app, err := s.do(ctx, id, Approve{Actor: by, ReceivedAt: receivedAt})
	if err != nil || !s.cfg.Rules.AutoAgreeUnconditional || app.Attribute != govshare.Unconditional {
		return app, err
	}
	return s.do(ctx, id, Agree{Actor: s.cfg.System})
}

// Return sends the application back to the clerk with a comment.
func (s *Service) Return(ctx context.Context, id string, by govshare.Actor, comment string) (Application, error) {
	return s.do(ctx, id, Return{Actor: by, Comment: comment})
}

// Withdraw ends the application before the reply.
func (s *Service) Withdraw(ctx context.Context, id string, by govshare.Actor, reason string) (Application, error) {
	return s.do(ctx, id, Withdraw{Actor: by, Reason: reason})
}

// RequestExtension asks the competent department to extend the reply (R12).
func (s *Service) RequestExtension(ctx context.Context, id string, by govshare.Actor, days int, reason string) (Application, error) {
	return s.do(ctx, id, RequestExtension{Actor: by, Days: days, Reason: reason})
}

// DecideExtension is the competent department's decision (R12). An
// approval issues a notice to the requester, returned in the application's
// Notices, which the host must deliver and then acknowledge (AckNotice).
func (s *Service) DecideExtension(ctx context.Context, id string, by govshare.Actor, approve bool, comment string) (Application, error) {
	return s.do(ctx, id, DecideExtension{Actor: by, Approve: approve, Comment: comment})
}

// Reply is the provider's answer: an Agree or a Refuse (R9–R11).
func (s *Service) Reply(ctx context.Context, id string, reply Command) (Application, error) {
	switch reply.(type) {
	case Agree, Refuse:
		return s.do(ctx, id, reply)
	}
	return Application{}, fmt.Errorf("%w: a reply is an Agree or a Refuse", ErrInvalid)
}

// Provision records the delivery of the data; the grant goes live (R13).
func (s *Service) Provision(ctx context.Context, id string, by govshare.Actor, deliveries ...Delivery) (Application, error) {
	return s.do(ctx, id, Provision{Actor: by, Deliveries: deliveries})
}

// Revoke ends a grant early, with a reason (R17, R19).
func (s *Service) Revoke(ctx context.Context, id string, by govshare.Actor, reason string) (Application, error) {
	return s.do(ctx, id, Revoke{Actor: by, Reason: reason})
}

// Object is the requester's objection (R21).
func (s *Service) Object(ctx context.Context, id string, by govshare.Actor, ground Ground, statement string) (Application, error) {
	return s.do(ctx, id, Object{Actor: by, Ground: ground, Statement: statement})
}

// Resolve is the authority's resolution of an objection: an Uphold, an
// Overturn or an OrderReply (R21).
func (s *Service) Resolve(ctx context.Context, id string, resolution Command) (Application, error) {
	switch resolution.(type) {
	case Uphold, Overturn, OrderReply:
		return s.do(ctx, id, resolution)
	}
	return Application{}, fmt.Errorf("%w: a resolution is an Uphold, Overturn or OrderReply", ErrInvalid)
}

// FileCorrection files a 校核 request on an active grant (R20).
func (s *Service) FileCorrection(ctx context.Context, id string, by govshare.Actor, items []string, description string) (Application, error) {
	return s.do(ctx, id, FileCorrection{Actor: by, Items: items, Description: description})
}

// AnswerCorrection answers a 校核 request (R20).
func (s *Service) AnswerCorrection(ctx context.Context, id string, by govshare.Actor, correctionID string, corrected bool, reason string) (Application, error) {
	return s.do(ctx, id, AnswerCorrection{Actor: by, CorrectionID: correctionID, Corrected: corrected, Reason: reason})
}

// AckNotice records that the host delivered a notice (e.g. R12 告知).
func (s *Service) AckNotice(ctx context.Context, id, noticeID string) (Application, error) {
	return s.do(ctx, id, AckNotice{Actor: s.cfg.System, NoticeID: noticeID})
}

// Authorize decides an access from the grant index (R19); it does not
// record anything. See AuthorizeRecorded.
func (s *Service) Authorize(acc Access) Decision { return s.grants.Authorize(acc) }

// AuthorizeRecorded decides an access and records the decision in the
// audit log as grant.access (谁使用谁负责, R16): success when allowed,
// failure with the reason code when denied. by is the person or system
// reading the data.
func (s *Service) AuthorizeRecorded(ctx context.Context, acc Access, by govshare.Actor) (Decision, error) {
	d := s.grants.Authorize(acc)
	details, err := json.Marshal(map[string]any{"entry_id": acc.EntryID, "items": acc.Items, "method": acc.Method,
		"scenario": acc.Scenario, "application": d.AppID, "decision": d.Reason.Code()})
	if err != nil {
		return d, err
	}
	ev := audit.Event{Time: acc.At, Actor: by, Action: "grant.access", Target: audit.Target{Kind: "catalog.entry", ID: acc.EntryID},
		Outcome: audit.Success, Details: details, CorrelationID: d.AppID}
	if !d.Allowed {
		ev.Outcome, ev.ErrorCode = audit.Failure, d.Reason.Code()
	}
	if _, err := s.cfg.Audit.Append(ctx, ev); err != nil {
		return d, fmt.Errorf("request: recording the access decision: %w", err)
	}
	return d, nil
}
