package reddit

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.a.SetupTimeout = 5 * time.Second
	creds := func(kv ...string) map[string]string {
		m := map[string]string{CredAPIBase: e.srv.URL + "/", CredClientID: redditfake.ClientID, CredClientSecret: redditfake.ClientSecret}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	tests := []struct {
		name     string
		external string
		creds    map[string]string
		wantCode string
		wantMsg  string
	}{
		{"password", "", creds(CredUsername, " u/acmesupport ", CredPassword, redditfake.Password), "", ""},
		{"refresh token", "", creds(CredRefreshToken, redditfake.RefreshToken), "", ""},
		{"external id matches", "AcmeSupport", creds(CredRefreshToken, redditfake.RefreshToken), "", ""},
		{"external id differs", "SomeoneElse", creds(CredRefreshToken, redditfake.RefreshToken), care.EINVALID, "u/AcmeSupport's"},
		{"username differs", "", creds(CredRefreshToken, redditfake.RefreshToken, CredUsername, "SomeoneElse"), care.EINVALID, "credentials.username is SomeoneElse"},
		{"no client id", "", creds(CredClientID, "", CredRefreshToken, redditfake.RefreshToken), care.EINVALID, "client_id is required"},
		{"no grant", "", creds(), care.EINVALID, "refresh_token"},
		{"password without username", "", creds(CredPassword, "x"), care.EINVALID, "refresh_token"},
		{"bad username", "", creds(CredUsername, "not a name!", CredPassword, "x"), care.EINVALID, "username"},
		{"wrong password", "", creds(CredUsername, "AcmeSupport", CredPassword, "wrong"), care.EINVALID, "username and password"},
		{"wrong secret", "", creds(CredClientSecret, "nope", CredRefreshToken, redditfake.RefreshToken), care.EINVALID, "client_id and client_secret"},
		{"revoked refresh token", "", creds(CredRefreshToken, "revoked"), care.EINVALID, "connect the account again"},
		{"bad user agent", "", creds(CredRefreshToken, redditfake.RefreshToken, CredUserAgent, "bad\nagent"), care.EINVALID, "user_agent"},
		{"http api base", "", creds(CredRefreshToken, redditfake.RefreshToken, CredAPIBase, "http://oauth.reddit.com"), care.EINVALID, "https"},
		{"api base with a path", "", creds(CredRefreshToken, redditfake.RefreshToken, CredAPIBase, "https://oauth.reddit.com/api"), care.EINVALID, "without a path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &care.Inbox{ID: 8, Channel: care.ChannelReddit, ExternalID: tt.external, Credentials: tt.creds}
			err := e.a.Prepare(in)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Prepare: %v", err)
				}
				if in.ExternalID != "AcmeSupport" || in.Credentials[CredUsername] != "AcmeSupport" || in.Credentials[CredAPIBase] != e.srv.URL {
					t.Errorf("prepared inbox %q, %v", in.ExternalID, in.Credentials)
				}
				return
			}
			if care.ErrorCode(err) != tt.wantCode || !strings.Contains(care.ErrorMessage(err), tt.wantMsg) {
				t.Errorf("Prepare = %v, want %s with %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}

	// Reddit out of reach.
	gone := httptest.NewServer(nil)
	gone.Close()
	in := &care.Inbox{Credentials: map[string]string{CredAPIBase: gone.URL, CredClientID: "x", CredRefreshToken: "y"}}
	if err := e.a.Prepare(in); care.ErrorCode(err) != care.EUNAVAILABLE {
		t.Errorf("unreachable: %v, want EUNAVAILABLE", err)
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	a := &Adapter{UserAgent: "server:com.example.care:v2"}
	in := testInbox()
	got := map[string]string{}
	for _, i := range a.Instructions(in, "https://parley.example/webhooks/7") {
		got[i.Label] = i.Value
	}
	if got["User-Agent"] != "server:com.example.care:v2 (by /u/AcmeSupport)" || got["Account"] != "u/AcmeSupport" ||
		!strings.Contains(got["Authorise"], "client_id=redditfake-client-id") || !strings.Contains(got["Authorise"], "duration=permanent") ||
		!strings.Contains(got["Grant"], "script") || !strings.Contains(got["Webhook"], "none") {
		t.Errorf("Instructions = %v", got)
	}
	in.Credentials[CredUserAgent] = "ios:com.example:v9 (by /u/someone)"
	if ua := a.userAgent(in); ua != in.Credentials[CredUserAgent] {
		t.Errorf("userAgent with the credential = %q", ua)
	}
}

func TestServerURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		base bool
		want string // "" for refused
	}{
		{"https://oauth.reddit.com/", true, "https://oauth.reddit.com"},
		{"http://127.0.0.1:8080", true, "http://127.0.0.1:8080"},
		{"http://localhost:1", true, "http://localhost:1"},
		{"http://[::1]:9", true, "http://[::1]:9"},
		{"http://example.com", true, ""},
		{"https://user:pw@oauth.reddit.com", true, ""},
		{"https://oauth.reddit.com?x=1", true, ""},
		{"ftp://oauth.reddit.com", true, ""},
		{"https://www.reddit.com/api/v1/access_token", false, "https://www.reddit.com/api/v1/access_token"},
		{"https://www.reddit.com/api/v1/access_token", true, ""},
	} {
		got, err := serverURL(tt.in, "api_base", tt.base)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("serverURL(%q, %v) = %q, %v; want %q", tt.in, tt.base, got, err, tt.want)
		}
	}
}
