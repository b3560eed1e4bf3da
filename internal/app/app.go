// Package app wires Parley together: it reads configuration, opens storage,
// starts the ingest pipeline, the outbox and the HTTP server, and runs the
// command-line subcommands. Nothing else in Parley constructs its
// collaborators.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/sqlstore"
)

const usage = `Parley: social customer care, every channel in one inbox.

Usage:
  parley demo     [--seed N] [--speed X]              see Parley handle a brand's social care, with local
                                                      stand-ins of every platform: nothing to configure
  parley demo --headless --rate N --duration D        drive N messages a second through the signed webhooks
  parley serve    [--addr HOST:PORT] [--data DIR]     run Parley
  parley migrate  [--data DIR]                        apply database migrations
  parley replay   [--data DIR] [--inbox ID] [--since TIME]
                                                      run stored inbound events through the pipeline again
  parley user create  --email ADDR --name NAME --role ROLE [--password PW] [--workspace SLUG]
  parley user password --email ADDR [--password PW]   a new password, for one lost
  parley token create --name NAME --role ROLE [--workspace SLUG]   print a new API token
  parley bench    [--messages N] [--conversations N] [--postgres URL]
                                                      measure ingest and list speed

Every flag of serve and demo also reads a PARLEY_* variable: PARLEY_ and the
flag's name in capitals, dashes as underscores (PARLEY_ADDR, PARLEY_DATA, ...).
migrate, replay, user and token read only the storage and log ones
(PARLEY_DATA, PARLEY_DATABASE_URL, PARLEY_SECRET_KEY, PARLEY_LOG_FORMAT,
PARLEY_LOG_LEVEL), bench only PARLEY_BENCH_POSTGRES. A flag on the command line
wins. "parley CMD -h" lists a command's flags; each that reads a variable names it.
`

// Main runs the command named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = serve(ctx, rest, stdout, stderr)
	case "migrate":
		err = migrate(ctx, rest, stdout, stderr)
	case "replay":
		err = replay(ctx, rest, stdout, stderr)
	case "user":
		err = userCmd(ctx, rest, stdout, stderr)
	case "token":
		err = tokenCmd(ctx, rest, stdout, stderr)
	case "bench":
		err = bench(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "parley: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "parley: %s\n", errorText(err))
		return 1
	}
	return 0
}

// errorText is err for an operator: the whole chain of context, with each
// coded error read as its message and cause ("create first admin: "x" is not
// an email address.") instead of its code ("invalid: ...").
func errorText(err error) string {
	text := err.Error()
	var e *care.Error
	for cur := err; errors.As(cur, &e); cur = e.Err {
		plain := e.Message
		if e.Err != nil {
			plain += ": " + e.Err.Error()
		}
		text = strings.Replace(text, e.Error(), plain, 1)
	}
	return text
}

// parseFlags parses a subcommand's flags, printing errors to stderr.
func parseFlags(name string, args []string, stderr io.Writer, register func(*flag.FlagSet)) error {
	fs := flag.NewFlagSet("parley "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

// newLogger builds the process logger from the configuration.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the configured store, creating the data directory and the
// secret key file for SQLite when needed.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*sqlstore.DB, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if !cfg.UsesPostgres() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	key, created, err := loadKey(cfg, log)
	if err != nil {
		return nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	var db *sqlstore.DB
	if cfg.UsesPostgres() {
		db, err = postgres.Open(ctx, cfg.DatabaseURL, box)
	} else {
		db, err = sqlite.Open(ctx, cfg.SQLitePath(), box)
	}
	if err != nil {
		return nil, err
	}
	if err := db.CheckKey(ctx); err != nil {
		db.Close()
		// A key file this call made for a database sealed with another
		// key (a command run without the server's PARLEY_SECRET_KEY)
		// would only be in the way of the right one.
		if created {
			os.Remove(cfg.KeyFile())
		}
		return nil, err
	}
	return db, nil
}

// loadKey returns the key that seals inbox credentials, and whether it made
// the key file just now.
func loadKey(cfg *config.Config, log *slog.Logger) (key []byte, created bool, err error) {
	if cfg.SecretKey != "" {
		key, err = secret.ParseKey(cfg.SecretKey)
		return key, false, err
	}
	if cfg.UsesPostgres() {
		// Nodes sharing a database must share the key; a key file on one
		// node's disk would make the others unable to read credentials.
		return nil, false, errors.New("PARLEY_SECRET_KEY is required with PostgreSQL, the same on every node (generate one with: openssl rand -hex 32)")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create data directory: %w", err)
	}
	log.Debug("using secret key file", "path", cfg.KeyFile())
	_, statErr := os.Stat(cfg.KeyFile())
	key, err = secret.LoadOrCreateKeyFile(cfg.KeyFile())
	return key, err == nil && errors.Is(statErr, fs.ErrNotExist), err
}
