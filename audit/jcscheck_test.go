package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// How fastCanonical answered.
const (
	leftToCanonicalizer = iota // no answer: canonicalJSON decides
	asIs                       // src itself
	reordered                  // a copy of src with members put in order
)

// checkFastPath fails t if fastCanonical gives an answer other than the
// canonicalizer's: the equivalence the fast path of Event.normalize rests
// on. It returns how fastCanonical answered.
func checkFastPath(t *testing.T, data []byte, maxDepth int) int {
	t.Helper()
	out, ok := fastCanonical(data, maxDepth)
	if !ok {
		return leftToCanonicalizer
	}
	want, err := canonicalJSON(data, maxDepth)
	if err != nil {
		t.Fatalf("fast path answered %q for %q, the canonicalizer refuses it: %v", out, data, err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("fast path answered %q for %q, the canonicalizer writes %q", out, data, want)
	}
	if &out[0] == &data[0] {
		return asIs
	}
	if bytes.Equal(out, data) {
		t.Fatalf("fast path copied %q without changing it", data)
	}
	return reordered
}

func TestFastCanonical(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
	}{
		{"empty object", `{}`, asIs},
		{"sorted members", `{"a":1,"b":"x","c":[true,false,null],"d":{}}`, asIs},
		{"Chinese text", `{"entry":"CAT-330100-0001","items":["姓名","身份证号"],"n":1}`, asIs},
		{"Chinese names", `{"事项":"婚姻登记","部门":"某市民政局"}`, asIs},
		{"short escapes", `{"s":"a\"b\\c\b\t\n\f\r"}`, asIs},
		{"other control characters", `{"s":"\u0000\u001f\u000b"}`, asIs},
		{"canonical numbers", `{"a":-1,"b":0.5,"c":1e+21,"d":1e-7,"e":333333333.3333333,"f":9007199254740992}`, asIs},
		{"nested arrays", `{"a":[[],[[1]],{"x":[]}]}`, asIs},
		{"/ and DEL as themselves", "{\"s\":\"a/b\x7f\"}", asIs},

		{"members out of order", `{"b":1,"a":2}`, reordered},
		{"the benchmark details", `{"entry":"CAT-330100-0001","items":["姓名","身份证号"],"attribute":"conditional","n":1}`, reordered},
		{"nested objects out of order", `{"z":{"y":[{"d":1,"c":{"f":0,"e":[]}}],"x":"某"},"a":{"b":2,"a":1},"m":[{"q":1,"p":2}]}`, reordered},
		{"only an inner object out of order", `{"a":[1,{"b":true,"a":false}],"b":null}`, reordered},
		{"many members", `{"p":1,"o":2,"n":3,"m":4,"l":5,"k":6,"j":7,"i":8,"h":9,"g":10,"f":11,"e":12,"d":13,"c":14,"b":15,"a":16,"0":17,"A":18}`, reordered},

		{"duplicate member", `{"a":1,"a":1}`, leftToCanonicalizer},
		{"duplicate member out of order", `{"b":1,"a":1,"b":2}`, leftToCanonicalizer},
		{"whitespace", `{"a": 1}`, leftToCanonicalizer},
		{"newline after the object", "{\"a\":1}\n", leftToCanonicalizer},
		{"HTML escape as Go writes it", `{"s":"\u003cb\u003e"}`, leftToCanonicalizer},
		{"U+2028 escaped as Go writes it", `{"s":"\u2028"}`, leftToCanonicalizer},
		{"uppercase hex escape", `{"s":"\u001F"}`, leftToCanonicalizer},
		{"long form of a short escape", `{"s":"\u000a"}`, leftToCanonicalizer},
		{"escaped slash", `{"s":"a\/b"}`, leftToCanonicalizer},
		{"escaped letter", `{"s":"\u0041"}`, leftToCanonicalizer},
		{"negative zero", `{"a":-0}`, leftToCanonicalizer},
		{"trailing zero", `{"a":1.50}`, leftToCanonicalizer},
		{"exponent spelled differently", `{"a":1E+21}`, leftToCanonicalizer},
		{"integer written with exponent", `{"a":1e2}`, leftToCanonicalizer},
		{"plain notation beyond 1e21", `{"a":1000000000000000000000}`, leftToCanonicalizer},
		{"inexact integer", `{"a":9007199254740993}`, leftToCanonicalizer},
		{"escape in a name (canonical, not proven)", `{"a\nb":1}`, leftToCanonicalizer},
		{"name above U+E000 (canonical, not proven)", "{\"\uFB33\":1}", leftToCanonicalizer},
		{"invalid UTF-8", "{\"s\":\"\xff\"}", leftToCanonicalizer},
		{"raw control character", "{\"s\":\"a\nb\"}", leftToCanonicalizer},
		{"not an object", `[1]`, leftToCanonicalizer},
		{"truncated", `{"a":[1,2`, leftToCanonicalizer},
		{"truncated after a member", `{"b":1,"a":2`, leftToCanonicalizer},
		{"trailing comma", `{"a":1,}`, leftToCanonicalizer},
		{"bare word", `{"a":nul}`, leftToCanonicalizer},
		{"empty", ``, leftToCanonicalizer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkFastPath(t, []byte(tt.in), 32); got != tt.want {
				t.Errorf("fastCanonical(%q) answered %d, want %d", tt.in, got, tt.want)
			}
		})
	}
	deep := `{"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`
	if checkFastPath(t, []byte(deep), 32) != asIs || checkFastPath(t, []byte(deep), 31) != leftToCanonicalizer {
		t.Error("the fast path does not count nesting as the canonicalizer does")
	}
}

