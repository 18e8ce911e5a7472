package request

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// Access is one access a data gateway asks about: a department reading
// items of a catalog entry by a method, for a scenario, at an instant.
type Access struct {
	Department govshare.Department  `json:"department"`
	EntryID    string               `json:"entry_id"`
	Items      []string             `json:"items"`
	Method     govshare.ShareMethod `json:"method"`
	Scenario   string               `json:"scenario"`
	At         time.Time            `json:"at"`
}

// DenyReason says why an access is denied. The zero value, Allowed,
// allows it.
type DenyReason uint8

// The reasons.
const (
	// Allowed: an active grant covers the access.
	Allowed DenyReason = iota
	// NoGrant: the department holds no grant for the entry (unknown
	// department or entry).
	NoGrant
	// GrantExpired: the grant's period of use has ended (R19).
	GrantExpired
	// NotYetValid: the grant's period of use has not begun (R19).
	NotYetValid
	// GrantRevoked: the grant was revoked (R17, R19).
	GrantRevoked
	// ItemNotGranted: an item asked for is not among those granted (R19).
	ItemNotGranted
	// WrongMethod: the method is not the one approved (R13, R19).
	WrongMethod
	// WrongScenario: the purpose is not the approved scenario (R19).
	WrongScenario
	// BadInstant: the access instant is outside the supported range
	// (govshare.MinInstant to MaxInstant).
	BadInstant
	// GrantClosed: the requester ended the grant, its purpose achieved (R22).
	GrantClosed
	// ServiceEnded: the provider ended the service it had announced (R23).
	ServiceEnded
	// StaleIndex: this replica's grant index could not confirm it is
	// current within the bound of Service.Follow (see WithStaleAfter), so
	// it denies rather than risk allowing a revoked grant.
	StaleIndex
)

var denyReasons = textcode.Table[DenyReason]{
	{Value: Allowed, Code: "allowed", Zh: "允许", En: "allowed"},
	{Value: NoGrant, Code: "no_grant", Zh: "无共享授权", En: "no grant for this department and entry"},
	{Value: GrantExpired, Code: "expired", Zh: "使用时限已届满", En: "the period of use has ended"},
	{Value: NotYetValid, Code: "not_yet_valid", Zh: "使用时限尚未开始", En: "the period of use has not begun"},
	{Value: GrantRevoked, Code: "revoked", Zh: "共享已终止", En: "the grant was revoked"},
	{Value: ItemNotGranted, Code: "item_not_granted", Zh: "数据项未获授权", En: "an item is not granted"},
	{Value: WrongMethod, Code: "wrong_method", Zh: "共享方式不符", En: "not the approved method"},
	{Value: WrongScenario, Code: "wrong_scenario", Zh: "使用场景不符", En: "not the approved scenario"},
	{Value: BadInstant, Code: "bad_instant", Zh: "访问时间超出支持范围", En: "the access instant is outside the supported range"},
	{Value: GrantClosed, Code: "closed", Zh: "共享已结束（共享目的已实现）", En: "the grant was closed, its purpose achieved"},
	{Value: ServiceEnded, Code: "service_ended", Zh: "提供部门已终止服务", En: "the provider ended the service"},
	{Value: StaleIndex, Code: "stale_index", Zh: "授权索引未能及时同步，暂不允许访问", En: "the grant index could not confirm it is current; access is denied until it catches up"},
}

// Code returns the stable code, e.g. item_not_granted.
func (r DenyReason) Code() string { e, _ := denyReasons.Lookup(r); return e.Code }

// String returns the Chinese term.
func (r DenyReason) String() string { return textcode.String(denyReasons, "DenyReason", r) }

// English returns the English explanation.
func (r DenyReason) English() string { return textcode.English(denyReasons, r) }

// MarshalText returns the stable code, e.g. no_grant (allowed for Allowed).
func (r DenyReason) MarshalText() ([]byte, error) {
	return textcode.Marshal(denyReasons, "deny reason", r)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (r *DenyReason) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(denyReasons, "deny reason", text, r)
}

// Decision is the answer to an Access.
type Decision struct {
	Allowed bool `json:"allowed"`
	// Reason is Allowed or why the access is denied; when several grants
	// come close, the reason of the one that came closest.
	Reason DenyReason `json:"reason"`
	// AppID is the application whose grant decided, if any.
	AppID string `json:"app_id,omitempty"`
}

