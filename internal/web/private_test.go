package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestTakePrivateAndModerate(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Ana", "Your app lost my order, again!")
	post := f.messages(conv)[0]
	c := f.login()
	_, body := c.get(convPath(conv, ""))
	if !strings.Contains(body, "Take it private") || !strings.Contains(body, "/messages/"+itoa(post.ID)+"/private") {
		t.Fatal("a customer's public message offers no way to take it private")
	}
	if strings.Contains(body, `value="hide"`) {
		t.Error("moderation is offered on a channel that cannot moderate")
	}

	res, _ := c.act(convPath(conv, "/messages/")+itoa(post.ID)+"/private", url.Values{
		"public_text":  {"Sorry about this! We've sent you a private message."},
		"private_text": {"Could you share your order number?"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST take private = %d, want 303", res.StatusCode)
	}
	ms := f.messages(conv)
	if len(ms) != 3 || ms[1].Visibility != care.Public || ms[2].Visibility != care.Private || ms[1].ReplyToPlatformID != post.PlatformID {
		t.Fatalf("messages after take private = %+v", ms)
	}
	got, _ := f.store.Conversation(t.Context(), conv.ID)
	if !strings.Contains(strings.Join(got.Tags, ","), care.TagTakenPrivate) {
		t.Errorf("tags = %v, want %s", got.Tags, care.TagTakenPrivate)
	}

	// Refusals come back with the reason, and store nothing.
	res, body = c.act(convPath(conv, "/messages/")+itoa(post.ID)+"/private", url.Values{"public_text": {"ok"}, "private_text": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The message is empty.") {
		t.Errorf("take private with an empty message = %d", res.StatusCode)
	}
	res, body = c.act(convPath(conv, "/messages/")+itoa(post.ID)+"/moderate", url.Values{"action": {"hide"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be moderated") {
		t.Errorf("moderate on the API channel = %d, want 422 saying it cannot be moderated", res.StatusCode)
	}
	if n := len(f.messages(conv)); n != 3 {
		t.Errorf("%d messages after refusals, want 3", n)
	}
	if res, _ := c.act(convPath(conv, "/messages/abc/private"), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("take private of a bad id = %d, want 404", res.StatusCode)
	}
}

func TestAssignToColleague(t *testing.T) {
	f := newFixture(t)
	lee, _, err := accounts.CreateUser(t.Context(), f.store, f.ws.ID, "lee@acme.test", "Lee <Supervisor>", care.RoleSupervisor, "", f.now)
	if err != nil {
		t.Fatal(err)
	}
	conv := f.conversation(f.inbox, "Ana", "Hello")
	c := f.login()
	_, body := c.get(convPath(conv, ""))
	if !strings.Contains(body, `name="assignee" value="`+itoa(lee.ID)+`"`) || !strings.Contains(body, "Lee &lt;Supervisor&gt;") {
		t.Fatal("the Assign menu does not offer the colleague, escaped")
	}
	// A disabled colleague is not offered: they cannot sign in to answer.
	gone, _, err := accounts.CreateUser(t.Context(), f.store, f.ws.ID, "kim@acme.test", "Kim Gone", care.RoleAgent, "", f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetUserDisabled(t.Context(), gone.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, body := c.get(convPath(conv, "")); strings.Contains(body, "Kim Gone") {
		t.Error("the Assign menu offers a disabled account")
	}
	if res, _ := c.act(convPath(conv, "/assign"), url.Values{"assignee": {itoa(lee.ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign to a colleague = %d", res.StatusCode)
	}
	if got := f.reload(conv); got.AssigneeID != lee.ID {
		t.Errorf("assignee = %d, want %d", got.AssigneeID, lee.ID)
	}
	// Someone outside the workspace cannot be given the conversation.
	if res, _ := c.act(convPath(conv, "/assign"), url.Values{"assignee": {"999999"}}); res.StatusCode == http.StatusSeeOther {
		t.Error("assigning to a stranger succeeded")
	}
	if got := f.reload(conv); got.AssigneeID != lee.ID {
		t.Errorf("after the refused assignment the assignee is %d", got.AssigneeID)
	}
}

// Whoever assigns by hand sees who is there and who has room: the Assign
// menu lists online colleagues first, the least loaded first, with their
// load of this kind of work, and says who is full.
func TestAssignMenuShowsLoad(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	person := func(email, name string, p care.Presence, capacity int) care.ID {
		u, _, err := accounts.CreateUser(ctx, f.store, f.ws.ID, email, name, care.RoleAgent, "", f.now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.UpdateAgent(ctx, f.ws.ID, u.ID, care.AgentUpdate{Presence: &p,
			Capacity: map[care.WorkKind]int{care.WorkSocial: capacity}}, f.now); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	busy := person("busy@acme.test", "Busy Bee", care.PresenceOnline, 1)
	person("free@acme.test", "Free Fay", care.PresenceOnline, 4)
	person("gone@acme.test", "Off Otto", care.PresenceOffline, 4)
	held := f.conversation(f.inbox, "Ana", "Hello")
	if _, err := f.store.ClaimConversation(ctx, held.ID, busy, f.now); err != nil {
		t.Fatal(err)
	}
	conv := f.conversation(f.inbox, "Ben", "Hi there")
	_, body := f.login().get(convPath(conv, ""))
	menu := body[strings.Index(body, `id="assign-menu"`):]
	menu = menu[:strings.Index(menu, "</details>")]
	fay, bee, otto := strings.Index(menu, "Free Fay"), strings.Index(menu, "Busy Bee"), strings.Index(menu, "Off Otto")
	if fay < 0 || bee < 0 || otto < 0 || !(fay < bee && bee < otto) {
		t.Fatalf("Assign menu order: Fay %d, Bee %d, Otto %d; want the online one with room, the full one, then the offline one:\n%s", fay, bee, otto, menu)
	}
	for _, want := range []string{"online · 0 of 4 social", "online · 1 of 1 social</small> <small class=\"load\">· full", "offline · 0 of 4 social"} {
		if !strings.Contains(menu, want) {
			t.Errorf("Assign menu lacks %q:\n%s", want, menu)
		}
	}
}

// modFake is a platform that hides comments.
type modFake struct{}

func (modFake) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}
func (modFake) Moderate(context.Context, care.Inbox, string, channel.ModerationAction) error {
	return nil
}

// A hidden comment says so, and offers Unhide instead of Hide.
func TestHiddenComment(t *testing.T) {
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelFacebook, modFake{})
	f.h.Desk.Adapters = reg
	conv := f.conversationOn(f.inboxOn(care.ChannelFacebook, "Page"), "Ana", care.Public, "c_1", "Buy cheap followers at spam.example")
	c := f.login()
	_, body := c.get(convPath(conv, ""))
	if !strings.Contains(body, `value="hide"`) || strings.Contains(body, `value="unhide"`) || strings.Contains(body, "b-hidden") {
		t.Fatal("a shown comment should offer Hide only")
	}
	id := f.messages(conv)[0].ID
	if res, _ := c.act(convPath(conv, "/messages/")+itoa(id)+"/moderate", url.Values{"action": {"hide"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide = %d", res.StatusCode)
	}
	_, body = c.get(convPath(conv, ""))
	if strings.Contains(body, `value="hide"`) || !strings.Contains(body, `value="unhide"`) || !strings.Contains(body, `class="badge b-hidden"`) {
		t.Errorf("a hidden comment should say so and offer Unhide only")
	}
}
