package sqlstore_test

import (
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/internal/sqlstore"
)

func ExampleLoadMigrations() {
	fsys := fstest.MapFS{
		"migrations/0002_requests.sql": {Data: []byte("CREATE TABLE requests (id text);")},
		"migrations/0001_catalog.sql":  {Data: []byte("CREATE TABLE entries (id text);")},
	}
	ms, err := sqlstore.LoadMigrations(fsys, "migrations", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		fmt.Println(m.Version, m.Name)
	}
	// Output:
	// 1 0001_catalog.sql
	// 2 0002_requests.sql
}

func ExampleDBError() {
	down := errors.New("dial tcp 127.0.0.1:5432: connection refused")
	err := sqlstore.DBError("example", "save", down, func(error) bool { return true })
	fmt.Println(govshare.HTTPStatus(err), govshare.MessageOf(err).Code)
	// Output: 503 example.unavailable
}
