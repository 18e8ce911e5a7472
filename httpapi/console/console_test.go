package console

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/govshare/govshare"
)

func TestFS(t *testing.T) {
	fsys, err := FS(Config{Token: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	data, err := fs.ReadFile(fsys, "config.json")
	if err != nil || string(data) != `{"token":true}` {
		t.Errorf("config.json %q %v", data, err)
	}
	if _, err := fsys.Open("../console.go"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("escaping path: %v", err)
	}
	if _, err := fsys.Open("nope.js"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestFSRefusesBadDemo(t *testing.T) {
	for _, d := range []DemoActor{
		{Actor: govshare.Actor{ID: "wang", Role: govshare.Clerk}},
		{Token: "demo-x", Actor: govshare.Actor{Role: govshare.Clerk}},
		{Token: "demo-x", Actor: govshare.Actor{ID: "x"}},
	} {
		if _, err := FS(Config{Demo: []DemoActor{d}}); !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("%+v: %v", d, err)
		}
		if _, err := Handler(Config{Demo: []DemoActor{d}}); !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("Handler %+v: %v", d, err)
		}
	}
}

// The page loads nothing from elsewhere: no absolute URL in its files, the
// CSP in the page as in the header, the scripts and styles its own.
func TestNoOutsideReferences(t *testing.T) {
	h, err := Handler(Config{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (*http.Response, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(w.Result().Body)
		return w.Result(), string(body)
	}
	resp, page := get("/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != CSP {
		t.Fatalf("index: %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	if !strings.Contains(page, `<script src="app.js" defer></script>`) || !strings.Contains(page, "script-src 'self'") {
		t.Error("index.html does not load its own script under its CSP")
	}
	abs := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)
	for _, name := range []string{"/", "/app.js", "/app.css"} {
		_, body := get(name)
		if m := abs.FindString(body); m != "" {
			t.Errorf("%s refers outside: %s", name, m)
		}
		// The one URL of the script is the SVG namespace, which is no fetch.
		body = strings.ReplaceAll(body, "'http://www.w3.org/2000/svg'", "")
		for _, s := range []string{"http://", "https://", "@import", "innerHTML", "eval("} {
			if strings.Contains(body, s) {
				t.Errorf("%s contains %q", name, s)
			}
		}
	}
	if resp, _ := get("/app.js"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("app.js served as %q", resp.Header.Get("Content-Type"))
	}
}
