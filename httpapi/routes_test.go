package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// The example of the issue: received on 2025-09-30 at 15:00, 10 working
// days across 国庆 and 中秋 2025 end on 2025-10-21 at 24:00.
func TestDeadline(t *testing.T) {
	f := newFixture(t)
	var d Deadline
	want(t, f.do("GET", "/v1/deadline?received=2025-09-30T15:00:00%2B08:00&days=10", "wang", nil), http.StatusOK, &d)
	if d.LastDay != "2025-10-21" || !d.Due.Equal(time.Date(2025, 10, 22, 0, 0, 0, 0, deadline.CST)) || d.Workdays != 10 {
		t.Errorf("%s %s %d", d.LastDay, d.Due, d.Workdays)
	}
	if len(d.Days) != 22 || d.Days[11].Date != "2025-10-11" || d.Days[11].Kind != deadline.MakeupWorkday || d.Days[11].Ordinal != 3 {
		t.Errorf("days: %d, %+v", len(d.Days), d.Days[11])
	}
	if !strings.Contains(d.ExplainZh, "调休上班日") || !strings.Contains(d.ExplainEN, "make-up working day") {
		t.Errorf("explanations:\n%s\n%s", d.ExplainZh, d.ExplainEN)
	}
	want(t, f.do("GET", "/v1/deadline?received=2025-09-30+15:00&days=10&extension=2&close_of_business=17:30", "wang", nil), http.StatusOK, &d)
	if d.LastDay != "2025-10-23" || !d.Due.Equal(time.Date(2025, 10, 23, 17, 30, 0, 0, deadline.CST)) {
		t.Errorf("extended: %s %s", d.LastDay, d.Due)
	}
	for _, q := range []string{"received=yesterday&days=1", "days=1", "received=2025-09-30&days=-1", "received=2025-09-30&days=1&close_of_business=25:00"} {
		want(t, f.do("GET", "/v1/deadline?"+q, "wang", nil), http.StatusBadRequest, nil)
	}
	want(t, f.do("GET", "/v1/deadline?received=2300-01-01&days=1", "wang", nil), http.StatusUnprocessableEntity, nil)
}

func TestLint(t *testing.T) {
	f := newFixture(t)
	bad := household()
	bad.Conditions = "" // R7: a conditional entry states its conditions
	var buf bytes.Buffer
	if err := catalog.ExportXLSX(&buf, []catalog.Entry{bad, orgs()}); err != nil {
		t.Fatal(err)
	}
	r := newRequest("POST", "/v1/catalog/lint", buf.String())
	r.Header.Set("X-Test-Actor", "zhao")
	r.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	var l Lint
	want(t, serve(f.h, r), http.StatusOK, &l)
	if l.Format != "xlsx" || l.Entries != 2 || l.Items != 6 || l.Errors == 0 {
		t.Fatalf("%+v", l)
	}
	var found bool
	for _, fd := range l.Findings {
		if fd.Code == catalog.CodeConditionsMissing {
			found = true
			if fd.Sheet != "目录" || fd.Row != 2 || fd.Column == "" || fd.Citation.Rule != "R7" || fd.Zh == "" || fd.En == "" {
				t.Errorf("finding %+v", fd)
			}
		}
	}
	if !found {
		t.Errorf("no %s in %+v", catalog.CodeConditionsMissing, l.Findings)
	}

	buf.Reset()
	if err := catalog.ExportCSV(&buf, []catalog.Entry{household()}); err != nil {
		t.Fatal(err)
	}
	want(t, f.do("POST", "/v1/catalog/lint?format=csv", "zhao", buf.Bytes()), http.StatusOK, &l)
	if l.Format != "csv" || l.Entries != 1 || l.Errors != 0 {
		t.Errorf("csv: %+v", l)
	}
	want(t, f.do("POST", "/v1/catalog/lint?format=json", "zhao", `{"entries":[{"id":"1"}]}`), http.StatusOK, &l)
	if l.Errors == 0 || l.Findings[0].Path == "" {
		t.Errorf("json: %+v", l)
	}
	want(t, f.do("POST", "/v1/catalog/lint?format=json", "zhao", `not json`), http.StatusBadRequest, nil)
	want(t, f.do("POST", "/v1/catalog/lint?format=pdf", "zhao", `x`), http.StatusBadRequest, nil)
	want(t, f.do("POST", "/v1/catalog/lint?format=xlsx", "zhao", `PK not a zip`), http.StatusBadRequest, nil)
}

