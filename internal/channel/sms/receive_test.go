package sms

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The fixtures' account, and the URL and token of shared/CHANNELS.md §4.2.
const (
	testAccount = "AC0123456789abcdef0123456789abcdef"
	testToken   = "12345"
	hookURL     = "https://inbox.example.com/webhooks/twilio/sms"
	customer    = "+14155550123"
	business    = "+14155550100"
	smsSID      = "SM1f0e8ae6ade43cb3c0ce4525424e404f"
	outSID      = "SM0f1e2d3c4b5a69788796a5b4c3d2e1f0"
)

func quietAdapter() *Adapter { return &Adapter{Logger: slog.New(slog.DiscardHandler)} }

func testInbox() care.Inbox {
	return care.Inbox{ID: 7, Channel: care.ChannelSMS, ExternalID: business, Credentials: map[string]string{
		CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business}}
}

// signed returns params form-encoded with the X-Twilio-Signature Twilio
// would send for rawURL.
func signed(rawURL string, params url.Values) (http.Header, []byte) {
	h := http.Header{}
	h.Set(SignatureHeader, base64.StdEncoding.EncodeToString(sign(testToken, rawURL, params)))
	return h, []byte(params.Encode())
}

// message is an incoming SMS's parameters, with extra ones added.
func message(body string, extra ...string) url.Values {
	p := url.Values{"AccountSid": {testAccount}, "ApiVersion": {"2010-04-01"}, "Body": {body}, "From": {customer},
		"MessageSid": {smsSID}, "NumMedia": {"0"}, "SmsSid": {smsSID}, "SmsStatus": {"received"}, "To": {business}}
	for i := 0; i+1 < len(extra); i += 2 {
		p.Set(extra[i], extra[i+1])
	}
	return p
}

// status is a status callback's parameters, with extra ones added.
func status(st string, extra ...string) url.Values {
	p := url.Values{"AccountSid": {testAccount}, "ApiVersion": {"2010-04-01"}, "From": {business}, "MessageSid": {outSID},
		"MessageStatus": {st}, "SmsSid": {outSID}, "SmsStatus": {st}, "To": {customer}}
	for i := 0; i+1 < len(extra); i += 2 {
		p.Set(extra[i], extra[i+1])
	}
	return p
}

// checkEvent fails t unless ev is an event the core accepts.
func checkEvent(t *testing.T, ev channel.Event) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 7, care.ChannelSMS
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v does not validate: %v", in, err)
	}
}

