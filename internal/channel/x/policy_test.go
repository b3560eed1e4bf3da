package x_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
)

func TestCheckReply(t *testing.T) {
	a := &x.Adapter{}
	deleted := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	mention := &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: "2080765813578191303"}
	dm := &care.Message{Direction: care.DirectionIn, Visibility: care.Private, PlatformID: "2080765901528535096"}
	ours := &care.Message{Direction: care.DirectionOut, Visibility: care.Public, PlatformID: "2080765813578191999"}
	gone := &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: "2080765813578191303", DeletedAt: &deleted}
	apiMsg := &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: "msg-881"}
	tests := []struct {
		name    string
		check   channel.ReplyCheck
		wantErr string // "" for none
	}{
		{"public reply to a mention", channel.ReplyCheck{Visibility: care.Public, Text: "On it!", ReplyTo: mention}, ""},
		{"280 weighted characters", channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("の", 140), ReplyTo: mention}, ""},
		{"281 weighted characters", channel.ReplyCheck{Visibility: care.Public, Text: strings.Repeat("の", 140) + "!", ReplyTo: mention},
			"The reply is 281 characters as X counts them (links count 23, most Chinese, Japanese and Korean characters and emoji count 2); X allows 280. Shorten it by 1, or answer by DM."},
		{"long link counts 23", channel.ReplyCheck{Visibility: care.Public, ReplyTo: mention,
			Text: strings.Repeat("a", 250) + " https://example.com/" + strings.Repeat("p", 300)}, ""},
		{"refused character", channel.ReplyCheck{Visibility: care.Public, Text: "hi\uFEFF", ReplyTo: mention}, "refuses"},
		{"no post to answer", channel.ReplyCheck{Visibility: care.Public, Text: "hi"}, "Answer by DM"},
		{"answering a DM in public", channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: dm, LastInbound: mention}, "is a direct message"},
		{"answering our own post", channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: ours}, "not the brand's own"},
		{"deleted post", channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: gone}, "deleted"},
		{"not an X post", channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: apiMsg}, "not on X"},
		{"attachments", channel.ReplyCheck{Visibility: care.Public, Text: "hi", ReplyTo: mention,
			Attachments: []care.Attachment{{Kind: "image"}}}, "attachments"},
		{"DM", channel.ReplyCheck{Visibility: care.Private, Text: "Hello", ReplyTo: dm}, ""},
		{"DM of 10,000 characters", channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("é", 10000)}, ""},
		{"DM over 10,000 characters", channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("é", 10001)},
			"An X direct message holds at most 10000 characters; this one has 10001. Shorten it by 1, or send it as two messages."},
		{"DM far over 10,000 characters", channel.ReplyCheck{Visibility: care.Private, Text: strings.Repeat("a", 12345)}, "this one has 12345. Shorten it by 2345,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.CheckReply(tt.check)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("CheckReply = %v, want nil", err)
			case tt.wantErr != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.wantErr)):
				t.Errorf("CheckReply = %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	a := &x.Adapter{}
	tests := []struct {
		name     string
		external string
		creds    map[string]string
		wantErr  []string
	}{
		{"webhook", "1111111111111111111", map[string]string{"access_token": "t", "consumer_secret": "s"}, nil},
		{"poll needs no consumer secret", "1111111111111111111", map[string]string{"access_token": "t", "mode": "poll"}, nil},
		{"nothing", "", map[string]string{}, []string{"external_id", "access_token", "consumer_secret"}},
		{"handle instead of id", "@acme", map[string]string{"access_token": "t", "consumer_secret": "s"}, []string{"numeric user id"}},
		{"webhook without secret", "1", map[string]string{"access_token": "t", "mode": "webhook"}, []string{"consumer_secret"}},
		{"unknown mode", "1", map[string]string{"access_token": "t", "consumer_secret": "s", "mode": "stream"}, []string{"credentials.mode"}},
		{"bad api base", "1", map[string]string{"access_token": "t", "consumer_secret": "s", "api_base": "ftp://x"}, []string{"api_base"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.Prepare(&care.Inbox{Channel: care.ChannelX, ExternalID: tt.external, Credentials: tt.creds})
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("Prepare = %v", err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Prepare = %v, want EINVALID", err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(care.ErrorMessage(err), w) {
					t.Errorf("Prepare message %q does not name %q", care.ErrorMessage(err), w)
				}
			}
		})
	}
}

func TestInstructions(t *testing.T) {
	a := &x.Adapter{}
	in := care.Inbox{ExternalID: "1111111111111111111", Credentials: map[string]string{}}
	labels := func(ins []channel.Instruction) map[string]string {
		m := map[string]string{}
		for _, i := range ins {
			m[i.Label] = i.Value
		}
		return m
	}
	got := labels(a.Instructions(in, "https://parley.example.com/webhooks/12"))
	if got["Webhook URL"] != "https://parley.example.com/webhooks/12" {
		t.Errorf("Webhook URL = %q", got["Webhook URL"])
	}
	subs := got["X Activity API subscriptions"]
	for _, s := range []string{"post.mention.create", "post.reply.create", "dm.received", "dm.sent", "1111111111111111111"} {
		if !strings.Contains(subs, s) {
			t.Errorf("subscriptions %q lack %q", subs, s)
		}
	}
	if _, warned := got["Warning"]; warned {
		t.Error("warning for a good URL")
	}
	for _, u := range []string{"http://parley.example.com/webhooks/12", "https://parley.example.com:8443/webhooks/12"} {
		if _, warned := labels(a.Instructions(in, u))["Warning"]; !warned {
			t.Errorf("no warning for %s", u)
		}
	}
	in.Credentials["mode"] = "poll"
	if got := labels(a.Instructions(in, "https://parley.example.com/webhooks/12")); got["Mode"] == "" || got["Webhook URL"] != "" {
		t.Errorf("poll instructions = %v", got)
	}
}

func TestPrepareOAuth1(t *testing.T) {
	a := &x.Adapter{}
	in := &care.Inbox{ExternalID: "1", Credentials: map[string]string{"access_token": "t", "access_token_secret": "s", "mode": "poll"}}
	err := a.Prepare(in)
	for _, want := range []string{"consumer_key", "consumer_secret"} {
		if !strings.Contains(care.ErrorMessage(err), want) {
			t.Errorf("Prepare = %v, want it to name %s", err, want)
		}
	}
	in.Credentials["consumer_key"], in.Credentials["consumer_secret"] = "k", "cs"
	if err := a.Prepare(in); err != nil {
		t.Errorf("Prepare = %v", err)
	}
}
