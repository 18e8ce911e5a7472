package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// File is a Log in an append-only file: a magic number, a header frame,
// then record and checkpoint frames, each with its length and a CRC-32C
// checksum (the byte layout is in the package documentation).
//
// Durability: Append returns only after its record is written and the file
// synced (fsync). With group commit, the default, appends that arrive
// while a sync is in progress are written and synced together by the next
// one; WithSyncEach syncs each record alone. A crash can leave a torn last
// frame; OpenFile reports it (ErrTornTail) and only Repair removes it. A
// power cut can also lose a sector of the last write and keep the bytes
// after it: that is damage with valid frames after it, which a writer
// refuses, a reader reports (Damage) and Salvage copies around.
//
// Only one writer may have a file open: OpenFile takes an exclusive lock
// and refuses a second writer (ErrLocked). Readers open with ReadOnly,
// take no lock, and see the records complete when they opened the file.
//
// File is safe for concurrent use.
type File struct {
	path     string
	fh       *os.File
	readOnly bool
	hdr      Header
	sealer   *Sealer
	signer   Signer
	pub      *PublicKey
	now      func() time.Time
	syncEach bool
	window   time.Duration
	damage   *Damage // what a reader found wrong in the file, or nil

	syncMu sync.Mutex // held by the one goroutine writing and syncing

	mu          sync.RWMutex
	x           *hasher // Append's, under mu
	tree        *Tree
	locs        []frameLoc // every record sealed, durable ones first
	last        Digest
	durable     uint64 // records written and synced
	cps         []Checkpoint
	pending     []byte // frames sealed, not yet written
	pendingRecs uint64
	pendingCps  []Checkpoint
	spare       []byte
	base        int64 // where pending will be written
	synced      int64 // the file is written and synced up to here
	err         error // a write or sync failed: the log refuses appends
	closed      bool
}

var _ Log = (*File)(nil)

// OpenFile opens the log file at path, creating it (mode 0600) if it does
// not exist or is empty.
//
// A new file gets a header from WithAlgorithm, WithKey and WithLogID. An
// existing file's header is authoritative: opening it with an algorithm,
// key or log id that differs fails (*HeaderError, ErrHeaderMismatch; a
// wrong key is a *VerifyError of KindWrongKey), and a keyed log needs its
// key unless opened ReadOnly.
//
// A writer also checks every record, the hash chain and every checkpoint
// in the file — its signature, that it is this log's, and that its head is
// the hash of the record it says is the last — before it accepts appends:
// a log that fails is not opened for writing (the *VerifyError says why:
// a bad checkpoint is KindBadSignature, a checkpoint the records no
// longer give KindRootMismatch, both of kind govshare.ErrCorrupt); open it
// ReadOnly to investigate. A writer of a file that holds checkpoints needs
// the key to check them (WithSigner or WithPublicKey; ErrNoPublicKey).
//
// A damaged file (see Damage) is refused by a writer: a torn tail with a
// *TornTailError (ErrTornTail), damage that valid frames follow with a
// *FormatError (ErrCorrupt). A reader opens it, reads every record before
// the damage, and Damage reports it; only a file whose header is damaged,
// or not a log at all, is refused by a reader too (*FormatError).
//
// Opening reads the whole file, and a writer checks every record: ctx
// bounds that work (a 1,000,000-record file takes seconds).
//
// Other options: WithSigner or WithPublicKey for checkpoints, WithClock,
// WithLimits, WithGroupCommit or WithSyncEach.
func OpenFile(ctx context.Context, path string, opts ...Option) (*File, error) {
	c, err := newConfig(kindFile, opts)
	if err != nil {
		return nil, err
	}
	if c.readOnly && c.durableOK {
		return nil, invalidOption("a durability policy for a read-only log")
	}
	flag := os.O_RDWR | os.O_CREATE
	if c.readOnly {
		flag = os.O_RDONLY
	}
	fh, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	f, err := open(ctx, fh, path, c)
	if err != nil {
		fh.Close()
		return nil, err
	}
	return f, nil
}

