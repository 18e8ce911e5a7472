package catalog

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// index answers Find. Each stored version Find can return — the latest
// version of every entry, and the version in force when a newer draft
// hides it — is a document in a slot. Slots are handed out in increasing
// order, so slot order is the order of change. Superseded documents are
// marked dead rather than removed, and the index is rebuilt when they make
// up a third of it.
//
// Filters on provider, region, share attribute, method and grade have
// posting lists (slots in increasing order); Find walks the shortest list
// that applies and checks the other conditions on each document. The
// normalised text of every document is kept in one buffer; text queries
// find their candidates in the inverted index of that text (textIndex)
// and check them against it. The scan of the whole buffer with
// bytes.Index, which Find used before the index, is kept for the
// differential tests and the benchmarks (searchScan).
type index struct {
	docs     []doc
	live     int
	postings map[string][]int32
	text     []byte
	// words is the inverted index of the text (textindex.go); nil in a
	// store that searches text by scanning, the way Find did before it
	// (kept as the baseline the index is compared with).
	words *textIndex
}

// doc is one document. It copies the few fields most queries filter on,
// so that walking a long posting list reads the docs slice in order
// instead of chasing a pointer to every entry.
type doc struct {
	e               *Entry // nil when dead
	start, end      int32  // the document's text: text[start:end]
	latest, inForce bool
	share           govshare.ShareAttribute
	grade           classify.Grade
	status          Status
}

// newIndex returns an empty index; withWords gives it the inverted index of
// the text.
func newIndex(withWords bool) index {
	x := index{postings: map[string][]int32{}}
	if withWords {
		x.words = newTextIndex()
	}
	return x
}

// postingKeys returns the posting keys of an entry.
func postingKeys(e *Entry) []string {
	keys := make([]string, 0, 8+len(e.Methods))
	if p := e.Provider; p.CreditCode != "" {
		keys = append(keys, "p:"+p.CreditCode)
	}
	if n := e.Provider.Name; n != "" && n != e.Provider.CreditCode {
		keys = append(keys, "p:"+n)
	}
	if rc := e.Provider.RegionCode; len(rc) == 6 {
		keys = append(keys, "r:"+rc[:2], "r:"+rc[:4], "r:"+rc)
	}
	if e.Share != 0 {
		keys = append(keys, "s:"+strconv.Itoa(int(e.Share)))
	}
	if g := e.Classification.Grade; g != 0 {
		keys = append(keys, "g:"+strconv.Itoa(int(g)))
	}
	for _, m := range e.Methods {
		keys = append(keys, "m:"+string(m))
	}
	return keys
}

// add indexes e in a new slot and returns the slot.
func (x *index) add(e *Entry, latest, inForce bool) int32 {
	slot := int32(len(x.docs))
	d := doc{e: e, latest: latest, inForce: inForce, start: int32(len(x.text)),
		share: e.Share, grade: e.Classification.Grade, status: e.Status}
	for _, s := range []string{e.ID, e.Name, e.Summary, e.Provider.Name} {
		x.text = append(x.text, searchText(s)...)
		x.text = append(x.text, '\n')
	}
	for i := range e.Items {
		x.text = append(x.text, searchText(e.Items[i].Name)...)
		x.text = append(x.text, '\n')
	}
	d.end = int32(len(x.text))
	if x.words != nil {
		x.words.add(slot, x.text[d.start:d.end])
	}
	x.text = append(x.text, 0) // no match spans two documents
	x.docs = append(x.docs, d)
	x.live++
	for _, k := range postingKeys(e) {
		x.postings[k] = append(x.postings[k], slot)
	}
	return slot
}

func (x *index) kill(slot int32) {
	if slot >= 0 && x.docs[slot].e != nil {
		// The text stays (slots are found by where their text starts);
		// only the entry goes.
		x.docs[slot].e = nil
		x.docs[slot].latest, x.docs[slot].inForce = false, false
		x.live--
	}
}

// demote marks a document as no longer the latest version.
func (x *index) demote(slot int32) {
	if slot >= 0 {
		x.docs[slot].latest = false
	}
}

