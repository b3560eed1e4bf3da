package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Receive authenticates a webhook request by its secret header (see
// verifySecret) and returns the events of the one Update it carries: a
// message or edit in a private chat, or addressed to the bot in a group, or
// a reaction. It returns EUNAUTHORIZED when the secret does not match and
// EINVALID when the body is not an Update. Other updates are skipped on
// purpose, logged at debug level, and acknowledged so that Telegram does not
// send them again.
func (a *Adapter) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if err := verifySecret(in.Credentials[CredSecretToken], h); err != nil {
		return nil, err
	}
	p := newParser(in, now)
	events, updateID, err := p.update(body)
	p.log(a, in, updateID)
	return events, err
}

// parser turns Updates of one bot into events.
type parser struct {
	bot         int64  // the bot's user id, 0 if unknown
	botUsername string // lower case, without "@"; "" if unknown
	now         time.Time
	skipped     []string
}

func newParser(in care.Inbox, now time.Time) *parser {
	return &parser{bot: inboxBotID(in), botUsername: strings.ToLower(strings.TrimPrefix(in.Credentials[CredBotUsername], "@")), now: now}
}

func (p *parser) skip(format string, args ...any) {
	p.skipped = append(p.skipped, fmt.Sprintf(format, args...))
}

// log notes, at debug level, what the parser skipped: skipping is the
// expected outcome for most of what a bot in a group sees.
func (p *parser) log(a *Adapter, in care.Inbox, updateID int64) {
	for _, s := range p.skipped {
		a.logger().Debug("telegram: update skipped", "inbox", in.ID, "update_id", updateID, "reason", s)
	}
	p.skipped = p.skipped[:0]
}

// update parses one Update into events, each with raw as its payload, and
// returns its update_id, Telegram's id of the delivery. Fields of an
// unexpected type are read as far as they go rather than failing the
// update, which Telegram would send again and again.
func (p *parser) update(raw []byte) ([]channel.Event, int64, error) {
	var u update
	if err := p.decode(raw, &u); err != nil {
		return nil, 0, care.Errorf(care.EINVALID, "the update is not a JSON object")
	}
	if u.UpdateID <= 0 {
		return nil, 0, care.Errorf(care.EINVALID, "the body has no update_id: it is not a Telegram update")
	}
	var ev channel.Event
	var ok bool
	switch {
	case u.Message != nil:
		ev, ok = p.message(u.Message, false, func() json.RawMessage { return field(raw, "message") })
	case u.EditedMessage != nil:
		ev, ok = p.message(u.EditedMessage, true, func() json.RawMessage { return field(raw, "edited_message") })
	case u.MessageReaction != nil:
		ev, ok = p.reaction(u.MessageReaction, u.UpdateID)
	case u.ChannelPost != nil || u.EditedChannelPost != nil:
		// A channel's posts are the brand's own broadcasts, not a customer
		// writing; comments on them arrive in the linked discussion group.
		p.skip("a channel post")
	case u.BusinessMessage != nil:
		p.skip("a message of a connected business account, which Parley does not handle")
	default:
		p.skip("an update of type %s", updateType(raw))
	}
	if !ok {
		return nil, u.UpdateID, nil
	}
	ev.Raw = raw
	return []channel.Event{ev}, u.UpdateID, nil
}

// decode unmarshals b into v. A value of the wrong type leaves its field
// empty and is noted; only malformed JSON is an error.
func (p *parser) decode(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		p.skip("a field of an unexpected type: %s", typeErr.Error())
		return nil
	}
	return err
}

// field returns the raw value of key in the JSON object b, nil if absent.
func field(b []byte, key string) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil
	}
	return obj[key]
}

// updateType names the optional field an Update carries, for the log.
func updateType(raw []byte) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return "unknown"
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if k != "update_id" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "none"
	}
	slices.Sort(keys)
	return fmt.Sprintf("%.40q", keys[0])
}

