package postgres_test

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// Benchmarks of issue 13 (docs/benchmarks.md, "store/postgres"). Each
// reports wall time (ns/op) and the CPU time of this process
// (cpu-ns/op, getrusage; the server's CPU is not in it).
//
//	go test -run='^$' -bench='Find|Append' -benchtime=200x ./store/postgres
//	go test -run='^$' -bench=Verify1M -benchtime=1x -count=3 ./store/postgres

// benchEntry is entry i of the catalog benchmark: the shape of the catalog
// package's bigEntry (corpusEntry with 20 items), so that the queries and
// their match counts are those of its BenchmarkFindText.
func benchEntry(i int) catalog.Entry {
	shares := []govshare.ShareAttribute{govshare.Unconditional, govshare.Conditional, govshare.NotShared}
	grades := []classify.Grade{classify.General1, classify.General2, classify.General3, classify.Important}
	e := catalog.Entry{
		ID:             fmt.Sprintf("%d01%03d/%06d", 1+i%3, i%1000, i),
		Name:           fmt.Sprintf("数据目录%d号", i),
		Summary:        fmt.Sprintf("第%d个目录的摘要，关键词 kw%d", i, i),
		Provider:       govshare.Department{Name: fmt.Sprintf("部门%d", i%500), RegionCode: fmt.Sprintf("33%02d00", 1+i%11), Level: govshare.City},
		Level:          catalog.Departmental,
		Format:         catalog.FormatTable,
		Frequency:      catalog.Daily,
		Share:          shares[i%3],
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: grades[i%4]},
	}
	switch e.Share {
	case govshare.Conditional:
		e.Conditions = "仅用于履行法定职责"
	case govshare.NotShared:
		e.LegalBasis = "《中华人民共和国统计法》第九条"
		e.Methods = nil
	}
	e.Items = make([]catalog.DataItem, 20)
	for j := range e.Items {
		name := fmt.Sprintf("数据项%d", j)
		e.Items[j] = catalog.DataItem{Name: name, Column: name, Type: catalog.TypeString, Length: 10 + j}
	}
	if e.Share != govshare.NotShared {
		e.Items[0].Share, e.Items[0].Kind = govshare.NotShared, classify.IDCard
	}
	return e
}

// findQueries are catalog's findTextQueries, with their matches at
// 100,000 entries.
var findQueries = []struct {
	name string
	q    catalog.Query
	n    int
}{
	{"rare-ascii", catalog.Query{Text: "kw31337"}, 1},
	{"rare-cjk+digits", catalog.Query{Text: "数据目录31337号"}, 1},
	{"rare-id", catalog.Query{Text: "301337/031337"}, 1},
	{"common-cjk", catalog.Query{Text: "摘要"}, 100_000},
	{"common-ascii-prefix", catalog.Query{Text: "kw1"}, 11_111},
	{"common-cjk-phrase", catalog.Query{Text: "目录的摘要"}, 100_000},
	{"rare-text+region", catalog.Query{Text: "kw31337", Region: "330000"}, 1},
	{"common-text+provider", catalog.Query{Text: "摘要", Provider: "部门42"}, 200},
	{"region", catalog.Query{Region: "330500"}, 9_091},
	{"provider", catalog.Query{Provider: "部门42"}, 200},
}

// BenchmarkFind runs Find over 100,000 entries on PostgreSQL beside the
// memory store holding the same entries, and checks both give the same
// page and total.
func BenchmarkFind(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	entries := make([]catalog.Entry, n)
	for i := range entries {
		entries[i] = benchEntry(i)
	}
	mem, err := catalog.NewMemoryStore()
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if _, err := mem.Put(ctx, e, 0); err != nil {
			b.Fatal(err)
		}
	}
	db := pgtest.New(b)
	pg, err := db.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := postgres.LoadDrafts(ctx, pg, entries); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "ANALYZE "+postgres.Table(db, "catalog_entries")+"; "); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d entries with COPY and analyzed in %v", n, time.Since(start).Round(time.Millisecond))
	entries = nil
	for _, c := range findQueries {
		for _, store := range []struct {
			name string
			s    catalog.Store
		}{{"memory", mem}, {"postgres", pg}} {
			b.Run(c.name+"/"+store.name, func(b *testing.B) {
				want, err := mem.Find(ctx, c.q)
				if err != nil || want.Total != c.n {
					b.Fatalf("memory store: total %d, %v; want %d", want.Total, err, c.n)
				}
				var lat []time.Duration
				cpu := cpuTime()
				for b.Loop() {
					t0 := time.Now()
					res, err := store.s.Find(ctx, c.q)
					lat = append(lat, time.Since(t0))
					if err != nil || res.Total != c.n || len(res.Entries) != len(want.Entries) || res.Entries[0].ID != want.Entries[0].ID {
						b.Fatalf("total %d, %v; want %d and the memory store's page", res.Total, err, c.n)
					}
				}
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
				reportPercentiles(b, lat)
			})
		}
	}
}

