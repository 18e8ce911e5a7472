package classify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/fold"
	"github.com/govshare/govshare/internal/textcode"
)

// The value checks of this file run on every sample a detector sees, so
// they work on the string in place: no conversion to []rune, no regular
// expressions, and no allocation unless a value matches and an error is
// asked for (ValidateIDCard).

// idCardScheme names the scheme in *govshare.CodeError.
const idCardScheme = "居民身份证号码"

// idCardWeights are 2^(17-i) mod 11 for positions 1…17 (GB 11643-1999).
var idCardWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCardChecks maps the weighted sum mod 11 to the check character.
const idCardChecks = "10X98765432"

// provincePrefix[n] reports whether n (00–99) is the first two digits of a
// province-level division. It is read off govshare.ValidateRegionCode once,
// so the list of provinces lives in one place and the hot path below does
// not allocate the error that function returns for a bad code.
var provincePrefix = func() (t [100]bool) {
	for n := 10; n < 100; n++ {
		t[n] = govshare.ValidateRegionCode(fmt.Sprintf("%02d0000", n)) == nil
	}
	return t
}()

// IDCardCheck returns the check character (the 18th, '0'–'9' or 'X') of a
// 居民身份证号码 whose first 17 characters are given (GB 11643-1999:
// weights 2^(17-i) mod 11, check (12 − Σ mod 11) mod 11, 10 written X). It
// reports false if first17 is not 17 ASCII digits.
func IDCardCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * idCardWeights[i]
	}
	return idCardChecks[sum%11], true
}

// idProblem says why a value is not an 18-digit identity-card number.
type idProblem uint8

const (
	idOK idProblem = iota
	idLength
	idCharacter
	idProvince
	idBirthDate
	idCheck
)

// checkIDCard is the allocation-free core of ValidIDCard and
// ValidateIDCard; pos is the 1-based position of a bad character.
func checkIDCard(s string) (p idProblem, pos int) {
	if len(s) != 18 {
		return idLength, 0
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return idCharacter, i + 1
		}
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if (last < '0' || last > '9') && last != 'X' {
		return idCharacter, 18
	}
	if !provincePrefix[int(s[0]-'0')*10+int(s[1]-'0')] {
		return idProvince, 0
	}
	if !validDate(digits(s[6:10]), digits(s[10:12]), digits(s[12:14])) {
		return idBirthDate, 0
	}
	if want, _ := IDCardCheck(s[:17]); last != want {
		return idCheck, 18
	}
	return idOK, 0
}

// ValidIDCard reports whether s is an 18-digit 居民身份证号码 (GB 11643-1999)
// with the code of a province-level division in front, a real birth date
// from 1800 to 2099 (the standard's own example was born in 1880) and the
// right check character; a lowercase x is accepted for X. The check knows
// no clock, so a birth date in the future but before 2100 passes. It never
// allocates.
//
// The 15-digit numbers issued before 1999 carry no check character: nothing
// in the value tells them from any other 15-digit number, so they are not
// valid here (Detect accepts them only under a name that says 身份证号).
func ValidIDCard(s string) bool {
	p, _ := checkIDCard(s)
	return p == idOK
}

// ValidateIDCard is ValidIDCard with the reason: a *govshare.CodeError
// (errors.Is(err, govshare.ErrInvalidCode)) naming what is wrong.
func ValidateIDCard(s string) error {
	p, pos := checkIDCard(s)
	var problem string
	switch p {
	case idOK:
		return nil
	case idLength:
		problem = fmt.Sprintf("%d characters, want 18", utf8.RuneCountInString(s))
	case idCharacter:
		problem = fmt.Sprintf("character %d (%q) must be a digit (or X in place 18)", pos, s[pos-1])
	case idProvince:
		problem = fmt.Sprintf("%s is not the code of a province-level division", s[:2])
	case idBirthDate:
		problem = fmt.Sprintf("%s is not a birth date from 1800 to 2099", s[6:14])
	case idCheck:
		want, _ := IDCardCheck(s[:17])
		problem = fmt.Sprintf("check character is %q, want %q", s[17], want)
	}
	return &govshare.CodeError{Scheme: idCardScheme, Code: s, Problem: problem}
}

