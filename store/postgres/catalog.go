package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
)

// CatalogStore is a catalog.Store in PostgreSQL: every version of every
// entry in catalog_entries and catalog_items (docs/postgres.md), with the
// checks, errors and Find results of catalog.MemoryStore — the same
// catalog.Rules decide them. Find's text is matched on an inverted index of
// the entries' text features (catalog.TextFeatures, a GIN index) and
// confirmed on the normalised text itself, so that it finds exactly what
// the memory store finds. Safe for concurrent use, by several replicas
// too: writes lock the entry's latest row and check the expected version.
type CatalogStore struct {
	db    *DB
	rules *catalog.Rules
	q     catalogSQL
	stats featureStats // catalog_features.go
}

var _ catalog.Store = (*CatalogStore)(nil)

// catalogSQL holds the statements, qualified once.
type catalogSQL struct {
	lockLatest, insert, insertItem, retire, demote, maxVersion string
	get, version, published, history, latestStatus             string
	items, itemsOf                                             string
	entries, itemsTable                                        string // the tables, for Find
}

// entryColumns are the columns an Entry is read from, in scanEntry's order.
const entryColumns = `id, version, status, resource_class, name, summary, provider_name, provider_credit_code,
	provider_directory_id, provider_region, provider_level, provider_code, level, format, frequency, share,
	conditions, legal_basis, methods, category, grade, open_attribute, related, release_date, updated_at, published_at`

// Catalog returns the catalog store of the DB. Its options are those of
// catalog.NewMemoryStore (validation policy, registries, 目录代码 pattern,
// clock); a bad one is an error matching govshare.ErrInvalid. Migrate
// first.
func (db *DB) Catalog(opts ...catalog.Option) (*CatalogStore, error) {
	rules, err := catalog.NewRules(opts...)
	if err != nil {
		return nil, err
	}
	q := func(s string) string { return db.qualify(s) }
	return &CatalogStore{db: db, rules: rules, q: catalogSQL{
		lockLatest: q(`SELECT version, status, in_force, published_at FROM {schema}.catalog_entries WHERE id = $1 AND latest FOR UPDATE`),
		insert: q(`INSERT INTO {schema}.catalog_entries (` + insertColumns + `)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
			$27, $28, $29, $30)`),
		insertItem: q(`INSERT INTO {schema}.catalog_items (id, version, position, name, column_name, data_type, length, description, share, kind)
			SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::smallint[], $7::int[], $8::text[], $9::smallint[], $10::smallint[])`),
		maxVersion:   q(`SELECT max(version) FROM {schema}.catalog_entries WHERE id = $1`),
		retire:       q(`UPDATE {schema}.catalog_entries SET latest = false, in_force = false WHERE id = $1 AND (latest OR in_force)`),
		demote:       q(`UPDATE {schema}.catalog_entries SET latest = false WHERE id = $1 AND latest`),
		get:          q(`SELECT ` + entryColumns + ` FROM {schema}.catalog_entries WHERE id = $1 AND latest`),
		version:      q(`SELECT ` + entryColumns + ` FROM {schema}.catalog_entries WHERE id = $1 AND version = $2`),
		published:    q(`SELECT ` + entryColumns + ` FROM {schema}.catalog_entries WHERE id = $1 AND in_force`),
		history:      q(`SELECT ` + entryColumns + ` FROM {schema}.catalog_entries WHERE id = $1 ORDER BY version`),
		latestStatus: q(`SELECT status FROM {schema}.catalog_entries WHERE id = $1 AND latest`),
		items: q(`SELECT version, name, column_name, data_type, length, description, share, kind
			FROM {schema}.catalog_items WHERE id = $1 ORDER BY version, position`),
		itemsOf: q(`SELECT i.id, i.version, i.name, i.column_name, i.data_type, i.length, i.description, i.share, i.kind
			FROM {schema}.catalog_items i JOIN unnest($1::text[], $2::bigint[]) AS k(id, version) ON i.id = k.id AND i.version = k.version
			ORDER BY i.id, i.version, i.position`),
		entries:    q(`{schema}.catalog_entries`),
		itemsTable: q(`{schema}.catalog_items`),
	}}, nil
}

// Rules returns the rules the store checks writes and reads queries by.
func (s *CatalogStore) Rules() *catalog.Rules { return s.rules }

// Get returns the latest version of the entry.
func (s *CatalogStore) Get(ctx context.Context, id string) (catalog.Entry, error) {
	return s.one(ctx, s.q.get, id, 0, id)
}

