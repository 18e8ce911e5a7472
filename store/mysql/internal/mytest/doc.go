// Package mytest gives the tests of store/mysql a real server: a pool on
// the server GOVSHARE_TEST_MYSQL names (DefaultDSN without it), and a
// fresh database per test, migrated, dropped with everything in it when
// the test ends.
//
// With the environment variable CI set, a server that cannot be reached
// fails the test; without it the test is skipped with a message saying
// how to start one.
//
// A test of store/mysql starts with
//
//	db := mytest.New(t)                                   // a fresh database, migrated
//	pool := mytest.Open(t, mytest.DSN())                   // another pool: a replica
//	other, _ := mysql.New(pool, mysql.WithDatabase(db.Database()))
//
// Tests inside package mysql cannot import mytest (it imports mysql):
// they live in package mysql_test.
package mytest
