package classify

import (
	"sync"
	"unicode/utf8"
)

// How a data item's name suggests a kind.
//
// Real systems name their columns in Chinese (申请人身份证号码), in English
// (applicantIdCard, id_card_no) and in pinyin initials (SQRSFZH, sqr_sfzh).
// A name is first normalised: ASCII letters lowercased, camelCase humps,
// letter–digit changes and every separator (space, _ - . / brackets,
// full-width punctuation) turned into one "_" between tokens. Keywords are
// then looked for in it:
//
//   - Chinese keywords and the longer, distinctive pinyin codes (sfzh,
//     tyshxydm) match anywhere;
//   - English words and short pinyin codes (xm, dh) match only whole tokens
//     or runs of tokens, so that "xmmc" (项目名称) is not a name and "hotel"
//     not a telephone;
//   - a few match only the whole name ("name").
//
// Among the keywords found, the one ending last wins, and of those the
// longest: a Chinese compound noun has its head at the end, so
// 联系人电话 is a telephone and not a person's name, and 邮箱地址 is an e-mail
// address rather than a postal one. Keywords of kind None mark the heads
// that make a name not personal information even though it contains one
// that is (证件类型, 手机号码归属地, IP地址, 单位地址).

// match modes of a keyword
const (
	anywhere = iota // may start and end anywhere
	token           // must start and end at token boundaries
	exact           // must be the whole normalised name
)

type keyword struct {
	text string  // normalised form
	kind Kind    // None for the keywords that cancel a personal one
	conf float64 // confidence of a name-only suggestion
	mode uint8
}

