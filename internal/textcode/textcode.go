package textcode

import "strings"

// Entry is one value of an enumeration with its names.
type Entry[T comparable] struct {
	Value   T        // the enumeration value
	Code    string   // stable lowercase code, used by MarshalText
	Zh      string   // the Chinese term, used by String
	En      string   // English name, for messages
	Aliases []string // other spellings accepted by Parse
}

// Table is the declaration of an enumeration.
type Table[T comparable] []Entry[T]

// Lookup returns the entry of v.
func (t Table[T]) Lookup(v T) (Entry[T], bool) {
	for _, e := range t {
		if e.Value == v {
			return e, true
		}
	}
	return Entry[T]{}, false
}

// Parse returns the value whose code, Chinese term or alias is s.
func (t Table[T]) Parse(s string) (T, bool) {
	s = Trim(s)
	for _, e := range t {
		if strings.EqualFold(s, e.Code) || s == e.Zh {
			return e.Value, true
		}
		for _, a := range e.Aliases {
			if s == a || strings.EqualFold(s, a) {
				return e.Value, true
			}
		}
	}
	var zero T
	return zero, false
}

// Codes lists the codes of the table in declaration order, for messages.
func (t Table[T]) Codes() []string {
	out := make([]string, len(t))
	for i, e := range t {
		out[i] = e.Code
	}
	return out
}

// Trim removes ASCII and full-width (U+3000) spaces around s.
func Trim(s string) string {
	return strings.Trim(s, " \t\r\n\u3000\u00a0")
}
