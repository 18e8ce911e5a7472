package catalog

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// The fixtures' check characters, worked out by hand from GB 32100-2015
// (character values 0–9, A=10 … Y=30 without I O S V Z; weights 3^(i-1)
// mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; check = 31 −
// sum mod 31).
func TestFixtureCreditCodes(t *testing.T) {
	cases := []struct {
		code string
		why  string
	}{
		// 1 1 3 3 0 1 0 0 0 0 2 4 8 2 1 0 1:
		// 1+3+27+81+0+26+0+0+0+0+50+52+64+48+10+0+28 = 390; 390 mod 31 = 18; 31−18 = 13 → D.
		{policeCode, "sum 390"},
		// 1 1 3 3 0 1 0 0 M=21 B=11 1 2 3 4 5 6 7:
		// 1+3+27+81+0+26+0+0+420+319+25+26+24+96+50+180+196 = 1474; 1474 mod 31 = 17; 31−17 = 14 → E.
		{healthCode, "sum 1474"},
	}
	for _, c := range cases {
		got, err := govshare.CreditCodeCheck(c.code[:17])
		require.NoError(t, err, c.why)
		assert.Equal(t, c.code[17], got, c.why)
		assert.Empty(t, Validate(withProvider(c.code)), c.why)
	}
	// One character off, the check fails and the message names the right one.
	bad := policeCode[:17] + "E"
	fs := Validate(withProvider(bad))
	require.Len(t, fs, 1)
	assert.Equal(t, CodeInvalidCreditCode, fs[0].Code)
	assert.Equal(t, "provider.credit_code", fs[0].Path)
	assert.Contains(t, fs[0].Message, "校验码应为D")
	// An early pilot code that fails the check is legal when allowed.
	assert.Empty(t, Validate(withProvider(bad), WithAllowedCreditCodes(bad)))
}

func withProvider(code string) Entry {
	e := validEntry()
	e.Provider.CreditCode = code
	return e
}

func TestValidEntries(t *testing.T) {
	assert.Empty(t, Validate(validEntry()))
	for _, e := range corpus(12, 5) {
		assert.Empty(t, Validate(e), e.ID)
	}
}

// codeCase triggers one finding code and has a near miss that does not.
type codeCase struct {
	name     string
	code     string
	path     string
	severity govshare.Severity
	trigger  func(*Entry)
	nearMiss func(*Entry)
}

