package mastodon

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
)

// TestPrepare connects an inbox to the fake: the account and the
// instance's configuration are read and recorded.
func TestPrepare(t *testing.T) {
	t.Parallel()
	x := newInstance(t)
	x.fake.MaxCharacters = 1000
	in := &care.Inbox{Channel: care.ChannelMastodon, Credentials: map[string]string{
		CredAccessToken: mastofake.DefaultToken, CredAPIBase: x.srv.URL + "/"}}
	if err := x.adapter.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	want := map[string]string{CredAccessToken: mastofake.DefaultToken, CredAPIBase: x.srv.URL, CredAccountID: mastofake.DefaultBrandID,
		CredDomain: mastofake.DefaultDomain, CredMaxCharacters: "1000"}
	if in.ExternalID != mastofake.DefaultBrandID || !cmp.Equal(in.Credentials, want) {
		t.Errorf("prepared inbox: external id %q, credentials %v; want %q, %v", in.ExternalID, in.Credentials, mastofake.DefaultBrandID, want)
	}

	// Preparing again (an edited inbox) changes nothing.
	before := maps.Clone(in.Credentials)
	if err := x.adapter.Prepare(in); err != nil || !cmp.Equal(in.Credentials, before) {
		t.Errorf("second Prepare = %v, credentials %v", err, in.Credentials)
	}

	other := &care.Inbox{ExternalID: "42", Credentials: map[string]string{CredAccessToken: mastofake.DefaultToken, CredAPIBase: x.srv.URL}}
	if err := x.adapter.Prepare(other); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "belongs to account") {
		t.Errorf("Prepare with another account's id = %v", err)
	}
	revoked := &care.Inbox{Credentials: map[string]string{CredAccessToken: "revoked", CredAPIBase: x.srv.URL}}
	if err := x.adapter.Prepare(revoked); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "refused the access token") {
		t.Errorf("Prepare with a revoked token = %v", err)
	}
	down := &care.Inbox{Credentials: map[string]string{CredAccessToken: "t", CredAPIBase: "http://127.0.0.1:1"}}
	if err := x.adapter.Prepare(down); care.ErrorCode(err) != care.EUNAVAILABLE {
		t.Errorf("Prepare with an unreachable instance = %v, want EUNAVAILABLE", err)
	}
}

// TestPrepareWithoutReadAccounts: a token that may not read its account is
// accepted with the account's id given.
func TestPrepareWithoutReadAccounts(t *testing.T) {
	t.Parallel()
	x := newInstanceWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/accounts/verify_credentials" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"error":"This action is outside the authorized scopes"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	in := &care.Inbox{Credentials: map[string]string{CredAccessToken: mastofake.DefaultToken, CredAPIBase: x.srv.URL}}
	if err := x.adapter.Prepare(in); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "read:accounts") {
		t.Errorf("Prepare without read:accounts = %v, want EINVALID naming the scope", err)
	}
	in.Credentials[CredAccountID] = "77"
	if err := x.adapter.Prepare(in); err != nil || in.ExternalID != "77" {
		t.Errorf("Prepare with account_id = %v, external id %q", err, in.ExternalID)
	}
}

func TestPrepareRejects(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	tests := []struct {
		name  string
		creds map[string]string
		want  string
	}{
		{"no instance", map[string]string{CredAccessToken: "t"}, "api_base is required"},
		{"instance with a path", map[string]string{CredAccessToken: "t", CredAPIBase: "https://mastodon.social/api/v1"}, "without a path"},
		{"instance with a query", map[string]string{CredAccessToken: "t", CredAPIBase: "https://mastodon.social?x=1"}, "without a path"},
		{"instance with a user", map[string]string{CredAccessToken: "t", CredAPIBase: "https://me:pw@mastodon.social"}, "without a path"},
		{"plain http", map[string]string{CredAccessToken: "t", CredAPIBase: "http://mastodon.social"}, "https"},
		{"not a URL", map[string]string{CredAccessToken: "t", CredAPIBase: "mastodon.social"}, "without a path"},
		{"no token", map[string]string{CredAPIBase: "https://mastodon.social"}, "access_token is required"},
		{"token with a space", map[string]string{CredAPIBase: "https://mastodon.social", CredAccessToken: "Bearer abc"}, "without spaces"},
		{"unknown mode", map[string]string{CredAPIBase: "https://mastodon.social", CredAccessToken: "t", CredMode: "webhook"}, "mode must be"},
		{"unknown visibility", map[string]string{CredAPIBase: "https://mastodon.social", CredAccessToken: "t", CredPublicVisibility: "private"}, "public_visibility"},
		{"bad streaming URL", map[string]string{CredAPIBase: "https://mastodon.social", CredAccessToken: "t", CredStreamingURL: "wss://x/y"}, "streaming_url"},
	}
	for _, tt := range tests {
		in := &care.Inbox{Credentials: tt.creds}
		if err := a.Prepare(in); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
			t.Errorf("%s: Prepare = %v, want EINVALID with %q", tt.name, err, tt.want)
		}
	}
}

func TestInstanceURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://mastodon.social":       "https://mastodon.social",
		"https://mastodon.social/":      "https://mastodon.social",
		"https://mastodon.social:8443/": "https://mastodon.social:8443",
		"http://127.0.0.1:3000":         "http://127.0.0.1:3000",
		"http://[::1]:3000":             "http://[::1]:3000",
		"http://localhost:3000":         "http://localhost:3000",
	} {
		if got, err := instanceURL(in, CredAPIBase); err != nil || got != want {
			t.Errorf("instanceURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"wss://streaming.mastodon.social":  "https://streaming.mastodon.social",
		"ws://127.0.0.1:4000":              "http://127.0.0.1:4000",
		"wss://streaming.example/api/v1/x": "",
		"not a url":                        "",
	} {
		if got := streamingBase(in); got != want {
			t.Errorf("streamingBase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := testInbox()
	got := a.Instructions(in, "https://parley.example/webhooks/7")
	text := ""
	for _, i := range got {
		text += i.Label + ": " + i.Value + "\n"
	}
	for _, want := range []string{
		"https://mastodon.social/settings/applications/new", Scopes, "Your access token",
		"api/v1/streaming/user", "14715 on mastodon.social", "500 characters",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("instructions lack %q:\n%s", want, text)
		}
	}
	in.Credentials[CredMode] = ModePoll
	if got := a.Instructions(in, ""); !strings.Contains(got[3].Value, "every 15 seconds") {
		t.Errorf("poll mode instructions: %+v", got[3])
	}
}
