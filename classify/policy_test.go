package classify_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update is the one golden-file flag of govshare's packages (docs/api.md):
// go test ./classify -run PolicyJSONRoundTrip -update rewrites the files in testdata.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// subject returns a subject that breaks no rule of NationalDefault:
// general data, level 3, shared under conditions through an interface,
// with every item's kind declared.
func subject() classify.Subject {
	return classify.Subject{
		Classification: classify.Classification{Category: "social_security/person/basic", Grade: classify.General3},
		Share:          govshare.Conditional,
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Items: []classify.Item{
			{Name: "姓名", Column: "xm", Kind: classify.Name},
			{Name: "身份证号码", Column: "sfzh", Kind: classify.IDCard},
			{Name: "参保状态", Column: "cbzt"},
		},
	}
}

func TestNationalDefaultRules(t *testing.T) {
	p := classify.NationalDefault()
	assert.Equal(t, "national_default", p.Name())
	var ids []string
	for _, r := range p.Rules() {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"core_unconditional", "core_needs_basis", "important_unconditional", "sensitive_unconditional",
		"sensitive_min_grade", "download_above_grade", "undeclared_kind"}, ids)

	law := map[string]bool{"core_unconditional": true, "important_unconditional": true, "sensitive_unconditional": true, "undeclared_kind": true}
	for _, r := range p.Rules() {
		assert.Equal(t, !law[r.ID], r.PolicyDefault(), "%s: law or policy default", r.ID)
		assert.NotZero(t, r.Severity, r.ID)
		assert.NotEmpty(t, r.Citation.String(), r.ID)
		def, ok := classify.RuleDefaults(r.ID)
		require.True(t, ok)
		assert.Equal(t, def, r)
	}
	grade := func(id string) classify.Grade {
		r, _ := classify.RuleDefaults(id)
		return r.Grade
	}
	assert.Equal(t, classify.General3, grade(classify.RuleSensitiveMinGrade))
	assert.Equal(t, classify.General2, grade(classify.RuleDownloadAboveGrade))
	assert.Equal(t, classify.General2, grade(classify.RulePersonalMinGrade))
	assert.Zero(t, grade(classify.RuleCoreUnconditional))
	_, ok := classify.RuleDefaults("nope")
	assert.False(t, ok)

	// Each call is a new policy: changing one leaves the other alone.
	rules := classify.NationalDefault().Rules()
	rules[0].Severity = govshare.Info
	assert.Equal(t, govshare.Error, classify.NationalDefault().Rules()[0].Severity)
}

