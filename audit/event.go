package audit

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/jcs"
	"github.com/govshare/govshare/internal/textcode"
)

// Event is one thing that happened, as the audit log records it: when, who
// (person, department, role), what (a stable dotted action code), to what
// (target kind and id), with which outcome, plus free details and a
// correlation id. These are the elements GB/T 22239-2019 (等保2.0) level 3
// asks of an audit record (8.1.4.3: 日期和时间、用户、事件类型、事件是否成功).
type Event struct {
	// Time is when the event happened. It is recorded to the nanosecond and
	// read back in China Standard Time; the log does not stamp events
	// itself (no global clock), the caller says when.
	Time time.Time `json:"time"`
	// Actor is who acted: the person, the department they act for, and the
	// role in which they act (谁使用谁负责, R16).
	Actor govshare.Actor `json:"actor"`
	// Action is what was done, a stable dotted code such as
	// "request.submit".
	Action Action `json:"action"`
	// Target is what the action was done to; both fields empty for an
	// event without a target.
	Target Target `json:"target"`
	// Outcome is success or failure.
	Outcome Outcome `json:"outcome"`
	// ErrorCode says why a failed event failed (a stable code such as
	// "forbidden"); empty on success.
	ErrorCode string `json:"error_code,omitempty"`
	// Details is a JSON object with whatever else the event needs (entry
	// id, items, the reason given, …). It is recorded in the RFC 8785
	// canonical form, so a Record's Details may differ in spacing, key
	// order and number spelling from what was appended; an empty object is
	// recorded as no details. Details already in canonical form — as
	// json.Marshal writes a map whose text has no <, >, & or U+2028/U+2029
	// and no negative zero — are taken as they are, without a copy: the
	// returned Record's Details is then the appended slice itself (the log
	// stores its own copy of the bytes).
	Details json.RawMessage `json:"details,omitempty"`
	// CorrelationID ties events of one business transaction or request
	// together (optional).
	CorrelationID string `json:"correlation_id,omitempty"`
}

// Action is a stable dotted code for what was done: lowercase ASCII
// segments of letters, digits and underscores, each starting with a
// letter, at least two of them, e.g. "catalog.publish", "request.submit",
// "request.reply", "grant.access". The packages that record events define
// their codes; the audit log only checks the shape.
type Action string

// maxActionLen bounds an action code.
const maxActionLen = 64

// Valid reports whether a has the shape of an action code.
func (a Action) Valid() bool { return validDotted(string(a), 2) }

// validDotted reports whether s is lowercase dotted segments ([a-z][a-z0-9_]*),
// at least min of them, at most maxActionLen bytes in all.
func validDotted(s string, min int) bool {
	if len(s) == 0 || len(s) > maxActionLen {
		return false
	}
	segments, start := 1, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if start {
				return false
			}
			segments++
			start = true
		case c >= 'a' && c <= 'z':
			start = false
		case (c >= '0' && c <= '9') || c == '_':
			if start {
				return false
			}
		default:
			return false
		}
	}
	return !start && segments >= min
}

// Target is what an action was done to: its kind (a lowercase code such as
// "application", "catalog.entry", "grant") and its id in the host.
type Target struct {
	Kind string `json:"kind,omitempty"` // a lowercase code, e.g. "application"
	ID   string `json:"id,omitempty"`   // the host's id of the thing
}

// Outcome says whether the action succeeded (事件是否成功).
type Outcome uint8

const (
	// Success is 成功.
	Success Outcome = iota + 1
	// Failure is 失败; the event's ErrorCode says why.
	Failure
)

var outcomes = textcode.Table[Outcome]{
	{Value: Success, Code: "success", Zh: "成功", En: "success"},
	{Value: Failure, Code: "failure", Zh: "失败", En: "failure"},
}

