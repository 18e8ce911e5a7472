package request

import (
	"fmt"
	"testing"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
)

func TestGrantsIndex(t *testing.T) {
	g := NewGrants()
	base := reach(t, Active)

	// Two grants of one department for one entry: different items.
	a := base.Clone()
	a.ID, a.Answer.Items = "G-A", []string{"姓名"}
	b := base.Clone()
	b.ID, b.Answer.Items = "G-B", []string{"户籍地址"}
	g.Put(a)
	g.Put(b)
	assert.Equal(t, 2, g.Len())
	acc := Access{Department: welfare, EntryID: base.EntryID, Method: govshare.ServiceAPI, Scenario: base.Elements.Scenario, At: cst(2026, 10, 25, 9, 0)}
	acc.Items = []string{"户籍地址"}
	d := g.Authorize(acc)
	assert.True(t, d.Allowed)
	assert.Equal(t, "G-B", d.AppID)
	acc.Items = []string{"姓名", "户籍地址"}
	assert.Equal(t, ItemNotGranted, g.Authorize(acc).Reason, "no single grant covers both")

	// An older version arriving late is ignored; a newer revoked one wins.
	revoked := b.Clone()
	revoked.State, revoked.Version = Revoked, b.Version+1
	g.Put(revoked)
	g.Put(b)
	acc.Items = []string{"户籍地址"}
	assert.Equal(t, GrantRevoked, g.Authorize(acc).Reason)
	acc.Items = []string{"姓名"}
	assert.True(t, g.Authorize(acc).Allowed, "the other grant is untouched")

	// Leaving the grant states removes it from the index.
	gone := a.Clone()
	gone.State, gone.Version = InCoordination, a.Version+1
	gone.Objections = []Objection{{From: Approved}}
	g.Put(gone)
	assert.Equal(t, 1, g.Len())

	// An access naming more items than fit on the stack is still checked
	// item by item.
	many := base.Clone()
	many.ID = "G-M"
	many.Answer.Items = nil
	for i := 0; i < 40; i++ {
		many.Answer.Items = append(many.Answer.Items, fmt.Sprintf("项%02d", i))
	}
	many.EntryID = "101001/000777"
	g.Put(many)
	acc = Access{Department: welfare, EntryID: many.EntryID, Method: govshare.ServiceAPI, Scenario: base.Elements.Scenario,
		At: cst(2026, 10, 25, 9, 0), Items: many.Answer.Items}
	assert.True(t, g.Authorize(acc).Allowed)
	acc.Items = append(append([]string(nil), many.Answer.Items...), "未授权项")
	assert.Equal(t, ItemNotGranted, g.Authorize(acc).Reason)

	assert.Equal(t, NoGrant, g.Authorize(Access{EntryID: many.EntryID}).Reason, "no department")
}

// Ended grants are kept to explain denials, but only the latest few per
// department and entry.
func TestGrantsKeepFewEndedGrants(t *testing.T) {
	g := NewGrants()
	base := reach(t, Active)
	for i := 0; i < 10; i++ {
		a := base.Clone()
		a.ID = fmt.Sprintf("E-%d", i)
		a.Version = int64(10 + i)
		a.State = Expired
		g.Put(a)
	}
	assert.Equal(t, maxEnded, g.Len())
	live := base.Clone()
	live.ID = "L"
	g.Put(live)
	assert.Equal(t, maxEnded+1, g.Len())
	acc := Access{Department: welfare, EntryID: base.EntryID, Items: []string{"姓名"}, Method: govshare.ServiceAPI,
		Scenario: base.Elements.Scenario, At: cst(2026, 10, 25, 9, 0)}
	assert.True(t, g.Authorize(acc).Allowed)
	// A dropped ended grant coming back in an older version stays dropped.
	old := base.Clone()
	old.ID, old.Version, old.State = "E-0", 5, Expired
	g.Put(old)
	assert.Equal(t, maxEnded+1, g.Len())
}

// A department known by its directory id only: its grant is found, one
// with the same text as a credit code is not the same department, and
// Authorize allocates for neither kind of identity.
func TestGrantsDirectoryDepartment(t *testing.T) {
	g := NewGrants()
	dir := govshare.Department{Name: "某县民政局", DirectoryID: "D-330122-07"}
	a := reach(t, Active).Clone()
	a.ID, a.Requester = "G-DIR", dir
	g.Put(a)
	acc := Access{Department: dir, EntryID: a.EntryID, Items: a.Answer.Items[:1], Method: govshare.ServiceAPI,
		Scenario: a.Elements.Scenario, At: cst(2026, 10, 25, 9, 0)}
	if d := g.Authorize(acc); !d.Allowed || d.AppID != "G-DIR" {
		t.Fatalf("the directory department's own grant: %+v", d)
	}
	forged := acc
	forged.Department = govshare.Department{Name: "某县民政局", CreditCode: "dir:D-330122-07"}
	assert.Equal(t, NoGrant, g.Authorize(forged).Reason, "a credit code spelling the directory identity")
	other := acc
	other.Department = govshare.Department{Name: "某县民政局", DirectoryID: "D-330122-08"}
	assert.Equal(t, NoGrant, g.Authorize(other).Reason)
	for _, dept := range []govshare.Department{dir, welfare} {
		acc.Department = dept
		if n := testing.AllocsPerRun(100, func() { g.Authorize(acc) }); n != 0 {
			t.Errorf("Authorize for %s allocates %.0f times", dept.ID(), n)
		}
	}
}

// deptHash is the hash of Department.ID, built without building the ID,
// for every kind of identity, and none for a department without one.
func TestGrantsDeptHashIsTheIDs(t *testing.T) {
	g := NewGrants()
	for _, d := range []govshare.Department{welfare, police, {DirectoryID: "D-1"}, {Name: "D-1", DirectoryID: "D-1"},
		{CreditCode: "11330100002482061X", DirectoryID: "D-1"}, {DirectoryID: "目录:甲"}, {CreditCode: "dir:D-1"}, {Name: "无标识部门"}, {}} {
		h, ok := g.deptHash(d)
		if id := d.ID(); ok != (id != "") || ok && h != g.hash(id) {
			t.Errorf("%+v: deptHash %x, %v; ID %q hashes to %x", d, h, ok, id, g.hash(id))
		}
	}
}
