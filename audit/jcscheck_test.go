package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkFastPath fails t if isCanonicalJSON accepts data but the
// canonicalizer refuses it or writes other bytes: the equivalence the
// fast path of Event.normalize rests on.
func checkFastPath(t *testing.T, data []byte, maxDepth int) bool {
	t.Helper()
	if !isCanonicalJSON(data, maxDepth) {
		return false
	}
	out, err := canonicalJSON(data, maxDepth)
	if err != nil {
		t.Fatalf("fast path accepted %q, the canonicalizer refuses it: %v", data, err)
	}
	if !bytes.Equal(out, data) {
		t.Fatalf("fast path accepted %q, the canonicalizer writes %q", data, out)
	}
	return true
}

func TestIsCanonicalJSON(t *testing.T) {
	tests := []struct {
		name, in string
		fast     bool // isCanonicalJSON proves it canonical
	}{
		{"empty object", `{}`, true},
		{"sorted members", `{"a":1,"b":"x","c":[true,false,null],"d":{}}`, true},
		{"Chinese text", `{"entry":"CAT-330100-0001","items":["姓名","身份证号"],"n":1}`, true},
		{"Chinese names", `{"事项":"婚姻登记","部门":"某市民政局"}`, true},
		{"short escapes", `{"s":"a\"b\\c\b\t\n\f\r"}`, true},
		{"other control characters", `{"s":"\u0000\u001f\u000b"}`, true},
		{"canonical numbers", `{"a":-1,"b":0.5,"c":1e+21,"d":1e-7,"e":333333333.3333333,"f":9007199254740992}`, true},
		{"nested arrays", `{"a":[[],[[1]],{"x":[]}]}`, true},
		{"/ and DEL as themselves", "{\"s\":\"a/b\x7f\"}", true},

		{"members out of order", `{"b":1,"a":2}`, false},
		{"duplicate member", `{"a":1,"a":1}`, false},
		{"whitespace", `{"a": 1}`, false},
		{"newline after the object", "{\"a\":1}\n", false},
		{"HTML escape as Go writes it", `{"s":"\u003cb\u003e"}`, false},
		{"U+2028 escaped as Go writes it", `{"s":"\u2028"}`, false},
		{"uppercase hex escape", `{"s":"\u001F"}`, false},
		{"long form of a short escape", `{"s":"\u000a"}`, false},
		{"escaped slash", `{"s":"a\/b"}`, false},
		{"escaped letter", `{"s":"\u0041"}`, false},
		{"negative zero", `{"a":-0}`, false},
		{"trailing zero", `{"a":1.50}`, false},
		{"exponent spelled differently", `{"a":1E+21}`, false},
		{"integer written with exponent", `{"a":1e2}`, false},
		{"plain notation beyond 1e21", `{"a":1000000000000000000000}`, false},
		{"inexact integer", `{"a":9007199254740993}`, false},
		{"escape in a name (canonical, not proven)", `{"a\nb":1}`, false},
		{"name above U+E000 (canonical, not proven)", "{\"\uFB33\":1}", false},
		{"invalid UTF-8", "{\"s\":\"\xff\"}", false},
		{"raw control character", "{\"s\":\"a\nb\"}", false},
		{"not an object", `[1]`, false},
		{"truncated", `{"a":[1,2`, false},
		{"trailing comma", `{"a":1,}`, false},
		{"bare word", `{"a":nul}`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkFastPath(t, []byte(tt.in), 32); got != tt.fast {
				t.Errorf("isCanonicalJSON(%q) = %v, want %v", tt.in, got, tt.fast)
			}
		})
	}
	deep := `{"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`
	if !checkFastPath(t, []byte(deep), 32) || checkFastPath(t, []byte(deep), 31) {
		t.Error("the fast path does not count nesting as the canonicalizer does")
	}
}

