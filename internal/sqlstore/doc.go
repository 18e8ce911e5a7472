// Package sqlstore holds what the SQL stores (store/postgres, store/mysql)
// share and that does not depend on the driver: reading the embedded,
// numbered migration files, wrapping a driver's error in a typed,
// bilingual error of the root's kinds, and Group, the queue and leader of
// group commit (store/postgres batches its Saves and its own-transaction
// audit appends with it). The SQL itself, the locking and the
// transactions stay in each store, where the dialects differ.
package sqlstore