// keywords is the vocabulary of data-item names, data. Confidences: 0.9
// for a term that can mean nothing else (身份证号码, sfzh), 0.7 for the usual
// but broader terms (证件号码, 电话), 0.5 for short or ambiguous ones.
var keywords = []keyword{
	// 姓名
	{"姓名", Name, 0.9, anywhere}, {"名字", Name, 0.7, anywhere}, {"联系人", Name, 0.6, anywhere},
	{"法定代表人", Name, 0.6, anywhere}, {"法人代表", Name, 0.6, anywhere}, {"负责人", Name, 0.5, anywhere},
	{"申请人", Name, 0.5, anywhere}, {"经办人", Name, 0.5, anywhere}, {"户主", Name, 0.6, anywhere},
	{"监护人", Name, 0.6, anywhere}, {"患者", Name, 0.5, anywhere},
	{"xm", Name, 0.7, token}, {"xingming", Name, 0.9, anywhere}, {"lxr", Name, 0.5, token},
	{"fddbr", Name, 0.6, anywhere}, {"name", Name, 0.7, exact},
	{"full_name", Name, 0.9, token}, {"fullname", Name, 0.9, token}, {"real_name", Name, 0.9, token},
	{"realname", Name, 0.9, token}, {"person_name", Name, 0.9, token}, {"contact_name", Name, 0.8, token},
	{"first_name", Name, 0.8, token}, {"last_name", Name, 0.8, token}, {"given_name", Name, 0.8, token},
	{"family_name", Name, 0.8, token}, {"surname", Name, 0.8, token}, {"applicant_name", Name, 0.8, token},
	{"owner_name", Name, 0.7, token}, {"patient_name", Name, 0.8, token}, {"legal_representative", Name, 0.6, token},
	{"user_name", None, 0, token}, {"username", None, 0, token}, {"nickname", None, 0, token}, {"昵称", None, 0, anywhere},
	{"用户名", None, 0, anywhere},

	// 身份证号
	{"身份证", IDCard, 0.9, anywhere}, {"身份证号", IDCard, 0.9, anywhere}, {"身份证号码", IDCard, 0.9, anywhere},
	{"公民身份号码", IDCard, 0.9, anywhere}, {"身份号码", IDCard, 0.8, anywhere}, {"证件号", IDCard, 0.6, anywhere},
	{"证件号码", IDCard, 0.6, anywhere}, {"sfz", IDCard, 0.7, token}, {"sfzh", IDCard, 0.9, anywhere},
	{"sfzhm", IDCard, 0.9, anywhere}, {"sfzjhm", IDCard, 0.9, anywhere}, {"gmsfhm", IDCard, 0.9, anywhere},
	{"zjhm", IDCard, 0.6, anywhere}, {"id_card", IDCard, 0.9, token}, {"idcard", IDCard, 0.9, token},
	{"id_card_no", IDCard, 0.9, token}, {"idcard_no", IDCard, 0.9, token}, {"id_card_number", IDCard, 0.9, token},
	{"id_no", IDCard, 0.5, token}, {"id_number", IDCard, 0.5, token}, {"identity_card", IDCard, 0.9, token},
	{"identity_no", IDCard, 0.7, token}, {"identity_number", IDCard, 0.7, token}, {"citizen_id", IDCard, 0.8, token},
	{"resident_id", IDCard, 0.8, token}, {"national_id", IDCard, 0.7, token},

	// 护照号
	{"护照", Passport, 0.9, anywhere}, {"通行证", Passport, 0.6, anywhere}, {"passport", Passport, 0.9, token},
	{"hzhm", Passport, 0.8, anywhere}, {"hzh", Passport, 0.6, token},

	// 手机号码
	{"手机", Mobile, 0.9, anywhere}, {"手机号", Mobile, 0.9, anywhere}, {"移动电话", Mobile, 0.9, anywhere},
	{"sjhm", Mobile, 0.9, anywhere}, {"sjh", Mobile, 0.7, token}, {"yddh", Mobile, 0.8, anywhere},
	{"shouji", Mobile, 0.8, anywhere}, {"mobile", Mobile, 0.9, token}, {"mobile_phone", Mobile, 0.9, token},
	{"mobilephone", Mobile, 0.9, token}, {"cellphone", Mobile, 0.9, token}, {"cell_phone", Mobile, 0.9, token},
	{"cell", Mobile, 0.6, token},

	// 固定电话
	{"电话", Phone, 0.7, anywhere}, {"固定电话", Phone, 0.9, anywhere}, {"座机", Phone, 0.9, anywhere},
	{"联系方式", Phone, 0.5, anywhere}, {"lxdh", Phone, 0.7, anywhere}, {"gddh", Phone, 0.9, anywhere},
	{"bgdh", Phone, 0.8, anywhere}, {"dh", Phone, 0.5, token}, {"lxfs", Phone, 0.5, anywhere},
	{"phone", Phone, 0.7, token}, {"telephone", Phone, 0.7, token}, {"tel", Phone, 0.7, token},
	{"landline", Phone, 0.9, token},

	// 电子邮箱
	{"邮箱", Email, 0.9, anywhere}, {"电子邮件", Email, 0.9, anywhere}, {"电子邮箱", Email, 0.9, anywhere},
	{"电邮", Email, 0.8, anywhere}, {"邮件地址", Email, 0.9, anywhere}, {"邮箱地址", Email, 0.9, anywhere},
	{"dzyx", Email, 0.9, anywhere}, {"dzyj", Email, 0.8, anywhere}, {"yxdz", Email, 0.8, anywhere},
	{"yx", Email, 0.5, token}, {"email", Email, 0.9, token}, {"e_mail", Email, 0.9, token},
	{"mail", Email, 0.8, token}, {"email_address", Email, 0.9, token}, {"mail_address", Email, 0.9, token},

	// 住址
	{"住址", Address, 0.9, anywhere}, {"地址", Address, 0.7, anywhere}, {"住所", Address, 0.8, anywhere},
	{"居住地", Address, 0.8, anywhere}, {"户籍地", Address, 0.8, anywhere}, {"户籍所在地", Address, 0.8, anywhere},
	{"家庭住址", Address, 0.9, anywhere}, {"通讯地址", Address, 0.8, anywhere}, {"现住址", Address, 0.9, anywhere},
	{"jtzz", Address, 0.9, anywhere}, {"hjdz", Address, 0.8, anywhere}, {"xzz", Address, 0.7, token},
	{"jzdz", Address, 0.8, anywhere}, {"txdz", Address, 0.8, anywhere}, {"zz", Address, 0.5, token},
	{"dz", Address, 0.5, token}, {"address", Address, 0.8, token}, {"addr", Address, 0.7, token},
	{"home_address", Address, 0.9, token}, {"residence", Address, 0.7, token},
	// addresses that are not a person's
	{"ip地址", None, 0, anywhere}, {"mac地址", None, 0, anywhere}, {"网址", None, 0, anywhere},
	{"网站地址", None, 0, anywhere}, {"单位地址", None, 0, anywhere}, {"注册地址", None, 0, anywhere},
	{"经营地址", None, 0, anywhere}, {"企业地址", None, 0, anywhere}, {"机构地址", None, 0, anywhere},
	{"办公地址", None, 0, anywhere}, {"ip_address", None, 0, token}, {"mac_address", None, 0, token},
	{"web_address", None, 0, token}, {"company_address", None, 0, token}, {"office_address", None, 0, token},
	{"ip", None, 0, token}, {"url", None, 0, token},

	// 银行卡号
	{"银行卡", BankCard, 0.9, anywhere}, {"银行卡号", BankCard, 0.9, anywhere}, {"银行账号", BankCard, 0.9, anywhere},
	{"银行账户", BankCard, 0.9, anywhere}, {"开户账号", BankCard, 0.8, anywhere}, {"借记卡", BankCard, 0.9, anywhere},
	{"信用卡", BankCard, 0.9, anywhere}, {"收款账号", BankCard, 0.7, anywhere}, {"金融账户", BankCard, 0.8, anywhere},
	{"工资卡", BankCard, 0.8, anywhere}, {"开户行账号", BankCard, 0.8, anywhere}, {"yhkh", BankCard, 0.9, anywhere},
	{"yhzh", BankCard, 0.8, anywhere}, {"khzh", BankCard, 0.7, anywhere}, {"yhk", BankCard, 0.7, token},
	{"bank_card", BankCard, 0.9, token}, {"bankcard", BankCard, 0.9, token}, {"bank_account", BankCard, 0.9, token},
	{"card_no", BankCard, 0.5, token}, {"card_number", BankCard, 0.5, token}, {"account_no", BankCard, 0.5, token},
	{"iban", BankCard, 0.8, token},

	// 生物识别信息
	{"指纹", Biometric, 0.9, anywhere}, {"人脸", Biometric, 0.9, anywhere}, {"虹膜", Biometric, 0.9, anywhere},
	{"声纹", Biometric, 0.9, anywhere}, {"掌纹", Biometric, 0.9, anywhere}, {"面部特征", Biometric, 0.9, anywhere},
	{"生物特征", Biometric, 0.9, anywhere}, {"生物识别", Biometric, 0.9, anywhere}, {"步态", Biometric, 0.8, anywhere},
	{"fingerprint", Biometric, 0.9, token}, {"face", Biometric, 0.6, token}, {"iris", Biometric, 0.7, token},
	{"voiceprint", Biometric, 0.9, token}, {"biometric", Biometric, 0.9, token}, {"zwxx", Biometric, 0.7, anywhere},
	{"rlzp", Biometric, 0.8, anywhere}, {"rltz", Biometric, 0.8, anywhere},

	// 医疗健康信息
	{"病历", Health, 0.9, anywhere}, {"诊断", Health, 0.9, anywhere}, {"病史", Health, 0.9, anywhere},
	{"疾病", Health, 0.8, anywhere}, {"健康", Health, 0.7, anywhere}, {"体检", Health, 0.8, anywhere},
	{"过敏", Health, 0.8, anywhere}, {"传染病", Health, 0.9, anywhere}, {"医疗", Health, 0.6, anywhere},
	{"就诊", Health, 0.8, anywhere}, {"残疾", Health, 0.8, anywhere}, {"病情", Health, 0.9, anywhere},
	{"血型", Health, 0.8, anywhere}, {"用药", Health, 0.7, anywhere}, {"jkzk", Health, 0.8, anywhere},
	{"diagnosis", Health, 0.9, token}, {"medical", Health, 0.7, token}, {"medical_record", Health, 0.9, token},
	{"disease", Health, 0.8, token}, {"health", Health, 0.7, token}, {"allergy", Health, 0.8, token},
	{"blood_type", Health, 0.8, token},
	{"医疗机构", None, 0, anywhere}, {"卫生健康委", None, 0, anywhere},

	// 宗教信仰
	{"宗教", Religion, 0.9, anywhere}, {"信仰", Religion, 0.9, anywhere}, {"zjxy", Religion, 0.8, anywhere},
	{"religion", Religion, 0.9, token}, {"religious", Religion, 0.8, token},

	// 行踪轨迹
	{"行踪", Location, 0.9, anywhere}, {"轨迹", Location, 0.9, anywhere}, {"定位", Location, 0.8, anywhere},
	{"经纬度", Location, 0.8, anywhere}, {"经度", Location, 0.7, anywhere}, {"纬度", Location, 0.7, anywhere},
	{"位置", Location, 0.6, anywhere}, {"出行记录", Location, 0.8, anywhere}, {"住宿记录", Location, 0.8, anywhere},
	{"location", Location, 0.7, token}, {"gps", Location, 0.8, token}, {"latitude", Location, 0.7, token},
	{"longitude", Location, 0.7, token}, {"trajectory", Location, 0.9, token}, {"whereabouts", Location, 0.9, token},
	{"geo", Location, 0.6, token},

	// 不满十四周岁未成年人的个人信息
	{"未成年", Minor, 0.8, anywhere}, {"儿童", Minor, 0.7, anywhere}, {"十四周岁", Minor, 0.8, anywhere},
	{"婴幼儿", Minor, 0.8, anywhere}, {"minor", Minor, 0.7, token}, {"child", Minor, 0.6, token},
	{"children", Minor, 0.6, token},

	// 统一社会信用代码
	{"统一社会信用代码", USCC, 0.9, anywhere}, {"社会信用代码", USCC, 0.9, anywhere}, {"信用代码", USCC, 0.8, anywhere},
	{"纳税人识别号", USCC, 0.7, anywhere}, {"nsrsbh", USCC, 0.7, anywhere},
	{"tyshxydm", USCC, 0.9, anywhere}, {"shxydm", USCC, 0.9, anywhere}, {"xydm", USCC, 0.7, anywhere},
	{"uscc", USCC, 0.9, token}, {"credit_code", USCC, 0.9, token}, {"social_credit_code", USCC, 0.9, token},

	// 车牌号
	{"车牌", Plate, 0.9, anywhere}, {"车牌号", Plate, 0.9, anywhere}, {"车牌号码", Plate, 0.9, anywhere},
	{"号牌", Plate, 0.8, anywhere}, {"号牌号码", Plate, 0.9, anywhere}, {"hphm", Plate, 0.9, anywhere},
	{"cphm", Plate, 0.9, anywhere}, {"cph", Plate, 0.8, token}, {"plate", Plate, 0.8, token},
	{"plate_no", Plate, 0.9, token}, {"license_plate", Plate, 0.9, token}, {"plate_number", Plate, 0.9, token},

	// Heads that describe a personal field without being it.
	{"类型", None, 0, anywhere}, {"种类", None, 0, anywhere}, {"类别", None, 0, anywhere},
	{"状态", None, 0, anywhere}, {"是否", None, 0, anywhere}, {"有效期", None, 0, anywhere},
	{"签发机关", None, 0, anywhere}, {"发证机关", None, 0, anywhere}, {"归属地", None, 0, anywhere},
	{"代码", None, 0, anywhere}, {"编码", None, 0, anywhere}, {"颜色", None, 0, anywhere},
	{"数量", None, 0, anywhere}, {"开户行", None, 0, anywhere}, {"机构", None, 0, anywhere},
	{"type", None, 0, token}, {"status", None, 0, token}, {"flag", None, 0, token},
	{"count", None, 0, token}, {"expiry", None, 0, token}, {"lx", None, 0, token},
	{"zt", None, 0, token}, {"yxq", None, 0, token}, {"hpzl", None, 0, anywhere}, {"hpys", None, 0, anywhere},
	{"zjlx", None, 0, anywhere}, {"code", None, 0, token}, {"dm", None, 0, token},
}

