package audit

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
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
	end         int64          // the end of the last complete frame
	torn        *TornTailError // bytes after end that a crash left, or nil
}

// scanFile reads the frames of a log file of the given size, checking
// magic, kinds, lengths and checksums, and parses the header and the
// checkpoints. A torn tail is reported in torn (see frameDamage); damage
// before valid data is a *FormatError. It stops with ctx's error when ctx
// ends.
func scanFile(ctx context.Context, r io.ReaderAt, size int64, path string) (*scanned, error) {
	s := &scanned{}
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 1<<20)
	var magic [len(fileMagic)]byte
	n, _ := io.ReadFull(br, magic[:])
	if string(magic[:n]) != fileMagic[:n] {
		return nil, &FormatError{Path: path, Reason: "not a govshare audit log (wrong magic number)"}
	}
	if n < len(fileMagic) {
		s.torn = &TornTailError{Path: path, Bytes: size}
		return s, nil
	}
	off := int64(len(fileMagic))
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
		if damage != nil {
			torn := damage.cut || damage.atEnd
			if !torn {
				if torn, err = allZero(r, off, size); err != nil {
					return nil, err
				}
			}
			if !torn {
				return nil, &FormatError{Path: path, Offset: off, Record: uint64(len(s.records)), Reason: damage.reason}
			}
			if !haveHeader {
				off = 0 // a log without a complete header has never been used
			}
			s.torn = &TornTailError{Path: path, Offset: off, Bytes: size - off, Records: uint64(len(s.records))}
			break
		}
		bad := func(reason string) error {
			return &FormatError{Path: path, Offset: off, Record: uint64(len(s.records)), Reason: reason}
		}
		switch {
		case !haveHeader:
			if kind != frameHeader {
				return nil, bad("the first frame is not the log header")
			}
			if err := s.hdr.UnmarshalBinary(payload); err != nil {
				return nil, bad(err.Error())
			}
			haveHeader = true
		case kind == frameRecord:
			if len(payload) < DigestSize {
				return nil, bad("record frame too short")
			}
			s.records = append(s.records, frameLoc{off: off, n: uint32(len(payload))})
		case kind == frameCheckpoint:
			sc := storedCheckpoint{at: uint64(len(s.records))}
			sc.err = sc.cp.UnmarshalBinary(payload)
			s.checkpoints = append(s.checkpoints, sc)
		default:
			return nil, bad("a second log header")
		}
		off += frameOverhead + int64(len(payload))
	}
	if !haveHeader && s.torn == nil {
		s.torn = &TornTailError{Path: path, Bytes: size}
	}
	if s.torn != nil {
		s.end = s.torn.Offset
	} else {
		s.end = off
	}
	return s, nil
}

// frameDamage describes a bad frame. A crash can leave two kinds at the
// end of a file, and only those are a torn tail that Repair may remove:
// the beginning of a frame of a known kind whose declared length runs past
// the end of the file (cut), or one frame that ends exactly at the end of
// the file and whose checksum fails (atEnd). Bytes that are all zero to
// the end of the file (space the file system allocated but the write never
// filled) are torn too. Anything else is damage Repair must not touch.
type frameDamage struct {
	cut, atEnd bool
	reason     string
}

// readFrame reads one frame with avail bytes left in the file.
func readFrame(br *bufio.Reader, avail int64, buf *[]byte) (kind byte, payload []byte, damage *frameDamage, err error) {
	known := func(k byte) bool { return k == frameHeader || k == frameRecord || k == frameCheckpoint }
	if avail < frameHead {
		head, err := br.Peek(int(avail))
		if err != nil {
			return 0, nil, nil, err
		}
		return head[0], nil, &frameDamage{cut: known(head[0]), reason: "frame header cut short"}, nil
	}
	head, err := br.Peek(frameHead)
	if err != nil {
		return 0, nil, nil, err
	}
	kind = head[0]
	n := binary.BigEndian.Uint32(head[1:])
	switch {
	case !known(kind):
		return kind, nil, &frameDamage{reason: "unknown frame kind"}, nil
	case n > maxFramePayload:
		return kind, nil, &frameDamage{reason: "frame longer than the limit"}, nil
	}
	total := int64(frameOverhead) + int64(n)
	if total > avail {
		return kind, nil, &frameDamage{cut: true, reason: "frame cut short"}, nil
	}
	if cap(*buf) < int(total) {
		*buf = make([]byte, total)
	}
	b := (*buf)[:total]
	if _, err := io.ReadFull(br, b); err != nil {
		return kind, nil, nil, err
	}
	if crc32.Checksum(b[:total-4], crcTable) != binary.BigEndian.Uint32(b[total-4:]) {
		return kind, nil, &frameDamage{atEnd: total == avail, reason: "checksum mismatch"}, nil
	}
	return kind, b[frameHead : total-4], nil, nil
}

func allZero(r io.ReaderAt, off, size int64) (bool, error) {
	buf := make([]byte, 64<<10)
	for off < size {
		n := int(min(int64(len(buf)), size-off))
		if _, err := r.ReadAt(buf[:n], off); err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		for _, c := range buf[:n] {
			if c != 0 {
				return false, nil
			}
		}
		off += int64(n)
	}
	return true, nil
}
