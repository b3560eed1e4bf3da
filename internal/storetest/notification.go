package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func testNotifications(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	ws, other := mustWorkspace(t, s, "n1"), mustWorkspace(t, s, "n2")
	ana, ben := mustUser(t, s, "ana@example.com"), mustUser(t, s, "ben@example.com")
	in := mustInbox(t, s, ws, care.ChannelX)
	conv := mustConversation(t, s, newConversation(in, mustIdentity(t, s, ws, "1").ContactID, at(0)))

	var made []care.Notification
	for i, n := range []care.Notification{
		{WorkspaceID: ws.ID, UserID: ana.ID, Kind: care.NotifyMention, ConversationID: conv.ID, MessageID: 77, Text: "Ben mentioned you: <b>look</b> 👀", CreatedAt: at(0)},
		{WorkspaceID: ws.ID, UserID: ana.ID, Kind: care.NotifyRule, Text: "Rule: VIP waiting", CreatedAt: at(1)},
		{WorkspaceID: ws.ID, UserID: ben.ID, Kind: care.NotifyMention, ConversationID: conv.ID, Text: "for Ben", CreatedAt: at(2)},
		{WorkspaceID: other.ID, UserID: ana.ID, Kind: care.NotifyRule, Text: "other workspace", CreatedAt: at(3)},
	} {
		must(t, s.CreateNotification(ctx, &n), "CreateNotification %d", i)
		if n.ID == 0 {
			t.Fatalf("notification %d has no id", i)
		}
		made = append(made, n)
	}
	for _, bad := range []care.Notification{
		{UserID: ana.ID, Kind: care.NotifyRule, Text: "no workspace"},
		{WorkspaceID: ws.ID, UserID: ana.ID, Text: "no kind"},
		{WorkspaceID: ws.ID, UserID: ana.ID, Kind: care.NotifyRule, Text: string(make([]byte, care.MaxNotificationText+1))},
		{WorkspaceID: ws.ID, UserID: missingID, Kind: care.NotifyRule, Text: "nobody"},
	} {
		if err := s.CreateNotification(ctx, &bad); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("CreateNotification(%q) = %v, want EINVALID", bad.Text, err)
		}
	}

	got, err := s.Notifications(ctx, ws.ID, ana.ID, false, 0)
	must(t, err, "Notifications")
	want := []care.Notification{made[1], made[0]}
	for i := range want {
		want[i].CreatedAt = micro(want[i].CreatedAt)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Notifications mismatch (-want +got):\n%s", d)
	}
	if n, err := s.UnreadNotifications(ctx, ws.ID, ana.ID); err != nil || n != 2 {
		t.Errorf("UnreadNotifications = %d, %v; want 2", n, err)
	}

	// Marking someone else's notification changes nothing.
	if n, err := s.ReadNotifications(ctx, ws.ID, ana.ID, []care.ID{made[2].ID}, at(10)); err != nil || n != 0 {
		t.Errorf("ReadNotifications(Ben's) = %d, %v; want 0", n, err)
	}
	if n, err := s.ReadNotifications(ctx, ws.ID, ana.ID, []care.ID{made[0].ID}, at(10)); err != nil || n != 1 {
		t.Errorf("ReadNotifications(one) = %d, %v; want 1", n, err)
	}
	unread, err := s.Notifications(ctx, ws.ID, ana.ID, true, 10)
	must(t, err, "Notifications(unread)")
	if len(unread) != 1 || unread[0].ID != made[1].ID {
		t.Errorf("unread after reading one = %+v, want only %d", unread, made[1].ID)
	}
	all, _ := s.Notifications(ctx, ws.ID, ana.ID, false, 10)
	if len(all) != 2 || all[1].ReadAt == nil || !all[1].ReadAt.Equal(micro(at(10))) {
		t.Errorf("the read notification = %+v, want read_at %v", all, micro(at(10)))
	}
	// Opening the conversation reads Ben's one notification about it, not
	// Ana's other ones.
	if n, err := s.ReadConversationNotifications(ctx, ws.ID, ben.ID, conv.ID, at(10)); err != nil || n != 1 {
		t.Errorf("ReadConversationNotifications(Ben) = %d, %v; want 1", n, err)
	}
	if n, err := s.ReadConversationNotifications(ctx, ws.ID, ana.ID, conv.ID, at(10)); err != nil || n != 0 {
		t.Errorf("ReadConversationNotifications(Ana, already read) = %d, %v; want 0", n, err)
	}
	if n, err := s.ReadNotifications(ctx, ws.ID, ana.ID, nil, at(11)); err != nil || n != 1 {
		t.Errorf("ReadNotifications(all) = %d, %v; want 1", n, err)
	}
	for _, c := range []struct {
		ws, user care.ID
		want     int
	}{{ws.ID, ana.ID, 0}, {ws.ID, ben.ID, 0}, {other.ID, ana.ID, 1}} {
		if n, _ := s.UnreadNotifications(ctx, c.ws, c.user); n != c.want {
			t.Errorf("UnreadNotifications(%d, %d) = %d, want %d", c.ws, c.user, n, c.want)
		}
	}
}
