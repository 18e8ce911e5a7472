// Command catalog-import lints a 政务数据目录 file the way a platform would
// on upload: it imports the file, validates every entry and prints every
// finding with the sheet, row and column it concerns.
//
//	go run ./examples/catalog-import 目录.xlsx
//
// The file may be XLSX (the template's 目录 and 数据项 sheets), CSV or
// JSON, told apart by its extension. The exit status is 0 when no finding
// is an error, 1 when some are, and 2 when the command is misused, the
// file cannot be read or the import is interrupted (Ctrl-C stops it
// between rows: catalog's importers take a context).
package main
