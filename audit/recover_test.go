package audit

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govshare/govshare"
)

// damagedBase is a keyed file log of 29 records with checkpoints after
// records 10, 20 and 29, and where each frame starts.
type damagedBase struct {
	data    []byte
	records []Record
	cps     []Checkpoint
	offs    []int  // the offset of every frame after the magic
	kinds   []byte // the kind of every frame
}

func newDamagedBase(t *testing.T) *damagedBase {
	t.Helper()
	path := filepath.Join(t.TempDir(), "base.log")
	f := openTestFile(t, path)
	b := &damagedBase{}
	for _, upTo := range []int{10, 20, 29} {
		b.records = append(b.records, appendN(t, f, len(b.records), upTo-len(b.records))...)
		cp, err := f.Checkpoint(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		b.cps = append(b.cps, cp)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b.data = readFile(t, path)
	for off := len(fileMagic); off < len(b.data); off += frameOverhead + int(binary.BigEndian.Uint32(b.data[off+1:])) {
		b.offs = append(b.offs, off)
		b.kinds = append(b.kinds, b.data[off])
	}
	return b
}

// record returns the index in offs of record seq's frame.
func (b *damagedBase) record(seq int) int {
	for i, k := range b.kinds {
		if k == frameRecord {
			if seq == 0 {
				return i
			}
			seq--
		}
	}
	panic("no such record")
}

func (b *damagedBase) copy() []byte { return append([]byte(nil), b.data...) }

// TestRepairKeepsRecordsAfterDamage is issue 11's case: one changed byte
// in the length of record 10's frame makes the frame seem to run past the
// end of the file. Before, OpenFile called it a torn tail and Repair
// removed record 10, the 18 intact records and 2 checkpoints after it. Now
// Repair refuses and leaves every byte; a writer refuses; a reader reads
// records 0–9 and reports the damage.
func TestRepairKeepsRecordsAfterDamage(t *testing.T) {
	ctx := context.Background()
	b := newDamagedBase(t)
	i := b.record(10)
	off, next := b.offs[i], b.offs[i+1]
	data := b.copy()
	data[off+2] ^= 0x01 // the length grows by 64 KiB: past the end of the file
	if n := binary.BigEndian.Uint32(data[off+1:]); int64(off)+frameOverhead+int64(n) <= int64(len(data)) || n > maxFramePayload {
		t.Fatalf("the changed length %d does not run past the end of the file", n)
	}
	path := filepath.Join(t.TempDir(), "audit.log")
	writeFile(t, path, data)

	wantFormat := func(what string, err error) {
		t.Helper()
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrCorrupt) || govshare.HTTPStatus(err) != 500 {
			t.Fatalf("%s: %v, want a *FormatError (ErrCorrupt)", what, err)
		}
		if fe.Offset != int64(off) || fe.Record != 10 || fe.Kind != DamageCut || fe.Next != int64(next) {
			t.Errorf("%s: %+v, want offset %d, record 10, cut, next frame at %d", what, fe, off, next)
		}
	}
	_, err := Repair(ctx, path)
	wantFormat("Repair", err)
	if !bytes.Equal(readFile(t, path), data) {
		t.Fatal("Repair changed the file")
	}
	_, err = OpenFile(ctx, path, WithKey(testKey), WithSigner(testSigner(t, 1)))
	wantFormat("writer", err)

	r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey), WithPublicKey(testSigner(t, 1).Public()))
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	defer r.Close()
	want := Damage{Offset: int64(off), Records: 10, Kind: DamageCut, Bytes: int64(len(data) - off), Next: int64(next)}
	if d := r.Damage(); d == nil || *d != want {
		t.Fatalf("Damage = %+v, want %+v", d, want)
	}
	if r.TornTail() != nil {
		t.Errorf("TornTail = %v for damage with valid frames after it", r.TornTail())
	}
	if got := readAll(t, r); !reflect.DeepEqual(got, b.records[:10]) {
		t.Errorf("the reader reads %d records, want the 10 before the damage as written", len(got))
	}
	if cps := r.Checkpoints(); len(cps) != 1 || cps[0].Size != 10 {
		t.Errorf("the reader has %d checkpoints, want the one before the damage", len(cps))
	}
	var ve *VerifyError
	if err := r.Verify(ctx); !errors.As(err, &ve) || ve.Seq != 10 || ve.Kind != KindModified {
		t.Errorf("Verify = %v, want record 10 modified (the damage)", err)
	}
	if !bytes.Equal(readFile(t, path), data) {
		t.Fatal("reading changed the file")
	}
}

