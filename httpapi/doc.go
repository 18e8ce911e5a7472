// Package httpapi is the HTTP API of govshare: net/http handlers (Go 1.22
// patterns, no framework) over a host's request.Service, its application
// store, its catalog and its audit log. The host mounts one Handler and
// tells it who acts; govshare authenticates no one.
//
//	svc, _ := request.NewService(ctx, apps, entries, log, authorities)
//	api, err := httpapi.New(svc, apps, entries, log, func(r *http.Request) (govshare.Actor, error) {
//		return sessions.Actor(r) // the host's own authentication
//	})
//	mux.Handle("/", api)
//
// # Routes
//
// The routes are declared once, in routes.go; docs/openapi.yaml (served at
// /v1/openapi.yaml) describes each of them, and a test fails if a route is
// missing from it or it describes one that does not exist.
//
//	POST /v1/applications                 create or renew (the host's numbering, WithIDs) → 201
//	GET  /v1/applications                 list what the actor may read, newest first
//	GET  /v1/applications/{id}            one application
//	POST /v1/applications/{id}/commands   any other command by name (request.DecodeCommand)
//	GET  /v1/applications/{id}/timeline   its audit records
//	GET  /v1/applications/{id}/verification  its records proved against the newest checkpoint
//	GET  /v1/states                       the transition table (request.Table)
//	GET  /v1/deadline                     a deadline with its day-by-day explanation
//	GET  /v1/calendar/{year}/{month}      a month of the calendar, day by day
//	GET  /v1/clock                        the handler's clock (the console's "today")
//	POST /v1/catalog/lint                 lint an uploaded XLSX, CSV or JSON catalog file
//	GET  /v1/catalog/template             the empty workbook departments fill in
//	GET  /v1/catalog/entries              find entries (catalog.Query)
//	GET  /v1/catalog/entries/{id...}      one entry (its 目录代码 contains a slash)
//	POST /v1/gateway/authorize            the gateway's decision, recorded (R16, R19)
//	GET  /v1/gateway/records              a department's recorded accesses (R24)
//	GET  /v1/reports/supervision          the supervision report
//	GET  /v1/audit/checkpoints            the audit log's signed checkpoints
//	POST /v1/audit/checkpoints            take one
//	GET  /v1/audit/records/{seq}/proof    an inclusion-proof bundle (audit.Bundle)
//
// Commands are JSON by name, as request.MarshalCommand writes them; the
// actor is always the one the host authenticated, never a member of the
// body. Each command is stored with its audit record by the Service, and a
// refused command is recorded as a failure event.
//
// # Errors
//
// Every error leaves with the one status of its root kind
// (govshare.HTTPStatus: 400, 403, 404, 409, 413, 422, 503; 405 for a
// method a route lacks) and the body ErrorBody, {code, message_zh,
// message_en, citation}, which is govshare.MessageOf(err). An internal
// error or data failing an integrity check is a 500 whose details go to
// the server's log (WithErrorLog), not to the client.
//
// # Limits and hostile input
//
// Request bodies are bounded (Limits: commands, uploads, the bytes an
// uploaded workbook may inflate to, findings listed, the window a list
// pages through); a JSON body must be declared application/json, which
// also keeps a form on another site from posting commands with a
// browser's cookies. A fuzz test (FuzzHandler, seed corpus in
// testdata/fuzz) sends random bodies, paths and queries to every route and
// checks that no request panics, answers 500 or answers an error without
// its body.
//
// # Reads
//
// The transition table decides who may issue each command, whatever the
// transport. Who may read is the host's to decide: a Policy (WithPolicy),
// by default DefaultPolicy — an application is read by its parties and by
// authorities and systems, who also supervise.
//
// # The console
//
// WithStatic serves files for every GET outside /v1/: the hook the web
// console (package httpapi/console, served by govshare serve) uses. The
// console reads the routes above, and three made for it that any client
// may use: the transition table (/v1/states), a month of the calendar and
// the handler's clock; and it shows each timeline record's verification.
package httpapi
