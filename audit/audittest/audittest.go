package audittest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

// PublicKeyer is a log that tells the key verifying its checkpoints, as
// audit.Memory does.
type PublicKeyer interface {
	PublicKey() audit.PublicKey
}

// Run runs the conformance tests of audit.Log against the logs newLog
// returns, one fresh empty log per subtest.
func Run(t *testing.T, newLog func(t *testing.T) audit.Log) {
	t.Helper()
	t.Run("AppendRead", func(t *testing.T) { testAppendRead(t, newLog(t)) })
	t.Run("Refusals", func(t *testing.T) { testRefusals(t, newLog(t)) })
	t.Run("QueryEqualsMemory", func(t *testing.T) { testQueryEqualsMemory(t, newLog(t)) })
	t.Run("CheckpointsAndProofs", func(t *testing.T) { testCheckpoints(t, newLog(t)) })
	t.Run("ConcurrentAppenders", func(t *testing.T) { testConcurrent(t, newLog(t)) })
}

// base is the time of the first generated event.
var base = time.Date(2026, time.March, 2, 9, 0, 0, 123456789, deadline.CST)

var departments = []govshare.Department{
	{Name: "杭州市公安局", CreditCode: "11330100002482101D", RegionCode: "330100", Level: govshare.City},
	{Name: "西湖区民政局", DirectoryID: "zj-xh-mz", RegionCode: "330106", Level: govshare.County},
	{Name: "浙江省大数据发展管理局", CreditCode: "11330000MB0000000X", RegionCode: "330000", Level: govshare.Provincial},
}

var actions = []audit.Action{"request.submit", "request.reply", "request.approve", "catalog.publish", "grant.revoke", "request_x.submit"}

// Event returns event i of the kit's generated stream: actors,
// departments, actions, targets, outcomes, details and times varied by i.
func Event(i int) audit.Event {
	e := audit.Event{
		Time:          base.Add(time.Duration(i) * 1500 * time.Millisecond),
		Actor:         govshare.Actor{ID: fmt.Sprintf("u%03d", i%9), Name: "经办人" + fmt.Sprint(i%9), Department: departments[i%len(departments)], Role: govshare.Clerk},
		Action:        actions[i%len(actions)],
		Target:        audit.Target{Kind: "application", ID: fmt.Sprintf("A-%d", i%13)},
		Outcome:       audit.Success,
		CorrelationID: fmt.Sprintf("c-%d", i/4),
	}
	if i%5 == 4 {
		e.Outcome, e.ErrorCode = audit.Failure, "request.forbidden"
	}
	if i%4 == 1 {
		e.Details = json.RawMessage(fmt.Sprintf(`{"reason": "第%d次", "n": %d, "a": [true, null]}`, i, i))
	}
	if i%7 == 6 {
		e.Actor = govshare.Actor{ID: "sweeper", Role: govshare.System}
		e.Target = audit.Target{}
	}
	return e
}

func collect(t *testing.T, what string, seq func(func(audit.Record, error) bool)) []audit.Record {
	t.Helper()
	var out []audit.Record
	for r, err := range seq {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, r)
	}
	return out
}

