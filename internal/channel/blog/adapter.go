package blog

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Credential keys of a blog inbox.
const (
	// CredFeeds lists the feeds' addresses, separated by newlines or
	// commas: RSS, Atom or JSON Feed, over http or https.
	CredFeeds = "feeds"
	// CredKeywords lists the brand names and phrases an item must mention
	// to be imported, separated by newlines or commas; empty imports
	// every item.
	CredKeywords = "keywords"
)

// Bounds of the feeds credential.
const (
	// MaxFeeds is how many feeds one inbox follows.
	MaxFeeds = 20
	// maxFeedURLBytes bounds one feed's address.
	maxFeedURLBytes = 2048
)

// Adapter follows blogs through their feeds. Register it once:
//
//	r.Register(care.ChannelBlog, &blog.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client fetches the feeds; nil means a client on
	// http.DefaultTransport. Its redirect policy is replaced: Parley
	// follows redirects itself, to note permanent ones. Deadlines come
	// from the contexts given, each fetch bounded by FetchTimeout.
	Client *http.Client
	// Now is the clock for dates; nil means time.Now.
	Now func() time.Time
	// Logger notes what is skipped or moved; nil means slog.Default().
	Logger *slog.Logger
	// FetchTimeout bounds one feed's fetch; 0 means 30 seconds.
	FetchTimeout time.Duration
	// SetupTimeout bounds Prepare's check of the feeds; 0 means 20
	// seconds.
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

func (a *Adapter) fetchTimeout() time.Duration {
	if a.FetchTimeout > 0 {
		return a.FetchTimeout
	}
	return 30 * time.Second
}

// config is an inbox's credentials, read.
type config struct {
	feeds    []string
	keywords keywords
}

// configOf reads an inbox's feeds and keywords. It returns EINVALID naming
// what is wrong.
func configOf(in care.Inbox) (config, error) {
	feeds, err := parseFeeds(in.Credentials[CredFeeds])
	if err != nil {
		return config{}, err
	}
	kw, err := parseKeywords(in.Credentials[CredKeywords])
	if err != nil {
		return config{}, err
	}
	return config{feeds: feeds, keywords: kw}, nil
}

// parseFeeds reads the feeds credential: at least one, at most MaxFeeds
// http(s) addresses without user information, each once, fragments
// dropped. It returns EINVALID naming the first address it refuses.
func parseFeeds(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, f := range splitList(s) {
		u, err := feedURL(f)
		if err != nil {
			return nil, err
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	switch {
	case len(out) == 0:
		return nil, care.Errorf(care.EINVALID, "credentials.%s is required: the addresses of the feeds to follow, one a line, like https://blog.example.com/comments/feed/.", CredFeeds)
	case len(out) > MaxFeeds:
		return nil, care.Errorf(care.EINVALID, "credentials.%s lists %d feeds; an inbox follows at most %d (create another inbox for more).", CredFeeds, len(out), MaxFeeds)
	}
	return out, nil
}

// feedURL validates and normalises one feed's address.
func feedURL(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil || len(s) > maxFeedURLBytes || u.Opaque != "" || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return "", care.Errorf(care.EINVALID, "credentials.%s: %q is not an http or https address.", CredFeeds, channel.Cut(s, 80))
	case u.User != nil:
		return "", care.Errorf(care.EINVALID, "credentials.%s: %q carries a user name or password; Parley reads public feeds only.", CredFeeds, redact(u))
	}
	u.Fragment, u.RawFragment = "", ""
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return u.String(), nil
}

// redact is a feed's address as shown to people: without its query, which
// may hold a private feed's token.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		c.RawQuery = "…"
	}
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// display is redact for an address in a string.
func display(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return channel.Cut(s, 80)
	}
	return channel.Cut(redact(u), 200)
}

// hostOf is the lower-case host (and port) of a feed's address: the scope
// of its authors' identities and of ids that are not URIs.
func hostOf(feed string) string {
	u, err := url.Parse(feed)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
