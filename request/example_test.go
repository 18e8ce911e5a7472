package request_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// A conditional application received on Tuesday 2026-09-29, just before
// the National Day holiday, with an extension the competent department
// approves: the dates the provider must meet, the notice the requester
// must receive, and the gateway's decisions once the data are provided.
func Example() {
	ctx := context.Background()
	clock := time.Date(2026, 9, 29, 10, 0, 0, 0, deadline.CST)
	now := func() time.Time { return clock }

	police := govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare := govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau := govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	clerk := govshare.Actor{ID: "wang", Department: welfare, Role: govshare.Clerk}
	head := govshare.Actor{ID: "li", Department: welfare, Role: govshare.OfficeHead}
	provider := govshare.Actor{ID: "chen", Department: police, Role: govshare.OfficeHead}
	authority := govshare.Actor{ID: "sun", Department: bureau, Role: govshare.Authority}

	// The provider's published catalog entry (conditional, R7).
	cat, _ := catalog.NewMemoryStore(catalog.WithClock(now))
	entry, _ := cat.Put(ctx, catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "姓名、身份证号、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Kind: classify.Name},
			{Name: "身份证号", Column: "sfzh", Type: catalog.TypeString, Kind: classify.IDCard},
		},
	}, 0)
	if _, _, err := cat.Publish(ctx, entry.ID, entry.Version); err != nil {
		fmt.Println(err)
		return
	}

	log, _ := audit.NewMemory()
	svc, err := request.NewService(ctx, request.NewMemoryStore(), cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}},
		request.WithClock(now))
	if err != nil {
		fmt.Println(err)
		return
	}

	// One entry point, Do, for every command; each carries its actor.
	id := "SQ-2026-0001"
	svc.Do(ctx, id, request.Create{Actor: clerk, EntryID: entry.ID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
		Items: []string{"姓名", "身份证号"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: clock, To: time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.CST)},
	}})
	svc.Do(ctx, id, request.Submit{Actor: clerk})
	clock = clock.Add(5 * time.Hour) // 15:00: the head endorses it; the provider receives it
	app, _, _ := svc.Do(ctx, id, request.Endorse{Actor: head})
	fmt.Println(app.State, "reply due", app.Clock.DueAt.Format("2006-01-02 15:04"))

	clock = time.Date(2026, 10, 14, 9, 0, 0, 0, deadline.CST)
	svc.Do(ctx, id, request.RequestExtension{Actor: provider, Days: 5, Reason: "需与人口库逐条核对"})
	app, ev, _ := svc.Do(ctx, id, request.DecideExtension{Actor: authority, Decision: request.Granted, Comment: "同意延期"})
	fmt.Println(app.State, "reply due", app.Clock.DueAt.Format("2006-01-02 15:04"))
	fmt.Println(ev.Notices[0].Message)

	clock = time.Date(2026, 10, 23, 16, 0, 0, 0, deadline.CST)
	svc.Do(ctx, id, request.Agree{Actor: provider, Conditions: []string{"仅限办理社会救助审核使用"}})
	app, _, _ = svc.Do(ctx, id, request.Provision{Actor: provider,
		Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7781"}}})
	fmt.Println(app.State, "late:", app.Answer.Late)

	access := request.Access{Department: welfare, EntryID: entry.ID, Items: []string{"身份证号"},
		Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核", At: clock}
	fmt.Println(svc.Authorize(access).Allowed)
	access.Scenario = "招商引资"
	fmt.Println(svc.Authorize(access).Reason.Code())

	n, _ := log.Len(ctx)
	fmt.Println("audit records:", n, "verified:", log.Verify(ctx) == nil)
	// Output:
	// 待答复 reply due 2026-10-20 00:00
	// 待答复 reply due 2026-10-27 00:00
	// 经政务数据共享主管部门批准，某市公安局对共享申请SQ-2026-0001的答复期限延长5个工作日，延长后于2026年10月26日24:00届满。
	// 共享中 late: false
	// true
	// wrong_scenario
	// audit records: 7 verified: true
}

// A host decodes a command from a request body by its name; the actor is
// the one the host authenticated, never part of the body.
func ExampleDecodeCommand() {
	head := govshare.Actor{ID: "chen", Role: govshare.OfficeHead,
		Department: govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X"}}
	cmd, err := request.DecodeCommand([]byte(`{"command":"refuse","reason":"beyond_duties","explanation":"与所述职责无关"}`), head)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := cmd.(request.Refuse)
	fmt.Println(cmd.Name(), r.Reason, r.Actor.ID)

	b, _ := request.MarshalCommand(request.DecideExtension{Decision: request.Granted, Comment: "同意"})
	fmt.Println(string(b))

	_, err = request.DecodeCommand([]byte(`{"command":"agree","itmes":["姓名"]}`), head)
	fmt.Println(errors.Is(err, govshare.ErrMalformed))
	// Output:
	// 不同意共享 非履职需要 chen
	// {"command":"decide_extension","decision":"granted","comment":"同意"}
	// true
}
