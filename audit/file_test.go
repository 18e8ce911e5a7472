package audit

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

func openTestFile(t testing.TB, path string, opts ...Option) *File {
	t.Helper()
	f, err := OpenFile(t.Context(), path, append([]Option{WithKey(testKey), WithSigner(testSigner(t, 1)), WithClock(fixedClock(t0))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFileCreateAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path)
	recs := appendN(t, f, 0, 20)
	cp, err := f.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hdr := f.Header()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := f.Append(ctx, testEvent(20)); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}

	// The bytes on disk: magic, then the header frame with its 51-byte
	// payload, then the first record frame holding the record's encoding
	// and hash.
	data := readFile(t, path)
	if !bytes.HasPrefix(data, []byte("GSAUDIT\n")) || data[8] != 'H' || binary.BigEndian.Uint32(data[9:]) != 51 {
		t.Fatalf("file starts %q", data[:16])
	}
	frames := splitFrames(t, data)
	if len(frames) != 22 || frames[0].kind != 'H' || frames[21].kind != 'C' {
		t.Fatalf("%d frames, want header, 20 records and a checkpoint", len(frames))
	}
	n0, _ := recs[0].Event.normalize(DefaultLimits)
	want := append(encodeRecord(0, Digest{}, &n0), recs[0].Hash[:]...)
	if !bytes.Equal(frames[1].payload, want) {
		t.Fatalf("first record frame holds %x\nwant %x", frames[1].payload, want)
	}

	f = openTestFile(t, path)
	defer f.Close()
	if f.Header() != hdr {
		t.Errorf("header changed on reopen")
	}
	if got := readAll(t, f); !reflect.DeepEqual(got, recs) {
		t.Fatalf("reopened log holds other records")
	}
	if cps := f.Checkpoints(); len(cps) != 1 || cps[0].Root != cp.Root {
		t.Errorf("checkpoints after reopen: %+v", cps)
	}
	r, err := f.Append(ctx, testEvent(20))
	if err != nil || r.Seq != 20 || r.Prev != recs[19].Hash {
		t.Fatalf("append after reopen: %d %v", r.Seq, err)
	}
	p, err := f.ProveInclusion(ctx, 7, cp.Size)
	if err != nil {
		t.Fatal(err)
	}
	pub := f.PublicKey()
	if err := VerifyInclusion(pub, cp, recs[7], p); err != nil {
		t.Errorf("inclusion after reopen: %v", err)
	}
	if err := f.Verify(ctx, cp); err != nil {
		t.Errorf("Verify: %v", err)
	}
	var got []uint64
	for r, err := range f.Query(ctx, Filter{Action: "grant.access", From: t0.Add(10 * time.Second)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Seq)
	}
	if !reflect.DeepEqual(got, []uint64{11, 14, 17, 20}) {
		t.Errorf("Query = %v", got)
	}
}

func TestFileHeaderIsAuthoritative(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keyed, plain := filepath.Join(dir, "keyed.log"), filepath.Join(dir, "plain.log")
	f := openTestFile(t, keyed)
	appendN(t, f, 0, 3)
	f.Close()
	g, err := OpenFile(ctx, plain, WithAlgorithm(SHA256))
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, g, 0, 3)
	g.Close()

	var he *HeaderError
	var ve *VerifyError
	tests := []struct {
		name  string
		path  string
		opts  []Option
		check func(error) bool
	}{
		{"keyed log, other algorithm", keyed, []Option{WithKey(testKey), WithAlgorithm(SHA256)},
			func(err error) bool {
				return errors.As(err, &he) && he.Setting == "algorithm" && errors.Is(err, ErrHeaderMismatch)
			}},
		{"keyed log, no key", keyed, nil,
			func(err error) bool { return errors.Is(err, ErrKeyRequired) && errors.Is(err, ErrHeaderMismatch) }},
		{"keyed log, wrong key", keyed, []Option{WithKey(otherKey)},
			func(err error) bool {
				return errors.As(err, &ve) && ve.Kind == KindWrongKey && ve.Seq == 0 && errors.Is(err, ErrWrongKey)
			}},
		{"keyed log read-only, wrong key", keyed, []Option{WithKey(otherKey), ReadOnly()},
			func(err error) bool { return errors.Is(err, ErrWrongKey) }},
		{"keyed log, other log id", keyed, []Option{WithKey(testKey), WithLogID(LogID{1})},
			func(err error) bool { return errors.As(err, &he) && he.Setting == "log id" }},
		{"unkeyed log, a key", plain, []Option{WithKey(testKey)},
			func(err error) bool { return errors.As(err, &he) && he.Setting == "key" }},
		{"SHA-256 log, SM3", plain, []Option{WithAlgorithm(SM3)},
			func(err error) bool { return errors.As(err, &he) && he.Header == "sha256" && he.Options == "sm3" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := OpenFile(ctx, tt.path, tt.opts...)
			if err == nil {
				f.Close()
				t.Fatal("opened")
			}
			if !tt.check(err) {
				t.Errorf("wrong error: %v", err)
			}
		})
	}
	// Without WithAlgorithm the header's algorithm is used.
	g, err = OpenFile(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if g.Header().Algorithm != SHA256 {
		t.Errorf("algorithm %v, want the header's SHA-256", g.Header().Algorithm)
	}
	g.Close()
	// A reader may open a keyed log without the key, and read it, but not
	// verify it.
	r, err := OpenFile(ctx, keyed, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, _ := r.Len(ctx); n != 3 {
		t.Errorf("reader sees %d records", n)
	}
	if err := r.Verify(ctx); !errors.Is(err, ErrKeyRequired) {
		t.Errorf("Verify without the key: %v", err)
	}
	// Without WithPublicKey a reader has no key to check checkpoints with:
	// the zero key, as every log reports it.
	if pub := r.PublicKey(); !pub.IsZero() {
		t.Errorf("reader without WithPublicKey: PublicKey = %v, want the zero key", pub)
	}
}

func TestFileLockAndReaders(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.log")
	w := openTestFile(t, path)
	appendN(t, w, 0, 5)
	if _, err := OpenFile(ctx, path, WithKey(testKey)); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	if _, err := Repair(ctx, path); !errors.Is(err, ErrLocked) {
		t.Fatalf("Repair under a writer: %v, want ErrLocked", err)
	}
	pub := w.PublicKey()
	r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	defer r.Close()
	appendN(t, w, 5, 3)
	cp, err := w.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Len(ctx); n != 5 {
		t.Errorf("reader sees %d records, want the 5 present when it opened", n)
	}
	if err := r.Verify(ctx); err != nil {
		t.Errorf("reader Verify: %v", err)
	}
	var ve *VerifyError
	if err := r.Verify(ctx, cp); !errors.As(err, &ve) || ve.Kind != KindTruncated || ve.Seq != 5 {
		t.Errorf("reader given a newer checkpoint: %v, want truncated at 5", err)
	}
	if _, err := r.Append(ctx, testEvent(9)); !errors.Is(err, ErrReadOnly) {
		t.Errorf("reader Append: %v", err)
	}
	if _, err := r.Checkpoint(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("reader Checkpoint: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w2 := openTestFile(t, path)
	defer w2.Close()
	if n, _ := w2.Len(ctx); n != 8 {
		t.Errorf("after the first writer closed, the next sees %d records", n)
	}
}

// lastFrameStart returns where the last frame of data starts.
func lastFrameStart(t testing.TB, data []byte) int {
	t.Helper()
	off, last := len(fileMagic), 0
	for off < len(data) {
		last = off
		off += frameOverhead + int(binary.BigEndian.Uint32(data[off+1:]))
	}
	return last
}

// TestFileTornTail cuts the last record at every byte, and tries the other
// tails a crash can leave: OpenFile reports each, a reader still reads
// the complete records, and Repair removes exactly the torn bytes.
func TestFileTornTail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.log")
	f := openTestFile(t, path)
	recs := appendN(t, f, 0, 5)
	f.Close()
	whole := readFile(t, path)
	last := lastFrameStart(t, whole)

	tails := map[string][]byte{
		"zero-filled block": append(append([]byte(nil), whole...), make([]byte, 4096)...),
		"checksum fails at end": func() []byte {
			b := append([]byte(nil), whole...)
			b[len(b)-10] ^= 0xff
			return b
		}(),
		"header of a next frame": append(append([]byte(nil), whole...), 'R', 0, 0),
	}
	for cut := last + 1; cut < len(whole); cut++ {
		tails["cut at "+strconv.Itoa(cut)] = whole[:cut]
	}
	for name, data := range tails {
		t.Run(name, func(t *testing.T) {
			writeFile(t, path, data)
			wantOff := int64(len(whole))
			if !bytes.HasPrefix(data, whole) {
				wantOff = int64(last)
			}
			records := uint64(5)
			if wantOff == int64(last) {
				records = 4
			}
			_, err := OpenFile(ctx, path, WithKey(testKey))
			var te *TornTailError
			if !errors.As(err, &te) || !errors.Is(err, ErrTornTail) {
				t.Fatalf("OpenFile: %v, want a torn tail", err)
			}
			if te.Offset != wantOff || te.Records != records || te.Bytes != int64(len(data))-wantOff {
				t.Fatalf("torn tail %+v, want offset %d, %d records", te, wantOff, records)
			}
			r, err := OpenFile(ctx, path, WithKey(testKey), ReadOnly())
			if err != nil {
				t.Fatalf("reader: %v", err)
			}
			if r.TornTail() == nil || len(readAll(t, r)) != int(records) {
				t.Errorf("reader: torn %v, %d records", r.TornTail(), len(readAll(t, r)))
			}
			if err := r.Verify(ctx); err != nil {
				t.Errorf("reader Verify: %v", err)
			}
			r.Close()
			if after := readFile(t, path); !bytes.Equal(after, data) {
				t.Fatal("opening changed the file")
			}
			rep, err := Repair(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Removed != te.Bytes || rep.Size != wantOff || rep.Records != records {
				t.Errorf("Repair = %+v", rep)
			}
			if after := readFile(t, path); !bytes.Equal(after, data[:wantOff]) {
				t.Fatal("Repair removed more or other than the torn tail")
			}
			w := openTestFile(t, path)
			defer w.Close()
			got := readAll(t, w)
			if !reflect.DeepEqual(got, recs[:records]) {
				t.Errorf("after Repair the log holds %d records", len(got))
			}
			if err := w.Verify(ctx); err != nil {
				t.Errorf("Verify after Repair: %v", err)
			}
			if rep, err := Repair(ctx, path+".none"); err == nil {
				t.Errorf("Repair of a missing file: %+v", rep)
			}
		})
	}
}

func TestFileTornHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path, WithLogID(LogID{7}))
	f.Close()
	whole := readFile(t, path)
	for _, cut := range []int{3, 8, 12, len(whole) - 1} {
		writeFile(t, path, whole[:cut])
		if _, err := OpenFile(t.Context(), path, WithKey(testKey)); !errors.Is(err, ErrTornTail) {
			t.Fatalf("cut at %d: %v, want ErrTornTail", cut, err)
		}
		if _, err := OpenFile(t.Context(), path, ReadOnly()); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("reader, cut at %d: %v, want ErrCorrupt", cut, err)
		}
		rep, err := Repair(t.Context(), path)
		if err != nil || rep.Size != 0 {
			t.Fatalf("Repair: %+v, %v", rep, err)
		}
		f := openTestFile(t, path, WithLogID(LogID{8}))
		if f.Header().LogID != (LogID{8}) {
			t.Errorf("a repaired empty file is created anew")
		}
		f.Close()
	}
}

func TestFileCorruptionIsNotRepaired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path)
	appendN(t, f, 0, 5)
	f.Close()
	whole := readFile(t, path)
	frames := splitFrames(t, whole)
	// Offset of record 2's frame: magic, header frame, records 0 and 1.
	off := len(fileMagic)
	for _, fr := range frames[:3] {
		off += frameOverhead + len(fr.payload)
	}
	tests := map[string]struct {
		data   []byte
		record uint64
	}{
		"a byte flipped in record 2": {func() []byte {
			b := append([]byte(nil), whole...)
			b[off+40] ^= 1
			return b
		}(), 2},
		"unknown frame kind": {func() []byte {
			b := append([]byte(nil), whole...)
			b[off] = 'X'
			return b
		}(), 2},
		"wrong magic": {append([]byte("NOTAUDIT"), whole[8:]...), 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			writeFile(t, path, tt.data)
			_, err := OpenFile(t.Context(), path, WithKey(testKey))
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrCorrupt) || fe.Record != tt.record {
				t.Errorf("writer: %v, want corruption at record %d", err, tt.record)
			}
			// A reader opens the file up to the damage (issue 11); only a
			// file that is not a log is refused.
			r, err := OpenFile(t.Context(), path, ReadOnly())
			switch {
			case tt.record == 0:
				if !errors.As(err, &fe) || !errors.Is(err, ErrCorrupt) {
					t.Errorf("reader: %v, want ErrCorrupt", err)
				}
			case err != nil:
				t.Errorf("reader: %v", err)
			default:
				if d := r.Damage(); d == nil || d.Records != tt.record || d.Offset != int64(off) || d.Tail {
					t.Errorf("reader: damage %+v, want record %d at offset %d, not a tail", d, tt.record, off)
				}
				if n, _ := r.Len(t.Context()); n != tt.record {
					t.Errorf("reader: %d records, want the %d before the damage", n, tt.record)
				}
				r.Close()
			}
			if _, err := Repair(t.Context(), path); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Repair: %v, want ErrCorrupt", err)
			}
			if !bytes.Equal(readFile(t, path), tt.data) {
				t.Error("Repair changed a corrupt file")
			}
		})
	}
}

