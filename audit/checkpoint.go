package audit

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Checkpoint is a signed statement of a log's state: its size, the Merkle
// root over its records' leaf hashes, the hash of its last record, and
// when it was taken. A supervisor who keeps checkpoints can later prove
// that the log still contains what it contained then (VerifyInclusion,
// VerifyConsistency), and Verify reports a log truncated below a
// checkpoint's size.
type Checkpoint struct {
	LogID     LogID     `json:"log_id"`    // the log's id, from its header
	Algorithm Algorithm `json:"algorithm"` // the log's hash algorithm
	// KeyCheck is the log's key check value (see Header); zero for an
	// unkeyed log. It lets a holder of the key tell whether their key is
	// the log's.
	KeyCheck Digest `json:"key_check"`
	Size     uint64 `json:"size"` // the number of records the checkpoint covers
	Root     Digest `json:"root"` // the RFC 6962 root of the tree of those records
	// Head is the hash of record Size-1 (zero when Size is 0), which ties
	// the record hash chain to the checkpoint.
	Head Digest    `json:"head"`
	Time time.Time `json:"time"` // when it was signed, by the log's clock
	// SignatureAlgorithm and Signature are the signature over Message().
	SignatureAlgorithm SignatureAlgorithm `json:"signature_algorithm"`
	Signature          []byte             `json:"signature"` // in PublicKey.Verify's encoding
}

// checkpointTitle is the first line of a checkpoint's message.
const checkpointTitle = "govshare-audit checkpoint v1"

// Message returns the exact bytes a checkpoint's signature covers, eight
// lines of UTF-8 text, each ended by a line feed (0x0A):
//
//	govshare-audit checkpoint v1
//	log <log id, 32 lowercase hex digits>
//	hash <sm3 | sha256>
//	keycheck <key check value, 64 lowercase hex digits; all zero when unkeyed>
//	size <decimal, no leading zeros>
//	root <64 lowercase hex digits>
//	head <64 lowercase hex digits>
//	time <Unix time in nanoseconds, decimal, optional leading '-'>
func (c Checkpoint) Message() []byte {
	var b bytes.Buffer
	b.Grow(300)
	b.WriteString(checkpointTitle + "\n")
	b.WriteString("log " + c.LogID.String() + "\n")
	b.WriteString("hash " + c.Algorithm.code() + "\n")
	b.WriteString("keycheck " + c.KeyCheck.String() + "\n")
	b.WriteString("size " + strconv.FormatUint(c.Size, 10) + "\n")
	b.WriteString("root " + c.Root.String() + "\n")
	b.WriteString("head " + c.Head.String() + "\n")
	b.WriteString("time " + strconv.FormatInt(c.Time.UnixNano(), 10) + "\n")
	return b.Bytes()
}

// parseMessage parses the text of Message strictly: the same bytes must
// come out of Message again.
func parseMessage(msg []byte) (Checkpoint, error) {
	bad := func(what string) (Checkpoint, error) {
		return Checkpoint{}, malformed("checkpoint message: %s", what)
	}
	lines := strings.Split(string(msg), "\n")
	if len(lines) != 9 || lines[8] != "" || lines[0] != checkpointTitle {
		return bad("want the 8 lines of " + checkpointTitle)
	}
	field := func(i int, name string) (string, bool) {
		v, ok := strings.CutPrefix(lines[i], name+" ")
		return v, ok
	}
	var c Checkpoint
	v, ok := field(1, "log")
	if !ok || c.LogID.UnmarshalText([]byte(v)) != nil {
		return bad("log id")
	}
	v, ok = field(2, "hash")
	switch {
	case ok && v == SM3.code():
		c.Algorithm = SM3
	case ok && v == SHA256.code():
		c.Algorithm = SHA256
	default:
		return bad("hash algorithm")
	}
	v, ok = field(3, "keycheck")
	if !ok || c.KeyCheck.UnmarshalText([]byte(v)) != nil {
		return bad("key check value")
	}
	v, ok = field(4, "size")
	if !ok {
		return bad("size")
	}
	size, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return bad("size")
	}
	c.Size = size
	v, ok = field(5, "root")
	if !ok || c.Root.UnmarshalText([]byte(v)) != nil {
		return bad("root")
	}
	v, ok = field(6, "head")
	if !ok || c.Head.UnmarshalText([]byte(v)) != nil {
		return bad("head")
	}
	v, ok = field(7, "time")
	if !ok {
		return bad("time")
	}
	ns, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return bad("time")
	}
	c.Time = time.Unix(0, ns).In(cst)
	if !bytes.Equal(c.Message(), msg) {
		return bad("not in canonical form (hex case, leading zeros)")
	}
	return c, nil
}

