package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	dsn := os.Getenv("GOVSHARE_TEST_MYSQL")
	if dsn == "" {
		dsn = "root@tcp(127.0.0.1:3306)/test"
	}
	pool, err := open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		msg := "no MySQL/MariaDB at " + dsn + " (" + err.Error() + "): start one (bash .ci/run starts it) or set GOVSHARE_TEST_MYSQL"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	pool.Close()
	var out bytes.Buffer
	if err := run(context.Background(), &out, config{dsn: dsn, database: "govshare_example_test"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"已迁移至模式版本 3",
		"目录 101001/000001 户籍人口基本信息 已发布（第 2 版）",
		"（第 5 版）",
		"副本B：民政局读取身份证号 → 允许",
		"副本B：民政局读取身份证号 → 拒绝：共享已终止（revoked）",
		"审计记录 6 条，签名检查点已保存，整体校验：通过",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
