package reviews

import (
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Credential keys of a Google reviews inbox.
const (
	// CredClientID and CredClientSecret are the Google Cloud project's
	// OAuth client.
	CredClientID     = "client_id"
	CredClientSecret = "client_secret"
	// CredRefreshToken is the refresh token a manager of the location
	// granted the client, with the scope Scope.
	CredRefreshToken = "refresh_token"
	// CredAPIBase points the adapter at another API than Google's, such as
	// gbpfake.
	CredAPIBase = channel.CredAPIBase
	// CredTokenURL points the adapter at another token endpoint than
	// Google's.
	CredTokenURL = "token_url"
	// CredImportDays is how many days back the first poll looks for
	// reviews still waiting for an answer: 0 to 30, DefaultImportDays
	// when absent.
	CredImportDays = "import_days"
	// CredPollSeconds is the poll interval in seconds, 10 to 3600;
	// DefaultPollInterval when absent.
	CredPollSeconds = "poll_seconds"
)

// Google's endpoints and the scope the refresh token needs.
const (
	DefaultAPIBase  = "https://mybusiness.googleapis.com"
	DefaultTokenURL = "https://oauth2.googleapis.com/token"
	Scope           = "https://www.googleapis.com/auth/business.manage"
)

// Limits and defaults.
const (
	// MaxReplyBytes is the longest reply Google takes: ReviewReply.comment
	// "The body of the reply as plain text with markups. The maximum length
	// is 4096 bytes." (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews#ReviewReply).
	MaxReplyBytes = 4096
	// DefaultImportDays is how far back a new inbox's first poll looks for
	// unanswered reviews.
	DefaultImportDays = 7
	maxImportDays     = 30
	// DefaultPollInterval keeps one location at half a request a minute
	// while nothing happens, so the project's default quota of 300
	// requests a minute serves hundreds of locations.
	DefaultPollInterval = 2 * time.Minute
)

// Adapter connects Google Business Profile locations' reviews. Register it
// once:
//
//	r.Register(care.ChannelReviews, &reviews.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use; it must
// not be copied after first use.
type Adapter struct {
	// Client makes the API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	Client *http.Client
	// Tokens issues access tokens; nil means a source of the adapter's own
	// on Client, with the adapter's clock.
	Tokens *oauth.Source
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger notes what is skipped on purpose; nil means slog.Default().
	Logger *slog.Logger
	// SetupTimeout bounds the requests Prepare makes to Google; 0 means 15
	// seconds.
	SetupTimeout time.Duration

	once   sync.Once
	tokens *oauth.Source
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

func (a *Adapter) source() *oauth.Source {
	if a.Tokens != nil {
		return a.Tokens
	}
	a.once.Do(func() { a.tokens = &oauth.Source{Client: a.Client, Now: a.Now} })
	return a.tokens
}

// grant is the inbox's refresh-token grant. It returns a permanent
// *channel.SendError when a credential is missing or token_url is not a
// URL.
func grant(in care.Inbox) (oauth.Grant, error) {
	c := in.Credentials
	if c[CredClientID] == "" || c[CredClientSecret] == "" || c[CredRefreshToken] == "" {
		return oauth.Grant{}, channel.Permanent("the inbox lacks client_id, client_secret or refresh_token: connect the location again", nil)
	}
	u, err := endpoint(c[CredTokenURL], DefaultTokenURL, CredTokenURL)
	if err != nil {
		return oauth.Grant{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	return oauth.Grant{TokenURL: u, ClientID: c[CredClientID], ClientSecret: c[CredClientSecret], RefreshToken: c[CredRefreshToken]}, nil
}

// apiBase is the inbox's API base, without a trailing slash.
func apiBase(in care.Inbox) (string, error) {
	return channel.BaseURL(in, "", DefaultAPIBase)
}

// endpoint validates a URL credential as channel.BaseURL does, def when
// absent; it returns EINVALID naming the credential.
func endpoint(s, def, name string) (string, error) {
	u, err := channel.BaseURL(care.Inbox{Credentials: map[string]string{channel.CredAPIBase: s}}, "", def)
	if err != nil {
		return "", care.Errorf(care.EINVALID, "credentials.%s must be an http or https URL without a query.", name)
	}
	return u, nil
}

// segment is one id in a resource name: account and location ids are
// numbers, review ids opaque ("the encrypted unique identifier"), in
// practice base64url. Anything that could change a URL's path or query is
// refused, and so is "@", which separates a review's name from its
// version in Parley's message ids.
var segment = regexp.MustCompile(`^[A-Za-z0-9_~=-][A-Za-z0-9._~=-]{0,199}$`)

// maxNameBytes bounds a review's resource name, so that its message ids,
// which add a version to it, stay within care.MaxPlatformIDBytes.
const maxNameBytes = 200

// location returns the inbox's location, accounts/{a}/locations/{l}, its
// ExternalID. It returns EINVALID when it is not one.
func location(in care.Inbox) (string, error) {
	parts := strings.Split(in.ExternalID, "/")
	if len(parts) != 4 || parts[0] != "accounts" || parts[2] != "locations" || !segment.MatchString(parts[1]) || !segment.MatchString(parts[3]) ||
		len(in.ExternalID) > maxNameBytes-40 {
		return "", care.Errorf(care.EINVALID, "external_id must be the location's resource name, accounts/{accountId}/locations/{locationId}.")
	}
	return in.ExternalID, nil
}

// reviewName checks that name is a review of location loc,
// loc/reviews/{reviewId}.
func reviewName(loc, name string) bool {
	id, ok := strings.CutPrefix(name, loc+"/reviews/")
	return ok && len(name) <= maxNameBytes && segment.MatchString(id)
}

// credInt reads an integer credential between lo and hi, def when absent
// or out of range.
func credInt(in care.Inbox, key string, def, lo, hi int) int {
	n, err := strconv.Atoi(in.Credentials[key])
	if err != nil || n < lo || n > hi {
		return def
	}
	return n
}

// refusal is a request Google cannot carry out, as a permanent
// *channel.SendError whose cause is EINVALID with the same message.
func refusal(msg string) error {
	return &channel.SendError{Permanent: true, Reason: msg, Err: care.Errorf(care.EINVALID, "%s", msg)}
}
