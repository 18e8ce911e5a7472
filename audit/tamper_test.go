package audit

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tamperBase is a 1,000-record keyed file log with checkpoints after
// records 1, 500 and 1,000, and the supervisor's copies of them.
type tamperBase struct {
	data    []byte
	cps     []Checkpoint
	hdr     Header
	records []Record
}

func newTamperBase(t *testing.T) *tamperBase {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "base.log")
	f := openTestFile(t, path)
	b := &tamperBase{hdr: f.Header()}
	for _, upTo := range []int{1, 500, 1000} {
		b.records = append(b.records, appendN(t, f, len(b.records), upTo-len(b.records))...)
		cp, err := f.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b.cps = append(b.cps, cp)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b.data = readFile(t, path)
	return b
}

// encodeRaw re-encodes parsed fields, as an attacker who changed one would.
func encodeRaw(f *rawFields) []byte {
	b := []byte(recordMagic)
	b = binary.BigEndian.AppendUint64(b, f.seq)
	b = append(b, f.prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(f.nano))
	for _, t := range f.text {
		b = appendBytes(b, t)
	}
	return b
}

func splitRecord(t testing.TB, payload []byte) (rawFields, Digest) {
	t.Helper()
	var f rawFields
	enc := payload[:len(payload)-DigestSize]
	if err := parseRaw(enc, &f); err != nil {
		t.Fatal(err)
	}
	for i := range f.text {
		f.text[i] = append([]byte(nil), f.text[i]...)
	}
	var h Digest
	copy(h[:], payload[len(payload)-DigestSize:])
	return f, h
}

func joinRecord(f *rawFields, h Digest) []byte { return append(encodeRaw(f), h[:]...) }

