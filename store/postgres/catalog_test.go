package postgres_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/catalog/catalogtest"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

func newCatalog(t *testing.T, opts ...catalog.Option) (*postgres.CatalogStore, *postgres.DB) {
	t.Helper()
	db := pgtest.New(t)
	s, err := db.Catalog(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func TestCatalogConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalog.Store {
		s, _ := newCatalog(t)
		return s
	})
}

// Two replicas on one schema: a write through one is seen by the other,
// and a stale write through the other conflicts.
func TestCatalogReplicas(t *testing.T) {
	a, db := newCatalog(t)
	b, err := pgtest.Replica(t, db).Catalog()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e := catalogtest.Entry(3)
	v1, err := a.Put(ctx, e, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Get(ctx, e.ID); err != nil || got.Version != 1 || !got.UpdatedAt.Equal(v1.UpdatedAt) {
		t.Fatalf("the other replica reads %+v, %v", got, err)
	}
	if _, _, err := b.Publish(ctx, e.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Put(ctx, e, 1); !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("stale Put through the first replica = %v, want ErrConflict", err)
	}
}

// What PostgreSQL's types cannot hold is refused with ErrInvalid, and
// nothing is written.
func TestCatalogUnstorable(t *testing.T) {
	s, _ := newCatalog(t)
	ctx := context.Background()
	for name, change := range map[string]func(*catalog.Entry){
		"nul":      func(e *catalog.Entry) { e.Summary = "a\x00b" },
		"not utf8": func(e *catalog.Entry) { e.Items[0].Name = "\xff" },
		"bad date": func(e *catalog.Entry) { e.ReleaseDate = catalog.Date{Year: 2026, Month: 2, Day: 30} },
	} {
		e := catalogtest.Entry(1)
		change(&e)
		_, err := s.Put(ctx, e, 0)
		if !errors.Is(err, govshare.ErrInvalid) || govshare.MessageOf(err).Code != "postgres.unstorable" {
			t.Errorf("%s: Put = %v, want postgres.unstorable (ErrInvalid)", name, err)
		}
		if _, err := s.Get(ctx, e.ID); !errors.Is(err, govshare.ErrNotFound) {
			t.Errorf("%s: the refused entry was stored: %v", name, err)
		}
	}
	// A valid date and every field round-trip.
	e := catalogtest.Entry(2)
	e.ReleaseDate = catalog.Date{Year: 2026, Month: 2, Day: 28}
	e.Related = []string{"101001/000002"}
	e.ResourceClass, e.ProviderCode, e.Open = "1", "A01", catalog.OpenAttribute(1)
	v, err := s.Put(ctx, e, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, e.ID)
	if err != nil || got.ReleaseDate != e.ReleaseDate || len(got.Related) != 1 || got.ResourceClass != "1" || got.ProviderCode != "A01" ||
		got.Open != e.Open || !got.UpdatedAt.Equal(v.UpdatedAt) || len(got.Items) != len(e.Items) || got.Items[1] != e.Items[1] {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}

func TestCatalogOptions(t *testing.T) {
	db := pgtest.New(t)
	if _, err := db.Catalog(catalog.WithAllowedCreditCodes("not a code")); !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("Catalog with a bad option = %v, want ErrInvalid", err)
	}
	// The options are the memory store's: a pattern of the host's own.
	s, err := db.Catalog(catalog.WithIDPattern(regexp.MustCompile(`^ZJ-[0-9]+$`)))
	if err != nil {
		t.Fatal(err)
	}
	e := catalogtest.Entry(1)
	if _, err := s.Put(context.Background(), e, 0); !errors.Is(err, catalog.ErrInvalidID) {
		t.Fatalf("Put of a code off the host's pattern = %v, want ErrInvalidID", err)
	}
	e.ID = "ZJ-1"
	if _, err := s.Put(context.Background(), e, 0); err != nil {
		t.Fatalf("Put of a code on the host's pattern = %v", err)
	}
}

// After ANALYZE, Find looks up only the rarer features (pg_stats); the
// results stay the memory store's.
func TestCatalogFindAfterAnalyze(t *testing.T) {
	s, db := newCatalog(t)
	ctx := context.Background()
	mem, err := catalog.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := catalogtest.Write(ctx, mem, 240); err != nil {
		t.Fatal(err)
	}
	if err := catalogtest.Write(ctx, s, 240); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "ANALYZE "+postgres.Table(db, "catalog_entries")); err != nil {
		t.Fatal(err)
	}
	// A new store reads the statistics afresh.
	s, err = db.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range catalogtest.Queries() {
		want, werr := mem.Find(ctx, q)
		got, gerr := s.Find(ctx, q)
		if (werr == nil) != (gerr == nil) || got.Total != want.Total || len(got.Entries) != len(want.Entries) {
			t.Errorf("Find(%+v) = %d (%v), memory store %d (%v)", q, got.Total, gerr, want.Total, werr)
			continue
		}
		for i := range want.Entries {
			if got.Entries[i].ID != want.Entries[i].ID || got.Entries[i].Version != want.Entries[i].Version {
				t.Errorf("Find(%+v) entry %d is %s v%d, memory store %s v%d", q, i, got.Entries[i].ID, got.Entries[i].Version,
					want.Entries[i].ID, want.Entries[i].Version)
				break
			}
		}
	}
}
