package care

import (
	"strings"
	"time"
)

// Status is where a conversation stands.
type Status string

// Statuses. Open, pending and snoozed conversations are "active": a new
// message from the same contact in the same inbox joins them.
const (
	StatusOpen     Status = "open"
	StatusPending  Status = "pending" // waiting on the customer
	StatusSnoozed  Status = "snoozed" // hidden until SnoozedUntil
	StatusResolved Status = "resolved"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusOpen, StatusPending, StatusSnoozed, StatusResolved:
		return true
	}
	return false
}

// Conversation is one story with one contact in one inbox.
type Conversation struct {
	ID           ID         `json:"id"`
	WorkspaceID  ID         `json:"workspace_id"`
	InboxID      ID         `json:"inbox_id"`
	Channel      Channel    `json:"channel"`
	ContactID    ID         `json:"contact_id"`
	Status       Status     `json:"status"`
	SnoozedUntil *time.Time `json:"snoozed_until,omitempty"`
	AssigneeID   ID         `json:"assignee_id,omitempty"`
	TeamID       ID         `json:"team_id,omitempty"`
	Tags         []string   `json:"tags"`
	Subject      string     `json:"subject,omitempty"`

	Priority        float64  `json:"priority"`
	PriorityReasons []string `json:"priority_reasons"`
	// PriorityInputs are what Priority was computed from, apart from time.
	PriorityInputs PriorityInputs `json:"priority_inputs"`

	// Kind is the kind of work, for agents' capacity.
	Kind WorkKind `json:"kind"`
	// Language, Mood and Topics summarise the customer's messages: the
	// language and mood of the newest, every topic met so far.
	Language string   `json:"language,omitempty"`
	Mood     Mood     `json:"mood,omitempty"`
	Topics   []string `json:"topics"`
	// AutoAssigned is true when routing chose the assignee; such a
	// conversation goes back to the queue when its agent goes away before
	// answering. A person's assignment is never undone by routing.
	AutoAssigned bool `json:"auto_assigned"`
	// EscalationTeamID is a second team the conversation was handed to (PR
	// or marketing, when a complaint starts to spread): both teams see it,
	// the assignee still owns it.
	EscalationTeamID ID `json:"escalation_team_id,omitempty"`
	// SLA is the state of its service-level clocks, kept by the SLA
	// package; opaque here.
	SLA []byte `json:"-"`

	FirstResponseDue *time.Time `json:"first_response_due,omitempty"`
	NextResponseDue  *time.Time `json:"next_response_due,omitempty"`
	ResolutionDue    *time.Time `json:"resolution_due,omitempty"`

	// LinkedID joins a public thread and its private follow-up: each side
	// points at the other.
	LinkedID ID `json:"linked_id,omitempty"`

	// WaitingSince is when the oldest unanswered customer message arrived;
	// nil when the last word was ours.
	WaitingSince   *time.Time `json:"waiting_since,omitempty"`
	LastActivityAt time.Time  `json:"last_activity_at"`
	MessageCount   int        `json:"message_count"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Active reports whether new messages from the contact join c.
func (c *Conversation) Active() bool { return c.Status != StatusResolved }

// NormalizeTag trims and lower-cases a tag. It returns "" for a tag that is
// empty or longer than 64 bytes, or that contains control characters or commas.
func NormalizeTag(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" || len(t) > 64 {
		return ""
	}
	for _, r := range t {
		if r < 0x20 || r == 0x7f || r == ',' {
			return ""
		}
	}
	return t
}

// Tags Parley sets itself: a public complaint taken private, and whether the
// customer followed into the private conversation.
const (
	TagTakenPrivate = "taken-private"
	TagMovedPrivate = "moved-private"
)

// Sort orders a conversation list.
type Sort string

// Sort orders.
const (
	SortNewest   Sort = "newest"   // most recent activity first
	SortPriority Sort = "priority" // highest priority first
	SortWaiting  Sort = "waiting"  // longest waiting first
)

// ConversationFilter selects conversations in one workspace. Zero values
// select everything. Assignee -1 selects unassigned conversations.
type ConversationFilter struct {
	WorkspaceID ID
	Statuses    []Status
	AssigneeID  ID
	TeamID      ID
	InboxID     ID
	ContactID   ID
	Channel     Channel
	Tag         string
	MinPriority *float64
	MaxPriority *float64
	Sort        Sort
	// After is an opaque cursor returned as ConversationPage.Next.
	After string
	Limit int
	// Scope, when set, keeps only the conversations it sees.
	Scope *Scope
}

// ConversationPage is one page of a conversation list.
type ConversationPage struct {
	Conversations []Conversation `json:"conversations"`
	Next          string         `json:"next,omitempty"`
}

// ConversationUpdate changes some fields of a conversation; nil fields stay.
type ConversationUpdate struct {
	Status       *Status
	SnoozedUntil *time.Time
	AssigneeID   *ID // 0 unassigns
	TeamID       *ID // 0 clears
	Tags         *[]string
	Priority     *float64
	Reasons      *[]string
	// AutoAssigned marks an assignment made by routing; any other change
	// of AssigneeID clears it.
	AutoAssigned     *bool
	EscalationTeamID *ID // 0 clears
	// SLA replaces the SLA state, and the three due times with it.
	SLA *SLAUpdate
}

// SLAUpdate is a conversation's new SLA state and the deadlines it implies
// (nil: no running clock of that kind).
type SLAUpdate struct {
	State            []byte
	FirstResponseDue *time.Time
	NextResponseDue  *time.Time
	ResolutionDue    *time.Time
}
