package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// Codes in the layout of the guide's 信息资源代码: the 类 of each of the three
// resource-attribute classes, 细目 of several lengths, 顺序码 of several
// lengths; and the ways a code goes wrong, each named by its part.
func TestParseResourceCode(t *testing.T) {
	good := []struct {
		code string
		want ResourceCode
	}{
		{"101001/000001", ResourceCode{Type: BasicResources, Item: "01", Heading: "001", Sequence: "000001"}},
		{"205003/42", ResourceCode{Type: ThematicResources, Item: "05", Heading: "003", Sequence: "42"}},
		{"303012001/000123", ResourceCode{Type: DepartmentResources, Item: "03", Heading: "012", Detail: "001", Sequence: "000123"}},
		{"308001001002003004/1", ResourceCode{Type: DepartmentResources, Item: "08", Heading: "001", Detail: "001002003004", Sequence: "1"}},
		{"101001/123456789012", ResourceCode{Type: BasicResources, Item: "01", Heading: "001", Sequence: "123456789012"}},
	}
	for _, g := range good {
		got, err := ParseResourceCode(g.code)
		require.NoError(t, err, g.code)
		assert.Equal(t, g.want, got, g.code)
		assert.Equal(t, g.code, got.String())
		class, _, _ := strings.Cut(g.code, "/")
		assert.Equal(t, class, got.Class())
		assert.True(t, DefaultIDPattern.MatchString(g.code), g.code)
	}
	bad := []struct {
		code, part, zh string
	}{
		{"101001", "sequence", "缺少“/”和顺序码"},
		{"101001/", "sequence", "顺序码为空"},
		{"101001/00a1", "sequence", "顺序码应全为数字"},
		{"101001/1234567890123", "sequence", "顺序码超过12位"},
		{"/000001", "class", "分类码为空"},
		{"10100A/000001", "class", "分类码应全为数字"},
		{"401001/000001", "type", "类（第1位）应为1（基础）、2（主题）或3（部门）"},
		{"001001/000001", "type", "类（第1位）"},
		{"10100/000001", "heading", "不足类(1位)、项(2位)、目(3位)共6位"},
		{"1010010010010010010/1", "detail", "细目超过12位"},
		{"１０１００１/０００００１", "class", "分类码应全为数字"}, // importers fold the width first
	}
	for _, b := range bad {
		_, err := ParseResourceCode(b.code)
		var ce *ResourceCodeError
		require.ErrorAs(t, err, &ce, b.code)
		assert.Equal(t, b.part, ce.Part, b.code)
		assert.Equal(t, b.code, ce.Code)
		assert.Contains(t, govshare.MessageOf(err).Zh, b.zh, b.code)
		assert.ErrorIs(t, err, ErrInvalidID)
		assert.ErrorIs(t, err, govshare.ErrInvalid)
		assert.False(t, DefaultIDPattern.MatchString(b.code), b.code)
	}
	c, err := ParseResourceClass("303012001")
	require.NoError(t, err)
	assert.Equal(t, "303012001", c.String(), "a classification code alone has no 顺序码")
	assert.Equal(t, "部门信息资源", c.Type.String())
}

// ParseResourceCode accepts exactly what DefaultIDPattern matches: the
// pattern stays the one definition (WithIDPattern replaces it), the parser
// only says which part is wrong.
func TestParseResourceCodeMatchesDefaultPattern(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	alphabet := []string{"0", "1", "2", "3", "4", "9", "/", "a", "１"}
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		n := rng.IntN(22)
		if i%2 == 0 { // half start like a code, to reach the deep checks
			b.WriteString([]string{"1", "2", "3"}[rng.IntN(3)])
			for range 5 {
				b.WriteString(alphabet[rng.IntN(4)])
			}
		}
		for range n {
			if rng.IntN(8) == 0 {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else {
				b.WriteString(alphabet[rng.IntN(6)])
			}
		}
		s := b.String()
		_, err := ParseResourceCode(s)
		require.Equal(t, DefaultIDPattern.MatchString(s), err == nil, "%q: %v", s, err)
	}
}

