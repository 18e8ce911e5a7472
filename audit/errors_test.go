package audit

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/govshare/govshare"
)

// errorCases is one error of each sentinel and typed error of the
// package, with the root kind and HTTP status it must have.
var errorCases = []struct {
	name      string
	err       error
	sentinels []error // the package sentinels it matches
	kind      error
	status    int
}{
	{"ErrInvalidEvent", &EventError{Field: "actor.id", Reason: "required (who acted)", ReasonZh: "必填（由谁操作）"},
		[]error{ErrInvalidEvent}, govshare.ErrInvalid, 422},
	{"event beyond a limit", &EventError{Field: "details", Reason: "too long", ReasonZh: "过长", Limit: 16 << 10},
		[]error{ErrInvalidEvent}, govshare.ErrTooLarge, 413},
	{"ErrInvalidOption", &OptionError{Detail: "HMAC key of 3 bytes, want at least 16"},
		[]error{ErrInvalidOption}, govshare.ErrInvalid, 422},
	{"ErrMalformed", &MalformedError{Detail: "checkpoint too short"},
		[]error{ErrMalformed}, govshare.ErrMalformed, 400},
	{"bundle too large", &MalformedError{Detail: "bundle larger than 67108864 bytes", tooLarge: true},
		[]error{ErrMalformed}, govshare.ErrTooLarge, 413},
	{"ErrVerify", &VerifyError{Seq: 7, Kind: KindModified, Detail: "the record's hash does not match its content"},
		[]error{ErrVerify}, govshare.ErrCorrupt, 500},
	{"ErrWrongKey", &VerifyError{Seq: 0, Kind: KindWrongKey},
		[]error{ErrVerify, ErrWrongKey}, govshare.ErrInvalid, 422},
	{"ErrKeyRequired", &HeaderError{Path: "a.log", Setting: "key", Header: "a keyed log", Options: "no key"},
		[]error{ErrHeaderMismatch, ErrKeyRequired}, govshare.ErrInvalid, 422},
	{"ErrHeaderMismatch", &HeaderError{Path: "a.log", Setting: "algorithm", Header: "sm3", Options: "sha256"},
		[]error{ErrHeaderMismatch}, govshare.ErrInvalid, 422},
	{"ErrBadSignature", fmt.Errorf("%w (Ed25519, key 0123)", ErrBadSignature),
		[]error{ErrBadSignature}, govshare.ErrCorrupt, 500},
	{"ErrNoSigner", ErrNoSigner, []error{ErrNoSigner}, govshare.ErrInvalid, 422},
	{"ErrNoPublicKey", fmt.Errorf("audit: Verify: %w", ErrNoPublicKey), []error{ErrNoPublicKey}, govshare.ErrInvalid, 422},
	{"ErrOutOfRange", &RangeError{What: "sequence number", Value: 97, Limit: 97},
		[]error{ErrOutOfRange}, govshare.ErrNotFound, 404},
	{"reversed range", &RangeError{What: rangeStart, Value: 5, Limit: 3},
		[]error{ErrOutOfRange}, govshare.ErrInvalid, 422},
	{"ErrReadOnly", ErrReadOnly, []error{ErrReadOnly}, govshare.ErrConflict, 409},
	{"ErrClosed", ErrClosed, []error{ErrClosed}, govshare.ErrUnavailable, 503},
	{"ErrLocked", fmt.Errorf("%w: a.log", ErrLocked), []error{ErrLocked}, govshare.ErrUnavailable, 503},
	{"ErrTornTail", &TornTailError{Path: "a.log", Offset: 300, Bytes: 9, Records: 2},
		[]error{ErrTornTail}, govshare.ErrCorrupt, 500},
	{"ErrCorrupt", &FormatError{Path: "a.log", Offset: 8, Reason: "checksum mismatch"},
		[]error{ErrCorrupt}, govshare.ErrCorrupt, 500},
	{"ErrFailed", fmt.Errorf("%w: a.log: no space left on device", ErrFailed), []error{ErrFailed}, govshare.ErrUnavailable, 503},
}

