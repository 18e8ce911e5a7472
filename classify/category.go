package classify

import (
	"fmt"
	"strings"
	"sync"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
	"github.com/govshare/govshare/internal/textcode"
)

// Category is a hierarchical data classification (数据分类): the sector
// (行业领域) first, then business attributes — the data subject (数据主体:
// 人/地/事/物/组织) and the resource attribute (资源属性: 基础/主题/部门) —
// written as a path of stable codes separated by "/", e.g.
// "social_security/person/basic". A Registry knows the codes, their
// Chinese names and which may follow which. The zero value means not
// classified.
type Category string

// Segments returns the codes of the path, e.g. [social_security person basic].
func (c Category) Segments() []string {
	if c == "" {
		return nil
	}
	return strings.Split(string(c), "/")
}

// Sector returns the first segment, the 行业领域.
func (c Category) Sector() string {
	s, _, _ := strings.Cut(string(c), "/")
	return s
}

// Parent returns the category one level up, or "" for a sector.
func (c Category) Parent() Category {
	i := strings.LastIndex(string(c), "/")
	if i < 0 {
		return ""
	}
	return c[:i]
}

// Classification is what a catalog entry carries as its 数据分类分级 (R6):
// a category and a grade.
type Classification struct {
	// Category is the 数据分类, a path of codes ("social_security/person/basic").
	Category Category `json:"category,omitempty"`
	// Grade is the 数据分级.
	Grade Grade `json:"grade,omitempty"`
}

// String returns e.g. "社会保障/人/基础 一般数据3级", naming the category
// with the default sectors of NewRegistry; a category a host registered
// in its own Registry is shown by its codes (Registry.Name names it).
func (c Classification) String() string {
	name := standardRegistry().Name(c.Category)
	if name == "" {
		name = string(c.Category)
	}
	return strings.TrimSpace(name + " " + c.Grade.String())
}

// ErrUnknownCategory is the kind of the error for a category path with a
// segment the registry does not know, or in a place it may not stand. Like
// an unknown enumeration value, errors.Is(err, govshare.ErrMalformed) holds.
var ErrUnknownCategory = kinded.New("classify: unknown category", govshare.ErrMalformed)

// ErrInvalidCategory is the kind of the error Register returns for a code
// that is not lowercase ASCII letters, digits and underscores, or a
// category without a Chinese name (govshare.ErrMalformed, as for a share
// method code, govshare.Methods.Register).
var ErrInvalidCategory = kinded.New("classify: invalid category", govshare.ErrMalformed)

// ErrDuplicateCategory is the kind of the error Register returns for a path
// that is registered already (govshare.ErrConflict, as for a share method
// registered twice).
var ErrDuplicateCategory = kinded.New("classify: category already registered", govshare.ErrConflict)

// CategoryError names the path and the segment that is not known (or, from
// Register, not acceptable).
type CategoryError struct {
	Category string // the path given
	Segment  string // the first segment not accepted
	Depth    int    // its position, 0 for the sector
	// Problem is ErrUnknownCategory (also when nil), ErrInvalidCategory
	// or ErrDuplicateCategory.
	Problem error
}

// Error names the category and what is wrong with it.
func (e *CategoryError) Error() string {
	switch e.problem() {
	case ErrInvalidCategory:
		return fmt.Sprintf("classify: category %q: code %q must be lowercase ASCII letters, digits or underscores, with a Chinese name", e.Category, e.Segment)
	case ErrDuplicateCategory:
		return fmt.Sprintf("classify: category %q is already registered", e.Category)
	}
	what := [...]string{"sector (行业领域)", "data subject (数据主体) or sub-category", "resource attribute (资源属性) or sub-category"}
	w := "sub-category"
	if e.Depth < len(what) {
		w = what[e.Depth]
	}
	return fmt.Sprintf("classify: category %q: %q is not a registered %s", e.Category, e.Segment, w)
}

func (e *CategoryError) problem() error {
	if e.Problem == nil {
		return ErrUnknownCategory
	}
	return e.Problem
}

// Unwrap returns the error's problem (ErrUnknownCategory unless Problem
// says otherwise), whose kind is the error's kind.
func (e *CategoryError) Unwrap() error { return e.problem() }

// ErrorMessage implements govshare.Messenger.
func (e *CategoryError) ErrorMessage() govshare.Message {
	m := govshare.Message{En: e.Error(), Citation: govshare.Rule("R6")}
	switch e.problem() {
	case ErrInvalidCategory:
		m.Code = "classify.invalid_category"
		m.Zh = fmt.Sprintf("数据分类“%s”无法登记：代码“%s”须为小写英文字母、数字或下划线，并有中文名称", e.Category, e.Segment)
	case ErrDuplicateCategory:
		m.Code = "classify.duplicate_category"
		m.Zh = fmt.Sprintf("数据分类“%s”已登记", e.Category)
	default:
		what := [...]string{"行业领域", "数据主体或子类", "资源属性或子类"}
		w := "子类"
		if e.Depth < len(what) {
			w = what[e.Depth]
		}
		m.Code = "classify.unknown_category"
		m.Zh = fmt.Sprintf("数据分类“%s”中的“%s”不是已登记的%s", e.Category, e.Segment, w)
	}
	return m
}

