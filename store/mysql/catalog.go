package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
)

// CatalogStore is a catalog.Store in the database: every version of every
// entry, with the checks, validation and query reading of
// catalog.MemoryStore (catalog.Rules), so that it finds what the memory
// store finds on the same writes.
type CatalogStore struct {
	db    *DB
	rules *catalog.Rules
}

var _ catalog.Store = (*CatalogStore)(nil)

// Catalog returns the database's catalog store. Its options are those of
// catalog.NewMemoryStore (WithPolicy, WithAllowedCreditCodes, WithRegistry,
// WithMethods, WithIDPattern, WithClock); a bad one is an error matching
// govshare.ErrInvalid.
func (db *DB) Catalog(opts ...catalog.Option) (*CatalogStore, error) {
	r, err := catalog.NewRules(opts...)
	if err != nil {
		return nil, err
	}
	return &CatalogStore{db: db, rules: r}, nil
}

const entryColumns = `id, version, status, resource_class, name, summary, provider_name, provider_credit_code,
	provider_directory_id, provider_region, provider_level, provider_code, level, format, frequency, share,
	conditions, legal_basis, methods, category, grade, open_attribute, related, release_date, updated_ns, published_ns`

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanEntry(s scanner) (catalog.Entry, error) {
	var e catalog.Entry
	var status, plevel, level, format, freq, share, grade, open uint8
	var methods, related string
	var release sql.NullString
	var updated int64
	var published sql.NullInt64
	err := s.Scan(&e.ID, &e.Version, &status, &e.ResourceClass, &e.Name, &e.Summary, &e.Provider.Name, &e.Provider.CreditCode,
		&e.Provider.DirectoryID, &e.Provider.RegionCode, &plevel, &e.ProviderCode, &level, &format, &freq, &share,
		&e.Conditions, &e.LegalBasis, &methods, (*string)(&e.Classification.Category), &grade, &open, &related, &release,
		&updated, &published)
	if err != nil {
		return e, err
	}
	e.Status, e.Provider.Level, e.Level, e.Format, e.Frequency = catalog.Status(status), govshare.Level(plevel), catalog.Level(level), catalog.Format(format), catalog.Frequency(freq)
	e.Share, e.Classification.Grade, e.Open = govshare.ShareAttribute(share), classify.Grade(grade), catalog.OpenAttribute(open)
	if err := json.Unmarshal([]byte(methods), &e.Methods); err != nil {
		return e, corruptEntry(e.ID, "methods: "+err.Error())
	}
	if err := json.Unmarshal([]byte(related), &e.Related); err != nil {
		return e, corruptEntry(e.ID, "related: "+err.Error())
	}
	if release.Valid {
		d, err := catalog.ParseDate(release.String)
		if err != nil {
			return e, corruptEntry(e.ID, "release date: "+err.Error())
		}
		e.ReleaseDate = d
	}
	e.UpdatedAt = time.Unix(0, updated).In(deadline.CST)
	if published.Valid {
		e.PublishedAt = time.Unix(0, published.Int64).In(deadline.CST)
	}
	return e, nil
}

func corruptEntry(id, why string) error {
	return &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "mysql.catalog_corrupt",
		Zh: "目录“" + id + "”的存储数据无法读取：" + why, En: "mysql: catalog entry " + id + " cannot be read: " + why}
}

