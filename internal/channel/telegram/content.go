package telegram

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// FileScheme prefixes the URL of an attachment Telegram holds: the rest is
// the file_id, which getFile exchanges for a download path valid for an
// hour (core.telegram.org/bots/api#getfile), with the inbox's bot token.
const FileScheme = "telegram-file:"

// Bounds on what Parley keeps of a message's parts.
const (
	maxAttachmentURL = 2048
	maxQuoteBytes    = 1024
	maxFileSize      = 1 << 42
	maxPollOptions   = 12
	// maxPaidStars is far above what Telegram lets paid media cost.
	maxPaidStars = 1_000_000
)

// content renders a message of any kind as text and attachments. A kind
// Parley does not know becomes a placeholder in brackets naming it, as
// unknown names it, so an agent sees that something arrived; service notices
// (a pinned message, a changed title) have no content, and ok is false for
// them.
func content(m *message, unknown func() (kind string, service bool)) (text string, atts []care.Attachment, ok bool) {
	body := cmp.Or(withLinks(m.Text, m.Entities), withLinks(m.Caption, m.CaptionEntities))
	switch {
	case len(m.Photo) > 0:
		// Telegram sends every size it made, smallest first; the largest is
		// the photo.
		p := slices.MaxFunc(m.Photo, func(a, b photoSize) int { return cmp.Compare(a.Width*a.Height, b.Width*b.Height) })
		atts = attach(atts, "image", file{FileID: p.FileID, FileSize: p.FileSize})
	case m.Animation != nil:
		// A GIF, which Telegram converts to a silent MP4. Its document field
		// repeats it for old clients, so it is read first.
		atts = attach(atts, "video", *m.Animation)
	case m.Video != nil:
		atts = attach(atts, "video", *m.Video)
	case m.VideoNote != nil:
		atts = attach(atts, "video", *m.VideoNote)
	case m.Voice != nil:
		atts = attach(atts, "audio", *m.Voice)
	case m.Audio != nil:
		a := *m.Audio
		a.FileName = cmp.Or(a.FileName, joinNonEmpty(" – ", a.Performer, a.Title))
		atts = attach(atts, "audio", a)
	case m.Document != nil:
		atts = attach(atts, "file", *m.Document)
	case m.Sticker != nil:
		atts = attach(atts, "sticker", file{FileID: m.Sticker.FileID, FileSize: m.Sticker.FileSize, Title: m.Sticker.Emoji})
		body = cmp.Or(body, strings.TrimSpace("[Sticker "+m.Sticker.Emoji)+"]")
	case m.Venue != nil:
		v := m.Venue
		geo, ok := geoURI(v.Location)
		body = "Shared a place: " + cmp.Or(joinNonEmpty(", ", v.Title, v.Address), "(no name)")
		if ok {
			body += " (" + strings.TrimPrefix(geo, "geo:") + ")"
			atts = append(atts, care.Attachment{Kind: "location", URL: geo, Name: name(v.Title)})
		}
	case m.Location != nil:
		geo, ok := geoURI(*m.Location)
		body = "Shared a location"
		if m.Location.LivePeriod > 0 {
			// Its later positions are not shown (see parser.message).
			body = "Shared a live location"
		}
		if ok {
			body += " (" + strings.TrimPrefix(geo, "geo:") + ")"
			atts = append(atts, care.Attachment{Kind: "location", URL: geo})
		}
	case m.Contact != nil:
		c := m.Contact
		body = "Shared a contact: " + cmp.Or(joinNonEmpty(", ", joinNonEmpty(" ", c.FirstName, c.LastName), c.PhoneNumber), "(no details)")
	case m.Poll != nil:
		lines := []string{"[Poll] " + m.Poll.Question}
		for i, o := range m.Poll.Options {
			if i == maxPollOptions {
				break
			}
			lines = append(lines, "- "+o.Text)
		}
		body = strings.Join(lines, "\n")
	case m.Dice != nil:
		body = fmt.Sprintf("[Rolled %s: %d]", cmp.Or(m.Dice.Emoji, "🎲"), m.Dice.Value)
	case m.Story != nil:
		body = "[Shared a Telegram story]"
	case m.PaidMedia != nil:
		// Bots see paid media only as a preview until it is bought, so
		// Parley says it is there, above the caption.
		body = joinNonEmpty("\n", paidMedia(len(m.PaidMedia.PaidMedia), m.PaidMedia.StarCount), body)
	}

	var notes []string
	if f := forwardedFrom(m); f != "" {
		notes = append(notes, "[Forwarded from "+f+"]")
	}
	if m.Quote != nil && strings.TrimSpace(m.Quote.Text) != "" {
		// The part of the replied-to message the customer quoted.
		q := channel.CleanText(m.Quote.Text, maxQuoteBytes)
		notes = append(notes, "> "+strings.ReplaceAll(q, "\n", "\n> "))
	}
	if strings.TrimSpace(body) == "" && len(atts) == 0 {
		kind, service := unknown()
		if service {
			return "", nil, false
		}
		body = fmt.Sprintf("[A Telegram message (%s) that Parley cannot show yet]", kind)
	}
	text = channel.CleanText(joinNonEmpty("\n", append(notes, body)...), care.MaxTextBytes)
	if text == "" && len(atts) == 0 {
		text = "[An empty Telegram message]"
	}
	return text, atts, true
}

