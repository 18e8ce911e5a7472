package request

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What the table derives: which states are final and where each watch
// runs. These are the sets the code wrote by hand before the table was
// the machine; the derivation must reproduce them.
func TestDerivedFromTheTable(t *testing.T) {
	var final []State
	for _, s := range States() {
		if s.Final() {
			final = append(final, s)
		}
	}
	assert.Equal(t, []State{Refused, Withdrawn, Expired, Revoked, Closed, Discontinued}, final)

	runs := func(w Watch) []State {
		var in []State
		for _, s := range States() {
			if w.RunsIn(s) {
				in = append(in, s)
			}
		}
		return in
	}
	assert.Equal(t, []State{UnderReview, ExtensionRequested}, runs(ReplyWatch))
	assert.Equal(t, []State{ExtensionRequested}, runs(DecisionWatch))
	assert.Equal(t, []State{Approved, Active}, runs(ExpiryWatch))
	assert.Equal(t, []State{Active, InCoordination}, runs(GrantWatch))
	assert.NotContains(t, runs(CorrectionWatch), Draft)
	assert.Contains(t, runs(CorrectionWatch), Expired)

	// Live follows the grant watch and, in coordination, the state the
	// objection suspended.
	act := reach(t, Active)
	assert.True(t, act.Live())
	k := step(t, act, Object{Actor: reqHead, Ground: AgainstConditions, Statement: "条件过严"}, act.UpdatedAt.Add(time.Hour), env())
	assert.True(t, k.Live(), "an objection raised while active keeps the grant")
	ref := reach(t, InCoordination)
	assert.False(t, ref.Live(), "an objection to a refusal grants nothing")
	assert.False(t, reach(t, Approved).Live(), "approved but not provided")

	// NextDue follows the watches: the reply while under review, the
	// decision and reply while an extension is pending, the end of use
	// while the grant runs, nothing once final.
	ur := reach(t, UnderReview)
	assert.Equal(t, ur.Clock.DueAt, ur.NextDue())
	ap := reach(t, Approved)
	assert.Equal(t, ap.Answer.Period.To, ap.NextDue())
	assert.True(t, reach(t, Withdrawn).NextDue().IsZero())
	assert.Equal(t, act.Corrections[0].DueAt, act.NextDue(), "C1 is due before the period of use ends")
}

// Every row has an effect, every command a row, and every automatic or
// firing row is issued by the system.
func TestTableIsComplete(t *testing.T) {
	seen := map[CommandName]bool{}
	for _, tr := range Table() {
		seen[tr.Command] = true
		if tr.Auto || len(tr.Fires) > 0 {
			assert.Equal(t, []Who{system}, tr.Who, "%s: the system issues automatic and timed rows", tr.Command.Code())
		}
		for _, g := range tr.Guards {
			assert.NotEmpty(t, g.Code)
			assert.NotEmpty(t, g.Zh, "%s: every guard is described in Chinese", g.Code)
			assert.NotEmpty(t, g.En, "%s: and in English", g.Code)
		}
	}
	for _, c := range CommandNames() {
		assert.True(t, seen[c], "command %s has no row", c.Code())
	}
}

// The ninth and later details of an event are kept, not dropped.
func TestEventKeepsEveryDetail(t *testing.T) {
	x := &tx{}
	for i := 0; i < 12; i++ {
		x.detail(string(rune('a'+i)), i)
	}
	d := x.details()
	require.Len(t, d, 12)
	assert.Equal(t, "l", d[11].Key)
	assert.Equal(t, 11, d[11].Value)
}

// Every command survives MarshalCommand and DecodeCommand, with the actor
// the host gives, never one from the body.
func TestCommandJSONRoundTrip(t *testing.T) {
	by := actor(welfare, govshare.OfficeHead, "actor-7731")
	for _, name := range CommandNames() {
		a := reach(t, UnderReview)
		cmd, _ := validCommand(a, name, by)
		if name == CmdAlert {
			cmd = Alert{Actor: by, Fact: Fact{Kind: ReplyOverdue, AppID: "APP-1", Due: cst(2026, 10, 20, 0, 0)}}
		}
		b, err := MarshalCommand(cmd)
		require.NoError(t, err, name.Code())
		var head map[string]any
		require.NoError(t, json.Unmarshal(b, &head))
		assert.Equal(t, name.Code(), head["command"])
		assert.NotContains(t, string(b), "actor-7731", "the actor is not in the JSON")

		got, err := DecodeCommand(b, by)
		require.NoError(t, err, "%s: %s", name.Code(), b)
		assert.Equal(t, name, got.Name())
		assert.Equal(t, by, got.By())
		assert.True(t, reflect.DeepEqual(normalize(cmd), normalize(got)), "%s: %#v != %#v", name.Code(), cmd, got)
	}
}

