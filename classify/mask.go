package classify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
)

// Masking (脱敏) lets a provider share data under conditions without the
// personal information in the clear. Every mask here works on characters
// (runes), never bytes, so a Chinese character is masked whole; it keeps the
// characters a receiving department may see and writes one '*' for each of
// the others, so the mask is never longer than the value (in characters or
// in bytes), and the same value always gives the same mask.

// Mask returns v masked for kind k:
//
//	id_card    first 6 and last 4 kept           110101********1234
//	           (15-digit numbers: first 6, last 3: the birth date masked)
//	mobile     first 3 and last 4                138****5678
//	phone      area code and last 4              010-****5678
//	name       the surname (compound ones whole) 张*, 欧阳**
//	email      first character and the domain    z*******@example.com
//	bank_card  last 4                            ***************0128
//	address    up to the district (区, 县, 旗)    北京市海淀区*********
//	passport   first 1 and last 3                E*****678
//	uscc       first 8 and last 2                91350100********43
//	plate      first 2 and last 2                京A***45
//
// Biometric, health, religion, location and minor data, None, and any
// other value of Kind are masked whole: a caller that asks for a mask gets
// one.
//
// A value too short for its kind's pattern (a short, invalid or already
// cut value) keeps at most a quarter of its characters, so it is never
// echoed in full; a value of one to three characters is masked whole. An
// address with no recognisable district is masked whole. Spaces around the
// value count as characters: trim it first if that matters.
func Mask(k Kind, v string) string {
	n := utf8.RuneCountInString(v)
	if n == 0 {
		return ""
	}
	switch k {
	case IDCard:
		if n == 15 {
			return keep(v, n, kept{6, 3})
		}
		return keep(v, n, fit(n, 6, 4, 8))
	case Mobile:
		return keep(v, n, fit(n, 3, 4, 4))
	case Phone:
		return keep(v, n, fit(n, areaCode(v), 4, 3))
	case Name:
		return keep(v, n, kept{head: surname(v, n)})
	case Email:
		return maskEmail(v, n)
	case BankCard:
		k := fit(n, 0, 4, 8)
		if t := lastDigits(v, 4); k.tail == 4 && t > 4 && n >= t+8 {
			k.tail = t // 6222 0212 3456 7890 128: the last 4 digits, not characters
		}
		return keep(v, n, k)
	case Address:
		return keep(v, n, kept{head: district(v, n)})
	case Passport:
		return keep(v, n, fit(n, 1, 3, 4))
	case USCC:
		return keep(v, n, fit(n, 8, 2, 6))
	case Plate:
		return keep(v, n, fit(n, 2, 2, 3))
	}
	return keep(v, n, kept{})
}

// kept is how many characters a mask keeps at the head and at the tail.
type kept struct{ head, tail int }

// fit returns the characters to keep of a value of n characters: the
// kind's head and tail when at least minMasked characters remain to be
// masked, otherwise a quarter of the value at most, the head first.
func fit(n, head, tail, minMasked int) kept {
	if n >= head+tail+minMasked {
		return kept{head, tail}
	}
	k := n / 4
	h := min(head, k)
	return kept{h, min(tail, k-h)}
}

// keep returns v (of n runes) with all but the kept runes replaced by '*'.
// The kept runes are copied byte for byte; a byte that is not UTF-8 is
// never kept.
func keep(v string, n int, k kept) string {
	head, tail := k.head, k.tail
	if head+tail >= n {
		// Never the whole value: callers keep less, this is the guard.
		head, tail = 0, 0
	}
	var b strings.Builder
	b.Grow(len(v))
	i := 0
	for pos := 0; pos < len(v); {
		r, size := utf8.DecodeRuneInString(v[pos:])
		if (i < head || i >= n-tail) && (r != utf8.RuneError || size > 1) {
			b.WriteString(v[pos : pos+size])
		} else {
			b.WriteByte('*')
		}
		pos += size
		i++
	}
	return b.String()
}

// areaCode returns the characters up to and including the separator after
// a fixed-line area code (010-, (0755), 0755 ), or 3 when there is none.
func areaCode(v string) int {
	i := 0
	for _, r := range v {
		if i > 6 {
			break
		}
		if i >= 3 && (r == '-' || r == ')' || r == '）' || r == ' ') {
			return i + 1
		}
		i++
	}
	return 3
}

// compoundSurnames are the two-character surnames (复姓) in use today,
// which a name mask keeps whole.
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "上官": true, "诸葛": true, "东方": true, "皇甫": true, "尉迟": true,
	"公孙": true, "慕容": true, "长孙": true, "宇文": true, "司徒": true, "夏侯": true, "轩辕": true,
	"令狐": true, "端木": true, "独孤": true, "南宫": true, "西门": true, "澹台": true, "公冶": true,
	"太史": true, "申屠": true, "呼延": true, "闻人": true, "万俟": true, "司空": true, "钟离": true,
	"宗政": true, "濮阳": true, "淳于": true, "单于": true, "赫连": true, "第五": true, "百里": true,
}

// surname returns how many characters of a name to keep: a compound
// surname when the name has a given name after it, else one character,
// and none of a name of one character.
func surname(v string, n int) int {
	if n < 2 {
		return 0
	}
	_, a := utf8.DecodeRuneInString(v)
	_, b := utf8.DecodeRuneInString(v[a:])
	if n >= 3 && compoundSurnames[v[:a+b]] {
		return 2
	}
	return 1
}

