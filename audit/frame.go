package audit

import (
	"bufio"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// fileMagic starts every log file.
const fileMagic = "GSAUDIT\n"

// Frame kinds.
const (
	frameHeader     = 'H'
	frameRecord     = 'R'
	frameCheckpoint = 'C'
)

const (
	frameHead       = 1 + 4 // kind, payload length
	frameOverhead   = frameHead + 4
	maxFramePayload = 1 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// beginFrame appends a frame's kind and a placeholder length; the payload
// follows, then finishFrame.
func beginFrame(dst []byte, kind byte) []byte {
	return append(dst, kind, 0, 0, 0, 0)
}

// finishFrame fills in the length of the frame that starts at start and
// appends its checksum.
func finishFrame(dst []byte, start int) []byte {
	binary.BigEndian.PutUint32(dst[start+1:], uint32(len(dst)-start-frameHead))
	return binary.BigEndian.AppendUint32(dst, crc32.Checksum(dst[start:], crcTable))
}

func appendFrame(dst []byte, kind byte, payload []byte) []byte {
	start := len(dst)
	dst = beginFrame(dst, kind)
	dst = append(dst, payload...)
	return finishFrame(dst, start)
}

// frameLoc is where a frame's payload is: the frame starts at off, the
// payload of n bytes at off+5.
type frameLoc struct {
	off int64
	n   uint32
}

func (l frameLoc) end() int64 { return l.off + frameOverhead + int64(l.n) }

// scanned is what a scan of a log file finds.
type scanned struct {
	hdr         Header
	records     []frameLoc
	checkpoints []storedCheckpoint
	end         int64   // the end of the intact prefix: the last complete frame before any damage
	damage      *Damage // the first frame after the header that cannot be read, or nil
}

// scanFile reads the frames of a log file of the given size, checking
// magic, kinds, lengths and checksums, and parses the header and the
// checkpoints. It stops at the first bad frame after the header and
// reports it in damage, with the records and checkpoints before it; it
// looks past the damage for a valid frame to tell a torn tail (nothing
// valid follows) from damage in the middle. A file that is not a log, or
// whose header is damaged with valid frames after it, is a *FormatError;
// a header that was never completely written is a tail at offset 0. It
// stops with ctx's error when ctx ends.
func scanFile(ctx context.Context, r io.ReaderAt, size int64, path string) (*scanned, error) {
	s := &scanned{}
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), int(min(size, 1<<20)))
	var magic [len(fileMagic)]byte
	n, _ := io.ReadFull(br, magic[:])
	if string(magic[:n]) != fileMagic[:n] {
		return nil, &FormatError{Path: path, Reason: "not a govshare audit log (wrong magic number)"}
	}
	if n < len(fileMagic) {
		s.damage = &Damage{Kind: DamageCut, Bytes: size, Tail: true}
		return s, nil
	}
	off := int64(len(fileMagic))
	budget := scanBudget(size)
	var buf []byte
	haveHeader := false
	for frames := 0; off < size; frames++ {
		if frames%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		kind, payload, damage, err := readFrame(br, size-off, &buf)
		if err != nil {
			return nil, err
		}
		if damage == 0 {
			switch {
			case !haveHeader && kind != frameHeader:
				return nil, &FormatError{Path: path, Offset: off, Reason: "the first frame is not the log header", Kind: DamageMalformed}
			case !haveHeader:
				if err := s.hdr.UnmarshalBinary(payload); err != nil {
					return nil, &FormatError{Path: path, Offset: off, Reason: err.Error(), Kind: DamageMalformed}
				}
				haveHeader = true
			case kind == frameRecord && len(payload) < DigestSize:
				damage = DamageMalformed
			case kind == frameRecord:
				s.records = append(s.records, frameLoc{off: off, n: uint32(len(payload))})
			case kind == frameCheckpoint:
				sc := storedCheckpoint{at: uint64(len(s.records))}
				sc.err = sc.cp.UnmarshalBinary(payload)
				s.checkpoints = append(s.checkpoints, sc)
			default:
				damage = DamageMalformed // a second header
			}
		}
		if damage != 0 {
			d := &Damage{Offset: off, Records: uint64(len(s.records)), Kind: damage, Bytes: size - off}
			next, complete, err := findFrame(ctx, r, off+1, size, &budget, &buf)
			if err != nil {
				return nil, err
			}
			// A frame that checks out itself (DamageMalformed) is kept
			// whatever follows it.
			d.Next, d.Tail = next, next == 0 && complete && damage != DamageMalformed
			if !haveHeader {
				if !d.Tail {
					return nil, d.err(path)
				}
				// A log without a complete header has never been used.
				d.Offset, d.Bytes = 0, size
			}
			s.damage = d
			break
		}
		off += frameOverhead + int64(len(payload))
	}
	if !haveHeader && s.damage == nil {
		s.damage = &Damage{Kind: DamageCut, Bytes: size, Tail: true}
	}
	if s.damage != nil {
		s.end = s.damage.Offset
	} else {
		s.end = off
	}
	return s, nil
}

// readFrame reads one frame with avail bytes left in the file. A bad frame
// is reported by its DamageKind (0 for a good one); whether it is a torn
// tail is for the caller to find out.
func readFrame(br *bufio.Reader, avail int64, buf *[]byte) (kind byte, payload []byte, damage DamageKind, err error) {
	if avail < frameHead {
		head, err := br.Peek(int(avail))
		if err != nil {
			return 0, nil, 0, err
		}
		return head[0], nil, headDamage(head), nil
	}
	head, err := br.Peek(frameHead)
	if err != nil {
		return 0, nil, 0, err
	}
	kind = head[0]
	n := binary.BigEndian.Uint32(head[1:])
	switch {
	case !knownFrame(kind):
		return kind, nil, headDamage(head), nil
	case n > maxFramePayload:
		return kind, nil, DamageTooLong, nil
	}
	total := int64(frameOverhead) + int64(n)
	if total > avail {
		return kind, nil, DamageCut, nil
	}
	if cap(*buf) < int(total) {
		*buf = make([]byte, total)
	}
	b := (*buf)[:total]
	if _, err := io.ReadFull(br, b); err != nil {
		return kind, nil, 0, err
	}
	if crc32.Checksum(b[:total-4], crcTable) != binary.BigEndian.Uint32(b[total-4:]) {
		return kind, nil, DamageChecksum, nil
	}
	return kind, b[frameHead : total-4], 0, nil
}

// headDamage says what is wrong with a frame whose kind and length are
// head (cut short when there are fewer than five bytes).
func headDamage(head []byte) DamageKind {
	zero := true
	for _, c := range head {
		zero = zero && c == 0
	}
	switch {
	case zero:
		return DamageZeroed
	case !knownFrame(head[0]):
		return DamageUnknownFrame
	}
	return DamageCut
}
