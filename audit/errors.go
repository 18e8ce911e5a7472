package audit

import (
	"errors"
	"fmt"

	"github.com/govshare/govshare"
)

// Sentinel errors. Every error of the package matches one of them with
// errors.Is, and exactly one root kind of govshare (govshare.ErrInvalid,
// govshare.ErrCorrupt, …), which gives its HTTP status; the typed errors
// below carry the details (errors.As) and implement govshare.Messenger.
//
// Each sentinel is a *govshare.CodedError of the kind named in its
// comment. A typed error matches its sentinels through its Is method and
// its root kind through Unwrap; for most the kind is the sentinel's, and
// where one instance differs from another (an event too large, a wrong
// key, a reversed range) the comment says so.
var (
	// ErrInvalidEvent (govshare.ErrInvalid, 422): an event cannot be
	// recorded as it is (a required field is missing, a text is not
	// UTF-8, the details are not a JSON object, …). *EventError names the
	// field. Nothing is recorded. An event that exceeds a limit of
	// WithLimits is of kind govshare.ErrTooLarge (413) instead.
	ErrInvalidEvent error = coded(govshare.ErrInvalid, "audit.invalid_event", "审计事件无法记录", "audit: invalid event")

	// ErrInvalidOption (govshare.ErrInvalid, 422): an option cannot be
	// used (a short key, an unknown algorithm, an option that does not
	// apply to this kind of log). *OptionError says which.
	ErrInvalidOption error = coded(govshare.ErrInvalid, "audit.invalid_option", "审计日志选项无效", "audit: invalid option")

	// ErrMalformed (govshare.ErrMalformed, 400): bytes that should hold a
	// record, header, checkpoint, proof, key, digest or bundle cannot be
	// parsed. *MalformedError says what. A bundle beyond MaxBundleSize is
	// of kind govshare.ErrTooLarge (413) instead.
	ErrMalformed error = coded(govshare.ErrMalformed, "audit.malformed", "审计数据无法解析", "audit: malformed data")

	// ErrVerify (govshare.ErrCorrupt, 500): the log, a checkpoint, a proof
	// or a bundle failed verification. *VerifyError names the first bad
	// sequence number and what is wrong (Kind); one of KindWrongKey is of
	// kind govshare.ErrInvalid, as ErrWrongKey.
	ErrVerify error = coded(govshare.ErrCorrupt, "audit.verify_failed", "审计日志验证未通过", "audit: verification failed")

	// ErrWrongKey (govshare.ErrInvalid, 422): the HMAC key given is not
	// the key the log was written with (a *VerifyError of KindWrongKey
	// matches it too). The key, not the log, is wrong.
	ErrWrongKey error = coded(govshare.ErrInvalid, "audit.wrong_key", "密钥与审计日志不符", "audit: wrong key")

	// ErrKeyRequired (govshare.ErrInvalid, 422): the log is keyed and the
	// operation needs its key.
	ErrKeyRequired error = coded(govshare.ErrInvalid, "audit.key_required", "审计日志带密钥，须提供密钥", "audit: the log is keyed and no key was given")

	// ErrHeaderMismatch (govshare.ErrInvalid, 422): a log was opened with
	// settings (hash algorithm, keyed or not, log id) other than those its
	// header records. *HeaderError says which. A log is never read with
	// the wrong algorithm or keyed-ness.
	ErrHeaderMismatch error = coded(govshare.ErrInvalid, "audit.header_mismatch", "日志头与选项不符", "audit: log header does not match the options")

	// ErrBadSignature (govshare.ErrCorrupt, 500): a signature does not
	// verify under the public key.
	ErrBadSignature error = coded(govshare.ErrCorrupt, "audit.bad_signature", "签名无效", "audit: bad signature")

	// ErrNoSigner (govshare.ErrInvalid, 422): Checkpoint was called on a
	// log without a Signer.
	ErrNoSigner error = coded(govshare.ErrInvalid, "audit.no_signer", "未配置检查点签名者", "audit: no signer configured")

	// ErrNoPublicKey (govshare.ErrInvalid, 422): checkpoints must be
	// verified and no public key is configured (WithSigner or
	// WithPublicKey).
	ErrNoPublicKey error = coded(govshare.ErrInvalid, "audit.no_public_key", "未配置验证检查点的公钥", "audit: no public key to verify checkpoints")

	// ErrOutOfRange (govshare.ErrNotFound, 404): a sequence number or tree
	// size beyond the log: the records asked for do not exist (yet). A
	// range with from > to, which no log could answer, is of kind
	// govshare.ErrInvalid instead. *RangeError says which.
	ErrOutOfRange error = coded(govshare.ErrNotFound, "audit.out_of_range", "超出审计日志的范围", "audit: out of range")

	// ErrReadOnly (govshare.ErrConflict, 409): a write on a log opened
	// with ReadOnly, which the log's state does not allow.
	ErrReadOnly error = coded(govshare.ErrConflict, "audit.read_only", "审计日志以只读方式打开", "audit: log is read-only")

	// ErrClosed (govshare.ErrUnavailable, 503): an operation on a closed
	// log; the host is shutting down or must reopen it.
	ErrClosed error = coded(govshare.ErrUnavailable, "audit.closed", "审计日志已关闭", "audit: log is closed")

	// ErrLocked (govshare.ErrUnavailable, 503): another writer holds the
	// log file's lock; it may be free later.
	ErrLocked error = coded(govshare.ErrUnavailable, "audit.locked", "审计日志文件已被另一写入者锁定", "audit: log file is locked by another writer")

	// ErrTornTail (govshare.ErrCorrupt, 500): the log file ends in a
	// partly written frame, left by a crash, that no valid frame follows.
	// *TornTailError says where; Repair removes it. OpenFile never removes
	// it by itself.
	ErrTornTail error = coded(govshare.ErrCorrupt, "audit.torn_tail", "日志文件尾部记录不完整", "audit: log file ends in a torn record")

	// ErrCorrupt (govshare.ErrCorrupt, 500): the log file is damaged other
	// than at its tail (a bad frame with a valid frame after it, a wrong
	// magic number). *FormatError says where. Repair does not touch such
	// a file; Salvage copies what is intact.
	ErrCorrupt error = coded(govshare.ErrCorrupt, "audit.corrupt", "日志文件损坏", "audit: log file is corrupt")

	// ErrFailed (govshare.ErrUnavailable, 503): an earlier write or sync of
	// the log file failed; the log refuses further appends until it is
	// reopened.
	ErrFailed error = coded(govshare.ErrUnavailable, "audit.failed", "审计日志此前写入失败，须重新打开", "audit: log failed earlier and must be reopened")
)

