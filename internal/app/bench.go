package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create and drop the bench schema

	benchmark "github.com/parleyhq/parley/internal/bench"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/netguard"
)

// bench runs the benchmark on a throwaway Parley: a fresh SQLite database in
// a temporary directory, or a fresh schema in the PostgreSQL database given
// by --postgres. Both are removed afterwards.
func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := benchmark.DefaultConfig()
	var pgURL, dataParent, profilePath string
	var asJSON, skipWebhooks bool
	webhooks := true
	err := parseFlags("bench", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&cfg.Messages, "messages", cfg.Messages, "messages to post to the API inbox, and signed Messenger deliveries to post to a Facebook inbox's webhook")
		fs.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "concurrent keep-alive HTTP clients posting them")
		fs.IntVar(&cfg.Conversations, "conversations", cfg.Conversations, "conversations to seed for the list benchmark")
		fs.IntVar(&cfg.ListQueries, "list-queries", cfg.ListQueries, "conversation lists to time, through the store and again through HTTP")
		fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the generated messages, history and queries")
		fs.BoolVar(&cfg.SkipIngest, "skip-ingest", false, "skip the API inbox ingest and baseline runs")
		fs.BoolVar(&webhooks, "webhooks", webhooks, "run the signed webhook ingest: Messenger deliveries to POST /webhooks/{inbox}")
		fs.BoolVar(&skipWebhooks, "skip-webhooks", false, "skip the signed webhook ingest (--webhooks=false)")
		fs.BoolVar(&cfg.SkipList, "skip-list", false, "skip the conversation list run")
		fs.BoolVar(&cfg.Verbose, "verbose", false, "print the list query's plan and more progress to stderr")
		fs.BoolVar(&asJSON, "json", false, "print the figures as JSON")
		fs.StringVar(&pgURL, "postgres", os.Getenv("PARLEY_BENCH_POSTGRES"), "postgres://... to measure PostgreSQL; a temporary schema is created there and dropped (PARLEY_BENCH_POSTGRES)")
		fs.StringVar(&dataParent, "data", "", "directory to create the temporary SQLite database in (default: the system temporary directory)")
		fs.StringVar(&profilePath, "cpuprofile", "", "write a CPU profile of Parley's first measured phase (the API inbox ingest; the webhook ingest with --skip-ingest; the list with both skipped) to this file")
	})
	if err != nil {
		return err
	}
	cfg.SkipWebhooks = !webhooks || skipWebhooks
	cfg.Progress = stderr
	if profilePath != "" {
		f, err := os.Create(profilePath)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		cfg.CPUProfile = f
	}
	start := func(ctx context.Context) (*benchmark.Parley, func(context.Context) error, error) {
		return startBenchParley(ctx, pgURL, dataParent, stderr)
	}
	rep, err := benchmark.Run(ctx, cfg, start)
	if err != nil {
		return err
	}
	if asJSON {
		return rep.WriteJSON(stdout)
	}
	return rep.WriteText(stdout)
}

// startBenchParley starts a complete Parley, as `parley serve` would, on a
// port of its own and a database nothing else uses.
func startBenchParley(ctx context.Context, pgURL, dataParent string, stderr io.Writer) (*benchmark.Parley, func(context.Context) error, error) {
	key := make([]byte, 32)
	rand.Read(key)
	cfg := config.Config{Addr: "127.0.0.1:0", SecretKey: hex.EncodeToString(key), AdminEmail: "admin@bench.parley.local",
		LogFormat: "text", LogLevel: "warn", SessionTTL: time.Hour, ShutdownTimeout: time.Minute,
		// The benchmark's platforms are fakes on 127.0.0.1.
		AllowHosts: netguard.Loopback}
	var where string
	var cleanup func() error
	if pgURL != "" {
		scoped, schema, drop, err := benchSchema(ctx, pgURL)
		if err != nil {
			return nil, nil, err
		}
		cfg.DatabaseURL, where, cleanup = scoped, "schema "+schema, drop
	} else {
		dir, err := os.MkdirTemp(dataParent, "parley-bench-")
		if err != nil {
			return nil, nil, fmt.Errorf("bench: %w", err)
		}
		cfg.DataDir = dir
		where, cleanup = cfg.SQLitePath(), func() error { return os.RemoveAll(dir) }
	}
	log := newLogger(&cfg, stderr)
	// The first admin's password is of no use here; it is not printed.
	a, err := Start(ctx, &cfg, log, io.Discard)
	if err != nil {
		return nil, nil, errors.Join(err, cleanup())
	}
	w, ok := a.Store.(interface{ Writer() *sql.DB })
	if !ok {
		err := fmt.Errorf("bench: the store %T offers no write pool to seed with", a.Store)
		return nil, nil, errors.Join(err, a.Close(ctx), cleanup())
	}
	p := &benchmark.Parley{URL: "http://" + a.Addr, Store: a.Store, DB: w.Writer(), Dialect: a.Store.Dialect(), Where: where}
	stop := func(ctx context.Context) error { return errors.Join(a.Close(ctx), cleanup()) }
	return p, stop, nil
}

// benchSchema creates an empty schema named bench_<random> and returns
// rawURL with that schema as its search path, and a function that drops it.
func benchSchema(ctx context.Context, rawURL string) (scoped, schema string, drop func() error, err error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", nil, fmt.Errorf("bench: --postgres must be a postgres:// URL")
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema = "bench_" + hex.EncodeToString(suffix)
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: %w", err)
	}
	// The name is ours, letters, digits and an underscore: safe to splice.
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		return "", "", nil, fmt.Errorf("bench: create schema on %s: %w", u.Redacted(), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop = func() error {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("bench: drop schema %s: %w", schema, err)
		}
		return nil
	}
	return u.String(), schema, drop, nil
}
