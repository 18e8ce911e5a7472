package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/httpapi"
	"github.com/govshare/govshare/httpapi/console"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
)

const serveHelp = `用法 usage: govshare serve [--addr 127.0.0.1:8080] [--demo] [--tokens FILE] [--static DIR | --no-console]

运行 HTTP 接口（httpapi；接口说明见 /v1/openapi.yaml）和网页控制台（/）。数据保存在
内存中，退出即丢失；用 --postgres 则保存在 PostgreSQL 中（可运行多个副本）。govshare 不认证
用户：请求以“Authorization: Bearer 令牌”表明身份，令牌与用户的对应由 --tokens 文件
给出；控制台在 --demo 下提供演示身份选择器，否则提供令牌输入框，两者都不是认证。
Runs the HTTP API (httpapi; described at /v1/openapi.yaml) and the web
console (/). Data are kept in memory and lost on exit, or with --postgres in
PostgreSQL (several replicas may serve one database). govshare authenticates no
one: a request names its actor by "Authorization: Bearer TOKEN", and the
--tokens file maps tokens to actors; the console offers a demo actor picker
with --demo and a token field otherwise, neither of which authenticates.

  --addr ADDR       监听地址 listen address (default 127.0.0.1:8080; :0 picks a port)
  --demo            载入快速入门的部门、目录和申请，并启用公开的演示令牌（仅限本机地址）
                    load the quickstart's departments, catalog and applications,
                    with public demo tokens (loopback addresses only)
  --tokens FILE     令牌文件 token file: {"TOKEN": {"id": …, "name": …, "role": …,
                    "department": {…}}, …}; tokens of at least 16 characters
  --catalog FILE    载入目录文件（.xlsx/.csv/.json）并发布其中没有错误的条目
                    load a catalog file and publish its entries that have no errors
  --authorities FILE 共享主管部门表 competent departments: {"national": {…},
                    "regions": {"330100": {…}}} (request.AuthoritiesByRegion)
  --static DIR      在 /v1/ 之外提供该目录的文件，代替内置控制台
                    serve DIR's files outside /v1/ instead of the built-in console
  --no-console      不提供网页控制台 serve the API only, no web console
  --sweep DURATION  超期巡检间隔 overdue sweep interval (default 1m; 0 turns it off)
  --postgres DSN    PostgreSQL 连接串 connection string: migrate the schema, keep the
                    catalog, the applications and the audit log "main" there, and
                    follow the other replicas' changes (not with --demo)
  --postgres-schema NAME 模式名 schema (default govshare; several installations per database)
  --keep-changes N  变更表保留最近 N 条，其余定期删除 keep the change table's last N
                    changes and prune the rest (default 100000; 0 never prunes).
                    A replica that lags further scans the store again.
  --prune-every DURATION 变更表清理间隔 how often to prune (default 10m)

退出码 exit status: 0 正常停止 stopped (Ctrl-C); 2 用法错误或无法监听 usage error or
cannot listen.
`

// serveFlags are serve's flags, parsed.
type serveFlags struct {
	addr, tokensFile, static, dsn, catalogFile, authoritiesFile string
	pgSchema                                                    string
	demo, noConsole                                             bool
	sweep, pruneEvery                                           time.Duration
	keepChanges                                                 uint64
}

// Serve's policy defaults for the change table (not law): how many
// changes to keep for a lagging replica, and how often to prune the rest.
const (
	defaultKeepChanges = 100_000
	defaultPruneEvery  = 10 * time.Minute
)

