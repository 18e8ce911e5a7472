package jcs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	gowebpki "github.com/gowebpki/jcs"
)

// benchDetails are 1,024 audit event details as the request package and
// the audit benchmarks give them (90–200 bytes: codes, a due instant,
// Chinese item names, counts, a reason with escapes), in three forms:
//
//   - canonical: json.Marshal of a map, which sorts the members, as the
//     request package and most hosts write details;
//   - out-of-order: the same members in the order of a struct's fields
//     or a hand-written literal;
//   - rewritten: the same written as json.MarshalIndent and HTML
//     escaping give it, so that every path must write new bytes.
//
// large is a canonical 8 KiB text (an object holding an array of 40 such
// objects), for how
// each path scales.
var benchDetails = func() (sets struct{ canonical, outOfOrder, rewritten, large [][]byte }) {
	items := [][]string{{"姓名", "身份证号"}, {"统一社会信用代码"}, {"地址", "联系电话", "婚姻状况"}}
	reasons := []string{"", "复核后同意 <附件2>", "line 1\nline 2\t\"quoted\""}
	for i := range 1024 {
		m := map[string]any{
			"entry":     fmt.Sprintf("CAT-330100-%04d", i%97),
			"items":     items[i%len(items)],
			"attribute": [...]string{"conditional", "unconditional"}[i%2],
			"n":         i,
			"due_at":    "2026-10-16T17:00:00+08:00",
		}
		if r := reasons[i%len(reasons)]; r != "" {
			m["reason"] = r
		}
		sets.canonical = append(sets.canonical, marshal(m))
		var o bytes.Buffer
		o.WriteString(`{"n":` + fmt.Sprint(i) + `,"entry":`)
		e, _ := json.Marshal(m["entry"])
		o.Write(e)
		for _, k := range []string{"items", "attribute", "due_at", "reason"} {
			if v, ok := m[k]; ok {
				vb, _ := json.Marshal(v)
				o.WriteString(`,"` + k + `":`)
				o.Write(vb)
			}
		}
		o.WriteByte('}')
		sets.outOfOrder = append(sets.outOfOrder, o.Bytes())
		r, _ := json.MarshalIndent(m, "", "  ")
		sets.rewritten = append(sets.rewritten, r)
	}
	for i := range 32 {
		var l []any
		for j := range 40 {
			var v any
			_ = json.Unmarshal(sets.canonical[(i*40+j)%1024], &v)
			l = append(l, v)
		}
		sets.large = append(sets.large, marshal(map[string]any{"records": l}))
	}
	return sets
}()

// marshal is json.Marshal without HTML escapes, which RFC 8785 does not
// make.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// BenchmarkCanonicalize weighs the lazy path (Canonicalize: write nothing
// until the input first differs from its canonical form) against the
// general path of the same parser (canonicalize with lazy false: write
// every token) and against github.com/gowebpki/jcs's Transform, used as
// its users use it, on the same inputs in the same run. Each op
// canonicalizes one text, rotating over the set. cpu-ns/op is the
// process's CPU time (user and system, garbage collection included) per
// op, which shared-machine noise moves less than wall time.
func BenchmarkCanonicalize(b *testing.B) {
	for _, set := range []struct {
		name  string
		texts [][]byte
	}{
		{"canonical", benchDetails.canonical},
		{"out-of-order", benchDetails.outOfOrder},
		{"rewritten", benchDetails.rewritten},
		{"large", benchDetails.large},
	} {
		for _, impl := range []struct {
			name string
			fn   func([]byte) ([]byte, error)
		}{
			{"lazy", func(src []byte) ([]byte, error) { return Canonicalize(src, 32) }},
			{"general", func(src []byte) ([]byte, error) { return canonicalize(src, 32, false) }},
			{"gowebpki", gowebpki.Transform},
		} {
			b.Run(set.name+"/"+impl.name, func(b *testing.B) {
				n := 0
				for _, t := range set.texts {
					n += len(t)
				}
				b.SetBytes(int64(n / len(set.texts)))
				b.ReportAllocs()
				cpu := startCPU()
				for i := 0; i < b.N; i++ {
					if _, err := impl.fn(set.texts[i%len(set.texts)]); err != nil {
						b.Fatal(err)
					}
				}
				cpu.report(b)
			})
		}
	}
}
