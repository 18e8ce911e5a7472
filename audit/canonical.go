package audit

import (
	"encoding/binary"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// cst is the zone events are read back in.
var cst = deadline.CST

// recordMagic starts every record encoding: "GSA" and format version 1.
const recordMagic = "GSA\x01"

// The fixed part of a record encoding: magic, sequence number, previous
// hash, time.
const (
	offSeq      = len(recordMagic)
	offPrev     = offSeq + 8
	offTime     = offPrev + DigestSize
	offStrings  = offTime + 8
	textFields  = 14 // the length-prefixed fields after the time
	minEncoding = offStrings + 4*textFields
)

// The text fields of a record encoding, in order (see doc.go).
const (
	fAction = iota
	fActorID
	fActorName
	fActorRole
	fDeptName
	fDeptID // the department's identity: govshare.Department.ID
	fDeptRegionCode
	fDeptLevel
	fTargetKind
	fTargetID
	fOutcome
	fErrorCode
	fCorrelationID
	fDetails
)

// appendEventBody appends the encoding of e after the previous hash: the
// time and the text fields. e must be normalized.
func appendEventBody(dst []byte, e *Event) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(e.Time.UnixNano()))
	dst = appendText(dst, string(e.Action))
	dst = appendText(dst, e.Actor.ID)
	dst = appendText(dst, e.Actor.Name)
	dst = appendText(dst, roleCodes.byValue[e.Actor.Role])
	dst = appendText(dst, e.Actor.Department.Name)
	dst = appendDeptID(dst, &e.Actor.Department)
	dst = appendText(dst, e.Actor.Department.RegionCode)
	dst = appendText(dst, levelCodes.byValue[e.Actor.Department.Level])
	dst = appendText(dst, e.Target.Kind)
	dst = appendText(dst, e.Target.ID)
	dst = appendText(dst, outcomeCodes.byValue[e.Outcome])
	dst = appendText(dst, e.ErrorCode)
	dst = appendText(dst, e.CorrelationID)
	return appendBytes(dst, e.Details)
}

// eventBodySize is the length appendEventBody appends.
func eventBodySize(e *Event) int {
	return 8 + 4*textFields + len(e.Action) + len(e.Actor.ID) + len(e.Actor.Name) +
		len(roleCodes.byValue[e.Actor.Role]) + len(e.Actor.Department.Name) + deptIDSize(&e.Actor.Department) +
		len(e.Actor.Department.RegionCode) + len(levelCodes.byValue[e.Actor.Department.Level]) +
		len(e.Target.Kind) + len(e.Target.ID) + len(outcomeCodes.byValue[e.Outcome]) + len(e.ErrorCode) +
		len(e.CorrelationID) + len(e.Details)
}

const dirPrefix = govshare.DirectoryPrefix

// appendDeptID appends d.ID() as a text field without building it: the
// credit code, or "dir:" and the DirectoryID, or nothing.
func appendDeptID(dst []byte, d *govshare.Department) []byte {
	if d.CreditCode != "" || d.DirectoryID == "" {
		return appendText(dst, d.CreditCode)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(dirPrefix)+len(d.DirectoryID)))
	return append(append(dst, dirPrefix...), d.DirectoryID...)
}

func deptIDSize(d *govshare.Department) int {
	if d.CreditCode != "" || d.DirectoryID == "" {
		return len(d.CreditCode)
	}
	return len(dirPrefix) + len(d.DirectoryID)
}

func appendText(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
	return append(dst, s...)
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b)))
	return append(dst, b...)
}

// appendRecordPrefix appends magic, sequence number and previous hash.
func appendRecordPrefix(dst []byte, seq uint64, prev *Digest) []byte {
	dst = append(dst, recordMagic...)
	dst = binary.BigEndian.AppendUint64(dst, seq)
	return append(dst, prev[:]...)
}

// encodeRecord returns the canonical encoding of (seq, prev, e); e must be
// normalized.
func encodeRecord(seq uint64, prev Digest, e *Event) []byte {
	dst := make([]byte, 0, minEncoding+256+len(e.Details))
	dst = appendRecordPrefix(dst, seq, &prev)
	return appendEventBody(dst, e)
}

var errEncoding = errors.New("record encoding")

// rawFields is a parsed record encoding whose text fields still point into
// the encoding: parsing allocates nothing.
type rawFields struct {
	seq  uint64
	prev Digest
	nano int64
	text [textFields][]byte
}

