package app

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// A credential an adapter learns is sealed into the inbox, beside the
// others.
func TestStoredCredentials(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "X", Credentials: map[string]string{"client_id": "c", "refresh_token": "rt-0"}}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := (storedCredentials{s}).SetCredential(ctx, in.ID, "refresh_token", "rt-1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Inbox(ctx, in.ID)
	if err != nil || got.Credentials["refresh_token"] != "rt-1" || got.Credentials["client_id"] != "c" {
		t.Errorf("inbox credentials = %v, %v", got.Credentials, err)
	}
}
