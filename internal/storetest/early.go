package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// Reports a platform makes about a message before Parley knows the message
// by its platform id: reactions, delivery statuses, the echo of our send.

// newReaction returns the raw event of a reaction in in to message target.
func newReaction(in *care.Inbox, id, target, emoji string, received time.Time) care.RawEvent {
	e := newRaw(in, "", received)
	e.Inbound.Kind, e.Inbound.PlatformID, e.Inbound.ReplyToPlatformID, e.Inbound.Text = care.KindReaction, id, target, emoji
	e.DedupeKey = e.Inbound.DedupeKey()
	return e
}

// newReactionBy returns the raw event of author's reaction in w's inbox to
// message target.
func newReactionBy(w world, author, id, target, emoji string, received time.Time) care.RawEvent {
	e := newReaction(w.inbox, id, target, emoji, received)
	e.Inbound.Author = care.Author{PlatformUserID: author}
	return e
}

// newStatus returns the raw event of a delivery report in in on our
// message platformID.
func newStatus(in *care.Inbox, platformID string, status care.DeliveryStatus, reason, charge string, received time.Time) care.RawEvent {
	e := newRaw(in, "", received)
	e.Inbound = care.Inbound{Kind: care.KindStatus, InboxID: in.ID, Channel: in.Channel, PlatformID: platformID, Status: status,
		StatusReason: reason, Charge: charge}
	e.DedupeKey = e.Inbound.DedupeKey()
	return e
}

func testRawReactionsTo(t *testing.T, open opener) {
	s := open(t)
	w := mustWorld(t, s, "acme")
	other := mustWorld(t, s, "other")
	reply := newRaw(w.inbox, "x:r9", at(0)) // a message answering m1: no reaction
	reply.Inbound.ReplyToPlatformID = "m1"
	res := mustAppend(t, s,
		newReaction(w.inbox, "r1", "m1", "👍", at(0)),
		newReaction(w.inbox, "r2", "m2", "❤", at(time.Minute)),
		newReaction(w.inbox, "r3", "m1", "", at(time.Hour)),
		newReaction(other.inbox, "r4", "m1", "😡", at(time.Hour)),
		reply,
	)
	for _, tc := range []struct {
		name  string
		ids   []string
		since time.Time
		want  []care.ID
	}{
		{"one message", []string{"m1"}, at(-time.Hour), []care.ID{res[0].ID, res[2].ID}},
		{"several, oldest first", []string{"m2", "m1", "m3"}, at(-time.Hour), []care.ID{res[0].ID, res[1].ID, res[2].ID}},
		{"received since", []string{"m1"}, at(time.Minute), []care.ID{res[2].ID}},
		{"at since", []string{"m2"}, at(time.Minute), []care.ID{res[1].ID}},
		{"none", []string{"m3", "x:r9"}, at(-time.Hour), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RawReactionsTo(t.Context(), w.inbox.ID, tc.ids, tc.since)
			must(t, err, "RawReactionsTo")
			var ids []care.ID
			for _, e := range got {
				ids = append(ids, e.ID)
				if e.Inbound.Kind != care.KindReaction || e.InboxID != w.inbox.ID {
					t.Errorf("RawReactionsTo returned %+v", e)
				}
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Errorf("RawReactionsTo(%v) ids (-want +got):\n%s", tc.ids, diff)
			}
		})
	}
}

