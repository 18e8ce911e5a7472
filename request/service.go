package request

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
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

// AuthoritiesByRegion is an Authorities from a table: National for
// providers of national level, and Regions, the competent department of
// each region code (行政区划代码), for the others. The competent department
// is the one of the provider's own level and region (同级, R2, R12): a city
// provider's region code is its city's (xxxx00) and only that code is looked
// up. There is no fallback to another level or region; an unmapped one is
// a *NoAuthorityError naming the provider's region and level.
type AuthoritiesByRegion struct {
	National govshare.Department
	Regions  map[string]govshare.Department
}

// AuthorityFor implements Authorities.
func (t AuthoritiesByRegion) AuthorityFor(_ context.Context, p govshare.Department) (govshare.Department, error) {
	fail := func(problem, problemZh string) (govshare.Department, error) {
		return govshare.Department{}, &NoAuthorityError{Provider: p, Problem: problem, ProblemZh: problemZh}
	}
	if p.Level == govshare.National {
		if t.National.ID() == "" {
			return fail("no national competent department is configured", "未配置国家政务数据共享主管部门")
		}
		return t.National, nil
	}
	code := p.RegionCode
	if err := govshare.ValidateRegionCode(code); err != nil {
		return fail("the provider's region code is not valid: "+err.Error(), "提供部门的行政区划代码无效")
	}
	level := govshare.RegionLevel(code)
	if p.Level != 0 && p.Level != level {
		return fail(fmt.Sprintf("the provider is %s but its region code %s is of a %s government", p.Level.English(), code, level.English()),
			fmt.Sprintf("提供部门为%s，但行政区划代码%s属于%s", p.Level, code, level))
	}
	if d, ok := t.Regions[code]; ok && d.ID() != "" {
		return d, nil
	}
	return fail("no competent department is mapped for that region and level", "该地区同级政务数据共享主管部门未配置")
}

// NoAuthorityError says why no competent department is known for a
// provider. errors.Is(err, ErrNoAuthority) holds.
type NoAuthorityError struct {
	Provider           govshare.Department
	Problem, ProblemZh string
}

// Error implements error.
func (e *NoAuthorityError) Error() string {
	return fmt.Sprintf("request: no competent authority for %s (region %q, level %s): %s", e.Provider.Name, e.Provider.RegionCode, e.Provider.Level.English(), e.Problem)
}

// Unwrap returns ErrNoAuthority.
func (e *NoAuthorityError) Unwrap() error { return ErrNoAuthority }

// ErrorMessage implements govshare.Messenger.
func (e *NoAuthorityError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "request.no_authority",
		Zh:       fmt.Sprintf("找不到%s（行政区划代码%s，%s）的同级政务数据共享主管部门：%s", e.Provider.Name, e.Provider.RegionCode, e.Provider.Level, e.ProblemZh),
		En:       e.Error(),
		Citation: govshare.Rule("R2")}
}

// Option configures NewService. Options that are given a bad value make
// NewService fail with an error matching govshare.ErrInvalid.
type Option func(*config) error

type config struct {
	calendar   Calendar
	rules      Rules
	now        func() time.Time
	system     govshare.Actor
	maxRetries int

	failureLimit  int
	failureWindow time.Duration
}

// WithCalendar sets the working-day calendar. Default deadline.China().
func WithCalendar(c Calendar) Option {
	return func(cfg *config) error {
		if c == nil {
			return configError("WithCalendar: nil calendar", "日历不能为空")
		}
		cfg.calendar = c
		return nil
	}
}

// WithRules sets the host's policy options (see Rules). Default: the zero
// Rules, each field at its policy default.
func WithRules(r Rules) Option {
	return func(cfg *config) error {
		if r.CorrectionDays < 0 || r.MaxOrderDays < 0 || r.CloseOfBusiness < 0 || r.CloseOfBusiness > 24*time.Hour || r.Cutoff < 0 || r.Cutoff >= 24*time.Hour {
			return configError("WithRules: negative day counts, or a close of business or cutoff outside the day", "策略参数超出范围")
		}
		for _, l := range r.Reminders {
			if l < 0 {
				return configError("WithRules: a negative reminder lead time", "提醒提前量不能为负")
			}
		}
		cfg.rules = r
		return nil
	}
}

// WithClock sets the clock commands are applied at. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(cfg *config) error {
		if now == nil {
			return configError("WithClock: nil clock", "时钟不能为空")
		}
		cfg.now = now
		return nil
	}
}

