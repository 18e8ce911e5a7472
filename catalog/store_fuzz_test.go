package catalog

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Fuzzing the store (issue 11): the input is read as a program of writes
// and queries on a few entries. After every step the store must agree with
// a model of the versions it should hold, its index with the documents it
// should hold, and Find through the inverted index with Find by scanning.
// The seed corpus is in testdata/fuzz/FuzzStore; docs/benchmarks.md has
// the command and what long runs found.

// program reads a fuzz input as a stream of small numbers and strings.
type program struct{ data []byte }

func (p *program) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

// fuzzWords are the pieces fuzzed text is built from besides raw bytes, so
// that queries often hit.
var fuzzWords = []string{"户籍", "人口", "kw1", "ＫＷ１", "数据", "2026", "/", " ", "-", "目录", "gdp", "Ⅱ", "é"}

// word reads a byte b: an even b picks one of fuzzWords, an odd b takes
// the next (b>>1)&15 bytes of the input as they are — invalid UTF-8,
// controls and full-width forms included.
func (p *program) word() string {
	b := p.byte()
	if b&1 == 0 {
		return fuzzWords[int(b>>1)%len(fuzzWords)]
	}
	n := min(int(b>>1)&15, len(p.data))
	s := string(p.data[:n])
	p.data = p.data[n:]
	return s
}

// model is what the store should hold of one entry: its versions' status,
// and which is in force.
type model struct {
	statuses []Status
	inForce  int // index into statuses, -1 if none
}

func FuzzStore(f *testing.F) {
	f.Add([]byte("\x00\x01a\x00\x02b\x01\x01\x03\x02\x04kw1\x05\x02"))
	f.Add([]byte("\x00\x03\x02户籍\x00\x03\x02人口\x01\x03\x00\x03\x01\x02\x03\x03\x04\x04户籍"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		s, _ := newTestStore(t)
		p := &program{data: data}
		models := map[string]*model{}
		var known []string
		for step := 0; len(p.data) > 0 && step < 64; step++ {
			op, who := p.byte()%6, int(p.byte()%8)
			id := fmt.Sprintf("10100%d/%06d", who%10, who)
			m := models[id]
			expected := int64(0)
			if m != nil {
				expected = int64(len(m.statuses))
			}
			if p.byte()%7 == 0 {
				expected++ // a stale version: must conflict, and change nothing
			}
			var err error
			switch op {
			case 0, 1: // Put
				e := validEntry()
				e.ID = id
				e.Name = p.word() + p.word()
				e.Summary = p.word()
				e.Provider.Name = p.word()
				e.Items[2].Name = p.word()
				if p.byte()%2 == 0 {
					e.Provider = health
				}
				e.Share = govshare.ShareAttribute(1 + p.byte()%3)
				e.Classification.Grade = classify.Grades()[int(p.byte())%len(classify.Grades())]
				_, err = s.Put(ctx, e, expected)
				if err == nil {
					if m == nil {
						m = &model{inForce: -1}
						models[id] = m
						known = append(known, id)
					}
					m.statuses = append(m.statuses, Draft)
				}
			case 2: // Publish
				_, _, err = s.Publish(ctx, id, expected)
				if err == nil {
					m.statuses = append(m.statuses, Published)
					m.inForce = len(m.statuses) - 1
				}
			case 3: // Withdraw
				_, err = s.Withdraw(ctx, id, expected)
				if err == nil {
					m.statuses = append(m.statuses, Withdrawn)
					m.inForce = -1
				}
			default: // Find
				q := Query{Text: p.word(), Limit: MaxLimit}
				switch p.byte() % 5 {
				case 0:
					q.Status = Published
				case 1:
					q.Status = Draft
				case 2:
					q.Region = "330100"
				case 3:
					q.Provider = healthCode
				}
				index, scan := searchBoth(t, s, q)
				if fmt.Sprint(ids(index)) != fmt.Sprint(ids(scan)) {
					t.Fatalf("query %+v: index %v, scan %v", q, ids(index), ids(scan))
				}
			}
			checkWriteError(t, err, m, expected)
		}
		checkStore(t, s, models, known)
	})
}

