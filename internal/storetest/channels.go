package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// testChannels covers what channel adapters need of storage: routing by
// platform account, inbox health, pollers' cursors and deletions.
func testChannels(t *testing.T, open opener) {
	t.Run("InboxByExternalID", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		w := mustWorld(t, s, "acme")
		page := &care.Inbox{WorkspaceID: w.ws.ID, Channel: care.ChannelFacebook, Name: "Acme Page", ExternalID: "1234567890"}
		must(t, s.CreateInbox(ctx, page), "CreateInbox")
		got, err := s.InboxByExternalID(ctx, w.ws.ID, care.ChannelFacebook, "1234567890")
		if err != nil || got.ID != page.ID {
			t.Fatalf("InboxByExternalID = %+v, %v; want inbox %d", got, err, page.ID)
		}
		other := mustWorkspace(t, s, "globex")
		for _, tt := range []struct {
			ws  care.ID
			ch  care.Channel
			ext string
		}{{other.ID, care.ChannelFacebook, "1234567890"}, {w.ws.ID, care.ChannelInstagram, "1234567890"}, {w.ws.ID, care.ChannelFacebook, "999"}} {
			if _, err := s.InboxByExternalID(ctx, tt.ws, tt.ch, tt.ext); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("InboxByExternalID(%d, %s, %s) = %v, want ENOTFOUND", tt.ws, tt.ch, tt.ext, err)
			}
		}
	})
	t.Run("Health", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		w := mustWorld(t, s, "acme")
		t1, t2 := at(10*time.Minute), at(20*time.Minute)
		must(t, s.RecordInboxHealth(ctx, w.inbox.ID, care.HealthUpdate{EventAt: t1}), "event")
		must(t, s.RecordInboxHealth(ctx, w.inbox.ID, care.HealthUpdate{SendAt: t2, RateLimit: "14/15 left"}), "send")
		must(t, s.RecordInboxHealth(ctx, w.inbox.ID, care.HealthUpdate{Error: "401 Unauthorized", ErrorAt: t2}), "error")
		got, err := s.Inbox(ctx, w.inbox.ID)
		must(t, err, "Inbox")
		want := care.InboxHealth{LastEventAt: microPtr(t1), LastSendAt: microPtr(t2), LastError: "401 Unauthorized", LastErrorAt: microPtr(t2), RateLimit: "14/15 left"}
		if diff := cmp.Diff(want, got.Health); diff != "" {
			t.Errorf("Health (-want +got):\n%s", diff)
		}
		if err := s.RecordInboxHealth(ctx, missingID, care.HealthUpdate{EventAt: t1}); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("RecordInboxHealth(missing) = %v, want ENOTFOUND", err)
		}
	})
	t.Run("Cursor", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		w := mustWorld(t, s, "acme")
		if v, err := s.InboxCursor(ctx, w.inbox.ID, "mentions"); err != nil || v != "" {
			t.Fatalf("InboxCursor before any = %q, %v; want empty", v, err)
		}
		must(t, s.SetInboxCursor(ctx, w.inbox.ID, "mentions", "1880000000000000001", at(1)), "set")
		must(t, s.SetInboxCursor(ctx, w.inbox.ID, "mentions", "1880000000000000002", at(2)), "set again")
		must(t, s.SetInboxCursor(ctx, w.inbox.ID, "dm_events", "token-a", at(2)), "set other")
		if v, err := s.InboxCursor(ctx, w.inbox.ID, "mentions"); err != nil || v != "1880000000000000002" {
			t.Errorf("InboxCursor = %q, %v; want the newest", v, err)
		}
		if v, _ := s.InboxCursor(ctx, w.inbox.ID, "dm_events"); v != "token-a" {
			t.Errorf("InboxCursor(dm_events) = %q", v)
		}
	})
	t.Run("MarkMessageDeleted", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		w := mustWorld(t, s, "acme")
		m := mustMessage(t, s, &care.Message{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID, Direction: care.DirectionIn,
			Visibility: care.Public, Text: "regret this", PlatformID: "p1", Status: care.DeliveryReceived, CreatedAt: at(1)})
		when := at(5 * time.Minute)
		must(t, s.MarkMessageDeleted(ctx, m.ID, when), "MarkMessageDeleted")
		got, err := s.Message(ctx, m.ID)
		must(t, err, "Message")
		if got.DeletedAt == nil || !got.DeletedAt.Equal(micro(when)) || got.Text != "regret this" {
			t.Errorf("after delete: %+v; want deleted_at %v and the text kept", got, when)
		}
		if err := s.MarkMessageDeleted(ctx, missingID, when); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("MarkMessageDeleted(missing) = %v, want ENOTFOUND", err)
		}
	})
}

