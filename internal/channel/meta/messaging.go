package meta

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// messagingEvent is one item of messaging[]: the shape shared by Messenger
// and Instagram messaging webhooks
// (developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events).
type messagingEvent struct {
	Sender    struct{ ID graphID } `json:"sender"`
	Recipient struct{ ID graphID } `json:"recipient"`
	Timestamp stamp                `json:"timestamp"` // milliseconds
	Message   *message             `json:"message"`
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
	} `json:"postback"`
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
	ReplyTo     *struct {
		Mid string `json:"mid"`
	} `json:"reply_to"`
}

// attachment is one of a message's attachments. Its payload's shape varies
// with the type (null for fallbacks, coordinates for locations, elements for
// templates), so it is read leniently: an odd payload costs its URL, not the
// message.
type attachment struct {
	Type    string          `json:"type"`
	URL     string          `json:"url"` // fallback attachments (shared links)
	Payload json.RawMessage `json:"payload"`
}

type attachmentPayload struct {
	URL       string  `json:"url"`
	StickerID graphID `json:"sticker_id"`
}

// echoMetadataPrefix marks the metadata Send puts on Messenger messages, so
// their echoes are recognised even without the inbox's app_id.
const echoMetadataPrefix = "parley:"

// Placeholders for messages whose content Meta does not pass on.
const (
	unsupportedText = "[a message Meta does not show to apps; open it in Meta Business Suite]"
	postbackText    = "[tapped a button]"
)

func (r *receiver) messaging(raw json.RawMessage) {
	var ev messagingEvent
	if json.Unmarshal(raw, &ev) != nil {
		return
	}
	sentAt := ev.Timestamp.millis(r.entryAt)
	switch {
	case ev.Message != nil:
		r.message(&ev, sentAt, raw)
	case ev.Delivery != nil:
		for _, mid := range ev.Delivery.Mids {
			r.add(care.Inbound{Kind: care.KindStatus, PlatformID: mid, Status: care.DeliveryDelivered, SentAt: sentAt}, raw)
		}
	case ev.Read != nil && ev.Read.Mid != "":
		r.add(care.Inbound{Kind: care.KindStatus, PlatformID: ev.Read.Mid, Status: care.DeliveryRead, SentAt: sentAt}, raw)
	case ev.Postback != nil:
		// A tapped button is the customer speaking; the title is what they
		// saw and chose. Older postbacks carry no mid: the sender and time
		// identify the tap.
		id := ev.Postback.Mid
		if id == "" {
			id = "postback:" + string(ev.Sender.ID) + ":" + strings.TrimSuffix(sentAt.Format("20060102150405.000"), ".000")
		}
		text := firstNonEmpty(ev.Postback.Title, ev.Postback.Payload, postbackText)
		r.add(care.Inbound{PlatformID: id, Visibility: care.Private, Author: care.Author{PlatformUserID: string(ev.Sender.ID)},
			Text: clip(text), SentAt: sentAt}, raw)
	}
}

func (r *receiver) message(ev *messagingEvent, sentAt time.Time, raw json.RawMessage) {
	m := ev.Message
	if m.Mid == "" {
		return
	}
	if m.IsDeleted {
		r.add(care.Inbound{Kind: care.KindDelete, PlatformID: m.Mid, SentAt: sentAt}, raw)
		return
	}
	in := care.Inbound{PlatformID: m.Mid, Visibility: care.Private, Text: clip(m.Text), SentAt: sentAt,
		Author: care.Author{PlatformUserID: string(ev.Sender.ID)}}
	if m.ReplyTo != nil {
		in.ReplyToPlatformID = m.ReplyTo.Mid
	}
	for _, a := range m.Attachments {
		if len(in.Attachments) == care.MaxAttachments {
			break
		}
		in.Attachments = append(in.Attachments, r.attachment(a))
	}
	if in.Text == "" && len(in.Attachments) == 0 {
		in.Text = unsupportedText
	}
	if m.IsEcho {
		if r.ours(m) {
			return
		}
		// Written by the Page in Meta's tools (or another app): the brand's
		// message to the customer, who is the recipient.
		in.Kind = care.KindEcho
		in.Author = care.Author{PlatformUserID: string(ev.Recipient.ID)}
	}
	r.add(in, raw)
}

// ours reports whether an echo is of a message Parley sent.
func (r *receiver) ours(m *message) bool {
	return r.appID != "" && string(m.AppID) == r.appID || strings.HasPrefix(m.Metadata, echoMetadataPrefix)
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
// file, sticker; reels are videos, templates and anything newer are files.
func (a attachment) normalise() care.Attachment {
	var p attachmentPayload
	_ = json.Unmarshal(a.Payload, &p)
	out := care.Attachment{Kind: "file", URL: firstNonEmpty(p.URL, a.URL)}
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
	if len(out.URL) > maxAttachmentURL || !utf8.ValidString(out.URL) || strings.IndexByte(out.URL, 0) >= 0 {
		out.URL = ""
	}
	return out
}

// clip cuts text to what the core stores, on a rune boundary.
func clip(s string) string {
	if len(s) <= care.MaxTextBytes {
		return s
	}
	n := care.MaxTextBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
