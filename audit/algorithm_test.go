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

// TestHMACSM3KnownAnswers checks keyed record hashes and the key check
// value against HMAC-SM3 vectors computed outside Go and gmsm: by
// testdata/hmac_sm3.py, a pure-Python SM3 (GB/T 32905-2016, checked there
// against appendix A) with RFC 2104 HMAC, and confirmed with Python's
// hmac module over OpenSSL's SM3. One hasher computes the cases in a row,
// so they also show that crypto/hmac's saved inner and outer states (it
// restores them on each Reset instead of hashing the padded key again)
// are restored correctly from one record to the next.
func TestHMACSM3KnownAnswers(t *testing.T) {
	abc := Digest(sm3.Sum([]byte("abc")))
	abcd := Digest(sm3.Sum([]byte(strings.Repeat("abcd", 16))))
	longKey := make([]byte, 100) // longer than the SM3 block: hashed first
	for i := range longKey {
		longKey[i] = byte(i)
	}
	x := newHasher(SM3, testKey)
	for _, tt := range []struct {
		name string
		x    *hasher
		leaf Digest
		want string
	}{
		{"32-byte key, SM3(abc)", x, abc, "6116e0ad2c945242533d6c729a1a57af399bd8a5bfad84aa693580efbc3c0992"},
		{"32-byte key, SM3(abcd×16)", x, abcd, "02e38d649c6b09515f5464b1e4d450c58a9704435300bcf6d3cacc8c67e8cc8b"},
		{"32-byte key, SM3(abc) again", x, abc, "6116e0ad2c945242533d6c729a1a57af399bd8a5bfad84aa693580efbc3c0992"},
		{"100-byte key, SM3(abc)", newHasher(SM3, longKey), abc, "26639db615262dba8eb4bdf539e56e24d96987b6b16cc818250104bbc064e576"},
	} {
		if got := tt.x.record(&tt.leaf); got.String() != tt.want {
			t.Errorf("%s: HMAC-SM3 = %s, want %s", tt.name, got, tt.want)
		}
	}
	id := LogID{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	if got, want := keyCheck(SM3, testKey, id).String(), "be87c8cacce5df2a78b4878fd2629984ae60afda80581122a0a04ed51c5e1515"; got != want {
		t.Errorf("key check value = %s, want %s", got, want)
	}
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
