package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testIdentities(t *testing.T, open opener) {
	t.Run("ResolveCreates", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		a := care.Author{PlatformUserID: "12345", DisplayName: "Jo Doe", Handle: "jodoe", Followers: 12000, Verified: true}
		got, created, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, a, at(0))
		must(t, err, "ResolveIdentity")
		if !created {
			t.Error("ResolveIdentity(new author) created = false, want true")
		}
		if got.ID == 0 || got.ContactID == 0 {
			t.Fatalf("ResolveIdentity(new author) = %+v, want an ID and a contact ID", got)
		}
		want := &care.Identity{ID: got.ID, WorkspaceID: ws.ID, ContactID: got.ContactID, Platform: care.ChannelX,
			PlatformUserID: "12345", DisplayName: "Jo Doe", Handle: "jodoe", Followers: 12000, Verified: true, UpdatedAt: micro(at(0))}
		if d := diff(want, got); d != "" {
			t.Errorf("ResolveIdentity(new author) mismatch (-want +got):\n%s", d)
		}

		c, err := s.Contact(ctx, got.ContactID)
		must(t, err, "Contact(%d)", got.ContactID)
		wantContact := &care.Contact{ID: got.ContactID, WorkspaceID: ws.ID, Name: c.Name, CreatedAt: micro(at(0)), Identities: []care.Identity{*want}}
		if d := diff(wantContact, c); d != "" {
			t.Errorf("Contact(%d) mismatch (-want +got):\n%s", got.ContactID, d)
		}
		checkUTC(t, "Contact times", c.CreatedAt, c.Identities[0].UpdatedAt)
	})

	t.Run("ResolveRefreshes", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		first, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX,
			care.Author{PlatformUserID: "12345", DisplayName: "Jo Doe", Handle: "jodoe", Followers: 12000, Verified: true}, at(0))
		must(t, err, "ResolveIdentity(first)")

		a := care.Author{PlatformUserID: "12345", DisplayName: "Jo D.", Handle: "jo_d", Followers: 12500, Verified: false}
		got, created, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, a, at(time.Hour))
		must(t, err, "ResolveIdentity(again)")
		if created {
			t.Error("ResolveIdentity(known author) created = true, want false")
		}
		want := &care.Identity{ID: first.ID, WorkspaceID: ws.ID, ContactID: first.ContactID, Platform: care.ChannelX,
			PlatformUserID: "12345", DisplayName: "Jo D.", Handle: "jo_d", Followers: 12500, Verified: false, UpdatedAt: micro(at(time.Hour))}
		if d := diff(want, got); d != "" {
			t.Errorf("ResolveIdentity(known author) mismatch (-want +got):\n%s", d)
		}
		c, err := s.Contact(ctx, first.ContactID)
		must(t, err, "Contact")
		if d := diff([]care.Identity{*want}, c.Identities); d != "" {
			t.Errorf("Contact().Identities after refresh mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("ResolveScoped", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		a := care.Author{PlatformUserID: "777", DisplayName: "Sam"}
		base, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, a, at(0))
		must(t, err, "ResolveIdentity")
		tests := []struct {
			name     string
			ws       care.ID
			platform care.Channel
		}{
			{"OtherWorkspace", other.ID, care.ChannelX},
			{"OtherPlatform", ws.ID, care.ChannelFacebook},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, created, err := s.ResolveIdentity(ctx, tt.ws, tt.platform, a, at(0))
				must(t, err, "ResolveIdentity")
				if !created || got.ID == base.ID || got.ContactID == base.ContactID {
					t.Errorf("ResolveIdentity() = %+v, created %v; want a new identity and contact, not identity %d of contact %d",
						got, created, base.ID, base.ContactID)
				}
				if got.WorkspaceID != tt.ws || got.Platform != tt.platform {
					t.Errorf("ResolveIdentity() workspace, platform = %d, %q; want %d, %q", got.WorkspaceID, got.Platform, tt.ws, tt.platform)
				}
				c, err := s.Contact(ctx, got.ContactID)
				must(t, err, "Contact")
				if c.WorkspaceID != tt.ws {
					t.Errorf("Contact(%d).WorkspaceID = %d, want %d", c.ID, c.WorkspaceID, tt.ws)
				}
			})
		}
	})

	t.Run("ContactNotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		_, err := s.Contact(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Contact(missing)")
	})
}

// identityIDs returns the IDs of a contact's identities, in order.
func identityIDs(c *care.Contact) []care.ID {
	var out []care.ID
	for _, i := range c.Identities {
		out = append(out, i.ID)
	}
	return out
}

// contactConversations lists the IDs of a contact's conversations, newest
// first.
func contactConversations(t *testing.T, q care.Queries, wsID, contactID care.ID) []care.ID {
	t.Helper()
	p, err := q.Conversations(t.Context(), care.ConversationFilter{WorkspaceID: wsID, ContactID: contactID, Limit: 100})
	must(t, err, "Conversations(contact %d)", contactID)
	return ids(p.Conversations)
}

// A contact named after its identity follows the identity's new name (a
// web chat visitor who says who they are); a contact named otherwise
// keeps its name.
func testContactFollowsName(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	ws := mustWorkspace(t, s, "names")
	id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelWebChat, care.Author{PlatformUserID: "v:abc", DisplayName: "Visitor abc123"}, at(0))
	must(t, err, "ResolveIdentity")
	if _, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelWebChat, care.Author{PlatformUserID: "v:abc", DisplayName: "Ana Lima"}, at(1)); err != nil {
		t.Fatal(err)
	}
	c, err := s.Contact(ctx, id.ContactID)
	must(t, err, "Contact")
	if c.Name != "Ana Lima" {
		t.Errorf("contact name = %q, want the identity's new name", c.Name)
	}
	// A second identity of the same contact renaming itself does not
	// rename the contact.
	other, err := s.AttachIdentity(ctx, id.ContactID, care.ChannelX, care.Author{PlatformUserID: "42", DisplayName: "ana_x"}, at(2))
	must(t, err, "AttachIdentity")
	if _, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, care.Author{PlatformUserID: other.PlatformUserID, DisplayName: "Ana on X"}, at(3)); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Contact(ctx, id.ContactID); c.Name != "Ana Lima" {
		t.Errorf("contact name = %q after another identity's rename, want Ana Lima", c.Name)
	}
}
