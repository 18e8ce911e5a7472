//go:build unix

package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// benchClients is the number of concurrent clients of the transition
// benchmarks (the 16).
const benchClients = 16

// lifecycle is the five transitions every client runs on a new
// application: create, submit, endorse, agree, provision.
func lifecycle(id string) []request.Command {
	return []request.Command{request.Create{Actor: clerk, EntryID: entryID, Elements: elements()},
		request.Submit{Actor: clerk}, request.Endorse{Actor: head},
		request.Agree{Actor: provider, Conditions: []string{"仅限办理社会救助审核使用"}},
		request.Provision{Actor: provider, Deliveries: []request.Delivery{{Method: "service_api", Reference: "key-" + id}}}}
}

// runClients runs b.N operations on benchClients goroutines, op(client,
// i) being the i-th operation of a client, and reports throughput,
// latency percentiles and the client's CPU time per operation.
func runClients(b *testing.B, steps int, op func(client, n, step int) error) {
	b.Helper()
	var next atomic.Int64
	lat := make([][]time.Duration, benchClients)
	var wg sync.WaitGroup
	cpu0 := requestCPUTime()
	b.ResetTimer()
	began := time.Now()
	for c := range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1)) - 1
				if n*steps >= b.N {
					return
				}
				for s := range steps {
					t := time.Now()
					if err := op(c, n, s); err != nil {
						b.Error(err)
						return
					}
					lat[c] = append(lat[c], time.Since(t))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	cpu := requestCPUTime() - cpu0
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "transitions/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(cpu)/float64(len(all))/1e3, "client-cpu-µs/op")
	b.ReportMetric(0, "ns/op") // wall time per op says nothing with 16 clients: see transitions/s
}

func benchPool(cfg *pgxpool.Config) { cfg.MaxConns = benchClients + 4 }

// BenchmarkTransitions: Service transitions on PostgreSQL, each stored
// with its audit record and its change in one transaction, 16 clients;
// beside it the same writes as raw SQL (the same rows, the same locks, no
// Service).
func BenchmarkTransitions(b *testing.B) {
	b.Run("service", func(b *testing.B) {
		db := pgtest.New(b, benchPool)
		log := benchLog(b, db, "main")
		r := newReplica(b, db, log, func() time.Time { return start })
		ctx := context.Background()
		runClients(b, 5, func(_, n, step int) error {
			id := fmt.Sprintf("B-%07d", n)
			_, _, err := r.svc.Do(ctx, id, lifecycle(id)[step])
			return err
		})
	})
	b.Run("service-4-logs", func(b *testing.B) {
		db := pgtest.New(b, benchPool)
		logs := make(routed, 4)
		for i := range logs {
			logs[i] = benchLog(b, db, fmt.Sprintf("department-%d", i))
		}
		r := newReplica(b, db, logs, func() time.Time { return start })
		ctx := context.Background()
		runClients(b, 5, func(_, n, step int) error {
			id := fmt.Sprintf("B-%07d", n)
			_, _, err := r.svc.Do(ctx, id, lifecycle(id)[step])
			return err
		})
	})
	// The same writes as raw SQL, then without the change feed's counter,
	// then without the audit head too: what each hot row costs.
	for _, v := range []struct {
		name        string
		audit, feed bool
	}{{"raw-sql", true, true}, {"raw-sql-no-feed", true, false}, {"raw-sql-app-row-only", false, false}} {
		b.Run(v.name, func(b *testing.B) {
			db := pgtest.New(b, benchPool)
			snaps := snapshots(b)
			raw := newRawWriter(b, db)
			raw.audit, raw.feed = v.audit, v.feed
			ctx := context.Background()
			runClients(b, 5, func(_, n, step int) error {
				return raw.write(ctx, fmt.Sprintf("B-%07d", n), snaps[step], int64(step))
			})
		})
	}
}

