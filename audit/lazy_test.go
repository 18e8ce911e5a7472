package audit

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// refPath is PATH(m, D[n]) of RFC 6962 §2.1.1 written as the RFC states
// it: the audit path of leaf m, deepest sibling first.
func refPath(x *hasher, m int, leaves []Digest) []Digest {
	if len(leaves) <= 1 {
		return nil
	}
	k := 1 << (bits.Len(uint(len(leaves)-1)) - 1)
	if m < k {
		return append(refPath(x, m, leaves[:k]), refRoot(x, leaves[k:]))
	}
	return append(refPath(x, m-k, leaves[k:]), refRoot(x, leaves[:k]))
}

// refSubproof is SUBPROOF(m, D[n], b) of RFC 6962 §2.1.2; the consistency
// proof between m and n leaves is refSubproof(x, m, leaves[:n], true).
func refSubproof(x *hasher, m int, leaves []Digest, b bool) []Digest {
	n := len(leaves)
	if m == n {
		if b {
			return nil
		}
		return []Digest{refRoot(x, leaves)}
	}
	k := 1 << (bits.Len(uint(n-1)) - 1)
	if m <= k {
		return append(refSubproof(x, m, leaves[:k], b), refRoot(x, leaves[k:]))
	}
	return append(refSubproof(x, m-k, leaves[k:], false), refRoot(x, leaves[:k]))
}

// TestTreeLazyIntegration interleaves appends of random batches with
// roots and proofs at random sizes, and checks every answer against the
// RFC 6962 definitions and against a tree integrated after every single
// append (what the tree did before integration became lazy).
func TestTreeLazyIntegration(t *testing.T) {
	for _, alg := range []Algorithm{SHA256, SM3} {
		for seed := uint64(1); seed <= 4; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", alg.code(), seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 99))
				x := newHasher(alg, nil)
				lazy, _ := NewTree(alg)
				eager, _ := NewTree(alg)
				var leaves []Digest
				for len(leaves) < 700 {
					for range 1 + rng.IntN(60) {
						leaf := x.leaf([]byte(fmt.Sprint("leaf ", len(leaves), seed)))
						leaves = append(leaves, leaf)
						lazy.Append(leaf)
						eager.Append(leaf)
						if _, err := eager.Root(eager.Size()); err != nil {
							t.Fatal(err)
						}
					}
					for range 1 + rng.IntN(4) {
						checkTreeAt(t, x, lazy, eager, leaves, rng)
					}
				}
			})
		}
	}
}

// checkTreeAt compares lazy with eager and the RFC definitions at a
// random size: root, one inclusion proof, one consistency proof.
func checkTreeAt(t *testing.T, x *hasher, lazy, eager *Tree, leaves []Digest, rng *rand.Rand) {
	t.Helper()
	size := 1 + rng.IntN(len(leaves))
	if rng.IntN(3) == 0 {
		size = len(leaves)
	}
	root, err := lazy.Root(uint64(size))
	if err != nil {
		t.Fatal(err)
	}
	eroot, _ := eager.Root(uint64(size))
	if want := refRoot(x, leaves[:size]); root != want || eroot != want {
		t.Fatalf("root of %d: lazy %s, eager %s, RFC %s", size, root, eroot, want)
	}
	i := rng.IntN(size)
	proof, err := lazy.InclusionProof(uint64(i), uint64(size))
	if err != nil {
		t.Fatal(err)
	}
	eproof, _ := eager.InclusionProof(uint64(i), uint64(size))
	if want := refPath(x, i, leaves[:size]); !slices.Equal(proof, want) || !slices.Equal(eproof, want) {
		t.Fatalf("inclusion proof of %d in %d differs from the RFC's PATH", i, size)
	}
	m := 1 + rng.IntN(size)
	cproof, err := lazy.ConsistencyProof(uint64(m), uint64(size))
	if err != nil {
		t.Fatal(err)
	}
	ecproof, _ := eager.ConsistencyProof(uint64(m), uint64(size))
	if want := refSubproof(x, m, leaves[:size], true); !slices.Equal(cproof, want) || !slices.Equal(ecproof, want) {
		t.Fatalf("consistency proof %d→%d differs from the RFC's PROOF", m, size)
	}
}

