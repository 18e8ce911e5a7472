package errkind_test

import (
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/errkind"
)

// A kind carries its code, messages and HTTP status; an error wrapping it
// matches it with errors.Is.
func ExampleKind() {
	err := fmt.Errorf("application %q: %w", "SQ-1", errkind.NotFound)
	fmt.Println(errors.Is(err, errkind.NotFound), errkind.NotFound.Code(), errkind.NotFound.Zh(), errkind.NotFound.Status())
	// Output: true not_found 未找到 404
}
