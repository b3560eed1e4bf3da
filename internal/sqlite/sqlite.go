// Package sqlite opens Parley's embedded store: one SQLite file in WAL mode,
// one writer connection (SQLite allows one writer at a time; queueing in Go
// is cheaper than SQLITE_BUSY retries) and a pool of read-only connections.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

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

// Dialect describes SQLite to the shared queries.
var Dialect = sqlstore.Dialect{
	Name:         "sqlite",
	SingleWriter: true,
	IsUnique: func(err error) bool {
		return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	IsForeignKey: func(err error) bool { return hasCode(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) },
	SearchMessages: `SELECT m.conversation_id, m.id, cv.contact_id, m.text, m.created_at
		FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
		WHERE m.workspace_id = ?1 AND m.deleted_at IS NULL
		AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?2)
		ORDER BY m.id DESC LIMIT ?3`,
	// A handle stored with its "@" (Mastodon's "@user@host", an API
	// inbox author's "@vera") is shown with just the one.
	SearchContacts: `SELECT cv.id, 0, ct.id,
		ct.name || COALESCE(' · ' || (SELECT group_concat(CASE WHEN i.handle = '' THEN i.display_name WHEN i.handle LIKE '@%' THEN i.handle ELSE '@' || i.handle END, ' ')
			FROM identities i WHERE i.contact_id = ct.id), ''),
		cv.last_activity_at
		FROM contacts ct JOIN conversations cv ON cv.id = (SELECT MAX(id) FROM conversations WHERE contact_id = ct.id)
		WHERE ct.workspace_id = ?1 AND ct.merged_into = 0
		AND (ct.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?2)
			OR ct.id IN (SELECT i.contact_id FROM identities i WHERE i.id IN (SELECT rowid FROM identities_fts WHERE identities_fts MATCH ?2)))
		ORDER BY cv.last_activity_at DESC, cv.id DESC LIMIT ?3`,
	SearchQuery: ftsQuery,
	// See 0018_search_batches.sql.
	IndexSearch: map[string][]string{
		"messages":   indexStatements("messages", "messages_fts", "text"),
		"contacts":   indexStatements("contacts", "contacts_fts", "name"),
		"identities": indexStatements("identities", "identities_fts", "display_name, handle"),
	},
}

// indexStatements add the rows of table stored since search_indexed's mark
// to its FTS5 index, in one statement, and move the mark.
func indexStatements(table, fts, columns string) []string {
	return []string{
		`INSERT INTO ` + fts + `(rowid, ` + columns + `) SELECT id, ` + columns + ` FROM ` + table + `
			WHERE id > (SELECT last_id FROM search_indexed WHERE name = '` + table + `') ORDER BY id`,
		`UPDATE search_indexed SET last_id = (SELECT COALESCE(MAX(id), 0) FROM ` + table + `) WHERE name = '` + table + `'`,
	}
}

// ftsQuery quotes each word of user text as an FTS5 string, so no FTS5
// syntax (operators, column filters, NEAR, prefixes) survives; the words
// are ANDed.
func ftsQuery(text string) string {
	terms := care.SearchTerms(text)
	for i, t := range terms {
		terms[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(terms, " ")
}

func hasCode(err error, codes ...int) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code() == c {
			return true
		}
	}
	return false
}

// Open opens (creating if needed) the database file at path, applies pending
// migrations and returns the store. Commits are synced to disk
// (synchronous=FULL): an acknowledged webhook must survive a power cut, not
// only a crash.
func Open(ctx context.Context, path string, sealer sqlstore.Sealer) (*sqlstore.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// Commit with fdatasync(2), as SQLite's own builds do on Linux: it
	// writes the data and the size needed to read it back, and skips the
	// timestamps fsync(2) also forces through the file system's journal.
	// A commit is as durable and costs less. Where it is not available,
	// fsync stays.
	_, _ = sqlite.Fdatasync(true)
	base := "file:" + (&url.URL{Path: abs}).EscapedPath()
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=cache_size(-32000)"
	writer, err := sql.Open(driverName, base+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open writer: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	if _, err := sqlstore.Migrate(ctx, writer, Migrations(), ""); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	reader, err := sql.Open(driverName, base+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	reader.SetConnMaxIdleTime(0)
	db := sqlstore.New(Dialect, writer, reader, sealer)
	// Rows written into the file other than through the store are
	// indexed now, rather than with the next row stored.
	if err := db.IndexSearch(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return db, nil
}
