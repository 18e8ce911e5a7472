package classify

import (
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// Grade is a data grade of the classification-and-grading protection system
// (数据安全法 art. 21, GB/T 43697-2024): 核心数据 (core), 重要数据
// (important) or 一般数据 (general), high to low. General data may carry a
// level 1–4, as many provincial public-data standards split it; level 4 is
// the strictest general level. The zero value means not graded.
//
// Grades are ordered: Core is stricter than Important, which is stricter
// than every general grade; General4 is stricter than General3 and so on,
// and a general grade with no level stated is the loosest. Max applies the
// principle 就高从严 (the highest grade of any part is the grade of the whole).
type Grade uint8

// The grades. General data without a stated level is General; General1 to
// General4 are its levels.
const (
	General  Grade = 10
	General1 Grade = 11
	General2 Grade = 12
	General3 Grade = 13
	General4 Grade = 14
	// Important is 重要数据: data whose leak or misuse may directly endanger
	// national security, economic operation, social stability or public
	// health and safety (GB/T 43697-2024).
	Important Grade = 20
	// Core is 核心数据: data concerning national security, the lifelines of
	// the economy, important aspects of people's livelihood and major public
	// interests (数据安全法 art. 21).
	Core Grade = 30
)

var grades = textcode.Table[Grade]{
	{Value: Core, Code: "core", Zh: "核心数据", En: "core data", Aliases: []string{"核心"}},
	{Value: Important, Code: "important", Zh: "重要数据", En: "important data", Aliases: []string{"重要"}},
	{Value: General, Code: "general", Zh: "一般数据", En: "general data", Aliases: []string{"一般"}},
	{Value: General1, Code: "general_1", Zh: "一般数据1级", En: "general data, level 1"},
	{Value: General2, Code: "general_2", Zh: "一般数据2级", En: "general data, level 2"},
	{Value: General3, Code: "general_3", Zh: "一般数据3级", En: "general data, level 3"},
	{Value: General4, Code: "general_4", Zh: "一般数据4级", En: "general data, level 4"},
}

// Grades lists every grade from the loosest to the strictest.
func Grades() []Grade {
	return []Grade{General, General1, General2, General3, General4, Important, Core}
}

// GeneralLevel returns the general grade of level n (1–4), or General for 0.
func GeneralLevel(n int) (Grade, bool) {
	if n < 0 || n > 4 {
		return 0, false
	}
	return General + Grade(n), true
}

// Valid reports whether g is one of the grades.
func (g Grade) Valid() bool { _, ok := grades.Lookup(g); return ok }

// Class returns Core, Important or General (the level dropped).
func (g Grade) Class() Grade {
	if g >= General && g <= General4 {
		return General
	}
	return g
}

// Level returns the general level 1–4, or 0 for a grade without one.
func (g Grade) Level() int {
	if g > General && g <= General4 {
		return int(g - General)
	}
	return 0
}

// Stricter reports whether g is a stricter grade than o.
func (g Grade) Stricter(o Grade) bool { return g > o }

// AtLeast reports whether g is o or stricter.
func (g Grade) AtLeast(o Grade) bool { return g >= o }

// Max returns the strictest of the grades (就高从严), or 0 for none.
func Max(gs ...Grade) Grade {
	var m Grade
	for _, g := range gs {
		if g > m {
			m = g
		}
	}
	return m
}

// String returns the Chinese term, e.g. 重要数据 or 一般数据3级.
func (g Grade) String() string {
	if e, ok := grades.Lookup(g); ok {
		return e.Zh
	}
	if g == 0 {
		return "未定级"
	}
	return "Grade(" + strconv.Itoa(int(g)) + ")"
}

// English returns the English name, e.g. "general data, level 3".
func (g Grade) English() string { return textcode.English(grades, g) }

// MarshalText returns the stable code: core, important, general or
// general_1 … general_4. The zero value marshals to the empty text.
func (g Grade) MarshalText() ([]byte, error) { return textcode.Marshal(grades, "grade", g) }

// UnmarshalText accepts what ParseGrade accepts; the empty text is the
// zero value (not graded).
func (g *Grade) UnmarshalText(text []byte) error {
	if textcode.Trim(string(text)) == "" {
		*g = 0
		return nil
	}
	v, err := ParseGrade(string(text))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

func unknownGrade(s string) error {
	return &govshare.UnknownValueError{Type: "grade", Value: s, Accepted: grades.Codes()}
}

// ParseGrade accepts the Chinese terms (核心数据, 重要数据, 一般数据, 一般数据3级,
// 一般3级, 一般数据三级, 一般数据第3级), the short forms 核心, 重要, 一般, and the
// stable codes (general_3, also general-3 and general3). Anything else is a
// *govshare.UnknownValueError.
func ParseGrade(s string) (Grade, error) {
	return standardScheme.Parse(s)
}

// Scheme names the general levels of one jurisdiction. Provinces name the
// four levels of general data differently (1级…4级, 一级…四级, L1…L4); a
// Scheme formats grades with its names and parses them besides the
// standard forms.
type Scheme struct {
	// LevelNames are the names of general levels 1 to 4 as the
	// jurisdiction writes them after 一般数据, e.g. "3级" or "L3".
	LevelNames [4]string
}

// DefaultScheme names the general levels 1级 to 4级. It is a value to
// format with or to start a jurisdiction's Scheme from; ParseGrade does
// not read it, so changing it changes nothing else.
var DefaultScheme = standardScheme

// standardScheme is the scheme of ParseGrade and Grade.UnmarshalText.
var standardScheme = Scheme{LevelNames: [4]string{"1级", "2级", "3级", "4级"}}

// Format returns the Chinese name of g under the scheme, e.g. 一般数据L3.
func (s Scheme) Format(g Grade) string {
	if n := g.Level(); n > 0 && s.LevelNames[n-1] != "" {
		return "一般数据" + s.LevelNames[n-1]
	}
	return g.String()
}

var chineseDigits = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

// Parse reads a grade in the standard forms (see ParseGrade) or with the
// scheme's level names.
func (s Scheme) Parse(text string) (Grade, error) {
	t := textcode.Trim(text)
	if g, ok := grades.Parse(t); ok {
		return g, nil
	}
	lower := strings.ToLower(t)
	for _, p := range []string{"general_", "general-", "general"} {
		if rest, ok := strings.CutPrefix(lower, p); ok {
			if n, ok := chineseDigits[rest]; ok && len(rest) == 1 {
				return General + Grade(n), nil
			}
		}
	}
	for _, p := range []string{"一般数据", "一般"} {
		rest, ok := strings.CutPrefix(t, p)
		if !ok {
			continue
		}
		for i, name := range s.LevelNames {
			if name != "" && rest == name {
				return General + Grade(i+1), nil
			}
		}
		rest = strings.TrimPrefix(rest, "第")
		if r, ok := strings.CutSuffix(rest, "级"); ok {
			if n, ok := chineseDigits[r]; ok {
				return General + Grade(n), nil
			}
		}
	}
	return 0, unknownGrade(text)
}
