package care

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Inbound is a normalised inbound event: what a channel adapter hands the core
// after it has verified and parsed a platform's delivery. It is stored, with
// the raw payload, before the platform is acknowledged.
type Inbound struct {
	// Kind is what happened; "" means KindMessage.
	Kind    InboundKind `json:"kind,omitempty"`
	InboxID ID          `json:"inbox_id"`
	Channel Channel     `json:"channel"`
	// PlatformID is the message's id on the platform: the dedupe key.
	PlatformID        string       `json:"platform_id"`
	ReplyToPlatformID string       `json:"reply_to_platform_id,omitempty"`
	Visibility        Visibility   `json:"visibility"`
	Author            Author       `json:"author"`
	Text              string       `json:"text"`
	Attachments       []Attachment `json:"attachments,omitempty"`
	Subject           string       `json:"subject,omitempty"`
	SentAt            time.Time    `json:"sent_at"`

	// AuthorAliases are other ids of the author on the platform, which
	// name them as surely as Author.PlatformUserID does: the phone number
	// (wa_id) WhatsApp sends beside a business-scoped user id. Threading
	// finds the contact by Author.PlatformUserID first, then by each alias
	// in turn, and gives the contact the ids it lacks. At most MaxAliases.
	AuthorAliases []string `json:"author_aliases,omitempty"`

	// Status and StatusReason are what a KindStatus event reports about our
	// message PlatformID (delivered, read, failed with the platform's reason).
	Status       DeliveryStatus `json:"status,omitempty"`
	StatusReason string         `json:"status_reason,omitempty"`
	// Charge, on a KindStatus event, is the billing category of our message
	// when the platform says it charges for it (WhatsApp); "" when free.
	Charge string `json:"charge,omitempty"`
	// LinkedPlatformID names the public message that led to this private one
	// (a private reply to a comment, a DM from a post's button), so the two
	// conversations are linked.
	LinkedPlatformID string `json:"linked_platform_id,omitempty"`
	// Engagement is the likes, reposts, replies and quotes a public post
	// had gathered when the platform reported it (X's public_metrics);
	// 0 when the payload does not say. How fast a post gathers engagement
	// is what predicts whether it spreads.
	Engagement int64 `json:"engagement,omitempty"`
	// Rating is a review's star rating, 1 to 5; 0 when the message is
	// not a rated review. It weighs in the message's sentiment.
	Rating int `json:"rating,omitempty"`
	// References are older messages of the thread, newest first (an
	// email's References chain, its parent left out): when the parent is
	// unknown to Parley, the newest of them it knows places the message.
	References []string `json:"references,omitempty"`
	// Agent is the email address of the brand's agent who handled the
	// contact outside Parley (who took the phone call): the conversation
	// is assigned to the workspace member with that address, so the
	// customer's next message reaches whoever spoke with them.
	Agent string `json:"agent,omitempty"`
	// NewThread marks a post that starts a conversation of its own even
	// when its author has one open in the inbox: a new top-level comment
	// under another video, a new review. Replies to it join it.
	NewThread bool `json:"new_thread,omitempty"`
	// Group names, on a KindMessage, the one customer message this event
	// is a part of when the platform delivers its parts separately (the
	// photos of a Telegram album, each an update and a webhook request of
	// its own). The pipeline joins a part into the message of the same
	// group the same contact sent in the inbox within GroupWindow: its
	// attachments, and its text, are added to that message, and its
	// platform id names that message from then on. Adapters make it unique
	// per sender (Telegram: "<chat>:<sender>:<media_group_id>"); at most
	// MaxPlatformIDBytes.
	Group string `json:"group,omitempty"`
	// ReadUpTo, on a KindStatus read, says the reader read the
	// conversation up to PlatformID, not that one message alone (X's
	// direct_message_mark_read_events). The platform's ids must be numbers
	// that grow with time: our messages of the conversation with a smaller
	// id are read too. PlatformID may name the customer's own message.
	ReadUpTo bool `json:"read_up_to,omitempty"`
}

// GroupWindow is how far apart, by the platform's dates, the parts of one
// message (Inbound.Group) may be sent and still be joined: a platform
// delivers an album's parts within seconds, and a group id met again
// later is not that album.
const GroupWindow = 10 * time.Minute

// MaxReferences bounds Inbound.References.
const MaxReferences = 20

// MaxAliases bounds Inbound.AuthorAliases.
const MaxAliases = 4

// InboundKind says what an inbound event is.
type InboundKind string

