package request

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/require"
)

// storeOnly hides the memory store's type, so that Service.Report takes
// the path of any other Store (rows made as applications are read).
type storeOnly struct{ Store }

// TestReportMatchesLegacy compares Service.Report, on the memory store's
// rows and on the path of any other store, with the report as computed
// before issue 16 (report_legacy_test.go), over random applications in
// every fixture state with their instants, replies, clocks and extensions
// scrambled, and random periods, empty, open-ended and zero ones included.
func TestReportMatchesLegacy(t *testing.T) {
	ctx := context.Background()
	var bases []Application
	for _, s := range []State{Draft, PendingApproval, UnderReview, ExtensionRequested, Withdrawn, Refused, InCoordination, Active, Expired, Revoked, Closed, Discontinued} {
		bases = append(bases, reach(t, s))
	}
	depts := []govshare.Department{welfare, police, outsider, dataBur, {Name: "目录部门", DirectoryID: "X-1"}, {Name: "无标识部门"}}
	at := func(r *rand.Rand) time.Time {
		if r.IntN(10) == 0 {
			return time.Time{}
		}
		return cst(2026, 1, 1, 0, 0).Add(time.Duration(r.IntN(500*24)) * time.Hour)
	}
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		m := NewMemoryStore()
		for i := 0; i < 400; i++ {
			a := bases[r.IntN(len(bases))].Clone()
			a.ID, a.Version = fmt.Sprintf("R%d", i), 0
			a.Requester, a.Provider = depts[r.IntN(len(depts))], depts[r.IntN(len(depts))]
			a.SubmittedAt, a.ReceivedAt = at(r), at(r)
			if a.Clock != nil {
				c := *a.Clock
				c.DueAt = at(r)
				c.Pending = []int{0, 0, 0, 2027}[r.IntN(4)]
				a.Clock = &c
			}
			for j := range a.Extensions {
				a.Extensions[j].Decision = ExtensionDecision(r.IntN(3))
			}
			for j, rp := range a.Replies {
				c := *rp
				c.At, c.Late, c.Workdays = at(r), r.IntN(2) == 0, r.IntN(30)
				c.Pending = []int{0, 0, 2027}[r.IntN(3)]
				c.Reason = RefusalReason(r.IntN(7))
				c.By.Department = depts[r.IntN(len(depts))]
				if r.IntN(4) == 0 {
					c.By.Role = govshare.System
				}
				if r.IntN(3) == 0 {
					c.Agreed = !c.Agreed
				}
				a.Replies[j] = &c
			}
			if a.Answer != nil && r.IntN(3) == 0 {
				ans := *a.Answer
				ans.Period = UsePeriod{From: at(r), To: at(r)}
				a.Answer = &ans
			}
			_, err := m.Save(ctx, a, 0, nil)
			require.NoError(t, err)
		}
		h := newHarness(t, Rules{})
		svc, err := NewService(ctx, m, h.cat, h.log, AuthoritiesByRegion{})
		require.NoError(t, err)
		other, err := NewService(ctx, storeOnly{m}, h.cat, h.log, AuthoritiesByRegion{})
		require.NoError(t, err)
		for q := 0; q < 20; q++ {
			from, to := at(r), at(r)
			if q == 0 {
				from, to = govshare.MinInstant, govshare.MaxInstant
			}
			want, err := legacyReport(ctx, m, from, to)
			require.NoError(t, err)
			got, err := svc.Report(ctx, from, to)
			require.NoError(t, err)
			require.Equal(t, want, got, "seed %d period %v–%v", seed, from, to)
			got, err = other.Report(ctx, from, to)
			require.NoError(t, err)
			require.Equal(t, want, got, "any store: seed %d period %v–%v", seed, from, to)
		}
	}
}
