package pgtest_test

import (
	"fmt"

	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// Without GOVSHARE_TEST_POSTGRES the tests use the local server's
// database test as the postgres user.
func ExampleURL() {
	fmt.Println(pgtest.DefaultURL)
	// Output: postgres://postgres@127.0.0.1:5432/test?sslmode=disable
}
