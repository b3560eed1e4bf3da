package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func testMessages(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		u := mustUser(t, s, "agent@example.com")
		m := &care.Message{
			WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID,
			Direction: care.DirectionOut, Visibility: care.Public, AuthorID: u.ID, AuthorName: "Ada from Acme",
			Text: "Sorry about that! DM us your order number.", PlatformID: "1790000000000000001", ReplyToPlatformID: "1789999999999999999",
			Attachments: []care.Attachment{{Kind: "image", URL: "https://cdn.example.com/a.png", MimeType: "image/png", Name: "a.png", Size: 12345}},
			Status:      care.DeliveryQueued, StatusReason: "waiting for rate limit", CreatedAt: at(time.Minute), SentAt: at(time.Minute),
		}
		must(t, s.CreateMessage(ctx, m), "CreateMessage")
		if m.ID == 0 {
			t.Fatal("CreateMessage did not assign an ID")
		}
		want := *m
		want.CreatedAt, want.SentAt = micro(at(time.Minute)), micro(at(time.Minute))
		got, err := s.Message(ctx, m.ID)
		must(t, err, "Message(%d)", m.ID)
		if d := diff(&want, got); d != "" {
			t.Errorf("Message(%d) mismatch (-want +got):\n%s", m.ID, d)
		}
		checkUTC(t, "Message times", got.CreatedAt, got.SentAt)
	})

	t.Run("Attachments", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		many := make([]care.Attachment, care.MaxAttachments)
		for i := range many {
			many[i] = care.Attachment{Kind: "file", URL: fmt.Sprintf("https://cdn.example.com/%d?sig=a%%2Fb&x=1", i),
				MimeType: "application/pdf", Name: fmt.Sprintf("facture n°%d \"final\".pdf", i), Size: int64(i) << 30}
		}
		tests := []struct {
			name        string
			attachments []care.Attachment
		}{
			{"None", nil},
			{"Location", []care.Attachment{{Kind: "location", Name: "48.8584,2.2945"}}},
			{"Sticker", []care.Attachment{{Kind: "sticker", URL: "https://cdn.example.com/s.webp"}}},
			{"Max", many},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m := newMessage(w.conv, care.DirectionIn, care.Public, at(time.Duration(i)*time.Minute))
				m.Attachments = tt.attachments
				if len(tt.attachments) > 0 {
					m.Text = ""
				}
				mustMessage(t, s, m)
				got, err := s.Message(ctx, m.ID)
				must(t, err, "Message")
				if d := diff(tt.attachments, got.Attachments); d != "" {
					t.Errorf("Attachments mismatch (-want +got):\n%s", d)
				}
			})
		}
	})

	t.Run("ConversationActivity", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		other := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(0)))
		// Steps run in order on one conversation; step i writes at minute i+1,
		// and the platform says the message was sent 30 seconds earlier.
		// Every message counts. A customer's message starts the wait, from
		// when they sent it (SentAt), unless one is already running; our
		// public or private reply ends it. A note is not activity: it changes
		// neither LastActivityAt nor the wait.
		steps := []struct {
			name     string
			dir      care.Direction
			vis      care.Visibility
			activity time.Duration
			waiting  time.Duration // -1: not waiting
		}{
			{"InboundStartsWait", care.DirectionIn, care.Public, 1 * time.Minute, 30 * time.Second},
			{"InboundKeepsWait", care.DirectionIn, care.Private, 2 * time.Minute, 30 * time.Second},
			{"NoteKeepsWait", care.DirectionOut, care.Note, 2 * time.Minute, 30 * time.Second},
			{"PublicReplyEndsWait", care.DirectionOut, care.Public, 4 * time.Minute, -1},
			{"InboundStartsNewWait", care.DirectionIn, care.Public, 5 * time.Minute, 4*time.Minute + 30*time.Second},
			{"PrivateReplyEndsWait", care.DirectionOut, care.Private, 6 * time.Minute, -1},
			{"NoteWhileNotWaiting", care.DirectionOut, care.Note, 6 * time.Minute, -1},
			{"InboundAgain", care.DirectionIn, care.Private, 8 * time.Minute, 7*time.Minute + 30*time.Second},
		}
		for i, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				when := at(time.Duration(i+1) * time.Minute)
				m := newMessage(w.conv, st.dir, st.vis, when)
				m.SentAt = when.Add(-30 * time.Second)
				mustMessage(t, s, m)
				got, err := s.Conversation(ctx, w.conv.ID)
				must(t, err, "Conversation")
				if got.MessageCount != i+1 {
					t.Errorf("MessageCount = %d, want %d", got.MessageCount, i+1)
				}
				if want := micro(at(st.activity)); !got.LastActivityAt.Equal(want) {
					t.Errorf("LastActivityAt = %v, want %v", got.LastActivityAt, want)
				}
				var want *time.Time
				if st.waiting >= 0 {
					want = microPtr(at(st.waiting))
				}
				if d := diff(want, got.WaitingSince); d != "" {
					t.Errorf("WaitingSince mismatch (-want +got):\n%s", d)
				}
			})
		}
		got, err := s.Conversation(ctx, other.ID)
		must(t, err, "Conversation(other)")
		if got.MessageCount != 0 || got.WaitingSince != nil || !got.LastActivityAt.Equal(micro(at(0))) {
			t.Errorf("another conversation changed: count %d, waiting %v, last activity %v", got.MessageCount, got.WaitingSince, got.LastActivityAt)
		}
	})

	t.Run("HeldReplyWaitsForApproval", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		in := newMessage(w.conv, care.DirectionIn, care.Private, at(time.Minute))
		mustMessage(t, s, in)
		held := newMessage(w.conv, care.DirectionOut, care.Public, at(2*time.Minute))
		held.Status = care.DeliveryPendingApproval
		mustMessage(t, s, held)
		got, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if got.WaitingSince == nil {
			t.Fatal("a reply held for approval ended the customer's wait")
		}
		// A retried failure is queued again too; it touches no wait.
		must(t, s.SetDelivery(ctx, held.ID, care.DeliveryQueued, "", ""), "SetDelivery(queued)")
		got, err = s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if got.WaitingSince != nil {
			t.Errorf("after approval the customer still waits since %v", got.WaitingSince)
		}
		again := newMessage(w.conv, care.DirectionIn, care.Private, at(3*time.Minute))
		mustMessage(t, s, again)
		must(t, s.SetDelivery(ctx, held.ID, care.DeliveryFailed, "boom", ""), "SetDelivery(failed)")
		must(t, s.SetDelivery(ctx, held.ID, care.DeliveryQueued, "", ""), "SetDelivery(queued) for a retry")
		if got, _ = s.Conversation(ctx, w.conv.ID); got.WaitingSince == nil {
			t.Error("queueing a failed reply again ended a later wait")
		}
	})

	t.Run("AnswerOnResolvedStartsNoWait", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		_, err := s.UpdateConversation(ctx, w.conv.ID, care.ConversationUpdate{Status: ptr(care.StatusResolved)}, at(time.Minute))
		must(t, err, "resolve")
		mustMessage(t, s, newMessage(w.conv, care.DirectionIn, care.Private, at(2*time.Minute)))
		got, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if got.WaitingSince != nil || got.Status != care.StatusResolved {
			t.Errorf("a message stored on a resolved conversation: status %s, waiting since %v; want resolved, not waiting", got.Status, got.WaitingSince)
		}
	})

	t.Run("DuplicatePlatformID", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		second := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(0)))
		otherInbox := mustInbox(t, s, w.ws, care.ChannelFacebook)
		otherConv := mustConversation(t, s, newConversation(otherInbox, w.identity.ContactID, at(0)))

		m := newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute))
		m.PlatformID = "tw-1"
		mustMessage(t, s, m)
		for _, c := range []*care.Conversation{w.conv, second} {
			dup := newMessage(c, care.DirectionIn, care.Public, at(2*time.Minute))
			dup.PlatformID = "tw-1"
			wantCode(t, s.CreateMessage(ctx, dup), care.ECONFLICT, "CreateMessage(duplicate platform id in conversation %d)", c.ID)
		}
		// The refused messages left no trace on their conversations.
		for _, c := range []struct {
			id    care.ID
			count int
		}{{w.conv.ID, 1}, {second.ID, 0}} {
			got, err := s.Conversation(ctx, c.id)
			must(t, err, "Conversation")
			if got.MessageCount != c.count {
				t.Errorf("Conversation(%d).MessageCount after a conflict = %d, want %d", c.id, got.MessageCount, c.count)
			}
		}
		got, err := s.Messages(ctx, second.ID, 0, 10)
		must(t, err, "Messages")
		if len(got) != 0 {
			t.Errorf("Messages() of a conversation whose only message conflicted = %d messages, want 0", len(got))
		}
		// Platform IDs are unique per inbox only.
		elsewhere := newMessage(otherConv, care.DirectionIn, care.Public, at(2*time.Minute))
		elsewhere.PlatformID = "tw-1"
		must(t, s.CreateMessage(ctx, elsewhere), "CreateMessage(same platform id, other inbox)")
	})

	t.Run("EmptyPlatformIDNeverConflicts", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		for i := range 3 {
			m := newMessage(w.conv, care.DirectionOut, care.Note, at(time.Duration(i)*time.Minute))
			must(t, s.CreateMessage(ctx, m), "CreateMessage(note %d)", i)
		}
		// An empty platform ID means "none", never a key to look up.
		_, err := s.MessageByPlatformID(ctx, w.inbox.ID, "")
		wantCode(t, err, care.ENOTFOUND, "MessageByPlatformID(\"\")")
	})

	t.Run("ByPlatformID", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		otherInbox := mustInbox(t, s, w.ws, care.ChannelFacebook)
		otherConv := mustConversation(t, s, newConversation(otherInbox, w.identity.ContactID, at(0)))
		m := newMessage(w.conv, care.DirectionIn, care.Public, at(time.Minute))
		m.PlatformID, m.Text = "tw-1", "first"
		mustMessage(t, s, m)
		o := newMessage(otherConv, care.DirectionIn, care.Public, at(time.Minute))
		o.PlatformID, o.Text = "tw-1", "other inbox"
		mustMessage(t, s, o)

		want := *m
		want.CreatedAt, want.SentAt = micro(m.CreatedAt), micro(m.SentAt)
		got, err := s.MessageByPlatformID(ctx, w.inbox.ID, "tw-1")
		must(t, err, "MessageByPlatformID")
		if d := diff(&want, got); d != "" {
			t.Errorf("MessageByPlatformID() mismatch (-want +got):\n%s", d)
		}
		for _, pid := range []string{"tw-", "TW-1", "tw-1 ", "%", "' OR ''='"} {
			_, err := s.MessageByPlatformID(ctx, w.inbox.ID, pid)
			wantCode(t, err, care.ENOTFOUND, "MessageByPlatformID(%q)", pid)
		}
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		other := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(0)))
		var all []care.Message
		for i := range 5 {
			// Interleave another conversation's messages.
			mustMessage(t, s, newMessage(other, care.DirectionIn, care.Public, at(time.Duration(i)*time.Minute)))
			m := newMessage(w.conv, care.DirectionIn, care.Public, at(time.Duration(i)*time.Minute))
			m.Text = fmt.Sprintf("message %d", i)
			mustMessage(t, s, m)
			m.CreatedAt, m.SentAt = micro(m.CreatedAt), micro(m.SentAt)
			all = append(all, *m)
		}
		tests := []struct {
			name  string
			after care.ID
			limit int
			want  []care.Message
		}{
			{"All", 0, 100, all},
			{"Limit", 0, 2, all[:2]},
			{"After", all[1].ID, 2, all[2:4]},
			{"AfterLast", all[4].ID, 10, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Messages(ctx, w.conv.ID, tt.after, tt.limit)
				must(t, err, "Messages")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("Messages(%d, %d, %d) mismatch (-want +got):\n%s", w.conv.ID, tt.after, tt.limit, d)
				}
			})
		}
	})

	t.Run("SetDelivery", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		m := mustMessage(t, s, newMessage(w.conv, care.DirectionOut, care.Public, at(time.Minute)))
		bystander := newMessage(w.conv, care.DirectionOut, care.Public, at(time.Minute))
		bystander.PlatformID = "bystander"
		mustMessage(t, s, bystander)
		// Steps run in order. An empty platform ID keeps the one already
		// known; the reason always replaces the previous one.
		steps := []struct {
			name               string
			status             care.DeliveryStatus
			reason, platformID string
			wantPlatformID     string
		}{
			{"Failed", care.DeliveryFailed, "429 Too Many Requests", "", ""},
			{"Sent", care.DeliverySent, "", "1790000000000000002", "1790000000000000002"},
			{"Delivered", care.DeliveryDelivered, "", "", "1790000000000000002"},
			{"ReadWithReason", care.DeliveryRead, "seen on mobile", "", "1790000000000000002"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				must(t, s.SetDelivery(ctx, m.ID, st.status, st.reason, st.platformID), "SetDelivery")
				got, err := s.Message(ctx, m.ID)
				must(t, err, "Message")
				if got.Status != st.status || got.StatusReason != st.reason || got.PlatformID != st.wantPlatformID {
					t.Errorf("after SetDelivery(%q, %q, %q): status %q, reason %q, platform id %q; want %q, %q, %q",
						st.status, st.reason, st.platformID, got.Status, got.StatusReason, got.PlatformID, st.status, st.reason, st.wantPlatformID)
				}
			})
		}
		got, err := s.MessageByPlatformID(ctx, w.inbox.ID, "1790000000000000002")
		must(t, err, "MessageByPlatformID(after SetDelivery)")
		if got.ID != m.ID {
			t.Errorf("MessageByPlatformID().ID = %d, want %d", got.ID, m.ID)
		}
		got, err = s.Message(ctx, bystander.ID)
		must(t, err, "Message(bystander)")
		if got.Status != care.DeliveryQueued || got.PlatformID != "bystander" {
			t.Errorf("SetDelivery changed another message: status %q, platform id %q", got.Status, got.PlatformID)
		}
		wantCode(t, s.SetDelivery(ctx, missingID, care.DeliverySent, "", "x"), care.ENOTFOUND, "SetDelivery(missing)")
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		_, err := s.Message(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Message(missing)")
		_, err = s.MessageByPlatformID(ctx, w.inbox.ID, "nope")
		wantCode(t, err, care.ENOTFOUND, "MessageByPlatformID(missing)")
	})
}

