package classify_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCategoryPath(t *testing.T) {
	c := classify.Category("public_security/household/person/basic")
	assert.Equal(t, []string{"public_security", "household", "person", "basic"}, c.Segments())
	assert.Equal(t, "public_security", c.Sector())
	assert.Equal(t, classify.Category("public_security/household/person"), c.Parent())
	assert.Equal(t, classify.Category(""), classify.Category("health").Parent())
	assert.Nil(t, classify.Category("").Segments())
}

func TestRegistryParse(t *testing.T) {
	r := classify.NewRegistry()
	require.NoError(t, r.Register("public_security/household", "户籍管理", "household registration"))
	tests := map[string]classify.Category{
		"社会保障/人/基础":                     "social_security/person/basic",
		"social_security/person/basic":  "social_security/person/basic",
		"Social_Security / 人员 / 基础信息资源": "social_security/person/basic",
		"社会保障／组织":                       "social_security/organization",
		"卫生健康/主题":                       "health/thematic", // a resource attribute right after the sector
		"公共安全/户籍管理/人/部门":                "public_security/household/person/departmental",
		"public_security/household":     "public_security/household",
		"教育":                            "education",
		"":                              "",
	}
	for in, want := range tests {
		got, err := r.Parse(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	bad := []struct {
		in      string
		segment string
		depth   int
	}{
		{"宇宙/人", "宇宙", 0},
		{"社会保障/外星人", "外星人", 1},
		{"社会保障/人/基础/更多", "更多", 3},
		{"社会保障/基础/人", "人", 2}, // the data subject comes before the resource attribute
		{"social_security//basic", "", 1},
	}
	for _, b := range bad {
		_, err := r.Parse(b.in)
		require.Error(t, err, b.in)
		assert.ErrorIs(t, err, classify.ErrUnknownCategory, b.in)
		var ce *classify.CategoryError
		require.True(t, errors.As(err, &ce), b.in)
		assert.Equal(t, b.segment, ce.Segment, b.in)
		assert.Equal(t, b.depth, ce.Depth, b.in)
		assert.Contains(t, ce.Error(), fmt.Sprintf("%q", b.segment))
	}
}

func TestRegistryCheckAndName(t *testing.T) {
	r := classify.NewRegistry()
	assert.NoError(t, r.Check("social_security/person/basic"))
	assert.ErrorIs(t, r.Check("社会保障/人/基础"), classify.ErrUnknownCategory, "Check wants the code path")
	assert.ErrorIs(t, r.Check("nowhere"), classify.ErrUnknownCategory)
	assert.Equal(t, "社会保障/人/基础", r.Name("social_security/person/basic"))
	assert.Equal(t, "", r.Name("nowhere"))
	assert.Equal(t, "社会保障/人/基础 一般数据3级",
		classify.Classification{Category: "social_security/person/basic", Grade: classify.General3}.String())
	assert.Equal(t, "unregistered 重要数据",
		classify.Classification{Category: "unregistered", Grade: classify.Important}.String())
}

func TestRegistryRegisterErrors(t *testing.T) {
	r := classify.NewRegistry()
	tests := []struct {
		path    classify.Category
		name    string
		problem error
	}{
		{"", "空", classify.ErrInvalidCategory},
		{"Health2", "大写", classify.ErrInvalidCategory},
		{"health/卫生", "中文代码", classify.ErrInvalidCategory},
		{"health//x", "空段", classify.ErrInvalidCategory},
		{"newsector", "", classify.ErrInvalidCategory},
		{"newsector", "a/b", classify.ErrInvalidCategory},
		{"health", "卫生", classify.ErrDuplicateCategory},
		{"health2", "卫生健康", classify.ErrDuplicateCategory}, // the Chinese name is taken
		{"nowhere/child", "子类", classify.ErrUnknownCategory},
	}
	for _, tt := range tests {
		err := r.Register(tt.path, tt.name, "")
		require.Error(t, err, tt.path)
		assert.ErrorIs(t, err, tt.problem, tt.path)
		var ce *classify.CategoryError
		assert.True(t, errors.As(err, &ce), tt.path)
		assert.Equal(t, string(tt.path), ce.Category)
	}
	// Nothing was registered by the failures.
	_, err := r.Parse("newsector")
	assert.ErrorIs(t, err, classify.ErrUnknownCategory)
}

func TestRegistrySectorsInOrder(t *testing.T) {
	r := classify.NewRegistry()
	n := len(r.Sectors())
	require.Greater(t, n, 10)
	assert.Equal(t, "综合政务", r.Sectors()[0].Name)
	for _, s := range []string{"zeta", "alpha", "mid"} {
		require.NoError(t, r.Register(classify.Category(s), "行业"+s, s))
	}
	require.NoError(t, r.Register("alpha/sub", "子类", "sub"))
	got := r.Sectors()
	require.Len(t, got, n+3, "sub-categories are not sectors")
	assert.Equal(t, []classify.Category{"zeta", "alpha", "mid"},
		[]classify.Category{got[n].Path, got[n+1].Path, got[n+2].Path}, "registration order, every time")
}

func TestZeroRegistry(t *testing.T) {
	var r classify.Registry
	_, err := r.Parse("health")
	assert.ErrorIs(t, err, classify.ErrUnknownCategory)
	assert.Empty(t, r.Sectors())
	require.NoError(t, r.Register("health", "卫生健康", "health"))
	got, err := r.Parse("卫生健康/人")
	require.NoError(t, err)
	assert.Equal(t, classify.Category("health/person"), got)
}

func TestRegistryConcurrent(t *testing.T) {
	r := classify.NewRegistry()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := classify.Category(fmt.Sprintf("sector_%d", i))
			assert.NoError(t, r.Register(code, fmt.Sprintf("行业%d", i), ""))
			for range 100 {
				_, err := r.Parse("社会保障/人/基础")
				assert.NoError(t, err)
				_ = r.Sectors()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, r.Sectors(), len(classify.NewRegistry().Sectors())+8)
}
