package classify

import (
	"github.com/govshare/govshare/internal/textcode"
)

// Kind is the personal-information kind of a data item (个人信息保护法), or
// a non-personal identifier worth recognising (统一社会信用代码, 车牌号). The
// zero value is None: not personal information.
type Kind uint8

// The kinds, with their stable codes.
const (
	None      Kind = iota // none: not personal information
	Name                  // name: 姓名
	IDCard                // id_card: 居民身份证号码
	Passport              // passport: 护照号码
	Mobile                // mobile: 手机号码
	Phone                 // phone: 固定电话号码
	Email                 // email: 电子邮箱
	Address               // address: 住址
	BankCard              // bank_card: 银行卡号 (金融账户)
	Biometric             // biometric: 生物识别信息
	Health                // health: 医疗健康信息
	Religion              // religion: 宗教信仰
	Location              // location: 行踪轨迹
	Minor                 // minor: 不满十四周岁未成年人的个人信息
	USCC                  // uscc: 统一社会信用代码 (an organisation's code, not personal)
	Plate                 // plate: 机动车号牌 (not personal on its own)
)

var kinds = textcode.Table[Kind]{
	{Value: None, Code: "none", Zh: "非个人信息", En: "not personal information", Aliases: []string{"无"}},
	{Value: Name, Code: "name", Zh: "姓名", En: "name"},
	{Value: IDCard, Code: "id_card", Zh: "身份证号", En: "identity card number", Aliases: []string{"身份证号码", "居民身份证号码"}},
	{Value: Passport, Code: "passport", Zh: "护照号", En: "passport number", Aliases: []string{"护照号码"}},
	{Value: Mobile, Code: "mobile", Zh: "手机号码", En: "mobile number", Aliases: []string{"手机号"}},
	{Value: Phone, Code: "phone", Zh: "固定电话", En: "landline number", Aliases: []string{"电话号码"}},
	{Value: Email, Code: "email", Zh: "电子邮箱", En: "e-mail address", Aliases: []string{"邮箱"}},
	{Value: Address, Code: "address", Zh: "住址", En: "address", Aliases: []string{"地址"}},
	{Value: BankCard, Code: "bank_card", Zh: "银行卡号", En: "bank card number", Aliases: []string{"金融账户"}},
	{Value: Biometric, Code: "biometric", Zh: "生物识别信息", En: "biometric data", Aliases: []string{"生物识别"}},
	{Value: Health, Code: "health", Zh: "医疗健康信息", En: "health data", Aliases: []string{"医疗健康"}},
	{Value: Religion, Code: "religion", Zh: "宗教信仰", En: "religious belief"},
	{Value: Location, Code: "location", Zh: "行踪轨迹", En: "whereabouts"},
	{Value: Minor, Code: "minor", Zh: "未成年人信息", En: "information of a minor under 14", Aliases: []string{"不满十四周岁未成年人信息"}},
	{Value: USCC, Code: "uscc", Zh: "统一社会信用代码", En: "unified social credit code"},
	{Value: Plate, Code: "plate", Zh: "车牌号", En: "vehicle plate number", Aliases: []string{"机动车号牌"}},
}

// Kinds lists every kind, None first.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, e := range kinds {
		out[i] = e.Value
	}
	return out
}

// Personal reports whether data of this kind is personal information
// (个人信息保护法 art. 4). A plate number identifies a vehicle and a credit
// code an organisation, so neither is personal on its own.
func (k Kind) Personal() bool { return k >= Name && k <= Minor }

// Sensitive reports whether data of this kind is sensitive personal
// information (敏感个人信息, 个人信息保护法 art. 28: biometrics, religious
// belief, specific identity, medical health, financial accounts,
// whereabouts, minors under 14). Identity-card and passport numbers are
// treated as sensitive, as GB/T 35273 lists them.
func (k Kind) Sensitive() bool {
	switch k {
	case IDCard, Passport, BankCard, Biometric, Health, Religion, Location, Minor:
		return true
	}
	return false
}

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool { _, ok := kinds.Lookup(k); return ok }

// String returns the Chinese term, e.g. 身份证号.
func (k Kind) String() string { return textcode.String(kinds, "Kind", k) }

// English returns the English name.
func (k Kind) English() string { return textcode.English(kinds, k) }

// MarshalText returns the stable code, e.g. id_card; None is "none".
func (k Kind) MarshalText() ([]byte, error) {
	return textcode.Marshal(kinds, "personal-information kind", k)
}

// UnmarshalText accepts the stable code or the Chinese term; the empty
// text is None.
func (k *Kind) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(kinds, "personal-information kind", text, k)
}

// ParseKind parses a stable code or Chinese term.
func ParseKind(s string) (Kind, error) {
	var k Kind
	err := k.UnmarshalText([]byte(s))
	return k, err
}
