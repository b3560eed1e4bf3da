package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// A note that @mentions a colleague leaves them a notification they can
// list and mark read, through their own token.
func TestMentionNotifications(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	ws := &care.Workspace{Slug: "notify", Name: "Notify"}
	if err := ta.Store.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	personal := func(email, name string) (care.ID, string) {
		u, _, err := accounts.CreateUser(ctx, ta.Store, ws.ID, email, name, care.RoleAgent, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := accounts.CreateToken(ctx, ta.Store, ws.ID, u.ID, name+"'s token", care.RoleAgent, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return u.ID, secret
	}
	leeID, lee := personal("lee@notify.test", "Lee Chan")
	_, sam := personal("sam@notify.test", "Sam")
	admin := ta.token(t, ws.ID, care.RoleAdmin)
	in := ta.createAPIInbox(t, admin, "Web")
	m := ta.newConversation(t, in)

	ta.must(t, http.StatusCreated, sam, "POST", fmt.Sprintf("/api/v1/conversations/%d/notes", m.ConversationID),
		`{"text":"@lee could you call the courier?"}`, nil)

	var list struct {
		Notifications []care.Notification `json:"notifications"`
		Unread        int                 `json:"unread"`
	}
	ta.must(t, http.StatusOK, lee, "GET", "/api/v1/me/notifications?unread=true", "", &list)
	if list.Unread != 1 || len(list.Notifications) != 1 {
		t.Fatalf("Lee's notifications = %+v, want one unread", list)
	}
	n := list.Notifications[0]
	if n.UserID != leeID || n.ConversationID != m.ConversationID || !strings.HasPrefix(n.Text, "Sam mentioned you: @lee") {
		t.Errorf("notification = %+v", n)
	}
	ta.must(t, http.StatusOK, sam, "GET", "/api/v1/me/notifications", "", &list)
	if list.Unread != 0 || len(list.Notifications) != 0 {
		t.Errorf("Sam sees %+v; the author is not notified", list)
	}
	var read struct{ Read, Unread int }
	ta.must(t, http.StatusOK, sam, "POST", "/api/v1/me/notifications/read", fmt.Sprintf(`{"ids":[%d]}`, n.ID), &read)
	if read.Read != 0 {
		t.Errorf("Sam marked Lee's notification read: %+v", read)
	}
	ta.must(t, http.StatusOK, lee, "POST", "/api/v1/me/notifications/read", `{}`, &read)
	if read.Read != 1 || read.Unread != 0 {
		t.Errorf("read all = %+v, want 1 read, 0 left", read)
	}
	ta.must(t, http.StatusBadRequest, lee, "GET", "/api/v1/me/notifications?unread=maybe", "", nil)
}
