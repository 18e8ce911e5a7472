package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Finding codes. They are stable across releases; hosts may switch on them.
const (
	// CodeRequired: a field R5/R6 requires is empty.
	CodeRequired = "catalog.required"
	// CodeTooLong: a text is longer than its limit (policy default).
	CodeTooLong = "catalog.too_long"
	// CodeOutOfRange: a number is outside its range (a negative length).
	CodeOutOfRange = "catalog.out_of_range"
	// CodeInvalidID: the 目录代码 does not match the configured pattern.
	CodeInvalidID = "catalog.invalid_id"
	// CodeInvalidCreditCode: the provider's 统一社会信用代码 is malformed.
	CodeInvalidCreditCode = "catalog.invalid_credit_code"
	// CodeInvalidRegionCode: the provider's 行政区划代码 is malformed.
	CodeInvalidRegionCode = "catalog.invalid_region_code"
	// CodeUnknownValue: an enumeration has a value it does not define.
	CodeUnknownValue = "catalog.unknown_value"
	// CodeUnknownCategory: the 数据分类 is not in the category registry.
	CodeUnknownCategory = "catalog.unknown_category"
	// CodeNoItems: the entry lists no data items (R6).
	CodeNoItems = "catalog.no_items"
	// CodeConditionsMissing: a conditional entry states no conditions (R7).
	CodeConditionsMissing = "catalog.conditions_missing"
	// CodeConditionsUnexpected: an unconditional entry states conditions,
	// which would add conditions beyond its attribute (R7).
	CodeConditionsUnexpected = "catalog.conditions_unexpected"
	// CodeLegalBasisMissing: a not-shared entry states no legal basis (R7).
	CodeLegalBasisMissing = "catalog.legal_basis_missing"
	// CodeMethodsNotShared: a not-shared entry offers share methods (R7, R13).
	CodeMethodsNotShared = "catalog.methods_not_shared"
	// CodeMethodMissing: a shared entry offers no share method (R13).
	CodeMethodMissing = "catalog.method_missing"
	// CodeItemLooser: a data item is shared more freely than its entry (R7).
	CodeItemLooser = "catalog.item_looser"
	// CodeDuplicateItem: two data items of an entry have the same name.
	CodeDuplicateItem = "catalog.duplicate_item"
	// CodeInvalidResourceClass: the 信息资源分类 is not a classification
	// code 类(1–3)+项(2)+目(3)(+细目).
	CodeInvalidResourceClass = "catalog.invalid_resource_class"
	// CodeResourceClassMismatch: the 信息资源分类 differs from the
	// classification code of the 目录代码.
	CodeResourceClassMismatch = "catalog.resource_class_mismatch"
	// CodeInvalidProviderCode: the 信息资源提供方代码 is malformed, is a
	// malformed 统一社会信用代码, or is not the provider's.
	CodeInvalidProviderCode = "catalog.invalid_provider_code"
	// CodeInvalidRelated: a 关联资源代码 is not a 目录代码, is the entry's
	// own, or repeats another.
	CodeInvalidRelated = "catalog.invalid_related"
	// CodeInvalidDate: the 发布日期 is not a calendar date.
	CodeInvalidDate = "catalog.invalid_date"
	// CodeControlChar: a text field holds a control character (NUL, C0,
	// DEL, C1 or a bidirectional control; line breaks and tabs are allowed
	// in the multi-line fields). Policy default.
	CodeControlChar = "catalog.control_character"
	// CodeInvalidUTF8: a text field is not valid UTF-8. Policy default.
	CodeInvalidUTF8 = "catalog.invalid_utf8"

	// CodeSheetMissing: a spreadsheet lacks the 目录 or 数据项 sheet.
	CodeSheetMissing = "catalog.sheet_missing"
	// CodeHeaderMissing: no header row, or a required column is missing.
	CodeHeaderMissing = "catalog.header_missing"
	// CodeHeaderDuplicate: a column header appears twice.
	CodeHeaderDuplicate = "catalog.header_duplicate"
	// CodeHeaderUnknown: a column the template does not have (ignored).
	CodeHeaderUnknown = "catalog.header_unknown"
	// CodeMergedCells: the sheet has merged cells, which hide values from
	// every row but the first.
	CodeMergedCells = "catalog.merged_cells"
	// CodeWrongType: a value of the wrong type (text where a number is
	// expected, a JSON string where an object is).
	CodeWrongType = "catalog.wrong_type"
	// CodeUnknownField: a JSON member the format does not have (ignored).
	CodeUnknownField = "catalog.unknown_field"
	// CodeDuplicateEntry: a 目录代码 appears on two entries of one file.
	CodeDuplicateEntry = "catalog.duplicate_entry"
	// CodeUnknownEntry: a data-item row names a 目录代码 that has no entry.
	CodeUnknownEntry = "catalog.unknown_entry"
	// CodeInconsistentEntry: in a CSV file, two rows of one entry disagree
	// on an entry column.
	CodeInconsistentEntry = "catalog.inconsistent_entry"
	// CodeMalformed: a part of the file that cannot be read as the format
	// says (a broken CSV quote, rows beyond the spreadsheet limit); the
	// rest of the file is read.
	CodeMalformed = "catalog.malformed"
	// CodeNoEntries: the file holds no entry at all.
	CodeNoEntries = "catalog.no_entries"

	// CodeInvalidOption: Validate was given an option it cannot use, and
	// checked nothing.
	CodeInvalidOption = "catalog.invalid_option"
)

