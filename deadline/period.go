package deadline

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/govshare/govshare"
)

// Period is a time limit counted in working days from the receipt of
// something (an application, a correction request), with the counting rules
// of R14: the day of receipt is not counted (Civil Code art. 201) and the
// period ends at the end of its last day (art. 203).
//
// The zero values of the optional fields are the defaults: the period ends
// at 24:00 CST, there is no cut-off, no pause and no extension.
//
// In JSON a Period has stable lowercase members, and the two times of day
// are written as clock times:
//
//	{"workdays": 10, "extension": 3, "citation": {"rule": "R11", …},
//	 "close_of_business": "17:30", "cutoff": "16:00",
//	 "pauses": [{"from": "…", "to": "…", "reason": "补正材料"}]}
type Period struct {
	// Workdays is the length of the period, at least 1.
	Workdays int
	// Extension is a number of working days added after the original last
	// day (R12 allows at most MaxExtension; the request package enforces it).
	Extension int
	// Citation is the rule that fixes the period, shown in explanations.
	Citation govshare.Citation
	// CloseOfBusiness, if set, ends the period at that time of day of its
	// last day instead of 24:00 (art. 203 allows the close of business where
	// business hours apply). Policy option; zero means 24:00.
	CloseOfBusiness time.Duration
	// Cutoff, if set, is the time of day from which a receipt counts as
	// received on the next working day. Policy option; zero means none.
	Cutoff time.Duration
	// Pauses are intervals in which the clock is stopped, e.g. while the
	// requester supplements materials. The day a pause starts and every
	// day up to the day it ends are not counted; counting resumes on the day
	// it ends (policy default: the time is given back to the side that had
	// to wait).
	Pauses []Pause
}

// Pause is an interval in which a period's clock is stopped.
type Pause struct {
	// From is when the clock stops, To when it runs again.
	From time.Time `json:"from"`
	To   time.Time `json:"to"` // see From
	// Reason is shown in the trace, e.g. 补正材料.
	Reason string `json:"reason,omitempty"`
}

// The periods the regulation fixes.
var (
	// ReplyUnconditional is the reply period for an application for
	// unconditionally shared data: 1 working day from receipt (R10).
	ReplyUnconditional = Period{Workdays: 1, Citation: govshare.Rule("R10")}
	// ReplyConditional is the reply period for an application for
	// conditionally shared data: 10 working days from receipt (R11).
	ReplyConditional = Period{Workdays: 10, Citation: govshare.Rule("R11")}
	// MaxExtension is the longest extension of a reply period the competent
	// department may approve: 10 working days (R12).
	MaxExtension = Period{Workdays: 10, Citation: govshare.Rule("R12")}
)

// Extended returns a copy of p with n more working days of extension.
func (p Period) Extended(n int) Period {
	p.Extension += n
	p.Pauses = append([]Pause(nil), p.Pauses...)
	return p
}

func (p Period) check(received time.Time) error {
	switch {
	case p.Workdays < 1:
		return &PeriodError{Field: "Workdays", Problem: fmt.Sprintf("%d; a period has at least 1 working day", p.Workdays), zh: fmt.Sprintf("为%d，期限至少为1个工作日", p.Workdays)}
	case p.Extension < 0:
		return &PeriodError{Field: "Extension", Problem: fmt.Sprintf("%d is negative", p.Extension), zh: fmt.Sprintf("为%d，不能为负数", p.Extension)}
	case p.Workdays > maxSpan:
		return &PeriodError{Field: "Workdays", Problem: "more than a century", zh: "超过一百年"}
	case p.Extension > maxSpan-p.Workdays:
		// Compared this way, not as a sum, which could overflow.
		return &PeriodError{Field: "Extension", Problem: "with Workdays, more than a century", zh: "与期限合计超过一百年"}
	case p.CloseOfBusiness < 0 || p.CloseOfBusiness > 24*time.Hour:
		return &PeriodError{Field: "CloseOfBusiness", Problem: fmt.Sprintf("%v is not a time of day", p.CloseOfBusiness), zh: "不是一天中的时刻"}
	case p.Cutoff < 0 || p.Cutoff >= 24*time.Hour:
		return &PeriodError{Field: "Cutoff", Problem: fmt.Sprintf("%v is not a time of day", p.Cutoff), zh: "不是一天中的时刻"}
	}
	for i, ps := range p.Pauses {
		f := fmt.Sprintf("Pauses[%d]", i)
		if err := govshare.CheckInstant(f+".From", ps.From); err != nil {
			return err
		}
		if err := govshare.CheckInstant(f+".To", ps.To); err != nil {
			return err
		}
		if !ps.To.After(ps.From) {
			return &PeriodError{Field: f, Problem: "ends before it starts", zh: "结束早于开始"}
		}
		if ps.From.Before(received) {
			return &PeriodError{Field: f, Problem: "starts before the receipt", zh: "开始早于收到时间"}
		}
		if dayNumber(ps.To)-dayNumber(ps.From) > maxSpan {
			return &PeriodError{Field: f, Problem: "longer than a century", zh: "超过一百年"}
		}
	}
	return nil
}

