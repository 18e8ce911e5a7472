package postgres_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/request/requesttest"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

func TestRequestStoreConformance(t *testing.T) {
	requesttest.Run(t, func(t *testing.T) (request.Store, audit.Log) {
		db := pgtest.New(t)
		log, err := db.AuditLog(context.Background(), "main")
		if err != nil {
			t.Fatal(err)
		}
		return db.Requests(), log
	})
}
