package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

// powerCutBase is a log file as a power cut finds it: records whose
// Append returned (acknowledged, synced) up to acked, and after that the
// bytes of the write in progress, which the disk may have kept in part.
type powerCutBase struct {
	name    string
	data    []byte
	acked   int64    // the end of the last acknowledged frame
	records []Record // the acknowledged records
}

// newPowerCutBase writes n acknowledged records (a checkpoint after every
// 16th) with the given durability policy, then the write in progress: with
// group commit, eight goroutines appending at once and a checkpoint, which
// the committer writes in batches of several frames; with sync-each, one
// frame, a record or a checkpoint.
func newPowerCutBase(t *testing.T, name string, n int, each bool, rng *rand.Rand) *powerCutBase {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), name+".log")
	policy := WithGroupCommit(0)
	if each {
		policy = WithSyncEach()
	}
	f := openTestFile(t, path, policy)
	b := &powerCutBase{name: name}
	for i := 0; i < n; i++ {
		r, err := f.Append(ctx, testEvent(i))
		if err != nil {
			t.Fatal(err)
		}
		b.records = append(b.records, r)
		if i%16 == 15 {
			if _, err := f.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.acked = int64(len(readFile(t, path)))
	if each {
		if rng.IntN(4) == 0 {
			_, err := f.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
		} else {
			appendN(t, f, n, 1)
		}
	} else {
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 2 {
					if _, err := f.Append(ctx, testEvent(n+2*w+k)); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		if _, err := f.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b.data = readFile(t, path)
	return b
}

// TestPowerCut plays a power cut during the last write of a log file 240
// times, with group commit and with sync-each: either a 512-byte sector
// after the last acknowledged record is lost (read back as zeros) while
// the bytes after it survive, or the file is cut at a random point after
// it. Every time, a reader opens the file and yields every acknowledged
// record as it was written; where the damage is a torn tail, Repair
// removes it and a writer finds every acknowledged record; where valid
// frames follow the damage, Repair refuses and leaves every byte, and
// Salvage copies every acknowledged record to a file a writer opens. The
// file is checked with Verify each time.
func TestPowerCut(t *testing.T) {
	const cuts = 240
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	var bases []*powerCutBase
	for _, n := range []int{5, 23, 40, 61} {
		bases = append(bases,
			newPowerCutBase(t, fmt.Sprintf("group-%d", n), n, false, rng),
			newPowerCutBase(t, fmt.Sprintf("each-%d", n), n, true, rng))
	}
	pub := testSigner(t, 1).Public()
	dir := t.TempDir()
	var unreadable, lost int
	type tally struct{ clean, repaired, salvaged, fragments int }
	tallies := map[string]*tally{"group commit": {}, "sync-each": {}}
	for k := range cuts {
		b := bases[k%len(bases)]
		tl := tallies["group commit"]
		if b.name[:4] == "each" {
			tl = tallies["sync-each"]
		}
		data := append([]byte(nil), b.data...)
		size := int64(len(data))
		what := ""
		if (k/len(bases))%2 == 0 {
			// A sector that overlaps the write in progress; the part of it
			// before b.acked was synced and survives.
			first, last := b.acked/512, (size-1)/512
			sector := first + rng.Int64N(last-first+1)
			lo, hi := max(sector*512, b.acked), min(sector*512+512, size)
			clear(data[lo:hi])
			what = fmt.Sprintf("%s: sector %d zeroed (bytes %d–%d of %d, acknowledged up to %d)", b.name, sector, lo, hi, size, b.acked)
		} else {
			cut := b.acked + rng.Int64N(size-b.acked+1)
			data = data[:cut]
			what = fmt.Sprintf("%s: cut at %d of %d (acknowledged up to %d)", b.name, cut, size, b.acked)
		}
		path := filepath.Join(dir, fmt.Sprintf("cut-%03d.log", k))
		writeFile(t, path, data)

		r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
		if err != nil {
			unreadable++
			t.Errorf("%s: a reader cannot open the file: %v", what, err)
			continue
		}
		got := readAll(t, r)
		d := r.Damage()
		verr := r.Verify(ctx)
		r.Close()
		if len(got) < len(b.records) || !reflect.DeepEqual(got[:len(b.records)], b.records) {
			lost++
			t.Errorf("%s: the reader yields %d records, not the %d acknowledged as written", what, len(got), len(b.records))
			continue
		}
		if d != nil && (d.Offset < b.acked || d.Records < uint64(len(b.records))) {
			t.Errorf("%s: damage %+v reported inside the acknowledged records", what, d)
		}
		var ve *VerifyError
		switch {
		case d == nil || d.Tail:
			if verr != nil {
				t.Errorf("%s: Verify of the intact prefix: %v", what, verr)
			}
		case !errors.As(verr, &ve) || ve.Seq != d.Records || ve.Kind != KindModified:
			t.Errorf("%s: Verify = %v, want the damage at record %d", what, verr, d.Records)
		}

		wpath := path
		switch {
		case d == nil:
			tl.clean++
		case d.Tail:
			rep, err := Repair(ctx, path)
			if err != nil || rep.Size != d.Offset {
				t.Errorf("%s: Repair of a torn tail: %+v, %v", what, rep, err)
				continue
			}
			tl.repaired++
		default:
			if _, err := Repair(ctx, path); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s: Repair of damage with valid frames after it: %v, want ErrCorrupt", what, err)
			}
			if !bytes.Equal(readFile(t, path), data) {
				t.Fatalf("%s: Repair changed the file", what)
			}
			wpath = path + ".salvaged"
			rep, err := Salvage(ctx, path, wpath, WithKey(testKey), WithPublicKey(pub))
			if err != nil {
				t.Errorf("%s: Salvage: %v", what, err)
				continue
			}
			if len(rep.Fragments) == 0 || rep.Records < uint64(len(b.records)) {
				t.Errorf("%s: Salvage report %+v", what, rep)
			}
			tl.salvaged++
			tl.fragments += len(rep.Fragments)
		}
		w, err := OpenFile(ctx, wpath, WithKey(testKey), WithSigner(testSigner(t, 1)))
		if err != nil {
			t.Errorf("%s: a writer cannot open the log: %v", what, err)
			continue
		}
		after := readAll(t, w)
		if len(after) < len(b.records) || !reflect.DeepEqual(after[:len(b.records)], b.records) {
			lost++
			t.Errorf("%s: after recovery the log holds %d records, not the %d acknowledged", what, len(after), len(b.records))
		}
		if err := w.Verify(ctx); err != nil {
			t.Errorf("%s: Verify after recovery: %v", what, err)
		}
		w.Close()
	}
	t.Logf("%d power cuts: %d unreadable, %d with acknowledged records lost", cuts, unreadable, lost)
	for _, p := range []string{"group commit", "sync-each"} {
		tl := tallies[p]
		t.Logf("%s: %d left intact, %d torn tails repaired, %d salvaged (%d fragments reported)", p, tl.clean, tl.repaired, tl.salvaged, tl.fragments)
	}
}
