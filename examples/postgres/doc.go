// Command postgres is the quickstart's flow on PostgreSQL, with two
// replicas of the Service on one database — the way a platform runs once
// it outgrows one machine.
//
// Run it against a local server (the default is the tests' server,
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable; set
// GOVSHARE_POSTGRES to another):
//
//	go run ./examples/postgres
//
// It works in a fresh schema of its own (govshare_example_ and random
// hex), which it drops when it ends, so it leaves the database as it found
// it. With the server down it exits 1 saying how to start one.
//
//  1. Connect and migrate: a pgxpool, postgres.New with the schema, and
//     Migrate (idempotent; replicas may run it at once).
//  2. The catalog on PostgreSQL: an entry put and published (R5–R7).
//  3. Replica A and replica B: each a Service on its own pool, both on the
//     same request store and audit log; B follows the change feed
//     (Service.Follow: LISTEN/NOTIFY, and a read of the change sequence at
//     its poll interval so that a lost notification cannot mean a missed
//     revoke).
//  4. An application run to an active grant on A (create, submit,
//     endorse, agree, provide); B allows the data gateway's access; A
//     revokes it; B denies.
//  5. An application nobody answers: both replicas sweep at once and the
//     overdue fact is emitted once.
//  6. The audit log: one chain written by both replicas, verified.
//
// Every date comes from a fixed clock, so the output is the same at every
// run; the replicas' propagation takes milliseconds and is not printed.
package main
