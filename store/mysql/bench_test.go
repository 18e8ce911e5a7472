//go:build linux

package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// cpuTime returns the CPU time this process has used, user and system,
// in nanoseconds (getrusage RUSAGE_SELF: every thread, the garbage
// collector's included).
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// serverCPU returns the CPU time the servers behind pools have used, in
// nanoseconds, from /proc/<pid>/stat of each one's pid file (0 when it
// cannot be read: another machine).
func serverCPU(pools ...*sql.DB) int64 {
	var total int64
	for _, p := range pools {
		var file string
		if p.QueryRow("SELECT @@pid_file").Scan(&file) != nil {
			return 0
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return 0
		}
		stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(b)) + "/stat")
		if err != nil {
			return 0
		}
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		total += (utime + stime) * int64(time.Second) / 100 // USER_HZ
	}
	return total
}

// latencies collects per-operation latencies from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) report(b *testing.B, start time.Time, cpu, srv int64, pools ...*sql.DB) {
	elapsed := time.Since(start)
	slices.Sort(l.d)
	if n := len(l.d); n > 0 {
		b.ReportMetric(float64(l.d[n/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(l.d[n*99/100].Microseconds()), "p99-µs")
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "ops/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	if srv > 0 {
		b.ReportMetric(float64(serverCPU(pools...)-srv)/float64(b.N), "server-cpu-ns/op")
	}
}

// clients is the number of concurrent clients of the transition
// benchmarks.
const clients = 16

// runClients runs b.N operations on clients goroutines; op(c, i) runs the
// i-th operation of client c.
func runClients(b *testing.B, op func(c, i int) error) *latencies {
	var next atomic.Int64
	var lat latencies
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if next.Add(1) > int64(b.N) {
					return
				}
				t := time.Now()
				if err := op(c, i); err != nil {
					errs <- err
					return
				}
				lat.add(time.Since(t))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return &lat
}

// serviceTransitions drives the grant steps of fresh applications on
// services (client c uses services[c%len]): each operation is one
// Service.Do, stored with its audit record and its change in one
// transaction.
func serviceTransitions(b *testing.B, prefix string, services []*request.Service, pools []*sql.DB) {
	steps := grantSteps()
	ctx := context.Background()
	state := make([]struct {
		id string
		v  int
		k  int
	}, clients)
	b.ResetTimer()
	cpu, srv, start := cpuTime(), serverCPU(pools...), time.Now()
	lat := runClients(b, func(c, _ int) error {
		s := &state[c]
		if s.id == "" || s.v == len(steps) {
			s.k++
			s.id, s.v = fmt.Sprintf("%s-%d-%d-%d", prefix, b.N, c, s.k), 0
		}
		_, _, err := services[c%len(services)].Do(ctx, s.id, steps[s.v])
		if err != nil {
			return fmt.Errorf("%s step %d: %w", s.id, s.v, err)
		}
		s.v++
		return nil
	})
	b.StopTimer()
	lat.report(b, start, cpu, srv, pools...)
}

// BenchmarkTransitions compares Service transitions on MariaDB (the
// application, its audit record sealed under the head row's lock, and
// its numbered change in one transaction) with raw SQL doing the same
// writes in the same number of statements, with 16 clients.
func BenchmarkTransitions(b *testing.B) {
	b.Run("service", func(b *testing.B) {
		db := mytest.New(b)
		l := keyedLog(b, db, "bench")
		svc := newService(b, db.Requests(), testCatalog(b), l)
		serviceTransitions(b, "S", []*request.Service{svc}, []*sql.DB{db.SQL()})
		b.ReportMetric(float64(db.Stats().Retries)/float64(b.N), "retries/op")
	})
	b.Run("raw-sql", func(b *testing.B) {
		db := mytest.New(b)
		l := keyedLog(b, db, "bench") // creates the head row
		_ = l
		rawTransitions(b, db)
	})
}

// rawTransitions does per operation what a stored transition writes,
// without the Service: lock the application row, lock the audit head,
// insert a record of the same size, advance the head, write the
// application row with a document of the same size, number the change.
func rawTransitions(b *testing.B, db *mysql.DB) {
	ctx := context.Background()
	q := func(s string) string {
		return strings.NewReplacer("{a}", "`"+db.Database()+"`.applications", "{r}", "`"+db.Database()+"`.audit_records",
			"{h}", "`"+db.Database()+"`.audit_logs", "{f}", "`"+db.Database()+"`.request_feed", "{c}", "`"+db.Database()+"`.request_changes").Replace(s)
	}
	doc := strings.Repeat("x", 1500)
	details := `{"from":"approved","to":"active"}`
	hash := make([]byte, 32)
	versions := make([]int, clients)
	ids := make([]string, clients)
	k := make([]int, clients)
	b.ResetTimer()
	cpu, srv, start := cpuTime(), serverCPU(db.SQL()), time.Now()
	lat := runClients(b, func(c, _ int) error {
		if ids[c] == "" || versions[c] == 5 {
			k[c]++
			ids[c], versions[c] = fmt.Sprintf("R-%d-%d-%d", b.N, c, k[c]), 0
		}
		for attempt := 0; ; attempt++ {
			err := func() error {
				tx, err := db.SQL().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
				if err != nil {
					return err
				}
				defer tx.Rollback()
				var v int64
				if err := tx.QueryRowContext(ctx, q("SELECT version FROM {a} WHERE id = ? FOR UPDATE"), ids[c]).Scan(&v); err != nil && err != sql.ErrNoRows {
					return err
				}
				var size int64
				var head []byte
				if err := tx.QueryRowContext(ctx, q("SELECT size, head FROM {h} WHERE name = 'bench' FOR UPDATE")).Scan(&size, &head); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, q(`INSERT INTO {r} (log, seq, prev, hash, leaf, time_ns, actor_id, actor_name, actor_role, department,
					department_name, department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id)
					VALUES ('bench', ?, ?, ?, ?, ?, 'chen', '陈', 2, '11330100002482061X', '某市公安局', '330100', 3, 'request.agree', 'application', ?, 1, '', ?, ?)`),
					size, head, hash, hash, time.Now().UnixNano(), ids[c], details, ids[c]); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, q("UPDATE {h} SET size = ?, head = ? WHERE name = 'bench'"), size+1, hash); err != nil {
					return err
				}
				if v == 0 {
					_, err = tx.ExecContext(ctx, q(`INSERT INTO {a} (id, version, state, requester, provider, entry_id, entry_version, renewal_of,
						created_ns, updated_ns, sweep_at_ns, doc_format, doc) VALUES (?, 1, 1, 'a', 'b', 'e', 1, '', 1, 1, NULL, 1, ?)`), ids[c], doc)
				} else {
					_, err = tx.ExecContext(ctx, q(`UPDATE {a} SET version = ?, state = 2, requester = 'a', provider = 'b', entry_id = 'e', entry_version = 1,
						renewal_of = '', created_ns = 1, updated_ns = 2, sweep_at_ns = 3, doc_format = 1, doc = ? WHERE id = ? AND version = ?`), v+1, doc, ids[c], v)
				}
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, q("UPDATE {f} SET seq = seq + 1 WHERE id = 1")); err != nil {
					return err
				}
				var seq int64
				if err := tx.QueryRowContext(ctx, q("SELECT seq FROM {f} WHERE id = 1")).Scan(&seq); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, q("INSERT INTO {c} (seq, application, version, at_ns) VALUES (?, ?, ?, ?)"), seq, ids[c], v+1, 0); err != nil {
					return err
				}
				return tx.Commit()
			}()
			if err == nil {
				break
			}
			if attempt > 16 {
				return err
			}
		}
		versions[c]++
		return nil
	})
	b.StopTimer()
	lat.report(b, start, cpu, srv, db.SQL())
}