func TestReceiveFixture(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/inbound_sms_CONSTRUCTED.form")
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, "s4FiPVXBye5XZCcEThfrZGMghqA=") // shared/CHANNELS.md §4.2
	events, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow)
	if err != nil {
		t.Fatalf("ReceiveURL(fixture) = %v", err)
	}
	want := []channel.Event{{Inbound: care.Inbound{Kind: care.KindMessage, PlatformID: smsSID, Visibility: care.Private,
		Author: care.Author{PlatformUserID: customer, Handle: customer}, Text: "Hi, my order #123 hasn't arrived", SentAt: testNow}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// One byte of the body changed, the signature is no longer Twilio's.
	tampered := strings.Replace(string(body), "%23123", "%23124", 1)
	if _, err := quietAdapter().ReceiveURL(hookURL, h, []byte(tampered), testInbox(), testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("ReceiveURL(tampered fixture) = %v, want EUNAUTHORIZED", err)
	}
}

func TestReceiveFixtures(t *testing.T) {
	t.Parallel()
	mediaURL := MediaScheme + "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM5b3c6a1f2e4d4c8b9a0f1e2d3c4b5a69/Media/"
	tests := []struct {
		file string
		want care.Inbound
	}{
		{"inbound_mms_CONSTRUCTED.form", care.Inbound{Kind: care.KindMessage, PlatformID: "MM5b3c6a1f2e4d4c8b9a0f1e2d3c4b5a69",
			Visibility: care.Private, Author: care.Author{PlatformUserID: customer, Handle: customer},
			Text: "This is what arrived 📦", SentAt: testNow, Attachments: []care.Attachment{
				{Kind: "image", URL: mediaURL + "ME0a1b2c3d4e5f60718293a4b5c6d7e8f9", MimeType: "image/jpeg"},
				{Kind: "file", URL: mediaURL + "ME1f0e8ae6ade43cb3c0ce4525424e4040", MimeType: "application/pdf"},
			}}},
		{"inbound_help_CONSTRUCTED.form", care.Inbound{Kind: care.KindMessage, PlatformID: "SM7c2d0e5f4a3b4c1d8e9f0a1b2c3d4e5f",
			Visibility: care.Private, Author: care.Author{PlatformUserID: customer, Handle: customer},
			Text: "Help\n\n" + helpNote, SentAt: testNow}},
		{"inbound_whatsapp_location_CONSTRUCTED.form", care.Inbound{Kind: care.KindMessage, PlatformID: "SM4e1f2a3b4c5d6e7f8091a2b3c4d5e6f7",
			Visibility: care.Private, Author: care.Author{PlatformUserID: "whatsapp:+14155550123", DisplayName: "Ana Lima"},
			ReplyToPlatformID: outSID, Text: "Shared a place: Acme Store, 1 Market St, San Francisco, CA 94105 (37.7936,-122.3957)", SentAt: testNow,
			Attachments: []care.Attachment{{Kind: "location", URL: "geo:37.7936,-122.3957", Name: "Acme Store"}}}},
		{"status_delivered_CONSTRUCTED.form", care.Inbound{Kind: care.KindStatus, PlatformID: outSID,
			Author: care.Author{PlatformUserID: customer}, Status: care.DeliveryDelivered, SentAt: testNow}},
		{"status_undelivered_CONSTRUCTED.form", care.Inbound{Kind: care.KindStatus, PlatformID: outSID,
			Author: care.Author{PlatformUserID: customer}, Status: care.DeliveryFailed, SentAt: testNow,
			StatusReason: "the carrier filtered the message as spam or against its rules (Twilio error 30007)"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			params, err := url.ParseQuery(string(body))
			if err != nil {
				t.Fatal(err)
			}
			h, _ := signed(hookURL, params)
			events, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow)
			if err != nil {
				t.Fatalf("ReceiveURL = %v", err)
			}
			if diff := cmp.Diff([]channel.Event{{Inbound: tt.want}}, events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			checkEvent(t, events[0])
		})
	}
}

func TestReceiveMessages(t *testing.T) {
	t.Parallel()
	author := care.Author{PlatformUserID: customer, Handle: customer}
	img := "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Messages/" + smsSID + "/Media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	ref := MediaScheme + img
	tests := []struct {
		name   string
		params url.Values
		text   string
		atts   []care.Attachment
		author care.Author
	}{
		{"text", message("Where is my order?"), "Where is my order?", nil, author},
		{"control characters removed", message("a\x00b\x1bc\r\nd"), "abc\nd", nil, author},
		{"a lone carriage return is a line break", message("a\rb"), "a\nb", nil, author},
		{"invalid UTF-8 replaced", message("caf\xe9"), "caf\uFFFD", nil, author},
		{"empty", message(""), "[An empty message]", nil, author},
		{"legacy SID only", func() url.Values { p := message("hi"); p.Del("MessageSid"); p.Set("SmsMessageSid", smsSID); return p }(), "hi", nil, author},
		{"one image, no text", message("", "NumMedia", "1", "MediaUrl0", img, "MediaContentType0", "image/jpeg"), "",
			[]care.Attachment{{Kind: "image", URL: ref, MimeType: "image/jpeg"}}, author},
		{"media kinds", message("see", "NumMedia", "4", "MediaUrl0", img, "MediaContentType0", "video/mp4",
			"MediaUrl1", img+"1", "MediaContentType1", "audio/amr", "MediaUrl2", img+"2", "MediaContentType2", "text/vcard",
			"MediaUrl3", img+"3", "MediaContentType3", "IMAGE/PNG"), "see",
			[]care.Attachment{{Kind: "video", URL: ref, MimeType: "video/mp4"}, {Kind: "audio", URL: ref + "1", MimeType: "audio/amr"},
				{Kind: "file", URL: ref + "2", MimeType: "text/vcard"}, {Kind: "image", URL: ref + "3", MimeType: "IMAGE/PNG"}}, author},
		{"NumMedia bounds what is read", message("x", "NumMedia", "1", "MediaUrl0", img, "MediaUrl1", img+"1"), "x",
			[]care.Attachment{{Kind: "file", URL: ref}}, author},
		{"NumMedia beyond ten is ten", func() url.Values {
			p := message("x", "NumMedia", "999999999999")
			for i := range 12 {
				p.Set("MediaUrl"+strconv.Itoa(i), img)
			}
			return p
		}(), "x", func() []care.Attachment {
			var atts []care.Attachment
			for range 10 {
				atts = append(atts, care.Attachment{Kind: "file", URL: ref})
			}
			return atts
		}(), author},
		{"media that is not an http link skipped", message("x", "NumMedia", "2", "MediaUrl0", "javascript:alert(1)", "MediaUrl1", "https://a.example/\x00"), "x", nil, author},
		{"WhatsApp profile name", message("hola", "ProfileName", "Ana\x00 Lima"), "hola", nil, care.Author{PlatformUserID: customer, Handle: customer, DisplayName: "Ana Lima"}},
		{"sender that is not a number", message("hi", "From", "whatsapp:+14155550123"), "hi", nil, care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"STOP", message("STOP"), "STOP\n\n" + optOutNote, nil, author},
		{"stop in any case, with spaces", message("  Stop \n"), "  Stop \n\n\n" + optOutNote, nil, author},
		{"STOPALL", message("stopall"), "stopall\n\n" + optOutNote, nil, author},
		{"REVOKE", message("Revoke"), "Revoke\n\n" + optOutNote, nil, author},
		{"a sentence with stop is not a keyword", message("STOP PLEASE"), "STOP PLEASE", nil, author},
		{"Advanced Opt-Out custom keyword", message("ALTO", "OptOutType", "STOP"), "ALTO\n\n" + optOutNote, nil, author},
		{"START", message("start"), "start\n\n" + optInNote, nil, author},
		{"UNSTOP", message("UNSTOP"), "UNSTOP\n\n" + optInNote, nil, author},
		{"HELP", message("HELP"), "HELP\n\n" + helpNote, nil, author},
		{"INFO", message("info"), "info\n\n" + helpNote, nil, author},
		{"Advanced Opt-Out custom help keyword", message("AYUDA", "OptOutType", "HELP"), "AYUDA\n\n" + helpNote, nil, author},
		{"a sentence with help is not a keyword", message("help me with my order"), "help me with my order", nil, author},
		{"WhatsApp STOP without Advanced Opt-Out", message("STOP", "From", "whatsapp:+14155550123"), "STOP\n\n" + whatsAppKeywordNote, nil,
			care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"WhatsApp START without Advanced Opt-Out", message("start", "From", "whatsapp:+14155550123"), "start\n\n" + whatsAppKeywordNote, nil,
			care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"WhatsApp HELP without Advanced Opt-Out", message("HELP", "From", "whatsapp:+14155550123"), "HELP", nil,
			care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"WhatsApp STOP through Advanced Opt-Out", message("STOP", "From", "whatsapp:+14155550123", "OptOutType", "STOP"), "STOP\n\n" + optOutNote, nil,
			care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"WhatsApp HELP through Advanced Opt-Out", message("HELP", "From", "whatsapp:+14155550123", "OptOutType", "HELP"), "HELP\n\n" + helpNote, nil,
			care.Author{PlatformUserID: "whatsapp:+14155550123"}},
		{"a location off the globe is not one", message("", "Latitude", "91", "Longitude", "10"), "[An empty message]", nil, author},
		{"a location that is not a number is not one", message("", "Latitude", "NaN", "Longitude", "10"), "[An empty message]", nil, author},
		{"a location without a place", message("", "Latitude", "-33.8688", "Longitude", "151.2093"), "Shared a location (-33.8688,151.2093)",
			[]care.Attachment{{Kind: "location", URL: "geo:-33.8688,151.2093"}}, author},
		{"a reply to a message that is not a SID is not a reply", message("ok", "OriginalRepliedMessageSid", "javascript:x"), "ok", nil, author},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, body := signed(hookURL, tt.params)
			events, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow)
			if err != nil {
				t.Fatalf("ReceiveURL = %v", err)
			}
			want := []channel.Event{{Inbound: care.Inbound{Kind: care.KindMessage, PlatformID: smsSID, Visibility: care.Private,
				Author: tt.author, Text: tt.text, Attachments: tt.atts, SentAt: testNow}}}
			if diff := cmp.Diff(want, events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			checkEvent(t, events[0])
		})
	}
}

func TestReceiveStatuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params url.Values
		status care.DeliveryStatus
		reason string
	}{
		{"queued", status("queued"), care.DeliverySent, ""},
		{"accepted by a Messaging Service", status("accepted"), care.DeliverySent, ""},
		{"sending", status("sending"), care.DeliverySent, ""},
		{"sent", status("sent"), care.DeliverySent, ""},
		{"delivered", status("delivered", "RawDlrDoneDate", "2611241000"), care.DeliveryDelivered, ""},
		{"read", status("read"), care.DeliveryRead, ""},
		{"partially delivered", status("partially_delivered"), care.DeliveryDelivered, "only part of the message was delivered"},
		{"undelivered, unreachable", status("undelivered", "ErrorCode", "30003"), care.DeliveryFailed,
			"the customer's phone is unreachable: switched off, out of coverage or unable to receive SMS (Twilio error 30003)"},
		{"undelivered, landline", status("undelivered", "ErrorCode", "30006"), care.DeliveryFailed,
			"the customer's number is a landline or its carrier cannot be reached (Twilio error 30006)"},
		{"failed, unsubscribed", status("failed", "ErrorCode", "21610"), care.DeliveryFailed, optedOutReason + " (Twilio error 21610)"},
		{"failed, unknown code", status("failed", "ErrorCode", "63999"), care.DeliveryFailed, "Twilio could not deliver the message (Twilio error 63999)"},
		{"failed, no code", status("failed"), care.DeliveryFailed, "Twilio could not deliver the message and gave no reason"},
		{"failed, garbage code", status("failed", "ErrorCode", "-5"), care.DeliveryFailed, "Twilio could not deliver the message and gave no reason"},
		{"canceled", status("canceled"), care.DeliveryFailed, "the scheduled message was canceled"},
		{"status in upper case", status("DELIVERED"), care.DeliveryDelivered, ""},
		{"legacy SmsStatus only", func() url.Values { p := status("sent"); p.Del("MessageStatus"); return p }(), care.DeliverySent, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, body := signed(hookURL, tt.params)
			events, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow)
			if err != nil {
				t.Fatalf("ReceiveURL = %v", err)
			}
			want := []channel.Event{{Inbound: care.Inbound{Kind: care.KindStatus, PlatformID: outSID, Status: tt.status,
				StatusReason: tt.reason, Author: care.Author{PlatformUserID: customer}, SentAt: testNow}}}
			if diff := cmp.Diff(want, events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			checkEvent(t, events[0])
		})
	}
	for _, st := range []string{"scheduled", "paused", "x"} {
		h, body := signed(hookURL, status(st))
		if events, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow); err != nil || len(events) != 0 {
			t.Errorf("ReceiveURL(status %s) = %v, %v; want it skipped", st, events, err)
		}
	}
}

