// Command govshare is the command line of govshare: working-day deadlines,
// holiday schedules, catalog files, audit logs and the HTTP API.
//
//	go install github.com/govshare/govshare/cmd/govshare@latest
//
// It never touches the network (serve only listens on the address it is
// given), and every help text (-h) is in Chinese and English.
//
//	govshare deadline --received 2025-09-30T15:00:00+08:00 --days 10 [--extend N]
//	                  [--close-of-business 17:30] [--schedule FILE]... [--explain] [--json]
//	govshare calendar check FILE...
//	govshare calendar convert --from holiday-cn FILE > 2027.json
//	govshare calendar show YEAR [--month M]
//	govshare catalog lint FILE [--lang zh|en|both] [--json] [--policy national|none|FILE]
//	govshare catalog template > 目录模板.xlsx
//	govshare catalog convert IN OUT [--force]
//	govshare audit verify FILE [--key-file K] [--public-key P]
//	govshare audit show FILE [--from N] [--to M] [--json]
//	govshare audit prove FILE --seq N [--to M] > bundle.json
//	govshare audit check BUNDLE --public-key P [--key-file K]
//	govshare serve [--addr 127.0.0.1:8080] [--demo] [--tokens FILE] [--catalog FILE]
//	               [--authorities FILE] [--static DIR | --no-console] [--sweep 1m]
//	               [--postgres DSN [--postgres-schema NAME]]
//
// deadline prints the last day (2025-10-21) on its first line and the
// instant the period ends on its second; --explain adds the day-by-day
// reasons, --json prints one object (httpapi.Deadline: last_day, due,
// days — every day from the receipt to the last day with its reason — and
// both explanations). --schedule adds years from a file in govshare's
// format or holiday-cn's, whichever it is; a file for a year the embedded
// calendar has replaces it, and the command says so on standard error.
//
// calendar check runs the loaders' checks, completeness included
// (deadline.CheckSchedule: every festival of 《全国年节及纪念日放假办法》 with
// its statutory days off), and names a missing festival. calendar convert
// writes holiday-cn's format as govshare's, after reading its own output
// back. calendar show draws month grids, Monday first, with 休 for the days
// off and 班 for the 调休 working days, each month's holidays by name and
// the notices they come from.
//
// catalog lint reads an XLSX, CSV or JSON catalog with the national
// grading profile (classify.NationalDefault) unless --policy says
// otherwise, and prints each finding with its sheet, row and column, code,
// message and citation (--json: httpapi.Lint). catalog convert refuses a
// file with errors unless --force, since a value the importer could not
// read would be lost, and writes its output whole or not at all.
//
// audit verify opens a log file read-only and checks every record, the
// hash chain (HMACs with --key-file) and every checkpoint's signature
// (--public-key); on a problem it names the first bad sequence number and
// its kind. audit prove exports an audit.Bundle against the newest
// checkpoint in the file that covers the records; audit check verifies one
// offline with the public key the supervisor trusts. A key file holds the
// key as hexadecimal text (64 digits for 32 bytes) or, failing that, as raw
// bytes; a public key is given as "sm2:…" or "ed25519:…" or as a file
// holding that text.
//
// serve runs the HTTP API (package httpapi) over in-memory stores, with
// bearer tokens from --tokens (govshare authenticates no one: the command
// stands in for a host here). --demo loads the quickstart's departments,
// catalog and applications and public demo tokens, on loopback addresses
// only. The web console (package httpapi/console, docs/console.md) is
// served at /: with --demo it offers a labelled picker of the demo actors,
// otherwise a field for a token; neither authenticates anyone. --static
// serves a directory outside /v1/ instead, --no-console the API alone.
// --postgres keeps the catalog, the applications and the audit log "main"
// in PostgreSQL (package store/postgres): it migrates the schema at start
// and follows the changes other replicas commit (Service.Follow), so
// several serve processes can share one database.
//
// # Exit codes
//
//	0  done; a check found nothing wrong
//	1  a check found problems: lint errors, an incomplete or invalid
//	   schedule, an audit log or bundle that fails verification (with the
//	   first bad sequence number and its kind), a record no checkpoint covers
//	2  a usage error: a bad flag or argument, a file that cannot be read,
//	   a key or public key the check needs, an address serve cannot listen on
//	3  a year without an official holiday schedule: a deadline or a month
//	   that reaches it, or a holiday-cn file marking a year not announced yet
//
// With several files (calendar check), the most serious code wins: 2, then
// 1, then 3.
package main
