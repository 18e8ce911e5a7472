package request

import (
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare"
)

// The kinds of error of this package, for errors.Is. Each is carried by a
// typed error with the details, for errors.As.
var (
	// ErrIllegalTransition: the command does not apply in the state.
	ErrIllegalTransition = errors.New("request: illegal transition")
	// ErrForbidden: the actor may not issue the command on this application.
	ErrForbidden = errors.New("request: forbidden")
	// ErrInvalid: the command or application breaks a rule (a missing
	// element, a period after its end, conditions beyond the catalog, …).
	ErrInvalid = errors.New("request: invalid")
	// ErrNotShareable: an item asked for is 不予共享 (R7).
	ErrNotShareable = errors.New("request: data item not shareable")
	// ErrNotPublished: the catalog entry is not published (R5).
	ErrNotPublished = errors.New("request: catalog entry not published")
	// ErrNotFound: no application (or correction, notice) with that id.
	ErrNotFound = errors.New("request: not found")
	// ErrConflict: the application changed since it was read.
	ErrConflict = errors.New("request: version conflict")
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

// Is reports whether target is ErrIllegalTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }

// ForbiddenError reports an actor who may not issue the command, and who may.
type ForbiddenError struct {
	Command CommandName
	Actor   govshare.Actor
	// Allowed are the parties the table allows in this state.
	Allowed []Who
}

// Error implements error.
func (e *ForbiddenError) Error() string {
	who := make([]string, len(e.Allowed))
	for i, w := range e.Allowed {
		who[i] = w.String()
	}
	return fmt.Sprintf("request: %s may not %s (%s); only %s may (无权操作)",
		e.Actor, e.Command.Code(), e.Command, strings.Join(who, "、"))
}

// Is reports whether target is ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// InvalidError reports what is wrong with a command or application, in
// Chinese and English, and the rule it breaks.
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

// Is reports whether target is ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

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

// Is reports whether target is ErrNotShareable.
func (e *NotShareableError) Is(target error) bool { return target == ErrNotShareable }

// NotPublishedError names the entry that is not published (R5).
type NotPublishedError struct {
	EntryID string
	Status  string
}

// Error implements error.
func (e *NotPublishedError) Error() string {
	return fmt.Sprintf("request: catalog entry %q is %s, not published; only published entries can be requested (R5)", e.EntryID, e.Status)
}

// Is reports whether target is ErrNotPublished.
func (e *NotPublishedError) Is(target error) bool { return target == ErrNotPublished }

func invalid(cmd CommandName, field, zh, en string, c govshare.Citation) error {
	return &InvalidError{Command: cmd, Field: field, Message: zh, MessageEN: en, Citation: c}
}