func parseServe(args []string, e env) (serveFlags, error) {
	var f serveFlags
	fs := flags("serve", serveHelp, e)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "")
	fs.BoolVar(&f.demo, "demo", false, "")
	fs.StringVar(&f.tokensFile, "tokens", "", "")
	fs.StringVar(&f.static, "static", "", "")
	fs.BoolVar(&f.noConsole, "no-console", false, "")
	fs.DurationVar(&f.sweep, "sweep", time.Minute, "")
	fs.StringVar(&f.dsn, "postgres", "", "")
	fs.StringVar(&f.pgSchema, "postgres-schema", postgres.DefaultSchema, "")
	fs.Uint64Var(&f.keepChanges, "keep-changes", defaultKeepChanges, "")
	fs.DurationVar(&f.pruneEvery, "prune-every", defaultPruneEvery, "")
	fs.StringVar(&f.catalogFile, "catalog", "", "")
	fs.StringVar(&f.authoritiesFile, "authorities", "", "")
	pos, err := parse(fs, serveHelp, e, args)
	if err != nil {
		return f, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case len(pos) > 0:
		return f, usageError("多余的参数："+pos[0], "unexpected argument: "+pos[0])
	case f.dsn == "" && (set["keep-changes"] || set["prune-every"]):
		return f, usageError("--keep-changes 与 --prune-every 只用于 --postgres（内存存储没有变更表）",
			"--keep-changes and --prune-every are for --postgres (the memory stores have no change table)")
	case f.pruneEvery < time.Second:
		return f, usageError("--prune-every 至少为 1s", "--prune-every must be at least 1s")
	case f.dsn != "" && f.demo:
		return f, usageError("--demo 只用内存存储，不能与 --postgres 同用", "--demo keeps its data in memory: not with --postgres")
	case f.sweep < 0:
		return f, usageError("--sweep 不得为负", "--sweep must not be negative")
	case f.demo && !loopback(f.addr):
		return f, usageError("--demo 的令牌是公开的，只能监听本机地址（如 127.0.0.1:8080）",
			"--demo's tokens are public: listen on a loopback address only (e.g. 127.0.0.1:8080)")
	case f.static != "" && f.noConsole:
		return f, usageError("--static 与 --no-console 不能同时使用", "--static and --no-console exclude each other")
	}
	if f.static != "" {
		if st, err := os.Stat(f.static); err != nil || !st.IsDir() {
			return f, usageError(f.static+" 不是目录", f.static+" is not a directory")
		}
	}
	return f, nil
}

// server is what serve runs: the handler (the API and the console) over
// its world.
type server struct {
	handler http.Handler
	w       *world
	clk     *switchClock
	tokens  tokenTable
}

// newServer builds the world and the handler from the flags. live is the
// clock once the demo is set up (time.Now; a test passes its own).
func newServer(ctx context.Context, f serveFlags, e env, live func() time.Time) (*server, error) {
	tokens := tokenTable{}
	if f.tokensFile != "" {
		if err := tokens.load(f.tokensFile); err != nil {
			return nil, err
		}
	}
	clk := &switchClock{liveNow: live}
	var (
		w   *world
		err error
	)
	if f.demo {
		w, err = demoWorld(ctx, clk)
		for tok, a := range demoTokens {
			tokens.add(tok, a)
		}
	} else {
		var auth request.AuthoritiesByRegion
		if f.authoritiesFile != "" {
			if auth, err = loadAuthorities(f.authoritiesFile); err != nil {
				return nil, err
			}
		}
		if f.dsn != "" {
			if w, err = postgresWorld(ctx, f, clk, auth, e); err != nil {
				return nil, err
			}
		} else {
			w, err = emptyWorld(ctx, clk, auth)
		}
	}
	if err != nil {
		return nil, fail(exitUsage, err)
	}
	bail := func(err error) (*server, error) { w.Close(); return nil, err }
	if f.catalogFile != "" {
		if err := loadCatalog(ctx, w.cat, f.catalogFile, e); err != nil {
			return bail(err)
		}
	}
	clk.goLive()
	opts := []httpapi.Option{httpapi.WithClock(clk.now), httpapi.WithErrorLog(slog.New(slog.NewTextHandler(e.stderr, nil)))}
	switch {
	case f.static != "":
		opts = append(opts, httpapi.WithStatic(os.DirFS(f.static)))
	case !f.noConsole:
		fsys, err := console.FS(consoleConfig(f.demo))
		if err != nil {
			return bail(fail(exitUsage, err))
		}
		opts = append(opts, httpapi.WithStatic(fsys))
	}
	api, err := httpapi.New(w.svc, w.apps, w.cat, w.log, tokens.actor, opts...)
	if err != nil {
		return bail(fail(exitUsage, err))
	}
	var h http.Handler = api
	if f.static == "" && !f.noConsole {
		h = consoleHeaders(api)
	}
	return &server{handler: h, w: w, clk: clk, tokens: tokens}, nil
}