// TestTamperMatrix changes a 1,000-record file log the ways an insider
// with write access to the file (but not the key) can — every field of a
// record, deleting, inserting, swapping, truncating, re-keying, forging or
// altering checkpoints — at the first, a middle and the last position,
// rewriting checksums as a careful attacker would, and checks that Verify
// names the exact sequence number and kind.
func TestTamperMatrix(t *testing.T) {
	base := newTamperBase(t)
	ctx := context.Background()
	trusted := base.cps[2] // the supervisor's copy of the checkpoint at 1,000
	attacker := testSigner(t, 66)
	forgedSealer, _ := NewSealer(Header{Algorithm: SM3, Keyed: true, KeyCheck: keyCheck(SM3, otherKey, base.hdr.LogID), LogID: base.hdr.LogID}, otherKey)

	type tamper func(t *testing.T, frames []rawFrame) []byte
	// field returns a tamper that changes one field of record p.
	field := func(p int, change func(f *rawFields, h *Digest)) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			i := recordFrames(frames)[p]
			f, h := splitRecord(t, frames[i].payload)
			change(&f, &h)
			frames[i].payload = joinRecord(&f, h)
			return joinFrames(frames)
		}
	}
	text := func(k int, v string) func(*rawFields, *Digest) {
		return func(f *rawFields, _ *Digest) { f.text[k] = []byte(v) }
	}
	fields := []struct {
		name   string
		change func(*rawFields, *Digest)
	}{
		{"seq", func(f *rawFields, _ *Digest) { f.seq += 5 }},
		{"prev", func(f *rawFields, _ *Digest) { f.prev[31] ^= 1 }},
		{"time", func(f *rawFields, _ *Digest) { f.nano -= 3600e9 }},
		{"action", text(fAction, "request.withdraw")},
		{"actor.id", text(fActorID, "u-99999")},
		{"actor.name", text(fActorName, "王五")},
		{"actor.role", text(fActorRole, "authority")},
		{"department", text(fDeptName, "某市大数据局")},
		{"credit code", text(fDeptID, "12330100MB1234567X")},
		{"region code", text(fDeptRegionCode, "330200")},
		{"level", text(fDeptLevel, "provincial")},
		{"target.kind", text(fTargetKind, "catalog.entry")},
		{"target.id", text(fTargetID, "SQ-2026-999999")},
		{"outcome", func(f *rawFields, _ *Digest) {
			f.text[fOutcome] = map[string][]byte{"success": []byte("failure"), "failure": []byte("success")}[string(f.text[fOutcome])]
		}},
		{"error code", text(fErrorCode, "forbidden")},
		{"correlation id", text(fCorrelationID, "corr-forged")},
		{"details", text(fDetails, `{"entry":"CAT-330100-0000","items":["姓名","身份证号","住址"]}`)},
		{"stored hash", func(_ *rawFields, h *Digest) { h[0] ^= 0x80 }},
	}
	deleteAt := func(p int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			i := recordFrames(frames)[p]
			return joinFrames(append(frames[:i:i], frames[i+1:]...))
		}
	}
	insertAt := func(p int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			var prev Digest
			if p > 0 {
				prev = base.records[p-1].Hash
			}
			forged := testEvent(p)
			forged.Actor.Name = "王五"
			s, err := forgedSealer.Seal(Head{Size: uint64(p), Hash: prev}, forged)
			if err != nil {
				t.Fatal(err)
			}
			i := recordFrames(frames)[p]
			fr := rawFrame{kind: frameRecord, payload: append(s.Encoding, s.Record.Hash[:]...)}
			return joinFrames(append(frames[:i:i], append([]rawFrame{fr}, frames[i:]...)...))
		}
	}
	replayAt := func(p, of int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			r := recordFrames(frames)
			copyOf := rawFrame{kind: frameRecord, payload: frames[r[of]].payload}
			i := r[p]
			return joinFrames(append(frames[:i:i], append([]rawFrame{copyOf}, frames[i:]...)...))
		}
	}
	swapAt := func(p int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			r := recordFrames(frames)
			frames[r[p]], frames[r[p+1]] = frames[r[p+1]], frames[r[p]]
			return joinFrames(frames)
		}
	}
	truncateAt := func(p int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			return joinFrames(frames[:recordFrames(frames)[p]])
		}
	}
	// rekeyFrom rewrites records p… under another key, relinking the chain.
	rekeyFrom := func(p int) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			x := newHasher(SM3, otherKey)
			var prev Digest
			for k, i := range recordFrames(frames) {
				f, h := splitRecord(t, frames[i].payload)
				if k > p {
					f.prev = prev
				}
				if k >= p {
					enc := encodeRaw(&f)
					leaf := x.leaf(enc)
					h = x.record(&leaf)
				}
				frames[i].payload = joinRecord(&f, h)
				prev = h
			}
			return joinFrames(frames)
		}
	}
	checkpointFrames := func(frames []rawFrame) []int {
		var out []int
		for i, f := range frames {
			if f.kind == frameCheckpoint {
				out = append(out, i)
			}
		}
		return out
	}
	// alterCheckpoint changes the c-th stored checkpoint, keeping or
	// forging its signature.
	alterCheckpoint := func(c int, change func(cp *Checkpoint)) tamper {
		return func(t *testing.T, frames []rawFrame) []byte {
			i := checkpointFrames(frames)[c]
			var cp Checkpoint
			if err := cp.UnmarshalBinary(frames[i].payload); err != nil {
				t.Fatal(err)
			}
			change(&cp)
			b, err := cp.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			frames[i].payload = b
			return joinFrames(frames)
		}
	}
	forge := func(cp *Checkpoint) {
		cp.Root[5] ^= 1
		sig, _ := attacker.Sign(context.Background(), cp.Message())
		cp.Signature = sig
	}

	type tc struct {
		name    string
		tamper  tamper
		trusted []Checkpoint
		seq     uint64
		kind    Kind
	}
	var cases []tc
	positions := []struct {
		name string
		p    int
	}{{"first", 0}, {"middle", 500}, {"last", 999}}
	for _, pos := range positions {
		p := pos.p
		for _, fl := range fields {
			cases = append(cases, tc{fmt.Sprintf("%s record: change %s", pos.name, fl.name), field(p, fl.change), nil, uint64(p), KindModified})
		}
		cases = append(cases, tc{pos.name + " record: insert a forged record before it", insertAt(p), nil, uint64(p), KindInserted})
		if p < 999 {
			cases = append(cases, tc{pos.name + " record: delete it", deleteAt(p), nil, uint64(p), KindDeleted})
			cases = append(cases, tc{pos.name + " record: swap it with the next", swapAt(p), nil, uint64(p), KindReordered})
			cases = append(cases, tc{pos.name + " record: re-key from it", rekeyFrom(p), nil, uint64(p), KindWrongKey})
		} else {
			// Deleting the last record is truncating the log by one.
			cases = append(cases, tc{"last record: delete it (a truncation)", deleteAt(p), nil, 999, KindTruncated})
			cases = append(cases, tc{"last records: swap the last two", swapAt(998), nil, 998, KindReordered})
			// Re-keying only the last record is, byte for byte, changing
			// its stored hash: nothing can tell the two apart.
			cases = append(cases, tc{"last record: re-key it (= change its hash)", rekeyFrom(p), nil, 999, KindModified})
		}
		cases = append(cases, tc{pos.name + " record: truncate the file before it", truncateAt(p), []Checkpoint{trusted}, uint64(p), KindTruncated})
	}
	cases = append(cases, tc{"replay record 10 at position 500", replayAt(500, 10), nil, 500, KindInserted})
	for c, pos := range []string{"first", "middle", "last"} {
		size := base.cps[c].Size
		cases = append(cases,
			tc{pos + " checkpoint: alter its root", alterCheckpoint(c, func(cp *Checkpoint) { cp.Root[0] ^= 1 }), nil, size, KindBadSignature},
			tc{pos + " checkpoint: alter its time", alterCheckpoint(c, func(cp *Checkpoint) { cp.Time = cp.Time.Add(-1) }), nil, size, KindBadSignature},
			tc{pos + " checkpoint: forge it with another key", alterCheckpoint(c, forge), nil, size, KindBadSignature},
		)
	}
	altered := trusted
	altered.Size = 1200
	cases = append(cases, tc{"the supervisor is handed an altered checkpoint", func(t *testing.T, frames []rawFrame) []byte { return joinFrames(frames) }, []Checkpoint{altered}, 1200, KindBadSignature})
	forged := trusted
	forge(&forged)
	cases = append(cases, tc{"the supervisor is handed a forged checkpoint", func(t *testing.T, frames []rawFrame) []byte { return joinFrames(frames) }, []Checkpoint{forged}, 1000, KindBadSignature})
	cases = append(cases, tc{"a checkpoint that cannot be parsed", func(t *testing.T, frames []rawFrame) []byte {
		i := checkpointFrames(frames)[1]
		frames[i].payload = []byte("garbage")
		return joinFrames(frames)
	}, nil, 500, KindBadSignature})

	dir := t.TempDir()
	pub := testSigner(t, 1).Public()
	for n, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("t%03d.log", n))
			writeFile(t, path, c.tamper(t, splitFrames(t, base.data)))
			f, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			err = f.Verify(ctx, c.trusted...)
			var ve *VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, ErrVerify) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Seq != c.seq || ve.Kind != c.kind {
				t.Errorf("Verify found %s at %d, want %s at %d\n(%v)", ve.Kind.English(), ve.Seq, c.kind.English(), c.seq, err)
			}
		})
	}

	t.Run("the untouched log verifies", func(t *testing.T) {
		path := filepath.Join(dir, "clean.log")
		writeFile(t, path, base.data)
		f, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Verify(ctx, base.cps...); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("open with another key", func(t *testing.T) {
		path := filepath.Join(dir, "clean.log")
		_, err := OpenFile(ctx, path, ReadOnly(), WithKey(otherKey), WithPublicKey(pub))
		var ve *VerifyError
		if !errors.As(err, &ve) || ve.Kind != KindWrongKey || ve.Seq != 0 {
			t.Errorf("OpenFile = %v, want wrong key at 0", err)
		}
	})
	t.Run("re-key the whole log and its header", func(t *testing.T) {
		frames := splitFrames(t, base.data)
		hdr := base.hdr
		hdr.KeyCheck = keyCheck(SM3, otherKey, hdr.LogID)
		frames[0].payload, _ = hdr.MarshalBinary()
		path := filepath.Join(dir, "rekeyed.log")
		writeFile(t, path, rekeyFrom(0)(t, frames))
		_, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(pub))
		var ve *VerifyError
		if !errors.As(err, &ve) || ve.Kind != KindWrongKey || ve.Seq != 0 {
			t.Errorf("OpenFile = %v, want wrong key at 0", err)
		}
	})
}

