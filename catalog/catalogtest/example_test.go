package catalogtest_test

import (
	"testing"

	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/catalog/catalogtest"
)

// A store's conformance test is one call; here the memory store's own.
func ExampleRun() {
	// In a _test.go file of the store's package:
	_ = func(t *testing.T) {
		catalogtest.Run(t, func(t *testing.T) catalog.Store {
			s, err := catalog.NewMemoryStore()
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	}
}
