package bluesky

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of a Bluesky inbox.
const (
	// CredIdentifier is the brand account's handle (acme.example.com), its
	// email address or its DID: what createSession takes as identifier.
	CredIdentifier = "identifier"
	// CredAppPassword is an App Password of the account created with
	// "Allow access to your direct messages", so DMs can be read and sent.
	CredAppPassword = "app_password"
	// CredAPIBase is the account's PDS; "" means DefaultBaseURL.
	CredAPIBase = channel.CredAPIBase
	// CredDID is the account's DID. Prepare sets it when the identifier is
	// a DID; otherwise the first session learns it. When set, a session
	// that logs in as another account is refused.
	CredDID = "did"
)

// DefaultBaseURL is Bluesky's entryway, which serves the accounts it hosts
// and forwards to their PDS (docs.bsky.app/docs/advanced-guides/api-directory).
const DefaultBaseURL = "https://bsky.social"

// Proxy targets for the atproto-proxy header: the PDS forwards a request
// carrying one to that service, with a service token of the account
// (api-directory: "bsky AppView did:web:api.bsky.app#bsky_appview",
// "Chat / DMs did:web:api.bsky.chat#bsky_chat").
const (
	chatProxy    = "did:web:api.bsky.chat#bsky_chat"
	appViewProxy = "did:web:api.bsky.app#bsky_appview"
)

// Bounds on what is read of the network's answers: a page of 50
// notifications with their records is well under a megabyte.
const (
	maxResponseBytes = 4 << 20
	maxErrorBytes    = 64 << 10
)

// Adapter connects Bluesky accounts to Parley: it polls their mentions,
// replies and quotes and their DMs, posts public replies and sends DMs, and
// checks replies against Bluesky's limits. Register one with
//
//	r.Register(care.ChannelBluesky, &bluesky.Adapter{Client: client})
//
// Its zero value is ready to use; it is safe for concurrent use and must
// not be copied after first use. It keeps each inbox's session (access and
// refresh tokens) in memory only: a restart logs in once more.
type Adapter struct {
	// Client makes the requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	// Redirects are never followed.
	Client *http.Client
	// BaseURL is the PDS used when an inbox has no api_base; "" means
	// DefaultBaseURL.
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what the adapter skips and why; nil means
	// slog.Default().
	Logger *slog.Logger

	mu       sync.Mutex
	sessions map[care.ID]*session
	profiles profileCache
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

// baseURL returns the inbox's PDS without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}
