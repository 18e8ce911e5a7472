package main

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// The quickstart's departments and people (examples/quickstart), for
// serve --demo.
var (
	demoPolice  = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	demoWelfare = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	demoBureau  = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}

	// demoTokens are public: serve refuses --demo on any address but a
	// loopback one.
	demoTokens = map[string]govshare.Actor{
		"demo-zhao":    {ID: "zhao", Name: "赵经办", Department: demoPolice, Role: govshare.Clerk},
		"demo-chen":    {ID: "chen", Name: "陈负责人", Department: demoPolice, Role: govshare.OfficeHead},
		"demo-wang":    {ID: "wang", Name: "王经办", Department: demoWelfare, Role: govshare.Clerk},
		"demo-li":      {ID: "li", Name: "李负责人", Department: demoWelfare, Role: govshare.OfficeHead},
		"demo-zhou":    {ID: "zhou", Name: "周负责人", Department: demoWelfare, Role: govshare.OfficeHead},
		"demo-sun":     {ID: "sun", Name: "孙处长", Department: demoBureau, Role: govshare.Authority},
		"demo-gateway": {ID: "gw-welfare", Name: "社会救助信息系统", Department: demoWelfare, Role: govshare.System},
	}
	demoTokenOrder = []string{"demo-zhao", "demo-chen", "demo-wang", "demo-li", "demo-zhou", "demo-sun", "demo-gateway"}
)

func demoEntries() []catalog.Entry {
	return []catalog.Entry{{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "本市户籍人口的姓名、公民身份号码、户籍地址",
		Provider: demoPolice, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用；不得向第三方提供",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Length: 50, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Length: 18, Kind: classify.IDCard},
			{Name: "户籍地址", Column: "hjdz", Type: catalog.TypeString, Length: 200, Kind: classify.Address},
		},
	}, {
		ID: "301002/000007", Name: "社会组织登记信息", Summary: "本市登记的社会组织名称、统一社会信用代码、成立日期",
		Provider: demoWelfare, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share:          govshare.Unconditional,
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange},
		Classification: classify.Classification{Category: "civil_affairs/organization/basic", Grade: classify.General1},
		Items: []catalog.DataItem{
			{Name: "组织名称", Column: "zzmc", Type: catalog.TypeString, Length: 200},
			{Name: "统一社会信用代码", Column: "tyshxydm", Type: catalog.TypeString, Length: 18, Kind: classify.USCC},
			{Name: "成立日期", Column: "clrq", Type: catalog.TypeDate},
		},
	}}
}

