package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/fold"
)

// Cells typed by hand carry full-width letters and digits (Ｃ１２３),
// full-width spaces and stray spaces around and inside values. Codes and
// enumeration values are folded to half-width (internal/fold, the one
// width fold of govshare) and stripped of spaces; free text keeps its
// Chinese punctuation and loses only the stray spaces.

// isSpace reports the spaces a spreadsheet cell may carry by accident.
func isSpace(r rune) bool { return r == 0x3000 || r == 0xA0 || unicode.IsSpace(r) }

// normText trims a free-text cell and collapses each run of spaces inside
// a line into one ASCII space; line breaks are kept, "\r\n" becomes "\n".
func normText(s string) string {
	if s == "" || textNormal(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\r':
		case r == '\n':
			b = append(b, '\n') // a pending space before a line break is dropped
			space = false
		case isSpace(r):
			space = true
		default:
			if space && len(b) > 0 && b[len(b)-1] != '\n' {
				b = append(b, ' ')
			}
			space = false
			b = utf8.AppendRune(b, r)
		}
	}
	return strings.Trim(string(b), "\n")
}

// textNormal reports whether normText would return s as it is: no
// carriage return, no space but single ASCII spaces between other
// characters, no line break at either end, valid UTF-8. Most cells are;
// they are then kept without a copy.
func textNormal(s string) bool {
	if s[0] == ' ' || s[0] == '\n' || s[len(s)-1] == ' ' || s[len(s)-1] == '\n' {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				// Not first or last (checked above), so both neighbours exist.
				if next := s[i+1]; next == ' ' || next == '\n' || s[i-1] == '\n' {
					return false
				}
			case c == '\n':
			case isSpace(rune(c)):
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isSpace(r) {
			return false
		}
		i += n
	}
	return true
}

// normCode folds a code cell (目录代码, 统一社会信用代码, 行政区划代码, 字段名)
// to half-width and removes every space.
func normCode(s string) string {
	s = fold.Width(s)
	if strings.IndexFunc(s, isSpace) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}

// normEnum folds an enumeration cell and removes its spaces: "有 条件共享"
// and "ＣＯＮＤＩＴＩＯＮＡＬ " both parse.
func normEnum(s string) string { return normCode(s) }

// splitList splits a cell of several values separated by 、 or , (the
// full-width ， is folded to , first), dropping empty parts.
func splitList(s string) []string {
	s = fold.Width(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' })
	out := parts[:0]
	for _, p := range parts {
		if p = normEnum(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
