package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// BundleFormat names the bundle format in its "format" field.
const BundleFormat = "govshare-audit-bundle/v1"

// MaxBundleSize is the most bytes ReadBundle reads: 64 MiB.
const MaxBundleSize = 64 << 20

// Bundle is a range of consecutive records with a signed checkpoint that
// covers them and an inclusion proof for each: everything a supervisor
// needs to check those records offline, without the log. Its JSON form
// (WriteTo, ReadBundle) is the exchange format.
type Bundle struct {
	Format     string           `json:"format"`     // BundleFormat
	Checkpoint Checkpoint       `json:"checkpoint"` // a signed checkpoint covering the records
	Records    []Record         `json:"records"`    // consecutive records
	Proofs     []InclusionProof `json:"proofs"`     // Proofs[i] proves Records[i] against Checkpoint
}

// ExportBundle returns the records from ≤ Seq < to of l with their
// inclusion proofs against cp, which must be one of l's checkpoints with
// cp.Size ≥ to.
func ExportBundle(ctx context.Context, l Log, cp Checkpoint, from, to uint64) (*Bundle, error) {
	if from > to {
		return nil, &RangeError{What: rangeStart, Value: from, Limit: to}
	}
	if to > cp.Size {
		return nil, &RangeError{What: "bundle range end", Value: to, Limit: cp.Size}
	}
	b := &Bundle{Format: BundleFormat, Checkpoint: cp}
	for rec, err := range l.Read(ctx, from, to) {
		if err != nil {
			return nil, err
		}
		p, err := l.ProveInclusion(ctx, rec.Seq, cp.Size)
		if err != nil {
			return nil, err
		}
		b.Records = append(b.Records, rec)
		b.Proofs = append(b.Proofs, p)
	}
	return b, nil
}

// WriteTo writes the bundle as JSON. It is io.WriterTo's method, which
// takes no context: the bundle is in memory and written in one Write;
// give w a deadline to bound it.
func (b *Bundle) WriteTo(w io.Writer) (int64, error) {
	data, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		return 0, fmt.Errorf("audit: bundle: %w", err)
	}
	n, err := w.Write(append(data, '\n'))
	return int64(n), err
}

