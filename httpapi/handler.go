package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// ActorFunc is the host's authentication: it returns the person (or
// system) a request acts for, from the host's own session, token or
// certificate. govshare never authenticates anyone itself. An error it
// returns is sent with the status of its kind (govshare.HTTPStatus); an
// error of no known kind is sent as 403 with the code
// httpapi.unauthenticated, so a host whose identity provider is down
// should wrap govshare.ErrUnavailable (503).
type ActorFunc func(*http.Request) (govshare.Actor, error)

// Applications is what the handler needs of the application store beyond
// the Service: a way to list them. request.Store implements it; pass the
// store the Service runs on.
type Applications interface {
	All(ctx context.Context, fn func(request.Application) bool) error
}

// Catalog is what the handler reads of the catalog: an entry's latest
// version, one version, and search. catalog.Store implements it.
type Catalog interface {
	Get(ctx context.Context, id string) (catalog.Entry, error)
	Version(ctx context.Context, id string, version int64) (catalog.Entry, error)
	Find(ctx context.Context, q catalog.Query) (catalog.Result, error)
}

// Handler is the HTTP API over a host's Service, stores and audit log. It
// implements http.Handler; mount it at the root of a server or under a
// prefix with http.StripPrefix. It is safe for concurrent use.
type Handler struct {
	svc   *request.Service
	apps  Applications
	cat   Catalog
	log   audit.Log
	actor ActorFunc
	cfg   config
	mux   *http.ServeMux

	// cps are the checkpoints taken through this handler, for logs that
	// do not list their own.
	mu  sync.Mutex
	cps []audit.Checkpoint
}

// New returns the handler over the host's Service, the store it runs on
// (for listing), the catalog, the audit log the Service records to and the
// host's authentication, all required. A nil argument or a bad option is
// an error matching govshare.ErrInvalid, and no handler.
func New(svc *request.Service, apps Applications, cat Catalog, log audit.Log, actor ActorFunc, opts ...Option) (*Handler, error) {
	switch {
	case svc == nil, apps == nil, cat == nil, log == nil, actor == nil:
		return nil, &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "httpapi.invalid_option",
			Zh: "httpapi.New 缺少必需的参数（服务、申请存储、目录、审计日志或身份认证函数）",
			En: "httpapi: New needs a Service, an application store, a catalog, an audit log and an ActorFunc"}
	}
	cfg := config{
		now:    time.Now,
		policy: DefaultPolicy{},
		limits: DefaultLimits,
		lint:   []catalog.Option{catalog.WithPolicy(classify.NationalDefault())},
		errLog: slog.Default(),
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	h := &Handler{svc: svc, apps: apps, cat: cat, log: log, actor: actor, cfg: cfg, mux: http.NewServeMux()}
	for _, rt := range routes {
		h.mux.Handle(rt.Method+" "+rt.Pattern, h.wrap(rt))
	}
	h.mux.HandleFunc("/", h.fallback)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// wrap authenticates the request when the route needs an actor, runs the
// route and sends its error, if any, as the one status of its kind.
func (h *Handler) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a govshare.Actor
		if !rt.Public {
			var err error
			if a, err = h.authenticate(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if err := rt.serve(h, w, r, a); err != nil {
			h.fail(w, r, err)
		}
	})
}

// fallback answers every request no route matches: the static files when
// the host gave some, 405 when the path exists with another method, 404
// otherwise, always with the error body.
func (h *Handler) fallback(w http.ResponseWriter, r *http.Request) {
	if h.cfg.static != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !isAPI(r.URL.Path) {
		h.cfg.static.ServeHTTP(w, r)
		return
	}
	if allow := h.allowed(r); len(allow) > 0 {
		w.Header().Set("Allow", joinComma(allow))
		h.fail(w, r, errMethod)
		return
	}
	h.fail(w, r, errNoRoute)
}

// allowed lists the methods a route exists with for r's path.
func (h *Handler) allowed(r *http.Request) []string {
	var out []string
	seen := map[string]bool{}
	for _, rt := range routes {
		if seen[rt.Method] || rt.Method == r.Method {
			continue
		}
		seen[rt.Method] = true
		r2 := r.Clone(r.Context())
		r2.Method = rt.Method
		if _, pattern := h.mux.Handler(r2); pattern != "/" && pattern != "" {
			out = append(out, rt.Method)
		}
	}
	return out
}

func isAPI(path string) bool { return path == "/v1" || len(path) >= 4 && path[:4] == "/v1/" }