// Version returns one version of the entry.
func (s *CatalogStore) Version(ctx context.Context, id string, version int64) (catalog.Entry, error) {
	if version < 1 {
		return catalog.Entry{}, &catalog.NotFoundError{ID: id, Version: version}
	}
	return s.one(ctx, s.q.version, id, version, id, version)
}

// Published returns the version in force.
func (s *CatalogStore) Published(ctx context.Context, id string) (catalog.Entry, error) {
	e, err := s.one(ctx, s.q.published, id, 0, id)
	if !errors.Is(err, govshare.ErrNotFound) {
		return e, err
	}
	var st int16
	switch err := s.db.pool.QueryRow(ctx, s.q.latestStatus, id).Scan(&st); {
	case errors.Is(err, pgx.ErrNoRows):
		return catalog.Entry{}, &catalog.NotFoundError{ID: id}
	case err != nil:
		return catalog.Entry{}, dbError("catalog: published", err)
	}
	return catalog.Entry{}, &catalog.StatusError{ID: id, Status: catalog.Status(st), Action: "request"}
}

// History returns every version of the entry, oldest first.
func (s *CatalogStore) History(ctx context.Context, id string) ([]catalog.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, s.q.history, id)
	if err != nil {
		return nil, dbError("catalog: history", err)
	}
	out, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, dbError("catalog: history", err)
	}
	if len(out) == 0 {
		return nil, &catalog.NotFoundError{ID: id}
	}
	rows, err = s.db.pool.Query(ctx, s.q.items, id)
	if err != nil {
		return nil, dbError("catalog: history", err)
	}
	byVersion := map[int64]*catalog.Entry{}
	for i := range out {
		byVersion[out[i].Version] = &out[i]
	}
	var v int64
	var it itemRow
	_, err = pgx.ForEachRow(rows, []any{&v, &it.name, &it.column, &it.typ, &it.length, &it.desc, &it.share, &it.kind}, func() error {
		if e := byVersion[v]; e != nil {
			e.Items = append(e.Items, it.item())
		}
		return nil
	})
	if err != nil {
		return nil, dbError("catalog: history", err)
	}
	return out, nil
}

// one reads the entry a statement selects, with its items; version is the
// one asked for, for the NotFoundError.
func (s *CatalogStore) one(ctx context.Context, sql, id string, version int64, args ...any) (catalog.Entry, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Entry{}, err
	}
	rows, err := s.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return catalog.Entry{}, dbError("catalog: read", err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanEntry)
	if errors.Is(err, pgx.ErrNoRows) {
		return catalog.Entry{}, &catalog.NotFoundError{ID: id, Version: version}
	}
	if err != nil {
		return catalog.Entry{}, dbError("catalog: read", err)
	}
	es := []catalog.Entry{e}
	if err := s.loadItems(ctx, s.db.pool, es); err != nil {
		return catalog.Entry{}, err
	}
	return es[0], nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// loadItems reads the data items of es.
func (s *CatalogStore) loadItems(ctx context.Context, q querier, es []catalog.Entry) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]string, len(es))
	versions := make([]int64, len(es))
	at := make(map[string]int, len(es))
	for i := range es {
		ids[i], versions[i] = es[i].ID, es[i].Version
		at[es[i].ID+"\x00"+strconv.FormatInt(es[i].Version, 10)] = i
	}
	rows, err := q.Query(ctx, s.q.itemsOf, ids, versions)
	if err != nil {
		return dbError("catalog: read items", err)
	}
	var id string
	var v int64
	var it itemRow
	_, err = pgx.ForEachRow(rows, []any{&id, &v, &it.name, &it.column, &it.typ, &it.length, &it.desc, &it.share, &it.kind}, func() error {
		if i, ok := at[id+"\x00"+strconv.FormatInt(v, 10)]; ok {
			es[i].Items = append(es[i].Items, it.item())
		}
		return nil
	})
	return dbError("catalog: read items", err)
}

type itemRow struct {
	name, column, desc string
	typ, share, kind   int16
	length             int32
}

func (r *itemRow) item() catalog.DataItem {
	return catalog.DataItem{Name: r.name, Column: r.column, Type: catalog.DataType(r.typ), Length: int(r.length),
		Description: r.desc, Share: govshare.ShareAttribute(r.share), Kind: classify.Kind(r.kind)}
}

