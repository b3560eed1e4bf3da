package whatsapp

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DefaultBaseURL is the Graph API the adapter talks to unless the inbox's
// api_base credential says otherwise. v26.0 is the newest Graph API version
// (released 29 July 2026; developers.facebook.com/docs/graph-api/changelog);
// Meta supports a version for about two years after its successor ships.
const DefaultBaseURL = "https://graph.facebook.com/v26.0"

// Credential keys of a WhatsApp inbox.
const (
	CredAppSecret   = "app_secret"
	CredAccessToken = "access_token"
	CredVerifyToken = "verify_token"
	CredWABAID      = "waba_id"
	CredAPIBase     = channel.CredAPIBase
)

// Adapter connects WhatsApp Cloud API numbers. Register it once:
//
//	r.Register(care.ChannelWhatsApp, &whatsapp.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the Graph API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the context given to Send.
	Client *http.Client
	// BaseURL is the Graph API base, version included; "" means
	// DefaultBaseURL. An inbox's api_base credential overrides it.
	BaseURL string
	// Now is the clock for the 24-hour window and Retry-After dates; nil
	// means time.Now.
	Now func() time.Time
	// Logger notes what Receive skips on purpose (group chats, other
	// fields); nil means slog.Default().
	Logger *slog.Logger

	// templates keeps each inbox's template list (see Templates).
	templates templateCache
}

var (
	_ channel.Sender  = (*Adapter)(nil)
	_ channel.Webhook = (*Adapter)(nil)
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

// baseURL returns the inbox's Graph API base without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// validPhoneNumberID reports whether id looks like a phone number id: Graph
// object ids are decimal digits.
func validPhoneNumberID(id string) bool {
	return id != "" && len(id) <= 32 && isDigits(id)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