func maskEmail(v string, n int) string {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return keep(v, n, fit(n, 1, 0, 2))
	}
	local := utf8.RuneCountInString(v[:at])
	h := 1
	if local == 1 {
		h = 0
	}
	return keep(v, n, kept{h, n - local})
}

// addressStop are the characters that begin the part of an address below
// the district: townships, streets, roads, villages, numbers, buildings.
const addressStop = "镇乡街路道村号弄巷栋幢室楼组"

// district returns how many characters of an address to keep: through the
// first county-level unit (区, 县, 旗: 北京市海淀区, 广东省深圳市南山区), or
// when there is none before the street part, through the last province-
// or prefecture-level unit (省, 市, 州, 盟, 自治区, 特别行政区, 地区:
// 江苏省昆山市). 0 when no unit is found. An address that is nothing but
// units (海淀区) keeps two thirds of them.
func district(v string, n int) int {
	keepN, i := 0, 0
	var prev rune
	for _, r := range v {
		if i >= 24 || (r >= '0' && r <= '9') || strings.ContainsRune(addressStop, r) {
			break
		}
		i++
		switch r {
		case '省', '市', '州', '盟':
			keepN = i
		case '区', '县', '旗':
			keepN = i
			if r != '区' || (prev != '治' && prev != '政' && prev != '地') {
				i = 24 // the county level: stop here
			}
		}
		prev = r
	}
	if keepN == n {
		keepN = n - (n+2)/3
	}
	return keepN
}

// lastDigits returns how many characters from the end of v hold its last
// d digits, or 0 if v has fewer.
func lastDigits(v string, d int) int {
	chars := 0
	for i := len(v); i > 0 && d > 0; {
		r, size := utf8.DecodeLastRuneInString(v[:i])
		i -= size
		chars++
		if r >= '0' && r <= '9' {
			d--
		}
	}
	if d > 0 {
		return 0
	}
	return chars
}

// Masker masks records — a map from data-item name to value, as a host's
// data gateway holds a row — according to the items of a catalog entry:
// the value of every listed item is masked for its kind (Mask), everything
// else passes unchanged. It is immutable and safe for concurrent use.
type Masker struct {
	kinds map[string]Kind
}

// ErrInvalidItem is the kind of the error NewMasker returns for an item it
// cannot use. errors.Is(err, govshare.ErrInvalid) holds for it.
var ErrInvalidItem = kinded.New("classify: invalid item", govshare.ErrInvalid)

// ItemError names the item NewMasker refused and why.
// errors.Is(err, ErrInvalidItem) holds.
type ItemError struct {
	Index   int    // the item's position in the list
	Item    string // its name or column
	Problem string // what is wrong, in English
	zh      string // the same in Chinese
}

// Error names the item and the problem.
func (e *ItemError) Error() string {
	return fmt.Sprintf("classify: item %d (%q): %s", e.Index, e.Item, e.Problem)
}

// Unwrap returns ErrInvalidItem.
func (e *ItemError) Unwrap() error { return ErrInvalidItem }

// ErrorMessage implements govshare.Messenger.
func (e *ItemError) ErrorMessage() govshare.Message {
	item := e.Item
	if item == "" {
		item = "未命名"
	}
	return govshare.Message{Code: "classify.invalid_item",
		Zh: fmt.Sprintf("第%d个数据项（%s）无法用于脱敏：%s", e.Index+1, item, e.zh),
		En: e.Error()}
}

// NewMasker returns a Masker for the items to mask. A record key matches an
// item by its Name (数据项名称) or its Column. An item with neither, with a
// Kind that is not one of the kinds, or with a name or column another item
// has with a different kind is an *ItemError.
func NewMasker(items ...Item) (*Masker, error) {
	m := &Masker{kinds: make(map[string]Kind, 2*len(items))}
	for i, it := range items {
		label := it.Name
		if label == "" {
			label = it.Column
		}
		if label == "" {
			return nil, &ItemError{Index: i, Problem: "no name and no column", zh: "既无数据项名称也无字段名"}
		}
		if !it.Kind.Valid() {
			return nil, &ItemError{Index: i, Item: label, Problem: fmt.Sprintf("kind %d is not a personal-information kind", it.Kind),
				zh: fmt.Sprintf("类别%d不是个人信息类别", it.Kind)}
		}
		for _, key := range []string{it.Name, it.Column} {
			if key == "" {
				continue
			}
			if k, dup := m.kinds[key]; dup && k != it.Kind {
				return nil, &ItemError{Index: i, Item: label, Problem: fmt.Sprintf("%q is listed as %s and as %s", key, k.English(), it.Kind.English()),
					zh: fmt.Sprintf("“%s”既列为%s又列为%s", key, k, it.Kind)}
			}
			m.kinds[key] = it.Kind
		}
	}
	return m, nil
}

// Kind returns the kind a record key is masked as, and whether it is
// masked at all.
func (m *Masker) Kind(key string) (Kind, bool) {
	k, ok := m.kinds[key]
	return k, ok
}

// Value masks one value of the record key, or returns it unchanged when
// the key is not to be masked.
func (m *Masker) Value(key, v string) string {
	if k, ok := m.kinds[key]; ok {
		return Mask(k, v)
	}
	return v
}

// Mask returns a copy of the record with the listed items masked. The
// record itself is not changed; nil gives nil.
func (m *Masker) Mask(record map[string]string) map[string]string {
	if record == nil {
		return nil
	}
	out := make(map[string]string, len(record))
	for key, v := range record {
		out[key] = m.Value(key, v)
	}
	return out
}
