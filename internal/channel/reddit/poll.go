package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: GET /message/inbox (scope privatemessages), a Listing of the
// account's inbox, newest first: comment replies, post replies and
// username mentions (t1, was_comment true) and messages (t4). The inbox
// rather than /message/unread: Parley leaves the read state alone
// (mark=false), so the brand's people still see what is new in Reddit's
// own inbox, and nothing is missed because someone read it there first.
// raw_json=1 asks for text without the legacy HTML escaping of &, < and >.
//
// Cursor, {"b": fullname, "t": created_utc, "s": [fullnames]}: the newest
// item read (b), its time (t) and the last items read (s). Each poll pages
// forward from b with before=b, which returns the items immediately newer
// than it (the listing's "prev" page; github.com/Pyprohly/reddit-api-doc-notes,
// topics/listings): the oldest new ones first, so the cursor after any
// page covers everything up to it and a burst larger than one poll reads
// is finished by the next, without a gap.
//
// An anchor that leaves the inbox (a message deleted with /api/del_msg, an
// item Reddit stops listing) makes before= answer an empty page for ever.
// So an empty page is checked, on the first empty poll and every
// verifyEvery-th after, against the newest page: what stands above the
// first item of s in the listing is new, whatever its created_utc says (a
// comment a moderator approved late is listed when approved); when none
// of s is listed any more, items created since t, less lateWindow, are
// taken. Repeats are harmless, since the core recognises a message by its
// fullname. The first poll, without a cursor, only reads where the inbox
// stands: it starts now, not years back.
//
// Interval: every 30 seconds, 2 requests a minute of the 100 the free tier
// gives an app (per OAuth client id, over 10 minutes), which serves a few
// dozen inboxes on one app. When the last answer left under a tenth of
// the period's budget, the next poll waits for the reset; a burst stops
// paging then too.
const (
	pollInterval = 30 * time.Second
	pageLimit    = 100
	firstLimit   = 25
	// maxPages bounds one poll: Reddit lists at most 1000 items, which
	// a catch-up (a first page of 25, then pages of 100) reads in 11.
	maxPages    = 11
	verifyEvery = 4
	lateWindow  = 24 * time.Hour
	maxSeen     = 50
	// maxCursorBytes bounds a cursor read back: maxSeen fullnames and
	// maxWatch watched comments.
	maxCursorBytes = 16384
)

// pollCursor is an inbox's position in its listing.
type pollCursor struct {
	Before string   `json:"b,omitempty"`
	Time   int64    `json:"t,omitempty"`
	Seen   []string `json:"s,omitempty"`
	// Watch are the comments whose edits are looked for, and Checked when
	// that was last done (edits.go).
	Watch   []watched `json:"w,omitempty"`
	Checked int64     `json:"k,omitempty"`
}

func (c *pollCursor) valid() bool {
	if c.Before != "" && !validFullname(c.Before) || c.Time < 0 || c.Time > 1<<40 || len(c.Seen) > maxSeen ||
		len(c.Watch) > maxWatch || c.Checked < 0 || c.Checked > 1<<40 {
		return false
	}
	for _, s := range c.Seen {
		if !validFullname(s) {
			return false
		}
	}
	for _, w := range c.Watch {
		if kindOf(w.Name) != kindComment || w.Read < 0 || w.Read > 1<<40 || w.Edited < 0 || w.Edited > 1<<40 {
			return false
		}
	}
	return true
}

func (c *pollCursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// saw records an item read.
func (c *pollCursor) saw(name string, created time.Time) {
	if name == "" {
		return
	}
	if !slices.Contains(c.Seen, name) {
		c.Seen = append(c.Seen, name)
		if len(c.Seen) > maxSeen {
			c.Seen = slices.Delete(c.Seen, 0, len(c.Seen)-maxSeen)
		}
	}
	if t := created.Unix(); !created.IsZero() && t > c.Time {
		c.Time = t
	}
}

// PollInterval is 30 seconds, or until Reddit's rate-limit period resets
// (at most 10 minutes) when the last answer left little of it.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	if reset, low := a.lowUntil(in); low {
		return min(max(reset.Sub(a.now()), pollInterval), 10*time.Minute)
	}
	return pollInterval
}