// Due is a computed deadline: the last day, the exact instant the period
// ends, and a trace of every day from receipt to the last day saying why it
// counts or not.
type Due struct {
	// Period is the period computed.
	Period Period `json:"period"`
	// Received is the receipt instant, in CST.
	Received time.Time `json:"received"`
	// Start is the civil day treated as the day of receipt: the day of
	// Received, or the next working day if Received is after the cut-off.
	Start time.Time `json:"start"`
	// Original is the last day without the extension.
	Original time.Time `json:"original"`
	// LastDay is the last day of the period, extension included (00:00 CST).
	LastDay time.Time `json:"last_day"`
	// At is the instant the period ends: 24:00 CST of LastDay (that is,
	// 00:00 of the next day), or LastDay at CloseOfBusiness.
	At time.Time `json:"at"`
	// Trace has one entry per civil day from the day of Received to LastDay.
	Trace []TraceDay `json:"trace,omitempty"`
	// Provisional is set when some day was taken from the regular week
	// because its year has no official schedule (fallback calendars only).
	Provisional bool `json:"provisional,omitempty"`
}

// TraceDay says how one day was counted.
type TraceDay struct {
	DayInfo
	// Counted is true for a day that counts towards the period.
	Counted bool `json:"counted"`
	// Ordinal is the day's number among the counted days (1…), or 0.
	Ordinal int `json:"ordinal,omitempty"`
	// Extension is true for a counted day of the extension.
	Extension bool `json:"extension,omitempty"`
	// Reason and ReasonEN say why the day counts or not.
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"` // see Reason
}

// Overdue reports whether at is at or after the end of the period.
func (d Due) Overdue(at time.Time) bool { return !at.Before(d.At) }

