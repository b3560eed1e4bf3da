package ingest

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// A platform may deliver one customer message in parts: a Telegram album's
// photos come as an update each, to a webhook as a request each,
// acknowledged one by one (care.Inbound.Group). The first part threaded is
// stored as the message, and each later part joins it, in the same pass or
// another: its attachments and text are added, and its platform id names
// the message from then on (care.Queries.AddMessagePart), so a replay finds
// it stored and a reply, a reaction or a deletion naming it reaches the
// message. Only parts ask storage anything more: a message without a group
// costs what it did.

// groupMessage returns the message of in's group that in's author, contact,
// sent in the inbox within care.GroupWindow of in, or nil when there is
// none yet.
func groupMessage(ctx context.Context, q care.Queries, inboxID, contactID care.ID, in *care.Inbound, now time.Time) (*care.Message, error) {
	at := in.SentAt
	if at.IsZero() {
		at = now // as the message would be stored
	}
	m, err := q.GroupMessage(ctx, inboxID, contactID, in.Group, at.Add(-care.GroupWindow), at.Add(care.GroupWindow))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	}
	return m, err
}

// joinPart joins the part raw into m, its group's message: no message of
// its own, so nothing more for the conversation, its clocks, automation
// or triage, which have met the message already. What the part's author
// did to the part before it came (deleted it, reacted to it) is done to m.
func (p *Pipeline) joinPart(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, m *care.Message, b *batch, now time.Time) ([]care.Event, error) {
	in := &raw.Inbound
	if err := q.AddMessagePart(ctx, m.ID, in.Group, in.PlatformID); err != nil {
		return nil, err
	}
	if known, ok := b.known[inbox.ID]; ok {
		known[in.PlatformID] = m.ConversationID
	}
	text, atts := joinContent(m.Text, m.Attachments, in.Text, in.Attachments)
	if text != m.Text || len(atts) != len(m.Attachments) {
		if err := q.SetMessageContent(ctx, m.ID, text, atts); err != nil {
			return nil, err
		}
		m.Text, m.Attachments = text, atts
	}
	if _, err := b.applyEarly(ctx, q, raw, inbox, m, now); err != nil {
		return nil, err
	}
	e := NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)
	return []care.Event{e}, b.processed(ctx, q, raw.ID, now)
}

// joinContent is a message's text and attachments with a part's added: the
// attachments up to care.MaxAttachments, and the part's text (an album's
// caption) after the message's, a blank line between, unless it is the
// same.
func joinContent(text string, atts []care.Attachment, partText string, partAtts []care.Attachment) (string, []care.Attachment) {
	room := max(care.MaxAttachments-len(atts), 0)
	if len(partAtts) > 0 && room > 0 {
		atts = append(slices.Clip(atts), partAtts[:min(len(partAtts), room)]...)
	}
	switch {
	case partText == "" || partText == text:
	case text == "":
		text = partText
	default:
		text = clip(text+"\n\n"+partText, care.MaxTextBytes)
	}
	return text, atts
}

// clip cuts s to at most n bytes, at a character's start.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
