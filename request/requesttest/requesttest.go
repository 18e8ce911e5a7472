package requesttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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

// Factory returns a fresh, empty store and the audit log its Save records
// into. It is called once per subtest; t is the subtest's, so that the
// factory can register its cleanup there.
type Factory func(t *testing.T) (request.Store, audit.Log)

// Option adjusts what Run expects of a store.
type Option func(*config)

type config struct {
	logOutside bool
	writers    int
}

// LogOutsideStore says the store's Save and the log's Append share no
// transaction (the memory store with a memory log): a record function that
// fails after appending leaves its record in the log. Run then checks that
// nothing is stored and that the log holds exactly that one record, not
// that it holds none.
func LogOutsideStore() Option { return func(c *config) { c.logOutside = true } }

// Writers sets how many goroutines race in the concurrency checks
// (default 8; values below 2 are taken as 2).
func Writers(n int) Option { return func(c *config) { c.writers = max(n, 2) } }

// Run runs the conformance suite against the stores newStore returns. See
// the package documentation for what it checks.
func Run(t *testing.T, newStore Factory, opts ...Option) {
	cfg := config{writers: 8}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	t.Run("Versions", func(t *testing.T) { testVersions(t, newStore) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, newStore) })
	t.Run("ConcurrentSave", func(t *testing.T) { testConcurrentSave(t, newStore, cfg) })
	t.Run("ConcurrentCreate", func(t *testing.T) { testConcurrentCreate(t, newStore, cfg) })
	t.Run("RecordFails", func(t *testing.T) { testRecordFails(t, newStore) })
	t.Run("FailsAfterRecord", func(t *testing.T) { testFailsAfterRecord(t, newStore, cfg) })
	t.Run("DueAndAll", func(t *testing.T) { testDueAndAll(t, newStore) })
	t.Run("Service", func(t *testing.T) { testService(t, newStore) })
}

// The parties of the suite. Credit codes carry valid GB 32100 check
// characters.
var (
	police    = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare   = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau    = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	clerk     = govshare.Actor{ID: "wang", Name: "王", Department: welfare, Role: govshare.Clerk}
	head      = govshare.Actor{ID: "li", Name: "李", Department: welfare, Role: govshare.OfficeHead}
	provider  = govshare.Actor{ID: "chen", Name: "陈", Department: police, Role: govshare.OfficeHead}
	authority = govshare.Actor{ID: "sun", Name: "孙", Department: bureau, Role: govshare.Authority}
)

// t0 is Tuesday 2026-09-29 10:00 CST.
var t0 = time.Date(2026, 9, 29, 10, 0, 0, 0, deadline.CST)

const scenario = "最低生活保障对象资格审核"

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// plain is an application a store can keep without any Service: a draft.
func plain(id string) request.Application {
	return request.Application{ID: id, State: request.Draft, Requester: welfare, Provider: police,
		EntryID: "101001/000001", EntryVersion: 1, CreatedAt: t0, UpdatedAt: t0,
		Elements: request.Elements{Basis: "《社会救助暂行办法》第十一条", Scenario: scenario, Items: []string{"姓名"},
			Method: govshare.ServiceAPI, Period: request.UsePeriod{From: t0, To: t0.AddDate(0, 3, 0)}}}
}

func event(id, action string) audit.Event {
	return audit.Event{Time: t0, Actor: clerk, Action: audit.Action(action),
		Target: audit.Target{Kind: "application", ID: id}, Outcome: audit.Success, CorrelationID: id}
}

func appendTo(log audit.Log, id, action string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := log.Append(ctx, event(id, action))
		return err
	}
}

func length(t *testing.T, c context.Context, log audit.Log) uint64 {
	t.Helper()
	n, err := log.Len(c)
	if err != nil {
		t.Fatalf("audit log Len: %v", err)
	}
	return n
}

