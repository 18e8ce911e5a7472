package mysql_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/store/mysql"
	"github.com/govshare/govshare/store/mysql/internal/mytest"
)

var (
	civilAffairs = govshare.Department{Name: "某市民政局", CreditCode: "113301000024820764", RegionCode: "330100", Level: govshare.City}
	noCode       = govshare.Department{Name: "某县大数据中心（筹）", DirectoryID: "D-7", RegionCode: "330102", Level: govshare.County}
	clerk        = govshare.Actor{ID: "u-10001", Name: "张三𠀀", Department: civilAffairs, Role: govshare.Clerk}
	dirClerk     = govshare.Actor{ID: "u-30003", Name: "王五", Department: noCode, Role: govshare.Clerk}
	platform     = govshare.Actor{ID: "system", Role: govshare.System}
	t0           = time.Date(2026, time.September, 29, 15, 0, 0, 123456789, deadline.CST)
	testKey      = []byte("0123456789abcdef0123456789abcdef")
)

func testEvent(i int) audit.Event {
	e := audit.Event{
		Time:          t0.Add(time.Duration(i) * time.Second),
		Actor:         clerk,
		Action:        "request.submit",
		Target:        audit.Target{Kind: "application", ID: fmt.Sprintf("SQ-2026-%06d", i)},
		Outcome:       audit.Success,
		Details:       []byte(fmt.Sprintf(`{"n":%d,"items":["姓名","身份证号","𠀀𪚥"],"entry":"CAT-330100-%04d"}`, i, i%97)),
		CorrelationID: fmt.Sprintf("corr-%08d", i),
	}
	switch i % 3 {
	case 1:
		e.Actor, e.Action = dirClerk, "request.reply"
		e.Details = nil
	case 2:
		e.Actor, e.Action, e.Outcome, e.ErrorCode = platform, "grant.access", audit.Failure, "item_not_granted"
		e.Target = audit.Target{Kind: "grant", ID: fmt.Sprintf("G-%d", i)}
	}
	return e
}

