package govshare_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/govshare/govshare"
)

// Fuzz targets for the code checks, which read codes straight from
// catalog files, requests and gateway calls. Seeds are the f.Add calls and
// the files in testdata/fuzz/<target>; run one with, e.g.,
//
//	go test . -run '^$' -fuzz '^FuzzValidateCreditCode$' -fuzztime 60s

// creditChars is the character set of GB 32100-2015, written out here
// rather than taken from the package, so the targets check it.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// codeErr asserts that err is the *CodeError of the scheme for code.
func codeErr(t *testing.T, err error, scheme, code string) {
	t.Helper()
	var ce *govshare.CodeError
	if !errors.As(err, &ce) || !errors.Is(err, govshare.ErrInvalidCode) || !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("%q: not a *CodeError of ErrInvalidCode: %v", code, err)
	}
	if ce.Scheme != scheme || ce.Code != code || ce.Problem == "" {
		t.Fatalf("%q: error %+v", code, ce)
	}
	if m := govshare.MessageOf(err); m.Code != "govshare.invalid_code" || m.Zh == "" || m.En == "" {
		t.Fatalf("%q: message %+v", code, m)
	}
}

func FuzzCreditCodeCheck(f *testing.F) {
	for _, s := range []string{"91350100M000100Y4", "11000000000000000", "1100000000000000", "1100000000000000I", "YYYYYYYYYYYYYYYYY", "９1350100M000100Y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, first17 string) {
		c, err := govshare.CreditCodeCheck(first17)
		valid := len(first17) == 17 && strings.Trim(first17, creditChars) == ""
		if err != nil {
			if valid {
				t.Fatalf("%q refused: %v", first17, err)
			}
			codeErr(t, err, "统一社会信用代码", first17)
			return
		}
		if !valid || strings.IndexByte(creditChars, c) < 0 {
			t.Fatalf("%q accepted with check character %q", first17, c)
		}
		// The check catches every single substitution: weights 3^(i-1)
		// mod 31 are never 0 mod 31, and 31 is prime.
		i := len(first17) % 17
		v := strings.IndexByte(creditChars, first17[i])
		other := first17[:i] + string(creditChars[(v+1)%31]) + first17[i+1:]
		if c2, err := govshare.CreditCodeCheck(other); err != nil || c2 == c {
			t.Fatalf("%q and %q: check %q, %q, %v", first17, other, c, c2, err)
		}
		// A whole code made with it is valid when its region part is digits.
		code := first17 + string(c)
		err = govshare.ValidateCreditCode(code)
		if digits := strings.Trim(first17[2:8], "0123456789") == ""; digits != (err == nil) {
			t.Fatalf("%q: region part digits %v, ValidateCreditCode %v", code, digits, err)
		}
	})
}

func FuzzValidateCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100M000100Y44", "91350100M000100Y4O", "913A0100M000100Y43",
		"91350100M000I00Y43", "９1350100M000100Y43", "", "110000000000000000U", "11000000000000000U"} {
		f.Add(s, "")
	}
	f.Add("91350100M000100Y44", "91350100M000100Y44")
	f.Fuzz(func(t *testing.T, code, allowed string) {
		err := govshare.ValidateCreditCode(code)
		if err != nil {
			codeErr(t, err, "统一社会信用代码", code)
		} else {
			if len(code) != 18 || strings.Trim(code, creditChars) != "" || strings.Trim(code[2:8], "0123456789") != "" {
				t.Fatalf("%q accepted", code)
			}
			if c, err := govshare.CreditCodeCheck(code[:17]); err != nil || c != code[17] {
				t.Fatalf("%q accepted with check character %q, want %q (%v)", code, code[17], c, err)
			}
		}
		// An allowed code is accepted as it is; allowing another changes nothing.
		if err := govshare.ValidateCreditCode(code, code); err != nil {
			t.Fatalf("%q refused though allowed: %v", code, err)
		}
		if allowed != code && (govshare.ValidateCreditCode(code, allowed) == nil) != (err == nil) {
			t.Fatalf("%q: allowing %q changed the answer", code, allowed)
		}
	})
}

func FuzzValidateRegionCode(f *testing.F) {
	for _, s := range []string{"110000", "110101", "330100", "650000", "654000", "820000", "", "11010", "1101011", "11010a",
		"990000", "000000", "110001", "１１0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := govshare.ValidateRegionCode(code)
		level := govshare.RegionLevel(code)
		if err != nil {
			codeErr(t, err, "行政区划代码", code)
			return
		}
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" || (code[2:4] == "00" && code[4:] != "00") {
			t.Fatalf("%q accepted", code)
		}
		want := govshare.County
		switch {
		case code[2:] == "0000":
			want = govshare.Provincial
		case code[4:] == "00":
			want = govshare.City
		}
		if level != want {
			t.Fatalf("%q: level %v, want %v", code, level, want)
		}
	})
}