// oldIDCard reports whether s has the structure of a 15-digit identity-card
// number issued before 1999 (province, YYMMDD birth date, 3-digit
// sequence). Such a number is only ever consistent with a name that says
// so; see ValidIDCard.
func oldIDCard(s string) bool {
	if len(s) != 15 || !allDigits(s) || !provincePrefix[digits(s[:2])] {
		return false
	}
	return validDate(1900+digits(s[6:8]), digits(s[8:10]), digits(s[10:12]))
}

// digits returns the value of a short run of ASCII digits (checked by the
// caller).
func digits[T string | []byte](s T) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validDate reports whether y-m-d is a day of the Gregorian calendar from
// 1800 to 2099.
func validDate(y, m, d int) bool {
	if y < 1800 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// numberBuf holds the digits of a phone or card number written with
// separators.
type numberBuf struct {
	d [24]byte
	n int
}

// readNumber collects the digits of s, allowing the separators people
// write inside numbers (space, hyphen, and a leading +). It reports false
// for any other character or more than 24 digits.
func readNumber(s string) (b numberBuf, plus, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if b.n == len(b.d) {
				return b, plus, false
			}
			b.d[b.n] = c
			b.n++
		case c == ' ' || c == '-':
			if b.n == 0 && !plus {
				return b, plus, false
			}
		case c == '+' && i == 0:
			plus = true
		default:
			return b, plus, false
		}
	}
	return b, plus, b.n > 0
}

func (b *numberBuf) digits() []byte { return b.d[:b.n] }

// nationalNumber strips a mainland country code (+86, 0086, or 86 before
// 11 digits) from the digits.
func nationalNumber(b *numberBuf, plus bool) []byte {
	d := b.digits()
	switch {
	case plus && len(d) > 2 && d[0] == '8' && d[1] == '6':
		return d[2:]
	case len(d) == 15 && string(d[:4]) == "0086":
		return d[4:]
	case len(d) == 13 && d[0] == '8' && d[1] == '6':
		return d[2:]
	}
	if plus {
		return nil // a foreign number
	}
	return d
}

// mobilePrefix[n] reports whether 1n (n = 30…99 for 130…199) is a mainland
// mobile network prefix (工业和信息化部 number plan: 13x, 145–149,
// 150–153, 155–159, 162, 165–167, 170–178, 18x, 190–193, 195–199).
var mobilePrefix = func() (t [100]bool) {
	for _, r := range [][2]int{{30, 39}, {45, 49}, {50, 53}, {55, 59}, {62, 62}, {65, 67}, {70, 78}, {80, 89}, {90, 93}, {95, 99}} {
		for n := r[0]; n <= r[1]; n++ {
			t[n] = true
		}
	}
	return t
}()

func mobileDigits(d []byte) bool {
	return len(d) == 11 && d[0] == '1' && mobilePrefix[int(d[1]-'0')*10+int(d[2]-'0')]
}

// ValidMobile reports whether s is a mainland mobile number: 11 digits
// under a network prefix in use (13x, 145–149, 15x but 154, 162, 165–167,
// 170–178, 18x, 19x but 194), optionally written with spaces or hyphens
// and a +86, 86 or 0086 country code.
func ValidMobile(s string) bool {
	b, plus, ok := readNumber(s)
	return ok && mobileDigits(nationalNumber(&b, plus))
}

// ValidLandline reports whether s is a mainland fixed-line number with its
// area code: 010 or 02x followed by 8 digits, or 0 and a three-digit code
// from 03 to 09 followed by 7 or 8 digits; the local number starts with 2–9.
// Hyphens, spaces, brackets around the area code, a +86 country code and
// an extension after a hyphen are accepted. A local number without its
// area code is too like any other 7 or 8 digits to be recognised.
func ValidLandline(s string) bool {
	var buf [40]byte
	n := 0
	lastHyphen := 0 // digits before the last hyphen, 0 if none
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= '0' && r <= '9':
			if n == len(buf) {
				return false
			}
			buf[n] = byte(r)
			n++
		case r == '-':
			if n > 0 {
				lastHyphen = n
			}
		case r == ' ' || r == '(' || r == ')' || r == '（' || r == '）':
		case r == '+' && n == 0 && strings.HasPrefix(s[i:], "86"):
			// +86 10 12345678: the trunk 0 is dropped after the country code.
			i += 2
			buf[0] = '0'
			n = 1
		default:
			return false
		}
	}
	d := buf[:n]
	// The digits after the last hyphen are an extension when what comes
	// before is a whole number (010-12345678-123); 0755-8888-1234 is a
	// local number written in two groups.
	if tail := n - lastHyphen; lastHyphen > 0 && tail >= 1 && tail <= 6 && landlineDigits(d[:lastHyphen]) {
		return true
	}
	return landlineDigits(d)
}

