package audit

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

func newTestMemory(t testing.TB, opts ...Option) *Memory {
	t.Helper()
	m, err := NewMemory(append([]Option{WithSigner(testSigner(t, 1)), WithClock(fixedClock(t0))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMemoryAppendRead(t *testing.T) {
	ctx := context.Background()
	m := newTestMemory(t, WithKey(testKey))
	recs := appendN(t, m, 0, 10)
	for i, r := range recs {
		if r.Seq != uint64(i) {
			t.Fatalf("record %d has seq %d", i, r.Seq)
		}
		if i == 0 && !r.Prev.IsZero() {
			t.Errorf("first record's prev = %s, want zero", r.Prev)
		}
		if i > 0 && r.Prev != recs[i-1].Hash {
			t.Errorf("record %d's prev is not record %d's hash", i, i-1)
		}
	}
	if n, _ := m.Len(ctx); n != 10 {
		t.Fatalf("Len = %d", n)
	}
	got := readAll(t, m)
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("Read gave back other records than Append returned\n got %+v\nwant %+v", got[0], recs[0])
	}
	var part []uint64
	for r, err := range m.Read(ctx, 3, 6) {
		if err != nil {
			t.Fatal(err)
		}
		part = append(part, r.Seq)
	}
	if !reflect.DeepEqual(part, []uint64{3, 4, 5}) {
		t.Errorf("Read(3, 6) = %v", part)
	}
	for _, r := range [][2]uint64{{5, 3}, {0, 11}} {
		for _, err := range m.Read(ctx, r[0], r[1]) {
			if !errors.Is(err, ErrOutOfRange) {
				t.Errorf("Read(%d, %d) error = %v, want ErrOutOfRange", r[0], r[1], err)
			}
		}
	}
	if err := m.Verify(ctx); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestMemoryRefusesBadEvent(t *testing.T) {
	ctx := context.Background()
	m := newTestMemory(t)
	appendN(t, m, 0, 2)
	bad := testEvent(2)
	bad.Actor.ID = ""
	if _, err := m.Append(ctx, bad); !errors.Is(err, ErrInvalidEvent) {
		t.Fatalf("error = %v, want ErrInvalidEvent", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Append(canceled, testEvent(2)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if n, _ := m.Len(ctx); n != 2 {
		t.Fatalf("a refused event changed the log: Len = %d", n)
	}
	r, err := m.Append(ctx, testEvent(2))
	if err != nil || r.Seq != 2 {
		t.Fatalf("next append: seq %d, %v", r.Seq, err)
	}
}

func TestMemoryOptions(t *testing.T) {
	for name, opts := range map[string][]Option{
		"short key":          {WithKey([]byte("short"))},
		"unknown algorithm":  {WithAlgorithm(9)},
		"read-only":          {ReadOnly()},
		"durability":         {WithSyncEach()},
		"public key only":    {WithPublicKey(PublicKey{})},
		"nil signer":         {WithSigner(nil)},
		"nil clock":          {WithClock(nil)},
		"non-positive limit": {WithLimits(Limits{MaxText: 0, MaxDetails: 1, MaxDepth: 1})},
	} {
		_, err := NewMemory(opts...)
		var oe *OptionError
		if !errors.Is(err, ErrInvalidOption) || !errors.As(err, &oe) || oe.Detail == "" {
			t.Errorf("%s: error = %v, want an *OptionError", name, err)
		}
	}
	m, err := NewMemory(WithAlgorithm(SHA256))
	if err != nil {
		t.Fatal(err)
	}
	if !(PublicKey{}).IsZero() || m.PublicKey().IsZero() {
		t.Errorf("IsZero: the zero key %v, a generated key %v", (PublicKey{}).IsZero(), m.PublicKey().IsZero())
	}
	if m.Header().Algorithm != SHA256 || m.Header().Keyed || m.PublicKey().Algorithm != SM2 {
		t.Errorf("header %+v, key %s: want SHA-256, unkeyed, a generated SM2 key", m.Header(), m.PublicKey().Algorithm)
	}
}

func TestMemoryQuery(t *testing.T) {
	ctx := context.Background()
	m := newTestMemory(t)
	appendN(t, m, 0, 30)
	seqs := func(f Filter) []uint64 {
		var out []uint64
		for r, err := range m.Query(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r.Seq)
		}
		return out
	}
	tests := []struct {
		name string
		f    Filter
		want []uint64
	}{
		{"department by credit code", Filter{Department: civilAffairs.CreditCode, To: t0.Add(10 * time.Second)}, []uint64{0, 3, 6, 9}},
		{"department by credit code, from", Filter{Department: publicSecurity.CreditCode, From: t0.Add(20 * time.Second)}, []uint64{22, 25, 28}},
		{"a name is never an identity", Filter{Department: "某市公安局"}, nil},
		{"actor", Filter{Actor: "u-20002", To: t0.Add(8 * time.Second)}, []uint64{1, 4, 7}},
		{"action", Filter{Action: "grant.access", To: t0.Add(9 * time.Second)}, []uint64{2, 5, 8}},
		{"action prefix", Filter{Action: "request.", From: t0.Add(25 * time.Second)}, []uint64{25, 27, 28}},
		{"target", Filter{TargetKind: "application", TargetID: "SQ-2026-000013"}, []uint64{13}},
		{"failures", Filter{Outcome: Failure, From: t0.Add(24 * time.Second)}, []uint64{26, 29}},
		{"time range", Filter{From: t0.Add(10 * time.Second), To: t0.Add(13 * time.Second)}, []uint64{10, 11, 12}},
		{"nothing", Filter{Actor: "nobody"}, nil},
		{"empty range", Filter{From: t0.Add(time.Hour), To: t0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := seqs(tt.f); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if n := len(seqs(Filter{})); n != 30 {
		t.Errorf("the zero filter matched %d of 30", n)
	}
	for r := range m.Query(ctx, Filter{TargetID: "SQ-2026-000013"}) {
		if r.Event.Target.ID != "SQ-2026-000013" || r.Event.Actor.Name != "李四" || r.Hash.IsZero() {
			t.Errorf("query returned %+v", r)
		}
	}
}

func TestMemoryCheckpointsAndProofs(t *testing.T) {
	ctx := context.Background()
	m := newTestMemory(t, WithKey(testKey))
	recs := appendN(t, m, 0, 37)
	cp1, err := m.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs = append(recs, appendN(t, m, 37, 60)...)
	cp2, err := m.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cp1.Size != 37 || cp2.Size != 97 || cp2.Head != recs[96].Hash || !cp2.Time.Equal(t0) {
		t.Fatalf("checkpoints %d, %d (head %s, time %v)", cp1.Size, cp2.Size, cp2.Head, cp2.Time)
	}
	pub := m.PublicKey()
	for _, seq := range []uint64{0, 1, 36} {
		p, err := m.ProveInclusion(ctx, seq, cp1.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyInclusion(pub, cp1, recs[seq], p); err != nil {
			t.Errorf("record %d in checkpoint 1: %v", seq, err)
		}
		forged := recs[seq]
		forged.Event.Actor.Name = "王五"
		var ve *VerifyError
		if err := VerifyInclusion(pub, cp1, forged, p); !errors.As(err, &ve) || ve.Kind != KindModified || ve.Seq != seq {
			t.Errorf("a changed record %d verified: %v", seq, err)
		}
	}
	cproof, err := m.ProveConsistency(ctx, cp1.Size, cp2.Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyConsistency(pub, cp1, cp2, cproof); err != nil {
		t.Errorf("VerifyConsistency: %v", err)
	}
	var ve *VerifyError
	if err := VerifyConsistency(pub, cp2, cp1, cproof); !errors.As(err, &ve) || ve.Kind != KindTruncated {
		t.Errorf("newer and older swapped: %v", err)
	}
	bad := cp2
	bad.Root[0] ^= 1
	if err := VerifyConsistency(pub, cp1, bad, cproof); !errors.As(err, &ve) || ve.Kind != KindBadSignature || ve.Seq != 97 {
		t.Errorf("altered checkpoint: %v", err)
	}
	other := testSigner(t, 2).Public()
	if err := VerifyInclusion(other, cp1, recs[0], InclusionProof{Seq: 0, Size: 37}); !errors.As(err, &ve) || ve.Kind != KindBadSignature {
		t.Errorf("another key verified the checkpoint: %v", err)
	}
	if got := m.Checkpoints(); len(got) != 2 || got[1].Size != 97 {
		t.Errorf("Checkpoints = %d", len(got))
	}
	if _, err := m.ProveInclusion(ctx, 97, 97); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("proof beyond the log: %v", err)
	}
	if err := m.Verify(ctx, cp1, cp2); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestConcurrentAppendsGapless: many goroutines appending at once get
// distinct sequence numbers with no gap, and the log verifies.
func TestConcurrentAppendsGapless(t *testing.T) {
	const writers, each = 32, 50
	ctx := context.Background()
	logs := map[string]Log{"memory": newTestMemory(t, WithKey(testKey))}
	f, err := OpenFile(ctx, t.TempDir()+"/audit.log", WithKey(testKey), WithSigner(testSigner(t, 1)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	logs["file"] = f
	for name, l := range logs {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			seen := make([][]uint64, writers)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						r, err := l.Append(ctx, testEvent(w*each+i))
						if err != nil {
							t.Error(err)
							return
						}
						seen[w] = append(seen[w], r.Seq)
					}
					if w%8 == 0 {
						if _, err := l.Checkpoint(ctx); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			used := make([]bool, writers*each)
			for _, s := range seen {
				for i, seq := range s {
					if seq >= uint64(len(used)) || used[seq] {
						t.Fatalf("sequence number %d out of range or given twice", seq)
					}
					used[seq] = true
					if i > 0 && seq <= s[i-1] {
						t.Fatalf("one goroutine's appends got decreasing numbers %d, %d", s[i-1], seq)
					}
				}
			}
			for i, r := range readAll(t, l) {
				if r.Seq != uint64(i) {
					t.Fatalf("position %d holds seq %d", i, r.Seq)
				}
			}
			if err := l.Verify(ctx); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

// TestQueryDepartmentIdentity: Filter.Department matches the department's
// identity, govshare.Department.ID — the credit code, or "dir:" and the
// DirectoryID of a department without one — and never its name, in a
// memory log and a file log; the directory id is recorded, so a record
// read back names the same department.
func TestQueryDepartmentIdentity(t *testing.T) {
	ctx := context.Background()
	archive := govshare.Department{Name: "某县档案馆", DirectoryID: "ZJ-330100-017", RegionCode: "330100", Level: govshare.County}
	// Someone naming their department after another's credit code, or
	// after the archive's identity.
	impostor := govshare.Department{Name: civilAffairs.CreditCode, DirectoryID: "X-1"}
	impostor2 := govshare.Department{Name: "dir:ZJ-330100-017", DirectoryID: "X-2"}
	both := govshare.Department{Name: "某市民政局", CreditCode: civilAffairs.CreditCode, DirectoryID: "ignored"}
	events := []Event{testEvent(0), testEvent(1), testEvent(2), testEvent(3), testEvent(4)}
	events[1].Actor.Department = archive
	events[2].Actor.Department = impostor
	events[3].Actor.Department = impostor2
	events[4].Actor.Department = both
	path := filepath.Join(t.TempDir(), "audit.log")
	logs := map[string]Log{"memory": newTestMemory(t), "file": openTestFile(t, path)}
	for name, l := range logs {
		t.Run(name, func(t *testing.T) {
			var appended []Record
			for _, e := range events {
				r, err := l.Append(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				appended = append(appended, r)
			}
			if got := readAll(t, l); !reflect.DeepEqual(got, appended) {
				t.Fatalf("read back:\n%+v\nappended:\n%+v", got, appended)
			}
			if d := appended[1].Event.Actor.Department; d.DirectoryID != archive.DirectoryID || d.CreditCode != "" {
				t.Errorf("the archive is recorded as %+v", d)
			}
			if d := appended[4].Event.Actor.Department; d.DirectoryID != "" || d.ID() != civilAffairs.CreditCode {
				t.Errorf("a directory id beside a credit code is kept: %+v", d)
			}
			tests := []struct {
				dept string
				want []uint64
			}{
				{civilAffairs.CreditCode, []uint64{0, 4}},
				{"dir:ZJ-330100-017", []uint64{1}},
				{"ZJ-330100-017", nil},
				{"dir:X-1", []uint64{2}},
				{"某县档案馆", nil},
				{"某市民政局", nil},
			}
			for _, tt := range tests {
				var got []uint64
				for r, err := range l.Query(ctx, Filter{Department: tt.dept}) {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, r.Seq)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Department %q matched %v, want %v", tt.dept, got, tt.want)
				}
			}
			if err := l.Verify(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
	logs["file"].(*File).Close()
	e := testEvent(0)
	e.Actor.Department = govshare.Department{Name: "某局", CreditCode: "dir:ZJ-330100-017"}
	var ee *EventError
	if _, err := newTestMemory(t).Append(ctx, e); !errors.As(err, &ee) || ee.Field != "actor.department.credit_code" {
		t.Errorf("a credit code in the form of a directory id: %v", err)
	}
	e.Actor.Department = govshare.Department{Name: "某局", DirectoryID: "a\nb"}
	if _, err := newTestMemory(t).Append(ctx, e); !errors.As(err, &ee) || ee.Field != "actor.department.directory_id" {
		t.Errorf("a directory id with a control character: %v", err)
	}
}
