package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
)

// Sentinel errors: the kinds a host maps to its transport (ErrNotFound to
// 404, ErrConflict to 409, …). Each is matched with errors.Is; the typed
// errors below carry the details for errors.As.
var (
	// ErrNotFound: no entry (or no such version) with that 目录代码.
	ErrNotFound = errors.New("catalog: entry not found")
	// ErrConflict: the entry's current version is not the one the caller
	// expected (optimistic concurrency), or it already exists.
	ErrConflict = errors.New("catalog: version conflict")
	// ErrInvalidID: a 目录代码 that does not match the configured pattern.
	ErrInvalidID = errors.New("catalog: invalid catalog code")
	// ErrStatus: the action is not allowed in the entry's status (publish
	// a published entry, withdraw one not in force).
	ErrStatus = errors.New("catalog: not allowed in this status")
	// ErrNotPublishable: publishing refused because validation found
	// errors.
	ErrNotPublishable = errors.New("catalog: entry has errors, not published")
	// ErrInvalidQuery: a Find query with a bad field.
	ErrInvalidQuery = errors.New("catalog: invalid query")
	// ErrUnreadable: an import whose file cannot be read at all. Problems
	// in a readable file's content are findings, not errors.
	ErrUnreadable = errors.New("catalog: file cannot be read")
	// ErrInvalidContent is the kind of a *RowError: a problem at a place
	// in an imported file.
	ErrInvalidContent = errors.New("catalog: invalid file content")
	// ErrNotExportable: an entry holds a value the file format cannot
	// write (an enumeration value that is not defined).
	ErrNotExportable = errors.New("catalog: entry cannot be exported")
)

// NotFoundError names the entry (and version) that does not exist.
type NotFoundError struct {
	ID      string // the 目录代码 asked for
	Version int64  // the version asked for; 0 when any
}

