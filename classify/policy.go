package classify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
)

// The ids of the rules a Policy may hold. Each finding a rule produces has
// the code "classify." + its id, e.g. "classify.core_unconditional".
const (
	// RuleCoreUnconditional: 核心数据 may not be 无条件共享. Law as govshare
	// reads it: core data is under a stricter management system (数据安全法
	// art. 21) and sharing follows the grading system (R16).
	RuleCoreUnconditional = "core_unconditional"
	// RuleCoreNeedsBasis: 核心数据 is 不予共享 unless the entry records the
	// legal basis for sharing it. Policy default.
	RuleCoreNeedsBasis = "core_needs_basis"
	// RuleImportantUnconditional: 重要数据 may not be 无条件共享 (数据安全法
	// art. 21 重点保护, R16). Law as govshare reads it.
	RuleImportantUnconditional = "important_unconditional"
	// RuleSensitiveUnconditional: an item of sensitive personal information
	// (敏感个人信息) may not be 无条件共享: it may be processed only for a
	// specific purpose and when sufficiently necessary (个人信息保护法 art.
	// 28), and a state organ only within its statutory duties (art. 34).
	// Law as govshare reads it.
	RuleSensitiveUnconditional = "sensitive_unconditional"
	// RuleSensitiveMinGrade: an entry with sensitive personal information is
	// graded at least the rule's Grade (default 一般数据3级). Policy default.
	RuleSensitiveMinGrade = "sensitive_min_grade"
	// RulePersonalMinGrade: an entry with any personal information is graded
	// at least the rule's Grade (default 一般数据2级). Policy default; not in
	// NationalDefault.
	RulePersonalMinGrade = "personal_min_grade"
	// RuleDownloadAboveGrade: 文件下载 is not offered for data graded above
	// the rule's Grade (default 一般数据2级): a downloaded file leaves the
	// platform's access control (R13, R18). Policy default.
	RuleDownloadAboveGrade = "download_above_grade"
	// RuleUndeclaredKind: a warning for an item whose name or samples show a
	// personal-information kind (Detect) that the entry does not declare
	// for it; the catalog must state the classification (R6). The rules on
	// personal information do not wait for the declaration: an item that
	// declares no kind and is recognised with high confidence
	// (Suggestion.Sure) is checked as holding the recognised kind, so an
	// undeclared 身份证号码 shared unconditionally is the same error as a
	// declared one, and this warning comes on top.
	RuleUndeclaredKind = "undeclared_kind"
	// RuleGradeMissing: the entry states no grade (R6). Not in
	// NationalDefault, because catalog.Validate checks R6 itself; for hosts
	// that use a Policy on its own.
	RuleGradeMissing = "grade_missing"
)

// Rule is one rule of a Policy: a built-in check named by ID, with the
// severity of its findings, the citation they carry and, for the rules
// that compare grades, the grade they compare with. Zero fields take the
// rule's defaults (RuleDefaults). Whether a rule is law or a policy
// default is its Citation's PolicyDefault flag.
type Rule struct {
	// ID is one of the Rule… constants.
	ID string `json:"id"`
	// Severity of the findings; 0 for the default.
	Severity govshare.Severity `json:"severity,omitempty"`
	// Citation of the findings; the zero value for the default. A host
	// whose own regulation makes a policy default law cites it here.
	Citation govshare.Citation `json:"citation,omitzero"`
	// Grade is the threshold of the rules that have one: the least grade
	// (sensitive_min_grade, personal_min_grade) or the strictest grade
	// still offered for download (download_above_grade). 0 for the
	// default; other rules take none.
	Grade Grade `json:"grade,omitempty"`
}

// PolicyDefault reports whether the rule is a configurable policy default
// rather than law.
func (r Rule) PolicyDefault() bool { return r.Citation.PolicyDefault }

// builtin is the definition of a rule id: its defaults and its check.
type builtin struct {
	severity govshare.Severity
	citation govshare.Citation
	grade    Grade // the default threshold, 0 for rules without one
	check    func(s *subjectView, r Rule, add func(path, zh, en string))
}