// readEntries returns the versions named by where (over catalog_entries,
// with its arguments) with their items, in the order of order.
func (s *CatalogStore) readEntries(ctx context.Context, q querier, where string, args []any, order string) ([]catalog.Entry, error) {
	rows, err := q.QueryContext(ctx, s.db.qualify(`SELECT `+entryColumns+` FROM {catalog_entries} WHERE `+where+` ORDER BY `+order), args...)
	if err != nil {
		return nil, dbError("catalog read", err)
	}
	var out []catalog.Entry
	index := map[[2]any]int{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return nil, dbError("catalog read", err)
		}
		index[[2]any{e.ID, e.Version}] = len(out)
		out = append(out, e)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, dbError("catalog read", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The items of every version read, in one statement.
	var cond strings.Builder
	var iargs []any
	for i, e := range out {
		if i > 0 {
			cond.WriteString(" OR ")
		}
		cond.WriteString("(id = ? AND version = ?)")
		iargs = append(iargs, e.ID, e.Version)
	}
	rows, err = q.QueryContext(ctx, s.db.qualify(`SELECT id, version, name, column_name, data_type, length, description, share, kind
		FROM {catalog_items} WHERE `+cond.String()+` ORDER BY id, version, position`), iargs...)
	if err != nil {
		return nil, dbError("catalog read items", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var version int64
		var it catalog.DataItem
		var typ, share, kind uint8
		if err := rows.Scan(&id, &version, &it.Name, &it.Column, &typ, &it.Length, &it.Description, &share, &kind); err != nil {
			return nil, dbError("catalog read items", err)
		}
		it.Type, it.Share, it.Kind = catalog.DataType(typ), govshare.ShareAttribute(share), classify.Kind(kind)
		if i, ok := index[[2]any{id, version}]; ok {
			out[i].Items = append(out[i].Items, it)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("catalog read items", err)
	}
	return out, nil
}

func (s *CatalogStore) reader(ctx context.Context) querier {
	if tx, ok := txFrom(ctx); ok {
		return tx
	}
	return s.db.db
}

// one returns the single version where selects, or a *catalog.NotFoundError.
func (s *CatalogStore) one(ctx context.Context, q querier, id string, version int64, where string, args ...any) (catalog.Entry, error) {
	es, err := s.readEntries(ctx, q, where, args, "version")
	if err != nil {
		return catalog.Entry{}, err
	}
	if len(es) == 0 {
		// Absent here; on a Galera node perhaps not yet applied (causal.go).
		_, err = s.db.causally(ctx, func(q querier) error {
			es, err = s.readEntries(ctx, q, where, args, "version")
			return err
		})
		if err != nil {
			return catalog.Entry{}, err
		}
	}
	if len(es) == 0 {
		return catalog.Entry{}, &catalog.NotFoundError{ID: id, Version: version}
	}
	return es[0], nil
}

// Get returns the latest version of the entry.
func (s *CatalogStore) Get(ctx context.Context, id string) (catalog.Entry, error) {
	return s.one(ctx, s.reader(ctx), id, 0, "id = ? AND latest = 1", id)
}

// Version returns one version of the entry.
func (s *CatalogStore) Version(ctx context.Context, id string, version int64) (catalog.Entry, error) {
	return s.one(ctx, s.reader(ctx), id, version, "id = ? AND version = ?", id, version)
}

// Published returns the version in force: catalog.ErrStatus if the entry
// was never published or has been withdrawn.
func (s *CatalogStore) Published(ctx context.Context, id string) (catalog.Entry, error) {
	q := s.reader(ctx)
	var v int64
	err := q.QueryRowContext(ctx, s.db.qualify(`SELECT version FROM {catalog_entries} WHERE id = ? AND in_force = 1`), id).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		latest, err := s.Get(ctx, id)
		if err != nil {
			return catalog.Entry{}, err
		}
		return catalog.Entry{}, &catalog.StatusError{ID: id, Status: latest.Status, Action: "request"}
	case err != nil:
		return catalog.Entry{}, dbError("catalog published", err)
	}
	return s.one(ctx, q, id, v, "id = ? AND version = ?", id, v)
}

// History returns every version of the entry, oldest first.
func (s *CatalogStore) History(ctx context.Context, id string) ([]catalog.Entry, error) {
	es, err := s.readEntries(ctx, s.reader(ctx), "id = ?", []any{id}, "version")
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, &catalog.NotFoundError{ID: id}
	}
	return es, nil
}

// head is the state of an entry a write depends on, read under the lock
// of its latest row.
type head struct {
	exists  bool
	latest  catalog.Entry
	inForce bool // a version is in force
}

// lockHead locks the entry's latest row and reads it, with whether a
// version is in force.
func (s *CatalogStore) lockHead(ctx context.Context, tx *sql.Tx, id string) (head, error) {
	var v int64
	err := tx.QueryRowContext(ctx, s.db.qualify(`SELECT version FROM {catalog_entries} WHERE id = ? AND latest = 1 FOR UPDATE`), id).Scan(&v)
	if err == sql.ErrNoRows {
		return head{}, nil
	}
	if err != nil {
		return head{}, dbError("catalog lock", err)
	}
	e, err := s.one(ctx, tx, id, v, "id = ? AND version = ?", id, v)
	if err != nil {
		return head{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.db.qualify(`SELECT COUNT(*) FROM {catalog_entries} WHERE id = ? AND in_force = 1`), id).Scan(&n); err != nil {
		return head{}, dbError("catalog lock", err)
	}
	return head{exists: true, latest: e, inForce: n > 0}, nil
}

// check returns the entry's head if its latest version is expected.
func (s *CatalogStore) check(ctx context.Context, tx *sql.Tx, id string, expected int64) (head, error) {
	h, err := s.lockHead(ctx, tx, id)
	switch {
	case err != nil:
		return h, err
	case !h.exists:
		return h, &catalog.NotFoundError{ID: id}
	case h.latest.Version != expected:
		return h, &catalog.ConflictError{ID: id, Expected: expected, Actual: h.latest.Version}
	}
	return h, nil
}

// write stores v as a new version: the latest, in force when inForce;
// when clearInForce, no older version stays in force.
func (s *CatalogStore) write(ctx context.Context, tx *sql.Tx, v *catalog.Entry, inForce, clearInForce bool) error {
	clear := `UPDATE {catalog_entries} SET latest = 0 WHERE id = ? AND latest = 1`
	if clearInForce {
		clear = `UPDATE {catalog_entries} SET latest = 0, in_force = 0 WHERE id = ? AND (latest = 1 OR in_force = 1)`
	}
	if _, err := tx.ExecContext(ctx, s.db.qualify(clear), v.ID); err != nil {
		return dbError("catalog write", err)
	}
	methods, err := json.Marshal(nonNil(v.Methods))
	if err != nil {
		return err
	}
	key := ","
	for _, m := range v.Methods {
		key += string(m) + ","
	}
	related, err := json.Marshal(nonNil(v.Related))
	if err != nil {
		return err
	}
	var release, published any
	if !v.ReleaseDate.IsZero() {
		release = v.ReleaseDate.String()
	}
	if !v.PublishedAt.IsZero() {
		published = v.PublishedAt.UnixNano()
	}
	_, err = tx.ExecContext(ctx, s.db.qualify(`INSERT INTO {catalog_entries} (id, version, status, latest, in_force,
		resource_class, name, summary, provider_name, provider_credit_code, provider_directory_id, provider_region,
		provider_level, provider_code, level, format, frequency, share, conditions, legal_basis, methods, methods_key,
		category, grade, open_attribute, related, release_date, updated_ns, published_ns, search_text)
		VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		v.ID, v.Version, uint8(v.Status), boolInt(inForce), v.ResourceClass, v.Name, v.Summary, v.Provider.Name,
		v.Provider.CreditCode, v.Provider.DirectoryID, v.Provider.RegionCode, uint8(v.Provider.Level), v.ProviderCode,
		uint8(v.Level), uint8(v.Format), uint8(v.Frequency), uint8(v.Share), v.Conditions, v.LegalBasis, string(methods), key,
		string(v.Classification.Category), uint8(v.Classification.Grade), uint8(v.Open), string(related), release,
		v.UpdatedAt.UnixNano(), published, catalog.SearchText(v))
	if errorNumber(err) == errDuplicate {
		return &catalog.ConflictError{ID: v.ID, Expected: v.Version - 1, Actual: v.Version}
	}
	if err != nil {
		return dbError("catalog write", err)
	}
	for i, it := range v.Items {
		if _, err := tx.ExecContext(ctx, s.db.qualify(`INSERT INTO {catalog_items}
			(id, version, position, name, column_name, data_type, length, description, share, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			v.ID, v.Version, i, it.Name, it.Column, uint8(it.Type), it.Length, it.Description, uint8(it.Share), uint8(it.Kind)); err != nil {
			return dbError("catalog write items", err)
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// stored returns version v as stored, for a write to return what a read
// gives back.
func (s *CatalogStore) stored(ctx context.Context, tx *sql.Tx, v *catalog.Entry) (catalog.Entry, error) {
	return s.one(ctx, tx, v.ID, v.Version, "id = ? AND version = ?", v.ID, v.Version)
}

// Put stores e as a new draft version.
func (s *CatalogStore) Put(ctx context.Context, e catalog.Entry, expected int64) (catalog.Entry, error) {
	if err := s.rules.CheckID(e.ID); err != nil {
		return catalog.Entry{}, err
	}
	var out catalog.Entry
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		v := e.Clone()
		if expected == 0 {
			h, err := s.lockHead(ctx, tx, e.ID)
			if err != nil {
				return err
			}
			if h.exists {
				return &catalog.ConflictError{ID: e.ID, Expected: 0, Actual: h.latest.Version}
			}
			v.Version, v.PublishedAt = 1, time.Time{}
		} else {
			h, err := s.check(ctx, tx, e.ID, expected)
			if err != nil {
				return err
			}
			v.Version, v.PublishedAt = h.latest.Version+1, h.latest.PublishedAt
		}
		v.Status, v.UpdatedAt = catalog.Draft, s.rules.Now()
		if err := s.write(ctx, tx, &v, false, false); err != nil {
			return err
		}
		var err error
		out, err = s.stored(ctx, tx, &v)
		return err
	})
	return out, err
}

// Publish validates the latest version and stores it as published.
func (s *CatalogStore) Publish(ctx context.Context, id string, expected int64) (catalog.Entry, []govshare.Finding, error) {
	var out catalog.Entry
	var findings []govshare.Finding
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		h, err := s.check(ctx, tx, id, expected)
		if err != nil {
			return err
		}
		if h.latest.Status == catalog.Published {
			return &catalog.StatusError{ID: id, Status: catalog.Published, Action: "publish"}
		}
		findings = s.rules.Validate(h.latest)
		if govshare.HasError(findings) {
			return &catalog.PublishError{ID: id, Version: h.latest.Version, Findings: findings}
		}
		v := h.latest.Clone()
		v.Status, v.Version, v.UpdatedAt = catalog.Published, v.Version+1, s.rules.Now()
		v.PublishedAt = v.UpdatedAt
		if err := s.write(ctx, tx, &v, true, true); err != nil {
			return err
		}
		out, err = s.stored(ctx, tx, &v)
		return err
	})
	if err != nil {
		var pe *catalog.PublishError
		if errors.As(err, &pe) {
			return catalog.Entry{}, pe.Findings, err
		}
		return catalog.Entry{}, nil, err
	}
	return out, findings, nil
}

// Withdraw takes the entry out of the catalog.
func (s *CatalogStore) Withdraw(ctx context.Context, id string, expected int64) (catalog.Entry, error) {
	var out catalog.Entry
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		h, err := s.check(ctx, tx, id, expected)
		if err != nil {
			return err
		}
		if !h.inForce {
			return &catalog.StatusError{ID: id, Status: h.latest.Status, Action: "withdraw"}
		}
		v := h.latest.Clone()
		v.Status, v.Version, v.UpdatedAt = catalog.Withdrawn, v.Version+1, s.rules.Now()
		if err := s.write(ctx, tx, &v, false, true); err != nil {
			return err
		}
		out, err = s.stored(ctx, tx, &v)
		return err
	})
	return out, err
}

