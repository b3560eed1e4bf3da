package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
	"github.com/parleyhq/parley/internal/web"
)

const password = "correct horse battery"

// fixture is the web interface over a fresh store, without the rest of
// Parley: two workspaces, an agent in the first, an inbox in each.
type fixture struct {
	t      testing.TB
	store  care.Store
	h      *web.Handler
	srv    *httptest.Server
	ws     *care.Workspace
	other  *care.Workspace
	agent  *care.User
	inbox  *care.Inbox
	inbox2 *care.Inbox
	now    time.Time
	seq    int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := newBareFixture(t)
	ctx := context.Background()
	f.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	f.other = &care.Workspace{Slug: "globex", Name: "Globex"}
	for _, w := range []*care.Workspace{f.ws, f.other} {
		if err := f.store.CreateWorkspace(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if f.agent, _, err = accounts.CreateUser(ctx, f.store, f.ws.ID, "sam@acme.test", "Sam Agent", care.RoleAgent, password, f.now); err != nil {
		t.Fatal(err)
	}
	f.inbox = &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelAPI, Name: "Web form", Credentials: map[string]string{}}
	f.inbox2 = &care.Inbox{WorkspaceID: f.other.ID, Channel: care.ChannelAPI, Name: "Globex form", Credentials: map[string]string{}}
	for _, in := range []*care.Inbox{f.inbox, f.inbox2} {
		if err := f.store.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// fixtureSessionTTL is the fixture's session lifetime. The session cookie
// expires by the fixture's clock, but the client's cookie jar drops it by
// the real one: sessions long enough that the fixed date never ends them.
const fixtureSessionTTL = 100 * 365 * 24 * time.Hour

// newBareFixture is the interface over an empty store: no workspace, no
// user.
func newBareFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, store: testdb.SQLite(t), now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	now := func() time.Time { return f.now }
	f.h = &web.Handler{Store: f.store, Desk: &desk.Service{Store: f.store, Now: now, Adapters: declaredAdapters(t)}, Now: now, Location: time.UTC,
		API: &api.Server{Store: f.store, Now: now, SessionTTL: fixtureSessionTTL, Settings: fixtureSettings}}
	mux := http.NewServeMux()
	f.h.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// declared stands for a channel's adapter with only what the pages ask of
// it, what the channel can do, as the real adapter declares it; it sends
// nothing, and checks nothing, so the fixture's replies are only stored.
type declared struct{ channel.Capable }

func (declared) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, errors.New("the fixture sends nothing")
}

// declaredAdapters has a declared stand-in for every adapter Parley
// ships.
func declaredAdapters(t testing.TB) *channel.Registry {
	t.Helper()
	shipped := app.Adapters("", nil)
	reg := &channel.Registry{}
	for _, ch := range shipped.Channels() {
		s, _ := shipped.Sender(ch)
		c, ok := s.(channel.Capable)
		if !ok {
			t.Fatalf("the %s adapter declares no capabilities", ch)
		}
		reg.Register(ch, declared{c})
	}
	return reg
}

// conversation stores a conversation of the workspace's inbox with one
// customer message.
func (f *fixture) conversation(in *care.Inbox, author, text string) *care.Conversation {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	id, _, err := f.store.ResolveIdentity(ctx, in.WorkspaceID, in.Channel,
		care.Author{PlatformUserID: "u-" + author, DisplayName: author, Handle: "h" + strconv.Itoa(f.seq), Followers: 12345, Verified: true}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: in.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID,
		CreatedAt: f.now, LastActivityAt: f.now}
	if err := f.store.CreateConversation(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	f.message(c, text)
	c, err = f.store.Conversation(ctx, c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// inboxOn adds an inbox of the given channel to the fixture's workspace.
func (f *fixture) inboxOn(ch care.Channel, name string) *care.Inbox {
	f.t.Helper()
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: ch, Name: name, ExternalID: name, Credentials: map[string]string{}}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		f.t.Fatal(err)
	}
	return in
}

// conversationOn stores a conversation of the inbox with one customer
// message of the given visibility and platform id.
func (f *fixture) conversationOn(in *care.Inbox, author string, vis care.Visibility, platformID, text string) *care.Conversation {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	id, _, err := f.store.ResolveIdentity(ctx, in.WorkspaceID, in.Channel,
		care.Author{PlatformUserID: "u-" + author, DisplayName: author, Handle: "h" + strconv.Itoa(f.seq)}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: in.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID,
		CreatedAt: f.now, LastActivityAt: f.now}
	if err := f.store.CreateConversation(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionIn,
		Visibility: vis, ContactID: c.ContactID, Text: text, PlatformID: platformID, Status: care.DeliveryReceived, CreatedAt: f.now, SentAt: f.now}
	if err := f.store.CreateMessage(ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return f.reload(c)
}

// user adds a member of the workspace with the fixture's password.
func (f *fixture) user(email, name string, role care.Role) *care.User {
	f.t.Helper()
	u, _, err := accounts.CreateUser(context.Background(), f.store, f.ws.ID, email, name, role, password, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// setting stores a workspace setting.
func (f *fixture) setting(name, doc string) {
	f.t.Helper()
	if err := f.store.SetSetting(context.Background(), f.ws.ID, name, []byte(doc), f.now); err != nil {
		f.t.Fatal(err)
	}
}

// message adds a customer message to c.
func (f *fixture) message(c *care.Conversation, text string) *care.Message {
	f.t.Helper()
	f.seq++
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: c.ContactID, Text: text, PlatformID: "p-" + strconv.Itoa(f.seq),
		Status: care.DeliveryReceived, CreatedAt: f.now, SentAt: f.now}
	if err := f.store.CreateMessage(context.Background(), m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) messages(c *care.Conversation) []care.Message {
	f.t.Helper()
	ms, err := f.store.Messages(context.Background(), c.ID, 0, 500)
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func (f *fixture) reload(c *care.Conversation) *care.Conversation {
	f.t.Helper()
	c, err := f.store.Conversation(context.Background(), c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so tests see them.
type client struct {
	t    testing.TB
	base string
	c    *http.Client
	csrf string
}

func (f *fixture) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: f.t, base: f.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login signs the agent in through the form and picks up the CSRF token.
func (f *fixture) login() *client {
	f.t.Helper()
	return f.loginAs(f.agent)
}

// loginAs signs a user in through the form and picks up the CSRF token.
func (f *fixture) loginAs(u *care.User) *client {
	f.t.Helper()
	c := f.client()
	res, _ := c.post("/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("POST /login = %d, want 303", res.StatusCode)
	}
	_, body := c.get("/")
	c.csrf = csrfToken(f.t, body)
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfToken(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the page:\n%s", page)
	}
	return m[1]
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// act posts a form with the session's CSRF token.
func (c *client) act(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf)
	return c.post(path, form)
}

func convPath(c *care.Conversation, suffix string) string {
	return "/c/" + strconv.FormatInt(c.ID, 10) + suffix
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// regexpFind returns the first match of pattern in s, failing the test
// when there is none.
func regexpFind(t testing.TB, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(s)
	if m == "" {
		t.Fatalf("no match for %s", pattern)
	}
	return m
}

// fixtureSettings are the settings the web's forms save, validated as the
// app validates them, with its defaults (internal/app/settings.go).
var fixtureSettings = map[string]api.Setting{
	listen.SettingName: {Validate: func(doc []byte) error { _, err := listen.ParseSettings(doc); return err }},
	triage.SettingName: {Validate: func(doc []byte) error { _, err := triage.ParseSettings(doc); return err },
		Default: json.RawMessage(`{"topics":null}`)},
	automator.SettingName: {Validate: func(doc []byte) error { _, err := automator.Parse(doc); return err },
		Default: json.RawMessage(`{"mode":"all","rules":[]}`)},
	csat.SettingName: {Validate: func(doc []byte) error { _, _, err := csat.ParseSettings(doc); return err },
		Default: json.RawMessage(`{"enabled":false}`)},
	desk.ApprovalSettingName: {Validate: func(doc []byte) error { _, _, err := desk.ParseApprovalSettings(doc); return err },
		Default: json.RawMessage(`{"roles":[],"tags":[],"words":[],"sla":"15m"}`)},
	savedreply.SettingName: {Validate: func(doc []byte) error { _, err := savedreply.Parse(doc); return err },
		Default: json.RawMessage(`{"replies":[]}`)},
	desk.SettingName: {Validate: func(doc []byte) error { _, err := desk.ParseSettings(doc); return err },
		Default: json.RawMessage(`{"only_assignee_replies":false}`)},
	screen.SettingName: {Validate: func(doc []byte) error { _, err := screen.Parse(doc); return err },
		Default: json.RawMessage(`{"rules":[]}`)},
	deadline.SettingName: {Validate: func(doc []byte) error { _, _, err := deadline.ParseSettings(doc); return err },
		Default: json.RawMessage(`{"policies":[]}`)},
}
