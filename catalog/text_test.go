package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Every text field refuses NUL, and reports it at the field with the
// character's place; the multi-line fields alone take line breaks.
func TestControlCharactersAtEveryField(t *testing.T) {
	fields := []struct {
		path      string
		set       func(*Entry, string)
		multiline bool
	}{
		{"id", func(e *Entry, s string) { e.ID = s }, false},
		{"name", func(e *Entry, s string) { e.Name = s }, false},
		{"summary", func(e *Entry, s string) { e.Summary = s }, true},
		{"provider.name", func(e *Entry, s string) { e.Provider.Name = s }, false},
		{"provider.credit_code", func(e *Entry, s string) { e.Provider.CreditCode = s }, false},
		{"provider.region_code", func(e *Entry, s string) { e.Provider.RegionCode = s }, false},
		{"conditions", func(e *Entry, s string) { e.Conditions = s }, true},
		{"legal_basis", func(e *Entry, s string) { e.LegalBasis = s }, true},
		{"methods[1]", func(e *Entry, s string) { e.Methods[1] = govshare.ShareMethod(s) }, false},
		{"classification.category", func(e *Entry, s string) { e.Classification.Category = classify.Category(s) }, false},
		{"items[2].name", func(e *Entry, s string) { e.Items[2].Name = s }, false},
		{"items[2].column", func(e *Entry, s string) { e.Items[2].Column = s }, false},
		{"items[2].description", func(e *Entry, s string) { e.Items[2].Description = s }, true},
		{"resource_class", func(e *Entry, s string) { e.ResourceClass = s }, false},
		{"provider_code", func(e *Entry, s string) { e.ProviderCode = s }, false},
		{"related[0]", func(e *Entry, s string) { e.Related = []string{s} }, false},
	}
	for _, f := range fields {
		t.Run(f.path, func(t *testing.T) {
			e := validEntry()
			f.set(&e, "ab\x00c")
			got, ok := findCode(Validate(e), CodeControlChar, f.path)
			require.True(t, ok, "%v", Validate(e))
			assert.Equal(t, govshare.Error, got.Severity)
			assert.Contains(t, got.Message, "含有控制字符U+0000（第3个字符）")
			assert.Contains(t, got.MessageEN, "contains the control character U+0000 (character 3)")
			assert.True(t, got.Citation.PolicyDefault)

			e = validEntry()
			f.set(&e, "第一行\n第二行")
			_, ok = findCode(Validate(e), CodeControlChar, f.path)
			assert.Equal(t, !f.multiline, ok, "a line break")

			e = validEntry()
			f.set(&e, "ab\xffc")
			got, ok = findCode(Validate(e), CodeInvalidUTF8, f.path)
			require.True(t, ok)
			assert.Contains(t, got.Message, "不是有效的UTF-8文本（第3字节起）")
		})
	}
}

// The controls that hide or reorder text are refused too: C1 controls,
// DEL and the bidirectional overrides and isolates; look-alike but
// harmless characters are not.
func TestControlCharacterKinds(t *testing.T) {
	for _, s := range []string{"\x7f", "\u0085", "\u009f", "\u202e", "\u202a", "\u2066", "\u2069", "\x1f"} {
		e := validEntry()
		e.Name = "户籍" + s + "人口"
		got, ok := findCode(Validate(e), CodeControlChar, "name")
		require.True(t, ok, "%q", s)
		r, _ := utf8.DecodeRuneInString(s)
		assert.Contains(t, got.Message, fmt.Sprintf("U+%04X（第3个字符）", r))
	}
	for _, s := range []string{"\u00a0", "\u00a9", "\u2029", "\u2065", "\u206a", "\u202f", "\u2018", "\u3000", "·", "—", "😀"} {
		e := validEntry()
		e.Name = "户籍" + s + "人口"
		assert.Empty(t, Validate(e), "%q", s)
	}
}

// textOK agrees with the obvious rune-by-rune definition on random text
// mixing ASCII, Chinese, the controls and broken sequences.
func TestTextOKMatchesDefinition(t *testing.T) {
	slow := func(s string, multiline bool) bool {
		if !utf8.ValidString(s) {
			return false
		}
		for _, r := range s {
			if isControl(r, multiline) {
				return false
			}
		}
		return true
	}
	pieces := []string{"a", "Z", "9", " ", "\n", "\t", "\r", "\x00", "\x7f", "户", "籍", "\u0080", "\u009f", "\u00a0",
		"\u202a", "\u202e", "\u202f", "\u2066", "\u2069", "\u206a", "\xc2", "\xe2\x80", "\xe2", "\xff", "\xed\xa0\x80", "😀", "\xf0\x9f"}
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(6); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		for _, ml := range []bool{false, true} {
			require.Equal(t, slow(s, ml), textOK(s, ml), "%q multiline=%v", s, ml)
		}
	}
}

// Publish refuses an entry with a control character; the draft stays as
// it was. Imported files report the cell.
func TestControlCharactersRefusedAtPublishAndImport(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	e := validEntry()
	e.Items[0].Name = "姓名\x00"
	v, err := s.Put(ctx, e, 0)
	require.NoError(t, err)
	_, findings, err := s.Publish(ctx, v.ID, v.Version)
	require.ErrorIs(t, err, ErrNotPublishable)
	_, ok := findCode(findings, CodeControlChar, "items[0].name")
	assert.True(t, ok)
	_, err = s.Published(ctx, v.ID)
	assert.ErrorIs(t, err, ErrStatus)

	doc := `{"entries": [{"id": "101001/000001", "name": "户籍\u0000人口", "summary": "第一行\n第二行"}]}`
	_, findings, err = ImportJSON(ctx, strings.NewReader(doc))
	require.NoError(t, err)
	_, ok = findCode(findings, CodeControlChar, "entries[0].name")
	assert.True(t, ok, "%v", findings)
	_, ok = findCode(findings, CodeControlChar, "entries[0].summary")
	assert.False(t, ok)

	h := csvHeader()
	row := filledRow()
	row["数据目录名称"] = "户籍\x01人口"
	_, findings, err = ImportCSV(ctx, strings.NewReader(csvText(h, row)))
	require.NoError(t, err)
	_, ok = findCode(findings, CodeControlChar, "B2")
	assert.True(t, ok, "%v", findings)
}
