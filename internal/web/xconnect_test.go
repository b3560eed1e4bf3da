package web_test

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

const (
	xBrand = "1111111111111111111"
	xAna   = "2222222222222222222"
)

// xWorld is the web interface with the X adapter, a fake X on 127.0.0.1
// whose App lists the interface's callback, and a signed-in admin.
type xWorld struct {
	*fixture
	fake  *xfake.Fake
	xsrv  *httptest.Server
	a     *x.Adapter
	admin *care.User
	c     *client
}

func newXWorld(t *testing.T) *xWorld {
	t.Helper()
	w := &xWorld{fixture: newFixture(t), fake: xfake.New("consumer-secret")}
	w.fake.AddUser(xfake.User{ID: xBrand, Username: "acme", Name: "Acme Support"})
	w.fake.AddUser(xfake.User{ID: xAna, Username: "ana", Name: "Ana Lima"})
	w.xsrv = httptest.NewServer(w.fake)
	t.Cleanup(w.xsrv.Close)
	w.h.PublicURL = w.srv.URL
	w.fake.AddApp(xfake.App{ClientID: "client-1", ClientSecret: "client-secret", CallbackURLs: []string{w.srv.URL + "/inboxes/x/callback"}})
	w.fake.AuthorizeAs(xBrand)
	w.a = &x.Adapter{Client: &http.Client{Timeout: 10 * time.Second}, Logger: slog.New(slog.DiscardHandler)}
	reg := &channel.Registry{}
	reg.Register(care.ChannelX, w.a)
	w.h.Desk.Adapters = reg
	w.h.API.Adapters = reg
	w.admin = w.user("root@acme.test", "Root", care.RoleAdmin)
	w.c = w.loginAs(w.admin)
	return w
}

// start posts the "Connect an X account" form and returns the link to X.
func (w *xWorld) start(c *client, form url.Values) string {
	w.t.Helper()
	form.Set("client_id", "client-1")
	form.Set("client_secret", "client-secret")
	form.Set("api_base", w.xsrv.URL)
	res, body := c.act("/inboxes/x", form)
	if res.StatusCode != http.StatusOK {
		w.t.Fatalf("POST /inboxes/x = %d:\n%s", res.StatusCode, body)
	}
	link := regexpFind(w.t, body, `href="[^"]*/i/oauth2/authorize\?[^"]*"`)
	return html.UnescapeString(strings.TrimSuffix(strings.TrimPrefix(link, `href="`), `"`))
}

// visitX opens the link to X and returns the callback path X sent the
// browser back to.
func (w *xWorld) visitX(c *client, link string) string {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, link, nil)
	res, _ := c.do(req)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc, w.srv.URL+"/inboxes/x/callback?") {
		w.t.Fatalf("X answered %d to %q", res.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, w.srv.URL)
}