func TestReceiveRejects(t *testing.T) {
	t.Parallel()
	good := message("hi")
	tests := []struct {
		name    string
		url     string
		header  func(h http.Header)
		body    func(b []byte) []byte
		params  url.Values
		inbox   func(in *care.Inbox)
		code    string
		signURL string
	}{
		{name: "no signature", header: func(h http.Header) { h.Del(SignatureHeader) }, code: care.EUNAUTHORIZED},
		{name: "signature of another URL", signURL: "https://evil.example/webhooks/twilio/sms", code: care.EUNAUTHORIZED},
		{name: "signed with another token", inbox: func(in *care.Inbox) { in.Credentials[CredAuthToken] = "rotated" }, code: care.EUNAUTHORIZED},
		{name: "inbox without an auth token", inbox: func(in *care.Inbox) { delete(in.Credentials, CredAuthToken) }, code: care.EUNAUTHORIZED},
		{name: "a parameter added", body: func(b []byte) []byte { return append(b, "&Extra=1"...) }, code: care.EUNAUTHORIZED},
		{name: "another account", params: message("hi", "AccountSid", "ACffffffffffffffffffffffffffffffff"), code: care.EUNAUTHORIZED},
		{name: "no account", params: func() url.Values { p := message("hi"); p.Del("AccountSid"); return p }(), code: care.EUNAUTHORIZED},
		{name: "malformed escape", body: func([]byte) []byte { return []byte("Body=%zz") }, code: care.EINVALID},
		{name: "too many parameters", body: func([]byte) []byte { return []byte(strings.Repeat("a=1&", maxParams+1)) }, code: care.EINVALID},
		{name: "no MessageSid", params: func() url.Values { p := message("hi"); p.Del("MessageSid"); p.Del("SmsSid"); return p }(), code: care.EINVALID},
		{name: "MessageSid of the wrong shape", params: message("hi", "MessageSid", "SM'; DROP TABLE"), code: care.EINVALID},
		{name: "no From", params: message("hi", "From", ""), code: care.EINVALID},
		{name: "From too long", params: message("hi", "From", strings.Repeat("1", care.MaxPlatformIDBytes+1)), code: care.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			params := tt.params
			if params == nil {
				params = good
			}
			signURL := tt.signURL
			if signURL == "" {
				signURL = hookURL
			}
			h, body := signed(signURL, params)
			if tt.header != nil {
				tt.header(h)
			}
			if tt.body != nil {
				body = tt.body(body)
			}
			in := testInbox()
			if tt.inbox != nil {
				tt.inbox(&in)
			}
			events, err := quietAdapter().ReceiveURL(hookURL, h, body, in, testNow)
			if care.ErrorCode(err) != tt.code || len(events) != 0 {
				t.Errorf("ReceiveURL = %v, %v; want no events and %s", events, err, tt.code)
			}
		})
	}
}

