package main

import (
	"net/http"
	"strings"

	"github.com/govshare/govshare/httpapi/console"
)

// consoleConfig is what serve tells the console: with --demo, the demo
// actor picker (the public demo tokens, in the order serve prints them);
// otherwise the token field, for the tokens of --tokens. The console
// authenticates no one either way: the token is checked by serve's
// ActorFunc, as every API request's.
func consoleConfig(demo bool) console.Config {
	if !demo {
		return console.Config{Token: true}
	}
	cfg := console.Config{}
	for _, tok := range demoTokenOrder {
		cfg.Demo = append(cfg.Demo, console.DemoActor{Token: tok, Actor: demoTokens[tok]})
	}
	return cfg
}

// consoleHeaders sets the console's security headers on every answer
// outside /v1/ (the page and its files): its content security policy,
// which the page also carries, and no framing, which only a header can
// forbid.
func consoleHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1" && !strings.HasPrefix(r.URL.Path, "/v1/") {
			h := w.Header()
			h.Set("Content-Security-Policy", console.CSP)
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
		}
		next.ServeHTTP(w, r)
	})
}
