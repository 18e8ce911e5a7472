package audit

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"testing"
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
		if got := string(appendES6Number(nil, f)); got != tt.want {
			t.Errorf("%s (%g): got %s, RFC 8785 says %s", tt.bits, f, got, tt.want)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
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
		{"empty", `{}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalJSON([]byte(tt.in), 32)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			again, err := canonicalJSON(got, 32)
			if err != nil || string(again) != string(got) {
				t.Errorf("not idempotent: %s, %v", again, err)
			}
			if !json.Valid(got) {
				t.Errorf("output is not JSON")
			}
		})
	}
}

func TestCanonicalJSONRefuses(t *testing.T) {
	tests := []struct{ name, in string }{
		{"array at top", `[1,2]`},
		{"string at top", `"x"`},
		{"duplicate name", `{"a":1,"a":2}`},
		{"duplicate after unescaping", `{"a":1,"\u0061":2}`},
		{"lone high surrogate", `{"a":"\ud800"}`},
		{"lone low surrogate", `{"a":"\udc00"}`},
		{"invalid UTF-8", "{\"a\":\"\xff\"}"},
		{"raw control character", "{\"a\":\"x\ny\"}"},
		{"integer above 2^53", `{"id":9007199254740993}`},
		{"number out of range", `{"x":1e400}`},
		{"leading zero", `{"x":01}`},
		{"bare minus", `{"x":-}`},
		{"trailing comma", `{"x":1,}`},
		{"trailing data", `{"x":1} {}`},
		{"NaN", `{"x":NaN}`},
		{"single quotes", `{'x':1}`},
		{"unterminated", `{"x":"abc`},
		{"bad escape", `{"x":"\q"}`},
		{"too deep", `{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`},
		{"empty input", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := canonicalJSON([]byte(tt.in), 32); err == nil {
				t.Errorf("canonicalJSON(%q) = %s, want an error", tt.in, got)
			}
		})
	}
}