// Poll returns the inbox items after cursor, oldest first, then the edits
// of recent comments (edits.go), and the cursor to save once they are
// stored. When a later page fails, it returns what the earlier ones read,
// the cursor after them, and the error. Reddit's refusals are
// *channel.SendError: 429 temporary until the period resets, 5xx
// temporary, a refused authorisation permanent. A cursor it cannot read is
// logged and treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	events, next, err := a.pollInbox(ctx, in, cursor)
	if err != nil {
		// What the earlier pages read is watched all the same; the check
		// waits for a poll that went through.
		_, next = a.checkEdits(ctx, in, events, next, false)
		return events, next, err
	}
	edits, next := a.checkEdits(ctx, in, events, next, true)
	return append(events, edits...), next, nil
}

// pollInbox reads the inbox items after cursor, as Poll describes.
func (a *Adapter) pollInbox(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	var c pollCursor
	if cursor != "" {
		if len(cursor) > maxCursorBytes || json.Unmarshal([]byte(cursor), &c) != nil || !c.valid() {
			a.logger().Warn("reddit: poll cursor not understood; starting from now", "inbox", in.ID)
			cursor = ""
		}
	}
	if cursor == "" {
		return a.start(ctx, in)
	}
	if c.Before == "" {
		return a.catchUp(ctx, in, c, cursor)
	}
	var events []channel.Event
	for page := range maxPages - 1 {
		p, err := a.page(ctx, in, url.Values{"before": {c.Before}, "limit": {strconv.Itoa(pageLimit)}})
		if err != nil {
			if len(events) == 0 {
				return nil, cursor, err
			}
			return events, c.String(), err
		}
		if len(p.items) == 0 && page == 0 {
			if a.idlePoll(in) {
				return a.catchUp(ctx, in, c, cursor)
			}
			return nil, cursor, nil
		}
		a.resetIdle(in)
		// The page is newest first: read it from its end.
		for i := len(p.items) - 1; i >= 0; i-- {
			it := p.items[i]
			if it.name != "" {
				c.Before = it.name
			}
			if it.event != nil && !slices.Contains(c.Seen, it.name) {
				events = append(events, *it.event)
			}
			c.saw(it.name, it.created)
		}
		if p.count < pageLimit || p.rate.low() {
			break
		}
	}
	return events, c.String(), nil
}

// start is the first poll: it reads where the inbox stands.
func (a *Adapter) start(ctx context.Context, in care.Inbox) ([]channel.Event, string, error) {
	p, err := a.page(ctx, in, url.Values{"limit": {strconv.Itoa(firstLimit)}})
	if err != nil {
		return nil, "", err
	}
	c := pollCursor{Time: a.now().Unix()}
	for i := len(p.items) - 1; i >= 0; i-- {
		if it := p.items[i]; it.name != "" {
			c.Before = it.name
			c.saw(it.name, it.created)
		}
	}
	return nil, c.String(), nil
}

