package request

import (
	"slices"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

var fuzzActors = []govshare.Actor{reqClerk, reqHead, provClerk, provHead, auth, sys, stranger, otherAuth}

// fuzzParties are fuzzActors and the forged or careless identities of
// fuzzServiceActors (fuzz_service_test.go).
var fuzzParties = fuzzServiceActors

// FuzzApplySequences drives random command sequences from random parties
// at random instants and checks the invariants the issue names after every
// step: on error nothing changes; each transition yields exactly one
// event; no reply after withdrawal; the due instant never moves backwards;
// extensions total at most 10 working days; granted items are requested
// and shareable.
func FuzzApplySequences(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 0, 1, 3, 1, 1, 8, 3, 2})
	f.Add([]byte{0, 0, 0, 2, 0, 0, 3, 1, 0, 6, 2, 0, 7, 4, 0, 8, 3, 0, 10, 2, 0, 17, 0, 9})
	f.Add([]byte{0, 1, 5, 2, 0, 5, 3, 1, 5, 9, 3, 200, 13, 1, 200, 16, 4, 1})
	names := CommandNames()
	e := env()
	e.Rules.AutoAgreeUnconditional = true
	f.Fuzz(func(t *testing.T, data []byte) {
		var app Application
		clock := t0
		for i := 0; i+2 < len(data) && i < 600; i += 3 {
			name := names[int(data[i])%len(names)]
			by := fuzzParties[int(data[i+1])%len(fuzzParties)]
			clock = clock.Add(time.Duration(data[i+2]) * 17 * time.Minute)
			cmd, at := validCommand(app, name, by)
			if clock.After(at) {
				at = clock
			}
			if data[i+2]%11 == 0 {
				cmd = corrupt(cmd)
			} else if data[i+2]%5 == 0 {
				cmd = vary(cmd, data[i+1])
			}
			before := app.Clone()
			next, ev, err := Apply(app, cmd, at, e)
			if err != nil {
				if ev.Action != "" {
					t.Fatalf("%s: events returned with an error", name.Code())
				}
				if !equalApps(next, before) || !equalApps(app, before) {
					t.Fatalf("%s: the application changed on error %v", name.Code(), err)
				}
				continue
			}
			if ev.Command != name || ev.From != app.State || ev.To != next.State {
				t.Fatalf("%s: want the event %s→%s, got %+v", name.Code(), app.State.Code(), next.State.Code(), ev)
			}
			if app.State == Withdrawn && (name == CmdAgree || name == CmdRefuse) {
				t.Fatal("a reply after withdrawal")
			}
			if app.Clock != nil && next.Clock != nil && next.Clock.DueAt.Before(app.Clock.DueAt) {
				t.Fatalf("%s: due moved backwards from %s to %s", name.Code(), app.Clock.DueAt, next.Clock.DueAt)
			}
			granted := 0
			for _, x := range next.Extensions {
				if x.Decision == Granted {
					granted += x.Days
				}
			}
			if granted > 10 {
				t.Fatalf("extensions total %d working days", granted)
			}
			if a := next.Answer; a != nil && a.Agreed {
				for _, it := range a.Items {
					_, k, ok := e.Entry.Item(it)
					if !slices.Contains(next.Elements.Items, it) || !ok || e.Entry.EffectiveShare(k) == govshare.NotShared {
						t.Fatalf("granted item %s not requested or not shareable", it)
					}
				}
			}
			app = next
		}
	})
}

// corrupt damages a command's payload so that sequences also explore the
// error paths.
func corrupt(c Command) Command {
	switch v := c.(type) {
	case RequestExtension:
		v.Days = 11
		return v
	case Agree:
		v.Items = []string{"宗教信仰"}
		return v
	case Create:
		v.Elements.Items = []string{"姓名", "姓名"}
		return v
	case Refuse:
		v.Explanation = ""
		return v
	case Overturn:
		v.Conditions = []string{"新增条件"}
		return v
	}
	return c
}

// vary gives a command another payload than validCommand's, chosen by b:
// other numbers of days, other items, conditions, methods and periods,
// instants outside the supported range, empty texts. Many are refused,
// some are accepted; the invariants hold either way.
func vary(c Command, b byte) Command {
	items := [][]string{nil, {"姓名"}, {"姓名", "身份证号", "户籍地址"}, {"户籍地址", "不存在的项"}}[b%4]
	periods := []UsePeriod{{}, {From: cst(2026, 10, 1, 0, 0), To: cst(2027, 3, 1, 0, 0)},
		{From: cst(2026, 12, 1, 0, 0), To: cst(2026, 11, 1, 0, 0)}, {From: govshare.MaxInstant, To: govshare.MaxInstant.Add(time.Hour)}}
	period := periods[(b>>2)%4]
	switch v := c.(type) {
	case Create:
		v.Elements.Items, v.Elements.Period = items, period
		if b&0x40 != 0 {
			v.Elements.Method = govshare.FileDownload
		}
		return v
	case RequestExtension:
		v.Days = int(b % 13)
		return v
	case Agree:
		v.Items, v.Period = items, period
		if b&0x40 != 0 {
			v.Conditions = []string{condB}
		}
		return v
	case Refuse:
		v.Reason = RefusalReason(b % 8)
		return v
	case Provision:
		if b&1 != 0 {
			v.Deliveries = nil
		}
		return v
	case Withdraw:
		v.Reason = ""
		return v
	case Revoke:
		v.Reason = ""
		return v
	case Close:
		v.Statement = ""
		return v
	case Endorse:
		v.ReceivedAt = period.From
		return v
	}
	return c
}

func equalApps(a, b Application) bool {
	return a.ID == b.ID && a.State == b.State && a.UpdatedAt.Equal(b.UpdatedAt) &&
		len(a.Extensions) == len(b.Extensions) && len(a.Replies) == len(b.Replies) &&
		len(a.Corrections) == len(b.Corrections) && len(a.Alerts) == len(b.Alerts) &&
		(a.Clock == nil) == (b.Clock == nil) && (a.Clock == nil || a.Clock.DueAt.Equal(b.Clock.DueAt))
}