func open(ctx context.Context, fh *os.File, path string, c *config) (*File, error) {
	if !c.readOnly {
		if err := lockFile(fh); err != nil {
			if errors.Is(err, ErrLocked) {
				return nil, fmt.Errorf("%w: %s", ErrLocked, path)
			}
			return nil, fmt.Errorf("audit: lock %s: %w", path, err)
		}
	}
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if st.Size() == 0 {
		if c.readOnly {
			return nil, &FormatError{Path: path, Reason: "empty file: no log has been created here yet"}
		}
		if err := initialize(fh, path, c); err != nil {
			return nil, err
		}
		if st, err = fh.Stat(); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
	}
	s, err := scanFile(ctx, fh, st.Size(), path)
	if err != nil {
		return nil, err
	}
	if s.damage != nil && !c.readOnly {
		return nil, s.damage.err(path)
	}
	if s.damage != nil && s.damage.Offset == 0 {
		return nil, &FormatError{Path: path, Reason: "the log header was never completely written", Kind: s.damage.Kind}
	}
	if err := s.hdr.check(path, c.alg, c.key, c.readOnly); err != nil {
		return nil, err
	}
	if c.logID != nil && *c.logID != s.hdr.LogID {
		return nil, &HeaderError{Path: path, Setting: "log id", Header: s.hdr.LogID.String(), Options: c.logID.String()}
	}
	if !c.readOnly && len(s.checkpoints) > 0 && c.pub == nil {
		return nil, fmt.Errorf("audit: %s holds %d checkpoints, which a writer must check: %w", path, len(s.checkpoints), ErrNoPublicKey)
	}
	tree, err := NewTree(s.hdr.Algorithm)
	if err != nil {
		return nil, err
	}
	f := &File{
		path: path, fh: fh, readOnly: c.readOnly, hdr: s.hdr,
		sealer: newSealer(s.hdr, c.key, c.limits), signer: c.signer, pub: c.pub, now: c.now,
		syncEach: c.syncEach, window: c.window, damage: s.damage,
		x: newHasher(s.hdr.Algorithm, c.key), tree: tree,
		locs: s.records, durable: uint64(len(s.records)),
		base: s.end, synced: s.end,
	}
	for _, sc := range s.checkpoints {
		if sc.err == nil {
			f.cps = append(f.cps, sc.cp)
		}
	}
	// Rebuild the Merkle tree; a writer also checks each record, the chain
	// and the checkpoints, so that it never extends or signs a log that
	// fails.
	v := verifier{hdr: s.hdr, key: f.sealer.key, pub: c.pub}
	var problems []*VerifyError
	var signed []*Checkpoint
	heads := map[uint64]Digest{}
	if !c.readOnly {
		problems, signed = v.signed(s.checkpoints)
		for _, cp := range signed {
			heads[cp.Size] = Digest{}
		}
	}
	src := fileSource{fh: fh, locs: s.records}
	anomaly := false
	err = v.scan(ctx, src, 0, func(pos uint64, ch *checked) bool {
		if !c.readOnly && (!ch.ok || !ch.valid || ch.seq != pos || ch.prev != f.last) {
			anomaly = true
			return false
		}
		tree.Append(ch.leaf)
		f.last = ch.stored
		if _, ok := heads[pos+1]; ok {
			heads[pos+1] = ch.stored
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	n := tree.Size()
	if anomaly {
		ve, err := v.classify(ctx, src, n, f.last)
		if err != nil {
			return nil, err
		}
		problems = append(problems, ve)
	}
	// With every record and the chain checked, a checkpoint's head pins
	// every record it covers, and so its root.
	var good uint64
	for _, cp := range signed {
		switch {
		case anomaly && cp.Size > n:
			// Beyond the first bad record, which explains it.
		case cp.Size > n:
			problems = append(problems, &VerifyError{Seq: n, Kind: KindTruncated, Checkpoint: cp,
				Detail: fmt.Sprintf("the log has %d records, a signed checkpoint in it says it had %d", n, cp.Size)})
		case heads[cp.Size] != cp.Head:
			problems = append(problems, &VerifyError{Seq: good, Kind: KindRootMismatch, Checkpoint: cp,
				Detail: fmt.Sprintf("the records do not give the head of the signed checkpoint of size %d; the first %d still match one", cp.Size, good)})
		default:
			good = cp.Size
		}
	}
	if ve := firstProblem(problems); ve != nil {
		return nil, fmt.Errorf("audit: %s fails verification; open it ReadOnly to investigate: %w", path, ve)
	}
	return f, nil
}

// initialize writes the magic number and header of a new log and makes
// them durable, with the directory entry.
func initialize(fh *os.File, path string, c *config) error {
	hdr, err := c.newHeader()
	if err != nil {
		return err
	}
	hb, err := hdr.MarshalBinary()
	if err != nil {
		return err
	}
	b := appendFrame([]byte(fileMagic), frameHeader, hb)
	if _, err := fh.WriteAt(b, 0); err != nil {
		return fmt.Errorf("audit: create %s: %w", path, err)
	}
	if err := fh.Sync(); err != nil {
		return fmt.Errorf("audit: create %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("audit: create %s: sync directory: %w", path, err)
	}
	return nil
}

// Path returns the file's path.
func (f *File) Path() string { return f.path }

// Header returns the log's header.
func (f *File) Header() Header { return f.hdr }

// PublicKey returns the key that verifies the log's checkpoints: the
// signer's, or WithPublicKey's; the zero key (PublicKey.IsZero) when there
// is neither — as every log of the module answers it.
func (f *File) PublicKey() PublicKey {
	if f.pub == nil {
		return PublicKey{}
	}
	return *f.pub
}

// Damage returns what a reader found wrong in the file when it opened it,
// or nil: the first frame that cannot be read, where it is, what is wrong
// with it, and whether it is a torn tail or has valid frames after it.
// Every record before it is readable (Len, Read, Query, proofs). A writer
// never opens a damaged file.
func (f *File) Damage() *Damage {
	if f.damage == nil {
		return nil
	}
	d := *f.damage
	return &d
}

// TornTail returns the torn tail a reader found when it opened the file
// (the records before it are readable), or nil: Damage when that is a
// tail, as the error a writer gets.
func (f *File) TornTail() *TornTailError {
	if f.damage == nil || !f.damage.Tail {
		return nil
	}
	return f.damage.err(f.path).(*TornTailError)
}

// Append records e and returns its record once it is on disk. An invalid
// event is refused with an *EventError, and nothing is written.
//
// If writing or syncing the file fails, Append returns an error matching
// ErrFailed and the log refuses every further append until it is
// reopened. It truncates the file back to its last synced size so that no
// record whose Append failed survives; if even that fails, such records
// may be found when the file is reopened — the one case where an error
// from Append does not prove the event was not recorded.
func (f *File) Append(ctx context.Context, e Event) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	if f.readOnly {
		return Record{}, ErrReadOnly
	}
	n, err := e.normalize(f.sealer.limits)
	if err != nil {
		return Record{}, err
	}
	if f.syncEach {
		f.syncMu.Lock()
		defer f.syncMu.Unlock()
	}
	f.mu.Lock()
	if err := f.usable(); err != nil {
		f.mu.Unlock()
		return Record{}, err
	}
	seq, prev := uint64(len(f.locs)), f.last
	start := len(f.pending)
	f.pending = beginFrame(f.pending, frameRecord)
	f.pending = appendEventBody(appendRecordPrefix(f.pending, seq, &prev), &n)
	leaf := f.x.leaf(f.pending[start+frameHead:])
	hash := f.x.record(&leaf)
	f.pending = append(f.pending, hash[:]...)
	f.pending = finishFrame(f.pending, start)
	f.locs = append(f.locs, frameLoc{off: f.base + int64(start), n: uint32(len(f.pending) - start - frameOverhead)})
	f.tree.Append(leaf)
	f.last = hash
	f.pendingRecs++
	end := f.base + int64(len(f.pending))
	f.mu.Unlock()
	if err := f.commit(end); err != nil {
		return Record{}, err
	}
	return Record{Seq: seq, Prev: prev, Hash: hash, Event: n}, nil
}

func (f *File) usable() error {
	switch {
	case f.closed:
		return ErrClosed
	case f.err != nil:
		return f.err
	}
	return nil
}

// commit returns once the file is synced up to end. With group commit the
// first waiter to get syncMu writes and syncs everything pending — its own
// frame and every frame sealed meanwhile — and the others find their
// frames already synced. With WithSyncEach the caller already holds
// syncMu and only its own frame is pending.
func (f *File) commit(end int64) error {
	if !f.syncEach {
		f.syncMu.Lock()
		defer f.syncMu.Unlock()
	}
	f.mu.RLock()
	synced, err := f.synced, f.err
	f.mu.RUnlock()
	if synced >= end {
		return nil
	}
	if err != nil {
		return err
	}
	if f.window > 0 {
		time.Sleep(f.window) // let more appends join this sync
	}
	return f.flush()
}

// flush writes and syncs the pending frames. The caller holds syncMu.
func (f *File) flush() error {
	f.mu.Lock()
	buf, base, recs, cps := f.pending, f.base, f.pendingRecs, f.pendingCps
	f.pending, f.pendingRecs, f.pendingCps = f.spare[:0], 0, nil
	f.base += int64(len(buf))
	f.mu.Unlock()
	if len(buf) == 0 {
		return nil
	}
	_, err := f.fh.WriteAt(buf, base)
	if err == nil {
		err = f.fh.Sync()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.err = fmt.Errorf("%w: %s: %v", ErrFailed, f.path, err)
		if f.fh.Truncate(base) == nil {
			_ = f.fh.Sync()
		}
		return f.err
	}
	f.synced = base + int64(len(buf))
	f.durable += recs
	f.cps = append(f.cps, cps...)
	f.spare = buf
	return nil
}

// Len returns the number of records on disk.
func (f *File) Len(context.Context) (uint64, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return 0, ErrClosed
	}
	return f.durable, nil
}

// view returns the durable records' locations.
func (f *File) view() ([]frameLoc, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return nil, ErrClosed
	}
	return f.locs[:f.durable], nil
}

// Read yields the records with from ≤ Seq < to, read from the file.
func (f *File) Read(ctx context.Context, from, to uint64) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		locs, err := f.view()
		if err == nil {
			err = checkRange(from, to, uint64(len(locs)))
		}
		if err != nil {
			yield(Record{}, err)
			return
		}
		src := fileSource{fh: f.fh, locs: locs[:to]}
		stopped := errors.New("stopped")
		err = src.records(ctx, from, func(recs []rawRecord) error {
			for _, r := range recs {
				rec, err := decodeRecord(r.enc, r.hash)
				if err != nil {
					err = malformed("%s: record at position %d cannot be parsed", f.path, from)
				}
				if !yield(rec, err) || err != nil {
					return stopped
				}
				from++
			}
			return nil
		})
		if err != nil && err != stopped {
			yield(Record{}, err)
		}
	}
}

