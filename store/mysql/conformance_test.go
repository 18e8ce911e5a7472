package mysql_test

import (
	"testing"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/catalog/catalogtest"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

func TestAuditLogConformance(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Log {
		return keyedLog(t, mytest.New(t), "kit")
	})
}

func TestRequestStoreConformance(t *testing.T) {
	requesttest.Run(t, func(t *testing.T) (request.Store, audit.Log) {
		db := mytest.New(t)
		return db.Requests(), keyedLog(t, db, "requests")
	})
}

func TestCatalogStoreConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalog.Store {
		s, err := mytest.New(t).Catalog()
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
