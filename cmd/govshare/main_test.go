package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/deadline"
	"github.com/govshare/govshare/httpapi"
)

// bin is the command, built once for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "govshare-cmd-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "govshare")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the command: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command with args as a subprocess.
func cli(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

func (r result) want(t *testing.T, code int, in ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	all := r.stdout + r.stderr
	for _, s := range in {
		if !strings.Contains(all, s) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	cli(t, "-h").want(t, 0, "用法 usage", "退出码 exit status", "a year without an official holiday schedule")
	cli(t, "help").want(t, 0, "govshare deadline")
	for _, c := range [][]string{{"deadline", "-h"}, {"calendar", "-h"}, {"calendar", "show", "-h"}, {"catalog", "lint", "--help"},
		{"audit", "verify", "-h"}, {"serve", "-h"}} {
		r := cli(t, c...)
		r.want(t, 0, "用法 usage", "退出码 exit status")
		if r.stdout == "" {
			t.Errorf("%v: help not on stdout", c)
		}
		if r.stderr != "" {
			t.Errorf("%v: -h also wrote to stderr:\n%s", c, r.stderr)
		}
	}
	if r := cli(t, "deadline", "--no-such-flag"); !strings.Contains(r.stderr, "用法 usage") || r.stdout != "" {
		t.Errorf("a bad flag: the help belongs on stderr only\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	cli(t).want(t, 2, "用法 usage")
	cli(t, "frobnicate").want(t, 2, "unknown command")
	cli(t, "calendar", "frobnicate").want(t, 2, "unknown command")
	cli(t, "deadline", "--no-such-flag").want(t, 2)
}

func TestDeadline(t *testing.T) {
	r := cli(t, "deadline", "--received", "2025-09-30T15:00:00+08:00", "--days", "10")
	r.want(t, 0)
	if lines := strings.Split(r.stdout, "\n"); lines[0] != "2025-10-21" || !strings.Contains(lines[1], "2025-10-22T00:00:00+08:00") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	cli(t, "deadline", "--received", "2025-09-30 15:00", "--days", "10", "--explain").
		want(t, 0, "调休上班日（国庆节、中秋节），计第3个工作日", "2025-10-21 星期二  工作日，计第10个工作日；期限最后一日")
	cli(t, "deadline", "--received", "2025-09-30T15:00:00+08:00", "--days", "10", "--explain", "--lang", "en").
		want(t, 0, "make-up working day (National Day and Mid-Autumn Festival), counts as day 3")
	cli(t, "deadline", "--received", "2025-09-30T15:00:00+08:00", "--days", "10", "--extend", "2", "--close-of-business", "17:30").
		want(t, 0, "2025-10-23\n", "2025-10-23T17:30:00+08:00")

	r = cli(t, "deadline", "--received", "2025-09-30T15:00:00+08:00", "--days", "10", "--json")
	r.want(t, 0)
	var d struct {
		LastDay string          `json:"last_day"`
		Due     string          `json:"due"`
		Days    []httpapi.Day   `json:"days"`
		Rest    json.RawMessage `json:"explain_zh"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.LastDay != "2025-10-21" || d.Due != "2025-10-22T00:00:00+08:00" || len(d.Days) != 22 || d.Days[0].Reason == "" {
		t.Errorf("%+v", d)
	}

	// A year without an official schedule: exit 3, naming the year.
	cli(t, "deadline", "--received", "2027-03-01T09:00:00+08:00", "--days", "10").want(t, 3, "2027")
	cli(t, "deadline", "--received", "2026-12-20", "--days", "10").want(t, 3, "没有2027年的官方放假安排", "no official holiday schedule for 2027")
	// Loaded from a holiday-cn file, 2027 counts.
	cli(t, "deadline", "--received", "2026-12-20", "--days", "10", "--schedule", "testdata/holiday-cn-2027.json").
		want(t, 0, "2027-01-04\n")
	cli(t, "deadline", "--received", "2026-12-20", "--days", "10", "--schedule", "testdata/holiday-cn-2027-no-spring-festival.json").
		want(t, 1, "春节")
	cli(t, "deadline", "--received", "2026-12-20", "--days", "10", "--schedule", "testdata/holiday-cn-2028-unannounced.json").
		want(t, 3, "尚未公布")
	cli(t, "deadline", "--received", "2026-12-20", "--days", "10", "--schedule", "testdata/none.json").want(t, 2, "none.json")

	for _, args := range [][]string{
		{"--days", "10"},
		{"--received", "2025-09-30", "--days", "0"},
		{"--received", "yesterday", "--days", "1"},
		{"--received", "2025-09-30", "--days", "1", "--close-of-business", "5pm"},
		{"--received", "2025-09-30", "--days", "1", "--lang", "fr"},
		{"--received", "2300-01-01", "--days", "1"},
	} {
		cli(t, append([]string{"deadline"}, args...)...).want(t, 2)
	}
}

func TestCalendar(t *testing.T) {
	cli(t, "calendar", "check", "testdata/holiday-cn-2027.json", "../../deadline/schedules/2026.json").want(t, 0, "通过 OK", "2027年")
	cli(t, "calendar", "check", "testdata/holiday-cn-2027.json", "testdata/holiday-cn-2027-no-spring-festival.json").
		want(t, 1, "不通过 FAIL testdata/holiday-cn-2027-no-spring-festival.json", "春节", "Spring Festival")
	cli(t, "calendar", "check", "testdata/holiday-cn-2028-unannounced.json").want(t, 3, "尚未公布", "not announced")
	cli(t, "calendar", "check", "testdata/holiday-cn-2028-unannounced.json", "testdata/holiday-cn-2027-no-spring-festival.json").want(t, 1)
	cli(t, "calendar", "check", "testdata/none.json", "testdata/holiday-cn-2027-no-spring-festival.json").want(t, 2)
	cli(t, "calendar", "check").want(t, 2)

	r := cli(t, "calendar", "convert", "--from", "holiday-cn", "testdata/holiday-cn-2027.json")
	r.want(t, 0)
	s, err := deadline.LoadSchedule(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if s.Year != 2027 || len(s.Holidays) != 7 || !strings.Contains(r.stdout, `"2027-02-08..2027-02-10"`) || !strings.Contains(r.stdout, `"work": [
        "2027-02-13"`) {
		t.Errorf("converted:\n%s", r.stdout)
	}
	// The converted file is a schedule the command takes.
	conv := filepath.Join(t.TempDir(), "2027.json")
	if err := os.WriteFile(conv, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	cli(t, "calendar", "check", conv).want(t, 0, "通过 OK")
	cli(t, "calendar", "convert", "--from", "holiday-cn", "testdata/holiday-cn-2027-no-spring-festival.json").want(t, 1, "春节")
	cli(t, "calendar", "convert", "testdata/holiday-cn-2027.json").want(t, 2, "--from")

	r = cli(t, "calendar", "show", "2026", "--month", "10")
	r.want(t, 0, "2026年10月", "  1休", " 10班", "国庆节 National Day：休 10-01..10-07（7天 days off）；班 10-10", "国办发明电〔2025〕7号")
	if strings.Contains(r.stdout, "2026年9月") {
		t.Errorf("more than one month:\n%s", r.stdout)
	}
	r = cli(t, "calendar", "show", "2026")
	r.want(t, 0, "2026年1月", "2026年12月")
	cli(t, "calendar", "show", "2027").want(t, 3, "2027")
	cli(t, "calendar", "show", "2027", "--month", "2", "--schedule", "testdata/holiday-cn-2027.json").
		want(t, 0, "  5休", " 13班", "春节 Spring Festival")
	cli(t, "calendar", "show", "twenty").want(t, 2)
	cli(t, "calendar", "show", "2026", "--month", "13").want(t, 2)
}

// catalogFiles writes a catalog with an error (a conditional entry
// without its conditions, R7) and one without, as CSV, JSON and XLSX.
func catalogFiles(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	good := []catalog.Entry{demoEntries()[0], demoEntries()[1]}
	bad := demoEntries()
	bad[0].Conditions = ""
	write := func(name string, f func(io.Writer) error) {
		var buf bytes.Buffer
		if err := f(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.json", func(w io.Writer) error { return catalog.ExportJSON(w, good) })
	write("bad.csv", func(w io.Writer) error { return catalog.ExportCSV(w, bad) })
	write("bad.xlsx", func(w io.Writer) error { return catalog.ExportXLSX(w, bad) })
	return dir
}

func TestCatalog(t *testing.T) {
	dir := catalogFiles(t)
	cli(t, "catalog", "lint", filepath.Join(dir, "good.json")).want(t, 0, "2 个目录，6 个数据项；0 个错误")
	cli(t, "catalog", "lint", filepath.Join(dir, "bad.xlsx")).
		want(t, 1, "目录第2行", "catalog.conditions_missing", "R7", "1 个错误")
	cli(t, "catalog", "lint", filepath.Join(dir, "bad.csv"), "--lang", "en").
		want(t, 1, "row 2 column", "error\tcatalog.conditions_missing", "1 errors")
	cli(t, "catalog", "lint", filepath.Join(dir, "bad.csv"), "--lang", "both").want(t, 1, "第2行", "row 2", "错误 error")

	r := cli(t, "catalog", "lint", "--json", filepath.Join(dir, "bad.xlsx"))
	r.want(t, 1)
	var l httpapi.Lint
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	var got *httpapi.LintFinding
	for i, f := range l.Findings {
		if f.Code == catalog.CodeConditionsMissing {
			got = &l.Findings[i]
		}
	}
	if l.Errors != 1 || got == nil || got.Sheet != "目录" || got.Row != 2 || got.Column == "" || got.Citation.Rule != "R7" || got.Zh == "" || got.En == "" {
		t.Errorf("%+v / %+v", l, got)
	}
	// The national profile is the default: an unconditional entry with
	// sensitive personal information is an error under it, and not without.
	sens := demoEntries()[1]
	sens.Items = append(sens.Items, catalog.DataItem{Name: "负责人身份证号", Column: "fzrsfzh", Type: catalog.TypeString, Length: 18, Kind: classify.IDCard})
	var buf bytes.Buffer
	if err := catalog.ExportJSON(&buf, []catalog.Entry{sens}); err != nil {
		t.Fatal(err)
	}
	sp := filepath.Join(dir, "sensitive.json")
	if err := os.WriteFile(sp, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cli(t, "catalog", "lint", sp).want(t, 1, "classify.sensitive_unconditional")
	cli(t, "catalog", "lint", sp, "--policy", "none").want(t, 0)

	cli(t, "catalog", "lint", filepath.Join(dir, "none.csv")).want(t, 2)
	cli(t, "catalog", "lint", filepath.Join(dir, "x.pdf")).want(t, 2, ".xlsx")
	cli(t, "catalog", "lint").want(t, 2)

	tmpl := filepath.Join(dir, "目录模板.xlsx")
	cli(t, "catalog", "template", "-o", tmpl).want(t, 0)
	data, err := os.ReadFile(tmpl)
	if err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Fatalf("template: %v", err)
	}
	r = cli(t, "catalog", "template")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "PK") {
		t.Errorf("template to a pipe: exit %d", r.code)
	}
	cli(t, "catalog", "lint", tmpl).want(t, 0, catalog.CodeNoEntries, "1 个警告")

	// Converting: xlsx → json → csv keeps the entries; a file with errors
	// is not converted unless --force.
	out := filepath.Join(dir, "out.json")
	cli(t, "catalog", "convert", filepath.Join(dir, "good.json"), filepath.Join(dir, "good.xlsx")).want(t, 0, "2 个目录")
	cli(t, "catalog", "convert", filepath.Join(dir, "good.xlsx"), out).want(t, 0)
	cli(t, "catalog", "convert", out, filepath.Join(dir, "good.csv")).want(t, 0)
	a, _ := os.ReadFile(filepath.Join(dir, "good.json"))
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Errorf("round trip through xlsx changed the JSON:\n%s\n---\n%s", a, b)
	}
	cli(t, "catalog", "convert", filepath.Join(dir, "bad.csv"), filepath.Join(dir, "bad.json")).want(t, 1, "--force")
	if _, err := os.Stat(filepath.Join(dir, "bad.json")); err == nil {
		t.Error("a refused conversion left its output")
	}
	cli(t, "catalog", "convert", "--force", filepath.Join(dir, "bad.csv"), filepath.Join(dir, "bad.json")).want(t, 0)
	cli(t, "catalog", "convert", filepath.Join(dir, "good.json"), filepath.Join(dir, "x.txt")).want(t, 2)
}

// auditLog writes a keyed file log of n events with a signed checkpoint
// after them, and returns its path, its key file and its public-key file.
func auditLog(t *testing.T, n int) (path, keyFile, pubFile string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path = filepath.Join(dir, "audit.log")
	key := bytes.Repeat([]byte{0x5a}, 32)
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		t.Fatal(err)
	}
	f, err := audit.OpenFile(ctx, path, audit.WithKey(key), audit.WithSigner(signer))
	if err != nil {
		t.Fatal(err)
	}
	clerk := demoTokens["demo-wang"]
	for i := range n {
		_, err := f.Append(ctx, audit.Event{Time: time.Date(2026, 9, 29, 9, i, 0, 0, deadline.CST), Actor: clerk,
			Action: "request.submit", Target: audit.Target{Kind: "application", ID: fmt.Sprintf("SQ-%03d", i)},
			Outcome: audit.Success, Details: json.RawMessage(`{"note":"<b>&"}`)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	keyFile, pubFile = filepath.Join(dir, "key.hex"), filepath.Join(dir, "pub.txt")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubFile, []byte(signer.Public().String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, keyFile, pubFile
}

// frames splits a log file into its frames' offsets (after the magic).
func frames(data []byte) (offs []int) {
	for off := 8; off+5 <= len(data); {
		offs = append(offs, off)
		off += 9 + int(binary.BigEndian.Uint32(data[off+1:]))
	}
	return offs
}

// tamper changes one byte in the payload of record seq, and rewrites the
// frame's checksum when careful is set, as an attacker who knows the
// format would.
func tamper(t *testing.T, path string, seq int, careful bool) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []int
	for _, off := range frames(data) {
		if data[off] == 'R' {
			recs = append(recs, off)
		}
	}
	off := recs[seq]
	n := int(binary.BigEndian.Uint32(data[off+1:]))
	payload := data[off+5 : off+5+n]
	i := bytes.Index(payload, []byte("SQ-00"))
	if i < 0 {
		t.Fatal("no target id in the record")
	}
	payload[i+3] = '9' // SQ-003 becomes SQ-903
	if careful {
		sum := crc32.Checksum(data[off:off+5+n], crc32.MakeTable(crc32.Castagnoli))
		binary.BigEndian.PutUint32(data[off+5+n:], sum)
	}
	out := filepath.Join(t.TempDir(), "tampered.log")
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAudit(t *testing.T) {
	path, keyFile, pubFile := auditLog(t, 6)
	cli(t, "audit", "verify", path, "--key-file", keyFile, "--public-key", pubFile).
		want(t, 0, "通过 verified", "6 条记录 records", "1 个签名检查点")
	pub, _ := os.ReadFile(pubFile)
	cli(t, "audit", "verify", "--public-key", strings.TrimSpace(string(pub)), "--key-file", keyFile, path).want(t, 0)
	cli(t, "audit", "verify", path, "--public-key", pubFile).want(t, 2, "--key-file")
	cli(t, "audit", "verify", path, "--key-file", keyFile).want(t, 2, "--public-key")
	other := filepath.Join(t.TempDir(), "other.key")
	_ = os.WriteFile(other, []byte(strings.Repeat("ab", 32)), 0o600)
	cli(t, "audit", "verify", path, "--key-file", other, "--public-key", pubFile).want(t, 1, "seq 0", "密钥不符")
	cli(t, "audit", "verify", filepath.Join(t.TempDir(), "none.log")).want(t, 2)

	// A tampered record: exit 1 with its sequence number, whether the
	// frame's checksum was rewritten or not.
	cli(t, "audit", "verify", tamper(t, path, 3, true), "--key-file", keyFile, "--public-key", pubFile).
		want(t, 1, "seq 3", "记录被篡改", "record modified")
	cli(t, "audit", "verify", tamper(t, path, 3, false), "--key-file", keyFile, "--public-key", pubFile).
		want(t, 1, "seq 3")

	r := cli(t, "audit", "show", path, "--from", "1", "--to", "3")
	r.want(t, 0, "#1\t2026-09-29 09:01:00\trequest.submit\t王经办", "application SQ-002")
	if strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("show 1..3:\n%s", r.stdout)
	}
	r = cli(t, "audit", "show", path, "--json")
	r.want(t, 0)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	n := 0
	for sc.Scan() {
		var rec audit.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.Seq != uint64(n) {
			t.Fatalf("line %d: %v %s", n, err, sc.Text())
		}
		n++
	}
	if n != 6 {
		t.Errorf("%d JSON lines", n)
	}
	cli(t, "audit", "show", path, "--from", "9").want(t, 2)

	// Prove a record, check the bundle offline.
	r = cli(t, "audit", "prove", path, "--seq", "2")
	r.want(t, 0)
	bundle := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(bundle, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	cli(t, "audit", "check", bundle, "--public-key", pubFile).want(t, 0, "通过 verified", "seq 2–2")
	cli(t, "audit", "check", bundle, "--public-key", pubFile, "--key-file", keyFile).want(t, 0)
	cli(t, "audit", "check", bundle).want(t, 2, "--public-key")
	otherSigner, _ := audit.GenerateSM2Signer()
	cli(t, "audit", "check", bundle, "--public-key", otherSigner.Public().String()).want(t, 1, "签名")
	forged := filepath.Join(t.TempDir(), "forged.json")
	_ = os.WriteFile(forged, bytes.Replace([]byte(r.stdout), []byte("SQ-002"), []byte("SQ-902"), 1), 0o644)
	cli(t, "audit", "check", forged, "--public-key", pubFile).want(t, 1, "seq 2")
	r = cli(t, "audit", "prove", path, "--seq", "1", "--to", "4")
	r.want(t, 0)
	_ = os.WriteFile(bundle, []byte(r.stdout), 0o644)
	cli(t, "audit", "check", bundle, "--public-key", pubFile).want(t, 0, "seq 1–3")
	cli(t, "audit", "prove", path, "--seq", "6").want(t, 2, "6")
	cli(t, "audit", "prove", path).want(t, 2)

	// A record after the last checkpoint has nothing to be proved against.
	ctx := context.Background()
	pubText, err := os.ReadFile(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := audit.ParsePublicKey(strings.TrimSpace(string(pubText)))
	if err != nil {
		t.Fatal(err)
	}
	// A writer of a log holding checkpoints checks them: it needs the key.
	f, err := audit.OpenFile(ctx, path, audit.WithKey(bytes.Repeat([]byte{0x5a}, 32)), audit.WithPublicKey(pk))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Append(ctx, audit.Event{Time: time.Date(2026, 9, 30, 9, 0, 0, 0, deadline.CST), Actor: demoTokens["demo-wang"],
		Action: "request.withdraw", Target: audit.Target{Kind: "application", ID: "SQ-001"}, Outcome: audit.Success}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cli(t, "audit", "prove", path, "--seq", "6").want(t, 1, "检查点")
}

func TestServe(t *testing.T) {
	cli(t, "serve", "--postgres", "postgres://postgres@127.0.0.1:1/test?connect_timeout=2").want(t, 2, "PostgreSQL")
	cli(t, "serve", "--demo", "--postgres", "postgres://postgres@127.0.0.1/test").want(t, 2, "--demo")
	cli(t, "serve", "--keep-changes", "5").want(t, 2, "--keep-changes")
	cli(t, "serve", "--prune-every", "1h").want(t, 2, "--postgres")
	cli(t, "serve", "--postgres", "postgres://postgres@127.0.0.1:1/test", "--prune-every", "10ms").want(t, 2, "--prune-every")
	cli(t, "serve", "--postgres", "postgres://postgres@127.0.0.1:1/test", "--keep-changes", "-1").want(t, 2, "keep-changes")
	cli(t, "serve", "--demo", "--addr", "0.0.0.0:0").want(t, 2, "loopback")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--sweep", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var base, pub string
	for sc.Scan() {
		line := sc.Text()
		if u, ok := strings.CutPrefix(line, "govshare serve: "); ok && base == "" {
			base = strings.TrimSuffix(u, "/v1/openapi.yaml")
		}
		if p, ok := strings.CutPrefix(line, "审计日志公钥 audit public key: "); ok {
			pub = p
		}
		if strings.Contains(line, "demo-gateway") {
			break
		}
	}
	if base == "" || pub == "" {
		cmd.Process.Kill()
		t.Fatalf("no address or key; stderr: %s", stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	call := func(method, path, token, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
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
	if code, body := call("GET", "/v1/openapi.yaml", "", ""); code != 200 || !bytes.Equal(body, httpapi.OpenAPI()) {
		t.Errorf("openapi: %d", code)
	}
	code, body := call("GET", "/v1/applications/SQ-002", "demo-wang", "")
	if code != 200 || !strings.Contains(string(body), `"state":"active"`) {
		t.Errorf("SQ-002: %d %s", code, body)
	}
	if code, _ := call("GET", "/v1/applications/SQ-002", "", ""); code != 403 {
		t.Errorf("no token: %d", code)
	}
	if code, body := call("POST", "/v1/applications/SQ-002/commands", "demo-li", `{"command":"close","statement":"目的已实现，数据已删除"}`); code != 200 {
		t.Errorf("close: %d %s", code, body)
	}
	if code, body := call("POST", "/v1/gateway/authorize", "demo-gateway",
		`{"department":{"credit_code":"11330100002482088M"},"entry_id":"101001/000001","items":["姓名"],"method":"service_api","scenario":"最低生活保障对象资格审核"}`); code != 200 ||
		!strings.Contains(string(body), `"reason":"closed"`) {
		t.Errorf("gateway after close: %d %s", code, body)
	}
	// A supervisor's bundle from the running server checks offline with
	// the key the server printed.
	if code, body := call("POST", "/v1/audit/checkpoints", "demo-sun", ""); code != 201 {
		t.Fatalf("checkpoint: %d %s", code, body)
	}
	code, body = call("GET", "/v1/audit/records/0/proof?to=3", "demo-sun", "")
	if code != 200 {
		t.Fatalf("proof: %d %s", code, body)
	}
	bundle := filepath.Join(t.TempDir(), "bundle.json")
	_ = os.WriteFile(bundle, body, 0o644)
	cli(t, "audit", "check", bundle, "--public-key", pub).want(t, 0, "seq 0–2")

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve exit: %v; stderr: %s", err, stderr.String())
	}
}

// TestServeTokens: without --demo the tokens come from a file, and a
// catalog file is published at start.
func TestServeTokens(t *testing.T) {
	dir := catalogFiles(t)
	tokens := filepath.Join(dir, "tokens.json")
	actors := map[string]govshare.Actor{"0123456789abcdef-wang": demoTokens["demo-wang"]}
	data, _ := json.Marshal(actors)
	_ = os.WriteFile(tokens, data, 0o600)
	short := filepath.Join(dir, "short.json")
	_ = os.WriteFile(short, []byte(`{"abc":{"id":"x","role":"clerk"}}`), 0o600)
	cli(t, "serve", "--tokens", short).want(t, 2, "16")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--tokens", tokens, "--catalog", filepath.Join(dir, "bad.csv"))
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var base string
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if u, ok := strings.CutPrefix(sc.Text(), "govshare serve: "); ok {
			base = strings.TrimSuffix(u, "/v1/openapi.yaml")
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if !strings.Contains(strings.Join(lines, "\n"), "发布 published 1/2") {
		t.Errorf("catalog: %v", lines)
	}
	req, _ := http.NewRequest("GET", base+"/v1/catalog/entries?status=published", nil)
	req.Header.Set("Authorization", "Bearer 0123456789abcdef-wang")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var res catalog.Result
	_ = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if resp.StatusCode != 200 || res.Total != 1 {
		t.Errorf("%d %+v", resp.StatusCode, res)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve exit: %v", err)
	}
}
