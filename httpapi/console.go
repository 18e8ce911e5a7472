package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
)

// The routes the web console reads beyond the rest of the API: the state
// machine, a month of the calendar and the verification of an
// application's audit records. A host may use them as well.

// StateMachine is the transition table as the API sends it: every state
// with its names, and every row of request.Table.
type StateMachine struct {
	// States are the states in declaration order, the initial one first.
	States []StateInfo `json:"states"`
	// Commands are the commands in declaration order, with their names.
	Commands []StateInfo `json:"commands"`
	// Transitions are request.Table's rows.
	Transitions []request.Transition `json:"transitions"`
}

// StateInfo names one state or command.
type StateInfo struct {
	// Code is the stable code (under_review, agree); Zh and En its names.
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
	// Final is set for a state no row but records and objections leaves.
	Final bool `json:"final,omitempty"`
}

// StateMachineOf returns the request package's transition table.
func StateMachineOf() StateMachine {
	m := StateMachine{Transitions: request.Table()}
	for _, s := range request.States() {
		m.States = append(m.States, StateInfo{Code: s.Code(), Zh: s.String(), En: s.English(), Final: s.Final()})
	}
	for _, c := range request.CommandNames() {
		m.Commands = append(m.Commands, StateInfo{Code: c.Code(), Zh: c.String(), En: c.English()})
	}
	return m
}

func (h *Handler) states(w http.ResponseWriter, _ *http.Request, _ govshare.Actor) error {
	writeJSON(w, http.StatusOK, StateMachineOf())
	return nil
}

// Clock is the handler's clock (WithClock), the Service's: the console
// flags overdue applications by it, so that its flags agree with the
// Service's deadlines whatever the browser's clock says.
type Clock struct {
	// Now is the instant, RFC 3339 in China Standard Time; Today its
	// China civil date, YYYY-MM-DD.
	Now   time.Time `json:"now"`
	Today string    `json:"today"`
}

func (h *Handler) clock(w http.ResponseWriter, _ *http.Request, _ govshare.Actor) error {
	now := h.cfg.now().In(deadline.CST)
	writeJSON(w, http.StatusOK, Clock{Now: now, Today: now.Format(time.DateOnly)})
	return nil
}

// Month is one month of the Service's calendar, day by day.
type Month struct {
	// Year and Month name it.
	Year  int `json:"year"`
	Month int `json:"month"`
	// Days are its days, the 1st first, as deadline.Calendar.Describe
	// tells them, each with its weekday (0 Sunday … 6 Saturday).
	Days []MonthDay `json:"days"`
}

// MonthDay is one day of a Month.
type MonthDay struct {
	// Date is the civil day, YYYY-MM-DD, Weekday 0 (Sunday) to 6.
	Date    string `json:"date"`
	Weekday int    `json:"weekday"`
	deadline.DayInfo
}

// describer is a calendar that describes its days, as *deadline.Calendar
// does.
type describer interface {
	Describe(day time.Time) (deadline.DayInfo, error)
}

