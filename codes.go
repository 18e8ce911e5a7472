package govshare

import (
	"fmt"
	"strings"
)

// ErrInvalidCode is the kind of every error about a malformed 统一社会信用代码
// or 行政区划代码. errors.Is(err, ErrInvalid) holds for it.
var ErrInvalidCode = fmt.Errorf("govshare: invalid code: %w", ErrInvalid)

// CodeError names the code, what it should have been and what is wrong.
// errors.Is(err, ErrInvalidCode) holds.
type CodeError struct {
	Scheme  string // "统一社会信用代码" or "行政区划代码"
	Code    string // the code given
	Problem string // what is wrong, in English
}

// Error implements error.
func (e *CodeError) Error() string {
	return fmt.Sprintf("govshare: invalid %s %q: %s", e.Scheme, e.Code, e.Problem)
}

// Unwrap returns ErrInvalidCode.
func (e *CodeError) Unwrap() error { return ErrInvalidCode }

// ErrorMessage implements Messenger.
func (e *CodeError) ErrorMessage() Message {
	return Message{Code: "govshare.invalid_code", Zh: fmt.Sprintf("%s“%s”不正确：%s", e.Scheme, e.Code, e.Problem), En: e.Error()}
}

// creditCodeChars is the character set of GB 32100-2015: digits and the
// capital letters without I, O, Z, S, V; a character's value is its index.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are 3^(i-1) mod 31 for positions 1…17 (GB 32100-2015).
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck returns the check character (the 18th) for the first 17
// characters of a 统一社会信用代码, or an error if they are not 17 characters
// of the GB 32100-2015 set.
func CreditCodeCheck(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, &CodeError{Scheme: "统一社会信用代码", Code: first17, Problem: fmt.Sprintf("%d characters, want 17 before the check character", len(first17))}
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			return 0, &CodeError{Scheme: "统一社会信用代码", Code: first17, Problem: fmt.Sprintf("character %d (%q) is not in %s", i+1, first17[i], creditCodeChars)}
		}
		sum += v * creditCodeWeights[i]
	}
	c := (31 - sum%31) % 31
	return creditCodeChars[c], nil
}

// ValidateCreditCode checks a 统一社会信用代码 (unified social credit code,
// GB 32100-2015): 18 characters from 0-9 and A-Y without I, O, Z, S, V;
// characters 3–8 the digits of a region code; the 18th the check character
// computed with weights 3^(i-1) mod 31. A few codes issued in the early
// pilots fail the check and are nevertheless legal: pass them in allow and
// they are accepted as they are.
func ValidateCreditCode(code string, allow ...string) error {
	for _, a := range allow {
		if code == a {
			return nil
		}
	}
	fail := func(problem string) error {
		return &CodeError{Scheme: "统一社会信用代码", Code: code, Problem: problem}
	}
	if len(code) != 18 {
		return fail(fmt.Sprintf("%d characters, want 18", len([]rune(code))))
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return fail(fmt.Sprintf("character %d (%q) must be a digit of the registering authority's region code", i+1, code[i]))
		}
	}
	want, err := CreditCodeCheck(code[:17])
	if err != nil {
		return fail(err.(*CodeError).Problem)
	}
	if code[17] != want {
		if strings.IndexByte(creditCodeChars, code[17]) < 0 {
			return fail(fmt.Sprintf("character 18 (%q) is not in %s", code[17], creditCodeChars))
		}
		return fail(fmt.Sprintf("check character is %q, want %q", code[17], want))
	}
	return nil
}

// provinces are the first two digits of the GB/T 2260 codes of the
// provincial-level divisions (including Taiwan, Hong Kong and Macao).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

// ValidateRegionCode checks the structure of a 6-digit 行政区划代码 (GB/T
// 2260): two digits of a province-level division, two of the prefecture
// (00 for the province itself) and two of the county (00 for the
// prefecture itself; a province's code has no county part). It checks the
// structure, not that the division exists today: divisions change every
// year.
func ValidateRegionCode(code string) error {
	fail := func(problem string) error {
		return &CodeError{Scheme: "行政区划代码", Code: code, Problem: problem}
	}
	if len(code) != 6 {
		return fail(fmt.Sprintf("%d characters, want 6 digits", len([]rune(code))))
	}
	for i := 0; i < 6; i++ {
		if code[i] < '0' || code[i] > '9' {
			return fail(fmt.Sprintf("character %d (%q) is not a digit", i+1, code[i]))
		}
	}
	if !provinces[code[:2]] {
		return fail(fmt.Sprintf("%s is not the code of a province-level division", code[:2]))
	}
	if code[2:4] == "00" && code[4:6] != "00" {
		return fail("a county part under prefecture 00")
	}
	return nil
}

// RegionLevel returns the level a region code stands for: Provincial for
// xx0000, City for xxxx00, County otherwise. It does not validate the code.
func RegionLevel(code string) Level {
	switch {
	case len(code) != 6:
		return 0
	case code[2:] == "0000":
		return Provincial
	case code[4:] == "00":
		return City
	}
	return County
}
