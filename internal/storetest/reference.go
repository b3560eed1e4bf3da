package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testReferences(t *testing.T, open opener) {
	s := open(t)
	w := mustWorld(t, s, "acme")
	u := mustUser(t, s, "ada@example.com")
	tm := mustTeam(t, s, w.ws, "Support")
	// Each write names a record that does not exist: EINVALID, not a crash
	// and not a silent orphan.
	tests := []struct {
		name  string
		write func(ctx context.Context) error
	}{
		{"SetMemberUnknownUser", func(ctx context.Context) error {
			return s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: missingID, Role: care.RoleAgent})
		}},
		{"SetMemberUnknownWorkspace", func(ctx context.Context) error {
			return s.SetMember(ctx, care.Member{WorkspaceID: missingID, UserID: u.ID, Role: care.RoleAgent})
		}},
		{"CreateTeamUnknownWorkspace", func(ctx context.Context) error {
			return s.CreateTeam(ctx, &care.Team{WorkspaceID: missingID, Name: "Ghosts", CreatedAt: at(0)})
		}},
		{"SetTeamMembersUnknownUser", func(ctx context.Context) error {
			return s.SetTeamMembers(ctx, tm.ID, []care.ID{u.ID, missingID})
		}},
		{"CreateTokenUnknownWorkspace", func(ctx context.Context) error {
			return s.CreateToken(ctx, &care.Token{WorkspaceID: missingID, Name: "t", Role: care.RoleAgent, Hash: []byte("h"), CreatedAt: at(0)})
		}},
		{"CreateSessionUnknownUser", func(ctx context.Context) error {
			return s.CreateSession(ctx, &care.Session{Hash: []byte("s"), UserID: missingID, CSRF: "c", CreatedAt: at(0), ExpiresAt: at(time.Hour)})
		}},
		{"CreateInboxUnknownWorkspace", func(ctx context.Context) error {
			return s.CreateInbox(ctx, &care.Inbox{WorkspaceID: missingID, Channel: care.ChannelX, Name: "x", CreatedAt: at(0)})
		}},
		{"CreateConversationUnknownInbox", func(ctx context.Context) error {
			c := newConversation(w.inbox, w.identity.ContactID, at(0))
			c.InboxID = missingID
			return s.CreateConversation(ctx, c)
		}},
		{"CreateConversationUnknownContact", func(ctx context.Context) error {
			return s.CreateConversation(ctx, newConversation(w.inbox, missingID, at(0)))
		}},
		{"CreateMessageUnknownConversation", func(ctx context.Context) error {
			m := newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute))
			m.ConversationID = missingID
			return s.CreateMessage(ctx, m)
		}},
		{"EnqueueOutboxUnknownMessage", func(ctx context.Context) error {
			return s.EnqueueOutbox(ctx, &care.OutboxEntry{MessageID: missingID, InboxID: w.inbox.ID, Channel: care.ChannelX,
				IdempotencyKey: "k", NextAttemptAt: at(0), CreatedAt: at(0)})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.write(t.Context()), care.EINVALID, "%s", tt.name)
		})
	}

	ctx := t.Context()
	got, err := s.Team(ctx, tm.ID)
	must(t, err, "Team")
	if len(got.MemberIDs) != 0 {
		t.Errorf("Team().MemberIDs after a refused SetTeamMembers = %v, want none", got.MemberIDs)
	}
	c, err := s.Conversation(ctx, w.conv.ID)
	must(t, err, "Conversation")
	if c.MessageCount != 0 {
		t.Errorf("Conversation().MessageCount after refused messages = %d, want 0", c.MessageCount)
	}
	if n, err := s.OutboxDepth(ctx); err != nil || n != 0 {
		t.Errorf("OutboxDepth() after a refused enqueue = %d, %v; want 0", n, err)
	}
}

func testDialect(t *testing.T, open opener) {
	s := open(t)
	if d := s.Dialect(); d != "sqlite" && d != "postgres" {
		t.Errorf("Dialect() = %q, want %q or %q", d, "sqlite", "postgres")
	}
}