// Inbound kinds.
const (
	// KindMessage is a customer's message.
	KindMessage InboundKind = "message"
	// KindEcho is a message the brand sent outside Parley (typed in the
	// platform's own tools); Author is the customer it went to. Echoes of
	// Parley's own sends are recognised by PlatformID and skipped.
	KindEcho InboundKind = "echo"
	// KindStatus reports the delivery status of our message PlatformID.
	KindStatus InboundKind = "status"
	// KindDelete says the author deleted message PlatformID.
	KindDelete InboundKind = "delete"
	// KindReaction is the author reacting to message ReplyToPlatformID
	// with the emoji in Text ("" takes the reaction back). It is shown on
	// that message; it neither reopens a conversation nor makes anyone
	// wait for an answer.
	KindReaction InboundKind = "reaction"
	// KindIdentity says the author has new ids: a WhatsApp user who
	// changed their phone number, which gives them a new business-scoped
	// user id too. Author and AuthorAliases are who they are now;
	// References are the ids the platform knew them by before, which
	// name their contact. The new ids are added to that contact, so their
	// next message continues it, and Text, if any, says what changed, in
	// a note to agents. It is not a message.
	KindIdentity InboundKind = "identity"
)

// Author is the platform's description of who wrote an inbound message.
type Author struct {
	PlatformUserID string `json:"platform_user_id"`
	DisplayName    string `json:"display_name,omitempty"`
	Handle         string `json:"handle,omitempty"`
	Followers      int64  `json:"followers,omitempty"`
	Verified       bool   `json:"verified,omitempty"`
	// AccountCreated is when the author's account was made, when the
	// platform says: very new accounts are damped in reach.
	AccountCreated *time.Time `json:"account_created,omitempty"`
}

// Validate checks an inbound event's shape and bounds. It returns EINVALID with
// a message that names the offending field.
func (in *Inbound) Validate() error {
	switch in.Kind {
	case "", KindMessage, KindEcho:
	case KindStatus:
		switch in.Status {
		case DeliverySent, DeliveryDelivered, DeliveryRead, DeliveryFailed:
		default:
			return Errorf(EINVALID, "a status event needs status sent, delivered, read or failed")
		}
	case KindDelete:
	case KindIdentity:
		if in.Author.PlatformUserID == "" || len(in.References) == 0 {
			return Errorf(EINVALID, "an identity event needs the author's new id and, in references, an id they had")
		}
	case KindReaction:
		if in.ReplyToPlatformID == "" || in.Author.PlatformUserID == "" || len(in.Text) > 64 {
			return Errorf(EINVALID, "a reaction needs the message it reacts to, its author, and an emoji of at most 64 bytes")
		}
	default:
		return Errorf(EINVALID, "unknown event kind %q", in.Kind)
	}
	msg := in.Kind == "" || in.Kind == KindMessage || in.Kind == KindEcho
	switch {
	case in.PlatformID == "":
		return Errorf(EINVALID, "platform_id is required: it is how Parley recognises a repeated delivery")
	case len(in.PlatformID) > MaxPlatformIDBytes:
		return Errorf(EINVALID, "platform_id is longer than %d bytes", MaxPlatformIDBytes)
	case len(in.ReplyToPlatformID) > MaxPlatformIDBytes || len(in.LinkedPlatformID) > MaxPlatformIDBytes:
		return Errorf(EINVALID, "reply_to_platform_id is longer than %d bytes", MaxPlatformIDBytes)
	case len(in.Group) > MaxPlatformIDBytes:
		return Errorf(EINVALID, "group is longer than %d bytes", MaxPlatformIDBytes)
	case in.Group != "" && !(in.Kind == "" || in.Kind == KindMessage):
		return Errorf(EINVALID, "only a customer's message can be a part of a group")
	case msg && in.Author.PlatformUserID == "":
		return Errorf(EINVALID, "author.platform_user_id is required")
	case len(in.Author.PlatformUserID) > MaxPlatformIDBytes:
		return Errorf(EINVALID, "author.platform_user_id is longer than %d bytes", MaxPlatformIDBytes)
	case len(in.Author.DisplayName) > MaxNameBytes || len(in.Author.Handle) > MaxNameBytes:
		return Errorf(EINVALID, "author names are limited to %d bytes", MaxNameBytes)
	case in.Author.Followers < 0:
		return Errorf(EINVALID, "author.followers cannot be negative")
	case in.Engagement < 0:
		return Errorf(EINVALID, "engagement cannot be negative")
	case in.Rating < 0 || in.Rating > 5:
		return Errorf(EINVALID, "rating must be between 1 and 5 stars, or 0 for none")
	case len(in.Text) > MaxTextBytes:
		return Errorf(EINVALID, "text is longer than %d bytes", MaxTextBytes)
	case len(in.Agent) > 254 || in.Agent != "" && !strings.Contains(in.Agent, "@"):
		return Errorf(EINVALID, "agent must be an email address of at most 254 bytes")
	case len(in.Subject) > MaxNameBytes || len(in.StatusReason) > MaxNameBytes || len(in.Charge) > 64:
		return Errorf(EINVALID, "subject is longer than %d bytes", MaxNameBytes)
	case msg && in.Text == "" && len(in.Attachments) == 0:
		return Errorf(EINVALID, "a message needs text or at least one attachment")
	case len(in.Attachments) > MaxAttachments:
		return Errorf(EINVALID, "at most %d attachments per message", MaxAttachments)
	case msg && in.Visibility != Public && in.Visibility != Private:
		return Errorf(EINVALID, "visibility must be public or private")
	}
	for _, f := range []struct{ name, v string }{
		{"platform_id", in.PlatformID}, {"text", in.Text}, {"subject", in.Subject},
		{"reply_to_platform_id", in.ReplyToPlatformID}, {"linked_platform_id", in.LinkedPlatformID}, {"status_reason", in.StatusReason},
		{"author.platform_user_id", in.Author.PlatformUserID}, {"group", in.Group},
		{"author.display_name", in.Author.DisplayName}, {"author.handle", in.Author.Handle}, {"agent", in.Agent},
	} {
		if !utf8.ValidString(f.v) {
			return Errorf(EINVALID, "%s is not valid UTF-8", f.name)
		}
		if strings.IndexByte(f.v, 0) >= 0 {
			return Errorf(EINVALID, "%s contains a NUL byte", f.name)
		}
	}
	if len(in.AuthorAliases) > MaxAliases {
		return Errorf(EINVALID, "at most %d author aliases", MaxAliases)
	}
	for i, a := range in.AuthorAliases {
		if a == "" || len(a) > MaxPlatformIDBytes || !utf8.ValidString(a) || strings.IndexByte(a, 0) >= 0 {
			return Errorf(EINVALID, "author_aliases[%d] must be a platform user id of at most %d bytes of UTF-8 text", i, MaxPlatformIDBytes)
		}
	}
	if len(in.References) > MaxReferences {
		return Errorf(EINVALID, "at most %d references", MaxReferences)
	}
	for i, r := range in.References {
		if r == "" || len(r) > MaxPlatformIDBytes || !utf8.ValidString(r) || strings.IndexByte(r, 0) >= 0 {
			return Errorf(EINVALID, "references[%d] must be a platform id of at most %d bytes of UTF-8 text", i, MaxPlatformIDBytes)
		}
	}
	for i, a := range in.Attachments {
		if len(a.URL) > 2048 || len(a.Name) > MaxNameBytes || len(a.Kind) > 32 || len(a.MimeType) > 255 {
			return Errorf(EINVALID, "attachments[%d] has a field over its size limit", i)
		}
		if !utf8.ValidString(a.URL+a.Name+a.Kind+a.MimeType) || strings.IndexByte(a.URL+a.Name+a.Kind+a.MimeType, 0) >= 0 {
			return Errorf(EINVALID, "attachments[%d] is not valid UTF-8 text", i)
		}
	}
	return nil
}