func testVersions(t *testing.T, newStore Factory) {
	store, log := newStore(t)
	c := ctx(t)
	if _, err := store.Save(c, request.Application{}, 0, nil); !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("Save without an ID: %v, want ErrInvalid", err)
	}
	app := plain("V-1")
	saved, err := store.Save(c, app, 0, appendTo(log, app.ID, "requesttest.create"))
	if err != nil {
		t.Fatalf("Save of a new id: %v", err)
	}
	if saved.Version != 1 {
		t.Fatalf("first version %d, want 1", saved.Version)
	}
	sameApp(t, "Get after the first Save", mustGet(t, c, store, app.ID), saved)
	if _, err := store.Save(c, app, 0, appendTo(log, app.ID, "requesttest.create")); !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("second Save with expected 0: %v, want ErrConflict", err)
	}
	next := saved
	next.State, next.UpdatedAt = request.PendingApproval, t0.Add(time.Minute)
	second, err := store.Save(c, next, 1, appendTo(log, app.ID, "requesttest.submit"))
	if err != nil {
		t.Fatalf("Save at version 1: %v", err)
	}
	if second.Version != 2 {
		t.Fatalf("second version %d, want 2", second.Version)
	}
	for _, stale := range []int64{1, 3, -1} {
		bad := second
		bad.State = request.Withdrawn
		if _, err := store.Save(c, bad, stale, appendTo(log, app.ID, "requesttest.stale")); !errors.Is(err, govshare.ErrConflict) {
			t.Fatalf("Save with expected %d at version 2: %v, want ErrConflict", stale, err)
		}
	}
	got := mustGet(t, c, store, app.ID)
	sameApp(t, "Get after refused Saves", got, second)
	if got.State != request.PendingApproval {
		t.Fatalf("state %s after refused Saves, want %s", got.State, request.PendingApproval)
	}
	if n := length(t, c, log); n != 2 {
		t.Fatalf("audit log holds %d records, want 2 (one per stored version)", n)
	}
}

func testNotFound(t *testing.T, newStore Factory) {
	store, _ := newStore(t)
	c := ctx(t)
	if _, err := store.Get(c, "NO-SUCH-APP"); !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("Get of a missing id: %v, want ErrNotFound", err)
	}
	if _, err := store.Save(c, plain("NF-1"), 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(c, "NF-2"); !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("Get of another id: %v, want ErrNotFound", err)
	}
}

// race runs n Saves at once and returns how many won; every other must
// fail with ErrConflict.
func race(t *testing.T, n int, save func(i int) error) int {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = save(i)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, govshare.ErrConflict):
			t.Errorf("writer %d: %v, want ErrConflict or success", i, err)
		}
	}
	return won
}

func testConcurrentSave(t *testing.T, newStore Factory, cfg config) {
	store, log := newStore(t)
	c := ctx(t)
	first, err := store.Save(c, plain("C-1"), 0, appendTo(log, "C-1", "requesttest.create"))
	if err != nil {
		t.Fatal(err)
	}
	before := length(t, c, log)
	won := race(t, cfg.writers, func(i int) error {
		next := first
		next.Elements.Users = fmt.Sprintf("writer %d", i)
		_, err := store.Save(c, next, first.Version, appendTo(log, "C-1", "requesttest.update"))
		return err
	})
	if won != 1 {
		t.Fatalf("%d of %d concurrent Saves at version %d won, want exactly 1", won, cfg.writers, first.Version)
	}
	got := mustGet(t, c, store, "C-1")
	if got.Version != 2 || got.Elements.Users == "" {
		t.Fatalf("after the race: version %d users %q, want version 2 with the winner's users", got.Version, got.Elements.Users)
	}
	if n := length(t, c, log); n != before+1 {
		t.Fatalf("audit log grew by %d, want 1 (the winner's record only)", n-before)
	}
}

func testConcurrentCreate(t *testing.T, newStore Factory, cfg config) {
	store, log := newStore(t)
	c := ctx(t)
	won := race(t, cfg.writers, func(i int) error {
		app := plain("N-1")
		app.Elements.Users = fmt.Sprintf("writer %d", i)
		_, err := store.Save(c, app, 0, appendTo(log, "N-1", "requesttest.create"))
		return err
	})
	if won != 1 {
		t.Fatalf("%d of %d concurrent creations of one id won, want exactly 1", won, cfg.writers)
	}
	if got := mustGet(t, c, store, "N-1"); got.Version != 1 {
		t.Fatalf("version %d after the race, want 1", got.Version)
	}
	if n := length(t, c, log); n != 1 {
		t.Fatalf("audit log holds %d records, want 1", n)
	}
}

var errInjected = errors.New("requesttest: injected failure")

