package wordpress

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: GET /wp/v2/comments?status=all&orderby=date_gmt&order=asc
// &per_page=100&context=edit&after=… (developer.wordpress.org/rest-api
// /reference/comments/#list-comments). status=all is WP_Comment_Query's
// "approved or held for moderation" in one query (spam and trash are
// left out), which the REST API allows a user who can edit posts;
// context=edit, which needs moderate_comments, adds the authors' email
// addresses and the raw content.
//
// The after parameter is subtle. WordPress compares it with comment_date,
// the comment's time in the site's time zone, after converting the value
// given (here UTC, with a Z) to that zone (WP_Date_Query
// ::build_mysql_datetime). comment_date runs backwards for an hour when
// clocks go back, so a comment written then could compare below an
// earlier one. Parley therefore asks from an hour before its position
// (margin), and decides itself, on date_gmt, which comments are new.
//
// Cursor: a small JSON object: "t", the newest date_gmt read ("" when the
// site had no comment yet: everything is new), and "s", the ids and dates
// of the comments read within grace of it. A comment dated before t minus
// grace is known; one after it is new unless its id is in "s". The grace
// covers comments stored in a different order than their dates (two
// submissions in the same second, a slow request); at most maxKnown are
// kept, and when more fall within the grace the window shrinks to the
// oldest kept. The first poll, without a cursor, reads the newest comments
// and starts after them: the inbox starts now.
//
// A busy site can have more comments within the margin and grace than one
// poll reads (maxPages of perPage): every poll would then read the same
// known comments from page 1 and never reach the new ones. When a poll's
// last page is full, "a" keeps the date_gmt of the newest comment it read,
// less a second, and the next polls ask from there instead, without the
// margin; it moves on with every poll that finds new comments, and goes
// once the window has passed it. A comment written while the site is
// that busy, in the hour its clocks go back, or stored more than a second
// after a later one, may be missed: the price of not stalling.
//
// Interval: a minute. WordPress sets no rate limit of its own; blogs are
// commented slowly, and each poll is one request to the site (two when a
// staff reply's parent must be read).
const (
	pollInterval = time.Minute
	perPage      = 100
	maxPages     = 10
	margin       = time.Hour
	grace        = 10 * time.Minute
	maxKnown     = 200
	// maxCursorBytes bounds the cursor read back.
	maxCursorBytes = 16 << 10
	cursorVersion  = 1
	dateLayout     = "2006-01-02T15:04:05"
)

// PollInterval is a minute for every WordPress inbox.
func (a *Adapter) PollInterval(care.Inbox) time.Duration { return pollInterval }

type pollCursor struct {
	V int    `json:"v"`
	T string `json:"t"`
	// W, when set, starts the window later than t minus grace: more
	// comments than maxKnown (or than the first poll read) fell within
	// it, and those forgotten, up to W, are known by date.
	W string `json:"w,omitempty"`
	// A, when set, is where the next poll asks from: the newest date_gmt
	// a poll that stopped at maxPages read, less a second.
	A     string  `json:"a,omitempty"`
	Known []known `json:"s,omitempty"`
}

// known is a comment read: its id and date_gmt as Unix seconds.
type known struct {
	ID int64 `json:"i"`
	At int64 `json:"a"`
}

func decodeCursor(s string) (pollCursor, bool) {
	var c pollCursor
	if s == "" || len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &c) != nil || c.V != cursorVersion || len(c.Known) > maxKnown {
		return pollCursor{}, false
	}
	for _, d := range []string{c.T, c.W, c.A} {
		if _, err := time.Parse(dateLayout, d); d != "" && err != nil {
			return pollCursor{}, false
		}
	}
	return c, true
}

func (c pollCursor) encode() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// after is the date a poll asks for comments after: an hour (margin)
// before the window, or, after a poll that stopped at maxPages, where it
// stopped.
func (c pollCursor) after() time.Time {
	after := c.window().Add(-margin)
	if a, err := time.Parse(dateLayout, c.A); err == nil && a.After(after) {
		after = a
	}
	return after
}

// newest is the cursor's t as a time; zero when the site had none.
func (c pollCursor) newest() time.Time {
	t, _ := time.Parse(dateLayout, c.T)
	return t
}

// window is the start of the grace window: comments dated before it are
// known.
func (c pollCursor) window() time.Time {
	if c.T == "" {
		return time.Time{}
	}
	w := c.newest().Add(-grace)
	if t, err := time.Parse(dateLayout, c.W); err == nil && t.After(w) {
		w = t
	}
	return w
}

