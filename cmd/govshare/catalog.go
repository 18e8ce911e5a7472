package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/httpapi"
)

const catalogHelp = `用法 usage:
  govshare catalog lint FILE [--lang zh|en|both] [--json] [--policy national|none|FILE]
  govshare catalog template [-o FILE] > 目录模板.xlsx
  govshare catalog convert IN OUT [--force]

lint      检查政务数据目录文件（.xlsx 模板、.csv 或 .json），逐条列出问题所在的工作表、行、列、
          代码、说明和依据；默认使用国家默认分级策略（classify.NationalDefault）。
          Lints a catalog file (.xlsx template, .csv or .json): every finding
          with its sheet, row, column, code, message and citation; the national
          grading profile by default (--policy none: no policy; or a profile file).
template  写出各部门填写的空白目录模板（含下拉列表和说明页）。
          Writes the empty template departments fill in (drop-down lists, a 说明 sheet).
convert   在 XLSX、CSV、JSON 之间转换（按扩展名）；有错误时不转换，除非 --force。
          Converts between XLSX, CSV and JSON (by extension); refuses a file
          with errors unless --force, since a value that cannot be read is lost.

退出码 exit status: 0 无错误 no errors; 1 发现错误 errors found; 2 用法错误或文件无法读取
usage error or unreadable file.
`

func catalogCmd(ctx context.Context, args []string, e env) error {
	return subcommand(ctx, "catalog", catalogHelp, map[string]command{
		"lint":     catalogLint,
		"template": catalogTemplate,
		"convert":  catalogConvert,
	}, args, e)
}

var importers = map[string]func(context.Context, io.Reader, ...catalog.Option) ([]catalog.Entry, []govshare.Finding, error){
	".xlsx": catalog.ImportXLSX,
	".csv":  catalog.ImportCSV,
	".json": catalog.ImportJSON,
}

// importFile reads a catalog file by its extension.
func importFile(ctx context.Context, path string, opts []catalog.Option) ([]catalog.Entry, []govshare.Finding, error) {
	imp, ok := importers[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return nil, nil, usageError(path+"：不支持的文件类型，应为 .xlsx、.csv 或 .json", path+": unsupported file type, want .xlsx, .csv or .json")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fileError(path, err)
	}
	defer f.Close()
	entries, findings, err := imp(ctx, f, opts...)
	if err != nil {
		return nil, nil, fail(exitUsage, fmt.Errorf("%s: %w", path, err))
	}
	return entries, findings, nil
}

func catalogLint(ctx context.Context, args []string, e env) error {
	fs := flags("catalog lint", catalogHelp, e)
	langFlag := fs.String("lang", "zh", "")
	asJSON := fs.Bool("json", false, "")
	policy := fs.String("policy", "national", "")
	pos, err := parse(fs, catalogHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("须给出一个目录文件", "give one catalog file")
	}
	out, ok := parseLang(*langFlag)
	if !ok {
		return usageError("--lang 应为 zh、en 或 both", "--lang must be zh, en or both")
	}
	opts, err := policyOptions(*policy)
	if err != nil {
		return err
	}
	path := pos[0]
	entries, findings, err := importFile(ctx, path, opts)
	if err != nil {
		return err
	}
	l := httpapi.LintOf(strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."), entries, findings, 0)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(l); err != nil {
			return err
		}
	} else {
		for _, f := range l.Findings {
			fmt.Fprintln(e.stdout, findingLine(f, out))
		}
		base := filepath.Base(path)
		if out&zh != 0 {
			fmt.Fprintf(e.stdout, "%s：%d 个目录，%d 个数据项；%d 个错误，%d 个警告，%d 个提示\n", base, l.Entries, l.Items, l.Errors, l.Warnings, l.Infos)
		}
		if out&en != 0 {
			fmt.Fprintf(e.stdout, "%s: %d entries, %d data items; %d errors, %d warnings, %d notes\n", base, l.Entries, l.Items, l.Errors, l.Warnings, l.Infos)
		}
	}
	if l.Errors > 0 {
		return silent(exitProblems)
	}
	return nil
}

// policyOptions are the importer options of a --policy value.
func policyOptions(v string) ([]catalog.Option, error) {
	switch v {
	case "national", "":
		return []catalog.Option{catalog.WithPolicy(classify.NationalDefault())}, nil
	case "none":
		return nil, nil
	}
	f, err := os.Open(v)
	if err != nil {
		return nil, fileError(v, err)
	}
	defer f.Close()
	p, err := classify.LoadPolicy(f)
	if err != nil {
		return nil, fail(exitUsage, fmt.Errorf("--policy %s: %w", v, err))
	}
	return []catalog.Option{catalog.WithPolicy(p)}, nil
}

