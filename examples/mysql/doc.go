// Command mysql runs govshare on MySQL or MariaDB: it connects, migrates a
// database of its own, keeps the catalog, the applications and the audit
// log there, and runs two Service replicas on separate pools — one grants
// and revokes, the other follows the change table and reflects both —
// then verifies the audit chain and drops the database.
//
//	go run ./examples/mysql                     # the local MariaDB, root@tcp(127.0.0.1:3306)/test
//	go run ./examples/mysql -dsn 'user:pw@tcp(db:3306)/platform' -keep
//
// -database names the database it creates (default govshare_example);
// -keep leaves it in place afterwards. On a Galera cluster, give each
// replica another node: scripts/galera.sh up, then -dsn2 with node 2's DSN.
package main
