package routing

import "time"

// Presence is whether an agent is taking work.
type Presence string

// Presences. Only online agents are given work.
const (
	Online  Presence = "online"
	Away    Presence = "away"
	Offline Presence = "offline"
)

// Kind is a kind of work; an agent's capacity is counted per kind.
type Kind string

// Kinds of work.
const (
	Call   Kind = "call"
	Chat   Kind = "chat"
	Social Kind = "social"
	Email  Kind = "email"
)

// Agent is an agent as routing sees them: what they handle, how much of it
// they can hold and how much they hold now.
type Agent struct {
	ID       int64
	Presence Presence
	Teams    []int64
	// Partner marks a member of a partner team, who sees only their teams'
	// work: they are given only work of one of Teams, never work of no
	// team. (Routing does not route by escalation team, which is handed
	// work rather than routed it, so the work's own team is what counts.)
	Partner bool
	// Languages, Channels and Topics are what the agent handles; an empty
	// list means any. Languages are language tags ("en", "pt-BR"),
	// matched by their primary language and without regard to case.
	Languages []string
	Channels  []string
	Topics    []string
	// Capacity is how many pieces of each kind the agent can hold at once;
	// a kind that is missing or not positive is one they are not given.
	Capacity map[Kind]int
	// Load is how many pieces of each kind they hold now. Dispatch adds to
	// it.
	Load map[Kind]int
	// LastAssigned is when the agent was last given work; the zero time
	// means never. Dispatch does not change it: the caller records the
	// time of the assignments it makes.
	LastAssigned time.Time
}

// Work is a piece of waiting work: a conversation as routing sees it.
type Work struct {
	ID   int64
	Kind Kind
	// TeamID is the team the work belongs to; 0 means any team.
	TeamID int64
	// Language, Channel and Topic are what the work needs; "" means any.
	Language string
	Channel  string
	Topic    string
	// PreferredAgent is the agent who already has this customer's open
	// conversation; 0 when none.
	PreferredAgent int64
	// Priority, Urgent and Due order the queue; they come from the
	// priority package.
	Priority float64
	Urgent   bool
	Due      *time.Time
	// Since is when the work started waiting.
	Since time.Time
}

// Assignment is one piece of work given to one agent.
type Assignment struct {
	WorkID, AgentID int64
}