// An invalid 目录代码 in the default layout says which part is wrong.
func TestInvalidIDNamesThePart(t *testing.T) {
	e := validEntry()
	e.ID = "401001/000001"
	f, ok := findCode(Validate(e), CodeInvalidID, "id")
	require.True(t, ok)
	assert.Contains(t, f.Message, "：类（第1位）应为1（基础）、2（主题）或3（部门）")
	assert.Contains(t, f.MessageEN, ": 类 (the first digit) is not 1, 2 or 3")
	assert.True(t, f.Citation.PolicyDefault)
}

// The guide's metadata are optional; when given they are checked.
func TestGuideMetadata(t *testing.T) {
	guided := func() Entry {
		e := validEntry()
		e.ResourceClass = "101001"
		e.ProviderCode = policeCode
		e.Open = OpenConditional
		e.Related = []string{"101001/000002", "205003/000017"}
		e.ReleaseDate = Date{2026, time.March, 2}
		return e
	}
	assert.Empty(t, Validate(guided()))

	cases := []struct {
		name string
		edit func(*Entry)
		code string
		path string
		zh   string
	}{
		{"分类码过短", func(e *Entry) { e.ResourceClass = "1010" }, CodeInvalidResourceClass, "resource_class", "不足类(1位)、项(2位)、目(3位)共6位"},
		{"分类码含顺序码", func(e *Entry) { e.ResourceClass = e.ID }, CodeInvalidResourceClass, "resource_class", "分类码应全为数字"},
		{"分类与代码不一致", func(e *Entry) { e.ResourceClass = "101001001" }, CodeResourceClassMismatch, "resource_class", "与目录代码\"101001/000001\"的分类码101001不一致"},
		{"提供方代码含小写", func(e *Entry) { e.ProviderCode = "ga-330100" }, CodeInvalidProviderCode, "provider_code", "应为数字和大写字母，不超过32位"},
		{"提供方代码过长", func(e *Entry) { e.ProviderCode = strings.Repeat("1", 33) }, CodeInvalidProviderCode, "provider_code", "不超过32位"},
		{"提供方代码校验码错", func(e *Entry) { e.ProviderCode = policeCode[:17] + "E" }, CodeInvalidProviderCode, "provider_code", "校验码应为D"},
		{"提供方代码是别的单位", func(e *Entry) { e.ProviderCode = healthCode }, CodeInvalidProviderCode, "provider_code", "与提供单位统一社会信用代码“11330100002482101D”不一致"},
		{"关联资源代码不是代码", func(e *Entry) { e.Related[0] = "GA-1" }, CodeInvalidRelated, "related[0]", "不是目录代码"},
		{"关联资源代码重复", func(e *Entry) { e.Related = append(e.Related, e.Related[0]) }, CodeInvalidRelated, "related[2]", "与第1个关联资源代码重复"},
		{"发布日期月份", func(e *Entry) { e.ReleaseDate = Date{2026, 13, 1} }, CodeInvalidDate, "release_date", "发布日期2026-13-1不是公历日期"},
		{"发布日期年份", func(e *Entry) { e.ReleaseDate = Date{Year: 1899, Month: 12, Day: 31} }, CodeInvalidDate, "release_date", "1900年至9999年"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := guided()
			c.edit(&e)
			fs := Validate(e)
			require.Len(t, fs, 1, "%v", fs)
			assert.Equal(t, c.code, fs[0].Code)
			assert.Equal(t, c.path, fs[0].Path)
			assert.Contains(t, fs[0].Message, c.zh)
			assert.NotEmpty(t, fs[0].MessageEN)
			assert.Equal(t, govshare.Error, fs[0].Severity)
		})
	}

	// A platform's own department code, and an entry without the
	// provider's credit code, take any code of the right characters.
	e := guided()
	e.ProviderCode = "GA330100"
	assert.Empty(t, Validate(e))
	e.ProviderCode, e.Provider.CreditCode = healthCode, ""
	assert.Empty(t, Validate(e))
	// A pilot code the host allows is allowed here too.
	pilot := policeCode[:17] + "E"
	e = guided()
	e.ProviderCode, e.Provider.CreditCode = pilot, pilot
	assert.Empty(t, Validate(e, WithAllowedCreditCodes(pilot)))

	// A host with its own 目录代码 layout states the classification on its
	// own; it is checked as a classification code and nothing else.
	e = guided()
	e.ID = "GA-2026-0001"
	e.ResourceClass = "303012001"
	e.Related = []string{"GA-2026-0002"}
	assert.Empty(t, Validate(e, WithIDPattern(regexp.MustCompile(`^[A-Z]{2}-\d{4}-\d{4}$`))))
	code, ok := e.ResourceCode()
	assert.False(t, ok)
	assert.Zero(t, code)
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2026-03-02", "2026-3-2", "2026/03/02", "2026.3.2", "2026年3月2日", "20260302", "２０２６－０３－０２", " 2026-03-02 "} {
		d, err := ParseDate(s)
		require.NoError(t, err, s)
		assert.Equal(t, Date{2026, time.March, 2}, d, s)
	}
	for _, s := range []string{"2026-02-29", "2026-13-01", "1899-12-31", "26-3-2", "2026-003-02", "2026-3", "yesterday", "2026-03-02T10:00:00+08:00", "2026/3-2", "+2026-03-02"} {
		_, err := ParseDate(s)
		require.Error(t, err, s)
		assert.ErrorIs(t, err, govshare.ErrMalformed, s)
		assert.Contains(t, govshare.MessageOf(err).Zh, "不是有效的日期", s)
	}
	d, err := ParseDate("　")
	require.NoError(t, err)
	assert.True(t, d.IsZero())
	assert.Equal(t, "", d.String())

	leap := Date{2024, time.February, 29}
	assert.True(t, leap.Valid())
	assert.Equal(t, "2024-02-29", leap.String())
	assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).Unix(), leap.Time().Unix())
	// Late on 1 March UTC is already 2 March in China.
	assert.Equal(t, Date{2026, time.March, 2}, DateOf(time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC)))
	_, err = Date{2026, 2, 30}.MarshalText()
	assert.ErrorIs(t, err, govshare.ErrMalformed)

	// Spreadsheets store a date typed into a cell as its serial number.
	for cell, want := range map[string]Date{"46083": {2026, 3, 2}, "61": {1900, 3, 1}, "45351": {2024, 2, 29}, "2958465": {9999, 12, 31}} {
		got, err := parseDateCell(cell)
		require.NoError(t, err, cell)
		assert.Equal(t, want, got, cell)
	}
	for _, cell := range []string{"60", "46083.5", "2958466", "-1"} {
		_, err := parseDateCell(cell)
		assert.Error(t, err, cell)
	}
}

