package classify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected check characters are worked out by hand from GB 11643-1999,
// independently of the package: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// check = (12 − Σ mod 11) mod 11, 10 written X.
func TestIDCardCheckCharacter(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
		working string
	}{
		// The two examples printed in the standard.
		{"11010519491231002", 'X', "7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2; 12−2 = 10 → X"},
		{"44052418800101001", '4', "28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8; 12−8 = 4"},
		// 00000000000000000: Σ = 0; (12 − 0) mod 11 = 1.
		{"00000000000000000", '1', "Σ = 0 → 1"},
		// 10000000000000000: Σ = 7; 12 − 7 = 5.
		{"10000000000000000", '5', "Σ = 7 → 5"},
		// 00000000000000001: Σ = 2; 12 − 2 = 10 → X.
		{"00000000000000001", 'X', "Σ = 2 → X"},
		// 00000000000000006: Σ = 12 ≡ 1; 12 − 1 = 11 ≡ 0.
		{"00000000000000006", '0', "Σ = 12 → 0"},
	}
	for _, tt := range tests {
		got, ok := classify.IDCardCheck(tt.first17)
		require.True(t, ok, tt.first17)
		assert.Equal(t, string(tt.want), string(got), tt.working)
	}
	for _, bad := range []string{"", "1101051949123100", "110105194912310021", "1101051949123100X", "１1010519491231002"} {
		_, ok := classify.IDCardCheck(bad)
		assert.False(t, ok, bad)
	}
}

func TestValidateIDCard(t *testing.T) {
	for _, ok := range []string{"11010519491231002X", "11010519491231002x", "440524188001010014"} {
		assert.True(t, classify.ValidIDCard(ok), ok)
		assert.NoError(t, classify.ValidateIDCard(ok), ok)
	}
	bad := []struct{ in, why string }{
		{"", "0 characters"},
		{"11010519491231002", "17 characters"},
		{"110105194912310021", `check character is '1', want 'X'`},
		{"11010519491231002Y", `character 18 ('Y')`},
		{"1101051949123100AX", `character 17 ('A')`},
		{"99010519491231002X", "99 is not the code of a province"},
		{"110105194902300020", "19490230 is not a birth date"}, // 30 February
		{"110105179912310020", "17991231 is not a birth date"},
		{"110105190002290020", "19000229 is not a birth date"}, // 1900 was not a leap year
		{"110101800101123", "15 characters"},                   // the old 15-digit form has no check
	}
	for _, b := range bad {
		assert.False(t, classify.ValidIDCard(b.in), b.in)
		err := classify.ValidateIDCard(b.in)
		require.Error(t, err, b.in)
		assert.ErrorIs(t, err, govshare.ErrInvalidCode, b.in)
		var ce *govshare.CodeError
		require.True(t, errors.As(err, &ce), b.in)
		assert.Equal(t, "居民身份证号码", ce.Scheme)
		assert.Equal(t, b.in, ce.Code)
		assert.Contains(t, ce.Problem, b.why, b.in)
	}
	// 2000 was a leap year: 20000229 is a birth date. The check character
	// of 11010520000229002: 7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+4 = 132
	// ≡ 0 → 12 mod 11 = 1.
	assert.True(t, classify.ValidIDCard("110105200002290021"))
}

// Both check-character schemes the detector relies on: GB 11643 above, and
// GB 32100 for the 统一社会信用代码 through govshare's check.
func TestCreditCodeValues(t *testing.T) {
	// 91350100M000100Y43 is worked out by hand in the root package's tests.
	assert.Equal(t, classify.USCC, classify.ValueKind("91350100M000100Y43"))
	assert.Equal(t, classify.None, classify.ValueKind("91350100M000100Y44"), "wrong check character")
	assert.Equal(t, classify.None, classify.ValueKind("01350100M000100Y4U"), "0 is no registration authority")
	assert.Equal(t, classify.None, classify.ValueKind("91350100M000100Y4O"), "O is outside the code set")
	assert.Equal(t, classify.None, classify.ValueKind("91350100m000100y43"), "codes are capitals")
	// 11000000000000000 takes check U (root package's worked example).
	assert.Equal(t, classify.USCC, classify.ValueKind("11000000000000000U"))
}

