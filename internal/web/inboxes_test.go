package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/telegram"
)

func TestInboxesPage(t *testing.T) {
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelAPI, &apiinbox.Sender{})
	reg.Register(care.ChannelTelegram, &telegram.Adapter{})
	f.h.Desk.Adapters = reg
	f.h.API.Adapters = reg
	f.h.API.PublicURL = "https://care.example.com"
	admin := f.user("root@acme.test", "Root", care.RoleAdmin)
	c := f.loginAs(admin)

	_, body := c.get("/inboxes")
	for _, want := range []string{"Web form", `<option value="telegram">Telegram</option>`, `action="/inboxes"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /inboxes lacks %s", want)
		}
	}
	res, body := c.act("/inboxes", url.Values{"channel": {"api"}, "name": {"Shop <form>"}, "webhook_url": {"https://shop.example.com/hook"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("connect answered %d:\n%s", res.StatusCode, regexpFind(t, body, `(?s)<main.*</main>`))
	}
	for _, want := range []string{"shown this once", "prl_inbox_", "whsec_", "Shop &lt;form&gt;", "https://care.example.com/api/v1/inboxes/"} {
		if !strings.Contains(body, want) {
			t.Errorf("the new inbox's page lacks %s", want)
		}
	}
	// Telegram: the adapter checks the credentials and generates the secret.
	res, body = c.act("/inboxes", url.Values{"channel": {"telegram"}, "name": {"Bot"},
		"credentials": {"bot_token = 123456789:AAHfakeTokenForParleyTests-0123456789_abc\n# comment\nbot_username = acme_bot"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(body, "setWebhook") {
		t.Errorf("telegram connect answered %d without the setWebhook instruction", res.StatusCode)
	}
	if strings.Contains(body, "AAHfakeToken") {
		t.Errorf("the page shows the bot token back")
	}
	// Refused: the reason, the fields kept, the secrets not echoed.
	res, body = c.act("/inboxes", url.Values{"channel": {"telegram"}, "name": {"Bot 2"}, "credentials": {"bot_username = x\nsecret_token = hunter2"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Bot 2"`) || strings.Contains(body, "hunter2") {
		t.Errorf("a refused connect answered %d, or lost the name, or echoed a secret", res.StatusCode)
	}
	if res, _ := c.act("/inboxes", url.Values{"channel": {"api"}, "name": {"x"}, "credentials": {"no equals sign"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a malformed credentials line answered %d", res.StatusCode)
	}
	ins, _ := f.store.Inboxes(t.Context(), f.ws.ID)
	if len(ins) != 3 {
		t.Errorf("%d inboxes stored, want the fixture's and the two connected", len(ins))
	}
	// Agents neither see nor use it.
	ag := f.login()
	if res, _ := ag.get("/inboxes"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an agent's GET /inboxes = %d, want 403", res.StatusCode)
	}
	if res, _ := ag.act("/inboxes", url.Values{"channel": {"api"}, "name": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an agent's connect = %d, want 403", res.StatusCode)
	}
	// Another workspace's inbox is not found.
	if res, _ := c.get("/inboxes/" + itoa(f.inbox2.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another workspace's inbox = %d, want 404", res.StatusCode)
	}
}

// The last error stays on the health line, but it alarms only while it is
// the latest news: once a send or an event came after it, the inbox works
// again and the line says so.
func TestInboxErrorPast(t *testing.T) {
	f := newFixture(t)
	c := f.loginAs(f.user("root@acme.test", "Root", care.RoleAdmin))
	row := func() string {
		t.Helper()
		_, body := c.get("/inboxes")
		return regexpFind(t, body, `<td class="health-[a-z]+">[^\n]*token expired[^\n]*</td>`)
	}
	failed := f.now.Add(-time.Hour)
	if err := f.store.RecordInboxHealth(t.Context(), f.inbox.ID, care.HealthUpdate{Error: "token expired", ErrorAt: failed, SendAt: failed.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got := row(); !strings.Contains(got, `class="health-error"`) || strings.Contains(got, "working since") {
		t.Errorf("a current error shows as %s", got)
	}
	if err := f.store.RecordInboxHealth(t.Context(), f.inbox.ID, care.HealthUpdate{SendAt: failed.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got := row(); !strings.Contains(got, `class="health-past"`) || !strings.Contains(got, "working since") {
		t.Errorf("an error followed by a send shows as %s", got)
	}
}

// An API inbox takes no platform's webhook: its page says where a
// developer posts customers' messages and where agents' replies go, and
// warns when replies have nowhere to go.
func TestAPIInboxPageSaysWhereMessagesGo(t *testing.T) {
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelAPI, &apiinbox.Sender{})
	reg.Register(care.ChannelTelegram, &telegram.Adapter{})
	f.h.Desk.Adapters = reg
	f.h.API.Adapters = reg
	f.h.API.PublicURL = "https://care.example.com"
	c := f.loginAs(f.user("root@acme.test", "Root", care.RoleAdmin))

	res, body := c.act("/inboxes", url.Values{"channel": {"api"}, "name": {"Support form"}, "webhook_url": {"https://shop.example.com/hook?a=1&b=<2>"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("connect answered %d", res.StatusCode)
	}
	ins, err := f.store.Inboxes(t.Context(), f.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(ins[len(ins)-1].ID)
	intake := "<code>POST https://care.example.com/api/v1/inboxes/" + id + "/messages</code>"
	for _, page := range []string{body, func() string { _, b := c.get("/inboxes/" + id); return b }()} {
		if got := regexpFind(t, page, `<dd id="intake-url">.*?</dd>`); !strings.Contains(got, intake) || !strings.Contains(got, "inbox token") {
			t.Errorf("where messages go = %s, want %s with the inbox token", got, intake)
		}
		if got := regexpFind(t, page, `<dd id="replies-to">.*?</dd>`); !strings.Contains(got, "<code><bdi>https://shop.example.com/hook?a=1&amp;b=&lt;2&gt;</bdi></code>") {
			t.Errorf("where replies go = %s, want the webhook URL entered, escaped", got)
		}
		if strings.Contains(page, "/webhooks/"+id) || strings.Contains(page, `id="no-webhook"`) {
			t.Errorf("an API inbox with a webhook URL shows the platforms' webhook URL, or a warning:\n%s", regexpFind(t, page, `(?s)<section class="inbox-detail".*?</section>`))
		}
	}

	// Without a webhook URL, replies cannot be delivered: the page says so.
	res, body = c.act("/inboxes", url.Values{"channel": {"api"}, "name": {"No hook"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("connect answered %d", res.StatusCode)
	}
	if got := regexpFind(t, body, `<p class="flash warn" id="no-webhook"[^>]*>.*?</p>`); !strings.Contains(got, "cannot be delivered") || !strings.Contains(got, "PATCH /api/v1/inboxes/") {
		t.Errorf("the warning = %s", got)
	}

	// A platform's inbox keeps its webhook URL.
	_, body = c.act("/inboxes", url.Values{"channel": {"telegram"}, "name": {"Bot"},
		"credentials": {"bot_token = 123456789:AAHfakeTokenForParleyTests-0123456789_abc\nbot_username = acme_bot"}})
	if !strings.Contains(body, "<dt>Webhook URL</dt><dd><code>https://care.example.com/webhooks/") || strings.Contains(body, `id="intake-url"`) {
		t.Errorf("a Telegram inbox's page lacks its webhook URL, or shows an API inbox's intake")
	}
}
