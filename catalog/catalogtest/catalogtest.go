package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

// Run runs the conformance tests of catalog.Store against the stores
// newStore returns, one fresh empty store per subtest.
func Run(t *testing.T, newStore func(t *testing.T) catalog.Store) {
	t.Helper()
	t.Run("Versions", func(t *testing.T) { testVersions(t, newStore(t)) })
	t.Run("PublishWithdraw", func(t *testing.T) { testPublishWithdraw(t, newStore(t)) })
	t.Run("Refusals", func(t *testing.T) { testRefusals(t, newStore(t)) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrentWriters(t, newStore(t)) })
	t.Run("FindEqualsMemory", func(t *testing.T) { testFindEqualsMemory(t, newStore(t)) })
}

// Providers of the generated entries: fictional departments in 浙江
// (33xxxx) and 北京 (11xxxx), with and without a credit code.
var providers = []govshare.Department{
	{Name: "杭州市公安局", CreditCode: "11330100002482101D", RegionCode: "330100", Level: govshare.City},
	{Name: "杭州市卫生健康委员会", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City},
	{Name: "西湖区民政局", RegionCode: "330106", Level: govshare.County},
	{Name: "宁波市Ｄａｔａ中心", RegionCode: "330200", Level: govshare.City},
	{Name: "浙江省大数据发展管理局", RegionCode: "330000", Level: govshare.Provincial},
	{Name: "北京市统计局", RegionCode: "110000", Level: govshare.Provincial},
	{Name: "无区划部门"},
}

// words vary the generated text: CJK, ASCII in both widths and cases,
// digits.
var words = []string{"户籍人口", "社会保障", "不动产登记", "Open DATA", "ＫＷ数据", "kw", "营业执照", "医保 结算", "2026年度", "空气质量"}

// Entry returns entry i of the kit's generated catalog: valid and
// publishable under the default catalog options, with providers, regions,
// share attributes, methods, grades and text varied by i.
func Entry(i int) catalog.Entry {
	shares := []govshare.ShareAttribute{govshare.Unconditional, govshare.Conditional, govshare.NotShared}
	grades := []classify.Grade{classify.General1, classify.General2, classify.General3, classify.Important}
	methods := [][]govshare.ShareMethod{{govshare.ServiceAPI}, {govshare.BatchExchange, govshare.ServiceAPI}, {govshare.FileDownload}}
	e := catalog.Entry{
		ID:        fmt.Sprintf("%d01%03d/%06d", 1+i%3, i%1000, i),
		Name:      fmt.Sprintf("%s数据目录%d号", words[i%len(words)], i),
		Summary:   fmt.Sprintf("第%d个目录的摘要，关键词 kw%d，%s", i, i, words[(i/3)%len(words)]),
		Provider:  providers[i%len(providers)],
		Level:     catalog.Departmental,
		Format:    catalog.FormatTable,
		Frequency: catalog.Daily,
		Share:     shares[i%3],
		Methods:   slices.Clone(methods[(i/2)%len(methods)]),
		Classification: classify.Classification{
			Category: "public_security/person/basic",
			Grade:    grades[i%4],
		},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Length: 50, Kind: classify.Name},
			{Name: words[(i/7)%len(words)] + "编号", Column: "bh", Type: catalog.TypeString, Length: 32},
		},
	}
	switch e.Share {
	case govshare.Conditional:
		e.Conditions = "仅用于履行法定职责"
	case govshare.NotShared:
		e.LegalBasis = "《中华人民共和国统计法》第九条"
		e.Methods = nil
	}
	if e.Share != govshare.NotShared {
		e.Items = append(e.Items, catalog.DataItem{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Length: 18,
			Share: govshare.NotShared, Kind: classify.IDCard})
	}
	return e
}

// content is e without what the store sets from its clock, with empty
// slices as nil: what two stores given the same writes agree on.
func content(e catalog.Entry) catalog.Entry {
	e = e.Clone()
	e.UpdatedAt, e.PublishedAt = time.Time{}, time.Time{}
	if len(e.Items) == 0 {
		e.Items = nil
	}
	if len(e.Methods) == 0 {
		e.Methods = nil
	}
	if len(e.Related) == 0 {
		e.Related = nil
	}
	return e
}

// same reports whether a and b are the same version, timestamps included
// (compared as instants).
func same(a, b catalog.Entry) bool {
	return a.UpdatedAt.Equal(b.UpdatedAt) && a.PublishedAt.Equal(b.PublishedAt) && reflect.DeepEqual(content(a), content(b))
}

