package blog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: every feed of the inbox, every pollInterval, up to
// parallelFetches at a time, each with a conditional GET (fetch.go). A
// feed that changed is parsed with gofeed, which reads RSS 0.9x, 1.0 and
// 2.0, Atom 0.3 and 1.0 and JSON Feed, and every item in it that the
// cursor does not know is new (cursor.go). A new item that mentions one of
// the inbox's keywords becomes an event; one that does not is remembered
// all the same and never looked at again. A feed's first read is its
// baseline: nothing in it is imported, so an inbox starts now, not with a
// blog's archive.
//
// Interval: five minutes. Blogs are written slowly, a conditional GET of a
// feed that did not change costs its server almost nothing, and feed
// readers commonly poll every 15 to 60 minutes; a comment answered within
// minutes is still answered fast.
//
// Failures are the feed's own: the others are read regardless. Since the
// poll runner keeps neither the events nor the cursor of a poll that
// returns an error with no events, a poll whose failures would cost the
// cursor something that must not be lost (a feed's baseline, items now
// known) returns no error: the failure is logged, and reported by the next
// poll, which has nothing to lose.
const (
	pollInterval    = 5 * time.Minute
	parallelFetches = 4
	// maxItems bounds the items read from one feed; the rest are ignored.
	maxItems = 1000
)

// PollInterval is five minutes for every blog inbox.
func (a *Adapter) PollInterval(care.Inbox) time.Duration { return pollInterval }

// Poll returns the new items of the inbox's feeds that match its keywords,
// oldest first within each feed, and the cursor to save once they are
// stored. It returns a permanent *channel.SendError when the inbox's feeds
// or keywords are not usable, and a *channel.SendError naming the first
// failing feed (temporary unless every failure is permanent; with the
// feeds' Retry-After when all of them failed) when feeds fail. A cursor it
// cannot read is logged and treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	cfg, err := configOf(in)
	if err != nil {
		return nil, cursor, channel.Permanent(care.ErrorMessage(err), err)
	}
	prev, ok := decodeCursor(cursor)
	if !ok {
		a.logger().Warn("blog: poll cursor not understood; every feed starts again from now", "inbox", in.ID)
	}
	now := a.now()
	results := make([]feedResult, len(cfg.feeds))
	sem := make(chan struct{}, parallelFetches)
	var wg sync.WaitGroup
	for i, feed := range cfg.feeds {
		st := &feedState{}
		if p := prev.Feeds[feed]; p != nil {
			c := *p
			c.Seen = slices.Clone(p.Seen)
			st = &c
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = a.pollFeed(ctx, in, feed, st, cfg.keywords, now)
		})
	}
	wg.Wait()

	next := cursorState{V: cursorVersion, Feeds: make(map[string]*feedState, len(cfg.feeds))}
	var events []channel.Event
	var failed []failure
	for i, feed := range cfg.feeds {
		r := results[i]
		next.Feeds[feed] = r.state
		events = append(events, r.events...)
		if r.err != nil {
			failed = append(failed, failure{feed, r.err})
		}
	}
	nextCursor := next.encode(cfg.feeds)
	if len(failed) == 0 {
		return events, nextCursor, nil
	}
	err = combine(failed, len(cfg.feeds))
	if len(events) == 0 && significant(prev, next, cfg.feeds) {
		// The runner would drop this cursor with the error; keep it, and
		// let the next poll report the failure.
		a.logger().Warn("blog: feeds failing; reported with the next poll", "inbox", in.ID, "err", err)
		return events, nextCursor, nil
	}
	return events, nextCursor, err
}

// feedResult is what one feed's poll found.
type feedResult struct {
	state  *feedState
	events []channel.Event
	err    error
}

// pollFeed polls one feed from its state st, which it updates.
func (a *Adapter) pollFeed(ctx context.Context, in care.Inbox, feed string, st *feedState, kw keywords, now time.Time) feedResult {
	if st.Gone {
		return feedResult{state: st, err: &channel.SendError{Permanent: true, Status: 410, Reason: "is gone (410): remove it from the inbox's feeds"}}
	}
	if st.Until > now.Unix() {
		return feedResult{state: st}
	}
	st.Until = 0
	f, err := a.fetch(ctx, feed, st)
	if err != nil {
		var se *channel.SendError
		if errors.As(err, &se) && se.Status == 410 {
			st.Gone = true
		}
		if t := retryAt(err, now); !t.IsZero() {
			st.Until = t.Unix()
		}
		return feedResult{state: st, err: err}
	}
	if f.moved != "" && f.moved != st.Moved {
		a.logger().Warn("blog: feed moved permanently; update the inbox's feeds", "inbox", in.ID, "feed", display(feed), "to", display(f.moved))
		st.Moved = f.moved
		// The validators were the old address's.
		st.ETag, st.Modified = "", ""
	}
	if f.notModified {
		return feedResult{state: st}
	}
	parsed, err := parseFeed(f.body)
	if err != nil {
		return feedResult{state: st, err: channel.Permanent("is not an RSS, Atom or JSON feed", err)}
	}
	st.ETag, st.Modified = "", ""
	if validator(f.etag) {
		st.ETag = f.etag
	}
	if validator(f.modified) {
		st.Modified = f.modified
	}
	evs, seen := a.newItems(in, feed, parsed, st, kw, now)
	st.remember(seen)
	st.Base = true
	return feedResult{state: st, events: evs}
}

