package catalog

import (
	"encoding"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/internal/fold"
)

// The spreadsheet template departments fill in has two sheets: 目录, one
// row per entry, and 数据项, one row per data item, linked to its entry by
// 目录代码. CSV holds both in one table: one row per data item, the entry's
// columns first (repeated, or left empty after the entry's first row).

const (
	catalogSheetName = "目录"
	itemSheetName    = "数据项"
	guideSheetName   = "说明"
)

// column is one column of the template: its header, the field it fills
// (by field key, as in findings), how a cell is read and written, and what
// the 说明 sheet and the drop-down list say about it.
type column struct {
	header   string
	aliases  []string // other headers accepted on import
	key      string
	required bool // the header must be present
	hint     string
	list     func(c *config) []string // drop-down values, nil for free text
	multi    bool                     // several values allowed (共享方式)
	code     bool                     // written as text so that spreadsheets keep the digits
	width    float64
	parse    func(e *Entry, it *DataItem, cell string, c *config) error
	format   func(e *Entry, it *DataItem, c *config) (string, error)
}

type layout struct {
	sheet    string // "" for CSV
	cols     []column
	byHeader map[string]int
}

func newLayout(sheet string, cols []column) *layout {
	l := &layout{sheet: sheet, cols: cols, byHeader: map[string]int{}}
	for i, c := range cols {
		l.byHeader[normHeader(c.header)] = i
		for _, a := range c.aliases {
			l.byHeader[normHeader(a)] = i
		}
	}
	return l
}

// normHeader folds a header cell; a leading or trailing * (the usual mark
// of a required column) is ignored.
func normHeader(s string) string { return strings.Trim(normCode(s), "*") }

// errWrongType marks a cell whose text is not of the column's type.
type errWrongType struct{ zh, en string }

// Error names the type the cell should have had.
func (e errWrongType) Error() string { return "want " + e.en }

// enumPtr is what every enumeration field offers through its pointer.
type enumPtr interface {
	encoding.TextUnmarshaler
	encoding.TextMarshaler
	String() string
}

func textColumn(header, key string, required bool, width float64, hint string, p func(*Entry, *DataItem) *string) column {
	return column{header: header, key: key, required: required, width: width, hint: hint,
		parse: func(e *Entry, it *DataItem, cell string, _ *config) error {
			*p(e, it) = normText(cell)
			return nil
		},
		format: func(e *Entry, it *DataItem, _ *config) (string, error) { return *p(e, it), nil },
	}
}

func codeColumn(header, key string, required bool, width float64, hint string, upper bool, p func(*Entry, *DataItem) *string) column {
	c := textColumn(header, key, required, width, hint, p)
	c.code = true
	c.parse = func(e *Entry, it *DataItem, cell string, _ *config) error {
		v := normCode(cell)
		if upper {
			v = strings.ToUpper(v)
		}
		*p(e, it) = v
		return nil
	}
	return c
}

func enumColumn(header, key string, required bool, width float64, hint string, list func(*config) []string, p func(*Entry, *DataItem) enumPtr) column {
	return column{header: header, key: key, required: required, width: width, hint: hint, list: list,
		parse: func(e *Entry, it *DataItem, cell string, _ *config) error {
			return p(e, it).UnmarshalText([]byte(normEnum(cell)))
		},
		format: func(e *Entry, it *DataItem, _ *config) (string, error) { return term(p(e, it)) },
	}
}

// term returns the Chinese term of an enumeration value for a cell: ""
// for a value not stated, an error for a value not defined.
func term(v enumPtr) (string, error) {
	b, err := v.MarshalText()
	if err != nil || len(b) == 0 {
		return "", err
	}
	return v.String(), nil
}