func testRecordSent(t *testing.T, open opener) {
	// setup stores our reply, queued, and returns it.
	setup := func(t *testing.T) (care.Store, world, *care.Message) {
		s := open(t)
		w := mustWorld(t, s, "acme")
		mustMessage(t, s, newMessage(w.conv, care.DirectionIn, care.Private, at(0)))
		ours := newMessage(w.conv, care.DirectionOut, care.Private, at(time.Minute))
		ours.AuthorID, ours.AuthorName = mustUser(t, s, "ada@example.com").ID, "Ada"
		return s, w, mustMessage(t, s, ours)
	}
	// echo stores, as the pipeline stores an echo, a copy of our reply
	// the platform calls platformID.
	echo := func(t *testing.T, s care.Store, c *care.Conversation, platformID string) *care.Message {
		m := newMessage(c, care.DirectionOut, care.Private, at(2*time.Minute))
		m.PlatformID, m.Status, m.AuthorName = platformID, care.DeliverySent, "Acme (outside Parley)"
		return mustMessage(t, s, m)
	}

	t.Run("no echo", func(t *testing.T) {
		s, _, ours := setup(t)
		evs, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p1", at(time.Hour))
		must(t, err, "RecordSent")
		if len(evs) != 0 {
			t.Errorf("RecordSent events = %v; want none", evs)
		}
		m, err := s.Message(t.Context(), ours.ID)
		must(t, err, "Message")
		if m.Status != care.DeliverySent || m.PlatformID != "p1" {
			t.Errorf("message: status %q, platform id %q; want sent, p1", m.Status, m.PlatformID)
		}
		// Recording it again (a worker that died before completing the
		// entry) changes nothing.
		evs, err = s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p1", at(time.Hour))
		if err != nil || len(evs) != 0 {
			t.Errorf("RecordSent again = %v, %v; want no events, no error", evs, err)
		}
	})

	t.Run("echo merged", func(t *testing.T) {
		s, w, ours := setup(t)
		dup := echo(t, s, w.conv, "p2")
		// What the platform reported on the copy meanwhile.
		must(t, s.SetDelivery(t.Context(), dup.ID, care.DeliveryRead, "", ""), "SetDelivery")
		must(t, s.SetReaction(t.Context(), dup.ID, care.Reaction{ContactID: w.identity.ContactID, Emoji: "👍", At: at(3 * time.Minute)}), "SetReaction")
		must(t, s.RecordCharge(t.Context(), w.inbox.ID, dup.ID, "service", at(3*time.Minute)), "RecordCharge")
		before, err := s.Conversation(t.Context(), w.conv.ID)
		must(t, err, "Conversation")
		last, err := s.LatestEventID(t.Context(), w.ws.ID)
		must(t, err, "LatestEventID")

		evs, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p2", at(time.Hour))
		must(t, err, "RecordSent")
		var types []care.EventType
		for _, e := range evs {
			types = append(types, e.Type)
		}
		if diff := cmp.Diff([]care.EventType{care.EventConversationUpdated, care.EventMessageDeleted, care.EventMessageUpdated}, types); diff != "" {
			t.Errorf("RecordSent events (-want +got):\n%s", diff)
		}
		// Those who were told of the copy learn it is gone, from the copy
		// as it was.
		if len(evs) == 3 {
			if e := evs[1]; e.MessageID != dup.ID || e.ConversationID != dup.ConversationID || !strings.Contains(string(e.Data), `"platform_id":"p2"`) {
				t.Errorf("message.deleted = %+v (data %s); want the echo %d of conversation %d", e, e.Data, dup.ID, dup.ConversationID)
			}
		}
		stored, err := s.EventsAfter(t.Context(), w.ws.ID, last, 10)
		must(t, err, "EventsAfter")
		if len(stored) != len(evs) {
			t.Errorf("%d events stored; want the %d returned", len(stored), len(evs))
		}
		if _, err := s.Message(t.Context(), dup.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("Message(echo) error = %v; want ENOTFOUND", err)
		}
		m, err := s.Message(t.Context(), ours.ID)
		must(t, err, "Message")
		if m.Status != care.DeliveryRead || m.PlatformID != "p2" || len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
			t.Errorf("message: status %q, platform id %q, reactions %v; want read, p2, the echo's 👍", m.Status, m.PlatformID, m.Reactions)
		}
		if got, err := s.MessageByPlatformID(t.Context(), w.inbox.ID, "p2"); err != nil || got.ID != ours.ID {
			t.Errorf("MessageByPlatformID(p2) = %v, %v; want message %d", got, err, ours.ID)
		}
		after, err := s.Conversation(t.Context(), w.conv.ID)
		must(t, err, "Conversation")
		if after.MessageCount != before.MessageCount-1 {
			t.Errorf("message count %d; want %d", after.MessageCount, before.MessageCount-1)
		}
		msgs, err := s.Messages(t.Context(), w.conv.ID, 0, 10)
		must(t, err, "Messages")
		if len(msgs) != 2 {
			t.Errorf("%d messages in the conversation; want 2", len(msgs))
		}
		charges, err := s.InboxCharges(t.Context(), w.inbox.ID, at(-time.Hour))
		must(t, err, "InboxCharges")
		if diff := cmp.Diff(map[string]int{"service": 1}, charges); diff != "" {
			t.Errorf("charges (-want +got):\n%s", diff)
		}
	})

	t.Run("echo in a conversation of its own", func(t *testing.T) {
		s, w, ours := setup(t)
		resolved := care.StatusResolved
		_, err := s.UpdateConversation(t.Context(), w.conv.ID, care.ConversationUpdate{Status: &resolved}, at(time.Minute))
		must(t, err, "UpdateConversation")
		own := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(2*time.Minute)))
		dup := echo(t, s, own, "p5")
		evs, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p5", at(time.Hour))
		must(t, err, "RecordSent")
		if _, err := s.Message(t.Context(), dup.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("Message(echo) error = %v; want ENOTFOUND", err)
		}
		c, err := s.Conversation(t.Context(), own.ID)
		must(t, err, "Conversation")
		if c.MessageCount != 0 || c.Status != care.StatusResolved {
			t.Errorf("the echo's conversation: %d messages, %s; want none, resolved", c.MessageCount, c.Status)
		}
		if len(evs) == 0 || evs[0].Type != care.EventConversationUpdated || evs[0].ConversationID != own.ID {
			t.Errorf("RecordSent events = %v; want conversation.updated of conversation %d first", evs, own.ID)
		}
	})

	for _, tc := range []struct {
		name   string
		holder func(t *testing.T, s care.Store, w world, ours *care.Message) *care.Message
	}{
		{"taken by a customer's message", func(t *testing.T, s care.Store, w world, _ *care.Message) *care.Message {
			m := newMessage(w.conv, care.DirectionIn, care.Private, at(2*time.Minute))
			m.PlatformID = "p3"
			return mustMessage(t, s, m)
		}},
		{"taken by an earlier reply", func(t *testing.T, s care.Store, w world, ours *care.Message) *care.Message {
			m := newMessage(w.conv, care.DirectionOut, care.Private, at(0))
			m.PlatformID = "p3"
			m = mustMessage(t, s, m)
			// Ours is the later one now.
			later := newMessage(w.conv, care.DirectionOut, care.Private, at(3*time.Minute))
			later.AuthorID = ours.AuthorID
			*ours = *mustMessage(t, s, later)
			return m
		}},
		{"taken by an agent's reply", func(t *testing.T, s care.Store, w world, ours *care.Message) *care.Message {
			m := newMessage(w.conv, care.DirectionOut, care.Private, at(2*time.Minute))
			m.PlatformID, m.AuthorID = "p3", ours.AuthorID
			return mustMessage(t, s, m)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, w, ours := setup(t)
			holder := tc.holder(t, s, w, ours)
			_, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p3", at(time.Hour))
			if care.ErrorCode(err) != care.ECONFLICT {
				t.Fatalf("RecordSent error = %v; want ECONFLICT", err)
			}
			if m, err := s.Message(t.Context(), holder.ID); err != nil || m.PlatformID != "p3" {
				t.Errorf("holder = %+v, %v; want kept with p3", m, err)
			}
			if m, err := s.Message(t.Context(), ours.ID); err != nil || m.PlatformID != "" || m.Status != care.DeliveryQueued {
				t.Errorf("ours = %+v, %v; want unchanged", m, err)
			}
		})
	}

	t.Run("report stored before", func(t *testing.T) {
		// The platform's "failed" overtook the answer to the send: it is
		// applied with the id, in the same commit, so nothing after the
		// commit (where a crash could strike) is needed for it.
		s, w, ours := setup(t)
		mustAppend(t, s, newStatus(w.inbox, "p5", care.DeliveryFailed, "131047: outside the 24 hour window", "", at(2*time.Minute)))
		evs, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p5", at(time.Hour))
		must(t, err, "RecordSent")
		m, err := s.Message(t.Context(), ours.ID)
		must(t, err, "Message")
		if m.Status != care.DeliveryFailed || m.PlatformID != "p5" || m.StatusReason == "" {
			t.Errorf("message: status %q (%q), platform id %q; want failed with its reason, p5", m.Status, m.StatusReason, m.PlatformID)
		}
		if len(evs) != 1 || evs[0].Type != care.EventMessageUpdated || evs[0].MessageID != ours.ID {
			t.Errorf("RecordSent events = %+v; want one message.updated of ours", evs)
		}
	})

	t.Run("reaction stored before", func(t *testing.T) {
		// The customer reacted to our reply before the answer to the send
		// was recorded: the reaction is shown with the id, in the same
		// commit.
		s, w, ours := setup(t)
		mustAppend(t, s, newReactionBy(w, w.identity.PlatformUserID, "r1", "p6", "👍", at(2*time.Minute)))
		evs, err := s.RecordSent(t.Context(), ours.ID, care.DeliverySent, "p6", at(time.Hour))
		must(t, err, "RecordSent")
		m, err := s.Message(t.Context(), ours.ID)
		must(t, err, "Message")
		if len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" || m.Reactions[0].ContactID != w.identity.ContactID {
			t.Errorf("reactions %+v; want the customer's 👍", m.Reactions)
		}
		if len(evs) != 1 || evs[0].Type != care.EventMessageUpdated || evs[0].MessageID != ours.ID {
			t.Errorf("RecordSent events = %+v; want one message.updated of ours", evs)
		}
	})

	t.Run("missing", func(t *testing.T) {
		s, _, _ := setup(t)
		if _, err := s.RecordSent(t.Context(), missingID, care.DeliverySent, "p4", at(0)); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("RecordSent(missing) error = %v; want ENOTFOUND", err)
		}
	})
}

