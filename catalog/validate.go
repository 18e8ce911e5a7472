package catalog

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/internal/textcode"
)

// Validate checks an entry against the field rules (required fields,
// lengths, 目录代码, 统一社会信用代码, 行政区划代码), the regulation's rules
// (R5–R7, R13), the enumerations and categories, and the grading Policy
// given with WithPolicy. It returns every finding, each with a stable code,
// a field path such as "items[3].share", Chinese and English messages and
// a citation; nil when there is nothing to say. Publishing requires that
// no finding has severity Error. Validate never panics on any entry.
//
// An option that cannot be used here (a bad value, or one that applies
// only to a store, see Option) gives a single error finding
// CodeInvalidOption instead, and the entry is not checked.
func Validate(e Entry, opts ...Option) []govshare.Finding {
	c, err := newConfig(opts, forValidate)
	if err != nil {
		m := govshare.MessageOf(err)
		return []govshare.Finding{finding(CodeInvalidOption, govshare.Error, "", citeOption, m.Zh, m.En)}
	}
	return c.validate(&e)
}

// lengthLimits are the length tags of Entry and DataItem and their limits.
var lengthLimits = map[string]int{"max128": 128, "max200": 200, "max2000": 2000}

// engine is the one validator instance: building it (and its struct
// cache) per call would cost more than the validation itself.
var engine = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must(v.RegisterValidationCtx("catalog_id", func(ctx context.Context, fl validator.FieldLevel) bool {
		return configFrom(ctx).idPattern.MatchString(fl.Field().String())
	}))
	must(v.RegisterValidationCtx("credit_code", func(ctx context.Context, fl validator.FieldLevel) bool {
		return govshare.ValidateCreditCode(fl.Field().String(), configFrom(ctx).allow...) == nil
	}))
	must(v.RegisterValidation("region_code", func(fl validator.FieldLevel) bool {
		return govshare.ValidateRegionCode(fl.Field().String()) == nil
	}))
	// Length limits as fixed validators: validator/v10 parses the parameter
	// of max=N again for every field it checks, which was a sixth of the
	// time of validating a large catalog. They count characters (runes), as
	// max does for strings.
	for tag, limit := range lengthLimits {
		must(v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			return utf8.RuneCountInString(fl.Field().String()) <= limit
		}))
	}
	must(v.RegisterValidation("nonneg", func(fl validator.FieldLevel) bool {
		return fl.Field().Int() >= 0
	}))
	// The root and classify types carry no tags for these rules; the
	// catalog adds them here.
	v.RegisterStructValidationMapRules(map[string]string{
		"CreditCode": "omitempty,credit_code",
		"RegionCode": "omitempty,region_code",
		"Level":      "-",
	}, govshare.Department{})
	v.RegisterStructValidationMapRules(map[string]string{
		"Category": "required",
		"Grade":    "required",
	}, classify.Classification{})
	return v
})

func must(err error) {
	if err != nil {
		panic(err) // the registrations above are constants of this file
	}
}

func (c *config) validate(e *Entry) []govshare.Finding {
	var out []govshare.Finding
	if err := engine().StructCtx(c.ctx, e); err != nil {
		out = c.fieldFindings(err, out)
	}
	if len(e.Items) > 0 {
		out = checkItems(e.Items, out)
	}
	out = checkText(e, out)
	out = c.checkValues(e, out)
	out = c.checkGuide(e, out)
	out = checkRules(e, out)
	if c.policy != nil {
		out = append(out, c.policy.Check(e.Subject())...)
	}
	return out
}

