package sqlite_test

import (
	"bytes"
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/storetest"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) care.Store { return testdb.SQLite(t) })
}

// TestReopen checks that data survives closing and reopening the file, that
// migrations are not applied twice, and that credentials are sealed at rest.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	box, _ := secret.NewBox(bytes.Repeat([]byte{7}, secret.KeySize))
	db, err := sqlite.Open(ctx, path, box)
	if err != nil {
		t.Fatal(err)
	}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme", Credentials: map[string]string{"access_token": "very-secret-token"}}
	if err := db.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := db.Writer().QueryRow("SELECT credentials FROM inboxes WHERE id = ?", in.ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("very-secret-token")) {
		t.Errorf("credentials are stored in clear: %q", raw)
	}
	db.Close()

	if db, err = sqlite.Open(ctx, path, box); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	got, err := db.WorkspaceBySlug(ctx, "acme")
	if err != nil || got.ID != ws.ID {
		t.Fatalf("WorkspaceBySlug after reopen = %+v, %v; want id %d", got, err, ws.ID)
	}
	gotIn, err := db.Inbox(ctx, in.ID)
	if err != nil || gotIn.Credentials["access_token"] != "very-secret-token" {
		t.Fatalf("Inbox after reopen = %+v, %v", gotIn, err)
	}
	files, _ := fs.Glob(sqlite.Migrations(), "*.sql")
	var n int
	if err := db.Writer().QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(files) {
		t.Errorf("schema_migrations rows = %d, %v; want %d, one per migration", n, err, len(files))
	}
	db.Close()

	// The wrong key cannot read credentials, and says so.
	other, _ := secret.NewBox(bytes.Repeat([]byte{8}, secret.KeySize))
	if db, err = sqlite.Open(ctx, path, other); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Inbox(ctx, in.ID); err == nil {
		t.Error("Inbox with the wrong key succeeded")
	}
}
