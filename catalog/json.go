package catalog

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// document is the canonical JSON form of a catalog.
type document struct {
	Entries []Entry `json:"entries"` // in the caller's order
}

// ExportJSON writes entries in the canonical JSON form: an object with an
// "entries" array, members in the order of the Go fields, enumerations as
// their stable codes, times in China Standard Time (RFC 3339), two-space
// indentation and a final newline. ImportJSON reads it back to equal
// entries, and exporting those gives the same bytes. An entry holding an
// undefined enumeration value is an *ExportError (ErrNotExportable).
func ExportJSON(w io.Writer, entries []Entry) error {
	doc := document{Entries: make([]Entry, len(entries))}
	for i, e := range entries {
		e = e.Clone()
		e.UpdatedAt = inCST(e.UpdatedAt)
		e.PublishedAt = inCST(e.PublishedAt)
		doc.Entries[i] = e
		// Marshal entry by entry first, so that the error names the entry.
		if _, err := json.Marshal(e); err != nil {
			return &ExportError{ID: e.ID, Err: err}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func inCST(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(deadline.CST)
}

// ImportJSON reads the canonical JSON form. err is non-nil only when r
// cannot be read or is not JSON at all (ErrUnreadable), when the file goes
// beyond a limit (Limits, WithLimits: *LimitError, govshare.ErrTooLarge),
// when an option cannot be used (govshare.ErrInvalid) or when ctx is done,
// checked between reads and between the elements of every array
// (ctx.Err()). Everything else is a finding whose Path names the element
// ("entries[2].items[0].share"): a value of the wrong type, an unknown
// enumeration value or a string that is not UTF-8 (the field is left
// empty and the rest of the entry read), a member given twice (neither
// value is read: RFC 8259 leaves its meaning open, and I-JSON, RFC 7493,
// forbids it), an unknown member (ignored), a repeated 目录代码, and every
// finding of Validate on every entry. Times are converted to China
// Standard Time.
func ImportJSON(ctx context.Context, r io.Reader, opts ...Option) ([]Entry, []govshare.Finding, error) {
	c, err := newConfig(opts, forImport)
	if err != nil {
		return nil, nil, err
	}
	lim := c.lim()
	data, err := readAll(ctx, "json", r, lim)
	if err != nil {
		return nil, nil, err
	}
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw) // for the position of the error
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, nil, &ReadError{Format: "json", Err: err}
	}
	d := &jsonDecoder{ctx: ctx, lim: lim}
	var doc document
	d.decode(data, reflect.ValueOf(&doc).Elem(), "")
	if d.err != nil {
		return nil, nil, d.err
	}
	if len(doc.Entries) == 0 {
		d.add(finding(CodeNoEntries, govshare.Warning, "entries", citeTemplate,
			"文件中没有任何目录", "the file holds no catalog entry"))
	}
	first := map[string]int{}
	for i := range doc.Entries {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		e := &doc.Entries[i]
		prefix := "entries[" + strconv.Itoa(i) + "]"
		e.UpdatedAt = inCST(e.UpdatedAt)
		e.PublishedAt = inCST(e.PublishedAt)
		for _, t := range []*time.Time{&e.UpdatedAt, &e.PublishedAt} {
			// MarshalJSON writes only years 0–9999; an offset far from
			// +08:00 can push a time read near either end outside them.
			if y := t.Year(); y < 0 || y > 9999 {
				d.add(finding(CodeWrongType, govshare.Error, prefix, citeTemplate,
					"时间超出公元0年至9999年的范围，已忽略", "a time outside the years 0 to 9999 was ignored"))
				*t = time.Time{}
			}
		}
		if j, dup := first[e.ID]; dup && e.ID != "" {
			d.add(finding(CodeDuplicateEntry, govshare.Error, prefix+".id", citeID,
				fmt.Sprintf("目录代码%s与第%d个目录重复", quote(e.ID), j+1),
				fmt.Sprintf("catalog code %s repeats entry %d", quote(e.ID), j+1)))
		} else {
			first[e.ID] = i
		}
		for _, f := range c.validate(e) {
			if f.Path == "" {
				f.Path = prefix
			} else {
				f.Path = prefix + "." + f.Path
			}
			d.add(f)
		}
		if d.err != nil {
			return nil, nil, d.err
		}
	}
	return doc.Entries, d.findings, nil
}

// jsonDecoder decodes a JSON value into a Go value member by member, so
// that one bad member is one finding with its path while the rest is
// still read. (encoding/json stops at the first error.)
type jsonDecoder struct {
	ctx      context.Context
	lim      Limits
	err      error // ctx.Err() once the context is done, or a limit met; decoding stops
	findings []govshare.Finding
	rows     int   // entries and items
	cells    int64 // values
}

// add records a finding; beyond Limits.Findings, the *LimitError that
// stops the import.
func (d *jsonDecoder) add(f govshare.Finding) {
	if len(d.findings) >= d.lim.Findings {
		if d.err == nil {
			d.err = &LimitError{Format: "json", Limit: "Findings", Max: int64(d.lim.Findings), Value: int64(len(d.findings)) + 1, reading: true}
		}
		return
	}
	d.findings = append(d.findings, f)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (d *jsonDecoder) decode(raw json.RawMessage, v reflect.Value, path string) {
	t := v.Type()
	leaf := reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)
	switch {
	case !leaf && t.Kind() == reflect.Struct:
		d.object(raw, v, path)
	case !leaf && t.Kind() == reflect.Slice:
		d.array(raw, v, path)
	default:
		d.cells++
		if d.cells > d.lim.Cells {
			d.err = &LimitError{Format: "json", Limit: "Cells", Max: d.lim.Cells, Value: d.cells, reading: true}
			return
		}
		if len(raw) > 0 && raw[0] == '"' {
			if !utf8.Valid(raw) {
				d.add(finding(CodeMalformed, govshare.Error, path, citeTemplate,
					field(entryPath(path)).zh+"不是有效的UTF-8文本，已忽略", field(entryPath(path)).en+": not valid UTF-8; ignored"))
				return
			}
			if len(raw)-2 > d.lim.CellChars {
				var s string
				if json.Unmarshal(raw, &s) == nil && utf8.RuneCountInString(s) > d.lim.CellChars {
					d.err = &LimitError{Format: "json", Limit: "CellChars", Max: int64(d.lim.CellChars), Value: int64(utf8.RuneCountInString(s)), Ref: path}
					return
				}
			}
		}
		if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
			v.SetZero()
			d.valueError(path, raw, err)
		}
	}
}

