package govshare_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShareAttributeText(t *testing.T) {
	cases := []struct {
		in   string
		want govshare.ShareAttribute
	}{
		{"unconditional", govshare.Unconditional},
		{"无条件共享", govshare.Unconditional},
		{" 有条件共享\u3000", govshare.Conditional},
		{"CONDITIONAL", govshare.Conditional},
		{"不予共享", govshare.NotShared},
		{"not_shared", govshare.NotShared},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := govshare.ParseShareAttribute(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	for _, bad := range []string{"", "open", "有条件开放", "3"} {
		_, err := govshare.ParseShareAttribute(bad)
		require.ErrorIs(t, err, govshare.ErrUnknownValue, bad)
		var uv *govshare.UnknownValueError
		require.True(t, errors.As(err, &uv))
		assert.Equal(t, bad, uv.Value)
		assert.Contains(t, uv.Accepted, "not_shared")
	}
	assert.Equal(t, "有条件共享", govshare.Conditional.String())
	assert.Equal(t, "conditional sharing", govshare.Conditional.English())
	b, err := govshare.NotShared.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "not_shared", string(b))
	_, err = govshare.ShareAttribute(9).MarshalText()
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	assert.False(t, govshare.ShareAttribute(9).Valid())
	assert.False(t, govshare.ShareAttribute(0).Valid())
}

func TestShareAttributeOrder(t *testing.T) {
	assert.True(t, govshare.NotShared.Stricter(govshare.Conditional))
	assert.True(t, govshare.Conditional.Stricter(govshare.Unconditional))
	assert.False(t, govshare.Unconditional.Stricter(govshare.Conditional))
	assert.False(t, govshare.Conditional.Stricter(govshare.Conditional))
	assert.Equal(t, []govshare.ShareAttribute{govshare.Unconditional, govshare.Conditional, govshare.NotShared}, govshare.ShareAttributes())
}

func TestShareMethods(t *testing.T) {
	m, err := govshare.ParseShareMethod("服务接口")
	require.NoError(t, err)
	assert.Equal(t, govshare.ServiceAPI, m)
	assert.Equal(t, "文件下载", govshare.FileDownload.String())

	_, err = govshare.ParseShareMethod("数据沙箱")
	require.ErrorIs(t, err, govshare.ErrUnknownValue)

	// A host's own methods live in its registry, an instance like
	// classify.Registry; a second registry does not see them.
	reg := govshare.NewMethods()
	_, err = reg.Parse("数据沙箱")
	require.ErrorIs(t, err, govshare.ErrUnknownValue)
	sandbox, err := reg.Register("data_sandbox", "数据沙箱", "data sandbox")
	require.NoError(t, err)
	got, err := reg.Parse("数据沙箱")
	require.NoError(t, err)
	assert.Equal(t, sandbox, got)
	assert.Contains(t, reg.List(), sandbox)
	assert.True(t, reg.Has(sandbox))
	assert.Equal(t, "数据沙箱", reg.Zh(sandbox))
	assert.False(t, govshare.NewMethods().Has(sandbox))
	assert.Equal(t, []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange, govshare.FileDownload}, govshare.NewMethods().List())

	_, err = reg.Register("data_sandbox", "另一个", "x")
	assert.ErrorIs(t, err, govshare.ErrMethodRegistered)
	assert.ErrorIs(t, err, govshare.ErrConflict)
	_, err = reg.Register("other", "服务接口", "x")
	assert.ErrorIs(t, err, govshare.ErrMethodRegistered)
	_, err = reg.Register("Bad Code", "坏", "x")
	assert.ErrorIs(t, err, govshare.ErrMalformed)

	// A malformed code does not marshal; a well-formed one does, and its
	// registry decides whether it is accepted.
	_, err = govshare.ShareMethod("carrier pigeon").MarshalText()
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	var m2 govshare.ShareMethod
	require.NoError(t, m2.UnmarshalText([]byte("data_sandbox")))
	assert.Equal(t, sandbox, m2)
	assert.True(t, sandbox.Valid())
	assert.False(t, sandbox.Standard())
	assert.True(t, govshare.FileDownload.Standard())
}

