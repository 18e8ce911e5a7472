package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"
)

// Memory is a Log held in memory: for tests, examples, and hosts that keep
// the audit trail elsewhere and want the checks. It keeps each record's
// canonical encoding (not the decoded event), so a million records take
// about their encoded size plus 100 bytes each. Safe for concurrent use.
type Memory struct {
	hdr    Header
	sealer *Sealer
	signer Signer
	pub    PublicKey
	now    func() time.Time

	mu    sync.RWMutex
	x     *hasher // Append's, under mu
	arena arena
	tree  *Tree
	last  Digest
	cps   []Checkpoint
}

var _ Log = (*Memory)(nil)

// NewMemory returns an empty in-memory log. Options: WithAlgorithm,
// WithKey, WithLogID, WithSigner (without it, an SM2 key is generated for
// the log; PublicKey returns its public half), WithClock, WithLimits.
func NewMemory(opts ...Option) (*Memory, error) {
	c, err := newConfig(kindMemory, opts)
	if err != nil {
		return nil, err
	}
	if c.signer == nil {
		if c.signer, err = GenerateSM2Signer(); err != nil {
			return nil, err
		}
	}
	hdr, err := c.newHeader()
	if err != nil {
		return nil, err
	}
	tree, err := NewTree(hdr.Algorithm)
	if err != nil {
		return nil, err
	}
	return &Memory{
		hdr:    hdr,
		sealer: newSealer(hdr, c.key, c.limits),
		signer: c.signer,
		pub:    c.signer.Public(),
		now:    c.now,
		x:      newHasher(hdr.Algorithm, c.key),
		tree:   tree,
	}, nil
}

// Header returns the log's header.
func (m *Memory) Header() Header { return m.hdr }

// PublicKey returns the key that verifies the log's checkpoints.
func (m *Memory) PublicKey() PublicKey { return m.pub }

// Append records e and returns its record. An invalid event is refused
// with an *EventError and nothing is recorded.
func (m *Memory) Append(ctx context.Context, e Event) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	n, err := e.normalize(m.sealer.limits)
	if err != nil {
		return Record{}, err
	}
	size := offTime + eventBodySize(&n)
	m.mu.Lock()
	defer m.mu.Unlock()
	seq, prev := uint64(m.arena.recs.len()), m.last
	// The arena keeps the leaf hash's 0x00 in front of the encoding, so
	// that the hash reads one run of bytes.
	b := m.arena.alloc(1 + size)
	b[0] = leafPrefix
	enc := b[1:]
	appendEventBody(appendRecordPrefix(enc[:0], seq, &prev), &n)
	leaf := m.x.leafPrefixed(b)
	hash := m.x.record(&leaf)
	m.arena.recs.append(rawRecord{enc: enc, hash: hash})
	m.tree.Append(leaf)
	m.last = hash
	return Record{Seq: seq, Prev: prev, Hash: hash, Event: n}, nil
}

// snapshot returns the records so far; they never change.
func (m *Memory) snapshot() recordView {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return recordView(m.arena.recs.view())
}

// Len returns the number of records.
func (m *Memory) Len(context.Context) (uint64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return uint64(m.arena.recs.len()), nil
}

// Read yields the records with from ≤ Seq < to.
func (m *Memory) Read(ctx context.Context, from, to uint64) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		recs := m.snapshot()
		if err := checkRange(from, to, recs.len()); err != nil {
			yield(Record{}, err)
			return
		}
		stop := errors.New("stop")
		err := recs.records(ctx, from, func(batch []rawRecord) error {
			for _, r := range batch[:min(uint64(len(batch)), to-from)] {
				rec, err := decodeRecord(r.enc, r.hash)
				if !yield(rec, err) || err != nil {
					return stop
				}
				from++
			}
			if from == to {
				return stop
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Record{}, err)
		}
	}
}

func checkRange(from, to, n uint64) error {
	if from > to {
		return &RangeError{What: rangeStart, Value: from, Limit: to}
	}
	if to > n {
		return &RangeError{What: "range end", Value: to, Limit: n}
	}
	return nil
}

// Query yields the records whose events match f, in order.
func (m *Memory) Query(ctx context.Context, f Filter) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		mt := f.compile()
		var raw rawFields
		stop := errors.New("stop")
		err := m.snapshot().records(ctx, 0, func(batch []rawRecord) error {
			for _, r := range batch {
				if err := parseRaw(r.enc, &raw); err != nil {
					yield(Record{}, malformed("a record cannot be parsed"))
					return stop
				}
				if mt.raw(&raw) && !yield(Record{Seq: raw.seq, Prev: raw.prev, Hash: r.hash, Event: decodeEvent(&raw)}, nil) {
					return stop
				}
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Record{}, err)
		}
	}
}