func TestLintLimits(t *testing.T) {
	f := newFixture(t, WithLimits(Limits{UploadBytes: 64 << 10, InflatedBytes: 1 << 20, Findings: 3}))
	var l Lint
	// Many bad entries: every finding counted, three listed.
	var b strings.Builder
	b.WriteString(`{"entries":[`)
	for i := range 20 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id":"x"}`)
	}
	b.WriteString(`]}`)
	want(t, f.do("POST", "/v1/catalog/lint?format=json", "zhao", b.String()), http.StatusOK, &l)
	if !l.Truncated || len(l.Findings) != 3 || l.Errors < 20 {
		t.Errorf("truncated %v, %d listed, %d errors", l.Truncated, len(l.Findings), l.Errors)
	}
	var body ErrorBody
	want(t, f.do("POST", "/v1/catalog/lint?format=csv", "zhao", strings.Repeat("a,", 40<<10)), http.StatusRequestEntityTooLarge, &body)
	if body.Code != "httpapi.body_too_large" {
		t.Errorf("%+v", body)
	}
	// A zip bomb: 8 MiB of zeros deflate to a few kilobytes.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	part, _ := zw.Create("xl/worksheets/sheet1.xml")
	_, _ = part.Write(make([]byte, 8<<20))
	_ = zw.Close()
	if zb.Len() > 64<<10 {
		t.Fatalf("bomb is %d bytes", zb.Len())
	}
	want(t, f.do("POST", "/v1/catalog/lint?format=xlsx", "zhao", zb.Bytes()), http.StatusRequestEntityTooLarge, &body)
	if body.Code != "httpapi.inflated_too_large" {
		t.Errorf("%+v", body)
	}
}

func TestCatalogEntries(t *testing.T) {
	f := newFixture(t)
	var res catalog.Result
	want(t, f.do("GET", "/v1/catalog/entries?text=户籍", "wang", nil), http.StatusOK, &res)
	if res.Total != 1 || res.Entries[0].ID != householdID {
		t.Errorf("%+v", res)
	}
	want(t, f.do("GET", "/v1/catalog/entries?share=unconditional&method=batch_exchange&status=published", "wang", nil), http.StatusOK, &res)
	if res.Total != 1 || res.Entries[0].ID != orgsID {
		t.Errorf("%+v", res)
	}
	want(t, f.do("GET", "/v1/catalog/entries?share=有条件共享&grade=general_3", "wang", nil), http.StatusOK, &res)
	if res.Total != 1 {
		t.Errorf("%+v", res)
	}
	for _, q := range []string{"share=open", "grade=top_secret", "limit=5000", "offset=-1"} {
		want(t, f.do("GET", "/v1/catalog/entries?"+q, "wang", nil), http.StatusBadRequest, nil)
	}
	var e catalog.Entry
	for _, path := range []string{"/v1/catalog/entries/101001/000001", "/v1/catalog/entries/101001%2F000001"} {
		want(t, f.do("GET", path, "wang", nil), http.StatusOK, &e)
		if e.ID != householdID || e.Status != catalog.Published || e.Version != 2 {
			t.Errorf("%s: %s v%d %v", path, e.ID, e.Version, e.Status)
		}
	}
	want(t, f.do("GET", "/v1/catalog/entries/101001/000001?version=1", "wang", nil), http.StatusOK, &e)
	if e.Version != 1 || e.Status != catalog.Draft {
		t.Errorf("version 1: v%d %v", e.Version, e.Status)
	}
	want(t, f.do("GET", "/v1/catalog/entries/101001/000001?version=0", "wang", nil), http.StatusBadRequest, nil)
	w := f.do("GET", "/v1/catalog/template", "wang", nil)
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
		t.Errorf("template: %d", w.Code)
	}
}

