package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) care.Store {
		box, err := secret.NewBox(make([]byte, secret.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"), box)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestReopen checks that data survives closing and reopening the file and
// that migrations are not applied twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	box, _ := secret.NewBox(make([]byte, secret.KeySize))
	db, err := sqlite.Open(ctx, path, box)
	if err != nil {
		t.Fatal(err)
	}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = sqlite.Open(ctx, path, box); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	got, err := db.WorkspaceBySlug(ctx, "acme")
	if err != nil || got.ID != ws.ID {
		t.Fatalf("WorkspaceBySlug after reopen = %+v, %v; want id %d", got, err, ws.ID)
	}
}