var validationCases = []codeCase{
	{"名称为空", CodeRequired, "name", govshare.Error,
		func(e *Entry) { e.Name = "" }, func(e *Entry) { e.Name = "人" }},
	{"数据项名称为空", CodeRequired, "items[1].name", govshare.Error,
		func(e *Entry) { e.Items[1].Name = "" }, func(e *Entry) { e.Items[1].Name = "号码" }},
	{"未定级", CodeRequired, "classification.grade", govshare.Error,
		func(e *Entry) { e.Classification.Grade = 0 }, func(e *Entry) { e.Classification.Grade = classify.General }},
	{"未填共享属性", CodeRequired, "share", govshare.Error,
		func(e *Entry) { e.Share = 0 }, func(e *Entry) { e.Share = govshare.Conditional }},
	{"名称过长", CodeTooLong, "name", govshare.Error,
		func(e *Entry) { e.Name = strings.Repeat("名", 201) }, func(e *Entry) { e.Name = strings.Repeat("名", 200) }},
	{"长度为负", CodeOutOfRange, "items[2].length", govshare.Error,
		func(e *Entry) { e.Items[2].Length = -1 }, func(e *Entry) { e.Items[2].Length = 0 }},
	{"目录代码不合结构", CodeInvalidID, "id", govshare.Error,
		func(e *Entry) { e.ID = "401001/000001" }, func(e *Entry) { e.ID = "301001/000001" }},
	{"目录代码缺顺序码", CodeInvalidID, "id", govshare.Error,
		func(e *Entry) { e.ID = "101001" }, func(e *Entry) { e.ID = "101001001/1" }},
	{"信用代码校验码错", CodeInvalidCreditCode, "provider.credit_code", govshare.Error,
		func(e *Entry) { e.Provider.CreditCode = healthCode[:17] + "D" }, func(e *Entry) { e.Provider.CreditCode = healthCode }},
	{"区划代码不存在的省", CodeInvalidRegionCode, "provider.region_code", govshare.Error,
		func(e *Entry) { e.Provider.RegionCode = "990100" }, func(e *Entry) { e.Provider.RegionCode = "650100" }},
	{"未定义的共享属性", CodeUnknownValue, "share", govshare.Error,
		func(e *Entry) { e.Share = 4 }, func(e *Entry) { e.Share = govshare.Conditional }},
	{"未注册的共享方式", CodeUnknownValue, "methods[1]", govshare.Error,
		func(e *Entry) { e.Methods[1] = "carrier_pigeon" }, func(e *Entry) { e.Methods[1] = govshare.FileDownload }},
	{"未定义的个人信息类别", CodeUnknownValue, "items[0].kind", govshare.Error,
		func(e *Entry) { e.Items[0].Kind = 99 }, func(e *Entry) { e.Items[0].Kind = classify.Minor }},
	{"未定义的分级", CodeUnknownValue, "classification.grade", govshare.Error,
		func(e *Entry) { e.Classification.Grade = 15 }, func(e *Entry) { e.Classification.Grade = classify.General4 }},
	{"未定义的状态", CodeUnknownValue, "status", govshare.Error,
		func(e *Entry) { e.Status = 9 }, func(e *Entry) { e.Status = Withdrawn }},
	{"未定义的数据类型", CodeUnknownValue, "items[2].type", govshare.Error,
		func(e *Entry) { e.Items[2].Type = 8 }, func(e *Entry) { e.Items[2].Type = TypeBinary }},
	{"未登记的分类", CodeUnknownCategory, "classification.category", govshare.Error,
		func(e *Entry) { e.Classification.Category = "public_security/alien" },
		func(e *Entry) { e.Classification.Category = "public_security/organization" }},
	{"没有数据项", CodeNoItems, "items", govshare.Error,
		func(e *Entry) { e.Items = nil }, func(e *Entry) { e.Items = e.Items[:1] }},
	{"有条件共享无使用条件", CodeConditionsMissing, "conditions", govshare.Error,
		func(e *Entry) { e.Conditions = " \u3000" }, func(e *Entry) { e.Conditions = "限于审批" }},
	{"无条件共享附加条件", CodeConditionsUnexpected, "conditions", govshare.Warning,
		func(e *Entry) { e.Share = govshare.Unconditional; e.Items[1].Share = 0 },
		func(e *Entry) { e.Share = govshare.Unconditional; e.Items[1].Share = 0; e.Conditions = "" }},
	{"不予共享无依据", CodeLegalBasisMissing, "legal_basis", govshare.Error,
		func(e *Entry) { notShared(e); e.LegalBasis = "" }, notShared},
	{"不予共享却有共享方式", CodeMethodsNotShared, "methods", govshare.Error,
		func(e *Entry) { notShared(e); e.Methods = []govshare.ShareMethod{govshare.FileDownload} }, notShared},
	{"共享却无共享方式", CodeMethodMissing, "methods", govshare.Error,
		func(e *Entry) { e.Methods = nil }, func(e *Entry) { e.Methods = e.Methods[:1] }},
	{"数据项宽于目录", CodeItemLooser, "items[0].share", govshare.Error,
		func(e *Entry) { e.Items[0].Share = govshare.Unconditional }, func(e *Entry) { e.Items[0].Share = govshare.Conditional }},
	{"数据项名称重复", CodeDuplicateItem, "items[2].name", govshare.Error,
		func(e *Entry) { e.Items[2].Name = " 姓名" }, func(e *Entry) { e.Items[2].Name = "姓名2" }},
	{"信息资源分类不是分类码", CodeInvalidResourceClass, "resource_class", govshare.Error,
		func(e *Entry) { e.ResourceClass = "401001" }, func(e *Entry) { e.ResourceClass = "101001" }},
	{"信息资源分类与目录代码不一致", CodeResourceClassMismatch, "resource_class", govshare.Error,
		func(e *Entry) { e.ResourceClass = "102001" }, func(e *Entry) { e.ResourceClass = "101001" }},
	{"提供方代码不是提供单位的", CodeInvalidProviderCode, "provider_code", govshare.Error,
		func(e *Entry) { e.ProviderCode = healthCode }, func(e *Entry) { e.ProviderCode = policeCode }},
	{"关联资源代码是自己", CodeInvalidRelated, "related[1]", govshare.Error,
		func(e *Entry) { e.Related = []string{"101001/000002", e.ID} }, func(e *Entry) { e.Related = []string{"101001/000002", "101001/000003"} }},
	{"发布日期不存在", CodeInvalidDate, "release_date", govshare.Error,
		func(e *Entry) { e.ReleaseDate = Date{2026, 2, 29} }, func(e *Entry) { e.ReleaseDate = Date{2024, 2, 29} }},
	{"名称含空字符", CodeControlChar, "name", govshare.Error,
		func(e *Entry) { e.Name = "户籍\x00人口" }, func(e *Entry) { e.Name = "户籍\u3000人口" }},
	{"说明含换行以外的控制字符", CodeControlChar, "items[1].description", govshare.Error,
		func(e *Entry) { e.Items[1].Description = "18位\n\x1b[31m" }, func(e *Entry) { e.Items[1].Description = "18位\r\n\t含校验码" }},
	{"数据项名称含换行", CodeControlChar, "items[0].name", govshare.Error,
		func(e *Entry) { e.Items[0].Name = "姓\n名" }, func(e *Entry) { e.Items[0].Name = "姓 名" }},
	{"名称不是UTF-8", CodeInvalidUTF8, "provider.name", govshare.Error,
		func(e *Entry) { e.Provider.Name = "\xba\xbc\xd6\xdd" }, func(e *Entry) { e.Provider.Name = "杭州" }},
}

