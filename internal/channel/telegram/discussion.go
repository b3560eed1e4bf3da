package telegram

import (
	"strconv"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// A brand's Telegram channel can have a linked discussion group, a
// supergroup where its subscribers comment on its posts. Telegram copies
// each channel post into that group (the copy has is_automatic_forward,
// sender_chat set to the channel and forward_origin naming the post), and a
// comment is a message in the group that replies to the copy: its
// reply_to_message is the copy and its message_thread_id the copy's
// message_id (core.telegram.org/bots/api#message, is_automatic_forward and
// message_thread_id; core.telegram.org/api/threads). The bot sees them when
// it is a member of the group that reads its messages (an administrator, or
// with privacy mode off).
//
// Such a comment is a customer speaking in public about the brand's post,
// as a comment under a Facebook post is, though it neither mentions the bot
// nor replies to it. A reply to another member's comment is not taken for
// one: its reply_to_message is that comment, and message_thread_id is set
// for every reply chain of a supergroup, channel post or not, so nothing in
// the update tells it from the group's own talk.

// commentPrefix starts the subject of a comment's conversation.
const commentPrefix = "Comment on Telegram channel post"

// discussionPost returns the group's copy of the channel post that m
// comments on, nil when m is no comment on a channel post. Forum topics
// are threads of their own, not comments.
func discussionPost(m *message) *message {
	r := m.ReplyToMessage
	if r == nil || !r.IsAutomaticForward || m.IsTopicMessage || r.MessageID <= 0 {
		return nil
	}
	if r.Chat.ID != 0 && r.Chat.ID != m.Chat.ID {
		return nil // a reply quoting another chat (external_reply) is no comment here
	}
	if m.MessageThreadID != 0 && m.MessageThreadID != r.MessageID {
		return nil
	}
	return r
}

// postSubject names the channel post a comment is under, so that a
// customer's comments on one post are one conversation (the core joins a
// message to a recent conversation of its author with the same subject):
// the post's public link t.me/<channel>/<id> when the channel has a
// username, else the channel's title and the id of the group's copy.
func postSubject(post *message, group int64) string {
	if o := post.ForwardOrigin; o != nil && o.Type == "channel" && o.Chat != nil && o.MessageID > 0 &&
		o.Chat.Username != "" && tokenChars(o.Chat.Username, 32) {
		return commentPrefix + " t.me/" + o.Chat.Username + "/" + strconv.FormatInt(o.MessageID, 10)
	}
	title := ""
	if c := post.SenderChat; c != nil {
		title = channel.CleanName(c.Title, 64)
	}
	s := commentPrefix + " " + MessageID(group, post.MessageID)
	if title != "" {
		s = commentPrefix + " in " + title + " (" + MessageID(group, post.MessageID) + ")"
	}
	return channel.CleanName(s, care.MaxNameBytes)
}
