package whatsapp

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestPrepare(t *testing.T) {
	a := &Adapter{}
	valid := func() *care.Inbox {
		return &care.Inbox{Channel: care.ChannelWhatsApp, ExternalID: "106540352242922",
			Credentials: map[string]string{CredAppSecret: "s", CredAccessToken: "EAAG"}}
	}
	in := valid()
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	token := in.Credentials[CredVerifyToken]
	if len(token) < 20 || !tokenLike(token, 256) {
		t.Errorf("generated verify_token %q", token)
	}
	if err := a.Prepare(in); err != nil || in.Credentials[CredVerifyToken] != token {
		t.Errorf("a second Prepare changed the verify token or failed: %v", err)
	}
	for _, tt := range []struct {
		name   string
		change func(*care.Inbox)
		want   string
	}{
		{"phone number instead of id", func(in *care.Inbox) { in.ExternalID = "+1 555 078 3881" }, "phone number id"},
		{"no external id", func(in *care.Inbox) { in.ExternalID = "" }, "phone number id"},
		{"no app secret", func(in *care.Inbox) { delete(in.Credentials, CredAppSecret) }, "app_secret"},
		{"no access token", func(in *care.Inbox) { delete(in.Credentials, CredAccessToken) }, "access_token"},
		{"no credentials", func(in *care.Inbox) { in.Credentials = nil }, "app_secret"},
		{"bad api_base", func(in *care.Inbox) { in.Credentials[CredAPIBase] = "graph.facebook.com" }, "api_base"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.change(in)
			if err := a.Prepare(in); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Prepare = %v, want EINVALID about %s", err, tt.want)
			}
		})
	}
}

func TestInstructions(t *testing.T) {
	in := care.Inbox{ExternalID: "106540352242922", Credentials: map[string]string{CredVerifyToken: "vt", CredWABAID: "102290129340398"}}
	got := (&Adapter{}).Instructions(in, "https://parley.example.com/webhooks/7")
	want := []channel.Instruction{
		{Label: "Callback URL", Value: "https://parley.example.com/webhooks/7"},
		{Label: "Verify token", Value: "vt"},
		{Label: "Webhook fields", Value: "messages (and smb_message_echoes if the number is also used in the WhatsApp Business app)"},
		{Label: "Subscribe the app to the WhatsApp Business Account", Value: "POST https://graph.facebook.com/v26.0/102290129340398/subscribed_apps with the access token"},
		{Label: "Access token permissions", Value: "whatsapp_business_messaging, whatsapp_business_management"},
		{Label: "Phone number id", Value: "106540352242922"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions (-want +got):\n%s", diff)
	}
}

func TestHandshake(t *testing.T) {
	in := care.Inbox{Credentials: map[string]string{CredVerifyToken: "meatyhamhock"}}
	for _, tt := range []struct {
		name   string
		query  url.Values
		status int
		body   string
	}{
		{"documented example", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1158201444"}, "hub.verify_token": {"meatyhamhock"}}, 200, "1158201444"},
		{"wrong token", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1"}, "hub.verify_token": {"meatyhamhoc"}}, 403, ""},
		{"no token", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1"}}, 403, ""},
		{"wrong mode", url.Values{"hub.mode": {"unsubscribe"}, "hub.challenge": {"1"}, "hub.verify_token": {"meatyhamhock"}}, 403, ""},
		{"markup challenge", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"<script>"}, "hub.verify_token": {"meatyhamhock"}}, 400, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			(&Adapter{}).Handshake(rec, httptest.NewRequest(http.MethodGet, "/webhooks/7?"+tt.query.Encode(), nil), in)
			if rec.Code != tt.status || tt.body != "" && rec.Body.String() != tt.body {
				t.Errorf("Handshake = %d %q, want %d %q", rec.Code, rec.Body.String(), tt.status, tt.body)
			}
		})
	}
	// An inbox without a verify token verifies nothing, not even an empty token.
	rec := httptest.NewRecorder()
	(&Adapter{}).Handshake(rec, httptest.NewRequest(http.MethodGet, "/webhooks/7?hub.mode=subscribe&hub.challenge=1&hub.verify_token=", nil), care.Inbox{})
	if rec.Code != http.StatusForbidden {
		t.Errorf("Handshake without a configured token = %d, want 403", rec.Code)
	}
}