func notShared(e *Entry) {
	e.Share = govshare.NotShared
	e.Conditions = ""
	e.LegalBasis = "《中华人民共和国反恐怖主义法》第四十八条"
	e.Methods = nil
	for i := range e.Items {
		e.Items[i].Share = 0
	}
}

func TestFindingCodes(t *testing.T) {
	for _, c := range validationCases {
		t.Run(c.name, func(t *testing.T) {
			hit := validEntry()
			c.trigger(&hit)
			f, ok := findCode(Validate(hit), c.code, c.path)
			require.True(t, ok, "want %s at %s, got %v", c.code, c.path, Validate(hit))
			assert.Equal(t, c.severity, f.Severity)
			assert.NotEmpty(t, f.Message)
			assert.NotEmpty(t, f.MessageEN)
			assert.NotEqual(t, govshare.Citation{}, f.Citation)

			miss := validEntry()
			c.nearMiss(&miss)
			for _, f := range Validate(miss) {
				assert.NotEqual(t, c.code, f.Code, "near miss triggered %v", f)
			}
		})
	}
}

func findCode(fs []govshare.Finding, code, path string) (govshare.Finding, bool) {
	for _, f := range fs {
		if f.Code == code && f.Path == path {
			return f, true
		}
	}
	return govshare.Finding{}, false
}

func TestCitations(t *testing.T) {
	cases := []struct {
		trigger func(*Entry)
		code    string
		rule    string
	}{
		{func(e *Entry) { e.Conditions = "" }, CodeConditionsMissing, "R7"},
		{func(e *Entry) { e.Methods = nil }, CodeMethodMissing, "R13"},
		{func(e *Entry) { e.Items = nil }, CodeNoItems, "R6"},
		{func(e *Entry) { e.Level = 0 }, CodeRequired, "R5"},
	}
	for _, c := range cases {
		e := validEntry()
		c.trigger(&e)
		fs := Validate(e)
		require.Len(t, fs, 1, c.code)
		assert.Equal(t, c.code, fs[0].Code)
		assert.Equal(t, c.rule, fs[0].Citation.Rule)
		assert.Contains(t, fs[0].Citation.Source, "政务数据共享条例")
	}
	// The 目录代码 layout is a policy default, and says so.
	e := validEntry()
	e.ID = "x"
	fs := Validate(e)
	require.Len(t, fs, 1)
	assert.True(t, fs[0].Citation.PolicyDefault)
}

// testPolicy stands in for classify's policies: it flags sensitive
// personal information offered for file download.
type testPolicy struct{ seen *classify.Subject }

func (p testPolicy) Check(s classify.Subject) []govshare.Finding {
	*p.seen = s
	var out []govshare.Finding
	for _, it := range s.Items {
		if it.Kind.Sensitive() && it.Share != govshare.NotShared {
			for _, m := range s.Methods {
				if m == govshare.FileDownload {
					out = append(out, govshare.Finding{Code: "test.sensitive_download", Severity: govshare.Error,
						Path: it.Path + ".kind", Message: "敏感个人信息不得以文件下载方式共享", MessageEN: "no file download of sensitive data",
						Citation: govshare.PolicyDefault("test")})
				}
			}
		}
	}
	return out
}