// TestFastCanonicalFromEncodingJSON: what encoding/json writes for a map
// is taken as it is when it is canonical, a struct's fields are put in
// order, and each way Go's output differs otherwise from RFC 8785 sends
// it to the canonicalizer, which then writes other bytes.
func TestFastCanonicalFromEncodingJSON(t *testing.T) {
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
		if checkFastPath(t, b, 32) != asIs {
			t.Errorf("encoding/json output %s is canonical but was not taken as it is", b)
		}
	}
	fields := marshal(struct {
		Entry string `json:"entry"`
		Items []int  `json:"items"`
		Attr  string `json:"attribute"`
	}{"CAT-1", []int{1, 2}, "conditional"}, true)
	if checkFastPath(t, fields, 32) != reordered {
		t.Errorf("a struct's fields %s were not put in order by the fast path", fields)
	}
	differs := []struct {
		name string
		data []byte
	}{
		{"HTML escapes", marshal(map[string]string{"q": "a<b && c>d"}, true)},
		{"U+2028, U+2029", marshal(map[string]string{"s": "\u2028\u2029"}, false)},
		{"negative zero", marshal(map[string]float64{"x": math.Copysign(0, -1)}, true)},
		{"invalid UTF-8", marshal(map[string]string{"s": "\xff"}, true)},
	}
	for _, d := range differs {
		t.Run(d.name, func(t *testing.T) {
			if checkFastPath(t, d.data, 32) != leftToCanonicalizer {
				t.Fatalf("%s was answered by the fast path", d.data)
			}
			out, err := canonicalJSON(d.data, 32)
			if err != nil || bytes.Equal(out, d.data) {
				t.Errorf("canonicalJSON(%s) = %s, %v: expected other bytes", d.data, out, err)
			}
		})
	}
	indented, _ := json.MarshalIndent(map[string]int{"a": 1}, "", "  ")
	if checkFastPath(t, indented, 32) != leftToCanonicalizer {
		t.Error("indented JSON was answered by the fast path")
	}
}

