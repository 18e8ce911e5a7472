package audit

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func testBundle(t testing.TB, opts ...Option) (*Bundle, *Memory) {
	t.Helper()
	ctx := context.Background()
	m := newTestMemory(t, opts...)
	appendN(t, m, 0, 40)
	cp, err := m.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ExportBundle(ctx, m, cp, 10, 20)
	if err != nil {
		t.Fatal(err)
	}
	return b, m
}

func TestBundleRoundTrip(t *testing.T) {
	b, m := testBundle(t, WithKey(testKey))
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"format": "govshare-audit-bundle/v1"`) || !strings.Contains(buf.String(), "某市公安局") {
		t.Fatalf("bundle JSON:\n%.400s", buf.String())
	}
	back, err := ReadBundle(t.Context(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Records) != 10 || back.Records[0].Seq != 10 || len(back.Proofs) != 10 {
		t.Fatalf("bundle has %d records from %d", len(back.Records), back.Records[0].Seq)
	}
	if err := back.Verify(m.PublicKey(), nil); err != nil {
		t.Errorf("Verify without the key: %v", err)
	}
	if err := back.Verify(m.PublicKey(), testKey); err != nil {
		t.Errorf("Verify with the key: %v", err)
	}
	// The last records of the log: the last hash is covered by the head.
	ctx := context.Background()
	cp := back.Checkpoint
	tail, err := ExportBundle(ctx, m, cp, 35, 40)
	if err != nil {
		t.Fatal(err)
	}
	if err := tail.Verify(m.PublicKey(), nil); err != nil {
		t.Errorf("tail bundle: %v", err)
	}
	tail.Records[4].Hash[0] ^= 1
	var ve *VerifyError
	if err := tail.Verify(m.PublicKey(), nil); !errors.As(err, &ve) || ve.Seq != 39 || ve.Kind != KindModified {
		t.Errorf("last hash altered: %v", err)
	}
	if _, err := ExportBundle(ctx, m, cp, 30, 41); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("export beyond the checkpoint: %v", err)
	}
}

func TestBundleTampering(t *testing.T) {
	otherPub := testSigner(t, 9).Public()
	tests := []struct {
		name   string
		change func(b *Bundle)
		pub    *PublicKey
		key    []byte
		seq    uint64
		kind   Kind
	}{
		{"an event changed", func(b *Bundle) { b.Records[3].Event.Actor.Name = "王五" }, nil, nil, 13, KindModified},
		{"details changed", func(b *Bundle) { b.Records[0].Event.Details = []byte(`{"entry":"CAT-0"}`) }, nil, nil, 10, KindModified},
		{"a hash changed, checked by the key", func(b *Bundle) { b.Records[5].Hash[1] ^= 1 }, nil, testKey, 15, KindModified},
		{"a hash changed, caught by the chain", func(b *Bundle) { b.Records[5].Hash[1] ^= 1 }, nil, nil, 15, KindModified},
		{"a record left out", func(b *Bundle) {
			b.Records = append(b.Records[:4:4], b.Records[5:]...)
			b.Proofs = append(b.Proofs[:4:4], b.Proofs[5:]...)
		}, nil, nil, 14, KindDeleted},
		{"two records swapped", func(b *Bundle) {
			b.Records[2], b.Records[3] = b.Records[3], b.Records[2]
			b.Proofs[2], b.Proofs[3] = b.Proofs[3], b.Proofs[2]
		}, nil, nil, 12, KindReordered},
		{"a proof damaged", func(b *Bundle) { b.Proofs[7].Hashes[2][0] ^= 1 }, nil, nil, 17, KindModified},
		{"a proof for another record", func(b *Bundle) { b.Proofs[7] = b.Proofs[6] }, nil, nil, 17, KindModified},
		{"the checkpoint altered", func(b *Bundle) { b.Checkpoint.Size++ }, nil, nil, 41, KindBadSignature},
		{"another signer's key", func(b *Bundle) {}, &otherPub, nil, 40, KindBadSignature},
		{"the wrong HMAC key", func(b *Bundle) {}, nil, otherKey, 0, KindWrongKey},
		{"a record beyond the checkpoint", func(b *Bundle) {
			b.Records[9].Seq, b.Proofs[9].Seq = 40, 40
			b.Records = b.Records[9:]
			b.Proofs = b.Proofs[9:]
		}, nil, nil, 40, KindInserted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, m := testBundle(t, WithKey(testKey))
			tt.change(b)
			pub := m.PublicKey()
			if tt.pub != nil {
				pub = *tt.pub
			}
			err := b.Verify(pub, tt.key)
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Seq != tt.seq || ve.Kind != tt.kind {
				t.Errorf("found %s at %d, want %s at %d (%v)", ve.Kind.English(), ve.Seq, tt.kind.English(), tt.seq, err)
			}
		})
	}
	t.Run("a key for an unkeyed log", func(t *testing.T) {
		b, m := testBundle(t)
		if err := b.Verify(m.PublicKey(), testKey); !errors.Is(err, ErrWrongKey) {
			t.Errorf("Verify = %v", err)
		}
		if err := b.Verify(m.PublicKey(), nil); err != nil {
			t.Errorf("unkeyed bundle: %v", err)
		}
	})
}

func TestReadBundleRefuses(t *testing.T) {
	b, _ := testBundle(t)
	var buf bytes.Buffer
	b.WriteTo(&buf)
	good := buf.String()
	for name, in := range map[string]string{
		"not JSON":        "bundle",
		"unknown field":   strings.Replace(good, `"format"`, `"extra": 1, "format"`, 1),
		"other format":    strings.Replace(good, BundleFormat, "govshare-audit-bundle/v9", 1),
		"trailing data":   good + "{}",
		"bad digest":      strings.Replace(good, `"hash": "`, `"hash": "zz`, 1),
		"too large":       `{"format":"` + strings.Repeat("x", MaxBundleSize) + `"}`,
		"unknown outcome": strings.Replace(good, `"outcome": "success"`, `"outcome": "maybe"`, 1),
	} {
		if _, err := ReadBundle(t.Context(), strings.NewReader(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
