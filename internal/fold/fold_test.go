package fold

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Every rune x/text/width folds starts with a lead byte foldLead marks, so
// that the scan skips nothing that folds.
func TestFoldLeadCoversTheTable(t *testing.T) {
	n := 0
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if width.LookupRune(r).Folded() == 0 {
			continue
		}
		n++
		if lead := utf8.AppendRune(nil, r)[0]; !foldLead[lead] {
			t.Errorf("%U folds to %U but its lead byte %#x is not in foldLead", r, width.LookupRune(r).Folded(), lead)
		}
	}
	if n < 200 {
		t.Errorf("only %d runes fold; the width table looks wrong", n)
	}
}

func TestWidth(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"101001/000001", "101001/000001"},
		{"户籍人口基本信息", "户籍人口基本信息"},
		{"Ｃ１２３", "C123"},
		{"ＣＯＮＤＩＴＩＯＮＡＬ　", "CONDITIONAL "},
		{"服务接口，批量交换", "服务接口,批量交换"},
		{"服务接口、批量交换。", "服务接口、批量交换。"}, // canonical already: not made half-width
		{"社会保障／人／基础", "社会保障/人/基础"},
		{"ｱｲｳ", "アイウ"},           // half-width katakana to their wide forms
		{"￥100", "¥100"},         // full-width symbols to their narrow forms
		{"abc\xffＡ", "abc\xffA"}, // invalid UTF-8 is kept
		{"「ＡＢ」（１）", "「AB」(1)"},
	} {
		if got := Width(c.in); got != c.want {
			t.Errorf("Width(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := width.Fold.String(c.in); got != c.want {
			t.Errorf("x/text width.Fold(%q) = %q, want %q: the test's expectation is not x/text's", c.in, got, c.want)
		}
	}
}

func TestWidthDoesNotAllocateWithoutFolding(t *testing.T) {
	for _, s := range []string{"101001/000001", "户籍人口基本信息、住址。", "材料齐全"} {
		if n := testing.AllocsPerRun(100, func() { sink = Width(s) }); n != 0 {
			t.Errorf("Width(%q) allocates %.0f times", s, n)
		}
	}
}

func TestToASCII(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"１３８１２３４５６７８", "13812345678", true},
		{"１３８　１２３４　５６７８", "138 1234 5678", true},
		{"ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zhang@example.com", true},
		{"1381234５６７８", "13812345678", true},
		{"13812345678", "13812345678", false}, // nothing to fold
		{"材料齐全，同意受理", "材料齐全，同意受理", false},     // a full-width comma in a sentence
		{"京Ａ１２３４５", "京Ａ１２３４５", false},         // 京 does not fold to ASCII
		{"￥１００", "￥１００", false},               // ￥ folds to ¥, not ASCII
		{"ｱ１", "ｱ１", false},                   // katakana folds to a wide form
		{"", "", false},
	} {
		got, ok := ToASCII(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ToASCII(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	for _, s := range []string{"材料齐全，同意受理", "13812345678", "京Ａ１２３４５"} {
		if n := testing.AllocsPerRun(100, func() { sink, _ = ToASCII(s) }); n != 0 {
			t.Errorf("ToASCII(%q) allocates %.0f times", s, n)
		}
	}
}

// Text that is not UTF-8 is folded around its invalid bytes, which stay as
// they are; a sequence cut short by the end of the string made
// width.LookupString panic (found by catalog's FuzzStore).
func TestInvalidUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"Ａ\xe5":        "A\xe5",
		"000 1\xe50":   "000 1\xe50",
		"\xef":         "\xef",
		"\xef\xbc":     "\xef\xbc",
		"\xe3\x80":     "\xe3\x80",
		"１\xff２":       "1\xff2",
		"\xf0\x9f\x98": "\xf0\x9f\x98",
		"ａ\xc2":        "a\xc2",
	} {
		if got := Width(in); got != want {
			t.Errorf("Width(%q) = %q, want %q", in, got, want)
		}
		if _, ok := ToASCII(in); ok {
			t.Errorf("ToASCII(%q) folds text that is not UTF-8 to ASCII", in)
		}
	}
}

var sink string
