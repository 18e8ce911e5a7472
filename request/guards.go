package request

import (
	"fmt"
	"slices"
	"strings"

	"github.com/govshare/govshare"
)

// guard is one condition of a row: what it requires (for the docs and the
// diagram), the test, and the error when it does not hold.
type guard struct {
	code   string
	zh, en string // what the guard requires
	label  string // a short label for the diagram, for guards that tell rows of one command apart
	field  string // the field the error names
	rule   string // the rule enforced
	policy bool   // the rule is a policy default
	// failZh and failEn are the error messages; with forbid the error is
	// a *ForbiddenError instead of an *InvalidError.
	failZh, failEn func(x *tx) string
	forbid         bool
	test           func(x *tx) bool
}

func (g *guard) citation() govshare.Citation {
	if g.policy {
		return govshare.PolicyDefault(g.rule)
	}
	if g.rule == "" {
		return govshare.Citation{}
	}
	return govshare.Rule(g.rule)
}

func (g *guard) describe() Guard {
	return Guard{Code: g.code, Zh: g.zh, En: g.en, Citation: g.citation()}
}

func (g *guard) error(x *tx) error {
	if g.forbid {
		return &ForbiddenError{Command: x.cmd.Name(), Actor: x.cmd.By(), Allowed: slices.Clone(machine.table[machine.byState[x.app.State][x.cmd.Name()][0]].Who),
			Reason: g.failZh(x), ReasonEN: g.failEn(x)}
	}
	return invalid(x.cmd.Name(), g.field, g.failZh(x), g.failEn(x), g.citation())
}

// firstFailing returns the first guard of r that does not hold and how
// many held before it, or nil.
func (x *tx) firstFailing(r *row) (*guard, int) {
	for k, g := range r.guards {
		if !g.test(x) {
			return g, k
		}
	}
	return nil, len(r.guards)
}

func text(s string) func(*tx) string { return func(*tx) string { return s } }

var beforeReplyDue = &guard{
	code: "before_reply_due", zh: "答复期限届满前", en: "before the reply is due",
	field: "at", rule: "R12",
	failZh: text("答复期限已届满，不能再申请延期"), failEn: text("the reply period has ended; an extension must be asked before"),
	test: func(x *tx) bool {
		// A pending due day lies after every day the calendar knows.
		return x.app.Clock != nil && (x.app.Clock.Pending != 0 || x.at.Before(x.app.Clock.DueAt))
	},
}

var extensionPending = &guard{
	code: "extension_pending", zh: "有待审批的延期申请", en: "an extension request is pending",
	field: "extension", rule: "R12",
	failZh: text("没有待审批的延期申请"), failEn: text("no extension request is pending"),
	test: func(x *tx) bool {
		n := len(x.app.Extensions)
		return n > 0 && x.app.Extensions[n-1].Decision == Pending
	},
}

var autoAgreeOn = &guard{
	code: "auto_agree_unconditional", zh: "启用自动同意且全部数据项为无条件共享", en: "AutoAgreeUnconditional is set and every item is unconditional",
	field: "actor", rule: "R10", policy: true,
	failZh: text("仅无条件共享的申请可由系统自动同意，且须启用该策略"),
	failEn: text("the system may agree only to all-unconditional applications, when AutoAgreeUnconditional is set"),
	test: func(x *tx) bool {
		return x.env.Rules.AutoAgreeUnconditional && x.app.Attribute == govshare.Unconditional
	},
}

var useNotEnded = &guard{
	code: "use_not_ended", zh: "使用时限届满前", en: "before the period of use ends",
	field: "at", rule: "R19",
	failZh: text("使用时限已届满，不能再提供数据"), failEn: text("the period of use has ended"),
	test: func(x *tx) bool { return x.app.Answer != nil && x.at.Before(x.app.Answer.Period.To) },
}

var useEnded = &guard{
	code: "use_ended", zh: "使用时限已届满", en: "the period of use has ended",
	field: "at", rule: "R19",
	failZh: text("使用时限尚未届满"), failEn: text("the period of use has not ended"),
	test: func(x *tx) bool {
		due, ok := x.app.watchDue(ExpiryWatch)
		return ok && !x.at.Before(due)
	},
}

var replyOverdue = &guard{
	code: "reply_overdue", zh: "答复期限已届满", en: "the reply is overdue",
	field: "ground", rule: "R21",
	failZh: text("答复期限尚未届满，不能以答复超时提出异议"), failEn: text("the reply is not overdue yet"),
	test: func(x *tx) bool {
		return x.app.Clock != nil && x.app.Clock.Pending == 0 && !x.at.Before(x.app.Clock.DueAt)
	},
}

var hasConditions = &guard{
	code: "answer_has_conditions", zh: "答复附有条件", en: "the answer imposes conditions",
	field: "ground", rule: "R21",
	failZh: text("答复未附条件"), failEn: text("the answer imposes no conditions"),
	test: func(x *tx) bool { return x.app.Answer != nil && len(x.app.Answer.Conditions) > 0 },
}