func testRecentMessages(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	second := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(time.Hour)))
	other := mustWorld(t, s, "globex")
	var ids []care.ID
	for i, c := range []*care.Conversation{w.conv, second, w.conv, other.conv, second} {
		m := mustMessage(t, s, &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID,
			Direction: care.DirectionIn, Visibility: care.Public, ContactID: c.ContactID, Text: fmt.Sprint("m", i),
			Status: care.DeliveryReceived, CreatedAt: at(time.Duration(i) * time.Minute), SentAt: at(time.Duration(i) * time.Minute)})
		ids = append(ids, m.ID)
	}
	got, err := s.RecentMessages(ctx, []care.ID{w.conv.ID, second.ID}, 10)
	must(t, err, "RecentMessages")
	var gotIDs []care.ID
	for _, m := range got {
		gotIDs = append(gotIDs, m.ID)
	}
	if d := diff([]care.ID{ids[4], ids[2], ids[1], ids[0]}, gotIDs); d != "" {
		t.Errorf("RecentMessages mismatch (-want +got):\n%s", d)
	}
	got, _ = s.RecentMessages(ctx, []care.ID{w.conv.ID, second.ID}, 2)
	if len(got) != 2 || got[0].ID != ids[4] || got[1].ID != ids[2] {
		t.Errorf("RecentMessages(limit 2) = %+v, want the newest two", got)
	}
	if got, err := s.RecentMessages(ctx, nil, 10); err != nil || len(got) != 0 {
		t.Errorf("RecentMessages(none) = %v, %v", got, err)
	}
	if _, err := s.RecentMessages(ctx, make([]care.ID, 101), 10); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("RecentMessages(101 conversations) = %v, want EINVALID", err)
	}
}

