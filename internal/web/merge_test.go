package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// An agent finds the same customer under another channel's identity from
// the contact panel and merges them; a supervisor can undo it, an agent
// cannot.
func TestMergeFromPanel(t *testing.T) {
	f := newFixture(t)
	x := f.inboxOn(care.ChannelX, "@acme")
	emailC := f.conversation(f.inbox, "Maya Chen", "Where is my refund?")
	xC := f.conversation(x, "Maya C. on X", "@acme still waiting for my refund")
	f.conversation(f.inbox, "Someone Else", "hello")
	c := f.login()

	_, body := c.get(convPath(emailC, "?merge_q=Maya"))
	if !strings.Contains(body, "Maya C. on X") || strings.Count(body, `action="/c/`+itoa(emailC.ID)+`/merge"`) != 1 {
		t.Fatalf("the panel does not offer exactly the X contact:\n%s", regexpFind(t, body, `(?s)<ul class="candidates">.*?</ul>`))
	}
	_, body = c.get(convPath(emailC, "?merge_q=nobody-like-this"))
	if !strings.Contains(body, "No other contact matches.") {
		t.Errorf("an empty search does not say so")
	}

	res, _ := c.act(convPath(emailC, "/merge"), url.Values{"other": {itoa(xC.ContactID)}})
	back := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(back, "merged=") {
		t.Fatalf("merge answered %d, to %q", res.StatusCode, back)
	}
	if got := f.reload(xC).ContactID; got != emailC.ContactID {
		t.Fatalf("after the merge the X conversation belongs to contact %d, want %d", got, emailC.ContactID)
	}
	_, body = c.get(back)
	// One customer, one history: the X conversation's message is in the
	// email conversation's timeline, marked with where it was written.
	tl := regexpFind(t, body, `(?s)<ol class="timeline".*?</ol>`)
	if !strings.Contains(tl, "still waiting for my refund") || !strings.Contains(tl, `X · open conversation</a>`) {
		t.Errorf("the merged contact's X message is not in the timeline, marked:\n%s", tl)
	}
	if !strings.Contains(body, "Contacts merged") || !strings.Contains(body, "A supervisor can undo it.") {
		t.Errorf("the agent's notice does not say who can undo")
	}
	mergeID := regexp.MustCompile(`merged=(\d+)`).FindStringSubmatch(back)[1]
	if res, _ := c.act(convPath(emailC, "/unmerge"), url.Values{"merge": {mergeID}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an agent's undo answered %d, want 403", res.StatusCode)
	}

	boss := f.user("boss@acme.test", "Boss", care.RoleSupervisor)
	b := f.loginAs(boss)
	_, body = b.get(back)
	if !strings.Contains(body, `action="/c/`+itoa(emailC.ID)+`/unmerge"`) {
		t.Fatalf("a supervisor is not offered Undo")
	}
	if res, _ := b.act(convPath(emailC, "/unmerge"), url.Values{"merge": {mergeID}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo answered %d", res.StatusCode)
	}
	if got := f.reload(xC).ContactID; got == emailC.ContactID {
		t.Errorf("after undo the X conversation still belongs to the merged contact")
	}
	// Another workspace's contact cannot be merged in.
	other := f.conversation(f.inbox2, "Globex customer", "hi")
	if res, _ := c.act(convPath(emailC, "/merge"), url.Values{"other": {itoa(other.ContactID)}}); res.StatusCode < 400 {
		t.Errorf("merging another workspace's contact answered %d", res.StatusCode)
	}
	if got, _ := f.store.Contact(context.Background(), other.ContactID); got == nil || got.WorkspaceID != f.other.ID {
		t.Errorf("the other workspace's contact changed: %+v", got)
	}
}

// A web chat visitor who gave the address of a customer Parley knows by
// email is suggested, not merged: the address is only their word.
func TestSuggestSameEmail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	chatIn := f.inboxOn(care.ChannelWebChat, "Site chat")
	id, _, err := f.store.ResolveIdentity(ctx, f.ws.ID, care.ChannelEmail, care.Author{PlatformUserID: "jane@example.net", DisplayName: "Jane Doe"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	chat, _, err := f.store.ResolveIdentity(ctx, f.ws.ID, care.ChannelWebChat, care.Author{PlatformUserID: "v:abc", DisplayName: "Jane", Handle: "Jane@Example.net"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: f.ws.ID, InboxID: chatIn.ID, Channel: care.ChannelWebChat, ContactID: chat.ContactID, CreatedAt: f.now, LastActivityAt: f.now}
	if err := f.store.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	_, body := f.login().get(convPath(c, ""))
	sug := regexpFind(t, body, `(?s)<div class="suggested">.*?</div>`)
	if !strings.Contains(sug, "Jane Doe") || !strings.Contains(sug, "Email jane@example.net, as given on Web chat") ||
		!strings.Contains(sug, `name="other" value="`+itoa(id.ContactID)+`"`) {
		t.Errorf("suggestion = %s", sug)
	}
	if got := f.reload(c).ContactID; got != chat.ContactID {
		t.Errorf("the visitor was merged without an agent deciding")
	}
}
