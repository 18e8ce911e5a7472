package request

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
)

// Announce issues a provider's announced end or change of service (R23)
// to every application whose grant on the entry is live or approved, and
// returns the applications notified. An application that refuses it (the
// wrong actor, a notice period too short) stops nothing: its error is in
// the returned list, and the others are notified.
func (s *Service) Announce(ctx context.Context, entryID string, cmd AnnounceChange) (notified []string, failed []error, err error) {
	var ids []string
	err = s.store.All(ctx, func(a Application) bool {
		if a.EntryID == entryID && a.runs(GrantWatch) || a.EntryID == entryID && a.State == Approved {
			ids = append(ids, a.ID)
		}
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, _, err := s.Do(ctx, id, cmd); err != nil {
			failed = append(failed, fmt.Errorf("request: announcing to %s: %w", id, err))
			continue
		}
		notified = append(notified, id)
	}
	return notified, failed, nil
}

// AccessRecord is one recorded gateway decision (AuthorizeRecorded): a
// record of data obtained by sharing, or refused (保存通过共享获取的政务数据
// 有关记录, R24).
type AccessRecord struct {
	// Seq is the audit record's sequence number, for inclusion proofs.
	Seq      uint64               `json:"seq"`
	At       time.Time            `json:"at"`
	Reader   govshare.Actor       `json:"reader"`
	EntryID  string               `json:"entry_id"`
	AppID    string               `json:"app_id,omitempty"`
	Items    []string             `json:"items,omitempty"`
	Method   govshare.ShareMethod `json:"method,omitempty"`
	Scenario string               `json:"scenario,omitempty"`
	Allowed  bool                 `json:"allowed"`
	Reason   DenyReason           `json:"reason"`
}

// AccessQuery selects access records: those of one requesting department,
// optionally of one grant (application) and within [From, To) (zero
// bounds are open).
type AccessQuery struct {
	Requester govshare.Department
	AppID     string
	From, To  time.Time
}

// AccessRecords lists, in log order, the recorded gateway decisions of a
// requesting department (and of one grant), for supervision (R24). It
// reads the audit log the Service records to.
func AccessRecords(ctx context.Context, log audit.Log, q AccessQuery) ([]AccessRecord, error) {
	dept := q.Requester.ID()
	if dept == "" {
		return nil, &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "request.access_query",
			Zh: "须指明需求部门（统一社会信用代码）", En: "request: the query names no requester department (credit code or directory id)"}
	}
	var out []AccessRecord
	// The department in the filter, so that a store with an index on it
	// (the SQL stores) reads that department's records, not the log.
	for rec, err := range log.Query(ctx, audit.Filter{Action: "grant.access", Department: dept, From: q.From, To: q.To}) {
		if err != nil {
			return out, err
		}
		ev := rec.Event
		if ev.Actor.Department.ID() != dept || q.AppID != "" && ev.CorrelationID != q.AppID {
			continue
		}
		var d struct {
			EntryID  string               `json:"entry_id"`
			Items    []string             `json:"items"`
			Method   govshare.ShareMethod `json:"method"`
			Scenario string               `json:"scenario"`
			App      string               `json:"application"`
			Decision DenyReason           `json:"decision"`
		}
		if err := json.Unmarshal(ev.Details, &d); err != nil {
			return out, fmt.Errorf("request: access record %d: %w", rec.Seq, err)
		}
		out = append(out, AccessRecord{Seq: rec.Seq, At: ev.Time, Reader: ev.Actor, EntryID: d.EntryID, AppID: ev.CorrelationID,
			Items: d.Items, Method: d.Method, Scenario: d.Scenario, Allowed: ev.Outcome == audit.Success, Reason: d.Decision})
	}
	return out, nil
}
