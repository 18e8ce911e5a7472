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
// cannot be read or is not JSON at all (ErrUnreadable), when an option
// cannot be used (govshare.ErrInvalid) or when ctx is done, checked between
// reads and between the elements of every array (ctx.Err()). Everything else is a
// finding whose Path names the element ("entries[2].items[0].share"): a
// value of the wrong type or an unknown enumeration value (the field is
// left empty and the rest of the entry read), an unknown member (ignored),
// a repeated 目录代码, and every finding of Validate on every entry.
// Times are converted to China Standard Time.
func ImportJSON(ctx context.Context, r io.Reader, opts ...Option) ([]Entry, []govshare.Finding, error) {
	c, err := newConfig(opts, forValidate)
	if err != nil {
		return nil, nil, err
	}
	data, err := readAll(ctx, "json", r)
	if err != nil {
		return nil, nil, err
	}
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v) // for the position of the error
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, nil, &ReadError{Format: "json", Err: err}
	}
	d := &jsonDecoder{ctx: ctx}
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
	}
	return doc.Entries, d.findings, nil
}

// jsonDecoder decodes a JSON value into a Go value member by member, so
// that one bad member is one finding with its path while the rest is
// still read. (encoding/json stops at the first error.)
type jsonDecoder struct {
	ctx      context.Context
	err      error // ctx.Err() once the context is done; decoding stops
	findings []govshare.Finding
}

func (d *jsonDecoder) add(f govshare.Finding) { d.findings = append(d.findings, f) }

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
		if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
			v.SetZero()
			d.valueError(path, raw, err)
		}
	}
}

func (d *jsonDecoder) object(raw json.RawMessage, v reflect.Value, path string) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		d.wrongType(path, raw, "an object")
		return
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
		if m, ok := members[name]; ok {
			d.decode(m, v.Field(i), join(path, name))
		}
	}
	var unknown []string
	for name := range members {
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
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		d.wrongType(path, raw, "an array")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(elems), len(elems))
	for i, e := range elems {
		if d.err = d.ctx.Err(); d.err != nil {
			return
		}
		d.decode(e, s.Index(i), path+"["+strconv.Itoa(i)+"]")
	}
	v.Set(s)
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
