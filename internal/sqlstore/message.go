package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const messageCols = `id, workspace_id, conversation_id, inbox_id, direction, visibility, contact_id, author_id, author_name, text,
	attachments, platform_id, reply_to_platform_id, status, status_reason, created_at, sent_at, deleted_at, reactions, triage, hidden_at`

func scanMessage(sc interface{ Scan(...any) error }) (*care.Message, error) {
	var m care.Message
	var dir, vis, atts, status string
	var created, sent int64
	var deleted, hidden sql.NullInt64
	var reactions, triage string
	if err := sc.Scan(&m.ID, &m.WorkspaceID, &m.ConversationID, &m.InboxID, &dir, &vis, &m.ContactID, &m.AuthorID, &m.AuthorName, &m.Text,
		&atts, &m.PlatformID, &m.ReplyToPlatformID, &status, &m.StatusReason, &created, &sent, &deleted, &reactions, &triage, &hidden); err != nil {
		return nil, err
	}
	if triage != "" {
		m.Triage = new(care.Triage)
		if err := json.Unmarshal([]byte(triage), m.Triage); err != nil {
			return nil, fmt.Errorf("decode triage: %w", err)
		}
	}
	if reactions != "" && reactions != "[]" {
		if err := json.Unmarshal([]byte(reactions), &m.Reactions); err != nil {
			return nil, fmt.Errorf("decode reactions: %w", err)
		}
	}
	m.DeletedAt, m.HiddenAt = timePtr(deleted), timePtr(hidden)
	m.Direction, m.Visibility, m.Status = care.Direction(dir), care.Visibility(vis), care.DeliveryStatus(status)
	m.CreatedAt, m.SentAt = fromMicros(created), fromMicros(sent)
	if atts == "[]" {
		m.Attachments = []care.Attachment{}
	} else if err := json.Unmarshal([]byte(atts), &m.Attachments); err != nil {
		return nil, fmt.Errorf("decode attachments: %w", err)
	}
	return &m, nil
}

func (q queries) CreateMessage(ctx context.Context, m *care.Message) error {
	return q.createMessage(ctx, m, nil)
}

func (q queries) CreateTriagedMessage(ctx context.Context, m *care.Message, t *care.ConversationTriage) error {
	return q.createMessage(ctx, m, t)
}