func (w *xWorld) xInboxes() []care.Inbox {
	w.t.Helper()
	ins, err := w.store.Inboxes(context.Background(), w.ws.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []care.Inbox
	for _, in := range ins {
		if in.Channel == care.ChannelX {
			out = append(out, in)
		}
	}
	return out
}

// An admin connects the brand's X account from the Inboxes page, through
// X's authorization page, and the inbox can answer a customer.
func TestConnectXAccount(t *testing.T) {
	w := newXWorld(t)
	_, page := w.c.get("/inboxes")
	for _, want := range []string{"Connect an X account", `action="/inboxes/x"`, w.srv.URL + "/inboxes/x/callback"} {
		if !strings.Contains(page, want) {
			t.Errorf("GET /inboxes lacks %s", want)
		}
	}
	link := w.start(w.c, url.Values{})
	if strings.Contains(link, "client-secret") {
		t.Errorf("the link to X carries the client secret")
	}
	callback := w.visitX(w.c, link)
	res, body := w.c.get(callback)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/inboxes/") {
		t.Fatalf("callback = %d to %q:\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	ins := w.xInboxes()
	if len(ins) != 1 {
		t.Fatalf("%d X inboxes, want 1", len(ins))
	}
	in := ins[0]
	if in.ExternalID != xBrand || in.Name != "@acme on X" || in.Credentials[x.CredClientID] != "client-1" ||
		in.Credentials[x.CredClientSecret] != "client-secret" || in.Credentials[x.CredRefreshToken] == "" ||
		in.Credentials[x.CredMode] != x.ModePoll || in.Credentials[x.CredAccessToken] != "" {
		t.Errorf("inbox = %s %q with credentials %v", in.ExternalID, in.Name, in.Credentials)
	}
	if res, page := w.c.get(res.Header.Get("Location")); res.StatusCode != http.StatusOK || !strings.Contains(page, "@acme on X") {
		t.Errorf("the new inbox's page = %d", res.StatusCode)
	}

	// The tokens work: a reply to a customer's mention goes out.
	mention := w.fake.AddPost(xfake.Post{AuthorID: xAna, Text: "@acme is my order on its way?"})
	out := channel.Outbound{Inbox: in, IdempotencyKey: "k1",
		Message: care.Message{ID: 1, Direction: care.DirectionOut, Visibility: care.Public, Text: "It is, Ana!", ReplyToPlatformID: mention.ID},
		Contact: care.Contact{ID: 1, Identities: []care.Identity{{ID: 1, Platform: care.ChannelX, PlatformUserID: xAna}}}}
	if _, err := w.a.Send(context.Background(), out); err != nil {
		t.Fatalf("a reply with the connected account: %v", err)
	}
	if n := len(w.fake.Posts()); n != 2 {
		t.Errorf("%d posts on X, want the mention and the reply", n)
	}

	// The same link again: the state is spent.
	res, body = w.c.get(callback)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "no longer valid") {
		t.Errorf("the callback again = %d:\n%s", res.StatusCode, body)
	}

	// Connecting the same account again renews the inbox's authorisation,
	// with the API secret now: it receives webhooks.
	first := in.Credentials[x.CredRefreshToken]
	w.visitAndFinish(w.c, w.start(w.c, url.Values{"consumer_secret": {"consumer-secret"}, "name": {"Acme support"}}))
	ins = w.xInboxes()
	if len(ins) != 1 || ins[0].ID != in.ID || ins[0].Credentials[x.CredRefreshToken] == first || ins[0].Name != "Acme support" ||
		ins[0].Credentials[x.CredConsumerSecret] != "consumer-secret" {
		t.Errorf("after reconnecting: %d inboxes, %+v", len(ins), ins)
	}
}

func (w *xWorld) visitAndFinish(c *client, link string) {
	w.t.Helper()
	if res, body := c.get(w.visitX(c, link)); res.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("callback = %d:\n%s", res.StatusCode, body)
	}
}