// parseRaw splits enc into its fields and checks the structure: magic,
// lengths, UTF-8, no control characters in texts, known codes, nothing
// after the last field. It does not check the details' JSON: the record
// hash covers them.
func parseRaw(enc []byte, f *rawFields) error {
	if len(enc) < minEncoding || string(enc[:len(recordMagic)]) != recordMagic {
		return errEncoding
	}
	f.seq = binary.BigEndian.Uint64(enc[offSeq:])
	copy(f.prev[:], enc[offPrev:offTime])
	f.nano = int64(binary.BigEndian.Uint64(enc[offTime:]))
	rest := enc[offStrings:]
	for i := range f.text {
		if len(rest) < 4 {
			return errEncoding
		}
		n := binary.BigEndian.Uint32(rest)
		rest = rest[4:]
		if uint64(n) > uint64(len(rest)) {
			return errEncoding
		}
		f.text[i], rest = rest[:n:n], rest[n:]
	}
	if len(rest) != 0 {
		return errEncoding
	}
	for i, t := range f.text {
		if i == fDetails {
			if len(t) > 0 && (t[0] != '{' || !utf8.Valid(t)) {
				return errEncoding
			}
			continue
		}
		if !utf8.Valid(t) {
			return errEncoding
		}
		for _, c := range t {
			if c < 0x20 || c == 0x7f {
				return errEncoding
			}
		}
	}
	if !Action(f.text[fAction]).Valid() || len(f.text[fActorID]) == 0 {
		return errEncoding
	}
	if !roleCodes.valid(f.text[fActorRole], false) || !levelCodes.valid(f.text[fDeptLevel], true) ||
		!outcomeCodes.valid(f.text[fOutcome], false) {
		return errEncoding
	}
	return nil
}

// codeTable holds the stable codes of an enumeration a record holds.
type codeTable struct {
	byValue [256]string // empty for values without a code
	codes   []string
}

var (
	roleCodes    = codesOf(govshare.Clerk, govshare.OfficeHead, govshare.Authority, govshare.System)
	levelCodes   = codesOf(govshare.National, govshare.Provincial, govshare.City, govshare.County)
	outcomeCodes = codesOf(Success, Failure)
)

func codesOf[T interface {
	~uint8
	MarshalText() ([]byte, error)
}](vs ...T) *codeTable {
	t := &codeTable{}
	for _, v := range vs {
		b, _ := v.MarshalText()
		t.byValue[v] = string(b)
		t.codes = append(t.codes, string(b))
	}
	return t
}

// valid reports whether b is one of the codes (or empty, if emptyOK).
func (t *codeTable) valid(b []byte, emptyOK bool) bool {
	if len(b) == 0 {
		return emptyOK
	}
	for _, c := range t.codes {
		if c == string(b) {
			return true
		}
	}
	return false
}

// decodeEvent builds the Event of a parsed record. The strings share one
// allocation.
func decodeEvent(f *rawFields) Event {
	n := 0
	for i, t := range f.text {
		if i != fDetails {
			n += len(t)
		}
	}
	all := make([]byte, 0, n)
	for i, t := range f.text {
		if i != fDetails {
			all = append(all, t...)
		}
	}
	s := string(all)
	var strs [textFields]string
	off := 0
	for i, t := range f.text {
		if i != fDetails {
			strs[i] = s[off : off+len(t)]
			off += len(t)
		}
	}
	var e Event
	e.Time = time.Unix(0, f.nano).In(cst)
	e.Action = Action(strs[fAction])
	e.Actor.ID = strs[fActorID]
	e.Actor.Name = strs[fActorName]
	_ = e.Actor.Role.UnmarshalText(f.text[fActorRole])
	e.Actor.Department.Name = strs[fDeptName]
	e.Actor.Department.SetID(strs[fDeptID])
	e.Actor.Department.RegionCode = strs[fDeptRegionCode]
	_ = e.Actor.Department.Level.UnmarshalText(f.text[fDeptLevel])
	e.Target.Kind = strs[fTargetKind]
	e.Target.ID = strs[fTargetID]
	_ = e.Outcome.UnmarshalText(f.text[fOutcome])
	e.ErrorCode = strs[fErrorCode]
	e.CorrelationID = strs[fCorrelationID]
	if d := f.text[fDetails]; len(d) > 0 {
		e.Details = append([]byte(nil), d...)
	}
	return e
}

// decodeRecord parses a record encoding and its stored hash into a Record.
func decodeRecord(enc []byte, hash Digest) (Record, error) {
	var f rawFields
	if err := parseRaw(enc, &f); err != nil {
		return Record{}, err
	}
	return Record{Seq: f.seq, Prev: f.prev, Hash: hash, Event: decodeEvent(&f)}, nil
}
