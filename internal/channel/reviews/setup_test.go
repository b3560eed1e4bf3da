package reviews

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	in := g.inbox
	in.ExternalID = " " + g.fake.Location + " "
	in.Credentials[CredClientSecret] = " " + in.Credentials[CredClientSecret] + "\n"
	if err := g.adapter.Prepare(&in); err != nil {
		t.Fatalf("Prepare = %v", err)
	}
	if in.ExternalID != g.fake.Location || strings.TrimSpace(in.Credentials[CredClientSecret]) != in.Credentials[CredClientSecret] {
		t.Errorf("prepared inbox = %q, %q", in.ExternalID, in.Credentials)
	}

	for _, tc := range []struct {
		name   string
		change func(*care.Inbox)
		code   string
		says   string
	}{
		{"no location", func(in *care.Inbox) { in.ExternalID = "" }, care.EINVALID, "external_id is required"},
		{"not a location", func(in *care.Inbox) { in.ExternalID = "locations/123" }, care.EINVALID, "accounts/{accountId}/locations/{locationId}"},
		{"path in the location", func(in *care.Inbox) { in.ExternalID = "accounts/1/locations/../x" }, care.EINVALID, "external_id"},
		{"no client id", func(in *care.Inbox) { delete(in.Credentials, CredClientID) }, care.EINVALID, "client_id is required"},
		{"no refresh token", func(in *care.Inbox) { in.Credentials[CredRefreshToken] = " " }, care.EINVALID, "refresh_token is required"},
		{"spaces in a secret", func(in *care.Inbox) { in.Credentials[CredClientSecret] = "two words" }, care.EINVALID, "without spaces"},
		{"bad token url", func(in *care.Inbox) { in.Credentials[CredTokenURL] = "ftp://x" }, care.EINVALID, "token_url"},
		{"bad api base", func(in *care.Inbox) { in.Credentials[CredAPIBase] = "https://x/?q" }, care.EINVALID, "api_base"},
		{"import days", func(in *care.Inbox) { in.Credentials[CredImportDays] = "31" }, care.EINVALID, "import_days"},
		{"poll seconds", func(in *care.Inbox) { in.Credentials[CredPollSeconds] = "1" }, care.EINVALID, "poll_seconds"},
		{"refused grant", func(in *care.Inbox) { in.Credentials[CredRefreshToken] = "revoked" }, care.EINVALID, "connect the account again"},
		{"other location", func(in *care.Inbox) { in.ExternalID = "accounts/1/locations/2" }, care.EINVALID, "owner or manager"},
		{"unreachable", func(in *care.Inbox) { in.Credentials[CredAPIBase] = "http://127.0.0.1:1" }, care.EUNAVAILABLE, "Could not reach Google"},
	} {
		in := newGoogle(t).inbox
		in.Credentials[CredTokenURL], in.Credentials[CredAPIBase] = g.inbox.Credentials[CredTokenURL], g.inbox.Credentials[CredAPIBase]
		tc.change(&in)
		err := g.adapter.Prepare(&in)
		if care.ErrorCode(err) != tc.code || !strings.Contains(care.ErrorMessage(err), tc.says) {
			t.Errorf("%s: Prepare = %v, want %s saying %q", tc.name, err, tc.code, tc.says)
		}
	}

	g.fake.SetVerified(false)
	in = g.inbox
	if err := g.adapter.Prepare(&in); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "not verified") {
		t.Errorf("Prepare of an unverified location = %v", err)
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := testInbox()
	got := map[string]string{}
	for _, i := range a.Instructions(in, "https://parley.example/webhooks/7") {
		got[i.Label] = i.Value
	}
	if got["Location"] != testLocation || !strings.Contains(got["Refresh token"], Scope) || !strings.Contains(got["Webhook"], "every 2 minutes;") ||
		!strings.Contains(got["First poll"], "last 7 days") || !strings.Contains(got["Replies"], "4096 bytes") {
		t.Errorf("Instructions = %q", got)
	}
	in.Credentials[CredImportDays] = "0"
	in.ExternalID = ""
	for _, i := range a.Instructions(in, "") {
		if i.Label == "First poll" && !strings.Contains(i.Value, "from now on") || i.Label == "Location" && !strings.Contains(i.Value, "not set") {
			t.Errorf("Instructions: %s = %q", i.Label, i.Value)
		}
	}
}
