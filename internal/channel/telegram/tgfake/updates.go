package tgfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"time"
)

// SecretHeader carries the webhook's secret_token on every update posted.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// User is a Telegram user writing to the bot.
type User struct {
	ID                            int64
	FirstName, LastName, Username string
}

func (u User) json(bot bool) map[string]any {
	m := map[string]any{"id": u.ID, "is_bot": bot, "first_name": u.FirstName}
	if u.LastName != "" {
		m["last_name"] = u.LastName
	}
	if u.Username != "" {
		m["username"] = u.Username
	}
	if !bot {
		m["language_code"] = "en"
	}
	return m
}

// Chat is a chat the bot is in: "private" (its id is the user's), "group"
// or "supergroup" (negative ids, a title).
type Chat struct {
	ID    int64
	Type  string
	Title string
}

// json renders c as the Bot API's Chat; a private chat carries its user's
// names.
func (c Chat) json(u User) map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type}
	if c.Type == "private" {
		m["first_name"] = u.FirstName
		if u.LastName != "" {
			m["last_name"] = u.LastName
		}
		if u.Username != "" {
			m["username"] = u.Username
		}
	} else {
		m["title"] = c.Title
	}
	return m
}

// Message is a customer's message for the fake to deliver.
type Message struct {
	From User
	// Chat is where it is written; nil means the private chat with From.
	Chat *Chat
	// Text is the message's text; for media, put the caption in Content.
	Text string
	// ReplyTo is the id of the message of the chat it answers, 0 for none.
	ReplyTo int64
	// Entities are its MessageEntity objects, e.g. a mention of the bot.
	Entities []map[string]any
	// Content is merged into the Message object: {"photo": […],
	// "caption": …}, {"location": {…}}, any field of the Bot API's Message.
	Content map[string]any
	// Time is when it was sent; the fake's now when zero.
	Time time.Time
}

// Deliver writes m as its customer and returns its message_id. The
// update goes to the webhook when the bot has one (with the secret header;
// an error when it does not answer 200) and waits for getUpdates otherwise.
func (f *Fake) Deliver(ctx context.Context, m Message) (int64, error) {
	if m.From.ID <= 0 {
		return 0, errors.New("tgfake: a message needs a sender with a positive id")
	}
	c := Chat{ID: m.From.ID, Type: "private"}
	if m.Chat != nil {
		c = *m.Chat
	}
	at := m.Time
	f.mu.Lock()
	if at.IsZero() {
		at = f.now()
	}
	s := f.chat(c)
	if c.Type == "private" {
		s.user = m.From
	}
	var reply map[string]any
	if m.ReplyTo != 0 {
		reply, _ = f.replied(s, m.ReplyTo)
	}
	s.lastID++
	id := s.lastID
	msg := map[string]any{"message_id": id, "from": m.From.json(false), "chat": s.json(), "date": at.Unix()}
	if m.Text != "" {
		msg["text"] = m.Text
	}
	if len(m.Entities) > 0 {
		msg["entities"] = m.Entities
	}
	if reply != nil {
		msg["reply_to_message"] = reply
	}
	for k, v := range m.Content {
		msg[k] = v
	}
	s.messages[id] = stored{from: m.From, date: at.Unix(), text: m.Text, update: msg}
	f.mu.Unlock()
	return id, f.dispatch(ctx, "message", msg)
}

// replied renders message id of chat s as a reply_to_message. Callers
// hold f.mu.
func (f *Fake) replied(s *chatState, id int64) (map[string]any, bool) {
	st, ok := s.messages[id]
	if !ok {
		return nil, false
	}
	from := st.from.json(false)
	if st.bot {
		from = f.botUser()
	}
	r := map[string]any{"message_id": id, "from": from, "chat": s.json(), "date": st.date}
	if st.text != "" {
		r["text"] = st.text
	}
	return r, true
}

// Edit changes the text of message messageID, which from wrote in chat
// chatID, and delivers the edited_message update.
func (f *Fake) Edit(ctx context.Context, from User, chatID, messageID int64, text string) error {
	f.mu.Lock()
	s, ok := f.chats[chatID]
	var st stored
	if ok {
		st, ok = s.messages[messageID]
	}
	if !ok || st.bot || st.from.ID != from.ID {
		f.mu.Unlock()
		return fmt.Errorf("tgfake: user %d wrote no message %d in chat %d", from.ID, messageID, chatID)
	}
	msg := map[string]any{"message_id": messageID, "from": from.json(false), "chat": s.json(),
		"date": st.date, "edit_date": f.now().Unix(), "text": text}
	st.text, st.update = text, msg
	s.messages[messageID] = st
	f.mu.Unlock()
	return f.dispatch(ctx, "edited_message", msg)
}

