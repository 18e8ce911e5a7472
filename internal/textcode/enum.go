package textcode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare/internal/errkind"
)

// ErrUnknownValue is the kind of every error about a text that names no
// value of an enumeration. The root package re-exports it as
// govshare.ErrUnknownValue.
var ErrUnknownValue = fmt.Errorf("govshare: unknown value: %w", errkind.Malformed)

// UnknownValueError names the enumeration, the text that was given and the
// codes that would have been accepted. The root package re-exports it as
// govshare.UnknownValueError.
type UnknownValueError struct {
	Type     string   // the enumeration, e.g. "share attribute"
	Value    string   // the text that was given
	Accepted []string // the stable codes (the Chinese terms are accepted too)
}

// Error implements error.
func (e *UnknownValueError) Error() string {
	return fmt.Sprintf("govshare: unknown %s %q (accepted: %s or the Chinese term)",
		e.Type, e.Value, strings.Join(e.Accepted, ", "))
}

// Unwrap returns ErrUnknownValue, whose kind is errkind.Malformed.
func (e *UnknownValueError) Unwrap() error { return ErrUnknownValue }

// Zh returns the Chinese message.
func (e *UnknownValueError) Zh() string {
	return fmt.Sprintf("“%s”不是有效的%s（可填：%s，或对应的中文名称）", e.Value, e.Type, strings.Join(e.Accepted, "、"))
}

// String returns the Chinese term of v; 未填写 for a zero value the table
// does not name; typ(n) for any other value outside it.
func String[T ~uint8](t Table[T], typ string, v T) string {
	if e, ok := t.Lookup(v); ok {
		return e.Zh
	}
	if v == 0 {
		return "未填写"
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// English returns the English name of v, or "" outside the table.
func English[T comparable](t Table[T], v T) string {
	e, _ := t.Lookup(v)
	return e.En
}

// Marshal returns the stable code of v. A zero value the table does not
// name means "not stated" and marshals to the empty text; any other value
// outside the table is an *UnknownValueError.
func Marshal[T ~uint8](t Table[T], typ string, v T) ([]byte, error) {
	if e, ok := t.Lookup(v); ok {
		return []byte(e.Code), nil
	}
	if v == 0 {
		return []byte{}, nil
	}
	return nil, &UnknownValueError{Type: typ, Value: strconv.Itoa(int(v)), Accepted: t.Codes()}
}

// Unmarshal sets *v from a code, a Chinese term or an alias; the empty (or
// blank) text is the zero value; anything else is an *UnknownValueError.
func Unmarshal[T comparable](t Table[T], typ string, text []byte, v *T) error {
	s := string(text)
	if Trim(s) == "" {
		var zero T
		*v = zero
		return nil
	}
	parsed, ok := t.Parse(s)
	if !ok {
		return &UnknownValueError{Type: typ, Value: s, Accepted: t.Codes()}
	}
	*v = parsed
	return nil
}

// Terms lists the Chinese terms of the table in declaration order, for
// drop-down lists and messages.
func (t Table[T]) Terms() []string {
	out := make([]string, len(t))
	for i, e := range t {
		out[i] = e.Zh
	}
	return out
}
