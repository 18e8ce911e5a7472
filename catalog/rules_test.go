package catalog

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/govshare/govshare"
)

// Every substring of a document's text has features the document holds:
// the property that lets an index of TextFeatures narrow Find without
// losing a match.
func TestQueryFeaturesSubsetOfText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("户籍人口数据kwKW01 ／/，\nＡａ-9é")
	for n := 0; n < 300; n++ {
		runes := make([]rune, 1+r.IntN(30))
		for i := range runes {
			runes[i] = alphabet[r.IntN(len(alphabet))]
		}
		doc := searchText(string(runes))
		have := TextFeatures(doc)
		if !slices.IsSorted(have) || len(slices.Compact(slices.Clone(have))) != len(have) {
			t.Fatalf("TextFeatures(%q) not sorted and distinct: %v", doc, have)
		}
		for i := 0; i < len(doc); i++ {
			for j := i + 1; j <= len(doc); j++ {
				for _, f := range QueryFeatures(doc[i:j]) {
					if _, ok := slices.BinarySearch(have, f); !ok {
						t.Fatalf("query %q of document %q has feature %x the document lacks", doc[i:j], doc, f)
					}
				}
			}
		}
	}
	if fs := QueryFeatures("k"); len(fs) != 0 {
		t.Errorf("QueryFeatures of one ASCII letter = %v, want none", fs)
	}
	if a, b := QueryFeatures("ab"), QueryFeatures("户籍"); len(a) != 1 || len(b) != 3 || a[0] == b[0] {
		t.Errorf("features of ab %v and 户籍 %v: want one pair, and two unigrams and a bigram", a, b)
	}
}

func TestRules(t *testing.T) {
	if _, err := NewRules(WithAllowedCreditCodes("x")); !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("NewRules with a bad option = %v", err)
	}
	c := newClock()
	r, err := NewRules(WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Now().Equal(c.t) {
		t.Errorf("Now = %v, want the clock's %v", r.Now(), c.t)
	}
	var ie *IDError
	if err := r.CheckID("bad"); !errors.As(err, &ie) {
		t.Errorf("CheckID(bad) = %v", err)
	}
	if err := r.CheckID(validEntry().ID); err != nil {
		t.Errorf("CheckID(valid) = %v", err)
	}
	bad := validEntry()
	bad.Name = ""
	if !govshare.HasError(r.Validate(bad)) || govshare.HasError(r.Validate(validEntry())) {
		t.Error("Validate disagrees with the memory store's validation")
	}
	if _, err := r.Prepare(Query{Limit: -1}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("Prepare(Limit -1) = %v", err)
	}
	p, err := r.Prepare(Query{Text: "　ＫＷ 户籍\n", Region: "330100"})
	if err != nil || p.Text != "kw 户籍" || p.RegionPrefix != "3301" || p.Limit != DefaultLimit {
		t.Fatalf("Prepare = %+v, %v", p, err)
	}
	e := validEntry()
	e.Summary = "关键词 KW 户籍"
	if !p.Match(&e) {
		t.Errorf("Match(%+v) = false", e)
	}
	e.Provider.RegionCode = "330200"
	if p.Match(&e) {
		t.Error("Match ignores the region")
	}
	if got := SearchText(&Entry{ID: "A", Name: "Ｂ", Items: []DataItem{{Name: "c"}}}); got != "a\nb\n\n\nc\n" {
		t.Errorf("SearchText = %q", got)
	}
}
