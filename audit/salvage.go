package audit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxFragments is the most fragments a SalvageReport lists.
const MaxFragments = 100

// SalvageReport says what Salvage copied, and what it found in the source
// beyond the damage and did not copy.
type SalvageReport struct {
	Records     uint64 // records copied: every record before the damage
	Checkpoints int    // checkpoints copied
	// Size is the bytes written: the copy is the first Size bytes of the
	// source, byte for byte.
	Size int64
	// Damage is where the source stops being readable, and so where the
	// copy stops; nil when the source is intact and the copy is whole.
	Damage *Damage
	// Fragments are the runs of frames after the damage each of which
	// checks out by itself, in file order (at most MaxFragments). Salvage
	// never copies them: records after a gap cannot join the chain without
	// a decision only a person can take, and the source keeps them.
	Fragments []Fragment
	// Incomplete reports that the search for fragments stopped before the
	// end of the source: after MaxFragments, or when its budget ran out
	// (see Damage.Tail).
	Incomplete bool
}

// Fragment is a run of consecutive frames after the damage in a log file,
// each of which checks out by itself (kind, length, checksum), up to the
// next damage or the end of the file.
type Fragment struct {
	Offset int64 // where its first frame starts in the source
	Size   int64 // its length in bytes
	// Records is how many record frames it holds; FirstSeq is the sequence
	// number its first one carries (meaningful when Records > 0).
	Records  uint64
	FirstSeq uint64
	// Checkpoints is how many checkpoint frames it holds; Signed how many
	// of them verify under the public key given and are this log's (0
	// without a key).
	Checkpoints, Signed int
	// Verified reports that its records verify on their own: each parses,
	// its stored hash is the one its content gives (the HMAC under the key,
	// for a keyed log), and each follows the one before it in sequence
	// number and previous hash; and that it holds nothing but records and
	// checkpoints. It is false when that cannot be told (a keyed log
	// salvaged without its key).
	Verified bool
	// Follows reports that its first record continues the copied prefix:
	// its sequence number is SalvageReport.Records and its previous hash
	// the hash of the last record copied. The damage then destroyed no
	// record before it (a checkpoint, or bytes between frames).
	Follows bool
}