func testRecordFails(t *testing.T, newStore Factory) {
	store, log := newStore(t)
	c := ctx(t)
	fail := func(context.Context) error { return errInjected }
	if _, err := store.Save(c, plain("R-1"), 0, fail); !errors.Is(err, errInjected) {
		t.Fatalf("Save whose record fails: %v, want the record's error", err)
	}
	if _, err := store.Get(c, "R-1"); !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("Get after a failed creation: %v, want ErrNotFound (nothing stored)", err)
	}
	saved, err := store.Save(c, plain("R-1"), 0, appendTo(log, "R-1", "requesttest.create"))
	if err != nil {
		t.Fatal(err)
	}
	next := saved
	next.State = request.Withdrawn
	if _, err := store.Save(c, next, saved.Version, fail); !errors.Is(err, errInjected) {
		t.Fatalf("update whose record fails: %v, want the record's error", err)
	}
	sameApp(t, "Get after a failed update", mustGet(t, c, store, "R-1"), saved)
	if n := length(t, c, log); n != 1 {
		t.Fatalf("audit log holds %d records, want 1 (failed records add none)", n)
	}
	// The version is not used up: the next Save at it succeeds.
	if _, err := store.Save(c, next, saved.Version, appendTo(log, "R-1", "requesttest.withdraw")); err != nil {
		t.Fatalf("Save after a failed one at the same version: %v", err)
	}
}

// failingLog appends and then fails, as a commit that fails after the
// record was written would.
type failingLog struct{ audit.Log }

func (f failingLog) Append(ctx context.Context, e audit.Event) (audit.Record, error) {
	if _, err := f.Log.Append(ctx, e); err != nil {
		return audit.Record{}, err
	}
	return audit.Record{}, errInjected
}

func testFailsAfterRecord(t *testing.T, newStore Factory, cfg config) {
	store, log := newStore(t)
	c := ctx(t)
	saved, err := store.Save(c, plain("A-1"), 0, appendTo(log, "A-1", "requesttest.create"))
	if err != nil {
		t.Fatal(err)
	}
	bad := failingLog{log}
	next := saved
	next.State = request.Withdrawn
	if _, err := store.Save(c, next, saved.Version, appendTo(bad, "A-1", "requesttest.withdraw")); !errors.Is(err, errInjected) {
		t.Fatalf("Save failing after its record: %v, want the failure", err)
	}
	if _, err := store.Save(c, plain("A-2"), 0, appendTo(bad, "A-2", "requesttest.create")); !errors.Is(err, errInjected) {
		t.Fatalf("creation failing after its record: %v, want the failure", err)
	}
	sameApp(t, "Get after a Save that failed after its record", mustGet(t, c, store, "A-1"), saved)
	if _, err := store.Get(c, "A-2"); !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("Get of a creation that failed after its record: %v, want ErrNotFound", err)
	}
	want := uint64(1)
	if cfg.logOutside {
		want = 3 // the log shares no transaction with the store: the records stay
	}
	if n := length(t, c, log); n != want {
		t.Fatalf("audit log holds %d records, want %d", n, want)
	}
	if err := log.Verify(c); err != nil {
		t.Fatalf("audit log does not verify: %v", err)
	}
}

// dueInstant is the instant Store.Due selects by, as its documentation
// names it (Application.SweepAt).
func dueInstant(a request.Application) time.Time { return a.SweepAt() }

func testDueAndAll(t *testing.T, newStore Factory) {
	store, log := newStore(t)
	c := ctx(t)
	apps := scriptApps(t)
	for _, a := range apps {
		if _, err := store.Save(c, a, 0, appendTo(log, a.ID, "requesttest.load")); err != nil {
			t.Fatalf("Save %s: %v", a.ID, err)
		}
	}
	var ids []string
	if err := store.All(c, func(a request.Application) bool { ids = append(ids, a.ID); return true }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	var want []string
	for _, a := range apps {
		want = append(want, a.ID)
	}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("All yielded %v, want %v", ids, want)
	}
	// Every instant at which the set changes, and one before and after.
	instants := []time.Time{t0.Add(-time.Hour), t0.AddDate(2, 0, 0)}
	withDue := 0
	for _, a := range apps {
		if d := dueInstant(a); !d.IsZero() {
			withDue++
			instants = append(instants, d, d.Add(-time.Microsecond))
		}
	}
	if withDue < 2 || withDue == len(apps) {
		t.Fatalf("suite fixture: %d of %d applications are due; want some and not all", withDue, len(apps))
	}
	for _, until := range instants {
		var got []string
		err := store.Due(c, until, func(a request.Application) bool { got = append(got, a.ID); return true })
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		var exp []string
		for _, a := range apps {
			if d := dueInstant(a); !d.IsZero() && !d.After(until) {
				exp = append(exp, a.ID)
			}
		}
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Fatalf("Due(%s) yielded %v, want %v", until.Format(time.RFC3339Nano), got, exp)
		}
	}
	calls := 0
	if err := store.All(c, func(request.Application) bool { calls++; return false }); err != nil || calls != 1 {
		t.Fatalf("All stopping at once: %d calls, err %v; want 1 call", calls, err)
	}
	calls = 0
	if err := store.Due(c, t0.AddDate(2, 0, 0), func(request.Application) bool { calls++; return false }); err != nil || calls != 1 {
		t.Fatalf("Due stopping at once: %d calls, err %v; want 1 call", calls, err)
	}
	for _, a := range apps {
		got := mustGet(t, c, store, a.ID)
		a.Version = 1
		sameApp(t, "Get of "+a.ID, got, a)
	}
}

