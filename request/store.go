package request

import (
	"context"

	"fmt"
	"github.com/govshare/govshare"
	"hash/maphash"
	"sync"
	"time"
)

// Store keeps applications. Implementations are safe for concurrent use
// and never let a later writer overwrite an earlier one unseen: Save takes
// the version the caller read.
type Store interface {
	// Get returns the application with the id, or govshare.ErrNotFound.
	Get(ctx context.Context, id string) (Application, error)
	// Save stores app as version expected+1, atomically with its audit
	// record: in one critical section (or database transaction) it checks
	// that the stored version is expected (0: the id must be new) and
	// fails with govshare.ErrConflict otherwise; then it calls record and stores
	// app only if record succeeds. So no transition is stored without its
	// audit record, and no audit record exists for a transition that was
	// not stored. A transactional store passes its transaction to record
	// through ctx.
	Save(ctx context.Context, app Application, expected int64, record func(ctx context.Context) error) (Application, error)
	// Due calls fn for every application whose SweepAt is not zero and at
	// or before until, in no particular order, until fn returns false. A
	// store indexes SweepAt (it depends on the stored fields only) so that
	// Due costs the applications it returns, not all those with a past due
	// instant.
	// fn must not retain or modify the application's slices, nor call the
	// store (the memory store holds its lock while it calls fn).
	Due(ctx context.Context, until time.Time, fn func(Application) bool) error
	// All calls fn for every application, until fn returns false, under
	// the same rules as Due.
	All(ctx context.Context, fn func(Application) bool) error
}

// MemoryStore is the in-memory Store. Applications are spread over shards
// by ID, each with its own lock, so that transitions of different
// applications do not wait for each other (the audit log, which is one
// sequence, is the only thing they share); within a shard a map serves
// lookups and a min-heap of the applications' SweepAt instants serves Due,
// so a sweep visits the applications whose instant has come and no others.
type MemoryStore struct {
	seed   maphash.Seed
	shards [storeShards]storeShard
	// depts interns the departments of the report rows.
	depts syncDepts
}

const storeShards = 32

type storeShard struct {
	mu   sync.RWMutex
	apps []Application
	due  []int64 // due[i]: SweepAt of apps[i] in Unix nanoseconds, or never
	// heap holds the indices of the applications with a due instant, a
	// binary min-heap on due; at[i] is apps[i]'s place in it, or -1.
	heap []int32
	at   []int32
	// rows[i] is what Service.Report needs of apps[i].
	rows []reportRow
	byID map[string]int
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	m := &MemoryStore{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].byID = map[string]int{}
	}
	return m
}

func (m *MemoryStore) shard(id string) *storeShard {
	return &m.shards[maphash.String(m.seed, id)%storeShards]
}

const never = int64(^uint64(0) >> 1)

func dueKey(a Application) int64 {
	if t := a.SweepAt(); !t.IsZero() {
		return t.UnixNano()
	}
	return never
}

// Get returns a copy of the stored application.
func (m *MemoryStore) Get(ctx context.Context, id string) (Application, error) {
	a, err := m.peek(ctx, id)
	if err != nil {
		return Application{}, err
	}
	return a.Clone(), nil
}

// peek returns the stored application without copying it, for the
// Service, which never modifies an application in place (see Apply).
func (m *MemoryStore) peek(ctx context.Context, id string) (Application, error) {
	if err := ctx.Err(); err != nil {
		return Application{}, err
	}
	sh := m.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	i, ok := sh.byID[id]
	if !ok {
		return Application{}, fmt.Errorf("%w: application %q", govshare.ErrNotFound, id)
	}
	return sh.apps[i], nil
}

