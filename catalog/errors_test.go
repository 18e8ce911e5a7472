package catalog

import (
	"context"
	"encoding/json"
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
// a Chinese and an English message. The errors are the ones the package
// returns, not values built by hand.
func TestErrorKinds(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	e := validEntry()
	v, err := s.Put(ctx, e, 0)
	require.NoError(t, err)

	_, notFound := s.Get(ctx, "101001/999999")
	_, noVersion := s.Version(ctx, e.ID, 7)
	_, conflict := s.Put(ctx, e, 0)
	_, stale := s.Put(ctx, e, v.Version+1)
	_, notInForce := s.Published(ctx, e.ID)
	_, withdraw := s.Withdraw(ctx, e.ID, v.Version)
	bad := e
	bad.ID = "GA-1"
	_, badID := s.Put(ctx, bad, 0)
	bad = e
	bad.ID = "101001/000002"
	bad.Methods = nil
	stored, err := s.Put(ctx, bad, 0)
	require.NoError(t, err)
	_, _, notPublishable := s.Publish(ctx, stored.ID, stored.Version)
	_, badQuery := s.Find(ctx, Query{Limit: -1})
	_, badRegion := s.Find(ctx, Query{Region: "990000"})
	_, _, unreadable := ImportJSON(ctx, strings.NewReader("{"))
	_, _, unreadableFile := ImportCSV(ctx, failingReader{})
	undefined := e
	undefined.Frequency = 77
	notExportable := ExportXLSX(&strings.Builder{}, []Entry{undefined})
	tooLong := e
	tooLong.Summary = strings.Repeat("长", maxCellChars+1)
	tooLongCell := ExportXLSX(&strings.Builder{}, []Entry{tooLong})
	_, findings, err := ImportCSV(ctx, strings.NewReader(csvText(csvHeader(), map[string]string{"数据目录名称": "无代码"})))
	require.NoError(t, err)
	require.Len(t, findings, 2) // no entries; A2 has no 目录代码
	rowErr, ok := RowErrorOf(findings[1])
	require.True(t, ok)
	require.Equal(t, "A2", rowErr.Ref())
	_, badOption := NewMemoryStore(WithAllowedCreditCodes("x"))

	cases := []struct {
		name   string
		err    error
		own    error // the package's sentinel, still matched
		kind   error
		status int
		code   string
	}{
		{"not found", notFound, nil, govshare.ErrNotFound, 404, "catalog.not_found"},
		{"no such version", noVersion, nil, govshare.ErrNotFound, 404, "catalog.not_found"},
		{"exists", conflict, nil, govshare.ErrConflict, 409, "catalog.conflict"},
		{"stale version", stale, nil, govshare.ErrConflict, 409, "catalog.conflict"},
		{"never published", notInForce, ErrStatus, govshare.ErrConflict, 409, "catalog.status"},
		{"withdraw a draft", withdraw, ErrStatus, govshare.ErrConflict, 409, "catalog.status"},
		{"catalog code", badID, ErrInvalidID, govshare.ErrInvalid, 422, CodeInvalidID},
		{"not publishable", notPublishable, ErrNotPublishable, govshare.ErrInvalid, 422, "catalog.not_publishable"},
		{"query", badQuery, ErrInvalidQuery, govshare.ErrInvalid, 422, "catalog.invalid_query"},
		{"query region", badRegion, ErrInvalidQuery, govshare.ErrInvalid, 422, "catalog.invalid_query"},
		{"row", rowErr, ErrInvalidContent, govshare.ErrInvalid, 422, CodeRequired},
		{"not JSON", unreadable, ErrUnreadable, govshare.ErrMalformed, 400, "catalog.unreadable"},
		{"reader fails", unreadableFile, ErrUnreadable, govshare.ErrMalformed, 400, "catalog.unreadable"},
		{"undefined value", notExportable, ErrNotExportable, govshare.ErrMalformed, 400, "catalog.not_exportable"},
		{"cell too long", tooLongCell, ErrNotExportable, govshare.ErrMalformed, 400, "catalog.not_exportable"},
		{"option", badOption, nil, govshare.ErrInvalid, 422, "catalog.invalid_option"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, c.err)
			err := fmt.Errorf("wrapped: %w", c.err)
			if c.own != nil {
				assert.ErrorIs(t, err, c.own)
			}
			var kinds []error
			for _, k := range govshare.Kinds() {
				if errors.Is(err, k) {
					kinds = append(kinds, k)
				}
			}
			assert.Equal(t, []error{c.kind}, kinds, "exactly one kind: %v", c.err)
			assert.Equal(t, c.status, govshare.HTTPStatus(err))
			var m govshare.Messenger
			require.True(t, errors.As(err, &m), "a typed error with its own message")
			msg := govshare.MessageOf(err)
			assert.Equal(t, c.code, msg.Code)
			assert.NotEmpty(t, msg.Zh)
			assert.NotEmpty(t, msg.En)
		})
	}
}

func TestErrorMessages(t *testing.T) {
	m := govshare.MessageOf(&ConflictError{ID: "101001/000001", Expected: 2, Actual: 3})
	assert.Equal(t, "目录“101001/000001”当前为第3版，不是第2版：已有他人修改，请重新读取后再提交", m.Zh)
	assert.Equal(t, `catalog: entry "101001/000001" is at version 3, not 2`, m.En)
	m = govshare.MessageOf(&StatusError{ID: "101001/000001", Status: Draft, Action: "withdraw"})
	assert.Equal(t, "目录“101001/000001”当前状态为草稿，不能撤销", m.Zh)
	assert.Equal(t, "R5", m.Citation.Rule)
	m = govshare.MessageOf(&QueryError{Field: "Limit", Problem: "negative", zh: "不能为负数"})
	assert.Equal(t, "查询条件“每页条数”有误：不能为负数", m.Zh)

	pe := &PublishError{ID: "101001/000001", Version: 2, Findings: []govshare.Finding{
		{Code: CodeConditionsUnexpected, Severity: govshare.Warning, Path: "conditions", Message: "警告"},
		{Code: CodeMethodMissing, Severity: govshare.Error, Path: "methods", Message: "共享的目录未填写共享方式", MessageEN: "no method", Citation: govshare.Rule("R13")},
	}}
	m = govshare.MessageOf(pe)
	assert.Equal(t, "目录“101001/000001”第2版有1个错误，未发布；第一个：methods 共享的目录未填写共享方式", m.Zh)
	assert.Equal(t, "R13", m.Citation.Rule, "the citation of the first error")

	re := &RowError{Sheet: "数据项", Row: 12, Column: "F", Finding: govshare.Finding{Code: CodeItemLooser, Message: "更宽", MessageEN: "looser", Citation: govshare.Rule("R7")}}
	m = govshare.MessageOf(re)
	assert.Equal(t, govshare.Message{Code: CodeItemLooser, Zh: "数据项!F12：更宽", En: "数据项!F12: looser", Citation: govshare.Rule("R7")}, m)
}

// Query and Result marshal to lowercase members, enumerations to codes.
func TestQueryResultJSON(t *testing.T) {
	b, err := json.Marshal(Query{Text: "户籍", Share: govshare.Conditional, Status: Published, Limit: 10})
	require.NoError(t, err)
	assert.JSONEq(t, `{"text":"户籍","share":"conditional","status":"published","limit":10}`, string(b))
	b, err = json.Marshal(Result{Total: 0})
	require.NoError(t, err)
	assert.JSONEq(t, `{"entries":null,"total":0}`, string(b))
}
