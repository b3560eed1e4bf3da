package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Outbound (www.reddit.com/dev/api#POST_api_comment and #POST_api_compose;
// r2/r2/controllers/api.py):
//
//   - POST /api/comment, form api_type=json, thing_id, text: "the fullname
//     of a Link: a top-level comment in that Link's thread; … of a
//     Comment: a comment reply to that comment; … of a Message: a message
//     reply to that message". It answers {"json": {"errors": [], "data":
//     {"things": [{"kind": "t1", "data": {…, "name": "t1_…"}}]}}}.
//   - POST /api/compose, form api_type=json, to, subject (at most 100
//     characters), text: a new message. It answers {"json": {"errors":
//     []}}, without the message's id.
//
// Both refuse with HTTP 200 and the errors in the envelope, each
// [code, message, field]: RATELIMIT ("you are doing that too much. try
// again in 5 minutes."), THREAD_LOCKED, DELETED_COMMENT, TOO_OLD, TOO_LONG,
// USER_BLOCKED, USER_DOESNT_EXIST, … (r2/r2/lib/errors.py).

// Plan kinds.
const (
	planComment = "comment" // a public comment under a post or comment
	planReply   = "reply"   // a message in an existing thread of messages
	planCompose = "compose" // a new message
)

// plan is what Send does for one reply.
type plan struct {
	kind    string
	thingID string // what a comment or reply answers
	to      string // compose's recipient: a username, or r/<subreddit>
	subject string // compose's subject
	text    string
}

// Send delivers one reply and returns its fullname:
//
//   - A public reply is a comment answering the message it names, else
//     the customer's last public message: a comment (t1) or a post (t3).
//   - A private reply answering a message (t4), or the customer's last
//     private message when it names none, is a reply in that thread.
//   - A private reply to a customer who wrote only in public, or to one of
//     their comments, is a new message (/api/compose) to their username,
//     with the subject "Re: " and the conversation's subject (the thread's
//     title), cut to 100 characters. Reddit does not say its id, so Send
//     looks for it among the account's sent messages.
//
// Reddit takes no idempotency key. When an attempt goes unanswered (a
// timeout, a reset connection, a 5xx), the outbox's key is remembered and
// the next attempt first looks for the reply on Reddit, among the
// account's newest comments (GET /user/<name>/comments) or sent messages
// (GET /message/sent); found, it is reported sent. See reconcile.go for
// what remains of the risk of a double post.
//
// It returns a permanent *channel.SendError when the reply cannot be sent
// as asked (attachments, over 10,000 characters, nothing public to answer,
// a deleted account) or Reddit refuses it for good (THREAD_LOCKED,
// DELETED_COMMENT, TOO_OLD, TOO_LONG, USER_BLOCKED, 403, …), and a
// temporary one when Reddit asks to wait (RATELIMIT with the wait it
// names, 429 until the period resets), fails (5xx) or does not answer.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	p, err := planOf(out)
	if err != nil {
		return channel.Result{}, err
	}
	in := out.Inbox
	key := out.IdempotencyKey
	if since, ok := a.unanswered.Since(key, a.now()); ok {
		res, found, err := a.reconcile(ctx, in, p, since)
		if err != nil {
			return channel.Result{}, err
		}
		if found {
			a.unanswered.Forget(key)
			return res, nil
		}
	}
	started := a.now()
	res, err := a.deliver(ctx, in, p)
	switch {
	case err == nil:
		a.unanswered.Forget(key)
		if p.kind == planCompose && res.PlatformID == "" {
			// Best effort: the id lets the customer's answer join this
			// conversation by its parent_id.
			if found, ok, _ := a.reconcile(ctx, in, p, started); ok {
				res.PlatformID = found.PlatformID
			}
		}
	case errors.Is(err, errNoAnswer):
		a.unanswered.Remember(key, a.now())
	}
	return res, err
}

// errNoAnswer marks a failure after which the reply may or may not be on
// Reddit.
var errNoAnswer = errors.New("reddit: the request may have been carried out")

// planOf decides what Send does, or returns a permanent *channel.SendError
// saying why the reply cannot be sent.
func planOf(out channel.Outbound) (plan, error) {
	msg := out.Message
	if len(msg.Attachments) > 0 {
		return plan{}, channel.Permanent("Parley cannot attach files to Reddit replies: put a link to the file in the text", nil)
	}
	if strings.TrimSpace(msg.Text) == "" {
		return plan{}, channel.Permanent("the reply is empty", nil)
	}
	if n := utf8.RuneCountInString(msg.Text); n > MaxTextChars {
		return plan{}, channel.Permanent("the reply is longer than Reddit's 10,000 characters", nil)
	}
	p := plan{text: msg.Text}
	replyTo := msg.ReplyToPlatformID
	if replyTo == "" && out.LastInbound != nil {
		replyTo = out.LastInbound.PlatformID
	}
	switch msg.Visibility {
	case care.Public:
		switch kindOf(replyTo) {
		case kindComment, kindLink:
			p.kind, p.thingID = planComment, replyTo
			return p, nil
		case kindMessage:
			return plan{}, channel.Permanent("the customer wrote a private message: a public reply needs a comment to answer; reply privately", nil)
		}
		return plan{}, channel.Permanent("a public reply on Reddit answers a comment or post, and there is none to answer", nil)
	case care.Private:
	default:
		return plan{}, channel.Permanent("only public and private replies are sent", nil)
	}
	if kindOf(replyTo) == kindMessage {
		p.kind, p.thingID = planReply, replyTo
		return p, nil
	}
	to, err := recipient(out)
	if err != nil {
		return plan{}, err
	}
	p.kind, p.to, p.subject = planCompose, to, subjectFor(out.Conversation.Subject)
	return p, nil
}