func testCreateTriagedMessage(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "triaged")
	team := mustTeam(t, s, w.ws, "Billing")
	m := &care.Message{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: w.identity.ContactID, Text: "Charged twice!", Status: care.DeliveryReceived,
		CreatedAt: at(time.Minute), SentAt: at(time.Minute)}
	tr := care.ConversationTriage{Language: "en", Mood: care.Mood("negative"), Topics: []string{"billing"}, Priority: 72.5,
		Reasons: []string{"angry", "billing"}, TeamID: &team.ID, Inputs: care.PriorityInputs{Need: 0.8, NeedReason: "angry"}}
	must(t, s.CreateTriagedMessage(ctx, m, &tr), "CreateTriagedMessage")
	c, err := s.Conversation(ctx, w.conv.ID)
	must(t, err, "Conversation")
	if c.MessageCount != 1 || c.WaitingSince == nil || !c.LastActivityAt.Equal(micro(at(time.Minute))) {
		t.Errorf("activity: %+v", c)
	}
	if c.Language != "en" || c.Mood != "negative" || c.Priority != 72.5 || c.TeamID != team.ID ||
		len(c.Topics) != 1 || len(c.PriorityReasons) != 2 || c.PriorityInputs.Need != 0.8 {
		t.Errorf("triage not applied: %+v", c)
	}
	// A second reading does not take the conversation from its team.
	other := mustTeam(t, s, w.ws, "PR")
	tr.TeamID, tr.Priority = &other.ID, 40
	m2 := *m
	m2.ID, m2.CreatedAt = 0, at(2*time.Minute)
	must(t, s.CreateTriagedMessage(ctx, &m2, &tr), "CreateTriagedMessage")
	if c, _ := s.Conversation(ctx, w.conv.ID); c.TeamID != team.ID || c.Priority != 40 || c.MessageCount != 2 {
		t.Errorf("second reading: team %d priority %v count %d", c.TeamID, c.Priority, c.MessageCount)
	}
	// Told what the row holds, the store may leave the running wait and an
	// equal priority out of its update; the row reads the same either way.
	was, err := s.Conversation(ctx, w.conv.ID)
	must(t, err, "Conversation")
	for i, p := range []float64{40, 55} {
		tr.Was, tr.Priority, tr.Mood = was, p, care.Mood("positive")
		m3 := *m
		m3.ID, m3.CreatedAt, m3.SentAt = 0, at(time.Duration(3+i)*time.Minute), at(time.Duration(3+i)*time.Minute)
		must(t, s.CreateTriagedMessage(ctx, &m3, &tr), "CreateTriagedMessage")
		c, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if c.Priority != p || c.Mood != "positive" || c.MessageCount != 3+i || c.WaitingSince == nil || !c.WaitingSince.Equal(*was.WaitingSince) ||
			!c.LastActivityAt.Equal(micro(m3.CreatedAt)) {
			t.Errorf("reading %d with Was: priority %v (want %v) mood %q count %d waiting %v (want %v) activity %v",
				3+i, c.Priority, p, c.Mood, c.MessageCount, c.WaitingSince, was.WaitingSince, c.LastActivityAt)
		}
		was = c
	}
	// The list orders still find it at its new priority and activity.
	openOnly := []care.Status{care.StatusOpen}
	for _, sort := range []care.Sort{care.SortPriority, care.SortNewest} {
		page, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, Statuses: openOnly, Sort: sort, Limit: 10})
		must(t, err, "Conversations")
		if len(page.Conversations) != 1 || page.Conversations[0].Priority != 55 {
			t.Errorf("Conversations(%s) = %+v, want the conversation at priority 55", sort, page.Conversations)
		}
	}
}

