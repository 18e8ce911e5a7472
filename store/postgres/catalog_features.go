package postgres

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Which of a query's text features Find looks up in the GIN index. Every
// feature of the query is held by every match (catalog.QueryFeatures), so
// any subset of them gives a superset of the matches, which strpos then
// decides; a smaller set of rarer features costs the index less, since a
// feature in most entries has a posting list as long as the catalog. Two
// reductions, neither of which can lose a match:
//
//   - a character is dropped when a pair of the query holds it, and a pair
//     of ASCII characters when a triple holds it;
//   - with PostgreSQL's statistics (pg_stats.most_common_elems, gathered
//     by ANALYZE), only the maxFeatures rarest are kept, and of them only
//     those in at most commonFeature of the rows, unless every one is that
//     common, when the rarest stays.

// commonFeature is the share of rows above which a feature is not looked
// up: a tuning value, not a rule.
const commonFeature = 0.02

// maxFeatures is the most features one Find looks up: the rarest ones
// narrow the candidates as well as all of them, at a fraction of the
// index's work.
const maxFeatures = 3

// featureStatsTTL is how long the statistics are kept before they are read
// again.
const featureStatsTTL = time.Minute

type featureStats struct {
	mu   sync.Mutex
	read time.Time
	freq map[int64]float32
}

// selective returns the features of fs (sorted) to look up.
func (s *CatalogStore) selective(ctx context.Context, fs []int64) []int64 {
	has := func(k int64) bool { _, ok := slices.BinarySearch(fs, k); return ok }
	var out []int64
	for _, f := range fs {
		if !covered(f, fs, has) {
			out = append(out, f)
		}
	}
	freq := s.stats.get(ctx, s)
	if len(freq) == 0 || len(out) <= 1 {
		return out
	}
	// The rarest first: a feature the statistics do not list is rarer
	// than every one they do. At most maxFeatures of them, and none above
	// commonFeature unless every one is.
	slices.SortStableFunc(out, func(a, b int64) int { return cmp.Compare(freq[a], freq[b]) })
	n := 1
	for n < len(out) && n < maxFeatures && freq[out[n]] <= commonFeature {
		n++
	}
	out = out[:n]
	slices.Sort(out)
	return out
}

// covered reports whether feature f is implied by a longer feature of the
// query: a character by a pair holding it, an ASCII pair by a triple.
func covered(f int64, fs []int64, has func(int64) bool) bool {
	const ascii = 1 << 60
	if f&ascii != 0 {
		if (f>>24)&0xff != 2 {
			return false
		}
		a, b := (f>>16)&0xff, (f>>8)&0xff
		for _, g := range fs {
			if g&ascii != 0 && (g>>24)&0xff == 3 {
				x, y, z := (g>>16)&0xff, (g>>8)&0xff, g&0xff
				if x == a && y == b || y == a && z == b {
					return true
				}
			}
		}
		return false
	}
	if f&0xffffffff != 0 {
		return false // a pair of characters
	}
	r := f >> 32
	for _, g := range fs {
		if g&ascii == 0 && g&0xffffffff != 0 && (g>>32 == r || g&0xffffffff == r) {
			return true
		}
	}
	return false
}

// get returns the features' frequencies from pg_stats, read at most once
// per featureStatsTTL; nil when there are none (no ANALYZE yet, or an
// engine without them).
func (fs *featureStats) get(ctx context.Context, s *CatalogStore) map[int64]float32 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if time.Since(fs.read) < featureStatsTTL {
		return fs.freq
	}
	fs.read = time.Now()
	var elems []int64
	var freqs []float32
	err := s.db.pool.QueryRow(ctx, `SELECT most_common_elems::text::bigint[], most_common_elem_freqs FROM pg_stats
		WHERE schemaname = $1 AND tablename = 'catalog_entries' AND attname = 'search_features'`, s.db.schema).Scan(&elems, &freqs)
	if err != nil || len(freqs) < len(elems) {
		fs.freq = nil // none yet, or not readable: look every feature up
		return nil
	}
	fs.freq = make(map[int64]float32, len(elems))
	for i, e := range elems {
		fs.freq[e] = freqs[i]
	}
	return fs.freq
}
