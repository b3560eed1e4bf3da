package meta

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// messagingEvent is one item of messaging[]: the shape shared by Messenger
// and Instagram messaging webhooks
// (developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events).
type messagingEvent struct {
	// Sender is a PSID or IGSID, or a user_ref for a person known only
	// through a Messenger plugin: the messaging_postbacks reference's own
	// example has "sender": {"user_ref": …} and no id
	// (developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_postbacks).
	Sender struct {
		ID      graphID `json:"id"`
		UserRef string  `json:"user_ref"`
	} `json:"sender"`
	Recipient struct{ ID graphID } `json:"recipient"`
	// Timestamp is in milliseconds, or in seconds as a string in the
	// postbacks reference's example; both are read.
	Timestamp stamp    `json:"timestamp"`
	Message   *message `json:"message"`
	Delivery  *struct {
		Mids []string `json:"mids"`
	} `json:"delivery"`
	Read *struct {
		Mid string `json:"mid"` // Instagram only; Messenger gives a watermark
	} `json:"read"`
	Postback *struct {
		Mid     string `json:"mid"`
		Title   string `json:"title"`
		Payload string `json:"payload"`
		// Referral is where the person came from when the tap (Get
		// Started) opened a new thread.
		Referral *referral `json:"referral"`
	} `json:"postback"`
	// Referral on its own is a person already in a thread coming back to
	// it from an ad, an m.me or ig.me link or the chat plugin (the
	// messaging_referrals field, .../webhook-events/messaging_referrals).
	// It carries no message and is skipped; a message or tap that opens a
	// thread carries its own referral, which is kept.
	Referral *referral `json:"referral"`
	// Reaction is a customer reacting to a message, or taking the reaction
	// back (action "unreact", often without reaction and emoji): the
	// message_reactions field, on Messenger
	// (.../messenger-platform/webhooks/webhook-events/message-reactions) and
	// Instagram alike. Meta sends none for the business's own reactions.
	Reaction *struct {
		Mid      string `json:"mid"`
		Action   string `json:"action"`
		Reaction string `json:"reaction"`
		Emoji    string `json:"emoji"`
	} `json:"reaction"`
	// MessageEdit is a customer changing the text of a message they sent:
	// the message_edits field (.../webhook-events/message-edits): mid, the
	// new text, and num_edit, how many times it was edited (at most five,
	// by Messenger's own limit). Meta's example quotes num_edit; it is read
	// as a number or a string.
	MessageEdit *struct {
		Mid     string  `json:"mid"`
		Text    string  `json:"text"`
		NumEdit graphID `json:"num_edit"`
	} `json:"message_edit"`
}

type message struct {
	Mid         string       `json:"mid"`
	Text        string       `json:"text"`
	IsEcho      bool         `json:"is_echo"`
	AppID       graphID      `json:"app_id"`
	Metadata    string       `json:"metadata"`
	IsDeleted   bool         `json:"is_deleted"`
	Unsupported bool         `json:"is_unsupported"`
	Attachments []attachment `json:"attachments"`
	// Referral is the ad, link or shop product the customer's first
	// message came from.
	Referral *referral `json:"referral"`
	// ReplyTo names the message answered, or on Instagram the story
	// replied to ({"story": {"id", "url"}}), whose file lasts as long as
	// the story (24 hours).
	ReplyTo *struct {
		Mid   string `json:"mid"`
		Story *struct {
			ID  graphID `json:"id"`
			URL string  `json:"url"`
		} `json:"story"`
	} `json:"reply_to"`
}

// attachment is one of a message's attachments. Its payload's shape varies
// with the type (null for fallbacks, coordinates for locations, elements for
// templates), so it is read leniently: an odd payload costs its URL, not the
// message.
type attachment struct {
	Type    string          `json:"type"`
	URL     string          `json:"url"`   // fallback attachments (shared links)
	Title   string          `json:"title"` // fallback attachments
	Payload json.RawMessage `json:"payload"`
}

type attachmentPayload struct {
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	StickerID   graphID `json:"sticker_id"`
	Coordinates *struct {
		Lat  float64 `json:"lat"`
		Long float64 `json:"long"`
	} `json:"coordinates"`
	// Elements are a template's cards, or a product's, as an array or an
	// object; only their titles are read.
	Elements json.RawMessage `json:"elements"`
}

