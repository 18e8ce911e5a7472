package govshare

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/govshare/govshare/internal/textcode"
)

// ErrUnknownValue is the kind of every error that reports a text that names
// no value of an enumeration (a share attribute, method, role, …).
var ErrUnknownValue = textcode.ErrUnknownValue

// UnknownValueError names the enumeration, the text that was given and the
// codes that would have been accepted. errors.Is(err, ErrUnknownValue)
// holds. Every package of govshare reports unknown enumeration values with
// it.
type UnknownValueError = textcode.UnknownValueError

// ShareAttribute is the 共享属性 of a catalog entry or data item (R7). The
// zero value means not stated. Attributes are ordered from the most open to
// the strictest: Unconditional, Conditional, NotShared.
type ShareAttribute uint8

const (
	// Unconditional is 无条件共享: shared with any department whose duties
	// need it, answered within 1 working day (R7, R10).
	Unconditional ShareAttribute = iota + 1
	// Conditional is 有条件共享: shared only under the conditions the entry
	// states, answered within 10 working days (R7, R11).
	Conditional
	// NotShared is 不予共享: not shared, on the legal basis the entry states
	// (R7).
	NotShared
)

var shareAttributes = textcode.Table[ShareAttribute]{
	{Value: Unconditional, Code: "unconditional", Zh: "无条件共享", En: "unconditional sharing", Aliases: []string{"无条件"}},
	{Value: Conditional, Code: "conditional", Zh: "有条件共享", En: "conditional sharing", Aliases: []string{"有条件"}},
	{Value: NotShared, Code: "not_shared", Zh: "不予共享", En: "not shared", Aliases: []string{"不共享"}},
}

// ShareAttributes lists the share attributes from the most open to the strictest.
func ShareAttributes() []ShareAttribute {
	return []ShareAttribute{Unconditional, Conditional, NotShared}
}

// String returns the Chinese term, e.g. 有条件共享.
func (a ShareAttribute) String() string { return textcode.String(shareAttributes, "ShareAttribute", a) }

// English returns the English name, e.g. "conditional sharing".
func (a ShareAttribute) English() string { return textcode.English(shareAttributes, a) }

// Valid reports whether a is one of the three attributes of R7.
func (a ShareAttribute) Valid() bool { _, ok := shareAttributes.Lookup(a); return ok }

// Stricter reports whether a shares less freely than b (NotShared is
// stricter than Conditional, which is stricter than Unconditional).
func (a ShareAttribute) Stricter(b ShareAttribute) bool { return a > b }

// MarshalText returns the stable code: unconditional, conditional or not_shared.
func (a ShareAttribute) MarshalText() ([]byte, error) {
	return textcode.Marshal(shareAttributes, "share attribute", a)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (a *ShareAttribute) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(shareAttributes, "share attribute", text, a)
}

// ParseShareAttribute parses a stable code or Chinese term.
func ParseShareAttribute(s string) (ShareAttribute, error) {
	var a ShareAttribute
	err := a.UnmarshalText([]byte(s))
	if err == nil && a == 0 {
		err = &UnknownValueError{Type: "share attribute", Value: s, Accepted: shareAttributes.Codes()}
	}
	return a, err
}

// ShareMethod is a 共享方式 (R13). The regulation names three methods "among
// others"; a host adds its own to a Methods registry it passes to the
// packages that check methods (catalog.WithMethods). The value is the
// stable code, so methods compare and sort as strings.
type ShareMethod string

const (
	// ServiceAPI is 服务接口: data served through an interface call (R13).
	ServiceAPI ShareMethod = "service_api"
	// BatchExchange is 批量交换: data delivered in batches through the
	// exchange platform (R13).
	BatchExchange ShareMethod = "batch_exchange"
	// FileDownload is 文件下载: data offered as files to download (R13).
	FileDownload ShareMethod = "file_download"
)

// standardMethods are the three methods R13 names.
var standardMethods = textcode.Table[ShareMethod]{
	{Value: ServiceAPI, Code: string(ServiceAPI), Zh: "服务接口", En: "service interface", Aliases: []string{"接口", "api"}},
	{Value: BatchExchange, Code: string(BatchExchange), Zh: "批量交换", En: "batch exchange", Aliases: []string{"库表交换"}},
	{Value: FileDownload, Code: string(FileDownload), Zh: "文件下载", En: "file download"},
}

