// Package testdb opens fresh, migrated stores for tests: SQLite in a temporary
// directory always, PostgreSQL in a schema of its own when
// PARLEY_TEST_DATABASE_URL is set (CI sets it), so a test can run on every
// engine Parley supports.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
)

// EnvURL names the variable holding the PostgreSQL test database URL.
const EnvURL = "PARLEY_TEST_DATABASE_URL"

func box(t testing.TB) *secret.Box {
	b, err := secret.NewBox(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SQLite returns an empty store in a temporary directory.
func SQLite(t testing.TB) care.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"), box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns a URL whose connections use a new, empty schema that
// is dropped when the test ends, or skips the test when no database is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skipf("%s is not set; skipping the PostgreSQL variant", EnvURL)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "t_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + name + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns an empty store on PostgreSQL, or skips.
func Postgres(t testing.TB) care.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), PostgresURL(t), box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs f as a subtest on every engine: "sqlite" always, "postgres"
// when PARLEY_TEST_DATABASE_URL is set.
func Each(t *testing.T, f func(t *testing.T, s care.Store)) {
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
}
