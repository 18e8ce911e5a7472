package postgres

import (
	"context"
	"errors"
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
	// One statement: the total, the page and its entries' data items
	// (as arrays in position order), from one snapshot.
	sql := `WITH m AS MATERIALIZED (SELECT id, version, change_seq FROM ` + s.q.entries + ` WHERE ` + filter + `),
	page AS (SELECT id, version, change_seq FROM m ORDER BY change_seq DESC LIMIT ` + limit + ` OFFSET ` + offset + `)
SELECT (SELECT count(*) FROM m), e.` + strings.ReplaceAll(entryColumns, ", ", ", e.") + `,
	it.names, it.columns, it.types, it.lengths, it.descriptions, it.shares, it.kinds
FROM page JOIN ` + s.q.entries + ` e ON e.id = page.id AND e.version = page.version
LEFT JOIN LATERAL (SELECT array_agg(i.name ORDER BY i.position) AS names, array_agg(i.column_name ORDER BY i.position) AS columns,
	array_agg(i.data_type ORDER BY i.position) AS types, array_agg(i.length ORDER BY i.position) AS lengths,
	array_agg(i.description ORDER BY i.position) AS descriptions, array_agg(i.share ORDER BY i.position) AS shares,
	array_agg(i.kind ORDER BY i.position) AS kinds
	FROM ` + s.q.itemsTable + ` i WHERE i.id = e.id AND i.version = e.version) it ON true
ORDER BY page.change_seq DESC`
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
		var it itemArrays
		e, err := scanEntry(wrapped{row, []any{&total}, it.dest()})
		if err == nil {
			e.Items, err = it.items()
		}
		return e, err
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
	return res, nil
}

// itemArrays are an entry's data items as the columns of arrays Find
// reads them in.
type itemArrays struct {
	names, columns, descs []string
	types, shares, kinds  []int16
	lengths               []int32
}

func (a *itemArrays) dest() []any {
	return []any{&a.names, &a.columns, &a.types, &a.lengths, &a.descs, &a.shares, &a.kinds}
}

func (a *itemArrays) items() ([]catalog.DataItem, error) {
	n := len(a.names)
	if len(a.columns) != n || len(a.types) != n || len(a.lengths) != n || len(a.descs) != n || len(a.shares) != n || len(a.kinds) != n {
		return nil, errors.New("catalog: find: item arrays of different lengths")
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]catalog.DataItem, n)
	for i := range out {
		r := itemRow{name: a.names[i], column: a.columns[i], desc: a.descs[i], typ: a.types[i], length: a.lengths[i],
			share: a.shares[i], kind: a.kinds[i]}
		out[i] = r.item()
	}
	return out, nil
}

// wrapped is a row with columns before and after the entry's: scanned
// into pre and post around the entry's destinations.
type wrapped struct {
	pgx.CollectableRow
	pre, post []any
}

// Scan reads pre, then the entry's columns into dest, then post.
func (w wrapped) Scan(dest ...any) error {
	all := make([]any, 0, len(w.pre)+len(dest)+len(w.post))
	all = append(append(append(all, w.pre...), dest...), w.post...)
	return w.CollectableRow.Scan(all...)
}
