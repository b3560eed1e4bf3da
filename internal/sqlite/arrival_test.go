package sqlite_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestArrivalsBisects checks Arrivals on a table far longer than the slack
// it reads below the bisected id, against a plain count of every row.
func TestArrivalsBisects(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme"}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	ident, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, care.Author{PlatformUserID: "1", DisplayName: "Vera"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC)
	c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: ident.ContactID,
		Status: care.StatusOpen, CreatedAt: start, LastActivityAt: start, UpdatedAt: start}
	if err := s.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn,
		Visibility: care.Private, ContactID: ident.ContactID, Text: "hello", Status: care.DeliveryReceived, CreatedAt: start}
	if err := s.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	// 40,000 more, a minute apart and in id order: about 28 days.
	w := s.(interface{ Writer() *sql.DB }).Writer()
	_, err = w.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
		INSERT INTO messages (workspace_id, conversation_id, inbox_id, direction, visibility, contact_id, author_id, author_name,
			text, attachments, platform_id, reply_to_platform_id, status, status_reason, created_at, sent_at, triage)
		SELECT workspace_id, conversation_id, inbox_id, direction, visibility, contact_id, author_id, author_name,
			text, attachments, '', '', status, status_reason, created_at + i * 60000000, sent_at, triage
		FROM messages, n WHERE messages.id = ? ORDER BY i`, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, days := range []int{0, 3, 14, 27} {
		from := start.AddDate(0, 0, days).Add(90 * time.Minute)
		to := from.Add(26 * time.Hour)
		got, err := s.Arrivals(ctx, ws.ID, from, to, care.ArrivalFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var want, sum int
		if err := w.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE created_at >= ? AND created_at < ?`,
			from.UnixMicro(), to.UnixMicro()).Scan(&want); err != nil {
			t.Fatal(err)
		}
		for _, h := range got {
			sum += h.Messages
		}
		if sum != want || want == 0 {
			t.Errorf("from day %d: Arrivals counted %d messages, a full count %d", days, sum, want)
		}
	}
}