// TestReceiveWithoutURL: a handler that does not pass the URL cannot have
// a delivery verified.
func TestReceiveWithoutURL(t *testing.T) {
	t.Parallel()
	h, body := signed(hookURL, message("hi"))
	if _, err := quietAdapter().Receive(h, body, testInbox(), testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("Receive = %v, want EUNAUTHORIZED", err)
	}
}

// TestReceivePorts: Twilio signs with or without the default port; the
// handler's URL may carry it or not.
func TestReceivePorts(t *testing.T) {
	t.Parallel()
	withPort := "https://inbox.example.com:443/webhooks/twilio/sms"
	for _, tt := range []struct{ name, signed, received string }{
		{"signed with :443, received without", withPort, hookURL},
		{"signed without, received with :443", hookURL, withPort},
		{"http signed with :80", "http://inbox.example.com:80/webhooks/1?x=1", "http://inbox.example.com/webhooks/1?x=1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, body := signed(tt.signed, message("hi"))
			if _, err := quietAdapter().ReceiveURL(tt.received, h, body, testInbox(), testNow); err != nil {
				t.Errorf("ReceiveURL = %v, want nil", err)
			}
		})
	}
	h, body := signed("https://inbox.example.com:8443/webhooks/twilio/sms", message("hi"))
	if _, err := quietAdapter().ReceiveURL(hookURL, h, body, testInbox(), testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("ReceiveURL(signed for another port) = %v, want EUNAUTHORIZED", err)
	}
}

func TestReceiveJSON(t *testing.T) {
	t.Parallel()
	body := []byte(`{"AccountSid":"` + testAccount + `","MessageSid":"` + smsSID + `","From":"` + customer +
		`","To":"` + business + `","Body":"Hi from JSON","NumMedia":0,"Nested":{"x":1},"List":[1],"Null":null,"Flag":true}`)
	sum := sha256.Sum256(body)
	u := hookURL + "?bodySHA256=" + hex.EncodeToString(sum[:])
	h := http.Header{}
	h.Set(SignatureHeader, base64.StdEncoding.EncodeToString(sign(testToken, u, nil)))

	events, err := quietAdapter().ReceiveURL(u, h, body, testInbox(), testNow)
	if err != nil {
		t.Fatalf("ReceiveURL(JSON) = %v", err)
	}
	if len(events) != 1 || events[0].Inbound.Text != "Hi from JSON" || events[0].Inbound.Author.PlatformUserID != customer {
		t.Errorf("events = %+v", events)
	}
	if _, err := quietAdapter().ReceiveURL(u, h, append(body[:len(body)-1:len(body)-1], ' ', '}'), testInbox(), testNow); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("ReceiveURL(changed JSON body) = %v, want EUNAUTHORIZED", err)
	}

	for _, bad := range []string{`[1,2]`, `null`, `"x"`, `{`} {
		sum := sha256.Sum256([]byte(bad))
		u := hookURL + "?bodySHA256=" + hex.EncodeToString(sum[:])
		h := http.Header{}
		h.Set(SignatureHeader, base64.StdEncoding.EncodeToString(sign(testToken, u, nil)))
		if _, err := quietAdapter().ReceiveURL(u, h, []byte(bad), testInbox(), testNow); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("ReceiveURL(%s) = %v, want EINVALID", bad, err)
		}
	}
}

