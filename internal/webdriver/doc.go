// Package webdriver is a small client of the W3C WebDriver protocol (JSON
// over HTTP) for the tests that drive a real browser, written with the
// standard library only: it starts chromedriver on a free loopback port,
// opens a session of headless Chromium, and navigates, finds elements,
// clicks, types, runs scripts, waits with a bound and takes screenshots.
//
// It is a test helper, internal to govshare: the console's end-to-end
// test (cmd/govshare) uses it. Every call takes a context, and every wait
// has a timeout; Stop kills the driver process it started.
package webdriver
