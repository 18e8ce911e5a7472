// Package catalogtest is the conformance kit of catalog.Store: one call,
// Run, tests that a store keeps versions and refuses stale writes, lets
// exactly one of several concurrent writers win, applies the publish and
// withdraw rules, and finds what catalog.MemoryStore finds on the same
// writes. catalog.MemoryStore and store/postgres's CatalogStore pass it.
//
// # Running it for your own store
//
// A host that keeps the catalog in another database (达梦, a PostgreSQL
// fork, …) implements catalog.Store — catalog.Rules gives it the checks,
// validation and query reading of the memory store, and
// catalog.SearchText, catalog.TextFeatures and catalog.QueryFeatures the
// text Find matches and an inverted index of it — and runs the kit from a
// test of its own:
//
//	func TestConformance(t *testing.T) {
//		catalogtest.Run(t, func(t *testing.T) catalog.Store {
//			s, err := dameng.NewCatalogStore(openTestDB(t)) // empty, default catalog options
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The factory is called once per subtest and must return an empty store
// with the default catalog options (the default 目录代码 pattern and
// validation policy), on which the kit's entries (Entry) are valid and
// publishable. Subtests run one after another; a store may share one
// database between them as long as each gets a store of its own (a fresh
// schema, or tables emptied in t.Cleanup).
//
// Timestamps are compared within the store under test (what a write
// returns is what a read gives back), not with the memory store's: a
// database may keep fewer digits of a time than Go.
package catalogtest
