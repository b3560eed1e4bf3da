package channel

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
)

// ProfileFetcher is implemented by adapters whose platform tells Parley who
// wrote only by an opaque id (Meta's messaging webhooks carry a PSID or an
// IGSID and no name) and can look the person's profile up with the inbox's
// credentials. Parley asks in the background, never while receiving: a
// webhook is acknowledged first and the name follows.
//
// FetchProfile returns the person's profile with PlatformUserID as given and
// DisplayName and Handle cleaned with CleanName; a profile with neither is
// an unavailable one. A failure is a *SendError: Refused when this person's
// profile cannot be had (they did not consent, they block the account, the
// platform keeps no profile for them), so asking again soon is pointless;
// Permanent without Refused when the inbox cannot look anyone up (the token
// expired, a permission is missing); otherwise temporary, with the
// platform's wait in RetryAfter when it throttles.
type ProfileFetcher interface {
	FetchProfile(ctx context.Context, inbox care.Inbox, platformUserID string) (care.Author, error)
}

// ProfileFetcher returns ch's adapter if it looks profiles up.
func (r *Registry) ProfileFetcher(ch care.Channel) (ProfileFetcher, bool) {
	return as[ProfileFetcher](r, ch)
}
