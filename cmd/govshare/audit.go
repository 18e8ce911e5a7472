package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

const auditHelp = `用法 usage:
  govshare audit verify FILE [--key-file K] [--public-key P]
  govshare audit show FILE [--from N] [--to M] [--json]
  govshare audit prove FILE --seq N [--to M] > bundle.json
  govshare audit check BUNDLE --public-key P [--key-file K]

verify  校验审计日志文件（只读打开）：每条记录、哈希链（带密钥时为 HMAC）和每个检查点的签名；
        发现问题时给出第一个有问题的记录序号和问题种类。
        Verifies an audit log file (opened read-only): every record, the hash
        chain (HMACs with the key) and every checkpoint's signature; on a
        problem, names the first bad sequence number and what is wrong.
show    列出记录 [from, to)；--json 每行一个 JSON 对象。
        Lists the records from ≤ seq < to; --json: one JSON object per line.
prove   导出记录 seq（至 to 之前）及其默克尔包含证明，以覆盖它的最新检查点为准。
        Exports the records seq ≤ Seq < to with their Merkle inclusion proofs
        against the newest checkpoint that covers them.
check   离线校验证明包：检查点签名（用你信任的公钥，而不是包中带来的）、每条记录的证明和哈希链。
        Verifies a bundle offline: the checkpoint's signature under the key you
        trust (never one the bundle brings), each record's proof and the chain.

  --key-file K    日志的 HMAC 密钥文件：十六进制文本（如 64 个十六进制数字），否则按原始字节
                  the log's HMAC key: hexadecimal text (e.g. 64 hex digits), else raw bytes
  --public-key P  检查点公钥 the checkpoints' public key: "sm2:…" / "ed25519:…", or a file holding it

退出码 exit status: 0 通过 verified; 1 未通过（给出序号和种类）verification failed (sequence
number and kind given); 2 用法错误、文件无法读取或缺少密钥/公钥 usage error, unreadable file, or
a key or public key needed.
`

func auditCmd(ctx context.Context, args []string, e env) error {
	return subcommand(ctx, "audit", auditHelp, map[string]command{
		"verify": auditVerify,
		"show":   auditShow,
		"prove":  auditProve,
		"check":  auditCheck,
	}, args, e)
}

// keyFlags are the key options of verify and check.
type keyFlags struct{ keyFile, publicKey *string }

func addKeyFlags(fs interface {
	String(name, value, usage string) *string
}) keyFlags {
	return keyFlags{keyFile: fs.String("key-file", "", ""), publicKey: fs.String("public-key", "", "")}
}

// key reads the HMAC key: hexadecimal text if the file holds nothing
// else, otherwise its bytes as they are.
func (k keyFlags) key() ([]byte, error) {
	if *k.keyFile == "" {
		return nil, nil
	}
	data, err := readBounded(*k.keyFile, 4096)
	if err != nil {
		return nil, err
	}
	if t := strings.TrimSpace(string(data)); len(t) >= 2*audit.MinKeySize && len(t)%2 == 0 {
		if b, err := hex.DecodeString(t); err == nil {
			return b, nil
		}
	}
	return data, nil
}

// pub reads the public key, given as its text or as a file holding it.
func (k keyFlags) pub() (audit.PublicKey, bool, error) {
	s := *k.publicKey
	if s == "" {
		return audit.PublicKey{}, false, nil
	}
	if !strings.HasPrefix(s, "sm2:") && !strings.HasPrefix(s, "ed25519:") {
		data, err := readBounded(s, 4096)
		if err != nil {
			return audit.PublicKey{}, false, err
		}
		s = strings.TrimSpace(string(data))
	}
	p, err := audit.ParsePublicKey(s)
	if err != nil {
		return p, false, fail(exitUsage, fmt.Errorf("--public-key: %w", err))
	}
	return p, true, nil
}

// open opens a log file read-only with the keys given.
func (k keyFlags) open(ctx context.Context, path string) (*audit.File, error) {
	opts := []audit.Option{audit.ReadOnly()}
	key, err := k.key()
	if err != nil {
		return nil, err
	}
	if key != nil {
		opts = append(opts, audit.WithKey(key))
	}
	pub, ok, err := k.pub()
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, audit.WithPublicKey(pub))
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fileError(path, err)
	}
	f, err := audit.OpenFile(ctx, path, opts...)
	if err != nil {
		return nil, auditError(path, err)
	}
	return f, nil
}