func testApplyStatusReports(t *testing.T, open opener) {
	for _, tc := range []struct {
		name       string
		reports    func(w, other world) []care.RawEvent
		since      time.Time
		customer   bool // the message is a customer's
		wantStatus care.DeliveryStatus
		wantReason string
		charges    map[string]int
		// wantEmoji are the reactions on the message after, by w's author.
		wantEmoji []string
	}{
		{name: "none", wantStatus: care.DeliverySent, charges: map[string]int{}},
		{name: "furthest along", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newStatus(w.inbox, "p1", care.DeliveryRead, "", "", at(2*time.Second)),
				newStatus(w.inbox, "p1", care.DeliveryDelivered, "", "", at(time.Second))}
		}, wantStatus: care.DeliveryRead, charges: map[string]int{}},
		{name: "failed wins", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newStatus(w.inbox, "p1", care.DeliveryFailed, "outside the 24 hour window", "", at(time.Second)),
				newStatus(w.inbox, "p1", care.DeliveryRead, "", "", at(2*time.Second))}
		}, wantStatus: care.DeliveryFailed, wantReason: "outside the 24 hour window", charges: map[string]int{}},
		{name: "other messages and inboxes", reports: func(w, other world) []care.RawEvent {
			return []care.RawEvent{newStatus(other.inbox, "p1", care.DeliveryFailed, "no", "", at(time.Second)),
				newStatus(w.inbox, "p2", care.DeliveryRead, "", "", at(time.Second))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{}},
		{name: "received before since", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newStatus(w.inbox, "p1", care.DeliveryFailed, "old", "", at(-time.Hour))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{}},
		{name: "charge", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newStatus(w.inbox, "p1", care.DeliverySent, "", "service", at(time.Second))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{"service": 1}},
		{name: "a customer's message", customer: true, reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newStatus(w.inbox, "p1", care.DeliveryFailed, "forged", "", at(time.Second)),
				newReactionBy(w, w.identity.PlatformUserID, "r1", "p1", "👍", at(time.Second))}
		}, wantStatus: care.DeliveryReceived, charges: map[string]int{}},
		{name: "reactions in the order they came", reports: func(w, other world) []care.RawEvent {
			return []care.RawEvent{newReactionBy(w, w.identity.PlatformUserID, "r1", "p1", "👍", at(time.Second)),
				newReactionBy(w, w.identity.PlatformUserID, "r2", "p1", "❤", at(2*time.Second)),
				newReactionBy(w, "nobody-known", "r3", "p1", "😡", at(2*time.Second)),
				newReactionBy(w, w.identity.PlatformUserID, "r4", "p2", "😡", at(3*time.Second)),
				newReactionBy(other, other.identity.PlatformUserID, "r5", "p1", "😡", at(3*time.Second))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{}, wantEmoji: []string{"❤"}},
		{name: "a reaction taken back", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newReactionBy(w, w.identity.PlatformUserID, "r1", "p1", "👍", at(time.Second)),
				newReactionBy(w, w.identity.PlatformUserID, "r2", "p1", "", at(2*time.Second))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{}},
		{name: "a reaction received before since", reports: func(w, _ world) []care.RawEvent {
			return []care.RawEvent{newReactionBy(w, w.identity.PlatformUserID, "r1", "p1", "👍", at(-time.Hour))}
		}, wantStatus: care.DeliverySent, charges: map[string]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			w := mustWorld(t, s, "acme")
			other := mustWorld(t, s, "other")
			m := newMessage(w.conv, care.DirectionOut, care.Private, at(0))
			m.PlatformID, m.Status = "p1", care.DeliverySent
			if tc.customer {
				m = newMessage(w.conv, care.DirectionIn, care.Private, at(0))
				m.PlatformID = "p1"
			}
			m = mustMessage(t, s, m)
			if tc.reports != nil {
				mustAppend(t, s, tc.reports(w, other)...)
			}
			evs, err := s.ApplyStatusReports(t.Context(), m.ID, at(-time.Minute), at(time.Hour))
			must(t, err, "ApplyStatusReports")
			got, err := s.Message(t.Context(), m.ID)
			must(t, err, "Message")
			if got.Status != tc.wantStatus || got.StatusReason != tc.wantReason {
				t.Errorf("status %q, reason %q; want %q, %q", got.Status, got.StatusReason, tc.wantStatus, tc.wantReason)
			}
			var emoji []string
			for _, r := range got.Reactions {
				if r.ContactID != w.identity.ContactID {
					t.Errorf("reaction %+v; want only w's author's", r)
				}
				emoji = append(emoji, r.Emoji)
			}
			if diff := cmp.Diff(tc.wantEmoji, emoji); diff != "" {
				t.Errorf("reactions (-want +got):\n%s", diff)
			}
			changed := got.Status != m.Status || len(emoji) > 0
			if changed != (len(evs) == 1) || len(evs) > 1 {
				t.Errorf("events = %v; want one message.updated if the status or the reactions changed (%v)", evs, changed)
			}
			for _, e := range evs {
				if e.Type != care.EventMessageUpdated || e.MessageID != m.ID || e.ID == 0 {
					t.Errorf("event %+v; want message.updated of message %d, stored", e, m.ID)
				}
			}
			charges, err := s.InboxCharges(t.Context(), w.inbox.ID, at(-time.Hour))
			must(t, err, "InboxCharges")
			if diff := cmp.Diff(tc.charges, charges); diff != "" {
				t.Errorf("charges (-want +got):\n%s", diff)
			}
			// Again (a replay, a second look): nothing more.
			evs, err = s.ApplyStatusReports(t.Context(), m.ID, at(-time.Minute), at(time.Hour))
			if err != nil || len(evs) != 0 {
				t.Errorf("ApplyStatusReports again = %v, %v; want no events", evs, err)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		s := open(t)
		if _, err := s.ApplyStatusReports(t.Context(), missingID, at(0), at(0)); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("ApplyStatusReports(missing) error = %v; want ENOTFOUND", err)
		}
	})
}
