package fold

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// benchTexts are what the hot paths fold: codes and search text with
// nothing to fold (the usual case), Chinese text with canonical
// punctuation, and a cell typed in full-width forms.
var benchTexts = []struct{ name, s string }{
	{"ascii", "101001/000123"},
	{"chinese", "本市户籍人口的姓名、身份证号和住址。"},
	{"fullwidth", "ＣＯＮＤＩＴＩＯＮＡＬ　１０１００１"},
}

// BenchmarkWidth measures Width beside the obvious alternative, x/text's
// own width.Fold.String, on the same texts.
func BenchmarkWidth(b *testing.B) {
	for _, t := range benchTexts {
		b.Run("fold/"+t.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Width(t.s)
			}
		})
		b.Run("xtext/"+t.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = width.Fold.String(t.s)
			}
		})
	}
}

func BenchmarkToASCII(b *testing.B) {
	for _, s := range []string{"13812345678", "材料齐全，同意受理", "１３８１２３４５６７８"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = ToASCII(s)
			}
		})
	}
}

// handWritten is the folding catalog and classify each carried before this
// package (catalog's foldWidth), kept here as the baseline Width must not
// fall behind.
func handWritten(s string) string {
	wide := false
	for i := 0; i < len(s) && !wide; i++ {
		if s[i] >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(s[i:])
			wide = (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000
		}
	}
	if !wide {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		case r == 0x3000:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func BenchmarkWidthHandWritten(b *testing.B) {
	for _, t := range benchTexts {
		b.Run(t.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = handWritten(t.s)
			}
		})
	}
}