// snapshots are the application after each of lifecycle's transitions,
// from a memory store.
func snapshots(b *testing.B) []request.Application {
	b.Helper()
	log, err := audit.NewMemory()
	if err != nil {
		b.Fatal(err)
	}
	mem := request.NewMemoryStore()
	svc, err := request.NewService(context.Background(), mem, memoryCatalog(b, func() time.Time { return start }), log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}}, request.WithClock(func() time.Time { return start }))
	if err != nil {
		b.Fatal(err)
	}
	var out []request.Application
	for _, c := range lifecycle("S") {
		a, _, err := svc.Do(context.Background(), "S", c)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// rawWriter writes, per transition, what RequestStore.Save and an audit
// append write: the application row at the expected version, a locked
// and advanced audit head with a record row, and the change with its
// counter and notification.
type rawWriter struct {
	db                              *postgres.DB
	lockHead, advance, insertRecord string
	insertApp, updateApp, addChg    string
	channel                         string
	audit, feed                     bool
}

func newRawWriter(b *testing.B, db *postgres.DB) *rawWriter {
	b.Helper()
	w := &rawWriter{db: db,
		lockHead:     `SELECT size, head FROM ` + postgres.Table(db, "audit_logs") + ` WHERE name = 'raw' FOR UPDATE`,
		advance:      `UPDATE ` + postgres.Table(db, "audit_logs") + ` SET size = $1, head = $2 WHERE name = 'raw'`,
		insertRecord: `INSERT INTO ` + postgres.Table(db, "audit_records") + ` (log, seq, prev, hash, time_ns, actor_id, actor_name, actor_role, department, department_name, department_credit_code, department_directory_id, department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id) VALUES ('raw', $1, $2, $3, $4, $5, '', 1, $6, $7, $8, '', $9, 3, $10, 'application', $11, 1, '', $12, $11)`,
	}
	w.insertApp, w.updateApp, w.addChg = postgres.RequestSQL(db.Requests())
	w.channel = postgres.RequestChannel(db.Requests())
	_, err := db.Pool().Exec(context.Background(), `INSERT INTO `+postgres.Table(db, "audit_logs")+
		` (name, log_id, algorithm, keyed, key_check, size, head) VALUES ('raw', $1, 1, false, $2, 0, $2)`, make([]byte, 16), make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	return w
}

func (w *rawWriter) write(ctx context.Context, id string, app request.Application, expected int64) error {
	app.ID, app.Version = id, expected+1
	args, err := postgres.AppArgs(app)
	if err != nil {
		return err
	}
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	return pgx.BeginFunc(ctx, w.db.Pool(), func(tx pgx.Tx) error {
		if expected == 0 {
			if _, err := tx.Exec(ctx, w.insertApp, args...); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, w.updateApp, append(args, expected)...); err != nil {
			return err
		}
		if !w.audit {
			return nil
		}
		var size int64
		var prev []byte
		if err := tx.QueryRow(ctx, w.lockHead).Scan(&size, &prev); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, w.insertRecord, size, prev, hash, app.UpdatedAt.UnixNano(), clerk.ID,
			welfare.ID(), welfare.Name, welfare.CreditCode, welfare.RegionCode, "request.bench", id, `{"from":"a","to":"b"}`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, w.advance, size+1, hash); err != nil {
			return err
		}
		if !w.feed {
			return nil
		}
		_, err := tx.Exec(ctx, w.addChg, id, app.Version, w.channel)
		return err
	})
}

// BenchmarkRevokeToDeny: the time from a revoke's commit on one replica
// to the first denial by another replica that follows the feed.
func BenchmarkRevokeToDeny(b *testing.B) {
	db := pgtest.New(b)
	log := benchLog(b, db, "main")
	a := newReplica(b, db, log, func() time.Time { return start })
	f := newReplica(b, pgtest.Replica(b, db), log, func() time.Time { return start })
	f.follow(b)
	acc := access()
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		id := fmt.Sprintf("P-%06d", i)
		toActive(b, a.svc, id)
		reflects(b, f.svc, acc, request.Allowed)
		b.StartTimer()
		do(b, a.svc, id, request.Revoke{Actor: provider, Reason: "发现超范围使用"})
		t := time.Now()
		for f.svc.Authorize(acc).Allowed {
			time.Sleep(20 * time.Microsecond)
		}
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
}

// routed is an audit log made of several named logs, each with its own
// head row, an application's records going to one of them (by its id):
// the way a host keeps a log per department or region. Only Append is
// routed; the benchmark reads nothing back.
type routed []audit.Log

func (r routed) Append(ctx context.Context, e audit.Event) (audit.Record, error) {
	var h uint32
	for i := 0; i < len(e.CorrelationID); i++ {
		h = h*31 + uint32(e.CorrelationID[i])
	}
	return r[h%uint32(len(r))].Append(ctx, e)
}

func (r routed) Read(ctx context.Context, from, to uint64) iter.Seq2[audit.Record, error] {
	return r[0].Read(ctx, from, to)
}
func (r routed) Query(ctx context.Context, f audit.Filter) iter.Seq2[audit.Record, error] {
	return r[0].Query(ctx, f)
}
func (r routed) Len(ctx context.Context) (uint64, error) { return r[0].Len(ctx) }
func (r routed) Checkpoint(ctx context.Context) (audit.Checkpoint, error) {
	return r[0].Checkpoint(ctx)
}
func (r routed) ProveInclusion(ctx context.Context, seq, size uint64) (audit.InclusionProof, error) {
	return r[0].ProveInclusion(ctx, seq, size)
}
func (r routed) ProveConsistency(ctx context.Context, a, b uint64) (audit.ConsistencyProof, error) {
	return r[0].ProveConsistency(ctx, a, b)
}
func (r routed) Verify(ctx context.Context, trusted ...audit.Checkpoint) error {
	return r[0].Verify(ctx, trusted...)
}

// benchLog is the audit log of a benchmark's transitions.
func benchLog(b *testing.B, db *postgres.DB, name string) audit.Log {
	b.Helper()
	log, err := db.AuditLog(context.Background(), name)
	if err != nil {
		b.Fatal(err)
	}
	return log
}

// requestCPUTime returns the CPU time this process has used, user and
// system, in nanoseconds (getrusage RUSAGE_SELF: the client's, not the
// server's).
func requestCPUTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
