package request

import (
	"hash/maphash"
	"slices"
	"sync"
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

// grant is one grant as the index keeps it: by value, with the method,
// scenario and items as keyed hashes, the first few item hashes inline,
// so that a lookup touches the map's slot and nothing else. Its size keeps
// a grantSet within the 128 bytes Go's map stores inline.
type grant struct {
	appID    string
	from, to int64 // Unix nanoseconds, [from, to)
	method   uint64
	scenario uint64
	inline   [inlineItems]uint64 // sorted hashes of the granted items…
	nInline  uint8
	stop     DenyReason // revoked, closed or service ended: why the grant stopped
	ended    bool       // expired, revoked, closed or ended: kept only to explain a denial
	more     []uint64   // …and the rest, sorted, when there are more
}

const inlineItems = 4

// hasItem reports whether the grant covers the item with hash h.
func (gr *grant) hasItem(h uint64) bool {
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

// grantKey is the requester department and the entry, combined from two
// 64-bit keyed hashes (maphash, with a seed drawn per index) into one
// 64-bit key, so that the map takes its fast path for integer keys. Two
// different (department, entry) pairs share a key with probability about
// 2^-64, and the seed is unknown outside the process, so no key can be
// crafted to collide.
type grantKey uint64

// grantSet holds the grants of one key; nearly always just one, so the
// others sit behind a pointer.
type grantSet struct {
	one  grant
	more *[]grant
}

func (gs *grantSet) all(yield func(*grant) bool) {
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

func (gs *grantSet) len() int {
	if gs.more == nil {
		return 1
	}
	return 1 + len(*gs.more)
}

// setOf builds a set from a non-empty list of grants.
func setOf(list []grant) grantSet {
	gs := grantSet{one: list[0]}
	if len(list) > 1 {
		rest := slices.Clone(list[1:])
		gs.more = &rest
	}
	return gs
}

const grantShards = 64

// Grants is the run-time index of grants, answering Authorize without
// touching the store. It is sharded by department and entry, each shard
// behind its own read-write lock, and safe for concurrent use. The Service
// keeps it up to date; Put accepts only newer versions of an application,
// so transitions that finish out of order cannot bring back a revoked
// grant.
type Grants struct {
	seed   maphash.Seed
	shards [grantShards]grantShard
	mu     sync.Mutex
	byApp  map[string]appGrant
}

type appGrant struct {
	version int64
	key     grantKey
	indexed bool
}

type grantShard struct {
	mu    sync.RWMutex
	byKey map[grantKey]grantSet
	_     [40]byte // keep shards on separate cache lines
}

// NewGrants returns an empty index.
func NewGrants() *Grants {
	g := &Grants{seed: maphash.MakeSeed(), byApp: map[string]appGrant{}}
	for i := range g.shards {
		g.shards[i].byKey = map[grantKey]grantSet{}
	}
	return g
}

func (g *Grants) hash(s string) uint64 { return maphash.String(g.seed, s) }

func (g *Grants) key(dept, entry string) grantKey {
	return grantKey(g.hash(dept)*0x9e3779b97f4a7c15 ^ g.hash(entry))
}

func (g *Grants) shard(k grantKey) *grantShard {
	return &g.shards[(uint64(k)>>58)%grantShards]
}

// Put records the grant state of an application: live when Live, kept as
// expired or revoked when Expired or Revoked (so a denial can say so),
// removed otherwise. An older version than the one indexed is ignored.
func (g *Grants) Put(a Application) {
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
		g.byApp[a.ID] = appGrant{version: a.Version}
		return
	}
	gr := grant{appID: a.ID, method: g.hash(string(a.Answer.Method)), scenario: g.hash(a.Elements.Scenario),
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
	if len(hashes) > inlineItems {
		gr.more = hashes[inlineItems:]
	}
	k := g.key(a.Requester.ID(), a.EntryID)
	s := g.shard(k)
	s.mu.Lock()
	gs, ok := s.byKey[k]
	if !ok {
		gs.one = gr
	} else {
		// Readers hold the shard's read lock, so the set is changed in
		// place under the write lock.
		if gs.more == nil {
			gs.more = new([]grant)
		}
		*gs.more = append(*gs.more, gr)
		if gr.ended {
			gs.trimEnded(g)
		}
	}
	s.byKey[k] = gs
	s.mu.Unlock()
	g.byApp[a.ID] = appGrant{version: a.Version, key: k, indexed: true}
}

func (g *Grants) remove(k grantKey, appID string) {
	s := g.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	gs, ok := s.byKey[k]
	if !ok {
		return
	}
	var rest []grant
	for gr := range gs.all {
		if gr.appID != appID {
			rest = append(rest, *gr)
		}
	}
	if len(rest) == 0 {
		delete(s.byKey, k)
		return
	}
	s.byKey[k] = setOf(rest)
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

// trimEnded drops the oldest ended grants beyond maxEnded. It is called
// with the shard's write lock and g.mu held.
func (gs *grantSet) trimEnded(g *Grants) {
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
		var rest []grant
		for gr := range gs.all {
			if gr.appID != oldest {
				rest = append(rest, *gr)
			}
		}
		*gs = setOf(rest)
		g.byApp[oldest] = appGrant{version: v}
		ended--
	}
}

// Len returns the number of grants indexed (live, expired or revoked).
func (g *Grants) Len() int {
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

// maxAccessItems bounds the items one Access may name for the hashes to
// stay on the stack; an access naming more is checked item by item all the
// same, only slower.
const maxAccessItems = 32

// Authorize decides an access from the index: allowed only for the
// requester department of a grant, within its period, for granted items,
// by the approved method and for the approved scenario (R19). It does not
// allocate.
func (g *Grants) Authorize(acc Access) Decision {
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
