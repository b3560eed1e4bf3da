package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

const customerPhone = "16505551234"

// world is an adapter talking to a fake Cloud API over real HTTP.
type world struct {
	fake *wafake.Fake
	srv  *httptest.Server
	a    *Adapter
	now  time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{fake: wafake.New("app-secret"), now: testNow}
	w.fake.Now = func() time.Time { return w.now }
	w.srv = httptest.NewServer(w.fake.Handler())
	t.Cleanup(w.srv.Close)
	w.a = &Adapter{Client: w.srv.Client(), Now: func() time.Time { return w.now }}
	return w
}

// outbound is a reply to the customer, answering wamid.in-1.
func (w *world) outbound(text string, atts ...care.Attachment) channel.Outbound {
	return channel.Outbound{
		Message: care.Message{ID: 42, Direction: care.DirectionOut, Visibility: care.Private, Text: text, Attachments: atts,
			ReplyToPlatformID: "wamid.in-1", Status: care.DeliveryQueued},
		Inbox: care.Inbox{ID: 3, Channel: care.ChannelWhatsApp, ExternalID: wafake.DefaultPhoneNumberID, Credentials: map[string]string{
			CredAppSecret: "app-secret", CredAccessToken: wafake.DefaultAccessToken, CredAPIBase: w.srv.URL + "/v26.0/"}},
		Contact: care.Contact{ID: 11, Name: "Sheena", Identities: []care.Identity{
			{ID: 20, Platform: care.ChannelWhatsApp, PlatformUserID: wafake.BSUID(customerPhone), Handle: "+" + customerPhone},
		}},
		IdempotencyKey: "parley-message-42",
	}
}

// sentBody returns the JSON of the n-th request the fake accepted.
func (w *world) sentBody(t *testing.T, n int) map[string]any {
	t.Helper()
	sent := w.fake.Sent()
	if len(sent) <= n {
		t.Fatalf("the fake accepted %d messages, want at least %d", len(sent), n+1)
	}
	var m map[string]any
	if err := json.Unmarshal(sent[n].Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendTextInWindow(t *testing.T) {
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, customerPhone, w.now.Add(-23*time.Hour))
	res, err := w.a.Send(context.Background(), w.outbound("Hi! Your order ships tomorrow: https://example.com/t/5521"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := w.fake.Sent()
	if diff := cmp.Diff(channel.Result{PlatformID: sent[0].ID, Status: care.DeliverySent}, res); diff != "" {
		t.Errorf("Send result (-want +got):\n%s", diff)
	}
	want := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual",
		"to": customerPhone, "recipient": wafake.BSUID(customerPhone),
		"type": "text", "text": map[string]any{"body": "Hi! Your order ships tomorrow: https://example.com/t/5521", "preview_url": true},
		"context":                  map[string]any{"message_id": "wamid.in-1"},
		"biz_opaque_callback_data": "parley-message-42",
	}
	if diff := cmp.Diff(want, w.sentBody(t, 0)); diff != "" {
		t.Errorf("request body (-want +got):\n%s", diff)
	}
}

// TestSendMatchesSample checks the request against the documented sample in
// testdata (shared/channel-samples/whatsapp/send_text_request.json).
func TestSendMatchesSample(t *testing.T) {
	var sample map[string]any
	b, err := os.ReadFile("testdata/send_text_request.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, "16315551181", w.now)
	out := w.outbound("Hi! Your order ships tomorrow.")
	out.Message.ReplyToPlatformID = "wamid.HBgLNjAxNzM1MjYyMzMVAgASGBQzQUI0NkE4NjM1QTU2NjVGOURGQgA="
	out.Contact.Identities[0].PlatformUserID, out.Contact.Identities[0].Handle = "16315551181", ""
	out.IdempotencyKey = ""
	if _, err := w.a.Send(context.Background(), out); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if diff := cmp.Diff(sample, w.sentBody(t, 0)); diff != "" {
		t.Errorf("request body differs from the documented sample (-want +got):\n%s", diff)
	}
}

func TestSendTemplateOutsideWindow(t *testing.T) {
	w := newWorld(t)
	w.fake.AddTemplate("order_update", "en_US", "utility", 1)
	tmpl := Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "#12345"}}}
	out := w.outbound("Your order #12345 has shipped.", tmpl.Attachment())
	out.Contact.Identities[0].PlatformUserID, out.Contact.Identities[0].Handle = "16315551181", ""
	out.Message.ReplyToPlatformID, out.IdempotencyKey = "", ""
	res, err := w.a.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if sent := w.fake.Sent(); res.PlatformID != sent[0].ID || sent[0].Template != "order_update" {
		t.Errorf("Send = %+v, fake accepted %+v", res, sent)
	}
	var sample map[string]any
	b, err := os.ReadFile("testdata/send_template_request.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sample, w.sentBody(t, 0)); diff != "" {
		t.Errorf("template request differs from the documented sample (-want +got):\n%s", diff)
	}

	// An unknown template, or the wrong number of parameters, fails for good.
	for _, bad := range []Template{
		{Name: "order_update", Language: "pt_BR", Body: []TemplateParam{{Value: "#1"}}},
		{Name: "order_update", Language: "en_US"},
	} {
		_, err := w.a.Send(context.Background(), w.outbound("", bad.Attachment()))
		if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "template") {
			t.Errorf("Send(%s) = %v, want a permanent template error", bad.URL(), err)
		}
	}
}

