package sms

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxMedia is the most attachments Twilio delivers with one message (MMS
// carries up to ten).
const maxMedia = 10

// Receive refuses every delivery with EUNAUTHORIZED: Twilio signs the URL it
// posted to as well as the parameters, so a delivery can only be
// authenticated through ReceiveURL, which the webhook handler calls for
// adapters that implement channel.URLSigned. Guessing the URL here would
// either refuse genuine deliveries or accept forged ones.
func (a *Adapter) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	return nil, care.Errorf(care.EUNAUTHORIZED, "twilio signs the request URL, which this delivery arrived without")
}

// Handshake answers a GET: Twilio verifies no subscription, and Parley takes
// messages only by POST, so a webhook configured with HTTP GET is told to
// change.
func (a *Adapter) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	w.Header().Set("Allow", http.MethodPost)
	http.Error(w, "configure the Twilio webhook with HTTP POST", http.StatusMethodNotAllowed)
}

// ReceiveURL authenticates a delivery posted to rawURL by its
// X-Twilio-Signature and returns its event: a customer's message, or a
// status of a message Parley sent. Both arrive at the inbox's webhook URL
// and are told apart by their status: a status callback's MessageStatus
// (SmsStatus in older ones) is that of an outbound message, a message's
// SmsStatus is "received".
// A form-encoded body is signed through its parameters; a JSON body, whose
// URL carries bodySHA256, through that hash.
//
// It returns EUNAUTHORIZED when the signature does not verify or the
// delivery is for another Twilio account than the inbox's account_sid, and
// EINVALID for a body it cannot parse or a verified delivery without a
// message SID or sender. Statuses Parley does not track (scheduled, for
// one) are skipped with a log line.
//
// Twilio takes any 200 as the end of a messaging webhook; the handler's
// empty 200 is a valid answer and sends no automatic reply (an empty TwiML
// <Response/> would do the same).
func (a *Adapter) ReceiveURL(rawURL string, h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	token, sig := in.Credentials[CredAuthToken], h.Get(SignatureHeader)
	var params url.Values
	if hash := bodyHash(rawURL); hash != "" {
		if err := verifyBodyHash(token, sig, rawURL, hash, body); err != nil {
			return nil, err
		}
		p, err := parseJSONParams(body)
		if err != nil {
			return nil, err
		}
		params = p
	} else {
		if token == "" || sig == "" {
			// Refused before parsing: an unsigned body is not worth reading.
			return nil, verifySignature(token, sig, rawURL, nil)
		}
		p, err := parseForm(body)
		if err != nil {
			return nil, err
		}
		if err := verifySignature(token, sig, rawURL, p); err != nil {
			return nil, err
		}
		params = p
	}
	events, skipped, err := parseParams(params, in.Credentials[CredAccountSID], now)
	if skipped != "" {
		a.logger().Info("sms: delivery skipped", "inbox", in.ID, "reason", skipped)
	}
	return events, err
}

// parseParams turns a verified delivery's parameters into events; skipped
// says, for the log, why it returned none.
func parseParams(p url.Values, accountSID string, now time.Time) (events []channel.Event, skipped string, err error) {
	if got := p.Get("AccountSid"); accountSID != "" && got != accountSID {
		// Signed with this inbox's token yet about another account: the
		// account_sid credential is wrong, and nothing of it should be
		// filed under this inbox.
		return nil, "", care.Errorf(care.EUNAUTHORIZED, "the delivery is for Twilio account %.40q, not the inbox's account_sid", got)
	}
	sid := cmp.Or(p.Get("MessageSid"), p.Get("SmsMessageSid"), p.Get("SmsSid"))
	if !messageSID(sid) {
		return nil, "", care.Errorf(care.EINVALID, "the delivery has no MessageSid: it is not a Twilio messaging webhook")
	}
	status := strings.ToLower(cmp.Or(p.Get("MessageStatus"), p.Get("SmsStatus")))
	switch status {
	case "", "received", "receiving":
		ev, err := inbound(p, sid, now)
		if err != nil {
			return nil, "", err
		}
		return []channel.Event{ev}, "", nil
	}
	ev, ok := statusEvent(p, sid, status, now)
	if !ok {
		return nil, fmt.Sprintf("status %.40q of message %s", status, sid), nil
	}
	return []channel.Event{ev}, "", nil
}