// cite returns the citation of a rule id of REGULATION.md with further
// sources appended.
func cite(rule string, more string) govshare.Citation {
	c := govshare.Rule(rule)
	c.Source += "；" + more
	return c
}

var builtins = map[string]builtin{
	RuleCoreUnconditional: {
		severity: govshare.Error,
		citation: cite("R16", "数据安全法 第二十一条"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			if s.Classification.Grade == Core && s.Share == govshare.Unconditional {
				add("share", "核心数据不得无条件共享", "core data may not be shared unconditionally")
			}
		},
	},
	RuleCoreNeedsBasis: {
		severity: govshare.Error,
		citation: govshare.PolicyDefault("数据安全法 第二十一条；R7 共享属性"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			if s.Classification.Grade == Core && (s.Share == govshare.Unconditional || s.Share == govshare.Conditional) && s.LegalBasis == "" {
				add("legal_basis", "核心数据原则上不予共享；共享核心数据须记录法律依据",
					"core data is not shared unless the entry records the legal basis for sharing it")
			}
		},
	},
	RuleImportantUnconditional: {
		severity: govshare.Error,
		citation: cite("R16", "数据安全法 第二十一条"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			if s.Classification.Grade == Important && s.Share == govshare.Unconditional {
				add("share", "重要数据不得无条件共享", "important data may not be shared unconditionally")
			}
		},
	},
	RuleSensitiveUnconditional: {
		severity: govshare.Error,
		citation: cite("R16", "个人信息保护法 第二十八条、第三十四条"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			for i, it := range s.Items {
				k := s.kind(i)
				if !k.Sensitive() {
					continue
				}
				share := s.Share
				if it.Share.Stricter(share) {
					share = it.Share
				}
				if share == govshare.Unconditional {
					zh, en := s.kindNote(i)
					add(itemPath(it, i)+".share",
						"数据项“"+it.Name+"”含敏感个人信息（"+zh+"），不得无条件共享",
						"item "+strconv.Quote(it.Name)+" holds sensitive personal information ("+en+") and may not be shared unconditionally")
				}
			}
		},
	},
	RuleSensitiveMinGrade: {
		severity: govshare.Error,
		citation: govshare.PolicyDefault("GB/T 43697-2024 就高从严；个人信息保护法 第二十八条"),
		grade:    General3,
		check: func(s *subjectView, r Rule, add func(path, zh, en string)) {
			minGrade(s, r, Kind.Sensitive, "敏感个人信息", "sensitive personal information", add)
		},
	},
	RulePersonalMinGrade: {
		severity: govshare.Error,
		citation: govshare.PolicyDefault("GB/T 43697-2024 就高从严；个人信息保护法 第四条"),
		grade:    General2,
		check: func(s *subjectView, r Rule, add func(path, zh, en string)) {
			minGrade(s, r, Kind.Personal, "个人信息", "personal information", add)
		},
	},
	RuleDownloadAboveGrade: {
		severity: govshare.Error,
		citation: govshare.PolicyDefault("R13 共享方式；R18 安全保护措施"),
		grade:    General2,
		check: func(s *subjectView, r Rule, add func(path, zh, en string)) {
			g := s.Classification.Grade
			if !g.Stricter(r.Grade) {
				return
			}
			for i, m := range s.Methods {
				if m == govshare.FileDownload {
					add("methods["+strconv.Itoa(i)+"]",
						g.String()+"不提供文件下载（文件下载限于"+r.Grade.String()+"及以下）",
						g.English()+" is not offered for file download (file download is limited to "+r.Grade.English()+" and below)")
				}
			}
		},
	},
	RuleUndeclaredKind: {
		severity: govshare.Warning,
		citation: govshare.Rule("R6"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			for i, it := range s.Items {
				sug := s.suggestion(i)
				if !sug.Kind.Personal() || sug.Kind == it.Kind {
					continue
				}
				add(itemPath(it, i)+".kind",
					"数据项“"+it.Name+"”疑似含"+sug.Kind.String()+"（"+sug.Evidence.String()+"），但未声明为该类个人信息",
					"item "+strconv.Quote(it.Name)+" appears to hold "+sug.Kind.English()+" ("+sug.Evidence.English()+") but is not declared so")
			}
		},
	},
	RuleGradeMissing: {
		severity: govshare.Error,
		citation: govshare.Rule("R6"),
		check: func(s *subjectView, _ Rule, add func(path, zh, en string)) {
			if s.Classification.Grade == 0 {
				add("classification.grade", "目录未标明数据分级", "the entry states no data grade")
			}
		},
	},
}

