package request

import (
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
	"github.com/stretchr/testify/require"
)

// The parties of the fixtures. Credit codes carry valid GB 32100 check
// characters.
var (
	police   = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare  = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	dataBur  = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	outsider = govshare.Department{Name: "某县教育局", CreditCode: "11330122002482999Q", RegionCode: "330122", Level: govshare.County}
)

func actor(d govshare.Department, r govshare.Role, id string) govshare.Actor {
	return govshare.Actor{ID: id, Name: id, Department: d, Role: r}
}

var (
	reqClerk  = actor(welfare, govshare.Clerk, "wang")
	reqHead   = actor(welfare, govshare.OfficeHead, "li")
	provClerk = actor(police, govshare.Clerk, "zhao")
	provHead  = actor(police, govshare.OfficeHead, "chen")
	auth      = actor(dataBur, govshare.Authority, "sun")
	sys       = actor(dataBur, govshare.System, "platform")
	// Someone from a third department, and an authority of another region.
	stranger  = actor(outsider, govshare.OfficeHead, "zhou")
	otherAuth = actor(outsider, govshare.Authority, "wu")
)

const (
	condA = "仅限办理社会救助审核使用"
	condB = "不得向第三方提供"
)

// householdEntry is a published unconditional entry whose items may be
// stricter, never looser (R7): 姓名 unconditional, 身份证号 and 户籍地址
// conditional, 宗教信仰 not shared.
func householdEntry() catalog.Entry {
	return catalog.Entry{
		ID:         "101001/000001",
		Name:       "户籍人口基本信息",
		Provider:   police,
		Share:      govshare.Unconditional,
		Conditions: condA + "；" + condB,
		LegalBasis: "《中华人民共和国个人信息保护法》第二十八条",
		Methods:    []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange},
		Items: []catalog.DataItem{
			{Name: "姓名"},
			{Name: "身份证号", Share: govshare.Conditional},
			{Name: "户籍地址", Share: govshare.Conditional},
			{Name: "宗教信仰", Share: govshare.NotShared},
		},
		Status:  catalog.Published,
		Version: 3,
	}
}

func env() Env {
	return Env{Entry: householdEntry(), Calendar: deadline.China(), Authority: dataBur, System: sys}
}

func cst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, deadline.CST)
}

// t0 is Tuesday 2026-09-29 10:00, just before the 2026 National Day holiday.
var t0 = cst(2026, 9, 29, 10, 0)

func elements() Elements {
	return Elements{
		Basis:    "《社会救助暂行办法》第十一条",
		Scenario: "最低生活保障对象资格审核",
		Items:    []string{"姓名", "身份证号", "户籍地址"},
		Systems:  []string{"社会救助信息系统"},
		Users:    "社会救助科审核人员",
		Method:   govshare.ServiceAPI,
		Period:   UsePeriod{From: cst(2026, 9, 1, 0, 0), To: cst(2026, 12, 1, 0, 0)},
	}
}

// step applies a command and fails the test on error.
func step(t *testing.T, a Application, c Command, at time.Time, e Env) Application {
	t.Helper()
	next, ev, err := Apply(a, c, at, e)
	require.NoError(t, err, "%s in %s", c.Name().Code(), a.State.Code())
	require.Equal(t, c.Name(), ev.Command, "one event, of the command")
	return next
}

// reach returns an application brought to state s by a canonical path. Each
// path leaves something for the housekeeping commands to act on: from
// UnderReview on, an approved one-day extension has issued notice N1; from
// Active on, correction C1 is open.
func reach(t *testing.T, s State) Application {
	t.Helper()
	e := env()
	a := Application{ID: "APP-1"}
	if s == New {
		return a
	}
	a = step(t, a, Create{Actor: reqClerk, EntryID: e.Entry.ID, Elements: elements()}, t0, e)
	if s == Draft {
		return a
	}
	a = step(t, a, Submit{Actor: reqClerk}, t0.Add(time.Minute), e)
	if s == PendingApproval {
		return a
	}
	a = step(t, a, Endorse{Actor: reqHead}, t0.Add(2*time.Minute), e)
	a = step(t, a, RequestExtension{Actor: provClerk, Days: 1, Reason: "需核对历史档案"}, t0.Add(3*time.Minute), e)
	a = step(t, a, DecideExtension{Actor: auth, Decision: Granted}, t0.Add(4*time.Minute), e)
	switch s {
	case UnderReview:
		return a
	case ExtensionRequested:
		return step(t, a, RequestExtension{Actor: provClerk, Days: 2, Reason: "系统升级"}, t0.Add(5*time.Minute), e)
	case Withdrawn:
		return step(t, a, Withdraw{Actor: reqClerk, Reason: "不再需要"}, t0.Add(5*time.Minute), e)
	case Refused, InCoordination:
		a = step(t, a, Refuse{Actor: provHead, Reason: ConditionsNotMet, Explanation: "未说明审核对象范围"}, t0.Add(5*time.Minute), e)
		if s == Refused {
			return a
		}
		return step(t, a, Object{Actor: reqHead, Ground: AgainstRefusal, Statement: "审核对象为辖区低保申请人，范围明确"}, t0.Add(6*time.Minute), e)
	}
	a = step(t, a, Agree{Actor: provHead, Conditions: []string{condA}}, t0.Add(5*time.Minute), e)
	if s == Approved {
		return a
	}
	a = step(t, a, Provision{Actor: provClerk, Deliveries: []Delivery{{Method: govshare.ServiceAPI, Reference: "api-key-7781"}}}, t0.Add(6*time.Minute), e)
	a = step(t, a, FileCorrection{Actor: reqClerk, Items: []string{"户籍地址"}, Description: "部分地址未更新"}, cst(2026, 10, 21, 9, 0), e)
	switch s {
	case Active:
		return a
	case Expired:
		return step(t, a, Expire{Actor: sys}, cst(2026, 12, 1, 0, 0), e)
	case Revoked:
		return step(t, a, Revoke{Actor: provHead, Reason: "发现超范围使用"}, cst(2026, 10, 22, 9, 0), e)
	case Closed:
		return step(t, a, Close{Actor: reqHead, Statement: "审核已完成，数据已按规定删除"}, cst(2026, 10, 22, 9, 0), e)
	case Discontinued:
		a = step(t, a, AnnounceChange{Actor: provHead, Change: EndService, EffectiveAt: cst(2026, 11, 22, 0, 0), Statement: "系统迁移，停止接口服务"}, cst(2026, 10, 22, 9, 0), e)
		return step(t, a, EffectChange{Actor: sys}, cst(2026, 11, 22, 0, 0), e)
	}
	t.Fatalf("no path to %s", s)
	return a
}
