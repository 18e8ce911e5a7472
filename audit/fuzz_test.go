package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"

	gmsm2 "github.com/emmansun/gmsm/sm2"
	"github.com/govshare/govshare"
)

// FuzzOpenFile feeds arbitrary bytes to the file reader — OpenFile for
// reading and for writing, Read, Query, proofs, Verify, Salvage and
// Repair — which must return typed errors, never panic, and stay within a
// memory bound. A reader's Damage must be where the file stops checking
// out, with every later valid frame found; Salvage must copy exactly the
// prefix before it; Repair may only cut off a tail that no valid frame
// follows, and must leave a file it refuses unchanged. Frames are checked
// by frameChecksOut, written independently of the scanner.
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
		dir := t.TempDir()
		path := filepath.Join(dir, "fuzz.log")
		writeFile(t, path, data)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, rerr := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
		var damage *Damage
		if rerr == nil {
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
			damage = r.Damage()
			if damage != nil && damage.Records != n {
				t.Fatalf("damage after %d records, the reader has %d", damage.Records, n)
			}
			r.Close()
		} else if !errors.Is(rerr, govshare.ErrCorrupt) && !errors.Is(rerr, govshare.ErrInvalid) {
			t.Fatalf("reader: %v is neither corrupt nor invalid", rerr)
		}
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20+64*uint64(len(data)) {
			t.Fatalf("reading %d bytes allocated %d", len(data), grew)
		}
		if d := damage; d != nil {
			if d.Offset < int64(len(fileMagic)) || d.Offset >= int64(len(data)) || d.Bytes != int64(len(data))-d.Offset {
				t.Fatalf("damage %+v in a file of %d bytes", d, len(data))
			}
			next := 0
			for o := int(d.Offset) + 1; o < len(data) && next == 0; o++ {
				if frameChecksOut(data, o) {
					next = o
				}
			}
			switch {
			case d.Kind == DamageMalformed && (d.Tail || !frameChecksOut(data, int(d.Offset))):
				t.Fatalf("malformed damage %+v where no frame checks out, or called a tail", d)
			case d.Tail && next != 0:
				t.Fatalf("damage %+v called a tail, but a valid frame starts at %d", d, next)
			case !d.Tail && d.Next != int64(next):
				t.Fatalf("damage %+v, but the first valid frame after it starts at %d", d, next)
			}
		}

		// Salvage what a reader finds damaged (of an intact log it is a
		// plain copy, and each salvage costs two fsyncs).
		var rep SalvageReport
		var serr error
		dst := filepath.Join(dir, "salvaged.log")
		if damage != nil {
			rep, serr = Salvage(ctx, path, dst, WithKey(testKey), WithPublicKey(pub))
		}
		switch {
		case damage == nil:
		case serr == nil:
			if got := readFile(t, dst); !bytes.Equal(got, data[:rep.Size]) || rerr != nil ||
				!reflect.DeepEqual(rep.Damage, damage) {
				t.Fatalf("Salvage copied %d bytes, report %+v, reader damage %+v (%v)", len(got), rep, damage, rerr)
			}
			for _, fr := range rep.Fragments {
				if fr.Offset <= rep.Size || !frameChecksOut(data, int(fr.Offset)) {
					t.Fatalf("fragment %+v does not start with a valid frame after the damage", fr)
				}
			}
			if c, err := OpenFile(ctx, dst, ReadOnly(), WithKey(testKey)); err != nil || c.Damage() != nil {
				t.Fatalf("the salvaged copy: %v, damage %v", err, c.Damage())
			} else {
				c.Close()
			}
		case rerr == nil && !errors.Is(serr, ErrCorrupt):
			t.Fatalf("Salvage of a file a reader opens: %v", serr)
		}
		if !bytes.Equal(readFile(t, path), data) {
			t.Fatal("reading or salvaging changed the file")
		}

		if w, err := OpenFile(ctx, path, WithKey(testKey), WithPublicKey(pub)); err == nil {
			// A writer opens only a log whose records, chain and
			// checkpoints check out, without damage.
			if damage != nil {
				t.Fatalf("a writer opened a file with %+v", damage)
			}
			if err := w.Verify(ctx); err != nil && !errors.Is(err, ErrVerify) {
				t.Fatalf("Verify of a log a writer opened: %v", err)
			}
			w.Close()
			return
		}
		rr, err := Repair(ctx, path)
		got := readFile(t, path)
		switch {
		case err != nil && !bytes.Equal(got, data):
			t.Fatalf("Repair failed (%v) and changed the file", err)
		case err != nil:
		case !bytes.Equal(got, data[:rr.Size]):
			t.Fatalf("Repair left %d bytes that are not a prefix of the file", len(got))
		case rr.Removed > 0:
			for o := int(rr.Size) + 1; o < len(data); o++ {
				if frameChecksOut(data, o) {
					t.Fatalf("Repair cut at %d, but a valid frame starts at %d", rr.Size, o)
				}
			}
			if rr.Size > 0 {
				c, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey))
				if err != nil || c.Damage() != nil {
					t.Fatalf("after Repair: %v, damage %v", err, c.Damage())
				}
				c.Close()
			}
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
			if err := bb.Verify(pub, key); err != nil {
				var ve *VerifyError
				if !errors.As(err, &ve) && !errors.Is(err, ErrMalformed) {
					t.Fatalf("Bundle.Verify error %v is neither a *VerifyError nor ErrMalformed", err)
				}
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

// FuzzCheckpoint feeds arbitrary bytes to the checkpoint decoders —
// Checkpoint.UnmarshalBinary, which every checkpoint frame of a log file
// goes through, and the message parser under it — and checks what they
// accept: neither panics or fails with anything but ErrMalformed; what
// parseMessage accepts is its own Message, byte for byte; what
// UnmarshalBinary accepts marshals back to the same bytes; and a
// checkpoint that verifies under one of the logs' keys (SM2, Ed25519)
// states exactly what that log signed. The logs are the same in every
// fuzzing process (fixed keys, ids and clock); SM2 signatures are
// randomized, so the statement is compared, not the signature.
func FuzzCheckpoint(f *testing.F) {
	ctx := context.Background()
	priv, err := gmsm2.NewPrivateKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
	sm2, err := NewSM2Signer(priv)
	if err != nil {
		f.Fatal(err)
	}
	signed := map[string]string{} // the message each key signed
	var pubs []PublicKey
	// Keys that sign nothing else, in the tests or in the seeds.
	for i, s := range []Signer{testSigner(f, 77), sm2} {
		m := newTestMemory(f, WithKey(testKey), WithSigner(s), WithLogID(LogID{byte(i + 1)}))
		appendN(f, m, 0, 3)
		cp, err := m.Checkpoint(ctx)
		if err != nil {
			f.Fatal(err)
		}
		b, err := cp.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		signed[s.Public().String()] = string(cp.Message())
		pubs = append(pubs, s.Public())
		f.Add(b)
		f.Add(cp.Message())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := parseMessage(data); err == nil {
			if !bytes.Equal(p.Message(), data) {
				t.Fatalf("parseMessage accepted %q, whose message is %q", data, p.Message())
			}
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("parseMessage: %v is not ErrMalformed", err)
		}
		var c Checkpoint
		if err := c.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("UnmarshalBinary: %v is not ErrMalformed", err)
			}
			return
		}
		again, err := c.MarshalBinary()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("UnmarshalBinary accepted %x, which marshals to %x (%v)", data, again, err)
		}
		for _, pub := range pubs {
			if c.Verify(pub) == nil && string(c.Message()) != signed[pub.String()] {
				t.Fatalf("a statement the log never signed verifies under %s:\n%s", pub.Algorithm, c.Message())
			}
		}
	})
}

