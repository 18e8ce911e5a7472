package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// The parties of the Service tests.
var (
	police     = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare    = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau     = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	reqClerk   = govshare.Actor{ID: "wang", Name: "王𠀀", Department: welfare, Role: govshare.Clerk}
	reqHead    = govshare.Actor{ID: "li", Name: "李", Department: welfare, Role: govshare.OfficeHead}
	provHead   = govshare.Actor{ID: "chen", Name: "陈", Department: police, Role: govshare.OfficeHead}
	scenario   = "最低生活保障对象资格审核"
	entryID    = "101001/000001"
	commandsAt = time.Date(2026, 10, 14, 9, 0, 0, 0, deadline.CST)
	accessAt   = time.Date(2026, 10, 24, 9, 0, 0, 0, deadline.CST)
)

// testCatalog returns a memory catalog with the published entry the
// applications ask for.
func testCatalog(t testing.TB) *catalog.MemoryStore {
	t.Helper()
	ctx := context.Background()
	cat, err := catalog.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	e, err := cat.Put(ctx, catalog.Entry{
		ID: entryID, Name: "户籍人口基本信息", Summary: "姓名、身份证号、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Kind: classify.Name},
			{Name: "身份证号", Column: "sfzh", Type: catalog.TypeString, Kind: classify.IDCard},
		},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cat.Publish(ctx, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	return cat
}

// newService returns a Service over store and log with a fixed clock.
func newService(t testing.TB, store request.Store, cat request.Catalog, log audit.Recorder, opts ...request.Option) *request.Service {
	t.Helper()
	svc, err := request.NewService(context.Background(), store, cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}},
		append([]request.Option{request.WithClock(func() time.Time { return commandsAt })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

var elements = request.Elements{Basis: "《社会救助暂行办法》第十一条", Scenario: scenario,
	Items: []string{"姓名", "身份证号"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
	Period: request.UsePeriod{From: commandsAt, To: time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.CST)}}

// grantSteps are the commands that take a new application to a grant.
func grantSteps() []request.Command {
	return []request.Command{
		request.Create{Actor: reqClerk, EntryID: entryID, Elements: elements},
		request.Submit{Actor: reqClerk},
		request.Endorse{Actor: reqHead},
		request.Agree{Actor: provHead, Conditions: []string{"仅限办理社会救助审核使用"}},
		request.Provision{Actor: provHead, Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7781"}}},
	}
}

// access is the welfare department reading the granted item.
var access = request.Access{Department: welfare, EntryID: entryID, Items: []string{"身份证号"},
	Method: govshare.ServiceAPI, Scenario: scenario, At: accessAt}

// grant runs the grant steps on application id.
func grant(t testing.TB, svc *request.Service, id string) {
	t.Helper()
	for _, cmd := range grantSteps() {
		if _, _, err := svc.Do(context.Background(), id, cmd); err != nil {
			t.Fatalf("%s %s: %v", id, cmd.Name().Code(), err)
		}
	}
}

func revoke() request.Command {
	return request.Revoke{Actor: provHead, Reason: "发现超范围使用"}
}
