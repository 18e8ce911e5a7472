package request

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validCommand builds, for an application in some state, a command of the
// given name whose payload satisfies the rules, and an instant at which it
// may be issued. Who issues it is for the caller to set.
func validCommand(a Application, name CommandName, by govshare.Actor) (Command, time.Time) {
	at := a.UpdatedAt.Add(time.Minute)
	if a.State == New {
		at = t0
	}
	later := func(t time.Time) time.Time {
		if t.After(at) {
			return t
		}
		return at
	}
	switch name {
	case CmdCreate:
		return Create{Actor: by, EntryID: householdEntry().ID, Elements: elements()}, at
	case CmdRenew:
		return Renew{Actor: by, Of: "APP-0", Period: UsePeriod{From: cst(2026, 12, 1, 0, 0), To: cst(2027, 6, 1, 0, 0)}}, at
	case CmdEdit:
		el := elements()
		el.Items = []string{"姓名"}
		return Edit{Actor: by, Elements: el}, at
	case CmdSubmit:
		return Submit{Actor: by}, at
	case CmdEndorse:
		return Endorse{Actor: by}, at
	case CmdReturn:
		return Return{Actor: by, Comment: "请补充使用依据的条款"}, at
	case CmdWithdraw:
		return Withdraw{Actor: by, Reason: "业务调整"}, at
	case CmdRequestExtension:
		return RequestExtension{Actor: by, Days: 1, Reason: "数据量大"}, at
	case CmdDecideExtension:
		return DecideExtension{Actor: by, Decision: Granted}, at
	case CmdAgree:
		if by.Role == govshare.System {
			return Agree{Actor: by}, at
		}
		return Agree{Actor: by, Conditions: []string{condA}}, at
	case CmdRefuse:
		return Refuse{Actor: by, Reason: BeyondDuties, Explanation: "与所述职责无关"}, at
	case CmdProvision:
		return Provision{Actor: by, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: "api-9"}}}, at
	case CmdExpire:
		return Expire{Actor: by}, later(cst(2026, 12, 1, 0, 0))
	case CmdRevoke:
		return Revoke{Actor: by, Reason: "超范围使用"}, at
	case CmdObject:
		switch a.State {
		case UnderReview, ExtensionRequested:
			return Object{Actor: by, Ground: AgainstDelay, Statement: "逾期未答复"}, later(a.Clock.DueAt)
		case Approved, Active:
			return Object{Actor: by, Ground: AgainstConditions, Statement: "条件过严"}, at
		}
		return Object{Actor: by, Ground: AgainstRefusal, Statement: "理由不成立"}, at
	case CmdUphold:
		return Uphold{Actor: by, Comment: "维持"}, at
	case CmdOverturn:
		return Overturn{Actor: by, Items: []string{"姓名", "身份证号"}, Conditions: []string{condA}, Comment: "应予共享"}, at
	case CmdOrderReply:
		return OrderReply{Actor: by, Days: 3}, at
	case CmdFileCorrection:
		return FileCorrection{Actor: by, Items: []string{"姓名"}, Description: "姓名有错别字"}, at
	case CmdAnswerCorrection:
		return AnswerCorrection{Actor: by, CorrectionID: "C1", Corrected: true}, at
	case CmdAlert:
		switch {
		case a.Clock != nil && (a.State == UnderReview || a.State == ExtensionRequested):
			at = later(a.Clock.DueAt)
		case len(a.Corrections) > 0:
			at = later(a.Corrections[0].DueAt)
		}
		for _, f := range a.Facts(at, Rules{}) {
			if !a.Emitted(f) {
				return Alert{Actor: by, Fact: f}, at
			}
		}
		return Alert{Actor: by, Fact: Fact{Kind: ReplyOverdue, Due: at}}, at
	case CmdAckNotice:
		return AckNotice{Actor: by, NoticeID: "N1"}, at
	case CmdSettleDeadline:
		return SettleDeadline{Actor: by}, at
	case CmdClose:
		return Close{Actor: by, Statement: "目的已实现，数据已删除"}, at
	case CmdAnnounceChange:
		return AnnounceChange{Actor: by, Change: ChangeService, Method: govshare.BatchExchange, EffectiveAt: at.Add(31 * 24 * time.Hour), Statement: "接口改为批量交换"}, at
	case CmdEffectChange:
		if a.Announcement != nil {
			at = later(a.Announcement.EffectiveAt)
		}
		return EffectChange{Actor: by}, at
	}
	panic(fmt.Sprintf("no builder for %v", name))
}

