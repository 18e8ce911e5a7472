package webdriver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ChromeArgs are the Chromium flags of a headless run on a machine with
// no display and no network: no sandbox (containers), no GPU, and none of
// the background traffic a first run starts.
var ChromeArgs = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-quic", "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=zh-CN",
}

// ChromeCapabilities returns the capabilities of a new session of the
// Chromium binary with ChromeArgs, the profile in userDataDir and the
// extra flags.
func ChromeCapabilities(binary, userDataDir string, extra ...string) map[string]any {
	args := append(append([]string(nil), ChromeArgs...), "--user-data-dir="+userDataDir)
	args = append(args, extra...)
	return map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":        "chrome",
		"pageLoadStrategy":   "normal",
		"goog:chromeOptions": map[string]any{"binary": binary, "args": args},
	}}}
}

// Error is an error the driver answered with (W3C "error" and "message").
type Error struct {
	Status  int    // the HTTP status
	Code    string // e.g. "no such element"
	Message string
}

// Error returns the code and the first line of the driver's message.
func (e *Error) Error() string {
	return fmt.Sprintf("webdriver: %s (HTTP %d): %s", e.Code, e.Status, firstLine(e.Message))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// IsNoSuchElement reports whether err is the driver's "no such element".
func IsNoSuchElement(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "no such element"
}

// IsStale reports whether err is the driver's "stale element reference":
// the page replaced the element since it was found.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "stale element reference"
}

// Driver is a running chromedriver.
type Driver struct {
	base   string
	cmd    *exec.Cmd
	client *http.Client
	done   chan struct{}
	once   sync.Once
}

// Start runs the chromedriver binary on a free loopback port, with its log
// written to logw (nil discards it), and waits at most timeout for it to
// be ready.
func Start(ctx context.Context, binary string, logw io.Writer, timeout time.Duration) (*Driver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if logw == nil {
		logw = io.Discard
	}
	cmd := exec.Command(binary, "--port="+strconv.Itoa(port), "--allowed-ips=127.0.0.1")
	cmd.Stdout, cmd.Stderr = logw, logw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &Driver{base: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd,
		client: &http.Client{Timeout: 2 * time.Minute}, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(d.done) }()
	err = Wait(ctx, timeout, 50*time.Millisecond, func() (bool, error) {
		select {
		case <-d.done:
			return false, errors.New("webdriver: chromedriver exited before it was ready")
		default:
		}
		var st struct {
			Ready bool `json:"ready"`
		}
		if err := d.call(ctx, http.MethodGet, "/status", nil, &st); err != nil {
			return false, nil // not listening yet
		}
		return st.Ready, nil
	})
	if err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

// Stop kills the driver process (and so the browsers it started, which
// it ends with it) and waits for it to exit, at most 10 seconds.
func (d *Driver) Stop() {
	d.once.Do(func() {
		_ = d.cmd.Process.Kill()
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
		}
	})
}

// call sends one command and decodes its "value" into out (if not nil).
func (d *Driver) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("webdriver: %s %s: HTTP %d, not JSON: %.200s", method, path, resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(env.Value, &e)
		return &Error{Status: resp.StatusCode, Code: e.Error, Message: e.Message}
	}
	if out != nil {
		return json.Unmarshal(env.Value, out)
	}
	return nil
}

// Session is one browser session.
type Session struct {
	d  *Driver
	ID string // the driver's session id
}

// NewSession opens a browser with the capabilities (see
// ChromeCapabilities).
func (d *Driver) NewSession(ctx context.Context, caps map[string]any) (*Session, error) {
	var v struct {
		SessionID string `json:"sessionId"`
	}
	if err := d.call(ctx, http.MethodPost, "/session", caps, &v); err != nil {
		return nil, err
	}
	if v.SessionID == "" {
		return nil, errors.New("webdriver: the driver gave no session id")
	}
	return &Session{d: d, ID: v.SessionID}, nil
}

