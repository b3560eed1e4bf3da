package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// whatsAppConversation is a WhatsApp conversation whose customer wrote
// 30 hours ago: outside the 24-hour window, with the adapter's rules on.
func whatsAppConversation(t *testing.T) (*fixture, *care.Conversation) {
	t.Helper()
	f, conv := freshWhatsAppConversation(t)
	f.now = f.now.Add(30 * time.Hour)
	return f, conv
}

// freshWhatsAppConversation is a WhatsApp conversation whose customer has
// just written, with the adapter's rules on.
func freshWhatsAppConversation(t *testing.T) (*fixture, *care.Conversation) {
	t.Helper()
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelWhatsApp, &whatsapp.Adapter{})
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelWhatsApp, Name: "WA", ExternalID: wafake.DefaultPhoneNumberID,
		Credentials: map[string]string{whatsapp.CredAccessToken: wafake.DefaultAccessToken}}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return f, f.conversationOn(in, "Sheena", care.Private, "wamid.1", "is my order coming?")
}

func outboxDepth(t *testing.T, f *fixture) int {
	t.Helper()
	n, err := f.store.OutboxDepth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTemplateOutsideWindowIsQueued(t *testing.T) {
	f, conv := whatsAppConversation(t)
	c := f.login()
	_, page := c.get(convPath(conv, ""))
	form := regexpFind(t, page, `(?s)<details class="reply-form template-form" id="template-form" open>.*?</details>`)
	if !strings.Contains(form, `action="/c/`+itoa(conv.ID)+`/template"`) || !strings.Contains(form, `name="csrf"`) {
		t.Fatalf("template form = %s", form)
	}
	// A free-form reply is refused now: the template is the way through.
	if res, _ := c.act(convPath(conv, "/reply"), url.Values{"text": {"Yes, Tuesday."}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("free-form reply outside the window answered %d", res.StatusCode)
	}
	before := outboxDepth(t, f)

	res, _ := c.act(convPath(conv, "/template"), url.Values{"name": {"order_update"}, "language": {"en_US"},
		"body": {"#12345\r\nTuesday\r\n"}, "header": {"Sheena"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("template answered %d", res.StatusCode)
	}
	msgs := f.messages(conv)
	m := msgs[len(msgs)-1]
	if m.Direction != care.DirectionOut || m.Visibility != care.Private || m.Status != care.DeliveryQueued || m.AuthorID != f.agent.ID {
		t.Fatalf("stored template = %+v", m)
	}
	want := "whatsapp-template:order_update?body=%2312345&body=Tuesday&header=Sheena&language=en_US"
	if len(m.Attachments) != 1 || m.Attachments[0].Kind != whatsapp.TemplateKind || m.Attachments[0].Name != "order_update" || m.Attachments[0].URL != want {
		t.Fatalf("attachments = %+v, want one template %s", m.Attachments, want)
	}
	tp, err := whatsapp.ParseTemplate(m.Attachments[0])
	if err != nil || len(tp.Body) != 2 || tp.Body[1].Value != "Tuesday" || tp.Header != "Sheena" {
		t.Fatalf("ParseTemplate = %+v, %v", tp, err)
	}
	if got := outboxDepth(t, f); got != before+1 {
		t.Errorf("outbox depth %d → %d, want one entry more", before, got)
	}
	if !strings.Contains(m.Text, "order_update") || !strings.Contains(m.Text, "#12345") {
		t.Errorf("text = %q, want the template and its values named", m.Text)
	}
}

func TestTemplateBadNameRefused(t *testing.T) {
	f, conv := whatsAppConversation(t)
	c := f.login()
	n, before := len(f.messages(conv)), outboxDepth(t, f)
	res, page := c.act(convPath(conv, "/template"), url.Values{"name": {"Order-Update"}, "language": {"en_US"}, "body": {"#12345"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad name answered %d", res.StatusCode)
	}
	msg := regexpFind(t, page, `<p class="flash error" role="alert" id="template-error">[^<]*</p>`)
	if !strings.Contains(msg, "lower-case letters, digits and underscores") {
		t.Errorf("refusal = %s", msg)
	}
	for _, kept := range []string{`value="Order-Update"`, `value="en_US"`, `>#12345</textarea>`, `id="template-form" open`} {
		if !strings.Contains(page, kept) {
			t.Errorf("page lacks %s: the form is not kept", kept)
		}
	}
	if len(f.messages(conv)) != n || outboxDepth(t, f) != before {
		t.Error("a refused template was stored")
	}

	// Without the session's token nothing is sent either.
	res, _ = c.post(convPath(conv, "/template"), url.Values{"name": {"order_update"}, "language": {"en_US"}})
	if res.StatusCode != http.StatusForbidden || len(f.messages(conv)) != n {
		t.Errorf("template without CSRF token answered %d", res.StatusCode)
	}
}

func TestTemplateEscapesParameters(t *testing.T) {
	f, conv := whatsAppConversation(t)
	c := f.login()
	evil := `<script>alert(1)</script>"><img src=x onerror=alert(2)>`
	// Refused (a tab is not allowed in a parameter): the text comes back
	// in the form, escaped.
	res, page := c.act(convPath(conv, "/template"), url.Values{"name": {"order_update"}, "language": {"en_US"},
		"body": {evil + "\tmore"}, "header": {evil}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("parameter with a tab answered %d", res.StatusCode)
	}
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, "<img src=x") {
		t.Fatal("a refused parameter is on the page unescaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the refused parameter is not kept in the form")
	}
	// Sent: the conversation shows the values, escaped.
	if res, _ := c.act(convPath(conv, "/template"), url.Values{"name": {"order_update"}, "language": {"en_US"},
		"body": {evil}, "header": {evil}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("template answered %d", res.StatusCode)
	}
	_, page = c.get(convPath(conv, ""))
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, "<img src=x") {
		t.Fatal("a sent parameter is on the page unescaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)") {
		t.Error("the sent template's values are not shown")
	}
}

func TestTemplateOnlyOnWhatsApp(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Maya", "Hello?")
	c := f.login()
	if _, page := c.get(convPath(conv, "")); strings.Contains(page, `id="template-form"`) {
		t.Error("the template form is offered off WhatsApp")
	}
	n := len(f.messages(conv))
	res, _ := c.act(convPath(conv, "/template"), url.Values{"name": {"order_update"}, "language": {"en_US"}})
	if res.StatusCode == http.StatusSeeOther || len(f.messages(conv)) != n {
		t.Errorf("a template off WhatsApp answered %d and was stored", res.StatusCode)
	}
}

// namedTemplateConversation is a WhatsApp conversation outside the window,
// on an inbox whose account (the fake) has a template with named
// parameters, a positional one and one still pending.
func namedTemplateConversation(t *testing.T) (*fixture, *care.Conversation, *wafake.Fake) {
	t.Helper()
	f := newFixture(t)
	fake := wafake.New("app-secret")
	fake.Approve(wafake.Template{Name: "order_ready", Language: "en_US", Category: "utility", ParameterFormat: "NAMED",
		Header: "Hi {{first_name}}", Body: "Order {{order_id}} is <b>ready</b>, {{first_name}}."})
	fake.AddTemplate("order_update", "en_US", "utility", 2)
	fake.Approve(wafake.Template{Name: "not_yet", Language: "en_US", Body: "Soon", Status: "PENDING"})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	reg := &channel.Registry{}
	reg.Register(care.ChannelWhatsApp, &whatsapp.Adapter{Client: srv.Client()})
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelWhatsApp, Name: "WA", ExternalID: wafake.DefaultPhoneNumberID,
		Credentials: map[string]string{whatsapp.CredAccessToken: wafake.DefaultAccessToken, whatsapp.CredAPIBase: srv.URL + "/v26.0",
			whatsapp.CredWABAID: wafake.DefaultWABAID}}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	conv := f.conversationOn(in, "Sheena", care.Private, "wamid.1", "is my order ready?")
	f.now = f.now.Add(30 * time.Hour)
	return f, conv, fake
}

// TestNamedTemplateForm: the form offers the account's approved templates
// and, once one is chosen, one field per parameter, labelled with its
// name; what is missing is named when refused.
func TestNamedTemplateForm(t *testing.T) {
	f, conv, _ := namedTemplateConversation(t)
	c := f.login()
	_, page := c.get(convPath(conv, ""))
	form := regexpFind(t, page, `(?s)<details class="reply-form template-form" id="template-form" open>.*?</details>`)
	for _, want := range []string{`<option value="order_ready/en_US">order_ready · en_US</option>`, `<option value="order_update/en_US">`, `name="step" value="choose"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s:\n%s", want, form)
		}
	}
	if strings.Contains(form, "not_yet") || strings.Contains(form, `name="body"`) {
		t.Errorf("the form offers a pending template or asks for values by line:\n%s", form)
	}

	res, page := c.act(convPath(conv, "/template"), url.Values{"step": {"choose"}, "template": {"order_ready/en_US"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("choose answered %d", res.StatusCode)
	}
	form = regexpFind(t, page, `(?s)<form method="post" action="/c/\d+/template" id="template-send">.*?</form>`)
	for _, want := range []string{
		`<label>Header: first_name <input type="text" name="header" value="" required`,
		`<label>order_id <input type="text" name="p.order_id" value="" required`,
		`<label>first_name <input type="text" name="p.first_name" value="" required`,
		`<input type="hidden" name="name" value="order_ready">`,
		// The approved wording, escaped.
		"Hi {{first_name}}\nOrder {{order_id}} is &lt;b&gt;ready&lt;/b&gt;, {{first_name}}.",
	} {
		if !strings.Contains(form, want) {
			t.Errorf("the chosen template's form lacks %q:\n%s", want, form)
		}
	}
	if strings.Contains(form, "{{1}}") || strings.Contains(form, "<textarea") {
		t.Errorf("a named template is asked for positional values:\n%s", form)
	}

	// One missing: refused, naming it, the rest kept.
	n := len(f.messages(conv))
	evil := `"><script>alert(1)</script>`
	res, page = c.act(convPath(conv, "/template"), url.Values{"name": {"order_ready"}, "language": {"en_US"},
		"header": {evil}, "p.first_name": {"Sheena"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("missing parameter answered %d", res.StatusCode)
	}
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, `name="header" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Error("a refused value is not kept escaped in its field")
	}
	if msg := regexpFind(t, page, `<p class="flash error" role="alert" id="template-error">[^<]*</p>`); !strings.Contains(msg, "needs a value for {{order_id}}") {
		t.Errorf("refusal = %s", msg)
	}
	if !strings.Contains(page, `name="p.first_name" value="Sheena"`) || len(f.messages(conv)) != n {
		t.Error("the refused form was not kept, or something was stored")
	}

	res, _ = c.act(convPath(conv, "/template"), url.Values{"name": {"order_ready"}, "language": {"en_US"},
		"header": {"Sheena"}, "p.first_name": {"Sheena"}, "p.order_id": {"#5521"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("template answered %d", res.StatusCode)
	}
	msgs := f.messages(conv)
	m := msgs[len(msgs)-1]
	want := "whatsapp-template:order_ready?body.first_name=Sheena&body.order_id=%235521&header.first_name=Sheena&language=en_US"
	if len(m.Attachments) != 1 || m.Attachments[0].URL != want || m.Status != care.DeliveryQueued {
		t.Errorf("stored %+v, want the template %s queued", m.Attachments, want)
	}
	if m.Text != "[Template order_ready · en_US]\nHi Sheena\nOrder #5521 is <b>ready</b>, Sheena." {
		t.Errorf("text = %q, want the approved wording filled in", m.Text)
	}
	_, page = c.get(convPath(conv, ""))
	if strings.Contains(page, "<b>ready</b>") {
		t.Error("the template's wording is on the page unescaped")
	}

	// A positional template's fields are labelled {{1}}, {{2}}.
	_, page = c.act(convPath(conv, "/template"), url.Values{"step": {"choose"}, "template": {"order_update/en_US"}})
	for _, want := range []string{`<label>{{1}} <input type="text" name="p.1"`, `<label>{{2}} <input type="text" name="p.2"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the positional template's form lacks %s", want)
		}
	}
}
