package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

func newTestStore(t *testing.T) (*MemoryStore, *clock) {
	t.Helper()
	c := newClock()
	s, err := NewMemoryStore(WithClock(c.now))
	require.NoError(t, err)
	return s, c
}

func TestStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	s, clk := newTestStore(t)
	e := validEntry()
	e.Status, e.Version = Published, 41 // ignored: the store sets them

	v1, err := s.Put(ctx, e, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(1), v1.Version)
	assert.Equal(t, Draft, v1.Status)
	assert.Equal(t, clk.t, v1.UpdatedAt)
	assert.True(t, v1.PublishedAt.IsZero())

	// A draft cannot be requested.
	_, err = s.Published(ctx, e.ID)
	var se *StatusError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, Draft, se.Status)

	clk.t = clk.t.Add(time.Hour)
	v2, warnings, err := s.Publish(ctx, e.ID, 1)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, int64(2), v2.Version)
	assert.Equal(t, Published, v2.Status)
	assert.Equal(t, clk.t, v2.PublishedAt)

	// Publishing again is refused: it already is.
	_, _, err = s.Publish(ctx, e.ID, 2)
	assert.ErrorIs(t, err, ErrStatus)

	// A new draft leaves version 2 in force.
	clk.t = clk.t.Add(time.Hour)
	edit := v2
	edit.Name = "户籍人口基本信息（2026版）"
	v3, err := s.Put(ctx, edit, 2)
	require.NoError(t, err)
	assert.Equal(t, Draft, v3.Status)
	assert.Equal(t, v2.PublishedAt, v3.PublishedAt, "a draft remembers when the entry was last published")
	inForce, err := s.Published(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), inForce.Version)
	assert.Equal(t, "户籍人口基本信息", inForce.Name)
	latest, err := s.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(3), latest.Version)

	// Withdrawing ends what is in force.
	v4, err := s.Withdraw(ctx, e.ID, 3)
	require.NoError(t, err)
	assert.Equal(t, Withdrawn, v4.Status)
	_, err = s.Published(ctx, e.ID)
	assert.ErrorIs(t, err, ErrStatus)
	_, err = s.Withdraw(ctx, e.ID, 4)
	assert.ErrorIs(t, err, ErrStatus)

	// It can be published again.
	v5, _, err := s.Publish(ctx, e.ID, 4)
	require.NoError(t, err)
	assert.Equal(t, "户籍人口基本信息（2026版）", v5.Name)

	// Every version is kept.
	h, err := s.History(ctx, e.ID)
	require.NoError(t, err)
	require.Len(t, h, 5)
	for i, v := range h {
		assert.Equal(t, int64(i+1), v.Version)
	}
	assert.Equal(t, []Status{Draft, Published, Draft, Withdrawn, Published},
		[]Status{h[0].Status, h[1].Status, h[2].Status, h[3].Status, h[4].Status})
	old, err := s.Version(ctx, e.ID, 2)
	require.NoError(t, err)
	assert.Equal(t, v2, old)
}

func TestStoreErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	e := validEntry()
	_, err := s.Put(ctx, e, 0)
	require.NoError(t, err)

	var ce *ConflictError
	_, err = s.Put(ctx, e, 0)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ConflictError{ID: e.ID, Expected: 0, Actual: 1}, *ce)
	_, err = s.Put(ctx, e, 7)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(7), ce.Expected)
	_, _, err = s.Publish(ctx, e.ID, 2)
	assert.ErrorIs(t, err, govshare.ErrConflict)

	var nf *NotFoundError
	other := validEntry()
	other.ID = "101001/000002"
	_, err = s.Put(ctx, other, 1)
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, other.ID, nf.ID)
	for _, err := range []error{
		func() error { _, err := s.Get(ctx, "nope"); return err }(),
		func() error { _, err := s.Published(ctx, "nope"); return err }(),
		func() error { _, err := s.History(ctx, "nope"); return err }(),
		func() error { _, err := s.Version(ctx, e.ID, 2); return err }(),
		func() error { _, err := s.Version(ctx, e.ID, 0); return err }(),
		func() error { _, err := s.Withdraw(ctx, "nope", 1); return err }(),
		func() error { _, _, err := s.Publish(ctx, "nope", 1); return err }(),
	} {
		assert.ErrorIs(t, err, govshare.ErrNotFound)
	}

	var ie *IDError
	bad := validEntry()
	bad.ID = "人口/1"
	_, err = s.Put(ctx, bad, 0)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "人口/1", ie.ID)
	assert.ErrorIs(t, err, ErrInvalidID)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Get(cancelled, e.ID)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.Put(cancelled, other, 0)
	assert.ErrorIs(t, err, context.Canceled)

	// Nothing above changed the store.
	h, err := s.History(ctx, e.ID)
	require.NoError(t, err)
	assert.Len(t, h, 1)
	_, err = s.Get(ctx, other.ID)
	assert.ErrorIs(t, err, govshare.ErrNotFound)
}

