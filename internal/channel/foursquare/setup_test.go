package foursquare

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := &care.Inbox{Credentials: map[string]string{CredAPIKey: "fsq3abcdefghijklmnopqrstuvwxyz",
		CredVenues: soho + " = Acme  Soho\n" + brooklyn}}
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if got := in.Credentials[CredVenues]; got != soho+"=Acme Soho, "+brooklyn {
		t.Errorf("venues written back as %q", got)
	}
	for _, tt := range []struct {
		name  string
		edit  func(c map[string]string)
		field string
	}{
		{"no key", func(c map[string]string) { delete(c, CredAPIKey) }, "api_key"},
		{"short key", func(c map[string]string) { c[CredAPIKey] = "abc" }, "api_key"},
		{"key with a newline", func(c map[string]string) { c[CredAPIKey] += "\nX-Evil: 1" }, "api_key"},
		{"no venues", func(c map[string]string) { delete(c, CredVenues) }, "venues"},
		{"poll too often", func(c map[string]string) { c[CredPollMinutes] = "1" }, "poll_minutes"},
		{"poll not a number", func(c map[string]string) { c[CredPollMinutes] = "hourly" }, "poll_minutes"},
		{"bad api_base", func(c map[string]string) { c[CredAPIBase] = "ftp://x" }, "api_base"},
	} {
		c := map[string]string{CredAPIKey: "fsq3abcdefghijklmnopqrstuvwxyz", CredVenues: soho}
		tt.edit(c)
		err := a.Prepare(&care.Inbox{Credentials: c})
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.field) {
			t.Errorf("%s: Prepare = %v, want EINVALID naming %s", tt.name, err, tt.field)
		}
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	in := testInbox("")
	in.Credentials[CredPollMinutes] = "30"
	got := map[string]string{}
	for _, i := range (&Adapter{}).Instructions(in, "https://care.example.com/webhooks/11") {
		got[i.Label] = i.Value
	}
	if got["Places"] != "Acme Soho, Acme Brooklyn" || !strings.Contains(got["Polling"], "every 30 minutes") ||
		!strings.Contains(got["Polling"], "about 2880 calls a month") || !strings.Contains(got["Replies"], "not possible") {
		t.Errorf("Instructions = %v", got)
	}
}

// TestNoReplies: no reply is taken, and one that reaches the outbox
// anyway fails for good, saying why.
func TestNoReplies(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	for _, vis := range []care.Visibility{care.Public, care.Private} {
		if err := a.CheckReply(channel.ReplyCheck{Visibility: vis, Text: "Thanks!"}); care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != NoReply {
			t.Errorf("CheckReply(%s) = %v", vis, err)
		}
	}
	_, err := a.Send(context.Background(), channel.Outbound{})
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Reason != NoReply {
		t.Errorf("Send = %v, want a permanent failure", err)
	}
}
