package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

// findEntries is the number of entries testFindEqualsMemory writes.
const findEntries = 240

// Write applies the kit's generated history of n entries to s: each entry
// created, some published, some edited as a draft over the version in
// force, some withdrawn, some edited twice. Stores given the same
// history agree on every Find.
func Write(ctx context.Context, s catalog.Store, n int) error {
	for i := 0; i < n; i++ {
		e := Entry(i)
		v, err := s.Put(ctx, e, 0)
		if err != nil {
			return fmt.Errorf("entry %d: put: %w", i, err)
		}
		if i%11 == 0 {
			e.Summary += "（第二稿）"
			if v, err = s.Put(ctx, e, v.Version); err != nil {
				return fmt.Errorf("entry %d: second draft: %w", i, err)
			}
		}
		if i%3 == 0 {
			if v, _, err = s.Publish(ctx, e.ID, v.Version); err != nil {
				return fmt.Errorf("entry %d: publish: %w", i, err)
			}
			if i%5 == 0 {
				e.Summary = fmt.Sprintf("修订稿%d：%s", i, words[(i+1)%len(words)])
				if v, err = s.Put(ctx, e, v.Version); err != nil {
					return fmt.Errorf("entry %d: draft over published: %w", i, err)
				}
			}
			if i%7 == 3 {
				if _, err = s.Withdraw(ctx, e.ID, v.Version); err != nil {
					return fmt.Errorf("entry %d: withdraw: %w", i, err)
				}
			}
		}
	}
	// A few entries change again late, so the order of change is not the
	// order of creation.
	for _, i := range []int{5, 17, 42, 100, 3} {
		if i >= n {
			continue
		}
		cur, err := s.Get(ctx, Entry(i).ID)
		if err != nil {
			return err
		}
		cur.Name += "（更新）"
		if _, err := s.Put(ctx, cur, cur.Version); err != nil {
			return fmt.Errorf("entry %d: late update: %w", i, err)
		}
	}
	return nil
}

// Queries are the Find queries the kit compares with the memory store.
func Queries() []catalog.Query {
	qs := []catalog.Query{
		{}, {Limit: catalog.MaxLimit}, {Offset: 7, Limit: 5}, {Offset: 10_000},
		{Text: "户籍"}, {Text: "户籍人口数据目录"}, {Text: "目"}, {Text: "摘要"}, {Text: "修订稿"}, {Text: "第二稿"},
		{Text: "kw1"}, {Text: "KW1"}, {Text: "ｋｗ１"}, {Text: "kw"}, {Text: "k"}, {Text: "w2"}, {Text: "open data"},
		{Text: "OPEN　DATA"}, {Text: "data中心"}, {Text: "Ｄａｔａ"}, {Text: "1/000"}, {Text: "201001/000001"}, {Text: "/"},
		{Text: "  "}, {Text: "2026年"}, {Text: "编号"}, {Text: "更新"}, {Text: "没有这样的文字"}, {Text: "，关键词 kw2"},
		{Text: "数据目录1"}, {Text: "号（更新"}, {Text: "医保 结算"},
		{Region: "330000"}, {Region: "330100"}, {Region: "330106"}, {Region: "110000"}, {Region: "440000"},
		{Provider: "杭州市公安局"}, {Provider: "11330100MB1234567E"}, {Provider: "西湖区民政局"}, {Provider: "无此部门"},
		{Share: govshare.Unconditional}, {Share: govshare.NotShared}, {Grade: classify.Important}, {Grade: classify.General2},
		{Method: govshare.BatchExchange}, {Method: govshare.FileDownload},
		{Status: catalog.Draft}, {Status: catalog.Published}, {Status: catalog.Withdrawn},
		{Text: "kw1", Region: "330000"}, {Text: "摘要", Provider: "杭州市公安局", Status: catalog.Published},
		{Text: "数据", Share: govshare.Conditional, Method: govshare.ServiceAPI, Limit: 3, Offset: 2},
		{Region: "330100", Grade: classify.General1, Status: catalog.Published},
		{Text: "修订", Status: catalog.Published}, {Text: "户籍", Status: catalog.Withdrawn},
	}
	return qs
}

func testFindEqualsMemory(t *testing.T, s catalog.Store) {
	ctx := context.Background()
	mem, err := catalog.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(ctx, mem, findEntries); err != nil {
		t.Fatalf("memory store: %v", err)
	}
	if err := Write(ctx, s, findEntries); err != nil {
		t.Fatalf("store under test: %v", err)
	}
	for _, q := range Queries() {
		want, werr := mem.Find(ctx, q)
		got, gerr := s.Find(ctx, q)
		if (werr == nil) != (gerr == nil) || werr != nil && !errors.Is(gerr, govshare.Kind(werr)) {
			t.Errorf("Find(%+v): error %v, memory store %v", q, gerr, werr)
			continue
		}
		if werr != nil {
			continue
		}
		if got.Total != want.Total || len(got.Entries) != len(want.Entries) {
			t.Errorf("Find(%+v): total %d, %d entries; memory store %d, %d", q, got.Total, len(got.Entries), want.Total, len(want.Entries))
			continue
		}
		// Only the queries meant to find nothing may find nothing.
		meantEmpty := q.Text == "没有这样的文字" || q.Provider == "无此部门" || q.Region == "440000" || q.Offset >= 10_000 ||
			q.Text == "修订" && q.Status == catalog.Published // drafts only: the versions in force have the old summary
		if want.Total == 0 && !meantEmpty {
			t.Errorf("Find(%+v) matches nothing: the generated data should exercise it", q)
		}
		for i := range want.Entries {
			if !reflect.DeepEqual(content(got.Entries[i]), content(want.Entries[i])) {
				t.Errorf("Find(%+v) entry %d:\n got %+v\nwant %+v", q, i, got.Entries[i], want.Entries[i])
				break
			}
			// What Find returns is the stored version itself.
			v, err := s.Version(ctx, got.Entries[i].ID, got.Entries[i].Version)
			if err != nil || !same(v, got.Entries[i]) {
				t.Errorf("Find(%+v) entry %d differs from its Version: %v", q, i, err)
				break
			}
		}
	}
}