// TestTamperUnkeyed: without a key, whoever holds the file can rewrite it
// from any record on with consistent hashes; only signed checkpoints
// reveal it, down to the last checkpoint that still holds.
func TestTamperUnkeyed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plain.log")
	f, err := OpenFile(ctx, path, WithSigner(testSigner(t, 1)), WithClock(fixedClock(t0)))
	if err != nil {
		t.Fatal(err)
	}
	var cps []Checkpoint
	for _, upTo := range []int{100, 200, 300} {
		n, _ := f.Len(ctx)
		appendN(t, f, int(n), upTo-int(n))
		cp, err := f.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, cp)
	}
	f.Close()
	frames := splitFrames(t, readFile(t, path))
	x := newHasher(SM3, nil)
	var prev Digest
	for k, i := range recordFrames(frames) {
		r, h := splitRecord(t, frames[i].payload)
		if k == 150 {
			r.text[fActorName] = []byte("王五")
		}
		if k >= 150 {
			r.prev = prev
			leaf := x.leaf(encodeRaw(&r))
			h = x.record(&leaf)
		}
		frames[i].payload = joinRecord(&r, h)
		prev = h
	}
	writeFile(t, path, joinFrames(frames))
	pub := testSigner(t, 1).Public()
	wantRootMismatch := func(what string, err error) {
		t.Helper()
		var ve *VerifyError
		if !errors.As(err, &ve) || ve.Kind != KindRootMismatch || ve.Seq != 100 {
			t.Errorf("%s: Verify = %v, want root mismatch from 100 (the last checkpoint that holds)", what, err)
		}
	}
	// Each record checks out by itself, but a writer also holds the
	// records against the file's checkpoints (issue 11) and refuses.
	if g, err := OpenFile(ctx, path, WithPublicKey(pub)); err == nil {
		g.Close()
		t.Fatal("a rewritten unkeyed log whose checkpoints betray it opens for writing")
	} else {
		wantRootMismatch("a writer", err)
	}
	g, _ := OpenFile(ctx, path, ReadOnly(), WithPublicKey(pub))
	wantRootMismatch("the file's own checkpoints", g.Verify(ctx))
	g.Close()

	// Whoever rewrote the log can drop its checkpoints too: then nothing
	// in the file reveals the rewrite, and only the copies a supervisor
	// kept (cps) do.
	var kept []rawFrame
	for _, fr := range frames {
		if fr.kind != frameCheckpoint {
			kept = append(kept, fr)
		}
	}
	writeFile(t, path, joinFrames(kept))
	g, err = OpenFile(ctx, path, ReadOnly(), WithPublicKey(pub))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := g.Verify(ctx); err != nil {
		t.Errorf("without checkpoints a rewritten unkeyed log verifies, but Verify = %v", err)
	}
	wantRootMismatch("the supervisor's checkpoints", g.Verify(ctx, cps...))
}