func TestPublishRefusedWithFindings(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	e := validEntry()
	e.Conditions = ""
	e.Items[0].Share = govshare.Unconditional
	_, err := s.Put(ctx, e, 0)
	require.NoError(t, err)

	_, findings, err := s.Publish(ctx, e.ID, 1)
	var pe *PublishError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, ErrNotPublishable)
	assert.Equal(t, findings, pe.Findings)
	codes := []string{}
	for _, f := range pe.Findings {
		codes = append(codes, f.Code+"@"+f.Path)
	}
	assert.ElementsMatch(t, []string{CodeConditionsMissing + "@conditions", CodeItemLooser + "@items[0].share"}, codes)
	latest, err := s.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), latest.Version, "a refused publication stores nothing")

	// Warnings do not stop publication and are returned.
	e.Share = govshare.Unconditional
	e.Items[0].Share = 0
	e.Items[1].Share = govshare.NotShared
	e.Conditions = "须经审批"
	_, err = s.Put(ctx, e, 1)
	require.NoError(t, err)
	_, warnings, err := s.Publish(ctx, e.ID, 2)
	require.NoError(t, err)
	require.Len(t, warnings, 1)
	assert.Equal(t, CodeConditionsUnexpected, warnings[0].Code)
}

func TestStorePolicyAndPattern(t *testing.T) {
	ctx := context.Background()
	var seen classify.Subject
	s, err := NewMemoryStore(WithPolicy(testPolicy{seen: &seen}))
	require.NoError(t, err)
	e := validEntry()
	e.Items[1].Share = 0
	e.Methods = []govshare.ShareMethod{govshare.FileDownload}
	_, err = s.Put(ctx, e, 0)
	require.NoError(t, err)
	_, fs, err := s.Publish(ctx, e.ID, 1)
	assert.ErrorIs(t, err, ErrNotPublishable)
	require.Len(t, fs, 1)
	assert.Equal(t, "items[1].kind", fs[0].Path)
	// No options: the wall clock.
	plain, err := NewMemoryStore()
	require.NoError(t, err)
	v, err := plain.Put(ctx, e, 0)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), v.UpdatedAt, time.Minute)
}

// Returned entries are copies: changing them does not change the store.
func TestStoreReturnsCopies(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	e := validEntry()
	v, err := s.Put(ctx, e, 0)
	require.NoError(t, err)
	e.Items[0].Name = "改了输入"
	v.Items[1].Name = "改了输出"
	v.Methods[0] = govshare.FileDownload
	got, err := s.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, "姓名", got.Items[0].Name)
	assert.Equal(t, "公民身份号码", got.Items[1].Name)
	assert.Equal(t, govshare.ServiceAPI, got.Methods[0])
	res, err := s.Find(ctx, Query{})
	require.NoError(t, err)
	res.Entries[0].Items[0].Name = "改了查询结果"
	got, _ = s.Get(ctx, e.ID)
	assert.Equal(t, "姓名", got.Items[0].Name)
}

func fill(t testing.TB, s *MemoryStore, entries []Entry, publish bool) {
	t.Helper()
	ctx := context.Background()
	for _, e := range entries {
		v, err := s.Put(ctx, e, 0)
		require.NoError(t, err)
		if publish {
			_, _, err = s.Publish(ctx, v.ID, v.Version)
			require.NoError(t, err)
		}
	}
}

