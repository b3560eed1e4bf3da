package webchat

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestPrepare(t *testing.T) {
	a := &Adapter{}
	in := &care.Inbox{ID: 12, Name: "Shop", Channel: care.ChannelWebChat, Credentials: map[string]string{
		CredOrigins: "HTTPS://Shop.Example.com/\nhttps://*.example.org", CredColor: "#0A7D55", CredTitle: "  Help  ", CredGreeting: " "}}
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	c := in.Credentials
	if len(c[CredSecret]) != 43 {
		t.Errorf("generated secret %q, want 43 base64url characters", c[CredSecret])
	}
	want := map[string]string{CredOrigins: "https://shop.example.com, https://*.example.org", CredColor: "#0a7d55", CredTitle: "Help", CredSecret: c[CredSecret]}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("credentials after Prepare (-want +got):\n%s", diff)
	}
	first := c[CredSecret]
	if err := a.Prepare(in); err != nil || in.Credentials[CredSecret] != first {
		t.Errorf("Prepare again = %v, secret %q; want the secret kept", err, in.Credentials[CredSecret])
	}
	other := &care.Inbox{Credentials: nil}
	if err := a.Prepare(other); err != nil || other.Credentials[CredSecret] == first {
		t.Errorf("Prepare of a bare inbox = %v; want its own secret", err)
	}

	bad := []*care.Inbox{
		{ExternalID: "x", Credentials: map[string]string{}},
		{Credentials: map[string]string{CredOrigins: "*"}},
		{Credentials: map[string]string{CredColor: "blue"}},
		{Credentials: map[string]string{CredSecret: "too short"}},
	}
	for _, in := range bad {
		if err := a.Prepare(in); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("Prepare(%+v) = %v, want EINVALID", in, err)
		}
	}
}

func TestInstructions(t *testing.T) {
	a := &Adapter{}
	in := care.Inbox{ID: 12, Channel: care.ChannelWebChat, Credentials: map[string]string{CredSecret: strings.Repeat("s", 43), CredOrigins: "https://shop.example.com"}}
	got := a.Instructions(in, "https://care.example.net/webhooks/12")
	want := []channel.Instruction{
		{Label: "Add to every page, before </body>", Value: `<script src="https://care.example.net/chat/widget.js" data-inbox="12" async></script>`},
		{Label: "Allowed page origins", Value: "https://shop.example.com"},
		{Label: "If your site sends a Content-Security-Policy, allow", Value: "script-src https://care.example.net; connect-src wss://care.example.net"},
		{Label: "Replies to visitors who left an email", Value: "shown in the widget when they come back; set smtp_host and from to email them too"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions (-want +got):\n%s", diff)
	}
	delete(in.Credentials, CredOrigins)
	got = a.Instructions(in, "http://127.0.0.1:8080/webhooks/12")
	if !strings.HasPrefix(got[1].Value, "none yet") || got[2].Value != "script-src http://127.0.0.1:8080; connect-src ws://127.0.0.1:8080" {
		t.Errorf("Instructions without origins, over http = %+v", got)
	}
	in.Credentials[CredSMTPHost], in.Credentials[CredFrom] = "smtp.example.com:587", "Acme <help@acme.example>"
	got = a.Instructions(in, "https://care.example.net/webhooks/12")
	if want := "emailed from Acme <help@acme.example> through smtp.example.com:587 when no widget showed them within 2 minutes, and shown in the widget when they come back"; got[3].Value != want {
		t.Errorf("Instructions with SMTP settings: %q, want %q", got[3].Value, want)
	}
}

func TestPrepareMail(t *testing.T) {
	refused := care.Errorf(care.EINVALID, "credentials.smtp_tls must be tls, starttls or none.")
	tests := []struct {
		name  string
		check func(care.Inbox) error
		creds map[string]string
		code  string
	}{
		{"no SMTP settings", nil, map[string]string{}, ""},
		{"server and sender", nil, map[string]string{CredSMTPHost: "smtp.example.com:587", CredFrom: "help@acme.example"}, ""},
		{"a login without a server", nil, map[string]string{CredSMTPUser: "help@acme.example"}, care.EINVALID},
		{"a server without a sender", nil, map[string]string{CredSMTPHost: "smtp.example.com:587"}, care.EINVALID},
		{"settings the check refuses", func(care.Inbox) error { return refused }, map[string]string{CredSMTPHost: "smtp.example.com:587", CredFrom: "help@acme.example"}, care.EINVALID},
		{"settings the check takes", func(care.Inbox) error { return nil }, map[string]string{CredSMTPHost: "smtp.example.com:587"}, ""},
	}
	for _, tt := range tests {
		err := (&Adapter{CheckSMTP: tt.check}).Prepare(&care.Inbox{Credentials: tt.creds})
		if care.ErrorCode(err) != tt.code {
			t.Errorf("%s: Prepare = %v, want code %q", tt.name, err, tt.code)
		}
	}
}
