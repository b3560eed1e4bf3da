package telegram

import (
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxTextChars is sendMessage's limit: "Text of the message to be sent,
// 1-4096 characters after entities parsing"
// (core.telegram.org/bots/api#sendmessage). The characters are Unicode code
// points: the Bot API server refuses a bot's text when
// utf8_length(text) > message_text_length_max ("Message is too long"; tdlib,
// td/telegram/MessageContent.cpp), not UTF-16 units as entity offsets are.
// Parley sends plain text, without parse_mode, so nothing is parsed away.
const MaxTextChars = 4096

// CheckReply refuses, with EINVALID and what to do instead, a reply
// Telegram would refuse: an empty one, one over MaxTextChars, one with
// attachments (Parley sends Telegram replies as text), and a public reply
// in a conversation that has no group message to answer. Telegram has no
// messaging window: a bot may write to anyone who started it.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if err := checkText(c.Text, c.Attachments); err != nil {
		return err
	}
	if c.Visibility == care.Public {
		if _, ok := publicChat(c.ReplyTo, c.LastInbound); !ok {
			return care.Errorf(care.EINVALID, "Only group messages addressed to the bot can be answered in public on Telegram: reply privately.")
		}
	}
	return nil
}

// checkText returns EINVALID unless text and atts make one Telegram text
// message.
func checkText(text string, atts []care.Attachment) error {
	if len(atts) > 0 {
		return care.Errorf(care.EINVALID, "Parley sends Telegram replies as text only: remove the attachment, or paste a link to it.")
	}
	if strings.TrimSpace(text) == "" {
		return care.Errorf(care.EINVALID, "Telegram cannot send an empty message.")
	}
	if n := utf8.RuneCountInString(text); n > MaxTextChars {
		return care.Errorf(care.EINVALID, "Telegram messages are limited to %d characters; this one has %d. Shorten it or split it into two replies.", MaxTextChars, n)
	}
	return nil
}

// publicChat returns the group chat a public reply goes to: that of the
// message answered, else of the customer's newest public message. Only
// groups have public messages in Parley; their ids are negative.
func publicChat(replyTo, last *care.Message) (int64, bool) {
	for _, m := range []*care.Message{replyTo, last} {
		if m == nil || m.Visibility != care.Public {
			continue
		}
		if chat, _, ok := ParseMessageID(m.PlatformID); ok && chat < 0 {
			return chat, true
		}
	}
	return 0, false
}
