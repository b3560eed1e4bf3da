package reviews

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: GET /v4/{location}/reviews?pageSize=50&orderBy=updateTime desc
// (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list:
// "The maximum pageSize is 50"; orderBy "updateTime desc", the default,
// "rating" or "rating desc"; nextPageToken when there are more). There is
// no "since": a poll walks down from the newest review to a floor below
// the newest updateTime it saw before (see cursor).
//
// Most polls are quick: the floor is quickOverlap below, and they read one
// page. Every deepEvery a deep walk goes down deepOverlap, for reviews
// Google publishes late (after its checks, with their first times) and for
// replies the owner made outside Parley, which do not move a review up
// the list. A walk reads at most maxPages pages a poll; a longer one goes
// on at the next poll from its page token, and a token Google no longer
// takes restarts it from the top. Reading a review again is harmless: the
// cursor remembers what the overlap holds, and the core's deduplication
// absorbs the rest.
const (
	pageSize     = 50
	maxPages     = 10
	quickOverlap = 10 * time.Minute
	deepOverlap  = 48 * time.Hour
	deepEvery    = time.Hour
	// replyLag is how close to a review's updateTime its reply's must be
	// for the reply to count as the review's newest change.
	replyLag = 2 * time.Second
)

// PollInterval is the inbox's poll_seconds, DefaultPollInterval unless set.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	return time.Duration(credInt(in, CredPollSeconds, int(DefaultPollInterval/time.Second), 10, 3600)) * time.Second
}

// Poll returns what happened to the location's reviews since cursor,
// oldest first, and the cursor to save once they are stored:
//
//   - a new review is a public message, in a conversation of its own
//     (Rating its stars), with the owner's reply as an echo when it has
//     one;
//   - a review its author changed is a new "[Edited] …" message in reply
//     to the review, its id the review's name and the edit's updateTime;
//   - a reply made or changed outside Parley is a care.KindEcho (one made
//     by Parley has the id Send returned, and the core skips it); a reply
//     deleted or replaced is a care.KindDelete of the old one's id.
//
// The first poll (cursor "") imports the reviews of the last import_days
// days that have no reply yet, and remembers the rest without importing
// them. A cursor it cannot read is logged and treated as "". Google's
// refusals are *channel.SendError (see apiError); when a page after the
// first fails, Poll returns what it read before, with the cursor after it.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cur string) ([]channel.Event, string, error) {
	loc, err := location(in)
	if err != nil {
		return nil, cur, channel.Permanent(care.ErrorMessage(err), err)
	}
	c, err := decodeCursor(cur)
	if err != nil {
		a.logger().Warn("reviews: poll cursor not understood; starting again", "inbox", in.ID)
		c = cursor{}
	}
	now := a.now()
	w := c.Walk
	if w == nil {
		w = startWalk(c, in, now)
	}
	seenBy := c.seenMap()
	type group struct {
		at     time.Time
		events []channel.Event
	}
	var groups []group
	var pollErr error
	done, restarted := false, false
	for pages := 0; pages < maxPages && !done; {
		p, err := a.page(ctx, in, loc, w.Token)
		var se *channel.SendError
		if err != nil && w.Token != "" && !restarted && errors.As(err, &se) && se.Status == http.StatusBadRequest {
			// A page token Google no longer takes: walk again from the top.
			a.logger().Info("reviews: page token refused; walking again from the newest review", "inbox", in.ID)
			w.Token, restarted = "", true
			continue
		}
		if err != nil {
			pollErr = err
			break
		}
		pages++
		for _, raw := range p.Reviews {
			r, err := parseReview(loc, raw)
			if err != nil {
				a.logger().Warn("reviews: skipped a review that is not one", "inbox", in.ID, "err", err)
				continue
			}
			if r.updated.Before(w.Floor) {
				done = true
				continue
			}
			if r.updated.After(w.High) {
				w.High = r.updated
			}
			if evs := decide(&r, seenBy, c.High, w); len(evs) > 0 {
				groups = append(groups, group{r.updated, evs})
			}
		}
		switch {
		case p.NextPageToken == "":
			done = true
		case len(p.NextPageToken) > maxTokenBytes:
			a.logger().Warn("reviews: page token too long; walk ends here", "inbox", in.ID)
			done = true
		default:
			w.Token = p.NextPageToken
		}
	}
	if done {
		c.High = later(c.High, w.High)
		if w.First {
			c.High = later(c.High, now)
		}
		if w.First || w.Deep {
			c.Deep = now
		}
		c.Walk = nil
	} else {
		c.Walk = w
	}
	if c.High.IsZero() {
		c.keep(seenBy, w.Floor) // the first walk goes on at the next poll
	} else {
		c.keep(seenBy, c.High.Add(-deepOverlap))
	}
	slices.SortStableFunc(groups, func(x, y group) int { return x.at.Compare(y.at) })
	var events []channel.Event
	for _, g := range groups {
		events = append(events, g.events...)
	}
	return events, c.encode(), pollErr
}

