package care

import (
	"context"
	"slices"
	"time"
)

// ClockEvent is a change that moves a conversation's service-level clocks:
// a customer writing starts one, an agent's reply stops it, waiting on the
// customer pauses them all. An internal note is not one: it answers nobody.
type ClockEvent string

// Clock events.
const (
	ClockCreated         ClockEvent = "created"
	ClockCustomerMessage ClockEvent = "customer_message"
	ClockAgentReply      ClockEvent = "agent_reply"
	ClockPending         ClockEvent = "pending"
	ClockOpen            ClockEvent = "open"
	ClockSnoozed         ClockEvent = "snoozed"
	ClockResolved        ClockEvent = "resolved"
	ClockReopened        ClockEvent = "reopened"
	// ClockRecheck moves no clock but may change which policy applies or
	// whose hours count: a change of the conversation's tags or team. The
	// clocks keep the time they used; their due times follow the policy
	// and hours that apply now.
	ClockRecheck ClockEvent = "recheck"
)

// StatusClock is the clock event of a change to status s.
func StatusClock(s Status) ClockEvent {
	switch s {
	case StatusPending:
		return ClockPending
	case StatusSnoozed:
		return ClockSnoozed
	case StatusResolved:
		return ClockResolved
	}
	return ClockOpen
}

// ClockFor is the clock event of a change from before to after, "" when it
// moves no clock: a new status moves them; tags and team choose the policy
// and whose hours count, so a conversation tagged crisis is due sooner at
// once, not at its next status change.
func ClockFor(before, after *Conversation) ClockEvent {
	switch {
	case after.Status != before.Status:
		return StatusClock(after.Status)
	case after.TeamID != before.TeamID || !slices.Equal(after.Tags, before.Tags):
		return ClockRecheck
	}
	return ""
}

// Clocks keeps conversations' service-level clocks (see package deadline).
// Observe runs inside the transaction that made the change: it saves the
// conversation's SLA state and due times, updating conv, and returns the
// warning and breach events due, for the caller to append with the change's
// own events.
type Clocks interface {
	Observe(ctx context.Context, q Queries, conv *Conversation, e ClockEvent, at time.Time) ([]Event, error)
}

// SLA events, stored and published like any other change.
const (
	EventSLAWarning EventType = "sla.warning"
	EventSLABreach  EventType = "sla.breach"
)

// SLAOutcome is one stopped SLA clock: whether the target was met, and in
// how much business time.
type SLAOutcome struct {
	ID             ID      `json:"id"`
	WorkspaceID    ID      `json:"workspace_id"`
	ConversationID ID      `json:"conversation_id"`
	PolicyID       ID      `json:"policy_id"`
	Kind           string  `json:"kind"` // first_response, next_response, resolution
	Channel        Channel `json:"channel"`
	TeamID         ID      `json:"team_id"`
	AssigneeID     ID      `json:"assignee_id"`
	// Band is the customer's follower band on the channel ("under 1k",
	// "1k–10k", …), for the report that shows whether everyone is served
	// alike.
	Band   string        `json:"band"`
	Met    bool          `json:"met"`
	Used   time.Duration `json:"-"`
	Target time.Duration `json:"-"`
	At     time.Time     `json:"at"`
}

// SLAReportRow is one group of an SLA report.
type SLAReportRow struct {
	// Key is the group: a policy, team or agent id, a channel, a kind, a
	// follower band, or a day (YYYY-MM-DD, UTC).
	Key string `json:"key"`
	// Total stopped clocks; Met of them within target.
	Total int `json:"total"`
	Met   int `json:"met"`
	// MetShare is Met/Total, 0 when Total is 0.
	MetShare float64 `json:"met_share"`
	// AvgUsedSeconds is the mean business time the clocks ran.
	AvgUsedSeconds float64 `json:"avg_used_seconds"`
}

// SLA report groupings.
var SLAReportBy = []string{"policy", "team", "agent", "channel", "kind", "band", "day"}

// Change is something that happened to a conversation, for automation:
// the trigger (automation's names: "message.received",
// "conversation.created", "conversation.updated", "sla.warning",
// "sla.breach"), the conversation as it is now, and the message or SLA
// kind when the trigger has one.
type Change struct {
	Trigger      string
	Conversation *Conversation
	Message      *Message // the customer's message, for message.received
	Author       *Author  // its author as the platform described them
	SLAKind      string   // first_response, next_response or resolution
	At           time.Time
}

// Automation runs a workspace's rules on a change, inside the transaction
// that made it, and returns the events its actions raised for the caller
// to append (see package automator).
type Automation interface {
	Automate(ctx context.Context, q Queries, c Change) ([]Event, error)
}

// EventNotification is a notification for agents (from an automation rule,
// an @mention).
const EventNotification EventType = "notification"
