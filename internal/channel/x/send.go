package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Send delivers an agent's reply: a public reply as a post answering
// Message.ReplyToPlatformID (POST /2/tweets with reply.in_reply_to_tweet_id),
// a private one as a DM to the contact's X identity
// (POST /2/dm_conversations/with/:participant_id/messages), both with the
// inbox's access token as bearer. The result's PlatformID is the new post's
// id or the DM event's id, and its RateLimit the endpoint's budget as X
// reported it.
//
// Errors are *channel.SendError. Permanent: a public reply with nothing to
// reply to, a DM to a contact without an X identity, attachments (not
// supported yet), text over X's limits, and X's 400, 401, 403 and 404, with
// a reason the agent can act on (X's 2026 rule that apps reply only to posts
// that summon the brand is explained as such), and the 429 of X's
// usage-capped problem (the App's monthly cap). Refused among them, so that
// the inbox's health stays clear: those of this reply alone (see sendError).
// Temporary: 408, 425, 429 (not before the rate-limit window resets, or a
// spent daily cap's reset) and 5xx, and a request that got no answer.
//
// X takes no idempotency key. When a request went out and no answer came
// back, the adapter remembers the reply's IdempotencyKey, and before the
// next attempt looks for the post or DM among the account's latest; finding
// it, it reports that one instead of posting again (see reconcile.go).
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	req, err := a.prepare(&out)
	if err != nil {
		return channel.Result{}, err
	}
	key := out.IdempotencyKey
	if since, ok := a.unanswered.Since(key, a.now()); ok {
		res, found, err := a.reconcile(ctx, out.Inbox, req, since)
		if err != nil {
			return channel.Result{}, err
		}
		if found {
			a.unanswered.Forget(key)
			a.logger().Info("x: an earlier attempt had reached X; not sending again", "key", key, "platform_id", res.PlatformID)
			return res, nil
		}
	}
	resp, err := a.call(ctx, out.Inbox, http.MethodPost, req.path, nil, req.payload)
	switch {
	case err != nil && resp != nil && resp.status >= 200 && resp.status < 300:
		// Accepted, but the answer was cut short: the reply is out, only
		// its id is lost. Sending again would post it twice.
		a.unanswered.Forget(key)
		a.logger().Warn("x: reply accepted but the answer was unreadable", "key", key, "err", err)
		return channel.Result{Status: care.DeliverySent, RateLimit: rateLimitLine(resp.header)}, nil
	case isAuthError(err):
		// No token: the request never left, and the reason is the
		// token's (a refused grant asks for the account to be connected
		// again).
		return channel.Result{}, err
	case err != nil:
		if !notSent(err) {
			a.unanswered.Remember(key, a.now())
		}
		reason := "X could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "X did not answer in time"
		}
		return channel.Result{}, channel.Temporary(reason, 0, fmt.Errorf("x: %s: %w", req.what, err))
	}
	rl := rateLimitLine(resp.header)
	if resp.status < 200 || resp.status > 299 {
		if resp.status >= 500 {
			// X may have acted before failing; check before the next try.
			a.unanswered.Remember(key, a.now())
		}
		if resp.status == http.StatusForbidden && req.public && isDuplicate(resp.body) {
			if _, ok := a.unanswered.Since(key, a.now()); ok {
				// An earlier attempt reached X after all, beyond what the
				// lookup could see: it is the duplicate.
				a.unanswered.Forget(key)
				a.logger().Warn("x: duplicate after an unanswered attempt; counted as sent", "key", key)
				return channel.Result{Status: care.DeliverySent, RateLimit: rl}, nil
			}
		}
		e := a.sendError(req, resp, rl)
		if e.Permanent {
			a.unanswered.Forget(key)
		}
		return channel.Result{}, e
	}
	a.unanswered.Forget(key)
	charge := ChargeDMSent
	switch {
	case req.public && len(extractURLs(req.text)) > 0:
		// X prices a post with a URL apart, as it finds URLs.
		charge = ChargePostCreatedLink
	case req.public:
		charge = ChargePostCreated
	}
	return channel.Result{PlatformID: createdID(resp.body, req.public), Status: care.DeliverySent, RateLimit: rl, Charge: charge}, nil
}