// WithSystem sets the actor Sweep and automatic answers act as. It must
// have role System. Default {ID: "govshare", Name: "共享平台", Role: System}.
func WithSystem(a govshare.Actor) Option {
	return func(cfg *config) error {
		if a.ID == "" || a.Role != govshare.System {
			return configError("WithSystem: the system actor needs an ID and role system", "系统操作人须有标识且角色为系统")
		}
		cfg.system = a
		return nil
	}
}

// WithMaxRetries bounds how often a command is re-applied when another
// transition of the same application won the race. Default 16.
func WithMaxRetries(n int) Option {
	return func(cfg *config) error {
		if n < 0 {
			return configError("WithMaxRetries: negative", "重试次数不能为负")
		}
		cfg.maxRetries = n
		return nil
	}
}

func configError(en, zh string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "request.config", Zh: "服务配置无效：" + zh, En: "request: invalid service configuration: " + en}
}

// Service runs applications through the state machine: for each command it
// reads the application, the catalog entry and the competent authority,
// applies the pure transition and stores the result together with exactly
// one audit record; a command that lost a race is re-applied to the new
// state. It also keeps the grant index the data gateway asks (Authorize).
type Service struct {
	store       Store
	catalog     Catalog
	audit       audit.Recorder
	authorities Authorities
	cfg         config
	grants      *Grants
	failures    *failureGate
	// calendar is the calendar in force; LoadSchedules replaces it while
	// commands run.
	calendar atomic.Pointer[calendarBox]
	loading  sync.Mutex
	// follow is the state of Follow (follow.go): when the index was last
	// confirmed current, and the bound after which Authorize denies.
	follow followState
}

type calendarBox struct{ c Calendar }