// message turns a message or an edit into an event. Private chats are
// conversations with one customer. In a group or supergroup the bot answers
// only what is addressed to it (see addressed), and in public: everyone in
// the group sees the answer. Channels have no customer. Messages from bots,
// and sent on behalf of a chat (anonymous admins, linked channels), are
// skipped: no person to answer.
func (p *parser) message(m *message, edited bool, raw func() json.RawMessage) (channel.Event, bool) {
	what := "message"
	if edited {
		what = "edit"
	}
	if m.MessageID <= 0 || m.Chat.ID == 0 {
		p.skip("a %s without a message or chat id", what)
		return channel.Event{}, false
	}
	id := MessageID(m.Chat.ID, m.MessageID)
	vis := care.Private
	var post *message // the channel post m comments on, in a discussion group
	switch m.Chat.Type {
	case "private":
	case "":
		// Older examples (the Bot API's own webhook guide among them) have
		// no chat type; users' ids, and so private chats', are positive.
		if m.Chat.ID < 0 {
			p.skip("%s %s in a chat without a type", what, id)
			return channel.Event{}, false
		}
	case "group", "supergroup":
		if m.IsAutomaticForward {
			p.skip("%s %s is the channel's post, copied to its discussion group", what, id)
			return channel.Event{}, false
		}
		// A comment on the channel's post is for the brand whether or not
		// it names the bot (see discussion.go).
		post = discussionPost(m)
		if post == nil && !p.addressed(m) {
			p.skip("%s %s in a group, not addressed to the bot", what, id)
			return channel.Event{}, false
		}
		vis = care.Public
	default:
		p.skip("%s %s in a chat of type %.20q", what, id, m.Chat.Type)
		return channel.Event{}, false
	}
	from := m.From
	if from == nil && vis == care.Private && m.SenderChat == nil {
		// In a private chat the chat is the person.
		from = &user{ID: m.Chat.ID, FirstName: m.Chat.FirstName, LastName: m.Chat.LastName, Username: m.Chat.Username}
	}
	switch {
	case m.SenderChat != nil:
		p.skip("%s %s sent on behalf of a chat", what, id)
		return channel.Event{}, false
	case from == nil || from.ID <= 0:
		p.skip("%s %s without a sender", what, id)
		return channel.Event{}, false
	case from.IsBot:
		p.skip("%s %s from a bot", what, id)
		return channel.Event{}, false
	}
	if edited && m.EditDate <= 0 {
		// Telegram also sends edited_message when something other than the
		// content changes: the first reaction to a message, among others,
		// comes as the same message without an edit_date (Update.edited_message
		// "may at times be triggered by changes to message fields that are
		// either unavailable or not actively used by your bot"; an edit date
		// of 0 means the message carries no "edited" label, tdlib/td#2294).
		// The customer changed nothing: there is no edit to show.
		p.skip("%s %s has no edit_date: a change that is no edit (a reaction, say)", what, id)
		return channel.Event{}, false
	}
	if edited && (m.Location != nil || m.Venue != nil) {
		// A live location is kept up to date by editing its message, every
		// few seconds while the customer moves (core.telegram.org/api/live-location);
		// each new position is no message of its own. The first delivery
		// already showed where they were.
		p.skip("%s %s moves a live location", what, id)
		return channel.Event{}, false
	}
	var kind string
	text, atts, ok := content(m, func() (k string, service bool) {
		kind, service = unknownKind(raw())
		return kind, service
	})
	if !ok {
		p.skip("%s %s is a service notice (%s)", what, id, kind)
		return channel.Event{}, false
	}
	in := care.Inbound{Kind: care.KindMessage, PlatformID: id, Visibility: vis, Author: author(from),
		Text: text, Attachments: atts, SentAt: p.sentAt(m.Date)}
	if r := m.ReplyToMessage; r != nil && r.MessageID > 0 {
		in.ReplyToPlatformID = MessageID(cmpChat(r.Chat.ID, m.Chat.ID), r.MessageID)
	}
	if post != nil {
		in.Subject = postSubject(post, m.Chat.ID)
	}
	if !edited && m.From != nil {
		// An album's part: the pipeline joins it with the others (album.go).
		in.Group = albumKey(m.Chat.ID, m.From.ID, m.MediaGroupID)
	}
	if edited {
		// Parley keeps what it was sent, so an edit is a message of its own,
		// shown as a reply to the message it changes. Its id names the edit
		// by Telegram's edit time, not by the update: the same edit delivered
		// again, or sent again when a reaction touches a message edited
		// before (it keeps its edit_date), is the same message; a second
		// edit is another.
		in.PlatformID = id + ":edit:" + strconv.FormatInt(m.EditDate, 10)
		in.ReplyToPlatformID = id
		in.Text = channel.CleanText("[Edited] "+in.Text, care.MaxTextBytes)
		in.SentAt = p.sentAt(m.EditDate)
	}
	return channel.Event{Inbound: in}, true
}

