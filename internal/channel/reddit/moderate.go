package reddit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Moderation (www.reddit.com/dev/api#POST_api_remove, #POST_api_approve;
// scope modposts): a moderator of a subreddit can remove a comment or post
// from it (POST /api/remove, id=<fullname>, spam=false) and approve it
// back (POST /api/approve, id=<fullname>); both answer {}. Only moderators
// may: anyone else gets 403. Reddit has no delete for other people's
// comments, so Delete removes, like Hide; the comment stays removed (the
// author still sees it, nobody else does) and Parley marks it deleted.

// Moderate hides (removes), unhides (approves) or deletes (removes) the
// comment or post platformID, in a subreddit the account moderates. It
// returns a permanent *channel.SendError for a private message, an
// unknown action, or a 403: "the account is not a moderator here".
func (a *Adapter) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	switch kindOf(platformID) {
	case kindComment, kindLink:
	default:
		return channel.Permanent("only comments and posts can be moderated on Reddit", nil)
	}
	form := url.Values{"id": {platformID}}
	path := "/api/remove"
	switch action {
	case channel.Hide:
		form.Set("spam", "false")
	case channel.Delete:
		form.Set("spam", "false")
		a.logger().Info("reddit: moderators cannot delete other people's comments; removing instead", "inbox", in.ID, "item", platformID)
	case channel.Unhide:
		path = "/api/approve"
	default:
		return channel.Permanent("unknown moderation action", nil)
	}
	r, err := a.call(ctx, in, request{method: http.MethodPost, path: path, form: form, limit: maxErrorBytes})
	if err != nil {
		return err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		if r.status == http.StatusForbidden {
			e.Reason = "the account is not a moderator here (or the app lacks the modposts scope): only a subreddit's moderators can remove or approve its comments"
		}
		return e
	}
	var env envelope
	if json.Unmarshal(r.body, &env) == nil && env.JSON != nil && len(env.JSON.Errors) > 0 {
		e := envelopeError(env.JSON.Errors, a.now())
		e.RateLimit = r.rate.String()
		return e
	}
	return nil
}