// minGrade is the check of the rules that set a least grade for entries
// with items of some kinds. An entry without a grade is left to R6
// (grade_missing, catalog.Validate).
func minGrade(s *subjectView, r Rule, has func(Kind) bool, zh, en string, add func(path, zh, en string)) {
	g := s.Classification.Grade
	if g == 0 || g.AtLeast(r.Grade) {
		return
	}
	for i, it := range s.Items {
		if has(s.kind(i)) {
			kzh, ken := s.kindNote(i)
			add("classification.grade",
				"含"+zh+"（"+itemPath(it, i)+" "+kzh+"）的目录应至少定为"+r.Grade.String()+"，现为"+g.String(),
				"an entry with "+en+" ("+itemPath(it, i)+", "+ken+") is graded at least "+r.Grade.English()+", not "+g.English())
			return
		}
	}
}

func itemPath(it Item, i int) string {
	if it.Path != "" {
		return it.Path
	}
	return "items[" + strconv.Itoa(i) + "]"
}

// RuleDefaults returns the rule id with its default severity, citation and
// threshold grade, or false for an id that is not a rule.
func RuleDefaults(id string) (Rule, bool) {
	b, ok := builtins[id]
	if !ok {
		return Rule{}, false
	}
	return Rule{ID: id, Severity: b.severity, Citation: b.citation, Grade: b.grade}, true
}

// RuleIDs lists the ids of every rule a Policy may hold, NationalDefault's
// first, in their order.
func RuleIDs() []string {
	return []string{
		RuleCoreUnconditional, RuleCoreNeedsBasis, RuleImportantUnconditional, RuleSensitiveUnconditional,
		RuleSensitiveMinGrade, RuleDownloadAboveGrade, RuleUndeclaredKind,
		RulePersonalMinGrade, RuleGradeMissing,
	}
}

// Policy is a grading policy (分级保护策略): an ordered list of rules linking
// a catalog entry's grade, its items' personal-information kinds, its
// share attribute and its share methods. Check returns what the rules
// find. A Policy is immutable and safe for concurrent use; build one with
// NewPolicy, NationalDefault or LoadPolicy.
type Policy struct {
	name  string
	rules []Rule
}

// ErrInvalidPolicy is the family of every error about a policy that cannot
// be built or loaded; a *PolicyError says where and what, and its problem
// gives it its kind. ErrInvalidPolicy itself has no kind.
var ErrInvalidPolicy = errors.New("classify: invalid policy")

// ErrUnknownRule is the problem of a rule id that is not one of RuleIDs
// (govshare.ErrMalformed).
var ErrUnknownRule = kinded.New("unknown rule id", govshare.ErrMalformed)

// ErrDuplicateRule is the problem of a rule listed twice
// (govshare.ErrInvalid).
var ErrDuplicateRule = kinded.New("rule listed twice", govshare.ErrInvalid)