func cmpChat(chatID, fallback int64) int64 {
	if chatID != 0 {
		return chatID
	}
	return fallback
}

// addressed reports whether a group message is meant for the bot: a reply
// to one of its messages, a mention of it (by @username, which needs the
// inbox's bot_username, or a text_mention of its id), or a command
// addressed to it ("/help@bot_name"). In privacy mode, the default,
// Telegram sends a bot in a group little else; without it, the rest of the
// group's talk is not for Parley.
func (p *parser) addressed(m *message) bool {
	if r := m.ReplyToMessage; r != nil && r.From != nil && p.bot != 0 && r.From.ID == p.bot {
		return true
	}
	for _, ents := range []struct {
		text string
		list []entity
	}{{m.Text, m.Entities}, {m.Caption, m.CaptionEntities}} {
		for _, e := range ents.list {
			if e.Type == "text_mention" && e.User != nil && p.bot != 0 && e.User.ID == p.bot {
				return true
			}
		}
		if p.botUsername == "" {
			continue
		}
		for _, t := range entityTexts(ents.text, ents.list, "mention", "bot_command") {
			t = strings.ToLower(t)
			if t == "@"+p.botUsername || strings.HasPrefix(t, "/") && strings.HasSuffix(t, "@"+p.botUsername) {
				return true
			}
		}
	}
	return false
}

// reaction turns a change of a user's reactions into a reaction event:
// the emoji they now show, "" when they took their reaction back.
// Telegram sends these only when message_reaction is among the allowed
// updates. Anonymous reactions (on behalf of a chat), and reactions that
// are only custom emoji or paid stars, are skipped: the first have no
// person, the others no emoji to show.
func (p *parser) reaction(r *reactionUpdate, updateID int64) (channel.Event, bool) {
	if r.MessageID <= 0 || r.Chat.ID == 0 {
		p.skip("a reaction without a message or chat id")
		return channel.Event{}, false
	}
	target := MessageID(r.Chat.ID, r.MessageID)
	vis := care.Private
	switch r.Chat.Type {
	case "private":
	case "group", "supergroup":
		vis = care.Public
	default:
		p.skip("a reaction to %s in a chat of type %.20q", target, r.Chat.Type)
		return channel.Event{}, false
	}
	if r.User == nil || r.User.ID <= 0 || r.User.IsBot {
		p.skip("a reaction to %s without a person", target)
		return channel.Event{}, false
	}
	emoji := ""
	for _, t := range r.NewReaction {
		if t.Type == "emoji" && t.Emoji != "" {
			emoji = t.Emoji // the newest is last
		}
	}
	if emoji == "" && len(r.NewReaction) > 0 {
		p.skip("a custom emoji or paid reaction to %s", target)
		return channel.Event{}, false
	}
	// One id per change, stable when the update is delivered again.
	id := target + ":reaction:" + strconv.FormatInt(r.User.ID, 10) + ":" + strconv.FormatInt(updateID, 10)
	return channel.Event{Inbound: care.Inbound{Kind: care.KindReaction, PlatformID: id, ReplyToPlatformID: target,
		Visibility: vis, Author: author(r.User), Text: channel.CleanName(emoji, 64), SentAt: p.sentAt(r.Date)}}, true
}

// author is the care.Author of a Telegram user: their id, the name they
// chose and their @username without the "@".
func author(u *user) care.Author {
	return care.Author{PlatformUserID: strconv.FormatInt(u.ID, 10), DisplayName: name(u.FirstName, u.LastName),
		Handle: channel.CleanName(u.Username, care.MaxNameBytes)}
}

// Bounds on a plausible Telegram date: Telegram started in 2013, and a
// clock a day ahead of Parley's is not one to believe.
var telegramEpoch = time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// sentAt is a Telegram date in Unix seconds, or now when it is missing or
// implausible.
func (p *parser) sentAt(unix int64) time.Time {
	if unix < telegramEpoch || unix > p.now.Add(24*time.Hour).Unix() {
		return p.now
	}
	return time.Unix(unix, 0).UTC()
}