// Due computes when period p, counted from the receipt instant received,
// ends. Unknown years give ErrUnknownYear (fallback calendars give a
// Provisional due instead, and no error); a Period that cannot be computed
// gives ErrInvalidPeriod; a receipt or pause instant outside 2000–2199, or
// a period that would end beyond it, a *govshare.InstantError.
func (c *Calendar) Due(received time.Time, p Period) (Due, error) {
	// The period first, as End checks it, so both give the same error.
	if err := p.check(received); err != nil {
		return Due{}, err
	}
	if err := govshare.CheckInstant("received", received); err != nil {
		return Due{}, err
	}
	received = received.In(CST)
	due := Due{Period: p, Received: received}
	r := dayNumber(received)
	paused := pausedDays(p.Pauses)
	total := p.Workdays + p.Extension

	info := func(d int64) (DayInfo, error) {
		in, official := c.describe(d)
		if !official {
			if !supported(d) {
				return DayInfo{}, &govshare.InstantError{Field: reachedDay, At: dayStart(d)}
			}
			if !c.fallback {
				return DayInfo{}, c.unknown(yearOf(d))
			}
			due.Provisional = true
		}
		return in, nil
	}

	first, err := info(r)
	if err != nil {
		return Due{}, err
	}
	start := r
	afterCutoff := p.Cutoff > 0 && received.Sub(dayStart(r)) >= p.Cutoff
	if !afterCutoff {
		due.Trace = append(due.Trace, receiptDay(first))
	} else {
		due.Trace = append(due.Trace, cutoffDay(first, p.Cutoff))
		for {
			start++
			in, err := info(start)
			if err != nil {
				return Due{}, err
			}
			if in.Kind.Working() {
				t := receiptDay(in)
				t.Reason = "视为收到之日（截止时间后收到），不计入期限"
				t.ReasonEN = "treated as the day of receipt (received after the cut-off), not counted"
				due.Trace = append(due.Trace, t)
				break
			}
			due.Trace = append(due.Trace, notCounted(in))
		}
	}
	due.Start = dayStart(start)

	counted := 0
	for d := start + 1; counted < total; d++ {
		if d-start > 2*maxSpan {
			return Due{}, &PeriodError{Field: "Pauses", Problem: "the period never ends", zh: "期限永不届满"}
		}
		in, err := info(d)
		if err != nil {
			return Due{}, err
		}
		t := TraceDay{DayInfo: in}
		switch reason, isPaused := paused(d); {
		case isPaused && in.Kind.Working():
			t.Reason = "暂停计时（" + orDefault(reason, "中止") + "），不计入"
			t.ReasonEN = "clock paused (" + orDefault(reason, "paused") + "), not counted"
		case in.Kind.Working():
			counted++
			t.Counted, t.Ordinal = true, counted
			t.Extension = counted > p.Workdays
			t.Reason, t.ReasonEN = countedReason(in, counted, p.Workdays)
			if counted == p.Workdays {
				due.Original = dayStart(d)
			}
		default:
			t = notCounted(in)
		}
		due.Trace = append(due.Trace, t)
		if counted == total {
			due.LastDay = dayStart(d)
		}
	}
	// Every day taken from the regular week says so, the day of receipt
	// and the days skipped after a cut-off included.
	for i := range due.Trace {
		if t := &due.Trace[i]; t.Provisional {
			y := t.Day.Year()
			t.Reason += fmt.Sprintf("（暂定：%d年尚无官方放假安排，按常规周计算）", y)
			t.ReasonEN += fmt.Sprintf(" (provisional: no official schedule for %d yet; regular week assumed)", y)
		}
	}
	due.Trace[len(due.Trace)-1].Reason += "；期限最后一日"
	due.Trace[len(due.Trace)-1].ReasonEN += "; last day of the period"
	if p.CloseOfBusiness > 0 {
		due.At = due.LastDay.Add(p.CloseOfBusiness)
	} else {
		due.At = dayStart(dayNumber(due.LastDay) + 1)
	}
	return due, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func receiptDay(in DayInfo) TraceDay {
	return TraceDay{DayInfo: in,
		Reason:   "收到之日，不计入期限（民法典第二百零一条）",
		ReasonEN: "day of receipt, not counted (Civil Code art. 201)"}
}

func cutoffDay(in DayInfo, cutoff time.Duration) TraceDay {
	hm := clock(cutoff)
	return TraceDay{DayInfo: in,
		Reason:   "在截止时间" + hm + "之后收到，视为下一个工作日收到",
		ReasonEN: "received after the " + hm + " cut-off: treated as received on the next working day"}
}

func notCounted(in DayInfo) TraceDay {
	t := TraceDay{DayInfo: in}
	switch in.Kind {
	case HolidayOff:
		t.Reason = in.Holiday + "放假，不计入"
		t.ReasonEN = in.HolidayEN + " holiday, not counted"
	default:
		t.Reason = "周末休息日，不计入"
		t.ReasonEN = "weekend, not counted"
	}
	return t
}

func countedReason(in DayInfo, n, workdays int) (zh, en string) {
	what, whatEN := "工作日", "working day"
	if in.Kind == MakeupWorkday {
		what, whatEN = "调休上班日（"+in.Holiday+"）", "make-up working day ("+in.HolidayEN+")"
	}
	if n > workdays {
		return fmt.Sprintf("%s，计延期第%d个工作日", what, n-workdays),
			fmt.Sprintf("%s, counts as extension day %d", whatEN, n-workdays)
	}
	return fmt.Sprintf("%s，计第%d个工作日", what, n), fmt.Sprintf("%s, counts as day %d", whatEN, n)
}

// pausedDays returns a lookup of the days no pause lets count: from the day
// a pause starts up to, not including, the day it ends.
func pausedDays(pauses []Pause) func(d int64) (string, bool) {
	type span struct {
		from, to int64
		reason   string
	}
	spans := make([]span, 0, len(pauses))
	for _, p := range pauses {
		spans = append(spans, span{dayNumber(p.From), dayNumber(p.To), p.Reason})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	return func(d int64) (string, bool) {
		for _, s := range spans {
			if d >= s.from && d < s.to {
				return s.reason, true
			}
		}
		return "", false
	}
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func dateZh(t time.Time) string {
	t = t.In(CST)
	return fmt.Sprintf("%d年%d月%d日（%s）", t.Year(), int(t.Month()), t.Day(), WeekdayZh(t.Weekday()))
}

func (d Due) endClock() string {
	if d.Period.CloseOfBusiness > 0 {
		return clock(d.Period.CloseOfBusiness)
	}
	return "24:00"
}

// provisionalYears lists the years of the trace's provisional days, or is
// empty when there is no trace (End gives none).
func (d Due) provisionalYears(sep string) string {
	var ys []string
	last := 0
	for _, t := range d.Trace {
		if y := t.Day.Year(); t.Provisional && y != last {
			ys, last = append(ys, fmt.Sprint(y)), y
		}
	}
	return strings.Join(ys, sep)
}

// Explain returns the computation in Chinese: the period and its rule, the
// receipt, the last day and end instant, and one line per day. A
// provisional due (Due.Provisional) says so on its last day, its end
// instant and every day taken from the regular week, and names the years
// without an official schedule.
func (d Due) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "期限：%d个工作日", d.Period.Workdays)
	if c := d.Period.Citation.String(); c != "" {
		fmt.Fprintf(&b, "（%s）", c)
	}
	if d.Period.Extension > 0 {
		fmt.Fprintf(&b, "，经批准延长%d个工作日", d.Period.Extension)
	}
	fmt.Fprintf(&b, "\n收到时间：%s %s（北京时间）\n", dateZh(d.Received), d.Received.Format("15:04"))
	if d.Period.Extension > 0 {
		fmt.Fprintf(&b, "原定最后一日：%s\n", dateZh(d.Original))
	}
	mark := ""
	if d.Provisional {
		mark = "（暂定）"
	}
	fmt.Fprintf(&b, "最后一日：%s%s\n届满时刻：%s %s（北京时间）%s\n", dateZh(d.LastDay), mark, dateZh(d.LastDay), d.endClock(), mark)
	if d.Provisional {
		years := "部分日期所在年份"
		if ys := d.provisionalYears("、"); ys != "" {
			years = ys + "年"
		}
		b.WriteString("注意：" + years + "尚无官方放假安排，按常规周一至周五计算，结果为暂定；该年放假安排公布后须重新计算。\n")
	}
	b.WriteString("逐日说明：\n")
	for _, t := range d.Trace {
		fmt.Fprintf(&b, "  %s %s  %s\n", t.Day.Format("2006-01-02"), WeekdayZh(t.Day.Weekday()), t.Reason)
	}
	return b.String()
}

// ExplainEN returns the computation in English, line for line as Explain,
// provisional marks included.
func (d Due) ExplainEN() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Period: %d working days", d.Period.Workdays)
	if d.Period.Citation.Rule != "" {
		fmt.Fprintf(&b, " (%s)", d.Period.Citation.Rule)
	}
	if d.Period.Extension > 0 {
		fmt.Fprintf(&b, ", extended by %d working days", d.Period.Extension)
	}
	fmt.Fprintf(&b, "\nReceived: %s China Standard Time\n", d.Received.Format("Mon 2006-01-02 15:04"))
	if d.Period.Extension > 0 {
		fmt.Fprintf(&b, "Original last day: %s\n", d.Original.Format("Mon 2006-01-02"))
	}
	mark := ""
	if d.Provisional {
		mark = " (provisional)"
	}
	fmt.Fprintf(&b, "Last day: %s%s\nEnds: %s %s China Standard Time%s\n", d.LastDay.Format("Mon 2006-01-02"), mark, d.LastDay.Format("2006-01-02"), d.endClock(), mark)
	if d.Provisional {
		years := "some days fall in a year"
		if ys := d.provisionalYears(", "); ys != "" {
			years = "there is no official schedule for " + ys + " yet"
		} else {
			years += " without an official schedule"
		}
		b.WriteString("Note: " + years + "; the regular Monday–Friday week was assumed, so the result is provisional and must be computed again once the schedule is published.\n")
	}
	b.WriteString("Day by day:\n")
	for _, t := range d.Trace {
		fmt.Fprintf(&b, "  %s %s  %s\n", t.Day.Format("2006-01-02"), t.Day.Format("Mon"), t.ReasonEN)
	}
	return b.String()
}