// scriptApps returns the applications the service script leaves in a
// memory store (a draft, one pending approval, one under review, revoked
// ones) and, under other ids, those it had before the revokes (active,
// with the end of their period due).
func scriptApps(t *testing.T) []request.Application {
	t.Helper()
	mem := request.NewMemoryStore()
	log, err := audit.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	o := script(t, mem, log)
	var apps []request.Application
	if err := mem.All(context.Background(), func(a request.Application) bool { apps = append(apps, a.Clone()); return true }); err != nil {
		t.Fatal(err)
	}
	for id, a := range o.mid {
		a.ID = "MID-" + id
		apps = append(apps, a)
	}
	slices.SortFunc(apps, func(a, b request.Application) int { return strings.Compare(a.ID, b.ID) })
	return apps
}

func testService(t *testing.T, newStore Factory) {
	store, log := newStore(t)
	got := script(t, store, log)
	mem := request.NewMemoryStore()
	memLog, err := audit.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	want := script(t, mem, memLog)
	if len(got.decisions) != len(want.decisions) {
		t.Fatalf("%d decisions, want %d", len(got.decisions), len(want.decisions))
	}
	for i := range want.decisions {
		if got.decisions[i] != want.decisions[i] {
			t.Errorf("decision %d (%s): %+v, memory store %+v", i, want.labels[i], got.decisions[i], want.decisions[i])
		}
	}
	if !slices.Equal(got.overdue, want.overdue) {
		t.Errorf("sweep overdue %v, memory store %v", got.overdue, want.overdue)
	}
	if got.second != 0 {
		t.Errorf("a second sweep at the same instant emitted %d facts, want none", got.second)
	}
	if got.records != want.records {
		t.Errorf("audit records %d, memory store %d", got.records, want.records)
	}
	if len(got.apps) != len(want.apps) {
		t.Fatalf("%d applications, memory store %d", len(got.apps), len(want.apps))
	}
	for id, w := range want.apps {
		sameApp(t, "application "+id+" against the memory store's", got.apps[id], w)
	}
	if err := log.Verify(context.Background()); err != nil {
		t.Fatalf("audit log does not verify: %v", err)
	}
}

type outcome struct {
	decisions []request.Decision
	labels    []string
	overdue   []string
	second    int
	records   uint64
	apps      map[string]request.Application
	mid       map[string]request.Application // before the revokes
}

