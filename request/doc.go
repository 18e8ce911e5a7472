// Package request runs the 共享申请 (data-sharing application) lifecycle of
// 《政务数据共享条例》: applying for catalogued data (R5, R8), the provider's
// reply within 1 or 10 working days (R9–R11, R14), extensions approved by
// the competent department for data sharing (R12), provision (R13), use
// within the approved scope and period (R19), 校核 corrections (R20) and
// disputes (R21).
//
// # The state machine is the table
//
// The transitions are declared once, as rows of (states, command, who may
// issue it, guards, effect, watches armed and ended). Apply finds the row
// for the application's state and the command and runs it; nothing beside
// the table decides. Everything else is derived from the same rows: Table
// and the diagram (Mermaid, Markdown; docs/request-states.md is generated
// and checked by a golden-file test), the exhaustive test, which states are
// final (State.Final), where each Watch runs (the reply deadline, the
// extension decision, correction deadlines, the end of the period of use,
// the live grant) and so Facts, NextDue, SweepAt, Live and what Sweep does, and the
// automatic transitions the Service issues (agreeing to unconditional data
// on receipt when Rules ask for it).
//
//	next, ev, err := request.Apply(app, cmd, at, env)
//
// Apply checks that the table has the command in the application's state
// (*TransitionError, ErrIllegalTransition), that the actor is a party the
// row allows (*ForbiddenError, govshare.ErrForbidden, naming who may), that
// the row's guards hold, and then the command's rules (*InvalidError,
// govshare.ErrInvalid, with a citation; *NotShareableError for 不予共享
// items; *NotPublishedError for entries not in force). It does no I/O and
// never changes its argument. Every error matches one kind of the root
// package, so govshare.HTTPStatus and govshare.MessageOf give its status
// and its Chinese and English message.
//
// To add a command: declare its type and its spec (name, code, Chinese and
// English labels) in command.go; add its row or rows to the table in
// machine.go, with its guards (guards.go) and its effect (effects.go), and
// the watches it arms and ends; give the table test a builder for it
// (validCommand in table_test.go). The diagram, the docs page, the
// exhaustive test, JSON decoding and the derived sets follow.
//
// # Commands
//
// Every command carries its actor. The Service has one entry point for
// all of them, creation and renewal included:
//
//	app, ev, err := svc.Do(ctx, id, request.Endorse{Actor: head})
//
// Commands marshal to JSON by name ({"command":"agree", …}) with
// MarshalCommand, and DecodeCommand reads them back with the actor the host
// authenticated (never one from the body). Every enumeration marshals to
// its stable lowercase code.
//
// The requester's sharing-office head endorses (Endorse, 工作机构负责人审核
// 同意) an application before the provider receives it; the provider's head
// answers (Agree 同意共享, Refuse 不同意共享); the competent department for
// data sharing (政务数据共享主管部门) decides extensions (DecideExtension) and
// resolves objections (Uphold, Overturn, OrderReply).
//
// Deadlines come from the deadline package: the reply period starts on
// receipt (at the endorsement, or at a later delivery instant the host
// gives), is 1 working day when every requested item is 无条件共享 and 10
// otherwise, ends at 24:00 CST of its last day (or a configured close of
// business), and moves only forward: by approved extensions, at most 10
// working days in all.
//
// # The Service
//
// NewService wraps Apply with a Store (NewMemoryStore, or a database store
// of the host's), the catalog, the audit log and the host's Authorities
// resolver, configured with functional options (WithRules, WithCalendar,
// WithClock, WithSystem, WithMaxRetries). Each command is stored together
// with exactly one audit record, or not at all; a command that lost a race
// with another transition of the same application is re-applied to the
// new state, so no update is lost. Sweep records what is overdue or due
// soon (once each) and expires grants; Report gives supervisors the
// per-department record.
//
// # Grants
//
// An approved and provided application is a grant. Authorize answers the
// host's data gateway from an in-memory index, in well under a
// microsecond: allowed only for the requester department, within the
// period, for granted items, by the approved method and scenario; denied
// with a reason code otherwise. AuthorizeRecorded also writes the decision
// to the audit log (谁使用谁负责, R16).
//
// Numbers the regulation does not fix — the 校核 answer period, reminder
// lead times, the longest ordered reply — are Rules, documented as policy
// defaults.
package request
