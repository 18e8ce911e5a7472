package deadline

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// Every error of the package maps to the one root kind, and so to the one
// HTTP status, that the table in errors.go gives it; every typed error has
// a Chinese and an English message and cites R14.
func TestErrorKinds(t *testing.T) {
	scheduleErr := func(kind error) error {
		return &ScheduleError{Source: "test", Year: 2027, Date: "2027-01-01", Field: "holidays[0].off", Kind: kind, Detail: "detail"}
	}
	cases := []struct {
		name   string
		err    error
		sentry error // the package's own sentinel, still matched
		kind   error
		status int
	}{
		{"unknown year", &UnknownYearError{Year: 2027, First: 2007, Last: 2026}, ErrUnknownYear, govshare.ErrUnavailable, 503},
		{"provisional", &ProvisionalError{Years: []int{2027, 2028}, First: 2007, Last: 2026}, ErrProvisional, govshare.ErrUnavailable, 503},
		{"schedule malformed", scheduleErr(ErrMalformed), ErrMalformed, govshare.ErrMalformed, 400},
		{"schedule without kind", scheduleErr(nil), ErrMalformed, govshare.ErrMalformed, 400},
		{"schedule unannounced", scheduleErr(ErrUnannounced), ErrUnannounced, govshare.ErrUnavailable, 503},
		{"schedule no source", scheduleErr(ErrNoSource), ErrNoSource, govshare.ErrInvalid, 422},
		{"schedule duplicate day", scheduleErr(ErrDuplicateDay), ErrDuplicateDay, govshare.ErrInvalid, 422},
		{"schedule contradiction", scheduleErr(ErrContradiction), ErrContradiction, govshare.ErrInvalid, 422},
		{"schedule out of year", scheduleErr(ErrOutOfYear), ErrOutOfYear, govshare.ErrInvalid, 422},
		{"schedule coverage gap", scheduleErr(ErrCoverageGap), ErrCoverageGap, govshare.ErrInvalid, 422},
		{"schedule replaces year", scheduleErr(ErrReplacesYear), ErrReplacesYear, govshare.ErrConflict, 409},
		{"schedule out of range", scheduleErr(ErrOutOfRange), govshare.ErrInstant, govshare.ErrInvalid, 422},
		{"schedule too large", scheduleErr(ErrTooLarge), ErrTooLarge, govshare.ErrTooLarge, 413},
		{"period", &PeriodError{Field: "Pauses[1]", Problem: "ends before it starts"}, ErrInvalidPeriod, govshare.ErrInvalid, 422},
		{"option", optionError("WithBase", "日历为空", "nil calendar"), nil, govshare.ErrInvalid, 422},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := fmt.Errorf("wrapped: %w", c.err)
			if c.sentry != nil {
				assert.ErrorIs(t, err, c.sentry)
			}
			if _, ok := c.err.(*ScheduleError); ok {
				assert.ErrorIs(t, err, ErrInvalidSchedule)
			}
			var kinds []error
			for _, k := range govshare.Kinds() {
				if errors.Is(err, k) {
					kinds = append(kinds, k)
				}
			}
			assert.Equal(t, []error{c.kind}, kinds, "exactly one kind")
			assert.Equal(t, c.status, govshare.HTTPStatus(err))

			m := govshare.MessageOf(err)
			assert.True(t, strings.HasPrefix(m.Code, "deadline."), m.Code)
			assert.NotEmpty(t, m.Zh)
			assert.NotEmpty(t, m.En)
			if _, ok := c.err.(govshare.Messenger); ok && c.name != "option" {
				assert.Equal(t, "R14", m.Citation.Rule, "typed errors cite the rule they enforce")
			}
		})
	}
	// The sentinels themselves carry the kinds (ErrInvalidSchedule is a
	// family and has none of its own).
	assert.ErrorIs(t, ErrUnknownYear, govshare.ErrUnavailable)
	assert.ErrorIs(t, ErrReplacesYear, govshare.ErrConflict)
	assert.Equal(t, govshare.ErrInternal, govshare.Kind(ErrInvalidSchedule))
	// The problems do not match each other.
	assert.NotErrorIs(t, scheduleErr(ErrNoSource), ErrMalformed)
}

func TestErrorMessages(t *testing.T) {
	m := govshare.MessageOf(&UnknownYearError{Year: 2027, First: 2007, Last: 2026})
	assert.Equal(t, "deadline.unknown_year", m.Code)
	assert.Contains(t, m.Zh, "没有2027年的官方放假安排")
	assert.Contains(t, m.En, "no official holiday schedule for 2027")

	m = govshare.MessageOf(&ProvisionalError{Years: []int{2027, 2028}, First: 2007, Last: 2026})
	assert.Contains(t, m.Zh, "2027、2028年尚无官方放假安排")

	_, err := LoadSchedule(strings.NewReader(strings.Replace(fixture2027, `"notices": ["测试〔2026〕1号"], "off": ["2027-01-01`, `"notices": [], "off": ["2027-01-01`, 1)))
	require.Error(t, err)
	m = govshare.MessageOf(err)
	assert.Equal(t, "deadline.schedule_no_source", m.Code, "%v", err)
	assert.Contains(t, m.Zh, "2027年放假安排")
	assert.Contains(t, m.Zh, "未注明所依据的通知")
	assert.Equal(t, err.Error(), m.En)

	m = govshare.MessageOf(&PeriodError{Field: "Pauses[1]", Problem: "ends before it starts"})
	assert.Equal(t, "期限无法计算：暂停计时[1]不符合要求（ends before it starts）", m.Zh)
	_, err = China().Due(at(2026, 9, 29, 15, 0), Period{Workdays: 1, Extension: -2})
	m = govshare.MessageOf(err)
	assert.Equal(t, "期限无法计算：延长的工作日数为-2，不能为负数", m.Zh)
	assert.Equal(t, "invalid period: Extension: -2 is negative", m.En)
}