// grant is one grant as the index keeps it: a 96-byte record in an
// open-addressed table, holding the key, the period, the method, scenario
// and first items as keyed hashes and the application's ID, so that an
// allowed lookup reads one record (two adjacent cache lines) and nothing
// else. A grant of more than inlineItems items keeps the rest behind rest.
//
// A record is written once, before its key is published (an atomic store
// into an empty slot), and never changed afterwards but for its key, which
// a removal sets to deadKey; so readers read a record without a lock.
type grant struct {
	key uint64 // read and written atomically: emptyKey, deadKey or the grantKey
	grantRecord
}

// grantRecord is a grant's record but for its key.
type grantRecord struct {
	from, to int64 // Unix nanoseconds, [from, to)
	method   uint64
	scenario uint64
	appID    string
	inline   [inlineItems]uint64 // the smallest hashes of the granted items, sorted…
	rest     *[]uint64           // …and the others, sorted, when there are more
	nInline  uint8
	stop     DenyReason // revoked, closed or service ended: why the grant stopped
	ended    bool       // expired, revoked, closed or ended: kept only to explain a denial
}

const inlineItems = 3

// The key of a free slot and of a removed record; grant keys are never
// either (see Grants.key).
const (
	emptyKey = 0
	deadKey  = 1
)

// hasItem reports whether the grant covers the item with hash h.
func (gr *grant) hasItem(h uint64) bool {
	for _, x := range gr.inline[:gr.nInline] {
		if x == h {
			return true
		}
	}
	if gr.rest == nil {
		return false
	}
	_, ok := slices.BinarySearch(*gr.rest, h)
	return ok
}

// grantKey is the requester department and the entry, combined from two
// 64-bit keyed hashes (maphash, with a seed drawn per index) into one
// 64-bit key. Two different (department, entry) pairs share a key with
// probability about 2^-64, and the seed is unknown outside the process, so
// no key can be crafted to collide.
type grantKey uint64

// grantTable is one shard's open-addressed table (linear probing). Readers
// load it through an atomic pointer; the writer fills free slots and marks
// removed records dead in place, and replaces the whole table by a rebuilt
// one when free slots run short.
type grantTable struct {
	slots []grant
	used  int // live and dead records (the writer's count)
}

// home returns the slot a key's probe starts at (the key's low bits: the
// high ones chose the shard).
func (t *grantTable) home(k grantKey) int {
	hi, _ := bits.Mul64(uint64(k)<<grantShardBits, uint64(len(t.slots)))
	return int(hi)
}

const (
	grantShardBits = 8
	grantShards    = 1 << grantShardBits
	// A table is rebuilt when an insertion would fill more than
	// maxLoadPct of its slots with live and dead records, to hold the live
	// ones at about rebuildLoadPct.
	maxLoadPct     = 80
	rebuildLoadPct = 60
	minTableSlots  = 8
)

// Grants is the run-time index of grants, answering Authorize without
// touching the store. It is sharded by department and entry, each shard an
// open-addressed table of compact records that readers search without a
// lock; writers (Put) take one mutex. It is safe for concurrent use. The
// Service keeps it up to date; Put accepts only newer versions of an
// application, so transitions that finish out of order cannot bring back a
// revoked grant.
type Grants struct {
	seed   maphash.Seed
	shards [grantShards]atomic.Pointer[grantTable]
	mu     sync.Mutex // held by writers
	byApp  map[string]appGrant
	live   int
}

type appGrant struct {
	version int64
	key     grantKey
	indexed bool
}

// NewGrants returns an empty index.
func NewGrants() *Grants {
	return &Grants{seed: maphash.MakeSeed(), byApp: map[string]appGrant{}}
}

func (g *Grants) hash(s string) uint64 { return maphash.String(g.seed, s) }

// deptHash hashes the department's identity, govshare.Department.ID,
// without building it: "dir:" and a directory id are written to the hash
// in two parts, which maphash hashes as their concatenation. false: the
// department identifies nothing.
func (g *Grants) deptHash(d govshare.Department) (uint64, bool) {
	switch {
	case d.CreditCode != "":
		id := d.ID() // the code itself, or "" for one that cannot be a code
		return g.hash(id), id != ""
	case d.DirectoryID != "":
		var h maphash.Hash
		h.SetSeed(g.seed)
		h.WriteString(govshare.DirectoryPrefix)
		h.WriteString(d.DirectoryID)
		return h.Sum64(), true
	}
	return 0, false
}

func (g *Grants) key(dept uint64, entry string) grantKey {
	k := dept*0x9e3779b97f4a7c15 ^ g.hash(entry)
	if k <= deadKey {
		k += deadKey + 1
	}
	return grantKey(k)
}

func (g *Grants) shard(k grantKey) *atomic.Pointer[grantTable] {
	return &g.shards[uint64(k)>>(64-grantShardBits)]
}