// TestDamageKinds damages a middle frame and the last frame every way the
// scanner knows: in the middle, Repair refuses and changes nothing, and a
// reader reports the damage with the records before it; at the end, the
// damage is a torn tail that Repair removes exactly — except a frame whose
// checksum holds, which is kept wherever it is.
func TestDamageKinds(t *testing.T) {
	ctx := context.Background()
	b := newDamagedBase(t)
	dir := t.TempDir()
	damages := []struct {
		name string
		kind DamageKind
		do   func(data []byte, off int) []byte
	}{
		{"a payload byte", DamageChecksum, func(d []byte, off int) []byte { d[off+40] ^= 0x10; return d }},
		{"the checksum", DamageChecksum, func(d []byte, off int) []byte {
			end := off + frameOverhead + int(binary.BigEndian.Uint32(d[off+1:]))
			d[end-1] ^= 1
			return d
		}},
		{"the kind byte", DamageUnknownFrame, func(d []byte, off int) []byte { d[off] = 'X'; return d }},
		{"the length, above the limit", DamageTooLong, func(d []byte, off int) []byte { d[off+1] = 0x7f; return d }},
		{"the length, shorter", DamageChecksum, func(d []byte, off int) []byte { d[off+4] -= 3; return d }},
		{"a zeroed sector", DamageZeroed, func(d []byte, off int) []byte {
			clear(d[off:min(off+512, len(d))])
			return d
		}},
		{"a second header", DamageMalformed, func(d []byte, off int) []byte {
			hb, _ := Header{Algorithm: SM3, LogID: LogID{1}}.MarshalBinary()
			fr := appendFrame(nil, frameHeader, hb)
			return append(d[:off:off], append(fr, d[off:]...)...)
		}},
		{"a second header over the start of a frame", DamageMalformed, func(d []byte, off int) []byte {
			hb, _ := Header{Algorithm: SM3, LogID: LogID{1}}.MarshalBinary()
			copy(d[off:], appendFrame(nil, frameHeader, hb)) // the rest of the frame is left as garbage
			return d
		}},
		{"a record frame without a hash", DamageMalformed, func(d []byte, off int) []byte {
			fr := appendFrame(nil, frameRecord, []byte("GSA\x01"))
			return append(d[:off:off], append(fr, d[off:]...)...)
		}},
	}
	for _, at := range []string{"middle", "end"} {
		for _, dm := range damages {
			t.Run(at+"/"+dm.name, func(t *testing.T) {
				i, seq := b.record(12), uint64(12)
				if at == "end" {
					i, seq = len(b.offs)-1, 29 // the last checkpoint
				}
				off := b.offs[i]
				data := dm.do(b.copy(), off)
				path := filepath.Join(dir, "audit.log")
				writeFile(t, path, data)
				tail := at == "end" && dm.kind != DamageMalformed

				r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey))
				if err != nil {
					t.Fatalf("reader: %v", err)
				}
				d := r.Damage()
				n, _ := r.Len(ctx)
				r.Close()
				if d == nil || d.Offset != int64(off) || d.Records != seq || d.Kind != dm.kind || d.Tail != tail || d.Bytes != int64(len(data)-off) {
					t.Fatalf("Damage = %+v, want %s at offset %d after %d records, tail %v", d, dm.kind.English(), off, seq, tail)
				}
				if want := firstValidFrame(data, off+1); d.Next != int64(want) || tail && want != 0 {
					t.Errorf("Damage.Next = %d, want the first valid frame after the damage, at %d", d.Next, want)
				}
				if n != seq {
					t.Errorf("the reader has %d records, want %d", n, seq)
				}

				rep, err := Repair(ctx, path)
				after := readFile(t, path)
				if !tail {
					var fe *FormatError
					if !errors.As(err, &fe) || fe.Offset != int64(off) || fe.Kind != dm.kind || fe.Next != d.Next {
						t.Errorf("Repair = %+v, %v; want a *FormatError at offset %d", rep, err, off)
					}
					if !bytes.Equal(after, data) {
						t.Error("Repair changed the file")
					}
					return
				}
				if err != nil || rep.Size != int64(off) || rep.Removed != int64(len(data)-off) || rep.Kind != dm.kind || rep.Records != 29 {
					t.Errorf("Repair = %+v, %v; want the %d bytes from %d removed", rep, err, len(data)-off, off)
				}
				if !bytes.Equal(after, data[:off]) {
					t.Error("Repair removed other than the tail")
				}
				w := openTestFile(t, path)
				defer w.Close()
				if got := readAll(t, w); !reflect.DeepEqual(got, b.records) {
					t.Errorf("after Repair the writer has %d records", len(got))
				}
			})
		}
	}
}