// The root kinds of the instances that differ from their sentinel's.
var (
	errEventTooLarge  = coded(govshare.ErrTooLarge, "audit.event_too_large", "审计事件超出限制", "audit: event beyond the limits")
	errBundleTooLarge = coded(govshare.ErrTooLarge, "audit.bundle_too_large", "证据包超出大小限制", "audit: bundle beyond MaxBundleSize")
	errReversedRange  = coded(govshare.ErrInvalid, "audit.reversed_range", "范围起点在终点之后", "audit: range start after its end")
)

func coded(kind error, code, zh, en string) *govshare.CodedError {
	return &govshare.CodedError{Kind: kind, Code: code, Zh: zh, En: en}
}

// message is the govshare.Messenger message of a typed error: the code of
// its kind and its own texts.
func message(kind error, zh, en string) govshare.Message {
	var c *govshare.CodedError
	errors.As(kind, &c)
	return govshare.Message{Code: c.Code, Zh: zh, En: en}
}

// MalformedError says what could not be parsed and why.
// errors.Is(err, ErrMalformed) holds; its kind is govshare.ErrMalformed,
// or govshare.ErrTooLarge for a bundle beyond MaxBundleSize.
type MalformedError struct {
	Detail   string // what could not be parsed and why, in English
	tooLarge bool
}

// Error returns the message.
func (e *MalformedError) Error() string { return "audit: malformed data: " + e.Detail }

// Is reports whether target is ErrMalformed.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

// Unwrap returns the error's kind: errBundleTooLarge
// (govshare.ErrTooLarge) for a bundle too large, ErrMalformed otherwise.
func (e *MalformedError) Unwrap() error {
	if e.tooLarge {
		return errBundleTooLarge
	}
	return ErrMalformed
}

