package webhook_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// answer is what a prober sees of a response.
type answer struct {
	Status      int
	ContentType string
	Allow       string
	Body        string
}

func probe(t *testing.T, method, url string) answer {
	t.Helper()
	var body io.Reader
	if method == "POST" {
		body = strings.NewReader(`{"object":"page","entry":[]}`)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Allow"), string(b)}
}

// TestWebhookProbesLearnNothing probes /webhooks/{id} for an unknown id,
// a malformed one, an inbox whose channel takes no webhooks, and an inbox
// of every channel that does, with Parley's real adapters: an unsigned
// delivery, and a GET that is no platform's verification request, are
// answered alike for all of them, so the answers tell neither which inbox
// ids exist nor their channels. The platforms' own handshakes still work.
func TestWebhookProbesLearnNothing(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	adapters := app.Adapters("", nil)
	inboxes := map[care.Channel]*care.Inbox{}
	creds := map[string]string{
		meta.CredAppSecret: "app-secret", meta.CredVerifyToken: "verify-me",
		x.CredConsumerSecret: "consumer-secret",
		"auth_token":         "twilio-token", "secret_token": "telegram-secret", "webhook_secret": "phone-secret",
	}
	for _, ch := range append(adapters.Channels(), care.ChannelAPI) {
		if _, ok := adapters.Webhook(ch); !ok && ch != care.ChannelAPI {
			continue
		}
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: string(ch), ExternalID: "acct-" + string(ch), Credentials: creds}
		if err := s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
		inboxes[ch] = in
	}
	if len(inboxes) < 6 {
		t.Fatalf("only %d channels with webhooks: %v", len(inboxes), adapters.Channels())
	}
	h := &webhook.Handler{Store: s, Adapters: adapters}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, method := range []string{"POST", "GET"} {
		want := probe(t, method, srv.URL+"/webhooks/999999")
		if want.Status != http.StatusUnauthorized && method == "POST" || want.Status != http.StatusMethodNotAllowed && method == "GET" {
			t.Errorf("%s for an unknown inbox = %+v", method, want)
		}
		paths := []string{"/webhooks/abc", "/webhooks/0"}
		for ch, in := range inboxes {
			paths = append(paths, fmt.Sprintf("/webhooks/%d?from=%s", in.ID, ch))
		}
		for _, path := range paths {
			if got := probe(t, method, srv.URL+path); got != want {
				t.Errorf("%s %s = %+v, want %+v as for an unknown inbox", method, path, got, want)
			}
		}
	}

	// Meta's subscription check, with the inbox's verify token.
	for _, ch := range []care.Channel{care.ChannelFacebook, care.ChannelInstagram, care.ChannelWhatsApp} {
		url := fmt.Sprintf("%s/webhooks/%d?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me", srv.URL, inboxes[ch].ID)
		if got := probe(t, "GET", url); got.Status != http.StatusOK || got.Body != "1158201444" {
			t.Errorf("%s subscription check = %+v, want 200 echoing the challenge", ch, got)
		}
		if got := probe(t, "GET", strings.Replace(url, "verify-me", "guess", 1)); got != probe(t, "GET", srv.URL+"/webhooks/999999") {
			t.Errorf("%s subscription check with a wrong token = %+v, want the uniform refusal", ch, got)
		}
	}
	// X's CRC check.
	url := fmt.Sprintf("%s/webhooks/%d?crc_token=abc", srv.URL, inboxes[care.ChannelX].ID)
	want := fmt.Sprintf(`{"response_token":%q}`+"\n", x.Sign("consumer-secret", []byte("abc")))
	if got := probe(t, "GET", url); got.Status != http.StatusOK || got.Body != want || got.ContentType != "application/json" {
		t.Errorf("X CRC = %+v, want 200 with %s", got, want)
	}
}
