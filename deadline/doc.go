// Package deadline computes the time limits of 《政务数据共享条例》 in Chinese
// working days, from the official holiday schedules of the State Council.
//
// Every limit in the regulation is counted in working days (R10–R12): 1
// working day to answer an application for unconditionally shared data
// (ReplyUnconditional), 10 for conditional data (ReplyConditional), at most
// 10 more by approved extension (MaxExtension). Working days follow the
// annual holiday notice (R14): weekends and holidays are not working days,
// except the weekend days the notice declares working days (调休上班).
//
// # Calendar
//
// China returns the national calendar built from schedules embedded in the
// package, one file per year from 2007 to 2026, each citing its notice
// (document number, title, date, URL). A *Calendar is immutable and safe for
// concurrent use; its answers come from a per-day index computed once, so
// IsWorkday and AddWorkdays take nanoseconds and allocate nothing.
//
// Every question about a day outside the covered years fails with
// ErrUnknownYear (an *UnknownYearError naming the year and the years
// covered); the calendar never guesses from the regular week unless the
// caller opts in with WithRegularWeekFallback, and then every such answer is
// marked provisional: the methods return it with ErrProvisional, and a Due
// has Provisional set, every trace day taken from the regular week says so,
// and Explain and ExplainEN mark its last day and end （暂定） /
// (provisional) and name the years whose notice is still to be loaded.
//
// Any time.Time, in any location, is first turned into its China civil day:
// China Standard Time is UTC+8 all year (CST), and the host's time-zone
// database is never consulted.
//
// # More years and regional days
//
// LoadSchedule reads the project's JSON format; LoadHolidayCN reads the
// widely used holiday-cn format. New builds a calendar from options:
// WithBase(China()) starts from the embedded calendar, WithSchedules adds
// further years, a corrected year (Schedule.Replace) or a regional overlay
// (local days off, Schedule.Overlay with a GB/T 2260 region code), and
// WithRegularWeekFallback opts into provisional answers:
//
//	cal, err := deadline.New(deadline.WithBase(deadline.China()), deadline.WithSchedules(s2027))
//
// Malformed files, unannounced years, duplicate or contradicting days,
// dates outside the file's year, incomplete years (below) and silent
// replacements are refused with a *ScheduleError; a bad option value with
// an error of kind govshare.ErrInvalid. CheckSchedule runs the same checks
// on a schedule a tool has read or a program has built.
//
// The project format, one file per year:
//
//	{
//	  "format": "govshare.schedule/1",
//	  "year": 2026,
//	  "region": "",          // 6-digit 行政区划代码, overlays only
//	  "overlay": false,
//	  "notices": [{"number": "国办发明电〔2025〕7号", "title": "…",
//	               "issued": "2025-11-04", "url": "https://www.gov.cn/…"}],
//	  "holidays": [{"name": "国庆节", "name_en": "National Day",
//	                "notices": ["国办发明电〔2025〕7号"],
//	                "off": ["2026-10-01..2026-10-07"],
//	                "work": ["2026-09-20", "2026-10-10"],
//	                "note": "…"}]
//	}
//
// "off" lists every day off of a block, weekend days inside it included, as
// days or inclusive ranges; "work" lists the 调休上班 weekend days. A block
// belongs to the file of the notice that announced it, so a New Year block
// may reach into December of the year before. A consequence worth knowing:
// until the notice for the year after the last covered year is loaded, the
// last days of December are taken as the current notice leaves them.
//
// # Completeness
//
// Every national schedule must give each festival of
// 《全国年节及纪念日放假办法》 in force in its year its statutory days off
// (Festivals): until
// 2007 元旦 1, 春节 3, 劳动节 3, 国庆节 3; from 2008 元旦 1, 春节 3, 清明节 1,
// 劳动节 1, 端午节 1, 中秋节 1, 国庆节 3; from 2025 (amended on 2024-11-10)
// 春节 4 and 劳动节 2. Precisely: at least one block names the festival (its
// name contains 春节, 清明, 劳动节, 端午, 中秋, 国庆 or 元旦, or one of its
// parts is “五一” or “十一”, as holiday-cn names 2007's blocks), and the
// blocks naming it list together at least the statutory days of every
// festival they name, so a shared 中秋节、国庆节 block (2020, 2023) needs
// 1 + 3. Days off count as listed, weekend days inside the block included;
// whether a festival day falling on a weekend is made up on a working day
// is not checked, because the make-up day may sit in another block (2015:
// 中秋节 was a Sunday, made up in 国庆节's block). A year that fails is an
// ErrIncomplete *ScheduleError naming the Year and the Festival. All 20
// embedded years and the holiday-cn files of 2007–2026 pass as they are.
// Regional overlays are not checked for completeness.
//
// # Limits
//
// A loader reads at most MaxScheduleBytes (64 KiB; the largest real file
// has 5 kB); a schedule lists at most MaxScheduleDays days (366),
// MaxScheduleHolidays blocks (64) and MaxScheduleNotices notices (16);
// names, numbers and references have at most MaxNameBytes bytes (256) and
// no control characters, titles, URLs and notes at most MaxTextBytes
// (4096). Over a limit is ErrTooLarge (govshare.ErrTooLarge, 413). Years
// and days are those of the instants govshare supports, 2000–2199
// (govshare.MinInstant, MaxInstant): a schedule reaching outside is
// ErrOutOfRange, and every Calendar method refuses an instant outside, or
// an answer that would fall outside, with a *govshare.InstantError before
// any arithmetic on it; a count of more than 36,600 working days (a
// century) is ErrInvalidPeriod. No input makes a function panic; fuzz
// targets for the loaders and for Due and End back that (docs/benchmarks.md).
//
// # Sources
//
// Each year's file was written from the State Council notice and is checked
// day by day against the independent holiday-cn dataset (a test does it
// whenever that dataset sits beside the checkout). Every day off and
// working day agrees. Two citation details could be taken only from
// secondary sources, not from the notice's own header: the document number
// (国办发明电〔2007〕52号) and issue date of the 2008 notice, and the issue
// date of the 2009 notice. Check them against gov.cn before citing them in
// a formal document.
//
// # Periods
//
// A Period (working days, optional extension, pauses, a close-of-business
// end and a receipt cut-off, both policy options) and a receipt instant give
// a Due: the last day, the exact instant the period ends and a trace of
// every day with the reason it counts or not. The counting rules are those
// of the Civil Code (R14): the day of receipt is not counted, and the period
// ends at 24:00 of its last day. Due.Explain and Due.ExplainEN print the
// computation in Chinese and English. In JSON, periods, dues and days have
// lowercase members, day kinds their stable codes ("makeup_workday") and
// times of day clock times ("17:30").
//
// # Errors
//
// Every error matches one kind of the root package: a year without an
// official schedule (ErrUnknownYear) and a provisional answer
// (ErrProvisional) are govshare.ErrUnavailable; a schedule's problem has
// the kind its sentinel documents (ErrMalformed is govshare.ErrMalformed,
// ErrReplacesYear govshare.ErrConflict, ErrTooLarge govshare.ErrTooLarge,
// ErrUnannounced govshare.ErrUnavailable, the others, ErrIncomplete and
// ErrOutOfRange included, govshare.ErrInvalid); ErrInvalidPeriod and
// *govshare.InstantError are govshare.ErrInvalid. Every typed error gives
// its Chinese and English message through govshare.MessageOf.
//
// # rickar/cal
//
// The schedules are held as rickar/cal/v2 holidays, and Business returns
// the calendar as a cal.BusinessCalendar for hosts already built on that
// library. The Calendar's own methods answer from a per-day index instead,
// thousands of times faster (docs/benchmarks.md), and refuse unknown years
// where the BusinessCalendar silently answers from the regular week.
package deadline