// Verify checks the checkpoint's signature under pub. It returns nil or
// an error matching ErrBadSignature.
func (c Checkpoint) Verify(pub PublicKey) error {
	if c.SignatureAlgorithm != pub.Algorithm {
		return fmt.Errorf("%w: checkpoint signed with %s, key is %s", ErrBadSignature,
			c.SignatureAlgorithm.code(), pub.Algorithm.code())
	}
	return pub.Verify(c.Message(), c.Signature)
}

// MarshalBinary returns the checkpoint as a log file stores it: the
// message's length (uint32, big-endian), the message, the signature
// algorithm (1 = SM2, 2 = Ed25519), the signature's length (uint16) and
// the signature.
func (c Checkpoint) MarshalBinary() ([]byte, error) {
	if !c.Algorithm.Valid() {
		return nil, malformed("checkpoint algorithm %d", c.Algorithm)
	}
	if len(c.Signature) > 0xffff {
		return nil, malformed("checkpoint signature of %d bytes", len(c.Signature))
	}
	msg := c.Message()
	b := make([]byte, 0, 4+len(msg)+3+len(c.Signature))
	b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
	b = append(b, msg...)
	b = append(b, byte(c.SignatureAlgorithm))
	b = binary.BigEndian.AppendUint16(b, uint16(len(c.Signature)))
	return append(b, c.Signature...), nil
}

// UnmarshalBinary parses the binary form strictly. It does not verify the
// signature.
func (c *Checkpoint) UnmarshalBinary(b []byte) error {
	if len(b) < 4 {
		return malformed("checkpoint too short")
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n)+4+3 > uint64(len(b)) {
		return malformed("checkpoint message length")
	}
	msg, rest := b[4:4+n], b[4+n:]
	p, err := parseMessage(msg)
	if err != nil {
		return err
	}
	p.SignatureAlgorithm = SignatureAlgorithm(rest[0])
	sl := binary.BigEndian.Uint16(rest[1:])
	if !p.SignatureAlgorithm.Valid() || int(sl) != len(rest)-3 {
		return malformed("checkpoint signature")
	}
	p.Signature = append([]byte(nil), rest[3:]...)
	*c = p
	return nil
}

// InclusionProof proves that the record with sequence number Seq is the
// leaf at that index of the tree of the first Size records: the RFC 6962
// audit path, deepest sibling first, ⌈log₂ Size⌉ hashes at most.
type InclusionProof struct {
	Seq    uint64   `json:"seq"`    // the record proved
	Size   uint64   `json:"size"`   // the size of the tree it is proved in
	Hashes []Digest `json:"hashes"` // the audit path
}

// ConsistencyProof proves that the tree of the first Size1 records is a
// prefix of the tree of the first Size2: the RFC 6962 consistency proof.
type ConsistencyProof struct {
	Size1  uint64   `json:"size1"`  // the older, smaller tree
	Size2  uint64   `json:"size2"`  // the newer tree
	Hashes []Digest `json:"hashes"` // the RFC 6962 consistency proof
}

