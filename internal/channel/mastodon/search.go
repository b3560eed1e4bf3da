package mastodon

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
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening (channel.Searcher) reads two sources on the inbox's instance.
//
// Words and phrases go to full-text search, GET /api/v2/search?type=statuses
// (docs.joinmastodon.org/methods/search#v2). Since Mastodon 4.2 it finds
// the public posts of accounts that opted in to being indexed
// (Account.indexable, docs.joinmastodon.org/entities/Account/#indexable),
// and the posts the brand's own account wrote, favourited, boosted or was
// mentioned in; everyone else's posts are not found, whatever they say,
// and an instance without full-text search (Elasticsearch or OpenSearch is
// optional, docs.joinmastodon.org/admin/elasticsearch) finds no posts at
// all. It only knows the posts that reached the instance. It needs the
// token's read:search scope (SearchScope), which the inbox's Scopes lack
// unless the admin added it: the instance answers 403 otherwise, which
// Search reports as a permanent error saying so.
//
// The query syntax is Mastodon's own (app/lib/search_query_parser.rb and
// search_query_transformer.rb in github.com/mastodon/mastodon, 4.2+): a
// clause is an optional + or -, an optional prefix (from:, is:, has:,
// lang:, before:, after:, domain:, …) and a "quoted phrase", a #hashtag or
// a bare term. Clauses without an operator are alternatives of which at
// least one must match (Elasticsearch's should, minimum_should_match 1),
// "-" excludes, and a #hashtag or a prefix clause is a filter every result
// must pass. Parley writes every word, phrase and @handle term as a quoted
// phrase: inside quotes nothing is an operator, prefix or hashtag, and as
// a phrase cannot contain a quote, a quote in a term becomes a space, as
// the tokenizer would read it. "@" becomes a space too: Mastodon skips the
// post search for a query that has an "@" and no space
// (SearchService#full_text_searchable?), and the tokenizer splits on it
// anyway. Exclusions are -"phrase" and -#tag. Mastodon before 4.2
// required every clause, so there several terms narrow rather than widen.
// The API documents no limit on q; Parley keeps it within
// maxSearchQueryBytes so that, percent-encoded, the request line stays
// well inside what the web servers in front of Mastodon accept.
//
// #hashtag terms go to the hashtag timeline, GET /api/v1/timelines/tag/:hashtag
// with any[] for the other tags and none[] for excluded ones
// (docs.joinmastodon.org/methods/timelines#tag): every public post with the
// tag that reached the instance, indexed or not, with exact paging by id.
// Mastodon applies at most 4 tags of each parameter (TagFeed's
// LIMIT_PER_MODE), so a query has at most 5 hashtags (the path's and 4
// any[]); excluded tags past 4, and excluded words, which the timeline
// cannot express, are checked in the posts' text instead. A tag no post on
// the instance has used yet is a 404, which is no posts, not an error.
//
// Only public posts are kept (a search also finds the followers-only posts
// the brand can see), not boosts, and not the brand's own posts.

// SearchScope is the OAuth scope full-text search needs besides Scopes.
const SearchScope = "read:search"

const (
	// searchInterval is how often one query runs. Mastodon's budget is
	// 300 requests per account in 5 minutes (docs.joinmastodon.org/api/rate-limits),
	// shared with polling (20 in mode poll, 5 in mode stream), replies and
	// the brand's own apps. A query costs a request per source when quiet
	// and at most searchMaxPages per source in a burst, and Parley runs one
	// query per listening subject: four subjects with words and hashtags
	// every two minutes are 20 requests in 5 minutes when quiet. Paging stops early below
	// rateReserve. Listening reports volumes over hours, so two minutes
	// lose nothing.
	searchInterval = 2 * time.Minute
	// searchPageLimit is the largest page of both endpoints.
	searchPageLimit = 40
	// searchMaxPages bounds the pages of each source in one call.
	searchMaxPages = 5
	// maxSearchQueryBytes bounds the full-text query.
	maxSearchQueryBytes = 1000
	// maxTags and maxNoneTags are TagFeed's LIMIT_PER_MODE: the path's tag
	// and 4 any[]; 4 none[].
	maxTags     = 5
	maxNoneTags = 4
	// maxTagBytes bounds a hashtag, which is a path segment.
	maxTagBytes = 100
	// maxBacklog caps what a search catches up after an outage: when no
	// search succeeded for this long, what came since is not followed back
	// to, the search starts again from the newest posts.
	maxBacklog = 24 * time.Hour
	// searchRanStep is how stale the cursor's time of the last search may
	// grow before a quiet search refreshes it: an outage is then told
	// within the hour, and a quiet search leaves the cursor as it was, so
	// that it is not saved again every time.
	searchRanStep = time.Hour
)

