package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// Names of an X inbox's credentials.
const (
	// CredConsumerSecret is the app's consumer secret (API secret key): it
	// signs X's webhook deliveries and answers its CRC. Needed in webhook
	// mode.
	CredConsumerSecret = "consumer_secret"
	// CredAccessToken is the brand account's user access token, to post
	// replies, send DMs and poll: an OAuth 2.0 token, sent as a bearer
	// token, or with CredConsumerKey and CredAccessTokenSecret an OAuth
	// 1.0a token, with which requests are signed (see oauth1.go).
	CredAccessToken = "access_token"
	// CredAPIBase, when set, replaces the API's base URL for this inbox
	// (to point it at a local fake).
	CredAPIBase = channel.CredAPIBase
	// CredMode is ModeWebhook (the default) or ModePoll.
	CredMode = "mode"
)

// Modes of receiving.
const (
	// ModeWebhook receives X's pushes at the inbox's webhook URL.
	ModeWebhook = "webhook"
	// ModePoll reads mentions and DMs from the API every PollInterval.
	ModePoll = "poll"
)

// DefaultBaseURL is X's API.
const DefaultBaseURL = "https://api.x.com"

// Bounds on what is read of X's answers: a page of 100 posts with their
// authors is well under a megabyte.
const (
	maxResponseBytes = 2 << 20
	maxErrorBytes    = 64 << 10
)

// Adapter connects X accounts: it receives their mentions, replies and DMs
// (by webhook or by polling), posts public replies and sends DMs, and checks
// replies against X's rules before they are queued. Register one with
//
//	r.Register(care.ChannelX, &x.Adapter{Client: client})
//
// Each inbox's ExternalID is the brand account's numeric user id; its
// credentials are described at CredConsumerSecret and below. The zero value
// is ready to use; an Adapter is safe for concurrent use and must not be
// copied after first use.
type Adapter struct {
	// Client makes the requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	// Redirects are never followed.
	Client *http.Client
	// BaseURL is the API's base URL; "" means DefaultBaseURL. An inbox's
	// api_base credential overrides it.
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what the adapter skips and why; nil means
	// slog.Default().
	Logger *slog.Logger
	// Tokens refreshes OAuth 2.0 access tokens for inboxes connected with
	// a refresh token; nil means a source of the adapter's own.
	Tokens *oauth.Source
	// Credentials stores the refresh token X rotates with every refresh;
	// without it a rotated token lasts only as long as the process.
	Credentials channel.CredentialStore

	// unanswered holds the sends whose outcome is unknown (the request
	// went out, no answer came back); see reconcile.go.
	unanswered channel.Unanswered

	mu sync.Mutex // guards Tokens when it is set on first use
}

var (
	_ channel.Sender  = (*Adapter)(nil)
	_ channel.Webhook = (*Adapter)(nil)
	_ channel.Poller  = (*Adapter)(nil)
	_ channel.Policy  = (*Adapter)(nil)
	_ channel.Setup   = (*Adapter)(nil)
	_ channel.Pricer  = (*Adapter)(nil)

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

// baseURL returns the API base for the inbox, without a trailing slash.
func (a *Adapter) baseURL(in care.Inbox) (string, error) {
	return channel.BaseURL(in, a.BaseURL, DefaultBaseURL)
}

// do sends one authorized request.
func (a *Adapter) do(ctx context.Context, in care.Inbox, method, u string, payload []byte) (*http.Response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("x: build request: %w", err)
	}
	if err := a.authorize(ctx, req, in); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "Parley")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.client().Do(req)
}

// apiResponse is what X answered, its body bounded.
type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

// call makes one request to X's API on behalf of the inbox's account.
// query may be nil; payload, when not nil, is sent as JSON. It returns an
// error only when no complete answer arrived; the caller classifies status
// codes.
func (a *Adapter) call(ctx context.Context, in care.Inbox, method, path string, query url.Values, payload any) (*apiResponse, error) {
	base, err := a.baseURL(in)
	if err != nil {
		return nil, err
	}
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var payloadBytes []byte
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, fmt.Errorf("x: encode request: %w", err)
		}
		payloadBytes = b
	}
	resp, err := a.do(ctx, in, method, u, payloadBytes)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && refreshes(in) {
		// The access token expired or was revoked early: refresh once.
		resp.Body.Close()
		a.forgetToken(in)
		resp, err = a.do(ctx, in, method, u, payloadBytes)
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := int64(maxResponseBytes)
	if resp.StatusCode >= 300 {
		limit = maxErrorBytes
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return &apiResponse{status: resp.StatusCode, header: resp.Header}, fmt.Errorf("x: read response: %w", err)
	}
	if int64(len(b)) > limit {
		if resp.StatusCode < 300 {
			return &apiResponse{status: resp.StatusCode, header: resp.Header}, &tooLargeError{limit: limit}
		}
		b = b[:limit]
	}
	return &apiResponse{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// tooLargeError is a successful answer larger than call reads, which a
// caller that can ask for less (a search page) tells from other failures.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("x: response larger than %d bytes", e.limit)
}

// notSent reports whether err shows the request never left: the connection
// could not be made.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
