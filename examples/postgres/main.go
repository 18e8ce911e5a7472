package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
)

// defaultURL is the server used without GOVSHARE_POSTGRES.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func main() {
	url := os.Getenv("GOVSHARE_POSTGRES")
	if url == "" {
		url = defaultURL
	}
	if err := run(context.Background(), os.Stdout, url); err != nil {
		fmt.Fprintln(os.Stderr, "examples/postgres:", err)
		if errors.Is(err, errUnreachable) {
			fmt.Fprintln(os.Stderr, "start PostgreSQL (as root: pg_ctlcluster --skip-systemctl-redirect 15 main start; or "+
				"docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15), "+
				"or set GOVSHARE_POSTGRES to a server you can use")
		}
		os.Exit(1)
	}
}

var errUnreachable = errors.New("PostgreSQL is unreachable")

var (
	police  = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau  = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}

	welfareClerk = govshare.Actor{ID: "wang", Name: "王经办", Department: welfare, Role: govshare.Clerk}
	welfareHead  = govshare.Actor{ID: "li", Name: "李负责人", Department: welfare, Role: govshare.OfficeHead}
	policeHead   = govshare.Actor{ID: "chen", Name: "陈负责人", Department: police, Role: govshare.OfficeHead}
)

// connect opens a pool on url and checks that the server answers.
func connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("GOVSHARE_POSTGRES: %w", err)
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	return pool, nil
}

// replica is one Service of the platform with its own pool.
type replica struct {
	name  string
	db    *postgres.DB
	store *postgres.RequestStore
	svc   *request.Service
}

func newReplica(ctx context.Context, name string, pool *pgxpool.Pool, schema string, now func() time.Time) (*replica, error) {
	db, err := postgres.New(pool, postgres.WithSchema(schema))
	if err != nil {
		return nil, err
	}
	// Every replica migrates at its start: the first does the work, the
	// others find nothing to do.
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	cat, err := db.Catalog(catalog.WithClock(now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return nil, err
	}
	log, err := db.AuditLog(ctx, "main")
	if err != nil {
		return nil, err
	}
	store := db.Requests()
	svc, err := request.NewService(ctx, store, cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}}, request.WithClock(now))
	if err != nil {
		return nil, err
	}
	return &replica{name: name, db: db, store: store, svc: svc}, nil
}

