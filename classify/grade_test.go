package classify_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGradeOrder(t *testing.T) {
	gs := classify.Grades()
	require.Equal(t, []classify.Grade{classify.General, classify.General1, classify.General2, classify.General3,
		classify.General4, classify.Important, classify.Core}, gs)
	for i := range gs {
		for j := range gs {
			assert.Equal(t, i > j, gs[i].Stricter(gs[j]), "%s stricter than %s", gs[i], gs[j])
			assert.Equal(t, i >= j, gs[i].AtLeast(gs[j]), "%s at least %s", gs[i], gs[j])
		}
	}
	// 就高从严: the strictest part grades the whole.
	assert.Equal(t, classify.Important, classify.Max(classify.General3, classify.Important, classify.General))
	assert.Equal(t, classify.General4, classify.Max(classify.General4, classify.General1))
	assert.Equal(t, classify.Grade(0), classify.Max())
}

func TestGradeClassAndLevel(t *testing.T) {
	tests := []struct {
		g     classify.Grade
		class classify.Grade
		level int
		zh    string
		code  string
	}{
		{classify.General, classify.General, 0, "一般数据", "general"},
		{classify.General1, classify.General, 1, "一般数据1级", "general_1"},
		{classify.General3, classify.General, 3, "一般数据3级", "general_3"},
		{classify.General4, classify.General, 4, "一般数据4级", "general_4"},
		{classify.Important, classify.Important, 0, "重要数据", "important"},
		{classify.Core, classify.Core, 0, "核心数据", "core"},
	}
	for _, tt := range tests {
		t.Run(tt.zh, func(t *testing.T) {
			assert.True(t, tt.g.Valid())
			assert.Equal(t, tt.class, tt.g.Class())
			assert.Equal(t, tt.level, tt.g.Level())
			assert.Equal(t, tt.zh, tt.g.String())
			code, err := tt.g.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.code, string(code))
			if tt.level > 0 {
				g, ok := classify.GeneralLevel(tt.level)
				assert.True(t, ok)
				assert.Equal(t, tt.g, g)
			}
		})
	}
	g, ok := classify.GeneralLevel(0)
	assert.True(t, ok)
	assert.Equal(t, classify.General, g)
	for _, bad := range []int{-1, 5} {
		_, ok := classify.GeneralLevel(bad)
		assert.False(t, ok, bad)
	}
	assert.Equal(t, "未定级", classify.Grade(0).String())
	assert.Equal(t, "Grade(99)", classify.Grade(99).String())
	assert.False(t, classify.Grade(99).Valid())
	assert.Equal(t, "general data, level 3", classify.General3.English())
}

func TestParseGrade(t *testing.T) {
	tests := map[string]classify.Grade{
		"核心数据": classify.Core, "核心": classify.Core, "core": classify.Core, " CORE ": classify.Core,
		"重要数据": classify.Important, "重要": classify.Important, "important": classify.Important,
		"一般数据": classify.General, "一般": classify.General, "general": classify.General,
		"一般数据3级": classify.General3, "一般3级": classify.General3, "一般数据三级": classify.General3,
		"一般数据第3级": classify.General3, "一般第四级": classify.General4, "一般数据一级": classify.General1,
		"general_2": classify.General2, "general-2": classify.General2, "general2": classify.General2,
		"GENERAL_4": classify.General4, "\u3000一般数据1级\u3000": classify.General1,
	}
	for in, want := range tests {
		got, err := classify.ParseGrade(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, bad := range []string{"", "秘密", "一般数据5级", "一般数据0级", "general_5", "general_", "一般数据L3", "general一", "3"} {
		_, err := classify.ParseGrade(bad)
		require.Error(t, err, bad)
		assert.ErrorIs(t, err, govshare.ErrUnknownValue, bad)
		var uv *govshare.UnknownValueError
		require.True(t, errors.As(err, &uv), bad)
		assert.Equal(t, "grade", uv.Type)
		assert.Equal(t, bad, uv.Value)
		assert.Contains(t, uv.Accepted, "general_3")
	}
}

func TestSchemeLevelNames(t *testing.T) {
	s := classify.Scheme{LevelNames: [4]string{"L1", "L2", "L3", "L4"}}
	assert.Equal(t, "一般数据L3", s.Format(classify.General3))
	assert.Equal(t, "重要数据", s.Format(classify.Important))
	assert.Equal(t, "一般数据", s.Format(classify.General))
	for in, want := range map[string]classify.Grade{"一般数据L3": classify.General3, "一般L1": classify.General1, "一般数据2级": classify.General2, "general_4": classify.General4} {
		got, err := s.Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := s.Parse("一般数据L5")
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	assert.Equal(t, "一般数据3级", classify.DefaultScheme.Format(classify.General3))
}

func TestGradeJSON(t *testing.T) {
	type entry struct {
		C classify.Classification `json:"c"`
	}
	in := entry{classify.Classification{Category: "social_security/person/basic", Grade: classify.General3}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"c":{"category":"social_security/person/basic","grade":"general_3"}}`, string(b))
	var out entry
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	var g classify.Grade = classify.Core
	require.NoError(t, json.Unmarshal([]byte(`""`), &g))
	assert.Equal(t, classify.Grade(0), g, "empty text is not graded")
	require.NoError(t, json.Unmarshal([]byte(`"一般数据二级"`), &g))
	assert.Equal(t, classify.General2, g)
	err = json.Unmarshal([]byte(`"绝密"`), &g)
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
	assert.Equal(t, classify.General2, g, "a failed parse changes nothing")

	b, err = json.Marshal(struct {
		G classify.Grade `json:"g"`
	}{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"g":""}`, string(b))
	_, err = classify.Grade(42).MarshalText()
	assert.ErrorIs(t, err, govshare.ErrUnknownValue)
}
