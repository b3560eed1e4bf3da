// Package telegram is Parley's adapter for Telegram bots, through the Bot
// API (core.telegram.org/bots/api). One inbox is one bot: its ExternalID is
// the bot's user id, and its credentials are:
//
//	bot_token     the token @BotFather gave, "123456789:AAH…" (required)
//	secret_token  sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every
//	              webhook request; Prepare generates one if absent
//	bot_username  the bot's @username, to recognise mentions in groups (optional)
//	mode          "webhook" (the default) or "polling" (getUpdates, for a Parley
//	              without a public HTTPS URL)
//	api_base      overrides the Bot API server, e.g. to point the inbox at a local
//	              fake (optional; default DefaultBaseURL)
//
// # Inbound
//
// Telegram posts one Update per request to the URL given to setWebhook
// (SetWebhook makes that call; Instructions shows it). Receive checks the
// secret header in constant time and returns at most one event; Poll reads
// the same Updates with getUpdates. A message is named "<chat_id>:<message_id>"
// (message ids are unique only per chat), the same however it arrives and
// however often Telegram repeats it; update_id, the delivery's id, is only
// logged.
//
//   - Private chats are a conversation with one customer: every message
//     becomes a private message, media as attachments whose URL is
//     "telegram-file:<file_id>" (getFile downloads them), a location or
//     venue as a "geo:" URI (RFC 5870), a contact, poll or dice as text, and
//     kinds Parley does not know as a bracketed placeholder naming them.
//     Words linked to an address (text_link) are shown with it,
//     "words (https://…)". Service messages (a pinned message, a changed
//     title, a payment, a gift, a Mini App's data) are skipped.
//   - Groups and supergroups: a message addressed to the bot (a reply to
//     one of its messages, an @mention, a /command@bot) becomes a public
//     message, answered in the group; the rest of the group's talk is
//     skipped. In privacy mode, the default, Telegram sends a bot little
//     else.
//   - A comment on a post of a channel, in the channel's discussion group
//     (a message replying to the group's automatic copy of the post),
//     becomes a public message too, whether or not it addresses the bot,
//     with a subject naming the post so that a customer's comments on it
//     stay one conversation (discussion.go).
//   - Channel posts are skipped: they are the channel's own broadcasts, and
//     so are their copies in the discussion group.
//   - The parts of an album (one media_group_id) become one message with
//     every part as an attachment: read in one getUpdates page, they are
//     one event; otherwise, and always to a webhook, each part's event
//     names its album (care.Inbound.Group) and the pipeline joins them
//     (album.go).
//   - An edit becomes a message of its own, "[Edited] …", shown as a reply
//     to the message it changes and named "<chat_id>:<message_id>:edit:<edit_date>".
//     The edits by which a customer's app moves a live location are
//     skipped, and so is an edited_message without edit_date: Telegram
//     sends one when a message gets its first reaction, among other
//     changes that are no edit.
//   - A message_reaction update becomes a care.KindReaction event on the
//     message reacted to; only emoji reactions are shown.
//   - Messages from bots or sent on behalf of a chat, business messages and
//     every other update type are skipped, logged at debug level.
//
// The author is the sender's user id, first and last name, and @username
// (without "@") as handle.
//
// # Outbound
//
// Send posts sendMessage with the reply's text as plain text (no
// parse_mode), to the customer's user id (their private chat with the bot)
// or, for a public reply, to the group of the message answered; a reply to a
// particular message in the same chat quotes it with reply_parameters, and a
// public reply to none quotes the customer's newest message, which keeps it
// in a channel post's comment thread. When
// a basic group has become a supergroup, Telegram refuses the send with
// parameters.migrate_to_chat_id and Send resends once to the supergroup,
// without the quote.
// Telegram has no delivery receipts for bots: a reply is sent or failed.
// Flood control (429) is retried after Telegram's retry_after; a blocked bot
// (403) fails for good with a reason the agent can read.
//
// docs/channels/telegram.md explains how to connect a bot.
package telegram
