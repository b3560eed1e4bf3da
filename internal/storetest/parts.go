package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// A customer's message delivered in parts (care.Inbound.Group): each part's
// platform id names the message, which its group finds.

func testMessageParts(t *testing.T, open opener) {
	// setup stores the contact's message m1, the first part of album g,
	// sent at at(0).
	setup := func(t *testing.T) (care.Store, world, *care.Message) {
		s := open(t)
		w := mustWorld(t, s, "acme")
		m := newMessage(w.conv, care.DirectionIn, care.Private, at(0))
		m.PlatformID, m.Text, m.Attachments = "m1", "", []care.Attachment{{Kind: "image", URL: "u1"}}
		m = mustMessage(t, s, m)
		must(t, s.AddMessagePart(t.Context(), m.ID, "g", "m1"), "AddMessagePart(m1)")
		return s, w, m
	}

	t.Run("a part names its message", func(t *testing.T) {
		s, w, m := setup(t)
		must(t, s.AddMessagePart(t.Context(), m.ID, "g", "m2"), "AddMessagePart(m2)")
		// Again, as a pipeline retrying its pass would: nothing changes.
		must(t, s.AddMessagePart(t.Context(), m.ID, "g", "m2"), "AddMessagePart(m2) again")
		for _, id := range []string{"m1", "m2"} {
			got, err := s.MessageByPlatformID(t.Context(), w.inbox.ID, id)
			if err != nil || got.ID != m.ID || got.PlatformID != "m1" {
				t.Errorf("MessageByPlatformID(%s) = %+v, %v; want message %d, m1", id, got, err, m.ID)
			}
		}
		other := mustWorld(t, s, "other")
		if _, err := s.MessageByPlatformID(t.Context(), other.inbox.ID, "m2"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("MessageByPlatformID(another inbox, m2) error = %v; want ENOTFOUND", err)
		}
		known, err := s.KnownPlatformIDs(t.Context(), w.inbox.ID, []string{"m1", "m2", "m3"})
		must(t, err, "KnownPlatformIDs")
		if diff := cmp.Diff(map[string]care.ID{"m1": w.conv.ID, "m2": w.conv.ID}, known); diff != "" {
			t.Errorf("KnownPlatformIDs (-want +got):\n%s", diff)
		}
		known, err = s.KnownPlatformIDs(t.Context(), other.inbox.ID, []string{"m1", "m2"})
		must(t, err, "KnownPlatformIDs")
		if len(known) != 0 {
			t.Errorf("KnownPlatformIDs(another inbox) = %v; want none", known)
		}
	})

	t.Run("conflicts", func(t *testing.T) {
		s, w, m := setup(t)
		holder := newMessage(w.conv, care.DirectionIn, care.Private, at(time.Minute))
		holder.PlatformID = "m9"
		holder = mustMessage(t, s, holder)
		wantCode(t, s.AddMessagePart(t.Context(), m.ID, "g", "m9"), care.ECONFLICT, "AddMessagePart(a message's id)")
		wantCode(t, s.AddMessagePart(t.Context(), holder.ID, "g", "m1"), care.ECONFLICT, "AddMessagePart(another message's part)")
		wantCode(t, s.AddMessagePart(t.Context(), missingID, "g", "m8"), care.ENOTFOUND, "AddMessagePart(missing)")
		if got, err := s.MessageByPlatformID(t.Context(), w.inbox.ID, "m9"); err != nil || got.ID != holder.ID {
			t.Errorf("MessageByPlatformID(m9) = %+v, %v; want message %d", got, err, holder.ID)
		}
	})

	t.Run("group", func(t *testing.T) {
		s, w, m := setup(t)
		stranger := mustIdentity(t, s, w.ws, "stranger")
		for _, tc := range []struct {
			name     string
			contact  care.ID
			group    string
			from, to time.Time
			found    bool
		}{
			{"within", w.identity.ContactID, "g", at(-time.Minute), at(time.Minute), true},
			{"at the bounds", w.identity.ContactID, "g", at(0), at(0), true},
			{"sent before", w.identity.ContactID, "g", at(time.Second), at(time.Minute), false},
			{"sent after", w.identity.ContactID, "g", at(-time.Minute), at(-time.Second), false},
			{"another group", w.identity.ContactID, "h", at(-time.Minute), at(time.Minute), false},
			{"another contact", stranger.ContactID, "g", at(-time.Minute), at(time.Minute), false},
			{"no group", w.identity.ContactID, "", at(-time.Minute), at(time.Minute), false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.GroupMessage(t.Context(), w.inbox.ID, tc.contact, tc.group, tc.from, tc.to)
				switch {
				case tc.found && (err != nil || got.ID != m.ID):
					t.Errorf("GroupMessage = %+v, %v; want message %d", got, err, m.ID)
				case !tc.found && care.ErrorCode(err) != care.ENOTFOUND:
					t.Errorf("GroupMessage = %+v, %v; want ENOTFOUND", got, err)
				}
			})
		}
		other := mustWorld(t, s, "other")
		if _, err := s.GroupMessage(t.Context(), other.inbox.ID, w.identity.ContactID, "g", at(-time.Minute), at(time.Minute)); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("GroupMessage(another inbox) error = %v; want ENOTFOUND", err)
		}
	})

	t.Run("content", func(t *testing.T) {
		s, _, m := setup(t)
		atts := []care.Attachment{{Kind: "image", URL: "u1"}, {Kind: "video", URL: "u2", MimeType: "video/mp4"}}
		must(t, s.SetMessageContent(t.Context(), m.ID, "Both arrived broken", atts), "SetMessageContent")
		got, err := s.Message(t.Context(), m.ID)
		must(t, err, "Message")
		if got.Text != "Both arrived broken" || !cmp.Equal(atts, got.Attachments) {
			t.Errorf("message text %q, attachments %+v; want the new ones", got.Text, got.Attachments)
		}
		wantCode(t, s.SetMessageContent(t.Context(), missingID, "x", nil), care.ENOTFOUND, "SetMessageContent(missing)")
	})
}
