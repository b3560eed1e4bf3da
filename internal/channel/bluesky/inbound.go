package bluesky

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Reasons of the notifications Parley polls: a post that @mentions the
// brand, answers one of its posts (or a post in a thread it started),
// or quotes one (app.bsky.notification.listNotifications, reason).
var careReasons = map[string]bool{"mention": true, "reply": true, "quote": true}

// Chat log entry types (chat.bsky.convo.defs).
const (
	logCreateMessage = "chat.bsky.convo.defs#logCreateMessage"
	logDeleteMessage = "chat.bsky.convo.defs#logDeleteMessage"
	typeMessageView  = "chat.bsky.convo.defs#messageView"
)

// notificationInbound maps one notification of the brand's (raw JSON) to a
// public message: PlatformID the post's at:// URI, ReplyToPlatformID the
// post it answers (record.reply.parent.uri), Author the poster by DID with
// "@handle", text as written with its shortened links made whole
// (expandLinks) and the post it quotes linked, images and video as
// attachments. indexed is the notification's indexedAt. why says, for a
// notification that is not a customer's post, why it is skipped.
func notificationInbound(raw []byte, brand string, now time.Time) (in care.Inbound, indexed time.Time, why string) {
	var n notification
	if err := json.Unmarshal(raw, &n); err != nil {
		return care.Inbound{}, time.Time{}, "not a notification"
	}
	in, why = n.inbound(brand, now)
	return in, parseTime(n.IndexedAt), why
}

// inbound is notificationInbound of a decoded notification.
func (n *notification) inbound(brand string, now time.Time) (care.Inbound, string) {
	switch {
	case !careReasons[n.Reason]:
		return care.Inbound{}, "reason " + channel.Cut(n.Reason, 32)
	case !validDID(n.Author.DID):
		return care.Inbound{}, "author without a valid DID"
	case n.Author.DID == brand:
		return care.Inbound{}, "the brand's own post"
	}
	uri, ok := parsePostURI(n.URI)
	if !ok || uri.DID != n.Author.DID {
		return care.Inbound{}, "not a post of its author"
	}
	var rec postRecord
	if err := json.Unmarshal(n.Record, &rec); err != nil || rec.Type != "" && rec.Type != postCollection {
		return care.Inbound{}, "record is not a post"
	}
	in := care.Inbound{Kind: care.KindMessage, PlatformID: uri.String(), Visibility: care.Public,
		Author: care.Author{PlatformUserID: n.Author.DID, Handle: handleOf(n.Author.Handle),
			DisplayName: n.Author.DisplayName, Verified: n.Author.verified()},
		Text:   expandLinks(rec.Text, rec.Facets),
		SentAt: sentAt(now, rec.CreatedAt, n.IndexedAt)}
	if rec.Reply != nil {
		if parent, ok := parsePostURI(rec.Reply.Parent.URI); ok {
			in.ReplyToPlatformID = parent.String()
		}
	}
	in.Attachments = embedAttachments(rec.Embed, uri.DID)
	in.Text = withEmbedText(in.Text, rec.Embed)
	return in, ""
}

// handleOf is how Parley shows a handle: "@" and the handle, or "" when
// the network's value is not a handle ("handle.invalid" is what the
// AppView shows for one that no longer verifies, and is kept).
func handleOf(h string) string {
	if h == "" || len(h) > 253 || strings.ContainsAny(h, "@ \t\r\n") {
		return ""
	}
	if !validHandle(h) && h != "handle.invalid" {
		return ""
	}
	return "@" + strings.ToLower(h)
}

// embedAttachments lists a post's images and video: the CDN's full-size
// image and the video's HLS playlist, where Bluesky's apps load them.
func embedAttachments(e *embed, did string) []care.Attachment {
	if e == nil {
		return nil
	}
	if e.Media != nil {
		e = e.Media // recordWithMedia: the quote is text, the media attached
	}
	var atts []care.Attachment
	for _, img := range e.Images {
		if len(atts) == care.MaxAttachments {
			break
		}
		if img.Image == nil || !validCID(img.Image.cid()) {
			continue
		}
		atts = append(atts, care.Attachment{Kind: "image",
			URL:      "https://cdn.bsky.app/img/feed_fullsize/plain/" + did + "/" + img.Image.cid() + "@jpeg",
			MimeType: mimeType(img.Image.MimeType), Name: channel.CleanName(img.Alt, care.MaxNameBytes), Size: int64(img.Image.Size)})
	}
	if e.Video != nil && validCID(e.Video.cid()) {
		atts = append(atts, care.Attachment{Kind: "video",
			URL:      "https://video.bsky.app/watch/" + url.PathEscape(did) + "/" + e.Video.cid() + "/playlist.m3u8",
			MimeType: mimeType(e.Video.MimeType), Name: channel.CleanName(e.Alt, care.MaxNameBytes), Size: int64(e.Video.Size)})
	}
	return atts
}

