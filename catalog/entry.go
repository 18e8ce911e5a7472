package catalog

import (
	"strconv"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Entry is one entry of the 政务数据目录: a data resource a department
// provides, with every field R6 requires. Only entries of a published
// catalog can be requested (R5); the entry fixes what a request may ask
// for (Items), how (Methods) and under which conditions (Share,
// Conditions).
//
// Status, Version, UpdatedAt and PublishedAt belong to the Store: Put,
// Publish and Withdraw set them, whatever the caller passes.
type Entry struct {
	// ID is the 目录代码, the guide's 信息资源代码: the classification code
	// 类(1)+项(2)+目(3)(+细目), then "/" and a sequence code (see
	// DefaultIDPattern and ParseResourceCode).
	ID string `json:"id" validate:"required,catalog_id"`
	// ResourceClass is the optional 信息资源分类 of 《政务信息资源目录编制指南
	// （试行）》 as a classification code, 类+项+目(+细目), e.g. "101001"
	// (ParseResourceClass). When the ID is in the default layout they must
	// agree; hosts with their own ID pattern state it here.
	ResourceClass string `json:"resource_class,omitempty" validate:"-"`
	// Name is the 数据目录名称 (R6).
	Name string `json:"name" validate:"required,max200"`
	// Summary is the 摘要: what the data are and what they are for.
	Summary string `json:"summary,omitempty" validate:"max2000"`
	// Provider is the 提供单位 (R6), with its 统一社会信用代码 and 行政区划代码.
	Provider govshare.Department `json:"provider"`
	// ProviderCode is the optional 信息资源提供方代码 of the guide: the
	// provider's 统一社会信用代码, which must then be Provider.CreditCode,
	// or a code the platform gives its departments (digits and capital
	// letters, at most 32; policy default).
	ProviderCode string `json:"provider_code,omitempty" validate:"-"`
	// Level is the catalog the entry belongs to (R5).
	Level Level `json:"level" validate:"required"`
	// Items are the 数据项 (R6), at least one.
	Items []DataItem `json:"items" validate:"-"`
	// Format is the 数据格式 (R6).
	Format Format `json:"format" validate:"required"`
	// Frequency is the 数据更新频率 (R6).
	Frequency Frequency `json:"frequency" validate:"required"`
	// Share is the 共享属性 (R7).
	Share govshare.ShareAttribute `json:"share" validate:"required"`
	// Conditions are the 使用条件 of a conditional entry (R7). A provider
	// may not add conditions beyond these (不得擅自增设条件).
	Conditions string `json:"conditions,omitempty" validate:"max2000"`
	// LegalBasis is the 不予共享依据 of a not-shared entry: the law,
	// administrative regulation or central policy document and its article
	// (R7). Kept apart from Conditions.
	LegalBasis string `json:"legal_basis,omitempty" validate:"max2000"`
	// Methods are the 共享方式 offered (R13); none for a not-shared entry.
	Methods []govshare.ShareMethod `json:"methods,omitempty" validate:"-"`
	// Classification is the 数据分类分级: category and grade (R6, R16).
	Classification classify.Classification `json:"classification"`
	// Open is the optional 开放属性 of the guide (public open data, not
	// sharing).
	Open OpenAttribute `json:"open,omitempty" validate:"-"`
	// Related are the optional 关联资源代码 of the guide: the 目录代码 of
	// entries this one relates to. Each matches the ID pattern, none is the
	// entry's own, none repeats.
	Related []string `json:"related,omitempty" validate:"-"`
	// ReleaseDate is the optional 发布日期 of the guide: the day the provider
	// released the resource. PublishedAt is something else, when the store
	// last published this entry.
	ReleaseDate Date `json:"release_date,omitzero" validate:"-"`
	// Status is draft, published or withdrawn; set by the Store.
	Status Status `json:"status,omitempty" validate:"-"`
	// Version counts the stored versions of the entry, from 1; 0 for an
	// entry never stored. Set by the Store.
	Version int64 `json:"version" validate:"-"`
	// UpdatedAt is when this version was stored. Set by the Store.
	UpdatedAt time.Time `json:"updated_at,omitzero" validate:"-"`
	// PublishedAt is when the entry was last published; zero if never. Set
	// by the Store.
	PublishedAt time.Time `json:"published_at,omitzero" validate:"-"`
}

// DataItem is one 数据项 of an entry: a field of the data a request may ask
// for by name (R8 使用范围). Validate checks its fields itself (checkItems)
// rather than through the validator: a reflective visit of every field of
// every item was half the time of validating a catalog.
type DataItem struct {
	// Name is the 数据项名称, e.g. 姓名: required, at most 200 characters.
	Name string `json:"name"`
	// Column is the 字段名 in the provider's system, e.g. xm: at most 128
	// characters.
	Column string `json:"column,omitempty"`
	// Type is the 数据类型.
	Type DataType `json:"type,omitempty"`
	// Length is the 长度 (characters or digits); 0 when not stated, never
	// negative.
	Length int `json:"length,omitempty"`
	// Description is the 说明: at most 2000 characters.
	Description string `json:"description,omitempty"`
	// Share is the item's own 共享属性 when it is stricter than the entry's
	// (an identity-card number in an otherwise unconditional entry); zero
	// means the entry's. It may never be looser than the entry's (R7).
	Share govshare.ShareAttribute `json:"share,omitempty"`
	// Kind is the personal-information kind (个人信息类别) of the item.
	Kind classify.Kind `json:"kind,omitempty"`
}

// EffectiveShare returns the share attribute that governs the item: its
// own when stated, otherwise the entry's.
func (e Entry) EffectiveShare(i int) govshare.ShareAttribute {
	if i >= 0 && i < len(e.Items) && e.Items[i].Share != 0 {
		return e.Items[i].Share
	}
	return e.Share
}

// Item returns the data item called name and its index, or false.
func (e Entry) Item(name string) (DataItem, int, bool) {
	for i, it := range e.Items {
		if it.Name == name {
			return it, i, true
		}
	}
	return DataItem{}, -1, false
}

// HasMethod reports whether the entry offers share method m.
func (e Entry) HasMethod(m govshare.ShareMethod) bool {
	for _, x := range e.Methods {
		if x == m {
			return true
		}
	}
	return false
}

// Clone returns a deep copy: its Items, Methods and Related do not share
// memory with e's.
func (e Entry) Clone() Entry {
	if e.Related != nil {
		e.Related = append(make([]string, 0, len(e.Related)), e.Related...)
	}
	if e.Items != nil {
		e.Items = append(make([]DataItem, 0, len(e.Items)), e.Items...)
	}
	if e.Methods != nil {
		e.Methods = append(make([]govshare.ShareMethod, 0, len(e.Methods)), e.Methods...)
	}
	return e
}

// Subject returns what a grading policy checks: the classification, share
// attribute, methods, legal basis and items, each item with its path
// ("items[3]") for the findings.
func (e Entry) Subject() classify.Subject {
	s := classify.Subject{
		Classification: e.Classification,
		Share:          e.Share,
		Methods:        append([]govshare.ShareMethod(nil), e.Methods...),
		LegalBasis:     e.LegalBasis,
		Items:          make([]classify.Item, len(e.Items)),
	}
	for i, it := range e.Items {
		s.Items[i] = classify.Item{
			Path:   itemPath(i),
			Name:   it.Name,
			Column: it.Column,
			Kind:   it.Kind,
			Share:  it.Share,
		}
	}
	return s
}

func itemPath(i int) string { return "items[" + strconv.Itoa(i) + "]" }