// End computes when period p, counted from the receipt instant received,
// ends: the same Start, Original, LastDay, At and Provisional as Due, but
// without the day-by-day trace. Without pauses it answers from the
// calendar's index in constant time; with pauses, or where the regular-week
// fallback is needed, it is Due without its trace.
func (c *Calendar) End(received time.Time, p Period) (Due, error) {
	if err := p.check(received); err != nil {
		return Due{}, err
	}
	r, ok := c.index(received)
	if len(p.Pauses) > 0 || !ok {
		return c.endSlow(received, p)
	}
	received = received.In(CST)
	start := dayStart(c.base + r)
	if p.Cutoff > 0 && received.Sub(start) >= p.Cutoff {
		next, err := c.AddWorkdays(start, 1)
		if err != nil {
			return c.endSlow(received, p)
		}
		start = next
	}
	original, err := c.AddWorkdays(start, p.Workdays)
	if err != nil {
		return c.endSlow(received, p)
	}
	last, err := c.AddWorkdays(original, p.Extension)
	if err != nil {
		return c.endSlow(received, p)
	}
	d := Due{Period: p, Received: received, Start: start, Original: original, LastDay: last}
	if p.CloseOfBusiness > 0 {
		d.At = last.Add(p.CloseOfBusiness)
	} else {
		d.At = dayStart(dayNumber(last) + 1)
	}
	return d, nil
}

func (c *Calendar) endSlow(received time.Time, p Period) (Due, error) {
	d, err := c.Due(received, p)
	d.Trace = nil
	return d, err
}