// TestLogsLazyTreeMatchesEager appends the same events to two memory logs
// and two file logs: one is asked for a proof after every append (its
// tree is integrated record by record), the other only now and then, at
// random sizes. Every checkpoint root and proof must be the same.
func TestLogsLazyTreeMatchesEager(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opts := []Option{WithKey(testKey), WithLogID(LogID{1, 2, 3}), WithSigner(testSigner(t, 1)), WithClock(fixedClock(t0))}
	newPair := map[string]func(t *testing.T) (Log, Log){
		"memory": func(t *testing.T) (Log, Log) {
			a, err := NewMemory(opts...)
			if err != nil {
				t.Fatal(err)
			}
			b, err := NewMemory(opts...)
			if err != nil {
				t.Fatal(err)
			}
			return a, b
		},
		"file": func(t *testing.T) (Log, Log) {
			a := openTestFile(t, filepath.Join(dir, "eager.log"), WithLogID(LogID{1, 2, 3}))
			b := openTestFile(t, filepath.Join(dir, "lazy.log"), WithLogID(LogID{1, 2, 3}))
			t.Cleanup(func() { a.Close(); b.Close() })
			return a, b
		},
	}
	for name, pair := range newPair {
		t.Run(name, func(t *testing.T) {
			eager, lazy := pair(t)
			rng := rand.New(rand.NewPCG(7, 11))
			n := 0
			for n < 300 {
				for range 1 + rng.IntN(25) {
					if _, err := eager.Append(ctx, testEvent(n)); err != nil {
						t.Fatal(err)
					}
					if _, err := eager.ProveInclusion(ctx, uint64(n), uint64(n+1)); err != nil {
						t.Fatal(err)
					}
					if _, err := lazy.Append(ctx, testEvent(n)); err != nil {
						t.Fatal(err)
					}
					n++
				}
				size := uint64(1 + rng.IntN(n))
				seq, size1 := rng.Uint64N(size), 1+rng.Uint64N(size)
				pe, err1 := eager.ProveInclusion(ctx, seq, size)
				pl, err2 := lazy.ProveInclusion(ctx, seq, size)
				if err1 != nil || err2 != nil || !slices.Equal(pe.Hashes, pl.Hashes) {
					t.Fatalf("inclusion of %d in %d: eager %v (%v), lazy %v (%v)", seq, size, pe.Hashes, err1, pl.Hashes, err2)
				}
				ce, err1 := eager.ProveConsistency(ctx, size1, size)
				cl, err2 := lazy.ProveConsistency(ctx, size1, size)
				if err1 != nil || err2 != nil || !slices.Equal(ce.Hashes, cl.Hashes) {
					t.Fatalf("consistency %d→%d: eager %v (%v), lazy %v (%v)", size1, size, ce.Hashes, err1, cl.Hashes, err2)
				}
				if rng.IntN(3) == 0 {
					cpe, err1 := eager.Checkpoint(ctx)
					cpl, err2 := lazy.Checkpoint(ctx)
					if err1 != nil || err2 != nil || cpe.Root != cpl.Root || cpe.Size != cpl.Size || cpe.Head != cpl.Head {
						t.Fatalf("checkpoints at %d differ: eager %+v (%v), lazy %+v (%v)", n, cpe, err1, cpl, err2)
					}
				}
			}
			for _, l := range []Log{eager, lazy} {
				if err := l.Verify(ctx); err != nil {
					t.Errorf("Verify: %v", err)
				}
			}
		})
	}
}

// TestLazyTreeConcurrentProofs runs appenders and provers at once (run it
// with -race): the provers integrate the tree while others read it, and
// every proof they get verifies against a checkpoint of the same size.
func TestLazyTreeConcurrentProofs(t *testing.T) {
	ctx := context.Background()
	logs := map[string]Log{
		"memory": newTestMemory(t, WithKey(testKey)),
		"file":   openTestFile(t, filepath.Join(t.TempDir(), "audit.log")),
	}
	for name, l := range logs {
		t.Run(name, func(t *testing.T) {
			if f, ok := l.(*File); ok {
				defer f.Close()
			}
			pub := testSigner(t, 1).Public()
			const writers, each, provers = 4, 60, 4
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						if _, err := l.Append(ctx, testEvent(w*each+i)); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			for range provers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 30 {
						cp, err := l.Checkpoint(ctx)
						if err != nil {
							t.Error(err)
							return
						}
						if cp.Size == 0 {
							continue
						}
						seq := cp.Size / 2
						p, err := l.ProveInclusion(ctx, seq, cp.Size)
						if err != nil {
							t.Error(err)
							return
						}
						var rec Record
						for r, err := range l.Read(ctx, seq, seq+1) {
							if err != nil {
								t.Error(err)
								return
							}
							rec = r
						}
						if err := VerifyInclusion(pub, cp, rec, p); err != nil {
							t.Errorf("record %d in a checkpoint of %d: %v", seq, cp.Size, err)
						}
					}
				}()
			}
			wg.Wait()
			if err := l.Verify(ctx); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}
