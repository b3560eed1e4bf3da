package reddit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/oauth"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

func TestTokensAreCached(t *testing.T) {
	t.Parallel()
	for _, grant := range []string{"password", "refresh_token"} {
		t.Run(grant, func(t *testing.T) {
			e := newEnv(t)
			if grant == "refresh_token" {
				delete(e.in.Credentials, CredPassword)
				e.in.Credentials[CredRefreshToken] = redditfake.RefreshToken
			}
			_, cursor := e.poll("")
			for range 3 {
				e.clock.Add(10 * time.Minute)
				_, cursor = e.poll(cursor)
			}
			if n := e.fake.TokenRequests(); n != 1 {
				t.Errorf("%d token requests within the token's hour, want 1", n)
			}
			e.clock.Add(31 * time.Minute) // past the hour, less oauth.Early
			e.poll(cursor)
			if n := e.fake.TokenRequests(); n != 2 {
				t.Errorf("%d token requests after the token expired, want 2", n)
			}
			for _, ua := range e.fake.UserAgents() {
				if !strings.HasSuffix(ua, "(by /u/AcmeSupport)") {
					t.Errorf("a request went with User-Agent %q", ua)
				}
			}
		})
	}
}

func TestGrantOf(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := testInbox()
	g, err := a.grantOf(in)
	if err != nil || g.password == nil || g.refresh != nil || g.password.tokenURL != DefaultTokenURL || g.password.username != "AcmeSupport" {
		t.Fatalf("password grant = %+v, %v", g, err)
	}
	in.Credentials[CredRefreshToken] = "r"
	in.Credentials[CredAPIBase] = "http://127.0.0.1:9"
	g, err = a.grantOf(in)
	if err != nil || g.refresh == nil || !g.refresh.BasicAuth || g.refresh.TokenURL != "http://127.0.0.1:9/api/v1/access_token" ||
		g.refresh.Header.Get("User-Agent") != DefaultUserAgent+" (by /u/AcmeSupport)" {
		t.Fatalf("refresh grant = %+v, %v", g.refresh, err)
	}
	in.Credentials[CredTokenURL] = "https://tokens.example/t"
	if g, _ := a.grantOf(in); g.refresh.TokenURL != "https://tokens.example/t" {
		t.Errorf("token_url = %q", g.refresh.TokenURL)
	}
	delete(in.Credentials, CredClientID)
	if se := sendError(t, func() error { _, err := a.grantOf(in); return err }()); !se.Permanent {
		t.Errorf("no client id: %+v", se)
	}
}

func TestLifetime(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		raw  string
		want time.Duration
	}{
		{`3600`, time.Hour}, {`86400`, 24 * time.Hour}, {`"3600"`, time.Hour}, {``, time.Hour}, {`-5`, time.Hour},
		{`999999999`, time.Hour}, {`10`, oauth.Early + time.Second}, {`null`, time.Hour},
	} {
		if got := lifetime(json.RawMessage(tt.raw)); got != tt.want {
			t.Errorf("lifetime(%s) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}
