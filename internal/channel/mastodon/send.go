package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Visibilities of a post, widest first (docs.joinmastodon.org/entities/Status#visibility).
var visibilities = []string{"public", "unlisted", "private", "direct"}

// statusRequest is the body of POST /api/v1/statuses
// (docs.joinmastodon.org/methods/statuses#create), which takes JSON as well
// as form data.
type statusRequest struct {
	Status      string `json:"status"`
	InReplyToID string `json:"in_reply_to_id,omitempty"`
	Visibility  string `json:"visibility"`
}

// Send posts one reply as a status and returns its id. The reply answers
// the message it names, else the customer's last message in the
// conversation, with in_reply_to_id. A private reply is a private mention
// (visibility direct); a public one is as visible as the post it answers
// and never more, as Mastodon's own composer does (privacyPreference in
// app/javascript/mastodon/reducers/compose.js: the narrower of the
// original's visibility and the account's default), the default being the
// inbox's public_visibility, "public" unless set to "unlisted". A direct
// post is seen only by those it mentions, and a mention is what notifies
// the customer, so the text starts with the customer's @user@domain unless
// it mentions them already. The outbox's idempotency key is sent as
// Idempotency-Key: the instance keeps it an hour and answers a repeat with
// the status it already posted.
//
// It returns a permanent *channel.SendError when the inbox or contact is
// not usable, the reply has attachments, the post answered is gone (404),
// the instance refuses the reply (422, with its reason) or the token (401,
// 403); a temporary one when the instance is rate limiting (until
// X-RateLimit-Reset), failing (5xx) or does not answer.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in := out.Inbox
	msg := out.Message
	if len(msg.Attachments) > 0 {
		return channel.Result{}, channel.Permanent("Parley cannot attach files to Mastodon replies yet", nil)
	}
	if strings.TrimSpace(msg.Text) == "" {
		return channel.Result{}, channel.Permanent("the reply is empty", nil)
	}
	rcpt, ok := out.Recipient()
	if !ok {
		return channel.Result{}, channel.Permanent("the contact has no Mastodon identity", nil)
	}
	user, host, ok := splitHandle(rcpt)
	if !ok {
		return channel.Result{}, channel.Permanent("the contact's Mastodon identity is not a user@domain handle", nil)
	}
	replyTo := msg.ReplyToPlatformID
	if replyTo == "" && out.LastInbound != nil {
		replyTo = out.LastInbound.PlatformID
	}
	if replyTo != "" && !validID(replyTo) {
		return channel.Result{}, channel.Permanent("the message answered has no Mastodon post id", nil)
	}
	req := statusRequest{InReplyToID: replyTo, Visibility: "direct"}
	switch msg.Visibility {
	case care.Private:
	case care.Public:
		req.Visibility = publicVisibility(in)
		if replyTo != "" {
			orig, err := a.visibility(ctx, in, replyTo)
			if err != nil {
				return channel.Result{}, err
			}
			req.Visibility = narrower(req.Visibility, orig)
		}
	default:
		return channel.Result{}, channel.Permanent("only public and private replies are sent", nil)
	}
	req.Status = withMention(msg.Text, user, host, domain(in))
	body, err := json.Marshal(req)
	if err != nil {
		return channel.Result{}, channel.Permanent("the reply cannot be encoded", err)
	}
	r, err := a.call(ctx, in, request{method: http.MethodPost, path: "/api/v1/statuses", body: body, idempotencyKey: idempotencyKey(out.IdempotencyKey)})
	if err != nil {
		return channel.Result{}, err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		// Both concern this reply alone: the post it answers is gone
		// (404 "The post you are trying to reply to does not appear to
		// exist."), or its text failed validation (422), so the inbox's
		// health is left alone.
		switch r.status {
		case http.StatusNotFound:
			e.Reason, e.Refused = postGone, true
		case http.StatusUnprocessableEntity:
			e.Reason, e.Refused = "Mastodon refused the reply: "+errorText(r.body), true
		}
		return channel.Result{}, e
	}
	res := channel.Result{Status: care.DeliverySent, RateLimit: r.rate.String()}
	// A 2xx means the status is posted; a body without a usable id costs
	// only the id, never a second post.
	var posted struct {
		ID channel.LooseID `json:"id"`
	}
	if json.Unmarshal(r.body, &posted) == nil && storableID(string(posted.ID)) {
		res.PlatformID = string(posted.ID)
	}
	return res, nil
}

// postGone is the reason of a reply whose post is gone.
const postGone = "the post being answered no longer exists on Mastodon (deleted, or hidden from the brand's account)"

// visibility reads the visibility of the post with id: a post Parley
// cannot tell the visibility of is treated as direct, the narrowest.
func (a *Adapter) visibility(ctx context.Context, in care.Inbox, id string) (string, error) {
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/api/v1/statuses/" + url.PathEscape(id)})
	if err != nil {
		return "", err
	}
	if !r.ok() {
		e := apiError(r, a.now())
		if r.status == http.StatusNotFound {
			e.Reason, e.Refused = postGone, true
		}
		return "", e
	}
	var s struct {
		Visibility string `json:"visibility"`
	}
	_ = json.Unmarshal(r.body, &s)
	for _, v := range visibilities {
		if s.Visibility == v {
			return v, nil
		}
	}
	return "direct", nil
}

// publicVisibility is the inbox's widest visibility for public replies.
func publicVisibility(in care.Inbox) string {
	if in.Credentials[CredPublicVisibility] == "unlisted" {
		return "unlisted"
	}
	return "public"
}

// narrower returns the narrower of two visibilities.
func narrower(a, b string) string {
	ia, ib := visibilityRank(a), visibilityRank(b)
	return visibilities[max(ia, ib)]
}

// visibilityRank is v's place in visibilities; anything unknown ranks as
// direct.
func visibilityRank(v string) int {
	for i, w := range visibilities {
		if v == w {
			return i
		}
	}
	return len(visibilities) - 1
}

// splitHandle reads a contact's identity as a handle: Handle "@user@host"
// when it is one, else PlatformUserID "user@host".
func splitHandle(id care.Identity) (user, host string, ok bool) {
	for _, s := range []string{strings.TrimPrefix(id.Handle, "@"), id.PlatformUserID} {
		user, host, ok = strings.Cut(s, "@")
		if ok && handlePart(user) && handlePart(host) && !strings.Contains(host, "@") {
			return user, host, true
		}
	}
	return "", "", false
}

// withMention returns text starting with @user@host unless text already
// mentions that account: as @user@host, or as plain @user when the account
// is on the inbox's own instance (instance), both compared as Mastodon
// compares them, without regard to case.
func withMention(text, user, host, instance string) string {
	_, mentions := countable(text, DefaultURLCharacters)
	for _, m := range mentions {
		u, h, remote := strings.Cut(m, "@")
		if !strings.EqualFold(u, user) {
			continue
		}
		if remote && strings.EqualFold(h, host) || !remote && strings.EqualFold(host, instance) {
			return text
		}
	}
	return "@" + user + "@" + host + " " + text
}

// idempotencyKey is the outbox's key as a header value: itself when short
// and plain, else its SHA-256, which is as unique.
func idempotencyKey(k string) string {
	if k == "" {
		return ""
	}
	plain := len(k) <= 128
	for i := 0; plain && i < len(k); i++ {
		plain = k[i] > 0x20 && k[i] < 0x7f
	}
	if plain {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:])
}
