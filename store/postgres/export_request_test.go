package postgres

import "github.com/govshare/govshare/request"

// Exports of request.go for the external tests and benchmarks.

// AppArgs is appArgs: the arguments of the insert and update statements.
func AppArgs(a request.Application) ([]any, error) { return appArgs(a) }

// RequestSQL returns the store's insert and update statements.
func RequestSQL(s *RequestStore) (insert, update string) { return s.insert, s.update }

// RequestChannel returns the store's notification channel.
func RequestChannel(s *RequestStore) string { return s.channel }
