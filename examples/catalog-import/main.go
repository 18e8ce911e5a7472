package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
)

func main() {
	// Ctrl-C stops a long import between rows (catalog's importers take a
	// context) instead of killing the process mid-way.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `用法 usage: catalog-import [-lang zh|en|both] [-policy national|none|FILE] FILE

检查政务数据目录文件（.xlsx 模板、.csv 或 .json），逐条列出问题所在的工作表、行和列。
Lints a government data catalog file (.xlsx template, .csv or .json) and lists
every problem with its sheet, row and column.

  -lang    输出语言 output language: zh（默认 default）, en, both（中英文 bilingual）
  -en      同 same as -lang en
  -policy  分级保护策略 grading policy: national（默认，classify.NationalDefault 国家
           默认策略 the national profile）, none（不检查 no policy）, 或策略文件 or a
           profile file (JSON, classify.LoadPolicy)

退出码 exit status: 0 无错误 no errors, 1 有错误 errors found, 2 用法或文件无法读取
usage error or unreadable file.
`

type importer func(context.Context, io.Reader, ...catalog.Option) ([]catalog.Entry, []govshare.Finding, error)

var importers = map[string]importer{
	".xlsx": catalog.ImportXLSX,
	".csv":  catalog.ImportCSV,
	".json": catalog.ImportJSON,
}

// lang is which languages the lint is written in.
type lang uint8

const (
	zh lang = 1 << iota
	en
	both = zh | en
)

func parseLang(s string) (lang, bool) {
	switch strings.ToLower(s) {
	case "zh", "中文":
		return zh, true
	case "en", "english":
		return en, true
	case "both", "zh+en", "双语":
		return both, true
	}
	return 0, false
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("catalog-import", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	english := flags.Bool("en", false, "print the English messages")
	langFlag := flags.String("lang", "zh", "zh, en or both")
	policyFlag := flags.String("policy", "national", "national, none or a profile file")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	out, ok := parseLang(*langFlag)
	if !ok {
		fmt.Fprintf(stderr, "catalog-import: -lang %s: 应为 zh、en 或 both (want zh, en or both)\n", *langFlag)
		return 2
	}
	if *english {
		out = en
	}
	opts, err := policyOptions(*policyFlag)
	if err != nil {
		m := govshare.MessageOf(err)
		fmt.Fprintf(stderr, "catalog-import: -policy %s: %s (%s)\n", *policyFlag, m.Zh, m.En)
		return 2
	}
	name := flags.Arg(0)
	imp, ok := importers[strings.ToLower(filepath.Ext(name))]
	if !ok {
		fmt.Fprintf(stderr, "catalog-import: %s: 不支持的文件类型，应为 .xlsx、.csv 或 .json (unsupported file type)\n", name)
		return 2
	}
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintln(stderr, "catalog-import:", err)
		return 2
	}
	defer f.Close()
	entries, findings, err := imp(ctx, f, opts...)
	if err != nil {
		m := govshare.MessageOf(err)
		fmt.Fprintf(stderr, "catalog-import: %s: %s (%v)\n", name, m.Zh, err)
		return 2
	}

	counts := map[govshare.Severity]int{}
	for _, fd := range findings {
		counts[fd.Severity]++
		fmt.Fprintln(stdout, line(fd, out))
	}
	items := 0
	for _, e := range entries {
		items += len(e.Items)
	}
	base := filepath.Base(name)
	errs, warns, infos := counts[govshare.Error], counts[govshare.Warning], counts[govshare.Info]
	if out&zh != 0 {
		fmt.Fprintf(stdout, "%s：%d 个目录，%d 个数据项；%d 个错误，%d 个警告，%d 个提示\n",
			base, len(entries), items, errs, warns, infos)
	}
	if out&en != 0 {
		fmt.Fprintf(stdout, "%s: %s, %s; %s, %s, %s\n", base, plural(len(entries), "entry", "entries"),
			plural(items, "data item", "data items"), plural(errs, "error", "errors"),
			plural(warns, "warning", "warnings"), plural(infos, "note", "notes"))
	}
	if errs > 0 {
		return 1
	}
	return 0
}

// policyOptions returns the importer options of a -policy value: the
// national profile by default, as a platform lints an upload; none; or a
// host's profile read from a file.
func policyOptions(v string) ([]catalog.Option, error) {
	switch v {
	case "national", "":
		return []catalog.Option{catalog.WithPolicy(classify.NationalDefault())}, nil
	case "none":
		return nil, nil
	}
	f, err := os.Open(v)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := classify.LoadPolicy(f)
	if err != nil {
		return nil, err
	}
	return []catalog.Option{catalog.WithPolicy(p)}, nil
}

// line writes one finding: its place, severity, code, message and
// citation, in the languages asked for.
func line(fd govshare.Finding, out lang) string {
	sev, _ := fd.Severity.MarshalText()
	place := fd.Path
	if re, ok := catalog.RowErrorOf(fd); ok && re.Sheet == "" && re.Row > 0 {
		// A CSV file has no sheet, and a bare "M2" reads as a code.
		zhPlace, enPlace := fmt.Sprintf("第%d行", re.Row), fmt.Sprintf("row %d", re.Row)
		if re.Column != "" {
			zhPlace += re.Column + "列"
			enPlace += " column " + re.Column
		}
		switch out {
		case zh:
			place = zhPlace
		case en:
			place = enPlace
		default:
			place = zhPlace + " " + enPlace
		}
	}
	switch out {
	case en:
		return fmt.Sprintf("%s\t%s\t%s\t%s〔%s〕", place, sev, fd.Code, fd.MessageEN, fd.Citation)
	case both:
		return fmt.Sprintf("%s\t%s %s\t%s\t%s〔%s〕\t%s", place, fd.Severity, sev, fd.Code, fd.Message, fd.Citation, fd.MessageEN)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s〔%s〕", place, fd.Severity, fd.Code, fd.Message, fd.Citation)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
