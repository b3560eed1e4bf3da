package meta_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
)

func TestCheckReply(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	dm := func(age time.Duration) *care.Message {
		return &care.Message{Direction: care.DirectionIn, Visibility: care.Private, PlatformID: "m_1", SentAt: now.Add(-age)}
	}
	comment := func(id string, age time.Duration) *care.Message {
		return &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: id, SentAt: now.Add(-age)}
	}
	deletedAt := now.Add(-time.Minute)
	gone := func(c *care.Message) *care.Message {
		c.DeletedAt = &deletedAt
		return c
	}
	ours := &care.Message{Direction: care.DirectionOut, Visibility: care.Public, PlatformID: "55_9"}
	img := []care.Attachment{{Kind: "image", URL: "https://example.com/a.png"}}
	tests := []struct {
		name    string
		a       channel.Policy
		c       channel.ReplyCheck
		wantErr string // "" means accepted
	}{
		{"dm within 24h", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: dm(time.Hour), LastInbound: dm(time.Hour)}, ""},
		{"dm within 7 days (human agent)", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", LastInbound: dm(3 * 24 * time.Hour)}, ""},
		{"dm after 7 days", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", LastInbound: dm(8 * 24 * time.Hour)}, "7 days"},
		{"dm, customer never wrote", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi"}, "has not written"},
		{"messenger 2000 characters", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("é", 2000), LastInbound: dm(0)}, ""},
		{"messenger 2001 characters", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("a", 2001), LastInbound: dm(0)},
			"Messenger messages are limited to 2000 characters; this one has 2001. Shorten it by 1, or send it as two messages."},
		{"messenger counts characters, not bytes", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("é", 2345), LastInbound: dm(0)},
			"this one has 2345. Shorten it by 345, or send it as two messages."},
		{"instagram 1000 bytes", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("a", 1000), LastInbound: dm(0)}, ""},
		{"instagram 501 two-byte characters", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("é", 501), LastInbound: dm(0)},
			"Instagram messages are limited to 1000 bytes; this one has 1002. Shorten it by 2 bytes (an accented letter takes 2, an emoji 4), or send it as two messages."},
		{"instagram 1206 bytes", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("a", 1202) + "👍", LastInbound: dm(0)},
			"this one has 1206. Shorten it by 206 bytes"},
		{"attachment alone", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Attachments: img, LastInbound: dm(0)}, ""},
		{"text and attachment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "see", Attachments: img, LastInbound: dm(0)}, "separate messages"},
		{"private reply to a comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: comment("55_1", 6*24*time.Hour)}, ""},
		{"private reply to an old comment", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: comment("178", 8*24*time.Hour)}, "7 days old"},
		{"private reply to our own comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: ours}, "customer's comment"},
		{"private reply to a deleted comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: gone(comment("55_1", time.Hour)), LastInbound: dm(time.Hour)},
			"The customer deleted this comment, so Meta allows no private reply to it. Reply privately to another of their comments, or to a message they sent the Page."},
		{"instagram private reply to a deleted comment", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: gone(comment("178", time.Hour))},
			"or to a message they sent the Instagram account."},
		{"a deleted direct message does not stop a message", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: gone(dm(time.Hour)), LastInbound: dm(time.Hour)}, ""},
		{"private reply to a mention", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Private, Text: "hi", ReplyTo: comment("mention:1:2", time.Hour)}, "mention"},
		{"public reply to a comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: comment("55_1", 30*24*time.Hour)}, ""},
		{"public reply to our own comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: ours}, ""},
		{"public reply to a deleted comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: gone(comment("5002_900010", time.Hour))},
			"The customer deleted the comment you are answering, so Facebook will not take a reply to it. Reply to another of their comments, or in private to a message they sent the Page."},
		{"instagram public reply to a deleted comment", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: gone(comment("178", time.Hour))},
			"The customer deleted the comment you are answering, so Instagram will not take a reply to it. Reply to another of their comments, or in private to a message they sent the Instagram account."},
		{"public reply to a deleted caption mention", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: gone(comment("mention:1", time.Hour))}, "deleted the post you are answering"},
		{"public reply to a deleted comment mention", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: gone(comment("mention:1:2", time.Hour))}, "deleted the comment you are answering"},
		{"deleted is said before length", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("a", 9000), ReplyTo: gone(comment("55_1", 0))}, "deleted the comment"},
		{"public reply without a comment", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi"}, "answers a comment"},
		{"public reply to a dm", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: dm(0)}, "answers a comment"},
		{"public reply to a mention", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: comment("mention:1:2", 0)}, ""},
		{"facebook comment with an image", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", Attachments: img, ReplyTo: comment("55_1", 0)}, ""},
		{"instagram comment with an image", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: "hi", Attachments: img, ReplyTo: comment("178", 0)}, "attachments"},
		{"instagram comment too long", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("a", 2201), ReplyTo: comment("178", 0)},
			"Instagram comments are limited to 2200 characters; this reply has 2201. Shorten it by 1, or split it into two replies."},
		{"facebook comment too long", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("é", 8500), ReplyTo: comment("55_1", 0)},
			"Facebook comments are limited to 8000 characters; this reply has 8500. Shorten it by 500, or split it into two replies."},
		{"facebook comment of 8000 characters", &meta.Messenger{}, channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("é", 8000), ReplyTo: comment("55_1", 0)}, ""},
		{"note", &meta.Instagram{}, channel.ReplyCheck{Visibility: care.Note, Text: strings.Repeat("a", 9000)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.Now = now
			err := tt.a.CheckReply(tt.c)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.wantErr != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.wantErr)):
				t.Errorf("CheckReply = %v, want %s naming %q", err, care.EINVALID, tt.wantErr)
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	full := func() map[string]string {
		return map[string]string{meta.CredAppSecret: "s", meta.CredPageAccessToken: "t", meta.CredAppID: "42"}
	}
	for _, a := range adapters() {
		in := &care.Inbox{ExternalID: "1001", Credentials: full()}
		if err := a.Prepare(in); err != nil {
			t.Fatalf("%T.Prepare: %v", a, err)
		}
		tok := in.Credentials[meta.CredVerifyToken]
		if len(tok) < 20 {
			t.Errorf("%T.Prepare generated verify token %q, want a long random one", a, tok)
		}
		if err := a.Prepare(in); err != nil || in.Credentials[meta.CredVerifyToken] != tok {
			t.Errorf("%T.Prepare replaced an existing verify token", a)
		}
		labels := map[string]string{}
		for _, ins := range a.Instructions(*in, "https://parley.example/webhooks/7") {
			labels[ins.Label] = ins.Value
		}
		if labels["Callback URL"] != "https://parley.example/webhooks/7" || labels["Verify token"] != tok || !strings.Contains(labels["Webhook fields to subscribe"], "messages") {
			t.Errorf("%T.Instructions = %v", a, labels)
		}
		bad := []struct {
			name   string
			mutate func(*care.Inbox)
		}{
			{"no external id", func(in *care.Inbox) { in.ExternalID = "" }},
			{"external id not numeric", func(in *care.Inbox) { in.ExternalID = "acme" }},
			{"no app secret", func(in *care.Inbox) { delete(in.Credentials, meta.CredAppSecret) }},
			{"no token", func(in *care.Inbox) { delete(in.Credentials, meta.CredPageAccessToken) }},
			{"app id not numeric", func(in *care.Inbox) { in.Credentials[meta.CredAppID] = "x" }},
			{"api base not a URL", func(in *care.Inbox) { in.Credentials[meta.CredAPIBase] = "ftp://x" }},
		}
		for _, b := range bad {
			in := &care.Inbox{ExternalID: "1001", Credentials: full()}
			b.mutate(in)
			if err := a.Prepare(in); care.ErrorCode(err) != care.EINVALID {
				t.Errorf("%T.Prepare with %s = %v, want %s", a, b.name, err, care.EINVALID)
			}
		}
	}
	in := &care.Inbox{ExternalID: "17841400000000001", Credentials: map[string]string{meta.CredAppSecret: "s", meta.CredAccessToken: "t"}}
	if err := (&meta.Instagram{}).Prepare(in); err != nil {
		t.Errorf("Instagram.Prepare with access_token: %v", err)
	}
}
