package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/x"
)

// TestComposerRules checks that the composer carries its channel's counting
// rules for the script: on the form for the reply's default visibility,
// and on each visibility choice.
func TestComposerRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login()
	tests := []struct {
		ch      care.Channel
		vis     care.Visibility
		form    string // the form's rule
		public  string // the Public choice's rule; "" when there is none
		private string
	}{
		{care.ChannelX, care.Public, `data-channel="x" data-channel-name="X" data-unit="x" data-limit="280" data-hint="Shorten it, or reply in private."`,
			`value="public" checked data-unit="x" data-limit="280"`, `value="private" data-unit="chars" data-limit="10000"`},
		{care.ChannelX, care.Private, `data-unit="chars" data-limit="10000"`, `value="public" data-unit="x" data-limit="280"`, `value="private" checked data-unit="chars"`},
		{care.ChannelSMS, care.Private, `data-channel="sms" data-channel-name="SMS" data-unit="sms" data-limit="1600"`, "", ""},
		{care.ChannelWhatsApp, care.Private, `data-unit="chars" data-limit="4096"`, "", ""},
		{care.ChannelTelegram, care.Private, `data-unit="chars" data-limit="4096"`, `value="public" data-unit="chars" data-limit="4096"`, `value="private" checked`},
		{care.ChannelInstagram, care.Private, `data-unit="bytes" data-limit="1000"`, `value="public" data-unit="chars" data-limit="2200"`, `value="private" checked data-unit="bytes" data-limit="1000"`},
		{care.ChannelFacebook, care.Public, `data-unit="chars" data-limit="8000"`, `value="public" checked data-unit="chars" data-limit="8000"`, `value="private" data-unit="chars" data-limit="2000"`},
		{care.ChannelBluesky, care.Public, `data-unit="graphemes" data-limit="300" data-bytes="3000"`, `data-unit="graphemes" data-limit="300" data-bytes="3000"`, `data-unit="graphemes" data-limit="1000" data-bytes="10000"`},
		{care.ChannelMastodon, care.Public, `data-unit="mastodon" data-limit="500"`, `value="public" checked data-unit="mastodon"`, `value="private" data-unit="mastodon"`},
		{care.ChannelEmail, care.Private, `data-channel-name="Email" data-unit="bytes" data-limit="65536"`, "", ""},
		{care.ChannelReviews, care.Public, `data-channel-name="Google reviews" data-unit="bytes" data-limit="4096"`, "", ""},
		{care.ChannelYouTube, care.Public, `data-channel-name="YouTube" data-unit="chars" data-limit="10000"`, "", ""},
		{care.ChannelWordPress, care.Public, `data-channel-name="WordPress" data-unit="bytes" data-limit="65525"`, "", ""},
		{care.ChannelReddit, care.Public, `data-unit="chars" data-limit="10000"`, `value="public" checked data-unit="chars" data-limit="10000"`, `value="private" data-unit="chars" data-limit="10000"`},
	}
	for _, tt := range tests {
		in := f.inboxOn(tt.ch, string(tt.ch)+" "+string(tt.vis))
		conv := f.conversationOn(in, "Ana", tt.vis, "", "Hello")
		_, body := c.get(convPath(conv, ""))
		form := regexpFind(t, body, `<form class="reply-form"[^>]*>`)
		if !strings.Contains(form, tt.form) {
			t.Errorf("%s %s: reply form %s, want %s", tt.ch, tt.vis, form, tt.form)
		}
		for _, want := range []string{tt.public, tt.private} {
			if want != "" && !strings.Contains(body, want) {
				t.Errorf("%s %s: no visibility choice with %s", tt.ch, tt.vis, want)
			}
		}
		if tt.public == "" && strings.Contains(body, `name="visibility"`) {
			t.Errorf("%s: offers public or private on a channel without both", tt.ch)
		}
		for _, want := range []string{`<span class="counter" id="reply-count"></span>`, `class="count-msg flash error" id="reply-count-msg" role="alert" hidden`,
			`<button type="submit" class="primary send">Send</button>`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the composer lacks %s", tt.ch, want)
			}
		}
	}
}

