package audit

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/textcode"
)

// Kind says what is wrong with a log that fails verification.
type Kind uint8

const (
	// KindModified is 记录被篡改: a record's content or hash was changed (or
	// the record cannot be parsed).
	KindModified Kind = iota + 1
	// KindDeleted is 记录被删除: records are missing from the middle of the
	// log; Seq is the first missing sequence number.
	KindDeleted
	// KindInserted is 记录被插入: a record that is not the log's (forged or
	// replayed) stands at Seq.
	KindInserted
	// KindReordered is 记录顺序被调换: genuine records are out of order; Seq
	// is the first position that holds the wrong one.
	KindReordered
	// KindTruncated is 检查点之后被截断: the log has fewer records than a
	// signed checkpoint says it had; Seq is the first missing one. A
	// deletion of the last records is a truncation.
	KindTruncated
	// KindBadSignature is 检查点签名无效: a checkpoint's signature does not
	// verify, or it is signed for another log; Seq is its size.
	KindBadSignature
	// KindWrongKey is 密钥不符: the key given is not the log's (found at
	// open, Seq 0), or the records from Seq on were hashed with another key.
	KindWrongKey
	// KindRootMismatch is 记录与检查点不符: the records do not reproduce a
	// validly signed checkpoint's root, although each record checks out by
	// itself — what an unkeyed log rewritten with recomputed hashes looks
	// like. A root cannot say which record changed: Seq is the size of the
	// last checkpoint that still matches (0 if none), the first sequence
	// number that may be bad.
	KindRootMismatch
)

var kinds = textcode.Table[Kind]{
	{Value: KindModified, Code: "modified", Zh: "记录被篡改", En: "record modified"},
	{Value: KindDeleted, Code: "deleted", Zh: "记录被删除", En: "record deleted"},
	{Value: KindInserted, Code: "inserted", Zh: "记录被插入", En: "record inserted"},
	{Value: KindReordered, Code: "reordered", Zh: "记录顺序被调换", En: "records reordered"},
	{Value: KindTruncated, Code: "truncated", Zh: "检查点之后被截断", En: "truncated after a checkpoint"},
	{Value: KindBadSignature, Code: "bad_signature", Zh: "检查点签名无效", En: "bad checkpoint signature"},
	{Value: KindWrongKey, Code: "wrong_key", Zh: "密钥不符", En: "wrong key"},
	{Value: KindRootMismatch, Code: "root_mismatch", Zh: "记录与检查点不符", En: "records differ from a signed checkpoint"},
}

