package requesttest_test

import (
	"testing"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
)

// The memory store passes the kit; its log shares no transaction with it.
func TestMemoryStore(t *testing.T) {
	requesttest.Run(t, func(t *testing.T) (request.Store, audit.Log) {
		log, err := audit.NewMemory()
		if err != nil {
			t.Fatal(err)
		}
		return request.NewMemoryStore(), log
	}, requesttest.LogOutsideStore())
}
