package channel

import "github.com/parleyhq/parley/internal/care"

// Capabilities are what a channel's platform lets Parley do, declared by
// its adapter so that the desk, the API and API clients all give one
// answer: whether there is a public side beside the private one, how long
// a reply may be, whether Parley can answer at all, what it may moderate,
// and whether the platform counts followers.
//
// The limits say sooner what the adapter's CheckReply says on send, and
// must agree with it; CheckReply keeps the last word (it also knows the
// messaging windows and reply targets that no counter can).
type Capabilities struct {
	// NoReply, when set, says why Parley cannot answer on this channel at
	// all and what to do instead; only notes can be written there.
	NoReply string `json:"no_reply,omitempty"`
	// PublicAndPrivate is true where both a public reply (a comment, a
	// post, a group message) and a private one (a direct message) can
	// answer the same customer, and the agent chooses.
	PublicAndPrivate bool `json:"public_and_private"`
	// PublicReply and PrivateReply are the limits of a reply of each
	// visibility; zero for a visibility the channel does not have.
	PublicReply  ReplyRule `json:"public_reply,omitzero"`
	PrivateReply ReplyRule `json:"private_reply,omitzero"`
	// Moderation is what Parley may hide or delete on the platform.
	Moderation Moderation `json:"moderation"`
	// Followers is true where the platform tells how many followers a
	// customer has, so that 0 is news rather than unknown.
	Followers bool `json:"followers"`
}

// ReplyRule is how a platform measures a reply and the most it takes.
type ReplyRule struct {
	Unit  Unit `json:"unit"`
	Limit int  `json:"limit"`
	// Bytes is a second limit, in UTF-8 bytes, that holds beside Limit;
	// 0 for none.
	Bytes int `json:"bytes,omitempty"`
	// Overflow is what the agent can do with a reply over the limit.
	Overflow Overflow `json:"overflow"`
}

// Unit is a way of counting a reply's length.
type Unit string

// Units of ReplyRule.
const (
	// UnitX is X's weighted length: a link counts 23, most CJK
	// characters and emoji count 2.
	UnitX Unit = "x"
	// UnitSMS counts UTF-16 code units, as the SMS limit is set.
	UnitSMS Unit = "sms"
	// UnitMastodon counts characters, a link as 23 and @user@domain as
	// @user, with room for the @mention Parley adds when there is none.
	UnitMastodon Unit = "mastodon"
	// UnitGraphemes counts user-perceived characters.
	UnitGraphemes Unit = "graphemes"
	// UnitChars counts Unicode code points.
	UnitChars Unit = "chars"
	// UnitBytes counts UTF-8 bytes.
	UnitBytes Unit = "bytes"
)

// Overflow is what the agent can do with a reply that is too long.
type Overflow string

// Overflows of ReplyRule.
const (
	// OverflowShorten: the reply must fit, as a review's one answer must.
	OverflowShorten Overflow = "shorten"
	// OverflowSplit: the rest can follow in a second reply.
	OverflowSplit Overflow = "split"
	// OverflowPrivate: a private reply, which holds more, can answer
	// instead.
	OverflowPrivate Overflow = "private"
)

// Moderation is what Parley may moderate on a channel.
type Moderation string

// Moderations of Capabilities.
const (
	// ModerationComments: the customers' public comments can be hidden
	// or deleted, and so can our own replies.
	ModerationComments Moderation = "comments"
	// ModerationOwnReplies: only our own replies can be deleted; the
	// customer's words stay (Google never lets a business remove a
	// review).
	ModerationOwnReplies Moderation = "own_replies"
	// ModerationNone: nothing can be moderated from Parley.
	ModerationNone Moderation = "none"
)

// ParleyRule is the limit of a reply on a channel whose platform sets none
// lower than Parley's own: the most text a message may hold.
var ParleyRule = ReplyRule{Unit: UnitBytes, Limit: care.MaxTextBytes, Overflow: OverflowShorten}

// Capable is implemented by adapters that declare their channel's
// capabilities. Every adapter Parley ships does.
type Capable interface {
	// Capabilities returns what the channel can do for the inbox. An
	// inbox with only its Channel set asks of the channel at large,
	// which is answered with the platform's defaults (a Mastodon
	// instance may allow longer posts than most).
	Capabilities(in care.Inbox) Capabilities
}

// Capabilities returns what ch can do, as its adapter declares for the
// channel at large; see InboxCapabilities.
func (r *Registry) Capabilities(ch care.Channel) Capabilities {
	return r.InboxCapabilities(care.Inbox{Channel: ch})
}

// InboxCapabilities returns what the inbox's channel can do, as its
// adapter declares. A channel whose adapter declares nothing, or that has
// no adapter, is answered with Parley's own limit on both sides, and with
// moderation of comments if its adapter moderates.
func (r *Registry) InboxCapabilities(in care.Inbox) Capabilities {
	if c, ok := as[Capable](r, in.Channel); ok {
		return c.Capabilities(in)
	}
	c := Capabilities{PublicReply: ParleyRule, PrivateReply: ParleyRule, Moderation: ModerationNone}
	if _, ok := r.Moderator(in.Channel); ok {
		c.Moderation = ModerationComments
	}
	return c
}

// Reply returns the rule of a reply of visibility v; zero for a
// visibility the channel does not have.
func (c Capabilities) Reply(v care.Visibility) ReplyRule {
	if v == care.Public {
		return c.PublicReply
	}
	return c.PrivateReply
}
