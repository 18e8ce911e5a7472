package catalog

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/internal/fold"
)

// MemoryStore is the in-memory Store: every version of every entry, and
// indexes that answer Find without scanning every entry. It is safe for
// concurrent use; reads run in parallel, writes one at a time.
type MemoryStore struct {
	mu      sync.RWMutex
	now     func() time.Time
	c       *config
	records map[string]*record
	idx     index
}

// record is one entry: its versions and which is in force.
type record struct {
	versions []*Entry // oldest first; versions[i].Version == i+1
	inForce  int      // index of the published version in force, -1 if none
	// latestDoc and inForceDoc are the index documents of the latest
	// version and of the version in force (the same when it is latest).
	latestDoc, inForceDoc int32
}

func (r *record) latest() *Entry { return r.versions[len(r.versions)-1] }

// NewMemoryStore returns an empty store. Its options configure the
// validation Publish runs (WithPolicy, WithAllowedCreditCodes,
// WithRegistry, WithMethods), the 目录代码 pattern Put checks
// (WithIDPattern) and the clock (WithClock); with none it uses time.Now
// and the default validation. A bad option is an error matching
// govshare.ErrInvalid, and no store.
func NewMemoryStore(opts ...Option) (*MemoryStore, error) {
	r, err := NewRules(opts...)
	if err != nil {
		return nil, err
	}
	return &MemoryStore{
		now:     r.now,
		c:       r.c,
		records: map[string]*record{},
		idx:     newIndex(true),
	}, nil
}

var _ Store = (*MemoryStore)(nil)

func (s *MemoryStore) stamp() time.Time { return s.now().In(deadline.CST) }

// Get returns the latest version of the entry.
func (s *MemoryStore) Get(ctx context.Context, id string) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[id]
	if !ok {
		return Entry{}, &NotFoundError{ID: id}
	}
	return r.latest().Clone(), nil
}

// Version returns one version of the entry.
func (s *MemoryStore) Version(ctx context.Context, id string, version int64) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[id]
	if !ok || version < 1 || version > int64(len(r.versions)) {
		return Entry{}, &NotFoundError{ID: id, Version: version}
	}
	return r.versions[version-1].Clone(), nil
}

// Published returns the version in force.
func (s *MemoryStore) Published(ctx context.Context, id string) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[id]
	if !ok {
		return Entry{}, &NotFoundError{ID: id}
	}
	if r.inForce < 0 {
		return Entry{}, &StatusError{ID: id, Status: r.latest().Status, Action: "request"}
	}
	return r.versions[r.inForce].Clone(), nil
}

// History returns every version of the entry, oldest first.
func (s *MemoryStore) History(ctx context.Context, id string) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[id]
	if !ok {
		return nil, &NotFoundError{ID: id}
	}
	out := make([]Entry, len(r.versions))
	for i, v := range r.versions {
		out[i] = v.Clone()
	}
	return out, nil
}

// check returns the record of id if its latest version is expected.
func (s *MemoryStore) check(id string, expected int64) (*record, error) {
	r, ok := s.records[id]
	if !ok {
		return nil, &NotFoundError{ID: id}
	}
	if v := r.latest().Version; v != expected {
		return nil, &ConflictError{ID: id, Expected: expected, Actual: v}
	}
	return r, nil
}

