package request

import (
	"context"
	"errors"
	"testing"

	"github.com/govshare/govshare"
)

// fuzzServiceActors are the parties of the table test and the identities
// an attacker or a careless login system would present: a name that is a
// credit code, a system role that is not the configured system, staff of
// the authority's department in other roles, an empty ID, a role that
// does not exist.
var fuzzServiceActors = append(append([]govshare.Actor(nil), fuzzActors...),
	actor(govshare.Department{Name: welfare.CreditCode}, govshare.OfficeHead, "li"),
	actor(govshare.Department{Name: police.CreditCode}, govshare.OfficeHead, "chen"),
	actor(police, govshare.System, "platform"),
	actor(dataBur, govshare.System, "not-the-platform"),
	actor(dataBur, govshare.Clerk, "sun"),
	actor(dataBur, govshare.OfficeHead, "sun"),
	actor(welfare, govshare.Authority, "li"),
	actor(welfare, govshare.Clerk, ""),
	actor(police, govshare.Role(99), "chen"),
)

// FuzzService decodes commands from bytes the way a host decodes a request
// body, issues them through Service.Do as random parties, and checks what
// the issue asks of every entry point: a refused command changes nothing
// and stores no transition record; an accepted one moves the version by
// one with exactly one record; every error has one of the documented
// kinds, never an internal one; the log verifies at the end.
func FuzzService(f *testing.F) {
	for _, body := range []string{
		`{"command":"create","entry_id":"101001/000001","elements":{"basis":"《社会救助暂行办法》第十一条","scenario":"最低生活保障对象资格审核","items":["姓名"],"systems":["社会救助信息系统"],"users":"审核人员","method":"service_api","period":{"from":"2026-09-01T00:00:00+08:00","to":"2026-12-01T00:00:00+08:00"}}}`,
		`{"command":"submit"}`,
		`{"command":"endorse"}`,
		`{"command":"agree","conditions":["仅限办理社会救助审核使用"]}`,
		`{"command":"provision","deliveries":[{"method":"service_api","reference":"k"}]}`,
		`{"command":"revoke","reason":"x"}`,
		`{"command":"request_extension","days":11,"reason":"r"}`,
		`{"command":"create","entry_id":"101001/000001","elements":{"period":{"from":"2300-01-01T00:00:00Z","to":"2301-01-01T00:00:00Z"}}}`,
	} {
		f.Add(uint8(0), []byte(body))
	}
	f.Fuzz(func(t *testing.T, who uint8, body []byte) {
		h := newHarness(t, Rules{AutoAgreeUnconditional: who%2 == 0})
		ctx := context.Background()
		// A first valid step so that most bodies meet an application.
		h.toActive(t, "F-1")
		by := fuzzServiceActors[int(who)%len(fuzzServiceActors)]
		for _, id := range []string{"F-1", "F-2"} {
			cmd, err := DecodeCommand(body, by)
			if err != nil {
				requireKnownKind(t, err)
				continue
			}
			before, getErr := h.svc.Get(ctx, id)
			successes := h.successes(t)
			app, ev, err := h.svc.Do(ctx, id, cmd)
			if err != nil {
				requireKnownKind(t, err)
				after, afterErr := h.svc.Get(ctx, id)
				if (getErr == nil) != (afterErr == nil) || after.Version != before.Version {
					t.Fatalf("%s refused (%v) but the application changed: version %d → %d", cmd.Name().Code(), err, before.Version, after.Version)
				}
				if n := h.successes(t); n != successes {
					t.Fatalf("%s refused (%v) but %d transition records were written", cmd.Name().Code(), err, n-successes)
				}
				continue
			}
			if app.Version != before.Version+1 || ev.Command != cmd.Name() {
				t.Fatalf("%s: version %d → %d, event %s", cmd.Name().Code(), before.Version, app.Version, ev.Command.Code())
			}
			if n := h.successes(t); n != successes+1 {
				t.Fatalf("%s accepted with %d transition records", cmd.Name().Code(), n-successes)
			}
		}
		if err := h.log.Verify(ctx); err != nil {
			t.Fatalf("the log no longer verifies: %v", err)
		}
	})
}

// requireKnownKind fails unless err has one of the root's error kinds
// other than the internal and corrupt ones, which no input may cause.
func requireKnownKind(t *testing.T, err error) {
	t.Helper()
	k := govshare.Kind(err)
	if k == nil || errors.Is(err, govshare.ErrInternal) || errors.Is(err, govshare.ErrCorrupt) {
		t.Fatalf("error %v (%T) has kind %v", err, err, k)
	}
	if msg := govshare.MessageOf(err); msg.Code == "" || msg.Zh == "" || msg.En == "" {
		t.Fatalf("error %v: message %+v", err, msg)
	}
}
