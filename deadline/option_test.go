package deadline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
)

// mustNew is New for options the test expects to succeed.
func mustNew(t *testing.T, opts ...Option) *Calendar {
	t.Helper()
	c, err := New(opts...)
	require.NoError(t, err)
	return c
}

func TestNewOptions(t *testing.T) {
	// No schedule at all is no calendar.
	_, err := New()
	assert.ErrorIs(t, err, ErrCoverageGap)

	// Bad option values are refused with ErrInvalid, and nothing is built.
	for name, opts := range map[string][]Option{
		"nil base":   {WithBase(nil)},
		"base twice": {WithBase(China()), WithBase(China())},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(opts...)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, govshare.ErrInvalid)
			assert.Equal(t, 422, govshare.HTTPStatus(err))
			assert.Equal(t, "deadline.invalid_option", govshare.MessageOf(err).Code)
			assert.NotEmpty(t, govshare.MessageOf(err).Zh)
		})
	}

	// A nil option is ignored; a base alone is the base.
	c := mustNew(t, nil, WithBase(China()))
	first, last := c.Years()
	assert.Equal(t, [2]int{2007, 2026}, [2]int{first, last})
	got, err := c.AddWorkdays(d(2026, 9, 30), 1)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 10, 8), got)

	// The fallback is an option, inherited by calendars built on it, and
	// never changes the base.
	fb := mustNew(t, WithBase(China()), WithRegularWeekFallback())
	_, err = fb.IsWorkday(d(2027, 3, 1))
	assert.ErrorIs(t, err, ErrProvisional)
	_, err = China().IsWorkday(d(2027, 3, 1))
	assert.ErrorIs(t, err, ErrUnknownYear)
	fb2 := mustNew(t, WithBase(fb), WithSchedules(load(t, fixture2027)))
	_, err = fb2.IsWorkday(d(2028, 3, 1))
	assert.ErrorIs(t, err, ErrProvisional, "the fallback survives adding a year")
	w, err := fb2.IsWorkday(d(2027, 1, 1))
	require.NoError(t, err, "2027 is official now")
	assert.False(t, w)
}

// An overlay's region is checked as every 行政区划代码 is, by
// govshare.ValidateRegionCode: six digits are not enough.
func TestOverlayRegionCode(t *testing.T) {
	for _, region := range []string{"000000", "990000", "65000", "65000x"} {
		t.Run(region, func(t *testing.T) {
			s := load(t, overlayFixture)
			s.Region = region
			_, err := New(WithBase(China()), WithSchedules(s))
			assert.ErrorIs(t, err, ErrMalformed)
			assert.ErrorIs(t, err, govshare.ErrMalformed)
			assert.Contains(t, err.Error(), "region")
		})
	}
	s := load(t, overlayFixture)
	s.Region = "650100" // a city: a valid division code
	_, err := New(WithBase(China()), WithSchedules(s))
	assert.NoError(t, err)
}
