// Package pgtest gives the tests of store/postgres a real PostgreSQL
// server: a pool on the server GOVSHARE_TEST_POSTGRES names (DefaultURL
// without it), and a fresh schema per test, migrated, dropped with
// everything in it when the test ends.
//
// With the environment variable CI set, a server that cannot be reached
// fails the test; without it the test is skipped with a message saying
// how to start one.
//
// A test of store/postgres starts with
//
//	db := pgtest.New(t)             // a fresh schema, migrated
//	other := pgtest.Replica(t, db)  // the same schema through another pool
//
// Tests inside package postgres cannot import pgtest (it imports
// postgres): they live in package postgres_test, and reach unexported
// functions through export_test.go.
package pgtest
