package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const notificationCols = `id, workspace_id, user_id, kind, conversation_id, message_id, text, created_at, read_at`

func scanNotification(sc interface{ Scan(...any) error }) (*care.Notification, error) {
	var n care.Notification
	var conv, msg, read sql.NullInt64
	var created int64
	if err := sc.Scan(&n.ID, &n.WorkspaceID, &n.UserID, &n.Kind, &conv, &msg, &n.Text, &created, &read); err != nil {
		return nil, err
	}
	n.ConversationID, n.MessageID = conv.Int64, msg.Int64
	n.CreatedAt, n.ReadAt = fromMicros(created), timePtr(read)
	return &n, nil
}

// nullIfZero stores an optional reference as NULL rather than 0, which no
// row has.
func nullIfZero(id care.ID) any {
	if id == 0 {
		return nil
	}
	return id
}

func (q queries) CreateNotification(ctx context.Context, n *care.Notification) error {
	switch {
	case n.WorkspaceID == 0 || n.UserID == 0:
		return care.Errorf(care.EINVALID, "A notification needs a workspace and an agent.")
	case n.Kind == "":
		return care.Errorf(care.EINVALID, "A notification needs a kind.")
	case len(n.Text) > care.MaxNotificationText:
		return care.Errorf(care.EINVALID, "A notification's text is limited to %d bytes.", care.MaxNotificationText)
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	id, err := q.insert(ctx, `INSERT INTO notifications (workspace_id, user_id, kind, conversation_id, message_id, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, n.WorkspaceID, n.UserID, string(n.Kind), nullIfZero(n.ConversationID), nullIfZero(n.MessageID),
		n.Text, micros(n.CreatedAt))
	if err != nil {
		return q.wrap(err, "notification")
	}
	n.ID = id
	n.CreatedAt = fromMicros(micros(n.CreatedAt))
	return nil
}

func (q queries) Notifications(ctx context.Context, workspaceID, userID care.ID, unreadOnly bool, limit int) ([]care.Notification, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	where := `workspace_id = ? AND user_id = ?`
	if unreadOnly {
		where += ` AND read_at IS NULL`
	}
	rows, err := q.query(ctx, `SELECT `+notificationCols+` FROM notifications WHERE `+where+` ORDER BY id DESC LIMIT ?`, workspaceID, userID, limit)
	if err != nil {
		return nil, q.wrap(err, "notifications")
	}
	return collect(rows, scanNotification, q, "notifications")
}

func (q queries) UnreadNotifications(ctx context.Context, workspaceID, userID care.ID) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM notifications WHERE workspace_id = ? AND user_id = ? AND read_at IS NULL`,
		workspaceID, userID).Scan(&n)
	return n, q.wrap(err, "notifications")
}

func (q queries) ReadNotifications(ctx context.Context, workspaceID, userID care.ID, ids []care.ID, now time.Time) (int, error) {
	if len(ids) > 200 {
		return 0, care.Errorf(care.EINVALID, "Mark at most 200 notifications read at a time.")
	}
	query := `UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND user_id = ? AND read_at IS NULL`
	args := []any{micros(now), workspaceID, userID}
	if len(ids) > 0 {
		query += ` AND id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return 0, q.wrap(err, "notifications")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "notifications")
}

func (q queries) ReadConversationNotifications(ctx context.Context, workspaceID, userID, conversationID care.ID, now time.Time) (int, error) {
	res, err := q.exec(ctx, `UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND user_id = ? AND conversation_id = ? AND read_at IS NULL`,
		micros(now), workspaceID, userID, conversationID)
	if err != nil {
		return 0, q.wrap(err, "notifications")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "notifications")
}