func TestPolicyFindingsFlowThrough(t *testing.T) {
	var seen classify.Subject
	p := testPolicy{seen: &seen}
	e := validEntry()
	e.Items[1].Share = 0 // the identity-card number is now shared like the entry
	e.Methods = []govshare.ShareMethod{govshare.FileDownload}

	fs := Validate(e, WithPolicy(p))
	require.Len(t, fs, 1)
	assert.Equal(t, "test.sensitive_download", fs[0].Code)
	assert.Equal(t, "items[1].kind", fs[0].Path)

	// The subject is the entry's, with paths for each item.
	assert.Equal(t, e.Classification, seen.Classification)
	assert.Equal(t, govshare.Conditional, seen.Share)
	require.Len(t, seen.Items, 3)
	assert.Equal(t, classify.Item{Path: "items[1]", Name: "公民身份号码", Column: "gmsfhm", Kind: classify.IDCard}, seen.Items[1])

	// Without the policy, or with the item kept back, nothing is found.
	assert.Empty(t, Validate(e))
	e.Items[1].Share = govshare.NotShared
	assert.Empty(t, Validate(e, WithPolicy(p)))
}

func TestOptions(t *testing.T) {
	e := validEntry()
	e.ID = "GA-2026-0001"
	_, ok := findCode(Validate(e), CodeInvalidID, "id")
	assert.True(t, ok)
	assert.Empty(t, Validate(e, WithIDPattern(regexp.MustCompile(`^[A-Z]{2}-\d{4}-\d{4}$`))))

	r := classify.NewRegistry()
	require.NoError(t, r.Register("public_security/household", "户政", "household registration"))
	e = validEntry()
	e.Classification.Category = "public_security/household/person"
	_, ok = findCode(Validate(e), CodeUnknownCategory, "classification.category")
	assert.True(t, ok)
	assert.Empty(t, Validate(e, WithRegistry(r)))
	// Nil options leave the defaults.
	assert.Empty(t, Validate(validEntry(), WithIDPattern(nil), WithRegistry(nil), nil))
}

func TestValidateNeverPanics(t *testing.T) {
	entries := []Entry{
		{},
		{Items: make([]DataItem, 40)},
		{ID: strings.Repeat("1", 10000), Share: 255, Level: 255, Format: 255, Frequency: 255, Open: 255, Status: 255,
			Provider:       govshare.Department{CreditCode: "\xff\xfe", RegionCode: "中华人民", Level: 255},
			Methods:        []govshare.ShareMethod{"", "\x00"},
			Classification: classify.Classification{Category: "//", Grade: 255},
			Items:          []DataItem{{Name: "\xff", Share: 255, Kind: 255, Type: 255, Length: -1 << 62}}},
	}
	for _, e := range entries {
		assert.NotPanics(t, func() { Validate(e) })
		assert.True(t, govshare.HasError(Validate(e)))
	}
	// Forty unnamed items are each reported once, and long lists use the
	// map path for duplicates.
	e := validEntry()
	e.Items = nil
	for i := 0; i < 40; i++ {
		e.Items = append(e.Items, DataItem{Name: "同名"})
	}
	n := 0
	for _, f := range Validate(e) {
		if f.Code == CodeDuplicateItem {
			n++
		}
	}
	assert.Equal(t, 39, n)
}

func TestEnumerationText(t *testing.T) {
	cases := []struct {
		v    enumPtr
		text string
		zh   string
	}{
		{new(Level), "regional", "地方目录"},
		{new(Format), "spreadsheet", "电子表格"},
		{new(Frequency), "half_yearly", "每半年"},
		{new(OpenAttribute), "not_open", "不予开放"},
		{new(Status), "withdrawn", "已撤销"},
		{new(DataType), "datetime", "日期时间型"},
	}
	for _, c := range cases {
		require.NoError(t, c.v.UnmarshalText([]byte(c.zh)))
		b, err := c.v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, c.text, string(b))
		assert.Equal(t, c.zh, c.v.String())
		err = c.v.UnmarshalText([]byte("无此值"))
		assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	}
	assert.Equal(t, "Format(9)", Format(9).String())
	_, err := Format(9).MarshalText()
	var uv *govshare.UnknownValueError
	require.ErrorAs(t, err, &uv)
	assert.Equal(t, "9", uv.Value)
	assert.Equal(t, "未填写", Frequency(0).String())
	assert.Equal(t, "quarterly", func() string { b, _ := Quarterly.MarshalText(); return string(b) }())
	assert.Equal(t, "departmental catalog", Departmental.English())
}