// PolicyError reports what is wrong with a policy: which rule (its position
// and id) and which field. errors.Is matches ErrInvalidPolicy and the
// problem: ErrUnknownRule, ErrDuplicateRule, govshare.ErrUnknownValue for
// an unknown grade or severity (errors.As gives the
// *govshare.UnknownValueError), or the JSON decoder's error. A problem of
// no kind of its own (the decoder's, the reader's) is govshare.ErrMalformed.
type PolicyError struct {
	Index int    // the rule's position, -1 for the policy as a whole
	Rule  string // the rule's id, if it has one
	Field string // "id", "severity", "grade", or "" for the whole rule or file
	Err   error  // the problem
}

func (e *PolicyError) problem() error {
	if e.Err == nil {
		return ErrInvalidPolicy
	}
	return e.Err
}

// Error names the rule, the field and the problem.
func (e *PolicyError) Error() string {
	s := "classify: invalid policy"
	if e.Index >= 0 {
		s += ": rule " + strconv.Itoa(e.Index)
		if e.Rule != "" {
			s += " (" + e.Rule + ")"
		}
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Err == nil {
		return s
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns ErrInvalidPolicy and the problem, and govshare.ErrMalformed
// when the problem has no kind of its own.
func (e *PolicyError) Unwrap() []error {
	if govshare.Kind(e.problem()) == govshare.ErrInternal {
		return []error{ErrInvalidPolicy, e.problem(), govshare.ErrMalformed}
	}
	return []error{ErrInvalidPolicy, e.problem()}
}

// ErrorMessage implements govshare.Messenger.
func (e *PolicyError) ErrorMessage() govshare.Message {
	zh := "分级保护策略有误"
	if e.Index >= 0 {
		zh += "：第" + strconv.Itoa(e.Index+1) + "条规则"
		if e.Rule != "" {
			zh += "（" + e.Rule + "）"
		}
	}
	if f := policyFields[e.Field]; f != "" {
		zh += "的" + f
	}
	var uv *govshare.UnknownValueError
	var ce *govshare.CodedError
	switch {
	case errors.As(e.problem(), &ce):
		return govshare.Message{Code: ce.Code, Zh: zh + "：" + ce.Zh, En: e.Error(), Citation: ce.Citation}
	case errors.Is(e.problem(), ErrUnknownRule):
		zh += "：规则编号不存在"
	case errors.Is(e.problem(), ErrDuplicateRule):
		zh += "：规则重复列出"
	case errors.As(e.problem(), &uv):
		zh += "：" + uv.Zh()
	case errors.Is(e.problem(), govshare.ErrInvalid):
		zh += "：该规则不设分级"
	default:
		zh += "：" + e.problem().Error()
	}
	return govshare.Message{Code: "classify.invalid_policy", Zh: zh, En: e.Error()}
}

var policyFields = map[string]string{"id": "编号", "severity": "严重程度", "grade": "分级", "rules": "规则列表"}

// Option configures NewPolicy (WithRules, WithBase) and LoadPolicy
// (WithProfileLimit). A nil Option is ignored; an option given a value it
// cannot use, or passed where it does not apply, makes NewPolicy or
// LoadPolicy fail with an error matching govshare.ErrInvalid.
type Option func(*policyConfig) error

type policyConfig struct {
	base     *Policy
	rules    []Rule
	maxBytes int64 // LoadPolicy's limit; 0 unless WithProfileLimit is given to NewPolicy
}

// WithRules adds rules to the policy, in order. Without WithBase they are
// the policy's rules, and a rule listed twice is refused
// (ErrDuplicateRule); with a base each replaces the base's rule of the same
// id in place, or is appended. Zero fields take the rule's defaults
// (RuleDefaults), not the base's values. Default: no rules. Given several
// times, the rules add up.
func WithRules(rules ...Rule) Option {
	return func(c *policyConfig) error {
		c.rules = append(c.rules, rules...)
		return nil
	}
}

// WithBase starts the policy from p, typically NationalDefault(): its
// rules, in order, and its name. p is not changed. Default: no base, an
// empty policy. A nil p, or WithBase given twice, is refused.
func WithBase(p *Policy) Option {
	return func(c *policyConfig) error {
		switch {
		case p == nil:
			return optionError("WithBase", "基础策略为空", "nil policy")
		case c.base != nil:
			return optionError("WithBase", "只能指定一个基础策略", "given twice")
		}
		c.base = p
		return nil
	}
}

func optionError(option, zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "classify.invalid_option",
		Zh: "分级保护策略选项" + option + "有误：" + zh, En: "classify: " + option + ": " + en}
}

// NewPolicy returns a policy of the rules of its options: a host's own
// list (WithRules), or a base policy with some rules changed or added
// (WithBase and WithRules),
//
//	p, err := classify.NewPolicy(classify.WithBase(classify.NationalDefault()),
//		classify.WithRules(classify.Rule{ID: classify.RuleSensitiveMinGrade, Grade: classify.General4}))
//
// The zero fields of each rule are filled from RuleDefaults. An unknown
// id, a rule listed twice, an invalid severity or grade, or a grade for a
// rule that takes none is a *PolicyError; a bad option an error of kind
// govshare.ErrInvalid. With no option it returns an empty policy.
func NewPolicy(opts ...Option) (*Policy, error) {
	var c policyConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if c.maxBytes != 0 {
		return nil, optionError("WithProfileLimit", "只适用于LoadPolicy", "applies to LoadPolicy only")
	}
	if c.base == nil {
		return newPolicy(c.rules)
	}
	merged := slices.Clone(c.base.rules)
	for _, r := range c.rules {
		i := slices.IndexFunc(merged, func(m Rule) bool { return m.ID == r.ID })
		if i < 0 {
			merged = append(merged, r)
			continue
		}
		merged[i] = r
	}
	q, err := newPolicy(merged)
	if err != nil {
		return nil, err
	}
	q.name = c.base.name
	return q, nil
}

// newPolicy builds a policy of the rules, in their order, with the zero
// fields of each filled from RuleDefaults.
func newPolicy(rules []Rule) (*Policy, error) {
	p := &Policy{rules: make([]Rule, 0, len(rules))}
	seen := make(map[string]bool, len(rules))
	for i, r := range rules {
		b, ok := builtins[r.ID]
		fail := func(field string, err error) error {
			return &PolicyError{Index: i, Rule: r.ID, Field: field, Err: err}
		}
		switch {
		case !ok:
			return nil, fail("id", fmt.Errorf("%w %q (accepted: %v)", ErrUnknownRule, r.ID, RuleIDs()))
		case seen[r.ID]:
			return nil, fail("id", ErrDuplicateRule)
		}
		seen[r.ID] = true
		if r.Severity == 0 {
			r.Severity = b.severity
		}
		if _, err := r.Severity.MarshalText(); err != nil {
			return nil, fail("severity", err)
		}
		if r.Citation == (govshare.Citation{}) {
			r.Citation = b.citation
		}
		switch {
		case r.Grade != 0 && b.grade == 0:
			return nil, fail("grade", kinded.New(fmt.Sprintf("rule %s takes no grade", r.ID), govshare.ErrInvalid))
		case r.Grade == 0:
			r.Grade = b.grade
		case !r.Grade.Valid():
			_, err := r.Grade.MarshalText()
			return nil, fail("grade", err)
		}
		p.rules = append(p.rules, r)
	}
	return p, nil
}

// NationalDefault returns govshare's national profile, in this order:
// core_unconditional, core_needs_basis, important_unconditional,
// sensitive_unconditional, sensitive_min_grade (一般数据3级),
// download_above_grade (一般数据2级), undeclared_kind (a warning). Each call
// returns a new Policy; NewPolicy(WithBase(NationalDefault()),
// WithRules(…)) changes a rule's threshold, severity or citation.
func NationalDefault() *Policy {
	ids := RuleIDs()[:7]
	rules := make([]Rule, len(ids))
	for i, id := range ids {
		rules[i] = Rule{ID: id}
	}
	p, err := newPolicy(rules)
	if err != nil {
		panic(err) // the defaults are constants of this file
	}
	p.name = "national_default"
	return p
}

// Name returns the policy's name: "national_default", the name a profile
// file gives, or "".
func (p *Policy) Name() string { return p.name }

// Rules returns the policy's rules, in order, with their defaults filled.
func (p *Policy) Rules() []Rule { return slices.Clone(p.rules) }

// Check applies the rules in order to a subject and returns their findings
// (nil when there are none). A finding's code is "classify." + the rule id,
// its path one of "share", "legal_basis", "classification.grade",
// "methods[i]" or an item's path ("items[3].share", "items[3].kind"). It
// never panics; a nil Policy finds nothing.
func (p *Policy) Check(s Subject) []govshare.Finding {
	if p == nil {
		return nil
	}
	var out []govshare.Finding
	v := &subjectView{Subject: s}
	for _, r := range p.rules {
		add := func(path, zh, en string) {
			out = append(out, govshare.Finding{
				Code: "classify." + r.ID, Severity: r.Severity, Path: path,
				Message: zh, MessageEN: en, Citation: r.Citation,
			})
		}
		builtins[r.ID].check(v, r, add)
	}
	return out
}

// subjectView is the Subject one Check works on, with what detection
// makes of its items, computed once for all rules and only when a rule
// asks.
type subjectView struct {
	Subject
	suggestions []Suggestion // DetectItem of each item; nil until asked
}

// suggestion returns DetectItem of item i.
func (v *subjectView) suggestion(i int) Suggestion {
	if v.suggestions == nil {
		v.suggestions = make([]Suggestion, len(v.Items))
		for j, it := range v.Items {
			v.suggestions[j] = DetectItem(it)
		}
	}
	return v.suggestions[i]
}

// kind returns the kind the rules apply to item i: the kind the entry
// declares, or, for an item declared as nothing, the kind Detect
// recognises with high confidence (Suggestion.Sure). An identity-card
// number left undeclared is still an identity-card number: the rules on
// sensitive personal information apply to it as to a declared one
// (policy default, see HighConfidence).
func (v *subjectView) kind(i int) Kind {
	if k := v.Items[i].Kind; k != None {
		return k
	}
	if s := v.suggestion(i); s.Sure() {
		return s.Kind
	}
	return None
}

// kindNote names the kind of item i for a message: the kind, and for one
// only recognised, that it was not declared and what it was recognised by.
func (v *subjectView) kindNote(i int) (zh, en string) {
	k := v.kind(i)
	if v.Items[i].Kind != None {
		return k.String(), k.English()
	}
	ev := v.suggestion(i).Evidence
	return k.String() + "，未声明个人信息类别，" + ev.String(),
		k.English() + ", not declared, recognised by: " + ev.English()
}

// The JSON form of a policy profile:
//
//	{
//	  "name": "某省公共数据分级保护策略",
//	  "rules": [
//	    {"id": "core_unconditional"},
//	    {"id": "download_above_grade", "grade": "general_3"},
//	    {"id": "undeclared_kind", "severity": "error",
//	     "citation": {"source": "某省公共数据管理办法 第十二条"}}
//	  ]
//	}
//
// Grades and severities take the stable codes or the Chinese terms.
type policyJSON struct {
	Name  string     `json:"name,omitempty"`
	Rules []ruleJSON `json:"rules"`
}

type ruleJSON struct {
	ID       string             `json:"id"`
	Severity string             `json:"severity,omitempty"`
	Grade    string             `json:"grade,omitempty"`
	Citation *govshare.Citation `json:"citation,omitempty"`
}

// DefaultProfileBytes is the most bytes LoadPolicy reads of a profile
// without WithProfileLimit: 1 MiB. A profile listing every rule with long
// citations is a few kilobytes; the limit is there so that a profile a
// host accepts from elsewhere cannot exhaust its memory (issue 11).
const DefaultProfileBytes = 1 << 20

// WithProfileLimit sets the most bytes LoadPolicy reads of a profile; a
// longer one is refused with a *PolicyError of kind govshare.ErrTooLarge
// (HTTP 413), before the rest of it is read. It applies to LoadPolicy
// only; a limit below 1 is refused. Default: DefaultProfileBytes.
func WithProfileLimit(bytes int64) Option {
	return func(c *policyConfig) error {
		if bytes < 1 {
			return optionError("WithProfileLimit", "上限须为正数", "the limit must be positive")
		}
		c.maxBytes = bytes
		return nil
	}
}

// LoadPolicy reads a policy profile in JSON (see the example in the package
// documentation), of at most DefaultProfileBytes or what WithProfileLimit
// says, the one option it takes. Unknown fields, unknown rule ids,
// duplicate rules and unknown grades or severities are a *PolicyError
// naming the rule; the whole profile is refused. A profile beyond the
// limit is a *PolicyError of kind govshare.ErrTooLarge; an option that
// does not apply, an error of kind govshare.ErrInvalid.
func LoadPolicy(r io.Reader, opts ...Option) (*Policy, error) {
	c := policyConfig{maxBytes: DefaultProfileBytes}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if c.base != nil || c.rules != nil {
		return nil, optionError("WithBase, WithRules", "不适用于LoadPolicy，请使用NewPolicy", "do not apply to LoadPolicy; use NewPolicy")
	}
	data, err := io.ReadAll(io.LimitReader(r, c.maxBytes+1))
	if err != nil {
		return nil, &PolicyError{Index: -1, Err: err}
	}
	if int64(len(data)) > c.maxBytes {
		return nil, &PolicyError{Index: -1, Err: &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "classify.profile_too_large",
			Zh:       fmt.Sprintf("策略文件超过%d字节的上限", c.maxBytes),
			En:       fmt.Sprintf("the profile is longer than the limit of %d bytes (WithProfileLimit)", c.maxBytes),
			Citation: govshare.PolicyDefault("govshare 导入限制（classify.DefaultProfileBytes）")}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var pj policyJSON
	if err := dec.Decode(&pj); err != nil {
		return nil, &PolicyError{Index: -1, Err: err}
	}
	if dec.More() {
		return nil, &PolicyError{Index: -1, Err: errors.New("data after the profile")}
	}
	if pj.Rules == nil {
		return nil, &PolicyError{Index: -1, Field: "rules", Err: errors.New("no rules list")}
	}
	rules := make([]Rule, len(pj.Rules))
	for i, rj := range pj.Rules {
		r := Rule{ID: rj.ID}
		if rj.Severity != "" {
			if err := r.Severity.UnmarshalText([]byte(rj.Severity)); err != nil {
				return nil, &PolicyError{Index: i, Rule: rj.ID, Field: "severity", Err: err}
			}
		}
		if rj.Grade != "" {
			g, err := ParseGrade(rj.Grade)
			if err != nil {
				return nil, &PolicyError{Index: i, Rule: rj.ID, Field: "grade", Err: err}
			}
			r.Grade = g
		}
		if rj.Citation != nil {
			r.Citation = *rj.Citation
		}
		rules[i] = r
	}
	p, err := newPolicy(rules)
	if err != nil {
		return nil, err
	}
	p.name = pj.Name
	return p, nil
}

// MarshalJSON writes the policy as a profile LoadPolicy reads back, every
// field filled.
func (p *Policy) MarshalJSON() ([]byte, error) {
	pj := policyJSON{Name: p.name, Rules: make([]ruleJSON, len(p.rules))}
	for i, r := range p.rules {
		sev, err := r.Severity.MarshalText()
		if err != nil {
			return nil, err
		}
		g, err := r.Grade.MarshalText()
		if err != nil {
			return nil, err
		}
		c := r.Citation
		pj.Rules[i] = ruleJSON{ID: r.ID, Severity: string(sev), Grade: string(g), Citation: &c}
	}
	return json.Marshal(pj)
}