// proofLog is a 37-record log with a signed checkpoint at every size from
// 0 to 37, for the proof fuzzers.
func proofLog(f *testing.F) (*Memory, []Record, []Checkpoint) {
	ctx := context.Background()
	m := newTestMemory(f, WithKey(testKey))
	var recs []Record
	var cps []Checkpoint
	for i := 0; ; i++ {
		cp, err := m.Checkpoint(ctx)
		if err != nil {
			f.Fatal(err)
		}
		cps = append(cps, cp)
		if i == 37 {
			return m, recs, cps
		}
		recs = append(recs, appendN(f, m, i, 1)...)
	}
}

// joinDigests and splitDigests turn a proof's hashes into fuzzer bytes and
// back (a partial last hash is dropped).
func joinDigests(ds []Digest) []byte {
	var b []byte
	for _, d := range ds {
		b = append(b, d[:]...)
	}
	return b
}

func splitDigests(b []byte) []Digest {
	ds := make([]Digest, len(b)/DigestSize)
	for i := range ds {
		copy(ds[i][:], b[i*DigestSize:])
	}
	return ds
}

// FuzzVerifyInclusion checks random inclusion proofs: any index, tree
// size and path given to the RFC 6962 verifier gives a root or an error,
// never a panic; and VerifyInclusion accepts a record against a genuine
// checkpoint only with the log's own proof for that record and size —
// never a changed record, another index or size, or another path.
func FuzzVerifyInclusion(f *testing.F) {
	ctx := context.Background()
	m, recs, cps := proofLog(f)
	for _, c := range [][2]uint64{{0, 1}, {5, 37}, {36, 37}, {16, 17}, {31, 32}} {
		p, err := m.ProveInclusion(ctx, c[0], c[1])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c[0], c[1], false, joinDigests(p.Hashes))
	}
	pub := m.PublicKey()
	f.Fuzz(func(t *testing.T, seq, size uint64, alter bool, path []byte) {
		hashes := splitDigests(path)
		_, _ = rootFromInclusion(newHasher(SM3, nil), seq, size, Digest{}, hashes)

		cp := cps[1+size%uint64(len(recs))]
		rec := recs[seq%cp.Size]
		if alter {
			rec.Event.CorrelationID += "-forged"
		}
		err := VerifyInclusion(pub, cp, rec, InclusionProof{Seq: seq, Size: size, Hashes: hashes})
		want, perr := m.ProveInclusion(ctx, rec.Seq, cp.Size)
		if perr != nil {
			t.Fatal(perr)
		}
		genuine := !alter && seq == rec.Seq && size == cp.Size && slices.Equal(hashes, want.Hashes)
		var ve *VerifyError
		switch {
		case err == nil && !genuine:
			t.Fatalf("record %d (altered %v) verified in a tree of %d with a proof for %d in %d: %x", rec.Seq, alter, cp.Size, seq, size, path)
		case err != nil && genuine:
			t.Fatalf("the log's own proof of record %d in %d fails: %v", seq, size, err)
		case err != nil && (!errors.As(err, &ve) || ve.Kind != KindModified || ve.Seq != rec.Seq):
			t.Fatalf("a bad proof gives %v, want record %d modified", err, rec.Seq)
		}
	})
}