// listenQuery is a care.ListenQuery in Mastodon's terms.
type listenQuery struct {
	// text is the full-text query, "" when no term is a word or phrase.
	text string
	// tags are the hashtags, without "#": the first in the path, the rest
	// as any[].
	tags []string
	// none are the excluded hashtags sent as none[].
	none []string
	// excludes are every exclusion, lower-case, as the text is checked
	// for them: "#tag" for a hashtag.
	excludes []string
}

// translateQuery writes q in Mastodon's terms. It returns a permanent
// *channel.SendError when the query cannot be sent: too long, too many
// hashtags, or nothing left to search for.
func translateQuery(q care.ListenQuery) (listenQuery, error) {
	var lq listenQuery
	var phrases, minus []string
	for _, t := range q.Terms {
		t = normTerm(t)
		if name, ok := hashtagName(t); ok {
			if !slices.Contains(lq.tags, name) {
				lq.tags = append(lq.tags, name)
			}
			continue
		}
		if p := phraseOf(t); p != "" && !slices.Contains(phrases, p) {
			phrases = append(phrases, p)
		}
	}
	for _, t := range q.Exclude {
		t = normTerm(t)
		if t == "" || t == "#" {
			continue
		}
		if name, ok := hashtagName(t); ok {
			lq.excludes = append(lq.excludes, "#"+name)
			if len(lq.none) < maxNoneTags && !slices.Contains(lq.none, name) {
				lq.none = append(lq.none, name)
			}
			minus = append(minus, "-#"+name)
			continue
		}
		if p := phraseOf(t); p != "" {
			lq.excludes = append(lq.excludes, t)
			minus = append(minus, `-"`+p+`"`)
		}
	}
	if len(phrases) > 0 {
		clauses := make([]string, 0, len(phrases)+len(minus))
		for _, p := range phrases {
			clauses = append(clauses, `"`+p+`"`)
		}
		lq.text = strings.Join(append(clauses, minus...), " ")
	}
	switch {
	case len(lq.text) > maxSearchQueryBytes:
		return listenQuery{}, channel.Permanent("the listening terms are too long for Mastodon's search: shorten the subject's terms or exclusions",
			care.Errorf(care.EINVALID, "the Mastodon search query is %d bytes, over %d", len(lq.text), maxSearchQueryBytes))
	case len(lq.tags) > maxTags:
		return listenQuery{}, channel.Permanent("Mastodon follows at most 5 hashtags in one search: shorten the subject's terms",
			care.Errorf(care.EINVALID, "%d hashtags, over %d", len(lq.tags), maxTags))
	case lq.text == "" && len(lq.tags) == 0:
		return listenQuery{}, channel.Permanent("the listening terms have nothing Mastodon can search for: give the subject words, phrases or hashtags",
			care.Errorf(care.EINVALID, "no searchable term"))
	}
	return lq, nil
}

// normTerm is a term cleaned of what no one types (controls, invisible
// format characters, runs of spaces), lower-case. A term longer than any
// query can be is cut, still too long to fit.
func normTerm(s string) string {
	return strings.ToLower(channel.CleanName(s, 2*maxSearchQueryBytes))
}

// phraseOf is what a term becomes inside quotes: without quotes and "@",
// spaces single. "" when nothing is left that the search's tokenizer
// keeps: a letter, a digit or an emoji.
func phraseOf(t string) string {
	t = strings.Map(func(r rune) rune {
		if r == '"' || r == '@' {
			return ' '
		}
		return r
	}, t)
	if !strings.ContainsFunc(t, func(r rune) bool { return unicode.In(r, unicode.L, unicode.N, unicode.So) }) {
		return ""
	}
	return strings.Join(strings.Fields(t), " ")
}

// hashtagName returns the tag of a "#tag" term, if it is one Mastodon can
// have: letters, digits, marks, "_" and the middle dots and ZWNJ of
// Tag::HASHTAG_NAME_PAT.
func hashtagName(t string) (string, bool) {
	name, ok := strings.CutPrefix(t, "#")
	if !ok || name == "" || len(name) > maxTagBytes {
		return "", false
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '\u00b7' || r == '\u30fb' || r == '\u200c') {
			return "", false
		}
	}
	return name, true
}

