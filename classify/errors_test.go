package classify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Every error of the package maps to the one root kind, and so to the one
// HTTP status, that the table in doc.go gives it, and has a Chinese and an
// English message.
func TestErrorKinds(t *testing.T) {
	r := classify.NewRegistry()
	_, unknownCategory := r.Parse("社会保障/外星人")
	invalidCategory := r.Register("Health2", "大写", "")
	duplicateCategory := r.Register("health", "卫生健康", "health")
	_, unknownRule := classify.NewPolicy(classify.WithRules(classify.Rule{ID: "core_never"}))
	_, duplicateRule := classify.NewPolicy(classify.WithRules(classify.Rule{ID: classify.RuleUndeclaredKind}, classify.Rule{ID: classify.RuleUndeclaredKind}))
	_, gradeNotTaken := classify.NewPolicy(classify.WithRules(classify.Rule{ID: classify.RuleCoreUnconditional, Grade: classify.Core}))
	_, unknownGrade := classify.LoadPolicy(strings.NewReader(`{"rules":[{"id":"sensitive_min_grade","grade":"L9"}]}`))
	_, notJSON := classify.LoadPolicy(strings.NewReader(`{"rules":`))
	_, trailing := classify.LoadPolicy(strings.NewReader(`{"rules":[]} {}`))
	_, unreadable := classify.LoadPolicy(errReader{})
	_, badItem := classify.NewMasker(classify.Item{Kind: classify.Mobile})
	_, badOption := classify.NewPolicy(classify.WithBase(nil))

	cases := []struct {
		name   string
		err    error
		own    error // the package's sentinel, still matched
		kind   error
		status int
		code   string
	}{
		{"unknown category", unknownCategory, classify.ErrUnknownCategory, govshare.ErrMalformed, 400, "classify.unknown_category"},
		{"invalid category", invalidCategory, classify.ErrInvalidCategory, govshare.ErrMalformed, 400, "classify.invalid_category"},
		{"duplicate category", duplicateCategory, classify.ErrDuplicateCategory, govshare.ErrConflict, 409, "classify.duplicate_category"},
		{"unknown rule", unknownRule, classify.ErrUnknownRule, govshare.ErrMalformed, 400, "classify.invalid_policy"},
		{"unknown grade", unknownGrade, govshare.ErrUnknownValue, govshare.ErrMalformed, 400, "classify.invalid_policy"},
		{"not JSON", notJSON, classify.ErrInvalidPolicy, govshare.ErrMalformed, 400, "classify.invalid_policy"},
		{"trailing data", trailing, classify.ErrInvalidPolicy, govshare.ErrMalformed, 400, "classify.invalid_policy"},
		{"unreadable", unreadable, classify.ErrInvalidPolicy, govshare.ErrMalformed, 400, "classify.invalid_policy"},
		{"duplicate rule", duplicateRule, classify.ErrDuplicateRule, govshare.ErrInvalid, 422, "classify.invalid_policy"},
		{"grade not taken", gradeNotTaken, classify.ErrInvalidPolicy, govshare.ErrInvalid, 422, "classify.invalid_policy"},
		{"masker item", badItem, classify.ErrInvalidItem, govshare.ErrInvalid, 422, "classify.invalid_item"},
		{"option", badOption, nil, govshare.ErrInvalid, 422, "classify.invalid_option"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, c.err)
			err := fmt.Errorf("wrapped: %w", c.err)
			if c.own != nil {
				assert.ErrorIs(t, err, c.own)
			}
			var kinds []error
			for _, k := range govshare.Kinds() {
				if errors.Is(err, k) {
					kinds = append(kinds, k)
				}
			}
			assert.Equal(t, []error{c.kind}, kinds, "exactly one kind: %v", c.err)
			assert.Equal(t, c.status, govshare.HTTPStatus(err))
			var m govshare.Messenger
			require.True(t, errors.As(err, &m), "a typed error with its own message")
			msg := govshare.MessageOf(err)
			assert.Equal(t, c.code, msg.Code)
			assert.NotEmpty(t, msg.Zh)
			assert.NotEmpty(t, msg.En)
		})
	}

	// The sentinels carry their kinds; ErrInvalidPolicy is a family and has
	// none of its own.
	assert.ErrorIs(t, classify.ErrUnknownCategory, govshare.ErrMalformed)
	assert.ErrorIs(t, classify.ErrDuplicateRule, govshare.ErrInvalid)
	assert.Equal(t, govshare.ErrInternal, govshare.Kind(classify.ErrInvalidPolicy))
	// A category error matches its own problem only.
	assert.NotErrorIs(t, duplicateCategory, classify.ErrUnknownCategory)
}

