package classify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every keyword is written in the normal form names are matched in, once.
func TestKeywordsNormalised(t *testing.T) {
	seen := map[string]bool{}
	for _, kw := range keywords {
		require.GreaterOrEqual(t, len(kw.text), 2, kw.text)
		assert.Equal(t, kw.text, string(normaliseName(nil, kw.text)), "keyword %q is not in normal form", kw.text)
		assert.False(t, seen[kw.text], "keyword %q listed twice", kw.text)
		seen[kw.text] = true
		assert.Equal(t, kw.kind == None, kw.conf == 0, kw.text)
		assert.True(t, kw.kind.Valid())
	}
}

func TestNormaliseName(t *testing.T) {
	tests := map[string]string{
		"SQR_SFZH":            "sqr_sfzh",
		"applicantIdCard":     "applicant_id_card",
		"IDCardNo":            "id_card_no",
		"mobilePhone2":        "mobile_phone_2",
		"  e-mail  ":          "e_mail",
		"身份证号码（申请人）":          "身份证号码_申请人",
		"Phone Number":        "phone_number",
		"tel.no":              "tel_no",
		"__x__y__":            "x_y",
		"联系人·电话":              "联系人_电话",
		"\xff名称":              "名称",
		"2ndPhone":            "2_nd_phone",
		"USER_NAME":           "user_name",
		"HTTPServerAddress":   "http_server_address",
		"":                    "",
		"abc\u3000def":        "abc_def",
		"lxr/sjhm":            "lxr_sjhm",
		"x" + string(rune(0)): "x",
	}
	for in, want := range tests {
		assert.Equal(t, want, string(normaliseName(nil, in)), "%q", in)
	}
}
