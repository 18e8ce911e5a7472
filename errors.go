package govshare

import (
	"context"
	"errors"

	"github.com/govshare/govshare/internal/errkind"
)

// The kinds of error. Every error a govshare package returns for a reason
// it knows matches exactly one of them with errors.Is, whatever typed
// error carries the details; HTTPStatus maps each kind to one transport
// status, as benbjohnson/wtf maps its codes:
//
//	kind            status  meaning
//	ErrMalformed    400     the input cannot be read: syntax, types, unknown enumeration values
//	ErrForbidden    403     the actor may not do this (role, department, system identity)
//	ErrNotFound     404     no such application, entry, record, correction or notice
//	ErrConflict     409     the state does not allow it now: a version conflict, an illegal transition, a duplicate
//	ErrTooLarge     413     a limit was exceeded: file bytes, rows, cells, findings
//	ErrInvalid      422     well-formed but breaking a rule of the regulation or of the host's policy
//	ErrUnavailable  503     cannot be decided yet: a year without an official schedule, a store that is down
//	ErrCorrupt      500     stored data fail an integrity check (audit chain, file frames)
//	ErrInternal     500     anything else
var (
	// ErrMalformed is the kind of input that cannot be read or parsed.
	ErrMalformed error = errkind.Malformed
	// ErrInvalid is the kind of well-formed input that breaks a rule.
	ErrInvalid error = errkind.Invalid
	// ErrForbidden is the kind of an action the actor may not take.
	ErrForbidden error = errkind.Forbidden
	// ErrNotFound is the kind of a reference to something that does not exist.
	ErrNotFound error = errkind.NotFound
	// ErrConflict is the kind of an action the current state does not allow.
	ErrConflict error = errkind.Conflict
	// ErrTooLarge is the kind of input beyond a configured limit.
	ErrTooLarge error = errkind.TooLarge
	// ErrUnavailable is the kind of a question that cannot be answered yet,
	// such as a deadline in a year whose official schedule is not loaded.
	ErrUnavailable error = errkind.Unavailable
	// ErrCorrupt is the kind of stored data failing an integrity check.
	ErrCorrupt error = errkind.Corrupt
	// ErrInternal is the kind of errors no other kind describes.
	ErrInternal error = errkind.Internal
)

// Kinds lists the kinds of error, in the order Kind tries them.
func Kinds() []error {
	out := make([]error, len(errkind.All))
	for i, k := range errkind.All {
		out[i] = k
	}
	return out
}

// Kind returns the kind of err (one of the Err… variables of this
// package), ErrInternal for an error of no known kind, and nil for nil.
func Kind(err error) error {
	if err == nil {
		return nil
	}
	for _, k := range errkind.All {
		if errors.Is(err, k) {
			return k
		}
	}
	return ErrInternal
}

// HTTPStatus returns the one HTTP status of err's kind (see the table at
// ErrMalformed), 200 for nil and 500 for an error of no known kind.
// Context cancellation is 503, a deadline exceeded 504.
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return 200
	case errors.Is(err, errkind.Forbidden), errors.Is(err, errkind.NotFound), errors.Is(err, errkind.Conflict),
		errors.Is(err, errkind.TooLarge), errors.Is(err, errkind.Unavailable), errors.Is(err, errkind.Corrupt),
		errors.Is(err, errkind.Invalid), errors.Is(err, errkind.Malformed):
		return Kind(err).(*errkind.Kind).Status()
	case isDeadline(err):
		return 504
	case isCanceled(err):
		return 503
	}
	return 500
}

// Message is what a user is told about an error: a stable code for
// programs, the message in Chinese and in English, and the rule it
// enforces, if any. It marshals to the body the HTTP layer sends.
type Message struct {
	// Code is the most specific stable code known, e.g.
	// "request.forbidden" or, for an error without its own, the kind's
	// code ("not_found").
	Code string `json:"code"`
	// Zh is the Chinese message, En the English one.
	Zh string `json:"message_zh"`
	En string `json:"message_en"`
	// Citation is the rule the error enforces, when there is one.
	Citation Citation `json:"citation,omitzero"`
}

// Messenger is implemented by errors that carry their own bilingual
// message. Every typed error of govshare implements it.
type Messenger interface {
	error
	ErrorMessage() Message
}

// MessageOf returns the message of err: that of the first error in its
// chain that implements Messenger, or else one made from its kind, whose
// generic Chinese message is followed by the error's own text.
func MessageOf(err error) Message {
	if err == nil {
		return Message{}
	}
	var uv *UnknownValueError
	var m Messenger
	if errors.As(err, &m) {
		msg := m.ErrorMessage()
		if msg.Code == "" {
			msg.Code = Kind(err).(*errkind.Kind).Code()
		}
		return msg
	}
	if errors.As(err, &uv) {
		return Message{Code: "govshare.unknown_value", Zh: uv.Zh(), En: uv.Error()}
	}
	k := Kind(err).(*errkind.Kind)
	return Message{Code: k.Code(), Zh: k.Zh() + "：" + err.Error(), En: err.Error()}
}

// CodedError is a bilingual error of a known kind with a stable code, for
// the errors that need no type of their own. errors.Is(err, e.Kind) holds, and so does
// errors.Is(err, e.Err) when it wraps a cause.
type CodedError struct {
	// Kind is one of the Err… kinds of this package.
	Kind error
	// Code is the stable code, e.g. "deadline.unknown_year".
	Code string
	// Zh and En are the messages in Chinese and in English.
	Zh, En string
	// Citation is the rule enforced, if any.
	Citation Citation
	// Err is the underlying cause, if any.
	Err error
}

// Error returns the English message with the Chinese one after it.
func (e *CodedError) Error() string {
	s := e.En
	if e.Zh != "" {
		s += "（" + e.Zh + "）"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause.
func (e *CodedError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// ErrorMessage implements Messenger.
func (e *CodedError) ErrorMessage() Message {
	return Message{Code: e.Code, Zh: e.Zh, En: e.En, Citation: e.Citation}
}

func isDeadline(err error) bool { return errors.Is(err, context.DeadlineExceeded) }

func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }
