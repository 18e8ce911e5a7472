package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// TestLifecycle runs a conditional application from creation to the live
// grant over HTTP and checks what each step returns and records.
func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	before := f.logLen()
	w := f.cmd("/v1/applications", "wang", request.Create{EntryID: householdID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
		Items: []string{"姓名", "公民身份号码"}, Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: day(2026, 10, 1), To: day(2027, 1, 1)},
	}})
	var created CommandResult
	want(t, w, http.StatusCreated, &created)
	if loc := w.Header().Get("Location"); loc != "/v1/applications/SQ-1" {
		t.Errorf("Location %q", loc)
	}
	if created.Application.State != request.Draft || created.Event.Action != "request.create" {
		t.Errorf("created %v, event %q", created.Application.State, created.Event.Action)
	}
	recs := f.records(before)
	if len(recs) != 1 || recs[0].Event.Action != "request.create" || recs[0].Event.Actor.ID != "wang" ||
		recs[0].Event.Target != (audit.Target{Kind: "application", ID: "SQ-1"}) || recs[0].Event.Outcome != audit.Success {
		t.Fatalf("records after create: %+v", recs)
	}

	path := "/v1/applications/SQ-1/commands"
	want(t, f.cmd(path, "wang", request.Submit{}), http.StatusOK, nil)
	f.clk.set(time.Date(2026, 9, 29, 15, 0, 0, 0, deadline.CST))
	var endorsed CommandResult
	want(t, f.cmd(path, "li", request.Endorse{}), http.StatusOK, &endorsed)
	if endorsed.Application.State != request.UnderReview {
		t.Fatalf("state %v after endorse", endorsed.Application.State)
	}
	// R11: 10 working days across 国庆 2026, ending 2026-10-19 24:00.
	if got := endorsed.Application.Clock.DueAt; !got.Equal(time.Date(2026, 10, 20, 0, 0, 0, 0, deadline.CST)) {
		t.Errorf("due %v", got)
	}

	f.clk.set(time.Date(2026, 10, 9, 10, 0, 0, 0, deadline.CST))
	want(t, f.cmd(path, "chen", request.Agree{Conditions: []string{"仅限办理社会救助审核使用；不得向第三方提供"}}), http.StatusOK, nil)
	var provided CommandResult
	want(t, f.cmd(path, "zhao", request.Provision{Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0002"}}}),
		http.StatusOK, &provided)
	if provided.Application.State != request.Active {
		t.Fatalf("state %v after provision", provided.Application.State)
	}

	var got request.Application
	want(t, f.do("GET", "/v1/applications/SQ-1", "wang", nil), http.StatusOK, &got)
	if got.Version != provided.Application.Version || got.State != request.Active {
		t.Errorf("get: version %d state %v", got.Version, got.State)
	}

	var tl Timeline
	want(t, f.do("GET", "/v1/applications/SQ-1/timeline", "chen", nil), http.StatusOK, &tl)
	var actions []string
	for _, r := range tl.Records {
		actions = append(actions, string(r.Event.Action))
	}
	if strings.Join(actions, " ") != "request.create request.submit request.endorse request.agree request.provision" {
		t.Errorf("timeline %v", actions)
	}
}

// TestActorComesFromTheHost: an actor in the body is refused, and the
// recorded actor is the authenticated one.
func TestActorComesFromTheHost(t *testing.T) {
	f := newFixture(t)
	id := f.createHousehold()
	w := f.do("POST", "/v1/applications/"+id+"/commands", "wang", `{"command":"submit","actor":{"id":"li","role":"office_head"}}`)
	want(t, w, http.StatusBadRequest, nil)
	before := f.logLen()
	want(t, f.do("POST", "/v1/applications/"+id+"/commands", "wang", `{"command":"submit"}`), http.StatusOK, nil)
	if recs := f.records(before); len(recs) != 1 || recs[0].Event.Actor.ID != "wang" {
		t.Errorf("recorded %+v", recs)
	}
}

// TestErrorStatuses: each kind of error has its one status and the body
// {code, message_zh, message_en, citation}; refused commands are recorded.
func TestErrorStatuses(t *testing.T) {
	f := newFixture(t, WithLimits(Limits{CommandBytes: 2048}))
	id := f.createHousehold()
	cmds := "/v1/applications/" + id + "/commands"
	tests := []struct {
		name, method, path, token string
		body                      any
		status                    int
		code                      string
		failure                   string // the error code of the failure event recorded, if any
	}{
		{"not JSON", "POST", cmds, "wang", `{"command":`, 400, "request.malformed_command", ""},
		{"unknown command", "POST", cmds, "wang", `{"command":"approve_everything"}`, 400, "", ""},
		{"create on the commands route", "POST", cmds, "wang", `{"command":"create","entry_id":"x","elements":{}}`, 400, "httpapi.start_command", ""},
		{"not declared JSON", "POST", cmds, "wang", nil, 400, "httpapi.content_type", ""},
		{"bad seq", "GET", "/v1/audit/records/x/proof", "sun", nil, 400, "httpapi.invalid_seq", ""},
		{"no session", "GET", "/v1/applications/" + id, "", nil, 403, "httpapi.unauthenticated", ""},
		{"provider's clerk submits", "POST", cmds, "zhao", `{"command":"submit"}`, 403, "request.forbidden", "request.forbidden"},
		{"stranger reads", "GET", "/v1/applications/" + id, "other", nil, 403, "httpapi.forbidden", ""},
		{"clerk reads the report", "GET", "/v1/reports/supervision?from=2026-09-01&to=2026-11-01", "wang", nil, 403, "httpapi.forbidden", ""},
		{"no such application", "GET", "/v1/applications/SQ-404", "sun", nil, 404, "", ""},
		{"command to no application", "POST", "/v1/applications/SQ-404/commands", "wang", `{"command":"submit"}`, 404, "", "not_found"},
		{"no such entry", "GET", "/v1/catalog/entries/101001/999999", "wang", nil, 404, "", ""},
		{"no such route", "GET", "/v1/nothing", "wang", nil, 404, "httpapi.no_route", ""},
		{"endorse a draft", "POST", cmds, "li", `{"command":"endorse"}`, 409, "request.illegal_transition", "request.illegal_transition"},
		{"body too large", "POST", cmds, "wang", `{"command":"edit","elements":{"basis":"` + strings.Repeat("长", 1000) + `"}}`, 413, "httpapi.body_too_large", ""},
		{"page beyond the window", "GET", "/v1/applications?offset=9990&limit=20", "sun", nil, 413, "httpapi.window", ""},
		{"extension of a draft", "POST", cmds, "chen", `{"command":"request_extension","days":20,"reason":"x"}`, 409, "request.illegal_transition", "request.illegal_transition"},
		{"no working days", "GET", "/v1/deadline?received=2026-09-29T15:00:00%2B08:00&days=0", "wang", nil, 422, "", ""},
		{"deadline in 2027", "GET", "/v1/deadline?received=2027-03-01T09:00:00%2B08:00&days=10", "wang", nil, 503, "deadline.unknown_year", ""},
		{"identity provider down", "GET", "/v1/applications", "idp-down", nil, 503, "host.idp_down", ""},
		{"wrong method", "DELETE", "/v1/applications/" + id, "wang", nil, 405, "httpapi.method_not_allowed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.logLen()
			w := f.do(tt.method, tt.path, tt.token, tt.body)
			var body map[string]any
			want(t, w, tt.status, &body)
			for _, k := range []string{"code", "message_zh", "message_en", "citation"} {
				if _, ok := body[k]; !ok {
					t.Errorf("body lacks %q: %s", k, w.Body)
				}
			}
			if tt.code != "" && body["code"] != tt.code {
				t.Errorf("code %v, want %s", body["code"], tt.code)
			}
			if body["message_zh"] == "" || body["message_en"] == "" {
				t.Errorf("empty message: %s", w.Body)
			}
			recs := f.records(before)
			switch {
			case tt.failure == "" && len(recs) > 0:
				t.Errorf("recorded %+v", recs)
			case tt.failure != "":
				if len(recs) != 1 || recs[0].Event.Outcome != audit.Failure || recs[0].Event.ErrorCode != tt.failure {
					t.Errorf("want one failure event %q, recorded %+v", tt.failure, recs)
				}
			}
		})
	}
}