// ErrorMessage implements govshare.Messenger.
func (e *MalformedError) ErrorMessage() govshare.Message {
	return message(e.Unwrap(), "审计数据无法解析："+e.Detail, e.Error())
}

func malformed(format string, args ...any) error {
	return &MalformedError{Detail: fmt.Sprintf(format, args...)}
}

// OptionError says which option cannot be used and why.
// errors.Is(err, ErrInvalidOption) holds.
type OptionError struct {
	Detail string // which option and why, in English
}

// Error returns the message.
func (e *OptionError) Error() string { return "audit: invalid option: " + e.Detail }

// Unwrap returns ErrInvalidOption.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// ErrorMessage implements govshare.Messenger.
func (e *OptionError) ErrorMessage() govshare.Message {
	return message(ErrInvalidOption, "审计日志选项无效："+e.Detail, e.Error())
}

func invalidOption(format string, args ...any) error {
	return &OptionError{Detail: fmt.Sprintf(format, args...)}
}

// EventError names the field of an event that cannot be recorded and why.
// errors.Is(err, ErrInvalidEvent) holds; its kind is govshare.ErrTooLarge
// when Limit is set, govshare.ErrInvalid otherwise.
type EventError struct {
	Field    string // e.g. "actor.id", "details"
	Reason   string // in English
	ReasonZh string // in Chinese
	// Limit is the limit of WithLimits (in bytes) that the field exceeds,
	// or 0 when it breaks a rule.
	Limit int
}

