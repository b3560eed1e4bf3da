package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: GET /youtube/v3/commentThreads?allThreadsRelatedToChannelId=
// (developers.google.com/youtube/v3/docs/commentThreads/list), "all
// comment threads associated with the specified channel … about the
// channel or about the channel's videos", with part=snippet,replies,
// order=time (newest thread first), textFormat=plainText and 100 threads a
// page, 1 unit a page. Threads come in the order their top-level comments
// were posted: a new reply does not move its thread up. A page embeds a
// few replies per thread, "not necessarily … all"; when a thread's
// totalReplyCount says there are more, and it rose since the replies were
// last read, GET /youtube/v3/comments?parentId= reads them all
// (developers.google.com/youtube/v3/docs/comments/list), 1 unit a page of
// 100.
//
// Each poll reads from the newest thread back to the first page that
// reaches overlap before the cursor's mark (the newest comment read, or
// the time of the last poll that read all it had to), and at least
// scan_pages pages, so replies and edits on the threads of those pages are
// seen too. What it reads from overlap before the mark on, and has not
// read before (the cursor keeps those ids), it hands over: YouTube may
// list a comment a little after later ones. A poll reads at most
// maxThreadPages pages in a stretch and spends at most maxPollUnits units;
// when it stops before its look back is reached, the cursor keeps the page
// token as a gap, which later polls read, after the newest pages, down to
// where the interrupted poll's look back began. The first poll reads one
// page (or scan_pages) only to learn what is there, and hands over
// nothing: the inbox starts now.
const (
	pageSize = 100
	// overlap is how far before the cursor's mark a poll looks for
	// comments YouTube listed late.
	overlap = 15 * time.Minute
	// maxPollUnits bounds what one poll spends.
	maxPollUnits = 30
	// maxThreadPages bounds the pages of threads one stretch of a poll
	// reads: from the newest thread, then from a gap.
	maxThreadPages = 10
	// maxReplyPages bounds the pages of replies read for one thread in one
	// poll: a thread's first thousand replies are read, the rest not.
	maxReplyPages = 10
	// maxInterval bounds the wait between polls PollInterval asks for.
	maxInterval = time.Hour
)

// PollInterval spreads what is left of the inbox's polling budget over
// what is left of the Pacific day: the time until the reset divided by
// the polls the budget can still pay for (at the units a poll spent on
// average today), never less than poll_interval (60 seconds by default)
// nor more than an hour, unless poll_interval is longer. With the default
// quota, 6,000 units for polling and one unit a poll, that is every 14.4
// seconds over a whole day, so every 60.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	now := a.now()
	l := limitsOf(in)
	st := a.quota.state(in.ID, l, now)
	until := st.untilReset(now)
	iv := until
	if polls := st.readsLeft() / st.perPoll; polls >= 1 {
		iv = until / time.Duration(polls)
	}
	return max(min(iv, maxInterval), l.minInterval)
}

// Poll returns the comments and edits on the channel since cursor, and
// the cursor to save once they are stored. A top-level comment is a public
// message; a reply a public message answering its thread's top-level
// comment; an edit a message of its own, "[Edited] …", answering the
// comment it changes. The channel's own replies are echoes; its own
// top-level comments, and edits of its own replies, are skipped.
//
// When a later request fails, Poll returns what the earlier ones read,
// the cursor after them, and the error. Errors are *channel.SendError:
// the inbox's polling budget spent, or YouTube's quotaExceeded, is
// temporary until the Pacific midnight reset, with the quota on the
// health line; a refused refresh token is permanent. A cursor Poll cannot
// read is logged and treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cur string) ([]channel.Event, string, error) {
	defer a.saveQuota(ctx, in.ID)
	brand, err := brandChannel(in)
	if err != nil {
		return nil, cur, err
	}
	now := a.now()
	l := limitsOf(in)
	p := &poller{a: a, in: in, m: mapper{brand: brand, now: now}, scanPages: l.scanPages,
		seen: map[string]int64{}, threads: map[string]tracked{}, scanned: map[string]bool{}}
	c, ok := parseCursor(cur, now)
	if cur != "" && !ok {
		a.logger().Warn("youtube: poll cursor not understood; starting from now", "inbox", in.ID)
	}
	var next *cursor
	if ok {
		next, err = p.resume(ctx, c)
	} else {
		next, err = p.baseline(ctx)
	}
	if p.units > 0 {
		a.quota.polled(in.ID, now, p.units)
	}
	if next == nil {
		return nil, cur, err
	}
	var se *channel.SendError
	if errors.As(err, &se) && se.RateLimit == "" {
		se.RateLimit = a.quota.state(in.ID, l, a.now()).String()
	}
	// Oldest first: a reply after the comment it answers, an edit after
	// what it edits.
	slices.SortStableFunc(p.events, func(x, y channel.Event) int { return x.Inbound.SentAt.Compare(y.Inbound.SentAt) })
	return p.events, formatCursor(next), err
}

