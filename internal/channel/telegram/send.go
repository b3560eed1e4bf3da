package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
// group of the message it answers; when that group has become a
// supergroup, it is resent there once (see resendMigrated), and the id
// names the supergroup. It returns a permanent
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
	quote := out.Message.ReplyToPlatformID
	if _, _, ok := ParseMessageID(quote); !ok && out.Message.Visibility == care.Public && out.LastInbound != nil {
		// A public answer to no message in particular answers the
		// customer's newest one. In a channel's discussion group that is
		// what puts it under the post, in the comment thread: replying to
		// a comment is how a message joins its thread, since sendMessage's
		// message_thread_id is "for forum supergroups only"
		// (core.telegram.org/bots/api#sendmessage) and a discussion group
		// is no forum.
		quote = out.LastInbound.PlatformID
	}
	// A reply quotes its message only within the same chat: a private
	// answer to a group message is sent without the quote.
	if chat, msg, ok := ParseMessageID(quote); ok && chat == req.ChatID {
		req.ReplyParameters = &replyParameters{MessageID: msg, AllowSendingWithoutReply: true}
	}
	result, err := a.call(ctx, out.Inbox, "sendMessage", req, maxResponseBytes)
	if to, ok := migratedTo(err); ok && req.ChatID < 0 && to < 0 && to != req.ChatID {
		result, err = a.resendMigrated(ctx, out.Inbox, &req, to)
	}
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

// resendMigrated sends req again to supergroup to, which the basic group
// req.ChatID became, and leaves req addressed there for reading the answer:
// Telegram refuses every send to the old id and names the new one in
// parameters.migrate_to_chat_id
// (core.telegram.org/bots/api#responseparameters). Only a group is followed
// (the caller checks both ids are negative): a private reply never leaves
// the customer's chat. The quote is dropped, since message ids are counted
// anew in the supergroup and the one answered would name another message
// there. A second migration is not followed: a group migrates once, and a
// chain would be Telegram misbehaving, not a group moving.
//
// Send cannot remember the move for later replies: a public reply is
// addressed by the message it answers or the customer's newest public
// message, both stored with the old group's id, and the Result names only
// the sent message (in the supergroup, so answers to it come from there).
// Each later reply addressed to the old group therefore costs one refused
// request before this resend; once the customer writes in the supergroup,
// replies to their new messages go there directly.
func (a *Adapter) resendMigrated(ctx context.Context, in care.Inbox, req *sendRequest, to int64) (json.RawMessage, error) {
	from := req.ChatID
	req.ChatID, req.ReplyParameters = to, nil
	result, err := a.call(ctx, in, "sendMessage", req, maxResponseBytes)
	var se *channel.SendError
	if again, ok := migratedTo(err); ok && errors.As(err, &se) {
		se.Reason = fmt.Sprintf("the group %d became supergroup %d, which Telegram says became %d in turn; the customer must write to the bot there again", from, to, again)
	}
	return result, err
}

// sendPublicChat is the group a public reply goes to: that of the message
// it answers, else of the customer's newest public message.
func sendPublicChat(out channel.Outbound) (int64, bool) {
	if chat, _, ok := ParseMessageID(out.Message.ReplyToPlatformID); ok && chat < 0 {
		return chat, true
	}
	return publicChat(nil, out.LastInbound)
}
