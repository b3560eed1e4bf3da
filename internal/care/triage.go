package care

// Triage is what Parley read in one customer message, locally and at once:
// the language it is in, how the customer feels, what it is about, and how
// far a public post may reach. It is kept on the message, so an agent (and a
// report) can see why the conversation was ranked where it was.
type Triage struct {
	Language string `json:"language,omitempty"` // ISO 639-1; "" when unsure
	// Sentiment runs from -1 (very negative) to +1 (very positive).
	Sentiment float64 `json:"sentiment"`
	Mood      Mood    `json:"mood,omitempty"`
	// Intensity is how strongly it is said (0…1), whatever the sign.
	Intensity float64  `json:"intensity,omitempty"`
	Topics    []string `json:"topics,omitempty"`
	// Reach is how far this post may spread (0…1); 0 for a private message.
	Reach float64 `json:"reach,omitempty"`
	// Cues explain the reading: `"not happy" (negated)`, `ALL CAPS`, "38k
	// followers".
	Cues []string `json:"cues,omitempty"`
}

// Mood is a sentiment's label.
type Mood string

// Moods.
const (
	MoodNegative Mood = "negative"
	MoodNeutral  Mood = "neutral"
	MoodPositive Mood = "positive"
)

// PriorityInputs are what a conversation's priority is computed from, apart
// from time: kept on the conversation so the score can be recomputed as the
// customer waits without reading any message again.
type PriorityInputs struct {
	// Need is how badly the customer needs help (0…1): the stronger of
	// negative sentiment and the severity of the topic.
	Need       float64 `json:"need,omitempty"`
	NeedReason string  `json:"need_reason,omitempty"`
	// Reach is the largest reach of the customer's public posts here (0…1).
	Reach       float64 `json:"reach,omitempty"`
	ReachReason string  `json:"reach_reason,omitempty"`
	// Incident is the severity (0…1) of an incident the conversation is
	// part of: many customers raising one topic at once.
	Incident       float64 `json:"incident,omitempty"`
	IncidentReason string  `json:"incident_reason,omitempty"`
	// History is repeat contact on the same matter (0…1).
	History float64 `json:"history,omitempty"`
	// Value is the customer's value to the business (0…1): a VIP is 1.
	Value float64 `json:"value,omitempty"`
	// Boost is extra points from topic rules and automation.
	Boost float64 `json:"boost,omitempty"`
}

// ConversationTriage is a conversation's reading after a new customer
// message, with the priority computed from it.
type ConversationTriage struct {
	Language string
	Mood     Mood
	Topics   []string
	Inputs   PriorityInputs
	TeamID   *ID // a topic rule's team, when the conversation has none
	Priority float64
	Reasons  []string
	// Was, if set, is the conversation as the caller read it in the same
	// transaction, before this message. Where one writer guarantees the
	// row is still so (SQLite), the store leaves out of its update what the
	// message does not change (the start of a wait that is already running,
	// an equal priority), so the list indexes ordered by those columns are
	// not rewritten.
	Was *Conversation
}
