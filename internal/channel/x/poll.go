package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling, for inboxes in mode "poll": mentions from
// GET /2/users/:id/mentions and DMs from GET /2/dm_events, both newest
// first.
//
// Interval: X allows, per user and 15 minutes, 300 mentions requests and 15
// dm_events requests (x-api/fundamentals/rate-limits). Polling both every 90
// seconds spends 10 of the 15 DM requests, leaving a third of the window for
// the reconciliation lookups of reconcile.go and for an operator's own
// tools; mentions use 10 of 300. In webhook mode nothing is polled.
//
// Cost: every read is billed (x-api/getting-started/pricing): a mention at
// $0.005 as a post read, or $0.001 as an "owned read" when the account owns
// the App, a DM event at $0.010, each resource once per UTC day however
// often it is read. Mentions
// are asked since the newest seen, so a quiet poll reads nothing; dm_events
// has no since_id, so each poll re-reads its first page, which is therefore
// kept small (20 events: at most $0.20 a day of re-reads per account).
//
// Cursor: a compact JSON object holding, per stream, the newest id fully
// read ("n") and, while a burst larger than one poll's pages is being read,
// the pagination token to continue from ("p") and the newest id of that
// burst ("r"); "n" is "0" once a stream was read and found empty. The first
// poll, without a cursor, reads only the newest page of each stream: the
// inbox starts now, not months back.
const (
	pollInterval    = 90 * time.Second
	mentionsPerPage = 100
	mentionPages    = 3
	dmsPerPage      = 20
	dmPages         = 1
	maxCursorBytes  = 4096
)

// PollInterval is 90 seconds for an inbox in mode "poll" and 0 (not polled)
// otherwise.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	if in.Credentials[CredMode] == ModePoll {
		return pollInterval
	}
	return 0
}

type pollCursor struct {
	Mentions streamCursor `json:"m"`
	DMs      streamCursor `json:"d"`
}

type streamCursor struct {
	Newest string `json:"n,omitempty"`
	Next   string `json:"p,omitempty"`
	Run    string `json:"r,omitempty"`
}

// valid reports whether c could have come from this adapter.
func (c streamCursor) valid() bool {
	return (c.Newest == "" || validID(c.Newest)) && (c.Run == "" || validID(c.Run)) &&
		len(c.Next) <= 512 && !strings.ContainsFunc(c.Next, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// Poll returns the mentions and DMs after cursor, oldest first, and the
// cursor to save once they are stored. Mentions are asked first; if the DMs
// then fail, it returns the mentions, a cursor advanced for them only, and
// the error, so a caller may keep what it got or drop all three and retry
// from the old cursor. X's refusals are *channel.SendError: 429 temporary
// with RetryAfter at the window's reset, or, for X's usage-capped problem
// (the App's monthly cap), at the cap's reset (see capReset), 5xx
// temporary, 401 and 403 permanent. A cursor it cannot read is logged and
// treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	if in.Credentials[CredAccessToken] == "" && !refreshes(in) {
		return nil, cursor, channel.Permanent("the X inbox has no access token; reconnect the account", nil)
	}
	if !validID(in.ExternalID) {
		return nil, cursor, channel.Permanent("the X inbox's account id is not a numeric X user id", nil)
	}
	var c pollCursor
	if cursor != "" {
		if len(cursor) > maxCursorBytes || json.Unmarshal([]byte(cursor), &c) != nil || !c.Mentions.valid() || !c.DMs.valid() {
			a.logger().Warn("x: poll cursor not understood; starting from the newest", "inbox", in.ID)
			c = pollCursor{}
		}
	}
	now := a.now()
	var events []channel.Event
	var pollErr error
	mentions, mc, err := a.pollStream(ctx, c.Mentions, mentionPages, func(ctx context.Context, sc streamCursor) (page, error) {
		return a.mentionsPage(ctx, in, sc, now)
	})
	events, c.Mentions = append(events, mentions...), mc
	if err != nil {
		pollErr = err
	} else {
		dms, dc, err := a.pollStream(ctx, c.DMs, dmPages, func(ctx context.Context, sc streamCursor) (page, error) {
			return a.dmPage(ctx, in, sc, now)
		})
		events, c.DMs = append(events, dms...), dc
		pollErr = err
	}
	slices.SortStableFunc(events, func(x, y channel.Event) int {
		switch {
		case idLess(x.Inbound.PlatformID, y.Inbound.PlatformID):
			return -1
		case idLess(y.Inbound.PlatformID, x.Inbound.PlatformID):
			return 1
		}
		return 0
	})
	next, _ := json.Marshal(c)
	return events, string(next), pollErr
}

