// Package console is govshare's web console: static HTML, CSS and
// JavaScript embedded in the binary (no CDN, no build step, no network),
// which talks only to the httpapi JSON routes of the same origin. It has a
// clerk's and a supervisor's views: the applications with their due dates
// and pending and overdue flags; one application with its deadline on a
// month calendar (holidays and 调休 working days marked, and the
// deadline's day-by-day explanation), its timeline from the audit log
// with each record's verification against the newest signed checkpoint,
// and the commands its state allows; a new application; the state diagram
// drawn from the transition table; the supervision report with a chart of
// on-time replies per department; and a catalog upload with its lint
// findings shown at their cells. Chinese first, English by the language
// switch.
//
// The console authenticates no one. Every request it sends is
// authenticated by the host's httpapi.ActorFunc, from the host's own
// session cookie, token or certificate. Two helpers exist for the
// command: a demo picker (Config.Demo, govshare serve --demo), which sends
// the public demo token of the actor chosen, and a token field
// (Config.Token, govshare serve --tokens), which sends the token a user
// pastes as "Authorization: Bearer". Both are labelled as such in the page.
//
// A host serves it outside /v1/ with the API:
//
//	fsys, err := console.FS(console.Config{})
//	api, err := httpapi.New(svc, apps, entries, log, actor, httpapi.WithStatic(fsys))
package console