// Every rule, triggered and not triggered.
func TestPolicyRules(t *testing.T) {
	all := make([]classify.Rule, 0, len(classify.RuleIDs()))
	for _, id := range classify.RuleIDs() {
		all = append(all, classify.Rule{ID: id})
	}
	p, err := classify.NewPolicy(classify.WithRules(all...))
	require.NoError(t, err)
	require.Empty(t, p.Check(subject()), "the base subject is clean")

	tests := []struct {
		rule    string
		trigger func(*classify.Subject)
		path    string
		message string
		clean   func(*classify.Subject) // a near case that must not trigger
	}{
		{classify.RuleCoreUnconditional, func(s *classify.Subject) {
			s.Classification.Grade, s.Share, s.LegalBasis = classify.Core, govshare.Unconditional, "某法第十条"
		}, "share", "核心数据不得无条件共享", func(s *classify.Subject) {
			s.Classification.Grade, s.Share, s.LegalBasis = classify.Core, govshare.Conditional, "某法第十条"
		}},
		{classify.RuleCoreNeedsBasis, func(s *classify.Subject) {
			s.Classification.Grade = classify.Core
		}, "legal_basis", "须记录法律依据", func(s *classify.Subject) {
			s.Classification.Grade, s.Share, s.LegalBasis = classify.Core, govshare.NotShared, ""
		}},
		{classify.RuleImportantUnconditional, func(s *classify.Subject) {
			s.Classification.Grade, s.Share = classify.Important, govshare.Unconditional
			s.Items = s.Items[2:]
		}, "share", "重要数据不得无条件共享", func(s *classify.Subject) {
			s.Classification.Grade = classify.Important
		}},
		{classify.RuleSensitiveUnconditional, func(s *classify.Subject) {
			s.Share = govshare.Unconditional
			s.Classification.Grade = classify.General3
		}, "items[1].share", "“身份证号码”含敏感个人信息（身份证号）", func(s *classify.Subject) {
			s.Share = govshare.Unconditional
			s.Items[1].Share = govshare.Conditional // the item itself is stricter
		}},
		{classify.RuleSensitiveMinGrade, func(s *classify.Subject) {
			s.Classification.Grade = classify.General2
		}, "classification.grade", "含敏感个人信息（items[1] 身份证号）的目录应至少定为一般数据3级，现为一般数据2级", func(s *classify.Subject) {
			s.Classification.Grade = classify.General2
			s.Items = s.Items[:1] // a name is personal, not sensitive
		}},
		{classify.RulePersonalMinGrade, func(s *classify.Subject) {
			s.Classification.Grade = classify.General1
			s.Items = s.Items[:1]
		}, "classification.grade", "含个人信息（items[0] 姓名）的目录应至少定为一般数据2级，现为一般数据1级", func(s *classify.Subject) {
			s.Classification.Grade = classify.General1
			s.Items = s.Items[2:]
		}},
		{classify.RuleDownloadAboveGrade, func(s *classify.Subject) {
			s.Methods = append(s.Methods, govshare.FileDownload)
		}, "methods[1]", "一般数据3级不提供文件下载（文件下载限于一般数据2级及以下）", func(s *classify.Subject) {
			s.Methods = append(s.Methods, govshare.FileDownload)
			s.Classification.Grade = classify.General2
			s.Items = s.Items[:1]
		}},
		{classify.RuleUndeclaredKind, func(s *classify.Subject) {
			s.Items = append(s.Items, classify.Item{Path: "items[9]", Name: "备注", Samples: []string{"13812345678", "13912345678"}})
		}, "items[9].kind", "数据项“备注”疑似含手机号码", func(s *classify.Subject) {
			s.Items = append(s.Items, classify.Item{Name: "备注", Samples: []string{"请于三日内补正材料"}})
		}},
		{classify.RuleGradeMissing, func(s *classify.Subject) {
			s.Classification.Grade = 0
		}, "classification.grade", "目录未标明数据分级", func(s *classify.Subject) {
			s.Classification.Grade = classify.General
			s.Items = s.Items[2:]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			single, err := classify.NewPolicy(classify.WithRules(classify.Rule{ID: tt.rule}))
			require.NoError(t, err)
			def, _ := classify.RuleDefaults(tt.rule)

			s := subject()
			tt.trigger(&s)
			got := single.Check(s)
			require.Len(t, got, 1, "%v", got)
			f := got[0]
			assert.Equal(t, "classify."+tt.rule, f.Code)
			assert.Equal(t, tt.path, f.Path)
			assert.Contains(t, f.Message, tt.message)
			assert.NotEmpty(t, f.MessageEN)
			assert.Equal(t, def.Severity, f.Severity)
			assert.Equal(t, def.Citation, f.Citation)

			s = subject()
			tt.clean(&s)
			assert.Empty(t, single.Check(s), "near case")
		})
	}
}

func TestPolicyCheckOrderAndSeverity(t *testing.T) {
	s := subject()
	s.Classification.Grade = classify.Core
	s.Share = govshare.Unconditional
	s.Methods = []govshare.ShareMethod{govshare.FileDownload}
	s.Items = append(s.Items, classify.Item{Name: "联系电话", Column: "lxdh"}) // undeclared
	got := classify.NationalDefault().Check(s)
	var codes []string
	for _, f := range got {
		codes = append(codes, f.Code)
	}
	assert.Equal(t, []string{"classify.core_unconditional", "classify.core_needs_basis", "classify.sensitive_unconditional",
		"classify.download_above_grade", "classify.undeclared_kind"}, codes, "in rule order")
	assert.True(t, govshare.HasError(got))
	assert.Equal(t, govshare.Warning, got[len(got)-1].Severity)
	assert.Equal(t, "items[3].kind", got[len(got)-1].Path)

	var nilPolicy *classify.Policy
	assert.Nil(t, nilPolicy.Check(s))
	assert.Nil(t, classify.NationalDefault().Check(subject()))
}

