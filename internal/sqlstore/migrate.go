package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// Migrate applies, in name order, every *.sql file in fsys that is not yet
// recorded in schema_migrations, each in its own transaction. Applied files
// are never edited; a change to the schema is a new file. lockSQL, if not
// empty, runs first inside each transaction so that several nodes starting
// at once apply a migration once (PostgreSQL: an advisory lock).
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS, lockSQL string) (applied []string, err error) {
	if err := createMigrations(ctx, db, lockSQL); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: list: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		done, err := migrateOne(ctx, db, fsys, name, lockSQL)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, name)
		}
	}
	return applied, nil
}

// createMigrations creates the table of applied migrations under the lock:
// on PostgreSQL, two nodes creating it at once without one would collide
// on the table's type name (23505), IF NOT EXISTS notwithstanding.
func createMigrations(ctx context.Context, db *sql.DB, lockSQL string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if lockSQL != "" {
		if _, err := tx.ExecContext(ctx, lockSQL); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	return tx.Commit()
}

func migrateOne(ctx context.Context, db *sql.DB, fsys fs.FS, name, lockSQL string) (bool, error) {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false, fmt.Errorf("migrate: read %s: %w", name, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: begin %s: %w", name, err)
	}
	defer tx.Rollback()
	if lockSQL != "" {
		if _, err := tx.ExecContext(ctx, lockSQL); err != nil {
			return false, fmt.Errorf("migrate: lock: %w", err)
		}
	}
	var n int
	// The version is a file name we ship, never outside input; it is still
	// quoted by doubling, to keep the statement placeholder-free on both engines.
	quoted := "'" + strings.ReplaceAll(name, "'", "''") + "'"
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = "+quoted).Scan(&n); err != nil {
		return false, fmt.Errorf("migrate: check %s: %w", name, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migrate: apply %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %d)",
		quoted, time.Now().UnixMicro())); err != nil {
		return false, fmt.Errorf("migrate: record %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate: commit %s: %w", name, err)
	}
	return true, nil
}