func TestSendFreeFormOutsideWindow(t *testing.T) {
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, customerPhone, w.now.Add(-25*time.Hour))
	_, err := w.a.Send(context.Background(), w.outbound("Are you still there?"))
	se := sendErr(t, err)
	if !se.Permanent || !se.Refused || !strings.Contains(se.Reason, "outside WhatsApp's 24-hour window: send an approved template") || se.Status != 400 {
		t.Errorf("Send = %+v, want permanent and refused, with the window reason", se)
	}
	if n := len(w.fake.Sent()); n != 0 {
		t.Errorf("the fake accepted %d messages", n)
	}
}

// WhatsApp's refusals of a message's content (its type, its attachment, a
// value in it) concern that reply alone: Refused, so the inbox's health
// stays clear, with a reason the agent can act on. A request Parley built
// wrong (100, 131008) stays on the health line.
func TestSendContentRefused(t *testing.T) {
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, customerPhone, w.now)
	label := care.Attachment{Kind: "image", URL: "https://cdn.example.com/label.heic", MimeType: "image/heic"}
	for _, tt := range []struct {
		name    string
		code    int
		title   string
		details string
		reason  string
		refused bool
	}{
		{"media upload", 131053, "Media upload error", "Unsupported Image mime type image/heic",
			"it could not upload the attachment, which may be of a type WhatsApp does not take: Unsupported Image mime type image/heic (WhatsApp error 131053)", true},
		{"message type", 131051, "Unsupported message type", "", "it does not support this kind of message", true},
		{"parameter value", 131009, "Parameter value is not valid", "Param image['link'] is not a valid URI.",
			"a value in it is not valid: Param image['link'] is not a valid URI. (WhatsApp error 131009)", true},
		{"invalid parameter", 100, "Invalid parameter", "Unexpected key \"image\" on param.", "rejected a parameter", false},
		{"missing parameter", 131008, "Required parameter is missing", "", "required parameter is missing", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w.fake.Refuse(tt.code, tt.title, tt.details)
			_, err := w.a.Send(context.Background(), w.outbound("The label", label))
			se := sendErr(t, err)
			if !se.Permanent || se.Refused != tt.refused || se.Status != 400 || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Send = %+v, want permanent, refused %v, with a reason saying %q", se, tt.refused, tt.reason)
			}
		})
	}
	if n := len(w.fake.Sent()); n != 0 {
		t.Errorf("the fake accepted %d messages", n)
	}
}

func TestSendThrottled(t *testing.T) {
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, customerPhone, w.now)
	w.fake.Throttle(1)
	_, err := w.a.Send(context.Background(), w.outbound("One moment."))
	se := sendErr(t, err)
	if se.Permanent || se.RetryAfter != 5*time.Second || !strings.Contains(se.Reason, "130429") {
		t.Errorf("Send throttled = %+v, want temporary, retry after 5s", se)
	}
	if _, err := w.a.Send(context.Background(), w.outbound("One moment.")); err != nil {
		t.Errorf("Send after the throttle: %v", err)
	}

	w.fake.FailNext(1)
	_, err = w.a.Send(context.Background(), w.outbound("Again."))
	if se := sendErr(t, err); se.Permanent || se.Status != 500 {
		t.Errorf("Send during an outage = %+v, want temporary", se)
	}
}