// poller is one poll of one inbox.
type poller struct {
	a         *Adapter
	in        care.Inbox
	m         mapper
	scanPages int
	// learning is set during the first poll: nothing is handed over.
	learning bool
	units    int // spent by this poll
	pages    int // pages of threads read
	events   []channel.Event
	seen     map[string]int64 // every item read, and the cursor's
	mark     int64
	threads  map[string]tracked
	scanned  map[string]bool // threads read by this poll
	// replyErr is the first failure to read a thread's replies; after it
	// no more are read this poll.
	replyErr error
}

// baseline is the first poll: it reads the newest page (or scan_pages
// pages) to learn the comments already there, and hands none over.
func (p *poller) baseline(ctx context.Context) (*cursor, error) {
	p.learning = true
	p.mark = p.m.now.Unix()
	floor := p.mark - int64(overlap/time.Second)
	_, _, err := p.scan(ctx, "", floor, p.scanPages)
	if p.pages == 0 {
		return nil, err
	}
	if err == nil {
		err = p.held(ctx, floor)
	}
	return p.cursor(nil), err
}

// resume reads what came after cursor c.
func (p *poller) resume(ctx context.Context, c *cursor) (*cursor, error) {
	p.mark = c.Mark
	for id, t := range c.Seen {
		p.seen[id] = t
	}
	for id, tr := range c.Threads {
		p.threads[id] = tr
	}
	floor := max(c.Mark-int64(overlap/time.Second), c.From)
	old := c.Gap
	if old != nil && old.Token == "" {
		// Read the gap again from the newest thread.
		floor, old = min(floor, old.Floor), nil
	}
	next, done, err := p.scan(ctx, "", floor, p.scanPages)
	if p.pages == 0 {
		return nil, err
	}
	if done {
		// Everything listed down to the floor is read: later polls need
		// look back only from now.
		p.mark = max(p.mark, p.m.now.Unix())
	}
	g := old
	switch {
	case !done:
		// Out of budget (or failed) before reaching what was read: the
		// rest is a gap, which takes in any older one, since paging down
		// from here passes through it.
		g = &gap{Token: next, Floor: floor}
		if old != nil {
			g.Floor = min(floor, old.Floor)
		}
	case old != nil && err == nil:
		gnext, gdone, gerr := p.scan(ctx, old.Token, old.Floor, 0)
		switch {
		case gdone:
			g = nil
		case errors.Is(gerr, errBadToken):
			p.a.logger().Warn("youtube: YouTube refused a saved page token; reading the gap again from the newest thread", "inbox", p.in.ID)
			g, gerr = &gap{Floor: old.Floor}, nil
		default:
			g = &gap{Token: gnext, Floor: old.Floor}
		}
		err = gerr
	}
	if err == nil {
		err = p.held(ctx, floor)
	}
	if errors.Is(err, errBadToken) {
		err = channel.Temporary("YouTube refused a page token", 0, err)
	}
	if err == nil {
		err = p.replyErr
	}
	return p.cursor(g), err
}

// cursor is the cursor after this poll.
func (p *poller) cursor(g *gap) *cursor {
	c := &cursor{Mark: p.mark, Gap: g}
	c.Seen, c.From = pruneSeen(p.seen, p.mark-int64(overlap/time.Second))
	c.Threads = map[string]tracked{}
	for id := range p.scanned {
		if tr, ok := p.threads[id]; ok {
			c.Threads[id] = tr
		}
	}
	// Threads not read this poll are kept while there is room, those
	// with replies still to read first.
	for _, pending := range []bool{true, false} {
		for id, tr := range p.threads {
			if len(c.Threads) >= maxTracked {
				break
			}
			if !p.scanned[id] && (tr.P != 0) == pending {
				c.Threads[id] = tr
			}
		}
	}
	return c
}

// errBadToken is YouTube's invalidPageToken.
var errBadToken = errors.New("youtube: invalid page token")

// errThreadGone is comments.list's 404 commentNotFound for a thread's
// replies: "One or more of the specified comments cannot be found. Check
// the values of the request's id and parentId parameters"
// (developers.google.com/youtube/v3/docs/comments/list, "Errors"). The
// top-level comment was deleted, or held or rejected, between the page
// that listed it and the read of its replies: its replies went with it.
var errThreadGone = errors.New("youtube: the thread's top-level comment is gone")

