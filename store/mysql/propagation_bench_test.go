package mysql_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// BenchmarkRevokeToDeny measures how long a revoke committed on one
// replica takes to be denied by two others following the change feed:
// each operation grants an application (not timed), then revokes it and
// waits until both followers deny. Beside it, the same with the replicas
// sharing an in-process request.MemoryFeed (no database): the floor.
func BenchmarkRevokeToDeny(b *testing.B) {
	b.Run("mysql-poll", func(b *testing.B) {
		db := mytest.New(b)
		cat := testCatalog(b)
		var stores []request.Store
		var feeds []request.ChangeFeed
		for range 3 {
			rdb, err := mysql.New(mytest.Open(b, mytest.DSN()), mysql.WithDatabase(db.Database()))
			if err != nil {
				b.Fatal(err)
			}
			stores = append(stores, rdb.Requests())
			feeds = append(feeds, rdb.Requests())
		}
		log := keyedLog(b, db, "main")
		revokeToDeny(b, stores, feeds, func(s request.Store) *request.Service { return newService(b, s, cat, log) })
	})
	b.Run("memory-feed", func(b *testing.B) {
		cat := testCatalog(b)
		feed := request.NewMemoryFeed(request.NewMemoryStore())
		log := keyedLog(b, mytest.New(b), "main")
		stores := []request.Store{feed, feed, feed}
		feeds := []request.ChangeFeed{feed, feed, feed}
		revokeToDeny(b, stores, feeds, func(s request.Store) *request.Service { return newService(b, s, cat, log) })
	})
}

func revokeToDeny(b *testing.B, stores []request.Store, feeds []request.ChangeFeed, mk func(request.Store) *request.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var svcs []*request.Service
	for i, s := range stores {
		svc := mk(s)
		if i > 0 {
			go func() { _ = svc.Follow(ctx, feeds[i]) }()
		}
		svcs = append(svcs, svc)
	}
	wait := func(want request.DenyReason) time.Duration {
		began := time.Now()
		for _, f := range svcs[1:] {
			for f.Authorize(access).Reason != want {
				if time.Since(began) > 30*time.Second {
					b.Fatalf("still %v after 30 s", f.Authorize(access))
				}
				time.Sleep(100 * time.Microsecond)
			}
		}
		return time.Since(began)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		id := fmt.Sprintf("P-%d-%d", b.N, i)
		grant(b, svcs[0], id)
		wait(request.Allowed)
		b.StartTimer()
		if _, _, err := svcs[0].Do(ctx, id, revoke()); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, wait(request.GrantRevoked))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