// needsCompaction reports whether dead documents make up a third of the
// slots. Each write leaves at most two dead, so rebuilding then costs O(1)
// per write over time, and posting lists stay at most half again as long
// as the live documents they hold.
func (x *index) needsCompaction() bool {
	dead := len(x.docs) - x.live
	return dead > 1024 && 2*dead > x.live
}

// preparedQuery is a checked Query with its text normalised and its
// filters as posting keys.
type preparedQuery struct {
	q             Query
	text          []byte
	regionPrefix  string
	keys          []string
	offset, limit int
	// onList marks the conditions that hold for every document on the
	// posting list search walks, which match need not check on the entry.
	onList listed
}

// listed is a set of the conditions a posting list stands for.
type listed uint8

const (
	listedProvider listed = 1 << iota
	listedRegion
	listedMethod
)

// shortest returns the shortest posting list of p's keys and marks, in
// p.onList, the condition it stands for.
func (x *index) shortest(p *preparedQuery) []int32 {
	best := -1
	var list []int32
	for i, k := range p.keys {
		if l := x.postings[k]; best < 0 || len(l) < len(list) {
			best, list = i, l
		}
	}
	switch k := p.keys[best]; {
	case p.q.Provider != "" && k == "p:"+p.q.Provider:
		p.onList = listedProvider
	case p.regionPrefix != "" && k == "r:"+p.regionPrefix:
		p.onList = listedRegion
	case p.q.Method != "" && k == "m:"+string(p.q.Method):
		p.onList = listedMethod
	}
	return list
}

func prepare(q Query, methods *govshare.Methods) (preparedQuery, error) {
	p := preparedQuery{q: q, offset: q.Offset, limit: q.Limit}
	switch {
	case q.Offset < 0:
		return p, &QueryError{Field: "Offset", Problem: "negative", zh: "不能为负数"}
	case q.Limit < 0:
		return p, &QueryError{Field: "Limit", Problem: "negative", zh: "不能为负数"}
	case q.Limit > MaxLimit:
		return p, &QueryError{Field: "Limit", Problem: "more than MaxLimit (1000)", zh: "超过1000"}
	case q.Share != 0 && !q.Share.Valid():
		return p, &QueryError{Field: "Share", Problem: "not a share attribute", zh: "不是有效的共享属性"}
	case q.Grade != 0 && !q.Grade.Valid():
		return p, &QueryError{Field: "Grade", Problem: "not a grade", zh: "不是有效的数据分级"}
	case q.Status != 0 && !q.Status.Valid():
		return p, &QueryError{Field: "Status", Problem: "not a status", zh: "不是有效的状态"}
	case q.Method != "" && !methods.Has(q.Method):
		return p, &QueryError{Field: "Method", Problem: "not a registered share method", zh: "不是已登记的共享方式"}
	}
	if p.limit == 0 {
		p.limit = DefaultLimit
	}
	if q.Region != "" {
		if err := govshare.ValidateRegionCode(q.Region); err != nil {
			return p, &QueryError{Field: "Region", Problem: err.Error(), zh: govshare.MessageOf(err).Zh}
		}
		switch {
		case q.Region[2:] == "0000":
			p.regionPrefix = q.Region[:2]
		case q.Region[4:] == "00":
			p.regionPrefix = q.Region[:4]
		default:
			p.regionPrefix = q.Region
		}
		p.keys = append(p.keys, "r:"+p.regionPrefix)
	}
	if q.Provider != "" {
		p.keys = append(p.keys, "p:"+q.Provider)
	}
	if q.Share != 0 {
		p.keys = append(p.keys, "s:"+strconv.Itoa(int(q.Share)))
	}
	if q.Grade != 0 {
		p.keys = append(p.keys, "g:"+strconv.Itoa(int(q.Grade)))
	}
	if q.Method != "" {
		p.keys = append(p.keys, "m:"+string(q.Method))
	}
	t := strings.Map(func(r rune) rune {
		if r < ' ' {
			return -1 // the index separates fields and documents with controls
		}
		return r
	}, searchText(normText(q.Text)))
	if t != "" {
		p.text = []byte(t)
	}
	return p, nil
}

