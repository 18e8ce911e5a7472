package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/textcode"
)

// Algorithm is the hash algorithm of a log. SM3 (GB/T 32905-2016, the
// 国密 hash that GB/T 39786-2021 points to for integrity protection) is the
// default; SHA-256 is there for hosts that must interoperate with tools that
// know only it. Both give 32-byte digests. A log records its algorithm in its
// header and is never read with another one.
type Algorithm uint8

const (
	// SM3 is the SM3 cryptographic hash, GB/T 32905-2016 (SM3密码杂凑算法).
	SM3 Algorithm = iota + 1
	// SHA256 is SHA-256, FIPS 180-4.
	SHA256
)

var algorithms = textcode.Table[Algorithm]{
	{Value: SM3, Code: "sm3", Zh: "SM3密码杂凑算法", En: "SM3 (GB/T 32905-2016)"},
	{Value: SHA256, Code: "sha256", Zh: "SHA-256", En: "SHA-256 (FIPS 180-4)", Aliases: []string{"sha-256"}},
}

// String returns the algorithm's name, e.g. SM3密码杂凑算法.
func (a Algorithm) String() string {
	if e, ok := algorithms.Lookup(a); ok {
		return e.Zh
	}
	return "Algorithm(" + strconv.Itoa(int(a)) + ")"
}

// Valid reports whether a is SM3 or SHA256.
func (a Algorithm) Valid() bool { _, ok := algorithms.Lookup(a); return ok }

// MarshalText returns the stable code: sm3 or sha256.
func (a Algorithm) MarshalText() ([]byte, error) { return marshalCode(algorithms, "hash algorithm", a) }

// UnmarshalText accepts the stable code.
func (a *Algorithm) UnmarshalText(text []byte) error {
	return unmarshalCode(algorithms, "hash algorithm", text, a)
}

func (a Algorithm) code() string {
	e, _ := algorithms.Lookup(a)
	return e.Code
}

// newHash returns a fresh hash.Hash of a valid algorithm.
func (a Algorithm) newHash() hash.Hash {
	if a == SHA256 {
		return sha256.New()
	}
	return sm3.New()
}

// DigestSize is the size in bytes of every digest govshare's audit log
// computes: SM3 and SHA-256 both give 32 bytes.
const DigestSize = 32

// Digest is a hash value: a record hash, a Merkle tree node or root.
// Its text form is 64 lowercase hexadecimal digits.
type Digest [DigestSize]byte

// String returns the digest in lowercase hexadecimal.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// IsZero reports whether every byte of d is zero, as in the previous hash
// of the first record.
func (d Digest) IsZero() bool { return d == Digest{} }

// MarshalText returns the digest in lowercase hexadecimal.
func (d Digest) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(DigestSize))
	hex.Encode(out, d[:])
	return out, nil
}

// UnmarshalText accepts exactly 64 hexadecimal digits.
func (d *Digest) UnmarshalText(text []byte) error {
	return decodeHexFixed(text, d[:], "digest")
}

// ParseDigest parses 64 hexadecimal digits.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	err := d.UnmarshalText([]byte(s))
	return d, err
}

func decodeHexFixed(text, dst []byte, what string) error {
	if len(text) != hex.EncodedLen(len(dst)) {
		return malformed("%s must be %d hexadecimal digits, got %d characters", what, hex.EncodedLen(len(dst)), len(text))
	}
	if _, err := hex.Decode(dst, text); err != nil {
		return malformed("%s: %v", what, err)
	}
	return nil
}

// Domain-separation prefixes of RFC 6962 §2.1 / RFC 9162 §2.1.1.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// hasher computes the hashes of one log: leaf hashes over record
// encodings, interior Merkle nodes, and the record hash (the leaf hash
// itself, or its HMAC under the log's key). A hasher is not safe for
// concurrent use; each goroutine takes its own.
//
// The key is hashed into HMAC's inner and outer states once per hasher,
// not once per record: crypto/hmac saves both states after the first
// Reset when the hash is an encoding.BinaryMarshaler, as gmsm's SM3 and
// Go's SHA-256 are (the precomputation FIPS 198-1 §6 allows), and every
// later Reset restores them. A record's HMAC therefore costs two
// compression-function calls, the least HMAC of a 32-byte leaf hash can:
// one for the inner hash, one for the outer.
type hasher struct {
	alg     Algorithm
	h       hash.Hash
	mac     hash.Hash // nil for an unkeyed log
	prefix  [1]byte
	node    [1 + 2*DigestSize]byte
	in      [DigestSize]byte
	scratch [DigestSize]byte
}

func newHasher(alg Algorithm, key []byte) *hasher {
	x := &hasher{alg: alg, h: alg.newHash()}
	if key != nil {
		x.mac = hmac.New(alg.newHash, key)
	}
	return x
}

func (x *hasher) sum(h hash.Hash) (d Digest) {
	copy(d[:], h.Sum(x.scratch[:0]))
	return d
}

// leaf returns H(0x00 || enc), the RFC 6962 leaf hash of a record encoding.
func (x *hasher) leaf(enc []byte) Digest {
	x.h.Reset()
	x.prefix[0] = leafPrefix
	x.h.Write(x.prefix[:])
	x.h.Write(enc)
	return x.sum(x.h)
}

// leafPrefixed returns the leaf hash of the encoding b[1:], where b[0] is
// already leafPrefix: one Write instead of two, for a caller that keeps
// the byte in front of the encoding.
func (x *hasher) leafPrefixed(b []byte) Digest {
	x.h.Reset()
	x.h.Write(b)
	return x.sum(x.h)
}

// interior returns H(0x01 || l || r), an RFC 6962 interior node.
func (x *hasher) interior(l, r *Digest) Digest {
	x.node[0] = nodePrefix
	copy(x.node[1:], l[:])
	copy(x.node[1+DigestSize:], r[:])
	x.h.Reset()
	x.h.Write(x.node[:])
	return x.sum(x.h)
}

// record returns the record hash for a leaf hash: the leaf hash itself in
// an unkeyed log, HMAC-H(key, leaf) in a keyed one.
func (x *hasher) record(leaf *Digest) Digest {
	if x.mac == nil {
		return *leaf
	}
	x.mac.Reset()
	copy(x.in[:], leaf[:]) // so that leaf, passed to an interface, stays on the caller's stack
	x.mac.Write(x.in[:])
	return x.sum(x.mac)
}

// keyCheckLabel prefixes the input of a key check value.
const keyCheckLabel = "govshare-audit key check v1"

// keyCheck returns HMAC-H(key, "govshare-audit key check v1" || log id): a
// value that tells whether a key is the log's key without revealing it.
func keyCheck(alg Algorithm, key []byte, id LogID) Digest {
	m := hmac.New(alg.newHash, key)
	m.Write([]byte(keyCheckLabel))
	m.Write(id[:])
	var d Digest
	copy(d[:], m.Sum(nil))
	return d
}

// marshalCode and unmarshalCode implement MarshalText and UnmarshalText of
// the package's enumerations over their textcode tables. The zero value
// marshals to the empty text only where the enumeration allows "not
// stated"; none of this package's do, so it is an error.
func marshalCode[T ~uint8](t textcode.Table[T], typ string, v T) ([]byte, error) {
	e, ok := t.Lookup(v)
	if !ok {
		return nil, malformed("%s %d (accepted: %v)", typ, v, t.Codes())
	}
	return []byte(e.Code), nil
}

func unmarshalCode[T comparable](t textcode.Table[T], typ string, text []byte, v *T) error {
	parsed, ok := t.Parse(string(text))
	if !ok {
		return malformed("unknown %s %q (accepted: %v)", typ, text, t.Codes())
	}
	*v = parsed
	return nil
}