// Salvage copies the intact prefix of the log file src — every frame
// before the first damage — to a new file dst, and reports what it copied
// and what lies beyond. It is the operator's way out of a file that Repair
// refuses: src is only read, never changed, and dst must not exist (it is
// created with mode 0600 and synced, with its directory, before Salvage
// returns; on failure it is removed). The copy is a log file that OpenFile
// opens; open it and Verify it before appending to it.
//
// Salvage does not take the frames after the damage into the copy: it
// lists them as Fragments, with whether their records verify on their own
// and whether they continue the prefix, and leaves them in src. A source
// without damage is copied whole.
//
// Options: WithKey checks the key against the header (a wrong one is
// refused, KindWrongKey) and lets Salvage verify the fragments of a keyed
// log; WithPublicKey counts the fragments' valid checkpoints. A source
// that is not a log, or whose header is damaged, is a *FormatError; there
// is nothing to salvage. Salvage reads the whole source, within ctx.
func Salvage(ctx context.Context, src, dst string, opts ...Option) (SalvageReport, error) {
	c, err := newConfig(kindSalvage, opts)
	if err != nil {
		return SalvageReport{}, err
	}
	fh, err := os.Open(src)
	if err != nil {
		return SalvageReport{}, fmt.Errorf("audit: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return SalvageReport{}, fmt.Errorf("audit: %w", err)
	}
	size := st.Size()
	s, err := scanFile(ctx, fh, size, src)
	if err != nil {
		return SalvageReport{}, err
	}
	if s.damage != nil && s.damage.Offset == 0 {
		return SalvageReport{}, &FormatError{Path: src, Reason: "nothing to salvage: the log header was never completely written", Kind: s.damage.Kind}
	}
	if err := s.hdr.check(src, 0, c.key, true); err != nil {
		return SalvageReport{}, err
	}
	rep := SalvageReport{Records: uint64(len(s.records)), Checkpoints: len(s.checkpoints), Size: s.end, Damage: s.damage}
	if d := s.damage; d != nil {
		fs := fragmentScan{fh: fh, size: size, path: src, v: verifier{hdr: s.hdr, key: c.key, pub: c.pub}, budget: scanBudget(size)}
		if n := len(s.records); n > 0 {
			last, err := readRecord(ctx, fh, s.records[n-1])
			if err != nil {
				return SalvageReport{}, err
			}
			fs.prefixLast = last.hash
		}
		if err := fs.run(ctx, d, &rep); err != nil {
			return SalvageReport{}, err
		}
	}
	if err := copyPrefix(ctx, fh, dst, s.end); err != nil {
		return SalvageReport{}, err
	}
	return rep, nil
}

// readRecord reads one record frame's payload.
func readRecord(ctx context.Context, fh *os.File, l frameLoc) (rawRecord, error) {
	var recs []rawRecord
	err := fileSource{fh: fh, locs: []frameLoc{l}}.records(ctx, 0, func(r []rawRecord) error {
		recs = r
		return nil
	})
	if err != nil {
		return rawRecord{}, err
	}
	return recs[0], nil
}

// fragmentScan walks the frames after the damage of a log file.
type fragmentScan struct {
	fh         *os.File
	size       int64
	path       string
	v          verifier
	budget     int64
	prefixLast Digest // the stored hash of the last record before the damage
	br         *bufio.Reader
	buf        []byte // frames, and the search for them
}

// run lists the fragments after d in rep.
func (fs *fragmentScan) run(ctx context.Context, d *Damage, rep *SalvageReport) error {
	off := d.Next
	if off == 0 {
		rep.Incomplete = !d.Tail
		return nil
	}
	for {
		if len(rep.Fragments) == MaxFragments {
			rep.Incomplete = true
			return nil
		}
		fr, end, err := fs.fragment(ctx, off, len(rep.Fragments) == 0, rep.Records)
		if err != nil {
			return err
		}
		rep.Fragments = append(rep.Fragments, fr)
		if end >= fs.size {
			return nil
		}
		next, complete, err := findFrame(ctx, fs.fh, end+1, fs.size, &fs.budget, &fs.buf)
		switch {
		case err != nil:
			return err
		case !complete:
			rep.Incomplete = true
			return nil
		case next == 0:
			return nil
		}
		off = next
	}
}

// fragment reads the run of valid frames from off and checks its records
// and checkpoints. It returns where the run ends: the next bad frame, or
// the end of the file.
func (fs *fragmentScan) fragment(ctx context.Context, off int64, first bool, prefixRecords uint64) (Fragment, int64, error) {
	fr := Fragment{Offset: off}
	sr := io.NewSectionReader(fs.fh, off, fs.size-off)
	if fs.br == nil {
		fs.br = bufio.NewReaderSize(sr, int(min(fs.size-off, 1<<20)))
	} else {
		fs.br.Reset(sr)
	}
	br := fs.br
	stray := false // a frame that checks out but holds neither a record nor a checkpoint
	var locs []frameLoc
	var cps []storedCheckpoint
	for frames := 0; off < fs.size; frames++ {
		if frames%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Fragment{}, 0, err
			}
		}
		kind, payload, damage, err := readFrame(br, fs.size-off, &fs.buf)
		if err != nil {
			return Fragment{}, 0, fmt.Errorf("audit: read %s: %w", fs.path, err)
		}
		switch {
		case damage != 0:
		case kind == frameRecord && len(payload) >= DigestSize:
			locs = append(locs, frameLoc{off: off, n: uint32(len(payload))})
		case kind == frameCheckpoint:
			sc := storedCheckpoint{at: uint64(len(locs))}
			sc.err = sc.cp.UnmarshalBinary(payload)
			cps = append(cps, sc)
		default:
			stray = true
		}
		if damage != 0 {
			break
		}
		off += frameOverhead + int64(len(payload))
	}
	fr.Size = off - fr.Offset
	fr.Records, fr.Checkpoints = uint64(len(locs)), len(cps)
	if fs.v.pub != nil {
		_, ok := fs.v.signed(cps)
		fr.Signed = len(ok)
	}
	fr.Verified = (!fs.v.hdr.Keyed || fs.v.key != nil) && !stray
	x := newHasher(fs.v.hdr.Algorithm, fs.v.key)
	var prev checked
	pos := 0
	stopped := errors.New("stopped")
	err := fileSource{fh: fs.fh, locs: locs}.records(ctx, 0, func(recs []rawRecord) error {
		for i := range recs {
			var c checked
			fs.v.check(x, &recs[i], &c)
			if pos == 0 {
				fr.FirstSeq = c.seq
				fr.Follows = first && c.ok && c.seq == prefixRecords && c.prev == fs.prefixLast
			}
			if !c.ok || !c.valid || pos > 0 && (c.seq != prev.seq+1 || c.prev != prev.stored) {
				fr.Verified = false
			}
			if !fr.Verified {
				return stopped // FirstSeq and Follows are known
			}
			prev = c
			pos++
		}
		return nil
	})
	if err != nil && err != stopped {
		return Fragment{}, 0, err
	}
	return fr, off, nil
}

// copyPrefix writes the first n bytes of src to a new file at dst and
// syncs it and its directory; on failure dst is removed.
func copyPrefix(ctx context.Context, src *os.File, dst string, n int64) (err error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("audit: salvage: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("audit: salvage: %w", cerr)
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	buf := make([]byte, min(n, 1<<20))
	for off := int64(0); off < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(int64(len(buf)), n-off)
		if _, err := src.ReadAt(buf[:k], off); err != nil {
			return fmt.Errorf("audit: salvage: read %s: %w", src.Name(), err)
		}
		if _, err := out.Write(buf[:k]); err != nil {
			return fmt.Errorf("audit: salvage: %w", err)
		}
		off += k
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("audit: salvage: %w", err)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("audit: salvage: sync directory: %w", err)
	}
	return nil
}
