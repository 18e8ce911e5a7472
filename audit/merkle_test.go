package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/bits"
	"testing"
)

// The RFC 6962 test data used by the Certificate Transparency
// implementations (C++ merkle_tree_test, Go merkle/testonly): eight leaf
// inputs, the SHA-256 roots of their prefixes, and audit and consistency
// proofs between them.
var (
	ctLeaves = []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	ctRoots  = []string{
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // empty tree: SHA-256("")
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	ctInclusion = []struct {
		index, size uint64
		proof       []string
	}{
		{0, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{5, 8, []string{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 3, []string{"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
		{1, 5, []string{"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
		{0, 1, nil},
	}
	ctConsistency = []struct {
		size1, size2 uint64
		proof        []string
	}{
		{1, 1, nil},
		{1, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{6, 8, []string{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 5, []string{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	}
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func digests(t testing.TB, hs []string) []Digest {
	out := make([]Digest, len(hs))
	for i, h := range hs {
		copy(out[i][:], mustHex(t, h))
	}
	return out
}

func ctTree(t testing.TB) *Tree {
	t.Helper()
	tree, err := NewTree(SHA256)
	if err != nil {
		t.Fatal(err)
	}
	x := newHasher(SHA256, nil)
	for _, l := range ctLeaves {
		tree.Append(x.leaf(mustHex(t, l)))
	}
	return tree
}

// TestMerkleRFC6962Vectors shows the tree is the standard one: with
// SHA-256 it gives the Certificate Transparency roots and proofs.
func TestMerkleRFC6962Vectors(t *testing.T) {
	tree := ctTree(t)
	for size := range uint64(len(ctRoots)) {
		root, err := tree.Root(size)
		if err != nil {
			t.Fatal(err)
		}
		if root.String() != ctRoots[size] {
			t.Errorf("root of %d leaves = %s, RFC 6962 vectors say %s", size, root, ctRoots[size])
		}
	}
	x := newHasher(SHA256, nil)
	for _, v := range ctInclusion {
		t.Run(fmt.Sprintf("inclusion %d in %d", v.index, v.size), func(t *testing.T) {
			proof, err := tree.InclusionProof(v.index, v.size)
			if err != nil {
				t.Fatal(err)
			}
			want := digests(t, v.proof)
			if fmt.Sprint(proof) != fmt.Sprint(want) {
				t.Errorf("proof = %v\nwant    %v", proof, want)
			}
			leaf, _ := tree.Leaf(v.index)
			root, err := rootFromInclusion(x, v.index, v.size, leaf, want)
			if err != nil || root.String() != ctRoots[v.size] {
				t.Errorf("verifying the RFC proof gave %s, %v", root, err)
			}
		})
	}
	for _, v := range ctConsistency {
		t.Run(fmt.Sprintf("consistency %d to %d", v.size1, v.size2), func(t *testing.T) {
			proof, err := tree.ConsistencyProof(v.size1, v.size2)
			if err != nil {
				t.Fatal(err)
			}
			want := digests(t, v.proof)
			if fmt.Sprint(proof) != fmt.Sprint(want) {
				t.Errorf("proof = %v\nwant    %v", proof, want)
			}
			r1, r2 := digests(t, ctRoots[v.size1:v.size1+1])[0], digests(t, ctRoots[v.size2:v.size2+1])[0]
			if err := checkConsistency(x, v.size1, v.size2, r1, r2, want); err != nil {
				t.Errorf("verifying the RFC proof: %v", err)
			}
		})
	}
}

// refRoot is MTH of RFC 6962 §2.1 written as the RFC states it, to check
// the stored-subtree implementation on many sizes.
func refRoot(x *hasher, leaves []Digest) Digest {
	switch len(leaves) {
	case 0:
		d := sha256.Sum256(nil)
		return d
	case 1:
		return leaves[0]
	}
	k := 1 << (bits.Len(uint(len(leaves)-1)) - 1)
	l, r := refRoot(x, leaves[:k]), refRoot(x, leaves[k:])
	return x.interior(&l, &r)
}

// TestMerkleAllShapes checks every root, every inclusion proof and every
// consistency proof of trees of up to 70 leaves against the RFC's
// definitions, and that each proof fails when it is damaged.
func TestMerkleAllShapes(t *testing.T) {
	const max = 70
	tree, _ := NewTree(SHA256)
	x := newHasher(SHA256, nil)
	leaves := make([]Digest, max)
	for i := range leaves {
		leaves[i] = x.leaf([]byte{byte(i), byte(i * 7)})
		tree.Append(leaves[i])
	}
	cr := compactRange{x: x}
	for size := uint64(0); size <= max; size++ {
		root, _ := tree.Root(size)
		if want := refRoot(x, leaves[:size]); root != want {
			t.Fatalf("root of %d = %s, RFC definition gives %s", size, root, want)
		}
		if got := cr.root(); got != root {
			t.Fatalf("compact range root of %d = %s, want %s", size, got, root)
		}
		if size < max {
			cr.append(leaves[size])
		}
		for i := uint64(0); i < size; i++ {
			proof, err := tree.InclusionProof(i, size)
			if err != nil {
				t.Fatal(err)
			}
			if len(proof) > bits.Len64(size-1) {
				t.Fatalf("proof of %d in %d has %d hashes, more than ⌈log2⌉", i, size, len(proof))
			}
			if got, err := rootFromInclusion(x, i, size, leaves[i], proof); err != nil || got != root {
				t.Fatalf("inclusion %d in %d: %s, %v", i, size, got, err)
			}
			for j := range proof {
				bad := append([]Digest(nil), proof...)
				bad[j][0] ^= 8
				if got, _ := rootFromInclusion(x, i, size, leaves[i], bad); got == root {
					t.Fatalf("inclusion %d in %d verifies with hash %d damaged", i, size, j)
				}
			}
			if got, err := rootFromInclusion(x, i, size, leaves[i], append(proof, root)); err == nil && got == root {
				t.Fatalf("inclusion %d in %d verifies with a hash too many", i, size)
			}
			if size > 1 {
				if got, err := rootFromInclusion(x, i^1, size, leaves[i], proof); err == nil && got == root && i^1 < size {
					t.Fatalf("inclusion %d in %d verifies at index %d", i, size, i^1)
				}
			}
		}
		for m := uint64(1); m <= size; m++ {
			proof, err := tree.ConsistencyProof(m, size)
			if err != nil {
				t.Fatal(err)
			}
			r1, _ := tree.Root(m)
			if err := checkConsistency(x, m, size, r1, root, proof); err != nil {
				t.Fatalf("consistency %d→%d: %v", m, size, err)
			}
			for j := range proof {
				bad := append([]Digest(nil), proof...)
				bad[j][0] ^= 16
				if checkConsistency(x, m, size, r1, root, bad) == nil {
					t.Fatalf("consistency %d→%d verifies with hash %d damaged", m, size, j)
				}
			}
			if m < size && checkConsistency(x, m, size, root, r1, proof) == nil {
				t.Fatalf("consistency %d→%d verifies with the roots swapped", m, size)
			}
		}
	}
}

func TestMerkleRanges(t *testing.T) {
	tree := ctTree(t)
	if _, err := tree.Root(9); err == nil {
		t.Error("Root(9) of 8 leaves succeeded")
	}
	if _, err := tree.InclusionProof(8, 8); err == nil {
		t.Error("InclusionProof(8, 8) succeeded")
	}
	if _, err := tree.InclusionProof(0, 9); err == nil {
		t.Error("InclusionProof(0, 9) succeeded")
	}
	if _, err := tree.ConsistencyProof(0, 8); err == nil {
		t.Error("ConsistencyProof(0, 8) succeeded")
	}
	if _, err := tree.ConsistencyProof(5, 4); err == nil {
		t.Error("ConsistencyProof(5, 4) succeeded")
	}
	if _, err := NewTree(Algorithm(7)); err == nil {
		t.Error("NewTree(7) succeeded")
	}
	x := newHasher(SHA256, nil)
	r := digests(t, ctRoots)
	if checkConsistency(x, 0, 5, r[0], r[5], nil) != nil {
		t.Error("the empty tree is consistent with every tree")
	}
	if checkConsistency(x, 3, 3, r[3], r[3], nil) != nil || checkConsistency(x, 3, 3, r[3], r[4], nil) == nil {
		t.Error("equal sizes are consistent exactly when the roots are equal")
	}
	if checkConsistency(x, 3, 3, r[3], r[3], r[:1]) == nil {
		t.Error("equal sizes with a non-empty proof verified")
	}
	if checkConsistency(x, 4, 2, r[4], r[2], nil) == nil {
		t.Error("a shrinking tree verified")
	}
}