// nameIndex finds keywords fast: the first two bytes of a keyword select a
// small group of candidates (longest first).
type nameIndex struct {
	first  [1 << 16]uint16 // two leading bytes → group number + 1
	groups [][]uint16      // keyword indexes, longest first
}

var theNameIndex = sync.OnceValue(func() *nameIndex {
	ix := new(nameIndex)
	for i, kw := range keywords {
		key := uint16(kw.text[0])<<8 | uint16(kw.text[1])
		g := ix.first[key]
		if g == 0 {
			ix.groups = append(ix.groups, nil)
			g = uint16(len(ix.groups))
			ix.first[key] = g
		}
		grp := append(ix.groups[g-1], uint16(i))
		for j := len(grp) - 1; j > 0 && len(keywords[grp[j]].text) > len(keywords[grp[j-1]].text); j-- {
			grp[j], grp[j-1] = grp[j-1], grp[j]
		}
		ix.groups[g-1] = grp
	}
	return ix
})

// nameMatch is the result of matching a data item's name.
type nameMatch struct {
	kind    Kind
	conf    float64
	keyword string // the keyword as listed, "" if none matched
}

// matchName finds the keyword that decides the kind a name suggests.
func matchName(name string) nameMatch {
	var buf [128]byte
	n := normaliseName(buf[:0], name)
	ix := theNameIndex()
	best, bestEnd := -1, -1
	for i := 0; i+1 < len(n); i++ {
		c := n[i]
		if c == '_' || (c >= 0x80 && c < 0xc0) {
			continue // a separator or inside a character
		}
		g := ix.first[uint16(c)<<8|uint16(n[i+1])]
		if g == 0 {
			continue
		}
		atStart := i == 0 || n[i-1] == '_' || n[i-1] >= utf8.RuneSelf
		for _, k := range ix.groups[g-1] {
			kw := &keywords[k]
			end := i + len(kw.text)
			if end > len(n) || string(n[i:end]) != kw.text {
				continue
			}
			switch kw.mode {
			case token:
				if !atStart || (end < len(n) && n[end] != '_' && n[end] < utf8.RuneSelf) {
					continue
				}
			case exact:
				if i != 0 || end != len(n) {
					continue
				}
			}
			if end > bestEnd || (end == bestEnd && len(kw.text) > len(keywords[best].text)) {
				best, bestEnd = int(k), end
			}
			break // the group is longest first: shorter ones here end earlier
		}
	}
	if best < 0 {
		return nameMatch{}
	}
	kw := &keywords[best]
	return nameMatch{kind: kw.kind, conf: kw.conf, keyword: kw.text}
}