func mustSame(t *testing.T, what string, got, want catalog.Entry) {
	t.Helper()
	if !same(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// checker fails the test on an error and returns the value.
type checker struct{ t *testing.T }

func (c checker) e(v catalog.Entry, err error) catalog.Entry {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

func (c checker) r(v catalog.Result, err error) catalog.Result {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

func (c checker) h(v []catalog.Entry, err error) []catalog.Entry {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

func wantConflict(t *testing.T, what string, err error, expected, actual int64) {
	t.Helper()
	var ce *catalog.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("%s: %v, want a *ConflictError (ErrConflict)", what, err)
	}
	if ce.Expected != expected || ce.Actual != actual {
		t.Fatalf("%s: conflict expected %d actual %d, want %d and %d", what, ce.Expected, ce.Actual, expected, actual)
	}
	if m := govshare.MessageOf(err); m.Code != "catalog.conflict" || m.Zh == "" {
		t.Fatalf("%s: message %+v, want catalog.conflict in Chinese", what, m)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	var nf *catalog.NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, govshare.ErrNotFound) {
		t.Fatalf("%s: %v, want a *NotFoundError (ErrNotFound)", what, err)
	}
}

func wantStatus(t *testing.T, what string, err error, status catalog.Status, action string) {
	t.Helper()
	var se *catalog.StatusError
	if !errors.As(err, &se) || !errors.Is(err, catalog.ErrStatus) || !errors.Is(err, govshare.ErrConflict) {
		t.Fatalf("%s: %v, want a *StatusError (ErrStatus, ErrConflict)", what, err)
	}
	if se.Status != status || se.Action != action {
		t.Fatalf("%s: status error %+v, want status %v, action %s", what, se, status, action)
	}
}

func testVersions(t *testing.T, s catalog.Store) {
	ctx, c := context.Background(), checker{t}
	e := Entry(1)
	v1 := c.e(s.Put(ctx, e, 0))
	if v1.Version != 1 || v1.Status != catalog.Draft || v1.UpdatedAt.IsZero() || !v1.PublishedAt.IsZero() {
		t.Fatalf("first Put = version %d, %v, updated %v, published %v; want a version 1 draft, stamped, never published",
			v1.Version, v1.Status, v1.UpdatedAt, v1.PublishedAt)
	}
	want := e
	want.Status, want.Version = catalog.Draft, 1
	if !reflect.DeepEqual(content(v1), content(want)) {
		t.Fatalf("Put returned\n %+v\nfor\n %+v", v1, want)
	}
	mustSame(t, "Get after Put", c.e(s.Get(ctx, e.ID)), v1)

	_, err := s.Put(ctx, e, 0)
	wantConflict(t, "creating an existing entry", err, 0, 1)
	_, err = s.Put(ctx, e, 7)
	wantConflict(t, "Put with a version never written", err, 7, 1)

	e.Name = "改名后的目录"
	v2 := c.e(s.Put(ctx, e, 1))
	if v2.Version != 2 || v2.Name != e.Name || v2.Status != catalog.Draft {
		t.Fatalf("second Put = %+v", v2)
	}
	_, err = s.Put(ctx, e, 1)
	wantConflict(t, "Put with a stale version", err, 1, 2)

	mustSame(t, "Version 1", c.e(s.Version(ctx, e.ID, 1)), v1)
	mustSame(t, "Version 2", c.e(s.Version(ctx, e.ID, 2)), v2)
	mustSame(t, "Get", c.e(s.Get(ctx, e.ID)), v2)
	for _, v := range []int64{0, 3, -1} {
		_, err := s.Version(ctx, e.ID, v)
		wantNotFound(t, fmt.Sprintf("Version %d", v), err)
	}
	h := c.h(s.History(ctx, e.ID))
	if len(h) != 2 || !same(h[0], v1) || !same(h[1], v2) {
		t.Fatalf("History = %+v, want versions 1 and 2, oldest first", h)
	}

	missing := Entry(2)
	_, err = s.Get(ctx, missing.ID)
	wantNotFound(t, "Get of a missing entry", err)
	_, err = s.History(ctx, missing.ID)
	wantNotFound(t, "History of a missing entry", err)
	_, err = s.Put(ctx, missing, 3)
	wantNotFound(t, "Put with a version of a missing entry", err)
	_, err = s.Get(ctx, missing.ID)
	wantNotFound(t, "Get after the refused Put", err)
}

func testPublishWithdraw(t *testing.T, s catalog.Store) {
	ctx, c := context.Background(), checker{t}
	e := Entry(4)
	v1 := c.e(s.Put(ctx, e, 0))
	_, err := s.Published(ctx, e.ID)
	wantStatus(t, "Published of a draft", err, catalog.Draft, "request")
	_, err = s.Withdraw(ctx, e.ID, 1)
	wantStatus(t, "Withdraw of a never-published draft", err, catalog.Draft, "withdraw")
	_, _, err = s.Publish(ctx, e.ID, 2)
	wantConflict(t, "Publish with a stale version", err, 2, 1)

	v2, findings, err := s.Publish(ctx, e.ID, 1)
	if err != nil || govshare.HasError(findings) {
		t.Fatalf("Publish = %v, %v", err, findings)
	}
	if v2.Version != 2 || v2.Status != catalog.Published || v2.PublishedAt.IsZero() || !v2.PublishedAt.Equal(v2.UpdatedAt) {
		t.Fatalf("Publish = %+v, want version 2, published, published at its update", v2)
	}
	want := content(v1)
	want.Status, want.Version = catalog.Published, 2
	if !reflect.DeepEqual(content(v2), want) {
		t.Fatalf("Publish changed the content:\n got %+v\nwant %+v", v2, want)
	}
	mustSame(t, "Published", c.e(s.Published(ctx, e.ID)), v2)
	_, _, err = s.Publish(ctx, e.ID, 2)
	wantStatus(t, "Publish of a published entry", err, catalog.Published, "publish")

	// A draft over the published version: the published one stays in
	// force and is what Find(Published) finds.
	e.Summary = "修订中的摘要"
	v3 := c.e(s.Put(ctx, e, 2))
	if v3.Status != catalog.Draft || !v3.PublishedAt.Equal(v2.PublishedAt) {
		t.Fatalf("draft over the published version = %+v, want a draft keeping PublishedAt %v", v3, v2.PublishedAt)
	}
	mustSame(t, "Published while a draft is edited", c.e(s.Published(ctx, e.ID)), v2)
	res := c.r(s.Find(ctx, catalog.Query{Status: catalog.Published}))
	if res.Total != 1 || !same(res.Entries[0], v2) {
		t.Fatalf("Find(Published) = %+v, want version 2 only", res)
	}
	res = c.r(s.Find(ctx, catalog.Query{Status: catalog.Draft}))
	if res.Total != 1 || !same(res.Entries[0], v3) {
		t.Fatalf("Find(Draft) = %+v, want version 3 only", res)
	}
	res = c.r(s.Find(ctx, catalog.Query{Text: "修订中"}))
	if res.Total != 1 || res.Entries[0].Version != 3 {
		t.Fatalf("Find(Text of the draft) = %+v, want version 3", res)
	}
	if res = c.r(s.Find(ctx, catalog.Query{Text: "修订中", Status: catalog.Published})); res.Total != 0 {
		t.Fatalf("Find(Text of the draft, Published) = %+v, want nothing: the version in force has the old summary", res)
	}

	v4 := c.e(s.Withdraw(ctx, e.ID, 3))
	if v4.Version != 4 || v4.Status != catalog.Withdrawn {
		t.Fatalf("Withdraw = %+v", v4)
	}
	_, err = s.Published(ctx, e.ID)
	wantStatus(t, "Published of a withdrawn entry", err, catalog.Withdrawn, "request")
	_, err = s.Withdraw(ctx, e.ID, 4)
	wantStatus(t, "Withdraw of a withdrawn entry", err, catalog.Withdrawn, "withdraw")
	if res = c.r(s.Find(ctx, catalog.Query{Status: catalog.Published})); res.Total != 0 || res.Entries != nil {
		t.Fatalf("Find(Published) after Withdraw = %+v, want nothing", res)
	}
	// Withdrawn entries may be published again.
	v5, _, err := s.Publish(ctx, e.ID, 4)
	if err != nil || v5.Version != 5 || v5.Status != catalog.Published {
		t.Fatalf("Publish of a withdrawn entry = %+v, %v", v5, err)
	}
	if h := c.h(s.History(ctx, e.ID)); len(h) != 5 {
		t.Fatalf("History has %d versions, want 5", len(h))
	}

	// An entry with errors is not published, and nothing changes.
	bad := Entry(5)
	bad.Name = ""
	b1 := c.e(s.Put(ctx, bad, 0))
	_, findings, err = s.Publish(ctx, bad.ID, 1)
	var pe *catalog.PublishError
	if !errors.As(err, &pe) || !errors.Is(err, catalog.ErrNotPublishable) || !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("Publish of an entry without a name = %v, want a *PublishError", err)
	}
	if !govshare.HasError(findings) || !govshare.HasError(pe.Findings) || pe.Version != 1 {
		t.Fatalf("refused Publish: findings %v, error %+v; want the errors, version 1", findings, pe)
	}
	mustSame(t, "Get after the refused Publish", c.e(s.Get(ctx, bad.ID)), b1)
	_, err = s.Published(ctx, e.ID+"x")
	wantNotFound(t, "Published of a missing entry", err)
	_, _, err = s.Publish(ctx, "101001/999999", 1)
	wantNotFound(t, "Publish of a missing entry", err)
	_, err = s.Withdraw(ctx, "101001/999999", 1)
	wantNotFound(t, "Withdraw of a missing entry", err)
}

func testRefusals(t *testing.T, s catalog.Store) {
	ctx := context.Background()
	e := Entry(6)
	e.ID = "not a catalog code"
	_, err := s.Put(ctx, e, 0)
	var ie *catalog.IDError
	if !errors.As(err, &ie) || !errors.Is(err, catalog.ErrInvalidID) || !errors.Is(err, govshare.ErrInvalid) {
		t.Fatalf("Put with a bad 目录代码 = %v, want an *IDError", err)
	}
	_, err = s.Get(ctx, e.ID)
	wantNotFound(t, "Get after the refused Put", err)

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(canceled, Entry(7), 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a canceled context = %v, want context.Canceled", err)
	}
	_, err = s.Get(ctx, Entry(7).ID)
	wantNotFound(t, "Get after the canceled Put", err)

	for _, q := range []catalog.Query{{Limit: -1}, {Offset: -1}, {Limit: catalog.MaxLimit + 1}, {Share: 99}, {Grade: 200},
		{Status: 9}, {Method: "no_such_method"}, {Region: "33"}, {Region: "ab0000"}} {
		res, err := s.Find(ctx, q)
		if !errors.Is(err, catalog.ErrInvalidQuery) || !errors.Is(err, govshare.ErrInvalid) || res.Entries != nil {
			t.Errorf("Find(%+v) = %+v, %v; want ErrInvalidQuery and no result", q, res, err)
		}
	}
}

func testConcurrentWriters(t *testing.T, s catalog.Store) {
	const writers = 16
	ctx, c := context.Background(), checker{t}
	e := Entry(8)
	race := func(what string, expected int64, write func(i int) (catalog.Entry, error)) catalog.Entry {
		t.Helper()
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([]catalog.Entry, writers)
		errs := make([]error, writers)
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = write(i)
			}()
		}
		close(start)
		wg.Wait()
		var won []int
		for i, err := range errs {
			switch {
			case err == nil:
				won = append(won, i)
			case errors.Is(err, govshare.ErrConflict):
				var ce *catalog.ConflictError
				if !errors.As(err, &ce) || ce.Expected != expected || ce.Actual <= expected {
					t.Fatalf("%s: writer %d: %v, want a *ConflictError from version %d", what, i, err, expected)
				}
			default:
				t.Fatalf("%s: writer %d: %v, want success or ErrConflict", what, i, err)
			}
		}
		if len(won) != 1 {
			t.Fatalf("%s: %d of %d writers won, want exactly one", what, len(won), writers)
		}
		return results[won[0]]
	}
	v1 := race("create", 0, func(int) (catalog.Entry, error) { return s.Put(ctx, e, 0) })
	v2 := race("update", 1, func(i int) (catalog.Entry, error) {
		x := e
		x.Summary = fmt.Sprintf("第%d个写入者的摘要", i)
		return s.Put(ctx, x, 1)
	})
	v3 := race("publish", 2, func(int) (catalog.Entry, error) {
		v, _, err := s.Publish(ctx, e.ID, 2)
		return v, err
	})
	h := c.h(s.History(ctx, e.ID))
	if len(h) != 3 || !same(h[0], v1) || !same(h[1], v2) || !same(h[2], v3) {
		t.Fatalf("History after the races = %+v, want exactly the three winners", h)
	}
	mustSame(t, "Published after the races", c.e(s.Published(ctx, e.ID)), v3)
}
