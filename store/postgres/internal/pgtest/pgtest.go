package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare/store/postgres"
)

// DefaultURL is the server the tests use without GOVSHARE_TEST_POSTGRES.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the connection string of the test server.
func URL() string {
	if u := os.Getenv("GOVSHARE_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultURL
}

// redacted is the URL without its password, for messages.
func redacted(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparsable GOVSHARE_TEST_POSTGRES)"
	}
	return u.Redacted()
}

// unreachable fails the test under CI and skips it otherwise.
func unreachable(t testing.TB, err error) {
	t.Helper()
	const how = "start one (as root: pg_ctlcluster --skip-systemctl-redirect 15 main start; or " +
		"docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15) " +
		"or point GOVSHARE_TEST_POSTGRES at one"
	if os.Getenv("CI") != "" {
		t.Fatalf("PostgreSQL at %s unreachable (CI is set, so this fails): %v", redacted(URL()), err)
	}
	t.Skipf("PostgreSQL at %s unreachable, skipping: %v; %s", redacted(URL()), err, how)
}

// Pool returns a new pool on the test server, closed when the test ends.
// configure, if given, adjusts its configuration first (MaxConns for a
// benchmark of many clients).
func Pool(t testing.TB, configure ...func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(URL())
	if err != nil {
		t.Fatalf("GOVSHARE_TEST_POSTGRES: %v", err)
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	for _, f := range configure {
		f(cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
		if err != nil {
			pool.Close()
		}
	}
	if err != nil {
		unreachable(t, err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Schema returns the name of a new schema, govshare_test_ and random hex,
// that does not exist yet (Migrate creates it), and drops it with
// everything in it (CASCADE) when the test ends.
func Schema(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "govshare_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, URL())
		if err != nil {
			t.Errorf("pgtest: dropping schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgtest: dropping schema %s: %v", name, err)
		}
	})
	return name
}

// New returns a DB on a new pool and a fresh schema (Schema), migrated.
func New(t testing.TB, configure ...func(*pgxpool.Config)) *postgres.DB {
	t.Helper()
	pool := Pool(t, configure...)
	db := Open(t, pool, Schema(t))
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return db
}

// Open returns a DB on pool and schema, without migrating it.
func Open(t testing.TB, pool *pgxpool.Pool, schema string) *postgres.DB {
	t.Helper()
	db, err := postgres.New(pool, postgres.WithSchema(schema))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return db
}

// Replica returns another DB on the schema of db, through a new pool of
// its own: what a second replica of a service on the same database sees.
func Replica(t testing.TB, db *postgres.DB, configure ...func(*pgxpool.Config)) *postgres.DB {
	t.Helper()
	return Open(t, Pool(t, configure...), db.Schema())
}
