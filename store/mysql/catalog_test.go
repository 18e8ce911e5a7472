package mysql_test

import (
	"context"
	"errors"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/catalog/catalogtest"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

// Chinese text, 4-byte characters included, round-trips byte for byte,
// and Find matches it full-width-insensitively, as the memory store does.
func TestCatalogChineseRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := mytest.New(t).Catalog()
	if err != nil {
		t.Fatal(err)
	}
	e := catalogtest.Entry(1)
	e.Name = "𠀀𪚥户籍人口ＡＢＣ信息"
	e.Summary = "含扩展B区汉字：𠀀、𠀁；全角：ＡＰＩ"
	e.Items[0].Name = "姓名𠀀"
	put, err := s.Put(ctx, e, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != e.Name || got.Summary != e.Summary || got.Items[0].Name != "姓名𠀀" || !got.UpdatedAt.Equal(put.UpdatedAt) {
		t.Fatalf("round trip: %q %q %q", got.Name, got.Summary, got.Items[0].Name)
	}
	for _, text := range []string{"𠀀𪚥", "abc", "ＡＢＣ", "api", "姓名𠀀"} {
		res, err := s.Find(ctx, catalog.Query{Text: text})
		if err != nil || res.Total != 1 || res.Entries[0].ID != e.ID {
			t.Errorf("Find(%q) = %d entries, %v", text, res.Total, err)
		}
	}
	if res, err := s.Find(ctx, catalog.Query{Text: "𠀂"}); err != nil || res.Total != 0 {
		t.Errorf("Find of an absent character = %d, %v", res.Total, err)
	}
	if _, err := s.Find(ctx, catalog.Query{Limit: -1}); !errors.Is(err, govshare.ErrInvalid) && !errors.Is(err, govshare.ErrMalformed) {
		t.Errorf("bad query: %v", err)
	}
	if _, err := s.Put(ctx, catalog.Entry{ID: "not a code"}, 0); !errors.Is(err, catalog.ErrInvalidID) {
		t.Errorf("bad id: %v", err)
	}
}
