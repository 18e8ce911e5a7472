package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// tables lists the schema's tables and their columns, and its
// schema_version rows: what "nothing changed" compares.
func layout(t *testing.T, pool *pgxpool.Pool, schema string) string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name || '.' || column_name || ':' || data_type
		FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	rows, err = pool.Query(ctx, `SELECT version::text || ' ' || name FROM `+pgx.Identifier{schema, "schema_version"}.Sanitize()+` ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(cols, "\n") + "\n--\n" + strings.Join(versions, "\n")
}

func TestMigrateIdempotent(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	before := layout(t, db.Pool(), db.Schema())
	for i := 0; i < 3; i++ {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate again (%d): %v", i, err)
		}
	}
	if after := layout(t, db.Pool(), db.Schema()); after != before {
		t.Fatalf("Migrate of a migrated schema changed it:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	v, err := db.Version(ctx)
	if err != nil || v != postgres.SchemaVersion() {
		t.Fatalf("Version = %d, %v; want %d", v, err, postgres.SchemaVersion())
	}
	var n int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM `+postgres.Table(db, "schema_version")).Scan(&n); err != nil || n != postgres.SchemaVersion() {
		t.Fatalf("schema_version has %d rows (%v), want one per migration, %d", n, err, postgres.SchemaVersion())
	}
	for _, table := range []string{"catalog_entries", "catalog_items", "audit_logs", "audit_records", "audit_checkpoints"} {
		if !strings.Contains(before, table+".") {
			t.Errorf("table %s missing after Migrate", table)
		}
	}
}

func TestVersionBeforeMigrate(t *testing.T) {
	db := pgtest.Open(t, pgtest.Pool(t), pgtest.Schema(t))
	v, err := db.Version(context.Background())
	if err != nil || v != 0 {
		t.Fatalf("Version of an empty schema = %d, %v; want 0", v, err)
	}
}

// Replicas starting at once: each migrates through its own pool; the
// advisory lock makes one do the work and the others find it done.
func TestMigrateConcurrent(t *testing.T) {
	const replicas = 4
	for round := 0; round < 3; round++ {
		schema := pgtest.Schema(t)
		dbs := make([]*postgres.DB, replicas)
		for i := range dbs {
			dbs[i] = pgtest.Open(t, pgtest.Pool(t), schema)
		}
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		start := make(chan struct{})
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = db.Migrate(context.Background())
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: replica %d: Migrate: %v", round, i, err)
			}
		}
		var n, max int
		if err := dbs[0].Pool().QueryRow(context.Background(),
			`SELECT count(*), max(version) FROM `+postgres.Table(dbs[0], "schema_version")).Scan(&n, &max); err != nil {
			t.Fatal(err)
		}
		if n != postgres.SchemaVersion() || max != postgres.SchemaVersion() {
			t.Fatalf("round %d: schema_version has %d rows up to %d, want each of 1..%d once", round, n, max, postgres.SchemaVersion())
		}
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	newer := postgres.SchemaVersion() + 1
	if _, err := db.Pool().Exec(ctx, `INSERT INTO `+postgres.Table(db, "schema_version")+` (version, name) VALUES ($1, 'from_the_future.sql')`, newer); err != nil {
		t.Fatal(err)
	}
	before := layout(t, db.Pool(), db.Schema())
	err := db.Migrate(ctx)
	var se *postgres.SchemaError
	if !errors.As(err, &se) || !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("Migrate of a newer schema = %v, want a *SchemaError matching ErrConflict", err)
	}
	if se.Database != newer || se.Code != postgres.SchemaVersion() || se.Schema != db.Schema() {
		t.Fatalf("SchemaError = %+v, want database %d, code %d, schema %s", se, newer, postgres.SchemaVersion(), db.Schema())
	}
	msg := govshare.MessageOf(err)
	if msg.Code != "postgres.schema_newer" || msg.Zh == "" || msg.En == "" {
		t.Fatalf("message = %+v, want code postgres.schema_newer in Chinese and English", msg)
	}
	if after := layout(t, db.Pool(), db.Schema()); after != before {
		t.Fatalf("refused Migrate changed the schema:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestNewOptions(t *testing.T) {
	pool := pgtest.Pool(t)
	for _, bad := range []string{"", "Govshare", "1abc", "a-b", "pg_catalog", strings.Repeat("a", 64), `x"; DROP TABLE y; --`} {
		db, err := postgres.New(pool, postgres.WithSchema(bad))
		if db != nil || !errors.Is(err, govshare.ErrInvalid) || govshare.MessageOf(err).Zh == "" {
			t.Errorf("WithSchema(%q) = %v, %v; want no DB and ErrInvalid with a Chinese message", bad, db, err)
		}
	}
	for _, bad := range []int{-1, 101} {
		if _, err := postgres.New(pool, postgres.WithRetries(bad)); !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("WithRetries(%d) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := postgres.New(nil); !errors.Is(err, govshare.ErrInvalid) {
		t.Errorf("New(nil) = %v, want ErrInvalid", err)
	}
	db, err := postgres.New(pool, nil, postgres.WithSchema("a_1"), postgres.WithRetries(0))
	if err != nil || db.Schema() != "a_1" || db.Pool() != pool {
		t.Fatalf("New with good options = %v, %v", db, err)
	}
	db, err = postgres.New(pool)
	if err != nil || db.Schema() != postgres.DefaultSchema {
		t.Fatalf("New without options: schema %v, %v; want %s", db, err, postgres.DefaultSchema)
	}
}
