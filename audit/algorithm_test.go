package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// TestSM3KnownAnswers checks the SM3 the log uses against the examples of
// GB/T 32905-2016 (appendix A).
func TestSM3KnownAnswers(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"A.1 abc", "abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{"A.2 abcd×16", strings.Repeat("abcd", 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := SM3.newHash()
			h.Write([]byte(tt.in))
			if got := hex.EncodeToString(h.Sum(nil)); got != tt.want {
				t.Errorf("SM3(%q) = %s, GB/T 32905 says %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestRecordHMAC checks that a keyed record hash is RFC 2104 HMAC: against
// RFC 4231 test case 2 for SHA-256, and for SM3 against the construction
// written out by hand.
func TestRecordHMAC(t *testing.T) {
	t.Run("HMAC-SHA256 RFC 4231 case 2", func(t *testing.T) {
		// The hasher MACs 32-byte leaf hashes; feed the RFC's message to
		// its HMAC directly.
		x := newHasher(SHA256, []byte("Jefe"))
		x.mac.Reset()
		x.mac.Write([]byte("what do ya want for nothing?"))
		got := hex.EncodeToString(x.mac.Sum(nil))
		want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
		if got != want {
			t.Errorf("HMAC-SHA256 = %s, RFC 4231 says %s", got, want)
		}
	})
	t.Run("HMAC-SM3 by hand", func(t *testing.T) {
		key := testKey
		leaf := Digest(sha256.Sum256([]byte("a leaf")))
		pad := func(b byte) []byte {
			p := bytes.Repeat([]byte{b}, sm3.BlockSize)
			for i, k := range key {
				p[i] ^= k
			}
			return p
		}
		inner := sm3.Sum(append(pad(0x36), leaf[:]...))
		outer := sm3.Sum(append(pad(0x5c), inner[:]...))
		if got := newHasher(SM3, key).record(&leaf); got != Digest(outer) {
			t.Errorf("keyed record hash = %s, HMAC-SM3 by hand = %x", got, outer)
		}
		if got := newHasher(SM3, nil).record(&leaf); got != leaf {
			t.Errorf("unkeyed record hash = %s, want the leaf hash %s", got, leaf)
		}
	})
}

func TestDigestText(t *testing.T) {
	d := Digest(sm3.Sum([]byte("abc")))
	text, _ := d.MarshalText()
	if string(text) != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatalf("MarshalText = %s", text)
	}
	back, err := ParseDigest(strings.ToUpper(string(text)))
	if err != nil || back != d {
		t.Fatalf("ParseDigest(upper) = %s, %v", back, err)
	}
	for _, bad := range []string{"", "66c7", strings.Repeat("g", 64), string(text) + "00"} {
		_, err := ParseDigest(bad)
		var me *MalformedError
		if !errors.Is(err, ErrMalformed) || !errors.As(err, &me) || !strings.Contains(me.Detail, "digest") {
			t.Errorf("ParseDigest(%q) error = %v, want a *MalformedError naming the digest", bad, err)
		}
	}
}

func TestAlgorithmText(t *testing.T) {
	for _, a := range []Algorithm{SM3, SHA256} {
		text, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Algorithm
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("%s: round trip gave %v, %v", text, back, err)
		}
	}
	if _, err := Algorithm(9).MarshalText(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Algorithm(9).MarshalText error = %v", err)
	}
	var a Algorithm
	if err := a.UnmarshalText([]byte("md5")); !errors.Is(err, ErrMalformed) {
		t.Errorf("UnmarshalText(md5) error = %v", err)
	}
	if SM3.String() != "SM3密码杂凑算法" || SHA256.String() != "SHA-256" {
		t.Errorf("String() = %q, %q", SM3, SHA256)
	}
}
