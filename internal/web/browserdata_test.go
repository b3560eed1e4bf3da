package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// Data for the browser tests.

// replies is a receiver for the API inbox's outbound webhook that accepts
// every reply, or refuses every one with the given status and body.
func replies(t *testing.T, status int, body string) string {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		if body != "" {
			w.Write([]byte(body))
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": fmt.Sprintf("ext-%d", n.Add(1))})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func customer(id, name, handle string, followers int64, text string) apiinbox.Message {
	return apiinbox.Message{ID: id, Visibility: care.Public, Author: apiinbox.Author{ID: "u-" + handle, Name: name, Handle: handle,
		Followers: followers, Verified: followers > 10_000}, Text: text}
}

// demo stores a working morning's conversations on several channels
// straight into the store (only the API inbox takes posts from outside),
// so the screens look as they do in use. It returns how many there are.
func demo(t *testing.T, s *webtest.Server, agent *care.User) int {
	t.Helper()
	ctx, now := context.Background(), time.Now()
	st := s.App.Store
	inboxes := map[care.Channel]*care.Inbox{}
	for ch, name := range map[care.Channel]string{care.ChannelX: "@acmehelp", care.ChannelFacebook: "Acme Store",
		care.ChannelInstagram: "@acme", care.ChannelWhatsApp: "Support +1 555 0100", care.ChannelEmail: "help@acme.example"} {
		in := &care.Inbox{WorkspaceID: s.WorkspaceID, Channel: ch, Name: name, ExternalID: name, Credentials: map[string]string{}}
		if err := st.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		inboxes[ch] = in
	}
	convs := []struct {
		ch        care.Channel
		name      string
		handle    string
		followers int64
		ago       time.Duration
		vis       care.Visibility
		text      string
		reply     string
		tags      []string
		priority  float64
		reasons   []string
		mine      bool
	}{
		{care.ChannelX, "Tom Becker", "tbecker", 152_300, 4 * time.Minute, care.Public,
			"@acmehelp your app logs me out every time I switch tabs. Third time today. Fix it please!", "", []string{"bug", "app"}, 86,
			[]string{"152k followers", "negative", "waiting 4 min"}, false},
		{care.ChannelWhatsApp, "Priya Natarajan", "+44 7700 900123", 0, 17 * time.Minute, care.Private,
			"Hi! I ordered the blue backpack last week and the tracking link hasn't updated since Monday. Can you check? Order 88213", "",
			[]string{"shipping"}, 41, []string{"waiting 17 min"}, true},
		{care.ChannelInstagram, "Lucía Fernández", "luciaf", 3_100, 38 * time.Minute, care.Private,
			"¿Tienen envío a Canarias? No encuentro la información en la web.", "¡Hola Lucía! Sí, enviamos a Canarias en 3–5 días laborables.",
			nil, 0, nil, false},
		{care.ChannelFacebook, "Kenji Watanabe", "kenji.watanabe", 640, 72 * time.Minute, care.Public,
			"Is the winter sale still on? The code WINTER20 says it's expired.", "", []string{"promo"}, 22, []string{"waiting 1 h"}, false},
		{care.ChannelEmail, "Olivia Hart", "olivia.hart@example.net", 0, 3 * time.Hour, care.Private,
			"Hello,\n\nI was charged twice for invoice INV-20931. Could you refund the duplicate payment?\n\nThanks,\nOlivia", "",
			[]string{"billing"}, 64, []string{"refund", "waiting 3 h"}, true},
	}
	for i, c := range convs {
		in := inboxes[c.ch]
		at := now.Add(-c.ago)
		id, _, err := st.ResolveIdentity(ctx, s.WorkspaceID, c.ch, care.Author{PlatformUserID: "demo-" + c.handle, DisplayName: c.name,
			Handle: c.handle, Followers: c.followers, Verified: c.followers > 100_000}, at)
		if err != nil {
			t.Fatal(err)
		}
		conv := &care.Conversation{WorkspaceID: s.WorkspaceID, InboxID: in.ID, Channel: c.ch, ContactID: id.ContactID, CreatedAt: at, LastActivityAt: at}
		if err := st.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		msg := &care.Message{WorkspaceID: s.WorkspaceID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: c.vis,
			ContactID: id.ContactID, Text: c.text, PlatformID: fmt.Sprintf("demo-%d", i), Status: care.DeliveryReceived, CreatedAt: at, SentAt: at}
		if err := st.CreateMessage(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if c.reply != "" {
			at = at.Add(6 * time.Minute)
			out := &care.Message{WorkspaceID: s.WorkspaceID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionOut, Visibility: c.vis,
				AuthorID: agent.ID, AuthorName: agent.Name, Text: c.reply, Status: care.DeliveryRead, CreatedAt: at, SentAt: at}
			if err := st.CreateMessage(ctx, out); err != nil {
				t.Fatal(err)
			}
		}
		u := care.ConversationUpdate{Tags: &c.tags, Priority: &c.priority, Reasons: &c.reasons}
		if c.tags == nil {
			u.Tags = &[]string{}
		}
		if c.mine {
			u.AssigneeID = &agent.ID
		}
		if _, err := st.UpdateConversation(ctx, conv.ID, u, now); err != nil {
			t.Fatal(err)
		}
	}
	return len(convs)
}

// longLines is a message of n numbered lines.
func longLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "line %d\n", i+1)
	}
	return b.String()
}
