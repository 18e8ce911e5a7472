package catalog

import (
	"bytes"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textIndex is the inverted index of the search text (issue 16). Find by
// Text matches the entries whose normalised text contains the query's
// normalised text as a substring; the index finds them without reading
// every document, and gives exactly the documents the scan gives
// (TestTextIndexMatchesScan, FuzzStore).
//
// A document's text is cut into features:
//
//   - every character and every pair of adjacent characters of each run of
//     non-ASCII letters and digits (CJK unigrams and bigrams): 户籍人口 gives
//     户 籍 人 口 户籍 籍人 人口;
//   - every run of ASCII letters and digits, a token: "kw31337", "101001"
//     and "000001" of 101001/000001. Everything else separates.
//
// Each feature has a posting list of the slots of the documents that hold
// it, in increasing order (slots only grow; superseded documents stay in
// the lists until the index is rebuilt, see index). A query holds the
// same features, except at its two ends: an ASCII run at the start of the
// query may be the end of a longer token in a document, one at its end the
// beginning of one, and a query of one ASCII run any part of one. Those
// runs are looked up in the token dictionary, which has posting lists of
// its own for the pairs and triples of characters of its tokens: the
// tokens that can hold the run are those of the rarest pair or triple that
// the run holds, checked one by one.
//
// Every document that contains the query holds all of the query's
// features, so the documents in all their posting lists are a superset of
// the matches. Find walks the shortest list (intersected with the next
// ones while that pays) and checks the text of each document, as the scan
// does. When the query is a single feature — one or two characters of one
// run, or one ASCII run — the list is exactly the matches and no text is
// read.
type textIndex struct {
	grams  map[uint64][]int32 // unigram or bigram → slots
	tokens map[string]int32   // ASCII token → token id
	toks   []token            // by token id
	ngrams map[uint16][]int32 // pair or triple of token characters → token ids
}

type token struct {
	text  string
	slots []int32
}

func newTextIndex() *textIndex {
	return &textIndex{grams: map[uint64][]int32{}, tokens: map[string]int32{}, ngrams: map[uint16][]int32{}}
}

// isASCIIWord reports whether c is a character of a token; the text is
// lowercased already.
func isASCIIWord(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isWordRune reports whether a non-ASCII rune is part of a run of
// characters that is cut into unigrams and bigrams.
func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

func gramKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(b) }

// tokenChar maps a token character to 1–36.
func tokenChar(c byte) uint16 {
	if c <= '9' {
		return uint16(c-'0') + 1
	}
	return uint16(c-'a') + 11
}

// ngramKey is the key of the pair or triple s (2 or 3 token characters);
// pairs and triples have separate ranges.
func ngramKey(s string) uint16 {
	k := uint16(0)
	for i := 0; i < len(s); i++ {
		k = k*37 + tokenChar(s[i])
	}
	return k
}

// features calls gram for each unigram and bigram of t and tok for each
// token, in order, repeats included.
func features(t []byte, gram func(uint64), tok func([]byte)) {
	prev := rune(-1) // the previous rune of a run, -1 at a run's start
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			prev = -1
			if !isASCIIWord(c) {
				i++
				continue
			}
			j := i + 1
			for j < len(t) && isASCIIWord(t[j]) {
				j++
			}
			tok(t[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		i += size
		if !isWordRune(r) {
			prev = -1
			continue
		}
		gram(gramKey(r, 0))
		if prev >= 0 {
			gram(gramKey(prev, r))
		}
		prev = r
	}
}

// add indexes the text of the document in slot.
func (ti *textIndex) add(slot int32, text []byte) {
	var grams []uint64
	var toks [][]byte // parts of text, looked up without a copy
	features(text, func(k uint64) { grams = append(grams, k) }, func(b []byte) { toks = append(toks, b) })
	slices.Sort(grams)
	for _, k := range slices.Compact(grams) {
		ti.grams[k] = append(ti.grams[k], slot)
	}
	slices.SortFunc(toks, bytes.Compare)
	toks = slices.CompactFunc(toks, bytes.Equal)
	for _, b := range toks {
		id, ok := ti.tokens[string(b)]
		if !ok {
			id = ti.newToken(string(b))
		}
		ti.toks[id].slots = append(ti.toks[id].slots, slot)
	}
}

func (ti *textIndex) newToken(s string) int32 {
	id := int32(len(ti.toks))
	ti.toks = append(ti.toks, token{text: s})
	ti.tokens[s] = id
	var keys []uint16
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(s); i++ {
			keys = append(keys, ngramKey(s[i:i+n]))
		}
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		ti.ngrams[k] = append(ti.ngrams[k], id)
	}
	return id
}

// How an ASCII run of a query sits in the documents' tokens.
const (
	tokenWhole  = iota // the run is a whole token: bounded on both sides in the query
	tokenSuffix        // at the query's start: the end of a token
	tokenPrefix        // at the query's end: the beginning of a token
	tokenInfix         // the whole query: any part of a token
	gramFeature        // a unigram or bigram
)

// feature is one feature of a query.
type feature struct {
	kind int
	gram uint64
	text string
}

// queryFeatures returns the features of a normalised query, and whether
// the query is a single feature whose postings are exactly its matches.
func queryFeatures(q []byte) (fs []feature, exact bool) {
	var grams []uint64
	runes := 0 // runes of the current non-ASCII run
	for i := 0; i < len(q); {
		c := q[i]
		if c < utf8.RuneSelf {
			runes = 0
			if !isASCIIWord(c) {
				i++
				continue
			}
			j := i + 1
			for j < len(q) && isASCIIWord(q[j]) {
				j++
			}
			kind := tokenWhole
			switch {
			case i == 0 && j == len(q):
				kind = tokenInfix
			case i == 0:
				kind = tokenSuffix
			case j == len(q):
				kind = tokenPrefix
			}
			fs = append(fs, feature{kind: kind, text: string(q[i:j])})
			i = j
			continue
		}
		r, size := utf8.DecodeRune(q[i:])
		start := i
		i += size
		if !isWordRune(r) {
			runes = 0
			continue
		}
		runes++
		switch {
		case runes == 2:
			// A pair holds both its characters: the first's unigram is
			// no longer needed.
			grams = grams[:len(grams)-1]
			prev, _ := utf8.DecodeLastRune(q[:start])
			grams = append(grams, gramKey(prev, r))
		case runes > 2:
			prev, _ := utf8.DecodeLastRune(q[:start])
			grams = append(grams, gramKey(prev, r))
		default:
			grams = append(grams, gramKey(r, 0))
		}
	}
	slices.Sort(grams)
	for _, k := range slices.Compact(grams) {
		fs = append(fs, feature{kind: gramFeature, gram: k})
	}
	// Exact: the query is one feature and nothing else, so that holding
	// the feature is containing the query.
	if len(fs) == 1 {
		switch f := fs[0]; f.kind {
		case tokenInfix:
			exact = true
		case gramFeature:
			exact = utf8.RuneCount(q) == runesOf(f.gram) && len(q) == lenOf(f.gram)
		}
	}
	return fs, exact
}

func runesOf(k uint64) int {
	if uint32(k) == 0 {
		return 1
	}
	return 2
}

func lenOf(k uint64) int {
	n := utf8.RuneLen(rune(k >> 32))
	if b := rune(uint32(k)); b != 0 {
		n += utf8.RuneLen(b)
	}
	return n
}

// matchingTokens returns the ids of the tokens that hold s as the kind
// says, in increasing order.
func (ti *textIndex) matchingTokens(s string, kind int) []int32 {
	if kind == tokenWhole {
		if id, ok := ti.tokens[s]; ok {
			return []int32{id}
		}
		return nil
	}
	ok := func(t string) bool {
		switch kind {
		case tokenSuffix:
			return strings.HasSuffix(t, s)
		case tokenPrefix:
			return strings.HasPrefix(t, s)
		}
		return strings.Contains(t, s)
	}
	var out []int32
	if len(s) == 1 {
		// One character: no pair to look up; the dictionary is read.
		for id := range ti.toks {
			if ok(ti.toks[id].text) {
				out = append(out, int32(id))
			}
		}
		return out
	}
	// The rarest pair or triple of s: every token holding s holds it.
	var rarest []int32
	found := false
	n := min(3, len(s))
	for i := 0; i+n <= len(s); i++ {
		l := ti.ngrams[ngramKey(s[i:i+n])]
		if !found || len(l) < len(rarest) {
			rarest, found = l, true
		}
	}
	out = make([]int32, 0, len(rarest))
	for _, id := range rarest {
		if ok(ti.toks[id].text) {
			out = append(out, id)
		}
	}
	return out
}

// resolved is a feature with the posting lists of the documents that hold
// it: one list (a gram, a whole token), or the tokens that hold an ASCII
// run, each with its list.
type resolved struct {
	list []int32 // when ids is nil
	ids  []int32 // token ids
	size int     // the total length of the lists
}

func (ti *textIndex) resolve(f feature) resolved {
	if f.kind == gramFeature {
		l := ti.grams[f.gram]
		return resolved{list: l, size: len(l)}
	}
	ids := ti.matchingTokens(f.text, f.kind)
	if len(ids) == 1 {
		l := ti.toks[ids[0]].slots
		return resolved{list: l, size: len(l)}
	}
	r := resolved{ids: ids}
	for _, id := range ids {
		r.size += len(ti.toks[id].slots)
	}
	return r
}

// candidates returns the slots of the documents that may contain the query,
// in increasing order, and whether they are exactly those that do. bound,
// unless negative, is the length of the list the caller would walk
// otherwise: when every feature's lists are as long, candidates returns ok
// false and the caller walks its own. Without a bound it returns ok false
// too when the text of most documents would have to be checked (a phrase
// in every entry): one pass over all the text costs no more then.
func (ti *textIndex) candidates(q []byte, nDocs, bound int) (slots []int32, exact, ok bool) {
	fs, exact := queryFeatures(q)
	if len(fs) == 0 {
		return nil, false, false
	}
	rs := make([]resolved, len(fs))
	for i, f := range fs {
		rs[i] = ti.resolve(f)
		if rs[i].size == 0 {
			return nil, true, true // some feature no document holds: no match
		}
	}
	slices.SortFunc(rs, func(a, b resolved) int { return a.size - b.size })
	switch {
	case bound >= 0 && rs[0].size >= bound:
		return nil, false, false
	case bound < 0 && !exact && 2*rs[0].size > nDocs:
		return nil, false, false
	}
	slots = rs[0].list
	if rs[0].ids != nil {
		slots = ti.union(rs[0].ids, rs[0].size, nDocs)
	}
	// Intersect with the next single lists while the candidates are many
	// enough for it to pay; the text check settles the rest.
	for _, r := range rs[1:] {
		if len(slots) <= 16 {
			break
		}
		if r.ids == nil {
			slots = intersect(slots, r.list)
		}
	}
	return slots, exact, true
}

// union returns the slots of the documents holding any of the tokens, in
// increasing order; total is the length of their lists.
func (ti *textIndex) union(ids []int32, total, nDocs int) []int32 {
	if total <= 512 || total*8 < nDocs/64 {
		out := make([]int32, 0, total)
		for _, id := range ids {
			out = append(out, ti.toks[id].slots...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	// Many lists: a bitmap over the slots, read back in order.
	set := make([]uint64, (nDocs+63)/64)
	for _, id := range ids {
		for _, s := range ti.toks[id].slots {
			set[s>>6] |= 1 << (s & 63)
		}
	}
	out := make([]int32, 0, total)
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, int32(w<<6+b))
			word &= word - 1
		}
	}
	return out
}

// intersect returns the slots of a that are also in b (both increasing),
// as a new slice: by binary search in b when b is much longer, else by
// merging.
func intersect(a, b []int32) []int32 {
	out := make([]int32, 0, min(len(a), len(b)))
	if len(b) > 8*len(a) {
		lo := 0
		for _, s := range a {
			i, found := slices.BinarySearch(b[lo:], s)
			lo += i
			if found {
				out = append(out, s)
			}
		}
		return out
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}