// normalize turns times into UTC so that round-tripped commands compare.
func normalize(c Command) string {
	b, _ := MarshalCommand(c)
	var v any
	_ = json.Unmarshal(b, &v)
	out, _ := json.Marshal(v)
	return string(out)
}

func TestDecodeCommandRefusesBadBodies(t *testing.T) {
	for _, body := range []string{
		``, `null`, `[]`, `{}`, `{"command":"fly"}`, `{"command":7}`,
		`{"command":"refuse","reason":"beyond_duties","explanation":"x","extra":1}`,
		`{"command":"refuse","reason":"because","explanation":"x"}`,
		`{"command":"refuse","Actor":{"id":"boss","role":"system"}}`,
		`{"command":"refuse","actor":{"id":"boss","role":"system"}}`,
		`{"command":"request_extension","days":"ten"}`,
		`{"command":"submit"} {"command":"submit"}`,
		`{"command":"submit"`,
	} {
		_, err := DecodeCommand([]byte(body), reqHead)
		require.Error(t, err, body)
		assert.ErrorIs(t, err, govshare.ErrMalformed, body)
		assert.Equal(t, 400, govshare.HTTPStatus(err), body)
		m := govshare.MessageOf(err)
		assert.NotEmpty(t, m.Zh, body)
		assert.NotEmpty(t, m.En, body)
	}
	big := make([]byte, MaxCommandBytes+1)
	_, err := DecodeCommand(big, reqHead)
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	_, err = MarshalCommand(nil)
	assert.ErrorIs(t, err, govshare.ErrMalformed)
}

// Every enumeration of the package marshals to its stable lowercase code.
func TestEnumerationsMarshalToCodes(t *testing.T) {
	b, err := json.Marshal(struct {
		D Decision
		S State
		C CommandName
		F FactKind
		G Ground
		O Outcome
		E ExtensionDecision
		R RefusalReason
		W Watch
		Who
	}{Decision{Reason: NoGrant}, UnderReview, CmdEndorse, ReplyOverdue, AgainstDelay, ReplyOrdered, Granted, BeyondDuties, GrantWatch, providerHead})
	require.NoError(t, err)
	assert.JSONEq(t, `{"D":{"allowed":false,"reason":"no_grant"},"S":"under_review","C":"endorse","F":"reply_overdue",
		"G":"delay","O":"reply_ordered","E":"granted","R":"beyond_duties","W":"grant","side":"provider","role":"office_head"}`, string(b))
	var r DenyReason
	require.NoError(t, r.UnmarshalText([]byte("使用场景不符")))
	assert.Equal(t, WrongScenario, r)
	assert.ErrorIs(t, r.UnmarshalText([]byte("maybe")), govshare.ErrMalformed)
}

// The errors of the package match one root kind each, with a Chinese and
// an English message.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err    error
		kind   error
		status int
	}{
		{&TransitionError{From: Refused, Command: CmdAgree}, govshare.ErrConflict, 409},
		{&ForbiddenError{Command: CmdAgree, Actor: provClerk, Allowed: []Who{providerHead}}, govshare.ErrForbidden, 403},
		{invalid(CmdRefuse, "reason", "不予共享须选择理由类别", "a refusal needs a reason category", govshare.Rule("R11")), govshare.ErrInvalid, 422},
		{&NotShareableError{EntryID: "e", Items: []string{"宗教信仰"}, LegalBasis: "x"}, govshare.ErrInvalid, 422},
		{&NotPublishedError{EntryID: "e", Status: "已撤回"}, govshare.ErrInvalid, 422},
		{ErrNoAuthority, govshare.ErrUnavailable, 503},
	}
	for _, c := range cases {
		assert.ErrorIs(t, c.err, c.kind, c.err.Error())
		assert.Equal(t, c.status, govshare.HTTPStatus(c.err), c.err.Error())
		m := govshare.MessageOf(c.err)
		assert.NotEmpty(t, m.Code)
		assert.NotEmpty(t, m.Zh)
		assert.NotEmpty(t, m.En)
	}
	fe := &ForbiddenError{Command: CmdDecideExtension, Actor: otherAuth, Allowed: []Who{authority}}
	m := govshare.MessageOf(fe)
	assert.Contains(t, m.Zh, "政务数据共享主管部门")
	assert.Contains(t, m.En, "competent department for data sharing")
	assert.ErrorIs(t, &TransitionError{}, ErrIllegalTransition)
}
