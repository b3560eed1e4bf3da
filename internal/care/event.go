package care

import (
	"encoding/json"
	"time"
)

// EventType names a change that browsers, webhooks and reports react to.
type EventType string

// Event types.
const (
	EventConversationCreated EventType = "conversation.created"
	EventConversationUpdated EventType = "conversation.updated"
	EventMessageCreated      EventType = "message.created"
	EventMessageUpdated      EventType = "message.updated"
	EventMessageDeleted      EventType = "message.deleted" // removed from Parley; a platform deletion is message.updated
	EventContactMerged       EventType = "contact.merged"
	EventContactUnmerged     EventType = "contact.unmerged"
)

// Event is one stored change. IDs increase in commit order per store, so a
// client resumes a stream from the last ID it saw.
type Event struct {
	ID             ID              `json:"id"`
	WorkspaceID    ID              `json:"workspace_id"`
	Type           EventType       `json:"type"`
	ConversationID ID              `json:"conversation_id,omitempty"`
	MessageID      ID              `json:"message_id,omitempty"`
	InboxID        ID              `json:"inbox_id,omitempty"`
	Data           json.RawMessage `json:"data,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
}

// AuditEntry records who changed what, and how.
type AuditEntry struct {
	ID          ID              `json:"id"`
	WorkspaceID ID              `json:"workspace_id"`
	Actor       string          `json:"actor"` // "user:4", "token:2", "system", "rule:7"
	Action      string          `json:"action"`
	Target      string          `json:"target"` // "conversation:12"
	Details     json.RawMessage `json:"details,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}