// scanEntry reads the columns of entryColumns.
func scanEntry(row pgx.CollectableRow) (catalog.Entry, error) {
	var e catalog.Entry
	var status, plevel, level, format, freq, share, grade, open int16
	var methods []string
	var category string
	var release pgtype.Date
	var updated time.Time
	var published pgtype.Timestamptz
	err := row.Scan(&e.ID, &e.Version, &status, &e.ResourceClass, &e.Name, &e.Summary, &e.Provider.Name, &e.Provider.CreditCode,
		&e.Provider.DirectoryID, &e.Provider.RegionCode, &plevel, &e.ProviderCode, &level, &format, &freq, &share,
		&e.Conditions, &e.LegalBasis, &methods, &category, &grade, &open, &e.Related, &release, &updated, &published)
	if err != nil {
		return e, err
	}
	e.Status, e.Provider.Level, e.Level = catalog.Status(status), govshare.Level(plevel), catalog.Level(level)
	e.Format, e.Frequency, e.Share = catalog.Format(format), catalog.Frequency(freq), govshare.ShareAttribute(share)
	e.Classification = classify.Classification{Category: classify.Category(category), Grade: classify.Grade(grade)}
	e.Open = catalog.OpenAttribute(open)
	for _, m := range methods {
		e.Methods = append(e.Methods, govshare.ShareMethod(m))
	}
	if len(e.Related) == 0 {
		e.Related = nil
	}
	if release.Valid {
		e.ReleaseDate = catalog.Date{Year: release.Time.Year(), Month: release.Time.Month(), Day: release.Time.Day()}
	}
	e.UpdatedAt = updated.In(deadline.CST)
	if published.Valid {
		e.PublishedAt = published.Time.In(deadline.CST)
	}
	return e, nil
}

// head is what a write reads of the entry's latest version, locked.
type head struct {
	version  int64
	status   catalog.Status
	inForce  bool
	publishd pgtype.Timestamptz
}

// lock reads and locks the latest version of id in tx and checks it is
// expected: a *NotFoundError if there is none, a *ConflictError if it is
// another.
func (s *CatalogStore) lock(ctx context.Context, tx pgx.Tx, id string, expected int64) (head, error) {
	var h head
	var st int16
	err := tx.QueryRow(ctx, s.q.lockLatest, id).Scan(&h.version, &st, &h.inForce, &h.publishd)
	h.status = catalog.Status(st)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// Either there is no such entry, or a concurrent write replaced
		// the latest row while this one waited for its lock (read
		// committed then skips the row): the statement's new snapshot
		// tells which.
		var actual pgtype.Int8
		if err := tx.QueryRow(ctx, s.q.maxVersion, id).Scan(&actual); err != nil {
			return h, dbError("catalog: lock entry", err)
		}
		if !actual.Valid {
			return h, &catalog.NotFoundError{ID: id}
		}
		return h, &catalog.ConflictError{ID: id, Expected: expected, Actual: actual.Int64}
	case err != nil:
		return h, dbError("catalog: lock entry", err)
	case h.version != expected:
		return h, &catalog.ConflictError{ID: id, Expected: expected, Actual: h.version}
	}
	return h, nil
}

// stamp is the store's clock, to the microsecond PostgreSQL keeps, so that
// what a write returns is what a read gives back.
func (s *CatalogStore) stamp() time.Time { return s.rules.Now().Truncate(time.Microsecond) }

// Put stores e as a new draft version.
func (s *CatalogStore) Put(ctx context.Context, e catalog.Entry, expected int64) (catalog.Entry, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Entry{}, err
	}
	if err := s.rules.CheckID(e.ID); err != nil {
		return catalog.Entry{}, err
	}
	if err := storable(&e); err != nil {
		return catalog.Entry{}, err
	}
	v := e.Clone()
	err := s.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		v.Status, v.PublishedAt = catalog.Draft, time.Time{}
		if expected == 0 {
			v.Version = 1
		} else {
			h, err := s.lock(ctx, tx, e.ID, expected)
			if err != nil {
				return err
			}
			v.Version = h.version + 1
			if h.publishd.Valid {
				v.PublishedAt = h.publishd.Time.In(deadline.CST)
			}
			if _, err := tx.Exec(ctx, s.q.demote, e.ID); err != nil {
				return dbError("catalog: put", err)
			}
		}
		v.UpdatedAt = s.stamp()
		return s.insert(ctx, tx, &v, false)
	})
	if err != nil {
		return catalog.Entry{}, s.createConflict(ctx, e.ID, expected, err)
	}
	return v.Clone(), nil
}