// catchUp reads the newest pages down to the first item of c.Seen and
// returns what is above it, oldest first. When none of c.Seen is listed
// any more (or it is empty, after a start on an empty inbox), it takes the
// items created since c.Time (less lateWindow when c.Seen is not empty),
// and stops at a page with none. It reads everything or nothing: a page
// that fails leaves the cursor as it was.
func (a *Adapter) catchUp(ctx context.Context, in care.Inbox, c pollCursor, cursor string) ([]channel.Event, string, error) {
	floor := time.Unix(c.Time, 0)
	if len(c.Seen) > 0 {
		floor = floor.Add(-lateWindow)
	}
	// walked is what stands above the stop, newest first; old items are
	// noted as read, not returned.
	type walkedItem struct {
		item
		old bool
	}
	var walked []walkedItem
	found := 0
	q := url.Values{"limit": {strconv.Itoa(firstLimit)}}
walk:
	for range maxPages {
		p, err := a.page(ctx, in, q)
		if err != nil {
			return nil, cursor, err
		}
		recent := false
		for _, it := range p.items {
			if it.name != "" && slices.Contains(c.Seen, it.name) {
				break walk
			}
			// An item from before the floor is history, or was read
			// before; one listed late stands above newer items, so the
			// walk goes on past it.
			old := !it.created.IsZero() && it.created.Before(floor)
			walked = append(walked, walkedItem{it, old})
			if !old {
				recent = true
				found++
			}
		}
		if p.after == "" || p.count == 0 || !recent {
			break
		}
		q = url.Values{"after": {p.after}, "limit": {strconv.Itoa(pageLimit)}}
	}
	if len(walked) == 0 {
		return nil, cursor, nil
	}
	if c.Before != "" && found > 0 {
		a.logger().Info("reddit: the inbox's position was lost; caught up from the newest items", "inbox", in.ID, "items", found)
	}
	var events []channel.Event
	for i := len(walked) - 1; i >= 0; i-- {
		it := walked[i]
		if it.name != "" {
			c.Before = it.name
		}
		if it.event != nil && !it.old && !slices.Contains(c.Seen, it.name) {
			events = append(events, *it.event)
		}
		c.saw(it.name, it.created)
	}
	return events, c.String(), nil
}

// idlePoll counts an empty poll of the inbox and reports whether this one
// should check the anchor: the first after a start or a non-empty poll,
// and every verifyEvery-th after.
func (a *Adapter) idlePoll(in care.Inbox) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.idle == nil {
		a.idle = map[care.ID]int{}
	}
	n := a.idle[in.ID]
	a.idle[in.ID] = (n + 1) % verifyEvery
	return n == 0
}

func (a *Adapter) resetIdle(in care.Inbox) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.idle, in.ID)
}

// item is one child of a page.
type item struct {
	name    string
	created time.Time
	event   *channel.Event // nil when skipped
}

// inboxPage is one page of the inbox, newest first.
type inboxPage struct {
	items []item
	count int    // children on the page, mapped or not
	after string // the listing's after, "" at its end
	rate  rateLimit
}

// page reads one page of the inbox with the query q.
func (a *Adapter) page(ctx context.Context, in care.Inbox, q url.Values) (inboxPage, error) {
	q.Set("mark", "false")
	q.Set("raw_json", "1")
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/message/inbox", query: q})
	if err != nil {
		return inboxPage{}, err
	}
	if !r.ok() {
		return inboxPage{}, apiError(r, a.now())
	}
	p, err := a.parsePage(in, r.body, a.now())
	if err != nil {
		return inboxPage{}, &channel.SendError{Reason: "Reddit's inbox listing was not understood", Err: err, RateLimit: r.rate.String()}
	}
	p.rate = r.rate
	return p, nil
}

// parsePage reads a page of the inbox: a Listing of things, each mapped
// for inbox in. A child that is not a thing is logged and left out; what
// is not a Listing is an error.
func (a *Adapter) parsePage(in care.Inbox, body []byte, now time.Time) (inboxPage, error) {
	var l listing
	if err := json.Unmarshal(body, &l); err != nil {
		return inboxPage{}, err
	}
	if l.Kind != "Listing" {
		return inboxPage{}, errors.New("reddit: not a Listing")
	}
	p := inboxPage{count: len(l.Data.Children)}
	if after := string(l.Data.After); validFullname(after) {
		p.after = after
	}
	for _, raw := range l.Data.Children {
		m, err := mapThing(in, raw, now)
		if err != nil {
			a.logger().Warn("reddit: skipped an inbox item that is not a thing", "inbox", in.ID, "err", err)
			continue
		}
		it := item{name: m.name, created: m.created}
		if m.skipped != "" {
			a.logger().Debug("reddit: skipped on purpose", "inbox", in.ID, "item", m.name, "what", m.skipped)
		} else {
			ev := m.event
			it.event = &ev
		}
		p.items = append(p.items, it)
	}
	return p, nil
}
