package youtube

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	valid := func() *care.Inbox {
		return &care.Inbox{Channel: care.ChannelYouTube, ExternalID: " UC_x5XG1OV2P6uZZ5FSM9Ttw ",
			Credentials: map[string]string{CredClientID: "123-abc.apps.googleusercontent.com", CredClientSecret: "GOCSPX-secret", CredRefreshToken: " 1//0refresh "}}
	}
	in := valid()
	if err := (&Adapter{}).Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if in.ExternalID != "UC_x5XG1OV2P6uZZ5FSM9Ttw" || in.Credentials[CredRefreshToken] != "1//0refresh" {
		t.Errorf("Prepare left %q, %q untrimmed", in.ExternalID, in.Credentials[CredRefreshToken])
	}
	for _, tt := range []struct {
		name   string
		change func(*care.Inbox)
		want   string // "" when accepted
	}{
		{"all options", func(in *care.Inbox) {
			in.Credentials[CredDailyQuota], in.Credentials[CredWriteShare] = "5000", "50"
			in.Credentials[CredPollInterval], in.Credentials[CredScanPages] = "2m", "3"
			in.Credentials[CredAPIBase], in.Credentials[CredTokenURL] = "http://127.0.0.1:9999/", "http://127.0.0.1:9999/token"
		}, ""},
		{"no channel id", func(in *care.Inbox) { in.ExternalID = "" }, "external_id must be the YouTube channel's id"},
		{"a handle, not an id", func(in *care.Inbox) { in.ExternalID = "@acme" }, "external_id"},
		{"no client id", func(in *care.Inbox) { delete(in.Credentials, CredClientID) }, "credentials.client_id is required"},
		{"no secret", func(in *care.Inbox) { in.Credentials[CredClientSecret] = " " }, "credentials.client_secret is required"},
		{"no refresh token", func(in *care.Inbox) { delete(in.Credentials, CredRefreshToken) }, "credentials.refresh_token is required"},
		{"refresh token with a space", func(in *care.Inbox) { in.Credentials[CredRefreshToken] = "1//0a b" }, "without spaces"},
		{"quota not a number", func(in *care.Inbox) { in.Credentials[CredDailyQuota] = "ten thousand" }, "credentials.daily_quota"},
		{"write share too high", func(in *care.Inbox) { in.Credentials[CredWriteShare] = "95" }, "credentials.write_share"},
		{"too many pages", func(in *care.Inbox) { in.Credentials[CredScanPages] = "11" }, "credentials.scan_pages"},
		{"held comments", func(in *care.Inbox) { in.Credentials[CredHeldComments] = "sometimes" }, "credentials.held_comments"},
		{"interval too short", func(in *care.Inbox) { in.Credentials[CredPollInterval] = "5" }, "credentials.poll_interval"},
		{"interval not one", func(in *care.Inbox) { in.Credentials[CredPollInterval] = "often" }, "credentials.poll_interval"},
		{"api_base not a URL", func(in *care.Inbox) { in.Credentials[CredAPIBase] = "ftp://x" }, "api_base"},
		{"token_url with a query", func(in *care.Inbox) { in.Credentials[CredTokenURL] = "https://x/token?a=b" }, "token_url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.change(in)
			err := (&Adapter{}).Prepare(in)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Prepare = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("Prepare = %v, want EINVALID saying %q", err, tt.want)
			}
		})
	}
}

func TestTokenURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		configured string // the adapter's TokenURL
		creds      map[string]string
		want       string
	}{
		{"", nil, DefaultTokenURL},
		{"https://tokens.example/t", nil, "https://tokens.example/t"},
		{"", map[string]string{CredAPIBase: "http://127.0.0.1:8081/"}, "http://127.0.0.1:8081/token"},
		{"", map[string]string{CredAPIBase: "http://127.0.0.1:8081", CredTokenURL: "http://127.0.0.1:9/oauth"}, "http://127.0.0.1:9/oauth"},
	} {
		in := inboxWith(tt.creds)
		a := &Adapter{TokenURL: tt.configured}
		if got, err := a.tokenURL(in); err != nil || got != tt.want {
			t.Errorf("tokenURL(%v) = %q, %v; want %q", tt.creds, got, err, tt.want)
		}
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	in := testInbox()
	in.Credentials[CredDailyQuota] = "5000"
	got := map[string]string{}
	for _, i := range (&Adapter{}).Instructions(in, "https://parley.example/webhooks/7") {
		got[i.Label] = i.Value
	}
	for label, want := range map[string]string{
		"Google Cloud project": "YouTube Data API v3",
		"OAuth consent screen": "a refresh token of an app left in Testing expires after 7 days",
		"Refresh token":        Scope,
		"Channel id":           testChannel,
		"Webhook":              "none",
		"Daily quota":          "5000 units a day (daily_quota), resetting at midnight Pacific Time; 2000 kept for replies and moderation (write_share 40%), 50 units each: about 40 a day; polling every 60 seconds at the fastest costs at least 1440 of the 3000",
		"Reply length":         "10000 characters",
		"Held comments":        "not read (held_comments false)",
	} {
		if !strings.Contains(got[label], want) {
			t.Errorf("instruction %q = %q, want it to contain %q", label, got[label], want)
		}
	}
}