func testSigner(t testing.TB) audit.Signer {
	t.Helper()
	var seed [ed25519.SeedSize]byte
	seed[0] = 7
	s, err := audit.NewEd25519Signer(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func keyedLog(t testing.TB, db *mysql.DB, name string) *mysql.AuditLog {
	t.Helper()
	l, err := db.AuditLog(context.Background(), name, audit.WithKey(testKey), audit.WithSigner(testSigner(t)),
		audit.WithClock(func() time.Time { return t0.Add(time.Hour) }))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func collect(t *testing.T, seq func(func(audit.Record, error) bool)) []audit.Record {
	t.Helper()
	var out []audit.Record
	for r, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// The SQL log computes exactly the records of the memory log with the
// same header, and reads back exactly what it returned: every byte of the
// Chinese text, the nanoseconds, the details.
func TestAuditLogMatchesMemory(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	l := keyedLog(t, db, "main")
	mem, err := audit.NewMemory(audit.WithKey(testKey), audit.WithLogID(l.Header().LogID))
	if err != nil {
		t.Fatal(err)
	}
	var appended []audit.Record
	for i := range 40 {
		r, err := l.Append(ctx, testEvent(i))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		m, err := mem.Append(ctx, testEvent(i))
		if err != nil {
			t.Fatal(err)
		}
		if r.Seq != uint64(i) || r.Hash != m.Hash || r.Prev != m.Prev {
			t.Fatalf("record %d: seq %d hash %s, memory's %s", i, r.Seq, r.Hash, m.Hash)
		}
		appended = append(appended, r)
	}
	got := collect(t, l.Read(ctx, 0, 40))
	if !reflect.DeepEqual(got, appended) {
		t.Fatalf("Read differs from what Append returned:\n%+v\n%+v", got[0], appended[0])
	}
	if got[0].Event.Actor.Name != "张三𠀀" || got[1].Event.Actor.Department.DirectoryID != "D-7" {
		t.Fatalf("text did not round-trip: %q %+v", got[0].Event.Actor.Name, got[1].Event.Actor.Department)
	}
	if n, err := l.Len(ctx); err != nil || n != 40 {
		t.Fatalf("Len = %d, %v", n, err)
	}
	if mid := collect(t, l.Read(ctx, 10, 13)); len(mid) != 3 || mid[0].Seq != 10 || mid[2].Seq != 12 {
		t.Fatalf("Read(10, 13) = %d records", len(mid))
	}
	for _, r := range [][2]uint64{{0, 41}, {5, 4}} {
		var err error
		for _, e := range l.Read(ctx, r[0], r[1]) {
			err = e
		}
		if !errors.Is(err, audit.ErrOutOfRange) {
			t.Errorf("Read(%d, %d): %v, want ErrOutOfRange", r[0], r[1], err)
		}
	}
	// Query gives what the memory log's Query gives, for every filter.
	for _, f := range []audit.Filter{
		{}, {Action: "request."}, {Action: "grant.access"}, {Action: "request.sub"}, {Department: civilAffairs.CreditCode},
		{Department: "dir:D-7"}, {Department: civilAffairs.Name}, {Actor: "system"}, {TargetKind: "grant"},
		{TargetID: "SQ-2026-000003"}, {Outcome: audit.Failure}, {From: t0.Add(10 * time.Second), To: t0.Add(20 * time.Second)},
		{Action: "request.", Outcome: audit.Success, From: t0.Add(30 * time.Second)},
	} {
		want := collect(t, mem.Query(ctx, f))
		got := collect(t, l.Query(ctx, f))
		if len(got) != len(want) {
			t.Errorf("Query(%+v): %d records, memory %d", f, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Seq != want[i].Seq || got[i].Hash != want[i].Hash {
				t.Errorf("Query(%+v)[%d] = %d, memory %d", f, i, got[i].Seq, want[i].Seq)
			}
		}
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestAuditCheckpointsAndProofs(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	l := keyedLog(t, db, "main")
	pub := testSigner(t).Public()
	var cps []audit.Checkpoint
	for i := range 21 {
		if _, err := l.Append(ctx, testEvent(i)); err != nil {
			t.Fatal(err)
		}
		if i%7 == 6 {
			cp, err := l.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if cp.Size != uint64(i+1) {
				t.Fatalf("checkpoint size %d, want %d", cp.Size, i+1)
			}
			cps = append(cps, cp)
		}
	}
	kept, err := l.Checkpoints(ctx)
	if err != nil || !reflect.DeepEqual(kept, cps) {
		t.Fatalf("Checkpoints = %v, %v; want what Checkpoint returned", kept, err)
	}
	recs := collect(t, l.Read(ctx, 0, 21))
	for _, cp := range cps {
		for seq := range cp.Size {
			p, err := l.ProveInclusion(ctx, seq, cp.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := audit.VerifyInclusion(pub, cp, recs[seq], p); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", seq, cp.Size, err)
			}
		}
	}
	p, err := l.ProveConsistency(ctx, cps[0].Size, cps[2].Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.VerifyConsistency(pub, cps[0], cps[2], p); err != nil {
		t.Fatalf("consistency: %v", err)
	}
	if _, err := l.ProveInclusion(ctx, 0, 22); !errors.Is(err, audit.ErrOutOfRange) {
		t.Fatalf("proof beyond Len: %v", err)
	}
	if err := l.Verify(ctx, cps...); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// A log without a signer refuses to checkpoint.
	plain, err := db.AuditLog(ctx, "plain")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Checkpoint(ctx); !errors.Is(err, audit.ErrNoSigner) {
		t.Fatalf("Checkpoint without a signer: %v", err)
	}
}

func TestAuditLogOpenRefusesWrongSettings(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	if _, err := db.AuditLog(ctx, "keyed", audit.WithKey(testKey)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AuditLog(ctx, "keyed"); !errors.Is(err, audit.ErrKeyRequired) {
		t.Errorf("no key for a keyed log: %v", err)
	}
	if _, err := db.AuditLog(ctx, "keyed", audit.WithKey([]byte("fedcba9876543210fedcba9876543210"))); !errors.Is(err, audit.ErrWrongKey) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := db.AuditLog(ctx, "keyed", audit.WithKey(testKey), audit.WithAlgorithm(audit.SHA256)); !errors.Is(err, govshare.ErrInvalid) && !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("another algorithm: %v", err)
	}
	if _, err := db.AuditLog(ctx, "plain"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AuditLog(ctx, "plain", audit.WithKey(testKey)); err == nil {
		t.Errorf("a key for an unkeyed log was accepted")
	}
	// WithLogID names a new log's id; an existing log with another id is
	// refused, not silently opened under the id the caller did not ask for.
	id := audit.LogID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	if l, err := db.AuditLog(ctx, "pinned", audit.WithLogID(id)); err != nil || l.Header().LogID != id {
		t.Fatalf("new log with WithLogID: %v", err)
	}
	if _, err := db.AuditLog(ctx, "pinned", audit.WithLogID(id)); err != nil {
		t.Errorf("reopening with its own id: %v", err)
	}
	var he *audit.HeaderError
	if _, err := db.AuditLog(ctx, "pinned", audit.WithLogID(audit.LogID{9})); !errors.As(err, &he) || he.Setting != "log id" || !errors.Is(err, audit.ErrHeaderMismatch) {
		t.Errorf("reopening with another id = %v, want a *HeaderError on the log id", err)
	}
	for _, name := range []string{"", "a b", "日志", "x'--", string(make([]byte, 65))} {
		if _, err := db.AuditLog(ctx, name); !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("name %q: %v", name, err)
		}
	}
	var n int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM `" + db.Database() + "`.audit_logs").Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d logs (%v), want the three opened", n, err)
	}
}

func TestAuditAppendRefusesBadEventAndStoresNothing(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	l := keyedLog(t, db, "main")
	bad := testEvent(0)
	bad.Action = "Not An Action"
	if _, err := l.Append(ctx, bad); !errors.Is(err, audit.ErrInvalidEvent) {
		t.Fatalf("bad event: %v", err)
	}
	noTime := testEvent(0)
	noTime.Time = time.Time{}
	if _, err := l.Append(ctx, noTime); !errors.Is(err, audit.ErrInvalidEvent) {
		t.Fatalf("event without time: %v", err)
	}
	if n, _ := l.Len(ctx); n != 0 {
		t.Fatalf("Len = %d after refused events", n)
	}
	var rows int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM `" + db.Database() + "`.audit_records").Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d rows (%v)", rows, err)
	}
}

// Writers on separate pools (replicas) append at once: the sequence is
// gapless, each record once, and the chain verifies.
func TestAuditConcurrentAppendsFromReplicas(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	const replicas, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, replicas*each)
	for r := range replicas {
		rdb, err := mysql.New(mytest.Open(t, mytest.DSN()), mysql.WithDatabase(db.Database()))
		if err != nil {
			t.Fatal(err)
		}
		l := keyedLog(t, rdb, "main")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := l.Append(ctx, testEvent(r*each+i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	l := keyedLog(t, db, "main")
	recs := collect(t, l.Read(ctx, 0, replicas*each))
	seen := map[string]bool{}
	for i, r := range recs {
		if r.Seq != uint64(i) {
			t.Fatalf("record %d has seq %d", i, r.Seq)
		}
		if seen[r.Event.CorrelationID] {
			t.Fatalf("event %s recorded twice", r.Event.CorrelationID)
		}
		seen[r.Event.CorrelationID] = true
	}
	if len(seen) != replicas*each {
		t.Fatalf("%d distinct events, want %d", len(seen), replicas*each)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// Someone with SQL access changes, deletes or inserts audit rows: Verify
// of the keyed log names the exact sequence number and the kind.
func TestAuditTamperBySQL(t *testing.T) {
	cases := []struct {
		name string
		sql  []string
		kind audit.Kind
		seq  uint64
	}{
		{"update actor", []string{"UPDATE {r} SET actor_name = '李四' WHERE seq = 7"}, audit.KindModified, 7},
		{"update details", []string{`UPDATE {r} SET details = '{"n":999}' WHERE seq = 12`}, audit.KindModified, 12},
		{"update time", []string{"UPDATE {r} SET time_ns = time_ns + 1 WHERE seq = 3"}, audit.KindModified, 3},
		{"update outcome", []string{"UPDATE {r} SET outcome = 1, error_code = '' WHERE seq = 5"}, audit.KindModified, 5},
		{"update leaf", []string{"UPDATE {r} SET leaf = hash WHERE seq = 9"}, audit.KindModified, 9},
		{"delete middle", []string{"DELETE FROM {r} WHERE seq IN (10, 11)"}, audit.KindDeleted, 10},
		{"delete last", []string{"DELETE FROM {r} WHERE seq >= 17"}, audit.KindTruncated, 17},
		{"delete last and head", []string{"DELETE FROM {r} WHERE seq >= 17", "UPDATE {h} SET size = 17, head = (SELECT hash FROM {r} WHERE seq = 16)"}, audit.KindTruncated, 17},
		{"insert copy", []string{"INSERT INTO {r} SELECT log, 20, (SELECT hash FROM {r} WHERE seq = 19), hash, leaf, time_ns, actor_id, actor_name, actor_role, department, department_name, department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id FROM {r} WHERE seq = 4"}, audit.KindInserted, 20},
		{"insert and advance head", []string{"INSERT INTO {r} SELECT log, 20, (SELECT hash FROM {r} WHERE seq = 19), hash, leaf, time_ns, actor_id, actor_name, actor_role, department, department_name, department_region, department_level, action, target_kind, target_id, outcome, error_code, details, correlation_id FROM {r} WHERE seq = 4", "UPDATE {h} SET size = 21"}, audit.KindModified, 20},
		{"swap", []string{"UPDATE {r} SET seq = 1000 WHERE seq = 2", "UPDATE {r} SET seq = 2 WHERE seq = 6", "UPDATE {r} SET seq = 6 WHERE seq = 1000"}, audit.KindModified, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := mytest.New(t)
			ctx := context.Background()
			l := keyedLog(t, db, "main")
			for i := range 20 {
				if _, err := l.Append(ctx, testEvent(i)); err != nil {
					t.Fatal(err)
				}
			}
			cp, err := l.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Verify(ctx, cp); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			r, h := "`"+db.Database()+"`.audit_records", "`"+db.Database()+"`.audit_logs"
			for _, s := range c.sql {
				s = strings.NewReplacer("{r}", r, "{h}", h).Replace(s)
				if _, err := db.SQL().Exec(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			err = l.Verify(ctx)
			var ve *audit.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, govshare.ErrCorrupt) {
				t.Fatalf("Verify after %s = %v, want a *VerifyError", c.name, err)
			}
			if ve.Kind != c.kind || ve.Seq != c.seq {
				t.Fatalf("Verify = %v at %d (%s), want %v at %d", ve.Kind.English(), ve.Seq, ve.Detail, c.kind.English(), c.seq)
			}
		})
	}
}

// An unkeyed log rewritten with recomputed hashes checks out record by
// record; a checkpoint someone else kept shows it.
func TestAuditUnkeyedRewriteFoundByCheckpoint(t *testing.T) {
	db := mytest.New(t)
	ctx := context.Background()
	l, err := db.AuditLog(ctx, "open", audit.WithSigner(testSigner(t)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if _, err := l.Append(ctx, testEvent(i)); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the whole log from the first record on with a changed event,
	// recomputing every hash as anyone can without a key.
	recs := collect(t, l.Read(ctx, 0, 10))
	recs[0].Event.Actor.Name = "冒名者"
	if _, err := db.SQL().Exec("DELETE FROM `" + db.Database() + "`.audit_records"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec("DELETE FROM `" + db.Database() + "`.audit_checkpoints"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec("UPDATE `"+db.Database()+"`.audit_logs SET size = 0, head = ?", make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if _, err := l.Append(ctx, r.Event); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("the rewritten log checks out by itself, as an unkeyed log does: %v", err)
	}
	err = l.Verify(ctx, cp)
	var ve *audit.VerifyError
	if !errors.As(err, &ve) || ve.Kind != audit.KindRootMismatch || ve.Seq != 0 {
		t.Fatalf("Verify with the kept checkpoint = %v, want root mismatch at 0", err)
	}
}
