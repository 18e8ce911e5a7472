package httpapi

import (
	"fmt"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/request"
)

// Policy decides what an authenticated actor may read or ask through the
// API. Commands need no policy here: the transition table checks who may
// issue each one (request.Apply), whatever the transport. Reads are the
// host's to decide, and the default keeps applications among their parties
// (policy default, not law).
type Policy interface {
	// ReadApplication reports whether a may read the application, its
	// timeline and see it in lists.
	ReadApplication(a govshare.Actor, app request.Application) bool
	// Supervise reports whether a may read the supervision report, any
	// department's access records, and the audit log's checkpoints and
	// proofs, and take a checkpoint.
	Supervise(a govshare.Actor) bool
	// AskGateway reports whether a may ask the gateway about the access
	// (the decision is recorded with a as the reader, R16), and read the
	// access records of the access's department.
	AskGateway(a govshare.Actor, acc request.Access) bool
}

// DefaultPolicy is the policy a Handler has unless WithPolicy says
// otherwise (a policy default):
//
//   - an application is read by the people of its requesting and providing
//     departments, and by every actor in the role Authority (政务数据共享主管部门,
//     who coordinates and supervises, R2, R21) or System;
//   - Authority and System actors supervise: the report, every access record,
//     the audit log's checkpoints and proofs;
//   - the gateway is asked by the people and systems of the department that
//     reads the data (the access's Department), because the decision is
//     recorded with them as the reader and request.AccessRecords finds a
//     department's records by its readers (谁使用谁负责, R16, R24).
//
// Any authenticated actor may compute a deadline, lint a catalog file and
// read the catalog (R5: the catalog is what departments apply from).
type DefaultPolicy struct{}

// ReadApplication implements Policy.
func (DefaultPolicy) ReadApplication(a govshare.Actor, app request.Application) bool {
	return supervisor(a) || a.Department.Same(app.Requester) || a.Department.Same(app.Provider)
}

// Supervise implements Policy.
func (DefaultPolicy) Supervise(a govshare.Actor) bool { return supervisor(a) }

// AskGateway implements Policy.
func (DefaultPolicy) AskGateway(a govshare.Actor, acc request.Access) bool {
	return a.Department.Same(acc.Department)
}

func supervisor(a govshare.Actor) bool {
	return a.Role == govshare.Authority || a.Role == govshare.System
}

// forbidden is the error of a read the Policy refuses.
func forbidden(zh, en string) error {
	return &govshare.CodedError{Kind: govshare.ErrForbidden, Code: "httpapi.forbidden",
		Zh: zh, En: "httpapi: " + en, Citation: govshare.PolicyDefault("httpapi.Policy")}
}

// Limits bounds what one request may send and one response may hold. The
// numbers are policy defaults of govshare, not law.
type Limits struct {
	// CommandBytes is the most bytes of a JSON body: a command, a gateway
	// access. At most request.MaxCommandBytes.
	CommandBytes int64
	// UploadBytes is the most bytes of a catalog file sent to lint.
	UploadBytes int64
	// InflatedBytes is the most bytes the parts of an uploaded workbook
	// (a zip archive) may declare uncompressed, so that a small zip bomb
	// cannot make the importer inflate gigabytes.
	InflatedBytes int64
	// Findings is the most lint findings a response lists; the counts
	// cover them all and Truncated says when some were left out.
	Findings int
	// Window is the most applications a list may page through
	// (offset + limit), and ListLimit the most one page holds.
	Window    int
	ListLimit int
}

// DefaultLimits are the policy defaults: 64 KiB commands, 8 MiB uploads
// inflating to at most 64 MiB, 1,000 findings per response, pages of at
// most 200 applications within the first 10,000.
var DefaultLimits = Limits{
	CommandBytes:  64 << 10,
	UploadBytes:   8 << 20,
	InflatedBytes: 64 << 20,
	Findings:      1000,
	Window:        10_000,
	ListLimit:     200,
}

func (l Limits) fill() (Limits, error) {
	set := func(v *int64, def int64, name string) error {
		switch {
		case *v < 0:
			return optionError(fmt.Sprintf("WithLimits 的 %s 为负数", name), "WithLimits: negative "+name)
		case *v == 0:
			*v = def
		}
		return nil
	}
	seti := func(v *int, def int, name string) error {
		x := int64(*v)
		err := set(&x, int64(def), name)
		*v = int(x)
		return err
	}
	for _, err := range []error{
		set(&l.CommandBytes, DefaultLimits.CommandBytes, "CommandBytes"),
		set(&l.UploadBytes, DefaultLimits.UploadBytes, "UploadBytes"),
		set(&l.InflatedBytes, DefaultLimits.InflatedBytes, "InflatedBytes"),
		seti(&l.Findings, DefaultLimits.Findings, "Findings"),
		seti(&l.Window, DefaultLimits.Window, "Window"),
		seti(&l.ListLimit, DefaultLimits.ListLimit, "ListLimit"),
	} {
		if err != nil {
			return l, err
		}
	}
	if l.CommandBytes > request.MaxCommandBytes {
		return l, optionError("WithLimits 的 CommandBytes 超过 request.MaxCommandBytes",
			"WithLimits: CommandBytes above request.MaxCommandBytes")
	}
	if l.ListLimit > l.Window {
		return l, optionError("WithLimits 的 ListLimit 大于 Window", "WithLimits: ListLimit above Window")
	}
	return l, nil
}
