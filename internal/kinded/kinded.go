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

// New returns an error whose text is text and which unwraps to kind.
func New(text string, kind error) error { return &sentinel{text: text, kind: kind} }

type sentinel struct {
	text string
	kind error
}

// Error returns the sentinel's own text.
func (e *sentinel) Error() string { return e.text }

// Unwrap returns the kind.
func (e *sentinel) Unwrap() error { return e.kind }