// fieldFindings turns the validator's errors into findings.
func (c *config) fieldFindings(err error, out []govshare.Finding) []govshare.Finding {
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) {
		return out
	}
	for _, fe := range errs {
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest // drop the struct name "Entry."
		}
		f := field(path)
		value, _ := fe.Value().(string)
		switch fe.Tag() {
		case "required":
			out = append(out, finding(CodeRequired, govshare.Error, path, f.cite,
				f.zh+"未填写", f.en+" is required"))
		case "max128", "max200", "max2000":
			limit := lengthLimits[fe.Tag()]
			out = append(out, finding(CodeTooLong, govshare.Error, path, citeLimit,
				fmt.Sprintf("%s超过%d个字符", f.zh, limit),
				fmt.Sprintf("%s is longer than %d characters", f.en, limit)))
		case "nonneg":
			out = append(out, finding(CodeOutOfRange, govshare.Error, path, citeLimit,
				f.zh+"不能小于0", f.en+" must be at least 0"))
		case "catalog_id":
			zh := fmt.Sprintf("目录代码%s不符合规定的结构（%s）", quote(value), c.idPattern)
			en := fmt.Sprintf("catalog code %s does not match the pattern %s", quote(value), c.idPattern)
			var ce *ResourceCodeError
			if _, err := ParseResourceCode(value); c.idPattern == DefaultIDPattern && errors.As(err, &ce) {
				zh = fmt.Sprintf("目录代码%s不符合“类(1位)项(2位)目(3位)[细目]/顺序码”的结构（%s）：%s", quote(value), c.idPattern, ce.zh)
				en += ": " + ce.Problem
			}
			out = append(out, finding(CodeInvalidID, govshare.Error, path, citeID, zh, en))
		case "credit_code":
			zh, en := creditCodeProblem(value)
			out = append(out, finding(CodeInvalidCreditCode, govshare.Error, path, citeCredit,
				fmt.Sprintf("统一社会信用代码%s不符合GB 32100-2015：%s", quote(value), zh),
				fmt.Sprintf("unified social credit code %s is invalid: %s", quote(value), en)))
		case "region_code":
			zh, en := regionCodeProblem(value)
			out = append(out, finding(CodeInvalidRegionCode, govshare.Error, path, citeRegion,
				fmt.Sprintf("行政区划代码%s不符合GB/T 2260的结构：%s", quote(value), zh),
				fmt.Sprintf("administrative division code %s is invalid: %s", quote(value), en)))
		}
	}
	return out
}

// checkItems applies the field rules of the data items — a name, and the
// lengths — with the same findings as the validator's field rules give,
// placed where the validator would have reported them: after the fields
// that come before Items in Entry, before those after it.
func checkItems(items []DataItem, out []govshare.Finding) []govshare.Finding {
	var found []govshare.Finding
	tooLong := func(path string, s string, limit int) {
		if len(s) > limit && utf8.RuneCountInString(s) > limit {
			f := field(path)
			found = append(found, finding(CodeTooLong, govshare.Error, path, citeLimit,
				fmt.Sprintf("%s超过%d个字符", f.zh, limit), fmt.Sprintf("%s is longer than %d characters", f.en, limit)))
		}
	}
	for i := range items {
		it := &items[i]
		if it.Name != "" && len(it.Name) <= 200 && len(it.Column) <= 128 && it.Length >= 0 && len(it.Description) <= 2000 {
			continue // the usual item: nothing to say, nothing to count
		}
		p := itemPath(i)
		if it.Name == "" {
			f := field("items.name")
			found = append(found, finding(CodeRequired, govshare.Error, p+".name", f.cite, f.zh+"未填写", f.en+" is required"))
		} else {
			tooLong(p+".name", it.Name, 200)
		}
		tooLong(p+".column", it.Column, 128)
		if it.Length < 0 {
			f := field("items.length")
			found = append(found, finding(CodeOutOfRange, govshare.Error, p+".length", citeLimit, f.zh+"不能小于0", f.en+" must be at least 0"))
		}
		tooLong(p+".description", it.Description, 2000)
	}
	if found == nil {
		return out
	}
	at := len(out)
	for at > 0 && !beforeItems(fieldKey(out[at-1].Path)) {
		at--
	}
	return append(out[:at], append(found, out[at:]...)...)
}

// beforeItems reports whether the field of key comes before Items in
// Entry, and so in the validator's findings.
func beforeItems(key string) bool {
	switch key {
	case "id", "name", "summary", "level":
		return true
	}
	return strings.HasPrefix(key, "provider.") || key == "provider"
}

// creditCodeProblem says in Chinese and English what is wrong with a
// 统一社会信用代码 that ValidateCreditCode refused.
func creditCodeProblem(code string) (zh, en string) {
	en = "invalid"
	var ce *govshare.CodeError
	if errors.As(govshare.ValidateCreditCode(code), &ce) {
		en = ce.Problem
	}
	if len(code) != 18 {
		return "应为18位", en
	}
	if strings.Trim(code[2:8], creditCodeDigits) == "" {
		if want, err := govshare.CreditCodeCheck(code[:17]); err == nil && code[17] != want {
			return fmt.Sprintf("校验码应为%c", want), en
		}
	}
	return "含有不允许的字符（第3–8位为数字，其余为数字或除I、O、Z、S、V以外的大写字母）", en
}