// TestNormalizeDetailsFastPath: canonical details are recorded as given,
// without a copy; details out of order are put in order; the limit
// applies to both.
func TestNormalizeDetailsFastPath(t *testing.T) {
	e := testEvent(1)
	e.Details = []byte(`{"attribute":"conditional","entry":"CAT-330100-0001","n":1}`)
	n, err := e.normalize(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if &n.Details[0] != &e.Details[0] {
		t.Error("canonical details were copied")
	}
	for _, in := range []string{
		`{"n":1,"entry":"CAT-330100-0001","attribute":"conditional"}`,  // the fast path reorders
		`{"n":1, "entry":"CAT-330100-0001","attribute":"conditional"}`, // the canonicalizer
	} {
		e.Details = []byte(in)
		if n, err = e.normalize(DefaultLimits); err != nil || string(n.Details) != `{"attribute":"conditional","entry":"CAT-330100-0001","n":1}` {
			t.Errorf("%s: details not canonicalized: %s, %v", in, n.Details, err)
		}
		if string(e.Details) != in {
			t.Errorf("normalize changed the caller's details to %s", e.Details)
		}
	}
	var ee *EventError
	for _, in := range []string{`{"a":"`, `{"b":0,"a":"`} {
		e.Details = []byte(in + strings.Repeat("x", DefaultLimits.MaxDetails) + `"}`)
		if _, err := e.normalize(DefaultLimits); !errors.As(err, &ee) || ee.Field != "details" {
			t.Errorf("details over the limit: %v", err)
		}
	}
	e.Details = []byte(`{"b":1,"a":2,"b":3}`)
	if _, err := e.normalize(DefaultLimits); !errors.As(err, &ee) || ee.Field != "details" || !strings.Contains(ee.Reason, "duplicate") {
		t.Errorf("duplicate member: %v", err)
	}
}

// TestFastCanonicalAllocations: proving details canonical allocates
// nothing, also for numbers that need the full formatter; putting members
// in order allocates the result only.
func TestFastCanonicalAllocations(t *testing.T) {
	for _, tt := range []struct {
		in     string
		allocs float64
	}{
		{`{"a":[1,0.5,1e+21,-1.5e-7],"b":"某市公安局\n","c":{"d":null}}`, 0},
		{`{"c":{"d":null,"b":1},"b":"某市公安局\n","a":[1,0.5,1e+21,-1.5e-7]}`, 1},
	} {
		data := []byte(tt.in)
		if allocs := testing.AllocsPerRun(100, func() {
			if _, ok := fastCanonical(data, 32); !ok {
				t.Fatal("no answer")
			}
		}); allocs != tt.allocs {
			t.Errorf("fastCanonical(%s) allocates %v times, want %v", tt.in, allocs, tt.allocs)
		}
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

// TestFastCanonicalRandomOrder writes random details with canonical
// tokens and members in random order — nested objects and arrays,
// Chinese names and text, escapes, numbers as ECMAScript prints them —
// and checks that the fast path answers every one, as the canonicalizer
// does.
func TestFastCanonicalRandomOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	names := []string{"a", "b", "ab", "B", "z", "0", "事项", "部门", "items", "entry", "n", "x_y"}
	texts := []string{"", "conditional", "某市公安局", `a\"b`, `\n\t`, `\u001f`, "€$", "/"}
	var value func(b []byte, depth int) []byte
	value = func(b []byte, depth int) []byte {
		switch k := rng.IntN(6); {
		case k == 0 && depth < 4:
			b = append(b, '{')
			for i, p := range rng.Perm(len(names))[:rng.IntN(5)] {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '"')
				b = append(b, names[p]...)
				b = append(b, '"', ':')
				b = value(b, depth+1)
			}
			return append(b, '}')
		case k == 1 && depth < 4:
			b = append(b, '[')
			for i := range rng.IntN(4) {
				if i > 0 {
					b = append(b, ',')
				}
				b = value(b, depth+1)
			}
			return append(b, ']')
		case k == 2:
			return appendES6Number(b, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
		case k == 3:
			return strconv.AppendInt(b, rng.Int64N(1<<53)-1<<52, 10)
		case k == 4:
			return append(b, [...]string{"true", "false", "null"}[rng.IntN(3)]...)
		}
		b = append(b, '"')
		b = append(b, texts[rng.IntN(len(texts))]...)
		return append(b, '"')
	}
	answered := map[int]int{}
	for range 5000 {
		b := []byte{'{'}
		for i, p := range rng.Perm(len(names))[:1+rng.IntN(6)] {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, names[p]...)
			b = append(b, '"', ':')
			b = value(b, 1)
		}
		b = append(b, '}')
		got := checkFastPath(t, b, 32)
		if got == leftToCanonicalizer {
			t.Fatalf("no answer for %s", b)
		}
		answered[got]++
	}
	if answered[asIs] == 0 || answered[reordered] < 2500 {
		t.Errorf("answers: %d as is, %d reordered", answered[asIs], answered[reordered])
	}
}
