package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"

	_ "github.com/go-sql-driver/mysql" // registers the "mysql" driver

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/store/mysql"
)

// A host opens its pool, makes a DB on it, migrates at start-up, and
// builds the stores a request.Service needs: the applications with their
// change feed, the catalog, and the audit log the transitions are
// recorded in, in the same transactions. (Not run: it needs a server.)
func Example() {
	ctx := context.Background()
	pool, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/test?charset=utf8mb4&collation=utf8mb4_bin")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	db, err := mysql.New(pool, mysql.WithDatabase("govshare"))
	if err != nil {
		log.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		var se *mysql.SchemaError
		if errors.As(err, &se) {
			log.Fatalf("the database is newer than this build: %v", se)
		}
		log.Fatal(err)
	}
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		log.Fatal(err)
	}
	auditLog, err := db.AuditLog(ctx, "main", audit.WithKey([]byte("a key of at least sixteen bytes!")), audit.WithSigner(signer))
	if err != nil {
		log.Fatal(err)
	}
	cat, err := db.Catalog()
	if err != nil {
		log.Fatal(err)
	}
	store := db.Requests()
	// request.NewService(ctx, store, cat, auditLog, authorities), and on
	// every replica go svc.Follow(ctx, store) to see the others' grants.
	_, _, _ = store, cat, auditLog
	v, _ := db.Version(ctx)
	fmt.Println("schema version", v)
}

// Options refuse bad values before anything touches the database.
func ExampleWithDatabase() {
	pool, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/test") // connects lazily
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	_, err = mysql.New(pool, mysql.WithDatabase("Platform-2026"))
	fmt.Println(errors.Is(err, govshare.ErrInvalid))
	fmt.Println(govshare.MessageOf(err).Code)
	// Output:
	// true
	// mysql.invalid_option
}

// A database migrated by a newer release is refused with its versions.
func ExampleSchemaError() {
	err := error(&mysql.SchemaError{Database: "govshare", Found: 9, Code: mysql.SchemaVersion()})
	fmt.Println(errors.Is(err, govshare.ErrConflict))
	fmt.Println(govshare.MessageOf(err).Code)
	// Output:
	// true
	// mysql.schema_newer
}
