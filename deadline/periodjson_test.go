package deadline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// A Period marshals to stable lowercase members, with clock times for the
// times of day, and reads back to the same Period; no Go field name and
// no nanosecond count reaches JSON.
func TestPeriodJSON(t *testing.T) {
	from := time.Date(2026, 10, 12, 9, 0, 0, 0, CST)
	p := ReplyConditional.Extended(3)
	p.CloseOfBusiness = 17*time.Hour + 30*time.Minute
	p.Cutoff = 16 * time.Hour
	p.Pauses = []Pause{{From: from, To: from.AddDate(0, 0, 2), Reason: "补正材料"}}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"workdays": 10, "extension": 3,
		"citation": {"rule": "R11", "source": "政务数据共享条例 第四章 共享使用"},
		"close_of_business": "17:30", "cutoff": "16:00",
		"pauses": [{"from": "2026-10-12T09:00:00+08:00", "to": "2026-10-14T09:00:00+08:00", "reason": "补正材料"}]}`, string(b))
	var back Period
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p.Workdays, back.Workdays)
	assert.Equal(t, p.Extension, back.Extension)
	assert.Equal(t, p.Citation, back.Citation)
	assert.Equal(t, p.CloseOfBusiness, back.CloseOfBusiness)
	assert.Equal(t, p.Cutoff, back.Cutoff)
	require.Len(t, back.Pauses, 1)
	assert.True(t, p.Pauses[0].From.Equal(back.Pauses[0].From))
	assert.Equal(t, "补正材料", back.Pauses[0].Reason)

	// The defaults are omitted.
	b, err = json.Marshal(ReplyUnconditional)
	require.NoError(t, err)
	assert.JSONEq(t, `{"workdays": 1, "citation": {"rule": "R10", "source": "政务数据共享条例 第四章 共享使用"}}`, string(b))

	// Clock times with seconds and fractions survive; 24:00 is the end of a day.
	for _, d := range []time.Duration{24 * time.Hour, 8*time.Hour + 30*time.Second, 9*time.Hour + 1500*time.Millisecond} {
		b, err := json.Marshal(Period{Workdays: 1, CloseOfBusiness: d})
		require.NoError(t, err)
		var back Period
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		assert.Equal(t, d, back.CloseOfBusiness, string(b))
	}
	// A duration that is not a time of day cannot be written.
	_, err = json.Marshal(Period{Workdays: 1, Cutoff: -time.Hour})
	assert.ErrorIs(t, err, ErrInvalidPeriod)

	for _, bad := range []string{"9:00", "25:00", "24:01", "12:60", "12", "12:00:60", "12:00:00.", "12:00:00.1234567890", "noon"} {
		err := json.Unmarshal([]byte(`{"workdays": 1, "cutoff": "`+bad+`"}`), &back)
		assert.ErrorIs(t, err, govshare.ErrMalformed, bad)
	}

	// A Due, and the trace's day kinds, are lowercase codes too.
	due, err := China().Due(time.Date(2026, 9, 30, 10, 0, 0, 0, CST), ReplyUnconditional)
	require.NoError(t, err)
	b, err = json.Marshal(due)
	require.NoError(t, err)
	for _, want := range []string{`"last_day":"2026-10-08T00:00:00+08:00"`, `"kind":"holiday"`, `"holiday":"国庆节"`, `"reason_en":`, `"workdays":1`} {
		assert.Contains(t, string(b), want)
	}
	for _, goName := range []string{`"Workdays"`, `"LastDay"`, `"Kind"`, `"Trace"`, `"Period"`} {
		assert.NotContains(t, string(b), goName)
	}
}
