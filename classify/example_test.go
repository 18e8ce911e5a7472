package classify_test

import (
	"fmt"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Grades are ordered; the strictest part grades the whole (就高从严).
func Example_grades() {
	g, _ := classify.ParseGrade("一般数据三级")
	fmt.Println(g, g.Level(), g.Stricter(classify.General2))
	fmt.Println(classify.Max(g, classify.Important, classify.General1))

	province := classify.Scheme{LevelNames: [4]string{"L1", "L2", "L3", "L4"}}
	fmt.Println(province.Format(g))
	// Output:
	// 一般数据3级 3 true
	// 重要数据
	// 一般数据L3
}

// Detect suggests a kind from a data item's name and sample values. Values
// outrank names: a 备注 column of mobile numbers is mobile, an 编号 column of
// 18-digit numbers that fail the identity check is not an identity number.
func ExampleDetect() {
	for _, c := range []struct {
		name    string
		samples []string
	}{
		{"SQR_SFZH", nil},
		{"联系人电话", nil},
		{"备注", []string{"13812345678", "13912345678", "无"}},
		{"编号", []string{"110105194912310021", "440524188001010015"}},
		{"sfzh", []string{"11010519491231002X", "110101********1234"}},
	} {
		s := classify.Detect(c.name, c.samples...)
		fmt.Printf("%s: %s %s %.2f (%s)\n", c.name, s.Kind, s.Grade, s.Confidence, s.Evidence)
	}
	// Output:
	// SQR_SFZH: 身份证号 一般数据3级 0.90 (名称含“sfzh”)
	// 联系人电话: 固定电话 一般数据2级 0.70 (名称含“电话”)
	// 备注: 手机号码 一般数据2级 0.90 (2个样本中2个通过校验、2个格式相符)
	// 编号: 非个人信息 未定级 0.00 (2个样本中0个通过校验、0个格式相符)
	// sfzh: 身份证号 一般数据3级 0.83 (名称含“sfzh”；2个样本中1个通过校验、2个格式相符)
}

// The single-value checks are exported for hosts that validate input.
func ExampleValidateIDCard() {
	fmt.Println(classify.ValidIDCard("11010519491231002X"))
	fmt.Println(classify.ValidateIDCard("110105194912310021"))
	fmt.Println(classify.ValueKind("6222 0212 3456 7890 128"))
	// Output:
	// true
	// govshare: invalid 居民身份证号码 "110105194912310021": check character is '1', want 'X'
	// 银行卡号
}

// Masking for data shared under conditions.
func ExampleMask() {
	fmt.Println(classify.Mask(classify.IDCard, "110101199003071234"))
	fmt.Println(classify.Mask(classify.Mobile, "13812345678"))
	fmt.Println(classify.Mask(classify.Name, "欧阳娜娜"))
	fmt.Println(classify.Mask(classify.Address, "北京市海淀区中关村大街27号"))
	fmt.Println(classify.Mask(classify.Email, "zhangsan@example.com"))
	// Output:
	// 110101********1234
	// 138****5678
	// 欧阳**
	// 北京市海淀区********
	// z*******@example.com
}

// A Masker masks a record by the items of a catalog entry.
func ExampleMasker() {
	m, err := classify.NewMasker(
		classify.Item{Name: "姓名", Column: "xm", Kind: classify.Name},
		classify.Item{Name: "身份证号码", Column: "sfzh", Kind: classify.IDCard},
	)
	if err != nil {
		panic(err)
	}
	row := m.Mask(map[string]string{"xm": "张三", "sfzh": "110101199003071234", "办理结果": "已办结"})
	fmt.Println(row["xm"], row["sfzh"], row["办理结果"])
	// Output:
	// 张* 110101********1234 已办结
}

// A Policy checks an entry's grade against its share attribute, share
// methods and personal information. NationalDefault is govshare's national
// profile; With changes a threshold.
func ExamplePolicy_Check() {
	entry := classify.Subject{
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General2},
		Share:          govshare.Unconditional,
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI, govshare.FileDownload},
		Items: []classify.Item{
			{Name: "姓名", Column: "xm", Kind: classify.Name},
			{Name: "身份证号码", Column: "sfzh", Kind: classify.IDCard},
			{Name: "联系电话", Column: "lxdh"},
		},
	}
	for _, f := range classify.NationalDefault().Check(entry) {
		fmt.Println(f.Code, f.Path)
	}
	// Output:
	// classify.sensitive_unconditional items[1].share
	// classify.sensitive_min_grade classification.grade
	// classify.undeclared_kind items[2].kind
}

// A host loads its own profile from JSON; unknown rule ids or grades are
// refused with a *PolicyError.
func ExampleLoadPolicy() {
	p, err := classify.LoadPolicy(strings.NewReader(`{
		"name": "某省公共数据分级保护策略",
		"rules": [
			{"id": "core_unconditional"},
			{"id": "download_above_grade", "grade": "一般数据3级", "severity": "warning"}
		]}`))
	if err != nil {
		panic(err)
	}
	for _, r := range p.Rules() {
		fmt.Println(r.ID, r.Severity, r.Grade, r.PolicyDefault())
	}
	_, err = classify.LoadPolicy(strings.NewReader(`{"rules": [{"id": "core_never"}]}`))
	fmt.Println(err)
	// Output:
	// core_unconditional 错误 未定级 false
	// download_above_grade 警告 一般数据3级 true
	// classify: invalid policy: rule 0 (core_never): id: unknown rule id "core_never" (accepted: [core_unconditional core_needs_basis important_unconditional sensitive_unconditional sensitive_min_grade download_above_grade undeclared_kind personal_min_grade grade_missing])
}