func terms[T interface{ String() string }](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

func methodTerms(c *config) []string { return c.methods().Terms() }

// catalogColumns are the columns of the 目录 sheet: R6's (entryColumns),
// then the guide's (guideColumns).
var catalogColumns = append(append([]column(nil), entryColumns...), guideColumns...)

// entryColumns are the columns of the fields R6 requires, and 开放属性,
// which the template always had. The headers the guide uses for the same
// fields (信息资源代码, 信息资源名称, …) are accepted on import.
var entryColumns = []column{
	aliased(codeColumn("目录代码", "id", true, 18, "必填。类(1位)+项(2位)+目(3位)[+细目]/顺序码，如 101001/000001；数据项表以此关联目录。", false,
		func(e *Entry, _ *DataItem) *string { return &e.ID }), "信息资源代码"),
	aliased(textColumn("数据目录名称", "name", true, 28, "必填，不超过200字。",
		func(e *Entry, _ *DataItem) *string { return &e.Name }), "信息资源名称"),
	aliased(textColumn("摘要", "summary", false, 36, "数据的内容和用途，不超过2000字。",
		func(e *Entry, _ *DataItem) *string { return &e.Summary }), "信息资源摘要"),
	aliased(textColumn("提供单位", "provider.name", true, 24, "必填，提供单位全称。",
		func(e *Entry, _ *DataItem) *string { return &e.Provider.Name }), "信息资源提供方"),
	codeColumn("提供单位统一社会信用代码", "provider.credit_code", false, 22, "18位，GB 32100-2015，校验码须正确。", true,
		func(e *Entry, _ *DataItem) *string { return &e.Provider.CreditCode }),
	codeColumn("行政区划代码", "provider.region_code", false, 12, "6位，GB/T 2260，如 330100。", false,
		func(e *Entry, _ *DataItem) *string { return &e.Provider.RegionCode }),
	enumColumn("目录层级", "level", true, 12, "必填：国家目录、地方目录或部门目录（R5）。", func(*config) []string { return levels.Terms() },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Level }),
	enumColumn("数据格式", "format", true, 12, "必填（R6）。", func(*config) []string { return formats.Terms() },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Format }),
	aliased(enumColumn("数据更新频率", "frequency", true, 14, "必填（R6）。", func(*config) []string { return frequencies.Terms() },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Frequency }), "更新周期"),
	enumColumn("共享属性", "share", true, 14, "必填：无条件共享、有条件共享或不予共享（R7）。", func(*config) []string { return terms(govshare.ShareAttributes()) },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Share }),
	textColumn("使用条件", "conditions", true, 30, "有条件共享时必填（R7）；无条件共享不得附加条件。",
		func(e *Entry, _ *DataItem) *string { return &e.Conditions }),
	textColumn("不予共享依据", "legal_basis", true, 30, "不予共享时必填：法律、行政法规或党中央、国务院政策文件及条款（R7）。",
		func(e *Entry, _ *DataItem) *string { return &e.LegalBasis }),
	methodsColumn(),
	categoryColumn(),
	enumColumn("数据分级", "classification.grade", true, 14, "必填：核心数据、重要数据、一般数据或一般数据1级至4级。", func(*config) []string { return terms(classify.Grades()) },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Classification.Grade }),
	enumColumn("开放属性", "open", false, 12, "选填：无条件开放、有条件开放或不予开放（《政务信息资源目录编制指南（试行）》）。", func(*config) []string { return openAttributes.Terms() },
		func(e *Entry, _ *DataItem) enumPtr { return &e.Open }),
}

// guideColumns are the other core metadata of 《政务信息资源目录编制指南（试
// 行）》, all optional. They come after the 目录 columns in the sheet and
// after the 数据项 columns in CSV, so that the columns of files written
// before them keep their letters.
var guideColumns = []column{
	codeColumn("信息资源分类", "resource_class", false, 14, "选填。分类码：类(1位：1基础、2主题、3部门)+项(2位)+目(3位)[+细目]，如 101001；应与目录代码“/”前的分类码一致。", false,
		func(e *Entry, _ *DataItem) *string { return &e.ResourceClass }),
	aliased(codeColumn("信息资源提供方代码", "provider_code", false, 22, "选填。提供方的统一社会信用代码（须与提供单位统一社会信用代码一致），或平台给部门的代码（数字和大写字母，不超过32位）。", true,
		func(e *Entry, _ *DataItem) *string { return &e.ProviderCode }), "提供方代码"),
	relatedColumn(),
	dateColumn(),
}