// FuzzVerifyConsistency checks random consistency proofs: any two sizes
// and path given to the RFC 6962 verifier give an answer, never a panic;
// and VerifyConsistency accepts two genuine checkpoints only with the
// log's own proof between their sizes, in order.
func FuzzVerifyConsistency(f *testing.F) {
	ctx := context.Background()
	m, _, cps := proofLog(f)
	for _, c := range [][2]uint64{{1, 37}, {16, 37}, {7, 8}, {36, 37}, {5, 5}, {0, 9}} {
		var path []byte
		if c[0] > 0 {
			p, err := m.ProveConsistency(ctx, c[0], c[1])
			if err != nil {
				f.Fatal(err)
			}
			path = joinDigests(p.Hashes)
		}
		f.Add(c[0], c[1], path)
	}
	pub := m.PublicKey()
	f.Fuzz(func(t *testing.T, size1, size2 uint64, path []byte) {
		hashes := splitDigests(path)
		_ = checkConsistency(newHasher(SM3, nil), size1, size2, Digest{1}, Digest{2}, hashes)

		older, newer := cps[size1%uint64(len(cps))], cps[size2%uint64(len(cps))]
		err := VerifyConsistency(pub, older, newer, ConsistencyProof{Size1: size1, Size2: size2, Hashes: hashes})
		genuine := false
		if older.Size <= newer.Size && size1 == older.Size && size2 == newer.Size {
			var want []Digest
			if older.Size > 0 {
				p, perr := m.ProveConsistency(ctx, older.Size, newer.Size)
				if perr != nil {
					t.Fatal(perr)
				}
				want = p.Hashes
			}
			genuine = slices.Equal(hashes, want)
		}
		var ve *VerifyError
		switch {
		case err == nil && !genuine:
			t.Fatalf("checkpoints of %d and %d verified with a proof between %d and %d: %x", older.Size, newer.Size, size1, size2, path)
		case err != nil && genuine:
			t.Fatalf("the log's own proof between %d and %d fails: %v", size1, size2, err)
		case err != nil && !errors.As(err, &ve):
			t.Fatalf("a bad proof gives %v, want a *VerifyError", err)
		}
	})
}