// allCodes lists every code above; tests check that each is triggered.
var allCodes = []string{
	CodeRequired, CodeTooLong, CodeOutOfRange, CodeInvalidID, CodeInvalidCreditCode,
	CodeInvalidRegionCode, CodeUnknownValue, CodeUnknownCategory, CodeNoItems,
	CodeConditionsMissing, CodeConditionsUnexpected, CodeLegalBasisMissing,
	CodeMethodsNotShared, CodeMethodMissing, CodeItemLooser, CodeDuplicateItem,
	CodeControlChar, CodeInvalidUTF8, CodeInvalidResourceClass, CodeResourceClassMismatch,
	CodeInvalidProviderCode, CodeInvalidRelated, CodeInvalidDate,
	CodeSheetMissing, CodeHeaderMissing, CodeHeaderDuplicate, CodeHeaderUnknown,
	CodeMergedCells, CodeWrongType, CodeUnknownField, CodeDuplicateEntry,
	CodeUnknownEntry, CodeInconsistentEntry, CodeMalformed, CodeNoEntries,
	CodeInvalidOption,
}

var (
	citeID = govshare.PolicyDefault("政务信息资源目录编制指南（试行）2017 信息资源代码结构")
	// citeLimit is for limits govshare sets itself.
	citeLimit    = govshare.PolicyDefault("govshare 字段长度限制")
	citeTemplate = govshare.PolicyDefault("govshare 政务数据目录模板")
	citeCredit   = govshare.Citation{Source: "GB 32100-2015 法人和其他组织统一社会信用代码编码规则"}
	citeRegion   = govshare.Citation{Source: "GB/T 2260 中华人民共和国行政区划代码"}
	citeGrade    = govshare.Citation{Source: "数据安全法 第二十一条；GB/T 43697-2024"}
	citePI       = govshare.Citation{Source: "个人信息保护法 第二十八条"}
	citeOption   = govshare.PolicyDefault("govshare 目录选项")
)

// fieldInfo names a field of Entry for messages: its Chinese label (the
// spreadsheet header), English label and the rule that requires it.
type fieldInfo struct {
	zh, en string
	cite   govshare.Citation
}

// fields is keyed by the field path without indices ("items.share").
var fields = map[string]fieldInfo{
	"id":                      {"目录代码", "catalog code", citeID},
	"name":                    {"数据目录名称", "catalog name", govshare.Rule("R6")},
	"summary":                 {"摘要", "summary", citeLimit},
	"provider":                {"提供单位", "providing unit", govshare.Rule("R6")},
	"provider.name":           {"提供单位", "providing unit", govshare.Rule("R6")},
	"provider.credit_code":    {"提供单位统一社会信用代码", "unified social credit code", citeCredit},
	"provider.region_code":    {"行政区划代码", "administrative division code", citeRegion},
	"provider.level":          {"提供单位层级", "provider's level", govshare.Rule("R2")},
	"level":                   {"目录层级", "catalog level", govshare.Rule("R5")},
	"items":                   {"数据项", "data items", govshare.Rule("R6")},
	"format":                  {"数据格式", "data format", govshare.Rule("R6")},
	"frequency":               {"数据更新频率", "update frequency", govshare.Rule("R6")},
	"share":                   {"共享属性", "share attribute", govshare.Rule("R7")},
	"conditions":              {"使用条件", "conditions of use", govshare.Rule("R7")},
	"legal_basis":             {"不予共享依据", "legal basis for not sharing", govshare.Rule("R7")},
	"methods":                 {"共享方式", "share method", govshare.Rule("R13")},
	"classification":          {"数据分类分级", "classification and grade", govshare.Rule("R6")},
	"classification.category": {"数据分类", "data category", govshare.Rule("R6")},
	"classification.grade":    {"数据分级", "data grade", citeGrade},
	"open":                    {"开放属性", "open attribute", citeGuide},
	"resource_class":          {"信息资源分类", "resource classification", citeGuide},
	"provider_code":           {"信息资源提供方代码", "provider code", citeGuide},
	"related":                 {"关联资源代码", "related resource code", citeGuide},
	"release_date":            {"发布日期", "release date", citeGuide},
	"status":                  {"状态", "status", govshare.Rule("R5")},
	"version":                 {"版本", "version", citeLimit},
	"items.name":              {"数据项名称", "data item name", govshare.Rule("R6")},
	"items.column":            {"字段名", "column name", citeLimit},
	"items.type":              {"数据类型", "data type", citeLimit},
	"items.length":            {"长度", "length", citeLimit},
	"items.description":       {"说明", "description", citeLimit},
	"items.share":             {"数据项共享属性", "data item share attribute", govshare.Rule("R7")},
	"items.kind":              {"个人信息类别", "personal-information kind", citePI},
}

