package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// storedConversation stores a conversation on a channel with one customer
// message, straight into the store (only the API inbox takes posts from
// outside).
func storedConversation(t *testing.T, s *webtest.Server, ch care.Channel, name string, vis care.Visibility, platformID, text string) *care.Conversation {
	t.Helper()
	ctx, now, st := context.Background(), time.Now(), s.App.Store
	in := &care.Inbox{WorkspaceID: s.WorkspaceID, Channel: ch, Name: name + "'s " + string(ch), ExternalID: name + string(ch), Credentials: map[string]string{}}
	if err := st.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	id, _, err := st.ResolveIdentity(ctx, s.WorkspaceID, ch, care.Author{PlatformUserID: "u-" + name, DisplayName: name, Handle: strings.ToLower(name)}, now)
	if err != nil {
		t.Fatal(err)
	}
	conv := &care.Conversation{WorkspaceID: s.WorkspaceID, InboxID: in.ID, Channel: ch, ContactID: id.ContactID, CreatedAt: now, LastActivityAt: now}
	if err := st.CreateConversation(ctx, conv); err != nil {
		t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: s.WorkspaceID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: vis,
		ContactID: id.ContactID, Text: text, PlatformID: platformID, Status: care.DeliveryReceived, CreatedAt: now, SentAt: now}
	if err := st.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	return conv
}

// openConversation opens a conversation page and waits until it is live.
func (b *tab) openConversation(id care.ID) {
	b.t.Helper()
	b.navigate(fmt.Sprintf("/c/%d", id))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete' && window.ParleyCount !== undefined`, 5*time.Second)
}

// TestBrowserCountRules runs the composer's counting rules (count.js) on
// the shared table of cases and compares them with Parley's Go code: X's
// weighted length and SMS segments with the adapters' own functions,
// graphemes and Mastodon's count with the figures of the table.
func TestBrowserCountRules(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	conv := storedConversation(t, s, care.ChannelX, "Tom", care.Public, "1860000000000000001", "hello")
	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.openConversation(conv.ID)

	run := func(fn string, in any, out any) {
		t.Helper()
		data, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		got := eval[string](b, fmt.Sprintf(`JSON.stringify(%s.map(%s))`, data, fn))
		if err := json.Unmarshal([]byte(got), out); err != nil {
			t.Fatalf("decode %s: %v", got, err)
		}
	}

	xs := xCountCases()
	var gotX []int
	run("t => ParleyCount.x(t).length", xs, &gotX)
	for i, text := range xs {
		if want := x.WeightedLength(text); gotX[i] != want {
			t.Errorf("count.js x(%.60q) = %d, x.WeightedLength = %d", text, gotX[i], want)
		}
	}

	type segments struct {
		Encoding   string `json:"encoding"`
		Segments   int    `json:"segments"`
		PerSegment int    `json:"perSegment"`
		Units      int    `json:"units"`
	}
	texts := smsCountCases()
	var gotSMS []segments
	run("ParleyCount.sms", texts, &gotSMS)
	for i, text := range texts {
		enc, n, per, units := sms.Segments(text)
		if diff := cmp.Diff(segments{string(enc), n, per, units}, gotSMS[i]); diff != "" {
			t.Errorf("count.js sms(%.40q) differs from sms.Segments (-go +js):\n%s", text, diff)
		}
	}

	for _, tt := range []struct {
		fn    string
		cases []countCase
	}{
		{"c => ParleyCount.graphemes(c.text)", graphemeCountCases},
		{"c => ParleyCount.mastodon(c.text).length", mastodonCountCases},
	} {
		var got []int
		run(tt.fn, tt.cases, &got)
		for i, c := range tt.cases {
			if got[i] != c.Want {
				t.Errorf("%s on %.40q = %d, want %d", tt.fn, c.Text, got[i], c.Want)
			}
		}
	}
}