// Checkpoint signs the log's current state, keeps the checkpoint (Verify
// checks it) and returns it.
func (m *Memory) Checkpoint(ctx context.Context) (Checkpoint, error) {
	m.mu.RLock()
	size, head := m.tree.Size(), m.last
	root, err := m.tree.Root(size)
	m.mu.RUnlock()
	if err != nil {
		return Checkpoint{}, err
	}
	cp, err := signCheckpoint(ctx, m.signer, m.hdr, size, root, head, m.now())
	if err != nil {
		return Checkpoint{}, err
	}
	m.mu.Lock()
	m.cps = append(m.cps, cp)
	m.mu.Unlock()
	return cp, nil
}

func signCheckpoint(ctx context.Context, s Signer, h Header, size uint64, root, head Digest, at time.Time) (Checkpoint, error) {
	if s == nil {
		return Checkpoint{}, ErrNoSigner
	}
	cp := Checkpoint{
		LogID: h.LogID, Algorithm: h.Algorithm, KeyCheck: h.KeyCheck,
		Size: size, Root: root, Head: head,
		Time: time.Unix(0, at.UnixNano()).In(cst),
	}
	sig, err := s.Sign(ctx, cp.Message())
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	cp.SignatureAlgorithm, cp.Signature = s.Public().Algorithm, sig
	return cp, nil
}

// Checkpoints returns the checkpoints the log has taken, oldest first.
func (m *Memory) Checkpoints() []Checkpoint {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return append([]Checkpoint(nil), m.cps...)
}

// ProveInclusion proves record seq is in the tree of the first size
// records.
func (m *Memory) ProveInclusion(_ context.Context, seq, size uint64) (InclusionProof, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	h, err := m.tree.InclusionProof(seq, size)
	if err != nil {
		return InclusionProof{}, err
	}
	return InclusionProof{Seq: seq, Size: size, Hashes: h}, nil
}

// ProveConsistency proves the tree of size1 records is a prefix of the
// tree of size2.
func (m *Memory) ProveConsistency(_ context.Context, size1, size2 uint64) (ConsistencyProof, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	h, err := m.tree.ConsistencyProof(size1, size2)
	if err != nil {
		return ConsistencyProof{}, err
	}
	return ConsistencyProof{Size1: size1, Size2: size2, Hashes: h}, nil
}

// Verify recomputes every record's hash and the chain, checks the log's
// checkpoints and the trusted ones given, and returns nil or the first
// problem as a *VerifyError.
func (m *Memory) Verify(ctx context.Context, trusted ...Checkpoint) error {
	m.mu.RLock()
	recs := recordView(m.arena.recs.view())
	cps := make([]storedCheckpoint, 0, len(m.cps)+len(trusted))
	for _, cp := range m.cps {
		cps = append(cps, storedCheckpoint{cp: cp, at: cp.Size})
	}
	m.mu.RUnlock()
	for _, cp := range trusted {
		cps = append(cps, storedCheckpoint{cp: cp, at: cp.Size})
	}
	v := verifier{hdr: m.hdr, key: m.sealer.key, pub: &m.pub}
	return v.verify(ctx, recs, cps)
}

// recordView is a memory log's records up to some point, in chunks.
type recordView [][]rawRecord

func (v recordView) len() uint64 {
	n := 0
	for _, c := range v {
		n += len(c)
	}
	return uint64(n)
}

// records emits the records from position from on, in batches of at
// most 1024.
func (v recordView) records(ctx context.Context, from uint64, emit func([]rawRecord) error) error {
	const batch = 1024
	for _, c := range v {
		if from >= uint64(len(c)) {
			from -= uint64(len(c))
			continue
		}
		for i := from; i < uint64(len(c)); i += batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := emit(c[i:min(i+batch, uint64(len(c)))]); err != nil {
				return err
			}
		}
		from = 0
	}
	return nil
}

// arena keeps record encodings in large chunks rather than one allocation
// each.
type arena struct {
	chunk []byte
	recs  chunked[rawRecord]
}

// arenaChunk is the size of the arena's chunks: 64 KiB, small enough that
// a chunk, zeroed when it is allocated, is still in the CPU cache while
// Append writes records into it (with 1 MiB chunks, copying a record into
// the arena took twice as long).
const arenaChunk = 1 << 16

func (a *arena) alloc(n int) []byte {
	if cap(a.chunk)-len(a.chunk) < n {
		a.chunk = make([]byte, 0, max(arenaChunk, n))
	}
	l := len(a.chunk)
	a.chunk = a.chunk[:l+n]
	return a.chunk[l : l+n : l+n]
}