// TestIsCanonicalJSONFromEncodingJSON: what encoding/json writes for a map
// is taken as it is when it is canonical, and each way Go's output differs
// from RFC 8785 sends it to the canonicalizer, which then writes other
// bytes.
func TestIsCanonicalJSONFromEncodingJSON(t *testing.T) {
	marshal := func(v any, escapeHTML bool) []byte {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	}
	accepted := []any{
		map[string]any{"entry": "CAT-330100-0001", "items": []string{"姓名", "身份证号"}, "attribute": "conditional", "n": 7},
		map[string]any{"score": 98.5, "tiny": 1e-9, "huge": 1e300, "third": 1.0 / 3, "ok": true, "none": nil},
		map[string]any{"reason": "line 1\nline 2\ttab \"quoted\" back\\slash \x01"},
		map[string]map[string]int{"z": {"b": 2, "a": 1}, "a": {}},
	}
	for _, v := range accepted {
		b := marshal(v, true)
		if !checkFastPath(t, b, 32) {
			t.Errorf("encoding/json output %s is canonical but was not taken as it is", b)
		}
	}
	differs := []struct {
		name string
		data []byte
	}{
		{"HTML escapes", marshal(map[string]string{"q": "a<b && c>d"}, true)},
		{"U+2028, U+2029", marshal(map[string]string{"s": "\u2028\u2029"}, false)},
		{"negative zero", marshal(map[string]float64{"x": math.Copysign(0, -1)}, true)},
		{"invalid UTF-8", marshal(map[string]string{"s": "\xff"}, true)},
		{"struct field order", marshal(struct {
			B int `json:"b"`
			A int `json:"a"`
		}{1, 2}, true)},
	}
	for _, d := range differs {
		t.Run(d.name, func(t *testing.T) {
			if checkFastPath(t, d.data, 32) {
				t.Fatalf("%s was taken as canonical", d.data)
			}
			out, err := canonicalJSON(d.data, 32)
			if err != nil || bytes.Equal(out, d.data) {
				t.Errorf("canonicalJSON(%s) = %s, %v: expected other bytes", d.data, out, err)
			}
		})
	}
	indented, _ := json.MarshalIndent(map[string]int{"a": 1}, "", "  ")
	if checkFastPath(t, indented, 32) {
		t.Error("indented JSON was taken as canonical")
	}
}

// TestNormalizeKeepsCanonicalDetails: canonical details are recorded as
// given without a copy; others are canonicalized as before.
func TestNormalizeKeepsCanonicalDetails(t *testing.T) {
	e := testEvent(1)
	e.Details = []byte(`{"attribute":"conditional","entry":"CAT-330100-0001","n":1}`)
	n, err := e.normalize(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if &n.Details[0] != &e.Details[0] {
		t.Error("canonical details were copied")
	}
	e.Details = []byte(`{"n":1, "entry":"CAT-330100-0001","attribute":"conditional"}`)
	if n, err = e.normalize(DefaultLimits); err != nil || string(n.Details) != `{"attribute":"conditional","entry":"CAT-330100-0001","n":1}` {
		t.Errorf("details not canonicalized: %s, %v", n.Details, err)
	}
	e.Details = []byte(`{"a":"` + strings.Repeat("x", DefaultLimits.MaxDetails) + `"}`)
	var ee *EventError
	if _, err := e.normalize(DefaultLimits); !errors.As(err, &ee) || ee.Field != "details" {
		t.Errorf("canonical details over the limit: %v", err)
	}
}

// TestIsCanonicalJSONAllocatesNothing: the fast path is a single scan
// without allocation, also for numbers that need the full formatter.
func TestIsCanonicalJSONAllocatesNothing(t *testing.T) {
	data := []byte(`{"a":[1,0.5,1e+21,-1.5e-7],"b":"某市公安局\n","c":{"d":null}}`)
	if allocs := testing.AllocsPerRun(100, func() {
		if !isCanonicalJSON(data, 32) {
			t.Fatal("not canonical")
		}
	}); allocs != 0 {
		t.Errorf("isCanonicalJSON allocates %v times", allocs)
	}
}

// TestUTF8Len compares utf8Len with utf8.DecodeRune on every sequence of
// up to three bytes and on the four-byte sequences around every boundary.
func TestUTF8Len(t *testing.T) {
	want := func(b []byte) int {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return 0
		}
		return n
	}
	var b [4]byte
	for c0 := 0x80; c0 < 0x100; c0++ {
		b[0] = byte(c0)
		for c1 := range 0x100 {
			b[1] = byte(c1)
			if got, w := utf8Len(b[:1]), want(b[:1]); got != w {
				t.Fatalf("% x: utf8Len %d, DecodeRune %d", b[:1], got, w)
			}
			if got, w := utf8Len(b[:2]), want(b[:2]); got != w {
				t.Fatalf("% x: utf8Len %d, DecodeRune %d", b[:2], got, w)
			}
			for c2 := range 0x100 {
				b[2] = byte(c2)
				if got, w := utf8Len(b[:3]), want(b[:3]); got != w {
					t.Fatalf("% x: utf8Len %d, DecodeRune %d", b[:3], got, w)
				}
				for _, c3 := range []byte{0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xff} {
					b[3] = c3
					if got, w := utf8Len(b[:4]), want(b[:4]); got != w {
						t.Fatalf("% x: utf8Len %d, DecodeRune %d", b[:4], got, w)
					}
				}
			}
		}
	}
}
