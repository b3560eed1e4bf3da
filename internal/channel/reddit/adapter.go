package reddit

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Credential keys of a Reddit inbox.
const (
	// CredClientID is the app's id, shown under its name at
	// https://www.reddit.com/prefs/apps.
	CredClientID = "client_id"
	// CredClientSecret is the app's secret; "" for an installed app,
	// which has none.
	CredClientSecret = "client_secret"
	// CredRefreshToken is a permanent refresh token of the brand's
	// account, from the authorization code flow with duration=permanent
	// (web and installed apps).
	CredRefreshToken = "refresh_token"
	// CredUsername is the brand's account, without "u/". With
	// CredPassword it logs a script app in with the password grant;
	// with a refresh token Prepare reads it from /api/v1/me.
	CredUsername = "username"
	// CredPassword is the account's password, for a script app. An
	// account with two-factor authentication cannot use it.
	CredPassword = "password"
	// CredUserAgent replaces the User-Agent Parley builds,
	// "<platform>:<app ID>:<version> (by /u/<username>)".
	CredUserAgent = "user_agent"
	// CredAPIBase points the inbox at another API than
	// https://oauth.reddit.com, such as redditfake.
	CredAPIBase = channel.CredAPIBase
	// CredTokenURL is the token endpoint; "" means api_base's
	// /api/v1/access_token when api_base is set, else DefaultTokenURL.
	CredTokenURL = "token_url"
)

// Reddit's endpoints (github.com/reddit-archive/reddit/wiki/OAuth2): the
// token endpoint is on www.reddit.com, every API call on oauth.reddit.com.
const (
	DefaultBaseURL  = "https://oauth.reddit.com"
	DefaultTokenURL = "https://www.reddit.com/api/v1/access_token"
)

// DefaultUserAgent is the "<platform>:<app ID>:<version>" part of the
// User-Agent when the adapter names none; Reddit asks for that form
// followed by "(by /u/<username>)" (the Data API Wiki: "NEVER lie about
// your user-agent").
const DefaultUserAgent = "server:org.parleyhq.parley:v1"

// Scopes is what the account's authorization needs: identity to say whose
// it is, privatemessages to read the inbox and send messages, submit to
// comment, read and history to look for a reply whose answer was lost, and
// modposts to remove and approve comments in subreddits the account
// moderates (optional: without it, moderation fails with 403).
const Scopes = "identity privatemessages submit read history modposts"

// MaxTextChars is Reddit's limit on a comment or a message, in characters
// (code points): r2's POST_comment and POST_compose validate text with
// VMarkdownLength(max_length=10000).
const MaxTextChars = 10000

// MaxSubjectChars is /api/compose's limit on a subject
// (VLength('subject', 100)).
const MaxSubjectChars = 100

// Bounds on what is read of Reddit's answers.
const (
	maxResponseBytes = 4 << 20
	maxErrorBytes    = 64 << 10
)

// Adapter connects Reddit accounts to Parley: it polls their inbox
// (comment replies, username mentions and private messages), posts replies
// and messages, checks replies against Reddit's limits and moderates
// comments in subreddits the account moderates. Register it once:
//
//	r.Register(care.ChannelReddit, &reddit.Adapter{Client: client})
//
// Its zero value is ready to use; it is safe for concurrent use and must
// not be copied after first use. Access tokens, rate-limit budgets and the
// replies whose answer was lost live in memory only.
type Adapter struct {
	// Client makes the API and token requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	Client *http.Client
	// Tokens refreshes access tokens for inboxes with a refresh token;
	// nil means one of the adapter's own, on Client.
	Tokens *oauth.Source
	// UserAgent is the "<platform>:<app ID>:<version>" part of the
	// User-Agent; "" means DefaultUserAgent. Each inbox adds
	// " (by /u/<username>)".
	UserAgent string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger notes what is skipped on purpose; nil means slog.Default().
	Logger *slog.Logger
	// SetupTimeout bounds the requests Prepare makes; 0 means 15 seconds.
	SetupTimeout time.Duration

	once   sync.Once
	tokens *oauth.Source

	mu        sync.Mutex
	passwords map[[32]byte]*passwordToken
	budgets   map[care.ID]budget
	idle      map[care.ID]int

	unanswered channel.Unanswered // see reconcile.go
}

var (
	_ channel.Sender    = (*Adapter)(nil)
	_ channel.Poller    = (*Adapter)(nil)
	_ channel.Policy    = (*Adapter)(nil)
	_ channel.Moderator = (*Adapter)(nil)
	_ channel.Setup     = (*Adapter)(nil)
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

// tokenSource is the refresh-token cache: the adapter's Tokens, else its
// own.
func (a *Adapter) tokenSource() *oauth.Source {
	if a.Tokens != nil {
		return a.Tokens
	}
	a.once.Do(func() { a.tokens = &oauth.Source{Client: a.Client, Now: a.Now} })
	return a.tokens
}

// baseURL is the inbox's API base, without a trailing slash.
func baseURL(in care.Inbox) (string, error) {
	if s := in.Credentials[CredAPIBase]; s != "" {
		return serverURL(s, CredAPIBase, true)
	}
	return DefaultBaseURL, nil
}

// tokenURL is the inbox's token endpoint: token_url, else api_base's
// /api/v1/access_token (a fake serves both), else DefaultTokenURL.
func tokenURL(in care.Inbox) (string, error) {
	if s := in.Credentials[CredTokenURL]; s != "" {
		return serverURL(s, CredTokenURL, false)
	}
	if in.Credentials[CredAPIBase] != "" {
		base, err := baseURL(in)
		if err != nil {
			return "", err
		}
		return base + "/api/v1/access_token", nil
	}
	return DefaultTokenURL, nil
}

// serverURL validates a URL the account's secrets are sent to: https, or
// http to a loopback address (a local fake); no user, query or fragment;
// no path when base is set. It returns it without a trailing slash, or
// EINVALID naming credential.
func serverURL(s, credential string, base bool) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", care.Errorf(care.EINVALID, "credentials.%s must be an https URL without a query.", credential)
	case base && u.Path != "" && u.Path != "/":
		return "", care.Errorf(care.EINVALID, "credentials.%s must be a server's address alone, like %s, without a path.", credential, DefaultBaseURL)
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return "", care.Errorf(care.EINVALID, "credentials.%s must be an https URL (http only for a local test server).", credential)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// brand is the inbox's account name: its username credential, else its
// ExternalID.
func brand(in care.Inbox) string {
	if u := in.Credentials[CredUsername]; u != "" {
		return strings.TrimPrefix(strings.TrimPrefix(u, "/"), "u/")
	}
	return in.ExternalID
}

// userAgent is the User-Agent of the inbox's requests: its user_agent
// credential, else the adapter's "<platform>:<app ID>:<version>" and
// "(by /u/<username>)".
func (a *Adapter) userAgent(in care.Inbox) string {
	if ua := in.Credentials[CredUserAgent]; ua != "" && printableASCII(ua, 256) {
		return ua
	}
	prefix := a.UserAgent
	if prefix == "" || !printableASCII(prefix, 200) {
		prefix = DefaultUserAgent
	}
	if name := brand(in); validUsername(name) {
		return prefix + " (by /u/" + name + ")"
	}
	return prefix
}

// printableASCII reports whether s is 1 to limit printable ASCII
// characters, as a header value must be.
func printableASCII(s string, limit int) bool {
	if s == "" || len(s) > limit {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
