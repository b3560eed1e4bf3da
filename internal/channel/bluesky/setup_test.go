package bluesky

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		creds    map[string]string
		external string
		want     string // "" for accepted, else part of the message
		wantDID  string
	}{
		{"handle", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: brandPass}, "", "", ""},
		{"@handle is trimmed", map[string]string{CredIdentifier: " @acme.bsky.social", CredAppPassword: brandPass}, "", "", ""},
		{"email", map[string]string{CredIdentifier: "support@acme.example.com", CredAppPassword: brandPass}, "", "", ""},
		{"DID becomes did and external id", map[string]string{CredIdentifier: brandDID, CredAppPassword: brandPass}, "", "", brandDID},
		{"did given", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: brandPass, CredDID: brandDID}, "", "", brandDID},
		{"local fake over http", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: brandPass, CredAPIBase: "http://127.0.0.1:8123"}, "", "", ""},
		{"no identifier", map[string]string{CredAppPassword: brandPass}, "", "identifier", ""},
		{"bad identifier", map[string]string{CredIdentifier: "acme", CredAppPassword: brandPass}, "", "identifier", ""},
		{"no password", map[string]string{CredIdentifier: "acme.bsky.social"}, "", "App Password", ""},
		{"account password", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: "hunter2hunter2"}, "", "not the account's password", ""},
		{"plain http PDS", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: brandPass, CredAPIBase: "http://pds.example.com"}, "", "https", ""},
		{"bad did", map[string]string{CredIdentifier: "acme.bsky.social", CredAppPassword: brandPass, CredDID: "plc:abc"}, "", "not a DID", ""},
		{"external id of another account", map[string]string{CredIdentifier: brandDID, CredAppPassword: brandPass}, anaDID, "different accounts", ""},
	}
	a := &Adapter{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := &care.Inbox{Channel: care.ChannelBluesky, ExternalID: tt.external, Credentials: tt.creds}
			err := a.Prepare(in)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Prepare = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Fatalf("Prepare = %v, want EINVALID with %q", err, tt.want)
			}
			if err != nil {
				if pw := tt.creds[CredAppPassword]; pw != "" && strings.Contains(err.Error(), pw) {
					t.Errorf("the error repeats the password: %v", err)
				}
				return
			}
			if in.Credentials[CredDID] != tt.wantDID || in.ExternalID != tt.wantDID {
				t.Errorf("did = %q, external id = %q; want %q", in.Credentials[CredDID], in.ExternalID, tt.wantDID)
			}
			if strings.HasPrefix(in.Credentials[CredIdentifier], "@") || strings.HasPrefix(in.Credentials[CredIdentifier], " ") {
				t.Errorf("identifier = %q, not trimmed", in.Credentials[CredIdentifier])
			}
		})
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	ins := (&Adapter{}).Instructions(care.Inbox{Credentials: map[string]string{}}, "https://parley.example.com/webhooks/7")
	var all strings.Builder
	for _, i := range ins {
		if i.Label == "" || i.Value == "" {
			t.Errorf("empty instruction %+v", i)
		}
		all.WriteString(i.Value)
	}
	for _, want := range []string{"App Password", "Allow access to your direct messages", DefaultBaseURL, "25 seconds"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("instructions do not mention %q", want)
		}
	}
	if strings.Contains(all.String(), "webhooks/7") {
		t.Error("instructions show a webhook URL Bluesky has no use for")
	}
}
