// Package postgres opens Parley's store on PostgreSQL, for teams that run
// several Parley nodes. It shares every query with SQLite (internal/sqlstore)
// and adds what many writers need: row locks that skip rows another node
// holds, and advisory locks to serialise per-contact threading.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded schema migrations.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// Advisory lock keys. Contact ids are positive, so negative keys never clash.
const (
	migrateLock = -72001
	eventLock   = -72002
)

// Dialect describes PostgreSQL to the shared queries.
var Dialect = sqlstore.Dialect{
	Name:         "postgres",
	Numbered:     true,
	IsUnique:     func(err error) bool { return hasCode(err, "23505") },
	IsForeignKey: func(err error) bool { return hasCode(err, "23503") },
	SkipLocked:   " FOR UPDATE SKIP LOCKED",
	LockContact: func(ctx context.Context, ex sqlstore.Execer, id care.ID) error {
		_, err := ex.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", id)
		return err
	},
	EventLock: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", eventLock),
	Retryable: func(err error) bool { return hasCode(err, "40P01") || hasCode(err, "40001") },
}

func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}

// Open connects to the database at url (postgres://...), applies pending
// migrations and returns the store.
func Open(ctx context.Context, url string, sealer sqlstore.Sealer) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database url: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect to %s@%s/%s: %w", cfg.User, cfg.Host, cfg.Database, err)
	}
	if _, err := sqlstore.Migrate(ctx, db, Migrations(), fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrateLock)); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return sqlstore.New(Dialect, db, db, sealer), nil
}
