// Package sqlstore holds what the SQL stores (store/postgres, store/mysql)
// share and that does not depend on the driver: reading the embedded,
// numbered migration files, and wrapping a driver's error in a typed,
// bilingual error of the root's kinds. The SQL itself, the locking and the
// transactions stay in each store, where the dialects differ.
package sqlstore