// firstValidFrame returns the first offset from from on where a frame
// checks out, or 0.
func firstValidFrame(data []byte, from int) int {
	for o := from; o < len(data); o++ {
		if frameChecksOut(data, o) {
			return o
		}
	}
	return 0
}

// frameChecksOut reports whether a frame with a known kind and a matching
// checksum starts at off: written out here independently of findFrame.
func frameChecksOut(data []byte, off int) bool {
	if off+frameOverhead > len(data) || !bytes.ContainsRune([]byte{frameHeader, frameRecord, frameCheckpoint}, rune(data[off])) {
		return false
	}
	n := int(binary.BigEndian.Uint32(data[off+1:]))
	if n > maxFramePayload || off+frameOverhead+n > len(data) {
		return false
	}
	fr := data[off : off+frameOverhead+n]
	return bytes.Equal(appendFrame(nil, fr[0], fr[frameHead:len(fr)-4]), fr)
}

// TestSalvage copies the intact prefix of damaged files to new files and
// checks the copy byte for byte, the report, and that the frames after the
// damage are reported and left out.
func TestSalvage(t *testing.T) {
	ctx := context.Background()
	b := newDamagedBase(t)
	pub := testSigner(t, 1).Public()
	dir := t.TempDir()
	rec := func(seq int) int { return b.offs[b.record(seq)] }
	cp10 := b.offs[b.record(9)+1] // the checkpoint after record 9

	tests := []struct {
		name      string
		damage    func(d []byte) []byte
		opts      []Option
		size      int // bytes copied
		records   uint64
		fragments []Fragment
	}{
		{"intact", func(d []byte) []byte { return d }, nil, len(b.data), 29, nil},
		{"issue 11: a length byte of record 10", func(d []byte) []byte { d[rec(10)+2] ^= 1; return d },
			[]Option{WithKey(testKey), WithPublicKey(pub)}, rec(10), 10,
			[]Fragment{{Offset: int64(rec(11)), Size: int64(len(b.data) - rec(11)), Records: 18, FirstSeq: 11, Checkpoints: 2, Signed: 2, Verified: true}}},
		{"without the key", func(d []byte) []byte { d[rec(10)+2] ^= 1; return d },
			nil, rec(10), 10,
			[]Fragment{{Offset: int64(rec(11)), Size: int64(len(b.data) - rec(11)), Records: 18, FirstSeq: 11, Checkpoints: 2}}},
		{"only a checkpoint lost", func(d []byte) []byte { d[cp10+20] ^= 1; return d },
			[]Option{WithKey(testKey)}, cp10, 10,
			[]Fragment{{Offset: int64(rec(10)), Size: int64(len(b.data) - rec(10)), Records: 19, FirstSeq: 10, Checkpoints: 2, Verified: true, Follows: true}}},
		{"two damages", func(d []byte) []byte { d[rec(10)+40] ^= 1; d[rec(20)+40] ^= 1; return d },
			[]Option{WithKey(testKey)}, rec(10), 10,
			[]Fragment{
				{Offset: int64(rec(11)), Size: int64(rec(20) - rec(11)), Records: 9, FirstSeq: 11, Checkpoints: 1, Verified: true},
				{Offset: int64(rec(21)), Size: int64(len(b.data) - rec(21)), Records: 8, FirstSeq: 21, Checkpoints: 1, Verified: true},
			}},
		{"a record after the damage altered, checksum fixed", func(d []byte) []byte {
			d[rec(10)+2] ^= 1
			p := d[rec(15)+frameHead : rec(16)-4]
			p[offTime+7] ^= 1 // record 15's time
			copy(d[rec(15):], appendFrame(nil, frameRecord, p))
			return d
		}, []Option{WithKey(testKey)}, rec(10), 10,
			[]Fragment{{Offset: int64(rec(11)), Size: int64(len(b.data) - rec(11)), Records: 18, FirstSeq: 11, Checkpoints: 2}}},
		{"a zeroed tail", func(d []byte) []byte { clear(d[rec(28):]); return d },
			[]Option{WithKey(testKey)}, rec(28), 28, nil},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := filepath.Join(dir, "src.log")
			dst := filepath.Join(dir, "salvaged"+string(rune('a'+n))+".log")
			data := tt.damage(b.copy())
			writeFile(t, src, data)
			rep, err := Salvage(ctx, src, dst, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(readFile(t, src), data) {
				t.Fatal("Salvage changed the source")
			}
			if got := readFile(t, dst); !bytes.Equal(got, data[:tt.size]) {
				t.Fatalf("the copy has %d bytes, want the first %d of the source", len(got), tt.size)
			}
			if rep.Size != int64(tt.size) || rep.Records != tt.records || rep.Incomplete || !reflect.DeepEqual(rep.Fragments, tt.fragments) {
				t.Errorf("report %+v\nwant size %d, %d records, fragments %+v", rep, tt.size, tt.records, tt.fragments)
			}
			if (rep.Damage == nil) != (tt.size == len(data)) || rep.Damage != nil && rep.Damage.Offset != int64(tt.size) {
				t.Errorf("report's damage %+v", rep.Damage)
			}
			w := openTestFile(t, dst)
			defer w.Close()
			if got := readAll(t, w); !reflect.DeepEqual(got, b.records[:tt.records]) {
				t.Errorf("the copy holds %d records, want the first %d as written", len(got), tt.records)
			}
			if err := w.Verify(ctx); err != nil {
				t.Errorf("Verify of the copy: %v", err)
			}
			if _, err := w.Append(ctx, testEvent(int(tt.records))); err != nil {
				t.Errorf("Append to the copy: %v", err)
			}
		})
	}

	t.Run("a stray header after the damage", func(t *testing.T) {
		src, dst := filepath.Join(dir, "stray.log"), filepath.Join(dir, "stray-salvaged.log")
		data := b.copy()
		data[rec(10)+2] ^= 1
		hb, _ := Header{Algorithm: SM3, LogID: LogID{1}}.MarshalBinary()
		data = append(data[:rec(15):rec(15)], append(appendFrame(nil, frameHeader, hb), data[rec(15):]...)...)
		writeFile(t, src, data)
		rep, err := Salvage(ctx, src, dst, WithKey(testKey))
		want := []Fragment{{Offset: int64(rec(11)), Size: int64(len(data) - rec(11)), Records: 18, FirstSeq: 11, Checkpoints: 2}}
		if err != nil || !reflect.DeepEqual(rep.Fragments, want) {
			t.Errorf("Salvage = %+v, %v; want the fragments %+v", rep, err, want)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		src, dst := filepath.Join(dir, "src.log"), filepath.Join(dir, "refused.log")
		writeFile(t, src, b.data)
		var ve *VerifyError
		if _, err := Salvage(ctx, src, dst, WithKey(otherKey)); !errors.As(err, &ve) || ve.Kind != KindWrongKey {
			t.Errorf("wrong key: %v", err)
		}
		bad := b.copy()
		bad[len(fileMagic)+10] ^= 1 // the header
		writeFile(t, src, bad)
		if _, err := Salvage(ctx, src, dst); !errors.Is(err, ErrCorrupt) {
			t.Errorf("a damaged header: %v, want ErrCorrupt", err)
		}
		if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused Salvage created %s", dst)
		}
		writeFile(t, src, b.data)
		writeFile(t, dst, []byte("an earlier copy"))
		if _, err := Salvage(ctx, src, dst); !errors.Is(err, os.ErrExist) {
			t.Errorf("an existing destination: %v, want os.ErrExist", err)
		}
		if string(readFile(t, dst)) != "an earlier copy" {
			t.Error("Salvage overwrote an existing file")
		}
		if _, err := Salvage(ctx, src, src); !errors.Is(err, os.ErrExist) {
			t.Errorf("onto itself: %v", err)
		}
		if !bytes.Equal(readFile(t, src), b.data) {
			t.Error("Salvage onto itself changed the source")
		}
		if _, err := Salvage(ctx, src, dst, WithSyncEach()); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("an option for writers: %v", err)
		}
	})
}
