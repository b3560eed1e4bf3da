package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// X's API takes no idempotency key, so a reply whose request went out but
// whose answer was lost (a timeout, a reset connection, a 5xx) may or may
// not be on X. Sending again could post it twice, in public. Instead the
// adapter remembers the reply's idempotency key, which the outbox keeps the
// same across attempts, and on the next attempt first looks for the reply
// among the account's latest posts (GET /2/users/:id/tweets since the post
// answered) or in the DM conversation (GET
// /2/dm_conversations/with/:participant_id/dm_events): a post answering the
// same post, or a DM from the account, with the same text (X rewrites links
// to t.co and escapes &, < and >, so links and those escapes are
// normalised away before comparing). Found, it is reported as sent;
// otherwise the reply is sent.
//
// What remains: the memory is the process's own, so a crash between X's
// acceptance and the outbox's record, or a worker whose lease ran out
// mid-send, leads to a second post; a reply that is found neither in the
// first page of lookups (100 posts, 50 DMs) is sent again; and X's own
// duplicate-content check, which refuses a second identical post, is the
// last line. Each costs little: the lookups happen only after an unanswered
// attempt.

const (
	// clockSkew widens the window in which a DM found counts as ours.
	clockSkew = 5 * time.Minute
)

// reconcile looks on X for the reply of an earlier, unanswered attempt made
// at since. found reports whether it is there; err is a temporary
// *channel.SendError when X could not be asked.
func (a *Adapter) reconcile(ctx context.Context, in care.Inbox, req *sendRequest, since time.Time) (channel.Result, bool, error) {
	var resp *apiResponse
	var err error
	if req.public {
		q := url.Values{"since_id": {req.target}, "max_results": {"100"}, "exclude": {"retweets"},
			"tweet.fields": {"referenced_tweets,created_at"}}
		resp, err = a.call(ctx, in, http.MethodGet, "/2/users/"+url.PathEscape(req.accountID)+"/tweets", q, nil)
	} else {
		q := url.Values{"event_types": {"MessageCreate"}, "max_results": {"50"},
			"dm_event.fields": {"id,text,sender_id,created_at"}}
		resp, err = a.call(ctx, in, http.MethodGet, "/2/dm_conversations/with/"+url.PathEscape(req.target)+"/dm_events", q, nil)
	}
	if err != nil {
		return channel.Result{}, false, channel.Temporary("checking whether an earlier attempt reached X failed", 0,
			fmt.Errorf("x: look up %s: %w", req.what, err))
	}
	rl := rateLimitLine(resp.header)
	switch {
	case temporaryStatus(resp.status):
		e := &channel.SendError{Status: resp.status, RateLimit: rl, RetryAfter: retryAfter(resp.header, a.now()),
			Reason: "checking whether an earlier attempt reached X failed (" + statusLine(resp.status) + "); Parley will retry",
			Err:    fmt.Errorf("x: look up %s: %s", req.what, statusLine(resp.status))}
		return channel.Result{}, false, e
	case resp.status < 200 || resp.status > 299:
		// X will not say (no read access, say): send, accepting the risk.
		a.logger().Warn("x: could not check for an earlier attempt; sending", "what", req.what, "status", resp.status)
		return channel.Result{}, false, nil
	}
	want := comparable(req.text)
	if req.public {
		var page struct {
			Data []struct {
				ID               flexString `json:"id"`
				Text             string     `json:"text"`
				ReferencedTweets []struct {
					Type string     `json:"type"`
					ID   flexString `json:"id"`
				} `json:"referenced_tweets"`
			} `json:"data"`
		}
		if json.Unmarshal(resp.body, &page) != nil {
			return channel.Result{}, false, nil
		}
		for _, p := range page.Data {
			for _, r := range p.ReferencedTweets {
				if r.Type == "replied_to" && string(r.ID) == req.target && sameText(comparable(p.Text), want) && validID(string(p.ID)) {
					return channel.Result{PlatformID: string(p.ID), Status: care.DeliverySent, RateLimit: rl}, true, nil
				}
			}
		}
		return channel.Result{}, false, nil
	}
	var page struct {
		Data []struct {
			ID        flexString `json:"id"`
			Text      string     `json:"text"`
			SenderID  flexString `json:"sender_id"`
			CreatedAt string     `json:"created_at"`
		} `json:"data"`
	}
	if json.Unmarshal(resp.body, &page) != nil {
		return channel.Result{}, false, nil
	}
	for _, d := range page.Data {
		at := parseRFC3339(d.CreatedAt)
		if string(d.SenderID) == req.accountID && sameText(comparable(d.Text), want) && validID(string(d.ID)) &&
			(at.IsZero() || !at.Before(since.Add(-clockSkew))) {
			return channel.Result{PlatformID: string(d.ID), Status: care.DeliverySent, RateLimit: rl}, true, nil
		}
	}
	return channel.Result{}, false, nil
}

var linkPattern = regexp.MustCompile(`https?://\S+`)

// comparable reduces a text to what survives X's rewriting: escapes undone,
// links replaced by a marker, whitespace collapsed, NFC.
func comparable(s string) string {
	s = unescapePost.Replace(s)
	s = linkPattern.ReplaceAllString(s, "\x01")
	return nfc(strings.Join(strings.Fields(s), " "))
}

// sameText matches a text found on X against ours; X may put the handles
// of the people answered before it.
func sameText(found, ours string) bool {
	return found == ours || strings.HasSuffix(found, " "+ours) && strings.HasPrefix(found, "@")
}
