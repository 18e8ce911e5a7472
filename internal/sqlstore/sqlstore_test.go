package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

func TestLoadMigrationsRefusesBadFiles(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"not NNNN_name.sql": {"m/1_a.sql": {}},
		"not .sql":          {"m/0001_a.txt": {}},
		"a gap":             {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"not from 1":        {"m/0002_b.sql": {}},
	} {
		if _, err := LoadMigrations(fsys, "m", "test"); err == nil || !strings.HasPrefix(err.Error(), "test: ") {
			t.Errorf("%s: got %v, want an error naming the store", name, err)
		}
	}
	if _, err := LoadMigrations(fstest.MapFS{}, "missing", "test"); err == nil {
		t.Error("a missing directory is not an error")
	}
}

func TestDBError(t *testing.T) {
	never := func(error) bool { return false }
	if DBError("p", "op", nil, never) != nil {
		t.Error("nil is not nil")
	}
	if err := DBError("p", "op", context.Canceled, never); err != context.Canceled {
		t.Errorf("a context's error is wrapped: %v", err)
	}
	conflict := fmt.Errorf("%w: taken", govshare.ErrConflict)
	if err := DBError("p", "op", conflict, never); err != conflict {
		t.Errorf("an error with a kind is wrapped: %v", err)
	}
	boom := errors.New("syntax error")
	err := DBError("p", "insert", boom, never)
	if !errors.Is(err, govshare.ErrInternal) || !errors.Is(err, boom) || govshare.MessageOf(err).Code != "p.error" {
		t.Errorf("got %v (%s)", err, govshare.MessageOf(err).Code)
	}
	if m := govshare.MessageOf(err); !strings.Contains(m.Zh, "insert") || m.En != "p: insert" {
		t.Errorf("message %+v", m)
	}
}

func TestInCST(t *testing.T) {
	fixed := time.FixedZone("", 8*3600)
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, fixed)
	type inner struct{ At time.Time }
	type outer struct {
		At     time.Time
		Zero   time.Time
		Ptr    *inner
		List   []inner
		Arr    [1]inner
		hidden time.Time
	}
	v := outer{At: at, Ptr: &inner{at}, List: []inner{{at}, {at}}, Arr: [1]inner{{at}}, hidden: at}
	InCST(&v)
	for name, got := range map[string]time.Time{"At": v.At, "Ptr": v.Ptr.At, "List[1]": v.List[1].At, "Arr[0]": v.Arr[0].At} {
		if got.Location() != deadline.CST || !got.Equal(at) {
			t.Errorf("%s = %v in %v, want the same instant in deadline.CST", name, got, got.Location())
		}
	}
	if !v.Zero.IsZero() {
		t.Errorf("the zero time became %v", v.Zero)
	}
	if v.hidden.Location() != fixed {
		t.Error("an unexported field was changed")
	}
	InCST(nil)
	InCST(v) // not a pointer: nothing happens, no panic
}