func aliased(c column, aliases ...string) column {
	c.aliases = append(c.aliases, aliases...)
	return c
}

func relatedColumn() column {
	return column{header: "关联资源代码", key: "related", width: 24, multi: true, code: true,
		hint: "选填。与本目录相关联的其他目录的目录代码，可填多个，以“、”“,”或“;”分隔。",
		parse: func(e *Entry, _ *DataItem, cell string, _ *config) error {
			e.Related = nil
			for _, p := range strings.FieldsFunc(fold.Width(cell), func(r rune) bool {
				return r == '、' || r == ',' || r == ';' || r == '\n'
			}) {
				if p = normCode(p); p != "" {
					e.Related = append(e.Related, p)
				}
			}
			return nil
		},
		format: func(e *Entry, _ *DataItem, _ *config) (string, error) { return strings.Join(e.Related, "、"), nil },
	}
}

func dateColumn() column {
	return column{header: "发布日期", key: "release_date", width: 12, code: true,
		hint: "选填。提供方发布该信息资源的日期，如 2026-03-02。",
		parse: func(e *Entry, _ *DataItem, cell string, _ *config) error {
			d, err := parseDateCell(cell)
			if err != nil {
				return errWrongType{zh: "日期（如2026-03-02）", en: "a date such as 2026-03-02"}
			}
			e.ReleaseDate = d
			return nil
		},
		format: func(e *Entry, _ *DataItem, _ *config) (string, error) {
			b, err := e.ReleaseDate.MarshalText()
			return string(b), err
		},
	}
}

func methodsColumn() column {
	return column{header: "共享方式", key: "methods", required: true, width: 22, multi: true, list: methodTerms,
		hint: "共享时必填，可填多个，以“、”或“,”分隔：服务接口、批量交换、文件下载（R13）；不予共享时留空。",
		parse: func(e *Entry, _ *DataItem, cell string, c *config) error {
			e.Methods = nil
			var bad []string
			for _, p := range splitList(cell) {
				m, err := c.methods().Parse(p)
				if err != nil {
					bad = append(bad, p)
					continue
				}
				if !e.HasMethod(m) {
					e.Methods = append(e.Methods, m)
				}
			}
			if bad != nil {
				return &govshare.UnknownValueError{Type: "share method", Value: strings.Join(bad, "、"), Accepted: methodCodes(c)}
			}
			return nil
		},
		format: func(e *Entry, _ *DataItem, c *config) (string, error) {
			parts := make([]string, len(e.Methods))
			for i, m := range e.Methods {
				if !c.methods().Has(m) {
					return "", &govshare.UnknownValueError{Type: "share method", Value: string(m), Accepted: methodCodes(c)}
				}
				parts[i] = c.methods().Zh(m)
			}
			return strings.Join(parts, "、"), nil
		},
	}
}

func categoryColumn() column {
	return column{header: "数据分类", key: "classification.category", required: true, width: 22,
		hint: "必填：行业领域/数据主体/资源属性，中文名称或代码，以“/”分隔，如 社会保障/人/基础。",
		list: func(c *config) []string {
			var out []string
			for _, n := range c.categories().Sectors() {
				out = append(out, n.Name)
			}
			return out
		},
		parse: func(e *Entry, _ *DataItem, cell string, c *config) error {
			cat, err := c.categories().Parse(fold.Width(cell))
			if err != nil {
				return err
			}
			e.Classification.Category = cat
			return nil
		},
		format: func(e *Entry, _ *DataItem, c *config) (string, error) {
			if name := c.categories().Name(e.Classification.Category); name != "" {
				return name, nil
			}
			return string(e.Classification.Category), nil
		},
	}
}