// Error describes the problem in English.
func (e *NotFoundError) Error() string {
	if e.Version != 0 {
		return fmt.Sprintf("catalog: entry %q has no version %d", e.ID, e.Version)
	}
	return fmt.Sprintf("catalog: entry %q not found", e.ID)
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ConflictError names the entry, the version the caller expected and the
// current one (0 when the entry does not exist).
type ConflictError struct {
	ID       string // the 目录代码
	Expected int64  // the version the caller expected; 0 to create
	Actual   int64  // the entry's latest version
}

// Error describes the problem in English.
func (e *ConflictError) Error() string {
	if e.Expected == 0 {
		return fmt.Sprintf("catalog: entry %q already exists at version %d", e.ID, e.Actual)
	}
	return fmt.Sprintf("catalog: entry %q is at version %d, not %d", e.ID, e.Actual, e.Expected)
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// IDError names a 目录代码 and the pattern it fails.
type IDError struct {
	ID      string // the 目录代码 given
	Pattern string // the pattern it fails
}

// Error describes the problem in English.
func (e *IDError) Error() string {
	return fmt.Sprintf("catalog: catalog code %q does not match %s", e.ID, e.Pattern)
}

// Is reports whether target is ErrInvalidID.
func (e *IDError) Is(target error) bool { return target == ErrInvalidID }

// StatusError names the entry, its status and the action refused.
type StatusError struct {
	ID     string // the 目录代码
	Status Status // the status of the entry's latest version
	Action string // "publish", "withdraw" or "request"
}

// Error describes the problem in English.
func (e *StatusError) Error() string {
	return fmt.Sprintf("catalog: cannot %s entry %q: it is %s", e.Action, e.ID, e.Status.English())
}

// Is reports whether target is ErrStatus.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// PublishError carries the findings that stopped an entry from being
// published; at least one has severity Error.
type PublishError struct {
	ID       string             // the 目录代码
	Version  int64              // the version refused
	Findings []govshare.Finding // every finding of the validation
}

// Error describes the problem in English.
func (e *PublishError) Error() string {
	n := 0
	first := ""
	for _, f := range e.Findings {
		if f.Severity == govshare.Error {
			if n == 0 {
				first = f.Path + ": " + f.MessageEN
			}
			n++
		}
	}
	return fmt.Sprintf("catalog: entry %q version %d not published: %d error(s), first %s", e.ID, e.Version, n, first)
}

// Is reports whether target is ErrNotPublishable.
func (e *PublishError) Is(target error) bool { return target == ErrNotPublishable }

// QueryError names the query field that is wrong.
type QueryError struct {
	Field   string // the Query field, e.g. "Limit"
	Problem string // what is wrong with it
}

// Error describes the problem in English.
func (e *QueryError) Error() string {
	return fmt.Sprintf("catalog: invalid query %s: %s", e.Field, e.Problem)
}

// Is reports whether target is ErrInvalidQuery.
func (e *QueryError) Is(target error) bool { return target == ErrInvalidQuery }

// ReadError says which format could not be read and why.
type ReadError struct {
	Format string // "xlsx", "csv" or "json"
	Err    error  // why it could not be read
}

// Error describes the problem in English.
func (e *ReadError) Error() string {
	return fmt.Sprintf("catalog: cannot read %s file: %v", e.Format, e.Err)
}

// Unwrap returns ErrUnreadable and the underlying error.
func (e *ReadError) Unwrap() []error { return []error{ErrUnreadable, e.Err} }

// ExportError names the entry that could not be written and why.
type ExportError struct {
	ID  string // the 目录代码 of the entry
	Err error  // what could not be written
}

// Error describes the problem in English.
func (e *ExportError) Error() string {
	return fmt.Sprintf("catalog: cannot export entry %q: %v", e.ID, e.Err)
}

// Unwrap returns ErrNotExportable and the underlying error.
func (e *ExportError) Unwrap() []error { return []error{ErrNotExportable, e.Err} }

// RowError locates a finding in an imported spreadsheet or CSV file: the
// sheet (empty for CSV), the 1-based row (0 when the finding concerns the
// whole sheet) and the column letter (empty when it concerns a whole
// row). Importers return findings whose Path is the cell reference
// ("数据项!F12"); RowErrorOf turns one back into a *RowError.
type RowError struct {
	Sheet   string           // "目录" or "数据项"; empty for CSV
	Row     int              // 1-based; 0 for the whole sheet
	Column  string           // "F"; empty for a whole row
	Finding govshare.Finding // the finding, its Path the reference
}

// Error describes the problem in English.
func (e *RowError) Error() string {
	return e.Ref() + ": " + e.Finding.MessageEN
}

// Is reports whether target is ErrInvalidContent.
func (e *RowError) Is(target error) bool { return target == ErrInvalidContent }

// Ref returns the place as a spreadsheet reference: "数据项!F12" for a
// cell, "数据项!12:12" for a row, "数据项" for a sheet ("F12" for CSV).
func (e *RowError) Ref() string {
	var ref string
	switch {
	case e.Row > 0 && e.Column != "":
		ref = e.Column + strconv.Itoa(e.Row)
	case e.Row > 0:
		ref = strconv.Itoa(e.Row) + ":" + strconv.Itoa(e.Row)
	}
	if e.Sheet == "" {
		return ref
	}
	if ref == "" {
		return e.Sheet
	}
	return e.Sheet + "!" + ref
}

// RowErrorOf returns the place of a finding an importer returned for a
// spreadsheet or CSV file, or false when its Path is not a cell, row or
// sheet reference (findings of JSON imports have field paths).
func RowErrorOf(f govshare.Finding) (*RowError, bool) {
	re := &RowError{Finding: f}
	ref := f.Path
	if sheet, rest, ok := strings.Cut(ref, "!"); ok {
		re.Sheet, ref = sheet, rest
	} else if ref == catalogSheetName || ref == itemSheetName {
		re.Sheet = ref
		return re, true
	}
	if top, bottom, ok := strings.Cut(ref, ":"); ok {
		n, err := strconv.Atoi(top)
		if err != nil || top != bottom || n <= 0 {
			return nil, false
		}
		re.Row = n
		return re, true
	}
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		i++
	}
	n, err := strconv.Atoi(ref[i:])
	if i == 0 || i > 3 || err != nil || n <= 0 {
		return nil, false
	}
	re.Column, re.Row = ref[:i], n
	return re, true
}

// columnName returns the spreadsheet letters of a 0-based column index.
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
