package requesttest_test

import (
	"fmt"

	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
)

// Canonical is how the kit compares two stores' copies of an application:
// the same instant in another zone is the same application.
func ExampleCanonical() {
	a := request.Application{ID: "SQ-1", Version: 1}
	b := a
	fmt.Println(requesttest.Canonical(a) == requesttest.Canonical(b))
	// Output: true
}