// paidMedia describes n items of paid media that cost stars to see.
func paidMedia(n int, stars int64) string {
	what := "[Paid media"
	switch {
	case n == 1:
		what += ": 1 item"
	case n > 1 && n <= 100:
		what += fmt.Sprintf(": %d items", n)
	}
	if stars > 0 && stars <= maxPaidStars {
		what += fmt.Sprintf(" for %d Stars", stars)
	}
	return what + ", which Parley cannot show]"
}

// attach appends f as an attachment of kind, by its file_id; a file
// without a usable id is noted in its place.
func attach(atts []care.Attachment, kind string, f file) []care.Attachment {
	id := strings.TrimSpace(f.FileID)
	if !tokenChars(id, maxAttachmentURL-len(FileScheme)) {
		return atts
	}
	a := care.Attachment{Kind: kind, URL: FileScheme + id, MimeType: channel.CleanName(f.MimeType, 255), Name: name(cmp.Or(f.FileName, f.Title))}
	if f.FileSize > 0 && f.FileSize <= maxFileSize {
		a.Size = f.FileSize
	}
	return append(atts, a)
}

// geoURI is a location as a "geo:" URI (RFC 5870); ok is false for
// coordinates off the globe.
func geoURI(l location) (string, bool) {
	if l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180 {
		return "", false
	}
	return "geo:" + strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(l.Longitude, 'f', -1, 64), true
}

// forwardedFrom names the original sender of a forwarded message, "" if it
// was not forwarded.
func forwardedFrom(m *message) string {
	o := m.ForwardOrigin
	if o == nil {
		return ""
	}
	var n string
	switch {
	case o.SenderUser != nil:
		n = joinNonEmpty(" ", o.SenderUser.FirstName, o.SenderUser.LastName)
	case o.SenderUserName != "":
		n = o.SenderUserName
	case o.SenderChat != nil:
		n = o.SenderChat.Title
	case o.Chat != nil:
		n = o.Chat.Title
	}
	return name(cmp.Or(n, "someone"))
}

// commonFields are Message fields that say nothing of its content.
var commonFields = map[string]bool{
	"message_id": true, "message_thread_id": true, "from": true, "sender_chat": true, "sender_boost_count": true,
	"sender_business_bot": true, "sender_tag": true, "date": true, "business_connection_id": true, "chat": true,
	"forward_origin": true, "is_topic_message": true, "is_automatic_forward": true, "reply_to_message": true,
	"external_reply": true, "quote": true, "reply_to_story": true, "reply_to_checklist_task_id": true, "via_bot": true,
	"edit_date": true, "has_protected_content": true, "is_from_offline": true, "is_paid_post": true,
	"media_group_id": true, "author_signature": true, "paid_star_count": true, "text": true, "entities": true,
	"link_preview_options": true, "effect_id": true, "caption": true, "caption_entities": true,
	"show_caption_above_media": true, "has_media_spoiler": true, "reply_markup": true,
	"direct_messages_topic": true, "suggested_post_info": true,
}

// serviceFields mark service messages: notices about the chat, not
// something a person wrote (core.telegram.org/bots/api#message). Payments,
// refunds and gifts are among them: Telegram's notices that Stars or a
// gift changed hands, which a care team follows in the bot's own payment
// records, not in a conversation. So is web_app_data, what a Mini App of
// the bot sent it with Telegram.WebApp.sendData: data for that app, not
// words to answer.
var serviceFields = map[string]bool{
	"new_chat_members": true, "left_chat_member": true, "new_chat_title": true, "new_chat_photo": true,
	"delete_chat_photo": true, "group_chat_created": true, "supergroup_chat_created": true,
	"channel_chat_created": true, "message_auto_delete_timer_changed": true, "migrate_to_chat_id": true,
	"migrate_from_chat_id": true, "pinned_message": true, "users_shared": true, "chat_shared": true,
	"write_access_allowed": true, "proximity_alert_triggered": true, "boost_added": true,
	"chat_background_set": true, "forum_topic_created": true, "forum_topic_edited": true,
	"forum_topic_closed": true, "forum_topic_reopened": true, "general_forum_topic_hidden": true,
	"general_forum_topic_unhidden": true, "video_chat_scheduled": true, "video_chat_started": true,
	"video_chat_ended": true, "video_chat_participants_invited": true, "connected_website": true,
	"giveaway_created": true, "checklist_tasks_done": true, "checklist_tasks_added": true,
	"direct_message_price_changed": true, "paid_message_price_changed": true,
	"chat_owner_left": true, "chat_owner_changed": true, "successful_payment": true, "refunded_payment": true,
	"gift": true, "unique_gift": true, "gift_upgrade_sent": true, "giveaway_completed": true,
	"managed_bot_created": true, "poll_option_added": true, "poll_option_deleted": true,
	"suggested_post_approved": true, "suggested_post_approval_failed": true, "suggested_post_declined": true,
	"suggested_post_paid": true, "suggested_post_refunded": true, "web_app_data": true,
}

// unknownKind names the field that makes raw, a Message, what it is, and
// reports whether that is a service notice. It names the first field in
// sorted order that is not common to all messages, and takes the message
// for a service notice only when every such field is one: a field Parley
// does not know is shown rather than dropped.
func unknownKind(raw json.RawMessage) (kind string, service bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return "unknown", false
	}
	var unknown, notices []string
	for k := range fields {
		switch {
		case serviceFields[k]:
			notices = append(notices, k)
		case !commonFields[k]:
			unknown = append(unknown, k)
		}
	}
	switch {
	case len(unknown) > 0:
		slices.Sort(unknown)
		return channel.CleanName(unknown[0], 40), false
	case len(notices) > 0:
		slices.Sort(notices)
		return notices[0], true
	}
	return "unknown", false
}