// BenchmarkGaleraTransitions runs the service benchmark on the
// three-node cluster of scripts/galera.sh, which must be up
// (GOVSHARE_BENCH_GALERA=1), clients spread over the nodes; retries/op is
// the rate of transactions run again after a certification conflict.
func BenchmarkGaleraTransitions(b *testing.B) {
	if os.Getenv("GOVSHARE_BENCH_GALERA") == "" {
		b.Skip("start the cluster with scripts/galera.sh up and set GOVSHARE_BENCH_GALERA=1")
	}
	name := mytest.Name()
	cat := testCatalog(b)
	var services []*request.Service
	var pools []*sql.DB
	var dbs []*mysql.DB
	for i := range 3 {
		pool := mytest.Open(b, fmt.Sprintf("root@tcp(127.0.0.1:%d)/test", 13306+i))
		var db *mysql.DB
		// Every transition of the log conflicts with the ones other
		// nodes commit at the same time (the audit head): more retries
		// than the default.
		retries := mysql.WithRetries(100)
		if i == 0 {
			db = mytest.NewOn(b, pool, name, retries)
		} else {
			var err error
			if db, err = mysql.New(pool, mysql.WithDatabase(name), retries); err != nil {
				b.Fatal(err)
			}
		}
		l := keyedLog(b, db, "bench")
		services = append(services, newService(b, db.Requests(), cat, l))
		pools, dbs = append(pools, pool), append(dbs, db)
	}
	serviceTransitions(b, "G", services, pools)
	var r int64
	for _, db := range dbs {
		r += db.Stats().Retries
	}
	b.ReportMetric(float64(r)/float64(b.N), "retries/op")
}