// reportPercentiles reports the median and 99th percentile of lat in
// microseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
}

// BenchmarkAppendConcurrent appends with 16 concurrent clients: to one log
// (own-transaction appends, group-committed), to one log inside a
// transaction per append (as a store's write records; every append waits
// for the head row's lock), to 4 logs of their own heads, and the raw-SQL
// baseline doing the same statements (lock the
// head; INSERT the row and UPDATE the head in one statement; commit)
// without the audit package (a SHA-256 of the previous hash stands in for
// the seal).
func BenchmarkAppendConcurrent(b *testing.B) {
	const clients = 16
	db := pgtest.New(b, func(c *pgxpool.Config) { c.MaxConns = clients })
	ctx := context.Background()
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		b.Fatal(err)
	}
	open := func(name string) *postgres.AuditLog {
		l, err := db.AuditLog(ctx, name, audit.WithKey([]byte("0123456789abcdef0123456789abcdef")), audit.WithSigner(signer))
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	one := open("bench-one")
	inTx := open("bench-in-tx")
	four := []*postgres.AuditLog{open("bench-a"), open("bench-b"), open("bench-c"), open("bench-d")}
	raw := open("bench-raw") // its head row and table, written by raw SQL
	records, logs := postgres.Table(db, "audit_records"), postgres.Table(db, "audit_logs")
	rawAppend := func(i int) error {
		e := audittest.Event(i)
		return pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
			var size int64
			var head []byte
			if err := tx.QueryRow(ctx, `SELECT size, head FROM `+logs+` WHERE name = $1 FOR UPDATE`, raw.Name()).Scan(&size, &head); err != nil {
				return err
			}
			h := sha256.Sum256(head)
			_, err := tx.Exec(ctx, `WITH r AS (INSERT INTO `+records+` (log, seq, prev, hash, time_ns, actor_id, actor_name, actor_role,
				department, department_name, department_credit_code, department_directory_id, department_region, department_level, action,
				target_kind, target_id, outcome, error_code, details, correlation_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING seq)
				UPDATE `+logs+` SET size = (SELECT seq + 1 FROM r), head = $4 WHERE name = $1`,
				raw.Name(), size, head, h[:], e.Time.UnixNano(), e.Actor.ID, e.Actor.Name, int16(e.Actor.Role), e.Actor.Department.ID(),
				e.Actor.Department.Name, e.Actor.Department.CreditCode, e.Actor.Department.DirectoryID, e.Actor.Department.RegionCode,
				int16(e.Actor.Department.Level), string(e.Action), e.Target.Kind, e.Target.ID, int16(e.Outcome), e.ErrorCode,
				nilIfEmpty(e.Details), e.CorrelationID)
			return err
		})
	}
	for _, c := range []struct {
		name   string
		append func(client, i int) error
	}{
		{"one-log", func(_, i int) error { _, err := one.Append(ctx, audittest.Event(i)); return err }},
		{"one-log-in-tx", func(_, i int) error {
			// In a transaction of its own, as a store's write records:
			// never batched.
			return postgres.InTx(db, ctx, func(ctx context.Context, _ pgx.Tx) error {
				_, err := inTx.Append(ctx, audittest.Event(i))
				return err
			})
		}},
		{"four-logs", func(client, i int) error { _, err := four[client%4].Append(ctx, audittest.Event(i)); return err }},
		{"raw-sql", func(_, i int) error { return rawAppend(i) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			var wg sync.WaitGroup
			work := make(chan int)
			errs := make(chan error, clients)
			cpu := cpuTime()
			start := time.Now()
			for client := 0; client < clients; client++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var mine []time.Duration
					for i := range work {
						t0 := time.Now()
						if err := c.append(client, i); err != nil {
							errs <- err
							return
						}
						mine = append(mine, time.Since(t0))
					}
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
				}()
			}
			for i := 0; i < b.N; i++ {
				select {
				case work <- i:
				case err := <-errs:
					b.Fatal(err)
				}
			}
			close(work)
			wg.Wait()
			elapsed := time.Since(start)
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			reportPercentiles(b, lat)
		})
	}
	for _, l := range append([]*postgres.AuditLog{one, inTx}, four...) {
		if err := l.Verify(ctx); err != nil {
			b.Fatalf("%s after the benchmark: %v", l.Name(), err)
		}
	}
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// BenchmarkVerify1M verifies a keyed log of 1,000,000 records read from
// PostgreSQL, beside audit.Memory verifying the same events. The records
// are sealed by an audit.Sealer and stored with COPY. It runs only when
// -bench names it: building the log takes a minute.
func BenchmarkVerify1M(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "Verify1M") {
		b.Skip("builds a million records: run with -bench=Verify1M")
	}
	const n = 1_000_000
	ctx := context.Background()
	key := []byte("0123456789abcdef0123456789abcdef")
	db := pgtest.New(b)
	l, err := db.AuditLog(ctx, "million", audit.WithKey(key))
	if err != nil {
		b.Fatal(err)
	}
	mem, err := audit.NewMemory(audit.WithKey(key))
	if err != nil {
		b.Fatal(err)
	}
	sealer, err := audit.NewSealer(l.Header(), key)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var head audit.Head
	recs := make([]audit.Record, 0, 50_000)
	flush := func() {
		_, err := db.Pool().CopyFrom(ctx, pgx.Identifier{db.Schema(), "audit_records"},
			[]string{"log", "seq", "prev", "hash", "time_ns", "actor_id", "actor_name", "actor_role", "department", "department_name",
				"department_credit_code", "department_directory_id", "department_region", "department_level", "action", "target_kind",
				"target_id", "outcome", "error_code", "details", "correlation_id"},
			pgx.CopyFromSlice(len(recs), func(i int) ([]any, error) {
				r := &recs[i]
				e := &r.Event
				return []any{l.Name(), int64(r.Seq), r.Prev[:], r.Hash[:], e.Time.UnixNano(), e.Actor.ID, e.Actor.Name, int16(e.Actor.Role),
					e.Actor.Department.ID(), e.Actor.Department.Name, e.Actor.Department.CreditCode, e.Actor.Department.DirectoryID,
					e.Actor.Department.RegionCode, int16(e.Actor.Department.Level), string(e.Action), e.Target.Kind, e.Target.ID,
					int16(e.Outcome), e.ErrorCode, nilIfEmpty(e.Details), e.CorrelationID}, nil
			}))
		if err != nil {
			b.Fatal(err)
		}
		recs = recs[:0]
	}
	for i := 0; i < n; i++ {
		ev := audittest.Event(i)
		s, err := sealer.Seal(head, ev)
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, s.Record)
		head = audit.Head{Size: s.Record.Seq + 1, Hash: s.Record.Hash}
		if _, err := mem.Append(ctx, ev); err != nil {
			b.Fatal(err)
		}
		if len(recs) == cap(recs) {
			flush()
		}
	}
	flush()
	if _, err := db.Pool().Exec(ctx, `UPDATE `+postgres.Table(db, "audit_logs")+` SET size = $2, head = $3 WHERE name = $1`,
		l.Name(), int64(head.Size), head.Hash[:]); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE "+postgres.Table(db, "audit_records")); err != nil {
		b.Fatal(err)
	}
	b.Logf("sealed, copied and analyzed %d records in %v", n, time.Since(start).Round(time.Millisecond))
	for _, c := range []struct {
		name string
		log  audit.Log
	}{{"memory", mem}, {"postgres", l}} {
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := c.log.Verify(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