func serveCmd(ctx context.Context, args []string, e env) error {
	f, err := parseServe(args, e)
	if err != nil {
		return err
	}
	s, err := newServer(ctx, f, e, time.Now)
	if err != nil {
		return err
	}
	defer s.w.Close()
	w, clk := s.w, s.clk
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fail(exitUsage, &govshare.CodedError{Kind: govshare.ErrUnavailable, Code: "govshare.listen",
			Zh: fmt.Sprintf("无法监听 %s：%v", f.addr, err), En: fmt.Sprintf("cannot listen on %s: %v", f.addr, err)})
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(e.stdout, "govshare serve: http://%s/v1/openapi.yaml\n", ln.Addr())
	if f.static == "" && !f.noConsole {
		fmt.Fprintf(e.stdout, "控制台 console: http://%s/\n", ln.Addr())
	}
	if f.demo {
		pub := w.log.(*audit.Memory).PublicKey()
		fmt.Fprintf(e.stdout, "演示数据 demo data: 快速入门的部门、目录和申请 the quickstart's departments, catalog and applications\n")
		fmt.Fprintf(e.stdout, "审计日志公钥 audit public key: %s\n", pub)
		for _, tok := range demoTokenOrder {
			a := demoTokens[tok]
			fmt.Fprintf(e.stdout, "令牌 token %-13s %s（%s，%s）\n", tok, a.Name, a.Role, a.Department.Name)
		}
	} else if len(s.tokens) == 0 {
		fmt.Fprintln(e.stdout, "没有 --tokens：每个接口请求都将被拒绝（403） no --tokens: every API request will be refused (403)")
	}

	var wg sync.WaitGroup
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	if f.sweep > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			every(sweepCtx, f.sweep, func(ctx context.Context) {
				if _, err := w.svc.Sweep(ctx, clk.now()); err != nil && ctx.Err() == nil {
					fmt.Fprintln(e.stderr, "govshare serve: sweep:", err)
				}
			})
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopSweep()
		wg.Wait()
		return fail(exitUsage, err)
	case <-ctx.Done():
	}
	stopSweep()
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shut)
	wg.Wait()
	fmt.Fprintln(e.stdout, "govshare serve: 已停止 stopped")
	if err != nil {
		return fail(exitUsage, err)
	}
	return nil
}

