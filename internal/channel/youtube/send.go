package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// insertRequest is the body of POST /youtube/v3/comments?part=snippet
// (developers.google.com/youtube/v3/docs/comments/insert): a comment
// resource with its parent and text.
type insertRequest struct {
	Snippet struct {
		ParentID     string `json:"parentId"`
		TextOriginal string `json:"textOriginal"`
	} `json:"snippet"`
}

// noPrivate is why a private reply cannot be sent.
const noPrivate = "YouTube has no private messages: answer in the comment thread, in public"

// Send posts one reply with comments.insert, into the thread of the
// message it answers (else the customer's last message): YouTube takes
// replies only to top-level comments, so a reply to a reply goes to its
// thread's top-level comment, starting with the @handle of the person
// answered when Parley knows it (the customer's last message is the one
// answered) and the text does not name them already. It costs 50 units of
// the inbox's daily quota; Result.RateLimit is the quota after it.
//
// YouTube has no idempotency key. A send whose outcome is unknown (no
// answer, a 5xx) is remembered, and its retry first looks among the
// thread's replies (1 unit a page) for the channel's reply with the same
// text, and returns that one instead of posting again. The memory is this
// process's: a retry after a restart may post twice.
//
// It returns a permanent *channel.SendError for a private reply, one with
// attachments, an empty one, one longer than MaxTextChars, one answering
// no comment, and YouTube's refusals (commentsDisabled, forbidden,
// parentCommentNotFound, processingFailure, …); a temporary one when the
// day's quota is spent (until the Pacific midnight reset), YouTube is
// rate limiting or failing, or cannot be reached.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in, msg := out.Inbox, out.Message
	defer a.saveQuota(ctx, in.ID)
	brand, err := brandChannel(in)
	if err != nil {
		return channel.Result{}, err
	}
	switch {
	case msg.Visibility == care.Private:
		return channel.Result{}, channel.Permanent(noPrivate, nil)
	case msg.Visibility != care.Public:
		return channel.Result{}, channel.Permanent("only public replies are sent to YouTube", nil)
	case len(msg.Attachments) > 0:
		return channel.Result{}, channel.Permanent("YouTube comments are text only: put a link to the file in the text", nil)
	case strings.TrimSpace(msg.Text) == "":
		return channel.Result{}, channel.Permanent("the reply is empty", nil)
	}
	answered := msg.ReplyToPlatformID
	if answered == "" && out.LastInbound != nil {
		answered = out.LastInbound.PlatformID
	}
	parent, ok := ThreadOf(answered)
	if !ok {
		return channel.Result{}, channel.Permanent("the reply answers no YouTube comment: replies go into a comment thread", nil)
	}
	text := msg.Text
	if n := utf8.RuneCountInString(text); n > MaxTextChars {
		return channel.Result{}, channel.Permanent("YouTube comments are limited to "+strconv.Itoa(MaxTextChars)+" characters; the reply has "+strconv.Itoa(n), nil)
	}
	if t := withMention(text, mentionOf(out, answered)); utf8.RuneCountInString(t) <= MaxTextChars {
		text = t
	}

	key := out.IdempotencyKey
	if since, ok := a.sends.Since(key, a.now()); ok {
		id, err := a.findReply(ctx, in, brand, parent, text, since)
		if err != nil {
			return channel.Result{}, err
		}
		if id != "" {
			a.sends.Forget(key)
			return channel.Result{PlatformID: id, Status: care.DeliverySent, RateLimit: a.quotaLine(in)}, nil
		}
	}
	var body insertRequest
	body.Snippet.ParentID, body.Snippet.TextOriginal = parent, text
	b, err := json.Marshal(body)
	if err != nil {
		return channel.Result{}, channel.Permanent("the reply cannot be encoded", err)
	}
	attempted := a.now()
	var spent int
	r, err := a.call(ctx, in, request{op: opReply, method: http.MethodPost, path: "/youtube/v3/comments",
		query: url.Values{"part": {"snippet"}}, body: b, spent: &spent})
	if err != nil {
		if spent > 0 {
			// Sent, and no answer: it may have been posted.
			a.sends.Remember(key, attempted)
		}
		return channel.Result{}, withQuota(err, a.quotaLine(in))
	}
	if !r.ok() {
		if r.status >= 500 {
			a.sends.Remember(key, attempted)
		}
		st := a.quota.state(in.ID, limitsOf(in), a.now())
		e := apiError(r, opReply, st.reset, a.now())
		e.RateLimit = st.String()
		return channel.Result{}, e
	}
	a.sends.Forget(key)
	res := channel.Result{Status: care.DeliverySent, RateLimit: a.quotaLine(in)}
	// A 2xx means the reply is posted; an answer without a usable id
	// costs only the id, never a second reply.
	var posted comment
	if json.Unmarshal(r.body, &posted) == nil && validCommentID(posted.ID) {
		res.PlatformID = posted.ID
		if author := posted.Snippet.AuthorChannelID.Value; author != "" && author != brand {
			// The refresh token is another channel's: the reply went out
			// under that channel's name.
			a.logger().Error("youtube: a reply was posted by another channel than the inbox's: connect the inbox with the channel owner's account",
				"inbox", in.ID, "channel", brand, "posted_by", channel.Excerpt([]byte(author), 64))
		}
	}
	return res, nil
}

