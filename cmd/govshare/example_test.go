package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

// The example of the regulation's reply period: an application for
// conditionally shared data received on Tuesday 2025-09-30 at 15:00 is
// answered within 10 working days (R11), across 国庆 and 中秋 2025 and the
// 调休 Saturday 10-11.
func Example_deadline() {
	code := run(context.Background(), []string{"deadline", "--received", "2025-09-30T15:00:00+08:00", "--days", "10"},
		env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stdout})
	fmt.Println("exit", code)
	// Output:
	// 2025-10-21
	// 期限届满 due: 2025-10-21 24:00 北京时间 (2025-10-22T00:00:00+08:00)
	// exit 0
}

// A year the State Council has not announced is refused, never guessed:
// exit 3.
func Example_unknownYear() {
	code := run(context.Background(), []string{"deadline", "--received", "2026-12-20", "--days", "10"},
		env{stdin: os.Stdin, stdout: io.Discard, stderr: io.Discard})
	fmt.Println("exit", code)
	// Output:
	// exit 3
}

// A schedule file that leaves out a festival of 《全国年节及纪念日放假办法》
// fails the check, which names it.
func Example_calendarCheck() {
	code := run(context.Background(), []string{"calendar", "check", "testdata/holiday-cn-2027-no-spring-festival.json"},
		env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stdout})
	fmt.Println("exit", code)
	// Output:
	// 不通过 FAIL testdata/holiday-cn-2027-no-spring-festival.json: 2027年放假安排（holiday-cn） holidays：缺少法定节日或放假天数少于法定天数（春节）
	//   deadline: invalid schedule (holiday-cn) for 2027 in holidays: statutory festival missing or short: 春节: no holiday block names it (Spring Festival); the statute gives it 4 days off in 2027 (《全国年节及纪念日放假办法》 as amended on 2024-11-10, in force from 2025)
	//   〔R14 民法典 第二百零一条、第二百零三条〕
	// exit 1
}

// calendar show marks the days off (休) and the 调休 working days (班).
func Example_calendarShow() {
	run(context.Background(), []string{"calendar", "show", "2026", "--month", "10"},
		env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stdout})
	// Output:
	// 2026年10月  October 2026
	//    一   二   三   四   五   六   日
	//                  1休  2休  3休  4休
	//   5休  6休  7休  8    9   10班 11
	//  12   13   14   15   16   17   18
	//  19   20   21   22   23   24   25
	//  26   27   28   29   30   31
	//   国庆节 National Day：休 10-01..10-07（7天 days off）；班 10-10
	//
	// 休 = 节假日 holiday；班 = 调休上班 make-up working day
	// 依据 source: 国办发明电〔2025〕7号 国务院办公厅关于2026年部分节假日安排的通知 https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm
}