// demoWorld builds the quickstart's world in memory, on its dates: the
// catalog published; SQ-001 (unconditional) answered and provided;
// SQ-002 (conditional, across 国庆 2026) extended, answered in part and
// provided; SQ-003 received and never answered; one gateway decision
// allowed and one denied. The audit log is keyed with a random key and its
// checkpoints signed with a new SM2 key, whose public half serve prints.
func demoWorld(ctx context.Context, clk *switchClock) (*world, error) {
	at := func(y int, m time.Month, d, hh, mm int) { clk.set(time.Date(y, m, d, hh, mm, 0, 0, deadline.CST)) }
	at(2026, 9, 28, 9, 0)
	cat, err := catalog.NewMemoryStore(catalog.WithClock(clk.now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return nil, err
	}
	for _, e := range demoEntries() {
		d, err := cat.Put(ctx, e, 0)
		if err != nil {
			return nil, err
		}
		if _, _, err := cat.Publish(ctx, d.ID, d.Version); err != nil {
			return nil, err
		}
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	log, err := audit.NewMemory(audit.WithKey(key), audit.WithClock(clk.now))
	if err != nil {
		return nil, err
	}
	apps := request.NewMemoryStore()
	svc, err := request.NewService(ctx, apps, cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": demoBureau}}, request.WithClock(clk.now))
	if err != nil {
		return nil, err
	}
	t := demoTokens
	period := request.UsePeriod{From: deadline.Date(2026, 10, 1), To: deadline.Date(2027, 1, 1)}
	steps := []struct {
		at      [5]int
		id      string
		cmd     request.Command
		byToken string
	}{
		{[5]int{2026, 9, 29, 9, 30}, "SQ-001", request.Create{EntryID: "301002/000007", Elements: request.Elements{
			Basis: "《中华人民共和国反洗钱法》第二十三条", Scenario: "社会组织涉案资金核查",
			Items: []string{"组织名称", "统一社会信用代码"}, Users: "经侦支队核查人员", Method: govshare.ServiceAPI, Period: period}}, "demo-zhao"},
		{[5]int{2026, 9, 29, 9, 30}, "SQ-001", request.Submit{}, "demo-zhao"},
		{[5]int{2026, 9, 29, 10, 0}, "SQ-001", request.Endorse{}, "demo-chen"},
		{[5]int{2026, 9, 29, 14, 0}, "SQ-002", request.Create{EntryID: "101001/000001", Elements: request.Elements{
			Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
			Items: []string{"姓名", "公民身份号码", "户籍地址"}, Systems: []string{"社会救助信息系统"}, Users: "社会救助科审核人员",
			Method: govshare.ServiceAPI, Period: period}}, "demo-wang"},
		{[5]int{2026, 9, 29, 14, 0}, "SQ-002", request.Submit{}, "demo-wang"},
		{[5]int{2026, 9, 29, 15, 0}, "SQ-002", request.Endorse{}, "demo-li"},
		{[5]int{2026, 9, 30, 11, 0}, "SQ-001", request.Agree{}, "demo-zhou"},
		{[5]int{2026, 9, 30, 11, 0}, "SQ-001", request.Provision{Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0001"}}}, "demo-zhou"},
		{[5]int{2026, 10, 8, 9, 0}, "SQ-003", request.Create{EntryID: "101001/000001", Elements: request.Elements{
			Basis: "《社会救助暂行办法》第十一条", Scenario: "临时救助对象核查", Items: []string{"姓名"},
			Method: govshare.ServiceAPI, Period: request.UsePeriod{From: deadline.Date(2026, 10, 8), To: deadline.Date(2027, 1, 1)}}}, "demo-wang"},
		{[5]int{2026, 10, 8, 9, 0}, "SQ-003", request.Submit{}, "demo-wang"},
		{[5]int{2026, 10, 8, 9, 0}, "SQ-003", request.Endorse{}, "demo-li"},
		{[5]int{2026, 10, 14, 9, 0}, "SQ-002", request.RequestExtension{Days: 5, Reason: "需与人口库逐条核对地址"}, "demo-zhao"},
		{[5]int{2026, 10, 14, 16, 0}, "SQ-002", request.DecideExtension{Decision: request.Granted, Comment: "同意延长5个工作日"}, "demo-sun"},
		{[5]int{2026, 10, 23, 16, 0}, "SQ-002", request.Agree{Items: []string{"姓名", "公民身份号码"},
			Refused:    []request.RefusedItem{{Item: "户籍地址", Reason: "地址数据正在治理，暂不提供"}},
			Conditions: []string{"仅限办理社会救助审核使用；不得向第三方提供"}}, "demo-chen"},
		{[5]int{2026, 10, 23, 16, 0}, "SQ-002", request.Provision{Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0002"}}}, "demo-zhao"},
	}
	for _, s := range steps {
		at(s.at[0], time.Month(s.at[1]), s.at[2], s.at[3], s.at[4])
		if _, _, err := svc.Do(ctx, s.id, withActor(s.cmd, t[s.byToken])); err != nil {
			return nil, err
		}
	}
	at(2026, 10, 26, 10, 0)
	reader := t["demo-gateway"]
	for _, items := range [][]string{{"姓名", "公民身份号码"}, {"户籍地址"}} {
		acc := request.Access{Department: demoWelfare, EntryID: "101001/000001", Items: items, Method: govshare.ServiceAPI,
			Scenario: "最低生活保障对象资格审核", At: clk.now()}
		if _, err := svc.AuthorizeRecorded(ctx, acc, reader); err != nil {
			return nil, err
		}
	}
	if _, err := log.Checkpoint(ctx); err != nil {
		return nil, err
	}
	return &world{svc: svc, apps: apps, cat: cat, log: log}, nil
}

// withActor returns the command with its actor set: commands marshal
// without one, so the demo decodes each as the HTTP API does.
func withActor(c request.Command, a govshare.Actor) request.Command {
	data, err := request.MarshalCommand(c)
	if err != nil {
		return c
	}
	out, err := request.DecodeCommand(data, a)
	if err != nil {
		return c
	}
	return out
}