// maxLookupPages bounds the pages of a thread's replies read to find a
// reply whose sending had no answer.
const maxLookupPages = 5

// findReply looks among thread parent's replies for the channel's reply
// with text, posted since (a minute of clock skew allowed), and returns
// its id, "" if there is none.
func (a *Adapter) findReply(ctx context.Context, in care.Inbox, brand, parent, text string, since time.Time) (string, error) {
	q := url.Values{"part": {"snippet"}, "parentId": {parent}, "textFormat": {"plainText"}, "maxResults": {strconv.Itoa(pageSize)}}
	m := mapper{brand: brand, now: a.now()}
	for range maxLookupPages {
		r, err := a.call(ctx, in, request{op: opLookup, method: http.MethodGet, path: "/youtube/v3/comments", query: q, limit: maxPageBytes})
		if err != nil {
			return "", err
		}
		if !r.ok() {
			st := a.quota.state(in.ID, limitsOf(in), a.now())
			e := apiError(r, opLookup, st.reset, a.now())
			e.RateLimit = st.String()
			return "", e
		}
		var page listResponse
		if err := json.Unmarshal(r.body, &page); err != nil {
			return "", channel.Temporary("YouTube's list of replies was not understood", 0, err)
		}
		for _, raw := range page.Items {
			var c comment
			if json.Unmarshal(raw, &c) != nil || c.Snippet.AuthorChannelID.Value != brand || !validCommentID(c.ID) {
				continue
			}
			at, ok := m.time(c.Snippet.PublishedAt)
			if ok && !at.Before(since.Add(-time.Minute)) && (c.Snippet.TextOriginal == text || c.Snippet.TextDisplay == text) {
				return c.ID, nil
			}
		}
		if page.NextPageToken == "" || !validToken(page.NextPageToken) {
			return "", nil
		}
		q.Set("pageToken", page.NextPageToken)
	}
	return "", nil
}

// mentionOf returns the handle, without "@", to start a reply with: that
// of the author of the reply answered, when the message answered is the
// customer's last and Parley knows its author's handle. A reply to a
// top-level comment needs none: YouTube notifies its author. An author
// without a channel has no handle: an "@name" they show may be another's.
func mentionOf(out channel.Outbound, answered string) string {
	last := out.LastInbound
	if !isReplyID(answered) || last == nil {
		return ""
	}
	a, _ := CommentOf(answered)
	l, _ := CommentOf(last.PlatformID)
	if a != l {
		return ""
	}
	if last.ContactID != 0 && last.ContactID == out.Contact.ID {
		id, ok := out.Recipient()
		switch {
		case ok && strings.HasPrefix(id.PlatformUserID, noChannelPrefix):
			return ""
		case ok && validHandle(id.Handle):
			return id.Handle
		}
	}
	if h, ok := strings.CutPrefix(last.AuthorName, "@"); ok && validHandle(h) {
		return h
	}
	return ""
}

// withMention returns text starting with @handle unless handle is "" or
// text names it already.
func withMention(text, handle string) string {
	if handle == "" || strings.Contains(strings.ToLower(text), "@"+strings.ToLower(handle)) {
		return text
	}
	return "@" + handle + " " + text
}

// quotaLine is the inbox's quota as the health line shows it.
func (a *Adapter) quotaLine(in care.Inbox) string {
	return a.quota.state(in.ID, limitsOf(in), a.now()).String()
}

// withQuota adds the quota to a *channel.SendError that lacks it.
func withQuota(err error, line string) error {
	var se *channel.SendError
	if errors.As(err, &se) && se.RateLimit == "" {
		se.RateLimit = line
	}
	return err
}
