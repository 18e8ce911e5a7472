package catalog_test

import (
	"fmt"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
)

// A 目录代码 in the layout of 《政务信息资源目录编制指南（试行）》 is a
// classification code — 类, 项, 目 and 细目 — then "/" and a 顺序码. A code
// that breaks the layout says which part is wrong.
func ExampleParseResourceCode() {
	c, err := catalog.ParseResourceCode("303012001/000123")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Type, c.Item, c.Heading, c.Detail, c.Sequence, c.Class())

	_, err = catalog.ParseResourceCode("401001/000001")
	fmt.Println(govshare.MessageOf(err).Zh)
	// Output:
	// 部门信息资源 03 012 001 000123 303012001
	// 信息资源代码“401001/000001”：类（第1位）应为1（基础）、2（主题）或3（部门）
}

// The guide's other metadata are optional fields of an entry, checked when
// given: here a 信息资源分类 that is not the classification code of the
// 目录代码, and a 发布日期 that is not a date.
func ExampleEntry_guideMetadata() {
	e := household()
	e.ResourceClass = "102001"
	e.ProviderCode = e.Provider.CreditCode
	e.Related = []string{"101001/000002"}
	e.ReleaseDate = catalog.Date{Year: 2026, Month: 2, Day: 30}
	for _, f := range catalog.Validate(e) {
		fmt.Println(f.Path, f.Code)
	}
	d, _ := catalog.ParseDate("2026年3月2日")
	fmt.Println(d)
	// Output:
	// resource_class catalog.resource_class_mismatch
	// release_date catalog.invalid_date
	// 2026-03-02
}