// Put stores e as a new draft version.
func (s *MemoryStore) Put(ctx context.Context, e Entry, expected int64) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	if !s.c.idPattern.MatchString(e.ID) {
		return Entry{}, &IDError{ID: e.ID, Pattern: s.c.idPattern.String()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var r *record
	if expected == 0 {
		if old, ok := s.records[e.ID]; ok {
			return Entry{}, &ConflictError{ID: e.ID, Expected: 0, Actual: old.latest().Version}
		}
		r = &record{inForce: -1, latestDoc: -1, inForceDoc: -1}
	} else {
		var err error
		if r, err = s.check(e.ID, expected); err != nil {
			return Entry{}, err
		}
	}
	v := e.Clone()
	v.Status = Draft
	v.Version = int64(len(r.versions)) + 1
	v.UpdatedAt = s.stamp()
	v.PublishedAt = time.Time{}
	if len(r.versions) > 0 {
		v.PublishedAt = r.latest().PublishedAt
	}
	s.records[e.ID] = r
	s.append(r, &v, false)
	return v.Clone(), nil
}

// Publish validates the latest version and stores it as published.
func (s *MemoryStore) Publish(ctx context.Context, id string, expected int64) (Entry, []govshare.Finding, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.check(id, expected)
	if err != nil {
		return Entry{}, nil, err
	}
	latest := r.latest()
	if latest.Status == Published {
		return Entry{}, nil, &StatusError{ID: id, Status: Published, Action: "publish"}
	}
	findings := s.c.validate(latest)
	if govshare.HasError(findings) {
		return Entry{}, findings, &PublishError{ID: id, Version: latest.Version, Findings: findings}
	}
	v := latest.Clone()
	v.Status = Published
	v.Version++
	v.UpdatedAt = s.stamp()
	v.PublishedAt = v.UpdatedAt
	s.append(r, &v, true)
	return v.Clone(), findings, nil
}

// Withdraw takes the entry out of the catalog.
func (s *MemoryStore) Withdraw(ctx context.Context, id string, expected int64) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.check(id, expected)
	if err != nil {
		return Entry{}, err
	}
	if r.inForce < 0 {
		return Entry{}, &StatusError{ID: id, Status: r.latest().Status, Action: "withdraw"}
	}
	v := r.latest().Clone()
	v.Status = Withdrawn
	v.Version++
	v.UpdatedAt = s.stamp()
	s.append(r, &v, false)
	return v.Clone(), nil
}

// append adds version v to r and updates the index: v becomes the latest
// document; when publish is true it is also the one in force, and a
// withdrawal (v.Status Withdrawn) leaves none in force. A draft leaves
// the published version in force, still found by Find(Status: Published).
func (s *MemoryStore) append(r *record, v *Entry, publish bool) {
	r.versions = append(r.versions, v)
	oldLatest, oldInForce := r.latestDoc, r.inForceDoc
	switch {
	case publish:
		r.inForce = len(r.versions) - 1
		s.idx.kill(oldLatest)
		s.idx.kill(oldInForce)
		r.latestDoc = s.idx.add(v, true, true)
		r.inForceDoc = r.latestDoc
	case v.Status == Withdrawn:
		r.inForce = -1
		s.idx.kill(oldLatest)
		s.idx.kill(oldInForce)
		r.latestDoc = s.idx.add(v, true, false)
		r.inForceDoc = -1
	default: // a draft
		if oldLatest == oldInForce {
			s.idx.demote(oldLatest) // stays in force, no longer latest
		} else {
			s.idx.kill(oldLatest)
		}
		r.latestDoc = s.idx.add(v, true, false)
	}
	if s.idx.needsCompaction() {
		s.compact()
	}
}

// compact rebuilds the index from the live documents, so that the dead
// ones superseded versions left behind stop costing memory and time.
func (s *MemoryStore) compact() {
	old := s.idx
	s.idx = newIndex(old.words != nil)
	remap := make(map[int32]int32, old.live)
	for slot, d := range old.docs {
		if d.e != nil {
			remap[int32(slot)] = s.idx.add(d.e, d.latest, d.inForce)
		}
	}
	for _, r := range s.records {
		r.latestDoc = lookupSlot(remap, r.latestDoc)
		r.inForceDoc = lookupSlot(remap, r.inForceDoc)
	}
}

func lookupSlot(remap map[int32]int32, slot int32) int32 {
	if n, ok := remap[slot]; ok {
		return n
	}
	return -1
}

// Find returns the entries matching q, most recently changed first.
func (s *MemoryStore) Find(ctx context.Context, q Query) (Result, error) {
	return s.find(ctx, q, false)
}

// find is Find; with scan, text is searched by scanning every document's
// text instead of through the inverted index — the way Find did before
// it, kept as the baseline of the differential tests and benchmarks.
func (s *MemoryStore) find(ctx context.Context, q Query, scan bool) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	pq, err := prepare(q, s.c.methods())
	if err != nil {
		return Result{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var res Result
	collect := func(e *Entry) {
		if res.Total >= pq.offset && len(res.Entries) < pq.limit {
			if res.Entries == nil {
				// One allocation for a default page rather than growing
				// it five times.
				res.Entries = make([]Entry, 0, min(pq.limit, 32))
			}
			res.Entries = append(res.Entries, e.Clone())
		}
		res.Total++
	}
	if scan {
		s.idx.searchScan(pq, collect)
	} else {
		s.idx.search(pq, collect)
	}
	return res, nil
}

// searchText is the normalised form in which entries and queries are
// compared: full width folded, ASCII lower case.
func searchText(s string) string { return strings.ToLower(fold.Width(s)) }
