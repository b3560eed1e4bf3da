package desk_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestNoteMentionsNotify(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		lee := &care.User{Email: "lee.chan@acme.test", Name: "Lee Chan"}
		outsider := &care.User{Email: "kim@globex.test", Name: "Kim"}
		for _, u := range []*care.User{lee, outsider} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: w.agent.WorkspaceID, UserID: lee.ID, Role: care.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		before, _ := s.LatestEventID(ctx, w.agent.WorkspaceID)
		// Lee by first name, Sam (the author) by handle, Kim is not a member.
		m, err := w.d.Note(ctx, w.agent, w.conv.ID, "@Lee can you check the courier? cc @sam @kim")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Notifications(ctx, w.agent.WorkspaceID, lee.ID, true, 10)
		if err != nil || len(got) != 1 {
			t.Fatalf("Lee's notifications = %+v, %v; want one", got, err)
		}
		n := got[0]
		if n.Kind != care.NotifyMention || n.ConversationID != w.conv.ID || n.MessageID != m.ID || !strings.HasPrefix(n.Text, "Sam mentioned you: @Lee") {
			t.Errorf("notification = %+v", n)
		}
		for _, id := range []care.ID{w.agent.UserID, outsider.ID} {
			if c, _ := s.UnreadNotifications(ctx, w.agent.WorkspaceID, id); c != 0 {
				t.Errorf("user %d got %d notifications; the author and non-members get none", id, c)
			}
		}
		evs, _ := s.EventsAfter(ctx, w.agent.WorkspaceID, before, 10)
		var found bool
		for _, e := range evs {
			if e.Type != care.EventNotification {
				continue
			}
			var d struct {
				UserIDs []care.ID `json:"user_ids"`
				Kind    string    `json:"kind"`
			}
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			found = slices.Equal(d.UserIDs, []care.ID{lee.ID}) && d.Kind == "mention"
		}
		if !found {
			t.Errorf("no notification event for Lee among %+v", evs)
		}
		// A note without mentions notifies nobody.
		if _, err := w.d.Note(ctx, w.agent, w.conv.ID, "mail lee.chan@acme.test later"); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.UnreadNotifications(ctx, w.agent.WorkspaceID, lee.ID); c != 1 {
			t.Errorf("Lee has %d unread, want still 1", c)
		}
	})
}
