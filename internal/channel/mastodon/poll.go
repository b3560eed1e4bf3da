package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: GET /api/v1/notifications?types[]=mention&types[]=quote
// (docs.joinmastodon.org/methods/notifications#get), newest first, at most
// 80 a page (40 by default) since Mastodon 4.1. An instance older than 4.5
// knows no quote type and lists the mentions alone.
//
// Cursor: the id of the newest mention notification read, "0" once the
// inbox was polled and had none. Each poll pages forward from it with
// min_id, which "returns results immediately newer than this ID": the
// oldest page after the cursor first, then the next, so the cursor after
// any page covers everything up to it and a burst larger than one poll
// reads is finished by the next poll, without a gap to remember. (Walking
// back with max_id from the newest until since_id is reached would read
// the same notifications, but a walk cut short by its bound would leave a
// gap below what it read that the cursor alone cannot describe.) The first
// poll, without a cursor, reads only the newest page: the inbox starts
// now, not years back.
//
// Interval: 15 seconds in mode poll, 20 requests in Mastodon's 5-minute
// window of 300 (docs.joinmastodon.org/api/rate-limits), leaving the rest
// for replies and for the brand's own apps on the same account. A burst
// reads up to 5 pages in one poll, and stops early when fewer than 30
// requests are left. In mode stream the streaming API brings mentions as
// they happen; polling every minute is the fallback that catches what a
// dropped stream missed, and what no stream carries (filtered mentions).
const (
	pollInterval           = 15 * time.Second
	streamFallbackInterval = time.Minute
	pageLimit              = 40
	maxPages               = 5
	rateReserve            = 30
	// maxPageBytes bounds one page of notifications; a larger page is read
	// again one notification at a time.
	maxPageBytes = 16 << 20
)

// PollInterval is 15 seconds for an inbox in mode poll, a minute in mode
// stream (the default: polling is then the fallback), and 0 (not polled)
// for an unknown mode.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	switch in.Credentials[CredMode] {
	case ModePoll:
		return pollInterval
	case "", ModeStream:
		return streamFallbackInterval
	}
	return 0
}

// Poll returns the mentions after cursor, oldest first, and the cursor to
// save once they are stored. When a later page fails, it returns what the
// earlier ones read, the cursor after them, and the error. The instance's
// refusals are *channel.SendError: 429 temporary until the rate limit
// resets, 5xx temporary, 401 and 403 permanent. A cursor it cannot read is
// logged and treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	events, next, _, _, err := a.poll(ctx, in, cursor, maxPages)
	return events, next, err
}

// poll reads up to pages pages after cursor; more is true when it stopped
// with more to read: at its page bound, on an error, or at the rate
// reserve, in which case resume is the wait until the rate limit resets.
func (a *Adapter) poll(ctx context.Context, in care.Inbox, cursor string, pages int) (events []channel.Event, next string, more bool, resume time.Duration, err error) {
	if cursor != "" && !validID(cursor) {
		a.logger().Warn("mastodon: poll cursor not understood; starting from the newest", "inbox", in.ID)
		cursor = ""
	}
	next = cursor
	for range pages {
		q := url.Values{}
		if next != "" {
			q.Set("min_id", next)
		}
		p, err := a.page(ctx, in, q)
		if err != nil {
			return events, next, true, 0, err
		}
		events = append(events, p.events...)
		switch {
		case p.newest != "" && (next == "" || next == "0" || idLess(next, p.newest)):
			next = p.newest
		case next == "":
			next = "0" // polled, and nothing yet: everything from now on is new
		}
		if cursor == "" || p.count < p.limit {
			return events, next, false, 0, nil
		}
		if p.rate.ok && p.rate.remaining < rateReserve {
			return events, next, true, max(p.rate.reset.Sub(a.now()), time.Second), nil
		}
	}
	return events, next, true, 0, nil
}

