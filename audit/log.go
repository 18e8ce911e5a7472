package audit

import (
	"context"
	"iter"
	"time"
)

// Recorder is what a package that records events needs from the audit log:
// Append either records the event and returns its Record, or returns an
// error and records nothing. (For a File log, an error from the disk
// itself is the one exception: see File.Append.)
type Recorder interface {
	Append(ctx context.Context, e Event) (Record, error)
}

// Log is a tamper-evident audit log. Memory and File implement it; a SQL
// store implements it over a table (see Sealer for the transactional
// append). Every method is safe for concurrent use.
type Log interface {
	Recorder
	// Read yields the records with from ≤ Seq < to in order, then stops;
	// a range beyond Len yields an error matching ErrOutOfRange.
	Read(ctx context.Context, from, to uint64) iter.Seq2[Record, error]
	// Query yields, in order, the records whose events match f.
	Query(ctx context.Context, f Filter) iter.Seq2[Record, error]
	// Len returns the number of records (the next sequence number).
	Len(ctx context.Context) (uint64, error)
	// Checkpoint signs and keeps the log's current state.
	Checkpoint(ctx context.Context) (Checkpoint, error)
	// ProveInclusion proves record seq is in the tree of the first size
	// records (seq < size ≤ Len).
	ProveInclusion(ctx context.Context, seq, size uint64) (InclusionProof, error)
	// ProveConsistency proves the tree of size1 records is a prefix of the
	// tree of size2 (0 < size1 ≤ size2 ≤ Len).
	ProveConsistency(ctx context.Context, size1, size2 uint64) (ConsistencyProof, error)
	// Verify checks every record, the hash chain, every checkpoint the log
	// keeps and the trusted checkpoints given (a supervisor's copies). It
	// returns nil or a *VerifyError naming the first bad sequence number
	// and what is wrong; other errors (I/O, a missing key) say verification
	// could not be done.
	Verify(ctx context.Context, trusted ...Checkpoint) error
}

// Option configures NewMemory, OpenFile, NewHeader, NewSealer or Salvage:
// the functional options of every govshare package (docs/api.md). An option
// validates its value and can refuse it, and an option that does not
// apply to what it is given to is refused too, with an *OptionError
// (ErrInvalidOption, of kind govshare.ErrInvalid); nothing is half-built.
// A nil Option is ignored; no option means the documented default.
type Option func(*config) error

type configKind uint8

const (
	kindAny configKind = iota // NewHeader
	kindSealer
	kindMemory
	kindFile
	kindSalvage
	kindStore // NewSettings: a log kept outside this package
)

type config struct {
	kind      configKind
	alg       Algorithm // 0: not asked for (SM3 for a new log, the header's otherwise)
	key       []byte
	logID     *LogID
	signer    Signer
	pub       *PublicKey
	now       func() time.Time
	limits    Limits
	readOnly  bool
	syncEach  bool
	window    time.Duration
	durableOK bool // a durability option was given
}

func newConfig(kind configKind, opts []Option) (*config, error) {
	c := &config{kind: kind, limits: DefaultLimits}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.pub == nil && c.signer != nil {
		p := c.signer.Public()
		c.pub = &p
	}
	return c, nil
}

func (c *config) only(name string, kinds ...configKind) error {
	for _, k := range kinds {
		if c.kind == k {
			return nil
		}
	}
	return invalidOption("%s does not apply here", name)
}

func (c *config) algorithm() Algorithm {
	if c.alg == 0 {
		return SM3
	}
	return c.alg
}

func (c *config) newHeader() (Header, error) {
	h := Header{Algorithm: c.algorithm(), Keyed: c.key != nil}
	if c.logID != nil {
		h.LogID = *c.logID
	} else {
		id, err := newLogID()
		if err != nil {
			return Header{}, err
		}
		h.LogID = id
	}
	if h.Keyed {
		h.KeyCheck = keyCheck(h.Algorithm, c.key, h.LogID)
	}
	return h, nil
}

// MinKeySize is the shortest HMAC key WithKey accepts, in bytes.
const MinKeySize = 16

// WithAlgorithm sets the hash algorithm of a new log (SM3 by default).
// Opening an existing log with a different one is refused
// (ErrHeaderMismatch); without this option, the header's is used.
func WithAlgorithm(a Algorithm) Option {
	return func(c *config) error {
		if err := c.only("WithAlgorithm", kindAny, kindMemory, kindFile, kindStore); err != nil {
			return err
		}
		if !a.Valid() {
			return invalidOption("hash algorithm %d", a)
		}
		c.alg = a
		return nil
	}
}