func TestFileDurabilityOptions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for name, opt := range map[string]Option{"sync each": WithSyncEach(), "group commit window": WithGroupCommit(time.Millisecond)} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".log")
			f := openTestFile(t, path, opt)
			appendN(t, f, 0, 10)
			if _, err := f.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			f.Close()
			f = openTestFile(t, path)
			defer f.Close()
			if n, _ := f.Len(ctx); n != 10 || len(f.Checkpoints()) != 1 {
				t.Errorf("reopened: %d records, %d checkpoints", n, len(f.Checkpoints()))
			}
		})
	}
	for name, opts := range map[string][]Option{
		"two policies":            {WithSyncEach(), WithGroupCommit(0)},
		"negative window":         {WithGroupCommit(-time.Second)},
		"read-only with a policy": {ReadOnly(), WithSyncEach()},
	} {
		if _, err := OpenFile(ctx, filepath.Join(dir, "x.log"), opts...); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%s: %v, want ErrInvalidOption", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.log")); err == nil {
		t.Error("refused options still created a file")
	}
	f, err := OpenFile(ctx, filepath.Join(dir, "nosigner.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Checkpoint(ctx); !errors.Is(err, ErrNoSigner) {
		t.Errorf("Checkpoint without a signer: %v", err)
	}
}

