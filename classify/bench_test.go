package classify

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The speed targets: value detection ≥ 1,000,000 values/s per core
// with no allocation for values that match nothing, name detection
// ≥ 5,000,000 names/s, masking ≥ 2,000,000 values/s. Each is measured
// beside the obvious alternative in the same run:
//
//	go test -run='^$' -bench=. -benchmem -cpu=1 ./classify

// benchMisses are near misses of every check: they match no kind.
var benchMisses = []string{"110105194912310021", "110101491231002", "202405121234567890", "6222021234567890127",
	"12345678901", "010-12345678", "zhang@qq", "91350100M000100Y44", "京A1234", "张三", "北京市海淀区中关村大街27号",
	"144032209110", "03845012", "2024-05-12", "1234.56", "材料齐全，同意受理", "8986001234567890123", "192.168.1.10"}

// benchHits are values of every kind a value check proves.
var benchHits = []string{"11010519491231002X", "440524188001010014", "13812345678", "+86 138 1234 5678", "010-62345678",
	"(0755)86668888", "6222021234567890128", "6222 0212 3456 7890 128", "zhangsan@example.com", "12345678@qq.com",
	"91350100M000100Y43", "11000000000000000U", "京A12345", "粤B·D12345"}

// Sinks keep the compiler from dropping the work measured.
var (
	sinkKind   Kind
	sinkString string
	sinkMatch  nameMatch
	sinkSugg   Suggestion
)

// loop runs body under b.Loop and reports the rate of n items per call.
func loop(b *testing.B, n int, unit string, body func()) {
	b.ReportAllocs()
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), unit)
}

func BenchmarkValueKind(b *testing.B) {
	for _, set := range []struct {
		name string
		vals []string
	}{{"misses", benchMisses}, {"hits", benchHits}} {
		b.Run(set.name, func(b *testing.B) {
			loop(b, len(set.vals), "values/s", func() {
				for _, v := range set.vals {
					sinkKind = ValueKind(v)
				}
			})
		})
	}
}

// The alternative: what regular-expression scanners do. Regexps find the
// shape; the same check functions then prove the value.
var (
	reID     = regexp.MustCompile(`^\d{17}[\dXx]$`)
	reUSCC   = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
	reMobile = regexp.MustCompile(`^(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}$`)
	rePhone  = regexp.MustCompile(`^(?:\+86[ -]?)?[(（]?0\d{2,3}[)）]?[ -]?[2-9]\d{6,7}(?:-\d{1,6})?$`)
	reCard   = regexp.MustCompile(`^\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?$`)
	reEmail  = regexp.MustCompile(`^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}$`)
	rePlate  = regexp.MustCompile(`^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• -]?[A-HJ-NP-Z0-9]{4,6}[学警挂港澳领试超]?$`)
)

func regexpValueKind(v string) Kind {
	switch {
	case reID.MatchString(v) && ValidIDCard(v):
		return IDCard
	case reUSCC.MatchString(v) && uscc(v):
		return USCC
	case reCard.MatchString(v) && ValidBankCard(v):
		return BankCard
	case reMobile.MatchString(v) && ValidMobile(v):
		return Mobile
	case rePhone.MatchString(v) && ValidLandline(v):
		return Phone
	case reEmail.MatchString(v) && ValidEmail(v):
		return Email
	case rePlate.MatchString(v) && ValidPlate(v):
		return Plate
	}
	return None
}

func TestRegexpAlternativeAgrees(t *testing.T) {
	for _, v := range append(append([]string{}, benchMisses...), benchHits...) {
		if got, want := regexpValueKind(v), ValueKind(v); got != want {
			t.Errorf("%q: regexp %v, ValueKind %v", v, got, want)
		}
	}
}

