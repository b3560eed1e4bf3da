package phone

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := &care.Inbox{Channel: care.ChannelPhone}
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare of an empty inbox: %v", err)
	}
	s := in.Credentials[CredWebhookSecret]
	if !strings.HasPrefix(s, "whsec_") || len(s) != 6+64 || !hexDigits(s[6:], 64) {
		t.Fatalf("generated secret %q", s)
	}
	other := &care.Inbox{}
	if a.Prepare(other); other.Credentials[CredWebhookSecret] == s {
		t.Error("two inboxes got the same secret")
	}
	// Prepare keeps what the admin gave.
	if err := a.Prepare(in); err != nil || in.Credentials[CredWebhookSecret] != s {
		t.Errorf("second Prepare = %v, secret %q", err, in.Credentials[CredWebhookSecret])
	}
	for _, tt := range []struct {
		name  string
		creds map[string]string
		field string // "" when valid
	}{
		{"own secret", map[string]string{CredWebhookSecret: strings.Repeat("k", 24)}, ""},
		{"twilio", map[string]string{CredTwilioAuthToken: strings.Repeat("a", 32), CredTwilioAccountSID: "AC" + strings.Repeat("0", 32)}, ""},
		{"short secret", map[string]string{CredWebhookSecret: "short"}, "webhook_secret"},
		{"secret with a space", map[string]string{CredWebhookSecret: strings.Repeat("k", 24) + " x"}, "webhook_secret"},
		{"token of the wrong shape", map[string]string{CredTwilioAuthToken: "not-a-token"}, "twilio_auth_token"},
		{"account of the wrong shape", map[string]string{CredTwilioAccountSID: "MG" + strings.Repeat("0", 32)}, "twilio_account_sid"},
	} {
		in := &care.Inbox{Credentials: tt.creds}
		err := a.Prepare(in)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: Prepare = %v", tt.name, err)
		case tt.field != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.field)):
			t.Errorf("%s: Prepare = %v, want EINVALID naming %s", tt.name, err, tt.field)
		}
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	const hook = "https://care.example.com/webhooks/9"
	in := testInbox()
	got := map[string]string{}
	for _, i := range (&Adapter{}).Instructions(in, hook) {
		got[i.Label] = i.Value
	}
	if got["Webhook URL (POST, Content-Type: application/json)"] != hook || got["Signing secret"] != testSecret ||
		got["Twilio status callback URL (HTTP POST; events: completed)"] != hook {
		t.Errorf("Instructions = %v", got)
	}
	delete(in.Credentials, CredTwilioAuthToken)
	for _, i := range (&Adapter{}).Instructions(in, hook) {
		if strings.HasPrefix(i.Label, "Twilio") && !strings.Contains(i.Value, "twilio_auth_token") {
			t.Errorf("without a token, %q = %q", i.Label, i.Value)
		}
	}
}