// SearchInterval is two minutes for an inbox that names its instance and
// holds a token, 0 otherwise. Whether the token has SearchScope is not
// recorded in the credentials: the instance's 403 says so, and Search
// reports it as a permanent error naming the scope.
func (a *Adapter) SearchInterval(in care.Inbox) time.Duration {
	if in.Credentials[CredAccessToken] == "" {
		return 0
	}
	if _, err := baseURL(in); err != nil {
		return 0
	}
	return searchInterval
}

// Cursor: "<text>/<tags>/<ran>", one part per source, either "" when the
// source was not searched yet (or the query has none of its terms), and
// when a search last succeeded, in unix seconds (refreshed once it is
// searchRanStep old).
//
// The backlog cap is on ran: after an outage, no search for maxBacklog,
// neither source follows the cursor back; each starts again from its
// newest posts, and the skip is logged. It is not on the age of the posts
// read: a subject quiet for a day and then busy is read in full. A cursor
// without ran ("<text>/<tags>", written before it was kept) is judged, as
// it was then, by the time in each source's newest id, until its next
// search adds ran.
//
// The tags part is the newest post id read, "0" once searched with nothing
// found. The hashtag timeline pages by id, so it is read forward as
// notifications are (see poll.go): min_id returns the oldest page after
// the cursor, the next page follows from its newest, and a burst longer
// than searchMaxPages is finished by the next call without a gap.
//
// The text part cannot work that way: Mastodon's search sorts newest
// first whatever the parameters, pages only by offset, and reads min_id
// and max_id as created_at bounds to the second (StatusesSearchService
// turns them into after: and before: with Mastodon::Snowflake.to_time). So
// each call reads from the newest post down, by offset, until it meets a
// post it read before. A burst longer than the pages of one call leaves
// a gap below what it read, and the text part is then three ids,
// "high:top:floor": everything up to floor and from top to high was read,
// (floor, top) was not. The next call reads new posts from the top first,
// then spends the pages left on the gap, downwards from its top with
// max_id, until it meets floor; so a burst is read over the next calls and
// nothing is skipped. The cursor never goes back: high only grows and the
// gap only narrows. Two caps keep this bounded: a new burst longer than a
// call while a gap is still open drops the older gap (only the newest gap
// is remembered), and an outage drops the gap with the rest of the
// backlog (in a cursor without ran: a gap whose floor is older than
// maxBacklog). Both are logged. Since the bounds are to the second, Parley
// widens them by a second when the ids are Mastodon's (which carry their
// time) and drops what it read before by id: re-reading is harmless,
// skipping is not. "0" is a search that found nothing yet: the next call
// reads the newest page, as the first does.
//
// An instance only finds what reached it: a post that arrives late with an
// older created_at (a remote server's delay) sorts below the cursor and is
// not found by the text search.

// textCursor is the text part of a cursor.
type textCursor struct {
	high       string // the newest id read; "" never searched, "0" nothing found
	top, floor string // the gap (floor, top), "" when none
}

func (c textCursor) String() string {
	if c.top == "" {
		return c.high
	}
	return c.high + ":" + c.top + ":" + c.floor
}

// searchCursor is a cursor as Search reads it.
type searchCursor struct {
	text textCursor
	tags string
	ran  int64 // unix seconds; 0 in a cursor written without it
}

func (c searchCursor) String() string {
	if c.text.high == "" && c.tags == "" {
		return ""
	}
	s := c.text.String() + "/" + c.tags
	if c.ran > 0 {
		s += "/" + strconv.FormatInt(c.ran, 10)
	}
	return s
}

// maxRan bounds the time in a cursor, far past any clock Parley runs by.
const maxRan = 1 << 40

