package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/kinded"
)

// Every error of this package matches exactly one kind of the root package
// (errors.Is), besides its own sentinels, and gives its Chinese and English
// message through govshare.MessageOf:
//
//	error                                 kind                     HTTP
//	*NotFoundError                        govshare.ErrNotFound     404
//	*ConflictError                        govshare.ErrConflict     409
//	ErrStatus, *StatusError               govshare.ErrConflict     409
//	ErrInvalidID, *IDError                govshare.ErrInvalid      422
//	ErrNotPublishable, *PublishError      govshare.ErrInvalid      422
//	ErrInvalidQuery, *QueryError          govshare.ErrInvalid      422
//	ErrInvalidContent, *RowError          govshare.ErrInvalid      422
//	ErrUnreadable, *ReadError             govshare.ErrMalformed    400
//	*LimitError (limits.go)               govshare.ErrTooLarge     413
//	ErrNotExportable, *ExportError        govshare.ErrMalformed    400
//	a bad Option (*govshare.CodedError)   govshare.ErrInvalid      422
//
// An entry that does not exist, or is at another version, has the root
// kinds themselves: catalog has no sentinels of its own for them. Publishing
// or withdrawing in the wrong status conflicts with the entry's state. A
// 目录代码 off the pattern, an entry with errors, a query with a bad field
// and a finding in a file can be read but break a rule. A file that cannot
// be read at all, and an entry holding an enumeration value no format can
// write, are malformed input. An importer stopped by its context returns
// ctx.Err() itself, and one whose reader failed with an error of a kind
// (a host's size limit, govshare.ErrTooLarge) returns that error. A file
// beyond the importer's own Limits is refused with a *LimitError.

// The sentinels of the errors catalog alone defines; each wraps its kind.
var (
	// ErrInvalidID: a 目录代码 that does not match the configured pattern
	// (govshare.ErrInvalid).
	ErrInvalidID = kinded.New("catalog: invalid catalog code", govshare.ErrInvalid)
	// ErrStatus: the action is not allowed in the entry's status (publish
	// a published entry, withdraw one not in force, request one not in
	// force) (govshare.ErrConflict).
	ErrStatus = kinded.New("catalog: not allowed in this status", govshare.ErrConflict)
	// ErrNotPublishable: publishing refused because validation found
	// errors (govshare.ErrInvalid).
	ErrNotPublishable = kinded.New("catalog: entry has errors, not published", govshare.ErrInvalid)
	// ErrInvalidQuery: a Find query with a bad field (govshare.ErrInvalid).
	ErrInvalidQuery = kinded.New("catalog: invalid query", govshare.ErrInvalid)
	// ErrUnreadable: an import whose file cannot be read at all. Problems
	// in a readable file's content are findings, not errors
	// (govshare.ErrMalformed).
	ErrUnreadable = kinded.New("catalog: file cannot be read", govshare.ErrMalformed)
	// ErrInvalidContent is the kind of a *RowError: a problem at a place
	// in an imported file (govshare.ErrInvalid).
	ErrInvalidContent = kinded.New("catalog: invalid file content", govshare.ErrInvalid)
	// ErrNotExportable: an entry holds a value the file format cannot
	// write, such as an enumeration value that is not defined
	// (govshare.ErrMalformed).
	ErrNotExportable = kinded.New("catalog: entry cannot be exported", govshare.ErrMalformed)
)

// NotFoundError names the entry (and version) that does not exist.
// errors.Is(err, govshare.ErrNotFound) holds.
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

// Unwrap returns govshare.ErrNotFound.
func (e *NotFoundError) Unwrap() error { return govshare.ErrNotFound }

// ErrorMessage implements govshare.Messenger.
func (e *NotFoundError) ErrorMessage() govshare.Message {
	zh := fmt.Sprintf("目录“%s”不存在", e.ID)
	if e.Version != 0 {
		zh = fmt.Sprintf("目录“%s”没有第%d版", e.ID, e.Version)
	}
	return govshare.Message{Code: "catalog.not_found", Zh: zh, En: e.Error()}
}

// ConflictError names the entry, the version the caller expected and the
// current one (0 when the entry does not exist). errors.Is(err,
// govshare.ErrConflict) holds.
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

// Unwrap returns govshare.ErrConflict.
func (e *ConflictError) Unwrap() error { return govshare.ErrConflict }

// ErrorMessage implements govshare.Messenger.
func (e *ConflictError) ErrorMessage() govshare.Message {
	zh := fmt.Sprintf("目录“%s”当前为第%d版，不是第%d版：已有他人修改，请重新读取后再提交", e.ID, e.Actual, e.Expected)
	if e.Expected == 0 {
		zh = fmt.Sprintf("目录代码“%s”已存在（第%d版）", e.ID, e.Actual)
	}
	return govshare.Message{Code: "catalog.conflict", Zh: zh, En: e.Error()}
}

// IDError names a 目录代码 and the pattern it fails.
type IDError struct {
	ID      string // the 目录代码 given
	Pattern string // the pattern it fails
}

