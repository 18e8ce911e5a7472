package audit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// crashEnv carries the log path to the child process of TestCrashSafety.
const crashEnv = "GOVSHARE_AUDIT_CRASH_CHILD"

// TestCrashChild is the child process of TestCrashSafety: it appends to
// the log in $GOVSHARE_AUDIT_CRASH_CHILD from four goroutines, taking a
// checkpoint now and then, and prints "seq correlation-id" for each append
// as soon as it returns, until it is killed. In a normal run it skips.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("the child process of TestCrashSafety")
	}
	opts := []Option{WithKey(testKey), WithSigner(testSigner(t, 1))}
	if os.Getenv(crashEnv+"_SYNC") == "each" {
		opts = append(opts, WithSyncEach())
	}
	f, err := OpenFile(t.Context(), path, opts...)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	ctx := context.Background()
	n, _ := f.Len(ctx)
	gen := os.Getenv(crashEnv + "_GEN")
	var out sync.Mutex
	fmt.Println("ready", n)
	for w := range 4 {
		go func() {
			for k := 0; ; k++ {
				e := testEvent(int(n) + k)
				e.CorrelationID = fmt.Sprintf("%s-%d-%d", gen, w, k)
				r, err := f.Append(ctx, e)
				if err != nil {
					fmt.Println("error", err)
					os.Exit(3)
				}
				out.Lock()
				fmt.Printf("%d %s\n", r.Seq, e.CorrelationID)
				out.Unlock()
				if w == 0 && k%25 == 24 {
					if _, err := f.Checkpoint(ctx); err != nil {
						fmt.Println("error", err)
						os.Exit(4)
					}
				}
			}
		}()
	}
	time.Sleep(30 * time.Second) // the parent kills us long before
	os.Exit(5)
}

// TestCrashSafety kills (SIGKILL) a child process appending to a file log
// at random moments, 100 times, and after each kill checks that every
// record whose Append had returned is in the file with the content it was
// given, that a torn tail, if any, is reported and that Repair removes
// only it, and that the log verifies. Both durability policies are used;
// a new file is started every ten kills to keep the run short.
//
// A killed process leaves whole writes behind (the kernel finishes them),
// so every third kill also plays a power cut: the bytes written after the
// last acknowledged record — written, never synced — are cut at a random
// point, which leaves a torn frame whenever the cut falls inside one.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 100 processes")
	}
	const kills = 100
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2026))
	t.Logf("seed %d", seed)
	ctx := context.Background()
	dir := t.TempDir()
	var (
		path  string
		acked map[uint64]string // sequence number → correlation id, per file
		torn  int
		total int
	)
	for k := range kills {
		if k%10 == 0 {
			path = filepath.Join(dir, fmt.Sprintf("crash-%02d.log", k/10))
			acked = map[uint64]string{}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		sync := "group"
		if k%2 == 1 {
			sync = "each"
		}
		cmd.Env = append(os.Environ(), crashEnv+"="+path, crashEnv+"_SYNC="+sync, crashEnv+"_GEN="+strconv.Itoa(k))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		lines := make(chan []string, 1)
		go func() {
			var got []string
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "ready") {
					close(ready)
					continue
				}
				got = append(got, sc.Text())
			}
			lines <- got
		}()
		// Mostly kill while appending; now and then while the child is
		// still opening (or creating) the file.
		if rng.IntN(10) == 0 {
			time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		} else {
			select {
			case <-ready:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("kill %d: the child did not start: %s", k, stderr.String())
			}
			time.Sleep(time.Duration(rng.IntN(25000)) * time.Microsecond)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		for _, l := range <-lines {
			seqText, corr, ok := strings.Cut(l, " ")
			seq, err := strconv.ParseUint(seqText, 10, 64)
			if !ok || err != nil {
				t.Fatalf("kill %d: the child said %q (%s)", k, l, stderr.String())
			}
			acked[seq] = corr
			total++
		}
		if k%3 == 2 {
			cutUnsynced(t, rng, path, acked)
		}

		f, err := OpenFile(ctx, path, WithKey(testKey), WithSigner(testSigner(t, 1)))
		var te *TornTailError
		if errors.As(err, &te) {
			torn++
			rep, rerr := Repair(ctx, path)
			if rerr != nil {
				t.Fatalf("kill %d: Repair: %v", k, rerr)
			}
			if rep.Removed != te.Bytes || rep.Size != te.Offset || rep.Records != te.Records {
				t.Fatalf("kill %d: Repair %+v does not match the torn tail %+v", k, rep, te)
			}
			f, err = OpenFile(ctx, path, WithKey(testKey), WithSigner(testSigner(t, 1)))
		}
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", k, err)
		}
		n, _ := f.Len(ctx)
		have := make(map[uint64]string, n)
		for r, err := range f.Read(ctx, 0, n) {
			if err != nil {
				t.Fatalf("kill %d: %v", k, err)
			}
			have[r.Seq] = r.Event.CorrelationID
		}
		for seq, corr := range acked {
			if have[seq] != corr {
				t.Fatalf("kill %d: record %d, whose Append returned, holds %q, want %q (log has %d records)", k, seq, have[seq], corr, n)
			}
		}
		if err := f.Verify(ctx); err != nil {
			t.Fatalf("kill %d: Verify: %v", k, err)
		}
		f.Close()
	}
	t.Logf("%d kills, %d appends acknowledged before a kill, %d torn tails repaired", kills, total, torn)
}

// cutUnsynced truncates the log at a random point between the end of the
// last record whose Append returned and the end of the file.
func cutUnsynced(t *testing.T, rng *rand.Rand, path string, acked map[uint64]string) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return // killed before it created the file
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		t.Fatal(err)
	}
	s, err := scanFile(t.Context(), fh, st.Size(), path)
	if err != nil || s.damage != nil && s.damage.Offset == 0 {
		return // nothing written yet, or a file the child never finished creating
	}
	keep := int64(len(fileMagic) + frameOverhead + headerSize)
	for seq := range acked {
		if seq >= uint64(len(s.records)) {
			t.Fatalf("record %d was acknowledged and is not in the file", seq)
		}
		keep = max(keep, s.records[seq].end())
	}
	if keep < st.Size() {
		if err := fh.Truncate(keep + rng.Int64N(st.Size()-keep+1)); err != nil {
			t.Fatal(err)
		}
	}
}
