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
	"strings"

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
	ForUpdate:    " FOR UPDATE",
	Arrays:       true,
	LockContact: func(ctx context.Context, ex sqlstore.Execer, id care.ID) error {
		_, err := ex.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", id)
		return err
	},
	EventLock: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", eventLock),
	Retryable: func(err error) bool { return hasCode(err, "40P01") || hasCode(err, "40001") },
	// The to_tsvector expressions match the indexes of 0006_search.sql and
	// 0019_handle_search.sql.
	SearchMessages: `SELECT m.conversation_id, m.id, cv.contact_id, m.text, m.created_at
		FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
		WHERE m.workspace_id = $1 AND m.deleted_at IS NULL
		AND to_tsvector('simple', m.text) @@ plainto_tsquery('simple', $2)
		ORDER BY m.id DESC LIMIT $3`,
	// A handle stored with its "@" (Mastodon's "@user@host", an API
	// inbox author's "@vera") is shown with just the one.
	SearchContacts: `SELECT cv.id, 0, ct.id,
		ct.name || COALESCE(' · ' || (SELECT string_agg(CASE WHEN i.handle = '' THEN i.display_name WHEN i.handle LIKE '@%' THEN i.handle ELSE '@' || i.handle END, ' ' ORDER BY i.id)
			FROM identities i WHERE i.contact_id = ct.id), ''),
		cv.last_activity_at
		FROM contacts ct JOIN conversations cv ON cv.id = (SELECT MAX(id) FROM conversations WHERE contact_id = ct.id)
		WHERE ct.workspace_id = $1 AND ct.merged_into = 0
		AND (to_tsvector('simple', ct.name) @@ plainto_tsquery('simple', $2)
			OR ct.id IN (SELECT i.contact_id FROM identities i
				WHERE to_tsvector('simple', i.display_name || ' ' || replace(i.handle, '@', ' ')) @@ plainto_tsquery('simple', $2)))
		ORDER BY cv.last_activity_at DESC, cv.id DESC LIMIT $3`,
	// Only words reach plainto_tsquery, split as on SQLite.
	SearchQuery: func(text string) string { return strings.Join(care.SearchTerms(text), " ") },
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
