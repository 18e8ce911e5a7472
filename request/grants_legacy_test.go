package request

// This file keeps the grant index as it was before issue 16 (64 sharded Go
// maps of 128-byte values behind read-write locks), unchanged but for its
// names and one fix in Put (marked), as the baseline of BenchmarkAuthorize and the reference of
// TestGrantsMatchLegacy.

import (
	"hash/maphash"
	"slices"
	"sync"

	"github.com/govshare/govshare"
)

// legacyGrant is one legacyGrant as the index keeps it: by value, with the method,
// scenario and items as keyed hashes, the first few item hashes inline,
// so that a lookup touches the map's slot and nothing else. Its size keeps
// a legacySet within the 128 bytes Go's map stores inline.
type legacyGrant struct {
	appID    string
	from, to int64 // Unix nanoseconds, [from, to)
	method   uint64
	scenario uint64
	inline   [legacyInline]uint64 // sorted hashes of the granted items…
	nInline  uint8
	stop     DenyReason // revoked, closed or service ended: why the legacyGrant stopped
	ended    bool       // expired, revoked, closed or ended: kept only to explain a denial
	more     []uint64   // …and the rest, sorted, when there are more
}

const legacyInline = 4

// hasItem reports whether the legacyGrant covers the item with hash h.
func (gr *legacyGrant) hasItem(h uint64) bool {
	for _, x := range gr.inline[:gr.nInline] {
		if x == h {
			return true
		}
	}
	if len(gr.more) == 0 {
		return false
	}
	_, ok := slices.BinarySearch(gr.more, h)
	return ok
}

// legacySet holds the grants of one key; nearly always just one, so the
// others sit behind a pointer.
type legacySet struct {
	one  legacyGrant
	more *[]legacyGrant
}

func (gs *legacySet) all(yield func(*legacyGrant) bool) {
	if !yield(&gs.one) {
		return
	}
	if gs.more == nil {
		return
	}
	for i := range *gs.more {
		if !yield(&(*gs.more)[i]) {
			return
		}
	}
}

func (gs *legacySet) len() int {
	if gs.more == nil {
		return 1
	}
	return 1 + len(*gs.more)
}

// legacySetOf builds a set from a non-empty list of grants.
func legacySetOf(list []legacyGrant) legacySet {
	gs := legacySet{one: list[0]}
	if len(list) > 1 {
		rest := slices.Clone(list[1:])
		gs.more = &rest
	}
	return gs
}

const legacyShards = 64

// legacyGrants is the run-time index of grants, answering Authorize without
// touching the store. It is sharded by department and entry, each shard
// behind its own read-write lock, and safe for concurrent use. The Service
// keeps it up to date; Put accepts only newer versions of an application,
// so transitions that finish out of order cannot bring back a revoked
// legacyGrant.
type legacyGrants struct {
	seed   maphash.Seed
	shards [legacyShards]legacyShard
	mu     sync.Mutex
	byApp  map[string]legacyAppGrant
}

type legacyAppGrant struct {
	version int64
	key     grantKey
	indexed bool
}

type legacyShard struct {
	mu    sync.RWMutex
	byKey map[grantKey]legacySet
	_     [40]byte // keep shards on separate cache lines
}

// newLegacyGrants returns an empty index.
func newLegacyGrants() *legacyGrants {
	g := &legacyGrants{seed: maphash.MakeSeed(), byApp: map[string]legacyAppGrant{}}
	for i := range g.shards {
		g.shards[i].byKey = map[grantKey]legacySet{}
	}
	return g
}

func (g *legacyGrants) hash(s string) uint64 { return maphash.String(g.seed, s) }

func (g *legacyGrants) key(dept, entry string) grantKey {
	return grantKey(g.hash(dept)*0x9e3779b97f4a7c15 ^ g.hash(entry))
}

func (g *legacyGrants) shard(k grantKey) *legacyShard {
	return &g.shards[(uint64(k)>>58)%legacyShards]
}

// Put records the legacyGrant state of an application: live when Live, kept as
// expired or revoked when Expired or Revoked (so a denial can say so),
// removed otherwise. An older version than the one indexed is ignored.
func (g *legacyGrants) Put(a Application) {
	g.mu.Lock()
	defer g.mu.Unlock()
	old, had := g.byApp[a.ID]
	if had && old.version >= a.Version {
		return
	}
	if had && old.indexed {
		g.remove(old.key, a.ID)
	}
	provided := a.Answer != nil && a.Answer.Agreed && len(a.Deliveries) > 0
	ended := stopReasons[a.State]
	if !a.Live() && !(provided && ended.ok) {
		g.byApp[a.ID] = legacyAppGrant{version: a.Version}
		return
	}
	gr := legacyGrant{appID: a.ID, method: g.hash(string(a.Answer.Method)), scenario: g.hash(a.Elements.Scenario),
		from: a.Answer.Period.From.UnixNano(), to: a.Answer.Period.To.UnixNano(), stop: ended.reason}
	if a.State == Expired {
		gr.to = min(gr.to, a.UpdatedAt.UnixNano())
	}
	gr.ended = ended.ok
	hashes := make([]uint64, 0, len(a.Answer.Items))
	for _, it := range a.Answer.Items {
		hashes = append(hashes, g.hash(it))
	}
	slices.Sort(hashes)
	gr.nInline = uint8(copy(gr.inline[:], hashes))
	if len(hashes) > legacyInline {
		gr.more = hashes[legacyInline:]
	}
	k := g.key(a.Requester.ID(), a.EntryID)
	// Changed from the original: the application's new version is
	// recorded before trimEnded, which compares versions, so that the
	// latest ended grants are the ones kept (the original compared the new
	// grant by its previous version, 0 for a new application, and so
	// dropped the newest first).
	g.byApp[a.ID] = legacyAppGrant{version: a.Version, key: k, indexed: true}
	s := g.shard(k)
	s.mu.Lock()
	gs, ok := s.byKey[k]
	if !ok {
		gs.one = gr
	} else {
		// Readers hold the shard's read lock, so the set is changed in
		// place under the write lock.
		if gs.more == nil {
			gs.more = new([]legacyGrant)
		}
		*gs.more = append(*gs.more, gr)
		if gr.ended {
			gs.trimEnded(g)
		}
	}
	s.byKey[k] = gs
	s.mu.Unlock()
}

