// Package govshare is the shared vocabulary of the govshare SDK, which
// implements the rules of 《政务数据共享条例》 (Government Data Sharing
// Regulation, State Council Decree No. 809, in force since 2025-08-01).
//
// The root package holds the concepts every other package speaks, named as
// the regulation names them:
//
//   - ShareAttribute: 无条件共享, 有条件共享, 不予共享 (R7).
//
//   - ShareMethod: 服务接口, 批量交换, 文件下载, and methods a host registers (R13).
//
//   - Department, Level, Role and Actor: who acts, for whom, in which capacity (R1–R4).
//
//   - Citation and Finding: the result of every check, with a stable code,
//     a message in Chinese and English and the rule it enforces.
//
//   - Error kinds (ErrMalformed, ErrInvalid, ErrForbidden, ErrNotFound,
//     ErrConflict, ErrTooLarge, ErrUnavailable, ErrCorrupt, ErrInternal)
//     that every package's errors wrap; HTTPStatus maps each to one status
//     and MessageOf gives an error's Chinese and English message.
//
// The packages beside it do the work:
//
//   - deadline: the official Chinese working-day calendar and the regulation's periods.
//   - classify: 分类分级 — grades, personal-information detection, grading policies, masking.
//   - catalog: the 政务数据目录 — entries, validation, a versioned store, XLSX/CSV/JSON import and export.
//   - audit: the tamper-evident audit log (SM3 hash chain, HMAC, Merkle proofs, SM2 checkpoints).
//   - request: the 共享申请 lifecycle, its transition table, the Service, grants and reports.
//
// Rule ids (R1…R26) refer to docs/regulation.md, the project's own summary
// of the regulation; Rule returns the citation of one. docs/api.md states
// the conventions every package follows (options, errors, context,
// enumerations). Enumerations print their Chinese term (String), marshal
// to a stable lowercase code (MarshalText) and parse either.
package govshare
