package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

func TestTokenMatches(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	in := &care.Inbox{Credentials: map[string]string{
		credTokenHash:                    hash("new"),
		credPrevTokenHash:                hash("old"),
		apiinbox.PreviousUntilCredential: now.Add(time.Hour).Format(time.RFC3339),
	}}
	tests := []struct {
		token string
		at    time.Time
		want  bool
	}{
		{"new", now, true},
		{"new", now.Add(48 * time.Hour), true},
		{"old", now, true},
		{"old", now.Add(time.Hour - time.Second), true},
		{"old", now.Add(time.Hour), false}, // the grace period is over
		{"", now, false},
		{"other", now, false},
	}
	for _, tt := range tests {
		if got := tokenMatches(in, tt.token, tt.at); got != tt.want {
			t.Errorf("tokenMatches(%q, %s) = %v, want %v", tt.token, tt.at.Sub(now), got, tt.want)
		}
	}
	// Without a grace period, or with a malformed end, only the current
	// token counts.
	for _, until := range []string{"", "tomorrow"} {
		in.Credentials[apiinbox.PreviousUntilCredential] = until
		if tokenMatches(in, "old", now) {
			t.Errorf("with previous_until %q the old token is accepted", until)
		}
	}
}

// failingInboxes is a store that cannot read inboxes.
type failingInboxes struct{ care.Store }

func (failingInboxes) Inbox(ctx context.Context, id care.ID) (*care.Inbox, error) {
	return nil, errors.New("sqlstore: open inbox credentials: secret: sealed value failed authentication")
}

// TestIngestStoreFailure: when Parley cannot read the inbox, the sender
// hears a 5xx it retries, not the 401 it would give up on.
func TestIngestStoreFailure(t *testing.T) {
	s := &Server{Store: failingInboxes{}}
	r := httptest.NewRequest("POST", "/api/v1/inboxes/7/messages", strings.NewReader(`{"id":"1","author":{"id":"a"},"text":"hi"}`))
	r.SetPathValue("id", "7")
	r.Header.Set("Authorization", "Bearer prl_inbox_x")
	w := httptest.NewRecorder()
	s.ingestAPIMessage(w, r)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500; body %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "secret") {
		t.Errorf("the answer shows the internal error: %s", w.Body)
	}
}
