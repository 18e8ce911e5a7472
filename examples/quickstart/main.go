package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

var (
	police  = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau  = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}

	policeClerk  = govshare.Actor{ID: "zhao", Name: "赵经办", Department: police, Role: govshare.Clerk}
	policeHead   = govshare.Actor{ID: "chen", Name: "陈负责人", Department: police, Role: govshare.OfficeHead}
	welfareClerk = govshare.Actor{ID: "wang", Name: "王经办", Department: welfare, Role: govshare.Clerk}
	welfareHead  = govshare.Actor{ID: "li", Name: "李负责人", Department: welfare, Role: govshare.OfficeHead}
	authority    = govshare.Actor{ID: "sun", Name: "孙处长", Department: bureau, Role: govshare.Authority}
)

// clock is the fixed clock every component reads.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func (c *clock) set(y int, m time.Month, d, hh, mm int) {
	c.t = time.Date(y, m, d, hh, mm, 0, 0, deadline.CST)
}

func run(w io.Writer) error {
	ctx := context.Background()
	clk := &clock{}
	clk.set(2026, 9, 28, 9, 0)

	// 1. The deadline of a conditional application.
	section(w, "1. 答复期限 — reply deadline (R11, R14)")
	received := time.Date(2026, 9, 29, 15, 0, 0, 0, deadline.CST)
	due, err := deadline.China().Due(received, deadline.ReplyConditional)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "答复截止：%s 24:00（北京时间）\n\n", due.LastDay.Format("2006-01-02"))
	fmt.Fprint(w, due.Explain())

	// 2. The catalog.
	section(w, "2. 政务数据目录 — catalog (R5–R7, R16)")
	cat, err := catalog.NewMemoryStore(catalog.WithClock(clk.now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return err
	}
	household := catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "本市户籍人口的姓名、公民身份号码、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share:          govshare.Conditional, // the conditions are missing: R7 requires them
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Length: 50, Kind: classify.Name},
			{Name: "公民身份号码", Column: "gmsfhm", Type: catalog.TypeString, Length: 18, Kind: classify.IDCard},
			{Name: "户籍地址", Column: "hjdz", Type: catalog.TypeString, Length: 200, Kind: classify.Address},
		},
	}
	fmt.Fprintln(w, "草稿校验 (draft):")
	for _, f := range catalog.Validate(household, catalog.WithPolicy(classify.NationalDefault())) {
		fmt.Fprintln(w, "  "+f.String())
	}
	household.Conditions = "仅限办理社会救助审核使用；不得向第三方提供"
	fmt.Fprintf(w, "补充使用条件后 (with conditions): %d error(s)\n", countErrors(catalog.Validate(household, catalog.WithPolicy(classify.NationalDefault()))))
	orgs := catalog.Entry{
		ID: "301002/000007", Name: "社会组织登记信息", Summary: "本市登记的社会组织名称、统一社会信用代码、成立日期",
		Provider: welfare, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share:          govshare.Unconditional,
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI, govshare.BatchExchange},
		Classification: classify.Classification{Category: "civil_affairs/organization/basic", Grade: classify.General1},
		Items: []catalog.DataItem{
			{Name: "组织名称", Column: "zzmc", Type: catalog.TypeString, Length: 200},
			{Name: "统一社会信用代码", Column: "tyshxydm", Type: catalog.TypeString, Length: 18, Kind: classify.USCC},
			{Name: "成立日期", Column: "clrq", Type: catalog.TypeDate},
		},
	}
	for _, e := range []catalog.Entry{household, orgs} {
		draft, err := cat.Put(ctx, e, 0)
		if err != nil {
			return err
		}
		pub, _, err := cat.Publish(ctx, draft.ID, draft.Version)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "已发布 %s %s（%s，%s）\n", pub.ID, pub.Name, pub.Share, pub.Classification.Grade)
	}

	// The audit log: an append-only file, SM3 keyed with HMAC so that a
	// database administrator cannot recompute the chain, checkpoints signed
	// with SM2.
	dir, err := os.MkdirTemp("", "govshare-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	key := bytes.Repeat([]byte{0x5a}, 32) // in production: from the host's key management
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		return err
	}
	log, err := audit.OpenFile(ctx, filepath.Join(dir, "audit.log"), audit.WithKey(key), audit.WithSigner(signer), audit.WithSyncEach(), audit.WithClock(clk.now))
	if err != nil {
		return err
	}
	defer log.Close()

	svc, err := request.NewService(ctx, request.NewMemoryStore(), cat, log,
		request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}},
		request.WithClock(clk.now))
	if err != nil {
		return err
	}

	// 3a. Unconditional data: answered within 1 working day (R10).
	section(w, "3. 共享申请 — applications (R8–R13)")
	clk.set(2026, 9, 29, 9, 30)
	a1, _, err := svc.Do(ctx, "SQ-001", request.Create{Actor: policeClerk, EntryID: orgs.ID, Elements: request.Elements{
		Basis: "《中华人民共和国反洗钱法》第二十三条", Scenario: "社会组织涉案资金核查",
		Items: []string{"组织名称", "统一社会信用代码"}, Users: "经侦支队核查人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: day(2026, 10, 1), To: day(2027, 1, 1)},
	}})
	if err != nil {
		return err
	}
	if _, _, err = svc.Do(ctx, a1.ID, request.Submit{Actor: policeClerk}); err != nil {
		return err
	}
	clk.set(2026, 9, 29, 10, 0)
	if a1, _, err = svc.Do(ctx, a1.ID, request.Endorse{Actor: policeHead}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s 无条件共享，%s 收到，应于 %s 前答复\n", a1.ID, stamp(a1.ReceivedAt), stamp(a1.Clock.DueAt))
	// 3b. Conditional data across 国庆, with an approved extension (R11, R12).
	clk.set(2026, 9, 29, 14, 0)
	a2, _, err := svc.Do(ctx, "SQ-002", request.Create{Actor: welfareClerk, EntryID: household.ID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "最低生活保障对象资格审核",
		Items: []string{"姓名", "公民身份号码", "户籍地址"}, Systems: []string{"社会救助信息系统"}, Users: "社会救助科审核人员",
		Method: govshare.ServiceAPI, Period: request.UsePeriod{From: day(2026, 10, 1), To: day(2027, 1, 1)},
	}})
	if err != nil {
		return err
	}
	if _, _, err = svc.Do(ctx, a2.ID, request.Submit{Actor: welfareClerk}); err != nil {
		return err
	}
	clk.set(2026, 9, 29, 15, 0)
	if a2, _, err = svc.Do(ctx, a2.ID, request.Endorse{Actor: welfareHead}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s 有条件共享，%s 收到，应于 %s 前答复\n", a2.ID, stamp(a2.ReceivedAt), stamp(a2.Clock.DueAt))
	clk.set(2026, 9, 30, 11, 0)
	welfareOffice := govshare.Actor{ID: "zhou", Name: "周负责人", Department: welfare, Role: govshare.OfficeHead}
	if a1, _, err = svc.Do(ctx, a1.ID, request.Agree{Actor: welfareOffice}); err != nil {
		return err
	}
	if a1, _, err = svc.Do(ctx, a1.ID, request.Provision{Actor: welfareOffice,
		Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0001"}}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %s（%s 答复，用时%d个工作日）\n", a1.ID, a1.State, stamp(a1.Answer.At), a1.Answer.Workdays)

	// SQ-003: received on 10-08; nobody will answer it.
	clk.set(2026, 10, 8, 9, 0)
	a3, _, err := svc.Do(ctx, "SQ-003", request.Create{Actor: welfareClerk, EntryID: household.ID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "临时救助对象核查", Items: []string{"姓名"},
		Method: govshare.ServiceAPI, Period: request.UsePeriod{From: day(2026, 10, 8), To: day(2027, 1, 1)},
	}})
	if err != nil {
		return err
	}
	if _, _, err = svc.Do(ctx, a3.ID, request.Submit{Actor: welfareClerk}); err != nil {
		return err
	}
	if a3, _, err = svc.Do(ctx, a3.ID, request.Endorse{Actor: welfareHead}); err != nil {
		return err
	}
	clk.set(2026, 10, 14, 9, 0)
	if _, _, err = svc.Do(ctx, a2.ID, request.RequestExtension{Actor: policeClerk, Days: 5, Reason: "需与人口库逐条核对地址"}); err != nil {
		return err
	}
	clk.set(2026, 10, 14, 16, 0)
	if a2, _, err = svc.Do(ctx, a2.ID, request.DecideExtension{Actor: authority, Decision: request.Granted, Comment: "同意延长5个工作日"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s 延期获批，应于 %s 前答复\n", a2.ID, stamp(a2.Clock.DueAt))
	fmt.Fprintf(w, "告知需求部门 (R12): %s\n", a2.Notices[0].Message)
	if a2, _, err = svc.Do(ctx, a2.ID, request.AckNotice{Actor: svc.System(), NoticeID: a2.Notices[0].ID}); err != nil {
		return err
	}
	// 4. The application nobody answers: the sweep finds it due soon, then overdue.
	section(w, "4. 超期巡检 — overdue sweep (R10–R12)")
	fmt.Fprintf(w, "%s %s 收到，应于 %s 前答复\n", a3.ID, stamp(a3.ReceivedAt), stamp(a3.Clock.DueAt))
	for _, at := range []time.Time{time.Date(2026, 10, 21, 9, 0, 0, 0, deadline.CST), time.Date(2026, 10, 22, 9, 0, 0, 0, deadline.CST), time.Date(2026, 10, 22, 9, 5, 0, 0, deadline.CST)} {
		clk.t = at
		res, err := svc.Sweep(ctx, at)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "巡检 %s：", stamp(at))
		if len(res.Overdue)+len(res.DueSoon) == 0 {
			fmt.Fprint(w, "无新情况")
		}
		for _, f := range append(res.DueSoon, res.Overdue...) {
			fmt.Fprintf(w, "%s %s（期限 %s）", f.AppID, f.Kind, stamp(f.Due))
		}
		fmt.Fprintln(w)
	}

	section(w, "5. 答复与授权 — reply, provision, gateway (R9, R13, R19)")
	clk.set(2026, 10, 23, 16, 0)
	if a2, _, err = svc.Do(ctx, a2.ID, request.Agree{Actor: policeHead, Items: []string{"姓名", "公民身份号码"},
		Refused:    []request.RefusedItem{{Item: "户籍地址", Reason: "地址数据正在治理，暂不提供"}},
		Conditions: []string{"仅限办理社会救助审核使用"}}); err != nil {
		return err
	}
	if a2, _, err = svc.Do(ctx, a2.ID, request.Provision{Actor: policeClerk,
		Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-cred-0002"}}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %s：同意%v，不同意%s（%s），条件：%s，逾期：%v\n", a2.ID, a2.State, a2.Answer.Items,
		a2.Answer.Refused[0].Item, a2.Answer.Refused[0].Reason, a2.Answer.Conditions[0], a2.Answer.Late)

	// The data gateway asks before every access (R19).
	reader := govshare.Actor{ID: "gw-welfare", Name: "社会救助信息系统", Department: welfare, Role: govshare.System}
	accesses := []struct {
		what string
		acc  request.Access
	}{
		{"民政局读取姓名、公民身份号码", request.Access{Department: welfare, EntryID: household.ID, Items: []string{"姓名", "公民身份号码"}, Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核"}},
		{"民政局读取户籍地址", request.Access{Department: welfare, EntryID: household.ID, Items: []string{"户籍地址"}, Method: govshare.ServiceAPI, Scenario: "最低生活保障对象资格审核"}},
		{"民政局用于其他场景", request.Access{Department: welfare, EntryID: household.ID, Items: []string{"姓名"}, Method: govshare.ServiceAPI, Scenario: "招商引资客户筛查"}},
		{"民政局批量下载", request.Access{Department: welfare, EntryID: household.ID, Items: []string{"姓名"}, Method: govshare.BatchExchange, Scenario: "最低生活保障对象资格审核"}},
		{"公安局读取社会组织信息", request.Access{Department: police, EntryID: orgs.ID, Items: []string{"组织名称"}, Method: govshare.ServiceAPI, Scenario: "社会组织涉案资金核查"}},
	}
	clk.set(2026, 10, 26, 10, 0)
	for _, x := range accesses {
		x.acc.At = clk.now()
		d, err := svc.AuthorizeRecorded(ctx, x.acc, reader)
		if err != nil {
			return err
		}
		verdict := "允许"
		if !d.Allowed {
			verdict = "拒绝：" + d.Reason.String() + "（" + d.Reason.Code() + "）"
		}
		fmt.Fprintf(w, "网关：%s → %s\n", x.what, verdict)
	}

	section(w, "6. 监督报告 — supervision report")
	rep, err := svc.Report(ctx, day(2026, 9, 1), day(2026, 11, 1))
	if err != nil {
		return err
	}
	for _, p := range rep.Providers {
		fmt.Fprintf(w, "%s：收到%d件，按时答复%d件，逾期%d件，未答复%d件（其中超期%d件），平均用时%.1f个工作日，延期%d次\n",
			p.Department.Name, p.Received, p.OnTime, p.Late, p.Unanswered, p.Overdue, p.AverageWorkdays, p.ExtensionsGranted)
	}

	// 7. Across the year end: a receipt on 2026-12-18 whose 10 working days
	// reach into 2027, while 2027 has no official schedule.
	section(w, "7. 跨年期限 — a deadline across the year end (R11, R14)")
	if err := acrossTheYearEnd(ctx, w, clk, svc, household.ID); err != nil {
		return err
	}

	// 8. The audit log.
	section(w, "8. 审计日志 — audit log (R16–R18)")
	n, err := log.Len(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "记录 %d 条（%s，HMAC 密钥，SM2 签名检查点）\n", n, log.Header().Algorithm)
	if err := log.Verify(ctx); err != nil {
		return fmt.Errorf("audit verification failed: %w", err)
	}
	fmt.Fprintln(w, "整体校验：通过 (hash chain, HMAC, Merkle tree)")
	cp, err := log.Checkpoint(ctx)
	if err != nil {
		return err
	}
	var seqs []uint64
	for rec, err := range log.Query(ctx, audit.Filter{TargetKind: "application", TargetID: "SQ-002"}) {
		if err != nil {
			return err
		}
		seqs = append(seqs, rec.Seq)
	}
	bundle, err := audit.ExportBundle(ctx, log, cp, seqs[0], seqs[len(seqs)-1]+1)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := bundle.WriteTo(&buf); err != nil {
		return err
	}
	offline, err := audit.ReadBundle(ctx, &buf)
	if err != nil {
		return err
	}
	pub := log.PublicKey()
	if err := offline.Verify(pub, key); err != nil {
		return fmt.Errorf("bundle verification failed: %w", err)
	}
	fmt.Fprintf(w, "检查点：%d 条记录，SM2 签名；导出 SQ-002 所在区间 %d 条记录的证明包并离线校验：通过\n", cp.Size, len(offline.Records))
	for _, rec := range offline.Records {
		if rec.Event.Target.ID == "SQ-002" {
			fmt.Fprintf(w, "  #%d %s %-26s %s\n", rec.Seq, stamp(rec.Event.Time), rec.Event.Action, rec.Event.Actor)
		}
	}
	return nil
}

// exampleSchedule2027 is an invented 2027 schedule for the demonstration:
// the State Council had not announced 2027 when this was written, and
// govshare embeds only official schedules. A platform loads the real one
// from the notice (deadline.LoadSchedule or LoadHolidayCN).
//
//go:embed schedule-2027-example.json
var exampleSchedule2027 []byte

// acrossTheYearEnd records a receipt whose deadline waits for 2027, shows
// the sweep reporting it, then loads a 2027 schedule into the running
// service, which computes the deadline and records it.
func acrossTheYearEnd(ctx context.Context, w io.Writer, clk *clock, svc *request.Service, entryID string) error {
	clk.set(2026, 12, 18, 9, 0)
	id := "SQ-004"
	if _, _, err := svc.Do(ctx, id, request.Create{Actor: welfareClerk, EntryID: entryID, Elements: request.Elements{
		Basis: "《社会救助暂行办法》第十一条", Scenario: "年度低保复核", Items: []string{"姓名", "公民身份号码"},
		Method: govshare.ServiceAPI, Period: request.UsePeriod{From: day(2026, 12, 18), To: day(2027, 6, 30)},
	}}); err != nil {
		return err
	}
	if _, _, err := svc.Do(ctx, id, request.Submit{Actor: welfareClerk}); err != nil {
		return err
	}
	clk.set(2026, 12, 18, 10, 0)
	a, _, err := svc.Do(ctx, id, request.Endorse{Actor: welfareHead})
	if err != nil {
		return err
	}
	note, _ := a.Clock.Note()
	fmt.Fprintf(w, "%s %s 收到（收到时间已记录）；%s\n", a.ID, stamp(a.ReceivedAt), note)
	clk.set(2026, 12, 18, 11, 0)
	res, err := svc.Sweep(ctx, clk.now())
	if err != nil {
		return err
	}
	for _, f := range res.Pending {
		zh, _ := f.Note()
		fmt.Fprintf(w, "巡检 %s：%s %s\n", stamp(clk.now()), f.AppID, zh)
	}
	s2027, err := deadline.LoadSchedule(bytes.NewReader(exampleSchedule2027))
	if err != nil {
		return err
	}
	clk.set(2026, 12, 20, 9, 0)
	rep, err := svc.LoadSchedules(ctx, s2027)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "载入2027年放假安排（示例数据，非官方通知），服务无需重启：日历覆盖%d–%d年，确定期限%d件\n", rep.First, rep.Last, len(rep.Settled))
	if a, err = svc.Get(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s 应于 %s 前答复（已记入审计日志）\n", a.ID, stamp(a.Clock.DueAt))
	return nil
}

func section(w io.Writer, title string) { fmt.Fprintf(w, "\n== %s ==\n", title) }

func day(y int, m time.Month, d int) time.Time { return deadline.Date(y, m, d) }

// stamp prints an instant in China Standard Time, writing the end of a day
// as 24:00 of that day as the regulation's periods are worded.
func stamp(t time.Time) string {
	t = t.In(deadline.CST)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return t.Format("2006-01-02 15:04")
}

func countErrors(fs []govshare.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == govshare.Error {
			n++
		}
	}
	return n
}