// every runs fn each interval d until ctx is done; the first run is one
// interval after the call.
func every(ctx context.Context, d time.Duration, fn func(ctx context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// world is what the API runs over.
type world struct {
	svc   *request.Service
	apps  request.Store
	cat   catalog.Store
	log   audit.Log
	close func() // the PostgreSQL world's: stop following, close the pool
}

// Close releases what the world holds (nothing for the memory world).
func (w *world) Close() {
	if w.close != nil {
		w.close()
		w.close = nil
	}
}

func emptyWorld(ctx context.Context, clk *switchClock, auth request.AuthoritiesByRegion) (*world, error) {
	cat, err := catalog.NewMemoryStore(catalog.WithClock(clk.now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return nil, err
	}
	log, err := audit.NewMemory(audit.WithClock(clk.now))
	if err != nil {
		return nil, err
	}
	apps := request.NewMemoryStore()
	svc, err := request.NewService(ctx, apps, cat, log, auth, request.WithClock(clk.now))
	if err != nil {
		return nil, err
	}
	return &world{svc: svc, apps: apps, cat: cat, log: log}, nil
}

// loadAuthorities reads the table of competent departments.
func loadAuthorities(path string) (request.AuthoritiesByRegion, error) {
	var f struct {
		National govshare.Department            `json:"national"`
		Regions  map[string]govshare.Department `json:"regions"`
	}
	data, err := readBounded(path, 1<<20)
	if err != nil {
		return request.AuthoritiesByRegion{}, err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return request.AuthoritiesByRegion{}, usageError(fmt.Sprintf("%s 不是有效的主管部门表：%v", path, err),
			fmt.Sprintf("%s is not a valid table of competent departments: %v", path, err))
	}
	return request.AuthoritiesByRegion{National: f.National, Regions: f.Regions}, nil
}

// loadCatalog imports a catalog file and publishes every entry without
// an error; it says which it left out and why.
func loadCatalog(ctx context.Context, cat catalog.Store, path string, e env) error {
	entries, findings, err := importFile(ctx, path, []catalog.Option{catalog.WithPolicy(classify.NationalDefault())})
	if err != nil {
		return err
	}
	published := 0
	for _, en := range entries {
		d, err := cat.Put(ctx, en, 0)
		if err == nil {
			_, _, err = cat.Publish(ctx, d.ID, d.Version)
		}
		if err != nil {
			report(e.stderr, "govshare serve: "+en.ID, err)
			continue
		}
		published++
	}
	fmt.Fprintf(e.stdout, "目录 catalog %s：发布 published %d/%d，%d 个问题 findings（govshare catalog lint 列出 lists them）\n",
		path, published, len(entries), len(findings))
	return nil
}

// switchClock reads a fixed instant while the demo is set up, on the
// quickstart's dates, and the real time once the server is live.
type switchClock struct {
	mu      sync.Mutex
	fixed   time.Time
	live    bool
	liveNow func() time.Time // time.Now when nil
}

func (c *switchClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !c.live:
		return c.fixed
	case c.liveNow != nil:
		return c.liveNow()
	}
	return time.Now()
}

func (c *switchClock) set(t time.Time) { c.mu.Lock(); c.fixed = t; c.mu.Unlock() }
func (c *switchClock) goLive()         { c.mu.Lock(); c.live = true; c.mu.Unlock() }

// tokenTable maps bearer tokens to actors. It keys them by their SHA-256,
// so that looking a token up takes no time that depends on how much of a
// real token a guess shares.
type tokenTable map[[sha256.Size]byte]govshare.Actor

func (t tokenTable) add(tok string, a govshare.Actor) { t[sha256.Sum256([]byte(tok))] = a }

func (t tokenTable) load(path string) error {
	data, err := readBounded(path, 1<<20)
	if err != nil {
		return err
	}
	var m map[string]govshare.Actor
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return usageError(fmt.Sprintf("%s 不是有效的令牌文件：%v", path, err), fmt.Sprintf("%s is not a valid token file: %v", path, err))
	}
	for tok, a := range m {
		if len(tok) < 16 {
			return usageError(path+"：令牌至少 16 个字符", path+": tokens must have at least 16 characters")
		}
		if a.ID == "" || !a.Role.Valid() {
			return usageError(path+"：每个令牌须对应有标识和角色的用户", path+": every token needs an actor with an id and a role")
		}
		t.add(tok, a)
	}
	return nil
}

var errNoToken = &govshare.CodedError{Kind: govshare.ErrForbidden, Code: "serve.unauthenticated",
	Zh: "缺少或无效的令牌（Authorization: Bearer 令牌）", En: "missing or unknown token (Authorization: Bearer TOKEN)"}

// actor is the serve command's authentication: the bearer token.
func (t tokenTable) actor(r *http.Request) (govshare.Actor, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return govshare.Actor{}, errNoToken
	}
	a, ok := t[sha256.Sum256([]byte(strings.TrimSpace(tok)))]
	if !ok {
		return govshare.Actor{}, errNoToken
	}
	return a, nil
}
