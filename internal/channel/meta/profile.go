package meta

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Meta's messaging webhooks name the sender by a Page-scoped id (PSID) or
// an Instagram-scoped id (IGSID) and nothing else. The User Profile APIs
// turn that id into a name, with the inbox's token:
//
//   - Messenger: GET /{PSID}?fields=name,first_name,last_name
//     (developers.facebook.com/docs/messenger-platform/identity/user-profile).
//     The app needs Advanced Access to the Business Asset User Profile
//     Access feature. A person becomes visible once they message the Page
//     (or accept its message request, or tap Get Started); accounts made
//     with a phone number have no profile: error 2018218, "No profile
//     available for this user."
//   - Instagram: GET /{IGSID}?fields=name,username,follower_count,is_verified_user
//     (developers.facebook.com/docs/messenger-platform/instagram/features/user-profile,
//     and for Instagram Login developers.facebook.com/docs/instagram-platform/
//     instagram-api-with-instagram-login/messaging-api/user-profile). It needs
//     instagram_manage_messages (instagram_business_manage_messages with
//     Instagram Login). Consent is set only when the person messages the
//     account or taps an icebreaker or the persistent menu; before that, and
//     for someone who commented only, Meta answers code 230, "User consent is
//     required to access user profile". A person who blocks the account
//     cannot be seen either. name is null when the person set none.
//
// profile_pic is left out: Parley keeps no pictures of customers, and the
// URL Meta gives expires within days.

var (
	_ channel.ProfileFetcher = (*Messenger)(nil)
	_ channel.ProfileFetcher = (*Instagram)(nil)
)

// FetchProfile looks up the name of the person behind a PSID; see
// channel.ProfileFetcher.
func (m *Messenger) FetchProfile(ctx context.Context, in care.Inbox, psid string) (care.Author, error) {
	return m.adapter().fetchProfile(ctx, in, psid)
}

// FetchProfile looks up the name and username of the person behind an
// IGSID; see channel.ProfileFetcher.
func (g *Instagram) FetchProfile(ctx context.Context, in care.Inbox, igsid string) (care.Author, error) {
	return g.adapter().fetchProfile(ctx, in, igsid)
}

// profileFields are what each channel asks for.
var profileFields = map[care.Channel]string{
	care.ChannelFacebook:  "name,first_name,last_name",
	care.ChannelInstagram: "name,username,follower_count,is_verified_user",
}

type profileBody struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
	Followers int64  `json:"follower_count"`
	Verified  bool   `json:"is_verified_user"`
}

func (a *adapter) fetchProfile(ctx context.Context, in care.Inbox, id string) (care.Author, error) {
	// Only a person's numeric id is looked up: anything else (the
	// placeholder ids of hidden authors) would ask Meta for some other
	// object, and a slash or a query would change the request.
	if !isDigits(id) || len(id) > 64 {
		return care.Author{}, &channel.SendError{Permanent: true, Refused: true, Reason: "not a Meta user id"}
	}
	var p profileBody
	_, err := a.callQuery(ctx, in, http.MethodGet, []string{id}, url.Values{"fields": {profileFields[a.ch]}}, nil, &p)
	if err != nil {
		return care.Author{}, profileError(err)
	}
	name := p.Name
	if name == "" {
		name = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	au := care.Author{
		PlatformUserID: id,
		DisplayName:    channel.CleanName(name, care.MaxNameBytes),
		Handle:         channel.CleanName(p.Username, care.MaxNameBytes),
		Followers:      max(p.Followers, 0),
		Verified:       p.Verified,
	}
	if au.DisplayName == "" {
		// Instagram shows the username of a person who set no name.
		au.DisplayName = au.Handle
	}
	if au.DisplayName == "" {
		return care.Author{}, &channel.SendError{Permanent: true, Refused: true, Status: http.StatusOK,
			Reason: "Meta returned this person's profile without a name"}
	}
	return au, nil
}

// profileError recasts a failed look-up: the errors that concern this one
// person (no consent, no profile, blocked, an id this token cannot see)
// are Refused, so that the inbox is not taken for broken.
func profileError(err error) error {
	var se *channel.SendError
	if !errors.As(err, &se) {
		return err
	}
	var ge *graphError
	if !errors.As(se.Err, &ge) {
		return se
	}
	refuse := func(reason string) error {
		return &channel.SendError{Permanent: true, Refused: true, Status: se.Status, Reason: reason, Err: se.Err, RateLimit: se.RateLimit}
	}
	switch c, sub := ge.Code, ge.Subcode; {
	case c == 2018218 || sub == 2018218:
		return refuse("Meta has no profile for this person (an account made with a phone number)")
	case c == 230:
		return refuse("this person has not consented to share their profile: they have not messaged the account")
	case c == 100 && (sub == 33 || sub == 2018001):
		return refuse("Meta shows no such person to this account")
	case se.Refused:
		return se
	}
	return se
}