func TestFind(t *testing.T) {
	ctx := context.Background()
	s, clk := newTestStore(t)
	entries := corpus(60, 3)
	entries[7].Name = "ＧＤＰ统计年报" // full width, found by "gdp"
	entries[8].Items[2].Name = "不动产单元号"
	entries[9].Provider = police
	entries[10].Provider = health
	entries[10].Methods = []govshare.ShareMethod{govshare.FileDownload}
	fill(t, s, entries, true)
	// Entry 11 gets a draft on top of its published version.
	clk.t = clk.t.Add(time.Minute)
	draft := entries[11]
	draft.Name = "草稿中的新名称"
	_, err := s.Put(ctx, draft, 2)
	require.NoError(t, err)
	// Entry 12 is withdrawn.
	_, err = s.Withdraw(ctx, entries[12].ID, 2)
	require.NoError(t, err)

	ids := func(q Query) []string {
		t.Helper()
		q.Limit = MaxLimit
		res, err := s.Find(ctx, q)
		require.NoError(t, err)
		require.Equal(t, len(res.Entries), res.Total)
		out := []string{}
		for _, e := range res.Entries {
			out = append(out, e.ID)
		}
		return out
	}
	count := func(q Query) int { return len(ids(q)) }

	assert.Equal(t, []string{entries[7].ID}, ids(Query{Text: "gdp"}))
	assert.Equal(t, []string{entries[8].ID}, ids(Query{Text: " 不动产 "}))
	assert.Equal(t, []string{entries[11].ID}, ids(Query{Text: "草稿中"}))
	assert.Empty(t, ids(Query{Text: "草稿中", Status: Published}), "the draft is not in force")
	assert.Equal(t, []string{entries[11].ID}, ids(Query{Text: "数据目录11号", Status: Published}))
	assert.Equal(t, []string{entries[9].ID}, ids(Query{Provider: policeCode}))
	assert.Equal(t, []string{entries[9].ID}, ids(Query{Provider: "杭州市公安局"}))
	assert.Equal(t, []string{entries[10].ID}, ids(Query{Method: govshare.FileDownload}))
	assert.Equal(t, 60, count(Query{}))
	assert.Equal(t, 59, count(Query{Status: Published}), "all but the withdrawn one")
	assert.Equal(t, []string{entries[11].ID}, ids(Query{Status: Draft}))
	assert.Equal(t, []string{entries[12].ID}, ids(Query{Status: Withdrawn}))
	assert.Equal(t, 20, count(Query{Share: govshare.NotShared}))
	assert.Equal(t, 15, count(Query{Grade: classify.Important}))
	// Grades cycle with period 4 and attributes with 3: one in twelve.
	assert.Equal(t, 5, count(Query{Grade: classify.Important, Share: govshare.Conditional}))
	// Regions: every entry is in Zhejiang; cities cycle over 11, and
	// 330500 is i%11 == 4: 4, 15, 26, 37, 48, 59.
	assert.Equal(t, 60, count(Query{Region: "330000"}))
	assert.Equal(t, 6, count(Query{Region: "330500"}))
	assert.Equal(t, 0, count(Query{Region: "330501"}))
	assert.Equal(t, 0, count(Query{Region: "110000"}))
	assert.Equal(t, 0, count(Query{Text: "没有这样的文字"}))
	// Entry 17 is not shared (17 % 3 == 2).
	assert.Equal(t, 1, count(Query{Text: "kw17", Share: govshare.NotShared}))
	assert.Equal(t, 0, count(Query{Text: "kw17", Share: govshare.Conditional}))

	// Most recently changed first: the withdrawal, then the draft.
	res, err := s.Find(ctx, Query{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, 60, res.Total)
	assert.Equal(t, []string{entries[12].ID, entries[11].ID}, []string{res.Entries[0].ID, res.Entries[1].ID})

	// Paging walks every match once.
	seen := map[string]bool{}
	for off := 0; ; off += 7 {
		res, err := s.Find(ctx, Query{Share: govshare.Conditional, Offset: off, Limit: 7})
		require.NoError(t, err)
		assert.Equal(t, 20, res.Total)
		if len(res.Entries) == 0 {
			break
		}
		for _, e := range res.Entries {
			assert.False(t, seen[e.ID])
			seen[e.ID] = true
		}
	}
	assert.Len(t, seen, 20)
	res, err = s.Find(ctx, Query{})
	require.NoError(t, err)
	assert.Len(t, res.Entries, DefaultLimit)
}

func TestFindRejectsBadQueries(t *testing.T) {
	s, _ := newTestStore(t)
	cases := map[string]Query{
		"Offset": {Offset: -1},
		"Limit":  {Limit: MaxLimit + 1},
		"Share":  {Share: 9},
		"Grade":  {Grade: 1},
		"Status": {Status: 7},
		"Method": {Method: "carrier_pigeon"},
		"Region": {Region: "99"},
	}
	for field, q := range cases {
		_, err := s.Find(context.Background(), q)
		var qe *QueryError
		require.ErrorAs(t, err, &qe, field)
		assert.Equal(t, field, qe.Field)
		assert.ErrorIs(t, err, ErrInvalidQuery)
	}
	_, err := s.Find(context.Background(), Query{Limit: -1})
	assert.ErrorIs(t, err, ErrInvalidQuery)
}

// Many versions make the index rebuild itself; Find still sees exactly
// the live documents.
func TestIndexCompaction(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	fill(t, s, corpus(10, 2), false)
	for round := 0; round < 300; round++ {
		for i := 0; i < 10; i++ {
			e, err := s.Get(ctx, corpus(10, 2)[i].ID)
			require.NoError(t, err)
			e.Summary = fmt.Sprintf("第%d轮", round)
			_, err = s.Put(ctx, e, e.Version)
			require.NoError(t, err)
		}
	}
	s.mu.RLock()
	docs, live := len(s.idx.docs), s.idx.live
	s.mu.RUnlock()
	assert.Equal(t, 10, live)
	assert.Less(t, docs, 1024+20, "dead documents were compacted")
	res, err := s.Find(ctx, Query{Text: "第299轮", Limit: 100})
	require.NoError(t, err)
	assert.Equal(t, 10, res.Total)
	res, err = s.Find(ctx, Query{Text: "第298轮"})
	require.NoError(t, err)
	assert.Equal(t, 0, res.Total)
	res, err = s.Find(ctx, Query{Share: govshare.Conditional, Limit: 100})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Total)
}