func BenchmarkValueKindRegexp(b *testing.B) {
	for _, set := range []struct {
		name string
		vals []string
	}{{"misses", benchMisses}, {"hits", benchHits}} {
		b.Run(set.name, func(b *testing.B) {
			loop(b, len(set.vals), "values/s", func() {
				for _, v := range set.vals {
					sinkKind = regexpValueKind(v)
				}
			})
		})
	}
}

// A whole column: a name and 20 samples, as a catalog import sees it.
func BenchmarkDetectColumn(b *testing.B) {
	samples := append(append([]string{}, benchHits[:6]...), benchMisses[:14]...)
	loop(b, len(samples), "values/s", func() {
		sinkSugg = Detect("联系人手机号码", samples...)
	})
}

var benchNames = []string{"姓名", "sqr_sfzh", "SQRSFZH", "applicantIdCard", "联系人手机号码", "lxdh", "email_address",
	"家庭住址", "统一社会信用代码", "企业名称", "xmmc", "手机号码归属地", "备注", "id_card_type", "bankCardNo", "办结日期"}

func BenchmarkDetectName(b *testing.B) {
	loop(b, len(benchNames), "names/s", func() {
		for _, n := range benchNames {
			sinkSugg = Detect(n)
		}
	})
}

// The alternative: lowercase the name and try every keyword (it does
// not tokenise, so it is less than Detect does for a name).
func naiveMatchName(name string) nameMatch {
	n := strings.ToLower(name)
	best, bestEnd := -1, -1
	for i, kw := range keywords {
		j := strings.LastIndex(n, kw.text)
		if j < 0 {
			continue
		}
		if end := j + len(kw.text); end > bestEnd || (end == bestEnd && len(kw.text) > len(keywords[best].text)) {
			best, bestEnd = i, end
		}
	}
	if best < 0 {
		return nameMatch{}
	}
	return nameMatch{kind: keywords[best].kind, conf: keywords[best].conf, keyword: keywords[best].text}
}

func BenchmarkDetectNameNaive(b *testing.B) {
	loop(b, len(benchNames), "names/s", func() {
		for _, n := range benchNames {
			sinkMatch = naiveMatchName(n)
		}
	})
}

var benchMask = []struct {
	k Kind
	v string
}{{IDCard, "11010519491231002X"}, {Mobile, "13812345678"}, {Name, "欧阳娜娜"}, {Name, "张三"}, {BankCard, "6222021234567890128"},
	{Address, "北京市海淀区中关村大街27号"}, {Email, "zhangsan@example.com"}, {Phone, "010-62345678"}, {Health, "高血压"}}

func BenchmarkMask(b *testing.B) {
	loop(b, len(benchMask), "values/s", func() {
		for _, m := range benchMask {
			sinkString = Mask(m.k, m.v)
		}
	})
}

// The alternative: convert to []rune, star the middle, convert back.
func runeMask(v string, head, tail int) string {
	r := []rune(v)
	if head+tail >= len(r) {
		head, tail = 0, 0
	}
	for i := head; i < len(r)-tail; i++ {
		r[i] = '*'
	}
	return string(r)
}

func BenchmarkMaskRunes(b *testing.B) {
	keepOf := map[Kind][2]int{IDCard: {6, 4}, Mobile: {3, 4}, Name: {1, 0}, BankCard: {0, 4}, Address: {6, 0}, Email: {1, 12}, Phone: {4, 4}}
	loop(b, len(benchMask), "values/s", func() {
		for _, m := range benchMask {
			k := keepOf[m.k]
			sinkString = runeMask(m.v, k[0], k[1])
		}
	})
}

// Keep the alternative honest: it masks the same cases the same way where
// its fixed head and tail apply.
func TestRuneMaskAlternative(t *testing.T) {
	if got := runeMask("13812345678", 3, 4); got != Mask(Mobile, "13812345678") {
		t.Fatal(got)
	}
	if got := runeMask("欧阳娜娜", 1, 0); utf8.RuneCountInString(got) != 4 {
		t.Fatal(got)
	}
}
