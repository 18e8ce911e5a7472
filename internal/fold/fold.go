package fold

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// foldLead marks the UTF-8 lead bytes of the runes that have a folded
// form: U+3000 (E3 80 80) and the Halfwidth and Fullwidth Forms block
// U+FF00–U+FFEF (EF BC 80 – EF BF AF). CJK ideographs (E4–E9) and ASCII
// are passed over without a table lookup.
var foldLead = [256]bool{0xE3: true, 0xEF: true}

// index returns the byte offset of the first rune of s that has a folded
// form, and that form; -1 when there is none.
func index(s string) (int, rune) {
	for i := 0; i < len(s); i++ {
		if !foldLead[s[i]] {
			continue
		}
		if cut(s[i:]) {
			continue
		}
		p, _ := width.LookupString(s[i:])
		if f := p.Folded(); f != 0 {
			return i, f
		}
	}
	return -1, 0
}

// cut reports whether s starts with a UTF-8 sequence cut short by its
// end, on which width.LookupString panics ("Ａ\xe5"). Width takes such a
// byte as itself, one byte that does not fold, as it leaves other invalid
// bytes. Only the last three bytes of a string can start one.
func cut(s string) bool { return len(s) < 4 && len(s) < int(seqLen[s[0]]) }

// seqLen is the length of the UTF-8 sequence a lead byte announces, as
// x/text/width's trie reads it (1 for bytes that cannot lead one).
var seqLen = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= 0xF0 && c < 0xF8:
			t[c] = 4
		case c >= 0xE0 && c < 0xF0:
			t[c] = 3
		case c >= 0xC2 && c < 0xE0:
			t[c] = 2
		default:
			t[c] = 1
		}
	}
	return t
}()

// Width returns s with every rune folded to its canonical width. A string
// with nothing to fold is returned as it is, without allocating.
func Width(s string) string {
	i, _ := index(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf || cut(s[i:]) {
			b.WriteByte(c)
			i++
			continue
		}
		p, n := width.LookupString(s[i:])
		if f := p.Folded(); f != 0 {
			b.WriteRune(f)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ToASCII returns s folded, and true, when s has something to fold and
// folds to nothing but ASCII: １３８１２３４５６７８ gives 13812345678. For
// any other s — plain ASCII, or text with a character that does not fold
// to ASCII, such as 材料齐全，同意受理 — it returns s and false without
// allocating.
func ToASCII(s string) (string, bool) {
	folds := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if !foldLead[c] || cut(s[i:]) {
			return s, false
		}
		p, n := width.LookupString(s[i:])
		if f := p.Folded(); f == 0 || f >= utf8.RuneSelf {
			return s, false
		}
		folds = true
		i += n
	}
	if !folds {
		return s, false
	}
	return Width(s), true
}
