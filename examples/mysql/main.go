package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/mysql"
)

// config is what the command is run with.
type config struct {
	dsn, dsn2, database string
	keep                bool
}

func main() {
	var c config
	flag.StringVar(&c.dsn, "dsn", "root@tcp(127.0.0.1:3306)/test", "the server (go-sql-driver/mysql DSN)")
	flag.StringVar(&c.dsn2, "dsn2", "", "the second replica's server (default: -dsn)")
	flag.StringVar(&c.database, "database", "govshare_example", "the database to create and use")
	flag.BoolVar(&c.keep, "keep", false, "keep the database afterwards")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, c); err != nil {
		log.Fatal(err)
	}
}

// open returns a pool on dsn in utf8mb4 with bounded dials.
func open(dsn string) (*sql.DB, error) {
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.Collation = "utf8mb4_bin"
	cfg.Timeout = 5 * time.Second
	conn, err := mysqldrv.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

var (
	police   = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482061X", RegionCode: "330100", Level: govshare.City}
	welfare  = govshare.Department{Name: "某市民政局", CreditCode: "11330100002482088M", RegionCode: "330100", Level: govshare.City}
	bureau   = govshare.Department{Name: "某市数据资源管理局", CreditCode: "11330100MB1234567E", RegionCode: "330100", Level: govshare.City}
	clerk    = govshare.Actor{ID: "wang", Name: "王", Department: welfare, Role: govshare.Clerk}
	head     = govshare.Actor{ID: "li", Name: "李", Department: welfare, Role: govshare.OfficeHead}
	provider = govshare.Actor{ID: "chen", Name: "陈", Department: police, Role: govshare.OfficeHead}
	// The commands run on 2026-10-14 09:00 CST, a fixed clock.
	at       = time.Date(2026, 10, 14, 9, 0, 0, 0, deadline.CST)
	scenario = "最低生活保障对象资格审核"
)

func run(ctx context.Context, w io.Writer, c config) error {
	if c.dsn2 == "" {
		c.dsn2 = c.dsn
	}
	pool1, err := open(c.dsn)
	if err != nil {
		return err
	}
	defer pool1.Close()
	pool2, err := open(c.dsn2)
	if err != nil {
		return err
	}
	defer pool2.Close()

	// 1. Connect and migrate (idempotent; a newer schema is refused).
	db1, err := mysql.New(pool1, mysql.WithDatabase(c.database))
	if err != nil {
		return err
	}
	if err := db1.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !c.keep {
		defer pool1.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS `"+c.database+"`")
	}
	v, err := db1.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "数据库 %s 已迁移至模式版本 %d\n", c.database, v)
	db2, err := mysql.New(pool2, mysql.WithDatabase(c.database))
	if err != nil {
		return err
	}
	if err := db2.Migrate(ctx); err != nil { // the second replica at its start: nothing to do
		return err
	}

	// 2. The catalog in the database: an entry, published.
	now := func() time.Time { return at }
	cat, err := db1.Catalog(catalog.WithClock(now))
	if err != nil {
		return err
	}
	e, err := cat.Put(ctx, catalog.Entry{
		ID: "101001/000001", Name: "户籍人口基本信息", Summary: "姓名、身份证号、户籍地址",
		Provider: police, Level: catalog.Departmental, Format: catalog.FormatTable, Frequency: catalog.Daily,
		Share: govshare.Conditional, Conditions: "仅限办理社会救助审核使用",
		Methods:        []govshare.ShareMethod{govshare.ServiceAPI},
		Classification: classify.Classification{Category: "public_security/person/basic", Grade: classify.General3},
		Items: []catalog.DataItem{
			{Name: "姓名", Column: "xm", Type: catalog.TypeString, Kind: classify.Name},
			{Name: "身份证号", Column: "sfzh", Type: catalog.TypeString, Kind: classify.IDCard},
		},
	}, 0)
	if err != nil {
		return err
	}
	if e, _, err = cat.Publish(ctx, e.ID, e.Version); err != nil {
		return err
	}
	fmt.Fprintf(w, "目录 %s %s 已发布（第 %d 版）\n", e.ID, e.Name, e.Version)

	// 3. Two replicas on separate pools, one audit log, the second
	// following the change table.
	key := []byte("an example key, 32 bytes long!!!")
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		return err
	}
	authorities := request.AuthoritiesByRegion{Regions: map[string]govshare.Department{"330100": bureau}}
	replica := func(db *mysql.DB) (*request.Service, *mysql.AuditLog, error) {
		l, err := db.AuditLog(ctx, "main", audit.WithKey(key), audit.WithSigner(signer))
		if err != nil {
			return nil, nil, err
		}
		svc, err := request.NewService(ctx, db.Requests(), cat, l, authorities, request.WithClock(now))
		return svc, l, err
	}
	a, auditLog, err := replica(db1)
	if err != nil {
		return err
	}
	b, _, err := replica(db2)
	if err != nil {
		return err
	}
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = b.Follow(fctx, db2.Requests()) }()

	elements := request.Elements{Basis: "《社会救助暂行办法》第十一条", Scenario: scenario,
		Items: []string{"姓名", "身份证号"}, Users: "社会救助科审核人员", Method: govshare.ServiceAPI,
		Period: request.UsePeriod{From: at, To: time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.CST)}}
	for _, cmd := range []request.Command{
		request.Create{Actor: clerk, EntryID: e.ID, Elements: elements},
		request.Submit{Actor: clerk},
		request.Endorse{Actor: head},
		request.Agree{Actor: provider, Conditions: []string{"仅限办理社会救助审核使用"}},
		request.Provision{Actor: provider, Deliveries: []request.Delivery{{Method: govshare.ServiceAPI, Reference: "api-credential-7781"}}},
	} {
		app, _, err := a.Do(ctx, "SQ-2026-0001", cmd)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd.Name().Code(), err)
		}
		fmt.Fprintf(w, "副本A：%s → %s（第 %d 版）\n", cmd.Name(), app.State, app.Version)
	}
	acc := request.Access{Department: welfare, EntryID: e.ID, Items: []string{"身份证号"},
		Method: govshare.ServiceAPI, Scenario: scenario, At: time.Date(2026, 10, 24, 9, 0, 0, 0, deadline.CST)}
	if err := reflect(b, acc, request.Allowed); err != nil {
		return err
	}
	fmt.Fprintln(w, "副本B：民政局读取身份证号 → 允许")
	if _, _, err := a.Do(ctx, "SQ-2026-0001", request.Revoke{Actor: provider, Reason: "发现超范围使用"}); err != nil {
		return err
	}
	fmt.Fprintln(w, "副本A：终止共享")
	if err := reflect(b, acc, request.GrantRevoked); err != nil {
		return err
	}
	fmt.Fprintln(w, "副本B：民政局读取身份证号 → 拒绝：共享已终止（revoked）")

	// 4. The audit chain, written in the same transactions, verified.
	n, err := auditLog.Len(ctx)
	if err != nil {
		return err
	}
	if _, err := auditLog.Checkpoint(ctx); err != nil {
		return err
	}
	if err := auditLog.Verify(ctx); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	fmt.Fprintf(w, "审计记录 %d 条，签名检查点已保存，整体校验：通过\n", n)
	return nil
}

// reflect waits until svc decides acc with the reason, 10 s at most.
func reflect(svc *request.Service, acc request.Access, want request.DenyReason) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if svc.Authorize(acc).Reason == want {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.New("the replica did not reflect the change within 10 s: " + svc.Authorize(acc).Reason.Code())
}
