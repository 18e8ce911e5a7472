// Package requesttest is the conformance kit for request.Store: one call,
// Run, puts any implementation through what the Service relies on.
//
//	func TestMyStore(t *testing.T) {
//		requesttest.Run(t, func(t *testing.T) (request.Store, audit.Log) {
//			return newEmptyStore(t), itsAuditLog(t)
//		})
//	}
//
// The factory returns a fresh, empty store and the audit log its Save
// records into (the log a host gives the Service together with the
// store). Run then checks, each in a subtest of its own with a store of its
// own:
//
//   - versions: Save numbers versions from 1, refuses a stale or a repeated
//     expected version with govshare.ErrConflict and changes nothing, and
//     Get returns what Save returned; an application without an ID is
//     govshare.ErrInvalid; Get of an unknown id is govshare.ErrNotFound;
//   - concurrent writers: of many Saves with the same expected version,
//     creations of one new id included, exactly one wins and the others
//     fail with ErrConflict, and the log holds one record per winner;
//   - atomicity: when the record function fails, nothing is stored and
//     the log is unchanged; when it fails after its record was appended
//     (a wrapper of the log appends and then fails, as a commit that fails
//     would), nothing is stored and, for a store whose log writes in the
//     store's own transaction, no record remains either (the memory store
//     and the memory log share no transaction: run it with
//     LogOutsideStore, which checks the rest);
//   - Due and All: Due yields exactly the applications whose due instant (the one Store.Due names) is at
//     or before the instant asked, All every application, each once, and
//     both stop when their function returns false;
//   - the Service on the store: submit, endorse, extension, agree,
//     provision, Authorize allowing, revoke, Authorize denying; a sweep
//     emitting an overdue fact once; with every application, decision and
//     audit record count equal to the same script run on
//     request.NewMemoryStore, and the store's log verifying.
//
// Instants are compared as instants at microsecond precision, whatever
// their location: a database may keep microseconds and return another
// zone. A host's own store for another database (达梦, openGauss, …) runs
// the same call in its tests.
package requesttest
