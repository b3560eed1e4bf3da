package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// unnamedLister is the profile look-up worker's query: not part of
// care.Store, which every SQL engine implements all the same.
type unnamedLister interface {
	IdentitiesWithoutName(ctx context.Context, inboxID, afterID care.ID, limit int) ([]care.Identity, error)
}

func testIdentitiesWithoutName(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	q, ok := s.(unnamedLister)
	if !ok {
		t.Fatalf("%T does not list identities without a name (IdentitiesWithoutName)", s)
	}
	ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
	page, page2 := mustInbox(t, s, ws, care.ChannelFacebook), mustInbox(t, s, ws, care.ChannelFacebook)
	ig := mustInbox(t, s, ws, care.ChannelInstagram)
	elsewhere := mustInbox(t, s, other, care.ChannelFacebook)

	// person resolves an author on a channel and gives them a conversation
	// in the inbox, when not nil.
	person := func(w *care.Workspace, ch care.Channel, a care.Author, in *care.Inbox) *care.Identity {
		t.Helper()
		id, _, err := s.ResolveIdentity(ctx, w.ID, ch, a, at(0))
		must(t, err, "ResolveIdentity(%q)", a.PlatformUserID)
		if in != nil {
			mustConversation(t, s, newConversation(in, id.ContactID, at(time.Minute)))
		}
		return id
	}
	bare1 := person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000501"}, page)
	person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000502", DisplayName: "Ana Souza"}, page)
	person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000503", Handle: "ana"}, page)
	person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000504"}, page2) // another Page's
	person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000505"}, nil)   // no conversation
	person(ws, care.ChannelInstagram, care.Author{PlatformUserID: "17840000000000065"}, ig)
	person(other, care.ChannelFacebook, care.Author{PlatformUserID: "1000000506"}, elsewhere)
	bare2 := person(ws, care.ChannelFacebook, care.Author{PlatformUserID: "1000000507"}, page)
	// A contact who wrote on Instagram and then in Messenger is found for
	// the Page through its Messenger identity only.
	mixed := person(ws, care.ChannelInstagram, care.Author{PlatformUserID: "17840000000000066"}, ig)
	bare3, err := s.AttachIdentity(ctx, mixed.ContactID, care.ChannelFacebook, care.Author{PlatformUserID: "1000000508"}, at(0))
	must(t, err, "AttachIdentity")
	mustConversation(t, s, newConversation(page, mixed.ContactID, at(time.Minute)))

	ids := func(list []care.Identity) []string {
		out := []string{}
		for _, i := range list {
			out = append(out, i.PlatformUserID)
		}
		return out
	}
	tests := []struct {
		name         string
		inbox, after care.ID
		limit        int
		want         []string
	}{
		{"All", page.ID, 0, 0, []string{"1000000501", "1000000507", "1000000508"}},
		{"Limit", page.ID, 0, 2, []string{"1000000501", "1000000507"}},
		{"After", page.ID, bare2.ID, 10, []string{"1000000508"}},
		{"AfterLast", page.ID, bare3.ID, 10, []string{}},
		{"OtherPage", page2.ID, 0, 10, []string{"1000000504"}},
		{"Instagram", ig.ID, 0, 10, []string{"17840000000000065", "17840000000000066"}},
		{"OtherWorkspace", elsewhere.ID, 0, 10, []string{"1000000506"}},
		{"MissingInbox", missingID, 0, 10, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := q.IdentitiesWithoutName(ctx, tt.inbox, tt.after, tt.limit)
			must(t, err, "IdentitiesWithoutName")
			if d := diff(tt.want, ids(got)); d != "" {
				t.Errorf("IdentitiesWithoutName(inbox %d, after %d, limit %d) mismatch (-want +got):\n%s", tt.inbox, tt.after, tt.limit, d)
			}
		})
	}
	t.Run("Row", func(t *testing.T) {
		got, err := q.IdentitiesWithoutName(ctx, page.ID, 0, 1)
		must(t, err, "IdentitiesWithoutName")
		if d := diff([]care.Identity{*bare1}, got); d != "" {
			t.Errorf("IdentitiesWithoutName row mismatch (-want +got):\n%s", d)
		}
	})

	// Once named, a person is no longer listed, and the contact called by
	// the bare id takes the name.
	_, _, err = s.ResolveIdentity(ctx, ws.ID, care.ChannelFacebook, care.Author{PlatformUserID: "1000000501", DisplayName: "Bruno Reis"}, at(time.Hour))
	must(t, err, "ResolveIdentity(named)")
	got, err := q.IdentitiesWithoutName(ctx, page.ID, 0, 10)
	must(t, err, "IdentitiesWithoutName")
	if d := diff([]string{"1000000507", "1000000508"}, ids(got)); d != "" {
		t.Errorf("IdentitiesWithoutName after naming mismatch (-want +got):\n%s", d)
	}
	c, err := s.Contact(ctx, bare1.ContactID)
	must(t, err, "Contact")
	if c.Name != "Bruno Reis" {
		t.Errorf("contact name = %q after the profile named them, want Bruno Reis", c.Name)
	}
}
