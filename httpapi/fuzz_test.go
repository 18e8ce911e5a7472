package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fuzzTokens are the actors a fuzzed request may come from, "" for none.
var fuzzTokens = func() []string {
	out := []string{""}
	for k := range actors {
		out = append(out, k)
	}
	slices.Sort(out)
	return append(out, "idp-down")
}()

var wildcard = regexp.MustCompile(`\{\w+(\.\.\.)?\}`)

// FuzzHandler sends random bodies, path values and queries to every route
// (and random paths to the mux), from every actor, against a real Service
// holding a draft (SQ-1) and a live grant (SQ-2). No request may panic,
// answer 500, or answer an error without the error body.
//
// The seed corpus, testdata/fuzz/FuzzHandler, has requests for every route.
//
//	go test ./httpapi -run '^$' -fuzz FuzzHandler -fuzztime 60s
func FuzzHandler(f *testing.F) {
	f.Fuzz(func(t *testing.T, route uint8, param, query string, body []byte, token uint8) {
		fx := newFixture(t, WithLimits(Limits{UploadBytes: 256 << 10, InflatedBytes: 4 << 20}))
		fx.createHousehold()
		fx.activeHousehold()
		rt := routes[int(route&0x7f)%len(routes)]
		method, path := rt.Method, wildcard.ReplaceAllLiteralString(rt.Pattern, url.PathEscape(param))
		if route&0x80 != 0 {
			method, path = []string{"GET", "POST", "PUT", "DELETE"}[int(token)%4], "/"+param
		}
		r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: query}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), Host: "example.invalid", RequestURI: path}
		r.Header.Set("Content-Type", "application/json")
		if tok := fuzzTokens[int(token)%len(fuzzTokens)]; tok != "" {
			r.Header.Set("X-Test-Actor", tok)
		}
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, r)
		switch w.Code {
		case 200, 201, 400, 403, 404, 405, 409, 413, 422, 503:
		case 301, 307, 308:
			return // the mux cleaning a path
		default:
			t.Fatalf("%s %s?%s: status %d: %s", method, path, query, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" || e.Zh == "" || e.En == "" {
				t.Fatalf("%s %s: %d with body %q", method, path, w.Code, w.Body)
			}
			return
		}
		if ct := w.Header().Get("Content-Type"); strings.HasPrefix(ct, "application/json") && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: invalid JSON %q", method, path, w.Body)
		}
	})
}