// WithKey makes record hashes HMACs under key (at least MinKeySize bytes;
// 32 random bytes are right for both SM3 and SHA-256), so that nobody
// without the key — a database administrator included — can recompute
// the hash chain after changing a record. Keep the key apart from the log
// (a key management system, a 密码机). A keyed log must always be opened
// with its key for writing; opening it with another key is refused.
// Salvage takes the key to verify the records it finds after damage.
func WithKey(key []byte) Option {
	return func(c *config) error {
		if err := c.only("WithKey", kindAny, kindMemory, kindFile, kindSalvage, kindStore); err != nil {
			return err
		}
		if len(key) < MinKeySize {
			return invalidOption("HMAC key of %d bytes, want at least %d", len(key), MinKeySize)
		}
		c.key = append([]byte(nil), key...)
		return nil
	}
}

// WithLogID sets the id of a new log instead of a random one (for
// reproducible examples and tests).
func WithLogID(id LogID) Option {
	return func(c *config) error {
		if err := c.only("WithLogID", kindAny, kindMemory, kindFile, kindStore); err != nil {
			return err
		}
		c.logID = &id
		return nil
	}
}

// WithSigner sets the signer of checkpoints; its public key also verifies
// them. A Memory log without a signer generates an SM2 key for itself; a
// File log without one cannot take checkpoints (ErrNoSigner).
func WithSigner(s Signer) Option {
	return func(c *config) error {
		if err := c.only("WithSigner", kindMemory, kindFile, kindStore); err != nil {
			return err
		}
		if s == nil {
			return invalidOption("nil signer")
		}
		if err := s.Public().check(); err != nil {
			return invalidOption("signer's public key: %v", err)
		}
		c.signer = s
		return nil
	}
}

// WithPublicKey sets the key that verifies the log's checkpoints when the
// log is opened without its signer (a reader, a supervisor), or that
// Salvage checks the checkpoints after the damage with.
func WithPublicKey(pub PublicKey) Option {
	return func(c *config) error {
		if err := c.only("WithPublicKey", kindFile, kindSalvage, kindStore); err != nil {
			return err
		}
		if err := pub.check(); err != nil {
			return invalidOption("%v", err)
		}
		c.pub = &pub
		return nil
	}
}

// WithClock sets the clock that dates checkpoints (time.Now by default).
// Events carry their own time.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if err := c.only("WithClock", kindMemory, kindFile, kindStore); err != nil {
			return err
		}
		if now == nil {
			return invalidOption("nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLimits sets the size limits of events (DefaultLimits otherwise; a
// policy default, not law).
func WithLimits(l Limits) Option {
	return func(c *config) error {
		if !l.valid() {
			return invalidOption("limits must be positive: %+v", l)
		}
		c.limits = l
		return nil
	}
}

// ReadOnly opens a log file for reading only: no lock is taken, so a
// reader may open a file a writer holds; the reader sees the records that
// were complete when it opened the file; Append and Checkpoint fail with
// ErrReadOnly. A keyed log may be opened read-only without its key, but
// then Verify fails with ErrKeyRequired.
func ReadOnly() Option {
	return func(c *config) error {
		if err := c.only("ReadOnly", kindFile); err != nil {
			return err
		}
		c.readOnly = true
		return nil
	}
}

// WithSyncEach makes every Append write its record and fsync the file
// before it returns, one at a time: the simplest policy, and the slowest
// when many goroutines append.
func WithSyncEach() Option {
	return func(c *config) error {
		if err := c.only("WithSyncEach", kindFile); err != nil {
			return err
		}
		if c.durableOK {
			return invalidOption("more than one durability policy")
		}
		c.syncEach, c.durableOK = true, true
		return nil
	}
}

// WithGroupCommit is the default durability policy: appends that arrive
// while the file is being synced are written and synced together, with one
// fsync, and each Append still returns only after its own record is on
// disk. window is how long the committer waits for more appends to join
// before it syncs; 0 (the default) does not wait, and batches form from
// concurrency alone.
func WithGroupCommit(window time.Duration) Option {
	return func(c *config) error {
		if err := c.only("WithGroupCommit", kindFile); err != nil {
			return err
		}
		if c.durableOK {
			return invalidOption("more than one durability policy")
		}
		if window < 0 {
			return invalidOption("negative group commit window")
		}
		c.window, c.durableOK = window, true
		return nil
	}
}