// Query yields the records whose events match q, in order, reading the
// file.
func (f *File) Query(ctx context.Context, q Filter) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		locs, err := f.view()
		if err != nil {
			yield(Record{}, err)
			return
		}
		mt := q.compile()
		var raw rawFields
		pos := uint64(0)
		stopped := errors.New("stopped")
		err = fileSource{fh: f.fh, locs: locs}.records(ctx, 0, func(recs []rawRecord) error {
			for _, r := range recs {
				if err := parseRaw(r.enc, &raw); err != nil {
					yield(Record{}, malformed("%s: record at position %d cannot be parsed", f.path, pos))
					return stopped
				}
				if mt.raw(&raw) && !yield(Record{Seq: raw.seq, Prev: raw.prev, Hash: r.hash, Event: decodeEvent(&raw)}, nil) {
					return stopped
				}
				pos++
			}
			return nil
		})
		if err != nil && err != stopped {
			yield(Record{}, err)
		}
	}
}

// Checkpoint signs the log's current state, writes the checkpoint to the
// file (Verify checks it) and returns it once it is on disk.
func (f *File) Checkpoint(ctx context.Context) (Checkpoint, error) {
	if f.readOnly {
		return Checkpoint{}, ErrReadOnly
	}
	if f.signer == nil {
		return Checkpoint{}, ErrNoSigner
	}
	if f.syncEach {
		f.syncMu.Lock()
		defer f.syncMu.Unlock()
	}
	f.mu.RLock()
	if err := f.usable(); err != nil {
		f.mu.RUnlock()
		return Checkpoint{}, err
	}
	size, head := f.tree.Size(), f.last
	root, err := f.tree.Root(size)
	f.mu.RUnlock()
	if err != nil {
		return Checkpoint{}, err
	}
	cp, err := signCheckpoint(ctx, f.signer, f.hdr, size, root, head, f.now())
	if err != nil {
		return Checkpoint{}, err
	}
	payload, err := cp.MarshalBinary()
	if err != nil {
		return Checkpoint{}, err
	}
	f.mu.Lock()
	if err := f.usable(); err != nil {
		f.mu.Unlock()
		return Checkpoint{}, err
	}
	f.pending = appendFrame(f.pending, frameCheckpoint, payload)
	f.pendingCps = append(f.pendingCps, cp)
	end := f.base + int64(len(f.pending))
	f.mu.Unlock()
	if err := f.commit(end); err != nil {
		return Checkpoint{}, err
	}
	return cp, nil
}

