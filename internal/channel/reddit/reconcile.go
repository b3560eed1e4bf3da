package reddit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Reddit's API takes no idempotency key, so a reply whose request went
// out but whose answer was lost (a timeout, a reset connection, a 5xx, an
// answer cut off) may or may not be on Reddit, and sending it again could
// post it twice, in public. Instead the adapter remembers the reply's
// idempotency key, which the outbox keeps the same across attempts, and on
// the next attempt first looks for the reply: a comment among the
// account's 25 newest (GET /user/<name>/comments?sort=new, scope history)
// answering the same thing with the same text, or a message among its 25
// newest sent (GET /message/sent) in the same thread, or to the same
// person with the same subject, with the same text; written no earlier
// than the first unanswered attempt, less clockSkew. Found, it is
// reported sent; otherwise the reply is sent.
//
// What remains: the memory is the process's own, so a crash between
// Reddit's acceptance and the outbox's record, or a worker whose lease ran
// out mid-send, leads to a second post; so does a reply that is not among
// the 25 newest, or that Reddit changed (it keeps Markdown as sent, but
// strips trailing white space). The lookups cost a request, and happen
// only after an unanswered attempt. The same lookup finds the id of a new
// message, which /api/compose does not return.

const (
	// clockSkew widens the window in which a reply found counts as ours.
	clockSkew = 5 * time.Minute
	// lookupLimit is how many of the newest comments or sent messages are
	// searched.
	lookupLimit = 25
)

// reconcile looks on Reddit for the reply of p, written since. found
// reports whether it is there; err is a temporary *channel.SendError when
// Reddit could not be asked. When Reddit refuses to say (no history scope,
// say), the reply is taken as not found: sending risks a duplicate, which
// is better than never sending.
func (a *Adapter) reconcile(ctx context.Context, in care.Inbox, p plan, since time.Time) (channel.Result, bool, error) {
	path := "/message/sent"
	if p.kind == planComment {
		name := brand(in)
		if !validUsername(name) {
			return channel.Result{}, false, nil
		}
		path = "/user/" + url.PathEscape(name) + "/comments"
	}
	q := url.Values{"limit": {fmt.Sprint(lookupLimit)}, "raw_json": {"1"}}
	if p.kind == planComment {
		q.Set("sort", "new")
	}
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: path, query: q})
	if err != nil {
		return channel.Result{}, false, channel.Temporary("checking whether an earlier attempt reached Reddit failed: "+sendReason(err), 0, err)
	}
	if !r.ok() {
		e := apiError(r, a.now())
		if !e.Permanent {
			e.Reason = "checking whether an earlier attempt reached Reddit failed (" + e.Reason + "); Parley will retry"
			return channel.Result{}, false, e
		}
		a.logger().Warn("reddit: could not check for an earlier attempt; sending", "inbox", in.ID, "status", r.status)
		return channel.Result{}, false, nil
	}
	var l listing
	if json.Unmarshal(r.body, &l) != nil {
		return channel.Result{}, false, nil
	}
	want := comparable(p.text)
	from := since.Add(-clockSkew)
	for _, raw := range l.Data.Children {
		var t thing
		if json.Unmarshal(raw, &t) != nil {
			continue
		}
		d := &t.Data
		name := string(d.Name)
		if !validFullname(name) || comparable(string(d.Body)) != want {
			continue
		}
		if c := d.CreatedUTC.time(); !c.IsZero() && c.Before(from) {
			continue
		}
		var match bool
		switch p.kind {
		case planComment:
			match = kindOf(name) == kindComment && string(d.ParentID) == p.thingID
		case planReply:
			match = kindOf(name) == kindMessage && (string(d.ParentID) == p.thingID || string(d.FirstMessageName) == p.thingID)
		case planCompose:
			to := strings.TrimPrefix(strings.TrimPrefix(p.to, "/"), "u/")
			match = kindOf(name) == kindMessage && string(d.ParentID) == "" &&
				(sameUser(string(d.Dest), to) || strings.HasPrefix(to, "r/") && sameUser(string(d.Dest), "#"+to[2:])) &&
				string(d.Subject) == p.subject
		}
		if match {
			return channel.Result{PlatformID: name, Status: care.DeliverySent, RateLimit: r.rate.String()}, true, nil
		}
	}
	return channel.Result{}, false, nil
}

// comparable is text as Reddit keeps it, for comparing: line breaks as
// "\n", trailing white space of lines and of the whole dropped.
func comparable(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
