package request

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGrantsMatchLegacy folds the same random stream of application
// versions (grants of few departments and entries, so that keys hold
// several grants and tables are rebuilt often; stale versions; every final
// state) into the index and into the pre-issue-16 index kept in
// grants_legacy_test.go, and asks both the same random accesses after each
// step: the decisions, reasons and deciding applications must agree.
func TestGrantsMatchLegacy(t *testing.T) {
	base := reach(t, Active)
	depts := []govshare.Department{welfare, police, outsider, {Name: "目录部门", DirectoryID: "X-1"}}
	entries := []string{"101001/000001", "101001/000002", "101001/000003"}
	items := []string{"姓名", "身份证号", "户籍地址", "出生日期", "民族", "性别"}
	methods := []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange}
	scenarios := []string{"最低生活保障对象资格审核", "临时救助审核"}
	states := []State{Active, Active, Active, Expired, Revoked, Closed, Discontinued, Draft}
	day := func(d int) time.Time { return cst(2026, 1, 1, 0, 0).AddDate(0, 0, d) }
	pick := func(r *rand.Rand, from []string) []string {
		var out []string
		for _, it := range from {
			if r.IntN(2) == 0 {
				out = append(out, it)
			}
		}
		return out
	}
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 16))
		g, ref := NewGrants(), newLegacyGrants()
		versions := map[string]int64{}
		for step := 0; step < 600; step++ {
			a := base.Clone()
			a.ID = fmt.Sprintf("A%d", r.IntN(60))
			v := versions[a.ID] + 1
			if r.IntN(8) == 0 && v > 2 {
				v -= int64(1 + r.IntN(2)) // a stale replica's version
			}
			versions[a.ID] = max(versions[a.ID], v)
			a.Version = v
			// An application keeps its requester and entry.
			n := 0
			for _, c := range a.ID[1:] {
				n = n*10 + int(c-'0')
			}
			a.Requester, a.EntryID = depts[n%len(depts)], entries[(n/len(depts))%len(entries)]
			a.State = states[r.IntN(len(states))]
			a.Answer.Items = pick(r, items)
			a.Answer.Method = methods[r.IntN(len(methods))]
			a.Elements.Scenario = scenarios[r.IntN(len(scenarios))]
			from := r.IntN(300)
			a.Answer.Period = UsePeriod{From: day(from), To: day(from + 1 + r.IntN(100))}
			a.UpdatedAt = day(from + r.IntN(100))
			g.Put(a)
			ref.Put(a)
			require.Equal(t, ref.Len(), g.Len(), "seed %d step %d", seed, step)
			for q := 0; q < 8; q++ {
				acc := Access{Department: depts[r.IntN(len(depts))], EntryID: entries[r.IntN(len(entries))],
					Items: pick(r, items), Method: methods[r.IntN(len(methods))], Scenario: scenarios[r.IntN(len(scenarios))],
					At: day(r.IntN(420)).Add(time.Duration(r.IntN(24)) * time.Hour)}
				require.Equal(t, ref.Authorize(acc), g.Authorize(acc), "seed %d step %d access %+v", seed, step, acc)
			}
		}
	}
}

// A version older than the one indexed, or the same one again, changes
// nothing: a replica that lags behind cannot bring back a revoked grant,
// nor one that left the grant states.
func TestGrantsIgnoreStaleVersions(t *testing.T) {
	g := NewGrants()
	live := reach(t, Active)
	acc := Access{Department: welfare, EntryID: live.EntryID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: live.Elements.Scenario, At: cst(2026, 10, 25, 9, 0)}
	g.Put(live)
	require.True(t, g.Authorize(acc).Allowed)

	revoked := live.Clone()
	revoked.State, revoked.Version = Revoked, live.Version+2
	g.Put(revoked)
	assert.Equal(t, GrantRevoked, g.Authorize(acc).Reason)
	stale := live.Clone()
	stale.Version = live.Version + 1
	g.Put(stale)
	assert.Equal(t, GrantRevoked, g.Authorize(acc).Reason, "an older version is ignored")
	again := live.Clone()
	again.Version = revoked.Version
	g.Put(again)
	assert.Equal(t, GrantRevoked, g.Authorize(acc).Reason, "the same version is ignored")
	assert.Equal(t, 1, g.Len())

	// Leaving the grant states removes the record; an older live version
	// does not restore it.
	gone := live.Clone()
	gone.State, gone.Version = Draft, revoked.Version+1
	g.Put(gone)
	assert.Equal(t, NoGrant, g.Authorize(acc).Reason)
	g.Put(stale)
	assert.Equal(t, NoGrant, g.Authorize(acc).Reason)
	assert.Equal(t, 0, g.Len())
}

// Readers search the index without a lock while a writer revokes and
// re-grants thousands of grants (rebuilding tables as they fill with dead
// records): a grant that is never touched stays allowed throughout, and a
// decision is always one the grant's history allows. Run with -race.
func TestGrantsConcurrentReaders(t *testing.T) {
	g := NewGrants()
	base := reach(t, Active)
	acc := func(i int) Access {
		return Access{Department: welfare, EntryID: fmt.Sprintf("101001/%06d", i), Items: []string{"姓名"},
			Method: govshare.ServiceAPI, Scenario: base.Elements.Scenario, At: cst(2026, 10, 25, 9, 0)}
	}
	app := func(i int, v int64, s State) Application {
		a := base.Clone()
		a.ID, a.EntryID, a.Version, a.State = fmt.Sprintf("C%d", i), fmt.Sprintf("101001/%06d", i), v, s
		return a
	}
	const n = 2000
	for i := 0; i < n; i++ {
		g.Put(app(i, 1, Active))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var bad atomic.Int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for j := 0; !stop.Load(); j++ {
				// Entry 0 is never changed.
				if d := g.Authorize(acc(0)); !d.Allowed || d.AppID != "C0" {
					bad.Add(1)
				}
				i := 1 + (j*7+w)%(n-1)
				if d := g.Authorize(acc(i)); !d.Allowed && d.Reason != GrantRevoked || d.AppID != fmt.Sprintf("C%d", i) {
					bad.Add(1)
				}
			}
		}(w)
	}
	for v := int64(2); v < 8; v++ {
		for i := 1; i < n; i++ {
			s := Active
			if v%2 == 0 {
				s = Revoked
			}
			g.Put(app(i, v, s))
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, bad.Load(), "decisions that no state of the index gave")
	assert.Equal(t, n, g.Len())
	assert.True(t, g.Authorize(acc(n-1)).Allowed, "the last version is live")
}
