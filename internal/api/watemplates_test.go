package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// whatsAppWorld is a Parley with a WhatsApp inbox on the local fake Cloud
// API, which knows a template with named parameters and a positional one,
// and a conversation with a customer who wrote to it.
type whatsAppWorld struct {
	*testApp
	fake  *wafake.Fake
	agent string
	inbox care.ID
	conv  care.ID
}

func newWhatsAppWorld(t *testing.T, waba bool) *whatsAppWorld {
	t.Helper()
	w := &whatsAppWorld{testApp: startApp(t), fake: wafake.New("wa-app-secret")}
	w.fake.Approve(wafake.Template{Name: "order_ready", Language: "en_US", Category: "utility", ParameterFormat: "NAMED",
		Body: "Order {{order_id}} is ready, {{first_name}}."})
	w.fake.AddTemplate("order_update", "en_US", "utility", 2)
	srv := httptest.NewServer(w.fake.Handler())
	t.Cleanup(srv.Close)
	admin := w.token(t, workspace1, care.RoleAdmin)
	w.agent = w.token(t, workspace1, care.RoleAgent)
	creds := map[string]string{whatsapp.CredAppSecret: "wa-app-secret", whatsapp.CredAccessToken: wafake.DefaultAccessToken,
		whatsapp.CredAPIBase: srv.URL + "/v26.0"}
	if waba {
		creds[whatsapp.CredWABAID] = wafake.DefaultWABAID
	}
	var out struct {
		Inbox care.Inbox `json:"inbox"`
	}
	w.must(t, http.StatusCreated, admin, "POST", "/api/v1/inboxes", jsonBody(map[string]any{"channel": "whatsapp", "name": "WA",
		"external_id": wafake.DefaultPhoneNumberID, "credentials": creds}), &out)
	w.inbox = out.Inbox.ID
	w.fake.WebhookURL = fmt.Sprintf("%s/webhooks/%d", w.base, w.inbox)
	wamid, err := w.fake.Deliver(context.Background(), wafake.Message{From: "16505551234", Name: "Ana", Text: "Is my order ready?"})
	if err != nil {
		t.Fatal(err)
	}
	w.conv = w.waitMessage(t, w.inbox, wamid).ConversationID
	return w
}

func (w *whatsAppWorld) template(t *testing.T, body string) *result {
	t.Helper()
	return w.call(t, w.agent, "POST", fmt.Sprintf("/api/v1/conversations/%d/template", w.conv), body)
}

