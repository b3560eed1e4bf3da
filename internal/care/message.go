package care

import "time"

// Direction says who wrote a message.
type Direction string

// Directions.
const (
	DirectionIn  Direction = "in"  // from the customer
	DirectionOut Direction = "out" // from us
)

// Visibility says who can see a message on the platform.
type Visibility string

// Visibilities. A note never leaves Parley.
const (
	Public  Visibility = "public"
	Private Visibility = "private"
	Note    Visibility = "note"
)

// Valid reports whether v is known.
func (v Visibility) Valid() bool { return v == Public || v == Private || v == Note }

// DeliveryStatus tracks an outbound message to the platform and beyond.
type DeliveryStatus string

// Delivery statuses. Inbound messages are "received"; notes are "stored".
const (
	DeliveryReceived  DeliveryStatus = "received"
	DeliveryStored    DeliveryStatus = "stored"
	DeliveryQueued    DeliveryStatus = "queued"
	DeliverySent      DeliveryStatus = "sent"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryRead      DeliveryStatus = "read"
	DeliveryFailed    DeliveryStatus = "failed"
	// A public reply a rule says an approver must see first: it is not
	// sent until approved, and a rejected one never is.
	DeliveryPendingApproval DeliveryStatus = "pending_approval"
	DeliveryRejected        DeliveryStatus = "rejected"
)

// Attachment describes a file attached to a message. Parley stores metadata;
// the bytes stay on the platform (or in object storage) behind URL.
type Attachment struct {
	Kind     string `json:"kind"` // image, video, audio, file, sticker, location
	URL      string `json:"url,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	Name     string `json:"name,omitempty"`
	Size     int64  `json:"size,omitempty"`
}

// Message is one message in a conversation.
type Message struct {
	ID             ID           `json:"id"`
	WorkspaceID    ID           `json:"workspace_id"`
	ConversationID ID           `json:"conversation_id"`
	InboxID        ID           `json:"inbox_id"`
	Direction      Direction    `json:"direction"`
	Visibility     Visibility   `json:"visibility"`
	ContactID      ID           `json:"contact_id,omitempty"` // inbound author
	AuthorID       ID           `json:"author_id,omitempty"`  // outbound or note author (user)
	AuthorName     string       `json:"author_name,omitempty"`
	Text           string       `json:"text"`
	Attachments    []Attachment `json:"attachments"`
	// PlatformID is the message's id on its platform; unique per inbox.
	PlatformID string `json:"platform_id,omitempty"`
	// ReplyToPlatformID is the platform id of the message this one answers.
	ReplyToPlatformID string         `json:"reply_to_platform_id,omitempty"`
	Status            DeliveryStatus `json:"status"`
	StatusReason      string         `json:"status_reason,omitempty"`
	CreatedAt         time.Time      `json:"created_at"`
	// SentAt is the platform's own timestamp for inbound messages.
	SentAt time.Time `json:"sent_at"`
	// DeletedAt is set when the author deleted the message on the platform;
	// the text is kept for the record.
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	// HiddenAt is set while the comment is hidden on the platform by a
	// moderator (an agent, or a moderation rule); nil when it is shown.
	HiddenAt *time.Time `json:"hidden_at,omitempty"`
	// Reactions are the customers' emoji on this message, one per contact.
	Reactions []Reaction `json:"reactions,omitempty"`
	// Triage is what Parley read in an inbound message; nil for ours.
	Triage *Triage `json:"triage,omitempty"`
}

// Reaction is a contact's emoji on a message.
type Reaction struct {
	ContactID ID        `json:"contact_id"`
	Emoji     string    `json:"emoji"`
	At        time.Time `json:"at"`
}

// Limits on what Parley accepts, applied at every edge. Platforms' own limits
// are lower; these bound memory and storage against hostile input.
const (
	MaxTextBytes       = 64 << 10
	MaxNameBytes       = 512
	MaxAttachments     = 20
	MaxPlatformIDBytes = 256
	MaxTagsPerItem     = 50
)
