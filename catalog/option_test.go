package catalog

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// optionCases are options Validate cannot use: each gives the single
// finding CodeInvalidOption, and its near miss is a usable option.
var optionCases = []struct {
	name     string
	code     string
	bad      []Option
	nearMiss []Option
}{
	{"a store's clock given to Validate", CodeInvalidOption, []Option{WithClock(time.Now)}, []Option{WithPolicy(classify.NationalDefault())}},
	{"an allowed credit code of 5 characters", CodeInvalidOption, []Option{WithAllowedCreditCodes("12345")}, []Option{WithAllowedCreditCodes(policeCode[:17] + "E")}},
	{"an allowed credit code with a letter among 3–8", CodeInvalidOption, []Option{WithAllowedCreditCodes("1133010A002482101D")}, []Option{WithAllowedCreditCodes(policeCode)}},
	{"an allowed credit code with an I", CodeInvalidOption, []Option{WithAllowedCreditCodes(policeCode[:17] + "I")}, []Option{WithAllowedCreditCodes(policeCode[:17] + "Y")}},
}

func TestValidateRefusesOptions(t *testing.T) {
	for _, c := range optionCases {
		t.Run(c.name, func(t *testing.T) {
			bad := validEntry()
			bad.Name = "" // would be a finding, but nothing is checked
			fs := Validate(bad, c.bad...)
			require.Len(t, fs, 1)
			assert.Equal(t, c.code, fs[0].Code)
			assert.Equal(t, govshare.Error, fs[0].Severity)
			assert.NotEmpty(t, fs[0].Message)
			assert.NotEmpty(t, fs[0].MessageEN)
			assert.NotEqual(t, govshare.Citation{}, fs[0].Citation)
			for _, f := range Validate(validEntry(), c.nearMiss...) {
				assert.NotEqual(t, c.code, f.Code, "near miss triggered %v", f)
			}
		})
	}
}

// Constructors, importers and exporters fail on an option they cannot
// use, with an error of kind ErrInvalid, and build nothing.
func TestOptionErrors(t *testing.T) {
	ctx := context.Background()
	csv := csvText(nil)
	s, err := NewMemoryStore(WithAllowedCreditCodes("x"))
	assert.Nil(t, s)
	assert.ErrorIs(t, err, govshare.ErrInvalid)
	assert.Equal(t, "catalog.invalid_option", govshare.MessageOf(err).Code)
	assert.Contains(t, govshare.MessageOf(err).Zh, "WithAllowedCreditCodes")

	for name, call := range map[string]func() error{
		"ImportCSV with a clock":   func() error { _, _, err := ImportCSV(ctx, strings.NewReader(csv), WithClock(time.Now)); return err },
		"ImportJSON with a clock":  func() error { _, _, err := ImportJSON(ctx, strings.NewReader(`{}`), WithClock(time.Now)); return err },
		"ImportXLSX with a clock":  func() error { _, _, err := ImportXLSX(ctx, strings.NewReader(""), WithClock(time.Now)); return err },
		"ExportXLSX with a policy": func() error { return ExportXLSX(&bytes.Buffer{}, nil, WithPolicy(classify.NationalDefault())) },
		"ExportCSV with a pattern": func() error { return ExportCSV(&bytes.Buffer{}, nil, WithIDPattern(regexp.MustCompile(`.`))) },
		"Template with a clock":    func() error { return Template(&bytes.Buffer{}, WithClock(time.Now)) },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, govshare.ErrInvalid)
			assert.Equal(t, 422, govshare.HTTPStatus(err))
		})
	}

	// Where they apply, the same options are accepted; nil options are
	// ignored and nil values leave the defaults.
	s, err = NewMemoryStore(nil, WithClock(nil), WithIDPattern(nil), WithRegistry(nil), WithMethods(nil),
		WithPolicy(classify.NationalDefault()), WithAllowedCreditCodes(policeCode[:17]+"E"))
	require.NoError(t, err)
	_, err = s.Put(ctx, validEntry(), 0)
	require.NoError(t, err)
	require.NoError(t, ExportCSV(&bytes.Buffer{}, nil, WithMethods(govshare.NewMethods()), WithRegistry(classify.NewRegistry())))
}