// VerifyInclusion checks offline, without the log, that rec is in the log
// as of cp: the checkpoint's signature under pub, then the Merkle path
// from rec's leaf hash to cp.Root. It returns nil or a *VerifyError: of
// KindBadSignature for the checkpoint, of KindModified naming rec.Seq when
// the record (or the proof) does not lead to the signed root.
func VerifyInclusion(pub PublicKey, cp Checkpoint, rec Record, proof InclusionProof) error {
	if err := cp.Verify(pub); err != nil {
		return &VerifyError{Seq: cp.Size, Kind: KindBadSignature, Checkpoint: &cp, Detail: err.Error()}
	}
	if proof.Seq != rec.Seq || proof.Size != cp.Size {
		return &VerifyError{Seq: rec.Seq, Kind: KindModified, Checkpoint: &cp,
			Detail: fmt.Sprintf("proof is for record %d in a tree of %d, not record %d in the checkpoint's %d", proof.Seq, proof.Size, rec.Seq, cp.Size)}
	}
	leaf, err := LeafHash(cp.Algorithm, rec)
	if err != nil {
		return &VerifyError{Seq: rec.Seq, Kind: KindModified, Checkpoint: &cp, Detail: err.Error()}
	}
	return verifyLeaf(newHasher(cp.Algorithm, nil), cp, rec.Seq, leaf, proof.Hashes)
}

func verifyLeaf(x *hasher, cp Checkpoint, seq uint64, leaf Digest, path []Digest) error {
	root, err := rootFromInclusion(x, seq, cp.Size, leaf, path)
	if err != nil {
		return &VerifyError{Seq: seq, Kind: KindModified, Checkpoint: &cp, Detail: err.Error()}
	}
	if root != cp.Root {
		return &VerifyError{Seq: seq, Kind: KindModified, Checkpoint: &cp,
			Detail: "the record's Merkle path does not lead to the checkpoint's root"}
	}
	return nil
}

// VerifyConsistency checks offline that the log as of newer extends the
// log as of older without changing it: both signatures under pub, the same
// log, and the consistency proof from older.Root to newer.Root. It returns
// nil or a *VerifyError: KindBadSignature for a checkpoint that does not
// verify or belongs to another log, KindTruncated when newer is smaller
// than older, KindRootMismatch when the proof fails — some record before
// older.Size was changed, and since a proof cannot tell which, Seq is 0.
func VerifyConsistency(pub PublicKey, older, newer Checkpoint, proof ConsistencyProof) error {
	for _, cp := range []*Checkpoint{&older, &newer} {
		if err := cp.Verify(pub); err != nil {
			return &VerifyError{Seq: cp.Size, Kind: KindBadSignature, Checkpoint: cp, Detail: err.Error()}
		}
	}
	if older.LogID != newer.LogID || older.Algorithm != newer.Algorithm {
		return &VerifyError{Seq: newer.Size, Kind: KindBadSignature, Checkpoint: &newer,
			Detail: fmt.Sprintf("checkpoints of different logs (%s, %s)", older.LogID, newer.LogID)}
	}
	if newer.Size < older.Size {
		return &VerifyError{Seq: newer.Size, Kind: KindTruncated, Checkpoint: &newer,
			Detail: fmt.Sprintf("the newer checkpoint has %d records, the older %d", newer.Size, older.Size)}
	}
	if proof.Size1 != older.Size || proof.Size2 != newer.Size {
		return &VerifyError{Seq: 0, Kind: KindRootMismatch, Checkpoint: &newer,
			Detail: fmt.Sprintf("proof is between sizes %d and %d, not %d and %d", proof.Size1, proof.Size2, older.Size, newer.Size)}
	}
	if err := checkConsistency(newHasher(older.Algorithm, nil), older.Size, newer.Size, older.Root, newer.Root, proof.Hashes); err != nil {
		return &VerifyError{Seq: 0, Kind: KindRootMismatch, Checkpoint: &newer, Detail: err.Error()}
	}
	return nil
}