// scan reads pages of threads from token on ("" is the newest), taking
// what was posted or edited at or after floor. It reads at least minPages
// pages and stops after the first page reaching back before floor, at the
// end of the list, or when the poll's budget is spent or a request fails.
// done is true when it stopped at floor or the end; otherwise next is the
// token of the page to read next.
func (p *poller) scan(ctx context.Context, token string, floor int64, minPages int) (next string, done bool, err error) {
	for read := 0; ; read++ {
		if read >= maxThreadPages || p.units+costList > maxPollUnits {
			return token, false, nil
		}
		page, err := p.page(ctx, token)
		if err != nil {
			return token, false, err
		}
		p.pages++
		oldest := int64(math.MaxInt64)
		for _, raw := range page.Items {
			if t, ok := p.thread(ctx, raw, floor); ok {
				oldest = min(oldest, t)
			}
		}
		token = page.NextPageToken
		if token == "" || !validToken(token) || oldest < floor && read+1 >= minPages {
			return "", true, nil
		}
	}
}

// heldStatuses are the moderation statuses held_comments reads: comments
// "awaiting review by a moderator", and those YouTube classed as "likely
// to be spam" (commentThreads.list, moderationStatus; published, the
// default, is what scan reads).
var heldStatuses = []string{"heldForReview", "likelySpam"}

// held reads, when the inbox's held_comments is on, the newest page of
// the channel's threads of each of heldStatuses, and takes what in them
// was posted or edited at or after floor, as scan does. A thread is listed
// there when its top-level comment or one of its replies is held, so its
// published comments come too, and are taken once like any other; a held
// comment's text says it is held. Its replies beyond those embedded are
// not read: comments.list has no moderationStatus to ask for held ones
// with. A comment published later keeps its id, and is not handed over
// again.
func (p *poller) held(ctx context.Context, floor int64) error {
	if !limitsOf(p.in).held {
		return nil
	}
	for _, status := range heldStatuses {
		if p.units+costList > maxPollUnits {
			return nil
		}
		q := url.Values{
			"part":                         {"snippet,replies"},
			"allThreadsRelatedToChannelId": {p.m.brand},
			"moderationStatus":             {status},
			"order":                        {"time"},
			"textFormat":                   {"plainText"},
			"maxResults":                   {strconv.Itoa(pageSize)},
		}
		page, err := p.list(ctx, opHeld, "/youtube/v3/commentThreads", q)
		if err != nil {
			return err
		}
		for _, raw := range page.Items {
			mt, err := p.m.thread(raw)
			if err != nil {
				p.a.logger().Warn("youtube: skipped a held thread without a readable top-level comment", "inbox", p.in.ID, "err", err)
				continue
			}
			for _, items := range mt.comments {
				p.take(items, floor)
			}
		}
	}
	return nil
}

// page reads one page of the channel's threads.
func (p *poller) page(ctx context.Context, token string) (*listResponse, error) {
	q := url.Values{
		"part":                         {"snippet,replies"},
		"allThreadsRelatedToChannelId": {p.m.brand},
		"order":                        {"time"},
		"textFormat":                   {"plainText"},
		"maxResults":                   {strconv.Itoa(pageSize)},
	}
	if token != "" {
		q.Set("pageToken", token)
	}
	return p.list(ctx, opPoll, "/youtube/v3/commentThreads", q)
}

// list reads one page of a list method; a page too large to read is read
// again ten items at a time.
func (p *poller) list(ctx context.Context, o op, path string, q url.Values) (*listResponse, error) {
	r, err := p.call(ctx, request{op: o, method: http.MethodGet, path: path, query: q, limit: maxPageBytes})
	if errors.Is(err, errTooLarge) {
		q.Set("maxResults", "10")
		r, err = p.call(ctx, request{op: o, method: http.MethodGet, path: path, query: q, limit: maxPageBytes})
	}
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		if r.status == http.StatusBadRequest && errorReason(r.body) == "invalidPageToken" {
			return nil, errBadToken
		}
		if o == opReplies && r.status == http.StatusNotFound && errorReason(r.body) == "commentNotFound" {
			return nil, errThreadGone
		}
		st := p.a.quota.state(p.in.ID, limitsOf(p.in), p.a.now())
		e := apiError(r, o, st.reset, p.a.now())
		e.RateLimit = st.String()
		return nil, e
	}
	var page listResponse
	if err := json.Unmarshal(r.body, &page); err != nil {
		return nil, channel.Temporary("YouTube's list of comments was not understood", 0, err)
	}
	return &page, nil
}

// call makes a request on the poll's account, counting what it costs.
func (p *poller) call(ctx context.Context, r request) (*response, error) {
	r.spent = &p.units
	return p.a.call(ctx, p.in, r)
}

