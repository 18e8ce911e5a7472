package mytest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/govshare/govshare/store/mysql"
)

// DefaultDSN is the server the tests use without GOVSHARE_TEST_MYSQL.
const DefaultDSN = "root@tcp(127.0.0.1:3306)/test"

// DSN returns the test server's DSN.
func DSN() string {
	if s := os.Getenv("GOVSHARE_TEST_MYSQL"); s != "" {
		return s
	}
	return DefaultDSN
}

// Open opens dsn with the settings the tests use (utf8mb4, a bounded
// dial), pings it, and closes it at the end of the test. An unreachable
// server fails the test when CI is set and skips it otherwise.
func Open(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("mytest: DSN %q: %v", dsn, err)
	}
	cfg.Collation = "utf8mb4_bin"
	cfg.Timeout = 5 * time.Second
	cfg.ReadTimeout = 30 * time.Second
	cfg.WriteTimeout = 30 * time.Second
	connector, err := mysqldrv.NewConnector(cfg)
	if err != nil {
		t.Fatalf("mytest: %v", err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		msg := "mytest: no MySQL/MariaDB server at " + cfg.Addr + " (" + err.Error() + "); start one with " +
			"`start-stop-daemon --start --oknodo --background --exec \"$(command -v mariadbd)\"` (as .ci/run does), " +
			"or point GOVSHARE_TEST_MYSQL at one (user@tcp(host:port)/db)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Name returns a fresh database name, govshare_test_<16 hex digits>.
func Name() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "govshare_test_" + hex.EncodeToString(b[:])
}

// New returns a migrated DB in a fresh database on the test server,
// dropped at the end of the test.
func New(t testing.TB, opts ...mysql.Option) *mysql.DB {
	t.Helper()
	return NewOn(t, Open(t, DSN()), Name(), opts...)
}

// NewOn returns a migrated DB for database name on sqlDB, dropping the
// database at the end of the test.
func NewOn(t testing.TB, sqlDB *sql.DB, name string, opts ...mysql.Option) *mysql.DB {
	t.Helper()
	db, err := mysql.New(sqlDB, append([]mysql.Option{mysql.WithDatabase(name)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	Drop(t, sqlDB, name)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("mytest: migrate %s: %v", name, err)
	}
	return db
}

// Drop drops database name on sqlDB at the end of the test.
func Drop(t testing.TB, sqlDB *sql.DB, name string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := sqlDB.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			t.Errorf("mytest: drop database %s: %v", name, err)
		}
	})
}
