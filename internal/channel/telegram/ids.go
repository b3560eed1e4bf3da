package telegram

import (
	"strconv"
	"strings"
)

// A Telegram message_id is unique only within its chat (in private chats
// and basic groups it counts the bot's own mailbox), so Parley names a
// message "<chat_id>:<message_id>", unique for the bot.

// MessageID returns Parley's platform id of message messageID in chat chatID.
func MessageID(chatID int64, messageID int64) string {
	return strconv.FormatInt(chatID, 10) + ":" + strconv.FormatInt(messageID, 10)
}

// ParseMessageID reads a platform id made by MessageID, ignoring any suffix
// after a second colon (an edit's ":edit:…"). ok is false for anything else.
func ParseMessageID(id string) (chatID, messageID int64, ok bool) {
	chat, rest, found := strings.Cut(id, ":")
	if !found {
		return 0, 0, false
	}
	msg, _, _ := strings.Cut(rest, ":")
	c, err1 := strconv.ParseInt(chat, 10, 64)
	m, err2 := strconv.ParseInt(msg, 10, 64)
	// Only the canonical form: "01:1" is not an id Parley made.
	if err1 != nil || err2 != nil || c == 0 || m <= 0 || strconv.FormatInt(c, 10) != chat || strconv.FormatInt(m, 10) != msg {
		return 0, 0, false
	}
	return c, m, true
}

// parseChatID reads a chat id as Parley stores it: an identity's user id
// or the first part of a platform id. Private chats' ids are the user's id;
// groups' are negative.
func parseChatID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}
