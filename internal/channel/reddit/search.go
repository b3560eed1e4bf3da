package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening (channel.Searcher): GET /search?q=…&sort=new&type=link&limit=100&raw_json=1
// (www.reddit.com/dev/api#GET_search; scope read, which Scopes has), a
// Listing of posts (t3) across Reddit, newest first. Reddit's API has no
// comment search: type takes sr, link and user only, so what is said in
// comments is not found, only posts (their title and text).
//
// Query: q is "a string no longer than 512 characters" (r2's
// VLength('q', max_length=512) in GET_search); a longer one is a
// permanent error telling the admin to shorten the terms. Reddit's search
// syntax (www.reddit.com/wiki/search) has "quoted phrases", the operators
// AND, OR and NOT in capitals, "-" to exclude, parentheses, and field
// prefixes (author:, subreddit:, title:, selftext:, site:, url:, self:,
// nsfw:, flair:). Parley writes ("term" OR "term") NOT "excluded" NOT …:
// every term quoted, so that inside the quotes or, and, not, field:, "-",
// "*" and parentheses are words, never operators; a quote or a backslash
// (the escape of Lucene-style parsers) in a term becomes a space, so that
// no term can close its quotes. Terms are lower case, so a term never
// spells an operator outside quotes either. #hashtags and @handles are
// searched as the words they are: Reddit has neither.
//
// Cursor, {"b": fullname, "t": created_utc, "s": [fullnames], "l": time}:
// the newest post read (b), the newest created_utc read (t), the posts of
// the last newest page and since (s, at most maxSearchSeen), and when a
// search last read Reddit through (l, unix seconds, refreshed once it is
// searchRanStep old, so that a quiet search leaves the cursor as it was
// and is not saved again every time). Each call reads
// the newest page first. When b is on it, what is on it and not in s is
// new: the posts above b and those Reddit's search indexed late, with an
// older created_utc, below it (down to t less searchLateWindow; what is
// older is history, as after a change of terms). When b is not on it, more
// than a page came since: the call pages forward from b with before=b,
// which returns the posts immediately newer than b, oldest new first (the
// listing's "prev" page; github.com/Pyprohly/reddit-api-doc-notes,
// topics/listings), so the cursor after any page covers everything up to
// it and a burst longer than a call is finished by the next calls without
// a gap. If before=b is empty (b was deleted or removed, and left the
// search), the anchor is lost: the newest page is taken as above and b
// moves to its top; what lay between b and that page is skipped (logged).
// After an outage, when no search read Reddit for maxSearchBacklog (by l),
// the backlog is not followed back either: the call starts again from the
// newest page (logged, once). The cap is on when Parley last searched, not
// on how old the newest post read is: a subject quiet for a day and then
// busy is read in full. A cursor without l (written before it was kept)
// is judged by t instead, until its next search adds l. The first call,
// without a cursor, returns the newest page. t only grows and b only moves
// to newer posts, but for a lost anchor.
//
// Page size: a page of 100 long self posts (40,000 characters each, with
// their HTML beside them) can be larger than maxResponseBytes. Such a page
// is asked for again with fewer posts (searchPageSizes), and the rest of
// the call keeps the smaller size; only a page too large even at the
// smallest size fails the call, with a temporary error that says so.
//
// Interval: Reddit allows 100 requests a minute per OAuth client id,
// averaged over 10 minutes (ratelimit.go), shared by every inbox on the
// app, whose polling takes 2 a minute each. A query costs one request
// when quiet and at most maxSearchPages in a burst (two more when its
// pages must be asked for again smaller, see Page size); at one every five
// minutes, four listening subjects add under one request a minute per
// inbox, and a few dozen inboxes still fit one app. When the last answer
// left under a tenth of the period's budget, searches wait for the reset,
// as polls do, and a burst stops paging.
const (
	searchInterval = 5 * time.Minute
	searchPageSize = 100
	// searchRanStep is how stale the cursor's l may grow before a quiet
	// search refreshes it: an outage is then told within the hour.
	searchRanStep = time.Hour
	// maxSearchPages bounds the requests of one call: the newest page and
	// pages forward from the anchor.
	maxSearchPages = 5
	// maxSearchQuery is GET_search's limit on q, in characters.
	maxSearchQuery = 512
	// maxSearchSeen bounds the posts a cursor remembers: a newest page.
	maxSearchSeen = searchPageSize
	// searchLateWindow is how far below the newest post read a post the
	// search indexed late is still taken as new.
	searchLateWindow = time.Hour
	// maxSearchBacklog caps what a search catches up after an outage.
	maxSearchBacklog = 24 * time.Hour
	// maxSearchCursorBytes bounds a cursor read back.
	maxSearchCursorBytes = 8192
)