// TestErrorKinds: every error of the package matches its sentinels and
// exactly one root kind of govshare, which gives its HTTP status, and
// carries a stable code and a message in Chinese and in English.
func TestErrorKinds(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range c.sentinels {
				if !errors.Is(c.err, s) {
					t.Errorf("%v does not match %v", c.err, s)
				}
			}
			var kinds []error
			for _, k := range govshare.Kinds() {
				if errors.Is(c.err, k) {
					kinds = append(kinds, k)
				}
			}
			if len(kinds) != 1 || kinds[0] != c.kind {
				t.Errorf("%v matches the kinds %v, want only %v", c.err, kinds, c.kind)
			}
			if got := govshare.HTTPStatus(c.err); got != c.status {
				t.Errorf("HTTPStatus = %d, want %d", got, c.status)
			}
			m := govshare.MessageOf(c.err)
			if !strings.HasPrefix(m.Code, "audit.") || m.En == "" || !strings.ContainsFunc(m.Zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("message %+v: want an audit code, English and Chinese", m)
			}
		})
	}
}

// TestErrorCasesCoverThePackage keeps errorCases complete: every exported
// Err variable of errors.go is a sentinel of some case, and every
// exported type named …Error in the package is the type of some case and
// implements govshare.Messenger.
func TestErrorCasesCoverThePackage(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var sentinels, types []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range g.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && strings.HasPrefix(n.Name, "Err") {
							sentinels = append(sentinels, n.Name)
						}
					}
				case *ast.TypeSpec:
					if s.Name.IsExported() && strings.HasSuffix(s.Name.Name, "Error") {
						types = append(types, s.Name.Name)
					}
				}
			}
		}
	}
	covered := map[string]bool{}
	for _, c := range errorCases {
		covered[c.name] = true
		covered[strings.TrimPrefix(fmt.Sprintf("%T", c.err), "*audit.")] = true
		var m govshare.Messenger
		if !errors.As(c.err, &m) {
			t.Errorf("%s: %T carries no message", c.name, c.err)
		}
	}
	for _, s := range sentinels {
		if !covered[s] {
			t.Errorf("sentinel %s has no case in errorCases", s)
		}
	}
	for _, ty := range types {
		if !covered[ty] {
			t.Errorf("type %s has no case in errorCases", ty)
		}
	}
	if len(sentinels) < 17 || !slices.Contains(types, "VerifyError") {
		t.Errorf("found only the sentinels %v and types %v", sentinels, types)
	}
}

// TestErrorKindsOfOperations: the errors the log returns for real
// failures have the kinds the table promises.
func TestErrorKindsOfOperations(t *testing.T) {
	ctx := t.Context()
	status := func(what string, err error, want int) {
		t.Helper()
		if got := govshare.HTTPStatus(err); got != want {
			t.Errorf("%s: %v has status %d, want %d", what, err, got, want)
		}
	}
	m := newTestMemory(t, WithKey(testKey))
	appendN(t, m, 0, 3)
	for _, err := range m.Read(ctx, 2, 9) {
		status("Read beyond the log", err, 404)
	}
	for _, err := range m.Read(ctx, 2, 1) {
		status("Read of a reversed range", err, 422)
	}
	e := testEvent(3)
	e.Actor.ID = ""
	_, err := m.Append(ctx, e)
	status("an event without an actor", err, 422)
	e = testEvent(3)
	e.Details = []byte(`{"reason":"` + strings.Repeat("长", 6<<10) + `"}`)
	_, err = m.Append(ctx, e)
	status("details beyond the limit", err, 413)
	_, err = ReadBundle(ctx, strings.NewReader(`{"format":`))
	status("a bundle cut short", err, 400)
	_, err = ReadBundle(ctx, bytes.NewReader(make([]byte, MaxBundleSize+1)))
	status("a bundle beyond MaxBundleSize", err, 413)

	path := filepath.Join(t.TempDir(), "audit.log")
	w := openTestFile(t, path)
	appendN(t, w, 0, 2)
	_, err = OpenFile(ctx, path, WithKey(testKey))
	status("a second writer", err, 503)
	r, err := OpenFile(ctx, path, ReadOnly(), WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Append(ctx, testEvent(2))
	status("an append to a reader", err, 409)
	r.Close()
	_, err = OpenFile(ctx, path, ReadOnly(), WithKey(otherKey))
	status("the wrong key", err, 422)
	w.Close()
	_, err = w.Append(ctx, testEvent(2))
	status("an append to a closed log", err, 503)

	data := readFile(t, path)
	data[len(data)-40] ^= 1 // inside the last record
	writeFile(t, path, data)
	r, err = OpenFile(ctx, path, ReadOnly(), WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = OpenFile(ctx, path, WithKey(testKey))
	status("a torn tail, for a writer", err, 500)
}
