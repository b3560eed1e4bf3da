package phone

import (
	"path"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Suffixes of the platform ids of a call's recording and voicemail
// transcript, which are messages of their own (see events).
const (
	RecordingSuffix  = "/recording"
	TranscriptSuffix = "/transcript"
)

// withheldPrefix names the caller of a call whose number was withheld:
// "withheld:<call id>", a contact of its own for each such call, since
// nothing says two of them are the same person. It has no digits to
// link by phone and no call link.
const withheldPrefix = "withheld:"

// events are the messages a call makes: the call itself, keyed by its
// call id, and, when the record has them, its recording and its voicemail
// transcript, each keyed by the call id and a suffix and answering the
// call's message, so they join its conversation.
//
// A telephony system often knows a call's recording or transcript only
// minutes after the call ended, and sends the record again when it does.
// Parley dedupes by platform id, so the second delivery adds exactly what
// is new: the recording, the transcript, each once however often the
// record is sent. What the call's own message says (outcome, notes) is
// fixed by the first delivery; later changes to it are not applied.
//
// An inbound call is the customer's message; an outbound call, placed by
// an agent outside Parley, is an echo: the brand contacting the customer,
// which counts as the brand's answer.
func events(c call, raw []byte) []channel.Event {
	kind := care.KindMessage
	if c.direction == Outbound {
		kind = care.KindEcho
	}
	author := care.Author{PlatformUserID: c.customer, DisplayName: c.callerName, Handle: c.customer}
	if c.customer == "" {
		author = care.Author{PlatformUserID: withheldPrefix + c.id, DisplayName: c.callerName}
		if author.DisplayName == "" {
			author.DisplayName = "Withheld number"
		}
	}
	base := care.Inbound{Kind: kind, Visibility: care.Private, Author: author, SentAt: c.started}
	later := c.started
	if !c.ended.IsZero() {
		later = c.ended
	}

	callMsg := base
	callMsg.PlatformID = c.id
	callMsg.Agent = c.agent
	callMsg.Text = summary(c)
	out := []channel.Event{{Inbound: callMsg, Raw: raw}}

	if c.recording != "" {
		m := base
		m.PlatformID, m.ReplyToPlatformID, m.SentAt = c.id+RecordingSuffix, c.id, later
		name := "Call recording"
		if c.outcome == Voicemail {
			name = "Voicemail"
		}
		m.Text = name
		if c.durationOK {
			m.Text += " (" + formatDuration(c.duration) + ")"
		}
		m.Attachments = []care.Attachment{{Kind: "audio", URL: c.recording, MimeType: audioType(c.recording), Name: name}}
		out = append(out, channel.Event{Inbound: m, Raw: raw})
	}
	if c.transcript != "" {
		m := base
		m.PlatformID, m.ReplyToPlatformID, m.SentAt = c.id+TranscriptSuffix, c.id, later
		m.Text = "Voicemail transcript: " + c.transcript
		out = append(out, channel.Event{Inbound: m, Raw: raw})
	}
	return out
}

// audioType guesses a recording's MIME type from its file extension, ""
// when there is none Parley knows; the player then asks the server.
func audioType(rawURL string) string {
	p := rawURL
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".mp3":
		return "audio/mpeg"
	case ".wav":
		return "audio/wav"
	case ".ogg", ".oga", ".opus":
		return "audio/ogg"
	case ".m4a", ".mp4":
		return "audio/mp4"
	case ".webm":
		return "audio/webm"
	}
	return ""
}
