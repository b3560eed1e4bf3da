package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// longText is exactly care.MaxTextBytes of valid UTF-8 mixing scripts,
// emoji, combining marks and quotes.
func longText() string {
	const unit = "Ünïcødé 🙂👨‍👩‍👧 مرحبا שלום e\u0301 '; DROP TABLE messages; -- \"q\" \\ % _ "
	var b strings.Builder
	for b.Len()+len(unit) <= care.MaxTextBytes {
		b.WriteString(unit)
	}
	for b.Len() < care.MaxTextBytes {
		b.WriteByte('.')
	}
	return b.String()
}

// sameText compares strings byte for byte and reports where they differ
// without printing kilobytes.
func sameText(t *testing.T, field, want, got string) {
	t.Helper()
	if got == want {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	t.Errorf("%s: got %d bytes, want %d; first difference at byte %d: got %q, want %q",
		field, len(got), len(want), i, got[i:min(len(got), i+16)], want[i:min(len(want), i+16)])
}

func testHostileText(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	tests := []struct{ name, text string }{
		{"Emoji", "🙂👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇦 \U0001FAE0"},
		{"RightToLeft", "مرحبا بالعالم \u200fשלום עולם\u200e \u202eevil\u202c"},
		{"Combining", "e\u0301 n\u0303 Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d l\u036e\u0312\u036b"},
		{"SQL", "'; DROP TABLE messages; -- \" OR 1=1; -- \\' $1 ? :name @p1 /* */"},
		{"LikeWildcards", "100% _sure_ [a-z]* \\% \\_"},
		{"Whitespace", "  leading and trailing  \t\r\n\u00a0\u2028\u2029\ufeff "},
		{"ControlAndEscapes", "\x01\x07\x1b[31mred\x1b[0m \\n \\u0000 %s %d %% \x7f"},
		{"Long", longText()},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			// Names are bounded by MaxNameBytes; the long text goes into
			// message bodies only.
			name := text
			if len(name) > care.MaxNameBytes {
				name = "long"
			}

			ws := &care.Workspace{Slug: fmt.Sprintf("hostile-%d", i), Name: name, CreatedAt: at(0)}
			must(t, s.CreateWorkspace(ctx, ws), "CreateWorkspace")
			gotWS, err := s.Workspace(ctx, ws.ID)
			must(t, err, "Workspace")
			sameText(t, "Workspace.Name", name, gotWS.Name)

			in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: name, Credentials: map[string]string{name: text}, CreatedAt: at(0)}
			must(t, s.CreateInbox(ctx, in), "CreateInbox")
			gotIn, err := s.Inbox(ctx, in.ID)
			must(t, err, "Inbox")
			sameText(t, "Inbox.Name", name, gotIn.Name)
			sameText(t, "Inbox.Credentials", text, gotIn.Credentials[name])

			ident, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, care.Author{PlatformUserID: name, DisplayName: name, Handle: name}, at(0))
			must(t, err, "ResolveIdentity")
			contact, err := s.Contact(ctx, ident.ContactID)
			must(t, err, "Contact")
			if len(contact.Identities) != 1 {
				t.Fatalf("Contact() has %d identities, want 1", len(contact.Identities))
			}
			sameText(t, "Identity.PlatformUserID", name, contact.Identities[0].PlatformUserID)
			sameText(t, "Identity.DisplayName", name, contact.Identities[0].DisplayName)
			sameText(t, "Identity.Handle", name, contact.Identities[0].Handle)

			c := newConversation(in, ident.ContactID, at(0))
			c.Subject, c.PriorityReasons = name, []string{name, text}
			mustConversation(t, s, c)
			gotC, err := s.Conversation(ctx, c.ID)
			must(t, err, "Conversation")
			sameText(t, "Conversation.Subject", name, gotC.Subject)
			if len(gotC.PriorityReasons) != 2 {
				t.Fatalf("Conversation.PriorityReasons = %d reasons, want 2", len(gotC.PriorityReasons))
			}
			sameText(t, "Conversation.PriorityReasons[1]", text, gotC.PriorityReasons[1])

			m := newMessage(c, care.DirectionIn, care.Public, at(time.Minute))
			m.Text, m.AuthorName, m.PlatformID = text, name, name
			m.Attachments = []care.Attachment{{Kind: "file", Name: name, URL: "https://cdn.example.com/?q=" + name}}
			mustMessage(t, s, m)
			gotM, err := s.Message(ctx, m.ID)
			must(t, err, "Message")
			sameText(t, "Message.Text", text, gotM.Text)
			sameText(t, "Message.AuthorName", name, gotM.AuthorName)
			if len(gotM.Attachments) == 1 {
				sameText(t, "Attachment.Name", name, gotM.Attachments[0].Name)
			} else {
				t.Errorf("Message.Attachments = %d, want 1", len(gotM.Attachments))
			}
			byPID, err := s.MessageByPlatformID(ctx, in.ID, name)
			must(t, err, "MessageByPlatformID")
			if byPID.ID != m.ID {
				t.Errorf("MessageByPlatformID().ID = %d, want %d", byPID.ID, m.ID)
			}

			raw := newRaw(in, name, at(0))
			raw.Payload = []byte(text)
			raw.Inbound.Text, raw.Inbound.Subject = text, name
			res := mustAppend(t, s, raw)
			gotRaw, err := s.RawEvent(ctx, res[0].ID)
			must(t, err, "RawEvent")
			sameText(t, "RawEvent.Payload", text, string(gotRaw.Payload))
			sameText(t, "RawEvent.Inbound.Text", text, gotRaw.Inbound.Text)
			sameText(t, "RawEvent.DedupeKey", name, gotRaw.DedupeKey)
		})
	}
}