// script runs the quickstart's flow on a Service over store and log and
// returns what can be compared across stores.
func script(t *testing.T, store request.Store, log audit.Log) outcome {
	t.Helper()
	c := ctx(t)
	var mu sync.Mutex
	clock := t0
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	set := func(at time.Time) { mu.Lock(); clock = at; mu.Unlock() }
	cat, err := catalog.NewMemoryStore(catalog.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	entry, err := cat.Put(c, catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "姓名、身份证号、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Kind: classify.Name},
			{Name: "身份证号", Column: "sfzh", Type: catalog.TypeString, Kind: classify.IDCard},
		},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cat.Publish(c, entry.ID, entry.Version); err != nil {
		t.Fatal(err)
	}
	svc, err := request.NewService(c, store, cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}},
		request.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	do := func(id string, cmd request.Command) {
		t.Helper()
		if _, _, err := svc.Do(c, id, cmd); err != nil {
			t.Fatalf("%s %s: %v", id, cmd.Name().Code(), err)
		}
	}
	elements := request.Elements{Basis: "《社会救助暂行办法》第十一条", Scenario: scenario,
		Items: []string{"姓名", "身份证号"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: t0, To: time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.CST)}}
	for _, id := range []string{"SQ-1", "SQ-2", "SQ-3", "SQ-4", "SQ-5"} {
		do(id, request.Create{Actor: clerk, EntryID: entry.ID, Elements: elements})
	}
	for _, id := range []string{"SQ-2", "SQ-3", "SQ-4", "SQ-5"} {
		do(id, request.Submit{Actor: clerk})
	}
	set(t0.Add(5 * time.Hour))
	for _, id := range []string{"SQ-3", "SQ-4", "SQ-5"} {
		do(id, request.Endorse{Actor: head})
	}
	set(time.Date(2026, 10, 14, 9, 0, 0, 0, deadline.CST))
	do("SQ-4", request.RequestExtension{Actor: provider, Days: 5, Reason: "需与人口库逐条核对"})
	do("SQ-4", request.DecideExtension{Actor: authority, Decision: request.Granted, Comment: "同意延期"})
	do("SQ-5", request.Agree{Actor: provider, Conditions: []string{"仅限办理社会救助审核使用"}})
	do("SQ-5", request.Provision{Actor: provider, Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7781"}}})
	set(time.Date(2026, 10, 23, 16, 0, 0, 0, deadline.CST))
	do("SQ-4", request.Agree{Actor: provider, Conditions: []string{"仅限办理社会救助审核使用"}})
	do("SQ-4", request.Provision{Actor: provider, Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7782"}}})

	var o outcome
	decide := func(label string, acc request.Access) {
		o.decisions = append(o.decisions, svc.Authorize(acc))
		o.labels = append(o.labels, label)
	}
	acc := request.Access{Department: welfare, EntryID: entry.ID, Items: []string{"身份证号"},
		Method: govshare.ServiceAPI, Scenario: scenario, At: time.Date(2026, 10, 24, 9, 0, 0, 0, deadline.CST)}
	decide("granted", acc)
	wrong := acc
	wrong.Scenario = "招商引资"
	decide("wrong scenario", wrong)
	other := acc
	other.Department = police
	decide("another department", other)
	o.mid = map[string]request.Application{}
	for _, id := range []string{"SQ-3", "SQ-4", "SQ-5"} {
		o.mid[id] = mustGet(t, c, store, id)
	}

	set(time.Date(2026, 10, 24, 10, 0, 0, 0, deadline.CST))
	do("SQ-5", request.Revoke{Actor: provider, Reason: "发现超范围使用"})
	do("SQ-4", request.Revoke{Actor: provider, Reason: "发现超范围使用"})
	decide("after revoke", acc)

	// SQ-3 was received on 2026-09-29 and never answered: overdue by now.
	sweepAt := time.Date(2026, 10, 30, 9, 0, 0, 0, deadline.CST)
	set(sweepAt)
	res, err := svc.Sweep(c, sweepAt)
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("Sweep: %v %v", err, res.Failed)
	}
	for _, f := range res.Overdue {
		o.overdue = append(o.overdue, f.Key())
	}
	slices.Sort(o.overdue)
	again, err := svc.Sweep(c, sweepAt)
	if err != nil {
		t.Fatal(err)
	}
	o.second = len(again.Overdue) + len(again.DueSoon) + len(again.Expired)
	if o.records, err = log.Len(c); err != nil {
		t.Fatal(err)
	}
	o.apps = map[string]request.Application{}
	for _, id := range []string{"SQ-1", "SQ-2", "SQ-3", "SQ-4", "SQ-5"} {
		o.apps[id] = mustGet(t, c, store, id)
	}
	return o
}

func mustGet(t *testing.T, c context.Context, store request.Store, id string) request.Application {
	t.Helper()
	a, err := store.Get(c, id)
	if err != nil {
		t.Fatalf("Get %s: %v", id, err)
	}
	return a
}

// sameApp fails the test unless got and want are the same application,
// instants compared as instants at microsecond precision.
func sameApp(t *testing.T, what string, got, want request.Application) {
	t.Helper()
	g, w := Canonical(got), Canonical(want)
	if g != w {
		t.Fatalf("%s differs:\n got  %s\n want %s", what, g, w)
	}
}

// Canonical returns the application's JSON with every instant rewritten in
// UTC at microsecond precision, so that two stores' copies of one
// application compare equal whatever zone and precision they keep.
func Canonical(a request.Application) string {
	b, err := json.Marshal(a)
	if err != nil {
		return "unmarshalable: " + err.Error()
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return "undecodable: " + err.Error()
	}
	b, err = json.Marshal(normalize(v))
	if err != nil {
		return "unmarshalable: " + err.Error()
	}
	return string(b)
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	case string:
		if ts, err := time.Parse(time.RFC3339Nano, x); err == nil && len(x) >= len("2006-01-02T15:04:05Z") {
			return ts.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
		}
	}
	return v
}