func landlineDigits(d []byte) bool {
	if len(d) < 10 || d[0] != '0' {
		return false
	}
	var local []byte
	switch {
	case d[1] == '1' && d[2] == '0', d[1] == '2':
		local = d[3:]
		if len(local) != 8 {
			return false
		}
	case d[1] >= '3' && d[1] <= '9':
		local = d[4:]
		if len(local) != 7 && len(local) != 8 {
			return false
		}
	default:
		return false
	}
	return local[0] >= '2'
}

// Luhn reports whether the ASCII digits s pass the Luhn (mod 10) check that
// payment card numbers carry (ISO/IEC 7812-1). It reports false for an
// empty string or any non-digit.
func Luhn(s string) bool { return luhn(s) }

func luhn[T string | []byte](d T) bool {
	if len(d) == 0 {
		return false
	}
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		c := d[i]
		if c < '0' || c > '9' {
			return false
		}
		v := int(c - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// ValidBankCard reports whether s is a payment card number: 16 to 19
// digits (spaces or hyphens between groups allowed) passing the Luhn
// check, under an issuer prefix of the networks cards in China carry
// (UnionPay 62 and domestic 9, Visa 4, Mastercard 51–55 and 2221–2720,
// JCB 35, Discover 6011/65) and not one repeated digit.
func ValidBankCard(s string) bool {
	b, plus, ok := readNumber(s)
	if !ok || plus {
		return false
	}
	return bankCardDigits(b.digits())
}

func bankCardDigits(d []byte) bool {
	if len(d) < 16 || len(d) > 19 {
		return false
	}
	switch d[0] {
	case '3':
		if d[1] != '5' {
			return false
		}
	case '2':
		if p := digits(d[:4]); p < 2221 || p > 2720 {
			return false
		}
	case '5':
		if d[1] < '1' || d[1] > '5' {
			return false
		}
	case '4', '6', '9':
	default:
		return false
	}
	same := true
	for _, c := range d[1:] {
		if c != d[0] {
			same = false
			break
		}
	}
	return !same && luhn(d)
}

// ValidEmail reports whether s is an e-mail address of the usual form:
// a local part of letters, digits and . _ % + - (no leading, trailing or
// double dot, at most 64 characters), @, and a domain of at least two
// labels of letters, digits and hyphens, the last all letters, at most 254
// characters in all.
func ValidEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || at > 64 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case isAlnum(c), c == '_', c == '%', c == '+', c == '-':
		case c == '.':
			if local[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	labels, start := 0, 0
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			c := domain[i]
			if !isAlnum(c) && c != '-' {
				return false
			}
			continue
		}
		label := domain[start:i]
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' || len(label) > 63 {
			return false
		}
		labels++
		start = i + 1
		if i == len(domain) {
			if len(label) < 2 {
				return false
			}
			for j := 0; j < len(label); j++ {
				if !isLetter(label[j]) {
					return false
				}
			}
		}
	}
	return labels >= 2
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isLetter(c) || (c >= '0' && c <= '9') }

// creditCodeChar marks the characters of GB 32100-2015 codes: digits and
// the capital letters but I, O, Z, S and V. (govshare.CreditCodeCheck
// reports any other character as an error value; the table lets uscc
// reject them first without that allocation.)
var creditCodeChar = func() (t [256]bool) {
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		t[c] = true
	}
	return t
}()

// uscc reports whether s is a 统一社会信用代码: the registration authority
// and organisation type of GB 32100-2015 in front, then checked by
// govshare.ValidateCreditCode. The check character is computed first with
// govshare.CreditCodeCheck, which allocates nothing for characters of the
// code set, so the values that fail (the common case) cost no allocation.
func uscc(s string) bool {
	if len(s) != 18 || !strings.ContainsRune("123456789ANY", rune(s[0])) || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 0; i < 18; i++ {
		if !creditCodeChar[s[i]] {
			return false
		}
	}
	if want, err := govshare.CreditCodeCheck(s[:17]); err != nil || want != s[17] {
		return false
	}
	return govshare.ValidateCreditCode(s) == nil
}

