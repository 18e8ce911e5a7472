package classify

import "github.com/govshare/govshare"

// Subject is what a grading Policy checks: a catalog entry's classification
// together with how freely and how it is shared, and its data items. The
// catalog package builds one from each entry, so that classify needs
// nothing from catalog.
type Subject struct {
	// Classification is the entry's category and grade (R6).
	Classification Classification
	// Share is the entry's share attribute (R7).
	Share govshare.ShareAttribute
	// Methods are the share methods the entry offers (R13).
	Methods []govshare.ShareMethod
	// LegalBasis is the legal basis the entry records: for 不予共享 the
	// basis for refusing (R7); for core data that is shared at all, the
	// basis that permits it (Policy rule core_needs_basis).
	LegalBasis string
	// Items are the entry's data items.
	Items []Item
}

// Item is one data item of a Subject.
type Item struct {
	// Path locates the item in findings, e.g. "items[3]".
	Path string
	// Name is the 数据项名称, Column the field (column) name.
	Name, Column string
	// Kind is the personal-information kind the entry declares for it.
	Kind Kind
	// Share is the item's own share attribute, if stricter than the entry's.
	Share govshare.ShareAttribute
	// Samples are example values, if the host has them; detection uses them.
	Samples []string
}
