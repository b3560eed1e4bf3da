package sms

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
)

// world is an adapter talking to a fake Twilio over real HTTP.
type world struct {
	fake *twiliofake.Fake
	srv  *httptest.Server
	a    *Adapter
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{fake: twiliofake.New()}
	w.fake.Now = func() time.Time { return testNow }
	w.srv = httptest.NewServer(w.fake.Handler())
	t.Cleanup(w.srv.Close)
	w.a = &Adapter{Client: w.srv.Client(), Now: func() time.Time { return testNow },
		StatusCallback: func(in care.Inbox) string { return "https://inbox.example.com/webhooks/twilio/status" }}
	return w
}

// outbound is a reply to the customer from the fake's default number.
func (w *world) outbound(text string, atts ...care.Attachment) channel.Outbound {
	return channel.Outbound{
		Message: care.Message{ID: 42, Direction: care.DirectionOut, Visibility: care.Private, Text: text, Attachments: atts,
			Status: care.DeliveryQueued},
		Inbox: care.Inbox{ID: 3, Channel: care.ChannelSMS, ExternalID: twiliofake.DefaultNumber, Credentials: map[string]string{
			CredAccountSID: twiliofake.DefaultAccountSID, CredAuthToken: twiliofake.DefaultAuthToken,
			CredFrom: twiliofake.DefaultNumber, CredAPIBase: w.srv.URL + "/"}},
		Contact: care.Contact{ID: 11, Identities: []care.Identity{
			{ID: 20, Platform: care.ChannelSMS, PlatformUserID: customer, Handle: customer},
		}},
		IdempotencyKey: "parley-message-42",
		LastInbound:    &care.Message{Direction: care.DirectionIn, Text: "Where is my order?"},
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	res, err := w.a.Send(context.Background(), w.outbound("Hi! Your order ships today."))
	if err != nil {
		t.Fatalf("Send = %v", err)
	}
	sent := w.fake.Sent()
	if len(sent) != 1 || res.PlatformID != sent[0].SID || !strings.HasPrefix(res.PlatformID, "SM") || res.Status != care.DeliverySent {
		t.Fatalf("Send = %+v; fake accepted %+v", res, sent)
	}
	// The documented request body (shared/channel-samples/twilio).
	b, err := os.ReadFile("testdata/send_request_body.form")
	if err != nil {
		t.Fatal(err)
	}
	want, err := url.ParseQuery(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string(want), sent[0].Form); diff != "" {
		t.Errorf("request form (-want +got):\n%s", diff)
	}
}

func TestSendVariants(t *testing.T) {
	t.Parallel()
	img := care.Attachment{Kind: "image", URL: "https://cdn.example/box.jpg"}
	tests := []struct {
		name   string
		edit   func(o *channel.Outbound)
		check  func(t *testing.T, s twiliofake.Sent)
		prefix string
	}{
		{"through a Messaging Service", func(o *channel.Outbound) {
			delete(o.Inbox.Credentials, CredFrom)
			o.Inbox.Credentials[CredMessagingServiceSID] = twiliofake.DefaultServiceSID
		}, func(t *testing.T, s twiliofake.Sent) {
			if s.MessagingServiceSid != twiliofake.DefaultServiceSID || s.From != "" || s.Status != "accepted" {
				t.Errorf("sent %+v, want MessagingServiceSid and no From", s)
			}
		}, "SM"},
		{"with media", func(o *channel.Outbound) { o.Message.Attachments = []care.Attachment{img, img} }, func(t *testing.T, s twiliofake.Sent) {
			if len(s.MediaURLs) != 2 || s.MediaURLs[0] != img.URL || s.Body != "Look" {
				t.Errorf("sent %+v, want two MediaUrl and the body", s)
			}
		}, "MM"},
		{"media without text", func(o *channel.Outbound) { o.Message.Text, o.Message.Attachments = "", []care.Attachment{img} }, func(t *testing.T, s twiliofake.Sent) {
			if _, ok := s.Form["Body"]; ok {
				t.Errorf("sent an empty Body: %+v", s.Form)
			}
		}, "MM"},
		{"status callback credential wins", func(o *channel.Outbound) {
			o.Inbox.Credentials[CredStatusCallback] = "https://care.example.com/webhooks/3"
		}, func(t *testing.T, s twiliofake.Sent) {
			if s.StatusCallback != "https://care.example.com/webhooks/3" {
				t.Errorf("StatusCallback = %q", s.StatusCallback)
			}
		}, "SM"},
		{"no usable status callback", func(o *channel.Outbound) { o.Inbox.Credentials[CredStatusCallback] = "not a url" }, func(t *testing.T, s twiliofake.Sent) {
			if s.StatusCallback != "https://inbox.example.com/webhooks/twilio/status" {
				t.Errorf("StatusCallback = %q, want the adapter's", s.StatusCallback)
			}
		}, "SM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			out := w.outbound("Look")
			tt.edit(&out)
			res, err := w.a.Send(context.Background(), out)
			if err != nil {
				t.Fatalf("Send = %v", err)
			}
			sent := w.fake.Sent()
			if len(sent) != 1 || res.PlatformID != sent[0].SID || !strings.HasPrefix(res.PlatformID, tt.prefix) {
				t.Fatalf("Send = %+v, fake accepted %+v", res, sent)
			}
			tt.check(t, sent[0])
		})
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(t *testing.T, w *world, o *channel.Outbound)
		permanent bool
		retry     time.Duration
		reason    string
		status    int
		refused   bool // this customer's refusal, not the account's
	}{
		{"throttled with Retry-After", func(t *testing.T, w *world, o *channel.Outbound) { w.fake.Throttle(1, "7") }, false, 7 * time.Second,
			"Twilio is limiting the account's API requests (Twilio error 20429)", 429, false},
		{"throttled without Retry-After", func(t *testing.T, w *world, o *channel.Outbound) { w.fake.Throttle(1, "") }, false, 0, "limiting", 429, false},
		{"server error", func(t *testing.T, w *world, o *channel.Outbound) { w.fake.FailNext(1) }, false, 0, "Twilio had an internal error (Twilio error 20500)", 500, false},
		// The customer texted STOP, but the conversation does not show it.
		{"unsubscribed recipient", func(t *testing.T, w *world, o *channel.Outbound) {
			if _, err := w.fake.Deliver(context.Background(), twiliofake.Message{From: customer, Body: "STOP"}); err != nil {
				t.Fatal(err)
			}
		}, true, 0, "the customer replied STOP; they must text START before you can message them (Twilio error 21610)", 400, true},
		{"invalid number", func(t *testing.T, w *world, o *channel.Outbound) { o.Contact.Identities[0].PlatformUserID = "+1555" }, true, 0,
			"the customer's number is not a valid phone number (Twilio error 21211)", 400, true},
		{"wrong auth token", func(t *testing.T, w *world, o *channel.Outbound) { o.Inbox.Credentials[CredAuthToken] = "rotated" }, true, 0,
			"Twilio rejected the inbox's account_sid and auth_token: update the inbox's credentials (Twilio error 20003)", 401, false},
		{"number not on the account", func(t *testing.T, w *world, o *channel.Outbound) { o.Inbox.Credentials[CredFrom] = "+14155550199" }, true, 0,
			"the inbox's from number cannot send SMS to this destination (Twilio error 21606)", 400, false},
		{"another service", func(t *testing.T, w *world, o *channel.Outbound) {
			o.Inbox.Credentials[CredMessagingServiceSID] = "MGffffffffffffffffffffffffffffffff"
		}, true, 0, "the inbox's messaging_service_sid is not a Messaging Service of this account (Twilio error 21701)", 400, false},

		// Refused before Twilio is asked.
		{"customer opted out in the conversation", func(t *testing.T, w *world, o *channel.Outbound) { o.LastInbound.Text = "STOP\n\n" + optOutNote }, true, 0, optedOutReason, 0, true},
		{"no identity", func(t *testing.T, w *world, o *channel.Outbound) {
			o.Contact.Identities[0].Platform = care.ChannelWhatsApp
		}, true, 0, "no SMS identity", 0, false},
		{"no account_sid", func(t *testing.T, w *world, o *channel.Outbound) { delete(o.Inbox.Credentials, CredAccountSID) }, true, 0, "account_sid", 0, false},
		{"no auth_token", func(t *testing.T, w *world, o *channel.Outbound) { delete(o.Inbox.Credentials, CredAuthToken) }, true, 0, "auth_token", 0, false},
		{"no sender", func(t *testing.T, w *world, o *channel.Outbound) { delete(o.Inbox.Credentials, CredFrom) }, true, 0, "neither a from number", 0, false},
		{"bad api_base", func(t *testing.T, w *world, o *channel.Outbound) { o.Inbox.Credentials[CredAPIBase] = "ftp://x" }, true, 0, "api_base", 0, false},
		{"too long", func(t *testing.T, w *world, o *channel.Outbound) { o.Message.Text = strings.Repeat("a", 1601) }, true, 0, "limited to 1600", 0, false},
		{"attachment not a link", func(t *testing.T, w *world, o *channel.Outbound) {
			o.Message.Attachments = []care.Attachment{{Kind: "file", URL: "parley-upload:5"}}
		}, true, 0, "http or https link", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			out := w.outbound("Any news?")
			tt.setup(t, w, &out)
			_, err := w.a.Send(context.Background(), out)
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *channel.SendError", err)
			}
			if se.Permanent != tt.permanent || se.RetryAfter != tt.retry || !strings.Contains(se.Reason, tt.reason) || se.Status != tt.status || se.Refused != tt.refused {
				t.Errorf("Send = %+v;\nwant permanent %v, retry after %v, status %d, refused %v, reason containing %q", se, tt.permanent, tt.retry, tt.status, tt.refused, tt.reason)
			}
			if n := len(w.fake.Sent()); n != 0 {
				t.Errorf("the fake accepted %d messages", n)
			}
		})
	}
}