// page is one page of a stream: its events, with ids, newest first.
type page struct {
	events []channel.Event
	ids    []string // every item's id, also of those not mapped to an event
	newest string
	next   string
}

// pollStream reads up to pages pages of one stream after sc and returns
// the new events and the cursor after them.
func (a *Adapter) pollStream(ctx context.Context, sc streamCursor, pages int,
	fetch func(context.Context, streamCursor) (page, error)) ([]channel.Event, streamCursor, error) {
	first := sc.Newest == "" && sc.Next == ""
	var events []channel.Event
	for range pages {
		p, err := fetch(ctx, sc)
		if err != nil {
			return events, sc, err
		}
		if sc.Next == "" { // a new burst starts at the top
			sc.Run = p.newest
		}
		reachedKnown := false
		for _, id := range p.ids {
			if sc.Newest != "" && !idLess(sc.Newest, id) {
				reachedKnown = true
			}
		}
		for _, ev := range p.events {
			if sc.Newest == "" || idLess(sc.Newest, ev.Inbound.PlatformID) {
				events = append(events, ev)
			}
		}
		if first || reachedKnown || p.next == "" {
			if sc.Run != "" && (sc.Newest == "" || idLess(sc.Newest, sc.Run)) {
				sc.Newest = sc.Run
			}
			if sc.Newest == "" {
				// Started, nothing seen yet: from now on every event is
				// new, not only the newest page.
				sc.Newest = "0"
			}
			sc.Next, sc.Run = "", ""
			return events, sc, nil
		}
		sc.Next = p.next
	}
	return events, sc, nil
}

// mentionsPage reads one page of the account's mentions after sc.
func (a *Adapter) mentionsPage(ctx context.Context, in care.Inbox, sc streamCursor, now time.Time) (page, error) {
	q := url.Values{
		"max_results":  {fmt.Sprint(mentionsPerPage)},
		"expansions":   {"author_id,attachments.media_keys"},
		"tweet.fields": {"created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,note_tweet,attachments,public_metrics"},
		"user.fields":  {"name,username,public_metrics,verified,verified_type,created_at"},
		"media.fields": {"type,url,preview_image_url"},
	}
	if sc.Newest != "" && sc.Newest != "0" {
		q.Set("since_id", sc.Newest)
	}
	if sc.Next != "" {
		q.Set("pagination_token", sc.Next)
	}
	var body struct {
		Data     []json.RawMessage `json:"data"`
		Includes v2Includes        `json:"includes"`
		Meta     struct {
			NewestID  flexString `json:"newest_id"`
			NextToken string     `json:"next_token"`
		} `json:"meta"`
	}
	if err := a.get(ctx, in, "/2/users/"+url.PathEscape(in.ExternalID)+"/mentions", q, &body, "mentions"); err != nil {
		return page{}, err
	}
	p := page{newest: string(body.Meta.NewestID), next: body.Meta.NextToken}
	authors := map[string]json.RawMessage{}
	for _, u := range body.Includes.Users {
		if raw, err := json.Marshal(u); err == nil {
			authors[u.profile().ID] = raw
		}
	}
	for _, raw := range body.Data {
		var post v2Post
		if json.Unmarshal(raw, &post) != nil {
			continue
		}
		id := string(post.ID)
		p.ids = append(p.ids, id)
		if p.newest == "" || idLess(p.newest, id) {
			p.newest = id
		}
		ib, ok := v2PostInbound(in.ExternalID, &post, &body.Includes, now)
		if !ok {
			continue
		}
		// X bills every post its API returns (pay-per-use pricing).
		ib.Charge = ChargePostRead
		if ev, ok := a.finish(in.ExternalID, ib, rawPost(raw, authors[string(post.AuthorID)])); ok {
			p.events = append(p.events, ev)
		}
	}
	return p, nil
}

