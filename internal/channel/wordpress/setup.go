package wordpress

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// defaultSetupTimeout bounds Prepare's requests to the site.
const defaultSetupTimeout = 15 * time.Second

// Prepare validates a new WordPress inbox and connects it (see Connect),
// with the adapter's SetupTimeout. It returns EINVALID naming what is
// wrong: site_url not an https address, no username, an
// application_password that is not one, an unknown site_users or route,
// credentials the site refuses, or a user who cannot moderate comments;
// EUNAVAILABLE when the site cannot be reached.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	site, err := siteURL(c[CredSiteURL])
	if err != nil {
		return err
	}
	c[CredSiteURL] = site
	if c[CredUsername] = strings.TrimSpace(c[CredUsername]); c[CredUsername] == "" {
		return care.Errorf(care.EINVALID, "credentials.%s is required: the WordPress user Parley answers as (an Editor or Administrator).", CredUsername)
	}
	// WordPress generates 24 letters and digits (WP_Application_Passwords
	// ::PW_LENGTH) and shows them in groups of four.
	if p := appPassword(c[CredAppPassword]); len(p) != 24 || len(c[CredAppPassword]) > 64 {
		return care.Errorf(care.EINVALID, "credentials.%s is not an Application Password: create one under Users > Profile > Application Passwords (24 letters and digits, shown once).", CredAppPassword)
	}
	switch c[CredSiteUsers] {
	case "", SiteUsersStaff, SiteUsersCustomers:
	default:
		return care.Errorf(care.EINVALID, "credentials.%s must be %q (the default) or %q.", CredSiteUsers, SiteUsersStaff, SiteUsersCustomers)
	}
	switch c[CredRoute] {
	case "", RoutePretty, RouteQuery:
	default:
		return care.Errorf(care.EINVALID, "credentials.%s must be %q or %q, or left out for Parley to find.", CredRoute, RoutePretty, RouteQuery)
	}
	timeout := a.SetupTimeout
	if timeout <= 0 {
		timeout = defaultSetupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return a.Connect(ctx, in)
}

// userMe is what GET /wp/v2/users/me?context=edit says of the user
// (developer.wordpress.org/rest-api/reference/users/#retrieve-a-user-2).
type userMe struct {
	ID           channel.LooseID `json:"id"`
	Name         string          `json:"name"`
	Capabilities map[string]bool `json:"capabilities"`
}

// Connect asks the site who the inbox's user is, and records it:
// ExternalID and user_id become the user's id, and route the way the site
// answered (RouteQuery when its /wp-json/ addresses are not WordPress's,
// the site having no pretty permalinks). It returns EINVALID when the
// site refuses the credentials or the user cannot moderate comments
// (moderate_comments: Editors and Administrators), or is another user
// than ExternalID; EUNAVAILABLE when the site cannot be reached.
func (a *Adapter) Connect(ctx context.Context, in *care.Inbox) error {
	c := in.Credentials
	site, err := siteURL(c[CredSiteURL])
	if err != nil {
		return err
	}
	r, err := a.call(ctx, *in, request{method: http.MethodGet, route: "/wp/v2/users/me", query: url.Values{"context": {"edit"}}})
	if err != nil {
		var se *channel.SendError
		if errors.As(err, &se) && se.Permanent {
			return care.Errorf(care.EINVALID, "%s", se.Reason)
		}
		return care.Errorf(care.EUNAVAILABLE, "The WordPress site at %s could not be reached: %s.", site, strings.TrimSuffix(errReason(err), "."))
	}
	if !r.ok() {
		if _, wp := r.wpError(); !wp && r.status == http.StatusNotFound {
			return care.Errorf(care.EINVALID, "%s does not answer as a WordPress site with its REST API (404 at /wp-json/ and at ?rest_route=); check the address, and that no plugin turns the REST API off.", site)
		}
		e := refusal(r, a.now())
		if !e.Permanent {
			return care.Errorf(care.EUNAVAILABLE, "%s.", strings.TrimSuffix(e.Reason, "."))
		}
		return care.Errorf(care.EINVALID, "%s.", strings.TrimSuffix(e.Reason, "."))
	}
	var u userMe
	if err := json.Unmarshal(r.body, &u); err != nil || !validID(string(u.ID)) {
		return care.Errorf(care.EINVALID, "%s answered /wp/v2/users/me with something that is not a WordPress user.", site)
	}
	id := string(u.ID)
	switch {
	case in.ExternalID != "" && in.ExternalID != id:
		return care.Errorf(care.EINVALID, "The application password belongs to user %s, not to %s, the inbox's external_id.", id, in.ExternalID)
	case !u.Capabilities["moderate_comments"]:
		return care.Errorf(care.EINVALID, "The WordPress user %q cannot moderate comments: Parley reads held comments and moderates as the user, so it needs an Editor or Administrator.", channel.CleanName(u.Name, 100))
	}
	in.ExternalID = id
	c[CredUserID] = id
	if c[CredRoute] == "" {
		c[CredRoute] = RoutePretty
		if v, ok := a.routes.Load(site); ok && v.(string) == RouteQuery {
			c[CredRoute] = RouteQuery
		}
	}
	return nil
}

// errReason is the reason of a *channel.SendError, or the error.
func errReason(err error) string {
	var se *channel.SendError
	if errors.As(err, &se) && se.Reason != "" {
		return se.Reason
	}
	return err.Error()
}

// Instructions are what to create on the site, and what Parley does.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	site, err := siteURL(in.Credentials[CredSiteURL])
	if err != nil {
		site = "https://<your site>"
	}
	user := "not connected yet"
	if id := me(in); id != "" {
		user = in.Credentials[CredUsername] + " (user " + id + ")"
	}
	users := "staff: their replies to comments are shown as the brand's answers; their own comments are skipped"
	if siteUsers(in) == SiteUsersCustomers {
		users = "customers: their comments arrive like guests'"
	}
	return []channel.Instruction{
		{Label: "Application Password", Value: "In " + site + "/wp-admin/profile.php, signed in as an Editor or Administrator Parley answers as, under Application Passwords: name it \"Parley\", Add, and paste the password shown as application_password. Revoking it there disconnects Parley."},
		{Label: "User", Value: user},
		{Label: "Receiving", Value: "Parley reads the site's new comments, approved and held for moderation, every " + strconv.Itoa(int(pollInterval/time.Second)) + " seconds; nothing to install on the site."},
		{Label: "Registered users", Value: users},
		{Label: "Replies", Value: "posted as comments of that user under the comment answered; a held comment is approved first."},
	}
}