// run is the whole example, on a fresh schema it drops at the end.
func run(ctx context.Context, w io.Writer, url string) (err error) {
	poolA, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer poolA.Close()
	poolB, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer poolB.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "govshare_example_" + hex.EncodeToString(b[:])
	defer func() {
		_, derr := poolA.Exec(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		err = errors.Join(err, derr)
	}()

	var mu sync.Mutex
	clock := time.Date(2026, 9, 29, 10, 0, 0, 0, deadline.CST)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }

	fmt.Fprintln(w, "== 1. 连接与迁移 — connect and migrate ==")
	a, err := newReplica(ctx, "A", poolA, schema, now)
	if err != nil {
		return err
	}
	defer a.store.Close()
	version, err := a.db.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "schema version %d (code %d)\n", version, postgres.SchemaVersion())

	fmt.Fprintln(w, "== 2. 目录 — catalog on PostgreSQL ==")
	cat, err := a.db.Catalog(catalog.WithClock(now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return err
	}
	entry, err := cat.Put(ctx, catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "本市户籍人口的姓名、公民身份号码",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Kind: classify.IDCard},
		},
	}, 0)
	if err != nil {
		return err
	}
	if _, _, err := cat.Publish(ctx, entry.ID, entry.Version); err != nil {
		return err
	}
	fmt.Fprintf(w, "已发布 published %s %s\n", entry.ID, entry.Name)

	fmt.Fprintln(w, "== 3. 两个副本 — two replicas ==")
	rb, err := newReplica(ctx, "B", poolB, schema, now)
	if err != nil {
		return err
	}
	defer rb.store.Close()
	followCtx, stop := context.WithCancel(ctx)
	followed := make(chan error, 1)
	go func() { followed <- rb.svc.Follow(followCtx, rb.store) }()
	defer func() {
		stop()
		if ferr := <-followed; !errors.Is(ferr, context.Canceled) {
			err = errors.Join(err, ferr)
		}
	}()
	fmt.Fprintln(w, "副本 B 跟随变更 replica B follows the change feed")

	fmt.Fprintln(w, "== 4. 授权与撤销 — a grant on A, seen on B ==")
	elements := request.Elements{Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
		Items: []string{"姓名", "公民身份号码"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: now(), To: time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.CST)}}
	steps := []request.Command{
		request.Create{Actor: welfareClerk, EntryID: entry.ID, Elements: elements},
		request.Submit{Actor: welfareClerk}, request.Endorse{Actor: welfareHead},
		request.Agree{Actor: policeHead, Conditions: []string{"仅限办理社会救助审核使用"}},
		request.Provision{Actor: policeHead, Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7781"}}},
	}
	var app request.Application
	for _, c := range steps {
		if app, _, err = a.svc.Do(ctx, "SQ-001", c); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "A: SQ-001 %s, version %d\n", app.State, app.Version)
	access := request.Access{Department: welfare, EntryID: entry.ID, Items: []string{"公民身份号码"},
		Method: govshare.ServiceAPI, Scenario: elements.Scenario, At: time.Date(2026, 10, 10, 9, 0, 0, 0, deadline.CST)}
	d, err := until(rb.svc, access, request.Allowed)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "B: 网关 gateway → %s（%s）\n", d.Reason, d.Reason.Code())
	if _, _, err := a.svc.Do(ctx, "SQ-001", request.Revoke{Actor: policeHead, Reason: "发现超范围使用"}); err != nil {
		return err
	}
	fmt.Fprintln(w, "A: SQ-001 撤销 revoked")
	if d, err = until(rb.svc, access, request.GrantRevoked); err != nil {
		return err
	}
	fmt.Fprintf(w, "B: 网关 gateway → %s（%s）\n", d.Reason, d.Reason.Code())

	fmt.Fprintln(w, "== 5. 两个副本同时巡检 — both replicas sweep at once ==")
	for _, c := range steps[:3] {
		if _, _, err := a.svc.Do(ctx, "SQ-002", c); err != nil {
			return err
		}
	}
	at := time.Date(2026, 10, 30, 9, 0, 0, 0, deadline.CST) // the reply was due on 2026-10-19
	mu.Lock()
	clock = at
	mu.Unlock()
	type swept struct {
		res request.SweepResult
		err error
	}
	results := make(chan swept, 2)
	for _, r := range []*replica{a, rb} {
		go func() { res, err := r.svc.Sweep(ctx, at); results <- swept{res, err} }()
	}
	facts := 0
	for range 2 {
		s := <-results
		if s.err != nil {
			return s.err
		}
		facts += len(s.res.Overdue)
	}
	fmt.Fprintf(w, "超期事实 overdue facts emitted: %d (SQ-002, once)\n", facts)

	fmt.Fprintln(w, "== 6. 审计日志 — one chain for both replicas ==")
	log, err := a.db.AuditLog(ctx, "main")
	if err != nil {
		return err
	}
	n, err := log.Len(ctx)
	if err != nil {
		return err
	}
	verdict := "通过 passed"
	if err := log.Verify(ctx); err != nil {
		verdict = "失败 failed: " + err.Error()
	}
	fmt.Fprintf(w, "记录 %d 条 records; 校验 verify: %s\n", n, verdict)
	return nil
}

// until waits, up to 10 s, for the replica to decide the access with the
// reason.
func until(svc *request.Service, acc request.Access, want request.DenyReason) (request.Decision, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		d := svc.Authorize(acc)
		if d.Reason == want {
			return d, nil
		}
		if time.Now().After(deadline) {
			return d, fmt.Errorf("replica still decides %s, not %s", d.Reason.Code(), want.Code())
		}
		time.Sleep(time.Millisecond)
	}
}
