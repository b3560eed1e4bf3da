package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/presence"
)

// An email's subject, or what a comment is on, heads its conversation,
// escaped and without the characters that reorder text; a chat has none.
func TestConversationSubject(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, _, err := f.store.ResolveIdentity(ctx, f.ws.ID, f.inbox.Channel, care.Author{PlatformUserID: "u-mail", DisplayName: "Jane"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: f.ws.ID, InboxID: f.inbox.ID, Channel: f.inbox.Channel, ContactID: id.ContactID,
		Subject: "Order #123 <b>not</b> delivered\u202e", CreatedAt: f.now, LastActivityAt: f.now}
	if err := f.store.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	chat := f.conversation(f.inbox, "Chatty", "hello?")

	cl := f.login()
	_, page := cl.get(convPath(c, ""))
	if !strings.Contains(page, `class="conv-subject"><bdi>Order #123 &lt;b&gt;not&lt;/b&gt; delivered</bdi>`) {
		t.Errorf("the subject is not shown, escaped, in the header:\n%s", excerptAround(page, "conv-title"))
	}
	if strings.Contains(page, "\u202e") {
		t.Error("the subject's right-to-left override reached the page")
	}
	if _, page := cl.get(convPath(chat, "")); strings.Contains(page, "conv-subject") {
		t.Error("a chat without a subject shows a subject line")
	}
}

// excerptAround is a little of page around marker, for failure messages.
func excerptAround(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return "(" + marker + " not found)"
	}
	return page[max(0, i-50):min(len(page), i+400)]
}

// A resolved conversation shows no priority: only open ones are ranked, so
// its last reasons ("SLA due in 29 min") would be stale.
func TestResolvedShowsNoPriority(t *testing.T) {
	f := newFixture(t)
	c := f.conversation(f.inbox, "Done", "thanks, all sorted")
	resolved := care.StatusResolved
	if _, err := f.store.UpdateConversation(context.Background(), c.ID, care.ConversationUpdate{Status: &resolved,
		Priority: ptrTo(18.0), Reasons: &[]string{"refund", "SLA due in 29 min"}}, f.now); err != nil {
		t.Fatal(err)
	}
	cl := f.login()
	for _, path := range []string{convPath(c, ""), "/?status=resolved"} {
		if _, page := cl.get(path); strings.Contains(page, "SLA due in 29 min") || strings.Contains(page, ">P18<") {
			t.Errorf("%s shows a resolved conversation's stale priority", path)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// Colleagues see a viewer's name without the characters that reorder or
// hide text, as every page shows it.
func TestPresenceNamesArePlain(t *testing.T) {
	f := newFixture(t)
	f.h.Presence = &presence.Hub{}
	c := f.conversation(f.inbox, "Ana", "hello?")
	sly := f.user("sly@acme.test", "Sly\u202e\u200b Fox", care.RoleAgent)
	other := f.user("lee@acme.test", "Lee", care.RoleAgent)
	if res, _ := f.loginAs(sly).act(convPath(c, "/presence"), url.Values{"typing": {"1"}, "box": {"reply"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("presence = %d", res.StatusCode)
	}
	_, body := f.loginAs(other).act(convPath(c, "/presence"), nil)
	if !strings.Contains(body, `"name":"Sly Fox"`) || strings.ContainsAny(body, "\u202e\u200b") {
		t.Errorf("viewers = %s, want Sly Fox without hidden characters", body)
	}
}
