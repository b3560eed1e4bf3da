package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
)

// identity is a contact's identity as the pipeline makes it of an author.
func identity(a mastofake.Account) care.Identity {
	host := a.Domain
	if host == "" {
		host = mastofake.DefaultDomain
	}
	return care.Identity{ID: 1, Platform: care.ChannelMastodon, PlatformUserID: strings.ToLower(a.Username + "@" + host),
		Handle: "@" + a.Username + "@" + host, DisplayName: a.DisplayName}
}

func outbound(x *instance, who mastofake.Account, vis care.Visibility, text, replyTo string) channel.Outbound {
	return channel.Outbound{
		Message:        care.Message{ID: 9, Visibility: vis, Text: text, ReplyToPlatformID: replyTo, Direction: care.DirectionOut},
		Inbox:          x.inbox,
		Contact:        care.Contact{ID: 3, Identities: []care.Identity{identity(who)}},
		IdempotencyKey: "parley-message-9-" + string(vis) + replyTo + text,
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	public := x.fake.Mention(mastofake.Mention{From: anna, Text: "my order is late"})
	unlisted := x.fake.Mention(mastofake.Mention{From: anna, Text: "quietly", Visibility: "unlisted"})
	followers := x.fake.Mention(mastofake.Mention{From: anna, Text: "followers", Visibility: "private"})
	direct := x.fake.Mention(mastofake.Mention{From: anna, Text: "my address is…", Visibility: "direct"})
	local := x.fake.Mention(mastofake.Mention{From: zsc, Text: "hello"})
	quiet := x.inbox
	quiet.Credentials = map[string]string{}
	for k, v := range x.inbox.Credentials {
		quiet.Credentials[k] = v
	}
	quiet.Credentials[CredPublicVisibility] = "unlisted"

	tests := []struct {
		name string
		out  channel.Outbound
		want mastofake.Posted
	}{
		{"public reply to a public post", outbound(x, anna, care.Public, "Sorry! It ships today.", public.StatusID),
			mastofake.Posted{Status: "@anna@example.social Sorry! It ships today.", InReplyToID: public.StatusID, Visibility: "public"}},
		{"public reply to an unlisted post stays unlisted", outbound(x, anna, care.Public, "On it.", unlisted.StatusID),
			mastofake.Posted{Status: "@anna@example.social On it.", InReplyToID: unlisted.StatusID, Visibility: "unlisted"}},
		{"public reply to a followers-only post stays followers-only", outbound(x, anna, care.Public, "On it.", followers.StatusID),
			mastofake.Posted{Status: "@anna@example.social On it.", InReplyToID: followers.StatusID, Visibility: "private"}},
		{"public reply to a direct post stays direct", outbound(x, anna, care.Public, "On it.", direct.StatusID),
			mastofake.Posted{Status: "@anna@example.social On it.", InReplyToID: direct.StatusID, Visibility: "direct"}},
		{"private reply", outbound(x, anna, care.Private, "Could you DM your order number?", direct.StatusID),
			mastofake.Posted{Status: "@anna@example.social Could you DM your order number?", InReplyToID: direct.StatusID, Visibility: "direct"}},
		{"private reply to a public post", outbound(x, anna, care.Private, "Let's take this private.", public.StatusID),
			mastofake.Posted{Status: "@anna@example.social Let's take this private.", InReplyToID: public.StatusID, Visibility: "direct"}},
		{"already mentioned, in another case", outbound(x, anna, care.Public, "Thanks @Anna@Example.Social!", public.StatusID),
			mastofake.Posted{Status: "Thanks @Anna@Example.Social!", InReplyToID: public.StatusID, Visibility: "public"}},
		{"a local customer mentioned without domain", outbound(x, zsc, care.Public, "@zsc hi", local.StatusID),
			mastofake.Posted{Status: "@zsc hi", InReplyToID: local.StatusID, Visibility: "public"}},
		{"a remote customer's username alone is someone else", outbound(x, anna, care.Public, "@anna hi", public.StatusID),
			mastofake.Posted{Status: "@anna@example.social @anna hi", InReplyToID: public.StatusID, Visibility: "public"}},
		{"the inbox's public visibility", func() channel.Outbound {
			o := outbound(x, anna, care.Public, "Hi", public.StatusID)
			o.Inbox = quiet
			return o
		}(), mastofake.Posted{Status: "@anna@example.social Hi", InReplyToID: public.StatusID, Visibility: "unlisted"}},
		{"no message answered: the last inbound", func() channel.Outbound {
			o := outbound(x, anna, care.Private, "Hi again", "")
			o.LastInbound = &care.Message{PlatformID: direct.StatusID, Visibility: care.Private}
			return o
		}(), mastofake.Posted{Status: "@anna@example.social Hi again", InReplyToID: direct.StatusID, Visibility: "direct"}},
		{"nothing to answer", outbound(x, anna, care.Public, "Hello", ""),
			mastofake.Posted{Status: "@anna@example.social Hello", Visibility: "public"}},
	}
	for _, tt := range tests {
		res, err := x.adapter.Send(ctx, tt.out)
		if err != nil {
			t.Errorf("%s: Send = %v", tt.name, err)
			continue
		}
		posted := x.fake.Posted()
		got := posted[len(posted)-1]
		if res.PlatformID != got.ID || res.Status != care.DeliverySent || !strings.HasSuffix(res.RateLimit, "/300 left, resets 10:05:00Z") {
			t.Errorf("%s: result %+v, posted %s", tt.name, res, got.ID)
		}
		if got.Status != tt.want.Status || got.InReplyToID != tt.want.InReplyToID || got.Visibility != tt.want.Visibility || got.IdempotencyKey != idempotencyKey(tt.out.IdempotencyKey) {
			t.Errorf("%s: posted %+v,\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestSendIdempotent: a retried send posts once, with the same id.
func TestSendIdempotent(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	m := x.fake.Mention(mastofake.Mention{From: anna, Text: "hi"})
	out := outbound(x, anna, care.Public, "Hello!", m.StatusID)
	first, err1 := x.adapter.Send(ctx, out)
	again, err2 := x.adapter.Send(ctx, out)
	if err1 != nil || err2 != nil || first.PlatformID == "" || again.PlatformID != first.PlatformID || len(x.fake.Posted()) != 1 {
		t.Errorf("two sends with one key = %+v, %v and %+v, %v; %d posted", first, err1, again, err2, len(x.fake.Posted()))
	}
	long := out
	long.IdempotencyKey = strings.Repeat("k", 300)
	if _, err := x.adapter.Send(ctx, long); err != nil || len(x.fake.Posted()[1].IdempotencyKey) != 64 {
		t.Errorf("a long key: %v, sent as %q", err, x.fake.Posted()[1].IdempotencyKey)
	}
}

func TestSendRefusals(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	m := x.fake.Mention(mastofake.Mention{From: anna, Text: "hi", Visibility: "direct"})
	gone := x.fake.Mention(mastofake.Mention{From: anna, Text: "oops"})
	x.fake.Delete(gone.StatusID)

	noIdentity := outbound(x, anna, care.Private, "hi", m.StatusID)
	noIdentity.Contact.Identities = []care.Identity{{Platform: care.ChannelX, PlatformUserID: "1"}}
	badHandle := outbound(x, anna, care.Private, "hi", m.StatusID)
	badHandle.Contact.Identities[0].Handle, badHandle.Contact.Identities[0].PlatformUserID = "anna", "anna"
	attached := outbound(x, anna, care.Private, "hi", m.StatusID)
	attached.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x.example/a.png"}}
	revoked := outbound(x, anna, care.Private, "hi", m.StatusID)
	revoked.Inbox.Credentials = map[string]string{CredAccessToken: "revoked", CredAPIBase: x.srv.URL}
	noBase := outbound(x, anna, care.Private, "hi", m.StatusID)
	noBase.Inbox.Credentials = map[string]string{CredAccessToken: "t"}

	tests := []struct {
		name      string
		out       channel.Outbound
		permanent bool
		status    int
		reason    string
		refused   bool // this reply's refusal, not the account's
	}{
		{"no identity", noIdentity, true, 0, "no Mastodon identity", false},
		{"not a handle", badHandle, true, 0, "not a user@domain handle", false},
		{"attachments", attached, true, 0, "cannot attach", false},
		{"empty", outbound(x, anna, care.Private, " ", m.StatusID), true, 0, "empty", false},
		{"a note", outbound(x, anna, care.Note, "internal", m.StatusID), true, 0, "only public and private", false},
		{"bad reply id", outbound(x, anna, care.Private, "hi", "../../admin"), true, 0, "no Mastodon post id", false},
		{"public reply to a deleted post", outbound(x, anna, care.Public, "hi", gone.StatusID), true, http.StatusNotFound, "no longer exists", true},
		{"private reply to a deleted post", outbound(x, anna, care.Private, "hi", gone.StatusID), true, http.StatusNotFound, "no longer exists", true},
		{"too long", outbound(x, anna, care.Private, strings.Repeat("a", 600), m.StatusID), true, http.StatusUnprocessableEntity, "Mastodon refused the reply: Validation failed: Text character limit of 500 exceeded", true},
		{"revoked token", revoked, true, http.StatusUnauthorized, "The access token is invalid", false},
		{"no instance", noBase, true, 0, "api_base is required", false},
	}
	for _, tt := range tests {
		_, err := x.adapter.Send(ctx, tt.out)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent != tt.permanent || se.Status != tt.status || !strings.Contains(se.Reason, tt.reason) || se.Refused != tt.refused {
			t.Errorf("%s: Send = %v; want permanent %v, status %d, refused %v, reason with %q", tt.name, err, tt.permanent, tt.status, tt.refused, tt.reason)
		}
	}
	if n := len(x.fake.Posted()); n != 0 {
		t.Errorf("refused sends posted %d statuses", n)
	}
}

func TestSendTemporary(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	ctx := context.Background()
	m := x.fake.Mention(mastofake.Mention{From: anna, Text: "hi", Visibility: "direct"})
	out := outbound(x, anna, care.Private, "hello", m.StatusID)

	x.fake.Throttle(1)
	_, err := x.adapter.Send(ctx, out)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.Status != http.StatusTooManyRequests || se.RetryAfter != 5*time.Minute || se.RateLimit != "0/300 left, resets 10:05:00Z" {
		t.Errorf("throttled send = %v, want temporary until the reset", err)
	}
	x.clock.Add(5 * time.Minute)
	x.fake.FailNext(1)
	if _, err := x.adapter.Send(ctx, out); !errors.As(err, &se) || se.Permanent || se.Status != http.StatusServiceUnavailable {
		t.Errorf("send to a failing instance = %v, want temporary", err)
	}
	if res, err := x.adapter.Send(ctx, out); err != nil || res.PlatformID == "" {
		t.Errorf("send after the failures = %+v, %v", res, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := x.adapter.Send(cancelled, out); !errors.As(err, &se) || se.Permanent {
		t.Errorf("send with a cancelled context = %v, want temporary", err)
	}
}

func TestWithMention(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, user, host, want string }{
		{"hi", "anna", "example.social", "@anna@example.social hi"},
		{"@anna@example.social hi", "anna", "example.social", "@anna@example.social hi"},
		{"hi @ANNA@EXAMPLE.SOCIAL", "anna", "example.social", "hi @ANNA@EXAMPLE.SOCIAL"},
		{"@anna hi", "anna", "example.social", "@anna@example.social @anna hi"},
		{"@zsc hi", "zsc", "mastodon.test", "@zsc hi"},
		{"mail zsc@mastodon.test", "zsc", "mastodon.test", "@zsc@mastodon.test mail zsc@mastodon.test"},
		{"https://mastodon.test/@zsc", "zsc", "mastodon.test", "@zsc@mastodon.test https://mastodon.test/@zsc"},
	}
	for _, tt := range tests {
		if got := withMention(tt.text, tt.user, tt.host, "mastodon.test"); got != tt.want {
			t.Errorf("withMention(%q, %s@%s) = %q, want %q", tt.text, tt.user, tt.host, got, tt.want)
		}
	}
}

func TestNarrower(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b, want string }{
		{"public", "public", "public"}, {"public", "unlisted", "unlisted"}, {"unlisted", "public", "unlisted"},
		{"public", "private", "private"}, {"private", "direct", "direct"}, {"public", "local", "direct"},
	} {
		if got := narrower(tt.a, tt.b); got != tt.want {
			t.Errorf("narrower(%s, %s) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}
