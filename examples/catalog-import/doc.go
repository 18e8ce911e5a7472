// Command catalog-import lints a 政务数据目录 file the way a platform would
// on upload: it imports the file, validates every entry against the
// regulation's rules and the national grading profile, and prints every
// finding with the sheet, row and column it concerns.
//
//	go run ./examples/catalog-import 目录.xlsx
//	go run ./examples/catalog-import -lang both -policy 某省策略.json 目录.csv
//
// The file may be XLSX (the template's 目录 and 数据项 sheets), CSV or
// JSON, told apart by its extension.
//
// The grading policy is classify.NationalDefault() unless -policy names
// another: none for the regulation's and the fields' rules alone, or a
// profile file in classify.LoadPolicy's JSON. Under a profile, a data item
// whose name is recognised with high confidence as a sensitive kind (身份证
// 号码, sfzh) but left undeclared is held to the same rules as a declared
// one, and warned about besides.
//
// -lang zh (the default) writes Chinese, -lang en (or -en) English, and
// -lang both every line in both languages: the severity (错误 error), the
// message, the place of a CSV cell (第2行K列 row 2 column K) and the
// summary. The exit status is 0 when no finding is an error, 1 when some
// are, and 2 when the command is misused, the policy or the file cannot
// be read or the import is interrupted (Ctrl-C stops it between rows:
// catalog's importers take a context).
package main