// thread takes what is new in one thread: its top-level comment, the
// replies the page embeds, and the rest of its replies when there are
// more than embedded and their count rose. It returns when the thread's
// top-level comment was posted; ok is false for a thread it cannot read.
func (p *poller) thread(ctx context.Context, raw json.RawMessage, floor int64) (int64, bool) {
	mt, err := p.m.thread(raw)
	if err != nil {
		p.a.logger().Warn("youtube: skipped a thread without a readable top-level comment", "inbox", p.in.ID, "err", err)
		return 0, false
	}
	for _, err := range mt.broken {
		p.a.logger().Warn("youtube: skipped a reply that is not one", "inbox", p.in.ID, "thread", mt.th.id, "err", err)
	}
	for _, items := range mt.comments {
		p.take(items, floor)
	}
	p.scanned[mt.th.id] = true
	p.replies(ctx, mt.th, mt.total, mt.embedded, floor)
	return mt.comments[0][0].at.Unix(), true
}

// reply takes one reply of thread th.
func (p *poller) reply(raw json.RawMessage, th *threadInfo, floor int64) {
	items, _, err := p.m.comment(raw, th)
	if err != nil {
		p.a.logger().Warn("youtube: skipped a reply that is not one", "inbox", p.in.ID, "thread", th.id, "err", err)
		return
	}
	p.take(items, floor)
}

// replies reads the replies of thread th with comments.list when the page
// did not embed them all and their count rose since they were last read.
// Replies that cannot be read now wait, with the floor they were due from,
// for the next poll.
func (p *poller) replies(ctx context.Context, th *threadInfo, total, embedded int64, floor int64) {
	tr, known := p.threads[th.id]
	switch {
	case total <= embedded:
		if known && tr.P == 0 {
			delete(p.threads, th.id)
		}
		return
	case known && tr.N >= total && tr.P == 0:
		return
	case p.learning:
		p.threads[th.id] = tracked{N: total}
		return
	}
	from := floor
	if known && tr.P != 0 {
		from = min(from, tr.P)
	}
	if p.replyErr == nil {
		switch err := p.readReplies(ctx, th, from); {
		case err == nil:
			p.threads[th.id] = tracked{N: total}
			return
		case errors.Is(err, errThreadGone):
			// Nothing left to read, and nothing wrong with the inbox: the
			// other threads' replies are read as usual.
			p.a.logger().Info("youtube: a thread was gone before its replies were read", "inbox", p.in.ID, "thread", th.id)
			delete(p.threads, th.id)
			return
		case !errors.Is(err, errOutOfBudget):
			p.replyErr = err
		}
	}
	p.threads[th.id] = tracked{N: tr.N, P: from}
}

// errOutOfBudget is a poll that spent what it may.
var errOutOfBudget = errors.New("youtube: the poll's budget is spent")

// readReplies reads the replies of thread th, taking those at or after
// floor.
func (p *poller) readReplies(ctx context.Context, th *threadInfo, floor int64) error {
	q := url.Values{"part": {"snippet"}, "parentId": {th.id}, "textFormat": {"plainText"}, "maxResults": {strconv.Itoa(pageSize)}}
	for range maxReplyPages {
		if p.units+costList > maxPollUnits {
			return errOutOfBudget
		}
		page, err := p.list(ctx, opReplies, "/youtube/v3/comments", q)
		if err != nil {
			return err
		}
		for _, raw := range page.Items {
			p.reply(raw, th, floor)
		}
		if page.NextPageToken == "" || !validToken(page.NextPageToken) {
			return nil
		}
		q.Set("pageToken", page.NextPageToken)
	}
	p.a.logger().Info("youtube: a thread has more replies than a poll reads; the rest are not read", "inbox", p.in.ID, "thread", th.id)
	return nil
}

// take hands over what in a comment's items is new: posted or edited at
// or after floor and not read before. A comment seen for the first time
// is one message with its current text, even if it was edited.
func (p *poller) take(items []item, floor int64) {
	fresh := p.takeOne(items[0], floor)
	if len(items) == 2 {
		if fresh {
			p.note(items[1])
		} else {
			p.takeOne(items[1], floor)
		}
	}
}

// takeOne hands over it if it is new, and reports whether it was.
func (p *poller) takeOne(it item, floor int64) bool {
	t := it.at.Unix()
	_, dup := p.seen[it.id]
	p.note(it)
	if dup || t < floor || p.learning {
		return false
	}
	if it.ev == nil {
		p.a.logger().Debug("youtube: skipped on purpose", "inbox", p.in.ID, "comment", it.id, "what", it.skip)
		return true
	}
	p.events = append(p.events, *it.ev)
	return true
}

// note records that it was read.
func (p *poller) note(it item) {
	t := it.at.Unix()
	p.seen[it.id] = t
	p.mark = max(p.mark, t)
}