func (q queries) createMessage(ctx context.Context, m *care.Message, t *care.ConversationTriage) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	m.CreatedAt = fromMicros(micros(m.CreatedAt))
	if m.SentAt.IsZero() {
		m.SentAt = m.CreatedAt
	}
	m.SentAt = fromMicros(micros(m.SentAt))
	if m.Attachments == nil {
		m.Attachments = []care.Attachment{}
	}
	atts, err := encodeAttachments(m.Attachments)
	if err != nil {
		return err
	}
	var triage []byte
	if m.Triage != nil {
		if triage, err = care.EncodeJSON(m.Triage); err != nil {
			return fmt.Errorf("sqlstore: encode triage: %w", err)
		}
	}
	return q.inTx(ctx, func(q queries) error {
		id, err := q.insert(ctx, `INSERT INTO messages (workspace_id, conversation_id, inbox_id, direction, visibility, contact_id, author_id, author_name, text,
			attachments, platform_id, reply_to_platform_id, status, status_reason, created_at, sent_at, triage)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.WorkspaceID, m.ConversationID, m.InboxID, string(m.Direction), string(m.Visibility), m.ContactID, m.AuthorID, m.AuthorName, m.Text,
			string(atts), m.PlatformID, m.ReplyToPlatformID, string(m.Status), m.StatusReason, micros(m.CreatedAt), micros(m.SentAt), string(triage))
		if err != nil {
			return q.wrap(err, "message")
		}
		m.ID = id
		q.added("messages")
		// The customer waits from their first unanswered message; any reply
		// of ours (not a note) ends the wait.
		switch {
		case t != nil && m.Direction == care.DirectionIn && m.Visibility != care.Note:
			// The message's reading and the conversation's new priority in
			// the same statement as its activity: one update, not two.
			inputs, err := encodeInputs(t.Inputs)
			if err != nil {
				return err
			}
			var team care.ID
			if t.TeamID != nil {
				team = *t.TeamID
			}
			// A column named in SET has its index entries rewritten even
			// when its value stays, so those that stay are left out. Only
			// with one writer: with several (PostgreSQL), an agent's reply
			// may have ended the wait since Was was read, and the UPDATE
			// must judge by the row as it is.
			was := t.Was
			if !q.d.SingleWriter {
				was = nil
			}
			set := `UPDATE conversations SET message_count = message_count + 1, last_activity_at = ?, updated_at = ?,
				language = ?, mood = ?, topics = ?, priority_inputs = ?, priority_reasons = ?,
				team_id = CASE WHEN team_id = 0 THEN ? ELSE team_id END`
			args := []any{micros(m.CreatedAt), micros(m.CreatedAt), t.Language, string(t.Mood), jsonStrings(t.Topics), inputs,
				jsonStrings(t.Reasons), team}
			if was == nil || was.WaitingSince == nil {
				set += `, waiting_since = COALESCE(waiting_since, ?)`
				args = append(args, micros(m.SentAt))
			}
			if was == nil || was.Priority != t.Priority {
				set += `, priority = ?`
				args = append(args, t.Priority)
			}
			_, err = q.exec(ctx, set+` WHERE id = ?`, append(args, m.ConversationID)...)
			return q.wrap(err, "conversation")
		case m.Visibility == care.Note:
			_, err = q.exec(ctx, `UPDATE conversations SET message_count = message_count + 1, updated_at = ? WHERE id = ?`,
				micros(m.CreatedAt), m.ConversationID)
		case m.Direction == care.DirectionIn:
			// A customer message on a resolved conversation is one that
			// did not reopen it (the pipeline reopens before storing any
			// other): a survey's answer, which asks nothing of anyone.
			_, err = q.exec(ctx, `UPDATE conversations SET message_count = message_count + 1, last_activity_at = ?, updated_at = ?,
				waiting_since = CASE WHEN status = 'resolved' THEN waiting_since ELSE COALESCE(waiting_since, ?) END WHERE id = ?`,
				micros(m.CreatedAt), micros(m.CreatedAt), micros(m.SentAt), m.ConversationID)
		case m.Status == care.DeliveryPendingApproval:
			// A reply held for approval has not answered the customer:
			// the wait ends when it is approved (SetDelivery).
			_, err = q.exec(ctx, `UPDATE conversations SET message_count = message_count + 1, last_activity_at = ?, updated_at = ? WHERE id = ?`,
				micros(m.CreatedAt), micros(m.CreatedAt), m.ConversationID)
		default:
			_, err = q.exec(ctx, `UPDATE conversations SET message_count = message_count + 1, last_activity_at = ?, updated_at = ?,
				waiting_since = NULL WHERE id = ?`, micros(m.CreatedAt), micros(m.CreatedAt), m.ConversationID)
		}
		return q.wrap(err, "conversation")
	})
}

// encodeAttachments is the attachments column: most messages have none.
func encodeAttachments(atts []care.Attachment) ([]byte, error) {
	if len(atts) == 0 {
		return []byte("[]"), nil
	}
	b, err := json.Marshal(atts)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encode attachments: %w", err)
	}
	return b, nil
}

func (q queries) Message(ctx context.Context, id care.ID) (*care.Message, error) {
	m, err := scanMessage(q.row(ctx, `SELECT `+messageCols+` FROM messages WHERE id = ?`, id))
	return m, q.wrap(err, "message")
}

func (q queries) MessageByPlatformID(ctx context.Context, inboxID care.ID, platformID string) (*care.Message, error) {
	if platformID == "" {
		return nil, care.Errorf(care.ENOTFOUND, "Message not found.")
	}
	// The redundant "platform_id <> ''" lets SQLite use the partial unique
	// index: it cannot prove a bound parameter non-empty by itself, and
	// without it scans every message.
	// A part of a message the platform delivered in parts names the
	// message it joined (see parts.go): looked for in the same statement,
	// only when no message has the id.
	m, err := scanMessage(q.row(ctx, `SELECT `+messageCols+` FROM messages WHERE inbox_id = ? AND platform_id = ? AND platform_id <> ''
		UNION ALL SELECT `+messageCols+` FROM messages WHERE id = (SELECT message_id FROM message_parts WHERE inbox_id = ? AND platform_id = ?)
		LIMIT 1`, inboxID, platformID, inboxID, platformID))
	return m, q.wrap(err, "message")
}

func (q queries) KnownPlatformIDs(ctx context.Context, inboxID care.ID, platformIDs []string) (map[string]care.ID, error) {
	known := map[string]care.ID{}
	err := inChunks(platformIDs, func(chunk []string) error {
		// "platform_id <> ''" lets the engine use the partial unique index.
		var rows *sql.Rows
		var err error
		if q.d.Arrays {
			rows, err = q.query(ctx, `SELECT k.v, m.conversation_id FROM unnest(?::text[]) AS k(v)
				CROSS JOIN LATERAL (SELECT conversation_id FROM messages WHERE inbox_id = ? AND platform_id = k.v AND platform_id <> ''
					UNION ALL SELECT pm.conversation_id FROM message_parts p JOIN messages pm ON pm.id = p.message_id
					WHERE p.inbox_id = ? AND p.platform_id = k.v LIMIT 1) m`,
				chunk, inboxID, inboxID)
		} else {
			// The parts of messages delivered in parts too (see parts.go).
			args, in := inList([]any{inboxID}, chunk)
			args = append(append(args, inboxID), args[1:]...) // the list again, boxed once
			rows, err = q.query(ctx, `SELECT platform_id, conversation_id FROM messages WHERE inbox_id = ? AND platform_id <> '' AND platform_id IN (`+
				in+`) UNION ALL SELECT p.platform_id, m.conversation_id FROM message_parts p JOIN messages m ON m.id = p.message_id
				WHERE p.inbox_id = ? AND p.platform_id IN (`+in+`)`, args...)
		}
		if err != nil {
			return q.wrap(err, "messages")
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var conv care.ID
			if err := rows.Scan(&id, &conv); err != nil {
				return q.wrap(err, "messages")
			}
			known[id] = conv
		}
		return q.wrap(rows.Err(), "messages")
	})
	return known, err
}

func (q queries) Messages(ctx context.Context, conversationID care.ID, afterID care.ID, limit int) ([]care.Message, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := q.query(ctx, `SELECT `+messageCols+` FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?`,
		conversationID, afterID, limit)
	if err != nil {
		return nil, q.wrap(err, "messages")
	}
	return collect(rows, scanMessage, q, "messages")
}

func (q queries) RecentMessages(ctx context.Context, conversationIDs []care.ID, limit int) ([]care.Message, error) {
	if len(conversationIDs) == 0 {
		return nil, nil
	}
	if len(conversationIDs) > 100 {
		return nil, care.Errorf(care.EINVALID, "At most 100 conversations at a time.")
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	args := make([]any, 0, len(conversationIDs)+1)
	for _, id := range conversationIDs {
		args = append(args, id)
	}
	args = append(args, limit)
	rows, err := q.query(ctx, `SELECT `+messageCols+` FROM messages WHERE conversation_id IN (`+placeholders(len(conversationIDs))+`)
		ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, q.wrap(err, "messages")
	}
	return collect(rows, scanMessage, q, "messages")
}

func (q queries) SetDelivery(ctx context.Context, messageID care.ID, status care.DeliveryStatus, reason, platformID string) error {
	if status == care.DeliveryQueued {
		// An approved reply answers the customer now: their wait ends,
		// as it ends when an unheld reply is stored.
		if _, err := q.exec(ctx, `UPDATE conversations SET waiting_since = NULL
			WHERE id = (SELECT conversation_id FROM messages WHERE id = ? AND status = 'pending_approval' AND direction = 'out')`, messageID); err != nil {
			return q.wrap(err, "conversation")
		}
	}
	if platformID == "" {
		return q.affectOne(ctx, "message", `UPDATE messages SET status = ?, status_reason = ? WHERE id = ?`, string(status), reason, messageID)
	}
	return q.affectOne(ctx, "message", `UPDATE messages SET status = ?, status_reason = ?, platform_id = ? WHERE id = ?`,
		string(status), reason, platformID, messageID)
}

func (q queries) RecordCharge(ctx context.Context, inboxID, messageID care.ID, category string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO charges (message_id, inbox_id, category, charged_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (message_id) DO NOTHING`, messageID, inboxID, category, micros(at))
	return q.wrap(err, "charge")
}

func (q queries) InboxCharges(ctx context.Context, inboxID care.ID, since time.Time) (map[string]int, error) {
	rows, err := q.query(ctx, `SELECT category, COUNT(*) FROM charges WHERE inbox_id = ? AND charged_at >= ? GROUP BY category`, inboxID, micros(since))
	if err != nil {
		return nil, q.wrap(err, "charges")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, q.wrap(err, "charges")
		}
		out[c] = n
	}
	return out, q.wrap(rows.Err(), "charges")
}

func (q queries) SetReaction(ctx context.Context, messageID care.ID, r care.Reaction) error {
	return q.inTx(ctx, func(q queries) error {
		m, err := q.Message(ctx, messageID)
		if err != nil {
			return err
		}
		kept := m.Reactions[:0]
		for _, x := range m.Reactions {
			if x.ContactID != r.ContactID {
				kept = append(kept, x)
			}
		}
		if r.Emoji != "" {
			r.At = fromMicros(micros(r.At))
			kept = append(kept, r)
		}
		if kept == nil {
			kept = []care.Reaction{}
		}
		b, err := json.Marshal(kept)
		if err != nil {
			return fmt.Errorf("sqlstore: encode reactions: %w", err)
		}
		_, err = q.exec(ctx, `UPDATE messages SET reactions = ? WHERE id = ?`, string(b), messageID)
		return q.wrap(err, "message")
	})
}

func (q queries) SetMessageHidden(ctx context.Context, messageID care.ID, at *time.Time) error {
	return q.affectOne(ctx, "message", `UPDATE messages SET hidden_at = ? WHERE id = ?`, nullMicros(at), messageID)
}

func (q queries) MarkMessageDeleted(ctx context.Context, messageID care.ID, at time.Time) error {
	return q.affectOne(ctx, "message", `UPDATE messages SET deleted_at = ? WHERE id = ?`, micros(at), messageID)
}

func (q queries) EnqueueOutbox(ctx context.Context, e *care.OutboxEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	if e.NextAttemptAt.IsZero() {
		e.NextAttemptAt = e.CreatedAt
	}
	e.CreatedAt, e.NextAttemptAt = fromMicros(micros(e.CreatedAt)), fromMicros(micros(e.NextAttemptAt))
	id, err := q.insert(ctx, `INSERT INTO outbox (message_id, inbox_id, channel, idempotency_key, attempts, next_attempt_at, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.MessageID, e.InboxID, string(e.Channel), e.IdempotencyKey, e.Attempts, micros(e.NextAttemptAt), e.LastError, micros(e.CreatedAt))
	if err != nil {
		return q.wrap(err, "outbox entry")
	}
	e.ID = id
	return nil
}

const outboxCols = `id, message_id, inbox_id, channel, idempotency_key, attempts, next_attempt_at, leased_until, last_error, created_at`

func scanOutbox(sc interface{ Scan(...any) error }) (*care.OutboxEntry, error) {
	var e care.OutboxEntry
	var ch string
	var next, created int64
	var leased sql.NullInt64
	if err := sc.Scan(&e.ID, &e.MessageID, &e.InboxID, &ch, &e.IdempotencyKey, &e.Attempts, &next, &leased, &e.LastError, &created); err != nil {
		return nil, err
	}
	e.Channel = care.Channel(ch)
	e.NextAttemptAt, e.CreatedAt, e.LeasedUntil = fromMicros(next), fromMicros(created), timePtr(leased)
	return &e, nil
}

// LeaseOutbox claims due entries. The claim is an UPDATE of leased_until in
// the same transaction as the select; on PostgreSQL the select skips rows
// another node is claiming, so two nodes never lease one entry.
func (q queries) LeaseOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]care.OutboxEntry, error) {
	var out []care.OutboxEntry
	err := q.inTx(ctx, func(q queries) error {
		rows, err := q.query(ctx, `SELECT `+outboxCols+` FROM outbox
			WHERE next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?) ORDER BY next_attempt_at, id LIMIT ?`+q.d.SkipLocked,
			micros(now), micros(now), limit)
		if err != nil {
			return q.wrap(err, "outbox")
		}
		if out, err = collect(rows, scanOutbox, q, "outbox"); err != nil {
			return err
		}
		until := now.Add(lease)
		for i := range out {
			if _, err := q.exec(ctx, `UPDATE outbox SET leased_until = ? WHERE id = ?`, micros(until), out[i].ID); err != nil {
				return q.wrap(err, "outbox")
			}
			t := fromMicros(micros(until))
			out[i].LeasedUntil = &t
		}
		return nil
	})
	return out, err
}

