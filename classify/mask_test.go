package classify_test

import (
	"errors"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/govshare/govshare/classify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMask(t *testing.T) {
	tests := []struct {
		k    classify.Kind
		in   string
		want string
	}{
		// The patterns of the issue.
		{classify.IDCard, "110101199003071234", "110101********1234"},
		{classify.IDCard, "11010519491231002X", "110105********002X"},
		{classify.IDCard, "110101491231002", "110101******002"}, // old form: the birth date masked
		{classify.Mobile, "13812345678", "138****5678"},
		{classify.Name, "张三", "张*"},
		{classify.Name, "张三丰", "张**"},
		{classify.Name, "欧阳娜娜", "欧阳**"},
		{classify.Name, "欧阳修", "欧阳*"},
		{classify.BankCard, "6222021234567890128", "***************0128"},
		{classify.BankCard, "6222 0212 3456 7890 128", "******************0 128"},
		{classify.Address, "北京市海淀区中关村大街27号", "北京市海淀区********"},
		{classify.Address, "广东省深圳市南山区科技园南区高新南七道18号", "广东省深圳市南山区*************"},
		{classify.Address, "北京市朝阳区望京西园小区3号楼", "北京市朝阳区*********"},
		{classify.Address, "江苏省昆山市玉山镇前进路1号", "江苏省昆山市********"},
		{classify.Address, "香港特别行政区九龙城区太子道西", "香港特别行政区九龙城区****"},
		{classify.Address, "内蒙古自治区呼和浩特市新城区新华大街", "内蒙古自治区呼和浩特市新城区****"},
		{classify.Address, "新疆阿克苏地区阿克苏市解放路", "新疆阿克苏地区阿克苏市***"},
		{classify.Address, "新疆维吾尔自治区乌鲁木齐市天山区解放北路1号", "新疆维吾尔自治区乌鲁木齐市天山区******"},
		{classify.Address, "浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区******"},
		{classify.Email, "zhangsan@example.com", "z*******@example.com"},

		{classify.Phone, "010-62345678", "010-****5678"},
		{classify.Phone, "(0755)86668888", "(0755)****8888"},
		{classify.Phone, "01062345678", "010****5678"},
		{classify.Passport, "E12345678", "E*****678"},
		{classify.USCC, "91350100M000100Y43", "91350100********43"},
		{classify.Plate, "京A12345", "京A***45"},
		{classify.Health, "高血压", "***"},
		{classify.Religion, "佛教", "**"},
		{classify.Biometric, "ab12", "****"},
		{classify.Location, "39.9042,116.4074", "****************"},
		{classify.None, "abc", "***"},
		{classify.Kind(99), "abc", "***"},

		// Edge cases: empty, one rune, short, invalid, mixed scripts, emoji.
		{classify.Name, "", ""},
		{classify.Name, "张", "*"},
		{classify.Name, "欧阳", "欧*"},
		{classify.Name, "阿卜杜拉·艾买提", "阿*******"},
		{classify.Name, "John Smith", "J*********"},
		{classify.Name, "王Ａ😀", "王**"},
		{classify.Name, "😀👍", "😀*"},
		{classify.Mobile, "1", "*"},
		{classify.Mobile, "138", "***"},
		{classify.Mobile, "13812", "1****"},
		{classify.Mobile, "+86 138 1234 5678", "+86**********5678"},
		{classify.IDCard, "1234", "1***"},
		{classify.IDCard, "身份证号缺失", "身*****"},
		{classify.Email, "a@b.cn", "*@b.cn"},
		{classify.Email, "张三@例子.中国", "张*@例子.中国"},
		{classify.Email, "noat", "n***"},
		{classify.Email, "x@", "**"},
		{classify.Email, "@qq.com", "@******"},
		{classify.BankCard, "6222", "***2"},
		{classify.Address, "海淀区", "海淀*"},
		{classify.Address, "221B Baker Street", "*****************"},
		{classify.Address, "😀😀😀", "***"},
		{classify.Plate, "京A", "**"},
		{classify.Mobile, "\xff\xfe1381234567", "**1*****4567"},
	}
	for _, tt := range tests {
		got := classify.Mask(tt.k, tt.in)
		assert.Equal(t, tt.want, got, "%s %q", tt.k, tt.in)
		assert.Equal(t, utf8.RuneCountInString(tt.in), utf8.RuneCountInString(got), "%s %q: one character for one", tt.k, tt.in)
		assert.LessOrEqual(t, len(got), len(tt.in))
		if tt.in != "" {
			assert.NotEqual(t, tt.in, got, "%s %q echoed", tt.k, tt.in)
		}
	}
}

func TestMaskIsDeterministic(t *testing.T) {
	for _, k := range classify.Kinds() {
		a := classify.Mask(k, "欧阳娜娜 13812345678")
		for range 10 {
			assert.Equal(t, a, classify.Mask(k, "欧阳娜娜 13812345678"), k.String())
		}
	}
}

func TestMasker(t *testing.T) {
	m, err := classify.NewMasker(
		classify.Item{Name: "姓名", Column: "xm", Kind: classify.Name},
		classify.Item{Name: "身份证号码", Column: "sfzh", Kind: classify.IDCard},
		classify.Item{Column: "sjhm", Kind: classify.Mobile},
		classify.Item{Name: "备注", Kind: classify.None}, // listed: masked whole
	)
	require.NoError(t, err)
	record := map[string]string{
		"姓名": "欧阳娜娜", "sfzh": "110101199003071234", "sjhm": "13812345678", "备注": "老人", "办理结果": "已办结",
	}
	got := m.Mask(record)
	assert.Equal(t, map[string]string{
		"姓名": "欧阳**", "sfzh": "110101********1234", "sjhm": "138****5678", "备注": "**", "办理结果": "已办结",
	}, got)
	assert.Equal(t, "欧阳娜娜", record["姓名"], "the record itself is not changed")
	assert.Nil(t, m.Mask(nil))
	assert.Empty(t, m.Mask(map[string]string{}))

	k, ok := m.Kind("xm")
	assert.True(t, ok)
	assert.Equal(t, classify.Name, k)
	_, ok = m.Kind("办理结果")
	assert.False(t, ok)
	assert.Equal(t, "张*", m.Value("xm", "张三"))
	assert.Equal(t, "张三", m.Value("other", "张三"))

	// Safe for concurrent use.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				assert.Equal(t, "138****5678", m.Mask(record)["sjhm"])
			}
		}()
	}
	wg.Wait()
}

func TestNewMaskerErrors(t *testing.T) {
	tests := []struct {
		what  string
		items []classify.Item
		index int
		why   string
	}{
		{"no key", []classify.Item{{Name: "姓名", Kind: classify.Name}, {Kind: classify.Mobile}}, 1, "no name and no column"},
		{"bad kind", []classify.Item{{Name: "x", Kind: classify.Kind(77)}}, 0, "kind 77"},
		{"conflict", []classify.Item{{Name: "电话", Kind: classify.Mobile}, {Column: "电话", Kind: classify.Phone}}, 1, "listed as mobile number and as landline number"},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			m, err := classify.NewMasker(tt.items...)
			assert.Nil(t, m)
			require.ErrorIs(t, err, classify.ErrInvalidItem)
			var ie *classify.ItemError
			require.True(t, errors.As(err, &ie))
			assert.Equal(t, tt.index, ie.Index)
			assert.Contains(t, ie.Error(), tt.why)
		})
	}
	// The same key twice with the same kind is fine.
	_, err := classify.NewMasker(classify.Item{Name: "xm", Kind: classify.Name}, classify.Item{Column: "xm", Kind: classify.Name})
	assert.NoError(t, err)
}