var itemColumns = []column{
	aliased(codeColumn("目录代码", "id", true, 18, "必填，与目录表的目录代码一致。", false,
		func(e *Entry, _ *DataItem) *string { return &e.ID }), "信息资源代码"),
	textColumn("数据项名称", "items.name", true, 20, "必填，同一目录内不得重复。",
		func(_ *Entry, it *DataItem) *string { return &it.Name }),
	codeColumn("字段名", "items.column", false, 16, "提供单位系统中的字段名。", false,
		func(_ *Entry, it *DataItem) *string { return &it.Column }),
	enumColumn("数据类型", "items.type", false, 12, "字符型、整数型、数值型、日期型、日期时间型、布尔型或二进制。", func(*config) []string { return dataTypes.Terms() },
		func(_ *Entry, it *DataItem) enumPtr { return &it.Type }),
	lengthColumn(),
	enumColumn("共享属性", "items.share", false, 14, "留空则同目录；只能比目录更严格，不得更宽（R7）。", func(*config) []string { return terms(govshare.ShareAttributes()) },
		func(_ *Entry, it *DataItem) enumPtr { return &it.Share }),
	kindColumn(),
	textColumn("说明", "items.description", false, 30, "数据项的含义、取值说明。",
		func(_ *Entry, it *DataItem) *string { return &it.Description }),
}

func lengthColumn() column {
	return column{header: "长度", key: "items.length", width: 8, hint: "整数，字符数或位数；不填表示未说明。",
		parse: func(_ *Entry, it *DataItem, cell string, _ *config) error {
			s := normCode(cell)
			if s == "" {
				it.Length = 0
				return nil
			}
			if n, err := strconv.Atoi(s); err == nil {
				it.Length = n
				return nil
			}
			// Spreadsheets store numbers as floating point: accept 20.0.
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
				return errWrongType{zh: "整数", en: "an integer"}
			}
			it.Length = int(f)
			return nil
		},
		format: func(_ *Entry, it *DataItem, _ *config) (string, error) {
			if it.Length == 0 {
				return "", nil
			}
			return strconv.Itoa(it.Length), nil
		},
	}
}

func kindColumn() column {
	return column{header: "个人信息类别", key: "items.kind", width: 16,
		hint: "非个人信息留空；否则填写类别，如 姓名、身份证号、手机号码（个人信息保护法）。",
		list: func(*config) []string { return terms(classify.Kinds()) },
		parse: func(_ *Entry, it *DataItem, cell string, _ *config) error {
			return it.Kind.UnmarshalText([]byte(normEnum(cell)))
		},
		format: func(_ *Entry, it *DataItem, _ *config) (string, error) {
			if it.Kind == classify.None {
				return "", nil
			}
			if !it.Kind.Valid() {
				_, err := it.Kind.MarshalText()
				return "", err
			}
			return it.Kind.String(), nil
		},
	}
}

var (
	catalogSheet = newLayout(catalogSheetName, catalogColumns)
	itemSheet    = newLayout(itemSheetName, itemColumns)
	csvLayout    = newLayout("", csvColumns())
)

// csvColumns are R6's 目录 columns, the 数据项 columns without their 目录
// 代码, then the guide's columns; the item's share attribute is headed 数据
// 项共享属性 to tell it from the entry's.
func csvColumns() []column {
	cols := append([]column(nil), entryColumns...)
	for _, c := range itemColumns[1:] {
		if c.key == "items.share" {
			c.header = "数据项共享属性"
		}
		cols = append(cols, c)
	}
	return append(cols, guideColumns...)
}

// cellFinding turns the error of a column's parse into a finding.
func cellFinding(col column, cell string, err error) govshare.Finding {
	f := field(col.key)
	var uv *govshare.UnknownValueError
	switch {
	case errors.As(err, &uv):
		return unknownValue(col.key, uv.Value, uv.Accepted)
	case errors.Is(err, classify.ErrUnknownCategory):
		return finding(CodeUnknownCategory, govshare.Error, col.key, govshare.Rule("R6"),
			"数据分类"+quote(cell)+"不在分类目录中，请使用“行业领域/数据主体/资源属性”的名称或代码",
			"data category "+quote(cell)+" is not registered: "+err.Error())
	default:
		want := errWrongType{zh: "有效值", en: "a valid value"}
		errors.As(err, &want)
		return finding(CodeWrongType, govshare.Error, col.key, citeTemplate,
			f.zh+"应为"+want.zh+"，实为"+quote(cell),
			f.en+": want "+want.en+", got "+quote(cell))
	}
}