// NewService builds a service over the host's store, catalog, audit log
// and authorities resolver (all required), and builds the grant index from
// the applications already in the store, reading them under ctx.
func NewService(ctx context.Context, store Store, cat Catalog, log audit.Recorder, authorities Authorities, opts ...Option) (*Service, error) {
	switch {
	case store == nil:
		return nil, configError("a Store is required", "缺少申请存储")
	case cat == nil:
		return nil, configError("a Catalog is required", "缺少目录")
	case log == nil:
		return nil, configError("an audit log is required: every transition is recorded", "缺少审计日志")
	case authorities == nil:
		return nil, configError("an Authorities resolver is required (who decides extensions and disputes, R12, R21)", "缺少主管部门解析")
	}
	cfg := config{calendar: deadline.China(), now: time.Now, maxRetries: 16,
		system:       govshare.Actor{ID: "govshare", Name: "共享平台", Role: govshare.System},
		failureLimit: DefaultFailureLimit, failureWindow: DefaultFailureWindow}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	cfg.rules = cfg.rules.withDefaults()
	s := &Service{store: store, catalog: cat, audit: log, authorities: authorities, cfg: cfg, grants: NewGrants()}
	if cfg.failureLimit > 0 {
		s.failures = &failureGate{limit: cfg.failureLimit, window: cfg.failureWindow}
	}
	s.calendar.Store(&calendarBox{cfg.calendar})
	err := store.All(ctx, func(a Application) bool {
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

// System returns the system actor the service acts as (Sweep, automatic
// answers); the host issues the system's commands, such as AckNotice, as it.
func (s *Service) System() govshare.Actor { return s.cfg.system }

// Rules returns the policy options in force, with their defaults filled in.
func (s *Service) Rules() Rules { return s.cfg.rules }

// Get returns the application.
func (s *Service) Get(ctx context.Context, id string) (Application, error) {
	return s.store.Get(ctx, id)
}

func (s *Service) env(ctx context.Context, app Application, entryID string) (Env, error) {
	e, err := s.catalog.Published(ctx, entryID)
	if errors.Is(err, catalog.ErrStatus) {
		// Not in force: let Apply say so (ErrNotPublished) with the entry's status.
		e, err = s.catalog.Get(ctx, entryID)
	}
	if err != nil {
		return Env{}, fmt.Errorf("request: catalog entry %q: %w", entryID, err)
	}
	provider := app.Provider
	if app.State == New {
		provider = e.Provider
	}
	auth, err := s.authorities.AuthorityFor(ctx, provider)
	if err != nil && !errors.Is(err, ErrNoAuthority) {
		return Env{}, err
	}
	return Env{Entry: e, Calendar: s.Calendar(), Rules: s.cfg.rules, Authority: auth, System: s.cfg.system}, nil
}

// Do applies a command to the application with the id, at the service's
// clock, and stores the result with its audit record. Create and Renew
// start the application with that id (the host chooses it; an id in use is
// govshare.ErrConflict). It returns the application as stored and the
// event of the command. When the table has an automatic row that holds
// after the command (agreeing to unconditional data on receipt, if the
// Rules ask for it), the service issues it at once as the system actor and
// returns the application after it; if that second transition fails, the
// command stays stored and the error is an *AutoError.
func (s *Service) Do(ctx context.Context, id string, cmd Command) (Application, Event, error) {
	if cmd == nil {
		return Application{}, Event{}, s.refused(ctx, id, cmd, invalid(0, "command", "缺少指令", "no command", govshare.Citation{}))
	}
	if err := checkActor(cmd); err != nil {
		return Application{}, Event{}, s.refused(ctx, id, cmd, err)
	}
	app, ev, err := s.run(ctx, id, cmd, time.Time{})
	if err != nil {
		return app, ev, s.refused(ctx, id, cmd, err)
	}
	for _, i := range machine.auto[app.State] {
		t := &machine.table[i]
		auto := newCommand(t.Command, s.cfg.system)
		env, err := s.env(ctx, app, app.EntryID)
		if err != nil {
			return app, ev, &AutoError{Command: t.Command, Err: err}
		}
		x := &tx{app: app, cmd: auto, at: app.UpdatedAt, env: env, who: system}
		if g, _ := x.firstFailing(t.r); g != nil {
			continue // the row's guards do not hold: nothing automatic to do
		}
		next, _, err := s.run(ctx, id, auto, time.Time{})
		if err != nil {
			return app, ev, &AutoError{Command: t.Command, Err: err}
		}
		return next, ev, nil
	}
	return app, ev, nil
}

// newCommand returns the zero command of a name, issued by actor.
func newCommand(name CommandName, actor govshare.Actor) Command {
	v := reflect.New(commandTypes[name]).Elem()
	v.FieldByName("Actor").Set(reflect.ValueOf(actor))
	return v.Interface().(Command)
}

// run applies cmd at instant at (zero: the configured clock, read on each
// attempt) and stores it with its audit record, retrying lost races.
func (s *Service) run(ctx context.Context, id string, cmd Command, at time.Time) (Application, Event, error) {
	for attempt := 0; ; attempt++ {
		app := Application{ID: id}
		var renewed *Application
		entryID := ""
		switch c := cmd.(type) {
		case Create:
			entryID = c.EntryID
		case Renew:
			old, err := s.store.Get(ctx, c.Of)
			if err != nil {
				return Application{}, Event{}, err
			}
			renewed, entryID = &old, old.EntryID
		default:
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
		env.Renewed = renewed
		now := at
		if now.IsZero() {
			now = s.cfg.now()
		}
		next, ev, err := Apply(app, cmd, now, env)
		if err != nil {
			return app.Clone(), Event{}, err
		}
		rec, err := auditEvent(ev)
		if err != nil {
			return app.Clone(), Event{}, err
		}
		saved, err := s.store.Save(ctx, next, app.Version, func(ctx context.Context) error {
			_, err := s.audit.Append(ctx, rec)
			return err
		})
		if errors.Is(err, govshare.ErrConflict) && attempt < s.cfg.maxRetries && app.State != New {
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
	if m, ok := s.store.(*MemoryStore); ok {
		return m.peek(ctx, id)
	}
	return s.store.Get(ctx, id)
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

// Authorize decides an access from the grant index (R19); it does not
// record anything. See AuthorizeRecorded.
func (s *Service) Authorize(acc Access) Decision {
	if s.follow.stale() {
		return Decision{Reason: StaleIndex}
	}
	return s.grants.Authorize(acc)
}

// AuthorizeRecorded decides an access and records the decision in the
// audit log as grant.access (谁使用谁负责, R16): success when allowed,
// failure with the reason code when denied. by is the person or system
// reading the data.
func (s *Service) AuthorizeRecorded(ctx context.Context, acc Access, by govshare.Actor) (Decision, error) {
	d := s.Authorize(acc)
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
	if _, err := s.audit.Append(ctx, ev); err != nil {
		return d, fmt.Errorf("request: recording the access decision: %w", err)
	}
	return d, nil
}