// String returns the Chinese term, e.g. 记录被篡改.
func (k Kind) String() string {
	if e, ok := kinds.Lookup(k); ok {
		return e.Zh
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// English returns the English name, e.g. "record modified".
func (k Kind) English() string {
	e, _ := kinds.Lookup(k)
	return e.En
}

// MarshalText returns the stable code, e.g. modified.
func (k Kind) MarshalText() ([]byte, error) { return marshalCode(kinds, "verification kind", k) }

// UnmarshalText accepts the stable code or the Chinese term.
func (k *Kind) UnmarshalText(text []byte) error {
	return unmarshalCode(kinds, "verification kind", text, k)
}

// VerifyError is a failed verification: the first bad sequence number and
// what is wrong there. errors.Is(err, ErrVerify) holds, and
// errors.Is(err, ErrWrongKey) for KindWrongKey. Its kind is
// govshare.ErrCorrupt, or govshare.ErrInvalid for KindWrongKey: then the
// key given is wrong, not the log.
type VerifyError struct {
	Seq  uint64 // the first bad sequence number (see Kind for what it means)
	Kind Kind   // what is wrong
	// Checkpoint is the checkpoint involved, for the checkpoint kinds.
	Checkpoint *Checkpoint
	Detail     string // more about it, in English
}

// Error returns the message.
func (e *VerifyError) Error() string {
	s := fmt.Sprintf("audit: verification failed at record %d: %s (%s)", e.Seq, e.Kind, e.Kind.English())
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is ErrVerify, or ErrWrongKey for KindWrongKey.
func (e *VerifyError) Is(target error) bool {
	return target == ErrVerify || (target == ErrWrongKey && e.Kind == KindWrongKey)
}

// Unwrap returns ErrWrongKey for KindWrongKey, ErrVerify otherwise: the
// error's kind.
func (e *VerifyError) Unwrap() error {
	if e.Kind == KindWrongKey {
		return ErrWrongKey
	}
	return ErrVerify
}

// ErrorMessage implements govshare.Messenger.
func (e *VerifyError) ErrorMessage() govshare.Message {
	zh := fmt.Sprintf("审计日志验证未通过：序号 %d：%s", e.Seq, e.Kind)
	if e.Detail != "" {
		zh += "（" + e.Detail + "）"
	}
	return message(e.Unwrap(), zh, e.Error())
}

// priority breaks ties between problems at the same sequence number: the
// record-level finding is the most precise.
func (e *VerifyError) priority() int {
	switch e.Kind {
	case KindTruncated:
		return 1
	case KindBadSignature:
		return 2
	case KindRootMismatch:
		return 3
	}
	return 0
}

// rawRecord is a stored record: its canonical encoding and stored hash.
type rawRecord struct {
	enc  []byte
	hash Digest
}

// source gives the verifier a log's stored records in order.
type source interface {
	// records calls emit with consecutive batches of the records from
	// position from on, until the end or until emit fails. Batches must
	// stay valid after emit returns.
	records(ctx context.Context, from uint64, emit func([]rawRecord) error) error
}

// checked is what the verifier learns from one stored record by itself.
type checked struct {
	leaf   Digest // H(0x00 || encoding)
	stored Digest // the hash stored with it
	prev   Digest // the previous hash in its encoding
	seq    uint64 // the sequence number in its encoding
	ok     bool   // the encoding parses
	valid  bool   // the stored hash is the one its encoding gives (always true when the key is unknown)
}

// verifier checks stored records against a log's header and key.
type verifier struct {
	hdr Header
	key []byte
	pub *PublicKey
}

func (v *verifier) check(x *hasher, r *rawRecord, c *checked) {
	var f rawFields
	c.stored = r.hash
	c.leaf = x.leaf(r.enc)
	if parseRaw(r.enc, &f) != nil {
		*c = checked{leaf: c.leaf, stored: r.hash}
		return
	}
	c.ok, c.seq, c.prev = true, f.seq, f.prev
	c.valid = x.mac == nil && v.hdr.Keyed || x.record(&c.leaf) == r.hash
}

type vbatch struct {
	recs []rawRecord
	out  []checked
	done chan struct{}
}

// scan runs check over the records from position from in parallel and
// calls fn with the results in order, until fn returns false.
func (v *verifier) scan(ctx context.Context, src source, from uint64, fn func(pos uint64, c *checked) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *vbatch, workers)
	order := make(chan *vbatch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := newHasher(v.hdr.Algorithm, v.key)
			for b := range work {
				b.out = make([]checked, len(b.recs))
				for i := range b.recs {
					v.check(x, &b.recs[i], &b.out[i])
				}
				close(b.done)
			}
		}()
	}
	produced := make(chan error, 1)
	go func() {
		err := src.records(ctx, from, func(recs []rawRecord) error {
			b := &vbatch{recs: recs, done: make(chan struct{})}
			select {
			case work <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case order <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(work)
		close(order)
		produced <- err
	}()
	pos, stopped := from, false
	for b := range order {
		if stopped {
			continue // drain
		}
		<-b.done
		for i := range b.out {
			if !fn(pos, &b.out[i]) {
				stopped = true
				cancel()
				break
			}
			pos++
		}
	}
	wg.Wait()
	err := <-produced
	if stopped {
		return nil
	}
	return err
}

// storedCheckpoint is a checkpoint to verify: kept by the log (at: how
// many records preceded it in a file), or given by the caller.
type storedCheckpoint struct {
	cp  Checkpoint
	err error // it could not be parsed
	at  uint64
}

// verify checks the whole log: records, chain and checkpoints.
func (v *verifier) verify(ctx context.Context, src source, cps []storedCheckpoint) error {
	if v.hdr.Keyed && v.key == nil {
		return fmt.Errorf("audit: Verify: %w", ErrKeyRequired)
	}
	if len(cps) > 0 && v.pub == nil {
		return fmt.Errorf("audit: Verify: %w", ErrNoPublicKey)
	}
	problems, toCheck := v.signed(cps)

	type state struct {
		root, head Digest
	}
	at := make(map[uint64]state, len(toCheck))
	cr := compactRange{x: newHasher(v.hdr.Algorithm, nil)}
	next := 0 // the next checkpoint size to take a root at
	take := func(n uint64, head Digest) {
		for next < len(toCheck) && toCheck[next].Size == n {
			if _, ok := at[n]; !ok {
				at[n] = state{root: cr.root(), head: head}
			}
			next++
		}
	}
	var prevStored Digest
	var n uint64
	anomaly := false
	take(0, Digest{})
	err := v.scan(ctx, src, 0, func(pos uint64, c *checked) bool {
		if !c.ok || !c.valid || c.seq != pos || c.prev != prevStored {
			anomaly = true
			return false
		}
		cr.append(c.leaf)
		prevStored = c.stored
		n = pos + 1
		take(n, prevStored)
		return true
	})
	if err != nil {
		return err
	}
	var good uint64 // the largest checkpoint size whose root matched
	for _, cp := range toCheck {
		s, ok := at[cp.Size]
		switch {
		case !ok && !anomaly:
			problems = append(problems, &VerifyError{Seq: n, Kind: KindTruncated, Checkpoint: cp,
				Detail: fmt.Sprintf("the log has %d records, a signed checkpoint says it had %d", n, cp.Size)})
		case !ok:
			// Beyond the first bad record, which explains it.
		case s.root != cp.Root || s.head != cp.Head:
			problems = append(problems, &VerifyError{Seq: good, Kind: KindRootMismatch, Checkpoint: cp,
				Detail: fmt.Sprintf("the first %d records do not give the signed root; the first %d still do", cp.Size, good)})
		default:
			good = max(good, cp.Size)
		}
	}
	if anomaly {
		ve, err := v.classify(ctx, src, n, prevStored)
		if err != nil {
			return err
		}
		problems = append(problems, ve)
	}
	if ve := firstProblem(problems); ve != nil {
		return ve
	}
	return nil
}

// signed sorts out checkpoints: those that cannot be parsed, whose
// signature does not verify under v.pub or that are signed for another log
// are problems (KindBadSignature); the others are returned sorted by size,
// for the records to be checked against them. v.pub must be set when there
// are checkpoints.
func (v *verifier) signed(cps []storedCheckpoint) (problems []*VerifyError, ok []*Checkpoint) {
	for i := range cps {
		sc := &cps[i]
		cp := &sc.cp
		switch {
		case sc.err != nil:
			problems = append(problems, &VerifyError{Seq: sc.at, Kind: KindBadSignature, Detail: "checkpoint cannot be parsed: " + sc.err.Error()})
		case cp.Verify(*v.pub) != nil:
			problems = append(problems, &VerifyError{Seq: cp.Size, Kind: KindBadSignature, Checkpoint: cp,
				Detail: fmt.Sprintf("signature of the checkpoint of size %d does not verify under key %s", cp.Size, v.pub.ID())})
		case cp.LogID != v.hdr.LogID || cp.Algorithm != v.hdr.Algorithm || cp.KeyCheck != v.hdr.KeyCheck:
			problems = append(problems, &VerifyError{Seq: cp.Size, Kind: KindBadSignature, Checkpoint: cp,
				Detail: fmt.Sprintf("checkpoint is signed for log %s (%s), not this log %s (%s)", cp.LogID, cp.Algorithm.code(), v.hdr.LogID, v.hdr.Algorithm.code())})
		default:
			ok = append(ok, cp)
		}
	}
	slices.SortStableFunc(ok, func(a, b *Checkpoint) int { return cmpUint(a.Size, b.Size) })
	return problems, ok
}

// firstProblem returns the problem with the lowest sequence number (the
// most precise at a tie), or nil.
func firstProblem(problems []*VerifyError) *VerifyError {
	if len(problems) == 0 {
		return nil
	}
	return slices.MinFunc(problems, func(a, b *VerifyError) int {
		if c := cmpUint(a.Seq, b.Seq); c != 0 {
			return c
		}
		return a.priority() - b.priority()
	})
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// classify says what is wrong at position a, the first record that does
// not follow from the ones before it. prev is the stored hash at a-1.
//
// Without the key nobody can make a record whose hash checks out, so in a
// keyed log a record that checks out is genuine and its sequence number is
// the one it was given: a genuine record ahead of its place means records
// were deleted (or, if the missing one comes later, reordered); one behind
// its place was inserted (replayed). A record that does not check out was
// modified — or inserted, when the genuine record a follows it; or, when
// it and every record after it form a chain of their own, written with
// another key.
func (v *verifier) classify(ctx context.Context, src source, a uint64, prev Digest) (*VerifyError, error) {
	const (
		deciding = iota
		searching
		rekeyed
	)
	mode := deciding
	var first, last checked
	var result *VerifyError
	found := func(k Kind, seq uint64, detail string) bool {
		result = &VerifyError{Seq: seq, Kind: k, Detail: detail}
		return false
	}
	err := v.scan(ctx, src, a, func(pos uint64, c *checked) bool {
		switch {
		case pos == a:
			first = *c
			switch {
			case !c.ok:
				return found(KindModified, a, "the record cannot be parsed")
			case !c.valid:
				return true // the next record decides
			case c.seq == a && a > 0:
				return found(KindModified, a-1, fmt.Sprintf("record %d checks out but does not follow the record before it, which was replaced", a))
			case c.seq == a:
				return found(KindModified, a, "the first record does not start the chain")
			case c.seq < a:
				return found(KindInserted, a, fmt.Sprintf("a copy of record %d stands at position %d", c.seq, a))
			}
			mode = searching
			return true
		case mode == searching:
			if c.ok && c.valid && c.seq == a {
				return found(KindReordered, a, fmt.Sprintf("record %d stands at position %d, record %d at position %d", first.seq, a, a, pos))
			}
			return true
		case pos == a+1 && mode == deciding:
			if c.ok && c.valid && c.seq == a && c.prev == prev {
				return found(KindInserted, a, fmt.Sprintf("a record that is not the log's stands before record %d", a))
			}
			if v.hdr.Keyed && first.seq == a && first.prev == prev &&
				c.ok && !c.valid && c.seq == a+1 && c.prev == first.stored {
				mode, last = rekeyed, *c
				return true
			}
			return found(KindModified, a, "the record's hash does not match its content")
		default: // rekeyed
			if c.ok && !c.valid && c.seq == pos && c.prev == last.stored {
				last = *c
				return true
			}
			return found(KindModified, a, "the record's hash does not match its content")
		}
	})
	if err != nil {
		return nil, err
	}
	if result != nil {
		return result, nil
	}
	switch mode {
	case searching:
		return &VerifyError{Seq: a, Kind: KindDeleted, Detail: fmt.Sprintf("records %d to %d are missing", a, first.seq-1)}, nil
	case rekeyed:
		return &VerifyError{Seq: a, Kind: KindWrongKey, Detail: fmt.Sprintf("records from %d on form a chain under another key", a)}, nil
	}
	return &VerifyError{Seq: a, Kind: KindModified, Detail: "the record's hash does not match its content"}, nil
}