// Every way the callback can be wrong shows a page saying so, and stores
// nothing.
func TestConnectXAccountRefused(t *testing.T) {
	tests := []struct {
		name string
		// callback returns the path to visit after the admin started.
		callback   func(w *xWorld, link string) (c *client, path string)
		wantStatus int
		wantText   string
	}{
		{"declined on X", func(w *xWorld, link string) (*client, string) {
			w.fake.RefuseAuthorization()
			return w.c, w.visitX(w.c, link)
		}, http.StatusForbidden, "declined on X"},
		{"made-up state", func(w *xWorld, link string) (*client, string) {
			return w.c, "/inboxes/x/callback?state=guess&code=xac-1"
		}, http.StatusBadRequest, "no longer valid"},
		{"no state", func(w *xWorld, link string) (*client, string) {
			return w.c, "/inboxes/x/callback?code=xac-1"
		}, http.StatusBadRequest, "no longer valid"},
		{"another session", func(w *xWorld, link string) (*client, string) {
			return w.loginAs(w.admin), w.visitX(w.c, link)
		}, http.StatusBadRequest, "no longer valid"},
		{"another admin", func(w *xWorld, link string) (*client, string) {
			return w.loginAs(w.user("other@acme.test", "Other", care.RoleAdmin)), w.visitX(w.c, link)
		}, http.StatusBadRequest, "no longer valid"},
		{"expired", func(w *xWorld, link string) (*client, string) {
			path := w.visitX(w.c, link)
			w.now = w.now.Add(11 * time.Minute)
			return w.c, path
		}, http.StatusBadRequest, "no longer valid"},
		{"code refused by X", func(w *xWorld, link string) (*client, string) {
			path := w.visitX(w.c, link)
			u, _ := url.Parse(path)
			q := u.Query()
			q.Set("code", "xac-madeup")
			return w.c, u.Path + "?" + q.Encode()
		}, http.StatusBadRequest, "refused the authorisation"},
		{"X unreachable", func(w *xWorld, link string) (*client, string) {
			path := w.visitX(w.c, link)
			w.xsrv.Close()
			return w.c, path
		}, http.StatusServiceUnavailable, "did not answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newXWorld(t)
			link := w.start(w.c, url.Values{})
			c, path := tt.callback(w, link)
			res, body := c.get(path)
			if res.StatusCode != tt.wantStatus || !strings.Contains(html.UnescapeString(body), tt.wantText) {
				t.Errorf("callback = %d, want %d saying %q:\n%s", res.StatusCode, tt.wantStatus, tt.wantText, regexpFind(t, body, `(?s)<main.*</main>`))
			}
			if n := len(w.xInboxes()); n != 0 {
				t.Errorf("%d X inboxes stored, want none", n)
			}
			if tt.name == "another session" {
				// The attempt is spent for its own session too.
				if res, _ := w.c.get(path); res.StatusCode != http.StatusBadRequest {
					t.Errorf("the starting session after another used the state = %d, want 400", res.StatusCode)
				}
			}
		})
	}
}

func TestConnectXAccountForm(t *testing.T) {
	w := newXWorld(t)
	// A refused form keeps what is not secret.
	res, body := w.c.act("/inboxes/x", url.Values{"client_id": {""}, "client_secret": {"hunter2"}, "name": {"Acme <X>"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "Client ID is required") ||
		strings.Contains(body, "hunter2") || !strings.Contains(body, `value="Acme &lt;X&gt;"`) {
		t.Errorf("a form without client id = %d:\n%s", res.StatusCode, regexpFind(t, body, `(?s)<main.*</main>`))
	}
	// Agents cannot start one.
	if res, _ := w.login().act("/inboxes/x", url.Values{"client_id": {"client-1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an agent's POST /inboxes/x = %d, want 403", res.StatusCode)
	}
	// Without a CSRF token, nothing starts.
	if res, _ := w.c.post("/inboxes/x", url.Values{"client_id": {"client-1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /inboxes/x without the CSRF token = %d, want 403", res.StatusCode)
	}
	if n := len(w.fake.AuthorizeRequests()); n != 0 {
		t.Errorf("%d authorization requests reached X", n)
	}
}

// The health line prices what X bills, at X's list prices.
func TestXSpendOnInboxes(t *testing.T) {
	w := newXWorld(t)
	in := w.inboxOn(care.ChannelX, "Acme on X")
	c := w.conversationOn(in, "ana", care.Public, "2000", "@acme hi")
	ms := w.messages(c)
	for i, cat := range []string{x.ChargePostRead} {
		if err := w.store.RecordCharge(context.Background(), in.ID, ms[i].ID, cat, w.now); err != nil {
			t.Fatal(err)
		}
	}
	_, body := w.c.get("/inboxes")
	if want := "1 billed message this month (post read 1); ≈ $0.005 at X&#39;s list prices"; !strings.Contains(body, want) {
		t.Errorf("GET /inboxes lacks %q", want)
	}
}
