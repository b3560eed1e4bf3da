package automation

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Bounds on what Evaluate reads of hostile facts. Text beyond MaxTextBytes
// and list entries beyond maxFactList are ignored, so that one enormous
// email or a conversation with thousands of tags costs no more than a
// large ordinary one.
const (
	MaxTextBytes = 64 << 10
	maxFactList  = 256
)

// Facts describe one event and the conversation it happened in, as the
// caller knows them when the event happens. Fields a trigger does not
// concern stay zero: Text is empty for conversation.updated, SLAKind is set
// only for the sla triggers.
type Facts struct {
	Trigger        Trigger
	ConversationID care.ID
	Channel        care.Channel
	InboxID        care.ID
	Text           string  // the inbound message's text
	Language       string  // its detected language, e.g. "en"
	Sentiment      string  // its sentiment label: negative, neutral or positive
	SentimentScore float64 // from -1 to +1
	Topics         []string
	Influence      float64 // the author's reach, from 0 to 1
	Followers      int64
	Verified       bool
	Tags           []string
	Status         care.Status
	Priority       float64
	AssigneeID     care.ID
	TeamID         care.ID
	BusinessHours  bool            // whether the inbox is within its business hours now
	Visibility     care.Visibility // of the message: public or private
	// ContactConversations30d counts the contact's conversations in the
	// last 30 days, this one included; ContactOpen those still active.
	ContactConversations30d int
	ContactOpen             int
	SLAKind                 string // SLAFirstResponse, SLANextResponse or SLAResolution

	// Now, StateSince and LastChecked drive the time-based triggers. A
	// rule with After d fires when StateSince+d falls in (LastChecked,
	// Now]: once per stretch in the state, however often the scheduler
	// looks. A zero LastChecked means the scheduler has not looked before.
	Now         time.Time
	StateSince  time.Time // when the conversation entered the watched state
	LastChecked time.Time

	// Cause is set when automation caused this event: Evaluate uses it to
	// stop loops (see NextCause).
	Cause *Cause
}

// Cause is the chain of automation behind an event: the rules that fired
// on the way to it and how many rounds of rules that took. An event a
// person or a platform caused has no Cause.
type Cause struct {
	RuleIDs []care.ID
	Depth   int
}

// MaxDepth bounds a chain of automation: Evaluate fires no rule for an
// event whose Cause.Depth is MaxDepth or more. One human or platform event
// can thus set off at most MaxDepth rounds of rules, each round reacting to
// the changes of the one before.
const MaxDepth = 3

// NextCause returns the Cause of the events the caller raises while
// performing fired, which Evaluate returned for an event caused by parent
// (nil for a person or platform). Every rule in fired joins the chain, so
// none of them fires again within it.
func NextCause(parent *Cause, fired []Fired) *Cause {
	c := &Cause{Depth: 1}
	if parent != nil {
		c.Depth = max(parent.Depth, 0) + 1
		c.RuleIDs = append(c.RuleIDs, parent.RuleIDs...)
	}
	for _, f := range fired {
		c.RuleIDs = append(c.RuleIDs, f.RuleID)
	}
	return c
}

// inChain reports whether rule id already fired in the chain behind c.
func (c *Cause) inChain(id care.ID) bool {
	if c == nil {
		return false
	}
	for _, r := range c.RuleIDs {
		if r == id {
			return true
		}
	}
	return false
}

// The accessors below map a field to its fact; compileCondition ensures
// each is asked only for fields of its kind.

func (f *Facts) flag(fl field) bool {
	switch fl {
	case fVerified:
		return f.Verified
	case fBusinessHours:
		return f.BusinessHours
	}
	return false
}

func (f *Facts) integer(fl field) int64 {
	switch fl {
	case fInboxID:
		return f.InboxID
	case fAssigneeID:
		return f.AssigneeID
	case fTeamID:
		return f.TeamID
	case fFollowers:
		return f.Followers
	case fContactConversations30d:
		return int64(f.ContactConversations30d)
	case fContactOpen:
		return int64(f.ContactOpen)
	}
	return 0
}

func (f *Facts) number(fl field) float64 {
	switch fl {
	case fSentimentScore:
		return f.SentimentScore
	case fInfluence:
		return f.Influence
	case fPriority:
		return f.Priority
	}
	return 0
}

func (f *Facts) label(fl field) string {
	switch fl {
	case fChannel:
		return string(f.Channel)
	case fLanguage:
		return f.Language
	case fSentiment:
		return f.Sentiment
	case fStatus:
		return string(f.Status)
	case fVisibility:
		return string(f.Visibility)
	case fSLAKind:
		return f.SLAKind
	}
	return ""
}

func (f *Facts) list(fl field) []string {
	var l []string
	switch fl {
	case fTags:
		l = f.Tags
	case fTopic:
		l = f.Topics
	}
	return l[:min(len(l), maxFactList)]
}