// auditError classifies an audit error: a log that fails verification or
// a damaged file is a problem found (1), naming the first bad sequence
// number and its kind; a missing key or public key is a usage error (2).
func auditError(path string, err error) error {
	var ve *audit.VerifyError
	var fe *audit.FormatError
	var tt *audit.TornTailError
	switch {
	case errors.As(err, &ve):
		return fail(exitProblems, &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "audit.verify_failed",
			Zh:  fmt.Sprintf("%s 未通过校验：第一个有问题的记录 seq %d，%s", path, ve.Seq, ve.Kind),
			En:  fmt.Sprintf("%s fails verification: first bad record seq %d, %s (%s)", path, ve.Seq, ve.Kind.English(), ve.Detail),
			Err: err})
	case errors.As(err, &fe):
		return fail(exitProblems, &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "audit.corrupt",
			Zh:  fmt.Sprintf("%s 文件损坏：第一个有问题的记录 seq %d，记录被篡改或文件损坏（偏移 %d）", path, fe.Record, fe.Offset),
			En:  fmt.Sprintf("%s is damaged: first bad record seq %d, record modified or file corrupt at offset %d (%s)", path, fe.Record, fe.Offset, fe.Reason),
			Err: err})
	case errors.As(err, &tt):
		return fail(exitProblems, &govshare.CodedError{Kind: govshare.ErrCorrupt, Code: "audit.torn_tail",
			Zh:  fmt.Sprintf("%s 尾部记录不完整：第一个有问题的记录 seq %d（写入时崩溃留下，audit.Repair 可去除）", path, tt.Records),
			En:  fmt.Sprintf("%s ends in a torn record: first bad record seq %d (left by a crash; audit.Repair removes it)", path, tt.Records),
			Err: err})
	case errors.Is(err, audit.ErrKeyRequired):
		return usageError(path+" 是带密钥的日志，须用 --key-file 给出密钥", path+" is a keyed log: give its key with --key-file")
	case errors.Is(err, audit.ErrNoPublicKey):
		return usageError(path+" 有签名检查点，须用 --public-key 给出公钥", path+" has signed checkpoints: give their public key with --public-key")
	}
	return fail(exitUsage, fmt.Errorf("%s: %w", path, err))
}

func auditVerify(ctx context.Context, args []string, e env) error {
	fs := flags("audit verify", auditHelp, e)
	keys := addKeyFlags(fs)
	pos, err := parse(fs, auditHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("须给出一个审计日志文件", "give one audit log file")
	}
	path := pos[0]
	f, err := keys.open(ctx, path)
	if err != nil {
		return err
	}
	defer f.Close()
	if tt := f.TornTail(); tt != nil {
		return auditError(path, tt)
	}
	if err := f.Verify(ctx); err != nil {
		return auditError(path, err)
	}
	n, err := f.Len(ctx)
	if err != nil {
		return auditError(path, err)
	}
	h := f.Header()
	keyed := "无密钥 unkeyed"
	if h.Keyed {
		keyed = "HMAC 密钥 keyed"
	}
	fmt.Fprintf(e.stdout, "通过 verified: %s：%d 条记录 records，%d 个签名检查点 signed checkpoints，%s，%s，日志 log %s\n",
		path, n, len(f.Checkpoints()), h.Algorithm, keyed, h.LogID)
	return nil
}