// Put records the grant state of an application: live when Live, kept as
// expired or revoked when Expired or Revoked (so a denial can say so),
// removed otherwise. An older version than the one indexed is ignored,
// and so is the version indexed arriving again: a stale replica never
// brings back a revoked grant.
func (g *Grants) Put(a Application) {
	g.mu.Lock()
	defer g.mu.Unlock()
	old, had := g.byApp[a.ID]
	if had && old.version >= a.Version {
		return
	}
	provided := a.Answer != nil && a.Answer.Agreed && len(a.Deliveries) > 0
	ended := stopReasons[a.State]
	if !a.Live() && !(provided && ended.ok) {
		if had && old.indexed {
			g.remove(old.key, a.ID, nil)
		}
		g.byApp[a.ID] = appGrant{version: a.Version}
		return
	}
	gr := grant{grantRecord: grantRecord{appID: a.ID, method: g.hash(string(a.Answer.Method)), scenario: g.hash(a.Elements.Scenario),
		from: a.Answer.Period.From.UnixNano(), to: a.Answer.Period.To.UnixNano(), stop: ended.reason}}
	if a.State == Expired {
		gr.to = min(gr.to, a.UpdatedAt.UnixNano())
	}
	gr.ended = ended.ok
	hashes := make([]uint64, 0, len(a.Answer.Items))
	for _, it := range a.Answer.Items {
		hashes = append(hashes, g.hash(it))
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	gr.nInline = uint8(copy(gr.inline[:], hashes))
	if len(hashes) > inlineItems {
		rest := slices.Clip(hashes[inlineItems:])
		gr.rest = &rest
	}
	dh, _ := g.deptHash(a.Requester)
	k := g.key(dh, a.EntryID)
	// The new record goes in before the old one goes out: a reader in
	// between sees both, as it would have before or after.
	placed := g.insert(k, &gr)
	g.byApp[a.ID] = appGrant{version: a.Version, key: k, indexed: true}
	if had && old.indexed {
		g.remove(old.key, a.ID, placed)
	}
	if gr.ended {
		g.trimEnded(k)
	}
}

// insert adds a record for key k, rebuilding the shard's table first if it
// is too full, and returns the slot it took. Called with g.mu held.
func (g *Grants) insert(k grantKey, gr *grant) *grant {
	p := g.shard(k)
	t := p.Load()
	if t == nil || (t.used+1)*100 > len(t.slots)*maxLoadPct {
		t = t.rebuilt(1)
		p.Store(t)
	}
	gr.key = uint64(k)
	g.live++
	return t.place(gr)
}

// place writes a record into the first free slot of its probe and then
// publishes its key, so that a reader that sees the key sees the record.
func (t *grantTable) place(gr *grant) *grant {
	n := len(t.slots)
	for i := t.home(grantKey(gr.key)); ; i++ {
		if i == n {
			i = 0
		}
		s := &t.slots[i]
		if s.key != emptyKey {
			continue
		}
		s.grantRecord = gr.grantRecord
		atomic.StoreUint64(&s.key, gr.key)
		t.used++
		return s
	}
}

// rebuilt returns a new table holding t's live records, sized for them and
// extra more at rebuildLoadPct. The records of one key keep their order
// (the order in which Authorize tries them): the copy starts after a free
// slot, where no probe sequence runs across.
func (t *grantTable) rebuilt(extra int) *grantTable {
	live := extra
	if t != nil {
		for i := range t.slots {
			if t.slots[i].key > deadKey {
				live++
			}
		}
	}
	n := max(minTableSlots, live*100/rebuildLoadPct+1)
	nt := &grantTable{slots: make([]grant, n)}
	if t == nil {
		return nt
	}
	start := 0
	for i := range t.slots {
		if t.slots[i].key == emptyKey {
			start = i
			break
		}
	}
	for j := 1; j <= len(t.slots); j++ {
		s := &t.slots[(start+j)%len(t.slots)]
		if s.key > deadKey {
			gr := *s
			nt.place(&gr)
		}
	}
	return nt
}

// records calls fn for each live record of key k, in probe order. Called
// with g.mu held.
func (g *Grants) records(k grantKey, fn func(*grant)) {
	t := g.shard(k).Load()
	if t == nil {
		return
	}
	n := len(t.slots)
	for i, seen := t.home(k), 0; seen < n; i, seen = i+1, seen+1 {
		if i == n {
			i = 0
		}
		s := &t.slots[i]
		if s.key == emptyKey {
			return
		}
		if s.key == uint64(k) {
			fn(s)
		}
	}
}

// remove marks the record of the application under key k dead, but for
// the record keep (its new one). Called with g.mu held.
func (g *Grants) remove(k grantKey, appID string, keep *grant) {
	g.records(k, func(s *grant) {
		if s != keep && s.appID == appID {
			atomic.StoreUint64(&s.key, deadKey)
			g.live--
		}
	})
}

// stopReasons are the final states a grant ends in and the reason a
// denial gives (an expired grant's reason follows from its period).
var stopReasons = map[State]struct {
	ok     bool
	reason DenyReason
}{
	Expired:      {true, 0},
	Revoked:      {true, GrantRevoked},
	Closed:       {true, GrantClosed},
	Discontinued: {true, ServiceEnded},
}

// maxEnded bounds the expired or revoked grants kept per department and
// entry: enough to say why a recent grant no longer allows access, not a
// history (the store and the audit log keep that).
const maxEnded = 4

// trimEnded drops the ended grants of key k with the oldest versions
// beyond maxEnded. Called with g.mu held.
func (g *Grants) trimEnded(k grantKey) {
	for {
		ended := 0
		var oldest *grant
		var v int64 = -1
		g.records(k, func(s *grant) {
			if !s.ended {
				return
			}
			ended++
			if gv := g.byApp[s.appID].version; v < 0 || gv < v {
				oldest, v = s, gv
			}
		})
		if ended <= maxEnded {
			return
		}
		atomic.StoreUint64(&oldest.key, deadKey)
		g.live--
		g.byApp[oldest.appID] = appGrant{version: v}
	}
}

// Len returns the number of grants indexed (live, expired or revoked).
func (g *Grants) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.live
}

