package catalog

import (
	"fmt"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
)

// Provider codes used by the fixtures. Their check characters are worked
// out in TestFixtureCreditCodes from GB 32100-2015, not by the package.
const (
	policeCode = "11330100002482101D" // 杭州市公安局 (fictional sequence)
	healthCode = "11330100MB1234567E" // 杭州市卫生健康委员会 (fictional sequence)
)

var (
	police = govshare.Department{Name: "杭州市公安局", CreditCode: policeCode, RegionCode: "330100", Level: govshare.City}
	health = govshare.Department{Name: "杭州市卫生健康委员会", CreditCode: healthCode, RegionCode: "330100", Level: govshare.City}
)

// validEntry is a conditional entry with three items that passes every
// check; tests change one thing at a time.
func validEntry() Entry {
	return Entry{
		ID:         "101001/000001",
		Name:       "户籍人口基本信息",
		Summary:    "本市户籍人口的姓名、身份证号和住址",
		Provider:   police,
		Level:      Departmental,
		Format:     FormatTable,
		Frequency:  Daily,
		Share:      govshare.Conditional,
		Conditions: "仅用于社会保障待遇资格认证",
		Methods:    []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange},
		Classification: classify.Classification{
			Category: "public_security/person/basic",
			Grade:    classify.General3,
		},
		Items: []DataItem{
			{Name: "姓名", Column: "xm", Type: TypeString, Length: 50, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: TypeString, Length: 18, Share: govshare.NotShared, Kind: classify.IDCard, Description: "18位"},
			{Name: "住址", Column: "zz", Type: TypeString, Length: 200, Kind: classify.Address},
		},
	}
}

// corpus returns n valid entries of k items each, with varied providers,
// attributes and grades, for round trips and benchmarks.
func corpus(n, k int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		out[i] = corpusEntry(i, k)
	}
	return out
}

// corpusEntry is entry i of corpus(n, k).
func corpusEntry(i, k int) Entry {
	shares := []govshare.ShareAttribute{govshare.Unconditional, govshare.Conditional, govshare.NotShared}
	grades := []classify.Grade{classify.General1, classify.General2, classify.General3, classify.Important}
	e := validEntry()
	e.ID = fmt.Sprintf("%d01%03d/%06d", 1+i%3, i%1000, i)
	e.Name = fmt.Sprintf("数据目录%d号", i)
	e.Summary = fmt.Sprintf("第%d个目录的摘要，关键词 kw%d", i, i)
	e.Provider = govshare.Department{
		Name:       fmt.Sprintf("部门%d", i%500),
		RegionCode: fmt.Sprintf("33%02d00", 1+i%11),
		Level:      govshare.City,
	}
	e.Share = shares[i%3]
	e.Conditions, e.LegalBasis = "", ""
	e.Methods = []govshare.ShareMethod{govshare.ServiceAPI}
	switch e.Share {
	case govshare.Conditional:
		e.Conditions = "仅用于履行法定职责"
	case govshare.NotShared:
		e.LegalBasis = "《中华人民共和国统计法》第九条"
		e.Methods = nil
	}
	e.Classification.Grade = grades[i%4]
	e.Items = make([]DataItem, k)
	for j := range e.Items {
		e.Items[j] = DataItem{Name: fmt.Sprintf("数据项%d", j), Column: fmt.Sprintf("c%d", j), Type: TypeString, Length: 10 + j}
	}
	if e.Share != govshare.NotShared && k > 0 {
		e.Items[0].Share = govshare.NotShared
		e.Items[0].Kind = classify.IDCard
	}
	return e
}

// clock is a settable time source for stores under test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClock() *clock {
	return &clock{t: time.Date(2026, time.March, 2, 9, 30, 0, 0, deadline.CST)}
}
