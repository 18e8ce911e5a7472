// Command quickstart is the main job of the govshare README: one run of
// the whole flow a city data platform embeds, on fixed dates so that its
// output is the same every time.
//
//  1. The reply deadline of a conditional application received on
//     2026-09-29 at 15:00, just before the National Day holiday, explained
//     day by day (R11, R14).
//  2. A small catalog: an entry with a mistake, the findings that name it,
//     the fix, validation under the national grading profile, publication
//     (R5–R7, R16).
//  3. Two applications: one for unconditional data answered within a
//     working day (R10), one for conditional data across 国庆 with an
//     extension the competent department approves (R11, R12); replies,
//     provision, and the data gateway allowing and denying accesses (R19).
//  4. An application nobody answers, found overdue by the sweep.
//  5. The audit log, a file with SM3 hashes keyed by HMAC and SM2-signed
//     checkpoints, verified whole, and one application's records exported
//     and verified offline as a supervisor would (R16–R18).
package main
