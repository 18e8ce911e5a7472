package errkind

// Kind is one kind of error: a stable code, a generic message in Chinese
// and English, and the HTTP status a transport gives it.
type Kind struct {
	code   string
	zh, en string
	status int
}

// New returns a kind. Only this package and the root package call it.
func New(code, zh, en string, status int) *Kind {
	return &Kind{code: code, zh: zh, en: en, status: status}
}

// Error returns "govshare: " and the English message.
func (k *Kind) Error() string { return "govshare: " + k.en }

// Code returns the stable code, e.g. "not_found".
func (k *Kind) Code() string { return k.code }

// Zh returns the generic Chinese message, e.g. 未找到.
func (k *Kind) Zh() string { return k.zh }

// En returns the generic English message, e.g. "not found".
func (k *Kind) En() string { return k.en }

// Status returns the HTTP status of the kind.
func (k *Kind) Status() int { return k.status }

// The kinds. See the root package for what each means.
var (
	Malformed   = New("malformed", "内容无法解析", "malformed input", 400)
	Invalid     = New("invalid", "不符合规则", "breaks a rule", 422)
	Forbidden   = New("forbidden", "无权操作", "forbidden", 403)
	NotFound    = New("not_found", "未找到", "not found", 404)
	Conflict    = New("conflict", "与当前状态冲突", "conflicts with the current state", 409)
	TooLarge    = New("too_large", "超出限制", "exceeds a limit", 413)
	Unavailable = New("unavailable", "暂时无法处理", "unavailable", 503)
	Corrupt     = New("corrupt", "数据已损坏或被篡改", "data corrupt or tampered with", 500)
	Internal    = New("internal", "内部错误", "internal error", 500)
)

// All lists the kinds, most specific first: an error that matches several
// is classified by the first.
var All = []*Kind{Forbidden, NotFound, Conflict, TooLarge, Unavailable, Corrupt, Invalid, Malformed, Internal}