// parseSearchCursor reads a cursor; ok is false for one it did not write.
func parseSearchCursor(s string) (c searchCursor, ok bool) {
	if s == "" {
		return searchCursor{}, true
	}
	text, tags, found := strings.Cut(s, "/")
	if !found {
		return searchCursor{}, false
	}
	if t, ran, found := strings.Cut(tags, "/"); found {
		n, err := strconv.ParseInt(ran, 10, 64)
		if !digits(ran) || err != nil || n <= 0 || n > maxRan {
			return searchCursor{}, false
		}
		tags, c.ran = t, n
	}
	if tags != "" && !validID(tags) {
		return searchCursor{}, false
	}
	if text == "" && tags == "" {
		return searchCursor{}, true // no source searched yet: as none
	}
	c.tags = tags
	if text == "" {
		return c, true
	}
	parts := strings.Split(text, ":")
	for _, p := range parts {
		if !validID(p) {
			return searchCursor{}, false
		}
	}
	switch len(parts) {
	case 1:
		c.text.high = parts[0]
	case 3:
		c.text = textCursor{high: parts[0], top: parts[1], floor: parts[2]}
		if c.text.floor == "0" || !idLess(c.text.floor, c.text.top) || idLess(c.text.high, c.text.top) {
			return searchCursor{}, false
		}
	default:
		return searchCursor{}, false
	}
	return c, true
}

// Search returns the public posts matching q that are newer than cursor,
// oldest first, and the cursor to save once they are stored; with cursor
// "" only the newest page of each source. On an error it returns what it
// read before, with a cursor that covers it and re-reads what it did not:
// a caller may store them or drop them. The instance's refusals are
// *channel.SendError: 429 temporary until the rate limit resets, 5xx
// temporary, 401 and 403 permanent. A cursor it cannot read is logged and
// treated as none.
func (a *Adapter) Search(ctx context.Context, in care.Inbox, q care.ListenQuery, cursor string) ([]care.ListenPost, string, error) {
	lq, err := translateQuery(q)
	if err != nil {
		return nil, cursor, err
	}
	c, ok := parseSearchCursor(cursor)
	if !ok {
		a.logger().Warn("mastodon: search cursor not understood; starting from the newest", "inbox", in.ID)
	}
	r := &searchRun{a: a, in: in, q: lq, now: a.now(), ran: c.ran, seen: map[string]bool{}}
	next := c
	if lq.text == "" {
		next.text = textCursor{}
	} else {
		next.text, err = r.fullText(ctx, c.text)
	}
	if len(lq.tags) == 0 {
		next.tags = ""
	} else if err == nil {
		next.tags, err = r.tagTimeline(ctx, c.tags)
	}
	if err == nil {
		if last := time.Unix(next.ran, 0); next.ran == 0 || r.now.Sub(last) >= searchRanStep || r.now.Before(last) {
			next.ran = r.now.Unix()
		}
	}
	slices.SortStableFunc(r.posts, func(x, y care.ListenPost) int {
		switch {
		case idLess(x.PlatformID, y.PlatformID):
			return -1
		case idLess(y.PlatformID, x.PlatformID):
			return 1
		}
		return 0
	})
	return r.posts, next.String(), err
}

// searchRun is one call of Search.
type searchRun struct {
	a     *Adapter
	in    care.Inbox
	q     listenQuery
	now   time.Time
	ran   int64 // the cursor's time of the last search, 0 if it has none
	posts []care.ListenPost
	seen  map[string]bool
}

// fullText reads the text search from c on and returns the cursor after
// it. On an error the cursor is c with high moved only if nothing is left
// unread below it.
func (r *searchRun) fullText(ctx context.Context, c textCursor) (textCursor, error) {
	if c.high == "" || c.high == "0" || r.outage(c.high) {
		if c.high != "" && c.high != "0" {
			r.a.logger().Warn("mastodon: listening skipped a backlog older than a day", "inbox", r.in.ID, "after", c.high)
		}
		budget := 1
		newest, _, _, err := r.walk(ctx, "", "", &budget)
		if err != nil {
			return c, err
		}
		switch {
		case newest != "" && (c.high == "" || c.high == "0" || idLess(c.high, newest)):
			return textCursor{high: newest}, nil
		case c.high == "":
			return textCursor{high: "0"}, nil
		}
		return textCursor{high: c.high}, nil
	}
	budget := searchMaxPages
	newest, oldest, done, err := r.walk(ctx, c.high, "", &budget)
	if err != nil {
		return c, err
	}
	next := c
	if newest != "" && idLess(c.high, newest) {
		next.high = newest
	}
	if !done {
		if c.top != "" {
			r.a.logger().Warn("mastodon: listening dropped an older backlog to keep up with a new one", "inbox", r.in.ID, "from", c.floor, "to", c.top)
		}
		if oldest == "" || !idLess(c.high, oldest) {
			return textCursor{high: next.high}, nil
		}
		return textCursor{high: next.high, top: oldest, floor: c.high}, nil
	}
	if c.top == "" || budget == 0 {
		return next, nil
	}
	if r.ran == 0 && r.tooOld(c.floor) {
		r.a.logger().Warn("mastodon: listening dropped a backlog older than a day", "inbox", r.in.ID, "from", c.floor, "to", c.top)
		return textCursor{high: next.high}, nil
	}
	_, oldest, done, err = r.walk(ctx, c.floor, c.top, &budget)
	switch {
	case err != nil:
		return next, err
	case done:
		next.top, next.floor = "", ""
	case oldest != "" && idLess(oldest, c.top) && idLess(c.floor, oldest):
		next.top = oldest
	}
	return next, nil
}

