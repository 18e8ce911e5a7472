package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
	"github.com/govshare/govshare/store/postgres"
	"github.com/govshare/govshare/store/postgres/internal/pgtest"
)

// Someone with SQL access changes the audit tables; Verify of the keyed
// log names the sequence number where it was done.
func TestAuditTamperEvidence(t *testing.T) {
	const n = 12
	db := pgtest.New(t)
	ctx := context.Background()
	records := postgres.Table(db, "audit_records")
	logs := postgres.Table(db, "audit_logs")
	cases := []struct {
		name string
		sql  string // $1 is the log's name
		seq  uint64
		kind audit.Kind
		cp   bool // take a checkpoint before tampering
	}{
		{"update a field", `UPDATE ` + records + ` SET target_id = 'A-999' WHERE log = $1 AND seq = 7`, 7, audit.KindModified, false},
		{"update the time", `UPDATE ` + records + ` SET time_ns = time_ns + 1000 WHERE log = $1 AND seq = 3`, 3, audit.KindModified, false},
		{"update the details", `UPDATE ` + records + ` SET details = '{"n":1}' WHERE log = $1 AND seq = 5`, 5, audit.KindModified, false},
		{"update to an impossible value", `UPDATE ` + records + ` SET action = 'NOT AN ACTION' WHERE log = $1 AND seq = 2`, 2, audit.KindModified, false},
		{"update a role beyond 8 bits", `UPDATE ` + records + ` SET actor_role = actor_role + 256 WHERE log = $1 AND seq = 8`, 8, audit.KindModified, false},
		{"update the department's identity", `UPDATE ` + records + ` SET department_credit_code = '11330100MB1234567E' WHERE log = $1 AND seq = 9`, 9, audit.KindModified, false},
		{"update a hash", `UPDATE ` + records + ` SET hash = decode(repeat('00', 32), 'hex') WHERE log = $1 AND seq = 4`, 4, audit.KindModified, false},
		{"delete a record", `DELETE FROM ` + records + ` WHERE log = $1 AND seq = 6`, 6, audit.KindDeleted, false},
		{"delete two records", `DELETE FROM ` + records + ` WHERE log = $1 AND seq IN (8, 9)`, 8, audit.KindDeleted, false},
		{"delete the first record", `DELETE FROM ` + records + ` WHERE log = $1 AND seq = 0`, 0, audit.KindDeleted, false},
		{"delete the last record", `DELETE FROM ` + records + ` WHERE log = $1 AND seq = 11`, 11, audit.KindTruncated, false},
		{"delete the last record and fix the head", `DELETE FROM ` + records + ` WHERE log = $1 AND seq = 11;
			UPDATE ` + logs + ` SET size = 11, head = (SELECT hash FROM ` + records + ` WHERE log = $1 AND seq = 10) WHERE name = $1`,
			11, audit.KindTruncated, true},
		{"insert a forged record", `INSERT INTO ` + records + ` SELECT log, 12, hash, prev, time_ns + 1, actor_id, actor_name, actor_role,
			department, department_name, department_credit_code, department_directory_id, department_region, department_level, action,
			target_kind, target_id, outcome, error_code, details, correlation_id FROM ` + records + ` WHERE log = $1 AND seq = 11`,
			12, audit.KindModified, false},
		{"insert a forged record and fix the head", `INSERT INTO ` + records + ` SELECT log, 12, hash, prev, time_ns + 1, actor_id, actor_name,
			actor_role, department, department_name, department_credit_code, department_directory_id, department_region, department_level,
			action, target_kind, target_id, outcome, error_code, details, correlation_id FROM ` + records + ` WHERE log = $1 AND seq = 11;
			UPDATE ` + logs + ` SET size = 13 WHERE name = $1`, 12, audit.KindModified, false},
		{"replay a record", `DELETE FROM ` + records + ` WHERE log = $1 AND seq = 9;
			INSERT INTO ` + records + ` SELECT log, 9, prev, hash, time_ns, actor_id, actor_name, actor_role,
			department, department_name, department_credit_code, department_directory_id, department_region, department_level, action,
			target_kind, target_id, outcome, error_code, details, correlation_id FROM ` + records + ` WHERE log = $1 AND seq = 2`,
			9, audit.KindModified, false},
		{"swap two records", `UPDATE ` + records + ` r SET prev = o.prev, hash = o.hash, time_ns = o.time_ns, actor_id = o.actor_id,
			action = o.action, target_id = o.target_id, details = o.details, correlation_id = o.correlation_id
			FROM ` + records + ` o WHERE r.log = $1 AND o.log = $1 AND (r.seq, o.seq) IN ((3, 9), (9, 3))`, 3, audit.KindModified, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newAuditLog(t, db, fmt.Sprintf("tamper-%d", i), audit.WithKey(testKey))
			for j := 0; j < n; j++ {
				if _, err := l.Append(ctx, audittest.Event(j)); err != nil {
					t.Fatal(err)
				}
			}
			if c.cp {
				if _, err := l.Checkpoint(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Verify(ctx); err != nil {
				t.Fatalf("Verify before tampering: %v", err)
			}
			for _, stmt := range strings.Split(c.sql, ";") {
				if _, err := db.Pool().Exec(ctx, stmt, l.Name()); err != nil {
					t.Fatalf("tampering: %v", err)
				}
			}
			err := l.Verify(ctx)
			var ve *audit.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, audit.ErrVerify) || !errors.Is(err, govshare.ErrCorrupt) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Seq != c.seq || ve.Kind != c.kind {
				t.Fatalf("Verify found %v at %d (%s), want %v at %d", ve.Kind, ve.Seq, ve.Detail, c.kind, c.seq)
			}
			if m := govshare.MessageOf(err); m.Zh == "" || m.En == "" {
				t.Fatalf("message %+v", m)
			}
		})
	}
}

// An unkeyed log rewritten with recomputed hashes checks out record by
// record; a signed checkpoint still catches it.
func TestAuditTamperUnkeyedCheckpoint(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	l := newAuditLog(t, db, "unkeyed")
	for j := 0; j < 10; j++ {
		if _, err := l.Append(ctx, audittest.Event(j)); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the chain from record 4 as the forger can, without a key:
	// a fresh memory log with the same header and the changed event.
	forger, err := audit.NewSealer(l.Header(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var recs []audit.Record
	for r, err := range l.Read(ctx, 0, 10) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	head := audit.Head{Size: 4, Hash: recs[3].Hash}
	for j := 4; j < 10; j++ {
		e := recs[j].Event
		if j == 4 {
			e.Target.ID = "A-forged"
		}
		s, err := forger.Seal(head, e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool().Exec(ctx, `UPDATE `+postgres.Table(db, "audit_records")+` SET prev = $3, hash = $4, target_id = $5
			WHERE log = $1 AND seq = $2`, l.Name(), j, s.Record.Prev[:], s.Record.Hash[:], s.Record.Event.Target.ID); err != nil {
			t.Fatal(err)
		}
		head = audit.Head{Size: uint64(j + 1), Hash: s.Record.Hash}
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE `+postgres.Table(db, "audit_logs")+` SET head = $2 WHERE name = $1`, l.Name(), head.Hash[:]); err != nil {
		t.Fatal(err)
	}
	err = l.Verify(ctx, cp)
	var ve *audit.VerifyError
	if !errors.As(err, &ve) || ve.Kind != audit.KindRootMismatch {
		t.Fatalf("Verify of the rewritten unkeyed log = %v, want KindRootMismatch", err)
	}
}