// sendRequest is one reply as X's API takes it.
type sendRequest struct {
	public    bool
	what      string // for errors: "reply to post 123", "DM to user 456"
	path      string
	payload   any
	text      string
	target    string // the post answered, or the DM's recipient
	accountID string
}

type replyPayload struct {
	Text  string `json:"text"`
	Reply struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
}

type dmPayload struct {
	Text string `json:"text"`
}

// prepare checks out and builds its request, or returns a permanent error.
func (a *Adapter) prepare(out *channel.Outbound) (*sendRequest, error) {
	msg := &out.Message
	in := &out.Inbox
	switch {
	case in.Credentials[CredAccessToken] == "" && !refreshes(*in):
		return nil, channel.Permanent("the X inbox has no access token; reconnect the account", nil)
	case len(msg.Attachments) > 0:
		return nil, channel.Permanent("Parley cannot send attachments to X yet; send the text alone", nil)
	case strings.TrimSpace(msg.Text) == "":
		return nil, channel.Permanent("the reply is empty", nil)
	}
	if _, err := a.baseURL(*in); err != nil {
		return nil, channel.Permanent("the X inbox's api_base is not a usable URL", err)
	}
	if msg.Visibility == care.Public {
		target := msg.ReplyToPlatformID
		switch {
		case target == "":
			return nil, channel.Permanent("nothing to reply to: a public reply on X must answer the customer's post", nil)
		case !validID(target):
			return nil, channel.Permanent(fmt.Sprintf("the message replied to (%q) is not an X post", channel.Cut(target, 40)), nil)
		}
		switch n, invalid := weigh(msg.Text); {
		case invalid:
			return nil, channel.Permanent("the reply holds a character X refuses in posts (U+FFFE, U+FEFF or U+FFFF)", nil)
		case n > MaxPostLength:
			return nil, channel.Permanent(fmt.Sprintf("the reply is %d characters as X counts them; X allows %d", n, MaxPostLength), nil)
		}
		p := replyPayload{Text: msg.Text}
		p.Reply.InReplyToTweetID = target
		return &sendRequest{public: true, what: "reply to post " + target, path: "/2/tweets", payload: p,
			text: msg.Text, target: target, accountID: in.ExternalID}, nil
	}
	recipient, ok := out.Recipient()
	switch {
	case !ok:
		return nil, channel.Permanent("the contact has no X account to send a DM to", nil)
	case !validID(recipient.PlatformUserID):
		return nil, channel.Permanent("the contact's X user id is not valid", nil)
	case recipient.PlatformUserID == in.ExternalID:
		return nil, channel.Permanent("the account cannot send a DM to itself", nil)
	case utf8.RuneCountInString(msg.Text) > MaxDMLength:
		return nil, channel.Permanent(fmt.Sprintf("the DM is longer than X's %d characters", MaxDMLength), nil)
	}
	id := recipient.PlatformUserID
	return &sendRequest{what: "DM to user " + id, path: "/2/dm_conversations/with/" + url.PathEscape(id) + "/messages",
		payload: dmPayload{Text: msg.Text}, text: msg.Text, target: id, accountID: in.ExternalID}, nil
}

