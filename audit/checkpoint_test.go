package audit

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
)

func TestSM2Signer(t *testing.T) {
	ctx := context.Background()
	s, err := GenerateSM2Signer()
	if err != nil {
		t.Fatal(err)
	}
	pub := s.Public()
	if pub.Algorithm != SM2 || len(pub.Key) != 65 || pub.Key[0] != 4 {
		t.Fatalf("public key %s", pub)
	}
	msg := []byte("govshare-audit checkpoint v1\n")
	sig, err := s.Sign(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(msg, sig); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// The signature is standard GB/T 32918.2 SM2 with the default user id:
	// gmsm's own verifier accepts it.
	ecpub, err := sm2.NewPublicKey(pub.Key)
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.VerifyASN1WithSM2(ecpub, []byte("1234567812345678"), msg, sig) {
		t.Error("gmsm rejects the signature with the standard user id")
	}
	if err := pub.Verify(append(msg, '!'), sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a changed message verified: %v", err)
	}
	other, _ := GenerateSM2Signer()
	if err := other.Public().Verify(msg, sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("another key verified: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Sign(canceled, msg); !errors.Is(err, context.Canceled) {
		t.Errorf("Sign with a canceled context: %v", err)
	}
	if _, err := NewSM2Signer(nil); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("NewSM2Signer(nil): %v", err)
	}
}

func TestPublicKeyText(t *testing.T) {
	sm, _ := GenerateSM2Signer()
	ed := testSigner(t, 3)
	for _, k := range []PublicKey{sm.Public(), ed.Public()} {
		text, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back PublicKey
		if err := back.UnmarshalText(text); err != nil || !back.Equal(k) {
			t.Errorf("%s: round trip gave %s, %v", text, back, err)
		}
		if len(k.ID()) != 16 {
			t.Errorf("ID %q", k.ID())
		}
	}
	if !strings.HasPrefix(ed.Public().String(), "ed25519:") || !strings.HasPrefix(sm.Public().String(), "sm2:") {
		t.Errorf("text forms %s, %s", ed.Public(), sm.Public())
	}
	for _, bad := range []string{"", "sm2", "rsa:AAAA", "ed25519:AAAA", "sm2:BAAA", "ed25519:!!!!", "sm2:" + strings.Repeat("A", 88)} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePublicKey(%q): %v", bad, err)
		}
	}
	if _, err := NewEd25519Signer(ed25519.PrivateKey{1, 2}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("short Ed25519 key: %v", err)
	}
	if err := (PublicKey{Algorithm: 9}).Verify(nil, nil); !errors.Is(err, ErrBadSignature) {
		t.Errorf("unknown algorithm verified: %v", err)
	}
}

func TestCheckpointMessage(t *testing.T) {
	cp := Checkpoint{
		LogID: LogID{0x01, 0x23}, Algorithm: SM3, Size: 1000,
		Root: Digest{0xab}, Head: Digest{0xcd}, Time: t0,
	}
	want := "govshare-audit checkpoint v1\n" +
		"log 01230000000000000000000000000000\n" +
		"hash sm3\n" +
		"keycheck 0000000000000000000000000000000000000000000000000000000000000000\n" +
		"size 1000\n" +
		"root ab00000000000000000000000000000000000000000000000000000000000000\n" +
		"head cd00000000000000000000000000000000000000000000000000000000000000\n" +
		"time 1790665200000000000\n"
	if got := string(cp.Message()); got != want {
		t.Fatalf("message\n%s\nwant\n%s", got, want)
	}
	signer := testSigner(t, 1)
	cp.SignatureAlgorithm = Ed25519
	cp.Signature, _ = signer.Sign(context.Background(), cp.Message())
	b, err := cp.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Checkpoint
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(signer.Public()); err != nil || back.Size != 1000 || !back.Time.Equal(t0) || back.Time.Location() != cst {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	for name, msg := range map[string]string{
		"upper-case hex":    strings.Replace(want, "root ab", "root AB", 1),
		"leading zero":      strings.Replace(want, "size 1000", "size 01000", 1),
		"missing line":      strings.Replace(want, "hash sm3\n", "", 1),
		"unknown algorithm": strings.Replace(want, "hash sm3", "hash md5", 1),
		"extra line":        want + "x\n",
		"no final newline":  strings.TrimSuffix(want, "\n"),
	} {
		if _, err := parseMessage([]byte(msg)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, cut := range []int{0, 3, len(b) - 1} {
		if err := back.UnmarshalBinary(b[:cut]); !errors.Is(err, ErrMalformed) {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
	if err := back.Verify(PublicKey{Algorithm: SM2, Key: signer.Public().Key}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("algorithm mismatch verified: %v", err)
	}
}

func TestHeaderBinary(t *testing.T) {
	h, err := NewHeader(WithKey(testKey), WithAlgorithm(SHA256), WithLogID(LogID{9}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.MarshalBinary()
	if len(b) != 51 || b[0] != 1 || b[1] != 2 || b[2] != 1 {
		t.Fatalf("binary header %x", b)
	}
	var back Header
	if err := back.UnmarshalBinary(b); err != nil || back != h {
		t.Fatalf("round trip %+v, %v", back, err)
	}
	for name, bad := range map[string][]byte{
		"short":                b[:50],
		"version 2":            append([]byte{2}, b[1:]...),
		"algorithm 3":          append([]byte{1, 3}, b[2:]...),
		"keyed without check":  append(append([]byte(nil), b[:19]...), make([]byte, 32)...),
		"unkeyed with a check": append([]byte{1, 2, 0}, b[3:]...),
	} {
		if err := back.UnmarshalBinary(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewSealer(h, otherKey); !errors.Is(err, ErrWrongKey) {
		t.Errorf("NewSealer with the wrong key: %v", err)
	}
	if _, err := NewSealer(h, nil); !errors.Is(err, ErrKeyRequired) {
		t.Errorf("NewSealer without the key: %v", err)
	}
	if _, err := NewSealer(h, testKey, WithSigner(testSigner(t, 1))); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("NewSealer with a signer option: %v", err)
	}
}

// TestSealerMatchesLog: a store that seals records itself (as a SQL store
// does inside its transaction) produces exactly the records the memory
// log does, so both verify the same way.
func TestSealerMatchesLog(t *testing.T) {
	ctx := context.Background()
	m := newTestMemory(t, WithKey(testKey), WithLogID(LogID{5}))
	s, err := NewSealer(m.Header(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	var head Head
	tree, _ := NewTree(SM3)
	for i, want := range appendN(t, m, 0, 25) {
		sealed, err := s.Seal(head, testEvent(i))
		if err != nil {
			t.Fatal(err)
		}
		if sealed.Record.Hash != want.Hash || sealed.Record.Seq != want.Seq {
			t.Fatalf("record %d: sealer gives %s, log %s", i, sealed.Record.Hash, want.Hash)
		}
		if leaf, _ := LeafHash(SM3, want); leaf != sealed.Leaf {
			t.Fatalf("record %d: LeafHash differs from the sealed leaf", i)
		}
		tree.Append(sealed.Leaf)
		head = Head{Size: head.Size + 1, Hash: sealed.Record.Hash}
	}
	cp, _ := m.Checkpoint(ctx)
	if root, _ := tree.Root(25); root != cp.Root {
		t.Errorf("a tree over the sealed leaves has root %s, the log's checkpoint %s", root, cp.Root)
	}
	if _, err := s.Seal(head, Event{}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("sealing an empty event: %v", err)
	}
}