// Checkpoints returns the checkpoints in the file, oldest first (for a
// reader, those present when it opened the file; unparsable ones are left
// out, Verify reports them).
func (f *File) Checkpoints() []Checkpoint {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return append([]Checkpoint(nil), f.cps...)
}

// ProveInclusion proves record seq is in the tree of the first size
// records.
func (f *File) ProveInclusion(_ context.Context, seq, size uint64) (InclusionProof, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if size > f.durable {
		return InclusionProof{}, &RangeError{What: "tree size", Value: size, Limit: f.durable}
	}
	h, err := f.tree.InclusionProof(seq, size)
	if err != nil {
		return InclusionProof{}, err
	}
	return InclusionProof{Seq: seq, Size: size, Hashes: h}, nil
}

// ProveConsistency proves the tree of size1 records is a prefix of the
// tree of size2.
func (f *File) ProveConsistency(_ context.Context, size1, size2 uint64) (ConsistencyProof, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if size2 > f.durable {
		return ConsistencyProof{}, &RangeError{What: "tree size", Value: size2, Limit: f.durable}
	}
	h, err := f.tree.ConsistencyProof(size1, size2)
	if err != nil {
		return ConsistencyProof{}, err
	}
	return ConsistencyProof{Size1: size1, Size2: size2, Hashes: h}, nil
}