// securityDoc is the page whose tamper matrix TestTamperMatrixDocs keeps.
const securityDoc = "../docs/security.md"

// The markers around the generated table in securityDoc.
const (
	matrixBegin = "<!-- tamper matrix: generated by TestTamperMatrixDocs; go test ./audit -run TestTamperMatrixDocs -update -->"
	matrixEnd   = "<!-- end of tamper matrix -->"
)

// found is what Verify reports for one cell of the matrix: nil for
// nothing detected.
type found *VerifyError

func at(k Kind, seq uint64) found { return &VerifyError{Kind: k, Seq: seq} }

// TestTamperMatrixDocs is the tamper matrix of docs/security.md, checked:
// a 300-record file log, keyed or not, with checkpoints after records
// 100, 200 and 300 in the file and the same three kept by a supervisor,
// is changed by an insider who can write the file and knows the format
// (checksums recomputed) but has neither the HMAC key nor the signing key.
// For each tampering and each column — keyed or unkeyed, verified with
// the file's own checkpoints only or with the supervisor's copies too —
// Verify must report exactly the first sequence number and kind in the
// table, or nothing where the table says the tampering goes unseen. The
// table in docs/security.md must be the one this test generates.
func TestTamperMatrixDocs(t *testing.T) {
	ctx := context.Background()
	pub := testSigner(t, 1).Public()
	attacker := testSigner(t, 66)
	type logBase struct {
		data []byte
		hdr  Header
		cps  []Checkpoint
		recs []Record
	}
	bases := map[bool]*logBase{}
	for _, keyed := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "base.log")
		opts := []Option{WithSigner(testSigner(t, 1)), WithClock(fixedClock(t0))}
		if keyed {
			opts = append(opts, WithKey(testKey))
		}
		f, err := OpenFile(ctx, path, opts...)
		if err != nil {
			t.Fatal(err)
		}
		b := &logBase{hdr: f.Header()}
		for _, upTo := range []int{100, 200, 300} {
			b.recs = append(b.recs, appendN(t, f, len(b.recs), upTo-len(b.recs))...)
			cp, err := f.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b.cps = append(b.cps, cp)
		}
		f.Close()
		b.data = readFile(t, path)
		bases[keyed] = b
	}

	// rewrite recomputes the hashes of records from p on, relinking the
	// chain, as the attacker can: with the key it does not have (another
	// key) for a keyed log, exactly for an unkeyed one.
	rewrite := func(b *logBase, frames []rawFrame, p int) {
		var key []byte
		if b.hdr.Keyed {
			key = otherKey
		}
		x := newHasher(b.hdr.Algorithm, key)
		var prev Digest
		for k, i := range recordFrames(frames) {
			f, h := splitRecord(t, frames[i].payload)
			if k == p {
				f.text[fActorName] = []byte("王五")
			}
			if k > p {
				f.prev = prev
			}
			if k >= p {
				leaf := x.leaf(encodeRaw(&f))
				h = x.record(&leaf)
			}
			frames[i].payload = joinRecord(&f, h)
			prev = h
		}
	}
	checkpointsFrom := func(frames []rawFrame, size uint64) []rawFrame {
		var kept []rawFrame
		for _, fr := range frames {
			var cp Checkpoint
			if fr.kind == frameCheckpoint && cp.UnmarshalBinary(fr.payload) == nil && cp.Size >= size {
				continue
			}
			kept = append(kept, fr)
		}
		return kept
	}
	type tamper func(b *logBase, frames []rawFrame) []byte
	rows := []struct {
		name   string
		tamper tamper
		damage DamageKind // the damage a reader reports, if any
		// want is Verify's finding per column: keyed with the file's
		// checkpoints, keyed with the supervisor's too, unkeyed with the
		// file's, unkeyed with the supervisor's.
		want [4]found
	}{
		{"change a byte of record 150, checksum left as it was", func(b *logBase, frames []rawFrame) []byte {
			data := append([]byte(nil), b.data...)
			off := len(fileMagic)
			for _, fr := range frames[:recordFrames(frames)[150]] {
				off += frameOverhead + len(fr.payload)
			}
			data[off+frameHead+offStrings+10] ^= 1
			return data
		}, DamageChecksum, [4]found{at(KindModified, 150), at(KindModified, 150), at(KindModified, 150), at(KindModified, 150)}},
		{"change a byte of record 150, checksum recomputed", func(b *logBase, frames []rawFrame) []byte {
			i := recordFrames(frames)[150]
			frames[i].payload[offStrings+10] ^= 1
			return joinFrames(frames)
		}, 0, [4]found{at(KindModified, 150), at(KindModified, 150), at(KindModified, 150), at(KindModified, 150)}},
		{"delete record 150", func(b *logBase, frames []rawFrame) []byte {
			i := recordFrames(frames)[150]
			return joinFrames(append(frames[:i:i], frames[i+1:]...))
		}, 0, [4]found{at(KindDeleted, 150), at(KindDeleted, 150), at(KindDeleted, 150), at(KindDeleted, 150)}},
		{"insert a record before record 150", func(b *logBase, frames []rawFrame) []byte {
			hdr, key := b.hdr, []byte(nil)
			if hdr.Keyed {
				hdr.KeyCheck, key = keyCheck(hdr.Algorithm, otherKey, hdr.LogID), otherKey
			}
			s, err := NewSealer(hdr, key)
			if err != nil {
				t.Fatal(err)
			}
			forged := testEvent(150)
			forged.Actor.Name = "王五"
			sealed, err := s.Seal(Head{Size: 150, Hash: b.recs[149].Hash}, forged)
			if err != nil {
				t.Fatal(err)
			}
			i := recordFrames(frames)[150]
			fr := rawFrame{kind: frameRecord, payload: append(sealed.Encoding, sealed.Record.Hash[:]...)}
			return joinFrames(append(frames[:i:i], append([]rawFrame{fr}, frames[i:]...)...))
		}, 0, [4]found{at(KindInserted, 150), at(KindInserted, 150), at(KindInserted, 151), at(KindInserted, 151)}},
		{"swap records 150 and 151", func(b *logBase, frames []rawFrame) []byte {
			r := recordFrames(frames)
			frames[r[150]], frames[r[151]] = frames[r[151]], frames[r[150]]
			return joinFrames(frames)
		}, 0, [4]found{at(KindReordered, 150), at(KindReordered, 150), at(KindReordered, 150), at(KindReordered, 150)}},
		{"truncate the tail: remove records 250–299 and the checkpoint after them", func(b *logBase, frames []rawFrame) []byte {
			return joinFrames(frames[:recordFrames(frames)[250]])
		}, 0, [4]found{nil, at(KindTruncated, 250), nil, at(KindTruncated, 250)}},
		{"rewrite from record 150 with recomputed hashes, keep the checkpoints", func(b *logBase, frames []rawFrame) []byte {
			rewrite(b, frames, 150)
			return joinFrames(frames)
		}, 0, [4]found{at(KindWrongKey, 150), at(KindWrongKey, 150), at(KindRootMismatch, 100), at(KindRootMismatch, 100)}},
		{"rewrite from record 150 with recomputed hashes, drop the checkpoints after it", func(b *logBase, frames []rawFrame) []byte {
			rewrite(b, frames, 150)
			return joinFrames(checkpointsFrom(frames, 150))
		}, 0, [4]found{at(KindWrongKey, 150), at(KindWrongKey, 150), nil, at(KindRootMismatch, 100)}},
		{"replace the checkpoints with ones signed by another key", func(b *logBase, frames []rawFrame) []byte {
			for i := range frames {
				var cp Checkpoint
				if frames[i].kind != frameCheckpoint || cp.UnmarshalBinary(frames[i].payload) != nil {
					continue
				}
				cp.Signature, _ = attacker.Sign(ctx, cp.Message())
				frames[i].payload, _ = cp.MarshalBinary()
			}
			return joinFrames(frames)
		}, 0, [4]found{at(KindBadSignature, 100), at(KindBadSignature, 100), at(KindBadSignature, 100), at(KindBadSignature, 100)}},
		{"remove the checkpoints, records untouched", func(b *logBase, frames []rawFrame) []byte {
			return joinFrames(checkpointsFrom(frames, 0))
		}, 0, [4]found{nil, nil, nil, nil}},
	}

	dir := t.TempDir()
	for n, row := range rows {
		for col := range 4 {
			keyed, supervisor := col < 2, col%2 == 1
			b := bases[keyed]
			name := fmt.Sprintf("%s/keyed=%v,supervisor=%v", row.name, keyed, supervisor)
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(dir, fmt.Sprintf("m%02d-%d.log", n, col))
				writeFile(t, path, row.tamper(b, splitFrames(t, b.data)))
				opts := []Option{ReadOnly(), WithPublicKey(pub)}
				if keyed {
					opts = append(opts, WithKey(testKey))
				}
				r, err := OpenFile(ctx, path, opts...)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if d := r.Damage(); row.damage != 0 && (d == nil || d.Kind != row.damage || d.Records != 150) || row.damage == 0 && d != nil {
					t.Errorf("Damage = %+v, want %v", d, row.damage)
				}
				var trusted []Checkpoint
				if supervisor {
					trusted = b.cps
				}
				err = r.Verify(ctx, trusted...)
				want := row.want[col]
				var ve *VerifyError
				switch {
				case want == nil && err != nil:
					t.Errorf("Verify = %v, want nothing detected", err)
				case want != nil && (!errors.As(err, &ve) || ve.Kind != want.Kind || ve.Seq != want.Seq):
					t.Errorf("Verify = %v, want %s at %d", err, want.Kind.English(), want.Seq)
				}
				if supervisor {
					return
				}
				// A writer finds what the file's own checkpoints show, and
				// refuses the log.
				wopts := opts[1:]
				w, err := OpenFile(ctx, path, wopts...)
				var fe *FormatError
				switch {
				case want == nil && err != nil:
					t.Errorf("writer: %v, want the log opened", err)
				case want == nil:
					w.Close()
				case row.damage != 0 && (!errors.As(err, &fe) || fe.Record != want.Seq):
					t.Errorf("writer: %v, want the damage at record %d", err, want.Seq)
				case row.damage == 0 && (!errors.As(err, &ve) || ve.Kind != want.Kind || ve.Seq != want.Seq):
					t.Errorf("writer: %v, want %s at %d", err, want.Kind.English(), want.Seq)
				}
			})
		}
	}

	// The table as docs/security.md shows it.
	var md strings.Builder
	md.WriteString("| Tampering (checksums recomputed unless said) | Keyed, file's checkpoints | Keyed, + supervisor's | Unkeyed, file's checkpoints | Unkeyed, + supervisor's |\n")
	md.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, row := range rows {
		md.WriteString("| " + row.name)
		for _, w := range row.want {
			if w == nil {
				md.WriteString(" | **not detected**")
				continue
			}
			code, _ := w.Kind.MarshalText()
			fmt.Fprintf(&md, " | `%s` at %d", code, w.Seq)
		}
		md.WriteString(" |\n")
	}
	table := md.String()
	doc, err := os.ReadFile(securityDoc)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), matrixBegin+"\n")
	_, after, ok2 := strings.Cut(rest, matrixEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no tamper matrix between %q and %q", securityDoc, matrixBegin, matrixEnd)
	}
	if *update {
		if err := os.WriteFile(securityDoc, []byte(before+matrixBegin+"\n"+table+matrixEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if rest[:len(rest)-len(after)-len(matrixEnd)] != table {
		t.Errorf("the tamper matrix in %s is not the one this test checks; rerun with -update:\n%s", securityDoc, table)
	}
}
