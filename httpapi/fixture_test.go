package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

var (
	police  = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau  = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	// transport is party to nothing.
	transport = govshare.Department{Name: "某市交通运输局", DirectoryID: "330100-jtj", RegionCode: "330100", Level: govshare.City}

	// actors are the people of the fixture, by the token a test sends.
	actors = map[string]govshare.Actor{
		"zhao":    {ID: "zhao", Name: "赵经办", Department: police, Role: govshare.Clerk},
		"chen":    {ID: "chen", Name: "陈负责人", Department: police, Role: govshare.OfficeHead},
		"wang":    {ID: "wang", Name: "王经办", Department: welfare, Role: govshare.Clerk},
		"li":      {ID: "li", Name: "李负责人", Department: welfare, Role: govshare.OfficeHead},
		"sun":     {ID: "sun", Name: "孙处长", Department: bureau, Role: govshare.Authority},
		"other":   {ID: "other", Name: "周经办", Department: transport, Role: govshare.Clerk},
		"gateway": {ID: "gw-welfare", Name: "社会救助信息系统", Department: welfare, Role: govshare.System},
	}
)

const (
	householdID = "101001/000001" // conditional, provided by the police
	orgsID      = "301002/000007" // unconditional, provided by welfare
)

// testKey is the audit log's HMAC key.
var testKey = bytes.Repeat([]byte{0x5a}, 32)

var (
	signerOnce sync.Once
	signer     audit.Signer
	signerErr  error
)

// testSigner is one SM2 signer for every fixture: generating a key for
// each would dominate the fuzz test's executions.
func testSigner(t testing.TB) audit.Signer {
	signerOnce.Do(func() { signer, signerErr = audit.GenerateSM2Signer() })
	if signerErr != nil {
		t.Fatal(signerErr)
	}
	return signer
}

// clock is a settable clock shared by the Service, the catalog and the
// handler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// fixture is a real memory Service over a published catalog and a real
// audit log, behind the handler.
type fixture struct {
	t    testing.TB
	clk  *clock
	cat  *catalog.MemoryStore
	apps *request.MemoryStore
	log  *audit.Memory
	svc  *request.Service
	h    *Handler
	n    int // ids handed out
}

func household() catalog.Entry {
	return catalog.Entry{
		ID: householdID, Name: "户籍人口基本信息", Summary: "本市户籍人口的姓名、公民身份号码、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用；不得向第三方提供",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Length: 50, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Length: 18, Kind: classify.IDCard},
			{Name: "户籍地址", Column: "hjdz", Type: catalog.TypeString, Length: 200, Kind: classify.Address},
		},
	}
}

func orgs() catalog.Entry {
	return catalog.Entry{
		ID: orgsID, Name: "社会组织登记信息", Summary: "本市登记的社会组织名称、统一社会信用代码、成立日期",
		Provider: welfare, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share:          govshare.Unconditional,
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange},
		Classification: classify.Classification{Category: "civil_affairs/organization/basic", Grade: classify.General1},
		Items: []catalog.DataItem{
			{Name: "组织名称", Column: "zzmc", Type: catalog.TypeString, Length: 200},
			{Name: "统一社会信用代码", Column: "tyshxydm", Type: catalog.TypeString, Length: 18, Kind: classify.USCC},
			{Name: "成立日期", Column: "clrq", Type: catalog.TypeDate},
		},
	}
}

// testActor authenticates by the token in the X-Test-Actor header, as a
// host's session lookup would.
func testActor(r *http.Request) (govshare.Actor, error) {
	tok := r.Header.Get("X-Test-Actor")
	switch tok {
	case "":
		return govshare.Actor{}, errors.New("no session")
	case "idp-down":
		return govshare.Actor{}, &govshare.CodedError{Kind: govshare.ErrUnavailable, Code: "host.idp_down",
			Zh: "统一身份认证暂不可用", En: "identity provider unavailable"}
	}
	a, ok := actors[tok]
	if !ok {
		return govshare.Actor{}, errors.New("unknown token")
	}
	return a, nil
}