// maxAccessItems bounds the items one Access may name for the hashes to
// stay on the stack; an access naming more is checked item by item all the
// same, only slower.
const maxAccessItems = 32

// Authorize decides an access from the index: allowed only for the
// requester department of a grant, within its period, for granted items,
// by the approved method and for the approved scenario (R19). It takes no
// lock and does not allocate.
func (g *Grants) Authorize(acc Access) Decision {
	dept, ok := g.deptHash(acc.Department)
	if !ok {
		return Decision{Reason: NoGrant}
	}
	if !govshare.InRange(acc.At) {
		return Decision{Reason: BadInstant}
	}
	k := g.key(dept, acc.EntryID)
	t := g.shard(k).Load()
	if t == nil {
		return Decision{Reason: NoGrant}
	}
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

	best, bestFit := Decision{Reason: NoGrant}, -1
	n := len(t.slots)
	for i, seen := t.home(k), 0; seen < n; i, seen = i+1, seen+1 {
		if i == n {
			i = 0
		}
		gr := &t.slots[i]
		sk := atomic.LoadUint64(&gr.key)
		if sk == emptyKey {
			break
		}
		if sk != uint64(k) {
			continue
		}
		r := gr.check(at, method, scenario, items)
		if r == Allowed && len(acc.Items) > maxAccessItems {
			r = gr.checkRest(g, acc.Items[maxAccessItems:])
		}
		if r == Allowed {
			return Decision{Allowed: true, AppID: gr.appID}
		}
		// Report the grant that fits the access best (items, method,
		// scenario), and among equals the one that failed latest: a
		// revoked grant for exactly these items says more than another
		// grant for other items.
		if fit := gr.fit(method, scenario, items); fit > bestFit || (fit == bestFit && closeness[r] > closeness[best.Reason]) {
			best, bestFit = Decision{Reason: r, AppID: gr.appID}, fit
		}
	}
	return best
}

// fit counts which of method, scenario and items the grant matches.
func (gr *grant) fit(method, scenario uint64, items []uint64) int {
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

func (gr *grant) coversItems(items []uint64) bool {
	for _, it := range items {
		if !gr.hasItem(it) {
			return false
		}
	}
	return true
}

func (gr *grant) checkRest(g *Grants, names []string) DenyReason {
	for _, it := range names {
		if !gr.hasItem(g.hash(it)) {
			return ItemNotGranted
		}
	}
	return Allowed
}

// closeness ranks reasons by how late check finds them.
var closeness = [...]int{BadInstant: 0, NoGrant: 0, GrantRevoked: 1, GrantClosed: 1, ServiceEnded: 1, GrantExpired: 2, NotYetValid: 3, WrongMethod: 4, WrongScenario: 5, ItemNotGranted: 6, Allowed: 7}

// check returns why the grant does not cover the access, or Allowed. The
// order of the checks gives the reason a caller sees first.
func (gr *grant) check(at int64, method, scenario uint64, items []uint64) DenyReason {
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
