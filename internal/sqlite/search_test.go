package sqlite_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/sqlstore"
)

// fill creates a workspace, an inbox, a contact and a conversation with one
// message per text, through the store.
func fill(t *testing.T, s care.Store, texts ...string) (*care.Workspace, *care.Conversation) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, ws))
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "API"}
	must(t, s.CreateInbox(ctx, in))
	id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ana", DisplayName: "Ana"}, now)
	must(t, err)
	c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, Status: care.StatusOpen,
		CreatedAt: now, LastActivityAt: now}
	must(t, s.CreateConversation(ctx, c))
	for _, text := range texts {
		addMessage(t, s, c, text)
	}
	return ws, c
}

func addMessage(t *testing.T, s care.Store, c *care.Conversation, text string) *care.Message {
	t.Helper()
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, ContactID: c.ContactID,
		Direction: care.DirectionIn, Visibility: care.Private, Text: text, Status: care.DeliveryReceived}
	must(t, s.CreateMessage(context.Background(), m))
	return m
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// searchIDs returns the ids of the messages that match q.
func searchIDs(t *testing.T, s care.Store, ws care.ID, q string) []care.ID {
	t.Helper()
	hits, err := s.Search(context.Background(), ws, q, care.MaxSearchLimit)
	must(t, err)
	var ids []care.ID
	for _, h := range hits {
		if h.MessageID != 0 {
			ids = append(ids, h.MessageID)
		}
	}
	return ids
}

// checkIndex runs FTS5's own check of each search index against its table.
func checkIndex(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	for _, fts := range []string{"messages_fts", "contacts_fts", "identities_fts"} {
		if _, err := db.Writer().Exec(`INSERT INTO ` + fts + `(` + fts + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s integrity check: %v", fts, err)
		}
	}
}

// searchContacts returns the ids of the contacts that match q.
func searchContacts(t *testing.T, s care.Store, ws care.ID, q string) []care.ID {
	t.Helper()
	hits, err := s.Search(context.Background(), ws, q, care.MaxSearchLimit)
	must(t, err)
	var ids []care.ID
	for _, h := range hits {
		if h.MessageID == 0 {
			ids = append(ids, h.ContactID)
		}
	}
	return ids
}

// lastIndexed is the newest message in the search index.
func lastIndexed(t *testing.T, db *sqlstore.DB) care.ID {
	t.Helper()
	var id care.ID
	must(t, db.Writer().QueryRow(`SELECT last_id FROM search_indexed WHERE name = 'messages'`).Scan(&id))
	return id
}

// TestSearchIndexMigration: a file whose messages were indexed row by row
// (before 0018_search_batches.sql) keeps them searchable, and messages
// stored afterwards are indexed in batches.
func TestSearchIndexMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	before := fstest.MapFS{}
	files, err := fs.Glob(sqlite.Migrations(), "*.sql")
	must(t, err)
	for _, f := range files {
		if f >= "0018" {
			continue
		}
		body, err := fs.ReadFile(sqlite.Migrations(), f)
		must(t, err)
		before[f] = &fstest.MapFile{Data: body}
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	if _, err := sqlstore.Migrate(ctx, raw, before, ""); err != nil {
		t.Fatal(err)
	}
	// The store as it was then: triggers indexed each message.
	d := sqlite.Dialect
	d.IndexSearch = nil
	ws, c := fill(t, sqlstore.New(d, raw, raw, nil), "the old parcel", "another old parcel")
	raw.Close()

	db, err := sqlite.Open(ctx, path, nil)
	must(t, err)
	defer db.Close()
	if got := lastIndexed(t, db); got != 2 {
		t.Errorf("after the migration last_id = %d, want 2", got)
	}
	if got := searchContacts(t, db, ws.ID, "ana"); len(got) != 1 || got[0] != c.ContactID {
		t.Errorf("Search(ana) = contacts %v, want [%d]", got, c.ContactID)
	}
	if got := searchIDs(t, db, ws.ID, "old parcel"); len(got) != 2 {
		t.Errorf("Search(old parcel) = %v, want the two messages from before", got)
	}
	id, _, err := db.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ben", DisplayName: "Benedikt"}, time.Now())
	must(t, err)
	must(t, db.CreateConversation(ctx, &care.Conversation{WorkspaceID: ws.ID, InboxID: c.InboxID, Channel: c.Channel, ContactID: id.ContactID,
		Status: care.StatusOpen, CreatedAt: time.Now(), LastActivityAt: time.Now()}))
	if got := searchContacts(t, db, ws.ID, "benedikt"); len(got) != 1 || got[0] != id.ContactID {
		t.Errorf("Search(benedikt) = contacts %v, want [%d]", got, id.ContactID)
	}
	m := addMessage(t, db, c, "a new parcel")
	if got := searchIDs(t, db, ws.ID, "parcel"); len(got) != 3 || got[0] != m.ID {
		t.Errorf("Search(parcel) = %v, want %d first of three", got, m.ID)
	}
	must(t, db.SetMessageText(ctx, 1, "rewritten"))
	if got := searchIDs(t, db, ws.ID, "rewritten"); len(got) != 1 || got[0] != 1 {
		t.Errorf("Search(rewritten) = %v, want [1]", got)
	}
	checkIndex(t, db)
}

// TestSearchIndexCatchesUp: messages written into the file other than
// through the store are indexed when it is next opened, and deleting the
// newest message cannot make a new one with its id look indexed.
func TestSearchIndexCatchesUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, path, nil)
	must(t, err)
	ws, c := fill(t, db, "first words", "second words")
	if _, err := db.Writer().Exec(`INSERT INTO messages (workspace_id, conversation_id, inbox_id, direction, visibility, text, status, created_at, sent_at)
		VALUES (?, ?, ?, 'in', 'private', 'smuggled words', 'received', 0, 0)`, ws.ID, c.ID, c.InboxID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`UPDATE contacts SET name = 'Smuggled Name' WHERE id = ?`, c.ContactID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`INSERT INTO contacts (workspace_id, name, created_at) VALUES (?, 'Hidden Person', 0)`, ws.ID); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, db, ws.ID, "smuggled"); len(got) != 0 {
		t.Errorf("Search(smuggled) = %v before reopening", got)
	}
	db.Close()

	db, err = sqlite.Open(ctx, path, nil)
	must(t, err)
	defer db.Close()
	if got := searchIDs(t, db, ws.ID, "smuggled"); len(got) != 1 || got[0] != 3 {
		t.Errorf("Search(smuggled) = %v after reopening, want [3]", got)
	}
	// An indexed contact renamed in the file is reindexed by its trigger.
	if got := searchContacts(t, db, ws.ID, "smuggled"); len(got) != 1 || got[0] != c.ContactID {
		t.Errorf("Search(smuggled) = contacts %v, want [%d]", got, c.ContactID)
	}
	checkIndex(t, db)

	// Parley never deletes a message, but a person with the file might.
	if _, err := db.Writer().Exec(`DELETE FROM messages WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	if got := lastIndexed(t, db); got != 2 {
		t.Errorf("after deleting the newest message last_id = %d, want 2", got)
	}
	m := addMessage(t, db, c, "reborn words")
	if m.ID != 3 {
		t.Fatalf("new message id = %d, want 3 given again", m.ID)
	}
	if got := searchIDs(t, db, ws.ID, "words"); len(got) != 3 || got[0] != 3 {
		t.Errorf("Search(words) = %v, want [3 2 1]", got)
	}
	if got := searchIDs(t, db, ws.ID, "smuggled"); len(got) != 0 {
		t.Errorf("Search(smuggled) = %v after its deletion", got)
	}
	checkIndex(t, db)
}
