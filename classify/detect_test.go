package classify_test

import (
	"strings"
	"testing"

	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Names alone, as real systems write them: Chinese, English, pinyin
// initials, with qualifiers in front and heads that cancel.
func TestDetectByName(t *testing.T) {
	tests := []struct {
		name string
		want classify.Kind
	}{
		{"姓名", classify.Name}, {"xm", classify.Name}, {"XM", classify.Name}, {"sqr_xm", classify.Name},
		{"申请人姓名", classify.Name}, {"name", classify.Name}, {"fullName", classify.Name}, {"法定代表人", classify.Name},
		{"身份证号", classify.IDCard}, {"身份证号码", classify.IDCard}, {"公民身份号码", classify.IDCard}, {"sfzh", classify.IDCard},
		{"SQRSFZH", classify.IDCard}, {"gmsfhm", classify.IDCard}, {"id_card", classify.IDCard}, {"applicantIdCard", classify.IDCard},
		{"IDCardNo", classify.IDCard}, {"证件号码", classify.IDCard},
		{"手机号码", classify.Mobile}, {"联系人手机号", classify.Mobile}, {"sjhm", classify.Mobile}, {"LXRSJHM", classify.Mobile},
		{"mobile", classify.Mobile}, {"mobilePhone", classify.Mobile}, {"cell_phone", classify.Mobile},
		{"固定电话", classify.Phone}, {"联系电话", classify.Phone}, {"联系人电话", classify.Phone}, {"lxdh", classify.Phone},
		{"tel", classify.Phone}, {"telephone", classify.Phone},
		{"电子邮箱", classify.Email}, {"邮箱地址", classify.Email}, {"email", classify.Email}, {"E-mail", classify.Email},
		{"email_address", classify.Email}, {"dzyx", classify.Email},
		{"家庭住址", classify.Address}, {"户籍地址", classify.Address}, {"jtzz", classify.Address}, {"home_address", classify.Address},
		{"银行卡号", classify.BankCard}, {"银行账号", classify.BankCard}, {"yhkh", classify.BankCard}, {"bankCardNo", classify.BankCard},
		{"统一社会信用代码", classify.USCC}, {"tyshxydm", classify.USCC}, {"TYSHXYDM", classify.USCC}, {"credit_code", classify.USCC},
		{"车牌号", classify.Plate}, {"号牌号码", classify.Plate}, {"hphm", classify.Plate}, {"plate_no", classify.Plate},
		{"护照号码", classify.Passport}, {"passport_no", classify.Passport},
		{"指纹信息", classify.Biometric}, {"人脸照片", classify.Biometric}, {"诊断结果", classify.Health}, {"既往病史", classify.Health},
		{"宗教信仰", classify.Religion}, {"行动轨迹", classify.Location}, {"经纬度", classify.Location}, {"未成年人标识", classify.Minor},

		// Not personal information, though close.
		{"企业名称", classify.None}, {"company_name", classify.None}, {"xmmc", classify.None}, {"项目名称", classify.None},
		{"证件类型", classify.None}, {"id_card_type", classify.None}, {"身份证有效期", classify.None}, {"手机号码归属地", classify.None},
		{"IP地址", classify.None}, {"ip_address", classify.None}, {"单位地址", classify.None}, {"注册地址", classify.None},
		{"username", classify.None}, {"号牌种类", classify.None}, {"医疗机构名称", classify.None}, {"行政区划代码", classify.None},
		{"邮政编码", classify.None}, {"hotel", classify.None}, {"备注", classify.None}, {"编号", classify.None}, {"", classify.None},
	}
	for _, tt := range tests {
		s := classify.Detect(tt.name)
		assert.Equal(t, tt.want, s.Kind, "%q: %s", tt.name, s.Evidence)
		if tt.want == classify.None {
			assert.Zero(t, s.Confidence, tt.name)
			assert.Zero(t, s.Grade, tt.name)
		} else {
			assert.Greater(t, s.Confidence, 0.0, tt.name)
			assert.NotEmpty(t, s.Evidence.Keyword, tt.name)
			assert.Equal(t, classify.SuggestedGrade(tt.want), s.Grade, tt.name)
		}
	}
}

// Values outrank names; names stand when the values agree in form;
// values that contradict a name leave nothing.
func TestDetectValuesAndNames(t *testing.T) {
	ids := []string{"11010519491231002X", "440524188001010014", "110105200002290021"}
	failing := []string{"110105194912310021", "440524188001010015", "110105200002290022"}
	tests := []struct {
		what    string
		name    string
		samples []string
		want    classify.Kind
		valid   int
	}{
		{"备注 full of mobiles is mobile", "备注", []string{"13812345678", "13912345678", "15012345678"}, classify.Mobile, 3},
		{"编号 of failing 18-digit numbers is nothing", "编号", failing, classify.None, 0},
		{"a 身份证号 column of failing numbers is contradicted", "身份证号", failing, classify.None, 0},
		{"valid ids under no name", "字段3", ids, classify.IDCard, 3},
		{"valid ids under their name", "sfzh", ids, classify.IDCard, 3},
		{"old 15-digit numbers under their name", "身份证号", []string{"110101491231002", "440524800101001"}, classify.IDCard, 0},
		{"old 15-digit numbers under no name", "编号", []string{"110101491231002", "440524800101001"}, classify.None, 0},
		{"masked ids under their name", "sfzh", []string{"110101********1234", "440524********0014"}, classify.IDCard, 0},
		{"a 姓名 column of mobiles is mobile", "姓名", []string{"13812345678", "13912345678"}, classify.Mobile, 2},
		{"names under 姓名", "姓名", []string{"张三", "欧阳娜娜", "阿卜杜拉·艾买提", "李*"}, classify.Name, 0},
		{"numbers under 姓名 contradict it", "姓名", []string{"1001", "1002", "1003"}, classify.None, 0},
		{"联系电话 of landlines is phone", "联系电话", []string{"010-62345678", "0755-86668888"}, classify.Phone, 2},
		{"联系电话 of mobiles is mobile", "联系电话", []string{"13812345678", "13912345678", "010-62345678"}, classify.Mobile, 2},
		{"a tie goes to the name", "联系电话", []string{"13812345678", "010-62345678"}, classify.Phone, 1},
		{"联系方式 of e-mails is email", "联系方式", []string{"a@qq.com", "b@163.com"}, classify.Email, 2},
		{"placeholders do not count", "手机号码", []string{"无", "-", "", "13812345678", "N/A"}, classify.Mobile, 1},
		{"only placeholders: the name decides", "手机号码", []string{"无", "  ", "null"}, classify.Mobile, 0},
		{"a minority of valid values does not decide", "备注", []string{"13812345678", "请尽快办理", "已办结"}, classify.None, 0},
		{"free text under 家庭住址", "家庭住址", []string{"北京市海淀区中关村大街27号"}, classify.Address, 0},
		{"bank accounts without Luhn under 银行账号", "银行账号", []string{"11001234567890123456", "31050161393600000123"}, classify.BankCard, 0},
		{"card-like numbers failing Luhn under no name", "流水号", []string{"6222021234567890127", "6222021234567890125"}, classify.None, 0},
		{"credit codes under a cancelling head", "单位代码", []string{"91350100M000100Y43", "11000000000000000U"}, classify.USCC, 2},
		{"plates", "车辆", []string{"京A12345", "粤B·D12345"}, classify.Plate, 2},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			s := classify.Detect(tt.name, tt.samples...)
			assert.Equal(t, tt.want, s.Kind, "%s", s.Evidence)
			if tt.want != classify.None {
				assert.Equal(t, tt.valid, s.Evidence.Valid)
				assert.GreaterOrEqual(t, s.Evidence.Consistent, s.Evidence.Valid)
				assert.InDelta(t, 0.7, s.Confidence, 0.31)
			}
		})
	}
}