// TestValidationIs422: a well-formed command that breaks a rule.
func TestValidationIs422(t *testing.T) {
	f := newFixture(t)
	w := f.cmd("/v1/applications", "wang", request.Create{EntryID: householdID, Elements: request.Elements{
		Basis: "x", Scenario: "y", Items: []string{"不存在的数据项"}, Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: day(2026, 10, 1), To: day(2027, 1, 1)},
	}})
	var body ErrorBody
	want(t, w, http.StatusUnprocessableEntity, &body)
	if body.Citation.Rule == "" {
		t.Errorf("no citation: %+v", body)
	}
	if n := f.logLen(); n != 0 {
		// A create refused by a rule records a failure event, never a draft.
		for _, r := range f.records(0) {
			if r.Event.Outcome != audit.Failure {
				t.Errorf("recorded %+v", r)
			}
		}
	}
}

func TestContentTypeRequired(t *testing.T) {
	f := newFixture(t)
	r := newRequest("POST", "/v1/applications", `{"command":"create","entry_id":"`+orgsID+`","elements":{}}`)
	r.Header.Set("X-Test-Actor", "wang")
	r.Header.Set("Content-Type", "text/plain")
	w := serve(f.h, r)
	var body ErrorBody
	want(t, w, http.StatusBadRequest, &body)
	if body.Code != "httpapi.content_type" || f.logLen() != 0 {
		t.Errorf("%+v, %d records", body, f.logLen())
	}
}