func testAttachIdentity(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	psid := care.Author{PlatformUserID: "24680135792468", DisplayName: "Ana"}
	got, err := s.AttachIdentity(ctx, w.identity.ContactID, care.ChannelX, psid, at(time.Minute))
	must(t, err, "AttachIdentity")
	if got.ContactID != w.identity.ContactID || got.ID == 0 || got.Platform != care.ChannelX {
		t.Fatalf("AttachIdentity = %+v", got)
	}
	again, err := s.AttachIdentity(ctx, w.identity.ContactID, care.ChannelX, psid, at(2*time.Minute))
	must(t, err, "AttachIdentity again")
	if again.ID != got.ID {
		t.Errorf("attaching twice made identity %d, want %d", again.ID, got.ID)
	}
	c, err := s.Contact(ctx, w.identity.ContactID)
	must(t, err, "Contact")
	if len(c.Identities) != 2 {
		t.Errorf("contact has %d identities, want 2", len(c.Identities))
	}
	// The customer now writes from it: the same contact.
	resolved, created, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, psid, at(3*time.Minute))
	must(t, err, "ResolveIdentity")
	if created || resolved.ContactID != w.identity.ContactID {
		t.Errorf("ResolveIdentity after attach = contact %d (created %v), want %d", resolved.ContactID, created, w.identity.ContactID)
	}
	other := mustIdentity(t, s, w.ws, "someone-else")
	wantCode(t, func() error {
		_, err := s.AttachIdentity(ctx, w.identity.ContactID, care.ChannelX, care.Author{PlatformUserID: other.PlatformUserID}, at(time.Hour))
		return err
	}(), care.ECONFLICT, "AttachIdentity(another contact's)")
	wantCode(t, func() error {
		_, err := s.AttachIdentity(ctx, missingID, care.ChannelX, care.Author{PlatformUserID: "x"}, at(time.Hour))
		return err
	}(), care.ENOTFOUND, "AttachIdentity(missing contact)")
}

func testCharges(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	var ids []care.ID
	for i := range 3 {
		m := mustMessage(t, s, &care.Message{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID, Direction: care.DirectionOut,
			Visibility: care.Private, Text: "hi", Status: care.DeliverySent, CreatedAt: at(time.Duration(i) * time.Minute)})
		ids = append(ids, m.ID)
	}
	must(t, s.RecordCharge(ctx, w.inbox.ID, ids[0], "service", at(time.Hour)), "RecordCharge")
	must(t, s.RecordCharge(ctx, w.inbox.ID, ids[0], "service", at(2*time.Hour)), "RecordCharge again")
	must(t, s.RecordCharge(ctx, w.inbox.ID, ids[1], "utility", at(time.Hour)), "RecordCharge utility")
	must(t, s.RecordCharge(ctx, w.inbox.ID, ids[2], "service", at(-48*time.Hour)), "RecordCharge earlier")
	got, err := s.InboxCharges(ctx, w.inbox.ID, at(0))
	must(t, err, "InboxCharges")
	if d := cmp.Diff(map[string]int{"service": 1, "utility": 1}, got); d != "" {
		t.Errorf("InboxCharges since at(0) (-want +got):\n%s", d)
	}
	all, _ := s.InboxCharges(ctx, w.inbox.ID, time.Time{})
	if all["service"] != 2 {
		t.Errorf("InboxCharges since ever = %v; want each message counted once", all)
	}
}

func testReactions(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	other := mustIdentity(t, s, w.ws, "other")
	m := mustMessage(t, s, &care.Message{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID, Direction: care.DirectionOut,
		Visibility: care.Private, Text: "Your refund is on its way", Status: care.DeliverySent, CreatedAt: at(0)})
	steps := []struct {
		r    care.Reaction
		want []string
	}{
		{care.Reaction{ContactID: w.identity.ContactID, Emoji: "👍", At: at(time.Minute)}, []string{"👍"}},
		{care.Reaction{ContactID: other.ContactID, Emoji: "🎉", At: at(2 * time.Minute)}, []string{"👍", "🎉"}},
		{care.Reaction{ContactID: w.identity.ContactID, Emoji: "❤️", At: at(3 * time.Minute)}, []string{"🎉", "❤️"}},
		{care.Reaction{ContactID: other.ContactID, Emoji: "", At: at(4 * time.Minute)}, []string{"❤️"}},
	}
	for i, st := range steps {
		must(t, s.SetReaction(ctx, m.ID, st.r), "SetReaction %d", i)
		got, err := s.Message(ctx, m.ID)
		must(t, err, "Message")
		var emoji []string
		for _, r := range got.Reactions {
			emoji = append(emoji, r.Emoji)
		}
		if d := cmp.Diff(st.want, emoji); d != "" {
			t.Errorf("after step %d reactions (-want +got):\n%s", i, d)
		}
	}
	wantCode(t, s.SetReaction(ctx, missingID, care.Reaction{ContactID: 1, Emoji: "👍"}), care.ENOTFOUND, "SetReaction(missing)")
}
