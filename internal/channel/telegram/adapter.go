package telegram

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DefaultBaseURL is the Bot API server. Methods are called at
// {base}/bot{token}/{method} (core.telegram.org/bots/api#making-requests).
const DefaultBaseURL = "https://api.telegram.org"

// Credential keys of a Telegram inbox.
const (
	CredBotToken    = "bot_token"
	CredSecretToken = "secret_token"
	CredBotUsername = "bot_username"
	CredMode        = "mode"
	CredAPIBase     = channel.CredAPIBase
)

// Values of the mode credential.
const (
	// ModeWebhook, the default, has Telegram push updates to Parley.
	ModeWebhook = "webhook"
	// ModePolling fetches updates with getUpdates, for a Parley without a
	// public HTTPS URL.
	ModePolling = "polling"
)

// SecretHeader carries the inbox's secret_token on every webhook request
// Telegram makes (setWebhook, secret_token).
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// AllowedUpdates are the update types Parley asks for, in setWebhook and
// getUpdates. message_reaction is never sent unless asked for by name.
var AllowedUpdates = []string{"message", "edited_message", "message_reaction"}

// Adapter connects Telegram bots. Register it once:
//
//	r.Register(care.ChannelTelegram, &telegram.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the Bot API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the context given to Send.
	Client *http.Client
	// BaseURL is the Bot API server; "" means DefaultBaseURL. An inbox's
	// api_base credential overrides it.
	BaseURL string
	// Now is the clock for timestamps and the poll cursor; nil means
	// time.Now.
	Now func() time.Time
	// Logger notes, at debug level, what Receive and Poll skip on purpose
	// (channel posts, group chatter, other update types); nil means
	// slog.Default().
	Logger *slog.Logger
}

var (
	_ channel.Sender  = (*Adapter)(nil)
	_ channel.Webhook = (*Adapter)(nil)
	_ channel.Poller  = (*Adapter)(nil)
	_ channel.Policy  = (*Adapter)(nil)
	_ channel.Setup   = (*Adapter)(nil)
)

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Adapter) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *Adapter) client() *http.Client { return channel.NoRedirects(a.Client) }

// baseURL returns the inbox's Bot API server without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// maxTokenBytes bounds a bot token; real ones are about 46 bytes.
const maxTokenBytes = 128

// botID returns the bot's user id, the digits before the colon of its
// token ("123456:ABC-DEF…"), or 0 when the token is not shaped like one.
func botID(token string) int64 {
	id, secret, ok := strings.Cut(token, ":")
	if !ok || len(token) > maxTokenBytes || !tokenChars(secret, maxTokenBytes) {
		return 0
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || !isDigits(id) {
		return 0
	}
	return n
}

// inboxBotID is the bot's id for an inbox: its external id, which Prepare
// sets from the token, else the token's.
func inboxBotID(in care.Inbox) int64 {
	if n, err := strconv.ParseInt(in.ExternalID, 10, 64); err == nil && n > 0 && isDigits(in.ExternalID) {
		return n
	}
	return botID(in.Credentials[CredBotToken])
}

// tokenChars reports whether s is 1 to max bytes of A-Z, a-z, 0-9, '_' and
// '-': the alphabet of bot tokens' secret part and of webhook secret tokens.
func tokenChars(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
