package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/httpapi"
)

const deadlineHelp = `用法 usage: govshare deadline --received TIME --days N [flags]

按国务院办公厅放假通知（含调休上班日）计算以工作日计的期限：收到之日不计入，期限届满于最后
一日二十四时（或给定的下班时刻）。第一行输出最后一日（YYYY-MM-DD），第二行输出届满时刻。
Computes a period of working days from the State Council's holiday notices
(make-up working days included): the day of receipt is not counted, and the
period ends at 24:00 of its last day (or at the close of business given).
The first line is the last day (YYYY-MM-DD), the second the instant it ends.

  --received TIME            收到时间 receipt instant: RFC 3339 (2025-09-30T15:00:00+08:00),
                             或北京时间 or China time (2025-09-30 15:00, 2025-09-30)
  --days N                   工作日数 working days (R10 无条件共享 1, R11 有条件共享 10)
  --extend N                 批准延长的工作日数 approved extension in working days (R12 ≤ 10)
  --close-of-business HH:MM  期限届满于最后一日的该时刻 end at this time of the last day
  --cutoff HH:MM             该时刻及以后收到的视为次一工作日收到 receipts from then count
                             from the next working day
  --schedule FILE            增加年份：本项目格式或 holiday-cn 格式（自动识别），可重复
                             more years: govshare or holiday-cn format (detected), repeatable
  --explain                  逐日说明 explain day by day
  --lang zh|en|both          说明的语言 language of the explanation (default zh)
  --json                     输出一个 JSON 对象 one JSON object: last_day, due, days, …

退出码 exit status: 0 完成 done; 2 用法错误 usage error; 3 涉及没有官方放假安排的年份
a year without an official holiday schedule (load it with --schedule); 1 --schedule
文件未通过检查 a --schedule file fails its check.

例 example:
  govshare deadline --received 2025-09-30T15:00:00+08:00 --days 10
  2025-10-21
  期限届满 due: 2025-10-21 24:00 北京时间 (2025-10-22T00:00:00+08:00)
`

