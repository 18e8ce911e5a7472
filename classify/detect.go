package classify

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/textcode"
)

// Suggestion is what Detect makes of a data item: the kind of personal
// information (or identifier) it holds, the grade that kind calls for, how
// sure the detector is, and why.
type Suggestion struct {
	// Kind is the suggested kind, None if nothing was recognised.
	Kind Kind `json:"kind"`
	// Grade is SuggestedGrade(Kind): the least grade an item of this kind
	// calls for under the policy defaults; 0 for None.
	Grade Grade `json:"grade,omitempty"`
	// Confidence is a score from 0 to 1 (0 for None): 0.9 and above when
	// valid values agree with the name, lower when only the name or only
	// some of the values speak for the kind. It orders suggestions; it is
	// not a calibrated probability.
	Confidence float64 `json:"confidence"`
	// Evidence says what the suggestion rests on.
	Evidence Evidence `json:"evidence"`
}

// HighConfidence is the confidence from which a Policy treats a data item
// that declares no kind as holding the kind Detect suggests (Sure): a name
// that can mean nothing else (身份证号码, 公民身份号码, sfzh: 0.9), or values
// that pass the kind's check and agree with the name. Names that could
// mean something else (证件号码 0.6, 身份号码 0.8) stay below it and give
// only the undeclared_kind warning. Policy default.
const HighConfidence = 0.9

// Sure reports whether the suggestion is made with high confidence
// (Confidence at least HighConfidence) and names a kind.
func (s Suggestion) Sure() bool {
	// The scores are sums of decimal fractions; a score meant to be 0.9
	// may come out a rounding error below it.
	return s.Kind != None && s.Confidence >= HighConfidence-1e-9
}

// Evidence is what a Suggestion rests on: the name keyword and the values.
type Evidence struct {
	// Keyword is the keyword found in the data item's name (in its normal
	// form: lowercase, "_" between tokens), "" if none.
	Keyword string `json:"keyword,omitempty"`
	// NameKind is the kind the name alone suggests (None for a keyword such
	// as 证件类型 that marks a name as not personal).
	NameKind Kind `json:"name_kind"`
	// Samples is the number of non-empty samples examined.
	Samples int `json:"samples"`
	// Valid is the number of samples that pass the value check of Kind
	// (ValueKind(sample) == Kind).
	Valid int `json:"valid"`
	// Consistent is the number of samples whose form agrees with Kind:
	// the valid ones, and masked values (138****5678), 15-digit identity
	// numbers, account numbers and free text where the kind has no check.
	Consistent int `json:"consistent"`
}

// String returns the evidence in Chinese, e.g. 名称含“sfzh”；10个样本中10个通过校验.
func (e Evidence) String() string {
	var parts []string
	if e.Keyword != "" {
		parts = append(parts, "名称含“"+e.Keyword+"”")
	}
	if e.Samples > 0 {
		parts = append(parts, strconv.Itoa(e.Samples)+"个样本中"+strconv.Itoa(e.Valid)+"个通过校验、"+
			strconv.Itoa(e.Consistent)+"个格式相符")
	}
	if len(parts) == 0 {
		return "无依据"
	}
	return strings.Join(parts, "；")
}

// English returns the evidence in English.
func (e Evidence) English() string {
	var parts []string
	if e.Keyword != "" {
		parts = append(parts, "name contains "+strconv.Quote(e.Keyword))
	}
	if e.Samples > 0 {
		parts = append(parts, strconv.Itoa(e.Valid)+" of "+strconv.Itoa(e.Samples)+" samples valid, "+
			strconv.Itoa(e.Consistent)+" consistent")
	}
	if len(parts) == 0 {
		return "no evidence"
	}
	return strings.Join(parts, "; ")
}

// SuggestedGrade is the least grade a data item of kind k calls for under
// govshare's policy defaults (not law): sensitive personal information
// 一般数据3级 (the floor NationalDefault's sensitive_min_grade rule
// enforces), other personal information 一般数据2级, an organisation's
// 统一社会信用代码 (public by law) 一般数据1级, a plate number 一般数据2级 (it
// leads to a person through the vehicle register), None 0 (not graded:
// only the business can grade data that holds no personal information).
func SuggestedGrade(k Kind) Grade {
	switch {
	case k.Sensitive():
		return General3
	case k.Personal(), k == Plate:
		return General2
	case k == USCC:
		return General1
	}
	return 0
}

