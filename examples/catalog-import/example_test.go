package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

// Example lints a catalog spreadsheet in which a department marked a
// conditional entry without its conditions of use and made one of its
// data items looser than the entry. Each finding names the sheet and the
// cell; the exit status is 1 because there are errors.
func Example() {
	dir, err := os.MkdirTemp("", "catalog-import")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	e := catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息",
		Provider: govshare.Department{Name: "杭州市公安局", CreditCode: "11330100002482101D", RegionCode: "330100"},
		Level:    catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share:          govshare.Conditional, // but no Conditions: R7
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Kind: classify.Name},
			{Name: "公民身份号码", Share: govshare.Unconditional, Kind: classify.IDCard}, // looser than the entry
		},
	}
	var b bytes.Buffer
	if err := catalog.ExportXLSX(&b, []catalog.Entry{e}); err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(dir, "目录.xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		fmt.Println(err)
		return
	}

	code := run(context.Background(), []string{path}, os.Stdout, os.Stderr)
	fmt.Println("exit status", code)
	// Output:
	// 目录!K2	错误	catalog.conditions_missing	有条件共享的目录未写明使用条件〔R7 政务数据共享条例 第三章 目录管理〕
	// 数据项!F3	错误	catalog.item_looser	数据项“公民身份号码”的共享属性（无条件共享）宽于目录的共享属性（有条件共享）〔R7 政务数据共享条例 第三章 目录管理〕
	// 目录.xlsx：1 个目录，2 个数据项；2 个错误，0 个警告，0 个提示
	// exit status 1
}
