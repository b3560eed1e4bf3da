package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// The fixtures below create one record each and stop the test if they
// cannot. They take care.Queries so that they work inside Update too.

func mustWorkspace(t *testing.T, q care.Queries, slug string) *care.Workspace {
	t.Helper()
	w := &care.Workspace{Slug: slug, Name: "Workspace " + slug, CreatedAt: at(0)}
	must(t, q.CreateWorkspace(t.Context(), w), "CreateWorkspace(%q)", slug)
	return w
}

func mustUser(t *testing.T, q care.Queries, email string) *care.User {
	t.Helper()
	u := &care.User{Email: email, Name: "User " + email, CreatedAt: at(0)}
	must(t, q.CreateUser(t.Context(), u), "CreateUser(%q)", email)
	return u
}

func mustInbox(t *testing.T, q care.Queries, ws *care.Workspace, ch care.Channel) *care.Inbox {
	t.Helper()
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: string(ch) + " inbox", CreatedAt: at(0)}
	must(t, q.CreateInbox(t.Context(), in), "CreateInbox(%q)", ch)
	return in
}

func mustTeam(t *testing.T, q care.Queries, ws *care.Workspace, name string) *care.Team {
	t.Helper()
	tm := &care.Team{WorkspaceID: ws.ID, Name: name, CreatedAt: at(0)}
	must(t, q.CreateTeam(t.Context(), tm), "CreateTeam(%q)", name)
	return tm
}

// mustIdentity resolves an X author, creating the contact on first sight.
func mustIdentity(t *testing.T, q care.Queries, ws *care.Workspace, platformUserID string) *care.Identity {
	t.Helper()
	a := care.Author{PlatformUserID: platformUserID, DisplayName: "Person " + platformUserID, Handle: "p" + platformUserID}
	id, _, err := q.ResolveIdentity(t.Context(), ws.ID, care.ChannelX, a, at(0))
	must(t, err, "ResolveIdentity(%q)", platformUserID)
	return id
}

// newConversation returns an open conversation with no history, last active
// at activity.
func newConversation(in *care.Inbox, contactID care.ID, activity time.Time) *care.Conversation {
	return &care.Conversation{
		WorkspaceID: in.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: contactID,
		Status: care.StatusOpen, LastActivityAt: activity, CreatedAt: activity, UpdatedAt: activity,
	}
}

func mustConversation(t *testing.T, q care.Queries, c *care.Conversation) *care.Conversation {
	t.Helper()
	must(t, q.CreateConversation(t.Context(), c), "CreateConversation")
	if c.ID == 0 {
		t.Fatal("CreateConversation did not assign an ID")
	}
	return c
}

// newMessage returns a message in c written at when: inbound messages come
// from the conversation's contact, outbound ones and notes from user 0.
func newMessage(c *care.Conversation, dir care.Direction, vis care.Visibility, when time.Time) *care.Message {
	m := &care.Message{
		WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID,
		Direction: dir, Visibility: vis, Text: "hello", CreatedAt: when, SentAt: when,
		Status: care.DeliveryQueued,
	}
	switch {
	case vis == care.Note:
		m.Status = care.DeliveryStored
	case dir == care.DirectionIn:
		m.ContactID, m.Status = c.ContactID, care.DeliveryReceived
	}
	return m
}

func mustMessage(t *testing.T, q care.Queries, m *care.Message) *care.Message {
	t.Helper()
	must(t, q.CreateMessage(t.Context(), m), "CreateMessage")
	if m.ID == 0 {
		t.Fatal("CreateMessage did not assign an ID")
	}
	return m
}

// world is a workspace with one X inbox, one contact and one open
// conversation: the smallest setting most tests need.
type world struct {
	ws       *care.Workspace
	inbox    *care.Inbox
	identity *care.Identity
	conv     *care.Conversation
}

func mustWorld(t *testing.T, q care.Queries, slug string) world {
	t.Helper()
	var w world
	w.ws = mustWorkspace(t, q, slug)
	w.inbox = mustInbox(t, q, w.ws, care.ChannelX)
	w.identity = mustIdentity(t, q, w.ws, slug+"-author")
	w.conv = mustConversation(t, q, newConversation(w.inbox, w.identity.ContactID, at(0)))
	return w
}