// inbound is a customer's message. SMS has no names, so the customer is
// their number; WhatsApp senders of a Messaging Service add a ProfileName.
func inbound(p url.Values, sid string, now time.Time) (channel.Event, error) {
	from := boundedID(p.Get("From"))
	if from == "" {
		return channel.Event{}, care.Errorf(care.EINVALID, "message %s has no usable From", sid)
	}
	author := care.Author{PlatformUserID: from, DisplayName: channel.CleanName(p.Get("ProfileName"), care.MaxNameBytes)}
	if validSender(from) {
		author.Handle = from
	}
	body := p.Get("Body")
	text := channel.CleanText(body, care.MaxTextBytes)
	atts := media(p)
	if loc, desc, ok := location(p); ok {
		atts = append(atts, loc)
		if text == "" {
			text = desc
		}
	}
	whatsApp := strings.HasPrefix(from, "whatsapp:")
	switch classify(body, p.Get("OptOutType"), whatsApp) {
	case optOut:
		text = joinNote(text, optOutNote)
	case optIn:
		text = joinNote(text, optInNote)
	case helpKeyword:
		text = joinNote(text, helpNote)
	default:
		if k := classify(text, "", false); whatsApp && (k == optOut || k == optIn) {
			text = joinNote(text, whatsAppKeywordNote)
		}
	}
	if text == "" && len(atts) == 0 {
		text = "[An empty message]"
	}
	in := care.Inbound{
		Kind: care.KindMessage, PlatformID: sid, Visibility: care.Private, Author: author,
		Text: text, Attachments: atts, SentAt: now,
	}
	// A WhatsApp customer's reply to one message names it
	// (OriginalRepliedMessageSid, messaging/guides/webhook-request); SMS
	// has no replies.
	if r := p.Get("OriginalRepliedMessageSid"); messageSID(r) {
		in.ReplyToPlatformID = r
	}
	return channel.Event{Inbound: in}, nil
}

// location reads the pin a WhatsApp customer shares through a Messaging
// Service: Latitude and Longitude, with Address and Label when they chose a
// place (messaging/guides/webhook-request, WhatsApp location parameters);
// the Body is then empty. It returns a "geo:" attachment (RFC 5870) and a
// line describing it; ok is false without coordinates on the globe.
func location(p url.Values) (att care.Attachment, desc string, ok bool) {
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(p.Get("Latitude")), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(p.Get("Longitude")), 64)
	if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return care.Attachment{}, "", false
	}
	geo := "geo:" + strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64)
	label := channel.CleanName(p.Get("Label"), 200)
	desc = "Shared a location"
	if place := strings.Join(slices.DeleteFunc([]string{label, channel.CleanName(p.Get("Address"), 300)},
		func(s string) bool { return s == "" }), ", "); place != "" {
		desc = "Shared a place: " + place
	}
	return care.Attachment{Kind: "location", URL: geo, Name: label}, desc + " (" + strings.TrimPrefix(geo, "geo:") + ")", true
}

// media reads MediaUrlN and MediaContentTypeN for N below NumMedia. The
// URLs are Twilio's and open only with the account's credentials, so each
// attachment's URL is the MediaUrl behind MediaScheme, for FetchMedia.
func media(p url.Values) []care.Attachment {
	n := count(p.Get("NumMedia"), maxMedia)
	var atts []care.Attachment
	for i := range n {
		u := p.Get("MediaUrl" + strconv.Itoa(i))
		if !httpURL(u) || len(MediaScheme+u) > maxAttachmentURL || !utf8.ValidString(u) || strings.ContainsFunc(u, isControl) {
			continue
		}
		mime := channel.CleanName(p.Get("MediaContentType"+strconv.Itoa(i)), 255)
		atts = append(atts, care.Attachment{Kind: mediaKind(mime), URL: MediaScheme + u, MimeType: mime})
	}
	return atts
}

// maxAttachmentURL is the longest attachment URL care.Inbound accepts.
const maxAttachmentURL = 2048

// mediaKind maps a MIME type to a care.Attachment kind.
func mediaKind(mime string) string {
	typ, _, _ := strings.Cut(strings.ToLower(mime), "/")
	switch typ {
	case "image", "video", "audio":
		return typ
	}
	return "file"
}

// statusEvent is the status of our message sid. ok is false for a status
// that says nothing new: scheduled, or one Parley does not know.
func statusEvent(p url.Values, sid, status string, now time.Time) (ev channel.Event, ok bool) {
	in := care.Inbound{Kind: care.KindStatus, PlatformID: sid, SentAt: now,
		Author: care.Author{PlatformUserID: boundedID(p.Get("To"))}}
	switch status {
	// Twilio has the message; Parley already shows it sent when Twilio
	// accepted it, and repeating that is harmless.
	case "accepted", "queued", "sending", "sent":
		in.Status = care.DeliverySent
	case "delivered":
		in.Status = care.DeliveryDelivered
	case "partially_delivered":
		in.Status = care.DeliveryDelivered
		in.StatusReason = "only part of the message was delivered"
	case "read":
		in.Status = care.DeliveryRead
	case "undelivered", "failed", "canceled":
		in.Status = care.DeliveryFailed
		code, _ := strconv.Atoi(strings.TrimSpace(p.Get("ErrorCode")))
		in.StatusReason = statusReason(max(code, 0), status)
	default:
		return channel.Event{}, false
	}
	return channel.Event{Inbound: in}, true
}

// messageSID reports whether s looks like a message SID: SM (SMS) or MM
// (MMS) and 32 hexadecimal digits. Other two-letter prefixes are accepted
// too, since Twilio has added kinds before; the length and digits are what
// keep a forged id from being stored.
func messageSID(s string) bool {
	return len(s) == 34 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && validSID(s, s[:2])
}

func joinNote(text, note string) string {
	if text == "" {
		return note
	}
	return channel.CleanText(text, care.MaxTextBytes-len(note)-2) + "\n\n" + note
}

// boundedID returns a platform id that fits care.Inbound, or "": an id cut
// short would name someone else.
func boundedID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) > care.MaxPlatformIDBytes || !utf8.ValidString(id) || strings.ContainsFunc(id, isControl) {
		return ""
	}
	return id
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