// recipient is the address of a new message to the contact: their
// username, or r/<name> for a subreddit.
func recipient(out channel.Outbound) (string, error) {
	id, ok := out.Recipient()
	if !ok {
		return "", channel.Permanent("the contact has no Reddit identity", nil)
	}
	switch u := id.PlatformUserID; {
	case strings.HasPrefix(u, deletedAuthor):
		// The customer's account is gone, as USER_DOESNT_EXIST says: this
		// reply's trouble, not the inbox's.
		return "", &channel.SendError{Permanent: true, Refused: true, Reason: "the customer's Reddit account was deleted: they cannot be sent a message"}
	case strings.HasPrefix(u, "r/") && validSubreddit(u[2:]):
		return u, nil
	case validUsername(id.Handle) && strings.EqualFold(id.Handle, u):
		return id.Handle, nil
	case validUsername(u):
		return u, nil
	}
	return "", channel.Permanent("the contact's Reddit identity is not a username", nil)
}

// subjectFor derives a new message's subject from the conversation's:
// "Re: " and its subject (the title of the thread the customer wrote in),
// or "Re: your comment on Reddit", cut to MaxSubjectChars characters.
func subjectFor(conv string) string {
	s := channel.CleanName(conv, 4*MaxSubjectChars)
	switch {
	case s == "":
		s = "Re: your comment on Reddit"
	case !strings.HasPrefix(strings.ToLower(s), "re:"):
		s = "Re: " + s
	}
	if utf8.RuneCountInString(s) > MaxSubjectChars {
		r := []rune(s)
		s = string(r[:MaxSubjectChars-1]) + ellipsis
	}
	return s
}

// deliver makes the request of p.
func (a *Adapter) deliver(ctx context.Context, in care.Inbox, p plan) (channel.Result, error) {
	form := url.Values{"api_type": {"json"}, "text": {p.text}}
	path := "/api/comment"
	if p.kind == planCompose {
		path = "/api/compose"
		form.Set("to", p.to)
		form.Set("subject", p.subject)
	} else {
		form.Set("thing_id", p.thingID)
	}
	r, err := a.call(ctx, in, request{method: http.MethodPost, path: path, form: form, limit: maxErrorBytes * 4})
	if err != nil {
		return channel.Result{}, err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		switch {
		case r.status >= 500:
			e.Err = errors.Join(errNoAnswer, e.Err)
		case r.status == http.StatusForbidden && p.kind == planReply:
			e.Reason = "Reddit refused the reply (403): this message cannot be answered (or the app lacks the privatemessages scope)"
		case r.status == http.StatusForbidden:
			e.Reason = "Reddit refused the reply (403): the account may be banned from the subreddit, or the app lacks the submit scope"
		case r.status == http.StatusNotFound:
			e.Reason = "the comment or message being answered no longer exists on Reddit"
		}
		return channel.Result{}, e
	}
	var env envelope
	if err := json.Unmarshal(r.body, &env); err != nil || env.JSON == nil {
		// Accepted, perhaps, with an answer Parley cannot read: look for
		// the reply before sending it again.
		return channel.Result{}, &channel.SendError{Reason: "Reddit's answer was not understood", RateLimit: r.rate.String(),
			Err: errors.Join(errNoAnswer, err)}
	}
	if len(env.JSON.Errors) > 0 {
		e := envelopeError(env.JSON.Errors, a.now())
		e.RateLimit = r.rate.String()
		return channel.Result{}, e
	}
	res := channel.Result{Status: care.DeliverySent, RateLimit: r.rate.String()}
	// Accepted: an answer without a usable fullname costs only the id,
	// never a second post.
	if env.JSON.Data != nil {
		for _, t := range env.JSON.Data.Things {
			if name := string(t.Data.Name); validFullname(name) {
				res.PlatformID = name
				break
			}
		}
	}
	return res, nil
}

// envelope is the answer of a POST with api_type=json.
type envelope struct {
	JSON *struct {
		Errors [][]nullString `json:"errors"`
		Data   *struct {
			Things []thing `json:"things"`
		} `json:"data"`
	} `json:"json"`
}