// walk reads the text search's results in (floor, ceiling), "" for no
// bound, newest first, a page at a time by offset, until a page is short,
// a result at or below floor shows that the rest was read before, the
// rate limit runs low, or budget pages are spent. It returns the newest
// and oldest ids it kept, and done when it reached the end.
func (r *searchRun) walk(ctx context.Context, floor, ceiling string, budget *int) (newest, oldest string, done bool, err error) {
	q := url.Values{}
	q.Set("q", r.q.text)
	q.Set("type", "statuses")
	q.Set("resolve", "false")
	if floor != "" {
		q.Set("min_id", widen(floor, -1))
	}
	if ceiling != "" {
		q.Set("max_id", widen(ceiling, +1))
	}
	for offset := 0; *budget > 0; {
		*budget--
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		p, err := r.page(ctx, "/api/v2/search", q, true)
		if err != nil {
			return newest, oldest, false, err
		}
		offset += p.count
		below := false
		for _, f := range p.found {
			switch {
			case f.id == "":
				continue
			case floor != "" && !idLess(floor, f.id):
				below = true
				continue
			case ceiling != "" && !idLess(f.id, ceiling):
				continue
			}
			if newest == "" || idLess(newest, f.id) {
				newest = f.id
			}
			if oldest == "" || idLess(f.id, oldest) {
				oldest = f.id
			}
			r.add(f)
		}
		if below || p.count < p.limit {
			return newest, oldest, true, nil
		}
		if p.rate.ok && p.rate.remaining < rateReserve {
			break
		}
	}
	return newest, oldest, false, nil
}

// tagTimeline reads the hashtag timeline forward from cursor and returns
// the cursor after it.
func (r *searchRun) tagTimeline(ctx context.Context, cursor string) (string, error) {
	path := "/api/v1/timelines/tag/" + url.PathEscape(r.q.tags[0])
	base := url.Values{}
	if len(r.q.tags) > 1 {
		base["any[]"] = r.q.tags[1:]
	}
	if len(r.q.none) > 0 {
		base["none[]"] = r.q.none
	}
	if cursor == "" || cursor == "0" || r.outage(cursor) {
		if cursor != "" && cursor != "0" {
			r.a.logger().Warn("mastodon: listening skipped a hashtag backlog older than a day", "inbox", r.in.ID, "after", cursor)
		}
		p, err := r.page(ctx, path, base, false)
		if err != nil {
			return cursor, err
		}
		for _, f := range p.found {
			r.add(f)
		}
		switch {
		case p.newest != "" && (cursor == "" || cursor == "0" || idLess(cursor, p.newest)):
			return p.newest, nil
		case cursor == "":
			return "0", nil
		}
		return cursor, nil
	}
	next := cursor
	for range searchMaxPages {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		q.Set("min_id", next)
		p, err := r.page(ctx, path, q, false)
		if err != nil {
			return next, err
		}
		for _, f := range p.found {
			if f.id != "" && idLess(cursor, f.id) {
				r.add(f)
			}
		}
		if p.newest != "" && idLess(next, p.newest) {
			next = p.newest
		} else if p.count > 0 {
			break // no progress: nothing newer to page to
		}
		if p.count < p.limit || p.rate.ok && p.rate.remaining < rateReserve {
			break
		}
	}
	return next, nil
}

// add keeps a found post once per call, unless it is skipped or excluded.
func (r *searchRun) add(f found) {
	if f.skipped != "" {
		r.a.logger().Debug("mastodon: search result skipped on purpose", "inbox", r.in.ID, "status", f.id, "what", f.skipped)
		return
	}
	if r.seen[f.id] || excluded(f, r.q.excludes) {
		return
	}
	r.seen[f.id] = true
	r.posts = append(r.posts, f.post)
}