// TestSendNamedTemplateByName sends templates through the API: a named
// one by name, a positional one in order, and refuses, naming it, a
// parameter missing or one the template does not have.
func TestSendNamedTemplateByName(t *testing.T) {
	w := newWhatsAppWorld(t, true)

	var list struct {
		Templates []whatsapp.TemplateDef `json:"templates"`
	}
	w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/inboxes/%d/templates", w.inbox), "", &list)
	found := false
	for _, d := range list.Templates {
		if d.Name == "order_ready" {
			found = d.Format == whatsapp.FormatNamed && fmt.Sprint(d.BodyParams) == "[order_id first_name]"
		}
	}
	if !found {
		t.Errorf("templates = %+v, want order_ready with its named parameters", list.Templates)
	}

	for _, tt := range []struct {
		name, body, want string
	}{
		{"missing", `{"name":"order_ready","language":"en_US","parameters":{"first_name":"Ana"}}`, "Template order_ready needs a value for {{order_id}}."},
		{"unknown", `{"name":"order_ready","language":"en_US","parameters":{"first_name":"Ana","order_id":"#1","nickname":"A"}}`,
			"Template order_ready has no parameter {{nickname}}; its parameters are {{order_id}}, {{first_name}}."},
		{"in order to a named template", `{"name":"order_ready","language":"en_US","parameters":["#1","Ana"]}`, "has no parameter {{1}}, {{2}}"},
		{"by name to a positional template", `{"name":"order_update","language":"en_US","parameters":{"order":"#1"}}`, "has no parameter {{order}}; its parameters are {{1}}, {{2}}"},
		{"not in the account", `{"name":"order_ready","language":"de","parameters":{}}`, "has no template order_ready in de"},
		{"parameters not strings", `{"name":"order_ready","language":"en_US","parameters":{"order_id":5}}`, "object of strings"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if p := w.template(t, tt.body).problem(t, http.StatusBadRequest); !strings.Contains(p.Detail, tt.want) {
				t.Errorf("detail = %q, want %q", p.Detail, tt.want)
			}
		})
	}

	var m care.Message
	w.must(t, http.StatusCreated, w.agent, "POST", fmt.Sprintf("/api/v1/conversations/%d/template", w.conv),
		`{"name":"order_ready","language":"en_US","parameters":{"first_name":"Ana","order_id":"#5521"}}`, &m)
	if m.Text != "[Template order_ready · en_US]\nOrder #5521 is ready, Ana." || len(m.Attachments) != 1 ||
		m.Attachments[0].URL != "whatsapp-template:order_ready?body.first_name=Ana&body.order_id=%235521&language=en_US" {
		t.Errorf("stored template = %q %+v", m.Text, m.Attachments)
	}
	w.must(t, http.StatusCreated, w.agent, "POST", fmt.Sprintf("/api/v1/conversations/%d/template", w.conv),
		`{"name":"order_update","language":"en_US","parameters":["#5521","Tuesday"]}`, &m)

	// The outbox sends both; the fake takes the named one only by name.
	sent := w.waitSent(t, 2)
	params := func(s wafake.Sent) string {
		var req struct {
			Template struct {
				Components []struct {
					Parameters []map[string]string `json:"parameters"`
				} `json:"components"`
			} `json:"template"`
		}
		if err := json.Unmarshal(s.Body, &req); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(req.Template.Components[0].Parameters)
	}
	got := map[string]string{sent[0].Template: params(sent[0]), sent[1].Template: params(sent[1])}
	if got["order_ready"] != "[map[parameter_name:first_name text:Ana type:text] map[parameter_name:order_id text:#5521 type:text]]" ||
		got["order_update"] != "[map[text:#5521 type:text] map[text:Tuesday type:text]]" {
		t.Errorf("sent parameters = %v", got)
	}
}

// TestSendTemplateWithoutTemplateList: without the inbox's waba_id Parley
// cannot read its templates, so the values go as given, by name or in
// order, and a listing says what is missing.
func TestSendTemplateWithoutTemplateList(t *testing.T) {
	w := newWhatsAppWorld(t, false)
	if p := w.call(t, w.agent, "GET", fmt.Sprintf("/api/v1/inboxes/%d/templates", w.inbox), "").problem(t, http.StatusBadRequest); !strings.Contains(p.Detail, "waba_id") {
		t.Errorf("templates without waba_id: %q", p.Detail)
	}
	var m care.Message
	w.must(t, http.StatusCreated, w.agent, "POST", fmt.Sprintf("/api/v1/conversations/%d/template", w.conv),
		`{"name":"order_ready","language":"en_US","parameters":{"first_name":"Ana","order_id":"#5521"}}`, &m)
	if m.Text != "[Template order_ready · en_US]\nAna\n#5521" {
		t.Errorf("text = %q, want the name and values", m.Text)
	}
	if p := w.template(t, `{"name":"order_ready","language":"en_US","parameters":{"1":"a","x":"b"}}`).problem(t, http.StatusBadRequest); !strings.Contains(p.Detail, "all positional or all named") {
		t.Errorf("mixed parameters: %q", p.Detail)
	}
	if sent := w.waitSent(t, 1); !strings.Contains(string(sent[0].Body), `"parameter_name":"order_id"`) {
		t.Errorf("sent %s", sent[0].Body)
	}
}

// waitSent waits until the fake has accepted n messages.
func (w *whatsAppWorld) waitSent(t *testing.T, n int) []wafake.Sent {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if sent := w.fake.Sent(); len(sent) >= n {
			return sent
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fake accepted %d messages, want %d", len(w.fake.Sent()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