// Error returns the message.
func (e *EventError) Error() string {
	return fmt.Sprintf("audit: invalid event: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidEvent.
func (e *EventError) Is(target error) bool { return target == ErrInvalidEvent }

// Unwrap returns the error's kind: errEventTooLarge (govshare.ErrTooLarge)
// for a limit, ErrInvalidEvent (govshare.ErrInvalid) otherwise.
func (e *EventError) Unwrap() error {
	if e.Limit > 0 {
		return errEventTooLarge
	}
	return ErrInvalidEvent
}

// ErrorMessage implements govshare.Messenger.
func (e *EventError) ErrorMessage() govshare.Message {
	return message(e.Unwrap(), "审计事件无法记录："+e.Field+"："+e.ReasonZh, e.Error())
}

// HeaderError says which setting of a log's header differs from the
// options it was opened with. errors.Is(err, ErrHeaderMismatch) holds, and
// errors.Is(err, ErrKeyRequired) when the log is keyed and no key was
// given; either way its kind is govshare.ErrInvalid.
type HeaderError struct {
	Path    string // the file, or empty
	Setting string // "algorithm", "key" or "log id"
	Header  string // what the header records
	Options string // what the options asked for
}

// Error returns the message.
func (e *HeaderError) Error() string {
	return fmt.Sprintf("audit: %s: header records %s %s, options give %s (日志头与选项不符)",
		e.where(), e.Setting, e.Header, e.Options)
}

func (e *HeaderError) where() string {
	if e.Path != "" {
		return e.Path
	}
	return "log"
}

func (e *HeaderError) keyRequired() bool { return e.Setting == "key" && e.Options == "no key" }

// Is reports whether target is ErrHeaderMismatch, or ErrKeyRequired for a
// keyed log opened without a key.
func (e *HeaderError) Is(target error) bool {
	return target == ErrHeaderMismatch || (target == ErrKeyRequired && e.keyRequired())
}

// Unwrap returns ErrKeyRequired for a keyed log opened without a key,
// ErrHeaderMismatch otherwise.
func (e *HeaderError) Unwrap() error {
	if e.keyRequired() {
		return ErrKeyRequired
	}
	return ErrHeaderMismatch
}

// ErrorMessage implements govshare.Messenger.
func (e *HeaderError) ErrorMessage() govshare.Message {
	setting := map[string]string{"algorithm": "哈希算法", "key": "密钥", "log id": "日志标识"}[e.Setting]
	if setting == "" {
		setting = e.Setting
	}
	return message(e.Unwrap(), fmt.Sprintf("%s：日志头与选项不符：日志头记录的%s为 %s，选项给出的是 %s", e.where(), setting, e.Header, e.Options), e.Error())
}

// TornTailError reports the partly written frame at the end of a log file:
// damage that no valid frame follows (see Damage). errors.Is(err,
// ErrTornTail) holds.
type TornTailError struct {
	Path    string     // the file
	Offset  int64      // where the torn bytes start: the end of the last complete frame
	Bytes   int64      // how many bytes follow Offset
	Records uint64     // complete records before Offset
	Kind    DamageKind // what is wrong at Offset
}

// Error returns the message.
func (e *TornTailError) Error() string {
	return fmt.Sprintf("audit: %s: %d torn bytes at offset %d after %d complete records; run Repair to remove them (日志文件尾部记录不完整)",
		e.Path, e.Bytes, e.Offset, e.Records)
}

// Unwrap returns ErrTornTail.
func (e *TornTailError) Unwrap() error { return ErrTornTail }

// ErrorMessage implements govshare.Messenger.
func (e *TornTailError) ErrorMessage() govshare.Message {
	return message(ErrTornTail, fmt.Sprintf("%s：日志文件尾部记录不完整：%d 条完整记录之后、偏移 %d 处有 %d 字节残缺数据，请运行 Repair 删除",
		e.Path, e.Records, e.Offset, e.Bytes), e.Error())
}

// FormatError reports a file that is not a log, or damage inside a log
// file that is not a torn tail: valid frames follow it, so neither a
// writer nor Repair may take it for the end of the log. errors.Is(err,
// ErrCorrupt) holds.
type FormatError struct {
	Path   string // the file
	Offset int64  // where the bad frame starts
	Record uint64 // how many records precede it (the sequence number it would have if it is a record)
	Reason string // what is wrong there, in English
	// Kind is what is wrong with the frame at Offset; zero when the file
	// is not a log at all (a wrong magic number, an empty file).
	Kind DamageKind
	// Next is where the first valid frame after Offset starts, or 0.
	Next int64
}

// Error returns the message.
func (e *FormatError) Error() string {
	return fmt.Sprintf("audit: %s: corrupt at offset %d (after %d records): %s (日志文件损坏)",
		e.Path, e.Offset, e.Record, e.Reason)
}

// Unwrap returns ErrCorrupt.
func (e *FormatError) Unwrap() error { return ErrCorrupt }

// ErrorMessage implements govshare.Messenger.
func (e *FormatError) ErrorMessage() govshare.Message {
	return message(ErrCorrupt, fmt.Sprintf("%s：日志文件在偏移 %d 处损坏（其前有 %d 条记录）：%s", e.Path, e.Offset, e.Record, e.Reason), e.Error())
}

// RangeError reports a sequence number, size or range outside the log.
// errors.Is(err, ErrOutOfRange) holds; its kind is govshare.ErrNotFound,
// or govshare.ErrInvalid for a range whose start is after its end.
type RangeError struct {
	What  string // e.g. "sequence number", "tree size", "range start"
	Value uint64 // the number asked for
	Limit uint64 // the log's size, or the other end of the range
}

// Error returns the message.
func (e *RangeError) Error() string {
	return fmt.Sprintf("audit: %s %d out of range (limit %d)", e.What, e.Value, e.Limit)
}

// Is reports whether target is ErrOutOfRange.
func (e *RangeError) Is(target error) bool { return target == ErrOutOfRange }

// Unwrap returns the error's kind: errReversedRange (govshare.ErrInvalid)
// for a range start after its end, ErrOutOfRange (govshare.ErrNotFound)
// otherwise.
func (e *RangeError) Unwrap() error {
	if e.What == rangeStart {
		return errReversedRange
	}
	return ErrOutOfRange
}

// rangeStart is the What of a reversed range.
const rangeStart = "range start"

// ErrorMessage implements govshare.Messenger.
func (e *RangeError) ErrorMessage() govshare.Message {
	what := map[string]string{
		"sequence number": "序号", "tree size": "树的大小", "leaf index": "叶子序号",
		rangeStart: "范围起点", "range end": "范围终点", "bundle range end": "证据包范围终点",
	}[e.What]
	if what == "" {
		what = e.What
	}
	return message(e.Unwrap(), fmt.Sprintf("%s %d 超出范围（界限 %d）", what, e.Value, e.Limit), e.Error())
}
