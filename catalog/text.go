package catalog

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/govshare/govshare"
)

// Text that should not be accepted (issue 11). Every text field of an
// entry must be valid UTF-8 and free of control characters: the C0
// controls and DEL (NUL among them), the C1 controls U+0080–U+009F, and
// the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) that make a name display as something else. The
// free-text fields written on several lines (摘要, 使用条件, 不予共享依据,
// a data item's 说明) may hold line breaks and tabs. Validate reports the
// first problem of each field at the field; Publish refuses an entry
// that has one. These are govshare's rules (policy default): the
// regulation says nothing about characters, but a NUL in a name or a
// right-to-left override in a 目录代码 is never what a department meant.

var citeText = govshare.PolicyDefault("govshare 文本字段：有效的UTF-8，不含控制字符")

// textOK reports whether s is valid UTF-8 without control characters;
// multiline allows \t, \n and \r. It is the fast path of checkText: one
// pass over the bytes, and utf8.ValidString only for text that is not
// ASCII.
func textOK(s string, multiline bool) bool {
	high := false
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x20 || b == 0x7f:
			if !multiline || (b != '\n' && b != '\t' && b != '\r') {
				return false
			}
		case b < 0x80:
		case b == 0xc2: // U+0080–U+00BF: the C1 controls are C2 80–C2 9F
			high = true
			if i+1 < len(s) && s[i+1] < 0xa0 {
				return false
			}
		case b == 0xe2: // U+2000–U+2FFF: the bidirectional controls
			high = true
			if i+2 < len(s) && isBidiControl(s[i+1], s[i+2]) {
				return false
			}
		default:
			high = true
		}
	}
	return !high || utf8.ValidString(s)
}

// isBidiControl reports whether E2 b1 b2 encodes U+202A–U+202E or
// U+2066–U+2069.
func isBidiControl(b1, b2 byte) bool {
	return b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae || b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9
}

// isControl reports whether r is a control character textOK refuses.
func isControl(r rune, multiline bool) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return !multiline || (r != '\n' && r != '\t' && r != '\r')
	case r >= 0x80 && r < 0xa0:
		return true
	}
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// textFinding describes the first problem of s, which textOK refused.
func textFinding(path, s string, multiline bool) govshare.Finding {
	f := field(path)
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n++
		if r == utf8.RuneError && size == 1 {
			return finding(CodeInvalidUTF8, govshare.Error, path, citeText,
				fmt.Sprintf("%s不是有效的UTF-8文本（第%d字节起），请以UTF-8重新保存或重新填写", f.zh, i+1),
				fmt.Sprintf("%s is not valid UTF-8 (from byte %d)", f.en, i+1))
		}
		if isControl(r, multiline) {
			return finding(CodeControlChar, govshare.Error, path, citeText,
				fmt.Sprintf("%s含有控制字符U+%04X（第%d个字符），请删除", f.zh, r, n),
				fmt.Sprintf("%s contains the control character U+%04X (character %d)", f.en, r, n))
		}
		i += size
	}
	// Not reached for text textOK refused; say so rather than nothing.
	return finding(CodeControlChar, govshare.Error, path, citeText, f.zh+"含有不允许的字符", f.en+" contains a character that is not allowed")
}

// checkText reports, at each text field of e, its first invalid UTF-8
// sequence or control character.
func checkText(e *Entry, out []govshare.Finding) []govshare.Finding {
	check := func(path, s string, multiline bool) {
		if !textOK(s, multiline) {
			out = append(out, textFinding(path, s, multiline))
		}
	}
	check("id", e.ID, false)
	check("name", e.Name, false)
	check("summary", e.Summary, true)
	check("provider.name", e.Provider.Name, false)
	check("provider.credit_code", e.Provider.CreditCode, false)
	check("provider.region_code", e.Provider.RegionCode, false)
	check("conditions", e.Conditions, true)
	check("legal_basis", e.LegalBasis, true)
	for i, m := range e.Methods {
		if !textOK(string(m), false) {
			out = append(out, textFinding("methods["+strconv.Itoa(i)+"]", string(m), false))
		}
	}
	check("classification.category", string(e.Classification.Category), false)
	check("resource_class", e.ResourceClass, false)
	check("provider_code", e.ProviderCode, false)
	for i, r := range e.Related {
		if !textOK(r, false) {
			out = append(out, textFinding("related["+strconv.Itoa(i)+"]", r, false))
		}
	}
	for i := range e.Items {
		it := &e.Items[i]
		if textOK(it.Name, false) && textOK(it.Column, false) && textOK(it.Description, true) {
			continue
		}
		p := itemPath(i)
		check(p+".name", it.Name, false)
		check(p+".column", it.Column, false)
		check(p+".description", it.Description, true)
	}
	return out
}
