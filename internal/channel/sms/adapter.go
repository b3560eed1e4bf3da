package sms

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DefaultBaseURL is Twilio's REST API, the base of the 2010-04-01 Messages
// resource the adapter sends with.
const DefaultBaseURL = "https://api.twilio.com"

// Credential keys of an SMS inbox.
const (
	CredAccountSID          = "account_sid"
	CredAuthToken           = "auth_token"
	CredFrom                = "from"
	CredMessagingServiceSID = "messaging_service_sid"
	CredStatusCallback      = "status_callback"
	CredAPIBase             = channel.CredAPIBase
)

// Adapter connects Twilio phone numbers and Messaging Services. Register it
// once:
//
//	r.Register(care.ChannelSMS, &sms.Adapter{Client: client, StatusCallback: webhookURLOf, History: store})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the REST API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the context given to Send.
	Client *http.Client
	// BaseURL is the REST API base; "" means DefaultBaseURL. An inbox's
	// api_base credential overrides it.
	BaseURL string
	// StatusCallback returns the inbox's public webhook URL, which Send
	// passes to Twilio as the message's StatusCallback so delivery
	// statuses come back; nil or "" sends none. An inbox's status_callback
	// credential overrides it. A Messaging Service can instead be given the
	// URL in Twilio's console.
	StatusCallback func(in care.Inbox) string
	// History finds the customer's newest opt-out or opt-in across their
	// conversations in the inbox, which is what Twilio goes by; nil looks
	// at the reply's conversation only, and leaves a STOP sent in another
	// one to Twilio's error 21610.
	History History
	// Now is the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
	// Logger notes what Receive skips on purpose; nil means slog.Default().
	Logger *slog.Logger
}

var (
	_ channel.Sender    = (*Adapter)(nil)
	_ channel.Webhook   = (*Adapter)(nil)
	_ channel.URLSigned = (*Adapter)(nil)
	_ channel.Policy    = (*Adapter)(nil)
	_ channel.Setup     = (*Adapter)(nil)

	_ channel.MediaFetcher = (*Adapter)(nil)
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

// baseURL returns the inbox's REST API base without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// statusCallback is the URL Twilio should post the statuses of a message
// sent from in to, "" for none.
func (a *Adapter) statusCallback(in care.Inbox) string {
	if cb := in.Credentials[CredStatusCallback]; httpURL(cb) {
		return cb
	}
	if a.StatusCallback != nil {
		if cb := a.StatusCallback(in); httpURL(cb) {
			return cb
		}
	}
	return ""
}

// httpURL reports whether s is an absolute http or https URL of sane length.
func httpURL(s string) bool {
	if s == "" || len(s) > 2048 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// validSID reports whether s is a Twilio SID with the two-letter prefix
// (AC, MG, SM, MM…): the prefix and 32 hexadecimal digits.
func validSID(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// validSender reports whether s can be the from credential: an E.164 number
// ("+" and up to 15 digits) or a short code (3 to 8 digits).
func validSender(s string) bool {
	if digits, ok := strings.CutPrefix(s, "+"); ok {
		return len(digits) >= 7 && len(digits) <= 15 && isDigits(digits)
	}
	return len(s) >= 3 && len(s) <= 8 && isDigits(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