func TestPolicyWithBase(t *testing.T) {
	p := classify.NationalDefault()
	q, err := classify.NewPolicy(classify.WithBase(p), classify.WithRules(
		classify.Rule{ID: classify.RuleDownloadAboveGrade, Grade: classify.General3, Severity: govshare.Warning},
		classify.Rule{ID: classify.RuleGradeMissing},
	))
	require.NoError(t, err)
	rules := q.Rules()
	require.Len(t, rules, 8)
	assert.Equal(t, classify.RuleDownloadAboveGrade, rules[5].ID, "replaced in place")
	assert.Equal(t, classify.General3, rules[5].Grade)
	assert.Equal(t, govshare.Warning, rules[5].Severity)
	assert.Equal(t, classify.RuleGradeMissing, rules[7].ID, "appended")
	assert.Equal(t, "national_default", q.Name())

	s := subject()
	s.Methods = []govshare.ShareMethod{govshare.FileDownload}
	assert.Len(t, p.Check(s), 1, "the original is unchanged: 一般数据3级 is above its threshold")
	assert.Empty(t, q.Check(s), "一般数据3级 may be downloaded under the raised threshold")
	s.Classification.Grade = classify.General4
	assert.Len(t, q.Check(s), 1)

	_, err = classify.NewPolicy(classify.WithBase(p), classify.WithRules(classify.Rule{ID: "nope"}))
	assert.ErrorIs(t, err, classify.ErrUnknownRule)
}

func TestNewPolicyErrors(t *testing.T) {
	tests := []struct {
		what    string
		rules   []classify.Rule
		problem error
		index   int
		field   string
	}{
		{"unknown id", []classify.Rule{{ID: classify.RuleCoreUnconditional}, {ID: "core_at_night"}}, classify.ErrUnknownRule, 1, "id"},
		{"empty id", []classify.Rule{{}}, classify.ErrUnknownRule, 0, "id"},
		{"duplicate", []classify.Rule{{ID: classify.RuleUndeclaredKind}, {ID: classify.RuleUndeclaredKind}}, classify.ErrDuplicateRule, 1, "id"},
		{"bad severity", []classify.Rule{{ID: classify.RuleUndeclaredKind, Severity: 9}}, govshare.ErrUnknownValue, 0, "severity"},
		{"bad grade", []classify.Rule{{ID: classify.RuleDownloadAboveGrade, Grade: 99}}, govshare.ErrUnknownValue, 0, "grade"},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			p, err := classify.NewPolicy(classify.WithRules(tt.rules...))
			assert.Nil(t, p)
			require.ErrorIs(t, err, classify.ErrInvalidPolicy)
			assert.ErrorIs(t, err, tt.problem)
			var pe *classify.PolicyError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, tt.index, pe.Index)
			assert.Equal(t, tt.field, pe.Field)
		})
	}
	_, err := classify.NewPolicy(classify.WithRules(classify.Rule{ID: classify.RuleCoreUnconditional, Grade: classify.Core}))
	require.ErrorIs(t, err, classify.ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "rule 0 (core_unconditional): grade: rule core_unconditional takes no grade")

	p, err := classify.NewPolicy()
	require.NoError(t, err)
	assert.Empty(t, p.Check(subject()))
}

func TestLoadPolicy(t *testing.T) {
	f, err := os.Open("testdata/policy/province.json")
	require.NoError(t, err)
	defer f.Close()
	p, err := classify.LoadPolicy(f)
	require.NoError(t, err)
	assert.Equal(t, "某省公共数据分级保护策略（示例）", p.Name())
	rules := p.Rules()
	require.Len(t, rules, 7)
	assert.Equal(t, classify.General4, rules[3].Grade)
	assert.Equal(t, govshare.Warning, rules[4].Severity)
	assert.Equal(t, classify.General3, rules[5].Grade)
	assert.Equal(t, govshare.Error, rules[6].Severity)
	assert.Equal(t, govshare.Citation{Source: "某省公共数据管理办法 第十二条"}, rules[6].Citation, "the host's own citation: law, not a default")
	assert.False(t, rules[6].PolicyDefault())

	s := subject()
	s.Items = append(s.Items, classify.Item{Name: "手机号码"})
	got := p.Check(s)
	require.Len(t, got, 2)
	assert.Equal(t, "classify.sensitive_min_grade", got[0].Code)
	assert.Equal(t, "classify.undeclared_kind", got[1].Code)
	assert.Equal(t, govshare.Error, got[1].Severity)
}