// TestReplyOverLimit checks what a browser without the script gets: the
// desk's check of the platform's rules refuses an over-long reply with what
// to do, and keeps the draft.
func TestReplyOverLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelX, &x.Adapter{})
	reg.Register(care.ChannelSMS, &sms.Adapter{})
	f.h.Desk.Adapters = reg
	xConv := f.conversationOn(f.inboxOn(care.ChannelX, "@acmehelp"), "Tom", care.Public, "1860000000000000001", "@acmehelp my order?")
	smsConv := f.conversationOn(f.inboxOn(care.ChannelSMS, "+1 555 0100"), "Priya", care.Private, "SM1", "Where is my order?")

	// 100 CJK characters (2 each), a link (23 whatever its length) and
	// Latin text (1 each).
	x280 := strings.Repeat("谢", 100) + " https://acme.com/track/4471?ref=sms " + strings.Repeat("a", 55)
	if n := x.WeightedLength(x280); n != 280 {
		t.Fatalf("test text weighs %d, want 280", n)
	}
	c := f.login()
	tests := []struct {
		name    string
		conv    *care.Conversation
		form    url.Values
		refused string // part of the reason; "" when the reply is taken
		stored  string // the text stored, when taken
	}{
		{"X: 281 weighted characters", xConv, url.Values{"text": {x280 + "b"}, "visibility": {"public"}},
			"The reply is 281 characters as X counts them (links count 23, most Chinese, Japanese and Korean characters and emoji count 2); X allows 280. Shorten it by 1, or answer by DM.", ""},
		{"X: 280 weighted characters", xConv, url.Values{"text": {x280}, "visibility": {"public"}}, "", x280},
		{"X: a DM may be longer", xConv, url.Values{"text": {x280 + x280}, "visibility": {"private"}}, "", x280 + x280},
		{"SMS: 1,601 characters", smsConv, url.Values{"text": {strings.Repeat("a", 1601)}},
			"SMS messages are limited to 1600 characters (an emoji counts as 2); this one has 1601.", ""},
		{"SMS: 800 emoji are 1,600 UTF-16 units", smsConv, url.Values{"text": {strings.Repeat("😀", 800)}}, "", strings.Repeat("😀", 800)},
		{"SMS: 801 emoji", smsConv, url.Values{"text": {strings.Repeat("😀", 801)}}, "this one has 1602", ""},
		{"line breaks are sent as one character", smsConv, url.Values{"text": {"line one\r\nline two\r\n"}}, "", "line one\nline two\n"},
	}
	for _, tt := range tests {
		before := len(f.messages(tt.conv))
		res, body := c.act(convPath(tt.conv, "/reply"), tt.form)
		after := f.messages(tt.conv)
		if tt.refused != "" {
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), tt.refused) {
				t.Errorf("%s: POST reply = %d, want 422 saying %q", tt.name, res.StatusCode, tt.refused)
			}
			if !strings.Contains(body, html.EscapeString(tt.form.Get("text"))+"</textarea>") {
				t.Errorf("%s: the refused draft is not back in the composer", tt.name)
			}
			if len(after) != before {
				t.Errorf("%s: a refused reply was stored", tt.name)
			}
			continue
		}
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: POST reply = %d, want 303", tt.name, res.StatusCode)
		}
		if len(after) != before+1 || after[len(after)-1].Text != tt.stored {
			t.Errorf("%s: stored %q, want %q", tt.name, after[len(after)-1].Text, tt.stored)
		}
	}
}

// On a channel Parley cannot answer, the composer says what to do instead
// and offers notes only.
func TestComposerNoReply(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login()
	for _, ch := range []care.Channel{care.ChannelPhone, care.ChannelFoursquare, care.ChannelBlog} {
		conv := f.conversationOn(f.inboxOn(ch, string(ch)), "Ana", care.Private, "", "Hello")
		_, body := c.get(convPath(conv, ""))
		if strings.Contains(body, `id="reply-form"`) || !strings.Contains(body, `id="no-reply"`) || !strings.Contains(body, `id="note-form"`) {
			t.Errorf("%s: the composer offers a reply, or no notes", ch)
		}
	}
}

func TestCallLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login()
	for _, tc := range []struct {
		ch   care.Channel
		id   string
		want string
	}{
		{care.ChannelPhone, "+14155550123", `href="tel:&#43;14155550123"`},
		{care.ChannelWhatsApp, "14155550123", `href="tel:&#43;14155550123"`},
		{care.ChannelX, "14155550123", ""},
	} {
		in := f.inboxOn(tc.ch, string(tc.ch)+" line")
		id, _, err := f.store.ResolveIdentity(context.Background(), f.ws.ID, tc.ch, care.Author{PlatformUserID: tc.id}, f.now)
		if err != nil {
			t.Fatal(err)
		}
		conv := &care.Conversation{WorkspaceID: f.ws.ID, InboxID: in.ID, Channel: tc.ch, ContactID: id.ContactID, CreatedAt: f.now, LastActivityAt: f.now}
		if err := f.store.CreateConversation(context.Background(), conv); err != nil {
			t.Fatal(err)
		}
		_, body := c.get(convPath(conv, ""))
		got := strings.Contains(body, `class="call"`)
		if got != (tc.want != "") || tc.want != "" && !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: call link present %v, want %q in %s", tc.ch, tc.id, got, tc.want, regexpFind(t, body, `<a class="call"[^>]*>`))
		}
	}
}