// TestTableExhaustive is generated from the transition table: for every
// state, command and party, the combinations the table allows succeed and
// land in the state the table says; every other one fails with the right
// kind of error, and the application passed in is never changed.
func TestTableExhaustive(t *testing.T) {
	parties := []struct {
		actor govshare.Actor
		who   Who // zero Side: not a party of the application
	}{
		{reqClerk, requesterClerk}, {reqHead, requesterHead},
		{provClerk, providerClerk}, {provHead, providerHead},
		{auth, authority}, {sys, system},
		{stranger, Who{}}, {otherAuth, Who{}},
		// Staff of the requester and the provider in roles that are not
		// theirs, and the authority's own staff as clerk or head: none is a
		// party (issue 11).
		{actor(welfare, govshare.Authority, "req-as-auth"), Who{}},
		{actor(welfare, govshare.System, "req-as-sys"), Who{}},
		{actor(police, govshare.Authority, "prov-as-auth"), Who{}},
		{actor(police, govshare.System, "prov-as-sys"), Who{}},
		{actor(dataBur, govshare.Clerk, "auth-clerk"), Who{}},
		{actor(dataBur, govshare.OfficeHead, "auth-head"), Who{}},
		// The system actor's name and role under another ID.
		{actor(dataBur, govshare.System, "platform-2"), Who{}},
		// Identity variants: the requester's credit code as a name identifies
		// nobody; the same code under a new name is the requester.
		{actor(govshare.Department{Name: welfare.CreditCode}, govshare.OfficeHead, "forged-head"), Who{}},
		{actor(govshare.Department{Name: police.CreditCode, RegionCode: "330100"}, govshare.OfficeHead, "forged-prov"), Who{}},
		{actor(govshare.Department{Name: "某市民政局（更名）", CreditCode: welfare.CreditCode}, govshare.Clerk, "renamed-clerk"), requesterClerk},
		// Malformed actors.
		{govshare.Actor{ID: "", Name: "empty-id", Department: welfare, Role: govshare.Clerk}, Who{Side: 255}},
		{govshare.Actor{ID: "bad-role", Department: welfare, Role: 9}, Who{Side: 255}},
	}
	successes := 0
	for _, state := range States() {
		base := reach(t, state)
		for _, name := range CommandNames() {
			for _, p := range parties {
				t.Run(fmt.Sprintf("%s/%s/%s", state.Code(), name.Code(), p.actor.ID+p.actor.Name), func(t *testing.T) {
					a := base.Clone()
					cmd, at := validCommand(a, name, p.actor)
					next, ev, err := Apply(a, cmd, at, env())
					assert.Equal(t, base, a, "the application passed in is unchanged")

					var rowsHere []Transition
					for _, tr := range Table() {
						if tr.From == state && tr.Command == name {
							rowsHere = append(rowsHere, tr)
						}
					}
					if len(rowsHere) == 0 {
						require.ErrorIs(t, err, ErrIllegalTransition)
						var te *TransitionError
						require.True(t, errors.As(err, &te))
						assert.Equal(t, state, te.From)
						assert.Equal(t, name, te.Command)
						return
					}
					who := p.who
					if who.Side == 255 {
						require.ErrorIs(t, err, govshare.ErrInvalid, "a malformed actor is refused")
						return
					}
					if state == New && who.Side != AuthoritySide && who.Side != SystemSide && p.actor.Department.ID() != "" &&
						p.actor.Role != govshare.Authority && p.actor.Role != govshare.System {
						// Whoever creates an application is its requester; the
						// provider's own staff may not apply for their own data.
						if p.actor.Department.Same(police) {
							require.ErrorIs(t, err, govshare.ErrInvalid)
							return
						}
						who = Who{Requester, p.actor.Role}
					}
					var mine []Transition
					for _, tr := range rowsHere {
						for _, w := range tr.Who {
							if who.Side != 0 && w == who {
								mine = append(mine, tr)
							}
						}
					}
					if len(mine) == 0 {
						require.ErrorIs(t, err, govshare.ErrForbidden)
						var fe *ForbiddenError
						require.True(t, errors.As(err, &fe))
						assert.NotEmpty(t, fe.Allowed)
						assert.Equal(t, p.actor, fe.Actor)
						return
					}
					e := env()
					for _, tr := range mine {
						if guardsHold(tr, a, cmd, at, e) {
							require.NoError(t, err)
							assert.Equal(t, tr.To, next.State)
							assert.Equal(t, name, ev.Command, "exactly one event per transition, of the command")
							assert.Equal(t, state, ev.From)
							assert.Equal(t, tr.To, ev.To)
							assert.Equal(t, "request."+name.Code(), ev.Action)
							successes++
							return
						}
					}
					require.ErrorIs(t, err, govshare.ErrInvalid, "no row's condition holds")
				})
			}
		}
	}
	// Every row of the table is exercised by at least one success.
	assert.GreaterOrEqual(t, successes, 40)
}