// checkWriteError checks that a refused write was refused for a reason
// the model knows.
func checkWriteError(t *testing.T, err error, m *model, expected int64) {
	t.Helper()
	switch {
	case err == nil:
	case m == nil && errors.Is(err, govshare.ErrNotFound):
	case m != nil && expected != int64(len(m.statuses)) && errors.Is(err, govshare.ErrConflict):
	case m != nil && errors.Is(err, ErrStatus):
	case errors.Is(err, ErrNotPublishable):
	default:
		t.Fatalf("unexpected error %v (model %+v, expected %d)", err, m, expected)
	}
}

// checkStore compares the store with the model, and the index with the
// documents it must hold.
func checkStore(t *testing.T, s *MemoryStore, models map[string]*model, known []string) {
	t.Helper()
	ctx := context.Background()
	inForce := 0
	for _, id := range known {
		m := models[id]
		h, err := s.History(ctx, id)
		if err != nil || len(h) != len(m.statuses) {
			t.Fatalf("%s: history %d versions (%v), model %d", id, len(h), err, len(m.statuses))
		}
		for i, v := range h {
			if v.Version != int64(i+1) || v.Status != m.statuses[i] {
				t.Fatalf("%s: version %d is %d %v, model %v", id, i+1, v.Version, v.Status, m.statuses[i])
			}
		}
		pub, err := s.Published(ctx, id)
		switch {
		case m.inForce < 0 && !errors.Is(err, ErrStatus):
			t.Fatalf("%s: in force %v, model none", id, err)
		case m.inForce >= 0 && (err != nil || pub.Version != int64(m.inForce+1)):
			t.Fatalf("%s: in force version %d (%v), model %d", id, pub.Version, err, m.inForce+1)
		}
		if m.inForce >= 0 {
			inForce++
		}
	}
	for _, c := range []struct {
		q    Query
		want int
	}{{Query{}, len(known)}, {Query{Status: Published}, inForce}} {
		res, err := s.Find(ctx, c.q)
		if err != nil || res.Total != c.want {
			t.Fatalf("Find %+v: %d (%v), want %d", c.q, res.Total, err, c.want)
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	live := 0
	for _, d := range s.idx.docs {
		if d.e != nil {
			live++
		}
	}
	if live != s.idx.live {
		t.Fatalf("index counts %d live documents, holds %d", s.idx.live, live)
	}
	for id, r := range s.records {
		if d := s.idx.docs[r.latestDoc]; d.e != r.latest() || !d.latest {
			t.Fatalf("%s: the latest document is not the latest version", id)
		}
		if r.inForce >= 0 && s.idx.docs[r.inForceDoc].e != r.versions[r.inForce] {
			t.Fatalf("%s: the document in force is not the version in force", id)
		}
	}
}

// FuzzFindText: for documents and a query of any text — invalid UTF-8,
// controls, any script, any width — the inverted index finds what the
// scan finds.
func FuzzFindText(f *testing.F) {
	for _, s := range [][]string{
		{"户籍人口kw31337信息", "kw31337", "31337"},
		{"ＧＤＰ统计年报", "数据目录1号", "gdp"},
		{"101001/000001", "a-b c", "1/0"},
		{"\xff\xfe户籍", "İstanbul", "i̇"},
		{"Ⅱ类①号", "ß", "SS"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, q string) {
		s, _ := newTestStore(t)
		ctx := context.Background()
		for i, text := range []string{a, b, a + b, b + q} {
			e := validEntry()
			e.ID = fmt.Sprintf("101001/%06d", i)
			e.Name, e.Summary, e.Items[0].Name = text, q, b
			if _, err := s.Put(ctx, e, 0); err != nil {
				t.Fatal(err)
			}
		}
		queries := []string{q, a, b}
		if utf8.ValidString(q) && len(q) > 1 {
			r := []rune(q)
			queries = append(queries, string(r[:len(r)/2]), string(r[len(r)/2:]))
		}
		for _, text := range queries {
			index, scan := searchBoth(t, s, Query{Text: text, Limit: MaxLimit})
			if fmt.Sprint(ids(index)) != fmt.Sprint(ids(scan)) {
				t.Fatalf("query %q: index %v, scan %v", text, ids(index), ids(scan))
			}
		}
	})
}
