package httpapi

import (
	"container/heap"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/request"
)

// CommandResult is the response to a command: the application as stored
// and the event of the transition. When the command was stored but the
// automatic transition after it failed (a *request.AutoError), the status
// is still 200 and AutoError says what failed: the command must not be
// sent again.
type CommandResult struct {
	// Application is the application as stored after the command.
	Application request.Application `json:"application"`
	// Event is the command's transition, as the audit log records it.
	Event request.Event `json:"event"`
	// AutoError is the failed automatic transition, if any.
	AutoError *ErrorBody `json:"auto_error,omitempty"`
}

// ApplicationList is one page of applications, newest first.
type ApplicationList struct {
	// Applications are the page.
	Applications []request.Application `json:"applications"`
	// Total counts every application that matches and the actor may read.
	Total int `json:"total"`
	// Offset and Limit are the page's place and size.
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Timeline is what the audit log holds about one application, in log
// order: every transition and every refused command recorded (R16).
type Timeline struct {
	// ApplicationID is the application's id.
	ApplicationID string `json:"application_id"`
	// Records are its audit records, in log order.
	Records []audit.Record `json:"records"`
}

// createApplication starts an application with a create or renew command,
// under an id the host's numbering chooses.
func (h *Handler) createApplication(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	cmd, err := h.readCommand(w, r, a)
	if err != nil {
		return err
	}
	if n := cmd.Name(); n != request.CmdCreate && n != request.CmdRenew {
		return malformed("not_a_start", "此接口只接受 create（新建）或 renew（续期）指令；其他指令请发往 /v1/applications/{id}/commands",
			"this route takes a create or renew command; send other commands to /v1/applications/{id}/commands", nil)
	}
	id, err := h.newID(r.Context(), cmd)
	if err != nil {
		return err
	}
	app, ev, err := h.svc.Do(r.Context(), id, cmd)
	return h.sendResult(w, http.StatusCreated, app, ev, err)
}

// command issues a command to an application.
func (h *Handler) command(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	cmd, err := h.readCommand(w, r, a)
	if err != nil {
		return err
	}
	if n := cmd.Name(); n == request.CmdCreate || n == request.CmdRenew {
		return malformed("start_command", "create 和 renew 指令请发往 POST /v1/applications",
			"send create and renew commands to POST /v1/applications", nil)
	}
	app, ev, err := h.svc.Do(r.Context(), r.PathValue("id"), cmd)
	return h.sendResult(w, http.StatusOK, app, ev, err)
}

// readCommand reads a command by name, with the authenticated actor as
// its actor (never one from the body).
func (h *Handler) readCommand(w http.ResponseWriter, r *http.Request, a govshare.Actor) (request.Command, error) {
	data, err := readBody(w, r, h.cfg.limits.CommandBytes)
	if err != nil {
		return nil, err
	}
	return request.DecodeCommand(data, a)
}

func (h *Handler) sendResult(w http.ResponseWriter, status int, app request.Application, ev request.Event, err error) error {
	var auto *request.AutoError
	switch {
	case errors.As(err, &auto):
		b := bodyOf(auto)
		writeJSON(w, http.StatusOK, CommandResult{Application: app, Event: ev, AutoError: &b})
		return nil
	case err != nil:
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/v1/applications/"+url.PathEscape(app.ID))
	}
	writeJSON(w, status, CommandResult{Application: app, Event: ev})
	return nil
}

// readable returns the application if the actor may read it.
func (h *Handler) readable(r *http.Request, a govshare.Actor) (request.Application, error) {
	app, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return app, err
	}
	if !h.cfg.policy.ReadApplication(a, app) {
		return request.Application{}, forbidden("无权查看该共享申请", "the actor may not read this application")
	}
	return app, nil
}

func (h *Handler) getApplication(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	app, err := h.readable(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, app)
	return nil
}

func (h *Handler) timeline(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	app, err := h.readable(r, a)
	if err != nil {
		return err
	}
	t := Timeline{ApplicationID: app.ID, Records: []audit.Record{}}
	for rec, err := range h.log.Query(r.Context(), audit.Filter{TargetKind: "application", TargetID: app.ID}) {
		if err != nil {
			return err
		}
		t.Records = append(t.Records, rec)
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// listApplications pages through the applications the actor may read,
// newest first, filtered by state, requester, provider (department ids:
// credit code, or dir: and the directory id) and catalog entry. It keeps
// only the page's window in memory, whatever the store holds.
func (h *Handler) listApplications(w http.ResponseWriter, r *http.Request, a govshare.Actor) error {
	q := r.URL.Query()
	lim := h.cfg.limits
	offset, err := queryInt(r, "offset", 0, lim.Window)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 20, lim.ListLimit)
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = 20
	}
	if offset+limit > lim.Window {
		return &govshare.CodedError{Kind: govshare.ErrTooLarge, Code: "httpapi.window",
			Zh: "分页超出范围：offset 与 limit 之和不得超过 " + itoa(lim.Window) + "，请加筛选条件",
			En: "httpapi: offset + limit may not exceed " + itoa(lim.Window) + "; narrow the query", Citation: govshare.PolicyDefault("httpapi.Limits")}
	}
	var state request.State
	stateSet := q.Has("state")
	if stateSet {
		if err := state.UnmarshalText([]byte(q.Get("state"))); err != nil {
			return err
		}
	}
	requester, provider, entry := q.Get("requester"), q.Get("provider"), q.Get("entry_id")
	window := &keyHeap{}
	total := 0
	err = h.apps.All(r.Context(), func(app request.Application) bool {
		if stateSet && app.State != state || requester != "" && app.Requester.ID() != requester ||
			provider != "" && app.Provider.ID() != provider || entry != "" && app.EntryID != entry ||
			!h.cfg.policy.ReadApplication(a, app) {
			return true
		}
		total++
		heap.Push(window, listKey{app.CreatedAt, app.ID})
		if window.Len() > offset+limit {
			heap.Pop(window)
		}
		return true
	})
	if err != nil {
		return err
	}
	keys := slices.Clone(*window)
	slices.SortFunc(keys, func(x, y listKey) int { return x.compare(y) })
	out := ApplicationList{Applications: []request.Application{}, Total: total, Offset: offset, Limit: limit}
	if offset < len(keys) {
		for _, k := range keys[offset:] {
			app, err := h.svc.Get(r.Context(), k.id)
			if errors.Is(err, govshare.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out.Applications = append(out.Applications, app)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// listKey orders applications newest first, then by id.
type listKey struct {
	created time.Time
	id      string
}

func (k listKey) compare(o listKey) int {
	if c := o.created.Compare(k.created); c != 0 {
		return c
	}
	switch {
	case k.id < o.id:
		return -1
	case k.id > o.id:
		return 1
	}
	return 0
}

// keyHeap holds the first keys of the order with the last of them on top,
// so that popping drops the one that falls out of the window.
type keyHeap []listKey

func (k keyHeap) Len() int           { return len(k) }
func (k keyHeap) Less(i, j int) bool { return k[i].compare(k[j]) > 0 }
func (k keyHeap) Swap(i, j int)      { k[i], k[j] = k[j], k[i] }
func (k *keyHeap) Push(x any)        { *k = append(*k, x.(listKey)) }
func (k *keyHeap) Pop() any {
	old := *k
	x := old[len(old)-1]
	*k = old[:len(old)-1]
	return x
}