func (q queries) CompleteOutbox(ctx context.Context, id care.ID) error {
	return q.affectOne(ctx, "outbox entry", `DELETE FROM outbox WHERE id = ?`, id)
}

func (q queries) RetryOutbox(ctx context.Context, id care.ID, next time.Time, lastErr string) error {
	return q.affectOne(ctx, "outbox entry", `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, leased_until = NULL, last_error = ? WHERE id = ?`,
		micros(next), lastErr, id)
}

// ReleaseOutbox hands back a lease a stopping worker took but did not use.
// It matches the lease's end as well as the id, so a worker whose lease ran
// out cannot end the lease another worker has taken since.
func (q queries) ReleaseOutbox(ctx context.Context, id care.ID, leasedUntil time.Time) (bool, error) {
	res, err := q.exec(ctx, `UPDATE outbox SET leased_until = NULL WHERE id = ? AND leased_until = ?`, id, micros(leasedUntil))
	if err != nil {
		return false, q.wrap(err, "outbox entry")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, q.wrap(err, "outbox entry")
	}
	return n == 1, nil
}

func (q queries) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&n)
	return n, q.wrap(err, "outbox")
}

func (q queries) PendingApprovals(ctx context.Context, workspaceID care.ID, limit int) ([]care.Message, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := q.query(ctx, `SELECT `+messageCols+` FROM messages WHERE workspace_id = ? AND status = 'pending_approval' ORDER BY id LIMIT ?`,
		workspaceID, limit)
	if err != nil {
		return nil, q.wrap(err, "messages")
	}
	return collect(rows, scanMessage, q, "messages")
}

func (q queries) SetMessageText(ctx context.Context, messageID care.ID, text string) error {
	return q.affectOne(ctx, "message", `UPDATE messages SET text = ? WHERE id = ?`, text, messageID)
}