// Every row must be reachable: for each, some party and state in the
// fixtures makes it succeed.
func TestEveryRowSucceedsSomewhere(t *testing.T) {
	e := env()
	e.Rules.AutoAgreeUnconditional = true
	for _, tr := range Table() {
		t.Run(fmt.Sprintf("%s/%s→%s", tr.From.Code(), tr.Command.Code(), tr.To.Code()), func(t *testing.T) {
			a := reach(t, tr.From)
			if tr.Command == CmdUphold {
				// Bring an objection from the row's target state.
				a = objectFrom(t, tr.To)
			}
			if tr.Command == CmdAgree && tr.Who[0] == system {
				a = unconditionalUnderReview(t)
			}
			if tr.Command == CmdEffectChange {
				change := ChangeService
				if tr.To == Discontinued {
					change = EndService
				}
				a = step(t, a, AnnounceChange{Actor: provHead, Change: change, Method: govshare.BatchExchange, EffectiveAt: a.UpdatedAt.Add(31 * 24 * time.Hour), Statement: "变更"}, a.UpdatedAt.Add(time.Minute), e)
			}
			if tr.Command == CmdSettleDeadline {
				// A deadline pending on 2027, and a calendar that now has it.
				a = a.Clone()
				a.Clock.Pending, a.Clock.LastDay, a.Clock.DueAt = 2027, time.Time{}, time.Time{}
				cal, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithSchedules(load2027(t)))
				require.NoError(t, err)
				e.Calendar = cal
			}
			if tr.Command == CmdRenew {
				old := reach(t, Active)
				old.ID = "APP-0"
				e.Renewed = &old
			}
			actors := map[Who]govshare.Actor{requesterClerk: reqClerk, requesterHead: reqHead, providerClerk: provClerk,
				providerHead: provHead, authority: auth, system: sys}
			cmd, at := validCommand(a, tr.Command, actors[tr.Who[0]])
			next, _, err := Apply(a, cmd, at, e)
			require.NoError(t, err)
			assert.Equal(t, tr.To, next.State)
		})
	}
}

// objectFrom returns an application in coordination whose objection was
// raised in state s.
func objectFrom(t *testing.T, s State) Application {
	t.Helper()
	a := reach(t, s)
	cmd, at := validCommand(a, CmdObject, reqHead)
	return step(t, a, cmd, at, env())
}

func unconditionalUnderReview(t *testing.T) Application {
	t.Helper()
	e := env()
	el := elements()
	el.Items = []string{"姓名"}
	a := step(t, Application{ID: "APP-U"}, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: el}, t0, e)
	a = step(t, a, Submit{Actor: reqClerk}, t0.Add(time.Minute), e)
	return step(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
}

// guardsHold reports whether every guard of the row holds for cmd on a at
// instant at.
func guardsHold(tr Transition, a Application, cmd Command, at time.Time, e Env) bool {
	e.Rules = e.Rules.withDefaults()
	x := &tx{app: a, cmd: cmd, at: at, env: e}
	g, _ := x.firstFailing(tr.r)
	return g == nil
}