// normaliseName appends the normal form of name to dst (see the comment at
// the top of this file). Names longer than dst's capacity are rare; append
// grows dst then.
func normaliseName(dst []byte, name string) []byte {
	sep := func() {
		if len(dst) > 0 && dst[len(dst)-1] != '_' {
			dst = append(dst, '_')
		}
	}
	var prev byte // class of the previous ASCII byte: 'l' lower, 'u' upper, 'd' digit, 0 other
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			i++
			var class byte
			switch {
			case c >= 'a' && c <= 'z':
				class = 'l'
			case c >= 'A' && c <= 'Z':
				class = 'u'
			case c >= '0' && c <= '9':
				class = 'd'
			default:
				sep()
				prev = 0
				continue
			}
			switch {
			case prev == 'l' && class == 'u', prev == 'd' && class != 'd', prev != 0 && prev != 'd' && class == 'd':
				sep() // camelCase hump or letter–digit change
			case prev == 'u' && class == 'u' && i < len(name) && name[i] >= 'a' && name[i] <= 'z':
				sep() // IDCard: the hump is before the last capital
			}
			if class == 'u' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			prev = class
			continue
		}
		prev = 0
		if c >= 0xe4 && c <= 0xe9 && i+2 < len(name) && name[i+1]&0xc0 == 0x80 && name[i+2]&0xc0 == 0x80 {
			// A CJK ideograph (lead bytes E4–E9: U+4000–U+9FFF), the common case: no
			// separator is among them, copy it without decoding.
			dst = append(dst, name[i:i+3]...)
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		switch r {
		case '（', '）', '【', '】', '：', '、', '，', '　', '·', '－', '＿', '／', utf8.RuneError:
			sep()
			continue
		}
		dst = append(dst, name[i-size:i]...)
	}
	if len(dst) > 0 && dst[len(dst)-1] == '_' {
		dst = dst[:len(dst)-1]
	}
	return dst
}