func TestEnumsInJSON(t *testing.T) {
	type doc struct {
		Share   govshare.ShareAttribute `json:"share"`
		Methods []govshare.ShareMethod  `json:"methods"`
		Role    govshare.Role           `json:"role"`
		Level   govshare.Level          `json:"level"`
		Sev     govshare.Severity       `json:"severity"`
	}
	in := doc{govshare.Conditional, []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange}, govshare.OfficeHead, govshare.Provincial, govshare.Warning}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"share":"conditional","methods":["service_api","batch_exchange"],"role":"office_head","level":"provincial","severity":"warning"}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	var zh doc
	require.NoError(t, json.Unmarshal([]byte(`{"share":"有条件共享","methods":["批量交换"],"role":"工作机构负责人","level":"省级","severity":"警告"}`), &zh))
	assert.Equal(t, govshare.Conditional, zh.Share)
	assert.Equal(t, govshare.OfficeHead, zh.Role)
	assert.Equal(t, govshare.Provincial, zh.Level)

	for _, bad := range []string{`{"share":"maybe"}`, `{"role":"boss"}`, `{"level":"village"}`, `{"methods":["传真"]}`, `{"methods":["Fax Machine"]}`, `{"severity":"fatal"}`} {
		var d doc
		err := json.Unmarshal([]byte(bad), &d)
		require.Error(t, err, bad)
		assert.ErrorIs(t, err, govshare.ErrUnknownValue, bad)
	}

	// The zero value means "not stated" and round-trips as empty text.
	b, err = json.Marshal(doc{})
	require.NoError(t, err)
	var zero doc
	require.NoError(t, json.Unmarshal(b, &zero))
	assert.Equal(t, doc{}, zero)
}

func TestRolesAndActors(t *testing.T) {
	for _, r := range []govshare.Role{govshare.Clerk, govshare.OfficeHead, govshare.Authority, govshare.System} {
		b, err := r.MarshalText()
		require.NoError(t, err)
		var back govshare.Role
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, r, back)
		require.NoError(t, back.UnmarshalText([]byte(r.String())))
		assert.Equal(t, r, back)
		assert.True(t, r.Valid())
	}
	a := govshare.Actor{ID: "u1", Name: "李四", Role: govshare.OfficeHead, Department: govshare.Department{Name: "某市公安局"}}
	assert.Equal(t, "李四（工作机构负责人，某市公安局）", a.String())
	assert.Equal(t, "platform（系统）", govshare.Actor{ID: "platform", Role: govshare.System}.String())
}

func TestDepartmentIdentity(t *testing.T) {
	a := govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061K"}
	b := govshare.Department{Name: "某市公安局（更名）", CreditCode: "11330100002482061K"}
	c := govshare.Department{Name: "某市公安局"}
	assert.True(t, a.Same(b), "same credit code, different names")
	assert.False(t, a.Same(c), "a name alone does not match a coded department")
	// Issue 11: a name is never an identity (it once matched by name).
	assert.False(t, c.Same(govshare.Department{Name: "某市公安局"}))
	assert.False(t, govshare.Department{}.Same(govshare.Department{}), "empty departments are nobody")
}

