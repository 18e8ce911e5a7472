package catalog

import (
	"context"
	"errors"
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

// newScanStore returns a store that searches text the way Find did before
// the inverted index, by scanning: the baseline of the differential tests
// and the benchmarks.
func newScanStore(t testing.TB, opts ...Option) *MemoryStore {
	t.Helper()
	s, err := NewMemoryStore(opts...)
	require.NoError(t, err)
	s.idx = newIndex(false)
	return s
}

// searchBoth runs a query through the index and through the scan of the
// same documents, and returns the slots each yields.
func searchBoth(t testing.TB, s *MemoryStore, q Query) (index, scan []*Entry) {
	t.Helper()
	p, err := prepare(q, s.c.methods())
	require.NoError(t, err)
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.idx.search(p, func(e *Entry) { index = append(index, e) })
	s.idx.searchScan(p, func(e *Entry) { scan = append(scan, e) })
	return index, scan
}

// vocabulary for random entries: Chinese words, ASCII words and codes in
// both widths and cases, digits next to Chinese, punctuation, spaces.
var vocabulary = []string{
	"户籍", "人口", "基本信息", "不动产", "登记", "社会保障", "参保", "数据", "目录", "摘要", "关键词", "统计", "年报",
	"GDP", "ＧＤＰ", "gdp", "Gdp", "kw", "kw1", "KW12", "id", "ID卡", "api", "v2", "2026", "２０２６", "0001", "123",
	"第", "号", "个", "（", "）", "、", "，", "/", "-", "_", ".", " ", "　", "·", "Ⅱ", "①", "é", "ß", "İ",
	"数据项", "人", "口", "户", "a", "b", "z", "9", "0",
}

func randomText(rng *rand.Rand, words int) string {
	var b strings.Builder
	for range words {
		b.WriteString(vocabulary[rng.IntN(len(vocabulary))])
	}
	return b.String()
}

// randomEntry is a valid-enough entry with random text in every searched
// field and random filter fields.
func randomEntry(rng *rand.Rand, i int) Entry {
	e := validEntry()
	e.ID = fmt.Sprintf("%d0%d%03d/%06d", 1+rng.IntN(3), 1+rng.IntN(9), rng.IntN(1000), i)
	e.Name = randomText(rng, 1+rng.IntN(4))
	e.Summary = randomText(rng, rng.IntN(6))
	regions := []string{"330100", "330106", "330200", "330212", "110101", "440300", "330000"}
	e.Provider = govshare.Department{Name: randomText(rng, 1+rng.IntN(2)), RegionCode: regions[rng.IntN(len(regions))]}
	if rng.IntN(3) == 0 {
		e.Provider = police
	}
	e.Share = govshare.ShareAttribute(1 + rng.IntN(3))
	e.Classification.Grade = classify.Grades()[rng.IntN(len(classify.Grades()))]
	e.Methods = []govshare.ShareMethod{[]govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange, govshare.FileDownload}[rng.IntN(3)]}
	switch e.Share {
	case govshare.NotShared:
		e.Conditions, e.LegalBasis, e.Methods = "", "《中华人民共和国统计法》第九条", nil
	case govshare.Unconditional:
		e.Conditions = ""
	}
	e.Items = make([]DataItem, 1+rng.IntN(3))
	for j := range e.Items {
		e.Items[j] = DataItem{Name: randomText(rng, 1+rng.IntN(3))}
	}
	return e
}

// randomQuery picks text from the entries (a piece of a field, in the
// other width or case), from the vocabulary or nothing, and random
// filters: region prefixes of a province, a city or a county.
func randomQuery(rng *rand.Rand, entries []Entry) Query {
	var q Query
	switch rng.IntN(6) {
	case 0, 1, 2:
		e := entries[rng.IntN(len(entries))]
		fields := []string{e.ID, e.Name, e.Summary, e.Provider.Name}
		for _, it := range e.Items {
			fields = append(fields, it.Name)
		}
		r := []rune(fields[rng.IntN(len(fields))])
		if len(r) > 0 {
			a := rng.IntN(len(r))
			b := a + 1 + rng.IntN(min(6, len(r)-a))
			q.Text = string(r[a:b])
		}
		switch rng.IntN(4) {
		case 0:
			q.Text = strings.ToUpper(q.Text)
		case 1:
			q.Text = toFullWidth(q.Text)
		}
	case 3:
		q.Text = randomText(rng, 1+rng.IntN(3))
	case 4:
		q.Text = vocabulary[rng.IntN(len(vocabulary))]
	}
	if rng.IntN(3) == 0 {
		q.Region = []string{"330000", "330100", "330106", "110000", "440300", "330200"}[rng.IntN(6)]
	}
	if rng.IntN(4) == 0 {
		q.Share = govshare.ShareAttribute(1 + rng.IntN(3))
	}
	if rng.IntN(4) == 0 {
		q.Status = Status(rng.IntN(4))
	}
	if rng.IntN(6) == 0 {
		q.Grade = classify.Grades()[rng.IntN(len(classify.Grades()))]
	}
	if rng.IntN(6) == 0 {
		q.Provider = []string{policeCode, "杭州市公安局", "户籍"}[rng.IntN(3)]
	}
	if rng.IntN(8) == 0 {
		q.Method = govshare.FileDownload
	}
	q.Limit = MaxLimit
	return q
}