// majority is the share of non-empty samples that must be valid values of
// one kind for the values to decide the kind on their own, and the share
// that must agree in form with the kind a name suggests for the name to
// stand.
const majority = 0.5

// Detect suggests the kind of personal information (or identifier) a data
// item holds, from its name and sample values.
//
// The name is matched against Chinese terms (身份证号码), English names
// (idCard, id_card_no) and the pinyin initials real systems use (sfzh,
// SQR_SFZH, sjhm, tyshxydm); see the keyword list in names.go. Each sample
// is checked by ValueKind: identity-card numbers with a valid GB 11643
// check character and birth date, mobile and fixed-line numbers, bank
// cards passing Luhn, e-mail addresses, 统一社会信用代码 passing GB 32100,
// plates.
//
// Values outrank names. When at least half the non-empty samples are valid
// values of one kind, that is the kind, whatever the name says: a column
// called 备注 full of valid mobile numbers is Mobile. Otherwise the name
// decides, provided at least half the samples agree with it in form (an
// unchecked 15-digit identity number, a masked 138****5678, free text for
// an address); a name whose samples contradict it (a 身份证号 column of
// 18-digit numbers failing the check) gives None, as does a column
// called 编号 of such numbers. Without samples the name alone decides.
//
// Detect allocates nothing for a value that matches no kind (save the
// full-width case ValueKind describes).
func Detect(name string, samples ...string) Suggestion {
	nm := matchName(name)
	if len(samples) == 0 {
		return fromName(nm, Evidence{Keyword: nm.keyword, NameKind: nm.kind})
	}
	var valid [numKinds]int
	n := 0
	for _, s := range samples {
		if s = sample(s); s != "" {
			n++
			valid[valueKind(s)]++
		}
	}
	ev := Evidence{Keyword: nm.keyword, NameKind: nm.kind, Samples: n}

	// Values first: the kind with the most valid samples (the name's kind
	// on a tie), if they are a majority.
	best := None
	for k := Kind(1); k < numKinds; k++ {
		if valid[k] > valid[best] || (valid[k] > 0 && valid[k] == valid[best] && k == nm.kind) {
			best = k
		}
	}
	if best != None && float64(valid[best]) >= majority*float64(n) {
		ev.Valid = valid[best]
		ev.Consistent = valid[best] + countConsistent(best, samples, true)
		frac := float64(valid[best]) / float64(n)
		conf := 0.55 + 0.35*frac
		if nm.kind == best {
			conf += 0.1
		}
		return Suggestion{Kind: best, Grade: SuggestedGrade(best), Confidence: conf, Evidence: ev}
	}

	// Then the name, if the values do not contradict it.
	if nm.kind == None {
		return Suggestion{Evidence: ev}
	}
	if n == 0 {
		return fromName(nm, ev)
	}
	ev.Valid = valid[nm.kind]
	ev.Consistent = valid[nm.kind] + countConsistent(nm.kind, samples, false)
	frac := float64(ev.Consistent) / float64(n)
	if frac < majority {
		return Suggestion{Evidence: ev}
	}
	return Suggestion{Kind: nm.kind, Grade: SuggestedGrade(nm.kind), Confidence: nm.conf * (0.5 + 0.5*frac), Evidence: ev}
}

// fromName is the suggestion of a name alone.
func fromName(nm nameMatch, ev Evidence) Suggestion {
	if nm.kind == None {
		return Suggestion{Evidence: ev}
	}
	return Suggestion{Kind: nm.kind, Grade: SuggestedGrade(nm.kind), Confidence: nm.conf, Evidence: ev}
}

// sample returns a sample trimmed, or "" for the placeholders people put in
// empty fields (无, 暂无, -, /, N/A, null).
func sample(s string) string {
	s = textcode.Trim(s)
	switch s {
	case "-", "--", "/", "\\", "无", "暂无", "空", "不详", "null", "NULL", "Null", "none", "None", "N/A", "n/a", "NA":
		return ""
	}
	return s
}

