package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// The core metadata of 《政务信息资源目录编制指南（试行）》 (发改高技〔2017〕
// 1272号). The guide lists them as 信息资源分类 (类、项、目、细目), 信息资源名称,
// 信息资源代码, 信息资源提供方, 信息资源提供方代码, 信息资源摘要, 信息资源格式,
// 信息项信息 (信息项名称、数据类型), 共享属性 (共享类型、共享条件、共享方式),
// 开放属性, 更新周期, 发布日期 and 关联资源代码. An Entry holds R6's fields
// under the regulation's names; the guide's other metadata are
// ResourceClass, ProviderCode, Open, Related and ReleaseDate, each
// optional: the regulation does not require them, and a platform that
// follows the guide fills them in.
//
// The guide's own text was not available to the project. What is known of
// it — from its summaries published by provincial governments (e.g. the
// 四川省 table of its classification and metadata) — is modelled as the
// guide's: the three 类 of its resource-attribute classification, the
// lengths of 类 (1 digit), 项 (2) and 目 (3), and that 细目 and the 顺序码
// have no fixed length. The rest is a policy default and cited as one:
// the digits 1, 2 and 3 for the 类 in the guide's order, the "/" between
// the classification code and the 顺序码, the limits of 12 digits on 细目
// and 顺序码, the scheme of the 提供方代码 and the accepted forms of a
// 发布日期.

// citeGuide is the citation of what the guide itself says.
var citeGuide = govshare.Citation{Source: "政务信息资源目录编制指南（试行）（发改高技〔2017〕1272号）核心元数据"}

// ResourceType is the 类 of the 信息资源分类: the first level of the
// guide's classification by resource attribute, and the first digit of the
// classification code. The zero value means not stated.
type ResourceType uint8

const (
	// BasicResources is 基础信息资源: the base registers of population,
	// legal persons, natural resources and spatial geography, social credit
	// and electronic licences.
	BasicResources ResourceType = iota + 1
	// ThematicResources is 主题信息资源: resources of one theme built by
	// several departments (health, social security, food and drug safety,
	// …).
	ThematicResources
	// DepartmentResources is 部门信息资源: a department's own resources.
	DepartmentResources
)

var resourceTypes = textcode.Table[ResourceType]{
	{Value: BasicResources, Code: "basic", Zh: "基础信息资源", En: "basic information resources", Aliases: []string{"基础信息资源目录", "基础", "基础类"}},
	{Value: ThematicResources, Code: "thematic", Zh: "主题信息资源", En: "thematic information resources", Aliases: []string{"主题信息资源目录", "主题", "主题类"}},
	{Value: DepartmentResources, Code: "departmental", Zh: "部门信息资源", En: "departmental information resources", Aliases: []string{"部门信息资源目录", "部门", "部门类"}},
}

// String returns the Chinese term, e.g. 基础信息资源.
func (t ResourceType) String() string { return textcode.String(resourceTypes, "ResourceType", t) }

// English returns the English name.
func (t ResourceType) English() string { return textcode.English(resourceTypes, t) }

// Valid reports whether t is one of the three 类.
func (t ResourceType) Valid() bool { _, ok := resourceTypes.Lookup(t); return ok }

// MarshalText returns the stable code: basic, thematic or departmental.
func (t ResourceType) MarshalText() ([]byte, error) {
	return textcode.Marshal(resourceTypes, "resource type", t)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (t *ResourceType) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(resourceTypes, "resource type", text, t)
}

// Lengths of the parts of a 信息资源代码 that the guide leaves open; policy
// defaults, the same as DefaultIDPattern's.
const (
	maxDetailDigits   = 12 // 细目
	maxSequenceDigits = 12 // 顺序码
)

// ResourceCode is a 信息资源代码 (the 目录代码 of an entry) taken apart: the
// classification code — 类 (1 digit), 项 (2), 目 (3) and an optional 细目 —
// and the 顺序码 after "/". String puts it back together.
type ResourceCode struct {
	Type     ResourceType // 类
	Item     string       // 项: 2 digits
	Heading  string       // 目: 3 digits
	Detail   string       // 细目: 0 to 12 digits (policy default)
	Sequence string       // 顺序码: 1 to 12 digits (policy default); "" for a classification code alone
}

// Class returns the classification code: 类, 项, 目 and 细目, e.g. 101001.
func (c ResourceCode) Class() string {
	if !c.Type.Valid() {
		return ""
	}
	return strconv.Itoa(int(c.Type)) + c.Item + c.Heading + c.Detail
}