// createConflict turns the unique violation of two creations of one entry
// at once into the *ConflictError the loser gets.
func (s *CatalogStore) createConflict(ctx context.Context, id string, expected int64, err error) error {
	var pe *pgconn.PgError
	if expected != 0 || !errors.As(err, &pe) || pe.Code != "23505" {
		return err
	}
	// The winner's version as it stands now; version 1 if it cannot be
	// read.
	actual := pgtype.Int8{Int64: 1}
	_ = s.db.pool.QueryRow(ctx, s.q.maxVersion, id).Scan(&actual)
	return &catalog.ConflictError{ID: id, Expected: 0, Actual: max(actual.Int64, 1)}
}

// Publish validates the latest version and stores it as published.
func (s *CatalogStore) Publish(ctx context.Context, id string, expected int64) (catalog.Entry, []govshare.Finding, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Entry{}, nil, err
	}
	var v catalog.Entry
	var findings []govshare.Finding
	err := s.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		findings = nil
		h, err := s.lock(ctx, tx, id, expected)
		if err != nil {
			return err
		}
		if h.status == catalog.Published {
			return &catalog.StatusError{ID: id, Status: catalog.Published, Action: "publish"}
		}
		if v, err = s.latestIn(ctx, tx, id); err != nil {
			return err
		}
		findings = s.rules.Validate(v)
		if govshare.HasError(findings) {
			return &catalog.PublishError{ID: id, Version: v.Version, Findings: findings}
		}
		if _, err := tx.Exec(ctx, s.q.retire, id); err != nil {
			return dbError("catalog: publish", err)
		}
		v.Status = catalog.Published
		v.Version++
		v.UpdatedAt = s.stamp()
		v.PublishedAt = v.UpdatedAt
		return s.insert(ctx, tx, &v, true)
	})
	var pe *catalog.PublishError
	if errors.As(err, &pe) {
		return catalog.Entry{}, findings, err
	}
	if err != nil {
		return catalog.Entry{}, nil, err
	}
	return v.Clone(), findings, nil
}

// Withdraw takes the entry out of the catalog.
func (s *CatalogStore) Withdraw(ctx context.Context, id string, expected int64) (catalog.Entry, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Entry{}, err
	}
	var v catalog.Entry
	err := s.db.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		h, err := s.lock(ctx, tx, id, expected)
		if err != nil {
			return err
		}
		var inForce bool
		if err := tx.QueryRow(ctx, s.db.qualify(`SELECT EXISTS (SELECT 1 FROM {schema}.catalog_entries WHERE id = $1 AND in_force)`), id).Scan(&inForce); err != nil {
			return dbError("catalog: withdraw", err)
		}
		if !inForce {
			return &catalog.StatusError{ID: id, Status: h.status, Action: "withdraw"}
		}
		if v, err = s.latestIn(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, s.q.retire, id); err != nil {
			return dbError("catalog: withdraw", err)
		}
		v.Status = catalog.Withdrawn
		v.Version++
		v.UpdatedAt = s.stamp()
		return s.insert(ctx, tx, &v, false)
	})
	if err != nil {
		return catalog.Entry{}, err
	}
	return v.Clone(), nil
}