// Node is one registered category segment.
type Node struct {
	// Path is the full code path of the node, e.g. "public_security" or,
	// for a host's sub-sector, "public_security/household".
	Path Category `json:"path"`
	// Name is the Chinese name, NameEN the English one.
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"` // see Name
}

// Registry holds the known categories: sectors and their sub-categories as
// a tree, and the generic business attributes that may follow any of them
// (data subject, then resource attribute). It is safe for concurrent use.
// The zero value is an empty registry (no sectors) ready to use.
//
// A registry is an instance, never package state: a host makes one with
// NewRegistry at start-up, registers its own categories into it and passes
// it where categories are checked (catalog.WithRegistry).
type Registry struct {
	mu      sync.RWMutex
	nodes   map[Category]Node
	byName  map[string]Category // Chinese name path → code path
	sectors []Category          // in the order registered
}

// subjects are the data subjects (数据主体) and resources the resource
// attributes (资源属性) that may follow any sector.
var (
	subjects = textcode.Table[string]{
		{Value: "person", Code: "person", Zh: "人", En: "person", Aliases: []string{"人员", "自然人"}},
		{Value: "place", Code: "place", Zh: "地", En: "place", Aliases: []string{"地点"}},
		{Value: "event", Code: "event", Zh: "事", En: "event", Aliases: []string{"事件"}},
		{Value: "thing", Code: "thing", Zh: "物", En: "thing", Aliases: []string{"物品"}},
		{Value: "organization", Code: "organization", Zh: "组织", En: "organization", Aliases: []string{"法人", "机构"}},
	}
	resources = textcode.Table[string]{
		{Value: "basic", Code: "basic", Zh: "基础", En: "basic", Aliases: []string{"基础信息资源"}},
		{Value: "thematic", Code: "thematic", Zh: "主题", En: "thematic", Aliases: []string{"主题信息资源"}},
		{Value: "departmental", Code: "departmental", Zh: "部门", En: "departmental", Aliases: []string{"部门信息资源"}},
	}
)

// NewRegistry returns a registry with the sectors of common government
// data (a policy default the host extends with Register) and the standard
// business attributes.
func NewRegistry() *Registry {
	r := &Registry{}
	for _, s := range defaultSectors {
		if err := r.Register(Category(s[0]), s[1], s[2]); err != nil {
			panic(err) // the defaults are constants of this file
		}
	}
	return r
}

var defaultSectors = [][3]string{
	{"general_affairs", "综合政务", "general government affairs"},
	{"public_security", "公共安全", "public security"},
	{"justice", "司法", "justice"},
	{"civil_affairs", "民政", "civil affairs"},
	{"human_resources", "人力资源", "human resources"},
	{"social_security", "社会保障", "social security"},
	{"health", "卫生健康", "health"},
	{"education", "教育", "education"},
	{"market_regulation", "市场监管", "market regulation"},
	{"taxation", "税务", "taxation"},
	{"finance", "财政", "public finance"},
	{"natural_resources", "自然资源", "natural resources"},
	{"ecology", "生态环境", "ecology and environment"},
	{"housing", "住房城乡建设", "housing and construction"},
	{"transport", "交通运输", "transport"},
	{"agriculture", "农业农村", "agriculture"},
	{"water", "水利", "water resources"},
	{"commerce", "商务", "commerce"},
	{"culture_tourism", "文化旅游", "culture and tourism"},
	{"emergency", "应急管理", "emergency management"},
	{"statistics", "统计", "statistics"},
	{"science", "科技", "science and technology"},
}

// standardRegistry holds the default sectors for Classification.String.
// It is not exported, so nothing registers into it.
var standardRegistry = sync.OnceValue(NewRegistry)