// Save implements Store.Save in one critical section of the application's
// shard.
func (m *MemoryStore) Save(ctx context.Context, app Application, expected int64, record func(ctx context.Context) error) (Application, error) {
	if err := ctx.Err(); err != nil {
		return Application{}, err
	}
	if app.ID == "" {
		return Application{}, fmt.Errorf("%w: an application needs an ID", govshare.ErrInvalid)
	}
	// The copy the store keeps is made before taking the lock, which then
	// covers only the version check, the audit record and the assignment.
	app.Version = expected + 1
	stored := app.Clone()
	due := dueKey(stored)
	row := makeRow(&stored, m.depts.intern)
	sh := m.shard(app.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	i, exists := sh.byID[app.ID]
	var current int64
	if exists {
		current = sh.apps[i].Version
	}
	if current != expected {
		return Application{}, fmt.Errorf("%w: application %q is at version %d, not %d", govshare.ErrConflict, app.ID, current, expected)
	}
	if record != nil {
		if err := record(ctx); err != nil {
			return Application{}, err
		}
	}
	if !exists {
		i = len(sh.apps)
		sh.byID[app.ID] = i
		sh.apps = append(sh.apps, Application{})
		sh.due = append(sh.due, never)
		sh.at = append(sh.at, -1)
		sh.rows = append(sh.rows, reportRow{})
	}
	sh.apps[i], sh.rows[i] = stored, row
	sh.setDue(i, due)
	return app, nil
}

// setDue sets apps[i]'s due instant and its place in the heap.
func (sh *storeShard) setDue(i int, due int64) {
	old, p := sh.due[i], int(sh.at[i])
	sh.due[i] = due
	switch {
	case due == never && p >= 0:
		last := len(sh.heap) - 1
		sh.swap(p, last)
		sh.heap = sh.heap[:last]
		sh.at[i] = -1
		if p < last {
			sh.down(p)
			sh.up(p)
		}
	case due == never:
	case p < 0:
		sh.heap = append(sh.heap, int32(i))
		sh.at[i] = int32(len(sh.heap) - 1)
		sh.up(len(sh.heap) - 1)
	case due < old:
		sh.up(p)
	case due > old:
		sh.down(p)
	}
}

func (sh *storeShard) less(p, q int) bool { return sh.due[sh.heap[p]] < sh.due[sh.heap[q]] }

func (sh *storeShard) swap(p, q int) {
	sh.heap[p], sh.heap[q] = sh.heap[q], sh.heap[p]
	sh.at[sh.heap[p]], sh.at[sh.heap[q]] = int32(p), int32(q)
}

func (sh *storeShard) up(p int) {
	for p > 0 {
		parent := (p - 1) / 2
		if !sh.less(p, parent) {
			return
		}
		sh.swap(p, parent)
		p = parent
	}
}

func (sh *storeShard) down(p int) {
	for {
		c := 2*p + 1
		if c >= len(sh.heap) {
			return
		}
		if c+1 < len(sh.heap) && sh.less(c+1, c) {
			c++
		}
		if !sh.less(c, p) {
			return
		}
		sh.swap(p, c)
		p = c
	}
}

// dueUntil calls fn for the applications in the heap below place p due at
// or before limit, until fn returns false: a subtree whose root is later
// holds nothing earlier.
func (sh *storeShard) dueUntil(p int, limit int64, fn func(Application) bool) bool {
	if p >= len(sh.heap) {
		return true
	}
	i := sh.heap[p]
	if sh.due[i] > limit {
		return true
	}
	return fn(sh.apps[i]) && sh.dueUntil(2*p+1, limit, fn) && sh.dueUntil(2*p+2, limit, fn)
}

// Due implements Store.Due, shard by shard, from each shard's heap: it
// costs the applications it returns.
func (m *MemoryStore) Due(ctx context.Context, until time.Time, fn func(Application) bool) error {
	limit := until.UnixNano()
	return m.each(ctx, func(sh *storeShard) bool { return sh.dueUntil(0, limit, fn) })
}

// eachRows calls fn with each shard's report rows under its read lock.
func (m *MemoryStore) eachRows(ctx context.Context, fn func([]reportRow)) error {
	return m.each(ctx, func(sh *storeShard) bool { fn(sh.rows); return true })
}

// All implements Store.All, shard by shard.
func (m *MemoryStore) All(ctx context.Context, fn func(Application) bool) error {
	return m.each(ctx, func(sh *storeShard) bool {
		for i := range sh.apps {
			if !fn(sh.apps[i]) {
				return false
			}
		}
		return true
	})
}

// each calls visit for each shard under its read lock until visit returns
// false or ctx is done.
func (m *MemoryStore) each(ctx context.Context, visit func(*storeShard) bool) error {
	for i := range m.shards {
		if err := ctx.Err(); err != nil {
			return err
		}
		sh := &m.shards[i]
		sh.mu.RLock()
		more := visit(sh)
		sh.mu.RUnlock()
		if !more {
			return nil
		}
	}
	return ctx.Err()
}

// Len returns the number of applications stored.
func (m *MemoryStore) Len() int {
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.RLock()
		n += len(sh.apps)
		sh.mu.RUnlock()
	}
	return n
}
