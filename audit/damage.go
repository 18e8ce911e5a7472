package audit

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"

	"github.com/govshare/govshare/internal/textcode"
)

// DamageKind says what is wrong with the first frame of a log file that
// cannot be read.
type DamageKind uint8

const (
	// DamageCut is 帧不完整: the frame — or its kind and length — runs past
	// the end of the file, as a write cut short by a crash leaves it, or
	// as a changed length byte makes it look.
	DamageCut DamageKind = iota + 1
	// DamageChecksum is 校验和不符: the frame's CRC-32C does not match its
	// bytes.
	DamageChecksum
	// DamageZeroed is 零字节: the frame's kind and length are zero bytes,
	// space that the file system allocated and a write never filled (a
	// sector lost in a power cut).
	DamageZeroed
	// DamageUnknownFrame is 未知帧类型: the frame's kind byte is none of H,
	// R and C.
	DamageUnknownFrame
	// DamageTooLong is 帧长度超限: the frame's length is above the 1 MiB
	// limit.
	DamageTooLong
	// DamageMalformed is 帧内容无效: the frame's checksum holds, but no log
	// holds such a frame there: a second header, a record frame too short
	// to hold a hash.
	DamageMalformed
)

var damageKinds = textcode.Table[DamageKind]{
	{Value: DamageCut, Code: "cut", Zh: "帧不完整", En: "frame cut short"},
	{Value: DamageChecksum, Code: "checksum", Zh: "校验和不符", En: "checksum mismatch"},
	{Value: DamageZeroed, Code: "zeroed", Zh: "零字节", En: "zeroed bytes"},
	{Value: DamageUnknownFrame, Code: "unknown_frame", Zh: "未知帧类型", En: "unknown frame kind"},
	{Value: DamageTooLong, Code: "too_long", Zh: "帧长度超限", En: "frame longer than the limit"},
	{Value: DamageMalformed, Code: "malformed", Zh: "帧内容无效", En: "frame out of place"},
}

// String returns the Chinese term, e.g. 校验和不符.
func (k DamageKind) String() string {
	if e, ok := damageKinds.Lookup(k); ok {
		return e.Zh
	}
	return "DamageKind(" + strconv.Itoa(int(k)) + ")"
}

// English returns the English name, e.g. "checksum mismatch".
func (k DamageKind) English() string {
	e, _ := damageKinds.Lookup(k)
	return e.En
}

// MarshalText returns the stable code, e.g. checksum.
func (k DamageKind) MarshalText() ([]byte, error) { return marshalCode(damageKinds, "damage kind", k) }

// UnmarshalText accepts the stable code or the Chinese term.
func (k *DamageKind) UnmarshalText(text []byte) error {
	return unmarshalCode(damageKinds, "damage kind", text, k)
}

// Damage is where a log file stops being readable, and why: the first
// frame after the header that cannot be read. Every frame before Offset is
// intact (kind, length and checksum hold) and readable through the log;
// nothing from Offset on is read.
//
// A reader (ReadOnly) opens a damaged file and reports it (File.Damage); a
// writer refuses it. Damage that no valid frame follows is a torn tail,
// which Repair may remove; damage with valid frames after it is never
// removed by anything in this package: Salvage copies the intact prefix to
// a new file and reports what lies beyond.
type Damage struct {
	Offset  int64      // where the bad frame starts: the end of the intact prefix
	Records uint64     // records in the intact prefix; a record at Offset would have this sequence number
	Kind    DamageKind // what is wrong at Offset
	Bytes   int64      // bytes from Offset to the end of the file
	// Next is where the first frame after Offset starts that checks out by
	// itself (a known kind, a length within the limit and the file, a
	// matching checksum); 0 when none was found.
	Next int64
	// Tail reports a torn tail: no frame after Offset checks out, to the
	// end of the file. A frame whose checksum holds (DamageMalformed) is
	// never a tail, and neither is damage where the search for a valid
	// frame gave up (see scanBudget): both are kept.
	Tail bool
}