func TestValidMobile(t *testing.T) {
	for _, ok := range []string{"13812345678", "14512345678", "16612345678", "19912345678", "+86 138 1234 5678", "+86-13812345678", "8613812345678", "008613812345678", "138-1234-5678"} {
		assert.True(t, classify.ValidMobile(ok), ok)
	}
	for _, bad := range []string{"", "1381234567", "138123456789", "12345678901", "15412345678", "19412345678", "10012345678", "23812345678", "+1 13812345678", "1381234567x", "-13812345678", "138１2345678"} {
		assert.False(t, classify.ValidMobile(bad), bad)
	}
}

func TestValidLandline(t *testing.T) {
	for _, ok := range []string{"010-62345678", "01062345678", "(010)62345678", "（010）62345678", "021 5888 9999", "0755-86668888", "0755-8666-8888", "0898-6234567", "0755-86668888-8021", "+86 10 62345678", "+86-755-86668888"} {
		assert.True(t, classify.ValidLandline(ok), ok)
	}
	for _, bad := range []string{"", "62345678", "010-12345678", "010-6234567", "0755-866688889", "0123-6234567", "13812345678", "400-810-8888", "010-62345678-1234567", "010-6234567a", "+1 212 5550100"} {
		assert.False(t, classify.ValidLandline(bad), bad)
	}
}

// 6222021234567890128 passes Luhn, worked from the right (every second
// digit doubled, 9 subtracted above 9): 8+4+1+0+9+7+7+3+5+8+3+4+1+4+0+4+2+4+6
// = 80 ≡ 0 (mod 10).
func TestValidBankCard(t *testing.T) {
	assert.True(t, classify.Luhn("6222021234567890128"))
	assert.False(t, classify.Luhn("6222021234567890127"))
	assert.False(t, classify.Luhn(""))
	assert.False(t, classify.Luhn("62220212345678901a8"))
	for _, ok := range []string{"6222021234567890128", "6222 0212 3456 7890 128", "4111111111111111", "5500000000000004", "2221000000000009", "3530111333300000"} {
		assert.True(t, classify.ValidBankCard(ok), ok)
	}
	for _, bad := range []string{
		"6222021234567890127",  // Luhn fails
		"622202123456789",      // 15 digits
		"62220212345678901285", // 20 digits
		"7222021234567890127",  // no such network
		"1234567812345670",     // no such network
		"8986001234567890123",  // a SIM card's ICCID prefix
		"6666666666666666",     // one repeated digit
		"+6222021234567890128", // not a card number
	} {
		assert.False(t, classify.ValidBankCard(bad), bad)
	}
}

func TestValidEmail(t *testing.T) {
	for _, ok := range []string{"zhangsan@example.com", "li.ming+gov@mail.hrss.gov.cn", "12345678@qq.com", "a_b-c%d@x-y.org.cn", "A@B.CN"} {
		assert.True(t, classify.ValidEmail(ok), ok)
	}
	for _, bad := range []string{"", "@qq.com", "zhang@", "zhang@qq", "zhang@qq.c", "zhang@@qq.com", ".zhang@qq.com", "zhang.@qq.com", "zh..ang@qq.com",
		"zhang@-qq.com", "zhang@qq-.com", "zhang@qq..com", "zhang san@qq.com", "张三@qq.com", "zhang@qq.123", "@张三", strings.Repeat("a", 65) + "@qq.com"} {
		assert.False(t, classify.ValidEmail(bad), bad)
	}
}