// toFullWidth writes ASCII letters and digits in their full-width forms,
// as a Chinese input method types them.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// The inverted index gives the same results as the scan, in the same
// order, over random entries, versions and queries — after every write,
// through index rebuilds, with folding of width and case and region
// prefixes.
func TestTextIndexMatchesScan(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(16, 2026))
	s, _ := newTestStore(t)
	scan := newScanStore(t)
	var entries []Entry
	// 300 entries, then edits of them: the dead versions pass the
	// threshold of a rebuild (1024) more than once; under the race
	// detector fewer entries, and still a rebuild.
	rounds, most := 2400, 300
	if raceEnabled {
		rounds, most = 1600, 120
	}
	nonEmpty, writes := 0, 0
	for i := 0; i < rounds; i++ {
		switch op := rng.IntN(10); {
		case op < 4 && len(entries) < most || len(entries) == 0:
			e := randomEntry(rng, i)
			for _, st := range []*MemoryStore{s, scan} {
				_, err := st.Put(ctx, e, 0)
				require.NoError(t, err)
			}
			entries = append(entries, e)
			writes++
		default:
			e := entries[rng.IntN(len(entries))]
			edit := randomEntry(rng, i)
			edit.ID = e.ID
			action := rng.IntN(20)
			for _, st := range []*MemoryStore{s, scan} {
				cur, err := st.Get(ctx, e.ID)
				require.NoError(t, err)
				switch {
				case action < 10:
					_, err = st.Put(ctx, edit, cur.Version)
				case action < 17:
					_, _, err = st.Publish(ctx, e.ID, cur.Version)
				default:
					_, err = st.Withdraw(ctx, e.ID, cur.Version)
				}
				if err != nil && !errors.Is(err, ErrNotPublishable) {
					require.ErrorIs(t, err, ErrStatus)
				}
				if err == nil && st == s {
					writes++
				}
			}
		}
		for range 3 {
			q := randomQuery(rng, entries)
			idx, sc := searchBoth(t, s, q)
			require.Equal(t, ids(sc), ids(idx), "query %+v", q)
			if len(idx) > 0 {
				nonEmpty++
			}
			// The store that never had an index, fed the same writes,
			// agrees through Find, paging included.
			q.Limit, q.Offset = 7, rng.IntN(3)
			a, err := s.Find(ctx, q)
			require.NoError(t, err)
			b, err := scan.Find(ctx, q)
			require.NoError(t, err)
			require.Equal(t, b.Total, a.Total, "query %+v", q)
			require.Equal(t, entryIDs(b.Entries), entryIDs(a.Entries), "query %+v", q)
		}
	}
	assert.Greater(t, nonEmpty, rounds/2, "most queries find something")
	s.mu.RLock()
	assert.NotNil(t, s.idx.words)
	assert.Less(t, len(s.idx.docs), writes, "the index was rebuilt along the way")
	s.mu.RUnlock()
}

func entryIDs(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = fmt.Sprintf("%s@%d", e.ID, e.Version)
	}
	return out
}

func ids(es []*Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = fmt.Sprintf("%s@%d", e.ID, e.Version)
	}
	return out
}

// Queries that cross the cases of the index: an ASCII run inside a token,
// at its start or end, whole; Chinese runs of one, two and more
// characters; runs of both next to each other; separators alone.
func TestTextIndexQueryShapes(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	texts := []string{"户籍人口kw31337信息", "第31337个目录", "ID卡号码 abc-def", "ＧＤＰ统计年报2026", "不动产单元号/BDC_001",
		"Ⅱ类 ①号", "社会保障卡", "kw313370", "xkw31337", "数据项·名称"}
	for i, text := range texts {
		e := validEntry()
		e.ID = fmt.Sprintf("101001/%06d", i)
		e.Name = text
		e.Summary, e.Provider.Name, e.Items = "", "甲", []DataItem{{Name: "乙"}}
		_, err := s.Put(ctx, e, 0)
		require.NoError(t, err)
	}
	cases := map[string]int{
		"kw31337": 3, "31337": 4, "w3133": 3, "kw31337信息": 1, "户籍人口kw": 1, "1337个": 1, "KW31337": 3, "ｋｗ３１３３７": 3,
		"户": 1, "户籍": 1, "户籍人": 1, "口kw3": 1, "abc-def": 1, "c-d": 1, "-": 1, "/": 10, " ": 10, // a blank query does not filter "·": 1,
		"gdp": 1, "年报2026": 1, "bdc_00": 1, "Ⅱ类": 1, "①": 1, "号": 3, "保障": 1, "没有": 0, "zzz": 0, "101001/000003": 1,
		"00000": 10, "0/0": 0, "1/0": 10, "名称": 1, "项·名": 1,
	}
	for text, want := range cases {
		idx, scan := searchBoth(t, s, Query{Text: text, Limit: MaxLimit})
		assert.Equal(t, ids(scan), ids(idx), text)
		assert.Len(t, idx, want, text)
	}
}

// Exactness: a query that is one feature is answered from its posting
// list alone; the others are checked against the text.
func TestQueryFeatures(t *testing.T) {
	cases := []struct {
		q     string
		n     int
		exact bool
	}{
		{"kw31337", 1, true}, {"户", 1, true}, {"户籍", 1, true}, {"户籍人", 2, false}, {"户户户", 1, false},
		{"户 籍", 2, false}, {"a b", 2, false}, {"/", 0, false}, {"kw1户", 2, false}, {"101001/000001", 2, false},
		{"x户y", 3, false},
	}
	for _, c := range cases {
		fs, exact := queryFeatures([]byte(c.q))
		assert.Len(t, fs, c.n, c.q)
		assert.Equal(t, c.exact, exact, c.q)
	}
	fs, _ := queryFeatures([]byte("ab户籍cd"))
	kinds := []int{}
	for _, f := range fs {
		kinds = append(kinds, f.kind)
	}
	assert.Equal(t, []int{tokenSuffix, tokenPrefix, gramFeature}, kinds)
	fs, _ = queryFeatures([]byte("户ab籍"))
	assert.Equal(t, tokenWhole, fs[0].kind)
	assert.True(t, utf8.ValidString(fs[0].text))
}