// title is what an attachment is called: its own title, else its first
// card's or product's (p is its payload), cleaned to one line.
func (a attachment) title(p *attachmentPayload) string {
	t := cmp.Or(a.Title, p.Title)
	if t == "" && len(p.Elements) > 0 {
		var cards []struct {
			Title string `json:"title"`
		}
		var products struct {
			Products []struct {
				Title string `json:"title"`
			} `json:"products"`
		}
		if json.Unmarshal(p.Elements, &cards) == nil && len(cards) > 0 {
			t = cards[0].Title
		} else if json.Unmarshal(p.Elements, &products) == nil && len(products.Products) > 0 {
			t = products.Products[0].Title
		}
	}
	return channel.CleanName(t, 200)
}

// attachmentNote is the line that stands for an attachment with nothing to
// fetch (a template, a product, a type newer than this code), so the agent
// sees that something was sent and what, not an empty bubble.
func attachmentNote(a attachment, title string, ch care.Channel) string {
	kind := channel.CleanName(a.Type, 40)
	if kind == "" {
		kind = "unknown"
	}
	app := "A Messenger"
	if ch == care.ChannelInstagram {
		app = "An Instagram"
	}
	if title != "" {
		return fmt.Sprintf("[%s %s: %s]", app, kind, title)
	}
	return fmt.Sprintf("[%s attachment of type %q that Parley cannot show]", app, kind)
}

// echoMetadataPrefix marks the metadata Send puts on Messenger messages, so
// their echoes are recognised even without the inbox's app_id.
const echoMetadataPrefix = "parley:"

// Placeholders for messages whose content Meta does not pass on.
const (
	unsupportedText  = "[a message Meta does not show to apps; open it in Meta Business Suite]"
	postbackText     = "[tapped a button]"
	storyMentionText = "[mentioned this account in their Instagram story]"
	storyReplyText   = "[replied to this account's Instagram story]"
	// storyName names a story's file among a message's attachments.
	storyName = "Instagram story"
)

// userRefPrefix starts the author id of a person Meta names by a
// user_ref rather than a PSID; Send writes to them by that user_ref.
const userRefPrefix = "user_ref:"

// sender is the author id of the person who did what ev reports.
func (ev *messagingEvent) sender() string {
	if ev.Sender.ID != "" || ev.Sender.UserRef == "" {
		return string(ev.Sender.ID)
	}
	return userRefPrefix + ev.Sender.UserRef
}

func (r *receiver) messaging(raw json.RawMessage) {
	var ev messagingEvent
	if json.Unmarshal(raw, &ev) != nil {
		r.skip(false, "a messaging item that does not decode: "+keys(raw))
		return
	}
	sentAt := ev.Timestamp.either(r.entryAt)
	switch {
	case ev.Message != nil:
		r.message(&ev, sentAt, raw)
	case ev.Delivery != nil:
		for _, mid := range ev.Delivery.Mids {
			r.add(care.Inbound{Kind: care.KindStatus, PlatformID: mid, Status: care.DeliveryDelivered, SentAt: sentAt}, raw)
		}
	case ev.Read != nil && ev.Read.Mid != "":
		r.add(care.Inbound{Kind: care.KindStatus, PlatformID: ev.Read.Mid, Status: care.DeliveryRead, SentAt: sentAt}, raw)
	case ev.Reaction != nil:
		r.reaction(&ev, sentAt, raw)
	case ev.MessageEdit != nil:
		r.messageEdit(&ev, sentAt, raw)
	case ev.Postback != nil:
		// A tapped button is the customer speaking; the title is what they
		// saw and chose. Older postbacks carry no mid: the sender and time
		// identify the tap.
		id := ev.Postback.Mid
		if id == "" {
			id = "postback:" + ev.sender() + ":" + strings.TrimSuffix(sentAt.Format("20060102150405.000"), ".000")
		}
		text := firstNonEmpty(ev.Postback.Title, ev.Postback.Payload, postbackText)
		if note := ev.Postback.Referral.note(r.ch); note != "" {
			text += "\n\n" + note
		}
		r.add(care.Inbound{PlatformID: id, Visibility: care.Private, Author: care.Author{PlatformUserID: ev.sender()},
			Text: text, SentAt: sentAt}, raw)
	case ev.Referral != nil:
		r.skip(true, fmt.Sprintf("a referral of source %.40q without a message", ev.Referral.Source))
	case ev.Read != nil:
		r.skip(true, "a read watermark, which names no message")
	default:
		r.skip(onPurpose(raw), "messaging item "+keys(raw))
	}
}

