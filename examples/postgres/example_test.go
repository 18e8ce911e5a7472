package main

import (
	"context"
	"fmt"
	"os"
)

// Example runs the whole flow against the server in GOVSHARE_POSTGRES (or
// the local default). It has no Output comment, so go test compiles it
// without running it: it needs a server (TestExample runs it, skipping
// without one). Its output is:
//
//	== 1. 连接与迁移 — connect and migrate ==
//	schema version 4 (code 4)
//	== 2. 目录 — catalog on PostgreSQL ==
//	已发布 published 101001/000001 户籍人口基本信息
//	== 3. 两个副本 — two replicas ==
//	副本 B 跟随变更 replica B follows the change feed
//	== 4. 授权与撤销 — a grant on A, seen on B ==
//	A: SQ-001 共享中, version 5
//	B: 网关 gateway → 允许（allowed）
//	A: SQ-001 撤销 revoked
//	B: 网关 gateway → 共享已终止（revoked）
//	== 5. 两个副本同时巡检 — both replicas sweep at once ==
//	超期事实 overdue facts emitted: 1 (SQ-002, once)
//	== 6. 审计日志 — one chain for both replicas ==
//	记录 10 条 records; 校验 verify: 通过 passed
func Example() {
	url := os.Getenv("GOVSHARE_POSTGRES")
	if url == "" {
		url = defaultURL
	}
	if err := run(context.Background(), os.Stdout, url); err != nil {
		fmt.Println(err)
	}
}
