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