// String returns the code: the classification code, "/" and the 顺序码,
// e.g. 101001/000123; the classification code alone when there is no
// 顺序码.
func (c ResourceCode) String() string {
	if c.Sequence == "" {
		return c.Class()
	}
	return c.Class() + "/" + c.Sequence
}

// ParseResourceCode takes a 信息资源代码 in the default layout apart: a
// classification code (see ParseResourceClass), "/" and a 顺序码 of 1 to 12
// digits. It accepts exactly the codes DefaultIDPattern matches; the
// error, a *ResourceCodeError, names the part that is wrong.
func ParseResourceCode(s string) (ResourceCode, error) {
	class, seq, ok := strings.Cut(s, "/")
	if !ok {
		return ResourceCode{}, codeError(s, "sequence", "no \"/\" and sequence code after the classification code", "缺少“/”和顺序码")
	}
	c, err := ParseResourceClass(class)
	if err != nil {
		err.(*ResourceCodeError).Code = s
		return ResourceCode{}, err
	}
	switch {
	case seq == "":
		return ResourceCode{}, codeError(s, "sequence", "empty sequence code", "顺序码为空")
	case !digits(seq):
		return ResourceCode{}, codeError(s, "sequence", "the sequence code is not all digits", "顺序码应全为数字")
	case len(seq) > maxSequenceDigits:
		return ResourceCode{}, codeError(s, "sequence", fmt.Sprintf("the sequence code has more than %d digits", maxSequenceDigits), fmt.Sprintf("顺序码超过%d位", maxSequenceDigits))
	}
	c.Sequence = seq
	return c, nil
}

// ParseResourceClass takes a classification code (the 信息资源分类 as a
// code, the part of a 信息资源代码 before "/") apart: 类 1 to 3, then 项 (2
// digits), 目 (3 digits) and up to 12 digits of 细目. The error is a
// *ResourceCodeError.
func ParseResourceClass(s string) (ResourceCode, error) {
	switch {
	case s == "":
		return ResourceCode{}, codeError(s, "class", "empty classification code", "分类码为空")
	case !digits(s):
		return ResourceCode{}, codeError(s, "class", "the classification code is not all digits", "分类码应全为数字")
	case s[0] < '1' || s[0] > '3':
		return ResourceCode{}, codeError(s, "type", "类 (the first digit) is not 1, 2 or 3", "类（第1位）应为1（基础）、2（主题）或3（部门）")
	case len(s) < 6:
		return ResourceCode{}, codeError(s, "heading", "shorter than 类, 项 and 目 (6 digits)", "不足类(1位)、项(2位)、目(3位)共6位")
	case len(s) > 6+maxDetailDigits:
		return ResourceCode{}, codeError(s, "detail", fmt.Sprintf("细目 has more than %d digits", maxDetailDigits), fmt.Sprintf("细目超过%d位", maxDetailDigits))
	}
	return ResourceCode{Type: ResourceType(s[0] - '0'), Item: s[1:3], Heading: s[3:6], Detail: s[6:]}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ResourceCodeError says which part of a 信息资源代码 or classification code
// is wrong. errors.Is(err, ErrInvalidID) holds.
type ResourceCodeError struct {
	Code    string // the code given
	Part    string // "class", "type", "heading", "detail" or "sequence"
	Problem string // what is wrong, in English
	zh      string // the same in Chinese
}

func codeError(code, part, en, zh string) error {
	return &ResourceCodeError{Code: code, Part: part, Problem: en, zh: zh}
}

// Error describes the problem in English.
func (e *ResourceCodeError) Error() string {
	return fmt.Sprintf("catalog: resource code %q: %s", e.Code, e.Problem)
}

// Unwrap returns ErrInvalidID.
func (e *ResourceCodeError) Unwrap() error { return ErrInvalidID }

// ErrorMessage implements govshare.Messenger.
func (e *ResourceCodeError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: CodeInvalidID, Zh: fmt.Sprintf("信息资源代码“%s”：%s", e.Code, e.zh), En: e.Error(), Citation: citeID}
}

// ResourceCode returns the entry's 目录代码 taken apart, or false when it
// is not in the default layout (a host's own WithIDPattern).
func (e Entry) ResourceCode() (ResourceCode, bool) {
	c, err := ParseResourceCode(e.ID)
	return c, err == nil
}

// maxProviderCode is the longest 提供方代码 accepted (policy default).
const maxProviderCode = 32

