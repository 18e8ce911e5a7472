package request

import (
	"slices"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

// The grant fuzzer's vocabulary: few values of each kind, so that random
// bytes often hit a grant and often miss it by exactly one field.
var (
	fuzzDepts = []govshare.Department{
		welfare, outsider, police,
		{Name: welfare.CreditCode},                             // a name that is another's credit code
		{Name: "某市民政局"},                                        // the name alone
		{Name: "某市民政局", DirectoryID: "D-77"},                   // identified by the directory
		{Name: welfare.Name, CreditCode: "11330100002482088m"}, // lower-case check character
	}
	fuzzEntries   = []string{"101001/000001", "101001/000002", ""}
	fuzzItems     = []string{"姓名", "身份证号", "户籍地址", "宗教信仰"}
	fuzzMethods   = []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange, govshare.FileDownload}
	fuzzScenarios = []string{"最低生活保障对象资格审核", "临时救助", ""}
	fuzzStates    = []State{Draft, Approved, Active, InCoordination, Expired, Revoked, Closed, Discontinued, Refused, Withdrawn}
)

// fuzzReader hands out the fuzzer's bytes one at a time, zero once spent.
type fuzzReader struct{ data []byte }

func (r *fuzzReader) byte() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

func (r *fuzzReader) pick(n int) int { return int(r.byte()) % n }

// instant is one of a few hundred instants around the fixtures' period,
// and now and then one outside the supported range.
func (r *fuzzReader) instant() time.Time {
	switch b := r.byte(); {
	case b == 255:
		return govshare.MaxInstant.Add(time.Hour)
	case b == 254:
		return time.Time{}
	default:
		return cst(2026, 8, 25, 0, 0).Add(time.Duration(b) * 12 * time.Hour)
	}
}

func (r *fuzzReader) items() []string {
	mask := r.byte()
	var out []string
	for i, it := range fuzzItems {
		if mask&(1<<i) != 0 {
			out = append(out, it)
		}
	}
	if mask&0x80 != 0 && len(out) > 0 {
		out = append(out, out[0]) // a duplicate
	}
	return out
}

// application builds an application in a state a grant may come from,
// with an agreed answer and a delivery more often than not.
func (r *fuzzReader) application() Application {
	a := Application{
		ID:        []string{"G-1", "G-2", "G-3", "G-4", "G-5", "G-6"}[r.pick(6)],
		Version:   int64(r.pick(8)) + 1,
		State:     fuzzStates[r.pick(len(fuzzStates))],
		Requester: fuzzDepts[r.pick(len(fuzzDepts))],
		Provider:  police,
		EntryID:   fuzzEntries[r.pick(len(fuzzEntries))],
	}
	a.Elements.Scenario = fuzzScenarios[r.pick(len(fuzzScenarios))]
	a.UpdatedAt = r.instant()
	if b := r.byte(); b%5 != 0 {
		from := r.instant()
		a.Answer = &Answer{Agreed: b%7 != 0, Items: r.items(), Method: fuzzMethods[r.pick(len(fuzzMethods))],
			Period: UsePeriod{From: from, To: from.Add(time.Duration(r.pick(40)) * 24 * time.Hour)}}
		if b%3 != 0 {
			a.Deliveries = []Delivery{{Method: a.Answer.Method, Reference: "ref"}}
		}
	}
	return a
}

func (r *fuzzReader) access() Access {
	return Access{
		Department: fuzzDepts[r.pick(len(fuzzDepts))],
		EntryID:    fuzzEntries[r.pick(len(fuzzEntries))],
		Items:      r.items(),
		Method:     fuzzMethods[r.pick(len(fuzzMethods))],
		Scenario:   fuzzScenarios[r.pick(len(fuzzScenarios))],
		At:         r.instant(),
	}
}

// referenceAllows is the rule of R19 written out directly over the latest
// version of every application: an access is allowed exactly when a live
// grant of the same requester identity and entry covers its instant,
// method, scenario and every item it names.
func referenceAllows(latest map[string]Application, acc Access) (bool, []string) {
	dept := acc.Department.ID()
	if dept == "" || !govshare.InRange(acc.At) || len(acc.Items) == 0 {
		return false, nil
	}
	var by []string
	for id, a := range latest {
		if !a.Live() || a.Requester.ID() != dept || a.EntryID != acc.EntryID {
			continue
		}
		p := a.Answer.Period
		if acc.At.Before(p.From) || !acc.At.Before(p.To) || a.Answer.Method != acc.Method || a.Elements.Scenario != acc.Scenario {
			continue
		}
		covered := true
		for _, it := range acc.Items {
			if !slices.Contains(a.Answer.Items, it) {
				covered = false
				break
			}
		}
		if covered {
			by = append(by, id)
		}
	}
	return len(by) > 0, by
}

// FuzzGrants puts random versions of random applications into the index in
// random order, asks random accesses, and compares every decision with the
// reference rule over the newest version of each application the index
// was given: an older version arriving late changes nothing, so a revoked
// grant never comes back; an allowed access names an application that
// allows it; identities never match by name alone.
func FuzzGrants(f *testing.F) {
	f.Add([]byte{0, 0, 2, 0, 0, 0, 10, 1, 7, 0, 1, 0, 1, 0, 0, 15, 0, 0, 20})
	f.Add([]byte{1, 2, 2, 0, 0, 0, 10, 1, 7, 0, 1, 0, 1, 1, 5, 5, 0, 0, 20, 0, 1, 0, 1, 0, 1, 0, 0, 15})
	f.Add([]byte{0, 3, 5, 3, 0, 1, 40, 4, 33, 9, 2, 1, 9, 2, 2, 0, 7, 1, 1, 80})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data: data}
		g := NewGrants()
		latest := map[string]Application{}
		for steps := 0; len(r.data) > 0 && steps < 200; steps++ {
			if r.byte()%3 != 0 {
				a := r.application()
				g.Put(a)
				if old, ok := latest[a.ID]; !ok || a.Version > old.Version {
					latest[a.ID] = a
				}
				continue
			}
			acc := r.access()
			d := g.Authorize(acc)
			want, by := referenceAllows(latest, acc)
			if d.Allowed != want {
				t.Fatalf("access %+v: got %+v, the rule says allowed=%v (by %v)", acc, d, want, by)
			}
			if d.Allowed && !slices.Contains(by, d.AppID) {
				t.Fatalf("access %+v allowed by %q, which does not cover it (the rule: %v)", acc, d.AppID, by)
			}
			if d.Allowed != (d.Reason == Allowed) {
				t.Fatalf("decision %+v: Allowed and Reason disagree", d)
			}
		}
	})
}
