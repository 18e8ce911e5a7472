package request

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalDetails(t *testing.T) {
	got, err := canonicalDetails([]Detail{
		{"to", "approved"}, {"from", "under_review"}, {"late", true}, {"days", 7},
		{"items", []string{"姓名", "身份证号"}}, {"note", "a\"b\\c\n\t\x01<&>"},
		{"other", map[string]int{"z": 1, "a": 2}}, {"late", false},
	})
	require.NoError(t, err)
	assert.Equal(t, `{"days":7,"from":"under_review","items":["姓名","身份证号"],"late":false,"note":"a\"b\\c\n\t\u0001<&>","other":{"a":2,"z":1},"to":"approved"}`, string(got))
	var back map[string]any
	require.NoError(t, json.Unmarshal(got, &back), "valid JSON")
	assert.Equal(t, "a\"b\\c\n\t\x01<&>", back["note"])
	assert.Equal(t, false, back["late"], "a key given twice keeps its last value")

	got, err = canonicalDetails([]Detail{{"bad", "\xff"}})
	require.NoError(t, err)
	assert.Equal(t, `{"bad":"\ufffd"}`, string(got))
	got, err = canonicalDetails(nil)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(got))
	_, err = canonicalDetails([]Detail{{"f", func() {}}})
	assert.Error(t, err)
}

func FuzzCanonicalDetails(f *testing.F) {
	f.Add("姓名", "x\"\n\x00", true, 3)
	f.Fuzz(func(t *testing.T, k, v string, flag bool, n int) {
		got, err := canonicalDetails([]Detail{{k, v}, {k + "_b", flag}, {k + "_n", n}, {k + "_l", []string{v, k}}})
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("not JSON: %s: %v", got, err)
		}
	})
}