// TestFileWriteFailure: once the file cannot be written, Append fails and
// the log refuses further appends; what was synced before is intact.
func TestFileWriteFailure(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path)
	appendN(t, f, 0, 3)
	f.fh.Close() // the disk goes away
	if _, err := f.Append(ctx, testEvent(3)); !errors.Is(err, ErrFailed) {
		t.Fatalf("Append on a dead file: %v, want ErrFailed", err)
	}
	if _, err := f.Append(ctx, testEvent(3)); !errors.Is(err, ErrFailed) {
		t.Fatalf("next Append: %v, want ErrFailed", err)
	}
	if n, _ := f.Len(ctx); n != 3 {
		t.Errorf("Len = %d, want the 3 synced records", n)
	}
	f.Close()
	g := openTestFile(t, path)
	defer g.Close()
	if n, _ := g.Len(ctx); n != 3 {
		t.Errorf("reopened: %d records", n)
	}
}

// TestWriterRefusesFailingLog: a writer never extends a log that fails
// verification; a reader opens it to investigate.
func TestWriterRefusesFailingLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path)
	appendN(t, f, 0, 10)
	f.Close()
	frames := splitFrames(t, readFile(t, path))
	i := recordFrames(frames)[6]
	frames[i].payload[offTime+3] ^= 1 // the time of record 6
	writeFile(t, path, joinFrames(frames))
	_, err := OpenFile(ctx, path, WithKey(testKey))
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Kind != KindModified || ve.Seq != 6 {
		t.Fatalf("writer: %v, want record 6 modified", err)
	}
	r, err := OpenFile(ctx, path, WithKey(testKey), ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Verify(ctx); !errors.As(err, &ve) || ve.Seq != 6 {
		t.Errorf("reader Verify: %v", err)
	}
}

