// Package tgfake is a local stand-in for the Telegram Bot API, for tests and
// demos. It serves the methods Parley calls, at /bot<token>/<method> as
// api.telegram.org does, with the Bot API's envelopes and errors, and plays
// the customers: their messages, edits and reactions become Updates, posted
// to the bot's webhook with its secret header or queued for getUpdates.
//
//	f := tgfake.New()
//	srv := httptest.NewServer(f.Handler())  // point an inbox's api_base here
//	…                                       // Parley calls setWebhook, or polls
//	id, err := f.Deliver(ctx, tgfake.Message{From: tgfake.User{ID: 42, FirstName: "Ana"}, Text: "Hi"})
//	…                                       // Parley replies through srv
//	f.Sent()                                // what the bot sent
//
// A chat is known once someone wrote in it; sendMessage to any other chat
// fails with "chat not found", as Telegram answers for users who never
// started the bot. Migrate turns a basic group into a supergroup, after
// which sends to the group's old id fail with parameters.migrate_to_chat_id.
// Block makes a customer block the bot (403); Throttle and
// FailNext make the next sends fail with flood control (429 and
// retry_after) or a 500.
package tgfake

import (
	"net/http"
	"sync"
	"time"
)

// Defaults: a bot shaped like a real one.
const (
	DefaultBotID     = 7000000001
	DefaultToken     = "7000000001:AAHfakeTokenForParleyTests-0123456789_abc"
	DefaultUsername  = "parley_fake_bot"
	DefaultFirstName = "Parley Fake"
)

// MaxTextChars is sendMessage's limit on text, in Unicode code points.
const MaxTextChars = 4096

// Fake is a Telegram Bot API server for one bot. Set its fields before
// serving requests or delivering updates; after that, use its methods,
// which are safe for concurrent use.
type Fake struct {
	// Token is the bot token accepted in request paths; New sets
	// DefaultToken. Its digits before the colon are the bot's user id.
	Token string
	// Username and FirstName are the bot's, as getMe reports them.
	Username, FirstName string
	// Client posts webhook requests; nil means a client with a 10-second
	// timeout.
	Client *http.Client
	// Now is the fake's clock for message dates; nil means time.Now.
	Now func() time.Time

	mu         sync.Mutex
	lastUpdate int64
	chats      map[int64]*chatState
	queue      []queued
	webhook    WebhookInfo
	// pollAllowed is the allowed_updates of the last getUpdates that set
	// it.
	pollAllowed  []string
	sent         []Sent
	files        map[string]file
	throttle     int
	retryAfter   int
	serverErrors int
}

// New returns a fake bot with the default token and names and no webhook.
func New() *Fake {
	return &Fake{Token: DefaultToken, Username: DefaultUsername, FirstName: DefaultFirstName, chats: map[int64]*chatState{}, lastUpdate: 100000}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// chatState is what the fake remembers of a chat.
type chatState struct {
	chat     Chat
	user     User // of a private chat
	lastID   int64
	messages map[int64]stored
	blocked  bool
	// migratedTo is the supergroup this basic group became, 0 if none.
	migratedTo int64
}

func (s *chatState) json() map[string]any { return s.chat.json(s.user) }

// stored is a message of a chat, for reply_to_message.
type stored struct {
	from User // zero for the bot's own
	bot  bool
	date int64
	text string
	// update is the Message object last delivered for a customer's
	// message, its edit included, which Telegram sends again when the
	// message gets its first reaction.
	update  map[string]any
	reacted bool
}

// chat returns the state of c, creating it. Callers hold f.mu.
func (f *Fake) chat(c Chat) *chatState {
	s, ok := f.chats[c.ID]
	if !ok {
		s = &chatState{chat: c, messages: map[int64]stored{}}
		f.chats[c.ID] = s
	}
	return s
}

// Sent is a message the bot sent with sendMessage.
type Sent struct {
	ChatID    int64
	MessageID int64
	Text      string
	// ParseMode is the parse_mode the request asked for, "" for none.
	ParseMode string
	// ReplyTo is reply_parameters.message_id (or the deprecated
	// reply_to_message_id), 0 for none.
	ReplyTo int64
	// Body is the request as received: JSON, or the form encoded.
	Body []byte
	At   time.Time
}

// Sent returns the messages the bot sent, oldest first.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Sent, len(f.sent))
	copy(out, f.sent)
	return out
}

// WebhookInfo is the bot's webhook as setWebhook left it.
type WebhookInfo struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
}

// Webhook returns the bot's webhook; its URL is "" when none is set.
func (f *Fake) Webhook() WebhookInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

// SetWebhook sets the bot's webhook as a setWebhook call would.
func (f *Fake) SetWebhook(w WebhookInfo) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhook = w
}

// Pending returns how many updates wait for getUpdates.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}

// Block makes the user of private chat chatID block the bot: sends to it
// fail with 403 "Forbidden: bot was blocked by the user".
func (f *Fake) Block(chatID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chat(Chat{ID: chatID, Type: "private"}).blocked = true
}

// Migrate upgrades basic group from to a supergroup with id to, as
// Telegram does when a group grows or an admin changes certain settings:
// sends to from then fail with 400 and parameters.migrate_to_chat_id, and
// to is a new chat with the group's title whose message ids start again
// from 1.
func (f *Fake) Migrate(from, to int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.chat(Chat{ID: from, Type: "group"})
	g.migratedTo = to
	f.chat(Chat{ID: to, Type: "supergroup", Title: g.chat.Title})
}

// Throttle makes the next n sends fail with 429 and retry_after seconds.
func (f *Fake) Throttle(n, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle, f.retryAfter = n, retryAfter
}

// FailNext makes the next n sends fail with 500.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.serverErrors = n
}