func (s *Session) call(ctx context.Context, method, path string, body, out any) error {
	return s.d.call(ctx, method, "/session/"+s.ID+path, body, out)
}

// Delete ends the session and closes its browser.
func (s *Session) Delete(ctx context.Context) error {
	return s.d.call(ctx, http.MethodDelete, "/session/"+s.ID, nil, nil)
}

// SetWindowSize sets the window's outer size in CSS pixels.
func (s *Session) SetWindowSize(ctx context.Context, width, height int) error {
	return s.call(ctx, http.MethodPost, "/window/rect", map[string]int{"width": width, "height": height}, nil)
}

// Navigate loads url and waits for the page to load.
func (s *Session) Navigate(ctx context.Context, url string) error {
	return s.call(ctx, http.MethodPost, "/url", map[string]string{"url": url}, nil)
}

// Execute runs script (a function body; its arguments are arguments[i])
// synchronously in the page and decodes its result into out (if not nil).
func (s *Session) Execute(ctx context.Context, out any, script string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	return s.call(ctx, http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args}, out)
}

// Screenshot returns a PNG of the viewport.
func (s *Session) Screenshot(ctx context.Context) ([]byte, error) {
	var b64 string
	if err := s.call(ctx, http.MethodGet, "/screenshot", nil, &b64); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(b64)
}

// Element is an element of the page.
type Element struct {
	s  *Session
	ID string // the W3C web element reference
}

// elementKey is the W3C web element identifier.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Find returns the first element matching the CSS selector, or an error
// for which IsNoSuchElement holds.
func (s *Session) Find(ctx context.Context, css string) (*Element, error) {
	var v map[string]string
	if err := s.call(ctx, http.MethodPost, "/element", map[string]string{"using": "css selector", "value": css}, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", css, err)
	}
	return &Element{s: s, ID: v[elementKey]}, nil
}

// WaitFind waits at most timeout for an element matching css to exist.
func (s *Session) WaitFind(ctx context.Context, css string, timeout time.Duration) (*Element, error) {
	var el *Element
	err := Wait(ctx, timeout, 50*time.Millisecond, func() (bool, error) {
		var err error
		el, err = s.Find(ctx, css)
		if IsNoSuchElement(err) {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return nil, fmt.Errorf("waiting for %s: %w", css, err)
	}
	return el, nil
}

func (e *Element) call(ctx context.Context, method, path string, body, out any) error {
	return e.s.call(ctx, method, "/element/"+e.ID+path, body, out)
}

// Click clicks the element.
func (e *Element) Click(ctx context.Context) error {
	return e.call(ctx, http.MethodPost, "/click", map[string]any{}, nil)
}

// Clear empties an input or a text area.
func (e *Element) Clear(ctx context.Context) error {
	return e.call(ctx, http.MethodPost, "/clear", map[string]any{}, nil)
}

// SendKeys types text into the element (for a file input, a file path).
func (e *Element) SendKeys(ctx context.Context, text string) error {
	return e.call(ctx, http.MethodPost, "/value", map[string]string{"text": text}, nil)
}

// Text returns the element's rendered text.
func (e *Element) Text(ctx context.Context) (string, error) {
	var s string
	err := e.call(ctx, http.MethodGet, "/text", nil, &s)
	return s, err
}

// Attribute returns the element's attribute, "" when it has none.
func (e *Element) Attribute(ctx context.Context, name string) (string, error) {
	var s *string
	if err := e.call(ctx, http.MethodGet, "/attribute/"+name, nil, &s); err != nil {
		return "", err
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// Wait calls cond every interval until it reports true or an error, ctx
// ends, or timeout passes (an error saying so).
func Wait(ctx context.Context, timeout, interval time.Duration, cond func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("webdriver: gave up after %s: %w", timeout, ctx.Err())
		case <-t.C:
		}
	}
}

// Find locates a binary: the first of names found on PATH, or "".
func Find(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}
