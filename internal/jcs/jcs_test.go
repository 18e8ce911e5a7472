package jcs

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestES6NumberRFC8785 checks number serialization against the IEEE-754
// samples of RFC 8785 appendix B.
func TestES6NumberRFC8785(t *testing.T) {
	tests := []struct{ bits, want string }{
		{"0000000000000000", "0"},
		{"8000000000000000", "0"},
		{"0000000000000001", "5e-324"},
		{"8000000000000001", "-5e-324"},
		{"7fefffffffffffff", "1.7976931348623157e+308"},
		{"ffefffffffffffff", "-1.7976931348623157e+308"},
		{"4340000000000000", "9007199254740992"},
		{"c340000000000000", "-9007199254740992"},
		{"4430000000000000", "295147905179352830000"},
		{"44b52d02c7e14af5", "9.999999999999997e+22"},
		{"44b52d02c7e14af6", "1e+23"},
		{"44b52d02c7e14af7", "1.0000000000000001e+23"},
		{"444b1ae4d6e2ef4e", "999999999999999700000"},
		{"444b1ae4d6e2ef4f", "999999999999999900000"},
		{"444b1ae4d6e2ef50", "1e+21"},
		{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
		{"3eb0c6f7a0b5ed8d", "0.000001"},
		{"41b3de4355555553", "333333333.3333332"},
		{"41b3de4355555554", "333333333.33333325"},
		{"41b3de4355555555", "333333333.3333333"},
		{"41b3de4355555556", "333333333.3333334"},
		{"41b3de4355555557", "333333333.33333343"},
		{"becbf647612f3696", "-0.0000033333333333333333"},
		{"43143ff3c1cb0959", "1424953923781206.2"},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.bits)
		f := math.Float64frombits(binary.BigEndian.Uint64(b))
		got, err := AppendFloat(nil, f)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s (%g): got %s, %v; RFC 8785 says %s", tt.bits, f, got, err, tt.want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, err := AppendFloat([]byte("x"), f); err == nil || string(got) != "x" {
			t.Errorf("AppendFloat(%g) = %q, %v; want an error and dst unchanged", f, got, err)
		}
	}
}

func TestCanonicalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			// The example of RFC 8785 §3.2.4 / the reference implementation.
			"RFC 8785 sample",
			"{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n" +
				"  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n" +
				"  \"literals\": [null, true, false]\n}",
			`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{
			// RFC 8785 §3.2.3: members sorted by UTF-16 code units, so
			// U+1F600 (a surrogate pair) sorts before U+FB33.
			"RFC 8785 sorting",
			`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`,
			"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
		},
		{"nested, Chinese", `{ "b" : { "z":1, "a":[ {"y":2,"x":1} ] }, "a":"某市公安局" }`, `{"a":"某市公安局","b":{"a":[{"x":1,"y":2}],"z":1}}`},
		{"negative zero and exponents", `{"a":-0,"b":1.0,"c":1e2,"d":-1.5E-7}`, `{"a":0,"b":1,"c":100,"d":-1.5e-7}`},
		{"largest exact integers", `{"n":9007199254740992,"m":-18014398509481984}`, `{"m":-18014398509481984,"n":9007199254740992}`},
		{"integers beyond 2^53 whose digits a double keeps", `[9007199254740994,9180029074079213000,1180591620717411300000,10000000000000000000000]`, `[9007199254740994,9180029074079213000,1.1805916207174113e+21,1e+22]`},
		{"underflow to zero", `[1e-400, -2e-324]`, `[0,0]`},
		{"empty", `{}`, `{}`},
		{"array at top", ` [1, "x"] `, `[1,"x"]`},
		{"string at top", `"\u0041"`, `"A"`},
		{"number at top", `1E3`, `1000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tt.in), 32)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			again, err := Canonicalize(got, 32)
			if err != nil || !bytes.Equal(again, got) || &again[0] != &got[0] {
				t.Errorf("the canonical form is not taken as it is: %s, %v", again, err)
			}
			if !json.Valid(got) {
				t.Errorf("output is not JSON")
			}
		})
	}
}

func TestCanonicalizeRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		offset   int
	}{
		{"duplicate name", `{"a":1,"a":2}`, 7},
		{"duplicate after unescaping", `{"a":1,"\u0061":2}`, 7},
		{"duplicate out of order", `{"b":1,"a":1,"b":2}`, 18},
		{"lone high surrogate", `{"a":"\ud800"}`, 6},
		{"lone low surrogate", `{"a":"\udc00"}`, 6},
		{"reversed surrogates", `{"a":"\udc00\ud800"}`, 6},
		{"high surrogate and a letter", `{"a":"\ud800\u0041"}`, 6},
		{"invalid UTF-8", "{\"a\":\"x\xff\"}", 7},
		{"invalid UTF-8 in a name", "{\"\xc0\xaf\":1}", 2},
		{"UTF-8 surrogate", "[\"\xed\xa0\x80\"]", 2},
		{"raw control character", "{\"a\":\"x\ny\"}", 7},
		{"integer above 2^53", `{"id":9007199254740993}`, 6},
		{"2^70 in full", `[1180591620717411303424]`, 1},
		{"number out of range", `{"x":1e400}`, 5},
		{"leading zero", `{"x":01}`, 6},
		{"bare minus", `{"x":-}`, 6},
		{"no fraction digits", `[1.]`, 3},
		{"no exponent digits", `[1e+]`, 4},
		{"trailing comma", `{"x":1,}`, 7},
		{"trailing comma in an array", `[1,]`, 3},
		{"trailing data", `{"x":1} {}`, 8},
		{"NaN", `{"x":NaN}`, 5},
		{"truncated literal", `[tru]`, 1},
		{"single quotes", `{'x':1}`, 1},
		{"unterminated", `{"x":"abc`, 5},
		{"unterminated escape", `["\`, 1},
		{"bad escape", `{"x":"\q"}`, 6},
		{"bad \\u escape", `["\u12G4"]`, 2},
		{"missing colon", `{"x" 1}`, 5},
		{"missing comma", `[1 2]`, 3},
		{"too deep", `{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, 36},
		{"byte order mark", "\ufeff{}", 0},
		{"empty input", ``, 0},
		{"only space", " \n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lazy := range []bool{true, false} {
				got, err := canonicalize([]byte(tt.in), 32, lazy)
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("canonicalize(%q, lazy %v) = %s, %v; want an *Error", tt.in, lazy, got, err)
				}
				if e.Offset != tt.offset {
					t.Errorf("lazy %v: %v: offset %d, want %d", lazy, err, e.Offset, tt.offset)
				}
				if e.TooDeep != (tt.name == "too deep") {
					t.Errorf("lazy %v: %v: TooDeep %v", lazy, err, e.TooDeep)
				}
				if wantInexact := strings.HasPrefix(tt.name, "integer above") || strings.HasPrefix(tt.name, "2^70"); e.inexact != wantInexact {
					t.Errorf("lazy %v: %v: inexact %v", lazy, err, e.inexact)
				}
			}
			dst := []byte("keep")
			if got, err := AppendCanonical(dst, []byte(tt.in), 32); err == nil || string(got) != "keep" {
				t.Errorf("AppendCanonical = %q, %v; want dst unchanged and an error", got, err)
			}
		})
	}
}

// How Canonicalize answered.
const (
	refused   = iota // an error
	asIs             // src itself
	rewritten        // other bytes
	reordered        // a copy of src with members put in order: the same length
)