const creditCodeDigits = "0123456789"

// regionCodeProblem says what is wrong with a 行政区划代码.
func regionCodeProblem(code string) (zh, en string) {
	en = "invalid"
	var ce *govshare.CodeError
	if errors.As(govshare.ValidateRegionCode(code), &ce) {
		en = ce.Problem
	}
	if len(code) != 6 || strings.Trim(code, creditCodeDigits) != "" {
		return "应为6位数字", en
	}
	return "省级代码不存在或县级代码前的地级代码为00", en
}

// checkValues reports enumeration values and categories that are not
// defined. Values read from text are always defined; these come from code
// that set a number directly.
func (c *config) checkValues(e *Entry, out []govshare.Finding) []govshare.Finding {
	num := func(path string, v uint8, accepted []string) {
		out = append(out, unknownValue(path, strconv.Itoa(int(v)), accepted))
	}
	if e.Level != 0 && !e.Level.Valid() {
		num("level", uint8(e.Level), levels.Codes())
	}
	if e.Provider.Level != 0 && !e.Provider.Level.Valid() {
		num("provider.level", uint8(e.Provider.Level), []string{"national", "provincial", "city", "county"})
	}
	if e.Format != 0 && !e.Format.Valid() {
		num("format", uint8(e.Format), formats.Codes())
	}
	if e.Frequency != 0 && !e.Frequency.Valid() {
		num("frequency", uint8(e.Frequency), frequencies.Codes())
	}
	if e.Share != 0 && !e.Share.Valid() {
		num("share", uint8(e.Share), shareCodes)
	}
	if e.Open != 0 && !e.Open.Valid() {
		num("open", uint8(e.Open), openAttributes.Codes())
	}
	if e.Status != 0 && !e.Status.Valid() {
		num("status", uint8(e.Status), statuses.Codes())
	}
	if g := e.Classification.Grade; g != 0 && !g.Valid() {
		num("classification.grade", uint8(g), gradeCodes())
	}
	if cat := e.Classification.Category; cat != "" {
		if err := c.checkCategory(cat); err != nil {
			out = append(out, finding(CodeUnknownCategory, govshare.Error, "classification.category", govshare.Rule("R6"),
				fmt.Sprintf("数据分类%s不在分类目录中", quote(string(cat))),
				fmt.Sprintf("data category %s is not registered: %v", quote(string(cat)), err)))
		}
	}
	for i, m := range e.Methods {
		if !c.methods().Has(m) {
			path := "methods[" + strconv.Itoa(i) + "]"
			out = append(out, unknownValueTerms(path, path, string(m), methodCodes(c), c.methods().Terms()))
		}
	}
	for i := range e.Items {
		it := &e.Items[i]
		if it.Type != 0 && !it.Type.Valid() {
			num(itemPath(i)+".type", uint8(it.Type), dataTypes.Codes())
		}
		if it.Share != 0 && !it.Share.Valid() {
			num(itemPath(i)+".share", uint8(it.Share), shareCodes)
		}
		if !it.Kind.Valid() {
			num(itemPath(i)+".kind", uint8(it.Kind), kindCodes())
		}
	}
	return out
}

// checkCategory checks a category against the registry, remembering the
// ones accepted: checking parses the path under the registry's lock, and a
// catalog repeats a few hundred categories over its entries. Registries
// only grow, so an accepted category stays accepted.
func (c *config) checkCategory(cat classify.Category) error {
	if _, ok := c.known.Load(cat); ok {
		return nil
	}
	if err := c.categories().Check(cat); err != nil {
		return err
	}
	c.known.Store(cat, struct{}{})
	return nil
}

var shareCodes = []string{"unconditional", "conditional", "not_shared"}

func methodCodes(c *config) []string {
	var out []string
	for _, m := range c.methods().List() {
		out = append(out, string(m))
	}
	return out
}

func gradeCodes() []string {
	var out []string
	for _, g := range classify.Grades() {
		b, _ := g.MarshalText()
		out = append(out, string(b))
	}
	return out
}

func kindCodes() []string {
	var out []string
	for _, k := range classify.Kinds() {
		b, _ := k.MarshalText()
		out = append(out, string(b))
	}
	return out
}

func blank(s string) bool { return textcode.Trim(s) == "" }