func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := w.a.Send(ctx, w.outbound("hi"))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.Reason != "Twilio did not answer in time" {
		t.Errorf("Send(cancelled) = %v, want a temporary error", err)
	}

	w.srv.Close()
	_, err = w.a.Send(context.Background(), w.outbound("hi"))
	if !errors.As(err, &se) || se.Permanent || se.Reason != "Twilio could not be reached" {
		t.Errorf("Send(server gone) = %v, want a temporary error", err)
	}
}

// TestSendResponses covers answers the fake does not give: Twilio's own
// documented success body, bodies that are not Twilio's, redirects.
func TestSendResponses(t *testing.T) {
	t.Parallel()
	documented, err := os.ReadFile("testdata/send_response_CONSTRUCTED.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		wantID    string
		wantErr   bool
		permanent bool
		retry     time.Duration
		reason    string
	}{
		{name: "documented resource", status: 201, body: string(documented), wantID: "SM0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
		{name: "accepted without a usable SID", status: 201, body: `{"sid":"<script>","status":"queued"}`},
		{name: "accepted with a body that is not JSON", status: 200, body: `OK`},
		{name: "bad gateway page", status: 502, body: "<html>Bad Gateway</html>", wantErr: true, reason: "502 Bad Gateway: <html>Bad Gateway</html>"},
		{name: "503 with an HTTP-date Retry-After", status: 503, header: map[string]string{"Retry-After": "Tue, 24 Nov 2026 10:00:30 GMT"},
			body: `{"code":20503,"message":"Service unavailable","status":503}`, wantErr: true, retry: 30 * time.Second,
			reason: "Twilio is temporarily unavailable (Twilio error 20503)"},
		{name: "unknown code keeps Twilio's message", status: 400, body: `{"code":21999,"message":"Something\nodd\u0000 happened","status":400}`,
			wantErr: true, permanent: true, reason: "Twilio refused the message: Something odd happened (Twilio error 21999)"},
		{name: "redirect not followed", status: 302, header: map[string]string{"Location": "https://elsewhere.example/"}, wantErr: true, permanent: true, reason: "302 Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			w := &world{srv: srv, a: &Adapter{Client: srv.Client(), Now: func() time.Time { return testNow }}}
			res, err := w.a.Send(context.Background(), w.outbound("hi"))
			if !tt.wantErr {
				if err != nil || res.PlatformID != tt.wantID || res.Status != care.DeliverySent {
					t.Errorf("Send = %+v, %v; want id %q", res, err, tt.wantID)
				}
				return
			}
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || se.RetryAfter != tt.retry || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Send = %v;\nwant permanent %v, retry %v, reason %q", err, tt.permanent, tt.retry, tt.reason)
			}
		})
	}
}