func auditShow(ctx context.Context, args []string, e env) error {
	fs := flags("audit show", auditHelp, e)
	from := fs.Uint64("from", 0, "")
	to := fs.Uint64("to", 0, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, auditHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("须给出一个审计日志文件", "give one audit log file")
	}
	f, err := keyFlags{keyFile: new(string), publicKey: new(string)}.open(ctx, pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := f.Len(ctx)
	if err != nil {
		return auditError(pos[0], err)
	}
	end := n
	if *to != 0 {
		end = min(*to, n)
	}
	if *from > end {
		return usageError(fmt.Sprintf("--from %d 超出日志（共 %d 条）", *from, n), fmt.Sprintf("--from %d is beyond the log (%d records)", *from, n))
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for rec, err := range f.Read(ctx, *from, end) {
		if err != nil {
			return auditError(pos[0], err)
		}
		if *asJSON {
			if err := enc.Encode(rec); err != nil {
				return err
			}
			continue
		}
		ev := rec.Event
		line := fmt.Sprintf("#%d\t%s\t%s\t%s\t%s", rec.Seq, ev.Time.In(deadline.CST).Format(time.DateTime), ev.Action, ev.Actor, ev.Outcome)
		if ev.ErrorCode != "" {
			line += "(" + ev.ErrorCode + ")"
		}
		if ev.Target.Kind != "" || ev.Target.ID != "" {
			line += "\t" + ev.Target.Kind + " " + ev.Target.ID
		}
		if len(ev.Details) > 0 {
			line += "\t" + string(ev.Details)
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func auditProve(ctx context.Context, args []string, e env) error {
	fs := flags("audit prove", auditHelp, e)
	seq := fs.Int64("seq", -1, "")
	to := fs.Uint64("to", 0, "")
	pos, err := parse(fs, auditHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *seq < 0 {
		return usageError("须给出审计日志文件和 --seq N", "give the audit log file and --seq N")
	}
	from := uint64(*seq)
	end := from + 1
	if *to != 0 {
		if *to <= from {
			return usageError("--to 须大于 --seq", "--to must be above --seq")
		}
		end = *to
	}
	f, err := keyFlags{keyFile: new(string), publicKey: new(string)}.open(ctx, pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := f.Len(ctx)
	if err != nil {
		return auditError(pos[0], err)
	}
	if end > n {
		return usageError(fmt.Sprintf("日志只有 %d 条记录（seq 0–%d）", n, int64(n)-1), fmt.Sprintf("the log has %d records (seq 0–%d)", n, int64(n)-1))
	}
	var cp *audit.Checkpoint
	for _, c := range f.Checkpoints() {
		if c.Size >= end && (cp == nil || c.Size > cp.Size) {
			cp = &c
		}
	}
	if cp == nil {
		return fail(exitProblems, &govshare.CodedError{Kind: govshare.ErrConflict, Code: "audit.no_checkpoint",
			Zh: fmt.Sprintf("日志中没有覆盖记录 seq %d 的签名检查点，须先由日志的写入者生成检查点", end-1),
			En: fmt.Sprintf("no signed checkpoint in the log covers record seq %d; the log's writer must take one first", end-1)})
	}
	b, err := audit.ExportBundle(ctx, f, *cp, from, end)
	if err != nil {
		return auditError(pos[0], err)
	}
	_, err = b.WriteTo(e.stdout)
	return err
}

func auditCheck(ctx context.Context, args []string, e env) error {
	fs := flags("audit check", auditHelp, e)
	keys := addKeyFlags(fs)
	pos, err := parse(fs, auditHelp, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("须给出一个证明包文件", "give one bundle file")
	}
	pub, ok, err := keys.pub()
	if err != nil {
		return err
	}
	if !ok {
		return usageError("须用 --public-key 给出你信任的检查点公钥（证明包自带的公钥不可信）",
			"give the checkpoints' public key you trust with --public-key (a key the bundle brought would prove nothing)")
	}
	key, err := keys.key()
	if err != nil {
		return err
	}
	r, err := os.Open(pos[0])
	if err != nil {
		return fileError(pos[0], err)
	}
	defer r.Close()
	b, err := audit.ReadBundle(ctx, r)
	if err != nil {
		return fail(exitUsage, fmt.Errorf("%s: %w", pos[0], err))
	}
	if err := b.Verify(pub, key); err != nil {
		return auditError(pos[0], err)
	}
	first, last := uint64(0), uint64(0)
	if len(b.Records) > 0 {
		first, last = b.Records[0].Seq, b.Records[len(b.Records)-1].Seq
	}
	fmt.Fprintf(e.stdout, "通过 verified: %s：记录 records seq %d–%d（%d 条），检查点 checkpoint %d 条记录 records，%s 签名 signed by %s\n",
		pos[0], first, last, len(b.Records), b.Checkpoint.Size, b.Checkpoint.SignatureAlgorithm, pub.ID())
	return nil
}