// isNew reports whether a comment of id, dated at, is after the cursor.
func (c pollCursor) isNew(id int64, at time.Time) bool {
	if c.T == "" {
		return true
	}
	if at.Before(c.window()) {
		return false
	}
	return !slices.ContainsFunc(c.Known, func(k known) bool { return k.ID == id })
}

// add records a comment read and keeps what is within the grace of the
// newest, at most maxKnown, the newest.
func (c *pollCursor) add(id int64, at time.Time) {
	if c.T == "" || at.After(c.newest()) {
		c.T = at.UTC().Format(dateLayout)
	}
	if !slices.ContainsFunc(c.Known, func(k known) bool { return k.ID == id }) {
		c.Known = append(c.Known, known{ID: id, At: at.Unix()})
	}
	from := c.newest().Add(-grace).Unix()
	c.Known = slices.DeleteFunc(c.Known, func(k known) bool { return k.At < from })
	slices.SortStableFunc(c.Known, func(x, y known) int {
		if x.At != y.At {
			return cmp.Compare(x.At, y.At)
		}
		return cmp.Compare(x.ID, y.ID)
	})
	if n := len(c.Known); n > maxKnown {
		// The window moves past the newest forgotten: what was dated
		// in its second is known too.
		c.W = time.Unix(c.Known[n-maxKnown-1].At+1, 0).UTC().Format(dateLayout)
		c.Known = c.Known[n-maxKnown:]
	}
	if c.W != "" && c.window().Equal(c.newest().Add(-grace)) {
		c.W = "" // the grace has passed it
	}
}

// Poll returns the comments written since cursor, oldest first, and the
// cursor to save once they are stored. The site's refusals are
// *channel.SendError (see refusal); a cursor it cannot read is logged and
// treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	c, ok := decodeCursor(cursor)
	if !ok {
		if cursor != "" {
			a.logger().Warn("wordpress: poll cursor not understood; starting from the newest", "inbox", in.ID)
		}
		next, err := a.start(ctx, in)
		if err != nil {
			return nil, cursor, err
		}
		return nil, next.encode(), nil
	}
	now := a.now()
	next := c
	next.Known = slices.Clone(c.Known)
	var events []channel.Event
	var echoes []int
	byID := map[string]*comment{}
	var lastRead time.Time
	fresh := false
	for page := 1; page <= maxPages; page++ {
		q := url.Values{}
		if c.T != "" {
			q.Set("after", c.after().Format(time.RFC3339))
		}
		list, err := a.list(ctx, in, q, "asc", page)
		if err != nil {
			if len(events) > 0 {
				return events, next.encode(), err
			}
			return nil, cursor, err
		}
		for i, cm := range list.comments {
			id, at := cm.id(), cm.when()
			n, _ := strconv.ParseInt(id, 10, 64)
			if id == "" || at.IsZero() {
				a.logger().Warn("wordpress: skipped a comment without a usable id or date", "inbox", in.ID)
				continue
			}
			if at.After(lastRead) {
				lastRead = at
			}
			if byID[id] != nil || !c.isNew(n, at) {
				// Known, or read twice as later comments shifted the pages.
				byID[id] = cm
				continue
			}
			byID[id] = cm
			fresh = true
			next.add(n, at)
			m := mapComment(in, cm, list.raws[i], now)
			if m.skipped != "" {
				a.logger().Debug("wordpress: skipped on purpose", "inbox", in.ID, "comment", id, "what", m.skipped)
				continue
			}
			if m.echoOf != "" {
				echoes = append(echoes, len(events))
			}
			events = append(events, m.ev)
		}
		if list.count < perPage {
			break
		}
		if page == maxPages && !lastRead.IsZero() {
			// More may follow: the next poll goes on from here.
			next.A = lastRead.Add(-time.Second).UTC().Format(dateLayout)
		}
	}
	if c.A != "" && fresh && next.A == c.A {
		// The window may still hold more than a poll reads.
		next.A = lastRead.Add(-time.Second).UTC().Format(dateLayout)
	}
	if a, err := time.Parse(dateLayout, next.A); err == nil && !a.After(next.window().Add(-margin)) {
		next.A = "" // the window has passed it
	}
	// The brand's answers typed on the site are addressed to the authors
	// of the comments they answer.
	for _, i := range slices.Backward(echoes) {
		parent := events[i].Inbound.ReplyToPlatformID
		author, ok, err := a.echoAuthor(ctx, in, byID, parent)
		if !ok {
			if err != nil {
				a.logger().Warn("wordpress: skipped a site user's reply whose parent could not be read", "inbox", in.ID, "comment", events[i].Inbound.PlatformID, "err", err)
			} else {
				a.logger().Debug("wordpress: skipped a site user's reply whose parent is not a customer's", "inbox", in.ID, "comment", events[i].Inbound.PlatformID)
			}
			events = slices.Delete(events, i, i+1)
			continue
		}
		events[i].Inbound.Author = author
	}
	return events, next.encode(), nil
}