// ReadBundle parses a bundle's JSON form (at most MaxBundleSize bytes,
// no unknown fields) from r, reading until ctx ends. It does not verify
// it. A larger bundle is refused with a *MalformedError whose kind is
// govshare.ErrTooLarge.
func ReadBundle(ctx context.Context, r io.Reader) (*Bundle, error) {
	data, err := readBounded(ctx, io.LimitReader(r, MaxBundleSize+1))
	if err != nil {
		return nil, fmt.Errorf("audit: read bundle: %w", err)
	}
	if len(data) > MaxBundleSize {
		return nil, &MalformedError{Detail: fmt.Sprintf("bundle larger than %d bytes", MaxBundleSize), tooLarge: true}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Bundle
	if err := dec.Decode(&b); err != nil {
		return nil, malformed("bundle: %v", err)
	}
	if dec.More() {
		return nil, malformed("bundle: data after the JSON object")
	}
	if b.Format != BundleFormat {
		return nil, malformed("bundle format %q, want %q", b.Format, BundleFormat)
	}
	return &b, nil
}

// Verify checks the bundle offline: the checkpoint's signature under pub
// (a key the verifier trusts, not one the bundle brings), that the records
// are consecutive and each leads by its proof to the signed root, and that
// each record's Prev is the Hash of the one before it. With the log's key
// (nil for an unkeyed log, or to skip), it also checks every record hash
// as an HMAC — a key whose check value differs from the checkpoint's is
// KindWrongKey. Without it, the hashes of a keyed log are checked only
// where the chain or the checkpoint's Head covers them; the events
// themselves are covered by the Merkle proofs either way. It returns nil
// or a *VerifyError naming the first bad record.
func (b *Bundle) Verify(pub PublicKey, key []byte) error {
	cp := &b.Checkpoint
	if b.Format != BundleFormat {
		return malformed("bundle format %q, want %q", b.Format, BundleFormat)
	}
	if err := cp.Verify(pub); err != nil {
		return &VerifyError{Seq: cp.Size, Kind: KindBadSignature, Checkpoint: cp, Detail: err.Error()}
	}
	keyed := !cp.KeyCheck.IsZero()
	if key != nil {
		if !keyed {
			return &VerifyError{Seq: 0, Kind: KindWrongKey, Checkpoint: cp, Detail: "a key was given for an unkeyed log"}
		}
		if kc := keyCheck(cp.Algorithm, key, cp.LogID); !hmac.Equal(kc[:], cp.KeyCheck[:]) {
			return &VerifyError{Seq: 0, Kind: KindWrongKey, Checkpoint: cp, Detail: "the key's check value differs from the checkpoint's"}
		}
	}
	if len(b.Proofs) != len(b.Records) {
		return malformed("bundle has %d records and %d proofs", len(b.Records), len(b.Proofs))
	}
	x := newHasher(cp.Algorithm, key)
	for i := range b.Records {
		rec, proof := &b.Records[i], &b.Proofs[i]
		if i > 0 {
			want := b.Records[0].Seq + uint64(i)
			switch {
			case rec.Seq > want && slices.ContainsFunc(b.Records[i:], func(r Record) bool { return r.Seq == want }):
				return &VerifyError{Seq: want, Kind: KindReordered, Detail: fmt.Sprintf("record %d comes before record %d", rec.Seq, want)}
			case rec.Seq > want:
				return &VerifyError{Seq: want, Kind: KindDeleted, Detail: fmt.Sprintf("the bundle skips from record %d to %d", want-1, rec.Seq)}
			case rec.Seq < want:
				return &VerifyError{Seq: want, Kind: KindReordered, Detail: fmt.Sprintf("record %d comes after record %d", rec.Seq, want-1)}
			}
		}
		if rec.Seq >= cp.Size {
			return &VerifyError{Seq: rec.Seq, Kind: KindInserted, Checkpoint: cp, Detail: fmt.Sprintf("record %d is beyond the checkpoint's %d records", rec.Seq, cp.Size)}
		}
		if proof.Seq != rec.Seq || proof.Size != cp.Size {
			return &VerifyError{Seq: rec.Seq, Kind: KindModified, Checkpoint: cp,
				Detail: fmt.Sprintf("proof is for record %d in a tree of %d", proof.Seq, proof.Size)}
		}
		n, err := rec.Event.normalize(readLimits)
		if err != nil {
			return &VerifyError{Seq: rec.Seq, Kind: KindModified, Detail: err.Error()}
		}
		leaf := x.leaf(encodeRecord(rec.Seq, rec.Prev, &n))
		if err := verifyLeaf(x, *cp, rec.Seq, leaf, proof.Hashes); err != nil {
			return err
		}
		if (!keyed || key != nil) && x.record(&leaf) != rec.Hash {
			return &VerifyError{Seq: rec.Seq, Kind: KindModified, Detail: "the record's hash does not match its content"}
		}
		if i > 0 && rec.Prev != b.Records[i-1].Hash {
			return &VerifyError{Seq: rec.Seq - 1, Kind: KindModified, Detail: fmt.Sprintf("record %d's hash is not the previous hash of record %d", rec.Seq-1, rec.Seq)}
		}
		if rec.Seq == cp.Size-1 && rec.Hash != cp.Head {
			return &VerifyError{Seq: rec.Seq, Kind: KindModified, Checkpoint: cp, Detail: "the last record's hash is not the checkpoint's head"}
		}
	}
	return nil
}

// readBounded is io.ReadAll that stops with ctx's error between reads once
// ctx ends.
func readBounded(ctx context.Context, r io.Reader) ([]byte, error) {
	b := make([]byte, 0, 64<<10)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