func (d *jsonDecoder) object(raw json.RawMessage, v reflect.Value, path string) {
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		return
	}
	if len(raw) == 0 || raw[0] != '{' {
		d.wrongType(path, raw, "an object")
		return
	}
	members := splitObject(raw)
	// Each name's members, in the order of the file.
	byName := make(map[string][]json.RawMessage, len(members))
	var names []string
	for _, m := range members {
		if _, seen := byName[m.name]; !seen {
			names = append(names, m.name)
		}
		byName[m.name] = append(byName[m.name], m.value)
	}
	t := v.Type()
	known := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		known[name] = true
		if ms := byName[name]; len(ms) == 1 {
			d.decode(ms[0], v.Field(i), join(path, name))
			if d.err != nil {
				return
			}
		}
	}
	for _, name := range names {
		if n := len(byName[name]); n > 1 {
			d.add(finding(CodeMalformed, govshare.Error, join(path, name), citeTemplate,
				fmt.Sprintf("成员%s出现了%d次，无法确定取哪一个，均未读取", quote(name), n),
				fmt.Sprintf("member %s appears %d times; which one counts cannot be known, so none was read", quote(name), n)))
		}
	}
	var unknown []string
	for _, name := range names {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		d.add(finding(CodeUnknownField, govshare.Warning, join(path, name), citeTemplate,
			"未知的成员"+quote(name)+"，已忽略", "unknown member "+quote(name)+" was ignored"))
	}
}

func (d *jsonDecoder) array(raw json.RawMessage, v reflect.Value, path string) {
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		return
	}
	if len(raw) == 0 || raw[0] != '[' {
		d.wrongType(path, raw, "an array")
		return
	}
	elems := splitArray(raw)
	if t := v.Type().Elem(); t == reflect.TypeFor[Entry]() || t == reflect.TypeFor[DataItem]() {
		d.rows += len(elems)
		if d.rows > d.lim.Rows {
			d.err = &LimitError{Format: "json", Limit: "Rows", Max: int64(d.lim.Rows), Value: int64(d.rows), Ref: path, reading: true}
			return
		}
	}
	s := reflect.MakeSlice(v.Type(), len(elems), len(elems))
	for i, e := range elems {
		if d.err = d.ctx.Err(); d.err != nil {
			return
		}
		d.decode(e, s.Index(i), path+"["+strconv.Itoa(i)+"]")
		if d.err != nil {
			return
		}
	}
	v.Set(s)
}

// member is a member of a JSON object: its name, unescaped, and its value.
type member struct {
	name  string
	value json.RawMessage
}

// splitObject returns the members of a JSON object that json.Valid has
// accepted, in order, their values sharing raw's memory: unlike
// unmarshalling into a map it copies nothing and keeps the members a
// map would merge.
func splitObject(raw []byte) []member {
	var out []member
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != '}' {
		end := skipValue(raw, i)
		name := string(raw[i+1 : end-1])
		if bytes.IndexByte(raw[i:end], '\\') >= 0 {
			_ = json.Unmarshal(raw[i:end], &name)
		}
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // the colon
		end = skipValue(raw, i)
		out = append(out, member{name: name, value: raw[i:end]})
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out
}

// splitArray returns the elements of a JSON array json.Valid has accepted,
// sharing raw's memory.
func splitArray(raw []byte) []json.RawMessage {
	var out []json.RawMessage
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != ']' {
		end := skipValue(raw, i)
		out = append(out, raw[i:end])
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the valid JSON value that starts at i.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(b)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipValue(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
		j++
	}
	return j
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (d *jsonDecoder) valueError(path string, raw json.RawMessage, err error) {
	var uv *govshare.UnknownValueError
	if errors.As(err, &uv) {
		d.add(unknownValueAt(path, entryPath(path), uv.Value, uv.Accepted))
		return
	}
	d.wrongType(path, raw, "")
}

// entryPath drops the "entries[i]." prefix of a path in a JSON file.
func entryPath(path string) string {
	if rest, ok := strings.CutPrefix(path, "entries["); ok {
		if _, after, ok := strings.Cut(rest, "]."); ok {
			return after
		}
	}
	return path
}

func (d *jsonDecoder) wrongType(path string, raw json.RawMessage, want string) {
	f := field(entryPath(path))
	got := strings.TrimSpace(string(raw))
	if want == "" {
		want = "a value of the field's type"
	}
	d.add(finding(CodeWrongType, govshare.Error, path, citeTemplate,
		fmt.Sprintf("%s的类型不正确：%s", f.zh, quote(got)),
		fmt.Sprintf("%s: want %s, got %s", f.en, want, quote(got))))
}