func (g *legacyGrants) remove(k grantKey, appID string) {
	s := g.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	gs, ok := s.byKey[k]
	if !ok {
		return
	}
	var rest []legacyGrant
	for gr := range gs.all {
		if gr.appID != appID {
			rest = append(rest, *gr)
		}
	}
	if len(rest) == 0 {
		delete(s.byKey, k)
		return
	}
	s.byKey[k] = legacySetOf(rest)
}

// trimEnded drops the oldest ended grants beyond maxEnded. It is called
// with the shard's write lock and g.mu held.
func (gs *legacySet) trimEnded(g *legacyGrants) {
	ended := 0
	for gr := range gs.all {
		if gr.ended {
			ended++
		}
	}
	for ended > maxEnded {
		oldest := ""
		var v int64 = -1
		for gr := range gs.all {
			if gv := g.byApp[gr.appID].version; gr.ended && (v < 0 || gv < v) {
				oldest, v = gr.appID, gv
			}
		}
		var rest []legacyGrant
		for gr := range gs.all {
			if gr.appID != oldest {
				rest = append(rest, *gr)
			}
		}
		*gs = legacySetOf(rest)
		g.byApp[oldest] = legacyAppGrant{version: v}
		ended--
	}
}

// Len returns the number of grants indexed (live, expired or revoked).
func (g *legacyGrants) Len() int {
	n := 0
	for i := range g.shards {
		s := &g.shards[i]
		s.mu.RLock()
		for _, gs := range s.byKey {
			n += gs.len()
		}
		s.mu.RUnlock()
	}
	return n
}

// Authorize decides an access from the index: allowed only for the
// requester department of a legacyGrant, within its period, for granted items,
// by the approved method and for the approved scenario (R19). It does not
// allocate.
func (g *legacyGrants) Authorize(acc Access) Decision {
	dept := acc.Department.ID()
	if dept == "" {
		return Decision{Reason: NoGrant}
	}
	if !govshare.InRange(acc.At) {
		return Decision{Reason: BadInstant}
	}
	k := g.key(dept, acc.EntryID)
	var buf [maxAccessItems]uint64
	items := buf[:0]
	for _, it := range acc.Items {
		if len(items) == maxAccessItems {
			break
		}
		items = append(items, g.hash(it))
	}
	method, scenario := g.hash(string(acc.Method)), g.hash(acc.Scenario)
	at := acc.At.UnixNano()

	s := g.shard(k)
	s.mu.RLock()
	defer s.mu.RUnlock()
	gs, ok := s.byKey[k]
	if !ok {
		return Decision{Reason: NoGrant}
	}
	best, bestFit := Decision{Reason: NoGrant}, -1
	for gr := range gs.all {
		r := gr.check(at, method, scenario, items)
		if r == Allowed && len(acc.Items) > maxAccessItems {
			r = gr.checkRest(g, acc.Items[maxAccessItems:])
		}
		if r == Allowed {
			return Decision{Allowed: true, AppID: gr.appID}
		}
		// Report the legacyGrant that fits the access best (items, method,
		// scenario), and among equals the one that failed latest: a
		// revoked legacyGrant for exactly these items says more than another
		// legacyGrant for other items.
		if fit := gr.fit(method, scenario, items); fit > bestFit || (fit == bestFit && closeness[r] > closeness[best.Reason]) {
			best, bestFit = Decision{Reason: r, AppID: gr.appID}, fit
		}
	}
	return best
}

// fit counts which of method, scenario and items the legacyGrant matches.
func (gr *legacyGrant) fit(method, scenario uint64, items []uint64) int {
	n := 0
	if method == gr.method {
		n++
	}
	if scenario == gr.scenario {
		n++
	}
	if len(items) > 0 && gr.coversItems(items) {
		n++
	}
	return n
}

func (gr *legacyGrant) coversItems(items []uint64) bool {
	for _, it := range items {
		if !gr.hasItem(it) {
			return false
		}
	}
	return true
}

func (gr *legacyGrant) checkRest(g *legacyGrants, names []string) DenyReason {
	for _, it := range names {
		if !gr.hasItem(g.hash(it)) {
			return ItemNotGranted
		}
	}
	return Allowed
}

// check returns why the legacyGrant does not cover the access, or Allowed. The
// order of the checks gives the reason a caller sees first.
func (gr *legacyGrant) check(at int64, method, scenario uint64, items []uint64) DenyReason {
	switch {
	case gr.stop != 0:
		return gr.stop
	case at >= gr.to:
		return GrantExpired
	case at < gr.from:
		return NotYetValid
	case method != gr.method:
		return WrongMethod
	case scenario != gr.scenario:
		return WrongScenario
	case len(items) == 0 || !gr.coversItems(items):
		return ItemNotGranted
	}
	return Allowed
}
