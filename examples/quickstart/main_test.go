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
	assert.Contains(t, s, "答复截止：2026-10-19 24:00")
	assert.Contains(t, s, "2026-10-10 星期六  调休上班日（国庆节），计第4个工作日")
	assert.Contains(t, s, "2026-10-19 星期一  工作日，计第10个工作日；期限最后一日")
}
