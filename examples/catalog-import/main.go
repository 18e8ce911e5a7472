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
)

func main() {
	// Ctrl-C stops a long import between rows (catalog's importers take a
	// context) instead of killing the process mid-way.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `用法 usage: catalog-import [-en] FILE

检查政务数据目录文件（.xlsx 模板、.csv 或 .json），逐条列出问题所在的工作表、行和列。
Lints a government data catalog file (.xlsx template, .csv or .json) and lists
every problem with its sheet, row and column.

退出码 exit status: 0 无错误 no errors, 1 有错误 errors found, 2 用法或文件无法读取
usage error or unreadable file.
`

type importer func(context.Context, io.Reader, ...catalog.Option) ([]catalog.Entry, []govshare.Finding, error)

var importers = map[string]importer{
	".xlsx": catalog.ImportXLSX,
	".csv":  catalog.ImportCSV,
	".json": catalog.ImportJSON,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("catalog-import", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	english := flags.Bool("en", false, "print the English messages")
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
	entries, findings, err := imp(ctx, f)
	if err != nil {
		fmt.Fprintf(stderr, "catalog-import: %s: %v\n", name, err)
		return 2
	}

	counts := map[govshare.Severity]int{}
	for _, fd := range findings {
		counts[fd.Severity]++
		place := fd.Path
		if re, ok := catalog.RowErrorOf(fd); ok && re.Sheet == "" && re.Row > 0 {
			place = fmt.Sprintf("第%d行", re.Row)
			if re.Column != "" {
				place += re.Column + "列"
			}
		}
		msg := fd.Message
		if *english {
			msg = fd.MessageEN
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s〔%s〕\n", place, fd.Severity, fd.Code, msg, fd.Citation)
	}
	items := 0
	for _, e := range entries {
		items += len(e.Items)
	}
	fmt.Fprintf(stdout, "%s：%d 个目录，%d 个数据项；%d 个错误，%d 个警告，%d 个提示\n",
		filepath.Base(name), len(entries), items, counts[govshare.Error], counts[govshare.Warning], counts[govshare.Info])
	if counts[govshare.Error] > 0 {
		return 1
	}
	return 0
}
