package care

import "time"

// OutboxEntry is an outbound message waiting to be delivered. It is written in
// the same transaction as its message, so a reply is never stored without
// being sent, nor sent without being stored.
type OutboxEntry struct {
	ID        ID
	MessageID ID
	InboxID   ID
	Channel   Channel
	// IdempotencyKey is sent to platforms that accept one, so a retry after a
	// lost response does not post twice.
	IdempotencyKey string
	Attempts       int
	NextAttemptAt  time.Time
	LeasedUntil    *time.Time
	LastError      string
	CreatedAt      time.Time
}