func TestValidPlate(t *testing.T) {
	for _, ok := range []string{"京A12345", "粤B·D12345", "粤BD12345", "沪A12345F", "沪A1234学", "苏E 5K8P2", "川A-88888", "新A12B34", "琼B1234港"} {
		assert.True(t, classify.ValidPlate(ok), ok)
	}
	for _, bad := range []string{"", "京", "京A", "京A1234", "京A123456", "京112345", "京AI2345", "京AO2345", "京Aabcde", "京AABCDE", "京A1234甲", "台A12345", "A12345", "京A12345学"} {
		assert.False(t, classify.ValidPlate(bad), bad)
	}
}

func TestValueKind(t *testing.T) {
	tests := []struct {
		v    string
		want classify.Kind
	}{
		{"11010519491231002X", classify.IDCard},
		{" 440524188001010014\u3000", classify.IDCard},
		{"110105194912310021", classify.None}, // fails the check character
		{"110101491231002", classify.None},    // old 15-digit number: no check to prove it
		{"13812345678", classify.Mobile},
		{"+86 138 1234 5678", classify.Mobile},
		{"010-62345678", classify.Phone},
		{"6222021234567890128", classify.BankCard},
		{"6222 0212 3456 7890 128", classify.BankCard},
		{"zhangsan@example.com", classify.Email},
		{"91350100M000100Y43", classify.USCC},
		{"京A12345", classify.Plate},
		{"202405121234567890", classify.None}, // order number
		{"144032209110", classify.None},       // invoice code
		{"03845012", classify.None},           // invoice number
		{"6222021234567890127", classify.None},
		{"100080", classify.None},
		{"2024-05-12", classify.None},
		{"张三", classify.None},
		{"１３８１２３４５６７８", classify.Mobile},         // full-width digits
		{"　１１０１０５１９４９１２３１００２Ｘ", classify.IDCard}, // and a full-width X
		{"（010）62345678", classify.Phone},
		{"１３８１２３４５６７８，请回电", classify.None},
		{"", classify.None},
		{"\xff\xfe\xfd\xfc\xfb\xfa", classify.None},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify.ValueKind(tt.v), "%q", tt.v)
	}
}

// The value path allocates nothing for values that match no kind: near
// misses of every check included.
func TestValueKindNoAllocations(t *testing.T) {
	misses := []string{"110105194912310021", "110101491231002", "202405121234567890", "6222021234567890127",
		"12345678901", "010-12345678", "zhang@qq", "91350100M000100Y44", "京A1234", "张三", "北京市海淀区中关村大街27号",
		"99010519491231002X", "110105194902300020", "8986001234567890123", "+1 212 5550100", "(0755)1234567",
		"材料齐全，同意受理", "（空）"}
	for _, v := range misses {
		require.Equal(t, classify.None, classify.ValueKind(v), v)
		allocs := testing.AllocsPerRun(100, func() { classify.ValueKind(v) })
		assert.Zero(t, allocs, "ValueKind(%q)", v)
		allocs = testing.AllocsPerRun(100, func() { classify.Detect("", v, v, v) })
		assert.Zero(t, allocs, "Detect(%q)", v)
	}
}

// Values typed in full-width forms are folded whatever their length (the
// hand-written fold stopped at 64 characters), and so is an ideographic
// space inside them.
func TestValueKindFoldsFullWidth(t *testing.T) {
	toFull := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r > ' ' && r < 0x7f {
				r += 0xfee0
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	email := "zhangsan.department.of.civil.affairs@mail.example-province.gov.cn"
	require.Greater(t, len(email), 64)
	assert.Equal(t, classify.Email, classify.ValueKind(toFull(email)))
	assert.Equal(t, classify.Mobile, classify.ValueKind("１３８\u3000１２３４\u3000５６７８"))
	assert.Equal(t, classify.None, classify.ValueKind("￥１３８１２３４５６７８"), "￥ folds to ¥, which no value starts with")
}
