package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/storetest"
)

// databaseURL returns the test database, or skips: the PostgreSQL suite runs
// where PARLEY_TEST_DATABASE_URL is set (CI sets it).
func databaseURL(t *testing.T) string {
	u := os.Getenv("PARLEY_TEST_DATABASE_URL")
	if u == "" {
		t.Skip("PARLEY_TEST_DATABASE_URL is not set; skipping the PostgreSQL suite")
	}
	return u
}

// freshSchema creates an empty schema and returns a URL whose connections
// use it, so every test starts from an empty, migrated database.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("t_%x", rand.Text()[:12])
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

func TestConformance(t *testing.T) {
	base := databaseURL(t)
	storetest.Run(t, func(t *testing.T) care.Store {
		box, err := secret.NewBox(make([]byte, secret.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		db, err := postgres.Open(context.Background(), freshSchema(t, base), box)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