// match checks every condition of q on a document: first those on the
// copied fields, then those that need the entry.
func (x *index) match(d *doc, p *preparedQuery, textChecked bool) bool {
	q := &p.q
	switch {
	case d.e == nil:
		return false
	case q.Status == Published && !d.inForce:
		return false
	case q.Status != Published && !d.latest:
		return false
	case q.Status != 0 && d.status != q.Status:
		return false
	case q.Share != 0 && d.share != q.Share:
		return false
	case q.Grade != 0 && d.grade != q.Grade:
		return false
	}
	e := d.e
	switch {
	case q.Provider != "" && p.onList != listedProvider && e.Provider.CreditCode != q.Provider && e.Provider.Name != q.Provider:
		return false
	case p.regionPrefix != "" && p.onList != listedRegion && !(len(e.Provider.RegionCode) == 6 && strings.HasPrefix(e.Provider.RegionCode, p.regionPrefix)):
		return false
	case q.Method != "" && p.onList != listedMethod && !e.HasMethod(q.Method):
		return false
	case p.text != nil && !textChecked && !bytes.Contains(x.text[d.start:d.end], p.text):
		return false
	}
	return true
}

// search calls yield for each matching entry, most recently changed
// first.
func (x *index) search(p preparedQuery, yield func(*Entry)) {
	if x.words == nil || p.text == nil {
		x.searchScan(p, yield)
		return
	}
	x.searchWords(p, yield)
}

// searchWords is search for a query with text, through the inverted index.
// It walks the shorter of the text's candidates and the shortest posting
// list of the other conditions.
func (x *index) searchWords(p preparedQuery, yield func(*Entry)) {
	bound := -1
	var keyList []int32
	if len(p.keys) > 0 {
		keyList = x.shortest(&p)
		bound = len(keyList)
		if bound <= 256 {
			// Checking the text of a short list costs less than looking
			// its features up.
			x.searchScan(p, yield)
			return
		}
	}
	candidates, exact, ok := x.words.candidates(p.text, len(x.docs), bound)
	if ok {
		p.onList = 0 // the text's list, not the key's
	}
	if !ok {
		if bound < 0 {
			// A query of separators only, or whose text most documents
			// must be checked for.
			x.searchScan(p, yield)
			return
		}
		candidates, exact = keyList, false
	}
	for i := len(candidates) - 1; i >= 0; i-- {
		d := &x.docs[candidates[i]]
		if x.match(d, &p, exact) {
			yield(d.e)
		}
	}
}

// searchScan is search without the inverted index: the shortest posting
// list of the conditions, else every document, text checked with
// bytes.Contains; text alone is found by scanning the whole text buffer.
func (x *index) searchScan(p preparedQuery, yield func(*Entry)) {
	var candidates []int32
	fromText := false
	switch {
	case len(p.keys) > 0:
		candidates = x.shortest(&p)
	case p.text != nil:
		candidates, fromText = x.scanText(p.text), true
	default:
		for slot := len(x.docs) - 1; slot >= 0; slot-- {
			if x.match(&x.docs[slot], &p, false) {
				yield(x.docs[slot].e)
			}
		}
		return
	}
	for i := len(candidates) - 1; i >= 0; i-- {
		d := &x.docs[candidates[i]]
		if x.match(d, &p, fromText) {
			yield(d.e)
		}
	}
}

// scanText returns the slots of the live documents whose text contains t,
// in increasing order.
func (x *index) scanText(t []byte) []int32 {
	var out []int32
	for pos := 0; pos < len(x.text); {
		i := bytes.Index(x.text[pos:], t)
		if i < 0 {
			break
		}
		at := int32(pos + i)
		slot := sort.Search(len(x.docs), func(j int) bool { return x.docs[j].start > at }) - 1
		d := &x.docs[slot] // slot ≥ 0: the first document starts at 0
		if d.e != nil {
			out = append(out, int32(slot))
		}
		pos = int(d.end) + 1 // past the document and its separator
	}
	return out
}