// The store's clock is the option's.
func TestWithClock(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s, err := NewMemoryStore(WithClock(func() time.Time { return at }))
	require.NoError(t, err)
	v, err := s.Put(context.Background(), validEntry(), 0)
	require.NoError(t, err)
	assert.True(t, v.UpdatedAt.Equal(at))
	assert.Equal(t, "CST", v.UpdatedAt.Location().String())
}

// countdown is a context that is done after its Err has been asked n
// times: it shows that an importer asks between rows, not only at the
// start.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

func TestImportersStopWhenCancelled(t *testing.T) {
	entries := corpus(50, 3)
	var xlsx, csvBuf, jsonBuf bytes.Buffer
	require.NoError(t, ExportXLSX(&xlsx, entries))
	require.NoError(t, ExportCSV(&csvBuf, entries))
	require.NoError(t, ExportJSON(&jsonBuf, entries))
	importers := map[string]struct {
		data []byte
		read func(context.Context, []byte) ([]Entry, []govshare.Finding, error)
	}{
		"xlsx": {xlsx.Bytes(), func(ctx context.Context, b []byte) ([]Entry, []govshare.Finding, error) {
			return ImportXLSX(ctx, bytes.NewReader(b))
		}},
		"csv": {csvBuf.Bytes(), func(ctx context.Context, b []byte) ([]Entry, []govshare.Finding, error) {
			return ImportCSV(ctx, bytes.NewReader(b))
		}},
		"json": {jsonBuf.Bytes(), func(ctx context.Context, b []byte) ([]Entry, []govshare.Finding, error) {
			return ImportJSON(ctx, bytes.NewReader(b))
		}},
	}
	for name, imp := range importers {
		t.Run(name, func(t *testing.T) {
			got, findings, err := imp.read(context.Background(), imp.data)
			require.NoError(t, err)
			require.Len(t, got, 50)
			require.Empty(t, findings)

			cancelled, cancel := context.WithCancel(context.Background())
			cancel()
			got, findings, err = imp.read(cancelled, imp.data)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, 503, govshare.HTTPStatus(err))
			assert.Nil(t, got)
			assert.Nil(t, findings)

			// The importer asks its context between rows and entries, not
			// only while reading: a run asks it more than once per entry,
			// and a context done at its very last question still stops it.
			counting := &countdown{Context: context.Background(), n: 1 << 30}
			_, _, err = imp.read(counting, imp.data)
			require.NoError(t, err)
			asked := 1<<30 - counting.n
			assert.Greater(t, asked, len(entries), "asked %d times", asked)
			got, _, err = imp.read(&countdown{Context: context.Background(), n: asked - 1}, imp.data)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Nil(t, got)
			got, _, err = imp.read(&countdown{Context: context.Background(), n: asked / 2}, imp.data)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Nil(t, got)
		})
	}

	// A deadline is a deadline, 504.
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, _, err := ImportCSV(expired, bytes.NewReader(csvBuf.Bytes()))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 504, govshare.HTTPStatus(err))
}

// tooLarge is a host's upload reader that stops at its size limit.
type tooLarge struct{}

func (tooLarge) Read([]byte) (int, error) {
	return 0, fmt.Errorf("upload beyond 10 MB: %w", govshare.ErrTooLarge)
}

// A reader's own kind of error is kept: a size limit stays 413 and is not
// reported as an unreadable file as well.
func TestImportersKeepTheReadersKind(t *testing.T) {
	ctx := context.Background()
	for name, err := range map[string]error{
		"xlsx": func() error { _, _, err := ImportXLSX(ctx, tooLarge{}); return err }(),
		"csv":  func() error { _, _, err := ImportCSV(ctx, tooLarge{}); return err }(),
		"json": func() error { _, _, err := ImportJSON(ctx, tooLarge{}); return err }(),
	} {
		assert.ErrorIs(t, err, govshare.ErrTooLarge, name)
		assert.NotErrorIs(t, err, ErrUnreadable, name)
		assert.Equal(t, 413, govshare.HTTPStatus(err), name)
	}
}
