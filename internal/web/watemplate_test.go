package web_test

import (
	"context"
	"net/http"
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
