package care

import "time"

// Presence is whether an agent is taking work.
type Presence string

// Presences. Only online agents are given conversations.
const (
	PresenceOnline  Presence = "online"
	PresenceAway    Presence = "away"
	PresenceOffline Presence = "offline"
)

// Valid reports whether p is known.
func (p Presence) Valid() bool {
	return p == PresenceOnline || p == PresenceAway || p == PresenceOffline
}

// WorkKind is the kind of work a conversation is; an agent's capacity is
// counted per kind (one call, three chats, eight social or email threads).
type WorkKind string

// Kinds of work.
const (
	WorkCall   WorkKind = "call"
	WorkChat   WorkKind = "chat"
	WorkSocial WorkKind = "social"
	WorkEmail  WorkKind = "email"
)

// Valid reports whether k is known.
func (k WorkKind) Valid() bool {
	return k == WorkCall || k == WorkChat || k == WorkSocial || k == WorkEmail
}

// KindOf is the kind of work a conversation on ch is. Live web chat
// holds an agent like a chat; email is its own queue; every social and
// messaging channel (WhatsApp and SMS included) is answered asynchronously
// and counts as social.
func KindOf(ch Channel) WorkKind {
	switch ch {
	case ChannelWebChat:
		return WorkChat
	case ChannelEmail:
		return WorkEmail
	case "voice", "phone":
		return WorkCall
	}
	return WorkSocial
}

// DefaultCapacity is an agent's capacity until a supervisor sets one.
func DefaultCapacity() map[WorkKind]int {
	return map[WorkKind]int{WorkCall: 1, WorkChat: 3, WorkSocial: 8, WorkEmail: 8}
}

// Skills are what a team or an agent handles. An empty list means any.
type Skills struct {
	Languages []string `json:"languages,omitempty"`
	Channels  []string `json:"channels,omitempty"`
	Topics    []string `json:"topics,omitempty"`
}

// Agent is a member's routing profile in one workspace, with their current
// load. PresenceAt and LastAssignedAt are zero, and left out of JSON, for an
// agent who never set a presence or was never given work.
type Agent struct {
	WorkspaceID    ID               `json:"workspace_id"`
	UserID         ID               `json:"user_id"`
	Name           string           `json:"name"`
	Role           Role             `json:"role"`
	Presence       Presence         `json:"presence"`
	PresenceAt     time.Time        `json:"presence_at,omitzero"`
	Skills         Skills           `json:"skills"`
	Capacity       map[WorkKind]int `json:"capacity"`
	TeamIDs        []ID             `json:"team_ids"`
	LastAssignedAt time.Time        `json:"last_assigned_at,omitzero"`
	// Load counts the open conversations assigned to the agent, per kind.
	// Pending and snoozed ones wait on the customer or on time, and do not
	// hold a place.
	Load map[WorkKind]int `json:"load"`
}

// Waiting is an unassigned open conversation as routing sees it.
type Waiting struct {
	ConversationID ID
	WorkspaceID    ID
	Kind           WorkKind
	Channel        Channel
	TeamID         ID
	Language       string
	Topics         []string
	Priority       float64
	Due            *time.Time
	Since          time.Time
	// PreferredAgent is the agent who has another open conversation with
	// the same customer: a returning customer goes back to them.
	PreferredAgent ID
}

// QueueStats is one team's queue as a supervisor sees it. Load and
// Capacity add up every kind of work; an agent's places are per kind, so
// whether the queue can be served is read from Kinds.
type QueueStats struct {
	TeamID       ID          `json:"team_id"`
	Waiting      int         `json:"waiting"`
	LongestWaitS int64       `json:"longest_wait_seconds"`
	Online       int         `json:"agents_online"`
	Load         int         `json:"load"`
	Capacity     int         `json:"capacity"`
	Kinds        []KindStats `json:"kinds"`
}

// KindStats is one kind of work in a queue: what waits, and the load and
// capacity of that kind among the agents who can take it.
type KindStats struct {
	Kind     WorkKind `json:"kind"`
	Waiting  int      `json:"waiting"`
	Load     int      `json:"load"`
	Capacity int      `json:"capacity"`
}

// AgentUpdate changes an agent's routing profile; nil fields stay.
type AgentUpdate struct {
	Presence *Presence
	Skills   *Skills
	Capacity map[WorkKind]int
}

// PriorityChange is one recomputed priority.
type PriorityChange struct {
	ConversationID ID
	Priority       float64
	Reasons        []string
}
