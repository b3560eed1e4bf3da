package sqlite_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// valueStart is when the first of the seeded conversations opens.
var valueStart = time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC)

// seedValue stores n conversations of one workspace, step apart and in id
// order, as a care team's month: a third on Facebook, the rest on X; one
// in four still open; one in five unhappy; each with the customer's
// message and a reply, every other one a second reply, and every tenth
// resolved one a survey sent an hour after it opened and answered (scores
// 1 to 5 in turn), its question a message of the conversation. It writes
// with SQL: through the store, a benchmark's setup would take minutes.
func seedValue(t testing.TB, n int, step time.Duration) (care.Store, *sql.DB, care.ID) {
	t.Helper()
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
	ident, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelX, care.Author{PlatformUserID: "1", DisplayName: "Vera"}, valueStart)
	if err != nil {
		t.Fatal(err)
	}
	c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: ident.ContactID,
		Status: care.StatusOpen, CreatedAt: valueStart, LastActivityAt: valueStart, UpdatedAt: valueStart}
	if err := s.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*care.Message{
		{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
			ContactID: ident.ContactID, Text: "Where is my order?", Status: care.DeliveryReceived, CreatedAt: valueStart},
		{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionOut, Visibility: care.Private,
			AuthorID: 1, Text: "On its way!", Status: care.DeliverySent, CreatedAt: valueStart.Add(time.Minute)},
	} {
		if err := s.CreateMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	w := s.(interface{ Writer() *sql.DB }).Writer()
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := w.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%v\n%s", err, query)
		}
	}
	// Copies of the first conversation, every column but those set here.
	set := map[string]string{
		"created_at":       "created_at + i * ?",
		"last_activity_at": "created_at + i * ?",
		"updated_at":       "created_at + i * ?",
		"channel":          "CASE WHEN i % 3 = 0 THEN 'facebook' ELSE channel END",
		"status":           "CASE WHEN i % 4 = 0 THEN 'open' ELSE 'resolved' END",
		"mood":             "CASE WHEN i % 5 = 0 THEN 'negative' ELSE 'neutral' END",
	}
	cols, exprs := copyColumns(t, w, "conversations", "", set)
	us := step.Microseconds()
	exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO conversations (`+cols+`) SELECT `+exprs+` FROM conversations, n WHERE conversations.id = ? ORDER BY i`,
		n-1, us, us, us, c.ID)
	cols, exprs = copyColumns(t, w, "messages", "m.", map[string]string{
		"conversation_id": "c.id", "created_at": "c.created_at + m.created_at - ?", "platform_id": "''"})
	exec(`INSERT INTO messages (`+cols+`) SELECT `+exprs+` FROM conversations c CROSS JOIN messages m
		WHERE c.id > ? AND m.conversation_id = ?`, valueStart.UnixMicro(), c.ID, c.ID)
	exec(`INSERT INTO messages (`+cols+`) SELECT `+exprs+` FROM conversations c CROSS JOIN messages m
		WHERE c.id % 2 = 0 AND m.conversation_id = ? AND m.direction = 'out'`, valueStart.UnixMicro()-60_000_000, c.ID)
	exec(`INSERT INTO surveys (workspace_id, conversation_id, contact_id, agent_id, team_id, channel, token_hash, sent_at, score, comment, answered_at)
		SELECT workspace_id, id, contact_id, 0, 0, channel, 'token-' || id, created_at + 3600000000, 1 + id / 10 % 5, '', created_at + 7200000000
		FROM conversations WHERE id % 10 = 0 AND status = 'resolved'`)
	// The surveys' questions, sent as the desk sends them: by nobody, under
	// the survey's name, at the instant the survey was stored.
	cols, exprs = copyColumns(t, w, "messages", "m.", map[string]string{
		"conversation_id": "s.conversation_id", "created_at": "s.sent_at", "platform_id": "''", "author_id": "0",
		"author_name": "'" + care.SurveyAuthor + "'"})
	exec(`INSERT INTO messages (`+cols+`) SELECT `+exprs+` FROM surveys s CROSS JOIN messages m
		WHERE m.conversation_id = ? AND m.direction = 'out'`, c.ID)
	return s, w, ws.ID
}

// copyColumns lists table's columns but id, and what to insert in each:
// the expression set gives, or the column itself, after prefix.
func copyColumns(t testing.TB, w *sql.DB, table, prefix string, set map[string]string) (cols, exprs string) {
	t.Helper()
	rows, err := w.QueryContext(t.Context(), `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cs, es []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name == "id" {
			continue
		}
		e, ok := set[name]
		if !ok {
			e = prefix + name
		}
		cs, es = append(cs, name), append(es, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(cs, ", "), strings.Join(es, ", ")
}

// TestValueReportBisects checks ValueReport on a table far longer than the
// slack it reads around the bisected ids, against plain counts of every
// row.
func TestValueReportBisects(t *testing.T) {
	s, w, ws := seedValue(t, 25_000, time.Minute) // about 17 days
	for _, days := range []int{0, 3, 9, 16} {
		from := valueStart.AddDate(0, 0, days).Add(90 * time.Minute)
		to := from.Add(26 * time.Hour)
		rows, err := s.ValueReport(t.Context(), ws, from, to, "channel")
		if err != nil {
			t.Fatal(err)
		}
		var want, wantReplies, wantAnswered int
		if err := w.QueryRowContext(t.Context(), `SELECT COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM messages m
			WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.author_id <> 0)), 0)
			FROM conversations c WHERE created_at >= ? AND created_at < ?`,
			from.UnixMicro(), to.UnixMicro()).Scan(&want, &wantReplies); err != nil {
			t.Fatal(err)
		}
		if err := w.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM conversations c JOIN surveys s ON s.conversation_id = c.id
			WHERE c.created_at >= ? AND c.created_at < ?`, from.UnixMicro(), to.UnixMicro()).Scan(&wantAnswered); err != nil {
			t.Fatal(err)
		}
		var got, replies, answered int
		for _, r := range rows {
			got, replies, answered = got+r.Contacts, replies+r.Replies, answered+r.SurveysAnswered
		}
		if got != want || replies != wantReplies || answered != wantAnswered || want == 0 || answered == 0 {
			t.Errorf("from day %d: ValueReport counted %d conversations, %d replies, %d surveys; full counts %d, %d, %d",
				days, got, replies, answered, want, wantReplies, wantAnswered)
		}
	}
}

// BenchmarkValueReport reads a month's business case, 100,000
// conversations with their 257,500 messages and 7,500 surveys, by
// channel.
func BenchmarkValueReport(b *testing.B) {
	const total = 100_000
	step := 30 * 24 * time.Hour / total
	s, _, ws := seedValue(b, total, step)
	end := valueStart.AddDate(0, 0, 30)
	for b.Loop() {
		rows, err := s.ValueReport(b.Context(), ws, valueStart, end, "channel")
		if err != nil || len(rows) != 2 || rows[0].Contacts+rows[1].Contacts != total {
			b.Fatalf("ValueReport() = %+v, %v; want %d conversations in two channels", rows, err, total)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}
