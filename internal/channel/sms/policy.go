package sms

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Limits of one message through the Messages resource
// (".../docs/messaging/api/message-resource"): a Body of up to 1,600
// characters, which Twilio counts in UTF-16 code units (an emoji counts 2),
// and up to 10 MediaUrl.
const (
	MaxBodyChars = 1600
	MaxMedia     = 10
)

// CheckReply refuses, with EINVALID and what to do instead, a reply Twilio
// would refuse or Parley must not send: a public one (SMS is private), a
// body over 1,600 characters, more than ten attachments or one that is not
// an http(s) link, an empty one, and any reply to a customer whose last
// message opted them out (STOP and its synonyms), since Twilio refuses
// every message to them with error 21610 until they text START. Length in
// segments is never refused: a long message costs more, but goes out.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if c.Visibility == care.Public {
		return care.Errorf(care.EINVALID, "SMS messages are private: reply privately.")
	}
	if optedOut(c.LastInbound) {
		return care.Errorf(care.EINVALID, "The customer replied STOP and is opted out of SMS from this number; they must text START before you can message them.")
	}
	return checkContent(c.Text, c.Attachments)
}

// checkContent returns EINVALID, with a message for the agent, for a reply
// that cannot be one Twilio message.
func checkContent(text string, atts []care.Attachment) error {
	switch n := bodyLength(text); {
	case strings.TrimSpace(text) == "" && len(atts) == 0:
		return care.Errorf(care.EINVALID, "The message is empty.")
	case n > MaxBodyChars:
		return care.Errorf(care.EINVALID, "SMS messages are limited to %d characters (an emoji counts as 2); this one has %d. Shorten it by %d, or send it as two messages.", MaxBodyChars, n, n-MaxBodyChars)
	case len(atts) > MaxMedia:
		return care.Errorf(care.EINVALID, "Twilio sends at most %d attachments with a message; this one has %d. Send the rest in another message.", MaxMedia, len(atts))
	}
	for _, att := range atts {
		if !httpURL(att.URL) {
			return care.Errorf(care.EINVALID, "Twilio fetches attachments from a public http or https link; %.80q is not one.", att.URL)
		}
	}
	return nil
}