// Error describes the problem in English.
func (e *IDError) Error() string {
	return fmt.Sprintf("catalog: catalog code %q does not match %s", e.ID, e.Pattern)
}

// Unwrap returns ErrInvalidID.
func (e *IDError) Unwrap() error { return ErrInvalidID }

// ErrorMessage implements govshare.Messenger.
func (e *IDError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: CodeInvalidID, Zh: fmt.Sprintf("目录代码“%s”不符合规定的结构（%s）", e.ID, e.Pattern),
		En: e.Error(), Citation: citeID}
}

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

// Unwrap returns ErrStatus.
func (e *StatusError) Unwrap() error { return ErrStatus }

var actionsZh = map[string]string{"publish": "发布", "withdraw": "撤销", "request": "申请共享"}

// ErrorMessage implements govshare.Messenger.
func (e *StatusError) ErrorMessage() govshare.Message {
	action := actionsZh[e.Action]
	if action == "" {
		action = e.Action
	}
	zh := fmt.Sprintf("目录“%s”当前状态为%s，不能%s", e.ID, e.Status, action)
	if e.Action == "request" {
		zh = fmt.Sprintf("目录“%s”没有发布中的版本（当前为%s），不能申请共享", e.ID, e.Status)
	}
	return govshare.Message{Code: "catalog.status", Zh: zh, En: e.Error(), Citation: govshare.Rule("R5")}
}

// PublishError carries the findings that stopped an entry from being
// published; at least one has severity Error.
type PublishError struct {
	ID       string             // the 目录代码
	Version  int64              // the version refused
	Findings []govshare.Finding // every finding of the validation
}

func (e *PublishError) errors() (n int, first govshare.Finding) {
	for _, f := range e.Findings {
		if f.Severity == govshare.Error {
			if n == 0 {
				first = f
			}
			n++
		}
	}
	return n, first
}

// Error describes the problem in English.
func (e *PublishError) Error() string {
	n, first := e.errors()
	return fmt.Sprintf("catalog: entry %q version %d not published: %d error(s), first %s", e.ID, e.Version, n, first.Path+": "+first.MessageEN)
}

// Unwrap returns ErrNotPublishable.
func (e *PublishError) Unwrap() error { return ErrNotPublishable }

// ErrorMessage implements govshare.Messenger; the citation is that of the
// first error found.
func (e *PublishError) ErrorMessage() govshare.Message {
	n, first := e.errors()
	return govshare.Message{Code: "catalog.not_publishable",
		Zh:       fmt.Sprintf("目录“%s”第%d版有%d个错误，未发布；第一个：%s %s", e.ID, e.Version, n, first.Path, first.Message),
		En:       e.Error(),
		Citation: first.Citation}
}

// QueryError names the query field that is wrong.
type QueryError struct {
	Field   string // the Query field, e.g. "Limit"
	Problem string // what is wrong with it, in English
	zh      string // the same in Chinese
}

// Error describes the problem in English.
func (e *QueryError) Error() string {
	return fmt.Sprintf("catalog: invalid query %s: %s", e.Field, e.Problem)
}

// Unwrap returns ErrInvalidQuery.
func (e *QueryError) Unwrap() error { return ErrInvalidQuery }

var queryFields = map[string]string{"Offset": "起始位置", "Limit": "每页条数", "Share": "共享属性", "Grade": "数据分级",
	"Status": "状态", "Method": "共享方式", "Region": "行政区划代码"}

// ErrorMessage implements govshare.Messenger.
func (e *QueryError) ErrorMessage() govshare.Message {
	field := queryFields[e.Field]
	if field == "" {
		field = e.Field
	}
	problem := e.zh
	if problem == "" {
		problem = e.Problem
	}
	return govshare.Message{Code: "catalog.invalid_query", Zh: "查询条件“" + field + "”有误：" + problem, En: e.Error()}
}

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

var formatsZh = map[string]string{"xlsx": "Excel（.xlsx）", "csv": "CSV", "json": "JSON"}

// ErrorMessage implements govshare.Messenger.
func (e *ReadError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: "catalog.unreadable",
		Zh: fmt.Sprintf("无法读取%s文件：%v", formatsZh[e.Format], e.Err), En: e.Error(), Citation: citeTemplate}
}

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

// ErrorMessage implements govshare.Messenger.
func (e *ExportError) ErrorMessage() govshare.Message {
	cause := e.Err.Error()
	var uv *govshare.UnknownValueError
	if errors.As(e.Err, &uv) {
		cause = uv.Zh()
	}
	return govshare.Message{Code: "catalog.not_exportable", Zh: fmt.Sprintf("目录“%s”无法导出：%s", e.ID, cause), En: e.Error()}
}

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

// Unwrap returns ErrInvalidContent.
func (e *RowError) Unwrap() error { return ErrInvalidContent }

// ErrorMessage implements govshare.Messenger: the finding's code, its
// messages with the place in front, and its citation.
func (e *RowError) ErrorMessage() govshare.Message {
	return govshare.Message{Code: e.Finding.Code, Zh: e.Ref() + "：" + e.Finding.Message, En: e.Error(), Citation: e.Finding.Citation}
}

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