// Find returns the entries matching q, most recently changed first: the
// database selects on the typed columns and the normalised text
// (catalog.SearchText, with INSTR over utf8mb4_bin: a substring, byte for
// byte), counts the matches and reads one page.
func (s *CatalogStore) Find(ctx context.Context, q catalog.Query) (catalog.Result, error) {
	p, err := s.rules.Prepare(q)
	if err != nil {
		return catalog.Result{}, err
	}
	var where strings.Builder
	var args []any
	switch q.Status {
	case 0:
		where.WriteString("latest = 1")
	case catalog.Published:
		where.WriteString("in_force = 1")
	default:
		where.WriteString("latest = 1 AND status = ?")
		args = append(args, uint8(q.Status))
	}
	add := func(cond string, vs ...any) {
		where.WriteString(" AND " + cond)
		args = append(args, vs...)
	}
	if q.Share != 0 {
		add("share = ?", uint8(q.Share))
	}
	if q.Grade != 0 {
		add("grade = ?", uint8(q.Grade))
	}
	if q.Provider != "" {
		add("(provider_credit_code = ? OR provider_name = ?)", q.Provider, q.Provider)
	}
	if p.RegionPrefix != "" {
		add("CHAR_LENGTH(provider_region) = 6 AND LEFT(provider_region, ?) = ?", len(p.RegionPrefix), p.RegionPrefix)
	}
	if q.Method != "" {
		add("INSTR(methods_key, ?) > 0", ","+string(q.Method)+",")
	}
	if p.Text != "" {
		add("INSTR(search_text, ?) > 0", p.Text)
	}
	var res catalog.Result
	rq := s.reader(ctx)
	if err := rq.QueryRowContext(ctx, s.db.qualify(`SELECT COUNT(*) FROM {catalog_entries} WHERE `+where.String()), args...).Scan(&res.Total); err != nil {
		return catalog.Result{}, dbError("catalog find", err)
	}
	if res.Total == 0 || p.Offset >= res.Total {
		return res, nil
	}
	// The page's keys, then the page itself in the same order.
	rows, err := rq.QueryContext(ctx, s.db.qualify(`SELECT id, version FROM {catalog_entries} WHERE `+where.String()+
		` ORDER BY change_seq DESC LIMIT ? OFFSET ?`), append(args, p.Limit, p.Offset)...)
	if err != nil {
		return catalog.Result{}, dbError("catalog find", err)
	}
	var cond strings.Builder
	var kargs []any
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return catalog.Result{}, dbError("catalog find", err)
		}
		if len(kargs) > 0 {
			cond.WriteString(" OR ")
		}
		cond.WriteString("(id = ? AND version = ?)")
		kargs = append(kargs, id, v)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return catalog.Result{}, dbError("catalog find", err)
	}
	if len(kargs) == 0 {
		return res, nil
	}
	es, err := s.readEntries(ctx, rq, cond.String(), kargs, "change_seq DESC")
	if err != nil {
		return catalog.Result{}, err
	}
	res.Entries = es
	return res, nil
}
