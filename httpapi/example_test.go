package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/httpapi"
	"github.com/govshare/govshare/request"
)

// sessions stands for the host's own authentication: its session store,
// its single sign-on, its client certificates.
var sessions = map[string]govshare.Actor{
	"token-wang": {ID: "wang", Name: "王经办", Role: govshare.Clerk,
		Department: govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}},
}

// A host mounts the API over its own Service, stores and audit log, and
// tells it who acts. govshare authenticates no one.
func Example() {
	ctx := context.Background()
	entries, _ := catalog.NewMemoryStore()
	log, _ := audit.NewMemory()
	apps := request.NewMemoryStore()
	bureau := govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	svc, _ := request.NewService(ctx, apps, entries, log, request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}})
	api, err := httpapi.New(svc, apps, entries, log, func(r *http.Request) (govshare.Actor, error) {
		if a, ok := sessions[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]; ok {
			return a, nil
		}
		return govshare.Actor{}, &govshare.CodedError{Kind: govshare.ErrForbidden, Code: "host.no_session", Zh: "请先登录", En: "log in first"}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/", api) // or http.StripPrefix("/share", api) under a prefix

	// What a client sees: a deadline, then an error body.
	for _, token := range []string{"token-wang", ""} {
		r := httptest.NewRequest("GET", "/v1/deadline?received=2025-09-30T15:00:00%2B08:00&days=10", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		var body map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		fmt.Println(w.Code, body["last_day"], body["due"], body["code"], body["message_zh"])
	}
	// Output:
	// 200 2025-10-21 2025-10-22T00:00:00+08:00 <nil> <nil>
	// 403 <nil> <nil> host.no_session 请先登录
}