func newFixture(t testing.TB, opts ...Option) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, clk: &clock{t: time.Date(2026, 9, 29, 9, 0, 0, 0, deadline.CST)}}
	var err error
	if f.cat, err = catalog.NewMemoryStore(catalog.WithClock(f.clk.now), catalog.WithPolicy(classify.NationalDefault())); err != nil {
		t.Fatal(err)
	}
	for _, e := range []catalog.Entry{household(), orgs()} {
		d, err := f.cat.Put(ctx, e, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.cat.Publish(ctx, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
	}
	if f.log, err = audit.NewMemory(audit.WithKey(testKey), audit.WithSigner(testSigner(t)), audit.WithClock(f.clk.now)); err != nil {
		t.Fatal(err)
	}
	f.apps = request.NewMemoryStore()
	f.svc, err = request.NewService(ctx, f.apps, f.cat, f.log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}}, request.WithClock(f.clk.now))
	if err != nil {
		t.Fatal(err)
	}
	base := []Option{
		WithClock(f.clk.now),
		WithIDs(func(context.Context, request.Command) (string, error) { f.n++; return "SQ-" + itoa(f.n), nil }),
		WithErrorLog(slog.New(slog.NewTextHandler(io.Discard, nil))),
	}
	if f.h, err = New(f.svc, f.apps, f.cat, f.log, testActor, append(base, opts...)...); err != nil {
		t.Fatal(err)
	}
	return f
}

// do sends a request as the actor with the token (none when empty). A
// body that is a string or []byte is sent as it is, anything else as JSON.
func (f *fixture) do(method, path, token string, body any) *httptest.ResponseRecorder {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("X-Test-Actor", token)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// cmd issues a command (a request.Command value, marshalled by name).
func (f *fixture) cmd(path, token string, c request.Command) *httptest.ResponseRecorder {
	f.t.Helper()
	data, err := request.MarshalCommand(c)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.do("POST", path, token, data)
}

// want checks the status and decodes the body into v (if not nil).
func want(t testing.TB, w *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if v != nil {
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			t.Fatalf("body %s: %v", w.Body, err)
		}
	}
}

// records returns the audit log's records from seq from on.
func (f *fixture) records(from uint64) []audit.Record {
	f.t.Helper()
	ctx := context.Background()
	n, err := f.log.Len(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []audit.Record
	for rec, err := range f.log.Read(ctx, from, n) {
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

func (f *fixture) logLen() uint64 {
	n, err := f.log.Len(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func day(y int, m time.Month, d int) time.Time { return deadline.Date(y, m, d) }

// createHousehold creates welfare's application for household data, as
// wang, and returns its id.
func (f *fixture) createHousehold() string {
	f.t.Helper()
	var res CommandResult
	want(f.t, f.cmd("/v1/applications", "wang", request.Create{EntryID: householdID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
		Items: []string{"姓名", "公民身份号码"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: day(2026, 10, 1), To: day(2027, 1, 1)},
	}}), http.StatusCreated, &res)
	return res.Application.ID
}

// activeHousehold runs the household application to Active: submitted,
// endorsed, agreed and provided.
func (f *fixture) activeHousehold() string {
	f.t.Helper()
	id := f.createHousehold()
	path := "/v1/applications/" + id + "/commands"
	want(f.t, f.cmd(path, "wang", request.Submit{}), http.StatusOK, nil)
	want(f.t, f.cmd(path, "li", request.Endorse{}), http.StatusOK, nil)
	f.clk.set(time.Date(2026, 10, 9, 10, 0, 0, 0, deadline.CST))
	want(f.t, f.cmd(path, "chen", request.Agree{Conditions: []string{"仅限办理社会救助审核使用；不得向第三方提供"}}), http.StatusOK, nil)
	want(f.t, f.cmd(path, "zhao", request.Provision{Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0002"}}}), http.StatusOK, nil)
	return id
}

func newRequest(method, path, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return httptest.NewRequest(method, path, rd)
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