// TestBrowserComposer types replies that X and SMS count their own way and
// checks the counter and Send as the agent types.
func TestBrowserComposer(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	xConv := storedConversation(t, s, care.ChannelX, "Tom Becker", care.Public, "1860000000000000001", "@acmehelp where is my order?")
	smsConv := storedConversation(t, s, care.ChannelSMS, "Priya", care.Private, "SM0001", "Hi, any news on order 88213?")

	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.openConversation(xConv.ID)
	counter := func() (string, string, bool) {
		t.Helper()
		v := eval[[]string](b, `(() => { const c = document.getElementById('reply-count');
			return [c.textContent, c.dataset.state, String(document.querySelector('#reply-form .send').disabled)]; })()`)
		return v[0], v[1], v[2] == "true"
	}
	if got, _, _ := counter(); got != "0 / 280" {
		t.Errorf("the empty X reply counts %q, want 0 / 280", got)
	}

	// 100 CJK characters count 2 each, the link 23 whatever its length.
	x280 := strings.Repeat("谢", 100) + " https://acme.com/track/4471?ref=sms " + strings.Repeat("a", 55)
	b.do(chromedp.Focus(chromedp.ID("reply-text")))
	b.keys(x280)
	if got, state, disabled := counter(); got != "280 / 280" || state != "near" || disabled {
		t.Errorf("at 280: counter %q (%s), Send disabled %v; want 280 / 280, near, enabled", got, state, disabled)
	}
	b.keys("b")
	got, state, disabled := counter()
	if got != "281 / 280" || state != "over" || !disabled {
		t.Errorf("at 281: counter %q (%s), Send disabled %v; want 281 / 280, over, disabled", got, state, disabled)
	}
	msg := eval[string](b, `(() => { const m = document.getElementById('reply-count-msg'); return m.hidden ? '' : m.textContent; })()`)
	if !strings.Contains(msg, "Too long by 1: X allows 280") || !strings.Contains(msg, "Shorten it, or reply in private.") {
		t.Errorf("over the limit the composer says %q, want what to do", msg)
	}
	// Ctrl+Enter does not get past it either.
	b.do(chromedp.Focus(chromedp.ID("reply-text")))
	b.keys("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	if got := eval[string](b, `document.getElementById('reply-text').value`); got != x280+"b" {
		t.Fatalf("after Ctrl+Enter over the limit the reply box holds %.40q…", got)
	}

	// A direct message may be longer, in plain characters.
	b.do(chromedp.Click(chromedp.CSS(`input[name=visibility][value=private]`)))
	if got, state, disabled := counter(); got != fmt.Sprintf("%d / 10,000", utf8.RuneCountInString(x280+"b")) || state != "" || disabled {
		t.Errorf("as a DM: counter %q (%s), Send disabled %v; want its characters of 10,000, and enabled", got, state, disabled)
	}
	b.do(chromedp.Click(chromedp.CSS(`input[name=visibility][value=public]`)))
	b.do(chromedp.Focus(chromedp.ID("reply-text")))
	b.keys("\b")
	if _, _, disabled := counter(); disabled {
		t.Fatal("back at 280 Send is still disabled")
	}
	b.do(chromedp.Click(chromedp.CSS(`#reply-form .send`)))
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-out')].some(m => m.textContent.includes('acme.com/track'))`, 5*time.Second)
	msgs, err := s.App.Store.Messages(context.Background(), xConv.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[1].Text != x280 || msgs[1].Visibility != care.Public {
		t.Errorf("stored %d messages, the reply %.40q…; want only the 280-character public reply", len(msgs), msgs[len(msgs)-1].Text)
	}

	// A long answer with a long link: the link counts 23.
	long := "Hi Tom, so sorry about the wait! Your order #4471 left our warehouse this morning and should reach you by Thursday. " +
		"You can follow it here: https://acme.com/track/4471?ref=x-reply-and-a-long-tracking-token If anything is missing or damaged " +
		"when it arrives, reply here and we will make it right the same day. Thanks for your patience, and sorry again!"
	b.do(chromedp.Focus(chromedp.ID("reply-text")))
	b.keys(long)
	if got, _, disabled := counter(); got != fmt.Sprintf("%d / 280", x.WeightedLength(long)) || !disabled {
		t.Errorf("a long reply counts %q, Send disabled %v; want %d / 280, disabled", got, disabled, x.WeightedLength(long))
	}
	b.screenshot("composer-limit-desktop")

	// SMS counts segments: one emoji sends the whole text as UCS-2.
	b.openConversation(smsConv.ID)
	if got, _, _ := counter(); got != "0 segments · 160 left (GSM-7)" {
		t.Errorf("the empty SMS counts %q", got)
	}
	b.do(chromedp.Focus(chromedp.ID("reply-text")))
	b.keys("Your parcel is on its way")
	if got, _, _ := counter(); got != "1 segment · 135 left (GSM-7)" {
		t.Errorf("a GSM-7 SMS counts %q, want 1 segment · 135 left (GSM-7)", got)
	}
	b.keys(" 📦")
	if got, _, disabled := counter(); got != "UCS-2: 1 segment · 42 left" || disabled {
		t.Errorf("an SMS with an emoji counts %q, want UCS-2: 1 segment · 42 left", got)
	}
	b.keys(strings.Repeat(" and more", 5))
	if got, _, _ := counter(); got != "UCS-2: 2 segments · 61 left" {
		t.Errorf("a longer SMS with an emoji counts %q, want UCS-2: 2 segments · 61 left", got)
	}
	if eval[bool](b, `document.querySelector('input[name=visibility]') !== null`) {
		t.Error("SMS offers a public reply")
	}
}

// TestBrowserSavedReply picks a saved reply from the keyboard: it comes
// into the reply box with the customer's first name, and is sent.
func TestBrowserSavedReply(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	in := s.CreateInbox("Website", replies(t, http.StatusOK, ""))
	doc := `{"replies":[
		{"id":1,"name":"Apology","text":"Hi {{contact.first_name}}, this is {{agent.first_name}} from {{workspace.name}}. Sorry about the trouble!"},
		{"id":2,"name":"Opt-out","text":"Reply STOP to opt out.","channels":["sms"]},
		{"id":3,"name":"Sign-off","text":"Best, {{agent.name}}"}]}`
	if _, err := savedreply.Parse([]byte(doc)); err != nil {
		t.Fatal(err)
	}
	if err := s.App.Store.SetSetting(context.Background(), s.WorkspaceID, savedreply.SettingName, []byte(doc), time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Post(in, customer("sr1", "Maya Chen", "mayachen", 480, "My lamp arrived broken."))
	conv := s.Message(in, "sr1").ConversationID

	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.openConversation(conv)
	if got := eval[string](b, `[...document.querySelectorAll('#saved-reply option')].map(o => o.textContent).join('|')`); got != "Saved replies…|Apology|Sign-off" {
		t.Errorf("the picker offers %q, want the replies for this channel", got)
	}

	// s, the first reply, Enter.
	b.press("s")
	if got := eval[string](b, `document.activeElement.id`); got != "saved-reply" {
		t.Fatalf("s focused %q, want the saved replies", got)
	}
	b.press("ArrowDown")
	b.press("Enter")
	want := "Hi Maya, this is Sam from Default workspace. Sorry about the trouble!"
	if got := eval[string](b, `document.getElementById('reply-text').value + '|' + document.activeElement.id`); got != want+"|reply-text" {
		t.Fatalf("after picking a saved reply the reply box holds %q, want %q, focused", got, want)
	}
	b.keys(" A new lamp ships today.")
	b.screenshot("saved-reply-desktop")
	b.do(chromedp.Focus(chromedp.ID("reply-text"))) // the screenshot left it
	b.keys("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-out')].some(m => m.textContent.includes('Hi Maya, this is Sam'))`, 5*time.Second)
	msgs, err := s.App.Store.Messages(context.Background(), conv, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := msgs[len(msgs)-1]; got.Text != want+" A new lamp ships today." || got.Direction != care.DirectionOut {
		t.Errorf("sent %q, want the saved reply and the agent's words", got.Text)
	}
}

// TestBrowserApprovalsPhone works the approvals queue on a phone: a
// supervisor edits and approves one held reply and rejects another with a
// reason; an agent cannot open the page.
func TestBrowserApprovalsPhone(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	sam := s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	s.CreateUser("lee@example.com", "Lee Okafor", password, care.RoleSupervisor)
	in := s.CreateInbox("Website", replies(t, http.StatusOK, ""))
	ctx := context.Background()
	if err := s.App.Store.SetSetting(ctx, s.WorkspaceID, desk.ApprovalSettingName, []byte(`{"roles":["agent"],"sla":"15m"}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	agent := care.Principal{UserID: sam.ID, WorkspaceID: s.WorkspaceID, Role: care.RoleAgent, Name: sam.Name}
	var held []*care.Message
	for i, c := range []struct{ id, name, handle, text, reply string }{
		{"ap1", "Maya Chen", "mayachen", "My order #4471 arrived damaged, the lamp is broken.", "So sorry Maya! We'll refund you right away."},
		{"ap2", "Tom Becker", "tbecker", "When does the winter sale start? I want the blue backpack.", "It starts Monday, we promise the backpack will be in stock!"},
	} {
		s.Post(in, customer(c.id, c.name, c.handle, int64(1000*(i+1)), c.text))
		m, err := s.App.Desk.Reply(ctx, agent, s.Message(in, c.id).ConversationID, desk.Reply{Text: c.reply, Visibility: care.Public})
		if err != nil || m.Status != care.DeliveryPendingApproval {
			t.Fatalf("the agent's reply = %+v, %v; want it held", m, err)
		}
		held = append(held, m)
	}

	b := openTab(t, s, phone)
	b.login("lee@example.com", password)
	if got := eval[string](b, `document.querySelector('.approvals-link').textContent`); got != "Approvals 2" {
		t.Errorf("the navigation says %q, want Approvals 2", got)
	}
	b.noHorizontalScroll("inbox with the approvals link")
	b.do(chromedp.Tap(chromedp.CSS(`.approvals-link`)))
	b.waitFor(`document.body.dataset.page === 'approvals' && document.readyState === 'complete'`, 5*time.Second)
	b.noHorizontalScroll("approvals")
	// A phone browser widens its layout to what overflows, so also check
	// that every control is inside the 390 px.
	controls := `[...document.querySelectorAll('.topbar a, .topbar button, .topbar input, .approval button, .approval textarea, .approval input')]
		.filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > 390).map(e => e.outerHTML.slice(0, 60))`
	if out := eval[[]string](b, controls); len(out) > 0 {
		t.Errorf("controls beyond the phone's width: %q", out)
	}
	if got := eval[int](b, `document.querySelectorAll('.approval').length`); got != 2 {
		t.Fatalf("the queue shows %d replies, want 2", got)
	}
	tappable := `[...document.querySelectorAll('.approval button')].every(e => { const r = e.getBoundingClientRect(); return r.width >= 44 && r.height >= 44; })`
	if !eval[bool](b, tappable) {
		t.Error("an approval button is smaller than 44×44 px on a phone")
	}
	b.screenshot("approvals-phone")

	// Edit the first reply, approve it.
	first, second := fmt.Sprintf("#a%d", held[0].ID), fmt.Sprintf("#a%d", held[1].ID)
	b.do(chromedp.Tap(chromedp.CSS(first + " textarea")))
	b.do(chromedp.Evaluate[chromedp.Void](`(t => t.setSelectionRange(t.value.length, t.value.length))(document.querySelector('` + first + ` textarea'))`))
	b.keys(" A new lamp ships today.")
	b.do(chromedp.Tap(chromedp.CSS(first + " .send")))
	b.waitFor(`location.search === '?done=approved' && document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('.flash.notice').textContent + '|' + document.querySelectorAll('.approval').length + '|' + document.querySelector('.approvals-link').textContent`); got != "Approved: the reply is on its way.|1|Approvals 1" {
		t.Errorf("after approving: %q", got)
	}

	// Reject the second with a reason.
	b.do(chromedp.Tap(chromedp.CSS(second + ` input[name=reason]`)))
	b.keys("Don't promise stock or dates; say we'll check.")
	b.do(chromedp.Tap(chromedp.CSS(second + " button.reject")))
	b.waitFor(`location.search === '?done=rejected' && document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('.approvals-sum').textContent.trim()`); got != "Nothing waits for approval." {
		t.Errorf("after rejecting the queue says %q", got)
	}
	b.noHorizontalScroll("empty approvals")

	approved, err := s.App.Store.Message(ctx, held[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if approved.Text != "So sorry Maya! We'll refund you right away. A new lamp ships today." ||
		(approved.Status != care.DeliveryQueued && approved.Status != care.DeliverySent && approved.Status != care.DeliveryDelivered) {
		t.Errorf("the approved reply is %s with %q, want it sent with the edit", approved.Status, approved.Text)
	}
	rejected, err := s.App.Store.Message(ctx, held[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rejected.Status != care.DeliveryRejected || rejected.StatusReason != "Don't promise stock or dates; say we'll check." {
		t.Errorf("the rejected reply is %s (%q), want rejected with the reason", rejected.Status, rejected.StatusReason)
	}

	// The author sees why, in the conversation; the queue is not theirs.
	// On a phone Sign out is in the top bar's menu.
	b.do(chromedp.Tap(chromedp.ID("nav-toggle")), chromedp.Tap(chromedp.CSS(`form[action="/logout"] button`)))
	b.waitFor(`document.body.dataset.page === 'login'`, 5*time.Second)
	b.login("sam@example.com", password)
	if eval[bool](b, `document.querySelector('.approvals-link') !== null`) {
		t.Error("an agent's navigation links to the approvals page")
	}
	b.openConversation(held[1].ConversationID)
	if got := eval[string](b, `document.querySelector('.delivery.dl-rejected').textContent.trim()`); got != "Rejected: Don't promise stock or dates; say we'll check." {
		t.Errorf("the rejected reply shows %q", got)
	}
	b.navigate("/approvals")
	b.waitFor(`document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, `document.body.dataset.page + ': ' + document.querySelector('.flash.error').textContent`); got != "error: Only supervisors and admins approve replies." {
		t.Errorf("an agent opening /approvals gets %q, want the refusal", got)
	}
}