// searchPageSizes are the page sizes a search asks for, each after the
// one before came back larger than maxResponseBytes: 100, Reddit's
// largest; 25 when the posts average over 40 KB, as a page of long posts
// in a language whose letters Reddit's JSON escapes does; 5, which holds
// any 5 self posts of Reddit's 40,000 characters with their HTML.
var searchPageSizes = [...]int{searchPageSize, 25, 5}

// searchQuery writes q in Reddit's search syntax. It returns a permanent
// *channel.SendError when the query is too long or has nothing to search
// for.
func searchQuery(q care.ListenQuery) (string, error) {
	var terms, excludes []string
	for _, t := range q.Terms {
		if p := searchPhrase(t); p != "" && !slices.Contains(terms, p) {
			terms = append(terms, p)
		}
	}
	for _, t := range q.Exclude {
		if p := searchPhrase(t); p != "" && !slices.Contains(excludes, p) && !slices.Contains(terms, p) {
			excludes = append(excludes, p)
		}
	}
	if len(terms) == 0 {
		return "", channel.Permanent("the listening terms have nothing Reddit can search for: give the subject words or phrases",
			care.Errorf(care.EINVALID, "no searchable term"))
	}
	var b strings.Builder
	if len(terms) > 1 {
		b.WriteByte('(')
	}
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"` + t + `"`)
	}
	if len(terms) > 1 {
		b.WriteByte(')')
	}
	for _, x := range excludes {
		b.WriteString(` NOT "` + x + `"`)
	}
	s := b.String()
	if n := utf8.RuneCountInString(s); n > maxSearchQuery {
		return "", channel.Permanent("the listening terms are too long for Reddit's search (512 characters at most): shorten the subject's terms or exclusions",
			care.Errorf(care.EINVALID, "the Reddit search query is %d characters, over %d", n, maxSearchQuery))
	}
	return s, nil
}

// searchPhrase is a term as it goes inside quotes: cleaned of what no one
// types, lower case, without quotes and backslashes, spaces single; ""
// when nothing searchable (a letter, a digit, an emoji) is left.
func searchPhrase(t string) string {
	t = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' {
			return ' '
		}
		return r
	}, strings.ToLower(channel.CleanName(t, 4*maxSearchQuery)))
	if !strings.ContainsFunc(t, func(r rune) bool { return unicode.In(r, unicode.L, unicode.N, unicode.So) }) {
		return ""
	}
	return strings.Join(strings.Fields(t), " ")
}

// SearchInterval is five minutes, or until Reddit's rate-limit period
// resets (at most 10 minutes) when the last answer left little of it; 0
// for an inbox without the credentials to get a token (no client_id, or
// neither a refresh token nor a password), which cannot search.
func (a *Adapter) SearchInterval(in care.Inbox) time.Duration {
	if _, err := baseURL(in); err != nil {
		return 0
	}
	if _, err := a.grantOf(in); err != nil {
		return 0
	}
	if reset, low := a.lowUntil(in); low {
		return min(max(reset.Sub(a.now()), searchInterval), 10*time.Minute)
	}
	return searchInterval
}

// searchCursor is a search's position; see the top of this file.
type searchCursor struct {
	Before string   `json:"b,omitempty"`
	Time   int64    `json:"t,omitempty"`
	Seen   []string `json:"s,omitempty"`
	Ran    int64    `json:"l,omitempty"`
}

func (c *searchCursor) valid() bool {
	if c.Before != "" && kindOf(c.Before) != kindLink || c.Time < 0 || c.Time > 1<<40 || len(c.Seen) > maxSearchSeen ||
		c.Ran < 0 || c.Ran > 1<<40 {
		return false
	}
	for _, s := range c.Seen {
		if kindOf(s) != kindLink {
			return false
		}
	}
	return true
}

func (c *searchCursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// outage reports whether no search read Reddit through for
// maxSearchBacklog before now: what came since is a backlog too old to
// catch up. A cursor that does not know (written before l was kept) goes
// by the newest post read, as it did then.
func (c *searchCursor) outage(now time.Time) bool {
	last := c.Ran
	if last == 0 {
		last = c.Time
	}
	return time.Unix(last, 0).Before(now.Add(-maxSearchBacklog))
}

// ran records a search that read Reddit through at now; see searchRanStep.
func (c *searchCursor) ran(now time.Time) {
	if last := time.Unix(c.Ran, 0); c.Ran == 0 || now.Sub(last) >= searchRanStep || now.Before(last) {
		c.Ran = now.Unix()
	}
}

// saw records a post read.
func (c *searchCursor) saw(p foundPost) {
	if !slices.Contains(c.Seen, p.name) {
		c.Seen = append(c.Seen, p.name)
		if len(c.Seen) > maxSearchSeen {
			c.Seen = slices.Delete(c.Seen, 0, len(c.Seen)-maxSearchSeen)
		}
	}
	if t := p.created.Unix(); !p.created.IsZero() && t > c.Time {
		c.Time = t
	}
}

// Search returns the posts matching q that are newer than cursor, oldest
// first, and the cursor to save once they are stored; with cursor "" the
// newest page. When a later page fails, it returns what the earlier ones
// read, the cursor after them, and the error. Reddit's refusals are
// *channel.SendError: 429 temporary until the period resets, 5xx
// temporary, a refused authorisation and 403 permanent. A cursor it cannot
// read is logged and treated as none.
func (a *Adapter) Search(ctx context.Context, in care.Inbox, q care.ListenQuery, cursor string) ([]care.ListenPost, string, error) {
	query, err := searchQuery(q)
	if err != nil {
		return nil, cursor, err
	}
	var c searchCursor
	if cursor != "" {
		if len(cursor) > maxSearchCursorBytes || json.Unmarshal([]byte(cursor), &c) != nil || !c.valid() {
			a.logger().Warn("reddit: search cursor not understood; starting from the newest posts", "inbox", in.ID)
			cursor, c = "", searchCursor{}
		}
	}
	now := a.now()
	size := 0 // the index in searchPageSizes of the page size asked for
	newest, err := a.searchPage(ctx, in, query, url.Values{}, &size, now)
	if err != nil {
		return nil, cursor, err
	}
	var posts []care.ListenPost
	take := func(p foundPost) {
		if !slices.Contains(c.Seen, p.name) && p.post != nil && !slices.ContainsFunc(posts, func(x care.ListenPost) bool { return x.PlatformID == p.name }) {
			posts = append(posts, *p.post)
		}
	}
	if cursor == "" {
		c = searchCursor{Time: now.Unix()}
		for i := len(newest.posts) - 1; i >= 0; i-- {
			take(newest.posts[i])
			c.saw(newest.posts[i])
		}
		if len(newest.posts) > 0 {
			c.Before = newest.posts[0].name
		}
		c.ran(now)
		return sortPosts(posts), c.String(), nil
	}

	onPage := slices.ContainsFunc(newest.posts, func(p foundPost) bool { return p.name == c.Before })
	stale := c.outage(now)
	if c.Before != "" && !onPage && len(newest.posts) > 0 && !stale {
		// More than a page came since b: page forward from it.
		done, lost := false, false
		for page := range maxSearchPages - 1 {
			p, err := a.searchPage(ctx, in, query, url.Values{"before": {c.Before}}, &size, now)
			if err != nil {
				return sortPosts(posts), c.String(), err
			}
			if len(p.posts) == 0 {
				// Nothing after b at first is a lost anchor, as is a page
				// with nothing readable to move past it; an empty page
				// after a full one is the top.
				lost = page == 0 || p.count > 0
				done = !lost
				break
			}
			for i := len(p.posts) - 1; i >= 0; i-- {
				take(p.posts[i])
				c.saw(p.posts[i])
				c.Before = p.posts[i].name
			}
			if p.count < p.limit {
				done = true
				break
			}
			if p.rate.low() {
				break
			}
		}
		if !done && !lost {
			c.ran(now)
			return sortPosts(posts), c.String(), nil
		}
		if lost {
			a.logger().Warn("reddit: the search's anchor left the listing; reading from the newest posts", "inbox", in.ID, "anchor", c.Before)
		}
	} else if stale && c.Before != "" {
		a.logger().Warn("reddit: listening skipped a backlog older than a day", "inbox", in.ID, "after", c.Before)
	}
	// The newest page: what is on it and not read before, unless it is
	// history.
	floor := time.Unix(c.Time, 0).Add(-searchLateWindow)
	for i := len(newest.posts) - 1; i >= 0; i-- {
		p := newest.posts[i]
		if stale || p.created.IsZero() || !p.created.Before(floor) {
			take(p)
		}
		c.saw(p)
	}
	if len(newest.posts) > 0 {
		c.Before = newest.posts[0].name
	}
	c.ran(now)
	return sortPosts(posts), c.String(), nil
}

// sortPosts orders posts oldest first.
func sortPosts(posts []care.ListenPost) []care.ListenPost {
	slices.SortStableFunc(posts, func(x, y care.ListenPost) int { return x.PostedAt.Compare(y.PostedAt) })
	return posts
}

// searchResults is one page of search results, newest first.
type searchResults struct {
	posts []foundPost // the posts with a usable fullname
	count int         // children on the page, readable or not
	limit int         // the page size asked for
	rate  rateLimit
}

// foundPost is one post of a page.
type foundPost struct {
	name    string
	created time.Time
	post    *care.ListenPost // nil when skipped
}

// searchPage reads one page of the search with the query q and the
// listing parameters in v, of searchPageSizes[*size] posts. A page larger
// than maxResponseBytes is asked for again with the next smaller size,
// which *size keeps for the rest of the call.
func (a *Adapter) searchPage(ctx context.Context, in care.Inbox, q string, v url.Values, size *int, now time.Time) (searchResults, error) {
	v.Set("q", q)
	v.Set("sort", "new")
	v.Set("type", "link")
	v.Set("raw_json", "1")
	var r *response
	for {
		v.Set("limit", strconv.Itoa(searchPageSizes[*size]))
		var err error
		r, err = a.call(ctx, in, request{method: http.MethodGet, path: "/search", query: v})
		if !errors.Is(err, errTooLarge) {
			if err != nil {
				return searchResults{}, err
			}
			break
		}
		if *size == len(searchPageSizes)-1 {
			e := &channel.SendError{Reason: fmt.Sprintf("Reddit's search answer was larger than %d MB even for %d posts", maxResponseBytes>>20, searchPageSizes[*size]), Err: err}
			var se *channel.SendError
			if errors.As(err, &se) {
				e.Status, e.RateLimit = se.Status, se.RateLimit
			}
			return searchResults{}, e
		}
		*size++
		a.logger().Debug("reddit: search page too large; asking for fewer posts", "inbox", in.ID, "limit", searchPageSizes[*size])
	}
	if !r.ok() {
		e := apiError(r, now)
		if r.status == http.StatusForbidden {
			e.Reason = "Reddit refused to search (403 " + errorText(r.body) + "): the account's authorisation needs the read scope; connect the account again"
		}
		return searchResults{}, e
	}
	p, err := a.parseSearch(in, r.body, now)
	if err != nil {
		return searchResults{}, &channel.SendError{Reason: "Reddit's search listing was not understood", Err: err, Status: r.status, RateLimit: r.rate.String()}
	}
	p.rate, p.limit = r.rate, searchPageSizes[*size]
	return p, nil
}

// parseSearch reads a page of search results: a Listing of posts, each
// mapped for inbox in. A child that is not a post is logged and left
// out; what is not a Listing is an error.
func (a *Adapter) parseSearch(in care.Inbox, body []byte, now time.Time) (searchResults, error) {
	var l listing
	if err := json.Unmarshal(body, &l); err != nil {
		return searchResults{}, err
	}
	if l.Kind != "Listing" {
		return searchResults{}, errors.New("reddit: not a Listing")
	}
	p := searchResults{count: len(l.Data.Children)}
	for _, raw := range l.Data.Children {
		f, skipped, err := mapLink(in, raw, now)
		switch {
		case err != nil:
			a.logger().Warn("reddit: skipped a search result that is not a post", "inbox", in.ID, "err", err)
			continue
		case skipped != "":
			a.logger().Debug("reddit: search result skipped on purpose", "inbox", in.ID, "post", f.name, "what", skipped)
		}
		if f.name != "" {
			p.posts = append(p.posts, f)
		}
	}
	return p, nil
}

// linkThing is what Parley reads of a post (t3; github.com/Pyprohly/reddit-api-doc-notes,
// "Submission" schema).
type linkThing struct {
	Kind string `json:"kind"`
	Data struct {
		ID         nullString `json:"id"`
		Name       nullString `json:"name"`
		Title      nullString `json:"title"`
		Selftext   nullString `json:"selftext"`
		Author     nullString `json:"author"`
		Subreddit  nullString `json:"subreddit"`
		Permalink  nullString `json:"permalink"`
		CreatedUTC looseFloat `json:"created_utc"`
		// RemovedByCategory is set (moderator, deleted, …) for a post
		// that is no longer public.
		RemovedByCategory nullString `json:"removed_by_category"`
	} `json:"data"`
}

// mapLink maps one child of the search listing, as JSON, for inbox in. A
// post that is removed or deleted, or the account's own, is skipped with
// its name kept, as read. It returns EINVALID for JSON that is not a
// thing.
func mapLink(in care.Inbox, raw []byte, now time.Time) (foundPost, string, error) {
	var t linkThing
	if err := json.Unmarshal(raw, &t); err != nil {
		return foundPost{}, "", care.Errorf(care.EINVALID, "not a Reddit thing: %v", err)
	}
	d := &t.Data
	f := foundPost{name: string(d.Name)}
	if created := d.CreatedUTC.time(); !created.IsZero() {
		f.created = sentAt(d.CreatedUTC, now)
	}
	if kindOf(f.name) != kindLink || t.Kind != kindLink {
		f.name = t.Kind + "_" + string(d.ID)
		if kindOf(f.name) != kindLink {
			return foundPost{}, "a thing that is not a post", nil
		}
	}
	body := strings.TrimSpace(string(d.Selftext))
	a := string(d.Author)
	switch {
	case d.RemovedByCategory != "" || body == removedBody || body == deletedBody && a == deletedAuthor:
		return f, "a removed or deleted post", nil
	case a != deletedAuthor && a != "" && !validUsername(a):
		return f, "an author Parley cannot name", nil
	case sameUser(a, brand(in)):
		return f, "the account's own post", nil
	}
	author := care.Author{PlatformUserID: strings.ToLower(a), Handle: a, DisplayName: "u/" + a}
	if a == deletedAuthor || a == "" {
		author = care.Author{PlatformUserID: deletedAuthor + "/" + f.name, DisplayName: deletedAuthor}
	}
	text := channel.CleanName(string(d.Title), care.MaxListenText)
	if md := MarkdownToText(string(d.Selftext)); md != "" {
		text += "\n\n" + md
	}
	if text = strings.TrimSpace(text); text == "" {
		text = "[A Reddit post without text]"
	}
	f.post = &care.ListenPost{
		Source:     care.ChannelReddit,
		PlatformID: f.name,
		URL:        postURL(string(d.Permalink), f.name),
		Author:     author,
		Text:       channel.CleanText(text, listen.MaxMatchBytes),
		PostedAt:   sentAt(d.CreatedUTC, now),
	}
	return f, "", nil
}

// postURL is the post's page: www.reddit.com and its permalink
// ("/r/acme/comments/1gvq2ab/router_issues/") when that is a plain path,
// else www.reddit.com/comments/<id>, which Reddit redirects to it.
func postURL(permalink, name string) string {
	if strings.HasPrefix(permalink, "/") && !strings.HasPrefix(permalink, "//") && len(permalink) <= 1024 &&
		!strings.ContainsFunc(permalink, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == '\\' }) {
		if u, err := url.Parse(siteURL + permalink); err == nil && u.Host == "www.reddit.com" && u.User == nil {
			return u.String()
		}
	}
	return siteURL + "/comments/" + strings.TrimPrefix(name, kindLink+"_") + "/"
}
