package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
)

// CheckpointList is the audit log's signed checkpoints, oldest first.
type CheckpointList struct {
	// Checkpoints are the signed checkpoints.
	Checkpoints []audit.Checkpoint `json:"checkpoints"`
}

// maxProofRecords bounds the records of one proof bundle (policy default).
const maxProofRecords = 1000

// listed is implemented by logs that list their checkpoints
// (audit.Memory, audit.File).
type listed interface {
	Checkpoints() []audit.Checkpoint
}

// known returns the checkpoints of the log, or those taken through this
// handler for a log that does not list its own.
func (h *Handler) known() []audit.Checkpoint {
	if l, ok := h.log.(listed); ok {
		return l.Checkpoints()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]audit.Checkpoint(nil), h.cps...)
}

func (h *Handler) checkpoints(w http.ResponseWriter, _ *http.Request, a govshare.Actor) error {
	if !h.cfg.policy.Supervise(a) {
		return forbidden("无权查看审计日志检查点", "the actor may not read the audit log's checkpoints")
	}
	cps := h.known()
	if cps == nil {
		cps = []audit.Checkpoint{}
	}
	writeJSON(w, http.StatusOK, CheckpointList{Checkpoints: cps})
	return nil
}

// checkpoint signs the log's current state (Log.Checkpoint).
func (h *Handler) checkpoint(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	if !h.cfg.policy.Supervise(a) {
		return forbidden("无权生成审计日志检查点", "the actor may not take a checkpoint of the audit log")
	}
	cp, err := h.log.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	if _, ok := h.log.(listed); !ok {
		h.mu.Lock()
		h.cps = append(h.cps, cp)
		h.mu.Unlock()
	}
	writeJSON(w, http.StatusCreated, cp)
	return nil
}

// proof returns the bundle (audit.ExportBundle) that proves records
// seq ≤ Seq < to (?to, default seq+1) against the newest checkpoint that
// covers them: what `govshare audit check` verifies offline.
func (h *Handler) proof(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	if !h.cfg.policy.Supervise(a) {
		return forbidden("无权获取审计记录的证明", "the actor may not obtain proofs of audit records")
	}
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil {
		return malformed("invalid_seq", "记录序号应为非负整数", "the record's sequence number must be a non-negative integer", err)
	}
	to := seq + 1
	if s := r.URL.Query().Get("to"); s != "" {
		if to, err = strconv.ParseUint(s, 10, 64); err != nil || to <= seq || to-seq > maxProofRecords {
			return malformed("invalid_query", "查询参数 to 应大于记录序号，且一次最多证明"+itoa(maxProofRecords)+"条记录",
				"query parameter to must be above the sequence number and cover at most "+itoa(maxProofRecords)+" records", nil)
		}
	}
	n, err := h.log.Len(r.Context())
	if err != nil {
		return err
	}
	if to > n {
		return &govshare.CodedError{Kind: govshare.ErrNotFound, Code: "httpapi.no_record",
			Zh: "审计日志中没有该序号的记录", En: "httpapi: the audit log has no record with that sequence number"}
	}
	var cp *audit.Checkpoint
	for _, c := range h.known() {
		if c.Size >= to && (cp == nil || c.Size > cp.Size) {
			cp = &c
		}
	}
	if cp == nil {
		return &govshare.CodedError{Kind: govshare.ErrConflict, Code: "httpapi.no_checkpoint",
			Zh: "尚无覆盖这些记录的检查点，请先生成检查点（POST /v1/audit/checkpoints）",
			En: "httpapi: no checkpoint covers these records yet; take one first (POST /v1/audit/checkpoints)"}
	}
	b, err := audit.ExportBundle(r.Context(), h.log, *cp, seq, to)
	if err != nil {
		return err
	}
	// The bundle's own encoding, the exchange format ReadBundle reads.
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = b.WriteTo(w)
	return nil
}