func TestList(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.clk.set(time.Date(2026, 9, 29, 9, i, 0, 0, deadline.CST))
		f.createHousehold()
	}
	var page ApplicationList
	want(t, f.do("GET", "/v1/applications?limit=2&offset=1", "wang", nil), http.StatusOK, &page)
	if page.Total != 5 || len(page.Applications) != 2 || page.Applications[0].ID != "SQ-4" || page.Applications[1].ID != "SQ-3" {
		t.Errorf("page %d %v", page.Total, ids(page.Applications))
	}
	// The provider's people see it, a department that is no party does not.
	want(t, f.do("GET", "/v1/applications?provider=11330100002482061X", "chen", nil), http.StatusOK, &page)
	if page.Total != 5 {
		t.Errorf("provider sees %d", page.Total)
	}
	stranger := newFixture(t)
	stranger.createHousehold()
	want(t, stranger.do("GET", "/v1/applications", "zhao", nil), http.StatusOK, &page)
	if page.Total != 1 {
		t.Errorf("police (provider) sees %d", page.Total)
	}
	want(t, stranger.do("GET", "/v1/applications", "other", nil), http.StatusOK, &page)
	if page.Total != 0 || len(page.Applications) != 0 {
		t.Errorf("stranger sees %d", page.Total)
	}
	want(t, f.do("GET", "/v1/applications?state=under_review", "sun", nil), http.StatusOK, &page)
	if page.Total != 0 {
		t.Errorf("under_review %d", page.Total)
	}
	want(t, f.do("GET", "/v1/applications?state=nonsense", "sun", nil), http.StatusBadRequest, nil)
}

func ids(apps []request.Application) []string {
	var out []string
	for _, a := range apps {
		out = append(out, a.ID)
	}
	return out
}

// TestRenewStartsAnApplication: renew goes to the create route too.
func TestRenewStartsAnApplication(t *testing.T) {
	f := newFixture(t)
	id := f.activeHousehold()
	var res CommandResult
	want(t, f.cmd("/v1/applications", "wang", request.Renew{Of: id, Period: request.UsePeriod{From: day(2027, 1, 1), To: day(2027, 6, 30)}}),
		http.StatusCreated, &res)
	if res.Application.RenewalOf != id {
		t.Errorf("renewal of %q", res.Application.RenewalOf)
	}
	raw, _ := json.Marshal(res.Application)
	if !strings.Contains(string(raw), `"state":"draft"`) {
		t.Errorf("state: %s", raw)
	}
}