// Register adds a category: a sector (a path of one code) or a
// sub-category under a registered one ("public_security/household"). Codes
// are lowercase ASCII letters, digits and underscores. A bad code or a
// missing Chinese name (ErrInvalidCategory), an unregistered parent
// (ErrUnknownCategory) or a path registered already (ErrDuplicateCategory)
// is a *CategoryError.
func (r *Registry) Register(path Category, name, nameEN string) error {
	segs := path.Segments()
	if len(segs) == 0 || textcode.Trim(name) == "" || strings.Contains(name, "/") {
		return &CategoryError{Category: string(path), Segment: string(path), Problem: ErrInvalidCategory}
	}
	for i, s := range segs {
		if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			return &CategoryError{Category: string(path), Segment: s, Depth: i, Problem: ErrInvalidCategory}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nodes == nil {
		r.nodes, r.byName = map[Category]Node{}, map[string]Category{}
	}
	parentName := ""
	if p := path.Parent(); p != "" {
		n, ok := r.nodes[p]
		if !ok {
			return &CategoryError{Category: string(path), Segment: segs[len(segs)-2], Depth: len(segs) - 2}
		}
		parentName = r.namePathLocked(n.Path) + "/"
	}
	if _, dup := r.nodes[path]; dup {
		return &CategoryError{Category: string(path), Segment: segs[len(segs)-1], Depth: len(segs) - 1, Problem: ErrDuplicateCategory}
	}
	if _, dup := r.byName[parentName+name]; dup {
		return &CategoryError{Category: string(path), Segment: name, Depth: len(segs) - 1, Problem: ErrDuplicateCategory}
	}
	r.nodes[path] = Node{Path: path, Name: name, NameEN: nameEN}
	r.byName[parentName+name] = path
	if len(segs) == 1 {
		r.sectors = append(r.sectors, path)
	}
	return nil
}

func (r *Registry) namePathLocked(c Category) string {
	var names []string
	for p := c; p != ""; p = p.Parent() {
		names = append([]string{r.nodes[p].Name}, names...)
	}
	return strings.Join(names, "/")
}

// Parse reads a category written with codes or Chinese names, separated
// by "/" (also "／", "-" between Chinese names is not accepted), e.g.
// "社会保障/人/基础" or "social_security/person/basic", and returns the code
// path. Unknown segments give a *CategoryError.
func (r *Registry) Parse(s string) (Category, error) {
	s = strings.ReplaceAll(textcode.Trim(s), "／", "/")
	if s == "" {
		return "", nil
	}
	parts := strings.Split(s, "/")
	r.mu.RLock()
	defer r.mu.RUnlock()
	var path Category
	namePath := ""
	depth := 0
	for i, raw := range parts {
		p := textcode.Trim(raw)
		var next Category
		if path == "" {
			next = Category(strings.ToLower(p))
		} else {
			next = path + "/" + Category(strings.ToLower(p))
		}
		if _, ok := r.nodes[next]; ok {
			path, namePath = next, r.namePathLocked(next)
			depth = i + 1
			continue
		}
		cand := p
		if namePath != "" {
			cand = namePath + "/" + p
		}
		if c, ok := r.byName[cand]; ok {
			path, namePath = c, cand
			depth = i + 1
			continue
		}
		break
	}
	if path == "" {
		return "", &CategoryError{Category: s, Segment: parts[0], Depth: 0}
	}
	// After the sector tree: at most a data subject, then a resource attribute.
	rest := parts[depth:]
	tables := []textcode.Table[string]{subjects, resources}
	for i, raw := range rest {
		if i >= len(tables) {
			return "", &CategoryError{Category: s, Segment: raw, Depth: depth + i}
		}
		v, ok := tables[i].Parse(raw)
		if !ok && i == 0 {
			// A resource attribute may follow the sector directly.
			if v, ok = resources.Parse(raw); ok {
				tables = tables[1:]
			}
		}
		if !ok {
			return "", &CategoryError{Category: s, Segment: raw, Depth: depth + i}
		}
		path += "/" + Category(v)
	}
	return path, nil
}

// Check reports whether c is a category the registry accepts, as a
// *CategoryError if not.
func (r *Registry) Check(c Category) error {
	got, err := r.Parse(string(c))
	if err != nil {
		return err
	}
	if got != c {
		return &CategoryError{Category: string(c), Segment: string(c), Depth: 0}
	}
	return nil
}

// Name returns the Chinese name path of c, e.g. 社会保障/人/基础, or "" if
// c is not a registered category.
func (r *Registry) Name(c Category) string {
	if r.Check(c) != nil {
		return ""
	}
	segs := c.Segments()
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	var path Category
	i := 0
	for ; i < len(segs); i++ {
		next := Category(segs[i])
		if path != "" {
			next = path + "/" + next
		}
		n, ok := r.nodes[next]
		if !ok {
			break
		}
		names = append(names, n.Name)
		path = next
	}
	for _, s := range segs[i:] {
		if e, ok := subjects.Lookup(s); ok {
			names = append(names, e.Zh)
		} else if e, ok := resources.Lookup(s); ok {
			names = append(names, e.Zh)
		}
	}
	return strings.Join(names, "/")
}

// Sectors lists the registered sector nodes (paths of one segment) in the
// order they were registered, the default sectors first.
func (r *Registry) Sectors() []Node {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Node, len(r.sectors))
	for i, p := range r.sectors {
		out[i] = r.nodes[p]
	}
	return out
}