// answer returns how Canonicalize answered, and fails t if its answer is
// not the general path's.
func answer(t *testing.T, data []byte, maxDepth int) int {
	t.Helper()
	out, err := Canonicalize(data, maxDepth)
	want, werr := canonicalize(data, maxDepth, false)
	switch {
	case (err == nil) != (werr == nil):
		t.Fatalf("for %q the lazy path says %q, %v; the general path %q, %v", data, out, err, want, werr)
	case err != nil:
		if err.Error() != werr.Error() {
			t.Fatalf("for %q the lazy path refuses with %v, the general path with %v", data, err, werr)
		}
		return refused
	case !bytes.Equal(out, want):
		t.Fatalf("for %q the lazy path writes %q, the general path %q", data, out, want)
	case len(want) > 0 && &want[0] == &data[0]:
		t.Fatalf("the general path returned its input %q", data)
	}
	switch {
	case &out[0] == &data[0]:
		return asIs
	case bytes.Equal(out, data):
		t.Fatalf("canonical %q was copied", data)
	case bytesOf(out) == bytesOf(data):
		return reordered
	}
	return rewritten
}

// bytesOf returns the bytes of b in order, to tell texts whose members
// were only put in order.
func bytesOf(b []byte) string {
	s := slices.Clone(b)
	slices.Sort(s)
	return string(s)
}

func TestCanonicalizeTakesCanonicalAsIs(t *testing.T) {
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
		{"escape in a name", `{"a\nb":1,"a\u001fb":2}`, asIs},
		{"names above U+E000 in UTF-16 order", "{\"\U0001F600\":1,\"\uFB33\":2}", asIs},
		{"a scalar", `"x"`, asIs},

		{"members out of order", `{"b":1,"a":2}`, reordered},
		{"the audit benchmark's details", `{"entry":"CAT-330100-0001","items":["姓名","身份证号"],"attribute":"conditional","n":1}`, reordered},
		{"nested objects out of order", `{"z":{"y":[{"d":1,"c":{"f":0,"e":[]}}],"x":"某"},"a":{"b":2,"a":1},"m":[{"q":1,"p":2}]}`, reordered},
		{"only an inner object out of order", `{"a":[1,{"b":true,"a":false}],"b":null}`, reordered},
		{"many members", `{"p":1,"o":2,"n":3,"m":4,"l":5,"k":6,"j":7,"i":8,"h":9,"g":10,"f":11,"e":12,"d":13,"c":14,"b":15,"a":16,"0":17,"A":18}`, reordered},
		{"names above U+E000 in UTF-8 order", "{\"\uFB33\":1,\"\U0001F600\":2}", reordered},

		{"whitespace", `{"a": 1}`, rewritten},
		{"newline after the object", "{\"a\":1}\n", rewritten},
		{"space before the object", " {}", rewritten},
		{"HTML escape as Go writes it", `{"s":"\u003cb\u003e"}`, rewritten},
		{"U+2028 escaped as Go writes it", `{"s":"\u2028"}`, rewritten},
		{"uppercase hex escape", `{"s":"\u001F"}`, rewritten},
		{"long form of a short escape", `{"s":"\u000a"}`, rewritten},
		{"escaped slash", `{"s":"a\/b"}`, rewritten},
		{"escaped letter", `{"s":"\u0041"}`, rewritten},
		{"escape in a name, out of order", `{"b":1,"\u0061":2}`, rewritten},
		{"negative zero", `{"a":-0}`, rewritten},
		{"trailing zero", `{"a":1.50}`, rewritten},
		{"exponent spelled differently", `{"a":1E+21}`, rewritten},
		{"integer written with exponent", `{"a":1e2}`, rewritten},
		{"plain notation beyond 1e21", `{"a":1000000000000000000000}`, rewritten},
		{"out of order, then whitespace", `{"b":{"d":1,"c":2}, "a":[ 1 ]}`, rewritten},

		{"duplicate member", `{"a":1,"a":1}`, refused},
		{"inexact integer", `{"a":9007199254740993}`, refused},
		{"invalid UTF-8", "{\"s\":\"\xff\"}", refused},
		{"truncated after a member", `{"b":1,"a":2`, refused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := answer(t, []byte(tt.in), 32); got != tt.want {
				t.Errorf("Canonicalize(%q) answered %d, want %d", tt.in, got, tt.want)
			}
		})
	}
	deep := `{"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`
	if answer(t, []byte(deep), 32) != asIs || answer(t, []byte(deep), 31) != refused {
		t.Error("nesting is not counted from 1 for the outermost object")
	}
}

