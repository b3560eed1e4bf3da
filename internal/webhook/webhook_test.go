package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// platform is a minimal webhook adapter: a JSON list of messages, each for
// an account, signed with hex HMAC-SHA256 in X-Test-Signature.
type platform struct{}

func (platform) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}

func (platform) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	io.WriteString(w, "challenge:"+r.URL.Query().Get("challenge")+":"+in.Name)
}

func (platform) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	mac := hmac.New(sha256.New, []byte(in.Credentials["secret"]))
	mac.Write(body)
	got, _ := hex.DecodeString(h.Get("X-Test-Signature"))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return nil, care.Errorf(care.EUNAUTHORIZED, "bad signature")
	}
	var msgs []struct{ ID, Account, From, Text string }
	if err := json.Unmarshal(body, &msgs); err != nil {
		return nil, care.Errorf(care.EINVALID, "not a list")
	}
	var evs []channel.Event
	for _, m := range msgs {
		evs = append(evs, channel.Event{Account: m.Account, Inbound: care.Inbound{PlatformID: m.ID, Visibility: care.Private,
			Author: care.Author{PlatformUserID: m.From}, Text: m.Text, SentAt: now}})
	}
	return evs, nil
}

// WebhookSecret makes the platform one whose deliveries carry several
// accounts' events, all verified with one secret.
func (platform) WebhookSecret(in care.Inbox) string { return in.Credentials["secret"] }

func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return hex.EncodeToString(mac.Sum(nil))
}

func TestWebhook(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		const ch care.Channel = "testnet"
		main := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Main", ExternalID: "acct-1", Credentials: map[string]string{"secret": "s3cret"}}
		second := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Second", ExternalID: "acct-2", Credentials: map[string]string{"secret": "s3cret"}}
		// Another app's account: a delivery signed with main's secret
		// must not speak for it.
		other := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Other app", ExternalID: "acct-3", Credentials: map[string]string{"secret": "0ther"}}
		for _, in := range []*care.Inbox{main, second, other} {
			if err := s.CreateInbox(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		adapters := &channel.Registry{}
		adapters.Register(ch, platform{})
		c := ingest.NewCommitter(s, 64)
		go c.Run(ctx)
		defer c.Close(ctx)
		h := &webhook.Handler{Store: s, Adapters: adapters, Ingest: c}
		mux := http.NewServeMux()
		h.Routes(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		url := fmt.Sprintf("%s/webhooks/%d", srv.URL, main.ID)

		post := func(body, sig string) int {
			req, _ := http.NewRequest("POST", url, strings.NewReader(body))
			req.Header.Set("X-Test-Signature", sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		pending := func() int {
			p, err := s.PendingRaw(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(p)
		}

		resp, err := http.Get(url + "?challenge=abc")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "challenge:abc:Main" {
			t.Errorf("handshake answered %q", b)
		}

		body := `[{"ID":"m1","Account":"acct-1","From":"ana","Text":"hi"},{"ID":"m2","Account":"acct-2","From":"ben","Text":"yo"},{"ID":"m3","Account":"acct-9","From":"cy","Text":"nobody's"},{"ID":"m4","Account":"acct-3","From":"eve","Text":"forged"}]`
		if code := post(body, sign("wrong", body)); code != http.StatusUnauthorized {
			t.Errorf("bad signature: %d, want 401", code)
		}
		if code := post(body, ""); code != http.StatusUnauthorized {
			t.Errorf("no signature: %d, want 401", code)
		}
		if n := pending(); n != 0 {
			t.Fatalf("%d events stored from rejected deliveries", n)
		}
		if code := post(`{`, sign("s3cret", `{`)); code != http.StatusBadRequest {
			t.Errorf("unparseable: %d, want 400", code)
		}
		if code := post(body, sign("s3cret", body)); code != http.StatusOK {
			t.Fatalf("good delivery: %d, want 200", code)
		}
		if code := post(body, sign("s3cret", body)); code != http.StatusOK {
			t.Fatalf("repeated delivery: %d, want 200", code)
		}
		p, _ := s.PendingRaw(ctx, 100)
		got := map[string]care.ID{}
		for _, e := range p {
			got[e.Inbound.PlatformID] = e.InboxID
		}
		want := map[string]care.ID{"m1": main.ID, "m2": second.ID}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stored %v, want %v (routed by account, unknown and other-secret skipped, repeat deduplicated)", got, want)
		}

		for _, path := range []string{"/webhooks/9999", "/webhooks/abc"} {
			resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader("[]"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("POST %s = %d, want 401, as an unsigned delivery to an inbox is answered", path, resp.StatusCode)
			}
		}
	})
}

// urlPlatform signs the URL it was posted to, like Twilio: its "signature"
// is the URL itself.
type urlPlatform struct{ platform }

func (urlPlatform) ReceiveURL(url string, h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if h.Get("X-Test-URL") != url {
		return nil, care.Errorf(care.EUNAUTHORIZED, "signed %q, posted to %q", h.Get("X-Test-URL"), url)
	}
	return []channel.Event{{Inbound: care.Inbound{PlatformID: "u1", Visibility: care.Private,
		Author: care.Author{PlatformUserID: "ana"}, Text: string(body), SentAt: now}}}, nil
}

func TestWebhookURLSigned(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	const ch care.Channel = "urlnet"
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: ch, Name: "Main"}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	adapters := &channel.Registry{}
	adapters.Register(ch, urlPlatform{})
	c := ingest.NewCommitter(s, 8)
	go c.Run(ctx)
	defer c.Close(ctx)

	for _, tc := range []struct {
		name, public, signed string
		want                 int
	}{
		// Behind a proxy the platform signs the public URL, not ours.
		{"public URL", "https://care.example.com/", "https://care.example.com/webhooks/%d?x=1", http.StatusOK},
		{"own URL", "", "%s/webhooks/%d?x=1", http.StatusOK},
		{"other URL", "https://care.example.com", "https://evil.example.com/webhooks/%d?x=1", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &webhook.Handler{Store: s, Adapters: adapters, Ingest: c, PublicURL: tc.public}
			mux := http.NewServeMux()
			h.Routes(mux)
			srv := httptest.NewServer(mux)
			defer srv.Close()
			signed := fmt.Sprintf(tc.signed, in.ID)
			if tc.public == "" {
				signed = fmt.Sprintf(tc.signed, srv.URL, in.ID)
			}
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/webhooks/%d?x=1", srv.URL, in.ID), strings.NewReader("hello"))
			req.Header.Set("X-Test-URL", signed)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}
