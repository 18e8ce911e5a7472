package catalog_test

import (
	"testing"

	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/catalog/catalogtest"
)

// The memory store passes the conformance kit every store runs.
func TestMemoryStoreConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalog.Store {
		s, err := catalog.NewMemoryStore()
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
