// Package kinded makes the finer sentinel errors of govshare's packages
// (deadline.ErrUnknownYear, catalog.ErrStatus, …): an error that keeps the
// package's own text and matches one root kind of error (govshare.ErrInvalid,
// …) with errors.Is, so that both
//
//	errors.Is(err, deadline.ErrUnknownYear)
//	errors.Is(err, govshare.ErrUnavailable)
//
// hold for every error that wraps it. fmt.Errorf("…: %w", kind) would do the
// same but append the kind's text to every message.
package kinded