// findingLine writes a finding on one line: place, severity, code, message
// and citation, tab-separated, in the languages asked for.
func findingLine(f httpapi.LintFinding, out lang) string {
	zhPlace, enPlace := f.Path, f.Path
	if f.Row > 0 || f.Sheet != "" {
		zhPlace, enPlace = f.Sheet, f.Sheet
		if f.Row > 0 {
			zhPlace += fmt.Sprintf("第%d行", f.Row)
			enPlace += fmt.Sprintf(" row %d", f.Row)
		}
		if f.Column != "" {
			zhPlace += f.Column + "列"
			enPlace += " column " + f.Column
		}
		enPlace = strings.TrimSpace(enPlace)
	}
	sev, _ := f.Severity.MarshalText()
	cite := f.Citation.String()
	switch out {
	case en:
		return fmt.Sprintf("%s\t%s\t%s\t%s〔%s〕", enPlace, sev, f.Code, f.En, cite)
	case both:
		return fmt.Sprintf("%s %s\t%s %s\t%s\t%s〔%s〕\t%s", zhPlace, enPlace, f.Severity, sev, f.Code, f.Zh, cite, f.En)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s〔%s〕", zhPlace, f.Severity, f.Code, f.Zh, cite)
}

func catalogTemplate(_ context.Context, args []string, e env) error {
	fs := flags("catalog template", catalogHelp, e)
	out := fs.String("o", "", "")
	pos, err := parse(fs, catalogHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("多余的参数："+pos[0], "unexpected argument: "+pos[0])
	}
	if *out != "" {
		return writeFile(*out, func(w io.Writer) error { return catalog.Template(w) })
	}
	if isTerminal(e.stdout) {
		return usageError("模板是 Excel 文件，请重定向到文件：govshare catalog template > 目录模板.xlsx",
			"the template is a workbook; redirect it: govshare catalog template > 目录模板.xlsx")
	}
	return catalog.Template(e.stdout)
}

// isTerminal reports whether w is a character device, where a workbook's
// bytes would only garble the screen.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func catalogConvert(ctx context.Context, args []string, e env) error {
	fs := flags("catalog convert", catalogHelp, e)
	force := fs.Bool("force", false, "")
	pos, err := parse(fs, catalogHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("须给出输入和输出文件：govshare catalog convert IN OUT", "give the input and output files: govshare catalog convert IN OUT")
	}
	in, outPath := pos[0], pos[1]
	export, ok := map[string]func(io.Writer, []catalog.Entry) error{
		".xlsx": func(w io.Writer, es []catalog.Entry) error { return catalog.ExportXLSX(w, es) },
		".csv":  func(w io.Writer, es []catalog.Entry) error { return catalog.ExportCSV(w, es) },
		".json": catalog.ExportJSON,
	}[strings.ToLower(filepath.Ext(outPath))]
	if !ok {
		return usageError(outPath+"：不支持的输出类型，应为 .xlsx、.csv 或 .json", outPath+": unsupported output type, want .xlsx, .csv or .json")
	}
	entries, findings, err := importFile(ctx, in, nil)
	if err != nil {
		return err
	}
	l := httpapi.LintOf("", entries, findings, 0)
	if l.Errors > 0 && !*force {
		for _, f := range l.Findings {
			if f.Severity == govshare.Error {
				fmt.Fprintln(e.stderr, findingLine(f, both))
			}
		}
		fmt.Fprintf(e.stderr, "govshare catalog convert: %s 有 %d 个错误，未转换（--force 仍转换，无法读取的值会丢失）\n"+
			"  %s has %d errors, not converted (--force converts anyway; values that could not be read are lost)\n", in, l.Errors, in, l.Errors)
		return silent(exitProblems)
	}
	if err := writeFile(outPath, func(w io.Writer) error { return export(w, entries) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "govshare catalog convert: %s → %s：%d 个目录 entries，%d 个数据项 data items\n", in, outPath, l.Entries, l.Items)
	return nil
}

// writeFile writes a file whole or not at all: into a temporary file
// beside it, renamed over it once complete.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fileError(path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fail(exitUsage, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fileError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return fileError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileError(path, err)
	}
	return nil
}
