package classify_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The labelled corpus: data-item columns as government systems hold them,
// each with its name, sample values and the kind a person reading it would
// say it holds. It is generated from a fixed seed, so every run sees the
// same columns. Besides clean columns it has dirty ones (placeholders,
// blanks, mistyped values), masked ones, columns whose name says nothing
// (备注, 字段3, ext1), name-only columns, and the near misses the issue
// lists: order numbers, invoice codes and numbers, 15-digit old identity
// numbers, 18-digit numbers failing the identity check, landlines,
// card-like numbers failing Luhn, credit codes failing GB 32100, SIM and
// handset serials that carry a Luhn digit, and columns such as 单位地址 or
// 证件类型 whose names are near a personal kind.
//
// Run `go test -run TestCorpus -v ./classify` to print precision and recall
// per kind (the table in docs/benchmarks.md) and every column the detector
// gets wrong.

type column struct {
	name    string
	samples []string
	label   classify.Kind
	group   string // what the column stands for, for the error listing
}

type gen struct{ r *rand.Rand }

func (g gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}
func (g gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g gen) chance(p float64) bool  { return g.r.Float64() < p }

var counties = []string{"110101", "110105", "110108", "120101", "130104", "140105", "210102", "220102", "230103",
	"310104", "310115", "320102", "320583", "330106", "340104", "350203", "360102", "370102", "410105", "420106",
	"430104", "440103", "440305", "450103", "460106", "500103", "510107", "520102", "530102", "610113", "620102",
	"630102", "640104", "650102", "150102", "540102"}

func (g gen) birth() (y, m, d int) {
	y = g.between(1935, 2019)
	m = g.between(1, 12)
	d = g.between(1, 28)
	return
}

func (g gen) id18() string {
	y, m, d := g.birth()
	first := fmt.Sprintf("%s%04d%02d%02d%s", g.pick(counties), y, m, d, g.digits(3))
	c, _ := classify.IDCardCheck(first)
	s := first + string(c)
	if c == 'X' && g.chance(0.2) {
		s = first + "x"
	}
	return s
}

func (g gen) id18Failing() string {
	s := g.id18()
	c := s[17]
	for c == s[17] || (c == 'X' && s[17] == 'x') {
		c = "0123456789X"[g.r.IntN(11)]
	}
	return s[:17] + string(c)
}

func (g gen) id15() string {
	y, m, d := g.birth()
	y = 1930 + (y-1935)%69 // issued before 1999
	return fmt.Sprintf("%s%02d%02d%02d%s", g.pick(counties), y%100, m, d, g.digits(3))
}

func (g gen) maskedID() string {
	s := g.id18()
	return s[:6] + "********" + s[14:]
}

var mobilePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
	"151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178", "180",
	"181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "195", "198", "199"}

func (g gen) mobile() string {
	n := g.pick(mobilePrefixes) + g.digits(8)
	switch g.r.IntN(20) {
	case 0:
		return "+86 " + n
	case 1:
		return n[:3] + "-" + n[3:7] + "-" + n[7:]
	case 2:
		return n[:3] + " " + n[3:7] + " " + n[7:]
	case 3:
		return "86" + n
	}
	return n
}

func (g gen) mobileNear() string { // a mistyped mobile: 10 or 12 digits
	n := g.pick(mobilePrefixes) + g.digits(8)
	if g.chance(0.5) {
		return n[:10]
	}
	return n + g.digits(1)
}

var areaCodes8 = []string{"010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0731", "0371", "0531", "0591", "0871", "0451", "0991"}
var areaCodes7 = []string{"0898", "0913", "0377", "0734", "0857"}

func (g gen) landline() string {
	var area, local string
	if g.chance(0.85) {
		area, local = g.pick(areaCodes8), strconv.Itoa(g.between(2, 8))+g.digits(7)
	} else {
		area, local = g.pick(areaCodes7), strconv.Itoa(g.between(2, 8))+g.digits(6)
	}
	switch g.r.IntN(10) {
	case 0:
		return "(" + area + ")" + local
	case 1:
		return area + local
	case 2:
		return area + "-" + local + "-" + g.digits(g.between(2, 4))
	case 3:
		return area + " " + local
	}
	return area + "-" + local
}

