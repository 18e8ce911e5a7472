package request

import (
	"fmt"
	"strings"

	"github.com/govshare/govshare"
)

// The kinds of error of this package, for errors.Is. Each wraps a kind of
// the root package and is carried by a typed error with the details, for
// errors.As. Errors of other kinds are the root's own: govshare.ErrForbidden
// (*ForbiddenError), govshare.ErrInvalid (*InvalidError),
// govshare.ErrNotFound (no such application) and govshare.ErrConflict (the
// application changed since it was read).
var (
	// ErrIllegalTransition: the command does not apply in the state.
	// errors.Is(err, govshare.ErrConflict) holds.
	ErrIllegalTransition = fmt.Errorf("request: illegal transition: %w", govshare.ErrConflict)
	// ErrNotShareable: an item asked for is 不予共享 (R7).
	// errors.Is(err, govshare.ErrInvalid) holds.
	ErrNotShareable = fmt.Errorf("request: data item not shareable: %w", govshare.ErrInvalid)
	// ErrNotPublished: the catalog entry is not published (R5).
	// errors.Is(err, govshare.ErrInvalid) holds.
	ErrNotPublished = fmt.Errorf("request: catalog entry not published: %w", govshare.ErrInvalid)
	// ErrNoAuthority: the Authorities resolver knows no competent department
	// for a provider. errors.Is(err, govshare.ErrUnavailable) holds.
	ErrNoAuthority = fmt.Errorf("request: no competent authority known for the provider: %w", govshare.ErrUnavailable)
)

// TransitionError reports a command that the table does not allow in the
// application's state.
type TransitionError struct {
	From    State
	Command CommandName
}

// Error implements error.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("request: %s (%s) is not allowed in state %s (%s)",
		e.Command.Code(), e.Command, e.From.Code(), e.From)
}

// Unwrap returns ErrIllegalTransition.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }

// ErrorMessage implements govshare.Messenger.
func (e *TransitionError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "request.illegal_transition",
		Zh: fmt.Sprintf("申请处于“%s”状态，不能%s", e.From, e.Command),
		En: fmt.Sprintf("%s is not allowed in state %s", e.Command.Code(), e.From.Code())}
}

// ForbiddenError reports an actor who may not issue the command, and who may.
type ForbiddenError struct {
	Command CommandName
	Actor   govshare.Actor
	// Allowed are the parties the table allows in this state.
	Allowed []Who
	// Reason and ReasonEN say why, when the actor is a party the table
	// allows but a guard refused them (e.g. renewing another department's
	// grant).
	Reason, ReasonEN string
}

// Error implements error.
func (e *ForbiddenError) Error() string {
	m := e.ErrorMessage()
	return "request: " + m.En + "（" + m.Zh + "）"
}

// Unwrap returns govshare.ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return govshare.ErrForbidden }

// ErrorMessage implements govshare.Messenger.
func (e *ForbiddenError) ErrorMessage() govshare.Message {
	zh := make([]string, len(e.Allowed))
	en := make([]string, len(e.Allowed))
	for i, w := range e.Allowed {
		zh[i], en[i] = w.String(), w.English()
	}
	m := govshare.Message{Code: "request.forbidden",
		Zh:       fmt.Sprintf("%s无权%s，仅%s可以操作", e.Actor, e.Command, strings.Join(zh, "、")),
		En:       fmt.Sprintf("%s may not %s; only the %s may", actorEN(e.Actor), e.Command.Code(), strings.Join(en, " or ")),
		Citation: govshare.Rule("R4")}
	if e.Reason != "" {
		m.Zh += "：" + e.Reason
		m.En += ": " + e.ReasonEN
	}
	return m
}

func actorEN(a govshare.Actor) string {
	name := a.Name
	if name == "" {
		name = a.ID
	}
	if a.Department.Name == "" {
		return fmt.Sprintf("%s (%s)", name, a.Role.English())
	}
	return fmt.Sprintf("%s (%s, %s)", name, a.Role.English(), a.Department.Name)
}

// InvalidError reports what is wrong with a command or application, in
// Chinese and English, and the rule it breaks. errors.Is(err,
// govshare.ErrInvalid) holds.
type InvalidError struct {
	Command   CommandName
	Field     string
	Message   string
	MessageEN string
	Citation  govshare.Citation
}

// Error implements error.
func (e *InvalidError) Error() string {
	s := fmt.Sprintf("request: %s: %s: %s（%s）", e.Command.Code(), e.Field, e.MessageEN, e.Message)
	if c := e.Citation.String(); c != "" {
		s += " [" + c + "]"
	}
	return s
}

// Unwrap returns govshare.ErrInvalid.
func (e *InvalidError) Unwrap() error { return govshare.ErrInvalid }

// ErrorMessage implements govshare.Messenger.
func (e *InvalidError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "request.invalid." + e.Field, Zh: e.Message, En: e.MessageEN, Citation: e.Citation}
}

// NotShareableError names the items that are 不予共享 and the legal basis
// the catalog entry gives for it (R7).
type NotShareableError struct {
	EntryID    string
	Items      []string
	LegalBasis string
}

// Error implements error.
func (e *NotShareableError) Error() string {
	return fmt.Sprintf("request: entry %s: %s not shareable (不予共享), legal basis: %s",
		e.EntryID, strings.Join(e.Items, "、"), e.LegalBasis)
}

// Unwrap returns ErrNotShareable.
func (e *NotShareableError) Unwrap() error { return ErrNotShareable }

// ErrorMessage implements govshare.Messenger.
func (e *NotShareableError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "request.not_shareable",
		Zh:       fmt.Sprintf("目录%s的数据项%s为不予共享，依据：%s", e.EntryID, strings.Join(e.Items, "、"), e.LegalBasis),
		En:       fmt.Sprintf("items %s of entry %s are not shared; legal basis: %s", strings.Join(e.Items, ", "), e.EntryID, e.LegalBasis),
		Citation: govshare.Rule("R7")}
}

// NotPublishedError names the entry that is not published (R5).
type NotPublishedError struct {
	EntryID string
	Status  string
}

// Error implements error.
func (e *NotPublishedError) Error() string {
	return fmt.Sprintf("request: catalog entry %q is %s, not published; only published entries can be requested (R5)", e.EntryID, e.Status)
}

// Unwrap returns ErrNotPublished.
func (e *NotPublishedError) Unwrap() error { return ErrNotPublished }

// ErrorMessage implements govshare.Messenger.
func (e *NotPublishedError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "request.not_published",
		Zh:       fmt.Sprintf("目录%s处于“%s”状态，未发布的目录不能申请", e.EntryID, e.Status),
		En:       fmt.Sprintf("catalog entry %s is %s; only published entries can be requested", e.EntryID, e.Status),
		Citation: govshare.Rule("R5")}
}

// AutoError reports that a command was stored but the automatic transition
// the table issues after it (e.g. agreeing to unconditional data on
// receipt) was not: the application stands as the command left it.
type AutoError struct {
	Command CommandName
	Err     error
}

// Error implements error.
func (e *AutoError) Error() string {
	return fmt.Sprintf("request: stored; the automatic %s that follows failed: %v", e.Command.Code(), e.Err)
}

// Unwrap returns the cause.
func (e *AutoError) Unwrap() error { return e.Err }

func invalid(cmd CommandName, field, zh, en string, c govshare.Citation) error {
	return &InvalidError{Command: cmd, Field: field, Message: zh, MessageEN: en, Citation: c}
}
