package audit

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/textcode"
)

// SignatureAlgorithm is the signature scheme of a checkpoint.
type SignatureAlgorithm uint8

const (
	// SM2 is the SM2 digital signature of GB/T 32918.2-2016 (SM2椭圆曲线
	// 公钥密码算法), with the standard's default user id
	// "1234567812345678" in Z_A. It is the default.
	SM2 SignatureAlgorithm = iota + 1
	// Ed25519 is Ed25519, RFC 8032.
	Ed25519
)

var signatureAlgorithms = textcode.Table[SignatureAlgorithm]{
	{Value: SM2, Code: "sm2", Zh: "SM2数字签名算法", En: "SM2 (GB/T 32918.2-2016)"},
	{Value: Ed25519, Code: "ed25519", Zh: "Ed25519", En: "Ed25519 (RFC 8032)"},
}

// String returns the scheme's name, e.g. SM2数字签名算法.
func (a SignatureAlgorithm) String() string {
	if e, ok := signatureAlgorithms.Lookup(a); ok {
		return e.Zh
	}
	return "SignatureAlgorithm(" + strconv.Itoa(int(a)) + ")"
}

// Valid reports whether a is SM2 or Ed25519.
func (a SignatureAlgorithm) Valid() bool { _, ok := signatureAlgorithms.Lookup(a); return ok }

// MarshalText returns the stable code: sm2 or ed25519.
func (a SignatureAlgorithm) MarshalText() ([]byte, error) {
	return marshalCode(signatureAlgorithms, "signature algorithm", a)
}

// UnmarshalText accepts the stable code.
func (a *SignatureAlgorithm) UnmarshalText(text []byte) error {
	return unmarshalCode(signatureAlgorithms, "signature algorithm", text, a)
}

func (a SignatureAlgorithm) code() string {
	e, _ := signatureAlgorithms.Lookup(a)
	return e.Code
}

// Signer signs checkpoints. The private key may live anywhere — in
// memory (NewSM2Signer, NewEd25519Signer) or in a hardware security module
// (密码机) behind the host's own implementation; the log only needs the
// public key and a way to sign a message.
type Signer interface {
	// Public returns the public key that verifies the signatures.
	Public() PublicKey
	// Sign signs message (the checkpoint's text, see Checkpoint.Message):
	// SM2 over Z_A || message with SM3 as GB/T 32918.2 specifies, Ed25519
	// over the message itself. It returns the signature in the encoding
	// PublicKey.Verify expects: ASN.1 DER SEQUENCE{r, s} for SM2, 64 bytes
	// for Ed25519.
	Sign(ctx context.Context, message []byte) ([]byte, error)
}

// PublicKey is a checkpoint-verifying key: the algorithm and the key in its
// standard encoding (SM2: the 65-byte uncompressed point 04 || X || Y;
// Ed25519: 32 bytes). Its text form is "sm2:" or "ed25519:" followed by
// the key in standard base64.
type PublicKey struct {
	Algorithm SignatureAlgorithm // SM2 or Ed25519
	Key       []byte             // in the standard encoding above
}

// Verify checks signature over message. It returns nil or an error
// matching ErrBadSignature.
func (k PublicKey) Verify(message, signature []byte) error {
	switch k.Algorithm {
	case SM2:
		pub, err := sm2.NewPublicKey(k.Key)
		if err != nil {
			return fmt.Errorf("%w: SM2 public key: %v", ErrBadSignature, err)
		}
		if !sm2.VerifyASN1WithSM2(pub, nil, message, signature) {
			return fmt.Errorf("%w (SM2, key %s)", ErrBadSignature, k.ID())
		}
		return nil
	case Ed25519:
		if len(k.Key) != ed25519.PublicKeySize {
			return fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrBadSignature, len(k.Key))
		}
		if !ed25519.Verify(ed25519.PublicKey(k.Key), message, signature) {
			return fmt.Errorf("%w (Ed25519, key %s)", ErrBadSignature, k.ID())
		}
		return nil
	}
	return fmt.Errorf("%w: unknown signature algorithm %d", ErrBadSignature, k.Algorithm)
}

// ID returns a short fingerprint of the key for messages: the first 8
// bytes, in hexadecimal, of SM3 over the algorithm code, ':' and the key.
func (k PublicKey) ID() string {
	d := sm3.Sum(append([]byte(k.Algorithm.code()+":"), k.Key...))
	return fmt.Sprintf("%x", d[:8])
}

