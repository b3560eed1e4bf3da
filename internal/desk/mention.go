package desk

import (
	"context"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/mention"
)

// notifyMentions stores a notification for each colleague the note
// mentions (never its author) and returns the event that tells their
// browsers at once. A member of a partner team who cannot see the
// conversation is not notified: the notification would show them its text.
func notifyMentions(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, note *care.Message, now time.Time) ([]care.Event, error) {
	if len(mention.Words(note.Text)) == 0 {
		return nil, nil
	}
	members, err := q.Members(ctx, conv.WorkspaceID)
	if err != nil {
		return nil, err
	}
	users := make([]care.User, 0, len(members))
	roles := make(map[care.ID]care.Role, len(members))
	for _, m := range members {
		roles[m.UserID] = m.Role
		u, err := q.User(ctx, m.UserID)
		if err != nil {
			return nil, err
		}
		users = append(users, *u)
	}
	by := p.Name
	for _, u := range users {
		if u.ID == p.UserID && p.UserID != 0 {
			by = u.Name // a personal token is named for its use, not its owner
		}
	}
	var ids []care.ID
	text := clip(by+" mentioned you: "+note.Text, care.MaxNotificationText)
	for _, id := range mention.Resolve(note.Text, users) {
		if id == p.UserID {
			continue
		}
		sees, err := seesConversation(ctx, q, conv, id, roles[id])
		if err != nil {
			return nil, err
		}
		if !sees {
			continue
		}
		n := &care.Notification{WorkspaceID: conv.WorkspaceID, UserID: id, Kind: care.NotifyMention,
			ConversationID: conv.ID, MessageID: note.ID, Text: text, CreatedAt: now}
		if err := q.CreateNotification(ctx, n); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	e, err := notifyEvent(conv, note.ID, care.NotifyMention, ids, text, by, now)
	if err != nil {
		return nil, err
	}
	return []care.Event{e}, nil
}

// notifyEvent is the live event that tells the users ids of the
// notifications just stored for them about a message of conv.
func notifyEvent(conv *care.Conversation, messageID care.ID, kind care.NotificationKind, ids []care.ID, text, by string, now time.Time) (care.Event, error) {
	data, err := json.Marshal(map[string]any{"kind": kind, "user_ids": ids, "text": text,
		"conversation_id": conv.ID, "message_id": messageID, "by": by})
	if err != nil {
		return care.Event{}, err
	}
	return care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventNotification, ConversationID: conv.ID,
		MessageID: messageID, InboxID: conv.InboxID, Data: data, CreatedAt: now}, nil
}

// clip cuts s to at most n bytes on a character boundary, marking the cut
// with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
