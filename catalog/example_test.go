package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
)

// household is a conditional entry of a city public security bureau.
func household() catalog.Entry {
	return catalog.Entry{
		ID:   "101001/000001",
		Name: "户籍人口基本信息",
		Provider: govshare.Department{
			Name:       "杭州市公安局",
			CreditCode: "11330100002482101D",
			RegionCode: "330100",
			Level:      govshare.City,
		},
		Level:      catalog.Departmental,
		Format:     catalog.FormatTable,
		Frequency:  catalog.Daily,
		Share:      govshare.Conditional,
		Conditions: "仅用于社会保障待遇资格认证",
		Methods:    []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{
			Category: "public_security/person/basic",
			Grade:    classify.General3,
		},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Length: 50, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Length: 18,
				Share: govshare.NotShared, Kind: classify.IDCard},
		},
	}
}

// Validate returns every problem of an entry, each with a stable code, the
// path of the field, a message and the rule it enforces.
func ExampleValidate() {
	e := household()
	e.Conditions = ""                            // conditional, but no conditions (R7)
	e.Items[1].Share = govshare.Unconditional    // an item looser than its entry (R7)
	e.Provider.CreditCode = "11330100002482101E" // wrong check character

	for _, f := range catalog.Validate(e) {
		fmt.Printf("%s %s\n  %s\n", f.Code, f.Path, f.Message)
	}
	// Output:
	// catalog.invalid_credit_code provider.credit_code
	//   统一社会信用代码"11330100002482101E"不符合GB 32100-2015：校验码应为D
	// catalog.conditions_missing conditions
	//   有条件共享的目录未写明使用条件
	// catalog.item_looser items[1].share
	//   数据项“公民身份号码”的共享属性（无条件共享）宽于目录的共享属性（有条件共享）
}

// A store keeps every version; Publish refuses an entry with errors, and
// Published returns the version departments may request.
func ExampleMemoryStore() {
	ctx := context.Background()
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, deadline.CST)
	store, err := catalog.NewMemoryStore(catalog.WithClock(func() time.Time { return now }))
	if err != nil {
		fmt.Println(err)
		return
	}

	e := household()
	e.Methods = nil
	draft, _ := store.Put(ctx, e, 0)
	_, findings, err := store.Publish(ctx, draft.ID, draft.Version)
	fmt.Println(errors.Is(err, catalog.ErrNotPublishable), findings[0].Code)

	e.Methods = []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange}
	fixed, _ := store.Put(ctx, e, draft.Version)
	published, _, _ := store.Publish(ctx, fixed.ID, fixed.Version)
	fmt.Println(published.Version, published.Status, published.PublishedAt.Format(time.DateTime))

	_, err = store.Put(ctx, e, fixed.Version) // someone else's stale version
	fmt.Println(err)

	inForce, _ := store.Published(ctx, "101001/000001")
	res, _ := store.Find(ctx, catalog.Query{Text: "户籍", Share: govshare.Conditional, Status: catalog.Published})
	fmt.Println(inForce.Version, res.Total, res.Entries[0].Methods)
	// Output:
	// true catalog.method_missing
	// 3 已发布 2026-03-02 09:00:00
	// catalog: entry "101001/000001" is at version 3, not 2
	// 3 1 [服务接口 批量交换]
}

// Importers report each problem at its cell; RowErrorOf gives the sheet
// (none for CSV), row and column. Columns are found by their headers, in
// any order.
func ExampleImportCSV() {
	csv := strings.Join([]string{
		"目录代码,数据目录名称,提供单位,目录层级,数据格式,数据更新频率,共享属性,使用条件,不予共享依据,共享方式,数据分类,数据分级,数据项名称,数据项共享属性",
		"101001/000001,户籍人口基本信息,杭州市公安局,部门目录,库表,每日,有条件共享,须经审批,,服务接口，批量交换,公共安全/人/基础,一般数据3级,姓名,",
		"101001/000001,,,,,,,,,,,,公民身份号码,无条件共享",
		"101001/000001,,,,,,,,,,,,住址,看情况",
	}, "\n")
	entries, findings, err := catalog.ImportCSV(context.Background(), strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(entries), "entry,", len(entries[0].Items), "items, methods", entries[0].Methods)
	for _, f := range findings {
		re, _ := catalog.RowErrorOf(f)
		fmt.Printf("row %d column %s: %s %s\n", re.Row, re.Column, f.Code, f.Message)
	}
	// Output:
	// 1 entry, 3 items, methods [服务接口 批量交换]
	// row 3 column N: catalog.item_looser 数据项“公民身份号码”的共享属性（无条件共享）宽于目录的共享属性（有条件共享）
	// row 4 column N: catalog.unknown_value 数据项共享属性的值"看情况"无法识别，可填写：无条件共享、有条件共享、不予共享（或代码 unconditional、conditional、not_shared）
}

// ExportJSON writes the canonical form, which ImportJSON reads back.
func ExampleExportJSON() {
	e := household()
	e.Items = e.Items[:1]
	if err := catalog.ExportJSON(os.Stdout, []catalog.Entry{e}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "entries": [
	//     {
	//       "id": "101001/000001",
	//       "name": "户籍人口基本信息",
	//       "provider": {
	//         "name": "杭州市公安局",
	//         "credit_code": "11330100002482101D",
	//         "region_code": "330100",
	//         "level": "city"
	//       },
	//       "level": "departmental",
	//       "items": [
	//         {
	//           "name": "姓名",
	//           "column": "xm",
	//           "type": "string",
	//           "length": 50,
	//           "kind": "name"
	//         }
	//       ],
	//       "format": "table",
	//       "frequency": "daily",
	//       "share": "conditional",
	//       "conditions": "仅用于社会保障待遇资格认证",
	//       "methods": [
	//         "service_api"
	//       ],
	//       "classification": {
	//         "category": "public_security/person/basic",
	//         "grade": "general_3"
	//       },
	//       "version": 0
	//     }
	//   ]
	// }
}

// A host registers its own categories in a registry it builds and passes
// with WithRegistry; without it, only the default sectors are known.
func ExampleWithRegistry() {
	registry := classify.NewRegistry()
	if err := registry.Register("public_security/household", "户政", "household registration"); err != nil {
		fmt.Println(err)
		return
	}
	e := household()
	e.Classification.Category = "public_security/household/person"
	fmt.Println(len(catalog.Validate(e)), len(catalog.Validate(e, catalog.WithRegistry(registry))))
	// Output:
	// 1 0
}

// Store errors match the root kinds, which map to transport statuses, and
// carry their message in Chinese and English.
func ExampleConflictError() {
	ctx := context.Background()
	store, err := catalog.NewMemoryStore()
	if err != nil {
		fmt.Println(err)
		return
	}
	first, _ := store.Put(ctx, household(), 0)
	_, err = store.Put(ctx, household(), first.Version+1)
	fmt.Println(errors.Is(err, govshare.ErrConflict), govshare.HTTPStatus(err))
	fmt.Println(govshare.MessageOf(err).Zh)
	_, err = store.Get(ctx, "101001/999999")
	fmt.Println(errors.Is(err, govshare.ErrNotFound), govshare.HTTPStatus(err))
	// Output:
	// true 409
	// 目录“101001/000001”当前为第1版，不是第2版：已有他人修改，请重新读取后再提交
	// true 404
}