func TestErrorMessages(t *testing.T) {
	r := classify.NewRegistry()
	_, err := r.Parse("社会保障/外星人")
	assert.Equal(t, "数据分类“社会保障/外星人”中的“外星人”不是已登记的数据主体或子类", govshare.MessageOf(err).Zh)
	assert.Equal(t, "R6", govshare.MessageOf(err).Citation.Rule)

	_, err = classify.NewPolicy(classify.WithRules(classify.Rule{ID: classify.RuleUndeclaredKind}, classify.Rule{ID: classify.RuleUndeclaredKind}))
	assert.Equal(t, "分级保护策略有误：第2条规则（undeclared_kind）的编号：规则重复列出", govshare.MessageOf(err).Zh)
	_, err = classify.LoadPolicy(strings.NewReader(`{"rules":[{"id":"sensitive_min_grade","grade":"L9"}]}`))
	assert.Contains(t, govshare.MessageOf(err).Zh, "第1条规则（sensitive_min_grade）的分级：“L9”不是有效的grade")

	_, err = classify.NewMasker(classify.Item{Name: "电话", Kind: classify.Mobile}, classify.Item{Column: "电话", Kind: classify.Phone})
	assert.Equal(t, "第2个数据项（电话）无法用于脱敏：“电话”既列为手机号码又列为固定电话", govshare.MessageOf(err).Zh)
}

func TestNewPolicyOptions(t *testing.T) {
	_, err := classify.NewPolicy(classify.WithBase(classify.NationalDefault()), classify.WithBase(classify.NationalDefault()))
	assert.ErrorIs(t, err, govshare.ErrInvalid)

	// A nil option is ignored; rules given twice with a base replace in
	// order, the last winning, as each replaces the base's rule in place.
	p, err := classify.NewPolicy(nil, classify.WithBase(classify.NationalDefault()),
		classify.WithRules(classify.Rule{ID: classify.RuleSensitiveMinGrade, Grade: classify.General4}),
		classify.WithRules(classify.Rule{ID: classify.RuleSensitiveMinGrade, Grade: classify.Important}))
	require.NoError(t, err)
	assert.Equal(t, classify.Important, p.Rules()[4].Grade)
	assert.Len(t, p.Rules(), len(classify.NationalDefault().Rules()))
	assert.Equal(t, "national_default", p.Name())

	// Without a base the rules are the policy, in order.
	p, err = classify.NewPolicy(classify.WithRules(classify.Rule{ID: classify.RuleGradeMissing}), classify.WithRules(classify.Rule{ID: classify.RuleCoreUnconditional}))
	require.NoError(t, err)
	assert.Equal(t, []string{classify.RuleGradeMissing, classify.RuleCoreUnconditional}, []string{p.Rules()[0].ID, p.Rules()[1].ID})
	assert.Equal(t, "", p.Name())
}

// The registry is an instance: what one host registers is not seen by
// another registry, nor by Classification.String's defaults.
func TestRegistriesAreInstances(t *testing.T) {
	a, b := classify.NewRegistry(), classify.NewRegistry()
	require.NoError(t, a.Register("public_security/household", "户政", "household registration"))
	_, err := a.Parse("公共安全/户政")
	require.NoError(t, err)
	_, err = b.Parse("公共安全/户政")
	assert.ErrorIs(t, err, classify.ErrUnknownCategory)
	c := classify.Classification{Category: "public_security/household", Grade: classify.General2}
	assert.Equal(t, "public_security/household 一般数据2级", c.String())
	assert.Equal(t, "公共安全/户政", a.Name(c.Category))
	assert.Equal(t, "公共安全/人/基础 一般数据2级", classify.Classification{Category: "public_security/person/basic", Grade: classify.General2}.String())
}
