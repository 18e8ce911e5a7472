package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
)

// The exit codes (doc.go documents them).
const (
	exitOK       = 0 // done; a check found nothing wrong
	exitProblems = 1 // a check found problems
	exitUsage    = 2 // a usage error, or a file that cannot be read
	exitNoYear   = 3 // a year without an official holiday schedule
)

func main() {
	// Ctrl-C stops a long import or verification between steps (the
	// packages take a context), and shuts serve down gracefully.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// env is what a command reads and writes besides its arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand: it returns nil or an *exitError.
type command func(ctx context.Context, args []string, e env) error

var commands = map[string]command{
	"deadline": deadlineCmd,
	"calendar": calendarCmd,
	"catalog":  catalogCmd,
	"audit":    auditCmd,
	"serve":    serveCmd,
}

const usage = `govshare — 《政务数据共享条例》工具 / tools for the Government Data Sharing Regulation

用法 usage:
  govshare deadline --received TIME --days N [--extend N] [--close-of-business HH:MM]
                    [--schedule FILE]... [--explain] [--json]
      计算答复期限（工作日）/ compute a deadline in working days
  govshare calendar check FILE...          检查放假安排是否完整 / check holiday schedules
  govshare calendar convert --from holiday-cn FILE
                                           转换为本项目格式 / convert to govshare's format
  govshare calendar show YEAR [--month M]  显示月历 / draw month grids
  govshare catalog lint FILE [--lang zh|en|both] [--json]
                                           检查目录文件 / lint a catalog file
  govshare catalog template > 目录模板.xlsx  目录模板 / the catalog template
  govshare catalog convert IN OUT          转换目录格式 / convert between XLSX, CSV, JSON
  govshare audit verify FILE [--key-file K] [--public-key P]
                                           校验审计日志 / verify an audit log
  govshare audit show FILE [--from N] [--to M] [--json]
                                           列出审计记录 / list audit records
  govshare audit prove FILE --seq N > bundle.json
                                           导出包含证明 / export an inclusion proof
  govshare audit check BUNDLE --public-key P
                                           离线校验证明包 / verify a bundle offline
  govshare serve [--addr 127.0.0.1:8080] [--demo] [--tokens FILE]
                                           HTTP 接口 / the HTTP API

每个子命令的 -h 说明其参数 / each subcommand's -h explains its flags.
不访问网络（serve 只监听给定地址）/ no network access (serve only listens).

退出码 exit status:
  0  完成，未发现问题 / done, no problem found
  1  检查发现问题 / a check found problems
  2  用法错误或文件无法读取 / usage error, or a file that cannot be read
  3  该年份没有官方放假安排 / a year without an official holiday schedule
`

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "govshare: 未知子命令 unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	err := cmd(ctx, args[1:], e)
	if err == nil {
		return exitOK
	}
	var x *exitError
	if !errors.As(err, &x) {
		x = &exitError{code: codeOf(err), err: err}
	}
	if x.err != nil {
		name := "govshare " + args[0]
		if len(args) > 1 && (args[0] == "calendar" || args[0] == "catalog" || args[0] == "audit") {
			name += " " + args[1]
		}
		report(e.stderr, name, x.err)
	}
	return x.code
}

// exitError is a failure with its exit code; err is what to say (nil when
// the command has said it already).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func fail(code int, err error) error { return &exitError{code: code, err: err} }

// silent is a failure the command has already reported.
func silent(code int) error { return &exitError{code: code} }

// usageError is a usage error in both languages.
func usageError(zh, en string) error {
	return fail(exitUsage, &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "govshare.usage", Zh: zh, En: en})
}

// codeOf is the exit code of an error a command did not classify: a year
// without a schedule is 3, a check's finding 1, anything else (a file that
// cannot be read, a malformed argument) 2.
func codeOf(err error) int {
	switch {
	case errors.Is(err, deadline.ErrUnknownYear), errors.Is(err, deadline.ErrUnannounced):
		return exitNoYear
	case errors.Is(err, deadline.ErrInvalidSchedule), errors.Is(err, govshare.ErrCorrupt):
		return exitProblems
	}
	return exitUsage
}

// report writes an error in Chinese and English: its message, and its code
// and citation when it has them.
func report(w io.Writer, prefix string, err error) {
	m := govshare.MessageOf(err)
	zh, en := m.Zh, m.En
	if zh == "" {
		zh = err.Error()
	}
	fmt.Fprintf(w, "%s: %s\n", prefix, zh)
	if en != "" && en != zh {
		fmt.Fprintf(w, "  %s\n", en)
	}
	if c := m.Citation.String(); c != "" {
		fmt.Fprintf(w, "  〔%s〕\n", c)
	}
}

// flags returns a flag set for a subcommand whose -h prints help.
func flags(name, help string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	// parse prints the help: to standard output for -h, to standard
	// error after the flag package's message for a bad flag.
	fs.Usage = func() {}
	return fs
}

// parse parses flags and positional arguments in any order (flags may
// follow a file name, as in "audit verify FILE --key-file K"). -h prints
// the help to standard output and ends the command with exit 0.
func parse(fs *flag.FlagSet, help string, e env, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(e.stdout, help)
				return nil, silent(exitOK)
			}
			fmt.Fprint(e.stderr, help)
			return nil, silent(exitUsage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// subcommand dispatches "govshare NAME SUB …".
func subcommand(ctx context.Context, name, help string, subs map[string]command, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, help)
		return silent(exitUsage)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, help)
		return nil
	}
	sub, ok := subs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "govshare %s: 未知子命令 unknown command %q\n\n%s", name, args[0], help)
		return silent(exitUsage)
	}
	return sub(ctx, args[1:], e)
}

// files is a repeatable file flag (--schedule A --schedule B).
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(s string) error { *f = append(*f, s); return nil }