// createdID reads the new post's data.id or the DM's data.dm_event_id
// (x-api/direct-messages/manage/quickstart: {"data": {"dm_conversation_id":
// …, "dm_event_id": …}}); "" when the answer does not hold a valid one.
func createdID(body []byte, public bool) string {
	var r struct {
		Data struct {
			ID        flexString `json:"id"`
			DMEventID flexString `json:"dm_event_id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &r) != nil {
		return ""
	}
	id := string(r.Data.DMEventID)
	if public {
		id = string(r.Data.ID)
	}
	if !validID(id) {
		return ""
	}
	return id
}

func isDuplicate(body []byte) bool {
	return strings.Contains(strings.ToLower(problemDetail(body)), "duplicate")
}

// sendError turns X's refusal into a *channel.SendError whose Reason tells
// the agent what happened and, where there is one, what to do. A refusal of
// this one reply (the post answered is gone, the customer takes no DMs from
// the brand, the text repeats a recent post) is Refused: the account works,
// so the inbox's health stays clear. One of the account (its token, its
// App's usage cap) is not.
func (a *Adapter) sendError(req *sendRequest, resp *apiResponse, rl string) *channel.SendError {
	detail := problemDetail(resp.body)
	e := &channel.SendError{Permanent: !temporaryStatus(resp.status), Status: resp.status, RateLimit: rl,
		Err: fmt.Errorf("x: %s: %s: %s", req.what, statusLine(resp.status), detail)}
	lower := strings.ToLower(detail)
	refused := func(reason string) {
		e.Permanent, e.Refused, e.Reason = true, true, reason
	}
	switch s := resp.status; {
	case s == http.StatusTooManyRequests && usageCapped(resp.body):
		// The App's cap is counted per billing cycle and resets on the
		// cycle's day (cap_reset_day, developer.x.com/en/docs/x-api/usage/tweets),
		// weeks away at worst: retrying within the outbox's attempts only
		// delays the failure.
		e.Permanent = true
		e.Reason = "X's usage cap for the App is used up: its monthly cap resets with the App's billing cycle, so Parley will not retry this reply; raise the plan or add credits in X's Developer Console"
	case s == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(resp.header, a.now())
		e.Reason = "X's rate limit for this account is reached; Parley will retry when it resets"
		if rl != "" {
			e.Reason += " (" + rl + ")"
		}
	case !e.Permanent:
		if d, ok := channel.ParseRetryAfter(resp.header.Get("Retry-After"), a.now()); ok {
			e.RetryAfter = d
		}
		e.Reason = "X is having trouble (" + statusLine(s) + "); Parley will retry"
	case s == http.StatusUnauthorized:
		e.Reason = "X refused the inbox's access token; reconnect the X account"
	case s == http.StatusForbidden && req.public && strings.Contains(lower, "duplicate"):
		refused("X refused the reply as a duplicate of a recent post from this account; reword it")
	case s == http.StatusForbidden && req.public && targetGone(lower):
		// X answers 403, not 404, for a reply to a deleted post: "You
		// attempted to reply to a Tweet that is deleted or not visible to
		// you." (v1.1 code 385; github.com/plhery/node-twitter-api-v2/issues/366).
		refused("X cannot find the post replied to: it was deleted, or is not visible to the brand's account (a protected or suspended author)")
	case s == http.StatusForbidden && req.public &&
		(strings.Contains(lower, "mention") || strings.Contains(lower, "summon") || strings.Contains(lower, "engaged") || strings.Contains(lower, "reply")):
		refused("X only lets apps reply in public to posts that @mention or quote the brand; answer this customer by DM instead")
	case s == http.StatusForbidden && !req.public:
		refused("X refused the DM; the customer may not accept messages from the brand (they can DM the brand first, or follow it)")
	case s == http.StatusForbidden:
		e.Reason = "X refused the reply"
	case s == http.StatusNotFound && req.public:
		refused("X cannot find the post replied to; it may have been deleted")
	case s == http.StatusNotFound:
		refused("X cannot find the customer's account")
	case s == http.StatusBadRequest:
		e.Reason = "X rejected the reply as invalid"
	default:
		e.Reason = "X refused the reply (" + statusLine(s) + ")"
	}
	if detail != "" {
		e.Reason += ". X said: " + detail
	}
	return e
}

// targetGone reports whether a 403's detail, lower-cased, says the post
// answered is deleted or hidden from the account.
func targetGone(detail string) bool {
	return strings.Contains(detail, "deleted") || strings.Contains(detail, "not visible")
}
