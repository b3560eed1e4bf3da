package reviews

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Send answers a review with PUT /v4/{review}/reply and a ReviewReply,
// {"comment": text} (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/updateReply:
// "Updates the reply to the specified review. A reply is created if one
// does not exist."). A review has one reply: a second reply from Parley
// replaces the first on Google. The review is the one the message answers
// (an edit or a reply in its conversation names it too), else the
// customer's last message's. The result's PlatformID is the reply's
// message id, which the next poll's echo of the reply shares, so the core
// knows it for Parley's own.
//
// The request sets the reply rather than adding one, so a retried send
// never posts twice; a retry of an older reply that arrives after a newer
// one would put the older text back, which is why the outbox's retries of
// one conversation's replies must not overtake each other.
//
// It returns a permanent *channel.SendError for a private reply (Google
// reviews have none), attachments, an empty reply or one over
// MaxReplyBytes, a message that names no review of the inbox's location, a
// review gone from Google (404), a reply Google's moderation rejected
// (reviewReplyState REJECTED, with its policyViolation), an unverified
// location, and a refused grant; a temporary one when the quota is spent
// (until it refills) or Google fails or does not answer.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in, msg := out.Inbox, out.Message
	loc, err := location(in)
	if err != nil {
		return channel.Result{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	switch {
	case msg.Visibility == care.Private:
		return channel.Result{}, channel.Permanent("Google reviews cannot be answered privately: the only answer is the public reply", nil)
	case msg.Visibility != care.Public:
		return channel.Result{}, channel.Permanent("only public replies are sent to Google", nil)
	case len(msg.Attachments) > 0:
		return channel.Result{}, channel.Permanent("a reply to a Google review is text only", nil)
	case strings.TrimSpace(msg.Text) == "":
		return channel.Result{}, channel.Permanent("the reply is empty", nil)
	case len(msg.Text) > MaxReplyBytes:
		return channel.Result{}, channel.Permanent("Google takes replies of at most 4096 bytes", nil)
	case !utf8.ValidString(msg.Text):
		return channel.Result{}, channel.Permanent("the reply is not valid text", nil)
	}
	target := msg.ReplyToPlatformID
	if target == "" && out.LastInbound != nil {
		target = out.LastInbound.PlatformID
	}
	name, _, _, ok := parseID(loc, target)
	if !ok {
		return channel.Result{}, channel.Permanent("the message answered is not a review of this location", nil)
	}
	body, err := json.Marshal(replyJSON{Comment: msg.Text})
	if err != nil {
		return channel.Result{}, channel.Permanent("the reply cannot be encoded", err)
	}
	r, err := a.call(ctx, in, request{method: http.MethodPut, path: name + "/reply", body: body})
	if err != nil {
		return channel.Result{}, err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		switch r.status {
		case http.StatusNotFound:
			// This review's trouble: the location and its grant work.
			e.Reason, e.Refused = "the review no longer exists on Google (its author deleted it, or Google removed it)", true
		case http.StatusBadRequest:
			if !strings.Contains(e.Reason, "not verified") {
				e.Reason = "Google refused the reply (" + errorMessage(r) + ")"
			}
		}
		return channel.Result{}, e
	}
	// A 2xx means the reply is set; the answer, a ReviewReply, says how
	// Google stored the text, which is what the next poll will read.
	var got replyJSON
	comment := msg.Text
	if json.Unmarshal(r.body, &got) == nil && strings.TrimSpace(got.Comment) != "" {
		comment = got.Comment
	}
	if got.ReviewReplyState == replyRejected {
		// Stored, and never shown: Google's moderation refused this text
		// (PENDING is shown once approved, and counts as sent).
		reason := "Google rejected the reply under its policy for replies"
		if v := violation(got.PolicyViolation); v != "" {
			reason += " (" + v + ")"
		}
		return channel.Result{}, &channel.SendError{Permanent: true, Refused: true, Status: r.status,
			Reason: reason + ": it is not shown on the review; change it and send it again",
			Err:    errors.New("reviews: reply rejected: " + channel.Excerpt(got.PolicyViolation, 100))}
	}
	return channel.Result{PlatformID: ReplyID(name, strings.TrimSpace(channel.CleanText(comment, care.MaxTextBytes))), Status: care.DeliverySent}, nil
}
