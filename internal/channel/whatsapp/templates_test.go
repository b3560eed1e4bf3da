package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// orderReady is a template with named parameters, in the fake.
var orderReady = wafake.Template{Name: "order_ready", Language: "en_US", Category: "utility", ParameterFormat: "NAMED",
	Header: "Hi {{first_name}}", Body: "Order {{order_id}} is ready, {{first_name}}."}

// templateOut is a reply carrying tmpl, from an inbox whose account id
// Parley knows (waba) or not.
func (w *world) templateOut(tmpl Template, waba bool) channel.Outbound {
	out := w.outbound("", tmpl.Attachment())
	if waba {
		out.Inbox.Credentials[CredWABAID] = wafake.DefaultWABAID
	}
	return out
}

// bodyParams is the body component's parameters of the n-th accepted send.
func (w *world) bodyParams(t *testing.T, n int) []any {
	t.Helper()
	tmpl, _ := w.sentBody(t, n)["template"].(map[string]any)
	comps, _ := tmpl["components"].([]any)
	for _, c := range comps {
		if c := c.(map[string]any); c["type"] == "body" {
			return c["parameters"].([]any)
		}
	}
	t.Fatalf("send %d has no body component: %v", n, tmpl)
	return nil
}

// TestSendNamedTemplate sends a template with named parameters through the
// fake, which refuses one without parameter_name as WhatsApp does: by name
// it goes through, and values in order are named from the template's list.
func TestSendNamedTemplate(t *testing.T) {
	w := newWorld(t)
	w.fake.Approve(orderReady)
	byName := Template{Name: "order_ready", Language: "en_US", Header: "Ana", HeaderName: "first_name",
		Body: []TemplateParam{{Name: "order_id", Value: "#5521"}, {Name: "first_name", Value: "Ana"}}}
	if _, err := w.a.Send(context.Background(), w.templateOut(byName, false)); err != nil {
		t.Fatalf("Send by name: %v", err)
	}
	want := []any{
		map[string]any{"type": "text", "parameter_name": "first_name", "text": "Ana"},
		map[string]any{"type": "text", "parameter_name": "order_id", "text": "#5521"},
	}
	if diff := cmp.Diff(want, w.bodyParams(t, 0)); diff != "" {
		t.Errorf("body parameters (-want +got):\n%s", diff)
	}

	// In order, from an inbox whose templates Parley cannot read: WhatsApp
	// refuses it.
	inOrder := Template{Name: "order_ready", Language: "en_US", Header: "Ana", Body: []TemplateParam{{Value: "#5521"}, {Value: "Ana"}}}
	_, err := w.a.Send(context.Background(), w.templateOut(inOrder, false))
	if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "Parameter name is missing or empty") {
		t.Fatalf("positional send of a named template without its list = %v, want WhatsApp's refusal", err)
	}
	// With the account id the adapter reads the template and names them.
	if _, err := w.a.Send(context.Background(), w.templateOut(inOrder, true)); err != nil {
		t.Fatalf("Send in order with the template list: %v", err)
	}
	if diff := cmp.Diff(want, w.bodyParams(t, 1)); diff != "" {
		t.Errorf("body parameters named from the list (-want +got):\n%s", diff)
	}
	hdr := w.sentBody(t, 1)["template"].(map[string]any)["components"].([]any)[0].(map[string]any)
	if p := hdr["parameters"].([]any)[0].(map[string]any); hdr["type"] != "header" || p["parameter_name"] != "first_name" {
		t.Errorf("header component = %v, want its parameter named", hdr)
	}

	// A name the template does not have fails for good, before WhatsApp.
	before := len(w.fake.Sent())
	bad := Template{Name: "order_ready", Language: "en_US", Header: "Ana", Body: []TemplateParam{{Name: "order", Value: "#1"}, {Name: "first_name", Value: "Ana"}}}
	_, err = w.a.Send(context.Background(), w.templateOut(bad, true))
	if se := sendErr(t, err); !se.Permanent || !se.Refused || !strings.Contains(se.Reason, "has no parameter {{order}}") {
		t.Errorf("Send with an unknown name = %v, want a permanent error naming it", err)
	}
	if len(w.fake.Sent()) != before {
		t.Error("a template with an unknown parameter reached WhatsApp")
	}

	// Positional templates are sent as they were.
	w.fake.AddTemplate("order_update", "en_US", "utility", 2)
	pos := Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "#5521"}, {Value: "Tuesday"}}}
	if _, err := w.a.Send(context.Background(), w.templateOut(pos, true)); err != nil {
		t.Fatalf("Send positional: %v", err)
	}
	if diff := cmp.Diff([]any{map[string]any{"type": "text", "text": "#5521"}, map[string]any{"type": "text", "text": "Tuesday"}},
		w.bodyParams(t, 2)); diff != "" {
		t.Errorf("positional parameters (-want +got):\n%s", diff)
	}
	named := Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}}
	if _, err := w.a.Send(context.Background(), w.templateOut(named, false)); !strings.Contains(sendErr(t, err).Reason, "132012") {
		t.Errorf("named values to a positional template = %v, want WhatsApp's 132012", err)
	}
}