// guidedEntries are entries with every metadatum of the guide filled in.
func guidedEntries() []Entry {
	e := validEntry()
	e.ResourceClass = "101001"
	e.ProviderCode = policeCode
	e.Open = OpenConditional
	e.Related = []string{"101001/000002", "205003/000017"}
	e.ReleaseDate = Date{2026, time.March, 2}
	other := corpus(2, 2)[1]
	other.ProviderCode = "GA330200"
	other.ReleaseDate = Date{2025, time.December, 31}
	return []Entry{e, other}
}

// Every format writes the guide's metadata and reads them back.
func TestGuideMetadataRoundTrip(t *testing.T) {
	ctx := context.Background()
	entries := guidedEntries()

	var j bytes.Buffer
	require.NoError(t, ExportJSON(&j, entries))
	for _, member := range []string{`"resource_class": "101001"`, `"provider_code": "11330100002482101D"`,
		`"related": [`, `"205003/000017"`, `"release_date": "2026-03-02"`, `"release_date": "2025-12-31"`} {
		assert.Contains(t, j.String(), member)
	}
	got, findings, err := ImportJSON(ctx, bytes.NewReader(j.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, entries, got)

	var c bytes.Buffer
	require.NoError(t, ExportCSV(&c, entries))
	assert.Contains(t, c.String(), ",信息资源分类,信息资源提供方代码,关联资源代码,发布日期\n")
	assert.Contains(t, c.String(), ",101001,11330100002482101D,101001/000002、205003/000017,2026-03-02\n")
	got, findings, err = ImportCSV(ctx, bytes.NewReader(c.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, authoring(entries), got)

	var x bytes.Buffer
	require.NoError(t, ExportXLSX(&x, entries))
	got, findings, err = ImportXLSX(ctx, bytes.NewReader(x.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, findings)
	assert.Equal(t, authoring(entries), got)
	rows := sheetRows(t, x.Bytes())["目录"]
	assert.Equal(t, []string{"101001", policeCode, "101001/000002、205003/000017", "2026-03-02"}, rows[1][16:20])

	// An entry holding a date that is not one cannot be written.
	bad := entries[0]
	bad.ReleaseDate = Date{2026, 2, 30}
	for _, export := range []func() error{
		func() error { return ExportJSON(&bytes.Buffer{}, []Entry{bad}) },
		func() error { return ExportCSV(&bytes.Buffer{}, []Entry{bad}) },
		func() error { return ExportXLSX(&bytes.Buffer{}, []Entry{bad}) },
	} {
		err := export()
		assert.ErrorIs(t, err, ErrNotExportable)
		var xe *ExportError
		assert.True(t, errors.As(err, &xe))
	}
}

// A spreadsheet filled in by hand, with the headers the guide uses and the
// values as clerks type them: full-width digits, a date typed into a date
// cell, related codes on several lines. Problems are found at their cells.
func TestImportGuideColumns(t *testing.T) {
	ctx := context.Background()
	c, i := validRows()
	c[0] = append(headerRow(wantCatalogHeaders[:16]), "信息资源分类", "提供方代码", "关联资源代码", "发布日期")
	c[0][0], c[0][1] = "信息资源代码", "信息资源名称"
	c[1] = append(c[1], "１０１００１", " 11330100002482101d", "101001/000002\n205003/000017；", 46083)
	i[0][0] = "信息资源代码"
	got, findings, err := ImportXLSX(ctx, bytes.NewReader(workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})))
	require.NoError(t, err)
	assert.Empty(t, findings)
	require.Len(t, got, 1)
	assert.Equal(t, "101001", got[0].ResourceClass)
	assert.Equal(t, policeCode, got[0].ProviderCode)
	assert.Equal(t, []string{"101001/000002", "205003/000017"}, got[0].Related)
	assert.Equal(t, Date{2026, time.March, 2}, got[0].ReleaseDate)

	c[1][16], c[1][17], c[1][18], c[1][19] = "102001", "GA/1", "101001/000001", "二〇二六年三月"
	_, findings, err = ImportXLSX(ctx, bytes.NewReader(workbook(t, sheetSpec{name: "目录", rows: c}, sheetSpec{name: "数据项", rows: i})))
	require.NoError(t, err)
	var at []string
	for _, f := range findings {
		at = append(at, f.Code+"@"+f.Path)
	}
	assert.Equal(t, []string{CodeResourceClassMismatch + "@目录!Q2", CodeInvalidProviderCode + "@目录!R2",
		CodeInvalidRelated + "@目录!S2", CodeWrongType + "@目录!T2"}, at)
	assert.Contains(t, findings[3].Message, "发布日期应为日期（如2026-03-02）")

	// JSON names the member.
	doc := `{"entries": [{"id": "101001/000001", "release_date": "2026-02-30", "related": "101001/000002"}]}`
	_, findings, err = ImportJSON(ctx, strings.NewReader(doc))
	require.NoError(t, err)
	_, ok := findCode(findings, CodeWrongType, "entries[0].release_date")
	assert.True(t, ok, "%v", findings)
	_, ok = findCode(findings, CodeWrongType, "entries[0].related")
	assert.True(t, ok, "%v", findings)
}

// Date is a JSON string, omitted when zero.
func TestDateJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		D Date `json:"d,omitzero"`
		E Date `json:"e,omitzero"`
	}{D: Date{2026, 3, 2}})
	require.NoError(t, err)
	assert.Equal(t, `{"d":"2026-03-02"}`, string(b))
	var v struct{ D Date }
	require.NoError(t, json.Unmarshal([]byte(`{"D":"2026年3月2日"}`), &v))
	assert.Equal(t, Date{2026, 3, 2}, v.D)
}