// skippedKinds are the messaging items Parley skips on purpose: opt-ins,
// account linking, Meta's handover protocol and policy notices, feedback
// forms. They say nothing an agent answers.
var skippedKinds = []string{"optin", "account_linking", "pass_thread_control", "take_thread_control",
	"request_thread_control", "app_roles", "policy-enforcement", "policy_enforcement", "messaging_feedback", "response_feedback",
	"game_play", "checkout_update", "payment", "pre_checkout"}

// onPurpose reports whether a messaging item is of a kind skipped on purpose.
func onPurpose(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for _, k := range skippedKinds {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

func (r *receiver) message(ev *messagingEvent, sentAt time.Time, raw json.RawMessage) {
	m := ev.Message
	if m.Mid == "" {
		r.skip(false, "a message without a mid")
		return
	}
	if m.IsDeleted {
		r.add(care.Inbound{Kind: care.KindDelete, PlatformID: m.Mid, SentAt: sentAt}, raw)
		return
	}
	in := care.Inbound{PlatformID: m.Mid, Visibility: care.Private, Text: m.Text, SentAt: sentAt,
		Author: care.Author{PlatformUserID: ev.sender()}}
	story := ""
	if m.ReplyTo != nil {
		in.ReplyToPlatformID = m.ReplyTo.Mid
		if s := m.ReplyTo.Story; s != nil && in.ReplyToPlatformID == "" {
			story = storyReplyText
			if s.URL != "" {
				a := r.attachment(attachment{Type: "story", URL: s.URL})
				a.Name = storyName
				in.Attachments = append(in.Attachments, a)
			}
		}
	}
	var notes []string
	for _, a := range m.Attachments {
		if len(in.Attachments) == care.MaxAttachments {
			break
		}
		att := r.attachment(a)
		title := att.Name
		if a.Type == "story_mention" {
			story, att.Name = storyMentionText, storyName
		}
		if att.URL == "" && att.Kind != "sticker" {
			notes = append(notes, attachmentNote(a, title, r.ch))
			continue
		}
		in.Attachments = append(in.Attachments, att)
	}
	if len(notes) > 0 {
		in.Text = strings.Join(append([]string{in.Text}, notes...), "\n\n")
		in.Text = strings.TrimPrefix(in.Text, "\n\n")
	}
	switch {
	case in.Text == "" && story != "":
		// A story mention carries no text, nor may a story reply; the
		// story's file, named so, says what a text answers.
		in.Text = story
	case in.Text == "" && len(in.Attachments) == 0:
		in.Text = unsupportedText
	}
	if note := m.Referral.note(r.ch); note != "" && !m.IsEcho {
		in.Text = strings.TrimPrefix(in.Text+"\n\n"+note, "\n\n")
	}
	if m.IsEcho {
		if r.ours(ev) {
			r.skip(true, "an echo of a message Parley sent")
			return
		}
		// Written by the Page in Meta's tools (or another app): the brand's
		// message to the customer, who is the recipient.
		in.Kind = care.KindEcho
		in.Author = care.Author{PlatformUserID: string(ev.Recipient.ID)}
	}
	r.add(in, raw)
}

// ours reports whether an echo is of a message Parley sent: by the app
// that sent it or the metadata Send set (Messenger), else by the id Meta
// gave a send of this process, else (the echo may come before Meta's
// answer) by a send under way to the same person with the same content.
// An echo naming another app than the inbox's is not Parley's.
func (r *receiver) ours(ev *messagingEvent) bool {
	m := ev.Message
	switch {
	case r.appID != "" && string(m.AppID) == r.appID, strings.HasPrefix(m.Metadata, echoMetadataPrefix):
		return true
	case sends.sent(r.account, m.Mid):
		return true
	case r.appID != "" && m.AppID != "":
		return false
	}
	return sends.sending(r.account, string(ev.Recipient.ID), m.content())
}

// content is what an echo says, compared with what Parley is sending.
func (m *message) content() string {
	if m.Text == "" && len(m.Attachments) > 0 {
		return attachmentContent(m.Attachments[0].Type)
	}
	return textContent(m.Text)
}

// referral is where a customer came from: an ad (source ADS, with ad_id
// and ads_context_data), an m.me or ig.me link (SHORTLINK, with the ref
// the link set), the chat plugin on a site (CUSTOMER_CHAT_PLUGIN, with
// referer_uri), or a shop's product (product.id)
// (.../webhook-events/messaging_referrals and the messages reference).
type referral struct {
	Ref        string  `json:"ref"`
	Source     string  `json:"source"`
	AdID       graphID `json:"ad_id"`
	RefererURI string  `json:"referer_uri"`
	AdsContext *struct {
		AdTitle   string  `json:"ad_title"`
		ProductID graphID `json:"product_id"`
	} `json:"ads_context_data"`
	Product *struct {
		ID graphID `json:"id"`
	} `json:"product"`
}

// UnmarshalJSON reads a referral leniently: one of an unexpected shape
// costs the referral, not the message or tap that carries it.
func (f *referral) UnmarshalJSON(b []byte) error {
	type plain referral
	var p plain
	if json.Unmarshal(b, &p) == nil {
		*f = referral(p)
	}
	return nil
}

// note is the line kept with the message a referral came with, so the
// agent sees which ad or link brought the customer, as the WhatsApp
// adapter keeps click-to-WhatsApp referrals; "" for no referral. What
// comes from the payload is cleaned and cut short.
func (f *referral) note(ch care.Channel) string {
	if f == nil {
		return ""
	}
	var from string
	var details []string
	add := func(label, v string, max int) {
		if v = channel.CleanName(v, max); v != "" {
			details = append(details, label+v)
		}
	}
	switch strings.ToUpper(f.Source) {
	case "ADS":
		from = "an ad"
	case "SHORTLINK", "SHORTLINKS", "SHORT-URL":
		from = "an m.me link"
		if ch == care.ChannelInstagram {
			from = "an ig.me link"
		}
	case "CUSTOMER_CHAT_PLUGIN":
		from = "the chat plugin"
		add("on ", f.RefererURI, 300)
	case "":
	default:
		from = "source " + channel.CleanName(f.Source, 40)
	}
	if c := f.AdsContext; c != nil {
		if t := channel.CleanName(c.AdTitle, 200); t != "" {
			details = append(details, `"`+t+`"`)
		}
		if isDigits(string(c.ProductID)) {
			details = append(details, "product "+string(c.ProductID))
		}
	}
	if isDigits(string(f.AdID)) {
		details = append(details, "ad "+string(f.AdID))
	}
	if p := f.Product; p != nil && isDigits(string(p.ID)) {
		details = append(details, "product "+string(p.ID))
	}
	add("ref ", f.Ref, 100)
	switch {
	case from == "" && len(details) == 0:
		return ""
	case from == "":
		return "[Referred: " + strings.Join(details, ", ") + "]"
	case len(details) == 0:
		return "[Came from " + from + "]"
	}
	return "[Came from " + from + ": " + strings.Join(details, ", ") + "]"
}

// maxAttachmentURL is the longest attachment URL the core stores.
const maxAttachmentURL = 2048

// attachment maps an attachment, its file on Meta's CDN kept as a
// reference Parley fetches (see media.go).
func (r *receiver) attachment(a attachment) care.Attachment {
	out := a.normalise()
	out.URL = mediaRef(out.URL, r.inbox)
	return out
}

// normalise maps an attachment to Parley's kinds: image, video, audio,
// file, sticker; reels are videos, templates and anything newer are files;
// named by their title, if they have one.
func (a attachment) normalise() care.Attachment {
	var p attachmentPayload
	_ = json.Unmarshal(a.Payload, &p)
	out := care.Attachment{Kind: "file", URL: firstNonEmpty(p.URL, a.URL), Name: a.title(&p)}
	switch a.Type {
	case "image", "video", "audio", "file":
		out.Kind = a.Type
	case "reel", "ig_reel":
		out.Kind = "video"
	case "sticker":
		out.Kind = "sticker"
	case "location":
		out.Kind = "location"
	}
	if p.StickerID != "" {
		out.Kind = "sticker"
	}
	if c := p.Coordinates; c != nil && c.Lat >= -90 && c.Lat <= 90 && c.Long >= -180 && c.Long <= 180 {
		// A shared location, as an RFC 5870 URI like WhatsApp's, rather
		// than the map link Meta wraps in a redirect.
		out.URL = "geo:" + strconv.FormatFloat(c.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(c.Long, 'f', -1, 64)
	}
	if len(out.URL) > maxAttachmentURL || !utf8.ValidString(out.URL) || strings.IndexByte(out.URL, 0) >= 0 {
		out.URL = ""
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// reactionEmoji stands in for the emoji when a reaction names only its
// kind (the documented values of reaction.reaction).
var reactionEmoji = map[string]string{
	"like": "\U0001F44D", "dislike": "\U0001F44E", "love": "\u2764\ufe0f", "smile": "\U0001F604",
	"laugh": "\U0001F606", "wow": "\U0001F62E", "sad": "\U0001F622", "angry": "\U0001F620",
}

// maxReactionBytes is the core's bound on a reaction's emoji.
const maxReactionBytes = 64

// reaction maps a customer's reaction to one of the conversation's
// messages; "" takes their reaction back.
func (r *receiver) reaction(ev *messagingEvent, sentAt time.Time, raw json.RawMessage) {
	re := ev.Reaction
	who := ev.sender()
	if re.Mid == "" || len(re.Mid) > care.MaxPlatformIDBytes || who == "" || who == r.account {
		r.skip(false, "a reaction without a usable message or person")
		return
	}
	emoji := ""
	if re.Action != "unreact" {
		// Without an emoji or a reaction Parley knows, there is nothing
		// true to show.
		if emoji = firstNonEmpty(re.Emoji, reactionEmoji[re.Reaction]); emoji == "" {
			r.skip(true, fmt.Sprintf("a reaction %.40q without an emoji", re.Reaction))
			return
		}
	}
	if len(emoji) > maxReactionBytes || !utf8.ValidString(emoji) {
		return
	}
	r.add(care.Inbound{Kind: care.KindReaction, PlatformID: reactionID(re.Mid, who, ev.Timestamp),
		ReplyToPlatformID: re.Mid, Author: care.Author{PlatformUserID: who}, Text: emoji, SentAt: sentAt}, raw)
}

// messageEdit maps a customer's edit of a message. Parley keeps what it
// was sent, so an edit is a message of its own, "[Edited] …", shown as a
// reply to the message it changes, as Telegram's and X's edits are. Its id
// names the edit by its number: the same edit delivered again is the same
// message, a second edit another.
func (r *receiver) messageEdit(ev *messagingEvent, sentAt time.Time, raw json.RawMessage) {
	e := ev.MessageEdit
	who := ev.sender()
	if e.Mid == "" || len(e.Mid) > care.MaxPlatformIDBytes || who == "" || who == r.account {
		r.skip(false, "an edit without a usable message or person")
		return
	}
	version := string(e.NumEdit)
	if version == "" || version == "0" {
		version = "t" + strconv.FormatInt(int64(ev.Timestamp), 10)
	}
	r.add(care.Inbound{PlatformID: editID(e.Mid, version), ReplyToPlatformID: e.Mid, Visibility: care.Private,
		Author: care.Author{PlatformUserID: who}, Text: editedPrefix + e.Text, SentAt: sentAt}, raw)
}

// editedPrefix starts the text of an edit, which is stored as a message of
// its own.
const editedPrefix = "[Edited] "

// editID is the platform id of an edit of the message or comment id:
// "{id}:edit:{version}", or, when that is too long for the core (Instagram
// mids are long), a hash of it.
func editID(id, version string) string {
	out := id + ":edit:" + version
	if len(out) <= care.MaxPlatformIDBytes {
		return out
	}
	sum := sha256.Sum256([]byte(out))
	return "edit:" + hex.EncodeToString(sum[:])
}

// reactionID is a reaction's platform id. A reaction has no id of its own;
// the message, the person and the time name one change, and stay the same
// when Meta delivers it again. Too long an id (Instagram mids are long) is
// replaced by its hash.
func reactionID(mid, who string, at stamp) string {
	id := "reaction:" + who + ":" + strconv.FormatInt(int64(at), 10) + ":" + mid
	if len(id) <= care.MaxPlatformIDBytes {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "reaction:" + hex.EncodeToString(sum[:])
}
