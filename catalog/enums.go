package catalog

import (
	"github.com/govshare/govshare/internal/textcode"
)

// Level is the 目录层级 of an entry: the catalog it belongs to (R5). The
// zero value means not stated.
type Level uint8

const (
	// National is 国家政务数据目录: compiled by the national competent
	// department under its catalog standard (R1, R5).
	National Level = iota + 1
	// Regional is 地方政务数据目录: compiled by a local competent department
	// for its region (R2, R5).
	Regional
	// Departmental is 部门政务数据目录: compiled by a department for the data
	// of its own duties, following the national standard (R5).
	Departmental
)

var levels = textcode.Table[Level]{
	{Value: National, Code: "national", Zh: "国家目录", En: "national catalog", Aliases: []string{"国家政务数据目录", "国家级", "国家"}},
	{Value: Regional, Code: "regional", Zh: "地方目录", En: "regional catalog", Aliases: []string{"地方政务数据目录", "地方", "区域目录"}},
	{Value: Departmental, Code: "departmental", Zh: "部门目录", En: "departmental catalog", Aliases: []string{"部门政务数据目录", "部门"}},
}

// String returns the Chinese term, e.g. 部门目录.
func (l Level) String() string { return textcode.String(levels, "Level", l) }

// English returns the English name, e.g. "departmental catalog".
func (l Level) English() string { return textcode.English(levels, l) }

// Valid reports whether l is one of the three levels of R5.
func (l Level) Valid() bool { _, ok := levels.Lookup(l); return ok }

// MarshalText returns the stable code: national, regional or departmental.
func (l Level) MarshalText() ([]byte, error) { return textcode.Marshal(levels, "catalog level", l) }

// UnmarshalText accepts the stable code or the Chinese term.
func (l *Level) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(levels, "catalog level", text, l)
}

// Format is the 数据格式 of an entry (R6). The zero value means not stated.
type Format uint8

const (
	// FormatTable is 库表: structured data in database tables.
	FormatTable Format = iota + 1
	// FormatFile is 文件: documents such as OFD, PDF or word-processor files.
	FormatFile
	// FormatSpreadsheet is 电子表格.
	FormatSpreadsheet
	// FormatAPI is 接口: data that exists only as a service interface.
	FormatAPI
	// FormatImage is 图形图像.
	FormatImage
	// FormatMedia is 音视频 (流媒体).
	FormatMedia
	// FormatOther is 其他.
	FormatOther
)

var formats = textcode.Table[Format]{
	{Value: FormatTable, Code: "table", Zh: "库表", En: "database table", Aliases: []string{"数据库", "数据库表"}},
	{Value: FormatFile, Code: "file", Zh: "文件", En: "file", Aliases: []string{"电子文件"}},
	{Value: FormatSpreadsheet, Code: "spreadsheet", Zh: "电子表格", En: "spreadsheet"},
	{Value: FormatAPI, Code: "api", Zh: "接口", En: "interface", Aliases: []string{"接口类"}},
	{Value: FormatImage, Code: "image", Zh: "图形图像", En: "image", Aliases: []string{"图像"}},
	{Value: FormatMedia, Code: "media", Zh: "音视频", En: "audio and video", Aliases: []string{"流媒体"}},
	{Value: FormatOther, Code: "other", Zh: "其他", En: "other"},
}

// String returns the Chinese term, e.g. 库表.
func (f Format) String() string { return textcode.String(formats, "Format", f) }

// English returns the English name.
func (f Format) English() string { return textcode.English(formats, f) }

// Valid reports whether f is one of the formats.
func (f Format) Valid() bool { _, ok := formats.Lookup(f); return ok }

// MarshalText returns the stable code, e.g. table.
func (f Format) MarshalText() ([]byte, error) { return textcode.Marshal(formats, "data format", f) }

// UnmarshalText accepts the stable code or the Chinese term.
func (f *Format) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(formats, "data format", text, f)
}

// Frequency is the 数据更新频率 of an entry (R6). The zero value means not
// stated.
type Frequency uint8

// The update frequencies.
const (
	Realtime   Frequency = iota + 1 // 实时
	Daily                           // 每日
	Weekly                          // 每周
	Monthly                         // 每月
	Quarterly                       // 每季度
	HalfYearly                      // 每半年
	Yearly                          // 每年
	Irregular                       // 不定期
)

var frequencies = textcode.Table[Frequency]{
	{Value: Realtime, Code: "realtime", Zh: "实时", En: "real time"},
	{Value: Daily, Code: "daily", Zh: "每日", En: "daily", Aliases: []string{"每天", "日"}},
	{Value: Weekly, Code: "weekly", Zh: "每周", En: "weekly", Aliases: []string{"周"}},
	{Value: Monthly, Code: "monthly", Zh: "每月", En: "monthly", Aliases: []string{"月"}},
	{Value: Quarterly, Code: "quarterly", Zh: "每季度", En: "quarterly", Aliases: []string{"每季", "季度"}},
	{Value: HalfYearly, Code: "half_yearly", Zh: "每半年", En: "half-yearly", Aliases: []string{"半年"}},
	{Value: Yearly, Code: "yearly", Zh: "每年", En: "yearly", Aliases: []string{"每年度", "年度"}},
	{Value: Irregular, Code: "irregular", Zh: "不定期", En: "irregular"},
}

// String returns the Chinese term, e.g. 每日.
func (f Frequency) String() string { return textcode.String(frequencies, "Frequency", f) }

// English returns the English name.
func (f Frequency) English() string { return textcode.English(frequencies, f) }

