package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/govshare/govshare/catalog"
)

// Find returns the entries matching q, most recently changed first: the
// results of catalog.MemoryStore on the same writes. The query is checked
// and read by the store's catalog.Rules; the documents are the rows with
// latest set (in_force for Status Published), each filter a condition on
// an indexed column, and the text a containment of the query's features
// (the GIN index) confirmed by strpos on the normalised text.
func (s *CatalogStore) Find(ctx context.Context, q catalog.Query) (catalog.Result, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Result{}, err
	}
	p, err := s.rules.Prepare(q)
	if err != nil {
		return catalog.Result{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Status == catalog.Published {
		where = append(where, "in_force")
	} else {
		where = append(where, "latest")
		if q.Status != 0 {
			where = append(where, "status = "+arg(int16(q.Status)))
		}
	}
	if q.Share != 0 {
		where = append(where, "share = "+arg(int16(q.Share)))
	}
	if q.Grade != 0 {
		where = append(where, "grade = "+arg(int16(q.Grade)))
	}
	if q.Provider != "" {
		a := arg(q.Provider)
		where = append(where, "(provider_credit_code = "+a+" OR provider_name = "+a+")")
	}
	if p.RegionPrefix != "" {
		// A range on the C-collated column, which its index serves
		// whatever the plan; the prefix is digits only.
		hi := p.RegionPrefix[:len(p.RegionPrefix)-1] + string(p.RegionPrefix[len(p.RegionPrefix)-1]+1)
		where = append(where, "provider_region >= "+arg(p.RegionPrefix)+" AND provider_region < "+arg(hi)+" AND length(provider_region) = 6")
	}
	if q.Method != "" {
		where = append(where, "methods @> ARRAY["+arg(string(q.Method))+"]::text[]")
	}
	if p.Text != "" {
		if fs := s.selective(ctx, catalog.QueryFeatures(p.Text)); len(fs) > 0 {
			where = append(where, "search_features @> "+arg(fs)+"::bigint[]")
		}
		where = append(where, "strpos(search_text, "+arg(p.Text)+") > 0")
	}
	filter := strings.Join(where, " AND ")
	filterArgs := args[:len(args):len(args)]
	limit, offset := arg(p.Limit), arg(p.Offset)
	sql := `WITH m AS MATERIALIZED (SELECT id, version, change_seq FROM ` + s.q.entries + ` WHERE ` + filter + `),
	page AS (SELECT id, version, change_seq FROM m ORDER BY change_seq DESC LIMIT ` + limit + ` OFFSET ` + offset + `)
SELECT (SELECT count(*) FROM m), e.` + strings.ReplaceAll(entryColumns, ", ", ", e.") + `
FROM page JOIN ` + s.q.entries + ` e ON e.id = page.id AND e.version = page.version
ORDER BY page.change_seq DESC`
	// A one-statement read: the page and the total come from one
	// snapshot.
	// QueryExecModeExec: an unnamed statement, planned for these values
	// every time (a cached generic plan cannot tell a rare feature from a
	// common one).
	rows, err := s.db.pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return catalog.Result{}, dbError("catalog: find", err)
	}
	var res catalog.Result
	var total int64
	res.Entries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (catalog.Entry, error) {
		return scanEntry(prefixed{row, &total})
	})
	if err != nil {
		return catalog.Result{}, dbError("catalog: find", err)
	}
	if len(res.Entries) == 0 {
		// The page is past the last match (or there is none): count
		// them alone.
		if err := s.db.pool.QueryRow(ctx, `SELECT count(*) FROM `+s.q.entries+` WHERE `+filter,
			append([]any{pgx.QueryExecModeExec}, filterArgs...)...).Scan(&total); err != nil {
			return catalog.Result{}, dbError("catalog: find", err)
		}
		res.Entries = nil
	}
	res.Total = int(total)
	if err := s.loadItems(ctx, s.db.pool, res.Entries); err != nil {
		return catalog.Result{}, err
	}
	return res, nil
}

// prefixed is a row whose first column is the total, scanned into n,
// before the entry's columns.
type prefixed struct {
	pgx.CollectableRow
	n *int64
}

// Scan reads the total, then the columns into dest.
func (p prefixed) Scan(dest ...any) error {
	return p.CollectableRow.Scan(append([]any{p.n}, dest...)...)
}