func TestLoadPolicyErrors(t *testing.T) {
	tests := []struct {
		file    string
		problem error
		index   int
		field   string
	}{
		{"unknown_rule.json", classify.ErrUnknownRule, 1, "id"},
		{"unknown_grade.json", govshare.ErrUnknownValue, 0, "grade"},
		{"unknown_severity.json", govshare.ErrUnknownValue, 0, "severity"},
		{"duplicate_rule.json", classify.ErrDuplicateRule, 1, "id"},
		{"grade_not_taken.json", nil, 0, "grade"},
		{"unknown_field.json", nil, -1, ""},
		{"truncated.json", nil, -1, ""},
		{"trailing.json", nil, -1, ""},
		{"no_rules.json", nil, -1, "rules"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/policy", tt.file))
			require.NoError(t, err)
			p, err := classify.LoadPolicy(bytes.NewReader(data))
			assert.Nil(t, p)
			require.ErrorIs(t, err, classify.ErrInvalidPolicy)
			if tt.problem != nil {
				assert.ErrorIs(t, err, tt.problem)
			}
			var pe *classify.PolicyError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, tt.index, pe.Index)
			assert.Equal(t, tt.field, pe.Field)
		})
	}
	// An unknown grade names itself.
	_, err := classify.LoadPolicy(strings.NewReader(`{"rules":[{"id":"sensitive_min_grade","grade":"L9"}]}`))
	var uv *govshare.UnknownValueError
	require.True(t, errors.As(err, &uv))
	assert.Equal(t, "L9", uv.Value)
	_, err = classify.LoadPolicy(errReader{})
	assert.ErrorIs(t, err, classify.ErrInvalidPolicy)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// The national profile written out is the golden file, and reads back as
// the same policy.
func TestPolicyJSONRoundTrip(t *testing.T) {
	b, err := json.MarshalIndent(classify.NationalDefault(), "", "  ")
	require.NoError(t, err)
	golden := "testdata/policy/national_default.golden.json"
	if *update {
		require.NoError(t, os.WriteFile(golden, append(b, '\n'), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(b)+"\n")

	back, err := classify.LoadPolicy(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, classify.NationalDefault().Rules(), back.Rules())
	assert.Equal(t, "national_default", back.Name())
}

// An item whose name says with high confidence that it holds sensitive
// personal information gets the same errors under the national profile
// whether the entry declares the kind or not; the undeclared one also
// gets the warning that asks for the declaration. A name that could mean
// something else (证件号码) gives only the warning.
func TestUndeclaredSensitiveItemCountsAsDeclared(t *testing.T) {
	base := func(it classify.Item) classify.Subject {
		return classify.Subject{
			Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General2},
			Share:          govshare.Unconditional,
			Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
			Items:          []classify.Item{{Name: "参保状态"}, it},
		}
	}
	type got struct {
		code, path string
		sev        govshare.Severity
	}
	check := func(s classify.Subject) []got {
		var out []got
		for _, f := range classify.NationalDefault().Check(s) {
			out = append(out, got{f.Code, f.Path, f.Severity})
		}
		return out
	}
	errs := []got{
		{"classify.sensitive_unconditional", "items[1].share", govshare.Error},
		{"classify.sensitive_min_grade", "classification.grade", govshare.Error},
	}
	assert.Equal(t, errs, check(base(classify.Item{Name: "身份证号码", Kind: classify.IDCard})), "declared")

	for _, it := range []classify.Item{
		{Name: "身份证号码"},
		{Name: "申请人公民身份号码"},
		{Name: "号码", Column: "sqr_sfzh"},                                             // by the column name
		{Name: "字段3", Samples: []string{"11010519491231002X", "440524188001010014"}}, // by valid values
	} {
		want := append(append([]got(nil), errs...), got{"classify.undeclared_kind", "items[1].kind", govshare.Warning})
		assert.Equal(t, want, check(base(it)), "undeclared %+v", it)
	}
	fs := classify.NationalDefault().Check(base(classify.Item{Name: "身份证号码"}))
	assert.Equal(t, "数据项“身份证号码”含敏感个人信息（身份证号，未声明个人信息类别，名称含“身份证号码”），不得无条件共享", fs[0].Message)
	assert.Contains(t, fs[0].MessageEN, "identity card number, not declared, recognised by: name contains")

	// Names of lower confidence are only a warning.
	for _, name := range []string{"证件号码", "身份号码"} {
		s := classify.Detect(name)
		require.Equal(t, classify.IDCard, s.Kind, name)
		assert.False(t, s.Sure(), name)
		assert.Equal(t, []got{{"classify.undeclared_kind", "items[1].kind", govshare.Warning}},
			check(base(classify.Item{Name: name})), name)
	}
	// A declared kind is never second-guessed by detection: an item declared
	// as a name stays a name.
	assert.NotContains(t, check(base(classify.Item{Name: "身份证号码", Kind: classify.Name})),
		got{"classify.sensitive_unconditional", "items[1].share", govshare.Error})
	assert.True(t, classify.Detect("身份证号码").Sure())
	assert.False(t, classify.Detect("参保状态").Sure())
}