func deadlineCmd(_ context.Context, args []string, e env) error {
	fs := flags("deadline", deadlineHelp, e)
	received := fs.String("received", "", "")
	days := fs.Int("days", 0, "")
	extend := fs.Int("extend", 0, "")
	cob := fs.String("close-of-business", "", "")
	cutoff := fs.String("cutoff", "", "")
	var schedules files
	fs.Var(&schedules, "schedule", "")
	explain := fs.Bool("explain", false, "")
	lang := fs.String("lang", "zh", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, deadlineHelp, e, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError("多余的参数："+pos[0], "unexpected argument: "+pos[0])
	case *received == "":
		return usageError("须给出 --received（收到时间）", "--received is required")
	case *days < 1:
		return usageError("--days 须为正整数（工作日数）", "--days must be a positive number of working days")
	case *extend < 0:
		return usageError("--extend 不得为负数", "--extend must not be negative")
	}
	out, ok := parseLang(*lang)
	if !ok {
		return usageError("--lang 应为 zh、en 或 both", "--lang must be zh, en or both")
	}
	at, err := httpapi.ParseInstant(*received)
	if err != nil {
		return fail(exitUsage, err)
	}
	p := deadline.Period{Workdays: *days, Extension: *extend}
	if p.CloseOfBusiness, err = httpapi.ParseClock(*cob); err != nil {
		return fail(exitUsage, err)
	}
	if p.Cutoff, err = httpapi.ParseClock(*cutoff); err != nil {
		return fail(exitUsage, err)
	}
	cal, err := calendarWith(schedules, e)
	if err != nil {
		return err
	}
	due, err := cal.Due(at, p)
	if err != nil {
		return fail(codeOf(err), err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(httpapi.DeadlineOf(due))
	}
	fmt.Fprintln(e.stdout, due.LastDay.Format(time.DateOnly))
	end := due.At.In(deadline.CST)
	clock := end.Format("15:04")
	endDay := end
	if clock == "00:00" {
		clock, endDay = "24:00", end.AddDate(0, 0, -1)
	}
	note := ""
	if due.Provisional {
		note = "（暂定 provisional）"
	}
	fmt.Fprintf(e.stdout, "期限届满 due: %s %s 北京时间 (%s)%s\n", endDay.Format(time.DateOnly), clock, end.Format(time.RFC3339), note)
	if *explain {
		fmt.Fprintln(e.stdout)
		if out&zh != 0 {
			fmt.Fprint(e.stdout, due.Explain())
		}
		if out == both {
			fmt.Fprintln(e.stdout)
		}
		if out&en != 0 {
			fmt.Fprint(e.stdout, due.ExplainEN())
		}
	}
	return nil
}

// calendarWith is the national calendar with the years of the schedule
// files added. A file for a year the calendar already has replaces it, and
// the command says so: the user named the file.
func calendarWith(paths []string, e env) (*deadline.Calendar, error) {
	if len(paths) == 0 {
		return deadline.China(), nil
	}
	base := deadline.China()
	first, last := base.Years()
	var ss []*deadline.Schedule
	for _, p := range paths {
		s, err := loadScheduleFile(p)
		if err != nil {
			return nil, err
		}
		if !s.Overlay && s.Year >= first && s.Year <= last {
			s.Replace = true
			fmt.Fprintf(e.stderr, "govshare: %s 替换内置的%d年放假安排 replaces the embedded schedule of %d\n", p, s.Year, s.Year)
		}
		ss = append(ss, s)
	}
	cal, err := deadline.New(deadline.WithBase(base), deadline.WithSchedules(ss...))
	if err != nil {
		return nil, fail(codeOf(err), err)
	}
	return cal, nil
}

// scheduleFormat says which format a schedule file is in.
type scheduleFormat string

const (
	formatGovshare  scheduleFormat = "govshare"
	formatHolidayCN scheduleFormat = "holiday-cn"
)

// loadScheduleFile reads a schedule in govshare's format or holiday-cn's,
// whichever it is: govshare's files say "format", holiday-cn's have
// "papers" and "days". The loaders check it, completeness included.
func loadScheduleFile(path string) (*deadline.Schedule, error) {
	data, err := readBounded(path, deadline.MaxScheduleBytes)
	if err != nil {
		return nil, err
	}
	return loadSchedule(path, data, detectFormat(data))
}

func detectFormat(data []byte) scheduleFormat {
	var probe struct {
		Format *string          `json:"format"`
		Papers *json.RawMessage `json:"papers"`
		Days   *json.RawMessage `json:"days"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Format == nil && (probe.Papers != nil || probe.Days != nil) {
		return formatHolidayCN
	}
	return formatGovshare
}

func loadSchedule(path string, data []byte, f scheduleFormat) (*deadline.Schedule, error) {
	load := deadline.LoadSchedule
	if f == formatHolidayCN {
		load = deadline.LoadHolidayCN
	}
	s, err := load(bytes.NewReader(data))
	if err != nil {
		return nil, fail(codeOf(err), fmt.Errorf("%s: %w", path, err))
	}
	s.Source = path
	return s, nil
}

// readBounded reads a file of at most limit bytes; a larger one is read
// only that far, and the loader refuses it as too large.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	return data, nil
}

// lang is which languages output is written in.
type lang uint8

const (
	zh lang = 1 << iota
	en
	both = zh | en
)

func parseLang(s string) (lang, bool) {
	switch s {
	case "zh", "中文":
		return zh, true
	case "en", "english":
		return en, true
	case "both", "zh+en", "双语":
		return both, true
	}
	return 0, false
}

// fileError is a file that cannot be opened, read or written.
func fileError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fail(exitUsage, &govshare.CodedError{Kind: govshare.ErrMalformed, Code: "govshare.file",
		Zh: fmt.Sprintf("文件 %s 无法读写：%v", path, err), En: fmt.Sprintf("file %s: %v", path, err)})
}
