package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/store/postgres"
)

// A host connects, makes a DB on its pool and migrates it at start-up.
// (Not run: it needs a server.)
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	db, err := postgres.New(pool, postgres.WithSchema("govshare"))
	if err != nil {
		log.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		var se *postgres.SchemaError
		if errors.As(err, &se) {
			log.Fatalf("the database is newer than this build: %v", se)
		}
		log.Fatal(err)
	}
	v, _ := db.Version(ctx)
	fmt.Println("schema version", v)
}

// Options refuse bad values before anything touches the database.
func ExampleWithSchema() {
	// pgxpool connects lazily: no server is needed to build the pool.
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@127.0.0.1:5432/test")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	_, err = postgres.New(pool, postgres.WithSchema("Platform-2026"))
	fmt.Println(errors.Is(err, govshare.ErrInvalid))
	fmt.Println(govshare.MessageOf(err).Code)
	// Output:
	// true
	// postgres.invalid_option
}