// React sets from's reaction on message messageID of chat chatID to emoji,
// "" taking it back, and delivers the message_reaction update. Telegram
// sends these only to bots that asked for them in allowed_updates.
//
// The first reaction to a customer's message also makes Telegram send that
// message again as an edited_message, unchanged: without edit_date if it
// was never edited, with the date of its last edit otherwise
// (tdlib/telegram-bot-api#773; Update.edited_message "may at times be
// triggered by changes to message fields that are either unavailable or not
// actively used by your bot"). React delivers it after the reaction.
func (f *Fake) React(ctx context.Context, from User, chatID, messageID int64, emoji, previous string) error {
	f.mu.Lock()
	s, ok := f.chats[chatID]
	var st stored
	if ok {
		st, ok = s.messages[messageID]
	}
	if !ok {
		f.mu.Unlock()
		return fmt.Errorf("tgfake: chat %d has no message %d", chatID, messageID)
	}
	var touched map[string]any
	if !st.bot && !st.reacted && emoji != "" && st.update != nil {
		touched = maps.Clone(st.update)
		st.reacted = true
		s.messages[messageID] = st
	}
	reactions := func(e string) []any {
		if e == "" {
			return []any{}
		}
		return []any{map[string]string{"type": "emoji", "emoji": e}}
	}
	r := map[string]any{"chat": s.json(), "message_id": messageID, "user": from.json(false),
		"date": f.now().Unix(), "old_reaction": reactions(previous), "new_reaction": reactions(emoji)}
	f.mu.Unlock()
	if err := f.dispatch(ctx, "message_reaction", r); err != nil || touched == nil {
		return err
	}
	return f.dispatch(ctx, "edited_message", touched)
}

// dispatch wraps v in an Update of type typ and sends or queues it.
func (f *Fake) dispatch(ctx context.Context, typ string, v any) error {
	f.mu.Lock()
	f.lastUpdate++
	id := f.lastUpdate
	body, err := json.Marshal(map[string]any{"update_id": id, typ: v})
	if err != nil {
		f.mu.Unlock()
		return fmt.Errorf("tgfake: encode update: %w", err)
	}
	wh := f.webhook
	if wh.URL == "" {
		if allowed(f.pollAllowed, typ) {
			f.queue = append(f.queue, queued{id: id, typ: typ, body: body})
		}
		f.mu.Unlock()
		return nil
	}
	f.mu.Unlock()
	if !allowed(wh.AllowedUpdates, typ) {
		return nil
	}
	_, err = f.post(ctx, wh, body)
	return err
}

// allowed reports whether an update of type typ reaches a bot that asked
// for list: an empty list means every type but chat_member,
// message_reaction and message_reaction_count (setWebhook, allowed_updates).
func allowed(list []string, typ string) bool {
	if len(list) == 0 {
		return typ != "chat_member" && typ != "message_reaction" && typ != "message_reaction_count"
	}
	return slices.Contains(list, typ)
}

// queued is an update waiting for getUpdates.
type queued struct {
	id   int64
	typ  string
	body []byte
}

// Queue adds update, a whole Update object with its update_id, to those
// getUpdates returns, whatever its type.
func (f *Fake) Queue(update []byte) error {
	var u struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(update, &u); err != nil || u.UpdateID <= 0 {
		return errors.New("tgfake: an update needs a positive update_id")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, queued{id: u.UpdateID, body: append([]byte(nil), update...)})
	f.lastUpdate = max(f.lastUpdate, u.UpdateID)
	return nil
}

// Post sends body, any bytes, to the webhook as Telegram would, with the
// secret header, and returns the HTTP status: for updates the fake cannot
// make, and for deliveries Telegram repeats.
func (f *Fake) Post(ctx context.Context, body []byte) (int, error) {
	wh := f.Webhook()
	if wh.URL == "" {
		return 0, errors.New("tgfake: the bot has no webhook")
	}
	return f.post(ctx, wh, body)
}

func (f *Fake) post(ctx context.Context, wh WebhookInfo, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("tgfake: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if wh.SecretToken != "" {
		req.Header.Set(SecretHeader, wh.SecretToken)
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return 0, fmt.Errorf("tgfake: post update: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("tgfake: webhook answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

func (f *Fake) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}