// ErrMethodRegistered is returned by Methods.Register for a code or term
// that is already taken. errors.Is(err, ErrConflict) holds.
var ErrMethodRegistered = &CodedError{Kind: ErrConflict, Code: "govshare.method_registered",
	Zh: "共享方式已登记", En: "govshare: share method already registered"}

// Methods is a registry of share methods: the three of R13 and those a
// host registers ("等方式", R13), with their Chinese and English terms. It
// is an instance, like classify.Registry: a host builds one at start-up and
// passes it where methods are checked or parsed. It is safe for concurrent
// use.
type Methods struct {
	mu    sync.RWMutex
	table textcode.Table[ShareMethod]
}

// NewMethods returns a registry holding the three methods of R13.
func NewMethods() *Methods {
	return &Methods{table: slices.Clone(standardMethods)}
}

// Register adds a share method the regulation allows but does not name,
// e.g. ("data_sandbox", "数据沙箱", "data sandbox"). The code must be
// lowercase ASCII letters, digits and underscores, and the Chinese term
// non-empty; a code or term already taken is ErrMethodRegistered.
func (r *Methods) Register(code, zh, en string) (ShareMethod, error) {
	if !ShareMethod(code).Valid() || strings.TrimSpace(zh) == "" {
		return "", &CodedError{Kind: ErrMalformed, Code: "govshare.method_code",
			Zh: fmt.Sprintf("共享方式代码“%s”须为小写英文字母、数字或下划线，并有中文名称", code),
			En: fmt.Sprintf("govshare: share method code %q must be non-empty lowercase ASCII letters, digits or underscores, with a Chinese term", code)}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.table {
		if e.Code == code || e.Zh == zh {
			return "", fmt.Errorf("%w: %q (%s)", ErrMethodRegistered, code, zh)
		}
	}
	m := ShareMethod(code)
	r.table = append(r.table, textcode.Entry[ShareMethod]{Value: m, Code: code, Zh: zh, En: en})
	return m, nil
}

// List returns the registered methods, the regulation's three first.
func (r *Methods) List() []ShareMethod {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]ShareMethod, len(r.table))
	for i, e := range r.table {
		out[i] = e.Value
	}
	return out
}

// Has reports whether m is registered.
func (r *Methods) Has(m ShareMethod) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.table.Lookup(m)
	return ok
}

// Terms returns the Chinese terms of the registered methods, in order.
func (r *Methods) Terms() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.table.Terms()
}

// Zh returns the Chinese term of a registered method, or m's code.
func (r *Methods) Zh(m ShareMethod) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if e, ok := r.table.Lookup(m); ok {
		return e.Zh
	}
	return m.String()
}

// Parse parses the stable code or the Chinese term of a registered method.
// Anything else is an *UnknownValueError listing the registered codes.
func (r *Methods) Parse(s string) (ShareMethod, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var m ShareMethod
	err := textcode.Unmarshal(r.table, "share method", []byte(s), &m)
	if err == nil && m == "" {
		err = &UnknownValueError{Type: "share method", Value: s, Accepted: r.table.Codes()}
	}
	return m, err
}

// String returns the Chinese term of the three methods of R13, 未填写 for
// the empty method and the code of any other.
func (m ShareMethod) String() string {
	if e, ok := standardMethods.Lookup(m); ok {
		return e.Zh
	}
	if m == "" {
		return "未填写"
	}
	return string(m)
}

// English returns the English name of the three methods of R13, and the
// code of any other.
func (m ShareMethod) English() string {
	if e, ok := standardMethods.Lookup(m); ok {
		return e.En
	}
	return string(m)
}

// Standard reports whether m is one of the three methods R13 names.
func (m ShareMethod) Standard() bool { _, ok := standardMethods.Lookup(m); return ok }

