package jcs_test

import (
	"fmt"

	"github.com/govshare/govshare/internal/jcs"
)

// A JSON text in its canonical form: members sorted, no whitespace,
// numbers as ECMAScript prints them, only the escapes JSON.stringify
// writes.
func ExampleCanonicalize() {
	out, err := jcs.Canonicalize([]byte(`{ "b": 1.50, "a": "申请\u0041", "c": [1e2, true] }`), 32)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output: {"a":"申请A","b":1.5,"c":[100,true]}
}

// An object built from Go values directly, members in canonical order.
func ExampleAppendString() {
	names := []string{"to", "from"}
	if jcs.Compare(names[0], names[1]) > 0 {
		names[0], names[1] = names[1], names[0]
	}
	b := []byte{'{'}
	for i, n := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = jcs.AppendString(b, n)
		b = append(b, ':')
		b, _ = jcs.AppendInt(b, int64(i))
	}
	b = append(b, '}')
	fmt.Println(string(b))
	// Output: {"from":0,"to":1}
}
