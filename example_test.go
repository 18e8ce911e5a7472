package govshare_test

import (
	"encoding/json"
	"fmt"

	"github.com/govshare/govshare"
)

// Enumerations print their Chinese term, marshal to a stable code and parse
// either form.
func Example() {
	a, _ := govshare.ParseShareAttribute("有条件共享")
	code, _ := a.MarshalText()
	fmt.Println(a, string(code))

	m, _ := govshare.ParseShareMethod("file_download")
	fmt.Println(m)

	b, _ := json.Marshal(struct {
		Share  govshare.ShareAttribute `json:"share"`
		Method govshare.ShareMethod    `json:"method"`
	}{govshare.NotShared, govshare.BatchExchange})
	fmt.Println(string(b))
	// Output:
	// 有条件共享 conditional
	// 文件下载
	// {"share":"not_shared","method":"batch_exchange"}
}

// A Finding carries a stable code, a Chinese and an English message and the
// rule it enforces.
func ExampleFinding() {
	f := govshare.Finding{
		Code:      "catalog.legal_basis_missing",
		Severity:  govshare.Error,
		Path:      "legal_basis",
		Message:   "不予共享的目录未写明法律、行政法规或党中央、国务院政策文件依据",
		MessageEN: "a not-shared entry must state its legal basis",
		Citation:  govshare.Rule("R7"),
	}
	fmt.Println(f)
	// Output:
	// 错误 legal_basis：不予共享的目录未写明法律、行政法规或党中央、国务院政策文件依据〔R7 政务数据共享条例 第三章 目录管理〕
}