// echoAuthor is the author of comment id, when it is a customer: from the
// comments read, else read from the site. ok is false for a comment by a
// site user (staff answering staff), and with the error for one that
// cannot be read.
func (a *Adapter) echoAuthor(ctx context.Context, in care.Inbox, byID map[string]*comment, id string) (author care.Author, ok bool, err error) {
	c := byID[id]
	if c == nil {
		if c, _, err = a.get(ctx, in, id); err != nil {
			return care.Author{}, false, err
		}
	}
	if c.author() != "" && (c.author() == me(in) || siteUsers(in) == SiteUsersStaff) {
		return care.Author{}, false, nil
	}
	return authorOf(c), true, nil
}

// start is the cursor of an inbox's first poll: after the newest comments
// the site has.
func (a *Adapter) start(ctx context.Context, in care.Inbox) (pollCursor, error) {
	list, err := a.list(ctx, in, url.Values{}, "desc", 1)
	if err != nil {
		return pollCursor{}, err
	}
	c := pollCursor{V: cursorVersion}
	var oldest time.Time
	for _, cm := range slices.Backward(list.comments) {
		n, err := strconv.ParseInt(cm.id(), 10, 64)
		if at := cm.when(); err == nil && !at.IsZero() {
			c.add(n, at)
			if oldest.IsZero() || at.Before(oldest) {
				oldest = at
			}
		}
	}
	if list.count == perPage && !oldest.IsZero() && !oldest.Before(c.window()) {
		// The site may have more comments within the grace than were
		// read: the window starts after the oldest read's second.
		c.W = oldest.Add(time.Second).Format(dateLayout)
	}
	return c, nil
}

// commentsPage is a page of comments: those understood, each with its raw
// JSON, and how many the page held.
type commentsPage struct {
	comments []*comment
	raws     []json.RawMessage
	count    int
}

// list reads one page of comments, approved and held, in context edit,
// ordered by date_gmt.
func (a *Adapter) list(ctx context.Context, in care.Inbox, q url.Values, order string, page int) (commentsPage, error) {
	q.Set("status", "all")
	q.Set("type", "comment")
	q.Set("context", "edit")
	q.Set("orderby", "date_gmt")
	q.Set("order", order)
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("page", strconv.Itoa(page))
	r, err := a.call(ctx, in, request{method: http.MethodGet, route: "/wp/v2/comments", query: q, limit: maxListBytes})
	if err != nil {
		return commentsPage{}, err
	}
	if !r.ok() {
		return commentsPage{}, refusal(r, a.now())
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(r.body, &raws); err != nil {
		return commentsPage{}, channel.Temporary("the WordPress site's list of comments was not understood", 0, err)
	}
	p := commentsPage{count: len(raws)}
	for _, raw := range raws {
		c, err := decodeComment(raw)
		if err != nil {
			a.logger().Warn("wordpress: skipped a comment that is not one", "inbox", in.ID, "err", err)
			continue
		}
		p.comments = append(p.comments, c)
		p.raws = append(p.raws, raw)
	}
	return p, nil
}

// get reads one comment in context edit.
func (a *Adapter) get(ctx context.Context, in care.Inbox, id string) (*comment, *response, error) {
	r, err := a.call(ctx, in, request{method: http.MethodGet, route: "/wp/v2/comments/" + id, query: url.Values{"context": {"edit"}}})
	if err != nil {
		return nil, nil, err
	}
	if !r.ok() {
		return nil, r, refusal(r, a.now())
	}
	c, err := decodeComment(r.body)
	if err != nil || c.id() == "" {
		return nil, r, channel.Temporary("the WordPress site's comment was not understood", 0, err)
	}
	return c, r, nil
}
