package care

import "time"

// HookDelivery is one call of a webhook an automation rule asked for,
// delivered at least once.
type HookDelivery struct {
	ID            ID         `json:"id"`
	WorkspaceID   ID         `json:"workspace_id"`
	URL           string     `json:"url"`
	Body          []byte     `json:"-"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}
