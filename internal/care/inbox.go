package care

import "time"

// Inbox is one connected account on one channel: an X account, a Facebook
// Page, a WhatsApp number, or an API inbox. Its credentials are sealed at rest
// with the install's key; only the channel adapter ever sees them in clear.
type Inbox struct {
	ID          ID      `json:"id"`
	WorkspaceID ID      `json:"workspace_id"`
	Channel     Channel `json:"channel"`
	Name        string  `json:"name"`
	// ExternalID is the account's id on its platform (page id, user id,
	// phone number id); empty for an API inbox.
	ExternalID string `json:"external_id,omitempty"`
	// WebhookURL receives outbound replies for an API inbox.
	WebhookURL string `json:"webhook_url,omitempty"`
	// Credentials are the decrypted secrets (tokens, signing secrets). Storage
	// encrypts them; they are never serialised to API clients.
	Credentials map[string]string `json:"-"`
	CreatedAt   time.Time         `json:"created_at"`
}
