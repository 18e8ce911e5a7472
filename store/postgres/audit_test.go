package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func newAuditLog(t *testing.T, db *postgres.DB, name string, opts ...audit.Option) *postgres.AuditLog {
	t.Helper()
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.AuditLog(context.Background(), name, append([]audit.Option{audit.WithSigner(signer)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAuditLogConformance(t *testing.T) {
	t.Run("unkeyed", func(t *testing.T) {
		audittest.Run(t, func(t *testing.T) audit.Log { return newAuditLog(t, pgtest.New(t), "main") })
	})
	t.Run("keyed", func(t *testing.T) {
		audittest.Run(t, func(t *testing.T) audit.Log {
			return newAuditLog(t, pgtest.New(t), "main", audit.WithKey(testKey), audit.WithAlgorithm(audit.SHA256))
		})
	})
}

// Named logs in one schema are separate chains with heads of their own.
func TestAuditLogNamed(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	a := newAuditLog(t, db, "浙江省")
	b := newAuditLog(t, db, "杭州市")
	for i := 0; i < 5; i++ {
		if _, err := a.Append(ctx, audittest.Event(i)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := b.Append(ctx, audittest.Event(9))
	if err != nil || r.Seq != 0 {
		t.Fatalf("first record of the second log: seq %d, %v", r.Seq, err)
	}
	if n, _ := a.Len(ctx); n != 5 {
		t.Fatalf("first log has %d records, want 5", n)
	}
	if a.Header().LogID == b.Header().LogID {
		t.Fatal("two logs share a log id")
	}
	// Reopening gives the same header; a second replica sees the records.
	again, err := pgtest.Replica(t, db).AuditLog(ctx, "浙江省")
	if err != nil || again.Header() != a.Header() {
		t.Fatalf("reopened header %+v, %v; want %+v", again.Header(), err, a.Header())
	}
	if n, _ := again.Len(ctx); n != 5 {
		t.Fatalf("the replica sees %d records", n)
	}
	if err := again.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Checkpoint(ctx); !errors.Is(err, audit.ErrNoSigner) {
		t.Fatalf("Checkpoint without a signer = %v, want ErrNoSigner", err)
	}
	for _, bad := range []string{"", "a\nb", string(make([]byte, postgres.MaxLogName+1))} {
		if _, err := db.AuditLog(ctx, bad); !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("AuditLog(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := db.AuditLog(ctx, "x", audit.ReadOnly()); !errors.Is(err, audit.ErrInvalidOption) {
		t.Errorf("AuditLog with a file option = %v, want ErrInvalidOption", err)
	}
}

// A keyed log opens only with its key; the algorithm is the stored one.
func TestAuditLogHeaderChecks(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	newAuditLog(t, db, "keyed", audit.WithKey(testKey))
	if _, err := db.AuditLog(ctx, "keyed"); !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("keyed log without its key = %v, want ErrHeaderMismatch", err)
	}
	if _, err := db.AuditLog(ctx, "keyed", audit.WithKey([]byte("another key of 32 bytes, wrong!!"))); !errors.Is(err, audit.ErrWrongKey) {
		t.Errorf("keyed log with another key = %v, want ErrWrongKey", err)
	}
	if _, err := db.AuditLog(ctx, "keyed", audit.WithKey(testKey), audit.WithAlgorithm(audit.SHA256)); !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("SM3 log opened as SHA-256 = %v, want ErrHeaderMismatch", err)
	}
	newAuditLog(t, db, "plain")
	if _, err := db.AuditLog(ctx, "plain", audit.WithKey(testKey)); !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("unkeyed log with a key = %v, want ErrHeaderMismatch", err)
	}
	// WithLogID names a new log's id; an existing log with another id is
	// refused, not silently opened under the id the caller did not ask for.
	id := audit.LogID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	l := newAuditLog(t, db, "pinned", audit.WithLogID(id))
	if l.Header().LogID != id {
		t.Fatalf("new log's id %v, want %v", l.Header().LogID, id)
	}
	if _, err := db.AuditLog(ctx, "pinned", audit.WithLogID(id)); err != nil {
		t.Errorf("reopening with its own id: %v", err)
	}
	var he *audit.HeaderError
	if _, err := db.AuditLog(ctx, "pinned", audit.WithLogID(audit.LogID{9})); !errors.As(err, &he) || he.Setting != "log id" || !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("reopening with another id = %v, want a *HeaderError on the log id", err)
	}
	if _, err := db.AuditLog(ctx, "plain", audit.WithLogID(id)); !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("an existing log with an id it does not have = %v, want ErrHeaderMismatch", err)
	}
}

// An Append in a caller's transaction commits with it, or not at all.
func TestAuditLogAppendInCallersTx(t *testing.T) {
	db := pgtest.New(t)
	l := newAuditLog(t, db, "main", audit.WithKey(testKey))
	ctx := context.Background()
	if _, err := l.Append(ctx, audittest.Event(0)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("the state change failed after its record")
	err := postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		r, err := l.Append(ctx, audittest.Event(1))
		if err != nil {
			return err
		}
		if r.Seq != 1 {
			t.Errorf("record in the transaction has seq %d", r.Seq)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("inTx = %v", err)
	}
	if n, _ := l.Len(ctx); n != 1 {
		t.Fatalf("Len = %d after the rollback, want 1", n)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify after the rollback: %v", err)
	}
	// Committed: the record is there, and the next append follows it.
	err = postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := l.Append(ctx, audittest.Event(2))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := l.Append(ctx, audittest.Event(3))
	if err != nil || r.Seq != 2 {
		t.Fatalf("append after the committed one: seq %d, %v; want 2", r.Seq, err)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	// An invalid event inside a transaction leaves the transaction usable.
	err = postgres.InTx(db, ctx, func(ctx context.Context, tx pgx.Tx) error {
		bad := audittest.Event(4)
		bad.Action = "BAD"
		if _, err := l.Append(ctx, bad); !errors.Is(err, audit.ErrInvalidEvent) {
			t.Errorf("invalid event = %v", err)
		}
		_, err := l.Append(ctx, audittest.Event(4))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := l.Len(ctx); n != 4 {
		t.Fatalf("Len = %d, want 4", n)
	}
}

// Many own-transaction appends at once share group commits: every one that
// succeeds is in the chain at the seq it was given, those whose context
// ended first are not, and the chain verifies.
func TestAuditLogGroupCommit(t *testing.T) {
	db := pgtest.New(t)
	l := newAuditLog(t, db, "group", audit.WithKey(testKey))
	const appenders = 48
	type result struct {
		rec audit.Record
		err error
	}
	results := make(chan result, appenders)
	for i := 0; i < appenders; i++ {
		go func() {
			ctx := context.Background()
			if i%6 == 5 {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			r, err := l.Append(ctx, audittest.Event(i))
			results <- result{r, err}
		}()
	}
	ok := map[uint64]audit.Record{}
	for i := 0; i < appenders; i++ {
		r := <-results
		switch {
		case r.err == nil:
			if _, dup := ok[r.rec.Seq]; dup {
				t.Fatalf("two appends got seq %d", r.rec.Seq)
			}
			ok[r.rec.Seq] = r.rec
		case !errors.Is(r.err, context.Canceled):
			t.Fatalf("Append: %v", r.err)
		}
	}
	ctx := context.Background()
	n, err := l.Len(ctx)
	if err != nil || n != uint64(len(ok)) || len(ok) < appenders*5/6 {
		t.Fatalf("Len %d (%v), %d appends succeeded; want them equal, at least %d", n, err, len(ok), appenders*5/6)
	}
	for r, err := range l.Read(ctx, 0, n) {
		if err != nil {
			t.Fatal(err)
		}
		if want, found := ok[r.Seq]; !found || want.Hash != r.Hash {
			t.Fatalf("stored record %d is not what its Append returned", r.Seq)
		}
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