// plateProvinces are the one-character abbreviations of the provinces that
// begin a 机动车号牌 (GA 36).
const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateSuffixes end the plates of special use: 学 (driving school), 警
// (police), 挂 (trailer), 港 and 澳 (Hong Kong and Macao), 领 (consulate),
// 试 (test), 超 (oversize).
const plateSuffixes = "学警挂港澳领试超"

// ValidPlate reports whether s is a mainland 机动车号牌: a province
// abbreviation, the issuing authority's letter, an optional separator
// (· or a space), and five letters or digits (no I or O, at least two
// digits); six for new-energy plates, which start or end with D or F; or
// four and a special-use character (学, 警, 挂, 港, 澳, 领, 试, 超).
func ValidPlate(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune(plateProvinces, r) || size == len(s) {
		return false
	}
	rest := s[size:]
	if !isUpperPlate(rest[0]) || rest[0] < 'A' {
		return false
	}
	rest = rest[1:]
	for _, sep := range []string{"·", "•", " ", "-"} {
		if strings.HasPrefix(rest, sep) {
			rest = rest[len(sep):]
			break
		}
	}
	serial := rest
	if last, n := utf8.DecodeLastRuneInString(rest); n > 1 {
		if !strings.ContainsRune(plateSuffixes, last) {
			return false
		}
		serial = rest[:len(rest)-n]
		if len(serial) != 4 {
			return false
		}
	} else {
		switch len(serial) {
		case 5:
		case 6:
			f, l := serial[0], serial[5]
			if f != 'D' && f != 'F' && l != 'D' && l != 'F' {
				return false
			}
		default:
			return false
		}
	}
	nd := 0
	for i := 0; i < len(serial); i++ {
		c := serial[i]
		if !isUpperPlate(c) {
			return false
		}
		if c <= '9' {
			nd++
		}
	}
	return nd >= 2
}

// isUpperPlate reports whether c may stand in a plate: a digit or a capital
// letter other than I and O.
func isUpperPlate(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O')
}

// ValueKind returns the kind a single value is proof of, or None. Only
// kinds with a value check count: id_card (ValidIDCard), uscc (GB 32100,
// govshare.ValidateCreditCode), mobile (ValidMobile), phone
// (ValidLandline), bank_card (ValidBankCard), email (ValidEmail) and plate
// (ValidPlate). Names, addresses and the other kinds have no value a check
// could prove, so they come only from data-item names (Detect). Spaces
// around the value are ignored, and a value typed in full-width forms
// (１３８１２３４５６７８, as some input methods type digits) is read as its
// ASCII equivalent. It allocates nothing, except the one folded copy of a
// value made only of full-width forms and ASCII (internal/fold.ToASCII).
func ValueKind(v string) Kind { return valueKind(textcode.Trim(v)) }

// valueKind is ValueKind of a trimmed value.
func valueKind(v string) Kind {
	// Every full-width form (U+FF01–FF5E) starts with the byte EF; the
	// search for it keeps the common ASCII value off the fold's scan.
	if strings.IndexByte(v, 0xef) >= 0 {
		v = foldValue(v)
	}
	if len(v) < 6 || len(v) > 254 {
		return None
	}
	if strings.IndexByte(v, '@') >= 0 {
		if ValidEmail(v) {
			return Email
		}
		return None
	}
	switch c := v[0]; {
	case c >= '0' && c <= '9' || c == '+' || c == '(':
		if len(v) == 18 {
			if ValidIDCard(v) {
				return IDCard
			}
			if uscc(v) {
				return USCC
			}
		}
		if b, plus, ok := readNumber(v); ok {
			if !plus && bankCardDigits(b.digits()) {
				return BankCard
			}
			if mobileDigits(nationalNumber(&b, plus)) {
				return Mobile
			}
		}
		if c != '1' && ValidLandline(v) { // no fixed-line number starts with 1
			return Phone
		}
	case c >= 'A' && c <= 'Z':
		if uscc(v) {
			return USCC
		}
	case c >= utf8.RuneSelf:
		if ValidPlate(v) {
			return Plate
		}
	}
	return None
}

// foldValue returns v folded to ASCII and trimmed when it is made only of
// full-width forms and ASCII (１３８１２３４５６７８), and v itself otherwise.
// It is a function of its own so that valueKind, which every sample goes
// through, stays as small as it was before the fold moved to
// internal/fold.
func foldValue(v string) string {
	if w, ok := fold.ToASCII(v); ok {
		return textcode.Trim(w)
	}
	return v
}
