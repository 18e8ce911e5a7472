package audit

import (
	"fmt"
	"math/bits"
	"sync"
	"sync/atomic"
)

// Tree is the Merkle tree of RFC 6962 §2.1 (RFC 9162 §2.1) over a log's
// leaf hashes, with SM3 or SHA-256 as the hash: a leaf is H(0x00 || leaf
// input), an interior node H(0x01 || left || right), and a tree of n leaves
// splits at the largest power of two below n. It is what Memory and File
// use, and what another store can use over the leaf hashes it keeps.
//
// Append only stores the leaf hash. The interior nodes are derived data:
// Tree integrates the leaves appended since it last did so when a root or
// a proof is asked for — in one batch, as Certificate Transparency logs
// integrate new entries — and then keeps every complete subtree's hash, so
// roots and proofs for any size up to Size take O(log n) hash lookups and
// at most O(log n) hash computations on the right edge. The result is the
// same whenever the integration happens; what moves is the cost: about two
// compression-function calls per leaf, paid by the first Root,
// InclusionProof or ConsistencyProof after the appends instead of by each
// Append.
//
// Append must not run concurrently with other methods; the others may run
// concurrently with each other (they integrate under an internal lock).
type Tree struct {
	alg    Algorithm
	leaves chunked[Digest] // written by Append only
	mu     sync.Mutex      // held while integrating
	x      *hasher         // integration's, under mu
	// nodes[k-1].at(j) is the hash of the complete subtree of leaves
	// [j·2^k, (j+1)·2^k), for k ≥ 1, once integrated. Its capacity is 64
	// levels, so it never moves.
	nodes []chunked[Digest]
	// integrated is how many leaves the nodes cover; it is stored after
	// the nodes are written, so a reader that loads it sees them.
	integrated atomic.Uint64
}

// NewTree returns an empty tree hashing with alg.
func NewTree(alg Algorithm) (*Tree, error) {
	if !alg.Valid() {
		return nil, invalidOption("algorithm %d", alg)
	}
	return &Tree{alg: alg, x: newHasher(alg, nil), nodes: make([]chunked[Digest], 0, 64)}, nil
}

// Size returns the number of leaves.
func (t *Tree) Size() uint64 { return uint64(t.leaves.len()) }

// Append adds a leaf hash (H(0x00 || record encoding), see LeafHash). It
// computes no interior node; the next root or proof does.
func (t *Tree) Append(leaf Digest) { t.leaves.append(leaf) }

