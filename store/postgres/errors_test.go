package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
	"github.com/govshare/govshare/catalog/catalogtest"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// A server that cannot be reached is govshare.ErrUnavailable, with a
// message in both languages.
func TestUnreachableServerIsUnavailable(t *testing.T) {
	cfg, err := pgxpool.ParseConfig("postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db, err := postgres.New(pool)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = db.Migrate(ctx)
	if !errors.Is(err, govshare.ErrUnavailable) || govshare.HTTPStatus(err) != 503 {
		t.Fatalf("Migrate on a closed port = %v, want ErrUnavailable", err)
	}
	if m := govshare.MessageOf(err); m.Code != "postgres.unavailable" || m.Zh == "" || m.En == "" {
		t.Fatalf("message %+v", m)
	}
	s, err := db.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, catalogtest.Entry(1), 0); !errors.Is(err, govshare.ErrUnavailable) {
		t.Fatalf("Put on a closed port = %v, want ErrUnavailable", err)
	}
}

// A record deleted with SQL below the head makes Read fail at its seq
// rather than skip it.
func TestAuditReadReportsMissingRecord(t *testing.T) {
	db := pgtest.New(t)
	l := newAuditLog(t, db, "holes", audit.WithKey(testKey))
	ctx := context.Background()
	for i := 0; i < 6; i++ {
		if _, err := l.Append(ctx, audittest.Event(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool().Exec(ctx, `DELETE FROM `+postgres.Table(db, "audit_records")+` WHERE log = $1 AND seq = 3`, l.Name()); err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	var last error
	for r, err := range l.Read(ctx, 0, 6) {
		if err != nil {
			last = err
			break
		}
		seqs = append(seqs, r.Seq)
	}
	var ve *audit.VerifyError
	if len(seqs) != 3 || !errors.As(last, &ve) || ve.Seq != 3 || ve.Kind != audit.KindDeleted {
		t.Fatalf("Read gave %v then %v; want 0-2 then record 3 deleted", seqs, last)
	}
	// Proofs need every record too.
	if _, err := l.ProveInclusion(ctx, 4, 6); !errors.As(err, &ve) || ve.Seq != 3 {
		t.Fatalf("ProveInclusion over the hole = %v, want record 3 deleted", err)
	}
}
