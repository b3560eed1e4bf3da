package sqlstore

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// A customer's message that the platform delivers in parts (care.Inbound.Group,
// a Telegram album's photos) is stored once, with every part's platform id
// in message_parts naming it: MessageByPlatformID and KnownPlatformIDs look
// there too, in the same statement, so a message without parts costs
// nothing more.

// GroupMessage returns the contact's message in the inbox holding a part of
// group, sent between from and to.
func (q queries) GroupMessage(ctx context.Context, inboxID, contactID care.ID, group string, from, to time.Time) (*care.Message, error) {
	if group == "" {
		return nil, care.Errorf(care.ENOTFOUND, "Message not found.")
	}
	m, err := scanMessage(q.row(ctx, `SELECT `+messageCols+` FROM messages WHERE id = (
		SELECT p.message_id FROM message_parts p JOIN messages m ON m.id = p.message_id
		WHERE p.inbox_id = ? AND p.part_group = ? AND m.contact_id = ? AND m.sent_at >= ? AND m.sent_at <= ?
		ORDER BY p.message_id LIMIT 1)`, inboxID, group, contactID, micros(from), micros(to)))
	return m, q.wrap(err, "message")
}

// AddMessagePart records platformID as naming message messageID, a part of
// group.
func (q queries) AddMessagePart(ctx context.Context, messageID care.ID, group, platformID string) error {
	if platformID == "" || group == "" {
		return care.Errorf(care.EINVALID, "A message part needs its platform id and its group.")
	}
	return q.inTx(ctx, func(q queries) error {
		var inbox care.ID
		if err := q.row(ctx, `SELECT inbox_id FROM messages WHERE id = ?`, messageID).Scan(&inbox); err != nil {
			return q.wrap(err, "message")
		}
		holder, err := q.MessageByPlatformID(ctx, inbox, platformID)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
		case err != nil:
			return err
		case holder.ID != messageID:
			return care.Errorf(care.ECONFLICT, "Another message in the inbox has this platform id.")
		}
		_, err = q.exec(ctx, `INSERT INTO message_parts (inbox_id, platform_id, part_group, message_id) VALUES (?, ?, ?, ?)
			ON CONFLICT (inbox_id, platform_id) DO NOTHING`, inbox, platformID, group, messageID)
		return q.wrap(err, "message part")
	})
}

// SetMessageContent replaces a message's text and attachments.
func (q queries) SetMessageContent(ctx context.Context, messageID care.ID, text string, atts []care.Attachment) error {
	b, err := encodeAttachments(atts)
	if err != nil {
		return err
	}
	return q.affectOne(ctx, "message", `UPDATE messages SET text = ?, attachments = ? WHERE id = ?`, text, string(b), messageID)
}
