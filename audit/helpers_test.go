package audit

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/govshare/govshare"
)

// Fixtures shared by the tests: real-looking departments and actors.
var (
	publicSecurity = govshare.Department{Name: "某市公安局", CreditCode: "11330100002482075X", RegionCode: "330100", Level: govshare.City}
	civilAffairs   = govshare.Department{Name: "某市民政局", CreditCode: "113301000024820764", RegionCode: "330100", Level: govshare.City}
	clerk          = govshare.Actor{ID: "u-10001", Name: "张三", Department: civilAffairs, Role: govshare.Clerk}
	head           = govshare.Actor{ID: "u-20002", Name: "李四", Department: publicSecurity, Role: govshare.OfficeHead}
	platform       = govshare.Actor{ID: "system", Role: govshare.System}

	// t0 is 2026-09-29 15:00 CST, just before the National Day holiday.
	t0 = time.Date(2026, time.September, 29, 15, 0, 0, 0, cst)

	testKey  = []byte("0123456789abcdef0123456789abcdef")
	otherKey = []byte("fedcba9876543210fedcba9876543210")
)

// testEvent returns the i-th event of a realistic stream: submissions by
// the civil-affairs clerk, replies by the public-security head, and now
// and then a refused access.
func testEvent(i int) Event {
	e := Event{
		Time:          t0.Add(time.Duration(i) * time.Second),
		Actor:         clerk,
		Action:        "request.submit",
		Target:        Target{Kind: "application", ID: fmt.Sprintf("SQ-2026-%06d", i)},
		Outcome:       Success,
		Details:       []byte(fmt.Sprintf(`{"entry":"CAT-330100-%04d","items":["姓名","身份证号"],"attribute":"conditional","n":%d}`, i%97, i)),
		CorrelationID: fmt.Sprintf("corr-%08d", i),
	}
	switch i % 3 {
	case 1:
		e.Actor, e.Action = head, "request.reply"
	case 2:
		e.Actor, e.Action, e.Outcome, e.ErrorCode = platform, "grant.access", Failure, "item_not_granted"
		e.Target = Target{Kind: "grant", ID: fmt.Sprintf("G-%d", i)}
	}
	return e
}

// fixedClock returns a clock that always says t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testSigner is an Ed25519 signer from a fixed seed (fast and
// deterministic); the SM2 signer has its own tests.
func testSigner(t testing.TB, seed byte) Signer {
	t.Helper()
	var s [ed25519.SeedSize]byte
	s[0] = seed
	signer, err := NewEd25519Signer(ed25519.NewKeyFromSeed(s[:]))
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

func appendN(t testing.TB, l Recorder, from, n int) []Record {
	t.Helper()
	ctx := context.Background()
	out := make([]Record, 0, n)
	for i := from; i < from+n; i++ {
		r, err := l.Append(ctx, testEvent(i))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		out = append(out, r)
	}
	return out
}

func readAll(t testing.TB, l Log) []Record {
	t.Helper()
	ctx := context.Background()
	n, err := l.Len(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	for r, err := range l.Read(ctx, 0, n) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// rawFrame is a frame of a log file, for tests that take files apart.
type rawFrame struct {
	kind    byte
	payload []byte
}

// splitFrames parses a log file's bytes into frames.
func splitFrames(t testing.TB, data []byte) []rawFrame {
	t.Helper()
	if string(data[:len(fileMagic)]) != fileMagic {
		t.Fatal("not a log file")
	}
	var out []rawFrame
	for off := len(fileMagic); off < len(data); {
		n := int(binary.BigEndian.Uint32(data[off+1:]))
		out = append(out, rawFrame{kind: data[off], payload: append([]byte(nil), data[off+frameHead:off+frameHead+n]...)})
		off += frameOverhead + n
	}
	return out
}

// joinFrames builds a log file with valid checksums from frames: what an
// attacker who knows the format writes.
func joinFrames(frames []rawFrame) []byte {
	b := []byte(fileMagic)
	for _, f := range frames {
		b = appendFrame(b, f.kind, f.payload)
	}
	return b
}

// recordFrames returns the indexes in frames of the record frames.
func recordFrames(frames []rawFrame) []int {
	var out []int
	for i, f := range frames {
		if f.kind == frameRecord {
			out = append(out, i)
		}
	}
	return out
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