func length(t *testing.T, l audit.Log) uint64 {
	t.Helper()
	n, err := l.Len(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func appendN(t *testing.T, l audit.Log, from, to int) []audit.Record {
	t.Helper()
	var out []audit.Record
	for i := from; i < to; i++ {
		r, err := l.Append(context.Background(), Event(i))
		if err != nil {
			t.Fatalf("Append(event %d): %v", i, err)
		}
		out = append(out, r)
	}
	return out
}

// chain checks recs are records 0… in order, each linked to the one
// before.
func chain(t *testing.T, recs []audit.Record) {
	t.Helper()
	var prev audit.Digest
	for i, r := range recs {
		if r.Seq != uint64(i) || r.Prev != prev || r.Hash.IsZero() {
			t.Fatalf("record %d: seq %d, prev %v, hash %v; want seq %d linked to %v", i, r.Seq, r.Prev, r.Hash, i, prev)
		}
		prev = r.Hash
	}
}

func testAppendRead(t *testing.T, l audit.Log) {
	ctx := context.Background()
	if n := length(t, l); n != 0 {
		t.Fatalf("a new log has %d records", n)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify of the empty log: %v", err)
	}
	recs := appendN(t, l, 0, 60)
	chain(t, recs)
	for i, r := range recs {
		want := Event(i)
		if !r.Event.Time.Equal(want.Time) || r.Event.Time.Location() != deadline.CST || r.Event.Action != want.Action ||
			r.Event.Actor.ID != want.Actor.ID || r.Event.Target != want.Target || r.Event.Outcome != want.Outcome {
			t.Fatalf("record %d holds %+v for event %+v", i, r.Event, want)
		}
	}
	if n := length(t, l); n != 60 {
		t.Fatalf("Len = %d, want 60", n)
	}
	all := collect(t, "Read(0, 60)", l.Read(ctx, 0, 60))
	if !reflect.DeepEqual(all, recs) {
		t.Fatalf("Read gives back other records than Append returned:\n got %+v\nwant %+v", all[:2], recs[:2])
	}
	if part := collect(t, "Read(10, 25)", l.Read(ctx, 10, 25)); !reflect.DeepEqual(part, recs[10:25]) {
		t.Fatalf("Read(10, 25) = %d records, want records 10 to 24", len(part))
	}
	if none := collect(t, "Read(60, 60)", l.Read(ctx, 60, 60)); len(none) != 0 {
		t.Fatalf("Read(60, 60) = %d records", len(none))
	}
	// An early stop of the iteration stops it.
	n := 0
	for range l.Read(ctx, 0, 60) {
		n++
		if n == 3 {
			break
		}
	}
	for _, r := range [][2]uint64{{5, 3}, {0, 61}, {61, 70}} {
		var err error
		for _, e := range l.Read(ctx, r[0], r[1]) {
			err = e
		}
		if !errors.Is(err, audit.ErrOutOfRange) {
			t.Errorf("Read(%d, %d) error %v, want ErrOutOfRange", r[0], r[1], err)
		}
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func testRefusals(t *testing.T, l audit.Log) {
	ctx := context.Background()
	appendN(t, l, 0, 3)
	for name, change := range map[string]func(*audit.Event){
		"no time":       func(e *audit.Event) { e.Time = time.Time{} },
		"bad action":    func(e *audit.Event) { e.Action = "Submit" },
		"no actor":      func(e *audit.Event) { e.Actor.ID = "" },
		"no outcome":    func(e *audit.Event) { e.Outcome = 0 },
		"failure code":  func(e *audit.Event) { e.Outcome, e.ErrorCode = audit.Failure, "" },
		"bad details":   func(e *audit.Event) { e.Details = json.RawMessage(`{"a":`) },
		"target id":     func(e *audit.Event) { e.Target = audit.Target{Kind: "application"} },
		"no department": func(e *audit.Event) { e.Actor.Department = govshare.Department{Name: "无身份部门"} },
	} {
		e := Event(3)
		change(&e)
		_, err := l.Append(ctx, e)
		var ee *audit.EventError
		if !errors.As(err, &ee) || !errors.Is(err, audit.ErrInvalidEvent) || !errors.Is(err, govshare.ErrInvalid) {
			t.Errorf("%s: Append = %v, want an *EventError", name, err)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Append(canceled, Event(3)); !errors.Is(err, context.Canceled) {
		t.Errorf("Append with a canceled context = %v", err)
	}
	if n := length(t, l); n != 3 {
		t.Fatalf("Len = %d after refused appends, want 3", n)
	}
	recs := appendN(t, l, 3, 5)
	if recs[0].Seq != 3 {
		t.Fatalf("the next record after refusals has seq %d, want 3", recs[0].Seq)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify after refusals: %v", err)
	}
}

// Filters are the Query filters the kit compares with audit.Memory.
func Filters() []audit.Filter {
	return []audit.Filter{
		{}, {Department: "11330100002482101D"}, {Department: "dir:zj-xh-mz"}, {Department: "西湖区民政局"}, {Department: "zj-xh-mz"},
		{Actor: "u003"}, {Actor: "sweeper"}, {Action: "request.submit"}, {Action: "request."}, {Action: "request"}, {Action: "grant."},
		{Action: "request_x."}, {Action: "re."}, {TargetKind: "application"}, {TargetKind: "application", TargetID: "A-3"}, {TargetID: "A-3"},
		{Outcome: audit.Failure}, {Outcome: audit.Success}, {Outcome: 9},
		{From: base.Add(30 * time.Second)}, {To: base.Add(30 * time.Second)}, {From: base.Add(15 * time.Second), To: base.Add(45 * time.Second)},
		{From: base.Add(1500 * time.Millisecond), To: base.Add(1500 * time.Millisecond)}, {From: base.Add(time.Hour)},
		{From: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}, {To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{To: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}, {From: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Action: "request.", Outcome: audit.Failure, Department: "11330000MB0000000X"},
		{Actor: "u001", From: base.Add(10 * time.Second), TargetID: "A-1"},
	}
}

func testQueryEqualsMemory(t *testing.T, l audit.Log) {
	ctx := context.Background()
	mem, err := audit.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	const n = 120
	for i := 0; i < n; i++ {
		if _, err := mem.Append(ctx, Event(i)); err != nil {
			t.Fatal(err)
		}
	}
	appendN(t, l, 0, n)
	for _, f := range Filters() {
		want := collect(t, "memory Query", mem.Query(ctx, f))
		got := collect(t, "Query", l.Query(ctx, f))
		if len(got) != len(want) {
			t.Errorf("Query(%+v): %d records, audit.Memory %d", f, len(got), len(want))
			continue
		}
		for i := range want {
			// The logs differ in id and so in hashes; seq and event
			// must agree.
			if got[i].Seq != want[i].Seq || !reflect.DeepEqual(got[i].Event, want[i].Event) {
				t.Errorf("Query(%+v) record %d:\n got %d %+v\nwant %d %+v", f, i, got[i].Seq, got[i].Event, want[i].Seq, want[i].Event)
				break
			}
		}
	}
	// An early stop of a query stops it.
	k := 0
	for range l.Query(ctx, audit.Filter{}) {
		k++
		if k == 2 {
			break
		}
	}
	if k != 2 {
		t.Fatalf("Query yielded %d records before the break", k)
	}
}

func testCheckpoints(t *testing.T, l audit.Log) {
	ctx := context.Background()
	pk, ok := l.(PublicKeyer)
	if !ok {
		t.Fatalf("%T does not implement audittest.PublicKeyer: the kit cannot check its signatures", l)
	}
	pub := pk.PublicKey()
	cp0, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatalf("Checkpoint of the empty log: %v", err)
	}
	if cp0.Size != 0 || cp0.Verify(pub) != nil {
		t.Fatalf("checkpoint of the empty log: size %d, signature %v", cp0.Size, cp0.Verify(pub))
	}
	recs := appendN(t, l, 0, 37)
	cp1, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cp1.Size != 37 || cp1.Head != recs[36].Hash || cp1.Verify(pub) != nil {
		t.Fatalf("checkpoint: size %d, head %v, signature %v; want 37, the last hash, valid", cp1.Size, cp1.Head, cp1.Verify(pub))
	}
	for _, seq := range []uint64{0, 1, 17, 36} {
		p, err := l.ProveInclusion(ctx, seq, 37)
		if err != nil {
			t.Fatalf("ProveInclusion(%d, 37): %v", seq, err)
		}
		if err := audit.VerifyInclusion(pub, cp1, recs[seq], p); err != nil {
			t.Fatalf("inclusion proof of %d: %v", seq, err)
		}
		// The proof is of that record, not another.
		if seq > 0 && audit.VerifyInclusion(pub, cp1, recs[seq-1], p) == nil {
			t.Fatalf("the proof of record %d also proves record %d", seq, seq-1)
		}
	}
	recs = append(recs, appendN(t, l, 37, 64)...)
	cp2, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.ProveConsistency(ctx, 37, 64)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.VerifyConsistency(pub, cp1, cp2, p); err != nil {
		t.Fatalf("consistency proof 37 → 64: %v", err)
	}
	ip, err := l.ProveInclusion(ctx, 50, 64)
	if err != nil || audit.VerifyInclusion(pub, cp2, recs[50], ip) != nil {
		t.Fatalf("inclusion of 50 in 64: %v", err)
	}
	for _, r := range [][2]uint64{{64, 64}, {3, 65}} {
		if _, err := l.ProveInclusion(ctx, r[0], r[1]); !errors.Is(err, audit.ErrOutOfRange) {
			t.Errorf("ProveInclusion(%d, %d) = %v, want ErrOutOfRange", r[0], r[1], err)
		}
	}
	if _, err := l.ProveConsistency(ctx, 10, 65); !errors.Is(err, audit.ErrOutOfRange) {
		t.Errorf("ProveConsistency(10, 65) = %v, want ErrOutOfRange", err)
	}
	if err := l.Verify(ctx, cp1, cp2); err != nil {
		t.Fatalf("Verify with the log's checkpoints as trusted: %v", err)
	}
	forged := cp2
	forged.Root[0] ^= 1
	err = l.Verify(ctx, forged)
	var ve *audit.VerifyError
	if !errors.As(err, &ve) || ve.Kind != audit.KindBadSignature {
		t.Fatalf("Verify with a forged trusted checkpoint = %v, want KindBadSignature", err)
	}
	// A checkpoint of more records than the log has: truncation.
	l2 := cp2
	l2.Size = 70
	if err := l.Verify(ctx, l2); !errors.Is(err, audit.ErrVerify) {
		t.Fatalf("Verify with a checkpoint of a longer log (bad signature or truncation) = %v", err)
	}
}

func testConcurrent(t *testing.T, l audit.Log) {
	const writers, each = 8, 25
	ctx := context.Background()
	var wg sync.WaitGroup
	got := make([][]audit.Record, writers)
	errs := make([]error, writers)
	start := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < each; i++ {
				r, err := l.Append(ctx, Event(w*each+i))
				if err != nil {
					errs[w] = err
					return
				}
				got[w] = append(got[w], r)
			}
		}()
	}
	close(start)
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", w, err)
		}
	}
	if n := length(t, l); n != writers*each {
		t.Fatalf("Len = %d, want %d", n, writers*each)
	}
	all := collect(t, "Read", l.Read(ctx, 0, writers*each))
	chain(t, all)
	seen := make([]bool, writers*each)
	for w := range got {
		for _, r := range got[w] {
			if seen[r.Seq] {
				t.Fatalf("two appends got seq %d", r.Seq)
			}
			seen[r.Seq] = true
			if !reflect.DeepEqual(all[r.Seq], r) {
				t.Fatalf("record %d as stored differs from what Append returned", r.Seq)
			}
		}
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatalf("Verify after concurrent appends: %v", err)
	}
}