func TestSendMediaByLink(t *testing.T) {
	w := newWorld(t)
	w.fake.Remember(wafake.DefaultPhoneNumberID, customerPhone, w.now)
	for i, tt := range []struct {
		text string
		att  care.Attachment
		want map[string]any
	}{
		{"The label", care.Attachment{Kind: "image", URL: "https://cdn.example.com/label.png", MimeType: "image/png"},
			map[string]any{"type": "image", "image": map[string]any{"link": "https://cdn.example.com/label.png", "caption": "The label"}}},
		{"", care.Attachment{Kind: "file", URL: "https://cdn.example.com/i.pdf", Name: "invoice.pdf"},
			map[string]any{"type": "document", "document": map[string]any{"link": "https://cdn.example.com/i.pdf", "filename": "invoice.pdf"}}},
		{"", care.Attachment{Kind: "audio", URL: "https://cdn.example.com/a.ogg"},
			map[string]any{"type": "audio", "audio": map[string]any{"link": "https://cdn.example.com/a.ogg"}}},
		{"", care.Attachment{Kind: "video", URL: MediaScheme + "1032738131803829"},
			map[string]any{"type": "video", "video": map[string]any{"id": "1032738131803829"}}},
		{"", care.Attachment{Kind: "location", URL: "geo:52.3676,4.9041", Name: "Store"},
			map[string]any{"type": "location", "location": map[string]any{"latitude": 52.3676, "longitude": 4.9041, "name": "Store"}}},
	} {
		if _, err := w.a.Send(context.Background(), w.outbound(tt.text, tt.att)); err != nil {
			t.Fatalf("Send(%s): %v", tt.att.Kind, err)
		}
		got := w.sentBody(t, i)
		for k, v := range tt.want {
			if diff := cmp.Diff(v, got[k]); diff != "" {
				t.Errorf("Send(%s) %s (-want +got):\n%s", tt.att.Kind, k, diff)
			}
		}
	}
}

func TestSendRecipient(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name          string
		id            care.Identity
		to, recipient string
	}{
		{"phone number", care.Identity{PlatformUserID: customerPhone}, customerPhone, ""},
		{"BSUID and phone", care.Identity{PlatformUserID: "US.1", Handle: "+" + customerPhone}, customerPhone, "US.1"},
		{"BSUID and username", care.Identity{PlatformUserID: "US.2", Handle: "@pablo"}, "", "US.2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w.fake.Remember(wafake.DefaultPhoneNumberID, tt.id.PlatformUserID, w.now)
			out := w.outbound("Hello")
			tt.id.Platform = care.ChannelWhatsApp
			out.Contact.Identities = []care.Identity{tt.id}
			if _, err := w.a.Send(context.Background(), out); err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := w.fake.Sent()
			last := sent[len(sent)-1]
			if last.To != tt.to || last.Recipient != tt.recipient {
				t.Errorf("to %q, recipient %q; want %q, %q", last.To, last.Recipient, tt.to, tt.recipient)
			}
		})
	}
}

func TestSendRefusesBeforeTheNetwork(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name   string
		change func(*channel.Outbound)
		reason string
	}{
		{"no access token", func(o *channel.Outbound) { delete(o.Inbox.Credentials, CredAccessToken) }, "access_token"},
		{"phone number as external id", func(o *channel.Outbound) { o.Inbox.ExternalID = "+15550783881" }, "phone number id"},
		{"bad api_base", func(o *channel.Outbound) { o.Inbox.Credentials[CredAPIBase] = "ftp://x" }, "api_base"},
		{"no identity", func(o *channel.Outbound) { o.Contact.Identities[0].Platform = care.ChannelSMS }, "no WhatsApp identity"},
		{"two attachments", func(o *channel.Outbound) {
			o.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x/a.png"}, {Kind: "image", URL: "https://x/b.png"}}
		}, "one attachment"},
		{"caption on a sticker", func(o *channel.Outbound) {
			o.Message.Attachments = []care.Attachment{{Kind: "sticker", URL: "https://x/s.webp"}}
		}, "cannot caption"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := w.outbound("Hello")
			tt.change(&out)
			_, err := w.a.Send(context.Background(), out)
			if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Send = %v, want permanent mentioning %q", err, tt.reason)
			}
		})
	}
	if n := len(w.fake.Sent()); n != 0 {
		t.Errorf("the fake accepted %d messages", n)
	}
}

func TestSendWrongToken(t *testing.T) {
	w := newWorld(t)
	out := w.outbound("Hello")
	out.Inbox.Credentials[CredAccessToken] = "expired"
	_, err := w.a.Send(context.Background(), out)
	if se := sendErr(t, err); !se.Permanent || se.Refused || !strings.Contains(se.Reason, "access_token") || se.Status != 401 {
		t.Errorf("Send = %+v, want permanent, not refused, asking for a new access_token", se)
	}
}

func TestSendUnreachable(t *testing.T) {
	w := newWorld(t)
	out := w.outbound("Hello")
	w.srv.Close()
	_, err := w.a.Send(context.Background(), out)
	if se := sendErr(t, err); se.Permanent {
		t.Errorf("Send to a closed server = %+v, want temporary", se)
	}
}

func sendErr(t *testing.T, err error) *channel.SendError {
	t.Helper()
	var se *channel.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *channel.SendError", err)
	}
	return se
}
