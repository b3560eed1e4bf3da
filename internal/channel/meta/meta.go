package meta

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DefaultBaseURL is the Graph API version the adapters speak. v26.0 is the
// newest version in Meta's changelog (developers.facebook.com/docs/graph-api/changelog).
const DefaultBaseURL = "https://graph.facebook.com/v26.0"

// Credential names in an inbox's Credentials; see the package documentation.
const (
	CredAppSecret       = "app_secret"
	CredVerifyToken     = "verify_token"
	CredPageAccessToken = "page_access_token"
	CredAccessToken     = "access_token"
	CredAppID           = "app_id"
	CredAPIBase         = channel.CredAPIBase
)

// Messenger is the adapter for Facebook Pages: Messenger conversations and
// comments on the Page's posts. Its zero value is ready to use and it is safe
// for concurrent use.
type Messenger struct {
	// Client makes Graph API requests; nil means a client on
	// http.DefaultTransport. Redirects are never followed.
	Client *http.Client
	// BaseURL is the Graph API root including its version; "" means
	// DefaultBaseURL. An inbox's api_base credential overrides it.
	BaseURL string
	// Now is the clock for messaging windows; nil means time.Now.
	Now func() time.Time
	// Logger receives what deliveries hold that Parley skips; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Instagram is the adapter for Instagram professional accounts: direct
// messages, comments on the account's media and @mentions. Its zero value is
// ready to use and it is safe for concurrent use.
type Instagram struct {
	// Client, BaseURL, Now and Logger are as for Messenger.
	Client  *http.Client
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

var (
	_ channel.Sender    = (*Messenger)(nil)
	_ channel.Webhook   = (*Messenger)(nil)
	_ channel.Policy    = (*Messenger)(nil)
	_ channel.Moderator = (*Messenger)(nil)
	_ channel.Setup     = (*Messenger)(nil)
	_ channel.Sender    = (*Instagram)(nil)
	_ channel.Webhook   = (*Instagram)(nil)
	_ channel.Policy    = (*Instagram)(nil)
	_ channel.Moderator = (*Instagram)(nil)
	_ channel.Setup     = (*Instagram)(nil)

	_ channel.MediaFetcher = (*Messenger)(nil)
	_ channel.MediaFetcher = (*Instagram)(nil)
)

// adapter is what the two adapters share, for one channel.
type adapter struct {
	ch     care.Channel
	client *http.Client
	base   string
	now    func() time.Time
}

func (m *Messenger) adapter() *adapter {
	return &adapter{ch: care.ChannelFacebook, client: m.Client, base: m.BaseURL, now: m.Now}
}

func (g *Instagram) adapter() *adapter {
	return &adapter{ch: care.ChannelInstagram, client: g.Client, base: g.BaseURL, now: g.Now}
}

// Send delivers a reply; see the package documentation. Failures are
// *channel.SendError: permanent for Meta's policy, permission and token
// errors and for a reply outside the messaging window, temporary (with
// Meta's estimated wait) for throttling and Meta's own outages.
func (m *Messenger) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	return m.adapter().send(ctx, out)
}

// Send delivers a reply; see Messenger.Send.
func (g *Instagram) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	return g.adapter().send(ctx, out)
}

// Handshake answers Meta's subscription check (hub.challenge).
func (m *Messenger) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	AnswerSubscription(w, r, in)
}

// Handshake answers Meta's subscription check (hub.challenge).
func (g *Instagram) Handshake(w http.ResponseWriter, r *http.Request, in care.Inbox) {
	AnswerSubscription(w, r, in)
}

// Receive verifies and parses a delivery. Both adapters parse Page and
// Instagram objects alike, since one app subscription carries both.
func (m *Messenger) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	return receive(h, body, in, now, m.Logger)
}

// Receive verifies and parses a delivery; see Messenger.Receive.
func (g *Instagram) Receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	return receive(h, body, in, now, g.Logger)
}

// CheckReply applies Messenger's and Facebook comments' rules.
func (m *Messenger) CheckReply(c channel.ReplyCheck) error { return m.adapter().checkReply(c) }

// CheckReply applies Instagram's messaging and comment rules.
func (g *Instagram) CheckReply(c channel.ReplyCheck) error { return g.adapter().checkReply(c) }

// Moderate hides, unhides or deletes a comment on the Page.
func (m *Messenger) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	return m.adapter().moderate(ctx, in, platformID, action)
}

// Moderate hides, unhides or deletes a comment on the account's media.
func (g *Instagram) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	return g.adapter().moderate(ctx, in, platformID, action)
}

// Prepare generates a verify token if needed and checks the credentials.
func (m *Messenger) Prepare(in *care.Inbox) error { return prepare(in, care.ChannelFacebook) }

// Prepare generates a verify token if needed and checks the credentials.
func (g *Instagram) Prepare(in *care.Inbox) error { return prepare(in, care.ChannelInstagram) }

// Instructions lists what to paste into the Meta app's settings.
func (m *Messenger) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	return instructions(in, webhookURL, care.ChannelFacebook)
}

// Instructions lists what to paste into the Meta app's settings.
func (g *Instagram) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	return instructions(in, webhookURL, care.ChannelInstagram)
}

func (a *adapter) clock() time.Time {
	if a.now != nil {
		return a.now()
	}
	return time.Now()
}

func (a *adapter) httpClient() *http.Client { return channel.NoRedirects(a.client) }

// baseURL is the inbox's api_base, else the adapter's, else the default,
// without a trailing slash.
func (a *adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.base, DefaultBaseURL)
}

// checkBaseURL validates an api_base credential as BaseURL would use it.
func checkBaseURL(b string) error {
	_, err := channel.BaseURL(care.Inbox{Credentials: map[string]string{CredAPIBase: b}}, "", "")
	return err
}

// token is the access token for the inbox's channel.
func token(in care.Inbox) string {
	if in.Channel == care.ChannelInstagram {
		if t := in.Credentials[CredAccessToken]; t != "" {
			return t
		}
	}
	return in.Credentials[CredPageAccessToken]
}

// isObjectID reports whether s looks like a Graph object id (a comment, a
// post, a media): digits, with underscores joining a parent's id. Message
// ids never do: Messenger's start "m_" or "mid.", Instagram's are base64.
// Send tells a private reply to a comment from a direct message this way.
func isObjectID(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '_' {
			return false
		}
	}
	return true
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