func TestHandshake(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	quietAdapter().Handshake(w, httptest.NewRequest(http.MethodGet, "/webhooks/7?Body=hi", nil), testInbox())
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost {
		t.Errorf("Handshake = %d, Allow %q; want 405 and POST", w.Code, w.Header().Get("Allow"))
	}
}

// TestFetchMedia fetches MMS media as Twilio serves it: "Twilio enforces
// HTTP Basic Authentication for all media URLs"
// (www.twilio.com/docs/messaging/api/media-resource), and the Media URL
// redirects to the file. The account's credentials go only to its own
// media under Twilio's API, never along the redirect.
func TestFetchMedia(t *testing.T) {
	t.Parallel()
	const mediaPath = "/2010-04-01/Accounts/" + testAccount + "/Messages/" + smsSID + "/Media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	var mu sync.Mutex
	var hits []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, auth := r.BasicAuth()
		mu.Lock()
		hits = append(hits, r.URL.Path)
		mu.Unlock()
		switch {
		case r.URL.Path == "/files/photo.jpg":
			if auth {
				t.Errorf("the redirect target was sent the account's credentials")
			}
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("JPEG"))
		case !auth || user != testAccount || pass != testToken:
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == mediaPath:
			http.Redirect(w, r, "/files/photo.jpg", http.StatusTemporaryRedirect)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	inbox := func(token string) care.Inbox {
		in := testInbox()
		in.Credentials[CredAPIBase] = srv.URL
		in.Credentials[CredAuthToken] = token
		return in
	}
	other := "AC00000000000000000000000000000000"
	for _, tt := range []struct {
		name, ref string
		inbox     care.Inbox
		code      string // "" for success
		requests  int
	}{
		{"the customer's photo", MediaScheme + srv.URL + mediaPath, inbox(testToken), "", 2},
		{"deleted", MediaScheme + srv.URL + mediaPath + "0", inbox(testToken), care.ENOTFOUND, 1},
		{"credentials refused", MediaScheme + srv.URL + mediaPath, inbox("wrong"), care.EUNAVAILABLE, 1},
		{"another account's media", MediaScheme + srv.URL + strings.Replace(mediaPath, testAccount, other, 1), inbox(testToken), care.EUNAVAILABLE, 0},
		{"a host that is not Twilio's", MediaScheme + "https://media.example" + mediaPath, inbox(testToken), care.EUNAVAILABLE, 0},
		{"plain http at Twilio", MediaScheme + "http://api.twilio.com" + mediaPath, inbox(testToken), care.EUNAVAILABLE, 0},
		{"a bare URL", srv.URL + mediaPath, inbox(testToken), care.ENOTFOUND, 0},
		{"no credentials", MediaScheme + srv.URL + mediaPath, inbox(""), care.EUNAVAILABLE, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			hits = nil
			mu.Unlock()
			md, err := quietAdapter().FetchMedia(context.Background(), tt.inbox, tt.ref)
			mu.Lock()
			if len(hits) != tt.requests {
				t.Errorf("%d requests (%v), want %d", len(hits), hits, tt.requests)
			}
			mu.Unlock()
			if tt.code != "" {
				if care.ErrorCode(err) != tt.code {
					t.Errorf("FetchMedia = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer md.Body.Close()
			b, _ := io.ReadAll(md.Body)
			if string(b) != "JPEG" || md.MimeType != "image/jpeg" {
				t.Errorf("media = %q, %q", b, md.MimeType)
			}
		})
	}
}
