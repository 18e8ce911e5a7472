package httpapi

import (
	"net/http"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// AccessAsk is the body of a gateway question: which department reads which
// items of which entry, by which method, for which scenario. The instant is
// the handler's clock, never the client's, because the decision is
// recorded at it (R16).
type AccessAsk struct {
	// Department is the department reading the data (the requester).
	Department govshare.Department `json:"department"`
	// EntryID is the catalog entry, Items the data items read.
	EntryID string   `json:"entry_id"`
	Items   []string `json:"items"`
	// Method is the share method, Scenario the purpose of the use.
	Method   govshare.ShareMethod `json:"method"`
	Scenario string               `json:"scenario"`
}

// GatewayDecision is the gateway's answer, recorded in the audit log as
// grant.access with the asking actor as the reader.
type GatewayDecision struct {
	// Allowed says whether the access is allowed; Reason is allowed or why
	// not (a stable code, e.g. item_not_granted).
	Allowed bool               `json:"allowed"`
	Reason  request.DenyReason `json:"reason"`
	// ReasonZh and ReasonEN explain the reason.
	ReasonZh string `json:"reason_zh"`
	ReasonEN string `json:"reason_en"`
	// AppID is the application whose grant decided, if any.
	AppID string `json:"app_id,omitempty"`
	// At is the instant decided and recorded (China Standard Time).
	At time.Time `json:"at"`
}

// authorize decides an access from the Service's grant index and records
// the decision (AuthorizeRecorded).
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	data, err := readBody(w, r, h.cfg.limits.CommandBytes)
	if err != nil {
		return err
	}
	var ask AccessAsk
	if err := decodeStrict(data, &ask); err != nil {
		return err
	}
	acc := request.Access{Department: ask.Department, EntryID: ask.EntryID, Items: ask.Items,
		Method: ask.Method, Scenario: ask.Scenario, At: h.cfg.now().In(deadline.CST)}
	if !h.cfg.policy.AskGateway(a, acc) {
		return forbidden("只能为本部门的数据使用询问网关（记录以询问者为使用者）",
			"the actor may ask the gateway only about its own department's access (the record names it as the reader)")
	}
	d, err := h.svc.AuthorizeRecorded(r.Context(), acc, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, GatewayDecision{Allowed: d.Allowed, Reason: d.Reason, ReasonZh: d.Reason.String(),
		ReasonEN: d.Reason.English(), AppID: d.AppID, At: acc.At})
	return nil
}

// AccessRecordList is a department's recorded gateway decisions (R24).
type AccessRecordList struct {
	// Records are the decisions, in log order.
	Records []request.AccessRecord `json:"records"`
}

// accessRecords lists a requesting department's recorded gateway
// decisions: ?requester=ID[&app_id=…][&from=…][&to=…].
func (h *Handler) accessRecords(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	v := r.URL.Query()
	q := request.AccessQuery{Requester: departmentOf(v.Get("requester")), AppID: v.Get("app_id")}
	var err error
	if s := v.Get("from"); s != "" {
		if q.From, err = ParseInstant(s); err != nil {
			return err
		}
	}
	if s := v.Get("to"); s != "" {
		if q.To, err = ParseInstant(s); err != nil {
			return err
		}
	}
	if !h.cfg.policy.Supervise(a) && !h.cfg.policy.AskGateway(a, request.Access{Department: q.Requester}) {
		return forbidden("无权查看该部门的数据使用记录", "the actor may not read this department's access records")
	}
	recs, err := request.AccessRecords(r.Context(), h.log, q)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []request.AccessRecord{}
	}
	writeJSON(w, http.StatusOK, AccessRecordList{Records: recs})
	return nil
}

// departmentOf is the department a department id names (govshare.Department.ID).
func departmentOf(id string) govshare.Department {
	var d govshare.Department
	d.SetID(id)
	return d
}

// report is the supervision report over [from, to).
func (h *Handler) report(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	if !h.cfg.policy.Supervise(a) {
		return forbidden("无权查看监督报告", "the actor may not read the supervision report")
	}
	v := r.URL.Query()
	from, err := ParseInstant(v.Get("from"))
	if err != nil {
		return err
	}
	to, err := ParseInstant(v.Get("to"))
	if err != nil {
		return err
	}
	if !from.Before(to) {
		return &govshare.CodedError{Kind: govshare.ErrInvalid, Code: "httpapi.period",
			Zh: "报告期间的起始须早于结束", En: "httpapi: the report's from must be before its to"}
	}
	rep, err := h.svc.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
