package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare/catalog"
)

// LoadDrafts stores es as version 1 drafts with COPY, in order, as Put
// would store them one at a time: for benchmarks of a large catalog.
func LoadDrafts(ctx context.Context, s *CatalogStore, es []catalog.Entry) error {
	now := s.stamp()
	cols := strings.Split(strings.NewReplacer("\n", "", "\t", "", " ", "").Replace(insertColumns), ",")
	_, err := s.db.pool.CopyFrom(ctx, pgx.Identifier{s.db.schema, "catalog_entries"}, cols,
		pgx.CopyFromSlice(len(es), func(i int) ([]any, error) {
			e := es[i]
			e.Version, e.Status, e.UpdatedAt = 1, catalog.Draft, now
			return entryArgs(&e, false), nil
		}))
	if err != nil {
		return err
	}
	type item struct {
		i, j int
	}
	var items []item
	for i := range es {
		for j := range es[i].Items {
			items = append(items, item{i, j})
		}
	}
	_, err = s.db.pool.CopyFrom(ctx, pgx.Identifier{s.db.schema, "catalog_items"},
		[]string{"id", "version", "position", "name", "column_name", "data_type", "length", "description", "share", "kind"},
		pgx.CopyFromSlice(len(items), func(k int) ([]any, error) {
			it := es[items[k].i].Items[items[k].j]
			return []any{es[items[k].i].ID, int64(1), int32(items[k].j), it.Name, it.Column, int16(it.Type), int32(it.Length),
				it.Description, int16(it.Share), int16(it.Kind)}, nil
		}))
	return err
}
