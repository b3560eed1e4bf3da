package youtube

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Endpoints of the YouTube Data API v3 and Google's OAuth 2.0 token
// endpoint (developers.google.com/youtube/v3/guides/auth/server-side-web-apps).
const (
	DefaultBaseURL  = "https://www.googleapis.com"
	DefaultTokenURL = "https://oauth2.googleapis.com/token"
	// Scope is what the refresh token must grant: reading the channel's
	// comments, replying and moderating all need it
	// (developers.google.com/youtube/v3/docs/comments/insert#auth).
	Scope = "https://www.googleapis.com/auth/youtube.force-ssl"
)

// Credential keys of a YouTube inbox.
const (
	CredClientID     = "client_id"
	CredClientSecret = "client_secret"
	CredRefreshToken = "refresh_token"
	// CredTokenURL overrides the token endpoint; without it an inbox with
	// an api_base asks {api_base}/token, where ytfake serves it.
	CredTokenURL = "token_url"
	CredAPIBase  = channel.CredAPIBase
	// CredDailyQuota is the units a day this inbox may spend, 10,000 by
	// default: the whole default allocation of a Google Cloud project.
	// Inboxes sharing a project share its quota: give each its part.
	CredDailyQuota = "daily_quota"
	// CredWriteShare is the percentage of daily_quota kept for replies
	// and moderation, which polling never spends; 40 by default.
	CredWriteShare = "write_share"
	// CredPollInterval is the shortest wait between polls, in seconds or
	// as a Go duration ("90s"); 60 seconds by default, at least 15.
	CredPollInterval = "poll_interval"
	// CredScanPages is how many pages of the newest 100 threads every poll
	// reads at least, for replies and edits on threads that are not new;
	// 1 by default, at most 10.
	CredScanPages = "scan_pages"
	// CredHeldComments, "true", has every poll also read the newest page
	// of the threads YouTube holds for review and of those it takes for
	// likely spam (commentThreads.list with moderationStatus), 2 units
	// more a poll; "false", the default, reads published comments only.
	CredHeldComments = "held_comments"
)

// Defaults and bounds of the quota credentials.
const (
	DefaultDailyQuota   = 10_000
	DefaultWriteShare   = 40
	DefaultPollInterval = time.Minute
	minPollInterval     = 15 * time.Second
	maxScanPages        = 10
)

// MaxTextChars is the longest comment YouTube takes, in characters
// (support.google.com/youtube: comments are limited to 10,000 characters;
// comments.insert answers commentTextTooLong without naming the number).
// Parley counts Unicode code points.
const MaxTextChars = 10_000

// Adapter connects YouTube channels: their comments are polled, answered
// and moderated through the YouTube Data API v3. Register it once:
//
//	r.Register(care.ChannelYouTube, &youtube.Adapter{Client: client, State: store})
//
// Its zero value is ready to use and it is safe for concurrent use. It must
// not be copied after first use: it holds each inbox's quota meter.
type Adapter struct {
	// Client makes the API and token requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	Client *http.Client
	// BaseURL is the API's root; "" means DefaultBaseURL. An inbox's
	// api_base credential overrides it.
	BaseURL string
	// TokenURL is the token endpoint; "" means DefaultTokenURL. An inbox's
	// token_url or api_base credential overrides it.
	TokenURL string
	// Tokens caches access tokens; nil means one of the adapter's own.
	Tokens *oauth.Source
	// Now is the clock for the quota day, the cursor and timestamps; nil
	// means time.Now.
	Now func() time.Time
	// Logger notes what polls skip on purpose; nil means slog.Default().
	Logger *slog.Logger
	// State keeps each inbox's quota usage of the day across restarts;
	// nil keeps it in memory only, and a restart starts the day at zero.
	State QuotaStore

	once   sync.Once
	tokens *oauth.Source
	quota  meter
	sends  channel.Unanswered
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
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

func (a *Adapter) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *Adapter) client() *http.Client { return channel.NoRedirects(a.Client) }

func (a *Adapter) tokenSource() *oauth.Source {
	if a.Tokens != nil {
		return a.Tokens
	}
	a.once.Do(func() { a.tokens = &oauth.Source{Client: a.Client, Now: a.Now} })
	return a.tokens
}

// baseURL returns the inbox's API root without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// tokenURL returns the inbox's token endpoint: its token_url, else
// {api_base}/token for an inbox pointed at another API (a local fake
// serves both), else the adapter's, else Google's.
func (a *Adapter) tokenURL(in care.Inbox) (string, error) {
	u := in.Credentials[CredTokenURL]
	if u == "" && in.Credentials[CredAPIBase] != "" {
		base, err := a.baseURL(in)
		if err != nil {
			return "", err
		}
		u = base + "/token"
	}
	if u == "" {
		u = a.TokenURL
	}
	if u == "" {
		u = DefaultTokenURL
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
		return "", care.Errorf(care.EINVALID, "%s must be an http or https URL without a query.", CredTokenURL)
	}
	return u, nil
}

// grant is the inbox's refresh grant, as Google documents it: the client's
// id and secret in the form body.
func (a *Adapter) grant(in care.Inbox) (oauth.Grant, error) {
	tu, err := a.tokenURL(in)
	if err != nil {
		return oauth.Grant{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	c := in.Credentials
	if c[CredClientID] == "" || c[CredRefreshToken] == "" {
		return oauth.Grant{}, channel.Permanent("the inbox has no client_id or refresh_token: connect the channel again", nil)
	}
	return oauth.Grant{TokenURL: tu, ClientID: c[CredClientID], ClientSecret: c[CredClientSecret], RefreshToken: c[CredRefreshToken]}, nil
}

// validChannelID reports whether s is a YouTube channel id: "UC" and 22
// characters of base64url.
func validChannelID(s string) bool {
	return len(s) == 24 && strings.HasPrefix(s, "UC") && idChars(s[2:], 22)
}

// brandChannel is the inbox's channel id, or a permanent error when the
// inbox has none.
func brandChannel(in care.Inbox) (string, error) {
	if !validChannelID(in.ExternalID) {
		return "", channel.Permanent("the inbox's external_id is not a YouTube channel id (UC…): connect the channel again", nil)
	}
	return in.ExternalID, nil
}

// idChars reports whether s is 1 to max bytes of A-Z, a-z, 0-9, '_' and
// '-': the alphabet of YouTube's ids.
func idChars(s string, max int) bool {
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
