// Package catalog models the 政务数据目录, the catalog that drives sharing
// under 《政务数据共享条例》: only catalogued data can be requested, and the
// entry fixes what a request may ask for, how, and under which conditions
// (R5–R7, R13).
//
// The map:
//
//   - Entry carries every field R6 requires: 目录代码 (ID), name, provider
//     (a govshare.Department), catalog Level, data Items, Format,
//     Frequency, share attribute, 使用条件 (Conditions) and 不予共享依据
//     (LegalBasis) as separate fields, share Methods, and the
//     classify.Classification. A DataItem may be shared more strictly
//     than its entry, never more loosely.
//   - Entry also carries the other core metadata of 《政务信息资源目录编制
//     指南（试行）》 (发改高技〔2017〕1272号), each optional: ResourceClass
//     (信息资源分类, a classification code 类+项+目+细目), ProviderCode
//     (信息资源提供方代码), Open (开放属性), Related (关联资源代码) and
//     ReleaseDate (发布日期, a civil Date). The 目录代码 is the guide's
//     信息资源代码; ParseResourceCode takes it apart (ResourceCode: the
//     ResourceType of its 类 — 基础, 主题 or 部门 — 项, 目, 细目 and 顺序码)
//     and accepts exactly what DefaultIDPattern matches. What the guide
//     fixes is cited to it; what it leaves open (the "/" between the parts,
//     the lengths of 细目 and 顺序码, the 提供方代码 scheme, the date forms) is
//     a policy default, see guide.go.
//   - Validate checks an entry and returns []govshare.Finding: field rules
//     through one cached validator/v10 instance (with custom validators for
//     the 目录代码 pattern, 统一社会信用代码 and 行政区划代码) and the data
//     items' field rules by hand, then every text field (valid UTF-8, no
//     control characters: text.go), the regulation's rules, the
//     enumerations, the guide's metadata, and a grading Policy passed with
//     WithPolicy. Each finding has a stable code (the Code… constants), a
//     path such as "items[3].share", Chinese and English messages — an
//     unknown value lists the Chinese terms a clerk types, then the codes —
//     and a citation.
//   - Store (with NewMemoryStore) keeps every version of every entry with
//     optimistic versions: Put drafts, Publish (refused with the findings
//     while any is an error), Withdraw, History, Published for the version
//     in force, and Find by text, provider, region, share attribute,
//     method, grade and status, with paging.
//   - ImportXLSX, ImportCSV and ImportJSON read catalogs and return every
//     problem as a finding naming the cell ("数据项!F12", see RowError) or
//     the JSON element; they take a context first and stop when it is
//     done. ExportXLSX, ExportCSV and ExportJSON write what the importers
//     read; Template writes the empty workbook departments fill in, with
//     drop-down lists and a 说明 sheet. The guide's columns (信息资源分类,
//     信息资源提供方代码, 关联资源代码, 发布日期) follow the 目录 columns in the
//     sheet and the 数据项 columns in CSV; the guide's headers for R6's
//     fields (信息资源代码, 信息资源名称, …) are read too.
//
// # Finding entries
//
// MemoryStore's Find walks posting lists: one per provider, region prefix
// (province, city, county), share attribute, grade and method, and, for
// Text, an inverted index of the normalised text (textindex.go): a list
// for every character and pair of characters of the runs of Chinese (and
// other non-ASCII) letters and digits, and for every token of ASCII letters
// and digits, with a token dictionary that finds the tokens a partial ASCII
// word at either end of a query belongs to. Text matches are substrings,
// ignoring ASCII case and full width, exactly as a scan of every entry's
// text finds them: Find checks the candidates of the shortest list against
// the text, and a query of one feature (one or two characters, one ASCII
// word) is answered from its list alone. The lists are kept up to date by
// every write and rebuilt when superseded versions make up a third of
// them. At 100,000 entries a rare word takes about 10 µs and a word in
// every entry about 0.6 ms; the index costs about 700 bytes per entry
// (docs/benchmarks.md).
//
// Everything optional is an Option (WithPolicy, WithIDPattern,
// WithAllowedCreditCodes, WithRegistry, WithMethods, WithClock), each
// documented with its default and where it applies. The category and
// share-method registries are instances the host builds
// (classify.NewRegistry, govshare.NewMethods) and passes with WithRegistry
// and WithMethods. Validate and the importers apply no grading policy by
// default; a linter passes the national profile, as
// examples/catalog-import does.
//
// Errors match the kinds of the root package: a missing entry
// govshare.ErrNotFound, a version conflict govshare.ErrConflict (typed
// *NotFoundError and *ConflictError carry the details), an action the
// status does not allow ErrStatus (govshare.ErrConflict), a file beyond
// the import limits govshare.ErrTooLarge (*LimitError), the other
// refusals govshare.ErrInvalid or, for files and values that cannot be
// read or written, govshare.ErrMalformed; errors.go has the whole table.
// Every typed error gives its Chinese and English message through
// govshare.MessageOf.
//
// # Importing uploads
//
// Nothing of an upload is lost silently: a cell or row that cannot be
// read (damaged XML, bytes that are not UTF-8, a control character, a CSV
// row in another encoding than its header, a JSON member given twice) is
// a finding where it is (CodeMalformed, or "catalog.control_character"
// for a control character, the code of that problem in any text field),
// saying what was not imported, and the rest is read. ExportCSV writes a field that a spreadsheet program
// would run as a formula (=, +, -, @, tab or carriage return first) with
// a leading "'", as OWASP's CSV-injection guidance advises, and ImportCSV
// drops exactly that "'", so that every field reads back as written.
//
// Every importer reads within Limits, so that no upload can exhaust the
// host's memory or kill its process (issue 11); beyond one, the file is
// refused with a *LimitError (govshare.ErrTooLarge, 413) naming the limit
// and the value. The defaults, which WithLimits changes:
//
//	FileBytes          64 MiB       bytes read from the reader
//	Parts              10,000       entries of an .xlsx file's zip directory
//	PartBytes          512 MiB      inflated bytes of one zip part, declared and actual
//	PartRatio          100          inflated ÷ compressed size of a zip part over 1 MiB
//	SharedStringBytes  64 MiB       text of a workbook's shared-string table
//	Rows               1,048,576    rows of a sheet or CSV file; entries plus items in JSON
//	Cells              16,777,216   cells of a file; values of a JSON file
//	CellChars          32,767       characters of one cell or JSON string
//	Findings           100,000      findings of one import
//
// A zip's directory is checked before anything is inflated, and parts are
// inflated as streams that stop at their declared size. The sheets, the
// shared strings and the workbook structure are read by a tokenizer
// written here (xmlscan.go), not by excelize or encoding/xml: excelize
// pre-allocated the sizes a zip declares, and encoding/xml allocates for
// every element and cannot go on after a syntax error; the tokenizer cuts
// the CPU time of a million-row import from 24–27 s to 4.2–4.6 s
// (docs/benchmarks.md) and resumes at the next row. CSV is read by a
// streaming reader written to match encoding/csv record for record (a
// fuzz test compares them) that holds only the template's columns of one
// row. An upload that is an io.ReaderAt of known size (an *os.File, a
// multipart.File) is read in place; the hostile files of issue 11 import,
// or are refused, within 256 MB of resident memory
// (TestHostileUploadsRSS).
//
// Folding full-width characters uses the one width fold of govshare
// (golang.org/x/text/width's mapping, internal/fold), for codes,
// enumeration cells and search text alike.
//
// A department's clerk fills in the template, the platform imports and
// lints it, stores the entries and publishes them:
//
//	entries, findings, err := catalog.ImportXLSX(ctx, file, catalog.WithPolicy(classify.NationalDefault()))
//	if err != nil {
//		return err // not a workbook at all, or ctx is done
//	}
//	for _, f := range findings {
//		fmt.Println(f) // 错误 目录!K5：有条件共享的目录未写明使用条件〔R7 …〕
//	}
//	store, err := catalog.NewMemoryStore(catalog.WithPolicy(classify.NationalDefault()))
//	…
//	for _, e := range entries {
//		stored, err := store.Put(ctx, e, 0)
//		…
//		_, _, err = store.Publish(ctx, stored.ID, stored.Version)
//	}
package catalog