// Concurrent writers with optimistic versions never lose an update: every
// successful write is one version, and the rest saw ErrConflict.
func TestStoreConcurrency(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	entries := corpus(4, 2)
	fill(t, s, entries, true)

	const workers, attempts = 8, 40
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		succeeded = map[string]int{}
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for a := 0; a < attempts; a++ {
				id := entries[(w+a)%len(entries)].ID
				e, err := s.Get(ctx, id)
				if err != nil {
					t.Error(err)
					return
				}
				e.Summary = fmt.Sprintf("writer %d attempt %d", w, a)
				var werr error
				if a%5 == 4 && e.Status == Draft {
					_, _, werr = s.Publish(ctx, id, e.Version)
				} else {
					_, werr = s.Put(ctx, e, e.Version)
				}
				switch {
				case werr == nil:
					mu.Lock()
					succeeded[id]++
					mu.Unlock()
				case !errors.Is(werr, govshare.ErrConflict):
					t.Error(werr)
				}
				if _, err := s.Find(ctx, Query{Text: "writer", Limit: 5}); err != nil {
					t.Error(err)
				}
				if _, err := s.Published(ctx, id); err != nil {
					t.Error(err) // a version stays in force throughout
				}
			}
		}(w)
	}
	wg.Wait()
	for _, e := range entries {
		h, err := s.History(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, 2+succeeded[e.ID], len(h), e.ID)
		for i, v := range h {
			assert.Equal(t, int64(i+1), v.Version)
		}
	}
}
