package classify_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// endless is a profile that never ends: LoadPolicy must stop reading it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestLoadPolicyLimit(t *testing.T) {
	province, err := os.ReadFile("testdata/policy/province.json")
	require.NoError(t, err)

	// The shipped profile is far below the default; at its own size it
	// is still read.
	require.Less(t, len(province), classify.DefaultProfileBytes/100)
	_, err = classify.LoadPolicy(bytes.NewReader(province), classify.WithProfileLimit(int64(len(province))))
	require.NoError(t, err)

	_, err = classify.LoadPolicy(bytes.NewReader(province), classify.WithProfileLimit(int64(len(province))-1))
	var pe *classify.PolicyError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, classify.ErrInvalidPolicy)
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	assert.Equal(t, govshare.ErrTooLarge, govshare.Kind(err), "exactly one kind")
	assert.NotErrorIs(t, err, govshare.ErrMalformed)
	assert.Equal(t, 413, govshare.HTTPStatus(err))
	m := govshare.MessageOf(err)
	assert.Equal(t, "classify.profile_too_large", m.Code)
	assert.Contains(t, m.Zh, "策略文件超过")
	assert.Contains(t, m.En, "WithProfileLimit")
	assert.True(t, m.Citation.PolicyDefault)

	// A profile that never ends is read up to the default limit, and no
	// further.
	e := &endless{}
	_, err = classify.LoadPolicy(e)
	assert.ErrorIs(t, err, govshare.ErrTooLarge)
	assert.LessOrEqual(t, e.read, int64(classify.DefaultProfileBytes+64<<10))
}

func TestLoadPolicyOptions(t *testing.T) {
	for name, opt := range map[string]classify.Option{
		"zero limit":     classify.WithProfileLimit(0),
		"negative limit": classify.WithProfileLimit(-5),
		"a base":         classify.WithBase(classify.NationalDefault()),
		"rules":          classify.WithRules(classify.Rule{ID: classify.RuleCoreUnconditional}),
	} {
		_, err := classify.LoadPolicy(strings.NewReader(`{"rules":[]}`), opt)
		assert.ErrorIs(t, err, govshare.ErrInvalid, name)
		assert.Equal(t, "classify.invalid_option", govshare.MessageOf(err).Code, name)
	}
	_, err := classify.NewPolicy(classify.WithProfileLimit(10))
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	assert.Contains(t, govshare.MessageOf(err).Zh, "只适用于LoadPolicy")
	_, err = classify.LoadPolicy(strings.NewReader(`{"rules":[]}`), nil)
	assert.NoError(t, err)
	var r io.Reader = errReaderLimit{}
	_, err = classify.LoadPolicy(r)
	assert.False(t, errors.Is(err, govshare.ErrTooLarge))
}

type errReaderLimit struct{}

func (errReaderLimit) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
