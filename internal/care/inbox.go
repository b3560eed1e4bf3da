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
	Health      InboxHealth       `json:"health"`
}

// InboxHealth is the one-line state of a connected account an admin checks
// first when something seems wrong.
type InboxHealth struct {
	LastEventAt *time.Time `json:"last_event_at,omitempty"`
	LastSendAt  *time.Time `json:"last_send_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	// RateLimit is the platform's last reported budget, e.g.
	// "12/15 left, resets 10:15:00Z".
	RateLimit string `json:"rate_limit,omitempty"`
	// Spend counts this month's messages the platform bills, by category,
	// e.g. "132 billed messages this month (service 120, utility 12)".
	Spend string `json:"spend,omitempty"`
}

// HealthUpdate records what just happened on an inbox; zero fields stay.
type HealthUpdate struct {
	EventAt   time.Time
	SendAt    time.Time
	Error     string
	ErrorAt   time.Time
	RateLimit string
}
