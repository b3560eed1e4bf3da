package x_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/oauth"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

const callback = "https://care.example.com/inboxes/x/callback"

// authorize sends a browser to the authorize URL on the fake X and returns
// where X sent it back.
func authorize(t *testing.T, w *world, u string) (int, url.Values) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(back.String(), callback+"?") {
		t.Fatalf("X sent the browser to %q, want the callback", resp.Header.Get("Location"))
	}
	return resp.StatusCode, back.Query()
}

// An admin connects the brand account: the authorize URL carries what X
// documents, X sends back a code, and redeeming it gives the account and a
// refresh token the inbox then sends with.
func TestConnect(t *testing.T) {
	for _, secretKind := range []string{"confidential", "public"} {
		t.Run(secretKind, func(t *testing.T) {
			w := newWorld(t)
			clientSecret := ""
			if secretKind == "confidential" {
				clientSecret = "client-secret"
			}
			w.fake.AddApp(xfake.App{ClientID: "client-1", ClientSecret: clientSecret, CallbackURLs: []string{callback}})
			w.fake.AuthorizeAs(brandID)
			auth, u, err := x.StartConnect(" client-1 ", clientSecret, callback, w.srv.URL+"/")
			if err != nil {
				t.Fatal(err)
			}
			q := mustQuery(t, u)
			want := url.Values{"response_type": {"code"}, "client_id": {"client-1"}, "redirect_uri": {callback},
				"scope": {"tweet.read tweet.write users.read dm.read dm.write offline.access"}, "state": {auth.State},
				"code_challenge": {oauth.Challenge(auth.Verifier)}, "code_challenge_method": {"S256"}}
			if diff := cmp.Diff(want, q); diff != "" {
				t.Errorf("authorize URL query (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(u, w.srv.URL+"/i/oauth2/authorize?") || strings.Contains(u, "+") {
				t.Errorf("authorize URL = %s", u)
			}
			_, back := authorize(t, w, u)
			if back.Get("state") != auth.State || back.Get("code") == "" {
				t.Fatalf("callback query = %v", back)
			}
			acct, err := w.a.FinishConnect(context.Background(), auth, back.Get("code"))
			if err != nil {
				t.Fatalf("FinishConnect: %v", err)
			}
			wantCreds := map[string]string{x.CredClientID: "client-1", x.CredAPIBase: w.srv.URL, x.CredRefreshToken: acct.Credentials[x.CredRefreshToken]}
			if clientSecret != "" {
				wantCreds[x.CredClientSecret] = clientSecret
			}
			if acct.UserID != brandID || acct.Username != "acme" || acct.Name != "Acme Support" ||
				!strings.HasPrefix(acct.Credentials[x.CredRefreshToken], "xrt-code-") || !cmp.Equal(wantCreds, acct.Credentials) {
				t.Fatalf("account = %+v", acct)
			}
			// The inbox works with what was connected.
			store := &credStore{saved: map[string]string{}}
			w.a.Credentials = store
			w.inbox.Credentials = acct.Credentials
			w.inbox.Credentials[x.CredMode] = x.ModePoll
			if err := w.a.Prepare(&w.inbox); err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			mention := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hello?"})
			if _, err := w.a.Send(context.Background(), w.reply("k1", "Hello Ana!", mention.ID, anaID)); err != nil {
				t.Fatalf("Send with the connected account: %v", err)
			}
			if store.get(x.CredRefreshToken) == "" {
				t.Errorf("the rotated refresh token was not stored")
			}
		})
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query()
}

// What goes wrong between the authorize page and the token: each is a
// coded error, and nothing is connected.
func TestConnectFailures(t *testing.T) {
	tests := []struct {
		name string
		// mutate runs after the code came back, before redeeming it.
		mutate func(w *world, auth *x.Authorization, code *string)
		want   string
	}{
		{"wrong verifier", func(_ *world, a *x.Authorization, _ *string) { a.Verifier = oauth.NewVerifier() }, care.EINVALID},
		{"wrong secret", func(_ *world, a *x.Authorization, _ *string) { a.ClientSecret = "guess" }, care.EINVALID},
		{"another redirect URI", func(_ *world, a *x.Authorization, _ *string) { a.RedirectURI = "https://evil.example/cb" }, care.EINVALID},
		{"expired code", func(w *world, _ *x.Authorization, _ *string) { w.clock.Advance(31 * time.Second) }, care.EINVALID},
		{"made-up code", func(_ *world, _ *x.Authorization, c *string) { *c = "xac-1-madeup" }, care.EINVALID},
		{"no code", func(_ *world, _ *x.Authorization, c *string) { *c = "" }, care.EINVALID},
		{"X down", func(w *world, _ *x.Authorization, _ *string) { w.srv.Close() }, care.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.fake.AddApp(xfake.App{ClientID: "client-1", ClientSecret: "s", CallbackURLs: []string{callback}})
			w.fake.AuthorizeAs(brandID)
			auth, u, err := x.StartConnect("client-1", "s", callback, w.srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			_, back := authorize(t, w, u)
			code := back.Get("code")
			tt.mutate(w, &auth, &code)
			acct, err := w.a.FinishConnect(context.Background(), auth, code)
			if care.ErrorCode(err) != tt.want || acct != nil {
				t.Errorf("FinishConnect = %+v, %v; want %s", acct, err, tt.want)
			}
		})
	}
	t.Run("code used twice", func(t *testing.T) {
		w := newWorld(t)
		w.fake.AddApp(xfake.App{ClientID: "client-1", CallbackURLs: []string{callback}})
		w.fake.AuthorizeAs(brandID)
		auth, u, _ := x.StartConnect("client-1", "", callback, w.srv.URL)
		_, back := authorize(t, w, u)
		if _, err := w.a.FinishConnect(context.Background(), auth, back.Get("code")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.FinishConnect(context.Background(), auth, back.Get("code")); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("second FinishConnect = %v, want EINVALID", err)
		}
	})
	t.Run("declined", func(t *testing.T) {
		w := newWorld(t)
		w.fake.AddApp(xfake.App{ClientID: "client-1", CallbackURLs: []string{callback}})
		w.fake.RefuseAuthorization()
		auth, u, _ := x.StartConnect("client-1", "", callback, w.srv.URL)
		_, back := authorize(t, w, u)
		if cb := oauth.ParseCallback(back); cb.Error != "access_denied" || cb.State != auth.State || cb.Code != "" {
			t.Errorf("callback = %+v, want access_denied with the state", cb)
		}
	})
	t.Run("unregistered callback", func(t *testing.T) {
		w := newWorld(t)
		w.fake.AddApp(xfake.App{ClientID: "client-1", CallbackURLs: []string{"https://other.example/cb"}})
		w.fake.AuthorizeAs(brandID)
		_, u, _ := x.StartConnect("client-1", "", callback, w.srv.URL)
		if status, _ := authorize(t, w, u); status != http.StatusBadRequest {
			t.Errorf("authorize with an unregistered callback = %d, want 400 without a redirect", status)
		}
	})
}

func TestStartConnectRefuses(t *testing.T) {
	tests := []struct{ name, clientID, redirect, base string }{
		{"no client id", " ", callback, ""},
		{"no public URL", "c", "/inboxes/x/callback", ""},
		{"bad api_base", "c", callback, "ftp://x"},
	}
	for _, tt := range tests {
		if _, _, err := x.StartConnect(tt.clientID, "", tt.redirect, tt.base); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: StartConnect = %v, want EINVALID", tt.name, err)
		}
	}
	a, u, err := x.StartConnect("c", "", callback, "")
	if err != nil || !strings.HasPrefix(u, x.AuthorizeURL+"?") {
		t.Fatalf("StartConnect = %q, %v; want X's authorize page", u, err)
	}
	b, _, _ := x.StartConnect("c", "", callback, "")
	if a.State == b.State || a.Verifier == b.Verifier || len(a.State) < 43 || len(a.Verifier) < 43 {
		t.Errorf("states %q, %q and verifiers %q, %q: want fresh, 256-bit", a.State, b.State, a.Verifier, b.Verifier)
	}
}
