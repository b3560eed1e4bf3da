package telegram

import "encoding/json"

// The Bot API objects Parley reads, as described at
// core.telegram.org/bots/api#available-types. Only the fields Parley uses are
// declared; Telegram adds fields in every Bot API release, and unknown ones
// are ignored.

// update is one Update: update_id and at most one of the optional fields.
type update struct {
	UpdateID int64 `json:"update_id"`

	Message           *message         `json:"message"`
	EditedMessage     *message         `json:"edited_message"`
	ChannelPost       *json.RawMessage `json:"channel_post"`
	EditedChannelPost *json.RawMessage `json:"edited_channel_post"`
	BusinessMessage   *json.RawMessage `json:"business_message"`
	MessageReaction   *reactionUpdate  `json:"message_reaction"`
}

type user struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
}

type chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // private, group, supergroup or channel
	Title     string `json:"title"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type message struct {
	MessageID  int64 `json:"message_id"`
	From       *user `json:"from"`
	SenderChat *chat `json:"sender_chat"`
	Date       int64 `json:"date"`
	EditDate   int64 `json:"edit_date"`
	Chat       chat  `json:"chat"`
	ViaBot     *user `json:"via_bot"`
	// MessageThreadID names the thread a supergroup message belongs to:
	// a forum topic (IsTopicMessage), or the message a reply chain starts
	// from, which in a channel's discussion group is the group's copy of
	// the channel post the comments are under.
	MessageThreadID int64 `json:"message_thread_id"`
	IsTopicMessage  bool  `json:"is_topic_message"`
	// IsAutomaticForward marks a channel post that Telegram copied into
	// the channel's linked discussion group, where comments reply to it.
	IsAutomaticForward bool `json:"is_automatic_forward"`
	// MediaGroupID is shared by the messages of one album: each part
	// (photo, video, document) comes as a message of its own.
	MediaGroupID string `json:"media_group_id"`
	Text         string `json:"text"`
	Caption      string `json:"caption"`
	// Entities and CaptionEntities mark mentions, commands and links, by
	// UTF-16 offsets (core.telegram.org/api/entities).
	Entities        []entity `json:"entities"`
	CaptionEntities []entity `json:"caption_entities"`

	ReplyToMessage *message `json:"reply_to_message"`
	Quote          *struct {
		Text string `json:"text"`
	} `json:"quote"`
	ForwardOrigin *forwardOrigin `json:"forward_origin"`

	Photo     []photoSize `json:"photo"`
	Animation *file       `json:"animation"`
	Document  *file       `json:"document"`
	Video     *file       `json:"video"`
	VideoNote *file       `json:"video_note"`
	Voice     *file       `json:"voice"`
	Audio     *file       `json:"audio"`
	Sticker   *struct {
		file
		Emoji   string `json:"emoji"`
		SetName string `json:"set_name"`
	} `json:"sticker"`
	Location *location `json:"location"`
	Venue    *struct {
		Location location `json:"location"`
		Title    string   `json:"title"`
		Address  string   `json:"address"`
	} `json:"venue"`
	Contact *struct {
		PhoneNumber string `json:"phone_number"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
		UserID      int64  `json:"user_id"`
	} `json:"contact"`
	Poll *struct {
		Question string `json:"question"`
		Options  []struct {
			Text string `json:"text"`
		} `json:"options"`
	} `json:"poll"`
	Dice *struct {
		Emoji string `json:"emoji"`
		Value int    `json:"value"`
	} `json:"dice"`
	Story *struct {
		ID int64 `json:"id"`
	} `json:"story"`
	// PaidMedia is media the customer must pay Stars to see
	// (PaidMediaInfo); its caption is the message's caption.
	PaidMedia *struct {
		StarCount int64             `json:"star_count"`
		PaidMedia []json.RawMessage `json:"paid_media"`
	} `json:"paid_media"`
}

// entity is a MessageEntity. Offset and Length count UTF-16 code units.
type entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	User   *user  `json:"user"` // for text_mention
	URL    string `json:"url"`  // for text_link: where the words lead
}

// file is what Parley reads of Document, Video, Voice, Audio and the other
// file objects.
type file struct {
	FileID    string `json:"file_id"`
	FileName  string `json:"file_name"`
	MimeType  string `json:"mime_type"`
	FileSize  int64  `json:"file_size"`
	Title     string `json:"title"`     // Audio
	Performer string `json:"performer"` // Audio
}

type photoSize struct {
	FileID   string `json:"file_id"`
	Width    int64  `json:"width"`
	Height   int64  `json:"height"`
	FileSize int64  `json:"file_size"`
}

type location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	// LivePeriod is set while the location is live: the sender's app
	// keeps editing the message with their position.
	LivePeriod int64 `json:"live_period"`
}

// reactionUpdate is a MessageReactionUpdated: a user's whole set of
// reactions on one message, before and after the change.
type reactionUpdate struct {
	Chat        chat           `json:"chat"`
	MessageID   int64          `json:"message_id"`
	User        *user          `json:"user"`
	ActorChat   *chat          `json:"actor_chat"`
	Date        int64          `json:"date"`
	OldReaction []reactionType `json:"old_reaction"`
	NewReaction []reactionType `json:"new_reaction"`
}

// reactionType is a ReactionType: an emoji, a custom emoji or a paid
// reaction.
type reactionType struct {
	Type          string `json:"type"`
	Emoji         string `json:"emoji"`
	CustomEmojiID string `json:"custom_emoji_id"`
}

// forwardOrigin is a MessageOrigin: who first sent a forwarded message.
type forwardOrigin struct {
	Type       string `json:"type"` // user, hidden_user, chat, channel
	SenderUser *user  `json:"sender_user"`
	// SenderUserName names a user who hides their account in forwards.
	SenderUserName string `json:"sender_user_name"`
	SenderChat     *chat  `json:"sender_chat"`
	Chat           *chat  `json:"chat"`
	// MessageID is the post's id in Chat, for type "channel".
	MessageID int64 `json:"message_id"`
}
