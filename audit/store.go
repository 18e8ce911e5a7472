package audit

import (
	"context"
	"time"
)

// Settings are a log's options resolved, for a Log kept outside this
// package — rows of a SQL table (store/postgres) — which cannot read an
// Option itself. NewSettings returns them.
type Settings struct {
	// Algorithm is the hash algorithm asked for; 0 when not given (SM3
	// for a new log, the stored header's otherwise).
	Algorithm Algorithm
	// Key is the HMAC key (WithKey), nil for an unkeyed log.
	Key []byte
	// LogID is the id asked for a new log (WithLogID), nil for a random
	// one.
	LogID *LogID
	// Signer signs checkpoints (WithSigner); nil: the log cannot take
	// them (ErrNoSigner).
	Signer Signer
	// PublicKey verifies checkpoints: WithPublicKey's, else the signer's;
	// nil when neither is given.
	PublicKey *PublicKey
	// Now is the clock that dates checkpoints (time.Now by default).
	Now func() time.Time
	// Limits are the event size limits (DefaultLimits by default).
	Limits Limits
}

// NewSettings resolves the options of a log kept outside this package:
// WithAlgorithm, WithKey, WithLogID, WithSigner, WithPublicKey, WithClock
// and WithLimits apply; the file options do not (*OptionError,
// ErrInvalidOption).
func NewSettings(opts ...Option) (Settings, error) {
	c, err := newConfig(kindStore, opts)
	if err != nil {
		return Settings{}, err
	}
	return Settings{Algorithm: c.alg, Key: c.key, LogID: c.logID, Signer: c.signer, PublicKey: c.pub, Now: c.now, Limits: c.limits}, nil
}

// Header returns the header of a new log with these settings: the
// algorithm (SM3 if none), the log id (random if none) and, for a keyed
// log, the key check value.
func (s Settings) Header() (Header, error) {
	c := &config{alg: s.Algorithm, key: s.Key, logID: s.LogID}
	return c.newHeader()
}

// Sign signs a checkpoint of the log with header h at size records, whose
// RFC 6962 root is root and last record hash head, dated now by the
// settings' clock: what Memory.Checkpoint does, for a log kept elsewhere.
// ErrNoSigner without a signer.
func (s Settings) Sign(ctx context.Context, h Header, size uint64, root, head Digest) (Checkpoint, error) {
	now := s.Now
	if now == nil {
		now = time.Now
	}
	return signCheckpoint(ctx, s.Signer, h, size, root, head, now())
}

// RecordSource gives VerifyRecords a log's stored records in order.
type RecordSource interface {
	// Records calls emit with consecutive batches of the stored records
	// from position from on (the from-th record stored, whatever its
	// Seq says), in storage order, until the end or until emit returns an
	// error, which Records returns. A batch must not be changed after
	// emit returns.
	Records(ctx context.Context, from uint64, emit func([]Record) error) error
}

// VerifyRecords verifies a log kept outside this package as Memory.Verify
// and File.Verify verify theirs: every record's hash recomputed from its
// content (with key for a keyed log), the chain, and the checkpoints given
// — the log's own and trusted copies — against pub. It returns nil or a
// *VerifyError naming the first bad position and what is wrong there;
// other errors (the source's, a missing key) say verification could not
// be done. Each record is encoded as the source gives it, without
// normalising its event: the source must give back exactly the record
// Sealer.Seal returned (its Event as sealed, the time to the nanosecond,
// the details' canonical bytes), and any difference is a modified record.
func VerifyRecords(ctx context.Context, h Header, key []byte, pub *PublicKey, src RecordSource, checkpoints ...Checkpoint) error {
	if err := h.check("", 0, key, false); err != nil && !(h.Keyed && key == nil) {
		return err
	}
	cps := make([]storedCheckpoint, len(checkpoints))
	for i, cp := range checkpoints {
		cps[i] = storedCheckpoint{cp: cp, at: cp.Size}
	}
	v := verifier{hdr: h, key: key, pub: pub}
	if !h.Keyed {
		v.key = nil
	}
	return v.verify(ctx, recordSource{src}, cps)
}

// recordSource adapts a RecordSource to the verifier's source: each record
// is encoded as it was sealed.
type recordSource struct{ src RecordSource }

func (s recordSource) records(ctx context.Context, from uint64, emit func([]rawRecord) error) error {
	return s.src.Records(ctx, from, func(recs []Record) error {
		raw := make([]rawRecord, len(recs))
		for i := range recs {
			// Encoded as stored, not normalised: a stored field that
			// differs from what was sealed, even one normalising would
			// bring back, changes the encoding and so the hash.
			raw[i] = rawRecord{enc: encodeRecord(recs[i].Seq, recs[i].Prev, &recs[i].Event), hash: recs[i].Hash}
		}
		return emit(raw)
	})
}