// Verify reads the whole file again — frames, records, hash chain,
// checkpoints — and checks it, with the trusted checkpoints given. It
// returns nil or the first problem as a *VerifyError. A keyed log opened
// without its key cannot be verified (ErrKeyRequired); checkpoints need a
// public key (ErrNoPublicKey).
//
// A reader of a damaged file verifies the intact prefix. A torn tail is
// not a problem (it is what a crash leaves, or a writer's append in
// progress); damage with valid frames after it is: the first record it may
// have destroyed is reported as KindModified, unless the prefix fails
// before it.
func (f *File) Verify(ctx context.Context, trusted ...Checkpoint) error {
	f.mu.RLock()
	end, closed := f.synced, f.closed
	f.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	s, err := scanFile(ctx, f.fh, end, f.path)
	var fe *FormatError
	switch {
	case errors.As(err, &fe):
		return &VerifyError{Seq: fe.Record, Kind: KindModified, Detail: fe.Error()}
	case err != nil:
		return fmt.Errorf("audit: verify %s: %w", f.path, err)
	case s.damage != nil:
		return &VerifyError{Seq: s.damage.Records, Kind: KindModified, Detail: "the file was changed after it was opened: " + s.damage.String()}
	case s.hdr != f.hdr:
		return &VerifyError{Seq: 0, Kind: KindModified, Detail: "the log header was changed after the log was opened"}
	}
	cps := s.checkpoints
	for _, cp := range trusted {
		cps = append(cps, storedCheckpoint{cp: cp, at: cp.Size})
	}
	v := verifier{hdr: f.hdr, key: f.sealer.key, pub: f.pub}
	err = v.verify(ctx, fileSource{fh: f.fh, locs: s.records}, cps)
	var ve *VerifyError
	if d := f.damage; d != nil && !d.Tail && (err == nil || errors.As(err, &ve) && ve.Seq >= d.Records) {
		return &VerifyError{Seq: d.Records, Kind: KindModified,
			Detail: "the file has " + d.String() + "; nothing after it was verified"}
	}
	return err
}

