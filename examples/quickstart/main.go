// Command quickstart is the main job of the govshare README: it walks
// through what the SDK computes for a data-sharing application.
//
// For now it computes the reply deadline of a conditional application
// (有条件共享, 10 working days, R11) received on 2026-09-29 at 15:00 China
// Standard Time, just before the 2026 National Day holiday, and prints the
// deadline with its day-by-day explanation in Chinese.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/govshare/govshare/deadline"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	received := time.Date(2026, time.September, 29, 15, 0, 0, 0, deadline.CST)
	due, err := deadline.China().Due(received, deadline.ReplyConditional)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== 答复期限（有条件共享申请）==")
	fmt.Fprintf(w, "答复截止：%s 24:00（北京时间）\n\n", due.LastDay.Format("2006-01-02"))
	fmt.Fprint(w, due.Explain())
	return nil
}
