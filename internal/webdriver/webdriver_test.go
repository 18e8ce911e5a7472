package webdriver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeDriver answers the W3C commands the client sends, as chromedriver
// does, and records them.
func fakeDriver(t *testing.T) (*Driver, *[]string) {
	var got []string
	png := []byte("\x89PNG\r\n\x1a\nfake")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		got = append(got, r.Method+" "+r.URL.Path)
		reply := func(status int, v any) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"value": v})
		}
		switch {
		case r.URL.Path == "/session" && r.Method == "POST":
			reply(200, map[string]any{"sessionId": "s1", "capabilities": map[string]any{}})
		case strings.HasSuffix(r.URL.Path, "/element") && body["value"] == "#missing":
			reply(404, map[string]any{"error": "no such element", "message": "no such element: Unable to locate element\n(Session info)"})
		case strings.HasSuffix(r.URL.Path, "/element") && body["value"] == "#stale":
			reply(404, map[string]any{"error": "stale element reference", "message": "stale element not found"})
		case strings.HasSuffix(r.URL.Path, "/element"):
			reply(200, map[string]any{elementKey: "e1"})
		case strings.HasSuffix(r.URL.Path, "/text"):
			reply(200, "已同意")
		case strings.HasSuffix(r.URL.Path, "/attribute/title"):
			reply(200, nil)
		case strings.HasSuffix(r.URL.Path, "/screenshot"):
			reply(200, base64.StdEncoding.EncodeToString(png))
		case strings.HasSuffix(r.URL.Path, "/execute/sync"):
			reply(200, body["args"])
		default:
			reply(200, nil)
		}
	}))
	t.Cleanup(srv.Close)
	return &Driver{base: srv.URL, client: srv.Client(), done: make(chan struct{})}, &got
}

func TestSession(t *testing.T) {
	ctx := context.Background()
	d, got := fakeDriver(t)
	s, err := d.NewSession(ctx, ChromeCapabilities("/usr/bin/chromium", t.TempDir()))
	if err != nil || s.ID != "s1" {
		t.Fatalf("%v %+v", err, s)
	}
	if err := s.Navigate(ctx, "http://127.0.0.1/"); err != nil {
		t.Fatal(err)
	}
	el, err := s.Find(ctx, "#state")
	if err != nil || el.ID != "e1" {
		t.Fatalf("%v %+v", err, el)
	}
	if txt, err := el.Text(ctx); err != nil || txt != "已同意" {
		t.Errorf("text %q %v", txt, err)
	}
	if a, err := el.Attribute(ctx, "title"); err != nil || a != "" {
		t.Errorf("attribute %q %v", a, err)
	}
	_, err = s.Find(ctx, "#missing")
	var we *Error
	if !IsNoSuchElement(err) || !errors.As(err, &we) || we.Status != 404 || strings.Contains(err.Error(), "Session info") {
		t.Errorf("missing: %v", err)
	}
	if _, err := s.Find(ctx, "#stale"); !IsStale(err) || IsNoSuchElement(err) {
		t.Errorf("stale: %v", err)
	}
	png, err := s.Screenshot(ctx)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot %q %v", png, err)
	}
	var echoed []int
	if err := s.Execute(ctx, &echoed, "return arguments", 1, 2); err != nil || len(echoed) != 2 || echoed[1] != 2 {
		t.Errorf("execute %v %v", echoed, err)
	}
	if err := el.Click(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /session", "POST /session/s1/url", "POST /session/s1/element", "GET /session/s1/element/e1/text",
		"GET /session/s1/element/e1/attribute/title", "POST /session/s1/element", "POST /session/s1/element", "GET /session/s1/screenshot",
		"POST /session/s1/execute/sync", "POST /session/s1/element/e1/click"}
	if strings.Join(*got, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s", strings.Join(*got, "\n"))
	}
}

func TestWait(t *testing.T) {
	ctx := context.Background()
	n := 0
	if err := Wait(ctx, time.Second, time.Millisecond, func() (bool, error) { n++; return n == 3, nil }); err != nil || n != 3 {
		t.Errorf("%v after %d", err, n)
	}
	err := Wait(ctx, 20*time.Millisecond, time.Millisecond, func() (bool, error) { return false, nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}
	boom := errors.New("boom")
	if err := Wait(ctx, time.Second, time.Millisecond, func() (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("error: %v", err)
	}
	d, _ := fakeDriver(t)
	s := &Session{d: d, ID: "s1"}
	if _, err := s.WaitFind(ctx, "#missing", 30*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFind: %v", err)
	}
}