// checkRules applies the regulation's rules on the catalog (R6, R7, R13).
func checkRules(e *Entry, out []govshare.Finding) []govshare.Finding {
	if len(e.Items) == 0 {
		out = append(out, finding(CodeNoItems, govshare.Error, "items", govshare.Rule("R6"),
			"目录未列出任何数据项", "the entry lists no data items"))
	}
	switch e.Share {
	case govshare.Conditional:
		if blank(e.Conditions) {
			out = append(out, finding(CodeConditionsMissing, govshare.Error, "conditions", govshare.Rule("R7"),
				"有条件共享的目录未写明使用条件", "a conditional entry must state its conditions of use"))
		}
	case govshare.NotShared:
		if blank(e.LegalBasis) {
			out = append(out, finding(CodeLegalBasisMissing, govshare.Error, "legal_basis", govshare.Rule("R7"),
				"不予共享的目录未写明法律、行政法规或党中央、国务院政策文件依据",
				"a not-shared entry must state its legal basis (law, administrative regulation or central policy document)"))
		}
		if len(e.Methods) > 0 {
			out = append(out, finding(CodeMethodsNotShared, govshare.Error, "methods", govshare.Rule("R7"),
				"不予共享的目录不应填写共享方式", "a not-shared entry must not offer share methods"))
		}
	case govshare.Unconditional:
		if !blank(e.Conditions) {
			out = append(out, finding(CodeConditionsUnexpected, govshare.Warning, "conditions", govshare.Rule("R7"),
				"无条件共享的目录填写了使用条件：如确需附加条件，应标为有条件共享，不得擅自增设条件",
				"an unconditional entry states conditions of use: mark it conditional instead of adding conditions"))
		}
	}
	if (e.Share == govshare.Unconditional || e.Share == govshare.Conditional) && len(e.Methods) == 0 {
		out = append(out, finding(CodeMethodMissing, govshare.Error, "methods", govshare.Rule("R13"),
			"共享的目录未填写共享方式（服务接口、批量交换、文件下载等）",
			"a shared entry must offer at least one share method (service interface, batch exchange, file download, …)"))
	}
	for i := range e.Items {
		it := &e.Items[i]
		if it.Share.Valid() && e.Share.Valid() && e.Share.Stricter(it.Share) {
			out = append(out, finding(CodeItemLooser, govshare.Error, itemPath(i)+".share", govshare.Rule("R7"),
				fmt.Sprintf("数据项“%s”的共享属性（%s）宽于目录的共享属性（%s）", it.Name, it.Share, e.Share),
				fmt.Sprintf("data item %q is shared more freely (%s) than its entry (%s)", it.Name, it.Share.English(), e.Share.English())))
		}
	}
	return duplicateItems(e.Items, out)
}

// duplicateItems reports each item whose name an earlier item already
// has. Entries have tens of items, where comparing pairs of names trimmed
// once is faster than building a map; a map takes over for long lists.
func duplicateItems(items []DataItem, out []govshare.Finding) []govshare.Finding {
	report := func(i, first int, name string) {
		out = append(out, finding(CodeDuplicateItem, govshare.Error, itemPath(i)+".name", govshare.Rule("R6"),
			fmt.Sprintf("数据项名称“%s”与第%d个数据项重复", name, first+1),
			fmt.Sprintf("data item name %q repeats item %d", name, first+1)))
	}
	if len(items) <= 32 {
		var buf [32]string
		names := buf[:len(items)]
		for i := range items {
			names[i] = trimName(items[i].Name)
		}
		for i := 1; i < len(names); i++ {
			if names[i] == "" {
				continue
			}
			for j := 0; j < i; j++ {
				if names[j] == names[i] {
					report(i, j, names[i])
					break
				}
			}
		}
		return out
	}
	seen := make(map[string]int, len(items))
	for i := range items {
		name := trimName(items[i].Name)
		if name == "" {
			continue
		}
		if j, dup := seen[name]; dup {
			report(i, j, name)
			continue
		}
		seen[name] = i
	}
	return out
}

// trimName is textcode.Trim with a fast path for the usual name, which
// neither starts nor ends with a space.
func trimName(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if s == "" || !strings.ContainsRune(trimmed, first) && !strings.ContainsRune(trimmed, last) {
		return s
	}
	return textcode.Trim(s)
}

// trimmed are the characters textcode.Trim removes.
const trimmed = " \t\r\n\u3000\u00a0"
