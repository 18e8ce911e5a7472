package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

func tables(t *testing.T, db *sql.DB, name string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrateFreshIdempotentAndConcurrent(t *testing.T) {
	sqlDB := mytest.Open(t, mytest.DSN())
	name := mytest.Name()
	mytest.Drop(t, sqlDB, name)
	ctx := context.Background()
	// Four replicas start at once, each with its own pool.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		pool := mytest.Open(t, mytest.DSN())
		db, err := mysql.New(pool, mysql.WithDatabase(name))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	db, err := mysql.New(sqlDB, mysql.WithDatabase(name))
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.Version(ctx)
	if err != nil || v != mysql.SchemaVersion() {
		t.Fatalf("Version = %d, %v; want %d", v, err, mysql.SchemaVersion())
	}
	var rows int
	if err := sqlDB.QueryRow("SELECT COUNT(*) FROM `" + name + "`.schema_version").Scan(&rows); err != nil || rows != mysql.SchemaVersion() {
		t.Fatalf("schema_version has %d rows (%v), want one per migration, %d", rows, err, mysql.SchemaVersion())
	}
	before := tables(t, sqlDB, name)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if after := tables(t, sqlDB, name); after != before {
		t.Fatalf("second Migrate changed the tables: %d, then %d", before, after)
	}
	var coll string
	if err := sqlDB.QueryRow("SELECT default_collation_name FROM information_schema.schemata WHERE schema_name = ?", name).Scan(&coll); err != nil || coll != "utf8mb4_bin" {
		t.Fatalf("database collation %q (%v), want utf8mb4_bin", coll, err)
	}
}

func TestVersionBeforeMigrate(t *testing.T) {
	sqlDB := mytest.Open(t, mytest.DSN())
	db, err := mysql.New(sqlDB, mysql.WithDatabase(mytest.Name()))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.Version(context.Background()); err != nil || v != 0 {
		t.Fatalf("Version of a missing database = %d, %v; want 0, nil", v, err)
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	db := mytest.New(t)
	sqlDB := db.SQL()
	ctx := context.Background()
	newer := mysql.SchemaVersion() + 1
	if _, err := sqlDB.Exec("INSERT INTO `"+db.Database()+"`.schema_version (version, name, applied_ns) VALUES (?, 'from_the_future.sql', 0)", newer); err != nil {
		t.Fatal(err)
	}
	before := tables(t, sqlDB, db.Database())
	err := db.Migrate(ctx)
	var se *mysql.SchemaError
	if !errors.As(err, &se) || !errors.Is(err, govshare.ErrConflict) || se.Found != newer || se.Code != mysql.SchemaVersion() {
		t.Fatalf("Migrate on a newer schema = %v; want a *SchemaError (ErrConflict) naming %d and %d", err, newer, mysql.SchemaVersion())
	}
	if m := govshare.MessageOf(err); m.Code != "mysql.schema_newer" || m.Zh == "" || m.En == "" {
		t.Fatalf("message %+v", m)
	}
	if after := tables(t, sqlDB, db.Database()); after != before {
		t.Fatalf("a refused Migrate changed the tables: %d, then %d", before, after)
	}
	if v, _ := db.Version(ctx); v != newer {
		t.Fatalf("Version = %d after a refused Migrate, want %d", v, newer)
	}
}

func TestMigrateWaitsForTheLock(t *testing.T) {
	db := mytest.New(t, mysql.WithLockTimeout(time.Second))
	ctx := context.Background()
	// Another replica holds the migration lock on its own connection.
	conn, err := mytest.Open(t, mytest.DSN()).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 1)", "govshare.migrate."+db.Database()).Scan(&got); err != nil || got != 1 {
		t.Fatalf("GET_LOCK = %d, %v", got, err)
	}
	err = db.Migrate(ctx)
	if !errors.Is(err, govshare.ErrUnavailable) {
		t.Fatalf("Migrate while another holds the lock = %v, want ErrUnavailable", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", "govshare.migrate."+db.Database()); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate after the lock was released: %v", err)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	sqlDB := &sql.DB{}
	for name, o := range map[string]mysql.Option{
		"uppercase":  mysql.WithDatabase("Govshare"),
		"quote":      mysql.WithDatabase("a`b"),
		"empty":      mysql.WithDatabase(""),
		"long":       mysql.WithDatabase("a234567890123456789012345678901234567890123456789012345678901234x"),
		"system":     mysql.WithDatabase("mysql"),
		"retries":    mysql.WithRetries(-1),
		"retries101": mysql.WithRetries(101),
		"lock0":      mysql.WithLockTimeout(0),
		"lockfrac":   mysql.WithLockTimeout(1500 * time.Millisecond),
	} {
		db, err := mysql.New(sqlDB, o)
		if db != nil || !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("%s: New = %v, %v; want nil and ErrInvalid", name, db, err)
		}
		if m := govshare.MessageOf(err); m.Zh == "" || m.En == "" {
			t.Errorf("%s: message %+v lacks a language", name, m)
		}
	}
	if db, err := mysql.New(nil); db != nil || !errors.Is(err, govshare.ErrInvalid) {
		t.Errorf("New(nil) = %v, %v", db, err)
	}
	if db, err := mysql.New(sqlDB, nil, mysql.WithDatabase("gs_1"), mysql.WithRetries(0)); err != nil || db.Database() != "gs_1" {
		t.Errorf("good options: %v, %v", db, err)
	}
}