// String returns the Chinese term: 成功 or 失败.
func (o Outcome) String() string {
	if e, ok := outcomes.Lookup(o); ok {
		return e.Zh
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Valid reports whether o is Success or Failure.
func (o Outcome) Valid() bool { _, ok := outcomes.Lookup(o); return ok }

// MarshalText returns the stable code: success or failure.
func (o Outcome) MarshalText() ([]byte, error) { return marshalCode(outcomes, "outcome", o) }

// UnmarshalText accepts the stable code or the Chinese term.
func (o *Outcome) UnmarshalText(text []byte) error {
	return unmarshalCode(outcomes, "outcome", text, o)
}

// Limits bounds what one event may hold. The numbers are policy defaults of
// govshare, not law; a host may change them with WithLimits. Records
// already written are read whatever the limits.
type Limits struct {
	// MaxText is the most bytes of any text field (names, ids, codes).
	MaxText int
	// MaxDetails is the most bytes of the details object, in canonical form.
	MaxDetails int
	// MaxDepth is the deepest nesting of arrays and objects in the details.
	MaxDepth int
}

// DefaultLimits are the policy defaults: 1 KiB per text field, 16 KiB of
// details, nesting 32 deep.
var DefaultLimits = Limits{MaxText: 1 << 10, MaxDetails: 16 << 10, MaxDepth: 32}

// readLimits are what a reader accepts: anything a frame can hold.
var readLimits = Limits{MaxText: maxFramePayload, MaxDetails: maxFramePayload, MaxDepth: 1000}

func (l Limits) valid() bool { return l.MaxText > 0 && l.MaxDetails > 0 && l.MaxDepth > 0 }

// The representable range of event times: Unix nanoseconds in an int64.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// normalize checks e against the limits and returns it as it will be
// recorded: time in CST without monotonic reading, details canonical.
func (e Event) normalize(l Limits) (Event, error) {
	bad := func(field, zh, en string) (Event, error) {
		return Event{}, &EventError{Field: field, Reason: en, ReasonZh: zh}
	}
	if e.Time.IsZero() {
		return bad("time", "必填（事件发生的时间）", "required (when the event happened)")
	}
	if e.Time.Before(minTime) || e.Time.After(maxTime) {
		return bad("time", "超出纳秒 Unix 时间能表示的 1678–2262 年", "outside the years 1678–2262 that nanosecond Unix time can hold")
	}
	e.Time = time.Unix(0, e.Time.UnixNano()).In(cst)
	if !e.Action.Valid() {
		q := strconv.Quote(string(e.Action))
		return bad("action", q+" 不是 request.submit 这样以点分隔的小写代码", q+" is not a dotted lowercase code such as request.submit")
	}
	if e.Actor.ID == "" {
		return bad("actor.id", "必填（由谁操作）", "required (who acted)")
	}
	if !e.Actor.Role.Valid() {
		return bad("actor.role", "必填：clerk、office_head、authority 或 system", "required: clerk, office_head, authority or system")
	}
	// A credit code that identifies nothing (Department.ID: one with a
	// ':', which "dir:…" would read back as a directory id).
	if e.Actor.Department.CreditCode != "" && e.Actor.Department.ID() == "" {
		return bad("actor.department.credit_code", "不能含有“:”（统一社会信用代码没有这个字符，"+dirPrefix+" 是目录标识的写法）",
			"must not contain ':' (no credit code has one; "+dirPrefix+" is the form of a directory id)")
	}
	if e.Actor.Role != govshare.System && e.Actor.Department.ID() == "" {
		return bad("actor.department", "代表部门操作的人员须有部门身份（统一社会信用代码，或无代码部门的目录标识），名称不是身份",
			"required for a person acting for a department: its identity (credit code, or the directory id of a department without one); a name is none")
	}
	// The record holds the department's identity, Department.ID: the
	// directory id is ignored beside a credit code, and a credit code that
	// reads as a directory id would come back as one.
	if e.Actor.Department.CreditCode != "" {
		e.Actor.Department.DirectoryID = ""
	}
	if e.Actor.Department.Level != 0 && !e.Actor.Department.Level.Valid() {
		n := strconv.Itoa(int(e.Actor.Department.Level))
		return bad("actor.department.level", "未知的层级 "+n, "unknown level "+n)
	}
	if e.Target.Kind == "" && e.Target.ID != "" {
		return bad("target.kind", "填写 target.id 时必填", "required when target.id is given")
	}
	if e.Target.Kind != "" && !validDotted(e.Target.Kind, 1) {
		q := strconv.Quote(e.Target.Kind)
		return bad("target.kind", q+" 不是 application 这样的小写代码", q+" is not a lowercase code such as application")
	}
	if e.Target.Kind != "" && e.Target.ID == "" {
		return bad("target.id", "填写 target.kind 时必填", "required when target.kind is given")
	}
	switch e.Outcome {
	case Success:
		if e.ErrorCode != "" {
			return bad("error_code", "成功时须为空", "must be empty on success")
		}
	case Failure:
		if e.ErrorCode == "" {
			return bad("error_code", "失败时必填（失败的原因）", "required on failure (why it failed)")
		}
	default:
		return bad("outcome", "必填：success 或 failure", "required: success or failure")
	}
	texts := [...]struct{ field, s string }{
		{"actor.id", e.Actor.ID},
		{"actor.name", e.Actor.Name},
		{"actor.department.name", e.Actor.Department.Name},
		{"actor.department.credit_code", e.Actor.Department.CreditCode},
		{"actor.department.directory_id", e.Actor.Department.DirectoryID},
		{"actor.department.region_code", e.Actor.Department.RegionCode},
		{"target.id", e.Target.ID},
		{"error_code", e.ErrorCode},
		{"correlation_id", e.CorrelationID},
	}
	for _, t := range texts {
		if err := checkText(t.field, t.s, l.MaxText); err != nil {
			return Event{}, err
		}
	}
	if len(e.Details) > 0 {
		if !isObject(e.Details) {
			return bad("details", "须为 JSON 对象", "must be a JSON object")
		}
		d, err := jcs.Canonicalize(e.Details, l.MaxDepth)
		if err != nil {
			var je *jcs.Error
			if errors.As(err, &je) && je.TooDeep {
				return Event{}, &EventError{Field: "details", Reason: err.Error(),
					ReasonZh: "嵌套超过 " + strconv.Itoa(l.MaxDepth) + " 层的限制", Limit: l.MaxDepth}
			}
			return bad("details", "不是 RFC 8785 能规范化的 JSON："+err.Error(), err.Error())
		}
		if len(d) > l.MaxDetails {
			n, max := strconv.Itoa(len(d)), strconv.Itoa(l.MaxDetails)
			return Event{}, &EventError{Field: "details", Limit: l.MaxDetails,
				Reason:   n + " bytes in canonical form, more than the limit of " + max,
				ReasonZh: "规范化后 " + n + " 字节，超过 " + max + " 字节的限制"}
		}
		if string(d) == "{}" {
			d = nil
		}
		e.Details = d
	} else {
		e.Details = nil
	}
	return e, nil
}

// isObject reports whether the JSON text b is an object: whether its
// first byte after whitespace is '{'.
func isObject(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c == '{'
		}
	}
	return false
}

// checkText returns why s cannot be the text field, or nil: too long,
// a control character (below U+0020, or DEL), or not UTF-8.
func checkText(field, s string, max int) error {
	if len(s) > max {
		n, m := strconv.Itoa(len(s)), strconv.Itoa(max)
		return &EventError{Field: field, Limit: max,
			Reason: n + " bytes, more than the limit of " + m, ReasonZh: n + " 字节，超过 " + m + " 字节的限制"}
	}
	var all byte // every byte ORed, to tell ASCII
	for i := 0; i < len(s); i++ {
		// In UTF-8 a byte below 0x80 is always that ASCII character.
		if c := s[i]; c < 0x20 || c == 0x7f {
			q := strconv.QuoteRune(rune(c))
			return &EventError{Field: field, Reason: "contains control character " + q, ReasonZh: "含有控制字符 " + q}
		} else {
			all |= c
		}
	}
	if all >= utf8.RuneSelf && !utf8.ValidString(s) {
		return &EventError{Field: field, Reason: "not valid UTF-8", ReasonZh: "不是有效的 UTF-8"}
	}
	return nil
}