// notificationsPage is one page of notifications, its events oldest first.
type notificationsPage struct {
	events []channel.Event
	count  int    // notifications on the page, mapped or not
	limit  int    // the page size asked for
	newest string // the newest notification's id
	rate   rateLimit
}

// page reads one page of mention and quote notifications.
func (a *Adapter) page(ctx context.Context, in care.Inbox, q url.Values) (notificationsPage, error) {
	q.Set("limit", strconv.Itoa(pageLimit))
	q["types[]"] = []string{"mention", "quote"}
	// Mentions that the account's notification policy filtered (4.3+:
	// from new accounts, people it does not follow, …) are customers too.
	q.Set("include_filtered", "true")
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/api/v1/notifications", query: q, limit: maxPageBytes})
	if errors.Is(err, errTooLarge) {
		q.Set("limit", "1")
		r, err = a.call(ctx, in, request{method: http.MethodGet, path: "/api/v1/notifications", query: q, limit: maxPageBytes})
	}
	if err != nil {
		return notificationsPage{}, err
	}
	if !r.ok() {
		return notificationsPage{}, apiError(r, a.now())
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	var raws []json.RawMessage
	if err := json.Unmarshal(r.body, &raws); err != nil {
		return notificationsPage{}, channel.Temporary("the instance's list of notifications was not understood", 0, err)
	}
	now := a.now()
	p := notificationsPage{count: len(raws), limit: limit, rate: r.rate}
	type numbered struct {
		id string
		ev channel.Event
	}
	var evs []numbered
	broken := false
	for _, raw := range raws {
		m, err := mapNotification(in, raw, now)
		if err != nil || m.id == "" {
			a.logger().Warn("mastodon: skipped a notification that is not one", "inbox", in.ID, "err", err)
			broken = true
			continue
		}
		if p.newest == "" || idLess(p.newest, m.id) {
			p.newest = m.id
		}
		if m.skipped != "" {
			a.logger().Debug("mastodon: skipped on purpose", "inbox", in.ID, "notification", m.id, "what", m.skipped)
			continue
		}
		for _, ev := range m.events {
			evs = append(evs, numbered{m.id, ev})
		}
	}
	// A notification too broken to show its id must not hold the cursor
	// back: the Link header's prev link names the page's newest id.
	if prev := linkID(r.header, "prev", "min_id"); broken && prev != "" && (p.newest == "" || idLess(p.newest, prev)) {
		p.newest = prev
	}
	slices.SortStableFunc(evs, func(x, y numbered) int {
		switch {
		case idLess(x.id, y.id):
			return -1
		case idLess(y.id, x.id):
			return 1
		}
		return 0
	})
	for _, e := range evs {
		p.events = append(p.events, e.ev)
	}
	return p, nil
}

// linkPart matches one link of a Link header (RFC 8288): its target and
// parameters.
var linkPart = regexp.MustCompile(`<([^>]*)>((?:\s*;\s*[^;,]*)*)`)

// linkID returns the query parameter param of the link with relation rel
// in h's Link header: Mastodon's pagination, e.g.
// <https://mastodon.example/api/v1/notifications?min_id=34975861>; rel="prev".
// It returns "" when there is none or it is not an id.
func linkID(h http.Header, rel, param string) string {
	v := h.Get("Link")
	if v == "" || len(v) > 8192 {
		return ""
	}
	for _, m := range linkPart.FindAllStringSubmatch(v, 8) {
		if !hasRel(m[2], rel) {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil {
			return ""
		}
		if id := u.Query().Get(param); validID(id) {
			return id
		}
	}
	return ""
}

var relParam = regexp.MustCompile(`(?i)\brel\s*=\s*"?([^";,]*)"?`)

func hasRel(params, rel string) bool {
	for _, m := range relParam.FindAllStringSubmatch(params, -1) {
		if slices.Contains(strings.Fields(m[1]), rel) {
			return true
		}
	}
	return false
}
