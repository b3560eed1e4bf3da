package telegram

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// sendRequest is sendMessage's body. parse_mode is never set: an agent's
// text goes out as the customer should read it, not as Markdown or HTML
// that Telegram would interpret or refuse.
type sendRequest struct {
	ChatID          int64            `json:"chat_id"`
	Text            string           `json:"text"`
	ReplyParameters *replyParameters `json:"reply_parameters,omitempty"`
}

// replyParameters quotes the message answered. It replaced
// reply_to_message_id in Bot API 7.0; allow_sending_without_reply sends
// the reply even when the customer has deleted that message.
type replyParameters struct {
	MessageID                int64 `json:"message_id"`
	AllowSendingWithoutReply bool  `json:"allow_sending_without_reply,omitempty"`
}

// sentMessage is what Parley reads of the Message sendMessage returns.
type sentMessage struct {
	MessageID int64 `json:"message_id"`
	Chat      struct {
		ID int64 `json:"id"`
	} `json:"chat"`
}

// Send delivers one reply with sendMessage and returns its platform id,
// "<chat_id>:<message_id>". A private reply goes to the contact's Telegram
// user id, which is their private chat with the bot; a public one to the
// group of the message it answers. It returns a permanent
// *channel.SendError when the inbox or reply cannot work (see CheckReply) or
// Telegram refuses for good (blocked bot, unknown chat, bad token), a
// temporary one under flood control (with Telegram's retry_after), when
// Telegram fails or does not answer in time.
//
// The Bot API has no idempotency key: when an answer is lost after
// Telegram accepted a message, the retry sends it twice.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	if err := checkText(out.Message.Text, out.Message.Attachments); err != nil {
		return channel.Result{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	req := sendRequest{Text: out.Message.Text}
	if out.Message.Visibility == care.Public {
		chat, ok := sendPublicChat(out)
		if !ok {
			return channel.Result{}, channel.Permanent("a public Telegram reply needs the group message it answers", nil)
		}
		req.ChatID = chat
	} else {
		rcpt, ok := out.Recipient()
		if !ok {
			return channel.Result{}, channel.Permanent("the contact has no Telegram identity", nil)
		}
		chat, ok := parseChatID(rcpt.PlatformUserID)
		if !ok || chat < 0 {
			return channel.Result{}, channel.Permanent("the contact's Telegram identity is not a user id", nil)
		}
		req.ChatID = chat
	}
	// A reply quotes its message only within the same chat: a private
	// answer to a group message is sent without the quote.
	if chat, msg, ok := ParseMessageID(out.Message.ReplyToPlatformID); ok && chat == req.ChatID {
		req.ReplyParameters = &replyParameters{MessageID: msg, AllowSendingWithoutReply: true}
	}
	result, err := a.call(ctx, out.Inbox, "sendMessage", req, maxResponseBytes)
	res := channel.Result{Status: care.DeliverySent}
	switch {
	case errors.Is(err, errUnread):
		// Telegram has the message; an answer Parley cannot read costs only
		// the id, as retrying would send it twice.
		return res, nil
	case err != nil:
		return channel.Result{}, err
	}
	var m sentMessage
	if json.Unmarshal(result, &m) == nil && m.MessageID > 0 {
		res.PlatformID = MessageID(cmpChat(m.Chat.ID, req.ChatID), m.MessageID)
	}
	return res, nil
}

// sendPublicChat is the group a public reply goes to: that of the message
// it answers, else of the customer's newest public message.
func sendPublicChat(out channel.Outbound) (int64, bool) {
	if chat, _, ok := ParseMessageID(out.Message.ReplyToPlatformID); ok && chat < 0 {
		return chat, true
	}
	return publicChat(nil, out.LastInbound)
}