// newItems maps a parsed feed's items and returns the events of those new
// and matching, oldest first, and every item's key for the cursor. Before
// the feed's baseline nothing is new.
func (a *Adapter) newItems(in care.Inbox, feed string, parsed *gofeed.Feed, st *feedState, kw keywords, now time.Time) ([]channel.Event, []seenItem) {
	src := sourceOf(feed, parsed)
	var evs []channel.Event
	var seen []seenItem
	emitted := map[string]bool{}
	for i, it := range parsed.Items {
		if i == maxItems {
			a.logger().Warn("blog: feed holds more items than Parley reads", "inbox", in.ID, "feed", display(feed), "items", len(parsed.Items))
			break
		}
		if it == nil {
			continue
		}
		m := mapItem(src, it, now)
		k := seenKey(m.id)
		seen = append(seen, seenItem{key: k, at: m.at})
		if !st.Base || st.known(k, m.at) || emitted[m.id] {
			continue
		}
		emitted[m.id] = true
		switch {
		case m.skipped != "":
			a.logger().Debug("blog: skipped on purpose", "inbox", in.ID, "feed", display(feed), "item", m.id, "what", m.skipped)
			continue
		case !kw.match(m.text):
			continue
		}
		check := m.ev.Inbound
		check.InboxID = in.ID
		if err := check.Validate(); err != nil {
			a.logger().Warn("blog: skipped an item Parley cannot store", "inbox", in.ID, "feed", display(feed), "item", m.id, "err", err)
			continue
		}
		evs = append(evs, m.ev)
	}
	slices.SortStableFunc(evs, func(x, y channel.Event) int { return x.Inbound.SentAt.Compare(y.Inbound.SentAt) })
	return evs, seen
}

// parseFeed parses a feed's body in any format gofeed knows. A panic in
// the parser, on input no one foresaw, is an error like any other.
func parseFeed(body []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("blog: feed parser failed: %v", r)
		}
	}()
	p := gofeed.NewParser()
	// The translator's fallback image scan parses every item's HTML again
	// for an <img>, which Parley does not use.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p.Parse(bytes.NewReader(scrubCharRefs(body)))
}

// charRef matches a numeric character reference.
var charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)

// scrubCharRefs drops the character references to characters XML forbids
// (&#1;, &#xFFFE;): the parser refuses a whole feed for one, and feeds
// generated from databases hold them. (gofeed drops such characters when
// they come as raw bytes.)
func scrubCharRefs(body []byte) []byte {
	if !bytes.Contains(body, []byte("&#")) {
		return body
	}
	return charRef.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := charRef.FindSubmatch(m)
		var n uint64
		var err error
		if len(sub[1]) > 0 {
			n, err = strconv.ParseUint(string(sub[1]), 16, 32)
		} else {
			n, err = strconv.ParseUint(string(sub[2]), 10, 32)
		}
		if err != nil || !xmlChar(rune(n)) {
			return nil
		}
		return m
	})
}

// xmlChar reports whether XML 1.0 allows r (its production Char).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0a || r == 0x0d || r >= 0x20 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

// failure is one feed's error.
type failure struct {
	feed string
	err  error
}

// combine makes one *channel.SendError of the failing feeds: the first
// one's reason, prefixed with its address, and how many others fail. It is
// permanent when every failure is, and carries the shortest Retry-After
// when every feed failed (otherwise the others must not wait).
func combine(failed []failure, feeds int) error {
	out := &channel.SendError{Permanent: true}
	var errs []error
	var wait time.Duration
	for i, f := range failed {
		var se *channel.SendError
		if !errors.As(f.err, &se) {
			se = &channel.SendError{Reason: "failed", Err: f.err}
		}
		if i == 0 {
			out.Reason, out.Status = "feed "+display(f.feed)+" "+se.Reason, se.Status
		}
		out.Permanent = out.Permanent && se.Permanent
		if se.RetryAfter > 0 && (wait == 0 || se.RetryAfter < wait) {
			wait = se.RetryAfter
		}
		errs = append(errs, fmt.Errorf("%s: %w", display(f.feed), f.err))
	}
	if n := len(failed) - 1; n > 0 {
		out.Reason += " (and " + strconv.Itoa(n) + " more failing)"
	}
	if len(failed) == feeds {
		out.RetryAfter = wait
	}
	out.Err = errors.Join(errs...)
	return out
}