// TestTemplatesList reads a list longer than a page from the fake, and
// keeps it.
func TestTemplatesList(t *testing.T) {
	w := newWorld(t)
	w.fake.Approve(orderReady)
	for i := range 120 {
		w.fake.AddTemplate(fmt.Sprintf("bulk_%03d", i), "en_US", "marketing", i%3)
	}
	in := w.templateOut(Template{}, true).Inbox
	defs, err := w.a.Templates(context.Background(), in, TemplateMaxAge)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 122 { // with the fake's hello_world
		t.Fatalf("read %d templates, want 122", len(defs))
	}
	d, found, err := LookupTemplate(context.Background(), w.a, in, "order_ready", "en_US")
	if err != nil || !found || !d.Named() || !cmp.Equal(d.BodyParams, []string{"order_id", "first_name"}) || !d.Approved() {
		t.Errorf("LookupTemplate = %+v, %v, %v", d, found, err)
	}

	// Kept: a template approved since is found once the list is old
	// enough to be read again, not before.
	w.fake.AddTemplate("fresh", "de", "utility", 0)
	if _, found, _ := LookupTemplate(context.Background(), w.a, in, "fresh", "de"); found {
		t.Error("the list was read again at once")
	}
	w.now = w.now.Add(templateRecheck)
	if _, found, _ := LookupTemplate(context.Background(), w.a, in, "fresh", "de"); !found {
		t.Error("a template missing from the list was not looked for again")
	}

	noWABA := w.outbound("").Inbox
	if _, err := w.a.Templates(context.Background(), noWABA, TemplateMaxAge); !errors.Is(err, ErrNoTemplateList) {
		t.Errorf("Templates without waba_id = %v, want ErrNoTemplateList", err)
	}
	badToken := in
	badToken.Credentials = map[string]string{CredAccessToken: "nope", CredWABAID: wafake.DefaultWABAID, CredAPIBase: in.Credentials[CredAPIBase]}
	if _, err := w.a.Templates(context.Background(), badToken, TemplateMaxAge); err == nil || !strings.Contains(err.Error(), "190") {
		t.Errorf("Templates with a bad token = %v, want the Graph error", err)
	}
}

// TestFillTemplate checks the values an agent gives against the account's
// template, naming what is missing or unknown.
func TestFillTemplate(t *testing.T) {
	w := newWorld(t)
	w.fake.Approve(orderReady)
	w.fake.Approve(wafake.Template{Name: "draft", Language: "en_US", Body: "Hi", Status: "PENDING"})
	in := w.templateOut(Template{}, true).Inbox
	ctx := context.Background()
	tmpl, text, err := FillTemplate(ctx, w.a, in, TemplateValues{Name: "order_ready", Language: "en_US", Header: "Ana",
		Body: map[string]string{"first_name": "Ana", "order_id": "#5521"}})
	if err != nil || text != "[Template order_ready · en_US]\nHi Ana\nOrder #5521 is ready, Ana." || tmpl.HeaderName != "first_name" {
		t.Fatalf("FillTemplate = %+v, %q, %v", tmpl, text, err)
	}
	for _, tt := range []struct {
		v    TemplateValues
		want string
	}{
		{TemplateValues{Name: "order_ready", Language: "en_US", Header: "Ana", Body: map[string]string{"first_name": "Ana"}}, "needs a value for {{order_id}}"},
		{TemplateValues{Name: "order_ready", Language: "en_US", Header: "Ana", Body: map[string]string{"first_name": "Ana", "order_id": "1", "x": "2"}}, "has no parameter {{x}}"},
		{TemplateValues{Name: "order_ready", Language: "pt_BR"}, "has no template order_ready in pt_BR"},
		{TemplateValues{Name: "draft", Language: "en_US"}, "is PENDING"},
		{TemplateValues{Name: "Order", Language: "en_US"}, "lower-case"},
	} {
		if _, _, err := FillTemplate(ctx, w.a, in, tt.v); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
			t.Errorf("FillTemplate(%+v) = %v, want EINVALID about %q", tt.v, err, tt.want)
		}
	}
	// Without the account id, built from the values alone.
	tmpl, text, err = FillTemplate(ctx, w.a, w.outbound("").Inbox, TemplateValues{Name: "order_ready", Language: "en_US",
		Body: map[string]string{"order_id": "#1"}})
	if err != nil || tmpl.Body[0].Name != "order_id" || text != "[Template order_ready · en_US]\n#1" {
		t.Errorf("FillTemplate unchecked = %+v, %q, %v", tmpl, text, err)
	}
}
