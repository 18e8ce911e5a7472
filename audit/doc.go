// Package audit is govshare's tamper-evident audit log (审计日志): every
// step of data sharing is recorded so that departments can answer for
// what they manage and what they use (谁管理谁负责、谁使用谁负责, R16–R18),
// and nobody — a database administrator included — can change, delete,
// insert or reorder a record, or cut the log short, without it showing.
// It follows GB/T 22239-2019 (等保2.0) level 3 for audit records (8.1.4.3:
// time, user, event type, outcome; protected against deletion,
// modification and overwriting) and their cryptographic integrity
// (8.1.4.7), with the 国密 algorithms GB/T 39786-2021 points to: SM3 for
// hashes and HMAC, SM2 for signatures (github.com/emmansun/gmsm).
//
// # Model
//
//   - Event: when (China Standard Time), who (govshare.Actor: person,
//     department, role), what (an Action such as "request.submit"), to what
//     (Target), the Outcome (with an ErrorCode on failure), Details (a JSON
//     object, kept in RFC 8785 canonical form) and a correlation id.
//   - Record: the event with its gapless sequence number from 0, the hash of
//     the previous record and its own hash — an HMAC when the log is keyed
//     (WithKey), so the chain cannot be recomputed without the key.
//   - Checkpoint: a signed statement of the log's size, Merkle root, last
//     hash and time. A Signer signs (SM2 by default, Ed25519 as an option,
//     or the host's 密码机 behind the interface).
//   - Log: Append, Read, Query, Len, Checkpoint, ProveInclusion,
//     ProveConsistency, Verify. NewMemory keeps a log in memory, OpenFile in
//     an append-only file; a SQL store implements the same interface with
//     Sealer (see below).
//   - VerifyInclusion, VerifyConsistency and Bundle check records and
//     checkpoints offline, without the log: a supervisor checks one record
//     from a checkpoint and a proof of a few hundred bytes.
//
// Verify returns nil or a *VerifyError with the first bad sequence number
// and its Kind: modified, deleted, inserted, reordered, truncated after a
// checkpoint, bad checkpoint signature, wrong key — or, for a log rewritten
// with recomputed hashes, that the records no longer give a signed root.
// A keyed log pins every finding to the exact record; an unkeyed log can
// be rewritten from any point by whoever holds it, and only its
// checkpoints (kept by someone else) reveal that. Use a key, and hand
// checkpoints to someone else: a log cut short is a valid log to anyone
// who holds only the file. docs/security.md has the whole tamper matrix,
// each cell a test.
//
// # Recording inside a transaction
//
// The request package records each state transition in the same critical
// section (memory) or database transaction (PostgreSQL) as the transition
// itself: if the append fails, the transition is not stored, and no record
// exists for a transition that was not stored. Log.Append is all or
// nothing. A SQL store computes the next record inside its transaction
// with a Sealer from the locked Head (size and last hash) and inserts it
// with the state change; see Sealer.
//
// # Canonical record encoding (version 1)
//
// A record's hashes are computed over its canonical encoding, which is
// the same in every language and independent of map order. All integers
// are big-endian; str means a uint32 byte length followed by that many
// bytes of UTF-8:
//
//	magic          4 bytes   "GSA" 0x01 (47 53 41 01)
//	seq            uint64    the sequence number
//	prev           32 bytes  the previous record's hash; zero for seq 0
//	time           int64     the event time, Unix nanoseconds (two's complement)
//	action         str       e.g. "request.submit"
//	actor.id       str
//	actor.name     str
//	actor.role     str       clerk | office_head | authority | system
//	dept.name      str       the actor's department
//	dept.id        str       the department's identity (govshare.Department.ID):
//	                         its 统一社会信用代码, or "dir:" and its DirectoryID,
//	                         or empty
//	dept.region    str       行政区划代码, or empty
//	dept.level     str       national | provincial | city | county, or empty
//	target.kind    str       e.g. "application", or empty
//	target.id      str       or empty
//	outcome        str       success | failure
//	error_code     str       empty on success
//	correlation_id str       or empty
//	details        str       the details object in RFC 8785 form, or empty
//
// Text is taken byte for byte, without Unicode normalization; control
// characters are refused. A DirectoryID beside a credit code is not
// recorded (the credit code is the identity), and a credit code may not
// begin with "dir:". For a department with a credit code dept.id holds
// the same bytes as the field did when it was dept.credit, the credit
// code alone, so those records read and verify unchanged. The details are a JSON object serialized by the
// JSON Canonicalization Scheme (RFC 8785): no whitespace, members sorted
// by the UTF-16 code units of their names, JSON.stringify string escapes,
// numbers printed as ECMAScript prints doubles. Beyond RFC 8785, integer
// literals a double cannot hold exactly are refused (it would round them)
// and an empty object is recorded as no details.
//
// With H the log's hash (SM3 or SHA-256):
//
//	leaf hash    = H(0x00 || encoding)                 the RFC 6962 leaf hash
//	record hash  = leaf hash                           unkeyed log
//	record hash  = HMAC-H(key, leaf hash)              keyed log (RFC 2104)
//	Merkle node  = H(0x01 || left || right)            RFC 6962 §2.1
//	key check    = HMAC-H(key, "govshare-audit key check v1" || log id)
//
// The HMAC is taken over the leaf hash rather than over the encoding again
// so that one pass of the hash serves both the chain and the tree; HMAC of
// a collision-resistant digest is as strong a MAC as HMAC of the message.
// The Merkle tree (Tree) is RFC 6962's over the leaf hashes in sequence
// order; the root of the empty tree is H(""). Append stores only the leaf
// hash; the interior nodes are computed in one batch when a checkpoint or
// a proof next needs them, with the same result. Its leaves need no key, so
// anyone with a checkpoint can check a record's inclusion; the key guards
// the chain. The testdata directory holds an encoded record with its
// hashes for implementers in other languages.
//
// # Checkpoints
//
// A checkpoint's signature covers the text of Checkpoint.Message (eight
// lines: title, log id, hash algorithm, key check, size, root, head,
// time). SM2 signatures follow GB/T 32918.2-2016 with SM3 and the default
// user id "1234567812345678", DER-encoded; Ed25519 follows RFC 8032.
//
// # File format
//
// OpenFile's file is the 8 bytes "GSAUDIT\n" followed by frames. A frame
// is a kind byte, the payload length (uint32, at most 1 MiB), the payload
// and a CRC-32C (Castagnoli) of kind, length and payload (uint32):
//
//	'H'  the header, first and once: version 1, algorithm (1 SM3, 2 SHA-256),
//	     keyed (0 or 1), log id (16 bytes), key check (32 bytes)
//	'R'  a record: its canonical encoding followed by its record hash (32 bytes)
//	'C'  a checkpoint: Checkpoint.MarshalBinary
//
// Frames are only ever appended. A crash can leave a torn last frame; the
// checksum finds it, OpenFile reports it, and only Repair removes it (see
// below).
//
// # Damage, repair and salvage
//
// Reading a file stops at the first frame after the header that does not
// check out — cut short, a checksum that fails, zeroed bytes, an unknown
// kind, a length over the limit, or a frame that checks out but cannot be
// there (a second header). That is the file's Damage: its offset, the
// records before it, its DamageKind, and the first valid frame after it.
// Before calling damage a torn tail, the reader looks at every offset from
// it to the end of the file for a frame that checks out by itself (kind,
// length, checksum; the search is bounded, and gives up rather than guess):
//
//   - A torn tail — nothing valid after the damage — is what a crash or a
//     power cut in the last write leaves. A writer refuses the file
//     (*TornTailError, ErrTornTail); Repair removes exactly the tail and
//     nothing else, and the log opens again.
//   - Damage with valid frames after it — a changed byte in the middle, a
//     sector a power cut zeroed in a group-commit write whose later bytes
//     survived — is never removed. A writer refuses the file and Repair
//     refuses to touch it (*FormatError, ErrCorrupt, naming the offset,
//     the kind and the next valid frame), and the file stays byte for byte
//     as it was.
//
// Either way a reader (ReadOnly) opens the file and reads every record
// before the damage, and File.Damage reports it; Verify names the first
// record damage in the middle may have destroyed. Only a file whose header
// is damaged, or that is not a log, cannot be read at all.
//
// Salvage is the operator's way out of damage Repair refuses: it copies
// the intact prefix, byte for byte, to a new file — a log OpenFile opens,
// for writing too once it verifies — and returns a SalvageReport with the damage and the fragments after it:
// runs of valid frames, with whether their records verify on their own
// (hashes, the HMAC with the key, the chain within the run), how many of
// their checkpoints verify, and whether they continue the prefix. It never
// merges them into the copy: joining records after a gap to the chain is a
// person's decision, and the damaged file, which Salvage only reads, keeps
// them as evidence.
//
// A writer also checks every checkpoint in the file before it appends —
// its signature, that it is this log's, and that its head is the hash the
// records give — and refuses a log whose checkpoints fail (a *VerifyError
// of kind govshare.ErrCorrupt).
//
// # Errors
//
// Every error matches a sentinel of this package (ErrVerify, ErrTornTail,
// …) and exactly one root kind of govshare, which gives its HTTP status:
// a broken event or a bad option is govshare.ErrInvalid, an event beyond
// the limits govshare.ErrTooLarge, unparsable bytes govshare.ErrMalformed,
// a record or range beyond the log govshare.ErrNotFound, a log that fails
// verification or a damaged file govshare.ErrCorrupt, a log locked,
// closed or failed govshare.ErrUnavailable (the comments at the sentinels
// give each one). The typed errors implement govshare.Messenger, in
// Chinese and English. Every function and method that reads or writes a
// file or a reader takes a context first, except Close and
// Bundle.WriteTo, which keep io.Closer's and io.WriterTo's signatures.
//
// # What is hand-written, and why
//
//   - The canonical JSON of the details is internal/jcs, the module's one
//     implementation of RFC 8785, which the request package writes its
//     details with too. The standard library has none; the reference,
//     github.com/gowebpki/jcs, is an order of magnitude slower and
//     allocates for every value (internal/jcs's BenchmarkCanonicalize
//     weighs both), and the log needs what it lacks: details already
//     canonical taken without a copy, a nesting limit, and the refusal of
//     integers a double would round. A differential fuzz test holds
//     internal/jcs to gowebpki/jcs's output.
//   - The record encoding, the file's frames and the header are this
//     package's own format, specified above; the code follows the
//     specification (TestEncodingFollowsSpec, testdata/record-v1.json).
//   - The Merkle tree hashes as RFC 6962 does but is written here so that
//     Append stores only the leaf hash and the interior nodes are computed
//     in batches when a root or proof needs them (BenchmarkMemoryAppend
//     against BenchmarkTreeIntegrate); tests check it against the RFC 6962
//     vectors and the RFC's definitions of roots and proofs.
//   - Nothing cryptographic is: SM3 and SM2 are github.com/emmansun/gmsm,
//     HMAC crypto/hmac, SHA-256 and Ed25519 the standard library's.
//
// # Example
//
//	log, _ := audit.NewMemory(audit.WithKey(key))
//	rec, err := log.Append(ctx, audit.Event{
//		Time:    now,
//		Actor:   clerk,
//		Action:  "request.submit",
//		Target:  audit.Target{Kind: "application", ID: "SQ-2026-0001"},
//		Outcome: audit.Success,
//	})
//	cp, _ := log.Checkpoint(ctx)
//	proof, _ := log.ProveInclusion(ctx, rec.Seq, cp.Size)
//	err = audit.VerifyInclusion(log.PublicKey(), cp, rec, proof) // offline
//	err = log.Verify(ctx)                                         // the whole log
package audit
