package youtube

import (
	"context"
	"net/http"
	"net/url"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// moderationStatus is the status comments.setModerationStatus sets for
// each action (developers.google.com/youtube/v3/docs/comments/setModerationStatus):
// hiding holds the comment for review, which takes it off the video until
// it is published again; deleting rejects it, which "also effectively
// hides all replies to the rejected comment". The author is not banned.
var moderationStatus = map[channel.ModerationAction]string{
	channel.Hide:   "heldForReview",
	channel.Unhide: "published",
	channel.Delete: "rejected",
}

// Moderate hides, unhides or deletes a comment on the channel with
// comments.setModerationStatus, which YouTube answers 204 No Content. It
// costs 50 units of the inbox's daily quota. An edit's platform id
// moderates the comment edited. It returns a permanent *channel.SendError
// for an id that names no comment and for YouTube's refusals
// (commentNotFound, forbidden: only the channel's owner may moderate), a
// temporary one when the day's quota is spent (until the Pacific midnight
// reset) or YouTube is rate limiting, failing or out of reach.
func (a *Adapter) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	defer a.saveQuota(ctx, in.ID)
	status, ok := moderationStatus[action]
	if !ok {
		return channel.Permanent("unknown moderation action", nil)
	}
	id, ok := CommentOf(platformID)
	if !ok {
		return channel.Permanent("the message is not a YouTube comment", nil)
	}
	if _, err := brandChannel(in); err != nil {
		return err
	}
	r, err := a.call(ctx, in, request{op: opModerate, method: http.MethodPost, path: "/youtube/v3/comments/setModerationStatus",
		query: url.Values{"id": {id}, "moderationStatus": {status}}})
	if err != nil {
		return withQuota(err, a.quotaLine(in))
	}
	if !r.ok() {
		st := a.quota.state(in.ID, limitsOf(in), a.now())
		e := apiError(r, opModerate, st.reset, a.now())
		e.RateLimit = st.String()
		return e
	}
	return nil
}
