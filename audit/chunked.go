package audit

import "math/bits"

// chunked is an append-only sequence kept in chunks that never move:
// growing it never copies what it holds (a log of a million records would
// otherwise copy tens of megabytes under its lock), and a reader holding a
// view reads chunks the writer no longer touches, except to fill the last
// one beyond the view. Chunks double from 256 elements to 65,536 and stay
// at that size.
type chunked[T any] struct {
	chunks [][]T // each with its final capacity; only the last one grows
	n      int
}

const (
	chunkFirstBits = 8
	chunkMaxBits   = 16
	// chunkGeometric is how many elements the doubling chunks hold.
	chunkGeometric = 1<<(chunkMaxBits+1) - 1<<chunkFirstBits
)

// locate returns the chunk and offset of element i.
func locate(i int) (int, int) {
	if i < chunkGeometric {
		c := bits.Len(uint(i>>chunkFirstBits+1)) - 1
		return c, i - (1<<c-1)<<chunkFirstBits
	}
	i -= chunkGeometric
	return chunkMaxBits - chunkFirstBits + 1 + i>>chunkMaxBits, i & (1<<chunkMaxBits - 1)
}

func (c *chunked[T]) len() int { return c.n }

func (c *chunked[T]) append(v T) {
	k, off := locate(c.n)
	if off == 0 {
		size := 1 << chunkMaxBits
		if k <= chunkMaxBits-chunkFirstBits {
			size = 1 << (chunkFirstBits + k)
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
	}
	c.chunks[k] = append(c.chunks[k], v)
	c.n++
}

func (c *chunked[T]) at(i int) *T {
	k, off := locate(i)
	return &c.chunks[k][off]
}

// view returns the first n elements as a list of slices, for readers
// outside the writer's lock. The caller holds the lock while taking it.
func (c *chunked[T]) view() [][]T {
	if c.n == 0 {
		return nil
	}
	k, off := locate(c.n - 1)
	out := make([][]T, k+1)
	copy(out, c.chunks[:k+1])
	out[k] = out[k][:off+1]
	return out
}