// rawPost is a post's raw payload: the post and its author, in the shape of
// a v2 response.
func rawPost(post, author json.RawMessage) []byte {
	v := map[string]any{"data": post}
	if author != nil {
		v["includes"] = map[string]any{"users": []json.RawMessage{author}}
	}
	b, _ := json.Marshal(v)
	return b
}

// dmPage reads one page of the account's DM events after sc.
func (a *Adapter) dmPage(ctx context.Context, in care.Inbox, sc streamCursor, now time.Time) (page, error) {
	q := url.Values{
		"max_results":     {fmt.Sprint(dmsPerPage)},
		"event_types":     {"MessageCreate"},
		"dm_event.fields": {"id,text,event_type,created_at,sender_id,dm_conversation_id,attachments"},
		"expansions":      {"sender_id,attachments.media_keys"},
		"user.fields":     {"name,username,public_metrics,verified,verified_type,created_at"},
		"media.fields":    {"type,url,preview_image_url"},
	}
	if sc.Next != "" {
		q.Set("pagination_token", sc.Next)
	}
	var body struct {
		Data     []json.RawMessage `json:"data"`
		Includes v2Includes        `json:"includes"`
		Meta     struct {
			NextToken string `json:"next_token"`
		} `json:"meta"`
	}
	if err := a.get(ctx, in, "/2/dm_events", q, &body, "DM events"); err != nil {
		return page{}, err
	}
	us := users{}
	rawUsers := map[string]json.RawMessage{}
	for _, u := range body.Includes.Users {
		us.add(u)
		if raw, err := json.Marshal(u); err == nil {
			rawUsers[u.profile().ID] = raw
		}
	}
	media := map[string]v2Media{}
	for _, m := range body.Includes.Media {
		media[m.MediaKey] = m
	}
	p := page{next: body.Meta.NextToken}
	for _, raw := range body.Data {
		var dm v2DMEvent
		if json.Unmarshal(raw, &dm) != nil {
			continue
		}
		id := string(dm.ID)
		p.ids = append(p.ids, id)
		if p.newest == "" || idLess(p.newest, id) {
			p.newest = id
		}
		ib, ok := v2DMInbound(in.ExternalID, &dm, us, media, now)
		if !ok {
			continue
		}
		ib.Charge = ChargeDMRead
		if ev, ok := a.finish(in.ExternalID, ib, rawPost(raw, rawUsers[string(dm.SenderID)])); ok {
			p.events = append(p.events, ev)
		}
	}
	return p, nil
}

// v2DMInbound maps a v2 MessageCreate event of account's: from a customer a
// private message, from the account an echo filed under the other person
// of the one-to-one conversation, whose id is "{smaller}-{larger}" of the
// two user ids (x-api/direct-messages/lookup/integrate). Group
// conversations are skipped: a Parley conversation is one-to-one.
func v2DMInbound(account string, dm *v2DMEvent, us users, media map[string]v2Media, now time.Time) (care.Inbound, bool) {
	if dm.EventType != "" && dm.EventType != "MessageCreate" {
		return care.Inbound{}, false
	}
	lo, hi, ok := strings.Cut(dm.DMConversationID, "-")
	if !ok || !validID(lo) || !validID(hi) || (lo != account && hi != account) {
		return care.Inbound{}, false
	}
	other := lo
	if lo == account {
		other = hi
	}
	in := care.Inbound{Kind: care.KindMessage, PlatformID: string(dm.ID), Visibility: care.Private, Text: dm.Text,
		SentAt: sentAt(now, parseRFC3339(dm.CreatedAt))}
	switch string(dm.SenderID) {
	case account:
		in.Kind, in.Author = care.KindEcho, userOr(us, other).author()
	case other:
		in.Author = userOr(us, other).author()
	default:
		return care.Inbound{}, false
	}
	for _, k := range dm.Attachments.MediaKeys {
		if m, ok := media[k]; ok {
			if att, ok := attachment(m.Type, firstNonEmpty(m.URL, m.PreviewImageURL)); ok {
				in.Attachments = append(in.Attachments, att)
			}
		}
	}
	return in, true
}

