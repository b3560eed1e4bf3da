package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/netguard"
)

// internalService stands for what lives inside Parley's network (cloud
// metadata, an admin port on localhost): it answers anyone with a secret
// and counts who asked.
func internalService(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "AccessKeyId=AKIAINTERNAL SecretAccessKey=s3cr3t path=%s", r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// publicOnly starts Parley as an operator would by default: no allowed
// hosts, so 127.0.0.1 is inside the network it must not call into.
func publicOnly(t *testing.T) *testApp {
	t.Helper()
	cfg := testConfig(t.TempDir())
	cfg.AllowHosts = ""
	return startAppWith(t, cfg)
}

// A workspace admin points a Messenger inbox's api_base at a service
// inside Parley's network and sends a delivery, signed with the app secret
// they chose, whose image is on that service. The media proxy must not
// fetch it and hand the answer to the admin.
func TestEgressMediaProxyRefusesInternalAPIBase(t *testing.T) {
	internal, hits := internalService(t)
	ta := publicOnly(t)
	ctx := context.Background()
	if _, _, err := accounts.CreateUser(ctx, ta.app.Store, 1, "brandadmin@example.com", "Brand Admin", care.RoleAdmin, "correct horse battery", time.Now()); err != nil {
		t.Fatal(err)
	}
	var created struct {
		Inbox care.Inbox `json:"inbox"`
	}
	ta.c.call("POST", "/api/v1/inboxes", map[string]any{"channel": "facebook", "name": "Page", "external_id": "1001",
		"credentials": map[string]string{"app_secret": "chosen-secret", "page_access_token": "x", "api_base": internal.URL}}, http.StatusCreated, &created)

	fake := metafake.New("chosen-secret")
	fake.AddPage("1001", "x")
	_, d := fake.Message(metafake.Message{Account: "1001", From: "2002", Text: "see attached",
		ImageURL: internal.URL + "/latest/meta-data/iam/security-credentials/role"})
	body := d.Body()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/webhooks/%d", ta.c.base, created.Inbox.ID), strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(meta.SignatureHeader, fake.Sign(body))
	resp, err := ta.c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook = %s", resp.Status)
	}
	var m care.Message
	waitFor(t, 15*time.Second, "the delivery threaded", func() bool {
		for _, c := range ta.c.conversations() {
			if c.InboxID == created.Inbox.ID {
				if msgs := ta.c.messages(c.ID); len(msgs) > 0 && len(msgs[0].Attachments) > 0 {
					m = msgs[0]
					return true
				}
			}
		}
		return false
	})

	cookie := signIn(t, ta.c, "brandadmin@example.com", "correct horse battery")
	req, _ = http.NewRequest("GET", fmt.Sprintf("%s/c/%d/media/%d/0", ta.c.base, m.ConversationID, m.ID), nil)
	req.AddCookie(cookie)
	resp, err = ta.c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if strings.Contains(string(got), "s3cr3t") || resp.StatusCode == http.StatusOK {
		t.Errorf("GET media = %s %q, want the internal service's answer withheld", resp.Status, got)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal service was called %d times, want never", n)
	}
}

// An API inbox's webhook_url on an internal address gets no reply posted
// to it; the log says why and what an operator can do.
func TestEgressAPIInboxWebhookRefusesInternalURL(t *testing.T) {
	internal, hits := internalService(t)
	ta := publicOnly(t)
	in := ta.c.createInbox("Web form", internal.URL+"/hook")
	ta.c.mustPost(in, customer("q1", "ana", "Where is my order?"))
	q := ta.c.inboundMessage(in.ID, "q1")
	var reply care.Message
	ta.c.call("POST", "/api/v1/conversations/"+itoa(q.ConversationID)+"/messages", map[string]any{"text": "On its way", "visibility": "public"}, http.StatusCreated, &reply)
	waitFor(t, 15*time.Second, "the reply's delivery tried", func() bool {
		reply = ta.c.message(q.ConversationID, reply.ID)
		return reply.Status == care.DeliverySent || reply.StatusReason != ""
	})
	if reply.Status == care.DeliverySent {
		t.Errorf("reply = %s %q, want not sent", reply.Status, reply.StatusReason)
	}
	if want := "Parley does not connect to 127.0.0.1 (a loopback address); an operator can allow it with " + netguard.Setting; !strings.Contains(ta.logs.String(), want) {
		t.Errorf("the log does not say %q", want)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal service was called %d times, want never", n)
	}
}

// signIn opens a web session and returns its cookie.
func signIn(t *testing.T, c *apiClient, email, password string) *http.Cookie {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := c.hc.Post(c.base+"/api/v1/session", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == api.SessionCookie {
			return ck
		}
	}
	t.Fatalf("sign in = %s, want a session cookie", resp.Status)
	return nil
}
