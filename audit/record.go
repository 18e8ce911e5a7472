package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
)

// Record is an event as the log holds it: its gapless sequence number from
// 0, the hash of the record before it (zero for the first), and its own
// hash over the canonical encoding of (Seq, Prev, Event) described in the
// package documentation — an HMAC when the log is keyed, so that nobody
// without the key can recompute the chain.
type Record struct {
	Seq   uint64 `json:"seq"`   // the sequence number, gapless from 0
	Prev  Digest `json:"prev"`  // the previous record's Hash; zero for the first
	Hash  Digest `json:"hash"`  // the record hash (an HMAC in a keyed log)
	Event Event  `json:"event"` // the event as recorded (normalized)
}

// LogID identifies a log: 16 random bytes chosen when it is created,
// recorded in its header and in every checkpoint, so that a checkpoint of
// one log is never taken for another's. Its text form is 32 hexadecimal
// digits.
type LogID [16]byte

// String returns the id in lowercase hexadecimal.
func (id LogID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText returns the id in lowercase hexadecimal.
func (id LogID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText accepts exactly 32 hexadecimal digits.
func (id *LogID) UnmarshalText(text []byte) error { return decodeHexFixed(text, id[:], "log id") }

// Header is what a log records about itself when it is created: its id,
// its hash algorithm, whether record hashes are keyed, and for a keyed log
// a key check value (HMAC of a fixed label and the log id under the key),
// which tells whether a key is the right one without revealing it. A log
// is never read with another algorithm or keyed-ness, nor with a key whose
// check value differs.
type Header struct {
	LogID     LogID     // the log's id
	Algorithm Algorithm // the hash algorithm of every record and node
	Keyed     bool      // whether record hashes are HMACs
	KeyCheck  Digest    // zero for an unkeyed log
}

// headerVersion is the version byte of Header's binary form.
const headerVersion = 1

// headerSize is the length of Header's binary form.
const headerSize = 1 + 1 + 1 + 16 + DigestSize

// NewHeader returns the header of a new log from the options: the hash
// algorithm (WithAlgorithm, SM3 by default), the key (WithKey) and the log
// id (WithLogID, random by default). A store that keeps a log elsewhere (a
// SQL table) saves it with MarshalBinary when it creates the log.
func NewHeader(opts ...Option) (Header, error) {
	c, err := newConfig(kindAny, opts)
	if err != nil {
		return Header{}, err
	}
	return c.newHeader()
}

// MarshalBinary returns the header's 51-byte binary form: version (1),
// algorithm (1 = SM3, 2 = SHA-256), keyed (0 or 1), the log id (16 bytes),
// the key check value (32 bytes, zero when unkeyed).
func (h Header) MarshalBinary() ([]byte, error) {
	if !h.Algorithm.Valid() {
		return nil, malformed("header algorithm %d", h.Algorithm)
	}
	b := make([]byte, 0, headerSize)
	b = append(b, headerVersion, byte(h.Algorithm), boolByte(h.Keyed))
	b = append(b, h.LogID[:]...)
	return append(b, h.KeyCheck[:]...), nil
}

// UnmarshalBinary parses the binary form, refusing anything else.
func (h *Header) UnmarshalBinary(b []byte) error {
	if len(b) != headerSize || b[0] != headerVersion || !Algorithm(b[1]).Valid() || b[2] > 1 {
		return malformed("log header")
	}
	var n Header
	n.Algorithm = Algorithm(b[1])
	n.Keyed = b[2] == 1
	copy(n.LogID[:], b[3:19])
	copy(n.KeyCheck[:], b[19:])
	if n.Keyed == n.KeyCheck.IsZero() {
		return malformed("log header: key check value and keyed flag disagree")
	}
	*h = n
	return nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// check refuses to use the log with settings other than the header's: an
// algorithm the caller asked for explicitly, a key for an unkeyed log, no
// key for a keyed one (unless keyOptional, for readers), or a key whose
// check value differs (a *VerifyError of KindWrongKey at sequence 0).
func (h Header) check(path string, wantAlg Algorithm, key []byte, keyOptional bool) error {
	if wantAlg != 0 && wantAlg != h.Algorithm {
		return &HeaderError{Path: path, Setting: "algorithm", Header: h.Algorithm.code(), Options: wantAlg.code()}
	}
	switch {
	case h.Keyed && key == nil && !keyOptional:
		return &HeaderError{Path: path, Setting: "key", Header: "a keyed log", Options: "no key"}
	case !h.Keyed && key != nil:
		return &HeaderError{Path: path, Setting: "key", Header: "an unkeyed log", Options: "a key"}
	case h.Keyed && key != nil:
		kc := keyCheck(h.Algorithm, key, h.LogID)
		if !hmac.Equal(kc[:], h.KeyCheck[:]) {
			return &VerifyError{Seq: 0, Kind: KindWrongKey, Detail: "the key's check value differs from the one in the log header"}
		}
	}
	return nil
}

// Head is the state of a log that its next record depends on: how many
// records it holds (the next sequence number) and the hash of the last one
// (zero when empty).
type Head struct {
	Size uint64 // the number of records
	Hash Digest // the last record's hash; zero when Size is 0
}

// Sealed is a record computed by a Sealer, with what a store keeps besides
// the record: the Merkle leaf hash and the exact bytes that were hashed.
type Sealed struct {
	Record   Record // the record, to store
	Leaf     Digest // H(0x00 || Encoding), the record's RFC 6962 leaf hash
	Encoding []byte // the canonical encoding of (Seq, Prev, Event)
}

// Sealer computes the next record of a log from its Head and an event,
// storing nothing. It is the step a transactional store runs inside the
// same database transaction as the state change it records:
//
//	BEGIN
//	SELECT size, hash FROM audit_head FOR UPDATE      -- the Head, locked
//	sealed, err := sealer.Seal(head, event)           -- seq, prev, hash
//	INSERT INTO audit_records (seq, prev, hash, leaf, encoding, …)
//	UPDATE audit_head SET size = size + 1, hash = …
//	UPDATE applications SET … WHERE id = … AND version = …
//	COMMIT                                            -- all or nothing
//
// If anything fails before COMMIT, the transaction rolls back and neither
// the state change nor its record exists. A Sealer is safe for concurrent
// use.
type Sealer struct {
	hdr     Header
	key     []byte
	limits  Limits
	hashers sync.Pool
}

// NewSealer returns a sealer for the log with header h. key must be the
// log's key if it is keyed (checked against the header), nil otherwise.
// Options may set Limits; other options are refused.
func NewSealer(h Header, key []byte, opts ...Option) (*Sealer, error) {
	c, err := newConfig(kindSealer, opts)
	if err != nil {
		return nil, err
	}
	if !h.Algorithm.Valid() {
		return nil, invalidOption("header algorithm %d", h.Algorithm)
	}
	if err := h.check("", 0, key, false); err != nil {
		return nil, err
	}
	return newSealer(h, key, c.limits), nil
}

func newSealer(h Header, key []byte, l Limits) *Sealer {
	s := &Sealer{hdr: h, limits: l}
	if h.Keyed {
		s.key = append([]byte(nil), key...)
	}
	s.hashers.New = func() any { return newHasher(h.Algorithm, s.key) }
	return s
}

// Header returns the header the sealer works for.
func (s *Sealer) Header() Header { return s.hdr }

// Seal validates e and returns the record that follows head. It fails with
// an *EventError (ErrInvalidEvent) for an event that cannot be recorded.
func (s *Sealer) Seal(head Head, e Event) (Sealed, error) {
	n, err := e.normalize(s.limits)
	if err != nil {
		return Sealed{}, err
	}
	enc := encodeRecord(head.Size, head.Hash, &n)
	x := s.getHasher()
	defer s.hashers.Put(x)
	leaf := x.leaf(enc)
	return Sealed{
		Record:   Record{Seq: head.Size, Prev: head.Hash, Hash: x.record(&leaf), Event: n},
		Leaf:     leaf,
		Encoding: enc,
	}, nil
}

func (s *Sealer) getHasher() *hasher { return s.hashers.Get().(*hasher) }

// LeafHash returns the RFC 6962 leaf hash of r under alg: H(0x00 ||
// canonical encoding of (r.Seq, r.Prev, r.Event)). It is what inclusion
// proofs prove; it does not depend on any key.
func LeafHash(alg Algorithm, r Record) (Digest, error) {
	if !alg.Valid() {
		return Digest{}, invalidOption("algorithm %d", alg)
	}
	n, err := r.Event.normalize(readLimits)
	if err != nil {
		return Digest{}, err
	}
	return newHasher(alg, nil).leaf(encodeRecord(r.Seq, r.Prev, &n)), nil
}

// newLogID returns a random log id.
func newLogID() (LogID, error) {
	var id LogID
	if _, err := rand.Read(id[:]); err != nil {
		return id, fmt.Errorf("audit: log id: %w", err)
	}
	return id, nil
}
