package foursquare

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// DefaultBaseURL is the Places API since its June 2025 release; its
// endpoints carry no version in the path
// (docs.foursquare.com/fsq-developers-places, "Migration Guide": "Path
// Changes").
const DefaultBaseURL = "https://places-api.foursquare.com"

// The Places API is versioned by a date in a header, required on every
// request ("X-Places-Api-Version: 2025-06-17"; Foursquare updates it "for
// breaking changes only", not when a response gains a field).
const (
	VersionHeader = "X-Places-Api-Version"
	APIVersion    = "2025-06-17"
)

// Credential keys of a Foursquare inbox.
const (
	// CredAPIKey is the project's Service API Key, sent as
	// "Authorization: Bearer <key>".
	CredAPIKey = "api_key"
	// CredVenues lists the brand's places: fsq_place_ids, each optionally
	// followed by "=" and the name to show ("5a187743ccad6b307315e6fe=Acme
	// Soho"), separated by commas or new lines.
	CredVenues = "venues"
	// CredPollMinutes is how often to poll, in minutes (default 60).
	CredPollMinutes = "poll_minutes"
	CredAPIBase     = channel.CredAPIBase
)

// Poll intervals: each poll costs one Places API call per venue, which
// Foursquare bills, and tips are few, so the default is an hour.
const (
	defaultPollMinutes = 60
	minPollMinutes     = 5
	maxPollMinutes     = 24 * 60
)

// NoReply is what CheckReply and Send say of a reply: the Places API reads
// tips and cannot answer them.
const NoReply = "Foursquare tips cannot be answered from Parley: the Places API only reads them and does not say who wrote one. Add a note, or resolve the conversation."

// Adapter polls Foursquare tips about the brand's places. Register it
// once:
//
//	r.Register(care.ChannelFoursquare, &foursquare.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the Places API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the context given to Poll.
	Client *http.Client
	// BaseURL is the Places API; "" means DefaultBaseURL. An inbox's
	// api_base credential overrides it.
	BaseURL string
	// Now is the clock for the first poll of a venue and Retry-After
	// dates; nil means time.Now.
	Now func() time.Time
	// Logger notes tips skipped as malformed and unreadable cursors; nil
	// means slog.Default().
	Logger *slog.Logger
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

// baseURL returns the inbox's Places API base without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// pollMinutes reads the poll_minutes credential; ok is false for one
// outside minPollMinutes to maxPollMinutes.
func pollMinutes(in care.Inbox) (int, bool) {
	s := in.Credentials[CredPollMinutes]
	if s == "" {
		return defaultPollMinutes, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < minPollMinutes || n > maxPollMinutes {
		return defaultPollMinutes, false
	}
	return n, true
}
