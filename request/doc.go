// Package request runs the 共享申请 (data-sharing application) lifecycle of
// 《政务数据共享条例》: applying for catalogued data (R5, R8), the provider's
// reply within 1 or 10 working days (R9–R11, R14), extensions approved by
// the competent department (R12), provision (R13), use within the approved
// scope and period (R19), 校核 corrections (R20) and disputes (R21).
//
// # The state machine
//
// The transitions are declared once, as a table of (state, command, who
// may issue it, condition, next state); Table returns it, Mermaid draws it
// (docs/request-states.md is generated from it) and the tests are generated
// from it. Apply is the pure core:
//
//	next, events, err := request.Apply(app, cmd, at, env)
//
// It checks that the table has the command in the application's state
// (*TransitionError, ErrIllegalTransition), that the actor is a party the
// table allows (*ForbiddenError, ErrForbidden, naming who may), and then
// the command's rules (*InvalidError, ErrInvalid, with a citation;
// *NotShareableError for 不予共享 items; *NotPublishedError for entries
// not in force). It does no I/O and never changes its argument.
//
// Deadlines come from the deadline package: the reply period starts on
// receipt (when the requester's sharing-office head approves, or at a
// later delivery instant the host gives), is 1 working day when every
// requested item is 无条件共享 and 10 otherwise, ends at 24:00 CST of its
// last day (or a configured close of business), and moves only forward:
// by approved extensions, at most 10 working days in all.
//
// # The Service
//
// Service wraps Apply with a Store (NewMemoryStore; PostgreSQL later), the
// catalog, the calendar, the audit log and the host's Authorities resolver.
// Each command is stored together with exactly one audit record, or not at
// all; a command that lost a race with another transition of the same
// application is re-applied to the new state, so no update is lost. Sweep
// records what is overdue or due soon (once each) and expires grants;
// Report gives supervisors the per-department record.
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
