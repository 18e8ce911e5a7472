package main

import (
	"context"
	"log"
	"os"
)

// The whole run against the local MariaDB, printing each step: the
// migration, the catalog entry, the transitions on replica A, the
// decisions of replica B following the change table, the verified audit
// chain. (Not run: it needs a server; TestRun runs it.)
func Example() {
	err := run(context.Background(), os.Stdout, config{dsn: "root@tcp(127.0.0.1:3306)/test", database: "govshare_example"})
	if err != nil {
		log.Fatal(err)
	}
}