// withEmbedText adds to text what an embed says that the text may not: a
// link card's URL when the text does not hold it, and which post it
// quotes, as "Quoted https://bsky.app/…" (on a line of its own after the
// words; alone for a quote without words). A quote with media
// (recordWithMedia) may carry the link card in its media.
func withEmbedText(text string, e *embed) string {
	if e == nil {
		return text
	}
	ext := e.External
	if ext == nil && e.Media != nil {
		ext = e.Media.External
	}
	if ext != nil {
		if u, err := url.Parse(ext.URI); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
			len(ext.URI) <= 2048 && !strings.Contains(text, ext.URI) {
			text = joinLines(text, ext.URI)
		}
	}
	if q, ok := parsePostURI(e.quoted()); ok {
		switch link := q.webURL(); {
		case strings.TrimSpace(text) == "":
			text = "Quoted " + link
		case !strings.Contains(text, link):
			text = joinLines(text, "Quoted "+link)
		}
	}
	return text
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// mimeType keeps a blob's MIME type when it looks like one.
func mimeType(s string) string {
	if len(s) > 100 || !strings.Contains(s, "/") || !printable(s) {
		return ""
	}
	return strings.ToLower(s)
}

// logInbound maps one chat log entry of the brand's (raw JSON) to a
// private message when it is a customer's: PlatformID
// "{convoId}:{messageId}", Author the sender by DID (the handle and name
// come from getProfiles). The brand's own messages are skipped: those sent
// by Parley are stored already. why says, for any other entry, why it is
// skipped.
//
// Deletions are skipped too. Bluesky's chat deletes a message only for the
// account that deletes it (chat.bsky.convo.deleteMessageForSelf: "Marks a
// message as deleted for the viewer"), and the logDeleteMessage entry is in
// that account's log alone: in the brand's log it means someone on the
// brand's account hid the message in Bluesky's app, while the customer
// still sees it. So the message stays in Parley as it is; a customer who
// deletes a message for themselves leaves nothing in the brand's log.
func logInbound(raw []byte, brand string, now time.Time) (in care.Inbound, why string) {
	var e logEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return care.Inbound{}, "not a log entry"
	}
	switch e.Type {
	case logCreateMessage:
	case logDeleteMessage:
		return care.Inbound{}, "a message the brand's account deleted for itself"
	default:
		return care.Inbound{}, "log entry " + channel.Cut(e.Type, 64)
	}
	var m messageView
	if err := json.Unmarshal(e.Message, &m); err != nil {
		return care.Inbound{}, "message not understood"
	}
	switch {
	case !validKey(e.ConvoID) || !validKey(m.ID):
		return care.Inbound{}, "message without valid ids"
	case !validDID(m.Sender.DID):
		return care.Inbound{}, "sender without a valid DID"
	case m.Sender.DID == brand:
		return care.Inbound{}, "the brand's own message"
	}
	in = care.Inbound{PlatformID: chatID(e.ConvoID, m.ID), Author: care.Author{PlatformUserID: m.Sender.DID},
		SentAt: sentAt(now, m.SentAt)}
	if m.Type != "" && m.Type != typeMessageView {
		return care.Inbound{}, "message " + channel.Cut(m.Type, 64)
	}
	in.Kind, in.Visibility, in.Text = care.KindMessage, care.Private, expandLinks(m.Text, m.Facets)
	if m.Embed != nil && m.Embed.Record != nil {
		if q, ok := parsePostURI(m.Embed.Record.URI); ok {
			in.Text = joinLines(in.Text, "Shared "+q.webURL())
		}
	}
	return in, ""
}

// finish completes an event: channel, cleaned text and names, then care's
// own validation. ok is false, and the reason logged, for an event that
// cannot be stored.
func (a *Adapter) finish(in care.Inbound, raw []byte) (channel.Event, bool) {
	in.Channel = care.ChannelBluesky
	in.Text = channel.CleanText(in.Text, care.MaxTextBytes)
	in.Author.DisplayName = channel.CleanName(in.Author.DisplayName, care.MaxNameBytes)
	in.Author.Handle = channel.CleanName(in.Author.Handle, care.MaxNameBytes)
	if len(in.Attachments) > care.MaxAttachments {
		in.Attachments = in.Attachments[:care.MaxAttachments]
	}
	if err := in.Validate(); err != nil {
		a.logger().Warn("bluesky: event skipped", "id", channel.Cut(strings.ToValidUTF8(in.PlatformID, ""), 96), "err", err)
		return channel.Event{}, false
	}
	if len(raw) > care.MaxTextBytes*2 || !utf8.Valid(raw) {
		raw = nil // the event is what matters; an outsized raw copy is not kept
	}
	return channel.Event{Inbound: in, Raw: raw}, true
}

func parseTime(s string) time.Time {
	if len(s) > 64 {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
