package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testURL() string {
	if u := os.Getenv("GOVSHARE_TEST_POSTGRES"); u != "" {
		return u
	}
	return defaultURL
}

func TestExample(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, testURL())
	if errors.Is(err, errUnreachable) {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable (CI is set, so this fails): %v", err)
		}
		t.Skipf("PostgreSQL unreachable, skipping: %v; start one (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set GOVSHARE_TEST_POSTGRES", err)
	}
	require.NoError(t, err)
	s := out.String()
	for _, want := range []string{
		"schema version 4 (code 4)",
		"已发布 published 101001/000001 户籍人口基本信息",
		"A: SQ-001 共享中, version 5",
		"B: 网关 gateway → 允许（allowed）",
		"B: 网关 gateway → 共享已终止（revoked）",
		"超期事实 overdue facts emitted: 1 (SQ-002, once)",
		"记录 10 条 records; 校验 verify: 通过 passed",
	} {
		assert.Contains(t, s, want)
	}
	// The same output at every run: fixed dates, a schema of its own.
	var again bytes.Buffer
	require.NoError(t, run(context.Background(), &again, testURL()))
	assert.Equal(t, s, again.String())
}

func TestUnreachable(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	assert.ErrorIs(t, err, errUnreachable)
	assert.Empty(t, out.String(), "nothing done")
}