// DedupeKey is the key under which a delivery of in is recognised as a repeat.
// A status event is keyed by the status too, since one message is delivered
// and later read.
func (in *Inbound) DedupeKey() string {
	switch in.Kind {
	case KindStatus:
		return fmt.Sprintf("%s:status:%s:%s", in.Channel, in.PlatformID, in.Status)
	case KindDelete:
		return fmt.Sprintf("%s:delete:%s", in.Channel, in.PlatformID)
	}
	return fmt.Sprintf("%s:%s", in.Channel, in.PlatformID)
}

// RawEvent is an inbound event as durably stored: the bytes as the platform
// sent them, the normalised event, and whether the pipeline has run on it.
type RawEvent struct {
	ID          ID
	InboxID     ID
	WorkspaceID ID
	DedupeKey   string
	Payload     []byte
	Inbound     Inbound
	ReceivedAt  time.Time
	ProcessedAt *time.Time
	Error       string
}

// AppendResult says what became of one raw event in an append batch.
type AppendResult struct {
	ID        ID   // the stored event, or the earlier one it duplicates
	Duplicate bool // true when the dedupe key was already known
}

// subjectPrefixes are the reply and forward markers mail clients put before
// a subject, in the languages they commonly use.
var subjectPrefixes = []string{"re", "aw", "sv", "vs", "antw", "rif", "r", "fw", "fwd", "wg", "tr", "enc", "rv", "doorst"}

// BaseSubject is a subject without its reply and forward markers ("Re:",
// "Fwd:", "AW:", "[External]"-style tags are kept), trimmed and
// lower-cased, so "RE: Fwd: Order 4471" and "order 4471" compare equal.
func BaseSubject(s string) string {
	s = strings.TrimSpace(s)
	for {
		cut := false
		for _, p := range subjectPrefixes {
			if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
				rest := s[len(p):]
				// "Re:", "RE :", "Re[2]:"
				if i := strings.IndexByte(rest, ']'); strings.HasPrefix(rest, "[") && i > 0 && i < 5 {
					rest = rest[i+1:]
				}
				rest = strings.TrimLeft(rest, " ")
				if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") {
					s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(rest, ":"), "："))
					cut = true
					break
				}
			}
		}
		if !cut {
			return strings.ToLower(strings.Join(strings.Fields(s), " "))
		}
	}
}