func joinComma(ss []string) string {
	s := ""
	for i, x := range ss {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

// authenticate asks the host who acts and checks that the answer is an
// actor at all: an id and a defined role.
func (h *Handler) authenticate(r *http.Request) (govshare.Actor, error) {
	a, err := h.actor(r)
	if err != nil {
		if govshare.Kind(err) == govshare.ErrInternal {
			return a, &govshare.CodedError{Kind: govshare.ErrForbidden, Code: "httpapi.unauthenticated",
				Zh: "未能确认请求者身份", En: "httpapi: the request is not authenticated", Err: err}
		}
		return a, err
	}
	if a.ID == "" || !a.Role.Valid() {
		return a, &govshare.CodedError{Kind: govshare.ErrForbidden, Code: "httpapi.unauthenticated",
			Zh: "身份认证未给出有效的用户（缺少用户标识或角色）", En: "httpapi: authentication gave no actor with an id and a role"}
	}
	return a, nil
}

// Option configures New. Options that are given a bad value make New fail
// with an error matching govshare.ErrInvalid; a nil Option is ignored.
type Option func(*config) error

type config struct {
	now    func() time.Time
	policy Policy
	limits Limits
	ids    func(ctx context.Context, cmd request.Command) (string, error)
	lint   []catalog.Option
	static http.Handler
	errLog *slog.Logger
}

func optionError(zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "httpapi.invalid_option", Zh: zh, En: "httpapi: " + en}
}

// WithClock sets the clock of the instants the handler supplies itself:
// the instant of a gateway access and the date in default application ids.
// Pass the Service's clock. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return optionError("WithClock 的时钟为空", "WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithPolicy sets who may read what through the API (see Policy). Default
// DefaultPolicy.
func WithPolicy(p Policy) Option {
	return func(c *config) error {
		if p == nil {
			return optionError("WithPolicy 的策略为空", "WithPolicy: nil policy")
		}
		c.policy = p
		return nil
	}
}

// WithLimits sets the size limits of requests and responses. Zero fields
// take their DefaultLimits value; a negative one is refused. Default
// DefaultLimits.
func WithLimits(l Limits) Option {
	return func(c *config) error {
		filled, err := l.fill()
		if err != nil {
			return err
		}
		c.limits = filled
		return nil
	}
}

// WithIDs sets how the id of a new application is chosen: the host's
// numbering (申请编号). It is called for each create or renew command
// before the Service runs it; an id in use makes the command fail with
// 409. Default: "SQ-", the China civil date of the handler's clock and 10
// random hexadecimal digits, e.g. SQ-20260929-3f9a1c07be.
func WithIDs(next func(ctx context.Context, cmd request.Command) (string, error)) Option {
	return func(c *config) error {
		if next == nil {
			return optionError("WithIDs 的函数为空", "WithIDs: nil function")
		}
		c.ids = next
		return nil
	}
}

// WithLintOptions sets the catalog options the lint route imports with:
// the grading policy, category registry, share methods and 目录代码 pattern of
// the host. Default catalog.WithPolicy(classify.NationalDefault()), the
// national profile, as a platform lints an upload.
func WithLintOptions(opts ...catalog.Option) Option {
	return func(c *config) error {
		c.lint = append([]catalog.Option(nil), opts...)
		return nil
	}
}

// WithStatic serves the files of fsys for GET and HEAD requests outside
// /v1/: the hook for the web console, whose files the command embeds.
// Default: none, and such requests are 404.
func WithStatic(fsys fs.FS) Option {
	return func(c *config) error {
		if fsys == nil {
			return optionError("WithStatic 的文件系统为空", "WithStatic: nil file system")
		}
		c.static = http.FileServerFS(fsys)
		return nil
	}
}

// WithErrorLog sets where the handler logs the errors it answers with 500
// (an internal error or data failing an integrity check), whose details it
// does not send to the client. Default slog.Default().
func WithErrorLog(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optionError("WithErrorLog 的日志为空", "WithErrorLog: nil logger")
		}
		c.errLog = l
		return nil
	}
}

// newID returns the id of a new application: the host's (WithIDs), or
// SQ-YYYYMMDD- and 10 random hexadecimal digits.
func (h *Handler) newID(ctx context.Context, cmd request.Command) (string, error) {
	if h.cfg.ids != nil {
		return h.cfg.ids(ctx, cmd)
	}
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "SQ-" + deadline.CivilDay(h.cfg.now()).Format("20060102") + "-" + hex.EncodeToString(b[:]), nil
}