// groundIs selects the objection row of one ground.
func groundIs(g Ground) *guard {
	return &guard{
		code: "ground_" + g.Code(), zh: "异议理由：" + g.String(), en: "ground: " + g.Code(), label: g.Code(),
		field: "ground", rule: "R21",
		failZh: func(x *tx) string {
			return fmt.Sprintf("在“%s”状态下不能以该理由提出异议", x.app.State)
		},
		failEn: func(x *tx) string {
			return fmt.Sprintf("that ground of objection does not apply in state %s", x.app.State.Code())
		},
		test: func(x *tx) bool { o, ok := x.cmd.(Object); return ok && o.Ground == g },
	}
}

// objectedFrom selects the Uphold row that returns to the state objected from.
func objectedFrom(s State) *guard {
	return &guard{
		code: "objected_from_" + s.Code(), zh: "异议提出时为" + s.String(), en: "objected from " + s.Code(),
		field: "state", rule: "R21",
		failZh: text("异议提出时的状态不是" + s.String()), failEn: text("the objection was not raised from " + s.Code()),
		test: func(x *tx) bool {
			n := len(x.app.Objections)
			return n > 0 && x.app.Objections[n-1].From == s
		},
	}
}

// renewable requires the renewed application to be in one of the states.
func renewable(from ...State) *guard {
	names := make([]string, len(from))
	codes := make([]string, len(from))
	for i, s := range from {
		names[i], codes[i] = s.String(), s.Code()
	}
	return &guard{
		code: "renewable", zh: "被续期的申请为" + strings.Join(names, "或"), en: "the renewed application is " + strings.Join(codes, " or "),
		field: "of", rule: "R19",
		failZh: func(x *tx) string {
			if x.env.Renewed == nil {
				return "没有被续期的申请"
			}
			return fmt.Sprintf("申请%s处于“%s”状态，不能续期", x.env.Renewed.ID, x.env.Renewed.State)
		},
		failEn: func(x *tx) string {
			if x.env.Renewed == nil {
				return "the Env holds no application to renew"
			}
			return fmt.Sprintf("application %s is %s and cannot be renewed", x.env.Renewed.ID, x.env.Renewed.State.Code())
		},
		test: func(x *tx) bool {
			r := x.env.Renewed
			c, _ := x.cmd.(Renew)
			return r != nil && r.ID == c.Of && slices.Contains(from, r.State) && r.Answer != nil && r.Answer.Agreed
		},
	}
}

var renewedIsOurs = &guard{
	code: "renewed_by_requester", zh: "续期人属于原申请的需求部门", en: "the actor belongs to the renewed application's requester",
	rule: "R8", forbid: true,
	failZh: text("只有原申请的需求部门可以续期"), failEn: text("only the requester of the renewed application may renew it"),
	test: func(x *tx) bool { return x.env.Renewed.Requester.Same(x.cmd.By().Department) },
}

var somethingToSettle = &guard{
	code: "deadline_pending", zh: "有期限待定，或须按更正后的放假安排重新计算", en: "a deadline is pending, or deadlines are to be recomputed",
	field: "calendar", rule: "R14",
	failZh: text("没有待定的期限"), failEn: text("no deadline is pending"),
	test: func(x *tx) bool { return x.cmd.(SettleDeadline).Recompute || x.app.pending() },
}

var factHolds = &guard{
	code: "fact_holds", zh: "事实在此时成立且尚未发出", en: "the fact holds now and was not emitted yet",
	field: "fact",
	failZh: func(x *tx) string {
		if x.app.Emitted(x.cmd.(Alert).Fact) {
			return "该提醒已发出"
		}
		return "该事实在此时不成立"
	},
	failEn: func(x *tx) string {
		f := x.cmd.(Alert).Fact
		if x.app.Emitted(f) {
			return "fact " + f.Key() + " was already emitted"
		}
		return "fact " + f.Key() + " does not hold at this instant"
	},
	test: func(x *tx) bool {
		f := x.cmd.(Alert).Fact
		if x.app.Emitted(f) {
			return false
		}
		for _, g := range x.app.Facts(x.at, x.env.Rules) {
			if g.Same(f) {
				return true
			}
		}
		return false
	},
}

var noChangeAnnounced = &guard{
	code: "no_change_announced", zh: "尚未告知终止或变更服务", en: "no end or change of service is announced yet",
	field: "announcement", rule: "R23",
	failZh: text("已告知终止或变更服务，尚未生效"), failEn: text("an end or change of service is already announced and not yet in effect"),
	test: func(x *tx) bool { return x.app.Announcement == nil || !x.app.Announcement.EffectedAt.IsZero() },
}

var changeDue = &guard{
	code: "change_due", zh: "告知的生效时间已到", en: "the announced instant has come",
	field: "at", rule: "R23",
	failZh: text("没有已到生效时间的服务终止或变更"), failEn: text("no announced end or change of service is due"),
	test: func(x *tx) bool {
		due, ok := x.app.watchDue(ChangeWatch)
		return ok && !x.at.Before(due)
	},
}

// changeIs selects the row of an announced end or change.
func changeIs(c ServiceChange) *guard {
	return &guard{
		code: "change_" + c.code(), zh: "告知的是" + c.String(), en: "the announcement is an " + c.code(), label: c.code(),
		field: "announcement", rule: "R23",
		failZh: text("告知的不是" + c.String()), failEn: text("the announcement is not an " + c.code()),
		test: func(x *tx) bool { return x.app.Announcement != nil && x.app.Announcement.Change == c },
	}
}