// latestIn reads the latest version of id, with its items, in tx.
func (s *CatalogStore) latestIn(ctx context.Context, tx pgx.Tx, id string) (catalog.Entry, error) {
	rows, err := tx.Query(ctx, s.q.get, id)
	if err != nil {
		return catalog.Entry{}, dbError("catalog: read", err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanEntry)
	if err != nil {
		return catalog.Entry{}, dbError("catalog: read", err)
	}
	es := []catalog.Entry{e}
	if err := s.loadItems(ctx, tx, es); err != nil {
		return catalog.Entry{}, err
	}
	return es[0], nil
}

// insert stores version v as the latest, in force if inForce.
func (s *CatalogStore) insert(ctx context.Context, tx pgx.Tx, v *catalog.Entry, inForce bool) error {
	if _, err := tx.Exec(ctx, s.q.insert, entryArgs(v, inForce)...); err != nil {
		return dbError("catalog: write", err)
	}
	if len(v.Items) == 0 {
		return nil
	}
	n := len(v.Items)
	pos, lengths := make([]int32, n), make([]int32, n)
	names, cols, descs := make([]string, n), make([]string, n), make([]string, n)
	types, shares, kinds := make([]int16, n), make([]int16, n), make([]int16, n)
	for i, it := range v.Items {
		pos[i], lengths[i] = int32(i), int32(it.Length)
		names[i], cols[i], descs[i] = it.Name, it.Column, it.Description
		types[i], shares[i], kinds[i] = int16(it.Type), int16(it.Share), int16(it.Kind)
	}
	if _, err := tx.Exec(ctx, s.q.insertItem, v.ID, v.Version, pos, names, cols, types, lengths, descs, shares, kinds); err != nil {
		return dbError("catalog: write items", err)
	}
	return nil
}

// insertColumns are the columns entryArgs gives values for, in order:
// entryColumns, then the flags and the search columns. change_seq takes
// its default, the next number of catalog_change_seq.
const insertColumns = entryColumns + `, in_force, latest, search_text, search_features`

// entryArgs are the values of insertColumns for version v, the latest.
func entryArgs(v *catalog.Entry, inForce bool) []any {
	methods := make([]string, len(v.Methods))
	for i, m := range v.Methods {
		methods[i] = string(m)
	}
	related := v.Related
	if related == nil {
		related = []string{}
	}
	var release pgtype.Date
	if !v.ReleaseDate.IsZero() {
		release = pgtype.Date{Time: time.Date(v.ReleaseDate.Year, v.ReleaseDate.Month, v.ReleaseDate.Day, 0, 0, 0, 0, time.UTC), Valid: true}
	}
	var published pgtype.Timestamptz
	if !v.PublishedAt.IsZero() {
		published = pgtype.Timestamptz{Time: v.PublishedAt, Valid: true}
	}
	text := catalog.SearchText(v)
	return []any{v.ID, v.Version, int16(v.Status), v.ResourceClass, v.Name, v.Summary,
		v.Provider.Name, v.Provider.CreditCode, v.Provider.DirectoryID, v.Provider.RegionCode, int16(v.Provider.Level), v.ProviderCode,
		int16(v.Level), int16(v.Format), int16(v.Frequency), int16(v.Share), v.Conditions, v.LegalBasis, methods,
		string(v.Classification.Category), int16(v.Classification.Grade), int16(v.Open), related, release, v.UpdatedAt, published,
		inForce, true, text, catalog.TextFeatures(text)}
}

// storable refuses what PostgreSQL's text and date types cannot hold, which
// the memory store keeps: text that is not UTF-8 or holds a NUL byte, a
// release date that is not a calendar date, an item length beyond 32 bits.
func storable(e *catalog.Entry) error {
	bad := func(field, zh, en string) error {
		return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "postgres.unstorable",
			Zh: "目录“" + e.ID + "”的" + field + zh + "，数据库无法保存", En: "postgres: entry " + strconv.Quote(e.ID) + ": " + field + " " + en + ", which the database cannot store"}
	}
	texts := []struct{ field, s string }{{"id", e.ID}, {"resource_class", e.ResourceClass}, {"name", e.Name}, {"summary", e.Summary},
		{"provider.name", e.Provider.Name}, {"provider.credit_code", e.Provider.CreditCode}, {"provider.directory_id", e.Provider.DirectoryID},
		{"provider.region_code", e.Provider.RegionCode}, {"provider_code", e.ProviderCode}, {"conditions", e.Conditions},
		{"legal_basis", e.LegalBasis}, {"classification.category", string(e.Classification.Category)}}
	for _, m := range e.Methods {
		texts = append(texts, struct{ field, s string }{"methods", string(m)})
	}
	for _, r := range e.Related {
		texts = append(texts, struct{ field, s string }{"related", r})
	}
	for i, it := range e.Items {
		p := "items[" + strconv.Itoa(i) + "]."
		texts = append(texts, struct{ field, s string }{p + "name", it.Name}, struct{ field, s string }{p + "column", it.Column},
			struct{ field, s string }{p + "description", it.Description})
		if int64(it.Length) != int64(int32(it.Length)) {
			return bad(p+"length", "超出32位整数", "is beyond 32 bits")
		}
	}
	for _, t := range texts {
		if !utf8.ValidString(t.s) || strings.IndexByte(t.s, 0) >= 0 {
			return bad(t.field, "含有非 UTF-8 字节或 NUL 字符", "holds bytes that are not UTF-8 or a NUL")
		}
	}
	if !e.ReleaseDate.IsZero() && !e.ReleaseDate.Valid() {
		return bad("release_date", "不是有效日期", "is not a valid date")
	}
	return nil
}
