package wordpress

import (
	"context"
	"net/http"
	"net/url"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Moderate hides, unhides or deletes a comment on the site, as a
// moderator does in wp-admin: Hide sets it back to held for moderation
// (status hold: the site stops showing it), Unhide approves it, and Delete
// moves it to the trash with DELETE /wp/v2/comments/<id>, which WordPress
// empties after 30 days (EMPTY_TRASH_DAYS). A site whose trash is turned
// off answers 501 rest_trash_not_supported; the comment is then deleted
// for good, as wp-admin would. Deleting a comment already trashed or gone
// succeeds. It returns a *channel.SendError for the site's refusals.
func (a *Adapter) Moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	if !validID(platformID) {
		return channel.Permanent("the message is not a WordPress comment", nil)
	}
	switch action {
	case channel.Hide:
		return a.setStatus(ctx, in, platformID, "hold")
	case channel.Unhide:
		return a.setStatus(ctx, in, platformID, "approve")
	case channel.Delete:
	default:
		return channel.Permanent("unknown moderation action", nil)
	}
	r, err := a.call(ctx, in, request{method: http.MethodDelete, route: "/wp/v2/comments/" + platformID})
	if err != nil {
		return err
	}
	if e, ok := r.wpError(); ok && r.status == http.StatusNotImplemented && e.Code == "rest_trash_not_supported" {
		r, err = a.call(ctx, in, request{method: http.MethodDelete, route: "/wp/v2/comments/" + platformID, query: url.Values{"force": {"true"}}})
		if err != nil {
			return err
		}
	}
	if e, ok := r.wpError(); r.ok() || ok && (r.status == http.StatusGone && e.Code == "rest_already_trashed" || r.status == http.StatusNotFound && e.Code == "rest_comment_invalid_id") {
		return nil
	}
	return refusal(r, a.now())
}