// Valid reports whether f is one of the frequencies.
func (f Frequency) Valid() bool { _, ok := frequencies.Lookup(f); return ok }

// MarshalText returns the stable code, e.g. daily.
func (f Frequency) MarshalText() ([]byte, error) {
	return textcode.Marshal(frequencies, "update frequency", f)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (f *Frequency) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(frequencies, "update frequency", text, f)
}

// OpenAttribute is the 开放属性 of an entry: whether the data are also
// opened to the public (公共数据开放). It is optional and outside the
// sharing regulation; the zero value means not stated.
type OpenAttribute uint8

const (
	// OpenUnconditional is 无条件开放.
	OpenUnconditional OpenAttribute = iota + 1
	// OpenConditional is 有条件开放.
	OpenConditional
	// NotOpen is 不予开放.
	NotOpen
)

var openAttributes = textcode.Table[OpenAttribute]{
	{Value: OpenUnconditional, Code: "unconditional", Zh: "无条件开放", En: "open to the public"},
	{Value: OpenConditional, Code: "conditional", Zh: "有条件开放", En: "open under conditions"},
	{Value: NotOpen, Code: "not_open", Zh: "不予开放", En: "not open"},
}

// String returns the Chinese term, e.g. 不予开放.
func (o OpenAttribute) String() string { return textcode.String(openAttributes, "OpenAttribute", o) }

// English returns the English name.
func (o OpenAttribute) English() string { return textcode.English(openAttributes, o) }

// Valid reports whether o is one of the open attributes.
func (o OpenAttribute) Valid() bool { _, ok := openAttributes.Lookup(o); return ok }

// MarshalText returns the stable code: unconditional, conditional or not_open.
func (o OpenAttribute) MarshalText() ([]byte, error) {
	return textcode.Marshal(openAttributes, "open attribute", o)
}

// UnmarshalText accepts the stable code or the Chinese term.
func (o *OpenAttribute) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(openAttributes, "open attribute", text, o)
}

// Status is where an entry stands in its life: a draft being written, a
// published entry that departments may request (R5), or withdrawn from the
// catalog. The zero value means not stored yet; the Store sets it.
type Status uint8

const (
	// Draft is 草稿: being compiled; cannot be requested.
	Draft Status = iota + 1
	// Published is 已发布: in the published catalog; may be requested (R5).
	Published
	// Withdrawn is 已撤销: taken out of the catalog; may no longer be
	// requested.
	Withdrawn
)

var statuses = textcode.Table[Status]{
	{Value: Draft, Code: "draft", Zh: "草稿", En: "draft"},
	{Value: Published, Code: "published", Zh: "已发布", En: "published", Aliases: []string{"发布"}},
	{Value: Withdrawn, Code: "withdrawn", Zh: "已撤销", En: "withdrawn", Aliases: []string{"撤销", "已下线"}},
}

// String returns the Chinese term, e.g. 已发布.
func (s Status) String() string { return textcode.String(statuses, "Status", s) }

// English returns the English name.
func (s Status) English() string { return textcode.English(statuses, s) }

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { _, ok := statuses.Lookup(s); return ok }

// MarshalText returns the stable code: draft, published or withdrawn.
func (s Status) MarshalText() ([]byte, error) { return textcode.Marshal(statuses, "status", s) }

// UnmarshalText accepts the stable code or the Chinese term.
func (s *Status) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(statuses, "status", text, s)
}

// DataType is the 数据类型 of a data item. The zero value means not stated.
type DataType uint8

// The data types.
const (
	TypeString   DataType = iota + 1 // 字符型
	TypeInteger                      // 整数型
	TypeDecimal                      // 数值型 (decimal or floating point)
	TypeDate                         // 日期型
	TypeDateTime                     // 日期时间型
	TypeBoolean                      // 布尔型
	TypeBinary                       // 二进制 (images, files stored in a column)
)

var dataTypes = textcode.Table[DataType]{
	{Value: TypeString, Code: "string", Zh: "字符型", En: "string", Aliases: []string{"字符串", "字符", "varchar", "char", "text"}},
	{Value: TypeInteger, Code: "integer", Zh: "整数型", En: "integer", Aliases: []string{"整数", "整型", "int", "bigint"}},
	{Value: TypeDecimal, Code: "decimal", Zh: "数值型", En: "decimal", Aliases: []string{"数值", "浮点型", "number", "numeric", "float"}},
	{Value: TypeDate, Code: "date", Zh: "日期型", En: "date", Aliases: []string{"日期"}},
	{Value: TypeDateTime, Code: "datetime", Zh: "日期时间型", En: "date and time", Aliases: []string{"日期时间", "时间戳", "timestamp"}},
	{Value: TypeBoolean, Code: "boolean", Zh: "布尔型", En: "boolean", Aliases: []string{"布尔", "bool"}},
	{Value: TypeBinary, Code: "binary", Zh: "二进制", En: "binary", Aliases: []string{"二进制型", "blob"}},
}

// String returns the Chinese term, e.g. 字符型.
func (t DataType) String() string { return textcode.String(dataTypes, "DataType", t) }

// English returns the English name.
func (t DataType) English() string { return textcode.English(dataTypes, t) }

// Valid reports whether t is one of the data types.
func (t DataType) Valid() bool { _, ok := dataTypes.Lookup(t); return ok }

// MarshalText returns the stable code, e.g. string.
func (t DataType) MarshalText() ([]byte, error) { return textcode.Marshal(dataTypes, "data type", t) }

// UnmarshalText accepts the stable code or the Chinese term.
func (t *DataType) UnmarshalText(text []byte) error {
	return textcode.Unmarshal(dataTypes, "data type", text, t)
}
