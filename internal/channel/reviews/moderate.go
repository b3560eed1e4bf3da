package reviews

import (
	"context"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Moderate acts on a message of a review's conversation. Google lets a
// business delete its own reply and nothing more:
//
//   - Delete of the location's reply (Parley's, or an echo of one made
//     outside Parley) is DELETE /v4/{review}/reply
//     (…/accounts.locations.reviews/deleteReply), once Parley has checked
//     that the reply Google shows is still that one: a reply replaced by a
//     newer one is gone already, and deleting would remove the newer. A
//     reply already deleted counts as deleted.
//   - A customer's review cannot be hidden or deleted by the business, and
//     a reply cannot be hidden: those return a permanent
//     *channel.SendError whose cause is EINVALID, saying what to do
//     instead.
//
// Google's refusals are *channel.SendError, as for Send.
func (a *Adapter) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	loc, err := location(in)
	if err != nil {
		return channel.Permanent(care.ErrorMessage(err), err)
	}
	name, kind, hash, ok := parseID(loc, platformID)
	switch {
	case !ok:
		return refusal("This is not a Google review of this location, or a reply to one.")
	case kind != idReply && action == channel.Delete:
		return refusal("Google does not let a business delete a customer's review. If it breaks Google's policies, report it from the Business Profile (Reviews, then Report review); otherwise, answer it.")
	case kind != idReply:
		return refusal("Google does not let a business hide a customer's review. If it breaks Google's policies, report it from the Business Profile (Reviews, then Report review); otherwise, answer it.")
	case action != channel.Delete:
		return refusal("A reply to a Google review cannot be hidden: delete it, or reply again to replace it.")
	}
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: name})
	if err != nil {
		return err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		if r.status == http.StatusNotFound {
			e.Reason = "the review no longer exists on Google, and its reply went with it"
		}
		return e
	}
	current, err := parseReview(loc, r.body)
	switch {
	case err != nil:
		return channel.Temporary("Google's review was not understood", 0, err)
	case current.reply == nil:
		return nil
	case replyHash(current.reply.comment) != hash:
		return refusal("This reply was replaced by a newer one on Google, so it no longer shows; delete the newest reply instead.")
	}
	r, err = a.call(ctx, in, request{method: http.MethodDelete, path: name + "/reply"})
	if err != nil {
		return err
	}
	if !r.ok() && r.status != http.StatusNotFound {
		return apiError(r, a.now())
	}
	return nil
}
