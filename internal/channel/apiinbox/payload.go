package apiinbox

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The wire format is declared apart from the domain types, so that renaming
// a field in care cannot silently change what receivers get.
type payload struct {
	Event        string              `json:"event"`
	Message      payloadMessage      `json:"message"`
	Conversation payloadConversation `json:"conversation"`
	Recipient    payloadRecipient    `json:"recipient"`
}

type payloadMessage struct {
	ID                care.ID         `json:"id"`
	ConversationID    care.ID         `json:"conversation_id"`
	InboxID           care.ID         `json:"inbox_id"`
	Text              string          `json:"text"`
	Visibility        care.Visibility `json:"visibility"`
	Attachments       []attachment    `json:"attachments"`
	ReplyToPlatformID string          `json:"reply_to_platform_id"`
	AuthorName        string          `json:"author_name"`
	CreatedAt         time.Time       `json:"created_at"`
}

type attachment struct {
	Kind     string `json:"kind"`
	URL      string `json:"url,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	Name     string `json:"name,omitempty"`
	Size     int64  `json:"size,omitempty"`
}

type payloadConversation struct {
	ID        care.ID `json:"id"`
	ContactID care.ID `json:"contact_id"`
}

type payloadRecipient struct {
	PlatformUserID string `json:"platform_user_id"`
	DisplayName    string `json:"display_name"`
}

// encodePayload renders the message.created body for out, sent to recipient.
func encodePayload(out *channel.Outbound, recipient care.Identity) ([]byte, error) {
	m := &out.Message
	p := payload{
		Event: string(care.EventMessageCreated),
		Message: payloadMessage{
			ID:                m.ID,
			ConversationID:    m.ConversationID,
			InboxID:           m.InboxID,
			Text:              m.Text,
			Visibility:        m.Visibility,
			Attachments:       make([]attachment, 0, len(m.Attachments)),
			ReplyToPlatformID: m.ReplyToPlatformID,
			AuthorName:        m.AuthorName,
			CreatedAt:         m.CreatedAt.UTC(),
		},
		Conversation: payloadConversation{ID: out.Conversation.ID, ContactID: out.Conversation.ContactID},
		Recipient:    payloadRecipient{PlatformUserID: recipient.PlatformUserID, DisplayName: recipient.DisplayName},
	}
	for _, a := range m.Attachments {
		p.Message.Attachments = append(p.Message.Attachments, attachment(a))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Receivers read the text; "<" should arrive as "<", not "\u003c".
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
