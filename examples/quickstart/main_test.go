package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	for _, want := range []string{
		"答复截止：2026-10-19 24:00",
		"2026-10-10 星期六  调休上班日（国庆节），计第4个工作日",
		"错误 conditions：有条件共享的目录未写明使用条件〔R7",
		"已发布 101001/000001 户籍人口基本信息（有条件共享，一般数据3级）",
		"SQ-001 无条件共享，2026-09-29 10:00 收到，应于 2026-09-30 24:00 前答复",
		"SQ-002 延期获批，应于 2026-10-26 24:00 前答复",
		"延长后于2026年10月26日24:00届满",
		"巡检 2026-10-22 09:00：SQ-003 答复超期（期限 2026-10-21 24:00）",
		"巡检 2026-10-22 09:05：无新情况",
		"网关：民政局读取姓名、公民身份号码 → 允许",
		"网关：民政局读取户籍地址 → 拒绝：数据项未获授权（item_not_granted）",
		"网关：民政局批量下载 → 拒绝：共享方式不符（wrong_method）",
		"某市公安局：收到2件，按时答复1件，逾期0件，未答复1件（其中超期1件）",
		"记录 28 条",
		"SQ-004 2026-12-18 10:00 收到（收到时间已记录）；期限待定：2027年放假安排尚未载入",
		"SQ-004 应于 2027-01-04 24:00 前答复",
		"整体校验：通过",
		"离线校验：通过",
	} {
		assert.Contains(t, s, want)
	}
	// The output is reproducible: fixed dates, nothing random printed.
	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, s, again.String())
}
