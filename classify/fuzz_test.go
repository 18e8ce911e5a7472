package classify_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govshare/govshare/classify"
)

var fuzzSeeds = []string{"", "张", "欧阳娜娜", "11010519491231002X", "110101491231002", "13812345678", "+86 138 1234 5678",
	"010-62345678", "6222021234567890128", "6222 0212 3456 7890 128", "zhangsan@example.com", "a@b.cn", "91350100M000100Y43",
	"京A12345", "沪A1234学", "北京市海淀区中关村大街27号", "😀👨‍👩‍👧", "\xff\xfe", "１３８１２３４５６７８", "***", "sfzh", "SQR_SFZH",
	"applicantIdCard", "联系人电话", "IP地址", "无", "E12345678", "（010）62345678", strings.Repeat("身份证号", 50)}

// Detect never panics, and what it suggests is consistent with itself and
// with ValueKind.
func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s, "", "13812345678")
	}
	f.Fuzz(func(t *testing.T, name, a, b, c string) {
		s := classify.Detect(name, a, b, c)
		if !s.Kind.Valid() {
			t.Fatalf("Detect(%q, …) kind %d", name, s.Kind)
		}
		if s.Confidence < 0 || s.Confidence > 1 || (s.Kind == classify.None) != (s.Confidence == 0) {
			t.Fatalf("Detect(%q, %q, %q, %q) = %v: confidence out of place", name, a, b, c, s)
		}
		if s.Grade != classify.SuggestedGrade(s.Kind) {
			t.Fatalf("grade %v for %v", s.Grade, s.Kind)
		}
		e := s.Evidence
		if e.Samples > 3 || e.Valid > e.Consistent || e.Consistent > e.Samples {
			t.Fatalf("evidence %+v", e)
		}
		_ = e.String() + e.English()

		// A single value under no name is exactly its ValueKind.
		if got, want := classify.Detect("", a).Kind, classify.ValueKind(a); got != want {
			t.Fatalf("Detect(\"\", %q) = %v, ValueKind = %v", a, got, want)
		}
		if classify.ValidIDCard(a) != (classify.ValidateIDCard(a) == nil) {
			t.Fatalf("ValidIDCard and ValidateIDCard disagree on %q", a)
		}
	})
}

// Masks never panic, never grow, keep one character for one, are valid
// UTF-8, and never give a non-empty value back without a '*' in it.
func FuzzMask(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, kind uint8, v string) {
		k := classify.Kind(kind % 20) // some are not kinds at all
		out := classify.Mask(k, v)
		if out != classify.Mask(k, v) {
			t.Fatalf("Mask(%v, %q) not deterministic", k, v)
		}
		if len(out) > len(v) || utf8.RuneCountInString(out) != utf8.RuneCountInString(v) {
			t.Fatalf("Mask(%v, %q) = %q: not one character for one", k, v, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Mask(%v, %q) = %q: not UTF-8", k, v, out)
		}
		if v != "" && !strings.ContainsRune(out, '*') {
			t.Fatalf("Mask(%v, %q) = %q: nothing masked", k, v, out)
		}
		// Every character is the value's own or a '*'.
		in := []rune(v)
		for i, r := range []rune(out) {
			if r != '*' && r != in[i] {
				t.Fatalf("Mask(%v, %q) = %q: character %d changed", k, v, out, i)
			}
		}
		if m, err := classify.NewMasker(classify.Item{Name: "x", Kind: k}); err == nil {
			if got := m.Mask(map[string]string{"x": v, "y": v}); got["x"] != out || got["y"] != v {
				t.Fatalf("Masker disagrees with Mask for %v %q", k, v)
			}
		} else if k.Valid() {
			t.Fatalf("NewMasker refused kind %v: %v", k, err)
		}
	})
}

// A profile from a file never panics the loader; what loads writes back
// to JSON that loads to the same rules.
func FuzzLoadPolicy(f *testing.F) {
	b, _ := json.Marshal(classify.NationalDefault())
	f.Add(b)
	f.Add([]byte(`{"rules":[{"id":"download_above_grade","grade":"一般3级","severity":"警告"}]}`))
	f.Add([]byte(`{"rules":[{"id":"x"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := classify.LoadPolicy(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("loaded policy does not marshal: %v", err)
		}
		q, err := classify.LoadPolicy(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("written policy does not load: %v\n%s", err, out)
		}
		if len(q.Rules()) != len(p.Rules()) {
			t.Fatalf("round trip changed the rules")
		}
		for i, r := range p.Rules() {
			if q.Rules()[i] != r {
				t.Fatalf("round trip changed rule %d: %+v → %+v", i, r, q.Rules()[i])
			}
		}
		_ = p.Check(classify.Subject{Items: []classify.Item{{Name: "手机号码"}}})
	})
}
