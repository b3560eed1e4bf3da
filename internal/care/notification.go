package care

import "time"

// Notification tells one agent that something needs them: a colleague
// mentioned them in a note, or an automation rule called for them. It stays
// until they have read it, so an agent who was away finds it on return.
type Notification struct {
	ID             ID               `json:"id"`
	WorkspaceID    ID               `json:"workspace_id"`
	UserID         ID               `json:"user_id"`
	Kind           NotificationKind `json:"kind"`
	ConversationID ID               `json:"conversation_id,omitempty"`
	MessageID      ID               `json:"message_id,omitempty"`
	// Text is what the agent reads, e.g. "Ana mentioned you: …".
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// NotificationKind says why an agent was notified.
type NotificationKind string

// Notification kinds.
const (
	NotifyMention NotificationKind = "mention"
	NotifyRule    NotificationKind = "rule"
	// NotifyRejected tells an agent a reply of theirs held for approval
	// was rejected, and why: otherwise they learn it only by opening the
	// conversation again.
	NotifyRejected NotificationKind = "rejected"
)

// MaxNotificationText bounds a notification's text; longer text is cut by
// whoever writes it.
const MaxNotificationText = 500
