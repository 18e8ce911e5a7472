package jcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	gowebpki "github.com/gowebpki/jcs"
)

// differentialDepth is deeper than anything the fuzzer writes and than
// gowebpki/jcs's own limit of 10,000 would matter for.
const differentialDepth = 10000

// agree fails t unless Canonicalize and gowebpki/jcs's Transform (the
// reference the style guide names) agree on data: the same bytes when
// both accept it, a refusal from both otherwise — except for the classes
// where the two may legitimately differ:
//
//   - an integer literal beyond 2^53 whose digits a double does not keep
//     (9007199254740993): RFC 8785 reads every number as a double and so
//     writes 9007199254740992; we refuse it rather than change a number
//     silently, a policy beyond the RFC (see the package documentation);
//   - nesting deeper than the limit the caller gives, which here is the
//     same as gowebpki/jcs's.
//
// Duplicate member names, invalid UTF-8, lone surrogates and numbers out
// of the range of a double are refused by RFC 8785 (through I-JSON, RFC
// 7493) and gowebpki/jcs v1.0.2 refuses them too: no difference there.
func agree(t *testing.T, data []byte) {
	t.Helper()
	ours, err := Canonicalize(data, differentialDepth)
	theirs, terr := gowebpki.Transform(data)
	var e *Error
	switch {
	case err == nil && terr == nil:
		if !bytes.Equal(ours, theirs) {
			t.Fatalf("for %q we write %q, gowebpki/jcs %q", data, ours, theirs)
		}
	case err == nil:
		t.Fatalf("for %q we write %q, gowebpki/jcs refuses it: %v", data, ours, terr)
	case terr == nil && !(errors.As(err, &e) && e.inexact):
		t.Fatalf("for %q gowebpki/jcs writes %q, we refuse it: %v", data, theirs, err)
	}
}

// TestAgreesWithGowebpki runs agree on the inputs where canonicalizers
// usually go wrong, and checks that each documented difference is one.
func TestAgreesWithGowebpki(t *testing.T) {
	for _, s := range []string{
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, "{\"a\":\"\xff\"}", "{\"\xff\":1}", "[\"\xed\xa0\x80\"]", "[\"\xc0\xaf\"]",
		`["\ud800"]`, `["\udc00"]`, `["\udc00\ud800"]`, `["\ud800\u0041"]`, `["\ud83d\ude00"]`,
		`{"x":1e400}`, `[1e-400]`, `[-0]`, `[-0.0]`, `[0e0]`, `[1E+2]`, `[0.1e1]`, `[1.0000000000000001]`,
		`[5e-324]`, `[1e21]`, `[1e-7]`, `[0.000001]`, `[123456789012345678901234567890.0]`, `[9007199254740993.0]`,
		`[1,2]`, `"x"`, `1`, `true`, ` {"a" : -0 } `, "{\"a\":1}\n", "{\"a\":\"\u2028\"}", `{"a":"\u0000\u001F\/"}`,
		"\ufeff{}", `{"a":tru}`, `{"a":[1,]}`, ``, `{"a":1}x`, "[1 2]", "{\"a\":\"\x7f\"}", `["\u0041"]`,
		"{\"\ue000\":1,\"\U0001F600\":2,\"\uFB33\":3}", `{"b":{"d":[{"f":1,"e":2}],"c":null},"a":[]}`,
		`[` + strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100) + `]`,
	} {
		agree(t, []byte(s))
	}
	for _, s := range []string{`[9007199254740993]`, `{"id":123456789012345678901234567890}`, `[-18014398509481985]`} {
		agree(t, []byte(s))
		theirs, terr := gowebpki.Transform([]byte(s))
		if _, err := Canonicalize([]byte(s), 32); err == nil || terr != nil {
			t.Errorf("%s: expected us to refuse what gowebpki/jcs rounds to %s (%v)", s, theirs, terr)
		}
	}
}

// FuzzDifferential checks Canonicalize against gowebpki/jcs on arbitrary
// input (see agree), and that the lazy path writes what the general path
// does. The seed corpus is in testdata/fuzz/FuzzDifferential.
func FuzzDifferential(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data)
		lazy, err := Canonicalize(data, differentialDepth)
		general, gerr := canonicalize(data, differentialDepth, false)
		if (err == nil) != (gerr == nil) || !bytes.Equal(lazy, general) {
			t.Fatalf("for %q the lazy path says %q, %v; the general path %q, %v", data, lazy, err, general, gerr)
		}
	})
}

// FuzzCanonicalize: whatever Canonicalize accepts is valid JSON, means
// the same as its output, and its output is a fixed point taken as it is.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{`{"b":[1,2.50,{"y":null,"x":true}],"a":"\u00e9\ud83d\ude00"}`, `{"n":-0.0000033333333333333333,"m":1E21}`, `{}`, `{"a":{"a":{"a":[]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Canonicalize(data, 32)
		if err != nil {
			return
		}
		if !json.Valid(data) || !json.Valid(out) {
			t.Fatalf("accepted %q, gave %q", data, out)
		}
		var a, b any
		if json.Unmarshal(data, &a) != nil || json.Unmarshal(out, &b) != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("%q and its canonical form %q differ in meaning", data, out)
		}
		again, err := Canonicalize(out, 32)
		if err != nil || &again[0] != &out[0] {
			t.Fatalf("canonical form %q is not taken as it is: %q, %v", out, again, err)
		}
	})
}
