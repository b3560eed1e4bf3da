package wordpress

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxCommentBytes is the most a comment's content may hold, in bytes
// after Parley escapes "&", "<" and ">": comment_content is a MySQL TEXT
// column, and WordPress refuses more than its 65,535 bytes less 10
// (wp_get_comment_column_max_length, wp_check_comment_data_max_lengths).
const MaxCommentBytes = 65_525

// createComment is the body of POST /wp/v2/comments
// (developer.wordpress.org/rest-api/reference/comments/#create-a-comment):
// the post, the comment answered, and the content. The author is the
// authenticated user.
type createComment struct {
	Post    int64  `json:"post"`
	Parent  int64  `json:"parent"`
	Content string `json:"content"`
}

// Send posts a reply as a comment of the inbox's user, under the comment
// it answers (the message named, else the customer's last one), on that
// comment's post. The text is plain: "&", "<" and ">" are escaped, and
// WordPress makes paragraphs of its lines. A comment held for moderation
// is approved first, as wp-admin's "Approve and Reply" does: a public
// answer under an invisible comment would make no sense.
//
// WordPress has no idempotency key. It refuses a comment identical to one
// the same author already left under the same parent (409
// comment_duplicate); Send takes that refusal for the comment it posted on
// an attempt whose answer was lost, finds it and returns its id, so a
// retried reply is posted once. The risk left: a site that disables the
// duplicate check (a plugin filtering duplicate_comment_id) posts a retry
// whose first answer was lost twice. An agent sending the very same text
// twice to one comment gets the first comment's id for the second.
//
// It returns a permanent *channel.SendError for a reply that is empty,
// private, has attachments or answers no comment, when the comment
// answered is gone (404), in spam or trash, its post closed to comments,
// or WordPress refuses the reply or the password; a temporary one when the
// site fails, limits requests or does not answer.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in, msg := out.Inbox, out.Message
	switch {
	case msg.Visibility != care.Public:
		return channel.Result{}, channel.Permanent("WordPress comments are public; there is no private reply", nil)
	case len(msg.Attachments) > 0:
		return channel.Result{}, channel.Permanent("Parley cannot attach files to WordPress comments: put a link in the text", nil)
	case strings.TrimSpace(msg.Text) == "":
		return channel.Result{}, channel.Permanent("the reply is empty", nil)
	}
	parentID := msg.ReplyToPlatformID
	if parentID == "" && out.LastInbound != nil {
		parentID = out.LastInbound.PlatformID
	}
	if !validID(parentID) {
		return channel.Result{}, channel.Permanent("the reply answers no WordPress comment", nil)
	}
	parent, r, err := a.get(ctx, in, parentID)
	if err != nil {
		if r != nil && r.status == http.StatusNotFound {
			return channel.Result{}, &channel.SendError{Permanent: true, Refused: true, Status: r.status, Reason: "the comment answered no longer exists on the site", Err: err}
		}
		return channel.Result{}, err
	}
	switch parent.Status {
	case "spam", "trash":
		// This comment's state, not the site's trouble.
		return channel.Result{}, &channel.SendError{Permanent: true, Refused: true, Reason: "the comment answered is in the site's " + parent.Status + "; restore it to answer it"}
	case "hold":
		if err := a.setStatus(ctx, in, parentID, "approve"); err != nil {
			return channel.Result{}, err
		}
	}
	post, _ := strconv.ParseInt(parent.post(), 10, 64)
	pid, _ := strconv.ParseInt(parentID, 10, 64)
	if post == 0 {
		return channel.Result{}, channel.Permanent("the comment answered belongs to no post", nil)
	}
	content := escapeText(strings.TrimSpace(msg.Text))
	if len(content) > MaxCommentBytes {
		return channel.Result{}, channel.Permanent("the reply is longer than WordPress takes", nil)
	}
	r, err = a.call(ctx, in, request{method: http.MethodPost, route: "/wp/v2/comments", body: createComment{Post: post, Parent: pid, Content: content}})
	if err != nil {
		return channel.Result{}, err
	}
	if r.ok() {
		var posted comment
		res := channel.Result{Status: care.DeliverySent}
		// A 2xx means the comment is posted; a body without a usable id
		// costs only the id, never a second comment.
		if json.Unmarshal(r.body, &posted) == nil {
			res.PlatformID = posted.id()
		}
		return res, nil
	}
	if e, ok := r.wpError(); ok && r.status == http.StatusConflict && e.Code == "comment_duplicate" {
		id, err := a.findDuplicate(ctx, in, parent.post(), parentID, content)
		if err != nil {
			a.logger().Warn("wordpress: a duplicate reply was not found; taken as sent", "inbox", in.ID, "parent", parentID, "err", err)
		}
		return channel.Result{Status: care.DeliverySent, PlatformID: id}, nil
	}
	e := refusal(r, a.now())
	if we, ok := r.wpError(); ok {
		// Both are the one post's state (WordPress's REST comments
		// controller answers them with 403): the site and the
		// application password work, so the inbox's health is left alone.
		switch we.Code {
		case "rest_comment_closed":
			e.Reason, e.Refused = "comments are closed on this post", true
		case "rest_comment_draft_post", "rest_comment_trash_post", "rest_comment_invalid_post_id":
			e.Reason, e.Refused = "the post is not published any more", true
		}
	}
	return channel.Result{}, e
}

// findDuplicate finds the inbox user's comment under parent whose content
// is content: the one WordPress found a duplicate of.
func (a *Adapter) findDuplicate(ctx context.Context, in care.Inbox, post, parent, content string) (string, error) {
	q := url.Values{"post": {post}, "parent": {parent}}
	if u := me(in); u != "" {
		q.Set("author", u)
	}
	list, err := a.list(ctx, in, q, "desc", 1)
	if err != nil {
		return "", err
	}
	want := normalizeContent(content)
	for _, c := range list.comments {
		if normalizeContent(c.Content.Raw) == want && (me(in) == "" || c.author() == me(in)) {
			return c.id(), nil
		}
	}
	return "", errors.New("wordpress: no comment of the inbox's user holds the reply")
}

// normalizeContent is comment content as WordPress may have stored it:
// trimmed, with CRLF as LF.
func normalizeContent(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// setStatus sets a comment's status with POST /wp/v2/comments/<id>
// {"status": …} (update a comment; WP_REST_Comments_Controller
// ::handle_status_param takes approve, hold, spam, unspam, trash and
// untrash).
func (a *Adapter) setStatus(ctx context.Context, in care.Inbox, id, status string) error {
	r, err := a.call(ctx, in, request{method: http.MethodPost, route: "/wp/v2/comments/" + id, body: map[string]string{"status": status}})
	if err != nil {
		return err
	}
	if !r.ok() {
		e := refusal(r, a.now())
		if r.status == http.StatusNotFound {
			e.Reason = "the comment no longer exists on the site"
		}
		return e
	}
	return nil
}