// fieldKey drops the indices of a path: "items[3].share" → "items.share".
func fieldKey(path string) string {
	if strings.IndexByte(path, '[') < 0 {
		return path
	}
	var b strings.Builder
	skip := false
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '[':
			skip = true
		case c == ']':
			skip = false
		case !skip:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func field(path string) fieldInfo {
	if f, ok := fields[fieldKey(path)]; ok {
		return f
	}
	return fieldInfo{zh: path, en: path, cite: citeLimit}
}

func finding(code string, sev govshare.Severity, path string, cite govshare.Citation, zh, en string) govshare.Finding {
	return govshare.Finding{Code: code, Severity: sev, Path: path, Message: zh, MessageEN: en, Citation: cite}
}

// quote shows a value in a message, cut short so that a huge cell does
// not make a huge message.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func unknownValue(path, value string, accepted []string) govshare.Finding {
	return unknownValueAt(path, path, value, accepted)
}

// unknownValueAt reports an unknown value at path, naming the field of
// fieldPath (they differ when path is inside a file, "entries[2].share").
// The Chinese message lists the Chinese terms a clerk types, then the
// codes; the English one the codes.
func unknownValueAt(path, fieldPath, value string, accepted []string) govshare.Finding {
	return unknownValueTerms(path, fieldPath, value, accepted, fieldTerms(fieldKey(fieldPath), accepted))
}

// unknownValueTerms is unknownValueAt with the Chinese terms given.
func unknownValueTerms(path, fieldPath, value string, accepted, zhTerms []string) govshare.Finding {
	f := field(fieldPath)
	zh := fmt.Sprintf("%s的值%s无法识别，可填写中文名称或代码：%s", f.zh, quote(value), strings.Join(accepted, "、"))
	if len(zhTerms) > 0 {
		zh = fmt.Sprintf("%s的值%s无法识别，可填写：%s（或代码 %s）", f.zh, quote(value), strings.Join(zhTerms, "、"), strings.Join(accepted, "、"))
	}
	return finding(CodeUnknownValue, govshare.Error, path, f.cite, zh,
		fmt.Sprintf("%s: unknown value %s (accepted: %s)", f.en, quote(value), strings.Join(accepted, ", ")))
}

// fieldTerms returns the Chinese terms of the enumeration a field holds,
// by field key, or nil for a field that is not an enumeration. The terms
// of share methods are those of the codes accepted: a registry's own
// methods are listed by code, since only the registry knows their terms
// and Validate passes them itself (see checkValues).
func fieldTerms(key string, accepted []string) []string {
	switch key {
	case "level":
		return levels.Terms()
	case "provider.level":
		var out []string
		for l := govshare.Level(1); l.Valid(); l++ {
			out = append(out, l.String())
		}
		return out
	case "format":
		return formats.Terms()
	case "frequency":
		return frequencies.Terms()
	case "share", "items.share":
		return terms(govshare.ShareAttributes())
	case "open":
		return openAttributes.Terms()
	case "status":
		return statuses.Terms()
	case "classification.grade":
		return terms(classify.Grades())
	case "items.type":
		return dataTypes.Terms()
	case "items.kind":
		return terms(classify.Kinds())
	case "methods":
		out := make([]string, len(accepted))
		for i, code := range accepted {
			out[i] = govshare.ShareMethod(code).String()
		}
		return out
	}
	return nil
}
