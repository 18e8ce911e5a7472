package kinded_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
)

func TestNew(t *testing.T) {
	err := kinded.New("deadline: no official holiday schedule for the year", govshare.ErrUnavailable)
	if got := err.Error(); got != "deadline: no official holiday schedule for the year" {
		t.Errorf("Error() = %q, want the sentinel's own text", got)
	}
	wrapped := fmt.Errorf("computing a deadline: %w", err)
	if !errors.Is(wrapped, err) || !errors.Is(wrapped, govshare.ErrUnavailable) {
		t.Errorf("errors.Is fails for the sentinel or its kind: %v", wrapped)
	}
	if errors.Is(wrapped, govshare.ErrInvalid) {
		t.Error("matches a kind it does not wrap")
	}
	if got := govshare.HTTPStatus(wrapped); got != 503 {
		t.Errorf("HTTPStatus = %d, want 503", got)
	}
	if errors.Is(kinded.New("same text", govshare.ErrUnavailable), err) {
		t.Error("two sentinels with the same kind match each other")
	}
}
