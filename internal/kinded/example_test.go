package kinded_test

import (
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/kinded"
)

var errInvalid = errors.New("govshare: invalid")

// A package's own sentinel that keeps its text and matches a root kind.
func ExampleNew() {
	errUnknownYear := kinded.New("deadline: no official schedule for the year", errInvalid)
	err := fmt.Errorf("computing a due date: %w", errUnknownYear)
	fmt.Println(err)
	fmt.Println(errors.Is(err, errUnknownYear), errors.Is(err, errInvalid))
	// Output:
	// computing a due date: deadline: no official schedule for the year
	// true true
}