// TestWriterRefusesBadCheckpoint: a writer checks every checkpoint in the
// file before it appends (issue 11): one that cannot be parsed, does not
// verify, is another log's, or claims records the file does not hold is
// refused with a *VerifyError of kind govshare.ErrCorrupt, and the file is
// left as it was; a reader opens it, and Verify names the same problem.
func TestWriterRefusesBadCheckpoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.log")
	f := openTestFile(t, path)
	appendN(t, f, 0, 10)
	if _, err := f.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	appendN(t, f, 10, 5)
	if _, err := f.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	hdr := f.Header()
	f.Close()
	whole := readFile(t, path)
	signer := testSigner(t, 1)
	resign := func(cp *Checkpoint) {
		cp.Signature, _ = signer.Sign(ctx, cp.Message())
	}
	// change rewrites the first checkpoint (of size 10), checksums fixed.
	change := func(do func(cp *Checkpoint, payload *[]byte)) []byte {
		frames := splitFrames(t, whole)
		for i := range frames {
			if frames[i].kind == frameCheckpoint {
				var cp Checkpoint
				if err := cp.UnmarshalBinary(frames[i].payload); err != nil {
					t.Fatal(err)
				}
				do(&cp, &frames[i].payload)
				break
			}
		}
		return joinFrames(frames)
	}
	marshal := func(cp *Checkpoint, p *[]byte) { *p, _ = cp.MarshalBinary() }
	tests := []struct {
		name string
		data []byte
		seq  uint64
		kind Kind
	}{
		{"a byte of the signature", change(func(cp *Checkpoint, p *[]byte) { cp.Signature[9] ^= 1; marshal(cp, p) }), 10, KindBadSignature},
		{"its root, signature kept", change(func(cp *Checkpoint, p *[]byte) { cp.Root[0] ^= 1; marshal(cp, p) }), 10, KindBadSignature},
		{"signed by another key", change(func(cp *Checkpoint, p *[]byte) {
			cp.Signature, _ = testSigner(t, 66).Sign(ctx, cp.Message())
			marshal(cp, p)
		}), 10, KindBadSignature},
		{"cannot be parsed", change(func(_ *Checkpoint, p *[]byte) { *p = []byte("garbage") }), 10, KindBadSignature},
		{"another log's", change(func(cp *Checkpoint, p *[]byte) { cp.LogID[0] ^= 1; resign(cp); marshal(cp, p) }), 10, KindBadSignature},
		{"a head the records do not give", change(func(cp *Checkpoint, p *[]byte) { cp.Head[0] ^= 1; resign(cp); marshal(cp, p) }), 0, KindRootMismatch},
		{"more records than the file holds", change(func(cp *Checkpoint, p *[]byte) { cp.Size = 99; resign(cp); marshal(cp, p) }), 15, KindTruncated},
	}
	pub := signer.Public()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, path, tt.data)
			_, err := OpenFile(ctx, path, WithKey(testKey), WithSigner(signer))
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Kind != tt.kind || ve.Seq != tt.seq {
				t.Fatalf("writer: %v, want %s at %d", err, tt.kind.English(), tt.seq)
			}
			if !errors.Is(err, ErrVerify) || !errors.Is(err, govshare.ErrCorrupt) || govshare.HTTPStatus(err) != 500 {
				t.Errorf("writer: %v is not of kind govshare.ErrCorrupt", err)
			}
			if !bytes.Equal(readFile(t, path), tt.data) {
				t.Error("the refused writer changed the file")
			}
			r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
			if err != nil {
				t.Fatalf("reader: %v", err)
			}
			defer r.Close()
			if err := r.Verify(ctx); !errors.As(err, &ve) || ve.Kind != tt.kind || ve.Seq != tt.seq {
				t.Errorf("reader Verify: %v, want %s at %d", err, tt.kind.English(), tt.seq)
			}
		})
	}
	t.Run("no key to check them", func(t *testing.T) {
		writeFile(t, path, whole)
		if _, err := OpenFile(ctx, path, WithKey(testKey)); !errors.Is(err, ErrNoPublicKey) {
			t.Errorf("a writer without a public key: %v, want ErrNoPublicKey", err)
		}
		w, err := OpenFile(ctx, path, WithKey(testKey), WithPublicKey(pub))
		if err != nil {
			t.Fatalf("a writer with the public key: %v", err)
		}
		defer w.Close()
		if w.Header() != hdr {
			t.Error("header changed")
		}
	})
}