func testKnownPlatformIDs(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w, other := mustWorld(t, s, "known"), mustWorld(t, s, "other")
	second := mustConversation(t, s, newConversation(w.inbox, w.identity.ContactID, at(time.Minute)))
	for _, c := range []struct {
		w    world
		conv *care.Conversation
		id   string
	}{{w, w.conv, "m1"}, {w, second, "m2"}, {other, other.conv, "m3"}, {w, w.conv, ""}} {
		mustMessage(t, s, &care.Message{WorkspaceID: c.w.ws.ID, ConversationID: c.conv.ID, InboxID: c.w.inbox.ID, Direction: care.DirectionIn,
			Visibility: care.Public, ContactID: c.w.identity.ContactID, Text: "hi", PlatformID: c.id, Status: care.DeliveryReceived,
			CreatedAt: at(0), SentAt: at(0)})
	}
	ids := []string{"m1", "m3", "nope", "", "m2"}
	for i := range 600 {
		ids = append(ids, fmt.Sprint("x", i)) // more than one chunk
	}
	got, err := s.KnownPlatformIDs(ctx, w.inbox.ID, ids)
	must(t, err, "KnownPlatformIDs")
	if want := map[string]care.ID{"m1": w.conv.ID, "m2": second.ID}; !cmp.Equal(want, got) {
		t.Errorf("KnownPlatformIDs = %v, want %v: m1 and m2 with their conversations (m3 is another inbox's)", got, want)
	}
	if got, err := s.KnownPlatformIDs(ctx, w.inbox.ID, nil); err != nil || len(got) != 0 {
		t.Errorf("KnownPlatformIDs(none) = %v, %v", got, err)
	}
}

func testMessageHidden(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "hidden")
	m := mustMessage(t, s, &care.Message{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, InboxID: w.inbox.ID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: w.identity.ContactID, Text: "spam", PlatformID: "c1", Status: care.DeliveryReceived, CreatedAt: at(0), SentAt: at(0)})
	when := at(time.Minute)
	must(t, s.SetMessageHidden(ctx, m.ID, &when), "SetMessageHidden")
	got, err := s.Message(ctx, m.ID)
	must(t, err, "Message")
	if got.HiddenAt == nil || !got.HiddenAt.Equal(micro(when)) {
		t.Errorf("HiddenAt = %v, want %v", got.HiddenAt, micro(when))
	}
	must(t, s.SetMessageHidden(ctx, m.ID, nil), "SetMessageHidden(nil)")
	if got, _ := s.Message(ctx, m.ID); got.HiddenAt != nil {
		t.Errorf("HiddenAt = %v after showing again, want nil", got.HiddenAt)
	}
	if err := s.SetMessageHidden(ctx, missingID, &when); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("SetMessageHidden(missing) = %v, want ENOTFOUND", err)
	}
}