// TestCanonicalizeEncodingJSON: what encoding/json writes for a map is
// taken as it is when it is canonical, a struct's fields are put in
// order, and each way Go's output differs otherwise from RFC 8785 gives
// other bytes.
func TestCanonicalizeEncodingJSON(t *testing.T) {
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
		if b := marshal(v, true); answer(t, b, 32) != asIs {
			t.Errorf("encoding/json output %s is canonical but was not taken as it is", b)
		}
	}
	fields := marshal(struct {
		Entry string `json:"entry"`
		Items []int  `json:"items"`
		Attr  string `json:"attribute"`
	}{"CAT-1", []int{1, 2}, "conditional"}, true)
	if answer(t, fields, 32) != reordered {
		t.Errorf("a struct's fields %s were not put in order", fields)
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
		if answer(t, d.data, 32) != rewritten {
			t.Errorf("%s: %s was taken as it is", d.name, d.data)
		}
	}
	indented, _ := json.MarshalIndent(map[string]int{"a": 1}, "", "  ")
	if answer(t, indented, 32) != rewritten {
		t.Error("indented JSON was taken as it is")
	}
}

// TestCanonicalizeAllocations: proving a text canonical allocates nothing,
// also for numbers that need the full formatter; putting members in order
// allocates the result only.
func TestCanonicalizeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop parsers at random")
	}
	for _, tt := range []struct {
		in     string
		allocs float64
	}{
		{`{"\u0001":1,"a":[1,0.5,1e+21,-1.5e-7],"b":"某市公安局\n","c":{"d":null}}`, 0},
		{`{"c":{"d":null,"b":1},"b":"某市公安局\n","a":[1,0.5,1e+21,-1.5e-7]}`, 1},
		{`{"c" : {"d":null,"b":1}, "b":"某市公安局\u000a","a":[1,0.50,1E+21,-1.5e-7]}`, 1},
	} {
		data := []byte(tt.in)
		if allocs := testing.AllocsPerRun(100, func() {
			if _, err := Canonicalize(data, 32); err != nil {
				t.Fatal(err)
			}
		}); allocs != tt.allocs {
			t.Errorf("Canonicalize(%s) allocates %v times, want %v", tt.in, allocs, tt.allocs)
		}
	}
	dst := make([]byte, 0, 256)
	data := []byte(`{"c":{"d":null,"b":1},"b":"某市公安局\n","a":[1,0.5,1e+21,-1.5e-7]}`)
	if allocs := testing.AllocsPerRun(100, func() { _, _ = AppendCanonical(dst, data, 32) }); allocs != 0 {
		t.Errorf("AppendCanonical into room enough allocates %v times", allocs)
	}
}

