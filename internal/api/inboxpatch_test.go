package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// An inbox's credentials change through PATCH, checked by the channel's
// adapter like at creation, sealed, and audited by key only.
func TestPatchInboxCredentials(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	wss, _ := ta.Store.Workspaces(ctx)
	admin := ta.token(t, wss[0].ID, care.RoleAdmin)
	var created struct {
		Inbox care.Inbox `json:"inbox"`
	}
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/inboxes",
		`{"channel":"telegram","name":"Bot","credentials":{"bot_token":"123456789:AAHfakeTokenForParleyTests-0123456789_abc"}}`, &created)
	path := fmt.Sprintf("/api/v1/inboxes/%d", created.Inbox.ID)
	ta.must(t, http.StatusOK, admin, "PATCH", path, `{"credentials":{"bot_username":"acme_bot","bot_token":"123456789:AAHotherTokenForParleyTests-0123456789_x"}}`, nil)
	in, err := ta.Store.Inbox(ctx, created.Inbox.ID)
	if err != nil || in.Credentials["bot_username"] != "acme_bot" || !strings.HasPrefix(in.Credentials["bot_token"], "123456789:AAHother") || in.Credentials["secret_token"] == "" {
		t.Fatalf("credentials after PATCH = %v, %v", in.Credentials, err)
	}
	// Removing the token is refused by the adapter; nothing changes.
	ta.must(t, http.StatusBadRequest, admin, "PATCH", path, `{"credentials":{"bot_token":""}}`, nil)
	if in, _ := ta.Store.Inbox(ctx, created.Inbox.ID); in.Credentials["bot_token"] == "" {
		t.Errorf("a refused PATCH removed the token")
	}
	audit, _ := ta.Store.Audit(ctx, wss[0].ID, fmt.Sprintf("inbox:%d", created.Inbox.ID), 10)
	for _, a := range audit {
		if strings.Contains(string(a.Details), "AAH") {
			t.Errorf("the audit trail holds a credential's value: %s", a.Details)
		}
	}
}
