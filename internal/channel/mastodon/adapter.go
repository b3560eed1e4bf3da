package mastodon

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of a Mastodon inbox.
const (
	CredAccessToken = "access_token"
	// CredAPIBase is the instance, "https://mastodon.social": required,
	// since on Mastodon the instance is the platform.
	CredAPIBase = channel.CredAPIBase
	// CredAccountID is the brand's account id on the instance; Prepare
	// reads it from verify_credentials.
	CredAccountID = "account_id"
	// CredMode is ModeStream (the default) or ModePoll.
	CredMode = "mode"
	// CredDomain is the instance's account domain, the part after the
	// second @ of its users' handles; it can differ from api_base's host
	// (a server at social.example.com may name its users
	// @someone@example.com). Prepare reads it from the instance.
	CredDomain = "domain"
	// CredMaxCharacters is the instance's limit on a post, when it
	// reported one other than 500.
	CredMaxCharacters = "max_characters"
	// CredURLCharacters is what a link counts towards it (23 unless the
	// instance says otherwise).
	CredURLCharacters = "characters_reserved_per_url"
	// CredStreamingURL is the streaming API's base when the instance serves
	// it from another host.
	CredStreamingURL = "streaming_url"
	// CredPublicVisibility is the widest visibility of a public reply:
	// "public" (the default) or "unlisted".
	CredPublicVisibility = "public_visibility"
)

// Modes of an inbox.
const (
	ModeStream = "stream"
	ModePoll   = "poll"
)

// Defaults of Mastodon's own configuration.
const (
	// DefaultMaxCharacters is StatusLengthValidator's MAX_CHARS.
	DefaultMaxCharacters = 500
	// DefaultURLCharacters is its URL_PLACEHOLDER_CHARS.
	DefaultURLCharacters = 23
)

// Adapter connects Mastodon accounts. Register it once:
//
//	r.Register(care.ChannelMastodon, &mastodon.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	Client *http.Client
	// Now is the clock for rate-limit resets and timestamps; nil means
	// time.Now.
	Now func() time.Time
	// Logger notes what is skipped on purpose; nil means slog.Default().
	Logger *slog.Logger
	// SetupTimeout bounds the requests Prepare makes to the instance; 0
	// means 15 seconds.
	SetupTimeout time.Duration
}

var (
	_ channel.Sender = (*Adapter)(nil)
	_ channel.Poller = (*Adapter)(nil)
	_ channel.Policy = (*Adapter)(nil)
	_ channel.Setup  = (*Adapter)(nil)
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

// baseURL returns the inbox's instance, "https://host[:port]". There is no
// default: every inbox names its instance.
func baseURL(in care.Inbox) (string, error) {
	return instanceURL(in.Credentials[CredAPIBase], CredAPIBase)
}

// streamingURL returns the base of the inbox's streaming API: its
// streaming_url, else the instance.
func streamingURL(in care.Inbox) (string, error) {
	if s := in.Credentials[CredStreamingURL]; s != "" {
		return instanceURL(s, CredStreamingURL)
	}
	return baseURL(in)
}

// instanceURL validates an instance URL: https, or http to a loopback
// address (a local fake), a host and no path, query, fragment or user. It
// returns it without a trailing slash, or EINVALID naming credential.
func instanceURL(s, credential string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "", care.Errorf(care.EINVALID, "credentials.%s is required: the instance's address, like https://mastodon.social.", credential)
	case err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return "", care.Errorf(care.EINVALID, "credentials.%s must be the instance's address alone, like https://mastodon.social, without a path.", credential)
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return "", care.Errorf(care.EINVALID, "credentials.%s must be an https address (http only for a local test server).", credential)
	}
	return u.Scheme + "://" + u.Host, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// domain is the inbox's account domain: the instance's own name for its
// users' handles, else api_base's host.
func domain(in care.Inbox) string {
	if d := in.Credentials[CredDomain]; d != "" {
		return strings.ToLower(d)
	}
	if u, err := url.Parse(in.Credentials[CredAPIBase]); err == nil {
		return strings.ToLower(u.Host)
	}
	return ""
}

// brandAccount is the brand's account id: the inbox's external id, else its
// account_id credential.
func brandAccount(in care.Inbox) string {
	if in.ExternalID != "" {
		return in.ExternalID
	}
	return in.Credentials[CredAccountID]
}

// credInt reads a positive integer credential, def when absent or not one.
func credInt(in care.Inbox, key string, def, max int) int {
	n, err := strconv.Atoi(in.Credentials[key])
	if err != nil || n <= 0 || n > max {
		return def
	}
	return n
}