// checkGuide checks the guide's metadata: the 信息资源分类 and its
// agreement with the 目录代码, the 提供方代码, the 关联资源代码 and the 发布日期.
func (c *config) checkGuide(e *Entry, out []govshare.Finding) []govshare.Finding {
	if rc := e.ResourceClass; rc != "" {
		class, err := ParseResourceClass(rc)
		if err != nil {
			ce := err.(*ResourceCodeError)
			out = append(out, finding(CodeInvalidResourceClass, govshare.Error, "resource_class", citeID,
				fmt.Sprintf("信息资源分类%s不是分类码：%s", quote(rc), ce.zh),
				fmt.Sprintf("resource classification %s is not a classification code: %s", quote(rc), ce.Problem)))
		} else if code, ok := e.ResourceCode(); ok && code.Class() != class.Class() {
			out = append(out, finding(CodeResourceClassMismatch, govshare.Error, "resource_class", citeGuide,
				fmt.Sprintf("信息资源分类%s与目录代码%s的分类码%s不一致", quote(rc), quote(e.ID), code.Class()),
				fmt.Sprintf("resource classification %s differs from %s, the classification code of %s", quote(rc), code.Class(), quote(e.ID))))
		}
	}
	if pc := e.ProviderCode; pc != "" {
		if zh, en := c.providerCodeProblem(pc, e.Provider.CreditCode); zh != "" {
			out = append(out, finding(CodeInvalidProviderCode, govshare.Error, "provider_code", citeProviderCode,
				fmt.Sprintf("信息资源提供方代码%s%s", quote(pc), zh),
				fmt.Sprintf("provider code %s %s", quote(pc), en)))
		}
	}
	for i, r := range e.Related {
		path := "related[" + strconv.Itoa(i) + "]"
		var zh, en string
		switch {
		case !c.idPattern.MatchString(r):
			zh, en = "不是目录代码（"+c.idPattern.String()+"）", "is not a catalog code ("+c.idPattern.String()+")"
		case r == e.ID:
			zh, en = "是本目录自己的代码", "is the entry's own code"
		default:
			for j := range i {
				if e.Related[j] == r {
					zh, en = fmt.Sprintf("与第%d个关联资源代码重复", j+1), fmt.Sprintf("repeats related code %d", j+1)
					break
				}
			}
		}
		if zh != "" {
			out = append(out, finding(CodeInvalidRelated, govshare.Error, path, citeGuide,
				fmt.Sprintf("关联资源代码%s%s", quote(r), zh), fmt.Sprintf("related resource code %s %s", quote(r), en)))
		}
	}
	if d := e.ReleaseDate; !d.IsZero() && !d.Valid() {
		out = append(out, finding(CodeInvalidDate, govshare.Error, "release_date", citeDate,
			fmt.Sprintf("发布日期%d-%d-%d不是公历日期（%d年至%d年）", d.Year, d.Month, d.Day, minYear, maxYear),
			fmt.Sprintf("release date %d-%d-%d is not a calendar date in the years %d to %d", d.Year, d.Month, d.Day, minYear, maxYear)))
	}
	return out
}

var citeProviderCode = govshare.PolicyDefault("政务信息资源目录编制指南（试行） 信息资源提供方代码；GB 32100-2015")

// providerCodeProblem says what is wrong with a 提供方代码, or "" when
// nothing is. The guide asks for the provider's code without fixing its
// scheme here (policy default): it is the provider's 统一社会信用代码 or a
// code the platform gives its departments, of digits and capital letters,
// at most 32. A code with the shape of a 统一社会信用代码 must be a valid one
// and, when the entry states the provider's, the same.
func (c *config) providerCodeProblem(code, credit string) (zh, en string) {
	if len(code) > maxProviderCode || strings.Trim(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return fmt.Sprintf("应为数字和大写字母，不超过%d位", maxProviderCode),
			fmt.Sprintf("must be digits and capital letters, at most %d", maxProviderCode)
	}
	if !creditCodeShape(code) {
		return "", ""
	}
	if govshare.ValidateCreditCode(code, c.allow...) != nil {
		czh, cen := creditCodeProblem(code)
		return "具有统一社会信用代码的结构，但不符合GB 32100-2015：" + czh,
			"has the structure of a unified social credit code but is not one: " + cen
	}
	if credit != "" && credit != code {
		return "与提供单位统一社会信用代码“" + credit + "”不一致", "differs from the provider's unified social credit code " + strconv.Quote(credit)
	}
	return "", ""
}

// creditCodeShape reports whether code looks like a 统一社会信用代码: 18
// characters of its set, characters 3–8 digits.
func creditCodeShape(code string) bool {
	if len(code) != 18 || strings.Trim(code[2:8], creditCodeDigits) != "" {
		return false
	}
	return strings.Trim(code, "0123456789ABCDEFGHJKLMNPQRTUWXY") == ""
}