// A clerk types Chinese terms: a message about an unknown value lists them
// first, then the codes; the English message lists the codes. Wherever
// the value comes from — code, a spreadsheet cell, a JSON member — the
// terms are those of the field.
func TestUnknownValueListsChineseTerms(t *testing.T) {
	e := validEntry()
	e.Frequency = 42
	f, ok := findCode(Validate(e), CodeUnknownValue, "frequency")
	require.True(t, ok)
	assert.Equal(t, `数据更新频率的值"42"无法识别，可填写：实时、每日、每周、每月、每季度、每半年、每年、不定期`+
		`（或代码 realtime、daily、weekly、monthly、quarterly、half_yearly、yearly、irregular）`, f.Message)
	assert.Equal(t, `update frequency: unknown value "42" (accepted: realtime, daily, weekly, monthly, quarterly, half_yearly, yearly, irregular)`, f.MessageEN)

	// A host's own method is listed by its term when Validate knows the
	// registry.
	methods := govshare.NewMethods()
	_, err := methods.Register("data_sandbox", "数据沙箱", "data sandbox")
	require.NoError(t, err)
	e = validEntry()
	e.Methods = []govshare.ShareMethod{"carrier_pigeon"}
	f, ok = findCode(Validate(e, WithMethods(methods)), CodeUnknownValue, "methods[0]")
	require.True(t, ok)
	assert.Contains(t, f.Message, "可填写：服务接口、批量交换、文件下载、数据沙箱（或代码 service_api、batch_exchange、file_download、data_sandbox）")

	// Every enumeration field has its terms.
	for key, want := range map[string]string{
		"level":                "国家目录、地方目录、部门目录",
		"provider.level":       "国家级",
		"format":               "库表、文件",
		"share":                "无条件共享、有条件共享、不予共享",
		"items.share":          "无条件共享、有条件共享、不予共享",
		"open":                 "无条件开放、有条件开放、不予开放",
		"status":               "草稿、已发布、已撤销",
		"classification.grade": "一般数据、一般数据1级",
		"items.type":           "字符型、整数型",
		"items.kind":           "非个人信息、姓名、身份证号",
	} {
		f := unknownValueAt(key, key, "x", []string{"code"})
		assert.Contains(t, f.Message, "可填写："+want, key)
	}

	// From a JSON file.
	doc := `{"entries": [{"id": "101001/000001", "items": [{"name": "姓名", "kind": "指纹"}]}]}`
	_, findings, err := ImportJSON(context.Background(), strings.NewReader(doc))
	require.NoError(t, err)
	f, ok = findCode(findings, CodeUnknownValue, "entries[0].items[0].kind")
	require.True(t, ok, "%v", findings)
	assert.Contains(t, f.Message, `个人信息类别的值"指纹"无法识别，可填写：非个人信息、姓名、身份证号`)
}

// taggedItem is a DataItem's field rules as validator/v10 tags, which
// DataItem carried before checkItems took them over.
type taggedItem struct {
	Name        string `json:"name" validate:"required,max200"`
	Column      string `json:"column,omitempty" validate:"max128"`
	Length      int    `json:"length,omitempty" validate:"nonneg"`
	Description string `json:"description,omitempty" validate:"max2000"`
}

// taggedItems holds an entry's items for the validator's dive.
type taggedItems struct {
	Items []taggedItem `json:"items" validate:"dive"`
}

func tagged(items []DataItem) taggedItems {
	out := taggedItems{Items: make([]taggedItem, len(items))}
	for i, it := range items {
		out.Items[i] = taggedItem{it.Name, it.Column, it.Length, it.Description}
	}
	return out
}

// checkItems gives the findings the validator's field rules gave when data
// items were validated by its reflective dive, on items around every
// limit.
func TestCheckItemsMatchesValidatorRules(t *testing.T) {
	texts := func(n int) []string {
		return []string{"", "a", strings.Repeat("名", n), strings.Repeat("名", n+1), strings.Repeat("a", n), strings.Repeat("a", n+1),
			strings.Repeat("a", n-1) + "名", strings.Repeat("名", n/2) + strings.Repeat("a", n/2+1)}
	}
	names, columns, descs := texts(200), texts(128), texts(2000)
	var items []DataItem
	for i := 0; i < 400; i++ {
		items = append(items, DataItem{Name: names[i%len(names)], Column: columns[(i/3)%len(columns)],
			Length: []int{0, 5, -1, -1 << 40}[(i/5)%4], Description: descs[(i/7)%len(descs)]})
	}
	old := tagged(items)
	var want []govshare.Finding
	if err := engine().StructCtx(defaultConfig.ctx, &old); err != nil {
		want = defaultConfig.fieldFindings(err, nil)
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, checkItems(items, nil))

	// Placed where the validator put them: after the fields before Items,
	// before those after.
	e := validEntry()
	e.Name, e.Format = "", 0
	e.Items[1].Name = ""
	var at []string
	for _, f := range Validate(e) {
		at = append(at, f.Path)
	}
	assert.Equal(t, []string{"name", "items[1].name", "format"}, at)
}
