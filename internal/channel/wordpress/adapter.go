package wordpress

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
)

// Credential keys of a WordPress inbox.
const (
	// CredSiteURL is the site's address, where WordPress is installed:
	// https://blog.example.com, or https://example.com/blog.
	CredSiteURL = "site_url"
	// CredUsername is the WordPress user Parley acts as (its login name or
	// email address).
	CredUsername = "username"
	// CredAppPassword is an Application Password of that user (WordPress
	// 5.6+), as WordPress shows it: 24 letters and digits, in groups of
	// four.
	CredAppPassword = "application_password"
	// CredUserID is that user's id on the site; Prepare reads it.
	CredUserID = "user_id"
	// CredRoute says how the REST API is addressed: RoutePretty (the
	// default) or RouteQuery; Prepare finds out.
	CredRoute = "route"
	// CredSiteUsers says who the site's registered users are: SiteUsersStaff
	// (the default) or SiteUsersCustomers.
	CredSiteUsers = "site_users"
)

// Routes of the REST API (developer.wordpress.org/rest-api/key-concepts
// /#routes-endpoints): under /wp-json/ when the site has pretty
// permalinks, else as the rest_route query parameter, which always works.
const (
	RoutePretty = "wp-json"
	RouteQuery  = "rest_route"
)

// Who the site's registered users are.
const (
	// SiteUsersStaff: registered users are the brand's people. Their
	// replies to comments are the brand's answers (echoes); their own
	// top-level comments are skipped.
	SiteUsersStaff = "staff"
	// SiteUsersCustomers: registered users are customers (a shop whose
	// buyers have accounts); their comments are customers' like guests'.
	SiteUsersCustomers = "customers"
)

// Adapter connects WordPress sites. Register it once:
//
//	r.Register(care.ChannelWordPress, &wordpress.Adapter{Client: client})
//
// Its zero value is ready to use and it is safe for concurrent use.
type Adapter struct {
	// Client makes the API requests; nil means a client on
	// http.DefaultTransport. Deadlines come from the contexts given.
	Client *http.Client
	// Now is the clock for dates; nil means time.Now.
	Now func() time.Time
	// Logger notes what is skipped on purpose; nil means slog.Default().
	Logger *slog.Logger
	// SetupTimeout bounds the requests Prepare makes to the site; 0 means
	// 15 seconds.
	SetupTimeout time.Duration

	// routes remembers, per site, the route found to work when the inbox
	// does not say.
	routes sync.Map
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

// siteURL validates a site's address: https, or http to a loopback
// address (a local fake or development site), a host, an optional path,
// no query, fragment or user. It returns it without a trailing slash, or
// EINVALID.
func siteURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", care.Errorf(care.EINVALID, "credentials.%s is required: the site's address, like https://blog.example.com.", CredSiteURL)
	case err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", care.Errorf(care.EINVALID, "credentials.%s must be the site's address, like https://blog.example.com, without a query.", CredSiteURL)
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		// WordPress offers Application Passwords only over HTTPS (or on a
		// local development site): wp_is_application_passwords_available.
		return "", care.Errorf(care.EINVALID, "credentials.%s must be an https address: WordPress accepts Application Passwords only over HTTPS.", CredSiteURL)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/"), nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// appPassword is an Application Password without the spaces WordPress
// shows it with; WordPress ignores them too
// (wp_authenticate_application_password strips every character that is
// not a letter or digit).
func appPassword(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// me is the inbox's user id on the site: its external id, else its
// user_id credential.
func me(in care.Inbox) string {
	if in.ExternalID != "" {
		return in.ExternalID
	}
	return in.Credentials[CredUserID]
}

// siteUsers is the inbox's site_users, SiteUsersStaff unless it says
// SiteUsersCustomers.
func siteUsers(in care.Inbox) string {
	if in.Credentials[CredSiteUsers] == SiteUsersCustomers {
		return SiteUsersCustomers
	}
	return SiteUsersStaff
}

// validID reports whether s is a WordPress object id: a positive decimal
// number of at most 19 digits.
func validID(s string) bool {
	if s == "" || len(s) > 19 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