// calendarMonth sends a month of the Service's calendar:
// /v1/calendar/{year}/{month}. A year without an official schedule is the
// calendar's error (503, deadline.ErrUnknownYear).
func (h *Handler) calendarMonth(w http.ResponseWriter, r *http.Request, _ govshare.Actor) error {
	year, err1 := strconv.Atoi(r.PathValue("year"))
	month, err2 := strconv.Atoi(r.PathValue("month"))
	if err1 != nil || err2 != nil || year < 2000 || year > 2199 || month < 1 || month > 12 {
		return malformed("invalid_month", "年份应为 2000 到 2199 之间的整数，月份应为 1 到 12",
			"the year must be an integer from 2000 to 2199 and the month from 1 to 12", nil)
	}
	cal, ok := h.svc.Calendar().(describer)
	if !ok {
		cal = deadline.China()
	}
	out := Month{Year: year, Month: month, Days: []MonthDay{}}
	for d := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, deadline.CST); d.Month() == time.Month(month); d = d.AddDate(0, 0, 1) {
		info, err := cal.Describe(d)
		if err != nil && !errors.Is(err, deadline.ErrProvisional) {
			return err
		}
		out.Days = append(out.Days, MonthDay{Date: d.Format(time.DateOnly), Weekday: int(d.Weekday()), DayInfo: info})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Verification says whether an application's audit records are proved by
// the newest signed checkpoint of the audit log (of those the checkpoints
// route lists: the log's own, or those taken through the handler for a
// log that lists none): for each record, an
// inclusion proof from the log checked against the checkpoint's root and
// signature (audit.VerifyInclusion), as a supervisor would check the
// bundle offline.
type Verification struct {
	// ApplicationID is the application's id.
	ApplicationID string `json:"application_id"`
	// Status sums the records up: verified when every record is proved;
	// partial when the proved ones hold but some are newer than the
	// checkpoint; unverified when no checkpoint covers any or the log
	// exposes no public key to check one with; failed when
	// a record does not lead to the signed root or the signature fails.
	Status string `json:"status"`
	// Signed is set when the checkpoint's signature was checked against
	// the log's public key (a log that exposes none cannot be checked).
	Signed bool `json:"signed"`
	// Checkpoint is the newest checkpoint, if any.
	Checkpoint *audit.Checkpoint `json:"checkpoint,omitempty"`
	// Records are the application's records with each one's status.
	Records []RecordVerification `json:"records"`
}

// RecordVerification is the verification of one audit record.
type RecordVerification struct {
	// Seq and Hash identify the record.
	Seq  uint64       `json:"seq"`
	Hash audit.Digest `json:"hash"`
	// Status is proved, uncovered (newer than the checkpoint), unchecked
	// (the log exposes no public key) or failed.
	Status string `json:"status"`
	// Error is why it failed, with its code.
	Error *ErrorBody `json:"error,omitempty"`
}

// publicKeyer is a log that tells its checkpoints' public key, the zero
// key when it has none (audit.Memory, audit.File, the SQL stores' logs).
type publicKeyer interface{ PublicKey() audit.PublicKey }

// maxVerifyRecords bounds the records one verification proves (policy
// default).
const maxVerifyRecords = 1000

func (h *Handler) verification(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	app, err := h.readable(r, a)
	if err != nil {
		return err
	}
	var pub audit.PublicKey
	if l, ok := h.log.(publicKeyer); ok {
		pub = l.PublicKey()
	}
	signed := !pub.IsZero()
	var cp *audit.Checkpoint
	for _, c := range h.known() {
		if cp == nil || c.Size > cp.Size {
			cp = &c
		}
	}
	out := Verification{ApplicationID: app.ID, Signed: signed, Checkpoint: cp, Records: []RecordVerification{}}
	proved, uncovered, failed := 0, 0, 0
	for rec, err := range h.log.Query(r.Context(), audit.Filter{TargetKind: "application", TargetID: app.ID}) {
		if err != nil {
			return err
		}
		if len(out.Records) == maxVerifyRecords {
			return &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "httpapi.too_many_records",
				Zh:       "该申请的审计记录超过" + itoa(maxVerifyRecords) + "条，请用 govshare audit prove 分段核验",
				En:       "httpapi: the application has more than " + itoa(maxVerifyRecords) + " audit records; verify them in parts with govshare audit prove",
				Citation: govshare.PolicyDefault("httpapi.Limits")}
		}
		rv := RecordVerification{Seq: rec.Seq, Hash: rec.Hash}
		switch {
		case cp == nil || rec.Seq >= cp.Size:
			rv.Status = "uncovered"
			uncovered++
		case !signed:
			rv.Status = "unchecked"
		default:
			err := h.proveRecord(r, pub, *cp, rec)
			if err == nil {
				rv.Status = "proved"
				proved++
				break
			}
			var ve *audit.VerifyError
			if !errors.As(err, &ve) {
				return err
			}
			b := bodyOf(err)
			rv.Status, rv.Error = "failed", &b
			failed++
		}
		out.Records = append(out.Records, rv)
	}
	switch {
	case failed > 0:
		out.Status = "failed"
	case proved == 0 || !signed:
		out.Status = "unverified"
	case uncovered > 0:
		out.Status = "partial"
	default:
		out.Status = "verified"
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// proveRecord checks rec's inclusion proof from the log against cp's root
// and signature.
func (h *Handler) proveRecord(r *http.Request, pub audit.PublicKey, cp audit.Checkpoint, rec audit.Record) error {
	proof, err := h.log.ProveInclusion(r.Context(), rec.Seq, cp.Size)
	if err != nil {
		return err
	}
	return audit.VerifyInclusion(pub, cp, rec, proof)
}