// startWalk begins a walk: the first one down to the import window (and at
// least deepOverlap, so later walks know what it saw), then deep ones
// every deepEvery and quick ones between.
func startWalk(c cursor, in care.Inbox, now time.Time) *walk {
	switch {
	case c.High.IsZero():
		days := credInt(in, CredImportDays, DefaultImportDays, 0, maxImportDays)
		imp := now.Add(-time.Duration(days) * 24 * time.Hour)
		return &walk{Floor: earlier(imp, now.Add(-deepOverlap)), First: true, Import: imp}
	case now.Sub(c.Deep) >= deepEvery:
		return &walk{Floor: c.High.Add(-deepOverlap), High: c.High, Deep: true}
	}
	return &walk{Floor: c.High.Add(-quickOverlap), High: c.High}
}

// decide returns the events one review read by walk w makes, given what
// the cursor saw of it (seenBy, updated with what it is now) and the
// cursor's high mark.
func decide(r *review, seenBy map[string]seen, high time.Time, w *walk) []channel.Event {
	key := reviewKey(r.name)
	prev, known := seenBy[key]
	now := seen{Key: key, Updated: r.updated.Unix(), Content: r.contentHash()}
	if r.reply != nil {
		now.Reply = replyHash(r.reply.comment)
	}
	var evs []channel.Event
	switch {
	case w.First:
		// The inbox starts: import what still waits for an answer.
		if r.reply == nil && !r.updated.Before(w.Import) {
			evs = append(evs, r.message())
		} else {
			now.Skipped = true
		}
	case known && prev.Skipped:
		// Not imported: only its author's edit is news, and then with the
		// reply it has, so that no one answers it unaware of that.
		now.Skipped = prev.Content == now.Content
		if !now.Skipped {
			evs = append(evs, r.edit())
			if e, ok := r.echo(); ok {
				evs = append(evs, e)
			}
		}
	case known:
		if prev.Content != now.Content {
			evs = append(evs, r.edit())
		}
		if prev.Reply != now.Reply {
			if prev.Reply != "" {
				evs = append(evs, r.replyGone(prev.Reply))
			}
			if e, ok := r.echo(); ok {
				evs = append(evs, e)
			}
		}
	case !r.created.Before(high.Add(-deepOverlap)):
		// Written since the cursor's window began, and not seen: new.
		evs = append(evs, r.message())
		if e, ok := r.echo(); ok {
			evs = append(evs, e)
		}
	case r.reply != nil && !r.reply.updated.Before(r.updated.Add(-replyLag)):
		// An older review whose newest change is the owner's reply.
		e, _ := r.echo()
		evs = append(evs, e)
	default:
		// An older review its author changed.
		evs = append(evs, r.edit())
		if e, ok := r.echo(); ok {
			evs = append(evs, e)
		}
	}
	seenBy[key] = now
	return evs
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// page reads one page of the location's reviews, newest first.
func (a *Adapter) page(ctx context.Context, in care.Inbox, loc, token string) (*listJSON, error) {
	q := url.Values{"pageSize": {strconv.Itoa(pageSize)}, "orderBy": {"updateTime desc"}}
	if token != "" {
		q.Set("pageToken", token)
	}
	// Spaces as %20, as Google's own clients write them.
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: loc + "/reviews", query: strings.ReplaceAll(q.Encode(), "+", "%20"), limit: maxPageBytes})
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		return nil, apiError(r, a.now())
	}
	var p listJSON
	if err := json.Unmarshal(r.body, &p); err != nil {
		return nil, channel.Temporary("Google's list of reviews was not understood", 0, err)
	}
	return &p, nil
}
