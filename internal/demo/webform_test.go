package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

const replyBody = `{"event":"message.created","message":{"id":3,"conversation_id":1,"inbox_id":1,"text":"Hello!","visibility":"private",
 "attachments":[],"reply_to_platform_id":"wf-1","author_name":"Ana","created_at":"2026-11-24T10:01:00Z"},
 "conversation":{"id":1,"contact_id":1},"recipient":{"platform_user_id":"web-5","display_name":"Grace"}}`

func TestWebformReceive(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 1, 0, 0, time.UTC)
	secret := []byte("whsec_test")
	// The cases share one form, in order: a retry must find the first.
	f := newWebform()
	f.now = func() time.Time { return now }
	f.setSecret(string(secret))
	for _, tt := range []struct {
		name   string
		method string
		body   string
		sig    string
		key    string
		want   int
		stored int
	}{
		{"signed", "POST", replyBody, apiinbox.Sign(secret, now, []byte(replyBody)), "k1", http.StatusOK, 1},
		{"a retry", "POST", replyBody, apiinbox.Sign(secret, now, []byte(replyBody)), "k1", http.StatusOK, 1},
		{"another", "POST", replyBody, apiinbox.Sign(secret, now, []byte(replyBody)), "k2", http.StatusOK, 2},
		{"wrong secret", "POST", replyBody, apiinbox.Sign([]byte("guess"), now, []byte(replyBody)), "k3", http.StatusUnauthorized, 2},
		{"too old", "POST", replyBody, apiinbox.Sign(secret, now.Add(-time.Hour), []byte(replyBody)), "k4", http.StatusUnauthorized, 2},
		{"unsigned", "POST", replyBody, "", "k5", http.StatusUnauthorized, 2},
		{"not a reply", "POST", `{"event":"ping"}`, apiinbox.Sign(secret, now, []byte(`{"event":"ping"}`)), "k6", http.StatusBadRequest, 2},
		{"too large", "POST", strings.Repeat(" ", maxWebhookBody+1), "", "k7", http.StatusRequestEntityTooLarge, 2},
		{"a GET", "GET", "", "", "", http.StatusMethodNotAllowed, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/parley-hook", strings.NewReader(tt.body))
			if tt.sig != "" {
				req.Header.Set(apiinbox.SignatureHeader, tt.sig)
			}
			req.Header.Set("Idempotency-Key", tt.key)
			w := httptest.NewRecorder()
			f.ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d (%s)", w.Code, tt.want, w.Body)
			}
			if got := len(f.sent()); got != tt.stored {
				t.Errorf("%d replies stored, want %d", got, tt.stored)
			}
		})
	}
	got := f.sent()[0]
	if got.MessageID != 3 || got.Text != "Hello!" || got.RecipientID != "web-5" || got.PlatformID != "wf-reply-1" {
		t.Errorf("first reply = %+v", got)
	}
}

func TestDecodeWebReply(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
		ok         bool
	}{
		{"a reply", replyBody, true},
		{"unknown keys ignored", `{"event":"message.created","v2":1,"message":{"id":1,"text":"x"},"recipient":{"platform_user_id":"a"}}`, true},
		{"another event", `{"event":"message.updated","message":{"id":1},"recipient":{"platform_user_id":"a"}}`, false},
		{"no message id", `{"event":"message.created","message":{"text":"x"},"recipient":{"platform_user_id":"a"}}`, false},
		{"no recipient", `{"event":"message.created","message":{"id":1}}`, false},
		{"a huge recipient", `{"event":"message.created","message":{"id":1},"recipient":{"platform_user_id":"` + strings.Repeat("a", 300) + `"}}`, false},
		{"not JSON", `<html>`, false},
		{"wrong types", `{"event":1}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := decodeWebReply([]byte(tt.body)); (err == nil) != tt.ok {
				t.Errorf("decodeWebReply = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
