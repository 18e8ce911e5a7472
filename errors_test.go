package govshare_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/govshare/govshare"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorKindsAndStatuses(t *testing.T) {
	want := map[error]int{
		govshare.ErrMalformed:   400,
		govshare.ErrForbidden:   403,
		govshare.ErrNotFound:    404,
		govshare.ErrConflict:    409,
		govshare.ErrTooLarge:    413,
		govshare.ErrInvalid:     422,
		govshare.ErrUnavailable: 503,
		govshare.ErrCorrupt:     500,
		govshare.ErrInternal:    500,
	}
	require.Len(t, govshare.Kinds(), len(want))
	for _, k := range govshare.Kinds() {
		status, ok := want[k]
		require.True(t, ok, "kind %v has no documented status", k)
		wrapped := fmt.Errorf("while doing something: %w", k)
		assert.Equal(t, status, govshare.HTTPStatus(wrapped), k.Error())
		assert.Equal(t, k, govshare.Kind(wrapped))
	}
	assert.Equal(t, 200, govshare.HTTPStatus(nil))
	assert.Nil(t, govshare.Kind(nil))
	plain := errors.New("disk on fire")
	assert.Equal(t, 500, govshare.HTTPStatus(plain))
	assert.Equal(t, govshare.ErrInternal, govshare.Kind(plain))
	assert.Equal(t, 504, govshare.HTTPStatus(fmt.Errorf("x: %w", context.DeadlineExceeded)))
	assert.Equal(t, 503, govshare.HTTPStatus(context.Canceled))
}

func TestCodedError(t *testing.T) {
	cause := errors.New("no such file")
	err := error(&govshare.CodedError{Kind: govshare.ErrUnavailable, Code: "deadline.unknown_year",
		Zh: "2027年放假安排尚未载入", En: "no official schedule for 2027", Citation: govshare.Rule("R14"), Err: cause})
	assert.ErrorIs(t, err, govshare.ErrUnavailable)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, err, govshare.ErrInvalid)
	assert.Equal(t, 503, govshare.HTTPStatus(fmt.Errorf("wrapped: %w", err)))
	m := govshare.MessageOf(fmt.Errorf("wrapped: %w", err))
	assert.Equal(t, "deadline.unknown_year", m.Code)
	assert.Equal(t, "2027年放假安排尚未载入", m.Zh)
	assert.Equal(t, "no official schedule for 2027", m.En)
	assert.Equal(t, "R14", m.Citation.Rule)
	assert.Equal(t, "no official schedule for 2027（2027年放假安排尚未载入）: no such file", err.Error())

	b, err2 := json.Marshal(m)
	require.NoError(t, err2)
	assert.JSONEq(t, `{"code":"deadline.unknown_year","message_zh":"2027年放假安排尚未载入","message_en":"no official schedule for 2027","citation":{"rule":"R14","source":"民法典 第二百零一条、第二百零三条"}}`, string(b))
}

func TestMessageOfPlainAndEnumErrors(t *testing.T) {
	m := govshare.MessageOf(fmt.Errorf("lookup: %w", govshare.ErrNotFound))
	assert.Equal(t, "not_found", m.Code)
	assert.Contains(t, m.Zh, "未找到")
	assert.Contains(t, m.En, "not found")

	_, err := govshare.ParseShareAttribute("maybe")
	assert.ErrorIs(t, err, govshare.ErrMalformed)
	assert.Equal(t, 400, govshare.HTTPStatus(err))
	m = govshare.MessageOf(err)
	assert.Equal(t, "govshare.unknown_value", m.Code)
	assert.Contains(t, m.Zh, "“maybe”")
	assert.Contains(t, m.En, `"maybe"`)
	assert.Equal(t, govshare.Message{}, govshare.MessageOf(nil))
}