// integrate computes the interior nodes over the leaves appended since the
// last integration: each new complete subtree's hash, level by level.
func (t *Tree) integrate() {
	size := t.Size()
	if t.integrated.Load() == size {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.integrated.Load() == size {
		return
	}
	lower := &t.leaves
	for k := 0; lower.len() >= 2; k++ {
		if k == len(t.nodes) {
			t.nodes = append(t.nodes, chunked[Digest]{})
		}
		upper := &t.nodes[k]
		for j := upper.len(); j < lower.len()/2; j++ {
			upper.append(t.x.interior(lower.at(2*j), lower.at(2*j+1)))
		}
		lower = upper
	}
	t.integrated.Store(size)
}

// level returns the hashes of the complete subtrees of 2^k leaves.
func (t *Tree) level(k int) *chunked[Digest] {
	if k == 0 {
		return &t.leaves
	}
	return &t.nodes[k-1]
}

// Leaf returns the leaf hash at index i.
func (t *Tree) Leaf(i uint64) (Digest, error) {
	if i >= t.Size() {
		return Digest{}, &RangeError{What: "leaf index", Value: i, Limit: t.Size()}
	}
	return *t.leaves.at(int(i)), nil
}

// Root returns the Merkle tree hash of the first size leaves; the root of
// the empty tree is the hash of the empty string.
func (t *Tree) Root(size uint64) (Digest, error) {
	if size > t.Size() {
		return Digest{}, &RangeError{What: "tree size", Value: size, Limit: t.Size()}
	}
	x := newHasher(t.alg, nil)
	if size == 0 {
		return x.sum(x.h), nil
	}
	t.integrate()
	return t.hash(x, 0, size), nil
}

// hash returns MTH(D[lo:hi]) for lo aligned to the largest power of two
// not above hi-lo, as every subtree in RFC 6962's recursion is. The tree
// must be integrated up to hi.
func (t *Tree) hash(x *hasher, lo, hi uint64) Digest {
	n := hi - lo
	if n&(n-1) == 0 { // a complete subtree
		k := bits.TrailingZeros64(n)
		return *t.level(k).at(int(lo >> k))
	}
	k := split(n)
	l := t.hash(x, lo, lo+k)
	r := t.hash(x, lo+k, hi)
	return x.interior(&l, &r)
}

// split returns the largest power of two smaller than n (n ≥ 2).
func split(n uint64) uint64 { return 1 << (bits.Len64(n-1) - 1) }

// InclusionProof returns the audit path of RFC 6962 §2.1.1 for leaf index
// in the tree of the first size leaves, deepest sibling first.
func (t *Tree) InclusionProof(index, size uint64) ([]Digest, error) {
	if size > t.Size() {
		return nil, &RangeError{What: "tree size", Value: size, Limit: t.Size()}
	}
	if index >= size {
		return nil, &RangeError{What: "sequence number", Value: index, Limit: size}
	}
	t.integrate()
	x := newHasher(t.alg, nil)
	proof := make([]Digest, 0, bits.Len64(size))
	lo, hi := uint64(0), size
	// Walk down from the root, collecting siblings; reverse at the end.
	for hi-lo > 1 {
		k := split(hi - lo)
		if index < lo+k {
			proof = append(proof, t.hash(x, lo+k, hi))
			hi = lo + k
		} else {
			proof = append(proof, t.hash(x, lo, lo+k))
			lo += k
		}
	}
	reverse(proof)
	return proof, nil
}

// ConsistencyProof returns the proof of RFC 6962 §2.1.2 that the tree of
// size1 leaves is a prefix of the tree of size2 leaves (0 < size1 ≤ size2).
func (t *Tree) ConsistencyProof(size1, size2 uint64) ([]Digest, error) {
	if size2 > t.Size() {
		return nil, &RangeError{What: "tree size", Value: size2, Limit: t.Size()}
	}
	if size1 == 0 || size1 > size2 {
		return nil, &RangeError{What: "first tree size", Value: size1, Limit: size2}
	}
	t.integrate()
	x := newHasher(t.alg, nil)
	var proof []Digest
	// SUBPROOF(m, D[lo:hi], b), iteratively: walking down, each step adds
	// one sibling; the collected list is reversed at the end.
	m, lo, hi, complete := size1, uint64(0), size2, true
	for m != hi {
		k := split(hi - lo)
		if m-lo <= k {
			proof = append(proof, t.hash(x, lo+k, hi))
			hi = lo + k
		} else {
			proof = append(proof, t.hash(x, lo, lo+k))
			lo += k
			complete = false
		}
	}
	if !complete {
		proof = append(proof, t.hash(x, lo, hi))
	}
	reverse(proof)
	return proof, nil
}

func reverse(d []Digest) {
	for i, j := 0, len(d)-1; i < j; i, j = i+1, j-1 {
		d[i], d[j] = d[j], d[i]
	}
}

// rootFromInclusion recomputes the root from a leaf hash and its audit
// path (RFC 9162 §2.1.3.2).
func rootFromInclusion(x *hasher, index, size uint64, leaf Digest, proof []Digest) (Digest, error) {
	if index >= size {
		return Digest{}, malformed("leaf index %d not below tree size %d", index, size)
	}
	fn, sn, r := index, size-1, leaf
	for _, p := range proof {
		if sn == 0 {
			return Digest{}, malformed("inclusion proof has %d hashes, too many for tree size %d", len(proof), size)
		}
		if fn&1 == 1 || fn == sn {
			r = x.interior(&p, &r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = x.interior(&r, &p)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 {
		return Digest{}, malformed("inclusion proof has %d hashes, too few for tree size %d", len(proof), size)
	}
	return r, nil
}

// checkConsistency verifies a consistency proof between two roots (RFC
// 9162 §2.1.4.2). Trees of equal size are consistent when their roots are
// equal and the proof is empty; the empty tree is consistent with every
// tree.
func checkConsistency(x *hasher, size1, size2 uint64, root1, root2 Digest, proof []Digest) error {
	switch {
	case size1 > size2:
		return malformed("first tree size %d above second %d", size1, size2)
	case size1 == size2:
		if len(proof) != 0 {
			return malformed("consistency proof between equal sizes must be empty")
		}
		if root1 != root2 {
			return fmt.Errorf("%w: trees of equal size %d have different roots", ErrVerify, size1)
		}
		return nil
	case size1 == 0:
		if len(proof) != 0 {
			return malformed("consistency proof from the empty tree must be empty")
		}
		return nil
	case len(proof) == 0:
		return malformed("empty consistency proof")
	}
	path := proof
	if size1&(size1-1) == 0 {
		path = append([]Digest{root1}, proof...)
	}
	fn, sn := size1-1, size2-1
	for fn&1 == 1 {
		fn >>= 1
		sn >>= 1
	}
	fr, sr := path[0], path[0]
	for _, c := range path[1:] {
		if sn == 0 {
			return malformed("consistency proof too long")
		}
		if fn&1 == 1 || fn == sn {
			fr = x.interior(&c, &fr)
			sr = x.interior(&c, &sr)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			sr = x.interior(&sr, &c)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 {
		return malformed("consistency proof too short")
	}
	if fr != root1 || sr != root2 {
		return fmt.Errorf("%w: consistency proof does not lead to both roots", ErrVerify)
	}
	return nil
}

// compactRange folds leaves into the roots of the complete subtrees of a
// growing tree (a "Merkle mountain range"), so Verify can compute the root
// at any size it passes without keeping the whole tree.
type compactRange struct {
	x     *hasher
	size  uint64
	peaks []Digest // roots of the complete subtrees, largest first
}

func (c *compactRange) append(leaf Digest) {
	c.peaks = append(c.peaks, leaf)
	for n := c.size; n&1 == 1; n >>= 1 {
		k := len(c.peaks)
		c.peaks[k-2] = c.x.interior(&c.peaks[k-2], &c.peaks[k-1])
		c.peaks = c.peaks[:k-1]
	}
	c.size++
}

func (c *compactRange) root() Digest {
	if len(c.peaks) == 0 {
		c.x.h.Reset()
		return c.x.sum(c.x.h)
	}
	r := c.peaks[len(c.peaks)-1]
	for i := len(c.peaks) - 2; i >= 0; i-- {
		r = c.x.interior(&c.peaks[i], &r)
	}
	return r
}