// get reads one JSON resource into v, classifying X's refusals as
// *channel.SendError.
func (a *Adapter) get(ctx context.Context, in care.Inbox, path string, q url.Values, v any, what string) error {
	resp, err := a.call(ctx, in, http.MethodGet, path, q, nil)
	if isAuthError(err) {
		return err
	}
	if err != nil {
		reason := "X could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "X did not answer in time"
		}
		return channel.Temporary(reason, 0, fmt.Errorf("x: read %s: %w", what, err))
	}
	rl := rateLimitLine(resp.header)
	if resp.status < 200 || resp.status > 299 {
		detail := problemDetail(resp.body)
		e := &channel.SendError{Permanent: !temporaryStatus(resp.status), Status: resp.status, RateLimit: rl,
			Err: fmt.Errorf("x: read %s: %s: %s", what, statusLine(resp.status), detail)}
		switch {
		case resp.status == http.StatusTooManyRequests && usageCapped(resp.body):
			usageCapError(e, resp.header, a.now(), "reading the account's "+what)
		case resp.status == http.StatusTooManyRequests:
			e.RetryAfter = retryAfter(resp.header, a.now())
			e.Reason = "X's rate limit for reading " + what + " is reached"
		case !e.Permanent:
			e.RetryAfter, _ = channel.ParseRetryAfter(resp.header.Get("Retry-After"), a.now())
			e.Reason = "X is having trouble (" + statusLine(resp.status) + ")"
		case resp.status == http.StatusUnauthorized:
			e.Reason = "X refused the inbox's access token; reconnect the X account"
		case resp.status == http.StatusForbidden:
			e.Reason = "X refused to show the account's " + what + "; check the token's scopes (tweet.read, users.read, dm.read)"
		default:
			e.Reason = "X refused to show the account's " + what + " (" + statusLine(resp.status) + ")"
		}
		if detail != "" {
			e.Reason += ". X said: " + detail
		}
		return e
	}
	if e := refusedWith200(resp.body, what); e != nil {
		e.Status, e.RateLimit = resp.status, rl
		return e
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		return channel.Temporary("X's answer was not understood", 0, fmt.Errorf("x: read %s: %s", what, jsonProblem(err)))
	}
	return nil
}

// refusedWith200 returns the refusal X answers a read with in a 200: an
// "errors" list with neither "data" nor "meta", as for an account X cannot
// find (suspended, deleted, or a wrong id):
//
//	{"errors": [{"value": "1122334455667788", "detail": "Could not find user with id: [1122334455667788].",
//	  "title": "Not Found Error", "resource_type": "user", "parameter": "id", "resource_id": "1122334455667788",
//	  "type": "https://api.twitter.com/2/problems/resource-not-found"}]}
//
// X documents such partial errors beside data in a 200
// (x-api/fundamentals/response-codes-and-errors); with nothing beside
// them, the read failed as a whole, and reading "no mentions" into it
// would keep the inbox silently empty. nil when the body is anything else.
func refusedWith200(body []byte, what string) *channel.SendError {
	var r struct {
		Data   json.RawMessage `json:"data"`
		Meta   json.RawMessage `json:"meta"`
		Errors []struct {
			Type string `json:"type"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &r) != nil || len(r.Errors) == 0 || len(r.Data) > 0 && string(r.Data) != "null" || len(r.Meta) > 0 {
		return nil
	}
	detail := problemDetail(body)
	e := &channel.SendError{Permanent: true, Reason: "X refused to show the account's " + what,
		Err: fmt.Errorf("x: read %s: 200 with errors: %s", what, detail)}
	if strings.HasSuffix(r.Errors[0].Type, "/resource-not-found") {
		e.Reason = "X does not find the inbox's account: it may be suspended or deleted, or the inbox's account id is wrong"
	}
	if detail != "" {
		e.Reason += ". X said: " + detail
	}
	return e
}
