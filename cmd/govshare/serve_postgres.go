package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/catalog"
	"github.com/govshare/govshare/classify"
	"github.com/govshare/govshare/request"
	"github.com/govshare/govshare/store/postgres"
)

// postgresWorld is serve --postgres: a pool on the DSN, the schema
// migrated, the catalog, the audit log "main" and the request store on it,
// a Service that follows the other replicas' changes, and the change
// table pruned to --keep-changes every --prune-every, until the world's
// Close stops both and closes the pool. A server that cannot be reached is
// exit status 2, saying so.
func postgresWorld(ctx context.Context, f serveFlags, clk *switchClock, auth request.AuthoritiesByRegion, e env) (*world, error) {
	cfg, err := pgxpool.ParseConfig(f.dsn)
	if err != nil {
		return nil, usageError("--postgres 连接串无效："+err.Error(), "--postgres: not a valid connection string: "+err.Error())
	}
	cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err = pool.Ping(pctx)
		cancel()
		if err != nil {
			pool.Close()
		}
	}
	if err != nil {
		return nil, fail(exitUsage, &govshare.CodedError{Kind: govshare.ErrUnavailable, Code: "serve.postgres_unreachable",
			Zh: "无法连接 PostgreSQL：" + err.Error(), En: "cannot reach PostgreSQL: " + err.Error()})
	}
	db, err := postgres.New(pool, postgres.WithSchema(f.pgSchema))
	if err != nil {
		pool.Close()
		return nil, fail(exitUsage, err)
	}
	w, stop, err := postgresStores(ctx, db, clk, auth, e, pruning{keep: f.keepChanges, every: f.pruneEvery})
	if err != nil {
		pool.Close()
		return nil, fail(exitUsage, err)
	}
	w.close = func() { stop(); pool.Close() }
	return w, nil
}

// pruning is how serve prunes the change table: keep the last keep
// changes, every every; keep 0 never prunes.
type pruning struct {
	keep  uint64
	every time.Duration
}

func postgresStores(ctx context.Context, db *postgres.DB, clk *switchClock, auth request.AuthoritiesByRegion, e env, p pruning) (*world, func(), error) {
	if err := db.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	cat, err := db.Catalog(catalog.WithClock(clk.now), catalog.WithPolicy(classify.NationalDefault()))
	if err != nil {
		return nil, nil, err
	}
	log, err := db.AuditLog(ctx, "main", audit.WithClock(clk.now))
	if err != nil {
		return nil, nil, err
	}
	apps := db.Requests()
	svc, err := request.NewService(ctx, apps, cat, log, auth, request.WithClock(clk.now))
	if err != nil {
		apps.Close()
		return nil, nil, err
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := svc.Follow(fctx, apps, request.WithFollowErrors(func(err error) {
			fmt.Fprintln(e.stderr, "govshare serve: following changes:", err)
		}))
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(e.stderr, "govshare serve: following changes stopped:", err)
		}
	}()
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		if p.keep == 0 {
			return
		}
		// Every replica prunes: deleting what another replica deleted
		// deletes nothing, and no replica depends on another's schedule.
		every(fctx, p.every, func(ctx context.Context) {
			if _, err := apps.PruneChanges(ctx, p.keep); err != nil && ctx.Err() == nil {
				fmt.Fprintln(e.stderr, "govshare serve: pruning the change table:", err)
			}
		})
	}()
	fmt.Fprintf(e.stdout, "PostgreSQL：模式 schema %s，版本 version %d\n", db.Schema(), postgres.SchemaVersion())
	stop := func() { cancel(); <-done; <-pruned; apps.Close() }
	return &world{svc: svc, apps: apps, cat: cat, log: log}, stop, nil
}