// TestGateway: the decision comes from the grant and is recorded with the
// asking actor as the reader; a department may not ask for another.
func TestGateway(t *testing.T) {
	f := newFixture(t)
	id := f.activeHousehold()
	f.clk.set(time.Date(2026, 10, 26, 10, 0, 0, 0, deadline.CST))
	ask := AccessAsk{Department: welfare, EntryID: householdID, Items: []string{"姓名"}, Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核"}
	before := f.logLen()
	var d GatewayDecision
	want(t, f.do("POST", "/v1/gateway/authorize", "gateway", ask), http.StatusOK, &d)
	if !d.Allowed || d.AppID != id || !d.At.Equal(f.clk.now()) {
		t.Errorf("%+v", d)
	}
	ask.Items = []string{"户籍地址"}
	want(t, f.do("POST", "/v1/gateway/authorize", "gateway", ask), http.StatusOK, &d)
	if d.Allowed || d.Reason != request.ItemNotGranted || d.ReasonZh == "" || d.ReasonEN == "" {
		t.Errorf("%+v", d)
	}
	recs := f.records(before)
	if len(recs) != 2 || recs[0].Event.Action != "grant.access" || recs[0].Event.Outcome != audit.Success ||
		recs[1].Event.Outcome != audit.Failure || recs[1].Event.ErrorCode != "item_not_granted" || recs[1].Event.Actor.ID != "gw-welfare" {
		t.Errorf("records %+v", recs)
	}
	want(t, f.do("POST", "/v1/gateway/authorize", "zhao", ask), http.StatusForbidden, nil)
	want(t, f.do("POST", "/v1/gateway/authorize", "gateway", `{"department":{},"entry_id":"x","at":"2020-01-01T00:00:00Z"}`), http.StatusBadRequest, nil)
	if n := f.logLen(); n != before+2 {
		t.Errorf("%d records after refusals", n-before)
	}

	var list AccessRecordList
	want(t, f.do("GET", "/v1/gateway/records?requester="+welfare.CreditCode, "wang", nil), http.StatusOK, &list)
	if len(list.Records) != 2 || list.Records[1].Reason != request.ItemNotGranted {
		t.Errorf("records %+v", list)
	}
	want(t, f.do("GET", "/v1/gateway/records?requester="+welfare.CreditCode+"&app_id="+id, "sun", nil), http.StatusOK, &list)
	if len(list.Records) != 2 {
		t.Errorf("by app: %+v", list)
	}
	want(t, f.do("GET", "/v1/gateway/records?requester="+welfare.CreditCode, "zhao", nil), http.StatusForbidden, nil)
	want(t, f.do("GET", "/v1/gateway/records", "sun", nil), http.StatusUnprocessableEntity, nil)
}

func TestReport(t *testing.T) {
	f := newFixture(t)
	f.activeHousehold()
	var rep request.Report
	want(t, f.do("GET", "/v1/reports/supervision?from=2026-09-01&to=2026-11-01", "sun", nil), http.StatusOK, &rep)
	if len(rep.Providers) != 1 || rep.Providers[0].Received != 1 || rep.Providers[0].OnTime != 1 {
		t.Errorf("%+v", rep.Providers)
	}
	want(t, f.do("GET", "/v1/reports/supervision?from=2026-11-01&to=2026-09-01", "sun", nil), http.StatusUnprocessableEntity, nil)
	want(t, f.do("GET", "/v1/reports/supervision?from=2026-11-01", "sun", nil), http.StatusBadRequest, nil)
}

// TestAuditProof: a supervisor takes a checkpoint and gets a bundle that
// verifies offline with the log's public key, as `govshare audit check`
// does.
func TestAuditProof(t *testing.T) {
	f := newFixture(t)
	f.activeHousehold()
	var cerr ErrorBody
	want(t, f.do("GET", "/v1/audit/records/2/proof", "sun", nil), http.StatusConflict, &cerr)
	if cerr.Code != "httpapi.no_checkpoint" {
		t.Errorf("%+v", cerr)
	}
	want(t, f.do("POST", "/v1/audit/checkpoints", "wang", nil), http.StatusForbidden, nil)
	var cp audit.Checkpoint
	want(t, f.do("POST", "/v1/audit/checkpoints", "sun", nil), http.StatusCreated, &cp)
	if cp.Size != f.logLen() {
		t.Errorf("checkpoint of %d records, log has %d", cp.Size, f.logLen())
	}
	var list CheckpointList
	want(t, f.do("GET", "/v1/audit/checkpoints", "sun", nil), http.StatusOK, &list)
	if len(list.Checkpoints) != 1 || list.Checkpoints[0].Root != cp.Root {
		t.Errorf("%+v", list)
	}
	w := f.do("GET", "/v1/audit/records/1/proof?to=3", "sun", nil)
	want(t, w, http.StatusOK, nil)
	b, err := audit.ReadBundle(context.Background(), w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(f.log.PublicKey(), testKey); err != nil {
		t.Fatal(err)
	}
	if len(b.Records) != 2 || b.Records[0].Seq != 1 || b.Records[0].Event.Action != "request.submit" {
		t.Errorf("records %+v", b.Records)
	}
	want(t, f.do("GET", "/v1/audit/records/99/proof", "sun", nil), http.StatusNotFound, nil)
	want(t, f.do("GET", "/v1/audit/records/1/proof?to=1", "sun", nil), http.StatusBadRequest, nil)
	want(t, f.do("GET", "/v1/audit/records/1/proof?to=5000", "sun", nil), http.StatusBadRequest, nil)
}

func TestStaticAndFallback(t *testing.T) {
	f := newFixture(t, WithStatic(fstest.MapFS{"index.html": {Data: []byte("<h1>共享平台</h1>")}}))
	w := f.do("GET", "/", "", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "共享平台") {
		t.Errorf("static: %d %s", w.Code, w.Body)
	}
	if w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	var body ErrorBody
	want(t, f.do("GET", "/v1/unknown", "wang", nil), http.StatusNotFound, &body)
	if body.Code != "httpapi.no_route" {
		t.Errorf("%+v", body)
	}
	w = f.do("PUT", "/v1/audit/checkpoints", "sun", nil)
	want(t, w, http.StatusMethodNotAllowed, &body)
	if got := w.Header().Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow %q", got)
	}
	want(t, f.do("POST", "/index.html", "", nil), http.StatusNotFound, nil)
	g := newFixture(t)
	want(t, g.do("GET", "/", "", nil), http.StatusNotFound, &body)
}

func TestNewRefuses(t *testing.T) {
	f := newFixture(t)
	for _, opts := range [][]Option{
		{WithLimits(Limits{UploadBytes: -1})},
		{WithLimits(Limits{CommandBytes: request.MaxCommandBytes + 1})},
		{WithPolicy(nil)},
		{WithClock(nil)},
	} {
		if _, err := New(f.svc, f.apps, f.cat, f.log, testActor, opts...); govshare.HTTPStatus(err) != 422 {
			t.Errorf("%v", err)
		}
	}
	if _, err := New(nil, f.apps, f.cat, f.log, testActor); govshare.HTTPStatus(err) != 422 {
		t.Errorf("nil service: %v", err)
	}
}
