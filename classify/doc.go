// Package classify models 数据分类分级, the data classification-and-grading
// protection system that sharing security follows (R16, R18; 数据安全法
// art. 21; GB/T 43697-2024): the grades, the personal information in data
// items, a grading policy that ties both to how an entry is shared, and the
// masks applied when data are shared under conditions.
//
// # Vocabulary
//
// Grade is 核心数据, 重要数据 or 一般数据, the last with levels 1–4 whose names a
// jurisdiction may set (Scheme); grades are ordered and Max applies 就高从严.
// Category is a sector-first classification path with a Registry of codes
// and Chinese names; Classification (category and grade) is what a catalog
// entry carries (R6). A Registry is an instance a host makes with
// NewRegistry, extends with Register and passes where categories are
// checked (catalog.WithRegistry); nothing registers into package state. Kind is a personal-information kind (name, id_card,
// mobile, … with Personal and Sensitive per 个人信息保护法 art. 28) or the
// non-personal identifiers uscc and plate. A Subject — an entry's
// classification, share attribute, methods and Items — is what a Policy
// checks; the catalog package builds one from each entry.
//
// # Detection
//
// Detect(name, samples...) suggests a Kind, the Grade it calls for, a
// confidence and its Evidence. Names are matched in Chinese, English and
// pinyin initials (姓名/xm/name, 身份证号/sfzh/id_card, 手机号码/sjhm/mobile,
// 统一社会信用代码/tyshxydm); values are proved by checks: GB 11643 identity
// numbers (ValidIDCard), mobiles (ValidMobile), landlines (ValidLandline),
// bank cards with Luhn (ValidBankCard), e-mail (ValidEmail), GB 32100
// credit codes and plates (ValidPlate), all through ValueKind. Values
// outrank names. Values typed in full-width forms are folded first, with
// the one width fold of govshare (golang.org/x/text/width's mapping). The
// value path allocates nothing for a value that matches no kind. Precision and recall on a labelled corpus of 519 columns are in
// docs/benchmarks.md.
//
// # Policy
//
// A Policy is an ordered list of Rules (RuleIDs), each with a severity and
// a Citation whose PolicyDefault flag says whether it is law or a default.
// Check(Subject) returns []govshare.Finding with codes "classify.<rule id>".
// NationalDefault holds: core_unconditional, core_needs_basis,
// important_unconditional, sensitive_unconditional, sensitive_min_grade
// (一般数据3级), download_above_grade (一般数据2级) and undeclared_kind (a
// warning for personal information Detect finds but the entry does not
// declare). The kind rules apply to the kind an item declares or, for an
// item that declares none, to the kind Detect recognises with high
// confidence (HighConfidence, Suggestion.Sure; a policy default): an
// undeclared 身份证号码 is held to the rules on sensitive personal
// information like a declared one, not only warned about. NewPolicy builds a policy from options: a host changes
// thresholds with NewPolicy(WithBase(NationalDefault()), WithRules(…)),
// builds its own list with NewPolicy(WithRules(…)), or loads a profile with
// LoadPolicy:
//
//	{
//	  "name": "某省公共数据分级保护策略",
//	  "rules": [
//	    {"id": "core_unconditional"},
//	    {"id": "sensitive_min_grade", "grade": "一般数据4级"},
//	    {"id": "download_above_grade", "grade": "general_3", "severity": "warning"},
//	    {"id": "undeclared_kind", "citation": {"source": "某省公共数据管理办法 第十二条"}}
//	  ]
//	}
//
// Omitted fields take the rule's defaults (RuleDefaults); unknown fields,
// rule ids, grades or severities are refused with a *PolicyError. A
// profile is read up to DefaultProfileBytes (1 MiB; WithProfileLimit
// changes it); a longer one is refused with a *PolicyError of kind
// govshare.ErrTooLarge.
//
// # Masking
//
// Mask(kind, value) masks per kind, by characters, deterministically:
// 110101********1234, 138****5678, 张*, 欧阳**, ***************0128,
// 北京市海淀区********, z*******@example.com. A Masker masks whole records
// (item name → value) by a list of Items.
//
// # Errors
//
// Every error matches exactly one kind of the root package (errors.Is),
// besides the package's own sentinels, and gives its Chinese and English
// message through govshare.MessageOf:
//
//	error                                          kind                   HTTP
//	*CategoryError of ErrUnknownCategory           govshare.ErrMalformed  400
//	*CategoryError of ErrInvalidCategory           govshare.ErrMalformed  400
//	*CategoryError of ErrDuplicateCategory         govshare.ErrConflict   409
//	*PolicyError of ErrUnknownRule                 govshare.ErrMalformed  400
//	*PolicyError of an unknown grade or severity   govshare.ErrMalformed  400
//	*PolicyError of a profile that is not JSON     govshare.ErrMalformed  400
//	*PolicyError of a profile over its limit       govshare.ErrTooLarge   413
//	*PolicyError of ErrDuplicateRule               govshare.ErrInvalid    422
//	*PolicyError of a grade the rule does not take govshare.ErrInvalid    422
//	ErrInvalidItem, *ItemError (NewMasker)         govshare.ErrInvalid    422
//	a bad Option of NewPolicy or LoadPolicy        govshare.ErrInvalid    422
//
// A category, rule id, grade or severity nobody defined is an unknown
// enumeration value, as a category code that is not lowercase ASCII is
// malformed; a policy that lists a rule twice, or gives a grade to a rule
// that takes none, can be read but breaks the policy's own rules; a
// category registered twice conflicts with the registry's state.
// ErrInvalidPolicy is the family of the policy errors and has no kind of
// its own.
//
// # Example
//
//	s := classify.Detect("sqr_sfzh", "11010519491231002X")
//	// s.Kind == classify.IDCard, s.Grade == classify.General3
//	findings := classify.NationalDefault().Check(subject)
//	masked := classify.Mask(classify.Mobile, "13812345678") // 138****5678
package classify