// outage reports whether the backlog after a source's cursor id is one
// not to catch up: no search succeeded for maxBacklog. A cursor without
// the time of its last search goes by the time in id, as it did then.
func (r *searchRun) outage(id string) bool {
	if r.ran == 0 {
		return r.tooOld(id)
	}
	return time.Unix(r.ran, 0).Before(r.now.Add(-maxBacklog))
}

// tooOld reports whether a Mastodon id is from before maxBacklog.
func (r *searchRun) tooOld(id string) bool {
	t, ok := snowflakeTime(id)
	return ok && t.Before(r.now.Add(-maxBacklog))
}

// statusPage is one page of statuses from either source.
type statusPage struct {
	found  []found
	count  int    // statuses on the page, mapped or not
	limit  int    // the page size asked for
	newest string // the newest id on the page, from the Link header when a status was unreadable
	rate   rateLimit
}

// page reads one page of statuses: the search's (search true) or a
// hashtag timeline's. A page too large to read is read again one status
// at a time.
func (r *searchRun) page(ctx context.Context, path string, q url.Values, search bool) (statusPage, error) {
	q.Set("limit", strconv.Itoa(searchPageLimit))
	resp, err := r.a.call(ctx, r.in, request{method: http.MethodGet, path: path, query: q, limit: maxPageBytes})
	if errors.Is(err, errTooLarge) {
		q.Set("limit", "1")
		resp, err = r.a.call(ctx, r.in, request{method: http.MethodGet, path: path, query: q, limit: maxPageBytes})
	}
	if err != nil {
		return statusPage{}, err
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	p := statusPage{limit: limit, rate: resp.rate}
	switch {
	case !resp.ok() && !search && resp.status == http.StatusNotFound:
		return p, nil // a hashtag no post on the instance has used yet
	case !resp.ok() && search && resp.status == http.StatusForbidden:
		e := apiError(resp, r.a.now())
		e.Reason = "Mastodon refused to search (" + errorText(resp.body) + "): give the access token the " + SearchScope + " scope, or remove the inbox's listening"
		return p, e
	case !resp.ok():
		return p, apiError(resp, r.a.now())
	}
	raws, err := statusList(resp.body, search)
	if err != nil {
		reason := "the instance's hashtag timeline was not understood"
		if search {
			reason = "the instance's search results were not understood"
		}
		return p, channel.Temporary(reason, 0, err)
	}
	p.count = len(raws)
	broken := false
	for _, raw := range raws {
		f, err := mapFound(r.in, raw, r.now)
		if err != nil || f.id == "" {
			r.a.logger().Warn("mastodon: skipped a search result that is not a status", "inbox", r.in.ID, "err", err)
			broken = true
			continue
		}
		if p.newest == "" || idLess(p.newest, f.id) {
			p.newest = f.id
		}
		p.found = append(p.found, f)
	}
	if prev := linkID(resp.header, "prev", "min_id"); broken && !search && prev != "" && (p.newest == "" || idLess(p.newest, prev)) {
		p.newest = prev
	}
	return p, nil
}

// statusList reads the statuses of a Search entity (search) or of an
// array of Status.
func statusList(body []byte, search bool) ([]json.RawMessage, error) {
	if !search {
		var raws []json.RawMessage
		return raws, json.Unmarshal(body, &raws)
	}
	var s struct {
		Statuses *[]json.RawMessage `json:"statuses"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, err
	}
	if s.Statuses == nil {
		return nil, errors.New("mastodon: a Search entity without statuses")
	}
	return *s.Statuses, nil
}

// foundStatus is a Status with the fields listening reads besides those
// of status.
type foundStatus struct {
	status
	URI      string `json:"uri"`
	Language string `json:"language"`
	Tags     []struct {
		Name string `json:"name"`
	} `json:"tags"`
}

// found is what became of one status of a page.
type found struct {
	id      string // "" when unreadable
	post    care.ListenPost
	tags    []string // lower-case, for exclusions
	text    string   // lower-case, for exclusions
	skipped string   // why it is not a post to keep
}

// maxFoundTags bounds the tags of a post read for exclusions.
const maxFoundTags = 64

// mapFound maps one Status, as JSON, to a found post for inbox in. It
// returns EINVALID for JSON that is not a status; a status that is no
// post to keep has skipped set.
func mapFound(in care.Inbox, raw []byte, now time.Time) (found, error) {
	var s foundStatus
	if err := json.Unmarshal(raw, &s); err != nil {
		return found{}, care.Errorf(care.EINVALID, "not a Mastodon status: %v", err)
	}
	f := found{id: string(s.ID)}
	if !validID(f.id) || len(f.id) > care.MaxPlatformIDBytes {
		return found{}, nil
	}
	acct := s.Account
	switch {
	case s.boost():
		f.skipped = "a boost"
	case s.Visibility != "public":
		f.skipped = "a post that is not public"
	case acct == nil:
		f.skipped = "a post without its author"
	case brandAccount(in) != "" && string(acct.ID) == brandAccount(in):
		f.skipped = "the brand's own post"
	}
	if f.skipped != "" {
		return f, nil
	}
	author, ok := authorOf(in, acct)
	if !ok || len(author.PlatformUserID) > care.MaxPlatformIDBytes {
		f.skipped = "a post whose author has no usable handle"
		return f, nil
	}
	text := channel.CleanText(statusText(&s.status), listen.MaxMatchBytes)
	f.post = care.ListenPost{
		Source:     care.ChannelMastodon,
		PlatformID: f.id,
		URL:        postURL(in, &s, author),
		Author:     author,
		Text:       text,
		Lang:       language(s.Language),
		PostedAt:   sentAt(s.CreatedAt, now),
	}
	f.text = strings.ToLower(text)
	for i, t := range s.Tags {
		if i == maxFoundTags {
			break
		}
		f.tags = append(f.tags, strings.ToLower(channel.CleanName(t.Name, maxTagBytes)))
	}
	return f, nil
}

// postURL is the post's page: its url, else its uri (the ActivityPub id,
// which Mastodon also serves as a page), when http(s); else the post on
// the inbox's instance, /@user[@domain]/id, which Mastodon's web app
// shows for remote posts too.
func postURL(in care.Inbox, s *foundStatus, author care.Author) string {
	switch {
	case webURL(s.URL):
		return s.URL
	case webURL(s.URI):
		return s.URI
	}
	base, err := baseURL(in)
	if err != nil {
		return ""
	}
	user, host, _ := strings.Cut(strings.TrimPrefix(author.Handle, "@"), "@")
	acct := user
	if host != domain(in) {
		acct += "@" + host
	}
	u := base + "/@" + url.PathEscape(acct) + "/" + url.PathEscape(string(s.ID))
	if !webURL(u) {
		return ""
	}
	return u
}

// language is a status's language, an ISO 639 code, when it looks like
// one.
func language(s string) string {
	if s == "" || len(s) > 16 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return ""
		}
	}
	return s
}

// excluded reports whether a found post says one of the exclusions,
// which the hashtag timeline cannot filter and a server may ignore: a
// "#tag" among its tags or in its text, a word or phrase in its text as a
// whole word.
func excluded(f found, excludes []string) bool {
	for _, x := range excludes {
		if name, ok := strings.CutPrefix(x, "#"); ok && slices.Contains(f.tags, name) {
			return true
		}
		if containsWord(f.text, x) {
			return true
		}
	}
	return false
}

// containsWord reports whether w occurs in s between word boundaries.
func containsWord(s, w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i+len(w) <= len(s); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !wordRune(before)) && (end == len(s) || !wordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		i = start + size
	}
	return false
}

// snowflakeEpoch bounds the times a Mastodon id can carry: the first
// snowflake ids (Mastodon 2.0, 2017) are later, and a number whose time
// would be before it is another server's sequence.
var snowflakeEpoch = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

// snowflakeTime is the time in a Mastodon id: milliseconds since 1970
// above 16 bits of sequence (lib/mastodon/snowflake.rb); ok is false for
// an id that is not one.
func snowflakeTime(id string) (time.Time, bool) {
	if !digits(id) || len(id) > 19 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	t := time.UnixMilli(n >> 16).UTC()
	if t.Before(snowflakeEpoch) || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// widen moves a Mastodon id by a second (dir -1 earlier, +1 later), so
// that a search bound, which Mastodon cuts to the second, still covers the
// whole second of the id. Other ids are exact bounds and stay as they are.
func widen(id string, dir int) string {
	if _, ok := snowflakeTime(id); !ok {
		return id
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	const second = 1000 << 16
	switch {
	case dir < 0 && n > second:
		n -= second
	case dir > 0 && n < 1<<62:
		n += second
	}
	return strconv.FormatInt(n, 10)
}
