// Package classify models 数据分类分级, the data classification-and-grading
// protection system that sharing security follows (R16, R18; 数据安全法
// art. 21; GB/T 43697-2024).
//
// Its vocabulary: Grade (核心数据, 重要数据, 一般数据 with levels 1–4),
// Category (a sector-first classification path, with a Registry of codes
// and Chinese names), Classification (what a catalog entry carries, R6) and
// Kind (personal-information kinds: name, id_card, mobile, …, and the
// non-personal identifiers uscc and plate). A Subject is what a grading
// policy checks: a classification together with the share attribute,
// methods and items of a catalog entry.
package classify
