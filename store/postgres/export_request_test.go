package postgres

import "github.com/govshare/govshare/request"

// Exports of request.go for the external tests and benchmarks.

// AppArgs is appArgs: the arguments of the insert and update statements.
func AppArgs(a request.Application) ([]any, error) { return appArgs(a) }

// RequestSQL returns the store's insert and update statements and the
// one that adds a change ($1 application, $2 version, $3 channel).
func RequestSQL(s *RequestStore) (insert, update, addChange string) {
	return s.insert, s.update, s.addChange
}

// RequestChannel returns the store's notification channel.
func RequestChannel(s *RequestStore) string { return s.channel }
