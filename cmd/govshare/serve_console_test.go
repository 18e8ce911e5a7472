package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/httpapi/console"
	"github.com/govshare/govshare/internal/webdriver"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "copy the console test's screenshots to docs/ (or set GOVSHARE_UPDATE_SCREENSHOTS=1)")

// testClock is the server's clock in the browser test: the demo's days,
// moved on by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func cstAt(m time.Month, d, h, min int) time.Time {
	return time.Date(2026, m, d, h, min, 0, 0, deadline.CST)
}

// browser finds Debian's Chromium and its driver. Without them the test
// fails under CI and is skipped otherwise.
func browser(t *testing.T) (chromium, driver string) {
	chromium = webdriver.Find("chromium", "chromium-browser")
	driver = webdriver.Find("chromedriver")
	if driver == "" {
		if _, err := os.Stat("/usr/bin/chromedriver"); err == nil {
			driver = "/usr/bin/chromedriver"
		}
	}
	if chromium == "" || driver == "" {
		msg := "the console's browser test needs Chromium and chromedriver: apt-get install -y chromium chromium-driver"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return chromium, driver
}

// page drives one browser session against the test server.
type page struct {
	t    *testing.T
	ctx  context.Context
	s    *webdriver.Session
	base string
	dir  string // where screenshots go
	shot []string
}

const wait = 20 * time.Second

func (p *page) fatal(format string, args ...any) {
	p.t.Helper()
	if png, err := p.s.Screenshot(p.ctx); err == nil {
		name := filepath.Join(os.TempDir(), "govshare-console-failure.png")
		_ = os.WriteFile(name, png, 0o644)
		p.t.Logf("screenshot of the failure: %s", name)
	}
	var text string
	_ = p.s.Execute(p.ctx, &text, "return document.getElementById('main').innerText")
	p.t.Fatalf(format+"\npage text:\n%s", append(args, text)...)
}

// open loads the page at the view and waits for it to be drawn.
func (p *page) open(hash string) {
	p.t.Helper()
	if err := p.s.Navigate(p.ctx, p.base+"/"+hash); err != nil {
		p.fatal("open %s: %v", hash, err)
	}
	p.find("body[data-renders]")
}

func (p *page) find(css string) *webdriver.Element {
	p.t.Helper()
	el, err := p.s.WaitFind(p.ctx, css, wait)
	if err != nil {
		p.fatal("%v", err)
	}
	return el
}

// on finds the element and calls fn with it, finding it again if the
// page redrew it between the finding and the call.
func (p *page) on(css string, fn func(*webdriver.Element) error) error {
	p.t.Helper()
	return webdriver.Wait(p.ctx, wait, 50*time.Millisecond, func() (bool, error) {
		err := fn(p.find(css))
		if webdriver.IsStale(err) {
			return false, nil
		}
		return err == nil, err
	})
}

func (p *page) click(css string) {
	p.t.Helper()
	if err := p.on(css, func(el *webdriver.Element) error { return el.Click(p.ctx) }); err != nil {
		p.fatal("click %s: %v", css, err)
	}
}

// renders is how many times the page has drawn a view.
func (p *page) renders() string {
	p.t.Helper()
	var n string
	if err := p.s.Execute(p.ctx, &n, "return document.body.dataset.renders || ''"); err != nil {
		p.fatal("renders: %v", err)
	}
	return n
}

func (p *page) typeIn(css, text string) {
	p.t.Helper()
	el := p.find(css)
	if err := el.Clear(p.ctx); err != nil {
		p.fatal("clear %s: %v", css, err)
	}
	if err := el.SendKeys(p.ctx, text); err != nil {
		p.fatal("type into %s: %v", css, err)
	}
}

func (p *page) text(css string) string {
	p.t.Helper()
	var s string
	if err := p.on(css, func(el *webdriver.Element) (err error) { s, err = el.Text(p.ctx); return err }); err != nil {
		p.fatal("text of %s: %v", css, err)
	}
	return s
}

func (p *page) attr(css, name string) string {
	p.t.Helper()
	var s string
	if err := p.on(css, func(el *webdriver.Element) (err error) { s, err = el.Attribute(p.ctx, name); return err }); err != nil {
		p.fatal("%s of %s: %v", name, css, err)
	}
	return s
}

// act picks the demo actor (the page's picker, as a person would).
// It waits for the view to be drawn again for the new actor.
func (p *page) act(token string) {
	p.t.Helper()
	before := p.renders()
	p.click("#actor option[value='" + token + "']")
	if err := webdriver.Wait(p.ctx, wait, 50*time.Millisecond, func() (bool, error) {
		var v string
		err := p.s.Execute(p.ctx, &v, "return document.getElementById('actor').value")
		return v == token && p.renders() != before, err
	}); err != nil {
		p.fatal("acting as %s: %v", token, err)
	}
}

// command issues a command from the application page's form and waits
// for the state it leads to.
func (p *page) command(cmd, state string) {
	p.t.Helper()
	p.click("#cmd option[value='" + cmd + "']")
	p.click("#cmd-send")
	p.find("#app-state[data-state='" + state + "']")
	p.find("#cmd-done")
}

// screenshot saves a PNG of the whole page (the window made as tall as
// the document) under the test's directory.
func (p *page) screenshot(name string) {
	p.t.Helper()
	var h int
	if err := p.s.Execute(p.ctx, &h, "return Math.ceil(document.documentElement.scrollHeight)"); err != nil {
		p.fatal("page height: %v", err)
	}
	h = min(max(h, 600), 4000)
	if err := p.s.SetWindowSize(p.ctx, 1280, h); err != nil {
		p.fatal("resize: %v", err)
	}
	// The window's frame takes some of its height: make the viewport itself
	// as tall as the page.
	var inner int
	if err := p.s.Execute(p.ctx, &inner, "return window.innerHeight"); err != nil {
		p.fatal("viewport height: %v", err)
	}
	if inner < h {
		if err := p.s.SetWindowSize(p.ctx, 1280, h+(h-inner)); err != nil {
			p.fatal("resize: %v", err)
		}
	}
	png, err := p.s.Screenshot(p.ctx)
	if err != nil {
		p.fatal("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10_000 {
		p.fatal("screenshot %s: %d bytes, not a page", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(p.dir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.shot = append(p.shot, name)
	if err := p.s.SetWindowSize(p.ctx, 1280, 900); err != nil {
		p.fatal("resize: %v", err)
	}
}

// TestConsoleInBrowser runs govshare serve --demo's handler on 127.0.0.1
// and drives Debian's Chromium through the console: a clerk files an
// application, the heads endorse and answer it, it shows on the calendar
// with its deadline and in the supervision report, its audit records are
// proved once a supervisor takes a checkpoint, and a catalog file's
// findings show at their cells. It takes the screenshots in docs/
// (go test ./cmd/govshare -run TestConsoleInBrowser -update-screenshots
// copies them there).
func TestConsoleInBrowser(t *testing.T) {
	chromium, driverBin := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	clk := &testClock{t: cstAt(10, 27, 9, 30)}
	var serverLog bytes.Buffer
	s, err := newServer(ctx, serveFlags{demo: true, addr: "127.0.0.1:0"}, env{stdout: io.Discard, stderr: &serverLog}, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler)
	defer srv.Close()

	var driverLog bytes.Buffer
	d, err := webdriver.Start(ctx, driverBin, &driverLog, 30*time.Second)
	if err != nil {
		t.Fatalf("chromedriver: %v\n%s", err, driverLog.String())
	}
	defer d.Stop()
	sess, err := d.NewSession(ctx, webdriver.ChromeCapabilities(chromium, t.TempDir(), "--window-size=1280,900"))
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, driverLog.String())
	}
	defer func() { _ = sess.Delete(context.Background()) }()
	p := &page{t: t, ctx: ctx, s: sess, base: srv.URL, dir: t.TempDir()}

	// The list: the demo's applications, SQ-003 unanswered past its day.
	p.open("#/apps")
	if got := p.text("#apps tr[data-id='SQ-003'] td.flags"); !strings.Contains(got, "待答复") || !strings.Contains(got, "已超期") {
		p.fatal("SQ-003's flags: %q", got)
	}
	if got := p.text("#apps tr[data-id='SQ-002'] td.flags"); !strings.Contains(got, "按期答复") || strings.Contains(got, "已超期") {
		p.fatal("SQ-002's flags: %q", got)
	}
	if got := p.text("#banner"); !strings.Contains(got, "演示模式") || !strings.Contains(got, "不认证任何人") {
		p.fatal("banner: %q", got)
	}
	p.screenshot("console-applications.png")

	// 王经办 files an application for the police's household data.
	p.act("demo-wang")
	p.open("#/new")
	p.click("#f-entry option[value='101001/000001']")
	p.find("#f-item-2")
	p.click("#f-item-2") // not the address
	p.typeIn("#f-basis", "《社会救助暂行办法》第十一条")
	p.typeIn("#f-scenario", "特困人员救助供养审核")
	p.typeIn("#f-users", "社会救助科审核人员")
	p.click("#new-save")
	p.find("#app-state[data-state='draft']")
	id := strings.TrimSpace(strings.SplitN(p.text("#app-title"), "·", 2)[0])
	if !strings.HasPrefix(id, "SQ-20261027-") {
		p.fatal("new application's id %q", id)
	}
	p.command("submit", "pending_approval")

	// A refused command shows the server's message and changes nothing.
	p.click("#cmd option[value='endorse']")
	p.click("#cmd-send")
	if got := p.attr("#cmd-result .err", "data-code"); got != "request.forbidden" {
		p.fatal("endorse by a clerk: %q", got)
	}
	p.act("demo-li")
	p.find("#app-state[data-state='pending_approval']")
	p.command("endorse", "under_review")

	// The calendar: received on the 27th, ten working days to 10 November.
	p.find("#months td.received[data-date='2026-10-27']")
	last := p.attr("#months td.last", "data-date")
	if last != "2026-11-10" || p.text("#last-day") != "2026-11-10" {
		p.fatal("last day %q", last)
	}
	if p.attr("#months td[data-date='2026-10-01']", "data-kind") != "holiday" {
		p.fatal("1 October is not marked a holiday")
	}
	if n := p.count("#explain li"); n < 10 {
		p.fatal("explanation has %d days", n)
	}

	// 陈负责人 of the police answers two days later: agreed, on conditions.
	clk.set(cstAt(10, 29, 10, 0))
	p.act("demo-chen")
	p.find("#app-state[data-state='under_review']")
	p.click("#cmd option[value='agree']")
	p.typeIn("#f-conditions", "仅限办理社会救助审核使用")
	p.click("#cmd-send")
	p.find("#app-state[data-state='approved']")
	if got := p.text("#app-title"); !strings.Contains(got, "按期答复") {
		p.fatal("after the answer: %q", got)
	}
	if got := p.attr("#verification .badge", "data-status"); got != "unverified" {
		p.fatal("before a checkpoint: %q", got)
	}

	// 孙处长 (the competent department) takes a checkpoint: every record of
	// the application is proved against it.
	p.act("demo-sun")
	p.find("#app-state[data-state='approved']")
	p.click("#take-checkpoint")
	p.find("#verification .badge[data-status='verified']")
	if n, m := p.count("#timeline-table tbody tr"), p.count("#timeline-table .badge.proved"); n < 5 || n != m {
		p.fatal("timeline: %d records, %d proved", n, m)
	}
	p.screenshot("console-application.png")

	// SQ-002 across 国庆 2026: holidays and 调休 working days on the calendar.
	p.open("#/app/SQ-002")
	p.find("#months td.holiday[data-date='2026-10-07']")
	p.find("#months td.holiday[data-date='2026-09-25']")
	p.find("#months td.makeup_workday[data-date='2026-10-10']")
	p.find("#months td.ext")
	p.screenshot("console-deadline.png")

	// The report counts the answer on time for the police.
	p.open("#/report?from=2026-01-01&to=2026-11-01")
	police := "#report-chart rect[data-dept='某市公安局']"
	if got := p.attr(police+"[data-part='on_time']", "data-value"); got != "2" {
		p.fatal("police on time: %q", got)
	}
	if got := p.attr(police+"[data-part='overdue']", "data-value"); got != "1" {
		p.fatal("police overdue: %q", got)
	}
	p.screenshot("console-report.png")

	// The state diagram from the table.
	p.open("#/states")
	p.find("#state-diagram g[data-state='under_review']")
	if n := p.count("#transitions tbody tr"); n < 20 {
		p.fatal("%d transitions", n)
	}
	p.labelsLegible()
	p.screenshot("console-states.png")

	// A catalog file with an error: the finding at its cell.
	dir := t.TempDir()
	bad := demoEntries()
	bad[0].Conditions = ""
	var csv bytes.Buffer
	if err := catalog.ExportCSV(&csv, bad); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "目录.csv")
	if err := os.WriteFile(file, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.open("#/catalog")
	if err := p.find("#lint-file").SendKeys(ctx, file); err != nil {
		p.fatal("choose file: %v", err)
	}
	p.click("#lint-send")
	if got := p.attr("#lint-summary", "data-errors"); got != "1" {
		p.fatal("lint errors: %q", got)
	}
	p.find("#lint-findings tr[data-code='catalog.conditions_missing']")
	cell := p.attr("table.cells td.cell-error", "data-cell")
	if !strings.HasSuffix(cell, "2") {
		p.fatal("the error is at %q, want row 2", cell)
	}
	p.screenshot("console-catalog.png")

	// The same entries as a workbook: the finding in the 目录 sheet's grid.
	var xlsx bytes.Buffer
	if err := catalog.ExportXLSX(&xlsx, bad); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "目录.xlsx")
	if err := os.WriteFile(book, xlsx.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.open("#/catalog")
	if err := p.find("#lint-file").SendKeys(ctx, book); err != nil {
		p.fatal("choose file: %v", err)
	}
	p.click("#lint-send")
	p.find("#lint-summary")
	if got := p.attr("table.cells[data-sheet='目录'] td.cell-error", "data-cell"); got != cell {
		p.fatal("workbook finding at %q, CSV at %q", got, cell)
	}

	// English.
	p.click("#lang")
	if got := p.text("#nav-apps"); got != "Applications" {
		p.fatal("nav in English: %q", got)
	}
	p.open("#/app/SQ-002")
	if got := p.text("#app-state"); got != "active" {
		p.fatal("state in English: %q", got)
	}
	if got := p.text("#explain li:last-child"); !strings.Contains(got, "working day") {
		p.fatal("explanation in English: %q", got)
	}
	p.screenshot("console-deadline-en.png")
	p.open("#/states")
	p.find("#state-diagram g[data-state='under_review']")
	p.labelsLegible() // the English labels are longer

	// Nothing was fetched from anywhere but the test server.
	var urls []string
	if err := sess.Execute(ctx, &urls, "return performance.getEntriesByType('resource').map(e => e.name)"); err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the console fetched %s", u)
		}
	}
	if strings.Contains(serverLog.String(), "level=ERROR") {
		t.Errorf("server log:\n%s", serverLog.String())
	}
	copyScreenshots(t, p)
}

// labelsLegible checks the state diagram on the page: as the browser lays
// it out, no arrow's label overlaps another label or a state's box.
func (p *page) labelsLegible() {
	p.t.Helper()
	var clash string
	if err := p.s.Execute(p.ctx, &clash, `
		const boxes = [...document.querySelectorAll('#state-diagram .edge-label')].map((g) => ({ what: g.textContent, r: g.getBoundingClientRect() }))
			.concat([...document.querySelectorAll('#state-diagram g[data-state] rect')].map((r) => ({ what: r.parentNode.dataset.state, r: r.getBoundingClientRect() })));
		for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
			const a = boxes[i].r, b = boxes[j].r;
			if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) return boxes[i].what + ' / ' + boxes[j].what;
		}
		return document.querySelectorAll('#state-diagram .edge-label').length ? '' : 'no labels';`); err != nil {
		p.fatal("label layout: %v", err)
	}
	if clash != "" {
		p.fatal("the state diagram's labels overlap: %s", clash)
	}
}

func (p *page) count(css string) int {
	p.t.Helper()
	var n int
	if err := p.s.Execute(p.ctx, &n, "return document.querySelectorAll(arguments[0]).length", css); err != nil {
		p.fatal("count %s: %v", css, err)
	}
	return n
}

// copyScreenshots copies the run's screenshots to docs/ when asked.
func copyScreenshots(t *testing.T, p *page) {
	if !*updateScreenshots && os.Getenv("GOVSHARE_UPDATE_SCREENSHOTS") == "" {
		t.Logf("screenshots in %s (-update-screenshots copies them to docs/)", p.dir)
		return
	}
	for _, name := range p.shot {
		data, err := os.ReadFile(filepath.Join(p.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "wrote docs/%s (%d bytes)\n", name, len(data))
	}
}

// Without --demo the console offers the token field and no picker;
// --no-console serves the API alone; --static and --no-console exclude
// each other.
func TestServeConsoleConfig(t *testing.T) {
	ctx := context.Background()
	var hdr http.Header
	get := func(f serveFlags, path string) (int, string) {
		t.Helper()
		s, err := newServer(ctx, f, env{stdout: io.Discard, stderr: io.Discard}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		hdr = w.Header()
		return w.Code, w.Body.String()
	}
	if code, body := get(serveFlags{}, "/config.json"); code != 200 || body != `{"token":true}` {
		t.Errorf("without --demo: %d %s", code, body)
	}
	if code, body := get(serveFlags{demo: true}, "/config.json"); code != 200 || !strings.Contains(body, `"token":"demo-sun"`) || strings.Contains(body, `"token":true`) {
		t.Errorf("with --demo: %d %s", code, body)
	}
	if code, body := get(serveFlags{}, "/"); code != 200 || !strings.Contains(body, "app.js") ||
		hdr.Get("Content-Security-Policy") != console.CSP || hdr.Get("X-Frame-Options") != "DENY" {
		t.Errorf("console: %d %v", code, hdr)
	}
	if get(serveFlags{}, "/v1/openapi.yaml"); hdr.Get("Content-Security-Policy") != "" {
		t.Errorf("the API got the page's headers: %v", hdr)
	}
	if code, _ := get(serveFlags{noConsole: true}, "/"); code != 404 {
		t.Errorf("--no-console: %d", code)
	}
	if code, _ := get(serveFlags{noConsole: true}, "/v1/openapi.yaml"); code != 200 {
		t.Errorf("--no-console API: %d", code)
	}
	cli(t, "serve", "--no-console", "--static", t.TempDir()).want(t, 2, "--no-console")
}
