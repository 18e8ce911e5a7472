package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
)

// postgresURL returns the test server's URL, skipping the test when it
// cannot be reached (failing it when CI is set).
func postgresURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("GOVSHARE_TEST_POSTGRES")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable (CI is set, so this fails): %v", err)
		}
		t.Skipf("PostgreSQL unreachable, skipping: %v; start one (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set GOVSHARE_TEST_POSTGRES", err)
	}
	conn.Close(ctx)
	return url
}

// TestServePostgres: two serve processes on one schema share the catalog
// and follow each other's changes.
func TestServePostgres(t *testing.T) {
	url := postgresURL(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "govshare_test_serve_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx := context.Background()
		if conn, err := pgx.Connect(ctx, url); err == nil {
			_, _ = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			conn.Close(ctx)
		}
	})
	dir := catalogFiles(t)
	tokens := filepath.Join(dir, "tokens.json")
	data, _ := json.Marshal(map[string]govshare.Actor{
		"0123456789abcdef-wang": demoTokens["demo-wang"], "0123456789abcdef-gate": demoTokens["demo-gateway"]})
	_ = os.WriteFile(tokens, data, 0o600)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := func(extra ...string) (*exec.Cmd, string, string) {
		t.Helper()
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--tokens", tokens, "--sweep", "1s",
			"--postgres", url, "--postgres-schema", schema}, extra...)
		cmd := exec.CommandContext(ctx, bin, args...)
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if u, ok := strings.CutPrefix(sc.Text(), "govshare serve: "); ok {
				go io.Copy(io.Discard, stdout)
				return cmd, strings.TrimSuffix(u, "/v1/openapi.yaml"), strings.Join(lines, "\n")
			}
		}
		t.Fatalf("serve did not start: %v; stderr: %s", lines, stderr.String())
		return nil, "", ""
	}
	one, _, out1 := start("--catalog", filepath.Join(dir, "bad.csv"))
	two, base2, out2 := start()
	for _, out := range []string{out1, out2} {
		if !strings.Contains(out, "模式 schema "+schema) {
			t.Errorf("no schema line: %s", out)
		}
	}
	if !strings.Contains(out1, "发布 published 1/2") {
		t.Errorf("catalog: %s", out1)
	}
	call := func(method, base, path, token, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	// The entry published through the first replica is in the second's
	// catalog: one database.
	code, body := call("GET", base2, "/v1/catalog/entries?status=published", "0123456789abcdef-wang", "")
	var res catalog.Result
	_ = json.Unmarshal(body, &res)
	if code != 200 || res.Total != 1 {
		t.Errorf("second replica's catalog: %d %s", code, body)
	}
	// The second replica follows: its gateway answers from a current
	// index (no_grant), not stale_index.
	ask := `{"department":{"credit_code":"11330100002482088M"},"entry_id":"101001/000001","items":["姓名"],"method":"service_api","scenario":"最低生活保障对象资格审核"}`
	var reason string
	for range 100 {
		code, body = call("POST", base2, "/v1/gateway/authorize", "0123456789abcdef-gate", ask)
		var d struct{ Reason string }
		_ = json.Unmarshal(body, &d)
		if reason = d.Reason; code == 200 && reason == "no_grant" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if reason != "no_grant" {
		t.Errorf("second replica's gateway: %d %s", code, body)
	}
	for _, cmd := range []*exec.Cmd{one, two} {
		_ = cmd.Process.Signal(syscall.SIGINT)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve exit: %v", err)
		}
	}
}

// The PostgreSQL world prunes its change table to the last keep changes
// on its schedule, and a replica that started following before still
// reads on (the pruned changes were behind it).
func TestServePostgresPrunesChanges(t *testing.T) {
	url := postgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "govshare_test_prune_" + hex.EncodeToString(b[:])
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		pool.Close()
	})
	db, err := postgres.New(pool, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	w, stop, err := postgresStores(ctx, db, &switchClock{}, request.AuthoritiesByRegion{}, env{stdout: io.Discard, stderr: &stderr},
		pruning{keep: 3, every: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	store := w.apps.(*postgres.RequestStore)
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, deadline.CST)
	app := request.Application{ID: "PR-1", Requester: demoTokens["demo-wang"].Department, Provider: demoTokens["demo-li"].Department,
		CreatedAt: at, UpdatedAt: at}
	for v := range 10 {
		if app, err = store.Save(ctx, app, int64(v), nil); err != nil {
			t.Fatal(err)
		}
	}
	for began := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		_, err := store.Since(ctx, 0, 100)
		if errors.Is(err, request.ErrFeedTruncated) {
			break
		}
		if time.Since(began) > 15*time.Second {
			t.Fatalf("the change table was not pruned: Since(0) = %v; stderr: %s", err, stderr.String())
		}
	}
	kept, err := store.Since(ctx, 7, 100)
	if err != nil || len(kept) != 3 || kept[0].Seq != 8 {
		t.Fatalf("kept changes = %+v, %v; want seq 8, 9, 10", kept, err)
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}