func TestDetectConfidenceOrders(t *testing.T) {
	both := classify.Detect("手机号码", "13812345678", "13912345678")
	values := classify.Detect("备注", "13812345678", "13912345678")
	name := classify.Detect("手机号码")
	some := classify.Detect("备注", "13812345678", "13912345678", "x")
	assert.Greater(t, both.Confidence, values.Confidence)
	assert.Greater(t, values.Confidence, some.Confidence)
	assert.LessOrEqual(t, both.Confidence, 1.0)
	assert.Equal(t, classify.Mobile, name.Kind)
	assert.Equal(t, 1.0, both.Confidence)
}

func TestEvidenceText(t *testing.T) {
	s := classify.Detect("sfzh", "11010519491231002X", "110101********1234")
	assert.Equal(t, classify.Evidence{Keyword: "sfzh", NameKind: classify.IDCard, Samples: 2, Valid: 1, Consistent: 2}, s.Evidence)
	assert.Equal(t, "名称含“sfzh”；2个样本中1个通过校验、2个格式相符", s.Evidence.String())
	assert.Equal(t, `name contains "sfzh"; 1 of 2 samples valid, 2 consistent`, s.Evidence.English())
	assert.Equal(t, "无依据", classify.Evidence{}.String())
	assert.Equal(t, "no evidence", classify.Evidence{}.English())
}

func TestSuggestedGrade(t *testing.T) {
	for _, k := range classify.Kinds() {
		g := classify.SuggestedGrade(k)
		switch {
		case k.Sensitive():
			assert.Equal(t, classify.General3, g, k.String())
		case k.Personal(), k == classify.Plate:
			assert.Equal(t, classify.General2, g, k.String())
		case k == classify.USCC:
			assert.Equal(t, classify.General1, g, k.String())
		default:
			assert.Zero(t, g, k.String())
		}
	}
}

func TestDetectItem(t *testing.T) {
	// The column speaks when the name does not.
	s := classify.DetectItem(classify.Item{Name: "联系人信息", Column: "lxr_sjhm"})
	assert.Equal(t, classify.Mobile, s.Kind)
	s = classify.DetectItem(classify.Item{Name: "身份证号码", Column: "col_7"})
	assert.Equal(t, classify.IDCard, s.Kind)
	s = classify.DetectItem(classify.Item{Name: "备注", Samples: []string{"13812345678"}})
	assert.Equal(t, classify.Mobile, s.Kind)
}

func TestDetectLongName(t *testing.T) {
	long := strings.Repeat("备注说明", 40) + "身份证号码"
	require.Greater(t, len(long), 128)
	assert.Equal(t, classify.IDCard, classify.Detect(long).Kind)
}