// String describes the damage in English and Chinese.
func (d *Damage) String() string {
	s := fmt.Sprintf("damage at offset %d after %d intact records: %s", d.Offset, d.Records, d.Kind.English())
	switch {
	case d.Tail:
		s += fmt.Sprintf("; no valid frame follows in the %d bytes to the end (a torn tail)", d.Bytes)
	case d.Next > 0:
		s += fmt.Sprintf("; a valid frame follows at offset %d", d.Next)
	default:
		s += "; the search for a valid frame after it gave up"
	}
	return s + fmt.Sprintf(" (偏移 %d 处损坏：%s)", d.Offset, d.Kind)
}

// err is the error a writer (and Repair, for damage that is not a tail)
// gets for the damage.
func (d *Damage) err(path string) error {
	if d.Tail {
		return &TornTailError{Path: path, Offset: d.Offset, Bytes: d.Bytes, Records: d.Records, Kind: d.Kind}
	}
	reason := d.Kind.English()
	if d.Next > 0 {
		reason += fmt.Sprintf("; a valid frame follows at offset %d, so this is not a torn tail", d.Next)
	}
	return &FormatError{Path: path, Offset: d.Offset, Record: d.Records, Reason: reason, Kind: d.Kind, Next: d.Next}
}

// scanBudget bounds the work of looking for valid frames after damage: the
// checksums it may compute, in bytes. A file crafted so that every few
// bytes start a 1 MiB frame candidate would otherwise cost a megabyte of
// checksum per byte; real damage is followed by the next real frame within
// a few candidates. When the budget runs out the search stops, and the
// damage is not taken for a tail.
func scanBudget(size int64) int64 { return 64<<20 + 16*size }

// findFrame returns the offset of the first frame that starts at or after
// from and checks out by itself: a known kind, a length within the limit
// and within size, a matching checksum. It returns 0 when there is none,
// with complete false when the budget ran out first. Its memory is one
// buffer of at most 4 MiB, kept in scratch for the next search.
func findFrame(ctx context.Context, r io.ReaderAt, from, size int64, budget *int64, scratch *[]byte) (next int64, complete bool, err error) {
	if from+frameOverhead > size {
		return 0, true, nil
	}
	n := int(min(4<<20, size-from))
	if cap(*scratch) < n {
		*scratch = make([]byte, n)
	}
	buf := (*scratch)[:n]
	var bstart, bend int64 = from, from
	load := func(o int64) error {
		n := min(int64(len(buf)), size-o)
		if _, err := r.ReadAt(buf[:n], o); err != nil && err != io.EOF {
			return fmt.Errorf("audit: read: %w", err)
		}
		bstart, bend = o, o+n
		return nil
	}
	for o := from; o+frameOverhead <= size; o++ {
		if (o-from)%(64<<10) == 0 {
			if err := ctx.Err(); err != nil {
				return 0, false, err
			}
		}
		if o+frameHead > bend {
			if err := load(o); err != nil {
				return 0, false, err
			}
		}
		p := o - bstart
		if !knownFrame(buf[p]) {
			continue
		}
		n := binary.BigEndian.Uint32(buf[p+1:])
		total := int64(frameOverhead) + int64(n)
		if n > maxFramePayload || o+total > size {
			continue
		}
		if o+total > bend {
			if err := load(o); err != nil {
				return 0, false, err
			}
			p = 0
		}
		if *budget -= total; *budget < 0 {
			return 0, false, nil
		}
		b := buf[p : p+total]
		if crc32.Checksum(b[:total-4], crcTable) == binary.BigEndian.Uint32(b[total-4:]) {
			return o, true, nil
		}
	}
	return 0, true, nil
}

func knownFrame(k byte) bool { return k == frameHeader || k == frameRecord || k == frameCheckpoint }