func TestCitationsAndFindings(t *testing.T) {
	c := govshare.Rule("R7")
	assert.Equal(t, "R7", c.Rule)
	assert.Equal(t, "政务数据共享条例 第三章 目录管理", c.Source)
	assert.Equal(t, "民法典 第二百零一条、第二百零三条", govshare.Rule("R14").Source)
	assert.Panics(t, func() { govshare.Rule("R99") })
	assert.Equal(t, "政策默认值（policy default）", govshare.PolicyDefault("").String())

	f := govshare.Finding{Code: "catalog.conditions_missing", Severity: govshare.Error, Path: "conditions",
		Message: "有条件共享的目录未写明共享条件", MessageEN: "conditional entry states no conditions", Citation: c}
	assert.Equal(t, "错误 conditions：有条件共享的目录未写明共享条件〔R7 政务数据共享条例 第三章 目录管理〕", f.String())
	assert.True(t, govshare.HasError([]govshare.Finding{{Severity: govshare.Warning}, f}))
	assert.False(t, govshare.HasError([]govshare.Finding{{Severity: govshare.Warning}}))
	assert.False(t, govshare.HasError(nil))
}

// A name is never an identity, and a name that looks like a credit code
// identifies nothing.
func TestNameIsNeverAnIdentity(t *testing.T) {
	police := govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X"}
	forged := govshare.Department{Name: "11330100002482061X"}
	assert.Equal(t, "", forged.ID())
	assert.False(t, forged.Same(police))
	assert.False(t, police.Same(forged))
	assert.False(t, forged.Same(forged), "a department without identity is not even itself")
	twin := govshare.Department{Name: "某市公安局"}
	assert.False(t, twin.Same(govshare.Department{Name: "某市公安局"}), "the same name is not the same department")

	dir := govshare.Department{Name: "某中心", DirectoryID: "org-42"}
	assert.Equal(t, "dir:org-42", dir.ID())
	assert.True(t, dir.Same(govshare.Department{Name: "另一名称", DirectoryID: "org-42"}))
	assert.False(t, dir.Same(govshare.Department{CreditCode: "org-42"}), "a directory id cannot pose as a credit code")
	for _, d := range []govshare.Department{police, dir, {}} {
		var back govshare.Department
		back.SetID(d.ID())
		assert.Equal(t, d.ID(), back.ID(), "SetID reads back what ID wrote")
		assert.True(t, back.Name == "" && back.CreditCode == d.CreditCode && back.DirectoryID == d.DirectoryID, "%+v", back)
	}
	back := govshare.Department{Name: "某中心", CreditCode: "11330100002482061X", DirectoryID: "org-42"}
	back.SetID("dir:org-7")
	assert.Equal(t, govshare.Department{Name: "某中心", DirectoryID: "org-7"}, back, "SetID clears the other field")
	spelled := govshare.Department{Name: "某中心", CreditCode: "dir:org-42"}
	assert.Equal(t, "", spelled.ID(), "a credit code cannot spell a directory identity")
	assert.False(t, spelled.Same(dir))
	assert.False(t, dir.Same(spelled))
	withBoth := govshare.Department{CreditCode: "11330100002482061X", DirectoryID: "org-42"}
	assert.True(t, withBoth.Same(police), "the credit code wins")

	a := govshare.Actor{ID: "chen", Department: police, Role: govshare.OfficeHead}
	assert.True(t, a.Same(a))
	b := a
	b.Department = forged
	assert.False(t, a.Same(b))
	b = a
	b.Role = govshare.System
	assert.False(t, a.Same(b))
	assert.False(t, govshare.Actor{}.Same(govshare.Actor{}))
}

func TestInstantRange(t *testing.T) {
	assert.NoError(t, govshare.CheckInstant("at", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	for _, bad := range []time.Time{{}, time.Date(1999, 12, 31, 15, 59, 59, 0, time.UTC), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2199, 12, 31, 16, 0, 0, 0, time.UTC)} {
		err := govshare.CheckInstant("period.to", bad)
		require.Error(t, err, bad)
		assert.ErrorIs(t, err, govshare.ErrInstant)
		assert.ErrorIs(t, err, govshare.ErrInvalid)
		var ie *govshare.InstantError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "period.to", ie.Field)
		assert.Contains(t, govshare.MessageOf(err).Zh, "超出支持范围")
	}
	assert.True(t, govshare.InRange(time.Date(2199, 12, 31, 15, 59, 59, 0, time.UTC)))
}