func TestAppendCanonical(t *testing.T) {
	for _, in := range []string{`{"b":1,"a":[ 2 ]}`, `{"a":[2],"b":1}`} {
		got, err := AppendCanonical([]byte(`{"x":`), []byte(in), 32)
		if err != nil || string(got) != `{"x":{"a":[2],"b":1}` {
			t.Errorf("AppendCanonical(%s) = %s, %v", in, got, err)
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

// TestCompare compares Compare with the UTF-16 code units themselves on
// names drawn from the ranges where UTF-8 and UTF-16 order differ.
func TestCompare(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	runes := []rune{'a', 'b', 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfb33, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff}
	units := func(s string) []uint16 { return utf16.Encode([]rune(s)) }
	for range 20000 {
		var a, b []rune
		for range rng.IntN(4) {
			a = append(a, runes[rng.IntN(len(runes))])
		}
		b = append(b, a[:rng.IntN(len(a)+1)]...)
		for range rng.IntN(3) {
			b = append(b, runes[rng.IntN(len(runes))])
		}
		sa, sb := string(a), string(b)
		if got, want := Compare(sa, sb), slices.Compare(units(sa), units(sb)); got != want {
			t.Fatalf("Compare(%+q, %+q) = %d, UTF-16 order says %d", sa, sb, got, want)
		}
		if got, want := compareNames([]byte(sa), []byte(sb)), Compare(sa, sb); got != want {
			t.Fatalf("compareNames and Compare differ on %+q, %+q", sa, sb)
		}
	}
}

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"":                        `""`,
		"plain ASCII / \x7f":      "\"plain ASCII / \x7f\"",
		"某市公安局":                   `"某市公安局"`,
		"q\"b\\s":                 `"q\"b\\s"`,
		"\b\t\n\f\r":              `"\b\t\n\f\r"`,
		"\x00\x01\x0b\x1f":        `"\u0000\u0001\u000b\u001f"`,
		"<&>\u2028\u2029😀":        "\"<&>\u2028\u2029😀\"",
		"bad \xff byte, \xe5\x90": "\"bad \uFFFD byte, \uFFFD\uFFFD\"",
	} {
		got := AppendString([]byte("x"), in)
		if string(got) != "x"+want {
			t.Errorf("AppendString(%q) = %s, want %s", in, got[1:], want)
		}
		if utf8.ValidString(in) {
			if again, err := Canonicalize(got[1:], 1); err != nil || &again[0] != &got[1] {
				t.Errorf("AppendString(%q) = %s is not canonical: %s, %v", in, got[1:], again, err)
			}
			var back string
			if err := json.Unmarshal(got[1:], &back); err != nil || back != in {
				t.Errorf("AppendString(%q) reads back as %q, %v", in, back, err)
			}
		}
	}
}

func TestAppendInt(t *testing.T) {
	for _, n := range []int64{0, -1, 42, 1 << 53, -1 << 53, 1<<53 + 2, 4611686018427388000, -9180029074079213000} {
		got, err := AppendInt(nil, n)
		if err != nil || string(got) != strconv.FormatInt(n, 10) {
			t.Errorf("AppendInt(%d) = %s, %v", n, got, err)
		}
		// As the canonical form of the same literal.
		if c, err := Canonicalize([]byte(strconv.FormatInt(n, 10)), 1); err != nil || !bytes.Equal(c, got) {
			t.Errorf("the literal %d canonicalizes to %s, %v; AppendInt writes %s", n, c, err, got)
		}
	}
	for _, n := range []int64{1<<53 + 1, -1<<53 - 1, 1 << 62, math.MaxInt64, math.MinInt64} {
		if got, err := AppendInt([]byte("x"), n); err == nil || string(got) != "x" {
			t.Errorf("AppendInt(%d) = %s, %v; want an error", n, got, err)
		}
		if _, err := Canonicalize([]byte(strconv.FormatInt(n, 10)), 1); err == nil {
			t.Errorf("the literal %d is accepted, AppendInt refuses it", n)
		}
	}
}

// TestCanonicalizeRandomOrder writes random texts with canonical tokens
// and members in random order — nested objects and arrays, Chinese names
// and text, escapes, numbers as ECMAScript prints them — and checks that
// the lazy path writes what the general path does for every one, and
// takes each canonical one as it is.
func TestCanonicalizeRandomOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	names := []string{"a", "b", "ab", "B", "z", "0", "事项", "部门", "items", "entry", "n", "x_y", `\n`, "\uFB33", "\U0001F600"}
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
			b, _ = AppendFloat(b, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
			return b
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
		got := answer(t, b, 32)
		if got == refused || got == rewritten {
			t.Fatalf("%s: answered %d", b, got)
		}
		answered[got]++
	}
	if answered[asIs] == 0 || answered[reordered] < 2500 {
		t.Errorf("answers: %d as is, %d reordered", answered[asIs], answered[reordered])
	}
}
