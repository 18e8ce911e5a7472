package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
)

// FuzzOpenFile feeds arbitrary bytes to the file reader — OpenFile for
// reading and for writing, Read, Query, proofs, Verify and Repair — which
// must return errors, never panic, and Repair may only cut a tail off.
func FuzzOpenFile(f *testing.F) {
	ctx := context.Background()
	seedPath := filepath.Join(f.TempDir(), "seed.log")
	l := openTestFile(f, seedPath)
	appendN(f, l, 0, 1)
	if _, err := l.Checkpoint(ctx); err != nil {
		f.Fatal(err)
	}
	appendN(f, l, 1, 1)
	l.Close()
	seed := readFile(f, seedPath)
	f.Add(seed)
	f.Add(seed[:len(seed)-9])
	f.Add(append(append([]byte(nil), seed...), 0, 0, 0, 0))
	flipped := append([]byte(nil), seed...)
	flipped[200] ^= 4
	f.Add(flipped)
	f.Add([]byte(fileMagic))
	f.Add([]byte{})
	pub := testSigner(f, 1).Public()

	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.log")
		writeFile(t, path, data)
		if r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub)); err == nil {
			n, _ := r.Len(ctx)
			for _, err := range r.Read(ctx, 0, n) {
				if err != nil {
					break
				}
			}
			for range r.Query(ctx, Filter{Action: "request.", Department: publicSecurity.CreditCode}) {
			}
			if n > 0 {
				if p, err := r.ProveInclusion(ctx, n-1, n); err != nil || uint64(len(p.Hashes)) > 64 {
					t.Fatalf("proof of the last record: %v", err)
				}
			}
			_ = r.Verify(ctx)
			r.Close()
		}
		if w, err := OpenFile(ctx, path, WithKey(testKey), WithPublicKey(pub)); err == nil {
			// A writer opens only a log whose records and chain check out.
			if err := w.Verify(ctx); err != nil && !errors.Is(err, ErrVerify) {
				t.Fatalf("Verify of a log a writer opened: %v", err)
			}
			w.Close()
			return
		}
		rep, err := Repair(ctx, path)
		after := readFile(t, path)
		switch {
		case err == nil && !bytes.Equal(after, data[:rep.Size]):
			t.Fatalf("Repair left %d bytes that are not a prefix of the file", len(after))
		case err != nil && !bytes.Equal(after, data):
			t.Fatalf("Repair failed (%v) and changed the file", err)
		}
	})
}

// FuzzBundle feeds arbitrary bytes to ReadBundle and Bundle.Verify, which
// must return errors, never panic; and a bundle that verifies holds only
// the log's own records.
func FuzzBundle(f *testing.F) {
	b, m := testBundle(f, WithKey(testKey))
	// Small seeds: the fuzzer minimizes every new input it keeps, which
	// takes long for large ones.
	b.Records, b.Proofs = b.Records[:2], b.Proofs[:2]
	compact, _ := json.Marshal(b)
	f.Add(compact)
	f.Add([]byte(`{"format":"govshare-audit-bundle/v1","records":[{}],"proofs":[]}`))
	pub := m.PublicKey()
	genuine := map[uint64]Digest{}
	for _, r := range readAll(f, m) {
		genuine[r.Seq], _ = LeafHash(SM3, r)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bb, err := ReadBundle(t.Context(), bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ReadBundle error %v is not ErrMalformed", err)
			}
			return
		}
		for _, key := range [][]byte{nil, testKey} {
			if bb.Verify(pub, key) != nil {
				continue
			}
			for _, r := range bb.Records {
				if leaf, err := LeafHash(SM3, r); err != nil || leaf != genuine[r.Seq] {
					t.Fatalf("a bundle verified with record %d that is not the log's", r.Seq)
				}
			}
		}
	})
}

// FuzzDecodeRecord: decoding never panics, and a record encoding is the
// only one of its event — decoding and encoding again gives the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	for i := range 3 {
		n, _ := testEvent(i).normalize(DefaultLimits)
		f.Add(encodeRecord(uint64(i), Digest{byte(i)}, &n))
	}
	f.Fuzz(func(t *testing.T, enc []byte) {
		rec, err := decodeRecord(enc, Digest{})
		if err != nil {
			return
		}
		n, err := rec.Event.normalize(readLimits)
		if err != nil || !bytes.Equal(n.Details, rec.Event.Details) {
			return // details not canonical: the record hash would not match
		}
		if again := encodeRecord(rec.Seq, rec.Prev, &n); !bytes.Equal(again, enc) {
			t.Fatalf("two encodings of one event:\n%x\n%x", enc, again)
		}
	})
}