// Close writes what is pending, releases the lock and closes the file.
// Closing a closed log does nothing.
func (f *File) Close() error {
	f.syncMu.Lock()
	defer f.syncMu.Unlock()
	f.mu.RLock()
	closed, failed := f.closed, f.err != nil
	f.mu.RUnlock()
	if closed {
		return nil
	}
	var err error
	if !f.readOnly && !failed {
		err = f.flush()
	}
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	if cerr := f.fh.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("audit: close %s: %w", f.path, cerr)
	}
	return err
}

// RepairReport says what Repair did.
type RepairReport struct {
	Records uint64     // complete records in the file
	Removed int64      // torn bytes removed (0 when there were none)
	Size    int64      // the file's size afterwards
	Kind    DamageKind // what the removed tail was (0 when nothing was removed)
}

// Repair removes the torn tail a crash left at the end of a log file, and
// nothing else. A tail is damage that no valid frame follows: Repair looks
// at every offset from the damage to the end of the file for a frame that
// checks out by itself (kind, length, checksum) before it calls anything a
// tail. Damage with a valid frame after it — a changed byte in the middle,
// a sector a power cut zeroed before frames that survived — is refused
// with a *FormatError (ErrCorrupt) naming its offset, and the file is left
// exactly as it was; copy what is intact with Salvage. Repair also refuses
// a file a writer holds (ErrLocked). A file whose header was never
// completely written is truncated to zero bytes; OpenFile then creates the
// log anew. The removal is synced before Repair returns. Finding the tail
// reads the whole file, within ctx; once the file is being cut, Repair
// finishes.
func Repair(ctx context.Context, path string) (RepairReport, error) {
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return RepairReport{}, fmt.Errorf("audit: %w", err)
	}
	defer fh.Close()
	if err := lockFile(fh); err != nil {
		if errors.Is(err, ErrLocked) {
			return RepairReport{}, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return RepairReport{}, fmt.Errorf("audit: lock %s: %w", path, err)
	}
	st, err := fh.Stat()
	if err != nil {
		return RepairReport{}, fmt.Errorf("audit: %w", err)
	}
	s, err := scanFile(ctx, fh, st.Size(), path)
	if err != nil {
		return RepairReport{}, err
	}
	r := RepairReport{Records: uint64(len(s.records)), Size: st.Size()}
	switch d := s.damage; {
	case d == nil:
		return r, nil
	case !d.Tail:
		return RepairReport{}, d.err(path)
	}
	if err := fh.Truncate(s.damage.Offset); err != nil {
		return RepairReport{}, fmt.Errorf("audit: repair %s: %w", path, err)
	}
	if err := fh.Sync(); err != nil {
		return RepairReport{}, fmt.Errorf("audit: repair %s: %w", path, err)
	}
	r.Removed, r.Size, r.Kind = s.damage.Bytes, s.damage.Offset, s.damage.Kind
	return r, nil
}

// fileSource reads records from a log file by their locations.
type fileSource struct {
	fh   *os.File
	locs []frameLoc
}

// records reads runs of consecutive frames with one ReadAt each.
func (s fileSource) records(ctx context.Context, from uint64, emit func([]rawRecord) error) error {
	const maxBatch, maxBytes = 2048, 4 << 20
	for i := from; i < uint64(len(s.locs)); {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := s.locs[i].off
		j := i + 1
		for j < uint64(len(s.locs)) && j-i < maxBatch && s.locs[j].end()-start <= maxBytes {
			j++
		}
		buf := make([]byte, s.locs[j-1].end()-start)
		if _, err := s.fh.ReadAt(buf, start); err != nil {
			return fmt.Errorf("audit: read %s: %w", s.fh.Name(), err)
		}
		recs := make([]rawRecord, j-i)
		for k := range recs {
			l := s.locs[i+uint64(k)]
			p := buf[l.off-start+frameHead : l.off-start+frameHead+int64(l.n)]
			recs[k].enc = p[:len(p)-DigestSize]
			copy(recs[k].hash[:], p[len(p)-DigestSize:])
		}
		if err := emit(recs); err != nil {
			return err
		}
		i = j
	}
	return nil
}
