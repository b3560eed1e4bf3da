package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// The setup of an API inbox names where its messages go, the API's own
// intake with the inbox token, not a platform webhook URL that answers
// 404; a platform's inbox keeps its webhook URL.
func TestInboxSetupURL(t *testing.T) {
	ta := startApp(t)
	wss, _ := ta.Store.Workspaces(context.Background())
	admin := ta.token(t, wss[0].ID, care.RoleAdmin)
	in := ta.createAPIInbox(t, admin, "Web form")
	var setup struct {
		WebhookURL string `json:"webhook_url"`
	}
	ta.must(t, http.StatusOK, admin, "GET", fmt.Sprintf("/api/v1/inboxes/%d/setup", in.ID), "", &setup)
	if !strings.HasSuffix(setup.WebhookURL, fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID)) {
		t.Errorf("an API inbox's setup URL = %q, want its intake", setup.WebhookURL)
	}
	var created struct {
		Inbox care.Inbox `json:"inbox"`
	}
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/inboxes",
		`{"channel":"telegram","name":"Bot","credentials":{"bot_token":"123456789:AAHfakeTokenForParleyTests-0123456789_abc"}}`, &created)
	ta.must(t, http.StatusOK, admin, "GET", fmt.Sprintf("/api/v1/inboxes/%d/setup", created.Inbox.ID), "", &setup)
	if !strings.HasSuffix(setup.WebhookURL, fmt.Sprintf("/webhooks/%d", created.Inbox.ID)) {
		t.Errorf("a Telegram inbox's setup URL = %q, want its webhook", setup.WebhookURL)
	}
}
