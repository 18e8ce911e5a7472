package mytest_test

import (
	"fmt"
	"strings"

	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// Without GOVSHARE_TEST_MYSQL the tests use the local server's database
// test as root; each test gets a database of its own.
func ExampleName() {
	fmt.Println(mytest.DefaultDSN)
	fmt.Println(strings.HasPrefix(mytest.Name(), "govshare_test_"), len(mytest.Name()))
	// Output:
	// root@tcp(127.0.0.1:3306)/test
	// true 30
}
