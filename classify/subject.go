package classify

import "github.com/govshare/govshare"

// Subject is what a grading Policy checks: a catalog entry's classification
// together with how freely and how it is shared, and its data items. The
// catalog package builds one from each entry, so that classify needs
// nothing from catalog.
type Subject struct {
	// Classification is the entry's category and grade (R6).
	Classification Classification `json:"classification"`
	// Share is the entry's share attribute (R7).
	Share govshare.ShareAttribute `json:"share,omitempty"`
	// Methods are the share methods the entry offers (R13).
	Methods []govshare.ShareMethod `json:"methods,omitempty"`
	// LegalBasis is the legal basis the entry records: for 不予共享 the
	// basis for refusing (R7); for core data that is shared at all, the
	// basis that permits it (Policy rule core_needs_basis).
	LegalBasis string `json:"legal_basis,omitempty"`
	// Items are the entry's data items.
	Items []Item `json:"items,omitempty"`
}

// Item is one data item of a Subject.
type Item struct {
	// Path locates the item in findings, e.g. "items[3]".
	Path string `json:"path,omitempty"`
	// Name is the 数据项名称, Column the field (column) name.
	Name   string `json:"name"`
	Column string `json:"column,omitempty"` // see Name
	// Kind is the personal-information kind the entry declares for it.
	Kind Kind `json:"kind,omitempty"`
	// Share is the item's own share attribute, if stricter than the entry's.
	Share govshare.ShareAttribute `json:"share,omitempty"`
	// Samples are example values, if the host has them; detection uses them.
	Samples []string `json:"samples,omitempty"`
}
