package catalog

import (
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// Rules are the checks and normalisations of MemoryStore, for a Store kept
// elsewhere (store/postgres, or a host's own store for another database)
// to behave exactly like it: the 目录代码 pattern Put checks, the
// validation Publish runs, the clock, and Find's reading of a Query and of
// an entry's text. Built once from the store's options; safe for
// concurrent use.
type Rules struct {
	c   *config
	now func() time.Time
}

// NewRules returns the rules of a store made with opts, the options of
// NewMemoryStore (WithPolicy, WithAllowedCreditCodes, WithRegistry,
// WithMethods, WithIDPattern, WithClock). A bad option is an error
// matching govshare.ErrInvalid.
func NewRules(opts ...Option) (*Rules, error) {
	c, err := newConfig(opts, forStore)
	if err != nil {
		return nil, err
	}
	now := c.now
	if now == nil {
		now = time.Now
	}
	return &Rules{c: c, now: now}, nil
}

// CheckID returns an *IDError (ErrInvalidID) if id does not match the
// store's 目录代码 pattern, as Put refuses it.
func (r *Rules) CheckID(id string) error {
	if !r.c.idPattern.MatchString(id) {
		return &IDError{ID: id, Pattern: r.c.idPattern.String()}
	}
	return nil
}

// Validate returns the findings Publish judges e by: it refuses to
// publish when one is an error (govshare.HasError), with a *PublishError.
func (r *Rules) Validate(e Entry) []govshare.Finding { return r.c.validate(&e) }

// Now returns the time a write stamps, from the store's clock, in China
// Standard Time.
func (r *Rules) Now() time.Time { return r.now().In(deadline.CST) }

// PreparedQuery is a Query checked and read as Find reads it.
type PreparedQuery struct {
	Query Query // the query as given
	// Text is the normalised text an entry's SearchText must contain
	// (strings.Contains), "" when the query has none.
	Text string
	// RegionPrefix is what a provider's 6-digit region code must start
	// with: 2 digits for a province, 4 for a city, 6 for a county; ""
	// when the query has no region.
	RegionPrefix string
	// Offset and Limit are the page: Limit is DefaultLimit when the
	// query's is 0.
	Offset, Limit int
}

// Prepare checks q as Find does — a *QueryError (ErrInvalidQuery) for a bad
// field — and returns it prepared.
func (r *Rules) Prepare(q Query) (PreparedQuery, error) {
	p, err := prepare(q, r.c.methods())
	if err != nil {
		return PreparedQuery{}, err
	}
	return PreparedQuery{Query: q, Text: string(p.text), RegionPrefix: p.regionPrefix, Offset: p.offset, Limit: p.limit}, nil
}

// Match reports whether the version e, as a document of Find, matches p
// apart from Status, which selects the document (the latest version, or
// the one in force for Status Published) and is checked by the caller:
// the conditions of Find on one entry, for a store to check what its
// indexes return.
func (p *PreparedQuery) Match(e *Entry) bool {
	q := &p.Query
	switch {
	case q.Share != 0 && e.Share != q.Share,
		q.Grade != 0 && e.Classification.Grade != q.Grade,
		q.Provider != "" && e.Provider.CreditCode != q.Provider && e.Provider.Name != q.Provider,
		p.RegionPrefix != "" && !(len(e.Provider.RegionCode) == 6 && strings.HasPrefix(e.Provider.RegionCode, p.RegionPrefix)),
		q.Method != "" && !e.HasMethod(q.Method),
		p.Text != "" && !strings.Contains(SearchText(e), p.Text):
		return false
	}
	return true
}

// SearchText returns the normalised text Find's Text is looked for in: the
// 目录代码, name, summary, provider name and data-item names of e, each
// with full width folded and ASCII in lower case, each followed by a line
// break.
func SearchText(e *Entry) string {
	var b strings.Builder
	for _, s := range []string{e.ID, e.Name, e.Summary, e.Provider.Name} {
		b.WriteString(searchText(s))
		b.WriteByte('\n')
	}
	for i := range e.Items {
		b.WriteString(searchText(e.Items[i].Name))
		b.WriteByte('\n')
	}
	return b.String()
}

// Text features: numbers that stand for pieces of normalised text, for an
// inverted index kept outside this package. A document's features
// (TextFeatures) are every character and every pair of adjacent
// characters of each run of non-ASCII letters and digits — the CJK
// unigrams and bigrams MemoryStore's index uses — and every pair and
// triple of adjacent characters of each run of ASCII letters and digits.
// A query's features (QueryFeatures) are those its own text has; every
// document whose text contains the query's has all of them, so the
// documents holding all of a query's features are a superset of its
// matches, which the text itself then decides (strings.Contains of
// PreparedQuery.Text in SearchText). Two different pieces never share a
// feature.
const asciiFeature = 1 << 60

// TextFeatures returns the features of a document's normalised text
// (SearchText), each once, in increasing order.
func TextFeatures(text string) []int64 { return textFeatures(text) }

// QueryFeatures returns the features every document containing the
// normalised query text (PreparedQuery.Text) holds, each once, in
// increasing order; none for a query of single ASCII characters and
// separators, which an index of these features cannot narrow.
func QueryFeatures(text string) []int64 { return textFeatures(text) }

func textFeatures(text string) []int64 {
	var out []int64
	features([]byte(text), func(k uint64) { out = append(out, int64(k)) }, func(tok []byte) {
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(tok); i++ {
				out = append(out, asciiKey(tok[i:i+n]))
			}
		}
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// asciiKey is the feature of a pair or triple of ASCII characters: above
// every unigram and bigram key (a rune is below 2^21, so theirs are below
// 2^53).
func asciiKey(s []byte) int64 {
	k := int64(asciiFeature) | int64(len(s))<<24
	for i, c := range s {
		k |= int64(c) << (8 * (2 - i))
	}
	return k
}