// IsZero reports whether k is the zero key: what a log without a signer
// or WithPublicKey reports as its PublicKey.
func (k PublicKey) IsZero() bool { return k.Algorithm == 0 && len(k.Key) == 0 }

// Equal reports whether k and o are the same key.
func (k PublicKey) Equal(o PublicKey) bool {
	return k.Algorithm == o.Algorithm && string(k.Key) == string(o.Key)
}

// String returns the text form, e.g. "sm2:BN4n…".
func (k PublicKey) String() string {
	return k.Algorithm.code() + ":" + base64.StdEncoding.EncodeToString(k.Key)
}

// MarshalText returns the text form.
func (k PublicKey) MarshalText() ([]byte, error) {
	if !k.Algorithm.Valid() {
		return nil, malformed("signature algorithm %d", k.Algorithm)
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses the text form and checks the key.
func (k *PublicKey) UnmarshalText(text []byte) error {
	p, err := ParsePublicKey(string(text))
	if err != nil {
		return err
	}
	*k = p
	return nil
}

// ParsePublicKey parses "sm2:<base64>" or "ed25519:<base64>" and checks
// that the key is valid for its algorithm.
func ParsePublicKey(s string) (PublicKey, error) {
	alg, b64, ok := strings.Cut(s, ":")
	var k PublicKey
	if !ok {
		return k, malformed("public key %q: want sm2:<base64> or ed25519:<base64>", s)
	}
	for _, e := range signatureAlgorithms {
		if e.Code == alg {
			k.Algorithm = e.Value
		}
	}
	key, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || !k.Algorithm.Valid() {
		return PublicKey{}, malformed("public key %q: want sm2:<base64> or ed25519:<base64>", s)
	}
	k.Key = key
	if err := k.check(); err != nil {
		return PublicKey{}, err
	}
	return k, nil
}

func (k PublicKey) check() error {
	switch k.Algorithm {
	case SM2:
		if _, err := sm2.NewPublicKey(k.Key); err != nil {
			return malformed("SM2 public key: %v", err)
		}
		return nil
	case Ed25519:
		if len(k.Key) != ed25519.PublicKeySize {
			return malformed("Ed25519 public key of %d bytes, want %d", len(k.Key), ed25519.PublicKeySize)
		}
		return nil
	}
	return malformed("signature algorithm %d", k.Algorithm)
}

// sm2Signer signs with an SM2 private key held in memory.
type sm2Signer struct {
	priv *sm2.PrivateKey
	pub  PublicKey
	rand io.Reader
}

// NewSM2Signer returns a Signer for an SM2 private key held in memory
// (for a key in a hardware module, implement Signer over the module's API).
// Signatures use crypto/rand.
func NewSM2Signer(priv *sm2.PrivateKey) (Signer, error) {
	if priv == nil || priv.D == nil {
		return nil, invalidOption("nil SM2 private key")
	}
	pub := PublicKey{Algorithm: SM2, Key: marshalSM2Point(&priv.PublicKey)}
	if err := pub.check(); err != nil {
		return nil, invalidOption("%v", err)
	}
	return &sm2Signer{priv: priv, pub: pub, rand: rand.Reader}, nil
}

// GenerateSM2Signer returns a Signer for a new SM2 key from crypto/rand.
func GenerateSM2Signer() (Signer, error) {
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("audit: generate SM2 key: %w", err)
	}
	return NewSM2Signer(priv)
}

func marshalSM2Point(pub *ecdsa.PublicKey) []byte {
	b := make([]byte, 65)
	b[0] = 4
	pub.X.FillBytes(b[1:33])
	pub.Y.FillBytes(b[33:])
	return b
}

func (s *sm2Signer) Public() PublicKey { return s.pub }

func (s *sm2Signer) Sign(ctx context.Context, message []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.priv.Sign(s.rand, message, sm2.DefaultSM2SignerOpts)
}

// ed25519Signer signs with an Ed25519 private key held in memory.
type ed25519Signer struct {
	priv ed25519.PrivateKey
	pub  PublicKey
}

// NewEd25519Signer returns a Signer for an Ed25519 private key held in
// memory.
func NewEd25519Signer(priv ed25519.PrivateKey) (Signer, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, invalidOption("Ed25519 private key of %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	pub := priv.Public().(ed25519.PublicKey)
	return &ed25519Signer{priv: priv, pub: PublicKey{Algorithm: Ed25519, Key: append([]byte(nil), pub...)}}, nil
}

func (s *ed25519Signer) Public() PublicKey { return s.pub }

func (s *ed25519Signer) Sign(ctx context.Context, message []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return ed25519.Sign(s.priv, message), nil
}