// DetectItem is Detect for a Subject's item: from its Name and from its
// Column, with its Samples, whichever is surer.
func DetectItem(it Item) Suggestion {
	s := Detect(it.Name, it.Samples...)
	if it.Column != "" {
		if c := Detect(it.Column, it.Samples...); c.Confidence > s.Confidence {
			s = c
		}
	}
	return s
}

// numKinds bounds the Kind values, for counting arrays.
const numKinds = Plate + 1

// countConsistent counts the samples that are not valid values of k (they
// were counted already) but agree with k in form. With onlyMasked, only
// masked forms count: the values decided, and anything unmasked that
// failed the check is no support.
func countConsistent(k Kind, samples []string, onlyMasked bool) int {
	c := 0
	for _, s := range samples {
		if s = sample(s); s == "" || valueKind(s) == k {
			continue
		}
		if masked(s) || (!onlyMasked && consistent(k, s)) {
			c++
		}
	}
	return c
}

// masked reports whether s looks like a masked value: it contains a run of
// at least two asterisks (or the full-width ＊).
func masked(s string) bool {
	return strings.Contains(s, "**") || strings.Contains(s, "＊")
}

// consistent reports whether s, not a valid value of k, could still be one
// as people write it: unchecked old forms and account numbers that have no
// check, and any text for the kinds no value check applies to. It is what
// lets a name stand against values it cannot prove.
func consistent(k Kind, s string) bool {
	switch k {
	case IDCard:
		return oldIDCard(s)
	case Mobile:
		// A mobile written with a country code the value check does not
		// take, or with an extra separator.
		b, _, ok := readNumber(s)
		return ok && b.n >= 11 && b.n <= 15 && b.d[b.n-11] == '1'
	case Phone:
		// Local numbers without an area code, service numbers (400, 800,
		// 12345) and extensions.
		return phoneForm(s)
	case BankCard:
		// Bank account numbers (对公账户, passbooks) that are not card
		// numbers carry no Luhn digit.
		b, plus, ok := readNumber(s)
		return ok && !plus && b.n >= 10 && b.n <= 25
	case Email, USCC, Plate:
		return false
	case Passport:
		return passportForm(s)
	case Name:
		return personName(s)
	}
	// Address, biometric, health, religion, location, minor: no value
	// check applies, any text is consistent.
	return true
}

// phoneForm reports whether s is 5 to 16 digits written as telephone
// numbers are: with spaces, hyphens, brackets, a leading + and 转 before
// an extension.
func phoneForm(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case strings.ContainsRune(" -()（）+转", r):
		default:
			return false
		}
	}
	return n >= 5 && n <= 16
}

// passportForm reports whether s has the form of a passport or travel
// permit number: one or two capital letters and 7 or 8 digits (E12345678,
// EA1234567, G12345678, C12345678).
func passportForm(s string) bool {
	if len(s) < 8 || len(s) > 10 {
		return false
	}
	i := 0
	for i < len(s) && i < 2 && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	d := len(s) - i
	return i >= 1 && (d == 7 || d == 8) && allDigits(s[i:])
}

// personName reports whether s has the form of a person's name: two to
// five Han characters (a surname and given name), longer ones joined by
// the middle dot of transliterated names (阿卜杜拉·艾买提), or Latin
// letters in a few words.
func personName(s string) bool {
	han, latin, other := 0, 0, 0
	for _, r := range s {
		switch {
		case r >= 0x4e00 && r <= 0x9fff, r >= 0x3400 && r <= 0x4dbf:
			han++
		case r == '·' || r == '•':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == ' ', r == '.', r == '-', r == '\'':
			latin++
		default:
			other++
		}
	}
	switch {
	case other > 0:
		return false
	case han > 0:
		return latin == 0 && han >= 2 && (han <= 5 || strings.ContainsAny(s, "·•"))
	}
	return latin >= 2 && utf8.RuneCountInString(s) <= 40
}