func luhnDigit(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		v := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

var bins = []struct {
	prefix string
	length int
}{{"622202", 19}, {"621226", 19}, {"622848", 19}, {"622700", 19}, {"621700", 19}, {"621661", 19}, {"622588", 16},
	{"621483", 16}, {"622262", 19}, {"623058", 19}, {"622908", 16}, {"625911", 16}, {"436742", 16}, {"524094", 16}}

func (g gen) bankCard() string {
	b := bins[g.r.IntN(len(bins))]
	body := b.prefix + g.digits(b.length-len(b.prefix)-1)
	s := body + string(luhnDigit(body))
	if g.chance(0.1) {
		var parts []string
		for i := 0; i < len(s); i += 4 {
			parts = append(parts, s[i:min(i+4, len(s))])
		}
		return strings.Join(parts, " ")
	}
	return s
}

func (g gen) cardFailing() string {
	s := g.bankCard()
	s = strings.ReplaceAll(s, " ", "")
	last := (s[len(s)-1]-'0'+byte(g.between(1, 9)))%10 + '0'
	return s[:len(s)-1] + string(last)
}

func (g gen) bankAccount() string { // 对公账户: no Luhn digit, 12 to 22 digits
	return strconv.Itoa(g.between(1, 9)) + g.digits(g.between(11, 21))
}

var pinyin = []string{"zhang", "wang", "li", "zhao", "liu", "chen", "yang", "huang", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao"}
var given = []string{"wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "tao", "ming", "chao", "xia", "ping", "gang", "hua"}
var domains = []string{"qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com", "139.com", "yeah.net", "hrss.gov.cn", "mail.bj.gov.cn", "example.org.cn"}

func (g gen) email() string {
	var local string
	switch g.r.IntN(4) {
	case 0:
		local = strconv.Itoa(g.between(10000, 2999999999))
	case 1:
		local = g.pick(pinyin) + "." + g.pick(given)
	case 2:
		local = g.pick(pinyin) + g.pick(given) + strconv.Itoa(g.between(1, 99))
	default:
		local = g.pick(given) + "_" + g.pick(pinyin)
	}
	return local + "@" + g.pick(domains)
}

const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func (g gen) uscc() string {
	head := g.pick([]string{"91", "91", "91", "91", "12", "11", "51", "52", "53", "92", "93"})
	org := make([]byte, 9)
	for i := range org {
		if i < 2 && g.chance(0.3) {
			org[i] = creditChars[10+g.r.IntN(21)]
		} else {
			org[i] = creditChars[g.r.IntN(10)]
		}
	}
	first := head + g.pick(counties) + string(org)
	c, err := govshare.CreditCodeCheck(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

func (g gen) usccFailing() string {
	s := g.uscc()
	c := s[17]
	for c == s[17] {
		c = creditChars[g.r.IntN(len(creditChars))]
	}
	return s[:17] + string(c)
}

const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
const plateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

func (g gen) plate() string {
	p := []rune(plateProvinces)[g.r.IntN(len([]rune(plateProvinces)))]
	auth := plateLetters[g.r.IntN(12)]
	var serial string
	switch g.r.IntN(10) {
	case 0:
		serial = g.pick([]string{"D", "F"}) + string(plateLetters[g.r.IntN(24)]) + g.digits(4)
	case 1:
		serial = g.digits(4) + "学"
	default:
		b := []byte(g.digits(5))
		if g.chance(0.5) {
			b[g.r.IntN(3)] = plateLetters[g.r.IntN(24)]
		}
		serial = string(b)
	}
	sep := ""
	if g.chance(0.15) {
		sep = "·"
	}
	return string(p) + string(auth) + sep + serial
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "欧阳", "司马", "诸葛"}
var givenChars = []string{"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰", "霞", "平", "刚", "华", "建", "国", "志", "红", "玉", "梅"}

func (g gen) personName() string {
	if g.chance(0.03) {
		return g.pick([]string{"阿卜杜拉·艾买提", "买买提·吐尔逊", "古丽娜尔·阿不都"})
	}
	s := g.pick(surnames) + g.pick(givenChars)
	if g.chance(0.6) {
		s += g.pick(givenChars)
	}
	return s
}

var districts = []string{"北京市海淀区", "北京市朝阳区", "上海市浦东新区", "上海市徐汇区", "广东省深圳市南山区", "广东省广州市天河区", "浙江省杭州市西湖区",
	"江苏省南京市玄武区", "四川省成都市武侯区", "湖北省武汉市武昌区", "陕西省西安市雁塔区", "重庆市渝中区", "河南省郑州市金水区", "湖南省长沙市岳麓区", "福建省厦门市思明区"}
var streets = []string{"中关村大街", "建国路", "世纪大道", "漕溪北路", "科技南路", "天河路", "文三路", "中山路", "人民南路", "解放路", "长安街", "解放碑步行街", "花园路", "麓山南路", "湖滨南路"}

func (g gen) address() string {
	s := g.pick(districts) + g.pick(streets) + strconv.Itoa(g.between(1, 300)) + "号"
	if g.chance(0.5) {
		s += strconv.Itoa(g.between(1, 30)) + "栋" + strconv.Itoa(g.between(101, 2805)) + "室"
	}
	return s
}

var companies = []string{"科技有限公司", "建设工程有限公司", "商贸有限责任公司", "食品股份有限公司", "物业管理有限公司", "农民专业合作社", "信息技术有限公司"}
var places = []string{"北京", "上海", "深圳", "杭州", "成都", "武汉", "西安", "南京", "长沙", "郑州"}

func (g gen) company() string {
	return g.pick(places) + g.pick([]string{"华", "恒", "鑫", "泰", "瑞", "宏", "盛", "达"}) + g.pick([]string{"远", "信", "通", "德", "源", "安"}) + g.pick(companies)
}

func (g gen) orderNo() string {
	switch g.r.IntN(3) {
	case 0:
		return fmt.Sprintf("20%02d%02d%02d%s", g.between(18, 25), g.between(1, 12), g.between(1, 28), g.digits(12))
	case 1:
		return "DD" + fmt.Sprintf("20%02d%02d%02d", g.between(18, 25), g.between(1, 12), g.between(1, 28)) + g.digits(8)
	}
	return fmt.Sprintf("%d%02d%02d%02d%s", 2000+g.between(18, 25), g.between(1, 12), g.between(1, 28), g.between(0, 23), g.digits(10))
}

func (g gen) invoiceCode() string { // 12 digits: 1, region, year, batch
	return "1" + g.pick(counties)[:4] + fmt.Sprintf("%02d", g.between(18, 25)) + g.digits(5)
}
func (g gen) invoiceNo() string { return g.digits(8) }
func (g gen) eInvoiceNo() string { // 全电发票号码: 20 digits
	return fmt.Sprintf("%02d", g.between(21, 25)) + g.pick(counties)[:2] + "2" + g.digits(15)
}
func (g gen) iccid() string {
	body := "898600" + g.digits(12)
	return body + string(luhnDigit(body))
}
func (g gen) imei() string {
	body := "86" + g.digits(12)
	return body + string(luhnDigit(body))
}
func (g gen) archiveNo() string { // 11-digit archive numbers that look like mobiles
	return "15" + strconv.Itoa(g.between(0, 9)) + fmt.Sprintf("%04d", 2000+g.between(10, 25))[1:] + g.digits(5)
}
func (g gen) serial11() string { return strconv.Itoa(g.between(10, 12)) + g.digits(9) }
func (g gen) amount() string {
	return strconv.Itoa(g.between(0, 999999)) + "." + g.digits(2)
}
func (g gen) date() string {
	return fmt.Sprintf("%04d-%02d-%02d", g.between(1990, 2025), g.between(1, 12), g.between(1, 28))
}
func (g gen) postcode() string   { return strconv.Itoa(g.between(10, 85)) + g.digits(4) }
func (g gen) regionCode() string { return g.pick(counties) }
func (g gen) ip() string {
	return fmt.Sprintf("%d.%d.%d.%d", g.between(10, 223), g.between(0, 255), g.between(0, 255), g.between(1, 254))
}
func (g gen) vin() string {
	b := make([]byte, 17)
	for i := range b {
		b[i] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"[g.r.IntN(33)]
	}
	return "L" + string(b[1:])
}
func (g gen) orgCode() string { return g.digits(8) + "-" + g.digits(1) }
func (g gen) passport() string {
	if g.chance(0.5) {
		return "E" + g.digits(8)
	}
	return "E" + string(plateLetters[g.r.IntN(24)]) + g.digits(7)
}
func (g gen) qqNumber() string { return strconv.Itoa(g.between(10000, 2999999999)) }

var remarks = []string{"材料齐全，同意受理", "已办结", "请于三日内补正材料", "申请人自行撤回", "待复核", "符合条件", "转交街道办理", "电话已通知本人", ""}
var statuses = []string{"有效", "注销", "正常", "已过期", "待审核"}
var diagnoses = []string{"高血压", "2型糖尿病", "慢性胃炎", "冠心病", "上呼吸道感染", "腰椎间盘突出"}

// fill returns n samples from f, with a share of dirty values: blanks and
// placeholders, and values from near (mistyped) if given.
func (g gen) fill(n int, f func() string, dirt float64, near func() string) []string {
	out := make([]string, n)
	for i := range out {
		switch {
		case g.chance(dirt / 2):
			out[i] = g.pick([]string{"", "无", "-", "  ", "null", "暂无", "/"})
		case near != nil && g.chance(dirt/2):
			out[i] = near()
		default:
			out[i] = f()
		}
	}
	return out
}

var neutralNames = []string{"备注", "字段1", "字段3", "字段7", "col_3", "F07", "ext1", "attr_2", "内容", "值", "data", "value", "其他信息", "附加信息", "关联号"}

func buildCorpus() []column {
	g := gen{rand.New(rand.NewPCG(809, 2025))}
	var cs []column
	add := func(group string, label classify.Kind, name string, samples []string) {
		cs = append(cs, column{name: name, samples: samples, label: label, group: group})
	}
	// kindSet adds the usual columns of a kind that values can prove:
	// clean, dirty, under a name that says nothing, and name only.
	kindSet := func(k classify.Kind, names []string, f func() string, near func() string, clean, dirty, neutral, nameOnly int) {
		for range clean {
			add("clean", k, g.pick(names), g.fill(g.between(8, 30), f, 0, nil))
		}
		for range dirty {
			add("dirty", k, g.pick(names), g.fill(g.between(8, 30), f, 0.1+0.2*g.r.Float64(), near))
		}
		for range neutral {
			add("neutral name", k, g.pick(neutralNames), g.fill(g.between(5, 20), f, 0.1, nil))
		}
		for range nameOnly {
			add("name only", k, g.pick(names), nil)
		}
	}

	idNames := []string{"身份证号", "身份证号码", "公民身份号码", "申请人身份证号", "法定代表人身份证号码", "户主身份证号", "证件号码", "sfzh", "SFZH",
		"sqr_sfzh", "SQRSFZH", "gmsfhm", "GMSFHM", "zjhm", "id_card", "idCard", "id_card_no", "IDCardNo", "applicantIdCard", "citizen_id", "身份证"}
	kindSet(classify.IDCard, idNames, g.id18, g.id18Failing, 24, 10, 6, 4)
	for range 4 {
		add("old 15-digit numbers under their name", classify.IDCard, g.pick(idNames), g.fill(g.between(5, 15), g.id15, 0, nil))
	}
	add("full-width digits", classify.IDCard, g.pick(idNames), g.fill(10, func() string { return fullWidth(g.id18()) }, 0, nil))
	for range 3 {
		add("masked", classify.IDCard, g.pick(idNames), g.fill(10, g.maskedID, 0, nil))
	}

	mobileNames := []string{"手机号码", "手机号", "联系人手机", "联系人手机号码", "移动电话", "sjhm", "SJHM", "lxrsjhm", "LXR_SJHM", "mobile", "mobilePhone", "cell_phone", "手机"}
	kindSet(classify.Mobile, mobileNames, g.mobile, g.mobileNear, 24, 10, 6, 4)
	for range 6 { // 联系电话 / tel columns that hold mobiles
		add("phone name, mobile values", classify.Mobile, g.pick([]string{"联系电话", "lxdh", "tel", "电话"}), g.fill(g.between(8, 20), g.mobile, 0.05, nil))
	}
	for range 2 {
		add("full-width digits", classify.Mobile, g.pick(mobileNames), g.fill(10, func() string { return fullWidth(g.mobile()) }, 0, nil))
	}
	for range 3 { // whole-value detection does not look inside free text
		add("free text with mobiles", classify.Mobile, g.pick([]string{"备注", "联系方式", "说明"}), g.fill(10, func() string {
			return g.pick([]string{"请联系", "经办人电话", "家属"}) + g.pick(surnames) + "先生" + g.pick(mobilePrefixes) + g.digits(8)
		}, 0, nil))
	}
	for range 2 {
		add("masked", classify.Mobile, g.pick(mobileNames), g.fill(10, func() string { m := g.pick(mobilePrefixes) + g.digits(8); return m[:3] + "****" + m[7:] }, 0, nil))
	}

	bankNames := []string{"银行卡号", "银行账号", "收款账号", "代发工资卡号", "yhkh", "YHKH", "bank_card", "bankCardNo", "银行卡", "借记卡号", "社保金融账户"}
	kindSet(classify.BankCard, bankNames, g.bankCard, g.cardFailing, 24, 10, 6, 4)
	for range 3 {
		add("bank accounts without Luhn", classify.BankCard, g.pick([]string{"银行账号", "开户账号", "bank_account"}), g.fill(10, g.bankAccount, 0, nil))
	}

	emailNames := []string{"电子邮箱", "邮箱", "邮箱地址", "联系邮箱", "email", "Email", "e_mail", "E-mail", "mail", "dzyx", "DZYX", "电子邮件"}
	kindSet(classify.Email, emailNames, g.email, func() string { return g.pick(pinyin) + "@" }, 24, 10, 6, 4)
	for range 3 {
		add("contact column of e-mails", classify.Email, "联系方式", g.fill(10, g.email, 0, nil))
	}

	usccNames := []string{"统一社会信用代码", "社会信用代码", "单位统一社会信用代码", "tyshxydm", "TYSHXYDM", "shxydm", "uscc", "credit_code", "纳税人识别号", "单位代码", "信用代码"}
	kindSet(classify.USCC, usccNames, g.uscc, g.usccFailing, 24, 10, 6, 4)

	plateNames := []string{"车牌号", "车牌号码", "号牌号码", "hphm", "HPHM", "cph", "plate_no", "车辆号牌"}
	kindSet(classify.Plate, plateNames, g.plate, nil, 12, 4, 3, 2)

	phoneNames := []string{"固定电话", "办公电话", "联系电话", "单位电话", "gddh", "bgdh", "telephone", "tel", "座机"}
	kindSet(classify.Phone, phoneNames, g.landline, nil, 14, 4, 4, 3)
	for range 3 { // mixed, mostly landlines
		add("mixed, mostly landlines", classify.Phone, "联系电话", g.fill(10, func() string {
			if g.chance(0.3) {
				return g.mobile()
			}
			return g.landline()
		}, 0, nil))
	}

	// Kinds only a name can show.
	nameNames := []string{"姓名", "xm", "XM", "申请人姓名", "联系人", "法定代表人", "户主姓名", "name", "fullName", "real_name", "sqr_xm", "患者姓名"}
	for range 24 {
		add("names", classify.Name, g.pick(nameNames), g.fill(g.between(5, 20), g.personName, 0.05, nil))
	}
	for range 4 {
		add("name only", classify.Name, g.pick(nameNames), nil)
	}
	addrNames := []string{"家庭住址", "住址", "户籍地址", "现住址", "通讯地址", "jtzz", "address", "home_address", "居住地址"}
	for range 16 {
		add("addresses", classify.Address, g.pick(addrNames), g.fill(g.between(5, 15), g.address, 0.05, nil))
	}
	for range 6 {
		add("passports", classify.Passport, g.pick([]string{"护照号码", "护照号", "passport_no", "hzhm"}), g.fill(8, g.passport, 0, nil))
	}
	for range 6 {
		add("health", classify.Health, g.pick([]string{"诊断结果", "既往病史", "疾病名称", "diagnosis", "健康状况"}), g.fill(8, func() string { return g.pick(diagnoses) }, 0, nil))
	}
	for range 3 {
		add("religion", classify.Religion, g.pick([]string{"宗教信仰", "religion"}), g.fill(6, func() string { return g.pick([]string{"佛教", "道教", "伊斯兰教", "基督教", "无"}) }, 0, nil))
	}
	for range 4 {
		add("biometric", classify.Biometric, g.pick([]string{"指纹信息", "人脸照片", "人脸特征值", "fingerprint"}), nil)
	}
	for range 4 {
		add("location", classify.Location, g.pick([]string{"经纬度", "行动轨迹", "定位信息", "gps"}), g.fill(6, func() string {
			return fmt.Sprintf("%.4f,%.4f", 30+g.r.Float64()*10, 110+g.r.Float64()*10)
		}, 0, nil))
	}

	// Near misses and columns that hold no personal information.
	none := func(group string, names []string, f func() string, count int) {
		for range count {
			add(group, classify.None, g.pick(names), g.fill(g.between(8, 25), f, 0.05, nil))
		}
	}
	none("order numbers", []string{"订单号", "业务流水号", "order_no", "ywlsh", "受理编号", "编号"}, g.orderNo, 12)
	none("invoice codes", []string{"发票代码", "fpdm", "invoice_code"}, g.invoiceCode, 6)
	none("invoice numbers", []string{"发票号码", "fphm", "invoice_no"}, g.invoiceNo, 5)
	none("e-invoice numbers", []string{"数电发票号码", "发票号码"}, g.eInvoiceNo, 4)
	none("old 15-digit numbers under no name", []string{"编号", "证件编号", "字段4", "ext2"}, g.id15, 5)
	none("18-digit numbers failing the check", []string{"编号", "档案编号", "序列号", "字段9", "bh"}, g.id18Failing, 8)
	none("card-like numbers failing Luhn", []string{"流水号", "交易参考号", "卡片序列号", "编号"}, g.cardFailing, 8)
	none("credit-code-like values failing GB 32100", []string{"注册号", "登记编号", "许可证编号"}, g.usccFailing, 5)
	none("SIM ICCID", []string{"iccid", "SIM卡号", "物联网卡号"}, g.iccid, 3)
	none("IMEI", []string{"imei", "设备串号", "终端编号"}, g.imei, 3)
	none("11-digit serials", []string{"统计编号", "业务编号", "档案号"}, g.serial11, 4)
	none("11-digit archive numbers like mobiles", []string{"档案号"}, g.archiveNo, 1)
	none("company names", []string{"企业名称", "单位名称", "dwmc", "company_name", "机构名称"}, g.company, 10)
	none("project names", []string{"项目名称", "xmmc", "事项名称"}, func() string {
		return g.pick(places) + "市" + g.pick([]string{"老旧小区改造", "道路拓宽工程", "智慧城市平台"})
	}, 5)
	none("amounts", []string{"金额", "je", "amount", "申请金额", "补贴金额"}, g.amount, 8)
	none("dates", []string{"申请日期", "sqrq", "created_at", "办结日期"}, g.date, 8)
	none("postcodes", []string{"邮政编码", "yzbm", "zip_code"}, g.postcode, 4)
	none("region codes", []string{"行政区划代码", "xzqhdm", "region_code"}, g.regionCode, 5)
	none("IP addresses", []string{"IP地址", "ip", "ip_address", "登录IP"}, g.ip, 5)
	none("VINs", []string{"车辆识别代号", "vin", "车架号"}, g.vin, 4)
	none("organisation codes", []string{"组织机构代码", "zzjgdm"}, g.orgCode, 3)
	none("remarks", []string{"备注", "bz", "remark", "处理意见"}, func() string { return g.pick(remarks) }, 8)
	none("statuses", []string{"状态", "zt", "status", "证照状态"}, func() string { return g.pick(statuses) }, 6)
	none("document types", []string{"证件类型", "zjlx", "id_card_type"}, func() string {
		return g.pick([]string{"居民身份证", "护照", "港澳居民来往内地通行证"})
	}, 4)
	none("carrier regions", []string{"手机号码归属地", "归属地"}, func() string { return g.pick(places) }, 3)
	none("organisation addresses", []string{"单位地址", "注册地址", "经营地址", "办公地址"}, g.address, 6)
	none("QQ numbers", []string{"QQ号", "qq"}, g.qqNumber, 3)
	none("counts", []string{"人数", "数量", "count"}, func() string { return strconv.Itoa(g.between(0, 5000)) }, 4)
	for range 6 {
		add("name only", classify.None, g.pick([]string{"企业名称", "项目编号", "办件编号", "事项编码", "审批结果", "证件类型", "更新时间"}), nil)
	}
	return cs
}

// fullWidth writes the digits and letters of s in their full-width forms,
// as some input methods type them.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xfee0
		}
		b.WriteRune(r)
	}
	return b.String()
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return float64(s.tp) / float64(s.tp+s.fp) }
func (s score) recall() float64    { return float64(s.tp) / float64(s.tp+s.fn) }

func TestCorpus(t *testing.T) {
	cs := buildCorpus()
	require.GreaterOrEqual(t, len(cs), 500)
	again := buildCorpus()
	require.Equal(t, cs, again, "the corpus is the same every run")

	scores := map[classify.Kind]*score{}
	for _, k := range classify.Kinds() {
		scores[k] = &score{}
	}
	labels := map[classify.Kind]int{}
	correct := 0
	var wrong []string
	for _, c := range cs {
		got := classify.Detect(c.name, c.samples...).Kind
		labels[c.label]++
		if got == c.label {
			scores[got].tp++
			correct++
			continue
		}
		scores[got].fp++
		scores[c.label].fn++
		show := c.samples
		if len(show) > 3 {
			show = show[:3]
		}
		wrong = append(wrong, fmt.Sprintf("%-10s as %-10s %-32s %q %q", c.label, got, c.group, c.name, show))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d columns, %d samples, %d right (%.1f%%)\n\n", len(cs), countSamples(cs), correct, 100*float64(correct)/float64(len(cs)))
	b.WriteString("| kind | columns | precision | recall |\n| --- | ---: | ---: | ---: |\n")
	for _, k := range classify.Kinds() {
		s := scores[k]
		if labels[k] == 0 && s.fp == 0 {
			continue
		}
		code, _ := k.MarshalText()
		fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", code, labels[k], ratio(s.tp, s.tp+s.fp), ratio(s.tp, s.tp+s.fn))
	}
	t.Logf("labelled corpus:\n%s", b.String())
	if len(wrong) > 0 {
		t.Logf("columns detected wrongly:\n%s", strings.Join(wrong, "\n"))
	}

	// The targets.
	for _, k := range []classify.Kind{classify.IDCard, classify.Mobile, classify.BankCard, classify.Email, classify.USCC} {
		s := scores[k]
		require.GreaterOrEqual(t, labels[k], 30, "%s: enough columns to measure", k)
		assert.GreaterOrEqual(t, s.precision(), 0.95, "%s precision", k)
		assert.GreaterOrEqual(t, s.recall(), 0.90, "%s recall", k)
	}
}

func countSamples(cs []column) int {
	n := 0
	for _, c := range cs {
		n += len(c.samples)
	}
	return n
}

func ratio(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}