// Valid reports whether m is a well-formed code: non-empty lowercase ASCII
// letters, digits and underscores. Whether a host accepts it is for its
// Methods registry to say.
func (m ShareMethod) Valid() bool {
	return m != "" && len(m) <= 64 && strings.Trim(string(m), "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

// MarshalText returns the stable code; a malformed code is an error.
func (m ShareMethod) MarshalText() ([]byte, error) {
	if m == "" {
		return []byte{}, nil
	}
	if !m.Valid() {
		return nil, &UnknownValueError{Type: "share method", Value: string(m), Accepted: standardMethods.Codes()}
	}
	return []byte(m), nil
}

// UnmarshalText accepts the code or the Chinese term of a method of R13,
// or any well-formed code (a host's own method, which its Methods registry
// checks where it matters).
func (m *ShareMethod) UnmarshalText(text []byte) error {
	if err := textcode.Unmarshal(standardMethods, "share method", text, m); err == nil {
		return nil
	}
	if c := ShareMethod(textcode.Trim(string(text))); c.Valid() {
		*m = c
		return nil
	}
	return &UnknownValueError{Type: "share method", Value: string(text), Accepted: standardMethods.Codes()}
}

// ParseShareMethod parses the code or Chinese term of one of the three
// methods of R13; a host's own methods parse through its Methods.
func ParseShareMethod(s string) (ShareMethod, error) {
	var m ShareMethod
	err := textcode.Unmarshal(standardMethods, "share method", []byte(s), &m)
	if err == nil && m == "" {
		err = &UnknownValueError{Type: "share method", Value: s, Accepted: standardMethods.Codes()}
	}
	return m, err
}

// Level is the administrative level of a department or government (R1–R3).
type Level uint8

const (
	// National is 国家级: the State Council and its departments (R1, R3).
	National Level = iota + 1
	// Provincial is 省级: provinces, autonomous regions, municipalities (R2).
	Provincial
	// City is 市级: prefecture-level cities and their peers (R2).
	City
	// County is 县级: counties, county-level cities and districts (R2).
	County
)

var levels = textcode.Table[Level]{
	{Value: National, Code: "national", Zh: "国家级", En: "national", Aliases: []string{"国家", "中央"}},
	{Value: Provincial, Code: "provincial", Zh: "省级", En: "provincial", Aliases: []string{"省"}},
	{Value: City, Code: "city", Zh: "市级", En: "city", Aliases: []string{"市", "地市级"}},
	{Value: County, Code: "county", Zh: "县级", En: "county", Aliases: []string{"县", "区县级"}},
}

// String returns the Chinese term, e.g. 省级.
func (l Level) String() string { return textcode.String(levels, "Level", l) }

// English returns the English name, e.g. "provincial".
func (l Level) English() string { return textcode.English(levels, l) }

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { _, ok := levels.Lookup(l); return ok }

// MarshalText returns the stable code: national, provincial, city or county.
func (l Level) MarshalText() ([]byte, error) { return textcode.Marshal(levels, "level", l) }

// UnmarshalText accepts the stable code or the Chinese term.
func (l *Level) UnmarshalText(text []byte) error { return textcode.Unmarshal(levels, "level", text, l) }

// Department is a government department (政府部门) or a body authorised by
// law to manage public affairs, as a party to sharing.
//
// A department is identified by its 统一社会信用代码 where it has one; a
// department without one is identified by the DirectoryID the host's
// directory gives it. A name is never an identity: two departments with
// the same name and no code are not the same department, and a name that
// looks like a credit code identifies nothing (see ID).
type Department struct {
	// Name is the department's official name, e.g. 某市公安局. For display.
	Name string `json:"name" validate:"required,max=200"`
	// CreditCode is its 统一社会信用代码 (GB 32100-2015), 18 characters.
	CreditCode string `json:"credit_code,omitempty"`
	// DirectoryID identifies, in the host's directory, a department that
	// has no credit code. It is ignored when CreditCode is set.
	DirectoryID string `json:"directory_id,omitempty"`
	// RegionCode is the 行政区划代码 (GB/T 2260) of the government it
	// belongs to, 6 digits.
	RegionCode string `json:"region_code,omitempty"`
	// Level is the administrative level of the government it belongs to.
	Level Level `json:"level,omitempty"`
}

// ID returns the key by which govshare compares departments: the credit
// code when there is one, otherwise DirectoryPrefix and the DirectoryID, otherwise
// the empty string (the department identifies nothing). It never returns
// the name. A CreditCode with a ':' in it — never one of GB 32100's
// characters — identifies nothing either, so that no credit code can
// spell a directory identity ("dir:…") and be taken for that department.
func (d Department) ID() string {
	if d.CreditCode != "" {
		if strings.IndexByte(d.CreditCode, ':') >= 0 {
			return ""
		}
		return d.CreditCode
	}
	if d.DirectoryID != "" {
		return DirectoryPrefix + d.DirectoryID
	}
	return ""
}

// DirectoryPrefix begins the identity (ID) of a department known by its
// DirectoryID: "dir:" and the directory id.
const DirectoryPrefix = "dir:"

// SetID sets the identity fields from an identity as ID returns it:
// DirectoryPrefix and a directory id sets DirectoryID, anything else
// CreditCode; the other field is cleared. The way stores and transports
// read back a department they keep by its identity.
func (d *Department) SetID(id string) {
	if rest, ok := strings.CutPrefix(id, DirectoryPrefix); ok {
		d.CreditCode, d.DirectoryID = "", rest
		return
	}
	d.CreditCode, d.DirectoryID = id, ""
}

// Same reports whether d and o are the same department: both have an
// identity (ID) and it is the same.
func (d Department) Same(o Department) bool { return d.ID() != "" && d.ID() == o.ID() }

// String returns the department's name.
func (d Department) String() string { return d.Name }

// Role is the capacity in which a person acts (R2, R4).
type Role uint8

const (
	// Clerk is 经办人: prepares and submits applications, replies and
	// deliveries for a department.
	Clerk Role = iota + 1
	// OfficeHead is 工作机构负责人: the head of a department's sharing office,
	// who must agree to every outgoing application and every reply (R4, R8, R9).
	OfficeHead
	// Authority is 政务数据共享主管部门: the competent department for data
	// sharing at a level of government (not a sector's 行业主管部门), which
	// approves extensions and coordinates disputes (R2, R12, R21).
	Authority
	// System is 系统: the hosting platform acting on its own, e.g. expiring a
	// grant at the end of its period.
	System
)

var roles = textcode.Table[Role]{
	{Value: Clerk, Code: "clerk", Zh: "经办人", En: "clerk"},
	{Value: OfficeHead, Code: "office_head", Zh: "工作机构负责人", En: "sharing-office head", Aliases: []string{"负责人"}},
	{Value: Authority, Code: "authority", Zh: "政务数据共享主管部门", En: "competent department for data sharing", Aliases: []string{"主管部门", "共享主管部门"}},
	{Value: System, Code: "system", Zh: "系统", En: "system"},
}

// String returns the Chinese term, e.g. 工作机构负责人.
func (r Role) String() string { return textcode.String(roles, "Role", r) }

// English returns the English name, e.g. "sharing-office head".
func (r Role) English() string { return textcode.English(roles, r) }

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { _, ok := roles.Lookup(r); return ok }

// MarshalText returns the stable code: clerk, office_head, authority or system.
func (r Role) MarshalText() ([]byte, error) { return textcode.Marshal(roles, "role", r) }

// UnmarshalText accepts the stable code or the Chinese term.
func (r *Role) UnmarshalText(text []byte) error { return textcode.Unmarshal(roles, "role", text, r) }

// Actor is a person (or the system) acting for a department in a role.
// Every command in govshare carries one, and the audit log records it.
type Actor struct {
	// ID identifies the person in the host's user directory.
	ID string `json:"id" validate:"required"`
	// Name is the person's name, for display.
	Name string `json:"name,omitempty"`
	// Department is the department the person acts for.
	Department Department `json:"department"`
	// Role is the capacity in which the person acts.
	Role Role `json:"role"`
}

// Same reports whether a and o are the same person acting in the same
// capacity: the same ID, the same department (Department.Same, or both
// without one) and the same role.
func (a Actor) Same(o Actor) bool {
	if a.ID == "" || a.ID != o.ID || a.Role != o.Role {
		return false
	}
	return a.Department.ID() == o.Department.ID()
}

// String returns "name (role, department)".
func (a Actor) String() string {
	name := a.Name
	if name == "" {
		name = a.ID
	}
	if a.Department.Name == "" {
		return fmt.Sprintf("%s（%s）", name, a.Role)
	}
	return fmt.Sprintf("%s（%s，%s）", name, a.Role, a.Department.Name)
}
