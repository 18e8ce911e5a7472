package request

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/internal/jcs"
)

// requireCanonical fails t unless b is RFC 8785 canonical: the audit log
// takes it as it is.
func requireCanonical(t *testing.T, b []byte) {
	t.Helper()
	c, err := jcs.Canonicalize(b, 32)
	require.NoError(t, err)
	require.Equal(t, string(b), string(c))
	require.True(t, &c[0] == &b[0], "canonical details are taken as they are")
}

func TestCanonicalDetails(t *testing.T) {
	got, err := canonicalDetails([]Detail{
		{"to", "approved"}, {"from", "under_review"}, {"late", true}, {"days", 7},
		{"items", []string{"姓名", "身份证号"}}, {"note", "a\"b\\c\n\t\x01<&>\u2028"},
		{"other", map[string]any{"z": 1, "a": "<b>", "m": math.Copysign(0, -1)}}, {"late", false}, {"score", 0.000001},
	})
	require.NoError(t, err)
	assert.Equal(t, "{\"days\":7,\"from\":\"under_review\",\"items\":[\"姓名\",\"身份证号\"],\"late\":false,"+
		"\"note\":\"a\\\"b\\\\c\\n\\t\\u0001<&>\u2028\",\"other\":{\"a\":\"<b>\",\"m\":0,\"z\":1},\"score\":0.000001,\"to\":\"approved\"}", string(got))
	requireCanonical(t, got)
	var back map[string]any
	require.NoError(t, json.Unmarshal(got, &back), "valid JSON")
	assert.Equal(t, "a\"b\\c\n\t\x01<&>\u2028", back["note"])
	assert.Equal(t, false, back["late"], "a key given twice keeps its last value")

	got, err = canonicalDetails([]Detail{{"bad", "\xff"}})
	require.NoError(t, err)
	assert.Equal(t, "{\"bad\":\"\uFFFD\"}", string(got), "invalid UTF-8 is written as U+FFFD itself")
	requireCanonical(t, got)
	got, err = canonicalDetails(nil)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(got))

	// RFC 8785 sorts keys by UTF-16 code units: U+1F600 before U+FB33.
	got, err = canonicalDetails([]Detail{{"\uFB33", 1}, {"\U0001F600", 2}, {"a", 3}})
	require.NoError(t, err)
	assert.Equal(t, "{\"a\":3,\"\U0001F600\":2,\"\uFB33\":1}", string(got))
	requireCanonical(t, got)

	for _, bad := range [][]Detail{
		{{"f", func() {}}},
		{{"n", 1<<53 + 1}},
		{{"x", math.NaN()}},
		{{"\xff", 1}},
	} {
		_, err = canonicalDetails(bad)
		assert.Error(t, err, "%v", bad)
	}
}

func FuzzCanonicalDetails(f *testing.F) {
	f.Add("姓名", "x\"\n\x00", true, 3, 1.5)
	f.Fuzz(func(t *testing.T, k, v string, flag bool, n int, x float64) {
		got, err := canonicalDetails([]Detail{{k, v}, {k + "_b", flag}, {k + "_n", n}, {k + "_l", []string{v, k}},
			{k + "_x", x}, {k + "_m", map[string]string{v: k}}})
		if err != nil {
			// Only what is documented is refused.
			if utf8.ValidString(k) && n >= -1<<53 && n <= 1<<53 && !math.IsNaN(x) && !math.IsInf(x, 0) {
				t.Fatal(err)
			}
			return
		}
		requireCanonical(t, got)
		var back map[string]any
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("not JSON: %s: %v", got, err)
		}
		if utf8.ValidString(v) && back[k] != v {
			t.Fatalf("%q reads back as %q", v, back[k])
		}
	})
}
