package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening. Search finds public posts about the brand and its competitors
// with app.bsky.feed.searchPosts, through the inbox's PDS and session with
// atproto-proxy to the AppView, as notifications are read: Bluesky no
// longer answers post search without a session
// (github.com/bluesky-social/bsky-docs/issues/296).
//
// The method (docs.bsky.app/docs/api/app-bsky-feed-search-posts; lexicon
// lexicons/app/bsky/feed/searchPosts.json in github.com/bluesky-social/
// atproto) takes q, sort "latest" or "top", since (inclusive) and until
// (exclusive) datetimes compared with the post's sortAt, limit 1 to 100,
// and an opaque cursor; it answers {cursor, hitsTotal, posts: [postView]},
// newest first with sort=latest. Its syntax is "unspecified, but Lucene
// query syntax is recommended"; what Bluesky runs is its search service
// (palomar, github.com/bluesky-social/indigo, search/), which:
//
//   - splits q on spaces outside double quotes and turns a bare #tag, @handle,
//     from:, to:, mentions:, lang:, since:, until:, domain: or URL token
//     into a filter ANDed with everything else (search/parse_query.go): a
//     hashtag cannot be one of several alternatives that way, nor through
//     the tag parameter, whose several values must all match;
//   - hands the rest to OpenSearch's simple_query_string with the flags
//     AND|NOT|OR|PHRASE|PRECEDENCE|WHITESPACE and default operator AND
//     (search/query.go): "phrase", a | b, -excluded, (grouping); a bare OR
//     is just a word, and "a OR b" finds posts with a, b and "or"
//     (github.com/bluesky-social/atproto/issues/3751);
//   - pages by offset: the cursor is the next offset, given while pages
//     are full, up to 10,000 (search/handlers.go).
//
// So every term is written as a quoted phrase, the terms joined by |, each
// exclusion as -"phrase": a term can then never be an operator or a
// filter. A phrase cannot hold a double quote safely (palomar's splitting
// counts quotes and knows no escapes, so an escaped quote would let the
// rest of the term out as filters), so double quotes, backslashes,
// controls and white space become single spaces; the ICU tokenizer the
// index uses splits words on them anyway. For the same reason # and @ stay
// inside the phrase and are ignored by the tokenizer: "#acme" finds every
// post with the word acme, hashtag or not, which is more than asked but
// misses nothing, where the tag filter would drop every other term.
//
// The lexicon sets no length for q; Parley keeps it within maxQueryBytes,
// which percent-encoded stays far below the request-line limits of the
// proxies in front of the AppView.
//
// Cursor. Results are newest first and pages are offsets, so a call reads
// from the newest down to a time (since), at most searchPages pages. The
// cursor holds a mark: posts with an earlier sortAt are read. A call that
// reads down to its mark moves it to searchOverlap before the call's time,
// not to the newest post: the index takes posts in a little after they
// are written, so the last minutes are read once more next time, and what
// is read twice is stored once. A call that stops before its mark also
// keeps the gap it left, from the mark to the oldest post it read; the
// next call reads the gap first (with until, newest first, its pages
// bounded as well) and only then what is newer, so a burst is read late
// rather than skipped. The first call reads the newest page and sets the
// mark to searchOverlap before its time: no backfill. The mark never moves
// back. A mark more than maxSearchBacklog old (Parley stopped for a while)
// is moved up to that age and the older posts are skipped, with a warning
// in the log: a day's posts at 500 a call drain quickly, an unbounded
// backlog might never. Parley's clock is taken to be within a minute of
// Bluesky's.
//
// Interval: post search has no documented limit of its own; requests
// count against the PDS's 3,000 per 5 minutes per IP
// (docs.bsky.app/docs/advanced-guides/rate-limits), which polling already
// uses at about 30 per inbox. A query every 2 minutes costs 2.5 calls per
// 5 minutes, one request each when nothing new is found and a getProfiles
// or two when authors are new: about a tenth of an inbox's polling per
// query. Bluesky has had to shut post search to bots that hit it hard; a
// listening report gains nothing from fresher counts.
//
// The brand's own posts are left out: listening hears what others say.
// Posts that address it (replies, quotes, mentions) are kept, as X's and
// the other platforms' searches keep them: they are others' voices, and
// share of voice would be lopsided without them, though they also reach
// the inbox through Poll as conversations.
const (
	searchNSID       = "app.bsky.feed.searchPosts"
	searchInterval   = 2 * time.Minute
	searchLimit      = 100
	searchPages      = 5
	searchOverlap    = 2 * time.Minute
	maxSearchBacklog = 24 * time.Hour
	maxQueryBytes    = 1024
	// maxListenIDBytes is the store's bound on a found post's PlatformID.
	maxListenIDBytes = 200
	// maxProfileBatches bounds the getProfiles calls of one search: 100
	// new authors.
	maxProfileBatches = 4
	maxSearchCursor   = 512
)

var _ channel.Searcher = (*Adapter)(nil)

// SearchInterval is 2 minutes for an inbox that can log in, 0 for one
// without an identifier and App Password (it cannot search: Bluesky wants
// a session for post search).
func (a *Adapter) SearchInterval(in care.Inbox) time.Duration {
	if in.Credentials[CredIdentifier] == "" || in.Credentials[CredAppPassword] == "" {
		return 0
	}
	if _, err := a.baseURL(in); err != nil {
		return 0
	}
	return searchInterval
}

// Search returns the public posts matching q that are newer than cursor,
// oldest first, and the cursor to save once they are stored; with cursor ""
// the newest page only. A query Bluesky cannot take (too long, no word in
// any term) is a permanent *channel.SendError telling the admin what to
// change; Bluesky's refusals are *channel.SendError as for Poll. On an
// error nothing is returned and the cursor stays: what was read is read
// again. A cursor it cannot read is logged and treated as none.
func (a *Adapter) Search(ctx context.Context, in care.Inbox, q care.ListenQuery, cursor string) ([]care.ListenPost, string, error) {
	query, err := searchQuery(q)
	if err != nil {
		return nil, cursor, channel.Permanent("Bluesky cannot search for this subject", err)
	}
	var m searchMark
	if cursor != "" {
		var ok bool
		if m, ok = decodeSearchMark(cursor); !ok {
			a.logger().Warn("bluesky: search cursor not understood; starting from now", "inbox", in.ID)
		}
	}
	brand, err := a.accountDID(ctx, in)
	if err != nil {
		return nil, cursor, err
	}
	now := a.now()
	var items []searchItem
	if m.since.IsZero() {
		items, _, _, err = a.searchWindow(ctx, in, query, brand, time.Time{}, time.Time{}, 1, now)
		if err != nil {
			return nil, cursor, err
		}
		m = searchMark{since: now.Add(-searchOverlap)}
	} else if m, items, err = a.searchAfter(ctx, in, query, brand, m, now); err != nil {
		return nil, cursor, err
	}
	posts := make([]care.ListenPost, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		if it.why != "" {
			if it.why != whyBrand {
				a.logger().Debug("bluesky: search result skipped", "inbox", in.ID, "why", it.why)
			}
			continue
		}
		if !seen[it.post.PlatformID] {
			seen[it.post.PlatformID] = true
			posts = append(posts, it.post)
		}
	}
	a.completeListen(ctx, in, posts)
	for i := range posts {
		au := &posts[i].Author
		au.Handle = channel.CleanName(au.Handle, care.MaxNameBytes)
		au.DisplayName = channel.CleanName(au.DisplayName, care.MaxNameBytes)
	}
	slices.SortStableFunc(posts, func(x, y care.ListenPost) int { return x.PostedAt.Compare(y.PostedAt) })
	return posts, m.encode(), nil
}

// searchAfter reads what is newer than m, closing m's gap first, within
// searchPages pages, and returns the mark that follows.
func (a *Adapter) searchAfter(ctx context.Context, in care.Inbox, query, brand string, m searchMark, now time.Time) (searchMark, []searchItem, error) {
	if floor := now.Add(-maxSearchBacklog); m.since.Before(floor) {
		a.logger().Warn("bluesky: listening is more than a day behind; older posts are skipped",
			"inbox", in.ID, "since", m.since)
		m.since = floor
		if m.gap() && !m.until.After(floor) {
			m = searchMark{since: laterOf(floor, m.top)}
		}
	}
	budget := searchPages
	var found []searchItem
	if m.gap() {
		got, used, done, err := a.searchWindow(ctx, in, query, brand, m.since, m.until.Add(time.Millisecond), budget, now)
		if err != nil {
			return m, nil, err
		}
		found, budget = got, budget-used
		if !done {
			oldest := oldestOf(got)
			if oldest.IsZero() || !oldest.Before(m.until) {
				// Pages of posts in one millisecond: step past it rather
				// than read it forever.
				a.logger().Warn("bluesky: too many search results at one instant; some are skipped", "inbox", in.ID)
				oldest = m.until.Add(-time.Millisecond)
			}
			m.until = oldest
			if !m.until.After(m.since) {
				m = searchMark{since: laterOf(m.since, m.top)}
			}
			return m, found, nil
		}
		m = searchMark{since: laterOf(m.since, m.top)}
		if budget == 0 {
			return m, found, nil
		}
	}
	got, _, done, err := a.searchWindow(ctx, in, query, brand, m.since, time.Time{}, budget, now)
	if err != nil {
		return m, nil, err
	}
	found = append(found, got...)
	// What the index takes in after now was written after
	// now-searchOverlap.
	top := laterOf(m.since, now.Add(-searchOverlap))
	if oldest := oldestOf(got); !done && oldest.After(m.since) {
		a.logger().Info("bluesky: more search results than one call reads; the rest follow in the next calls", "inbox", in.ID)
		return searchMark{since: m.since, top: top, until: oldest}, found, nil
	}
	return searchMark{since: top}, found, nil
}

// searchWindow reads up to pages pages of the posts matching query with a
// sortAt from since (zero: no bound) to before until (zero: none), newest
// first. done reports that it reached the window's end.
func (a *Adapter) searchWindow(ctx context.Context, in care.Inbox, query, brand string, since, until time.Time, pages int, now time.Time) (items []searchItem, used int, done bool, err error) {
	var page string
	for used < pages {
		v := url.Values{"q": {query}, "sort": {"latest"}, "limit": {strconv.Itoa(searchLimit)}}
		if !since.IsZero() {
			v.Set("since", since.UTC().Format(wireTime))
		}
		if !until.IsZero() {
			v.Set("until", until.UTC().Format(wireTime))
		}
		if page != "" {
			v.Set("cursor", page)
		}
		r, err := a.xrpcRaw(ctx, in, call{nsid: searchNSID, query: v, proxy: appViewProxy}, "searching posts")
		used++
		if err != nil {
			return nil, used, false, err
		}
		res, err := parseSearchPage(r.body)
		if err != nil {
			return nil, used, false, channel.Temporary("Bluesky's search answer was not understood", 0, err)
		}
		reached := false
		for _, raw := range res.posts {
			it := parseSearchPost(raw, brand, now)
			if !since.IsZero() && !it.late.IsZero() && it.late.Before(since) {
				// A server that ignores since. The later time is the one
				// looked at: a server that went by createdAt may have
				// counted a post indexed before since.
				reached = true
				continue
			}
			items = append(items, it)
		}
		if reached || res.cursor == "" || res.cursor == page || len(res.posts) == 0 {
			return items, used, true, nil
		}
		page = res.cursor
	}
	return items, used, false, nil
}

// wireTime is how datetimes go to Bluesky: UTC to the millisecond, as the
// network writes them (atproto.com/specs/lexicon, "datetime").
const wireTime = "2006-01-02T15:04:05.000Z"

// searchPage is one answer of searchPosts.
type searchPage struct {
	posts  []json.RawMessage
	cursor string // "" when there is no next page, or none worth following
}

// parseSearchPage reads an answer, each post left raw so that one odd post
// costs only itself. An answer without a posts array is an error: the
// lexicon requires it.
func parseSearchPage(body []byte) (searchPage, error) {
	var out struct {
		Cursor json.RawMessage   `json:"cursor"`
		Posts  []json.RawMessage `json:"posts"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return searchPage{}, fmt.Errorf("bluesky: %s: decode: %w", searchNSID, err)
	}
	if out.Posts == nil {
		return searchPage{}, fmt.Errorf("bluesky: %s: the answer has no posts array", searchNSID)
	}
	p := searchPage{posts: out.Posts}
	var c string
	if json.Unmarshal(out.Cursor, &c) == nil && len(c) <= maxSearchCursor && printable(c) {
		p.cursor = c
	}
	return p, nil
}

// searchItem is one search result: the post as Parley keeps it, when it
// is one to keep, and when search sorts it.
type searchItem struct {
	post care.ListenPost
	// at is the post's sortAt as Parley reckons it: the earlier of its
	// createdAt and indexedAt, no later than now; zero when neither is a
	// time.
	at time.Time
	// late is the later of the two, likewise.
	late time.Time
	// why says why the result is not kept; "" when it is.
	why string
}

// whyBrand is why the brand's own post is skipped.
const whyBrand = "the brand's own post"

// searchPostView is app.bsky.feed.defs#postView, as far as Parley reads it.
type searchPostView struct {
	URI    string `json:"uri"`
	Author struct {
		profile
		CreatedAt string `json:"createdAt"`
	} `json:"author"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
}

// searchRecord is an app.bsky.feed.post record as search results carry it;
// languages and facets are decoded one by one, leniently.
type searchRecord struct {
	Type      string            `json:"$type"`
	Text      string            `json:"text"`
	CreatedAt string            `json:"createdAt"`
	Langs     []json.RawMessage `json:"langs"`
	Reply     *replyRef         `json:"reply"`
	Embed     *embed            `json:"embed"`
	Facets    []json.RawMessage `json:"facets"`
}

// parseSearchPost maps one result (raw JSON) to a found post: PlatformID
// the at:// URI, as Poll names posts, URL the post on bsky.app by its
// author's DID (handles change, DIDs do not), Author as for messages,
// Text the record's text with a link card's URL, Lang the record's first
// language, PostedAt its createdAt (else when it was indexed, else now).
func parseSearchPost(raw []byte, brand string, now time.Time) searchItem {
	var v searchPostView
	if err := json.Unmarshal(raw, &v); err != nil {
		return searchItem{why: "not a post view"}
	}
	var rec searchRecord
	recErr := json.Unmarshal(v.Record, &rec)
	it := searchItem{at: sortTime(now, false, rec.CreatedAt, v.IndexedAt), late: sortTime(now, true, rec.CreatedAt, v.IndexedAt)}
	did := v.Author.DID
	uri, ok := parsePostURI(v.URI)
	switch {
	case !validDID(did):
		it.why = "author without a valid DID"
	case !ok || uri.DID != did:
		it.why = "not a post of its author"
	case len(uri.String()) > maxListenIDBytes:
		it.why = "post id too long"
	case recErr != nil || rec.Type != "" && rec.Type != postCollection:
		it.why = "record is not a post"
	case did == brand:
		it.why = whyBrand
	}
	if it.why != "" {
		return it
	}
	au := care.Author{PlatformUserID: did,
		Handle:      channel.CleanName(handleOf(v.Author.Handle), care.MaxNameBytes),
		DisplayName: channel.CleanName(v.Author.DisplayName, care.MaxNameBytes),
		Verified:    v.Author.verified()}
	if t := parseTime(v.Author.CreatedAt); !t.IsZero() && !t.Before(earliest) && !t.After(now) {
		au.AccountCreated = &t
	}
	it.post = care.ListenPost{Source: care.ChannelBluesky, PlatformID: uri.String(), URL: uri.webURL(), Author: au,
		Text:     channel.CleanText(withEmbedText(rec.Text, rec.Embed), listen.MaxMatchBytes),
		Lang:     postLang(rec.Langs),
		PostedAt: sentAt(now, rec.CreatedAt, v.IndexedAt)}
	return it
}

// sortTime is the earlier (or, when late, the later) of the times given
// that are Bluesky times, no later than now; zero when none is.
func sortTime(now time.Time, late bool, times ...string) time.Time {
	var at time.Time
	for _, s := range times {
		if t := parseTime(s); !t.IsZero() && !t.Before(earliest) && (at.IsZero() || t.Before(at) != late) {
			at = t
		}
	}
	if at.After(now) {
		at = now.UTC()
	}
	return at
}

// postLang is the first of a record's languages (app.bsky.feed.post langs,
// at most 3 BCP 47 tags) that reads as a language tag.
func postLang(langs []json.RawMessage) string {
	for _, raw := range langs[:min(len(langs), 3)] {
		var s string
		if json.Unmarshal(raw, &s) == nil && validLang(s) {
			return s
		}
	}
	return ""
}

// validLang reports whether s has a BCP 47 tag's shape: a primary subtag
// of 2 or 3 letters, then subtags of 1 to 8 letters or digits, 35 bytes at
// most.
func validLang(s string) bool {
	if len(s) > 35 {
		return false
	}
	for i, sub := range strings.Split(s, "-") {
		if sub == "" || len(sub) > 8 || i == 0 && (len(sub) < 2 || len(sub) > 3) {
			return false
		}
		for j := 0; j < len(sub); j++ {
			if !isLetter(sub[j]) && (i == 0 || !isAlnum(sub[j])) {
				return false
			}
		}
	}
	return true
}

// completeListen fills in the authors' follower counts from
// app.bsky.actor.getProfiles, 25 new authors a call, at most
// maxProfileBatches calls; authors beyond them keep 0. It stops at the
// first call that completes no one (a refusal, already logged).
func (a *Adapter) completeListen(ctx context.Context, in care.Inbox, posts []care.ListenPost) {
	now := a.now()
	byDID := map[string][]*care.Author{}
	var fresh []string
	var known []*care.Author
	for i := range posts {
		au := &posts[i].Author
		if _, ok := a.profiles.get(au.PlatformUserID, now); ok {
			known = append(known, au)
			continue
		}
		if byDID[au.PlatformUserID] == nil {
			fresh = append(fresh, au.PlatformUserID)
		}
		byDID[au.PlatformUserID] = append(byDID[au.PlatformUserID], au)
	}
	if len(known) > 0 {
		a.complete(ctx, in, known)
	}
	for b := 0; b < maxProfileBatches && b*maxProfilesPerCall < len(fresh) && ctx.Err() == nil; b++ {
		dids := fresh[b*maxProfilesPerCall : min((b+1)*maxProfilesPerCall, len(fresh))]
		var batch []*care.Author
		for _, did := range dids {
			batch = append(batch, byDID[did]...)
		}
		a.complete(ctx, in, batch)
		if !slices.ContainsFunc(dids, func(did string) bool { _, ok := a.profiles.get(did, now); return ok }) {
			break
		}
	}
}

// searchQuery writes q in Bluesky's search syntax: the terms as quoted
// phrases joined by |, in parentheses when there are several, then each
// exclusion as -"phrase". It returns EINVALID when no term has a word in it
// or the query is longer than maxQueryBytes.
func searchQuery(q care.ListenQuery) (string, error) {
	terms := searchPhrases(q.Terms)
	if len(terms) == 0 {
		return "", care.Errorf(care.EINVALID, "None of the subject's terms has a letter or digit Bluesky could search for: add a word, a phrase, a #hashtag or an @handle.")
	}
	var b strings.Builder
	if len(terms) > 1 {
		b.WriteByte('(')
	}
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(`"` + t + `"`)
	}
	if len(terms) > 1 {
		b.WriteByte(')')
	}
	for _, x := range searchPhrases(q.Exclude) {
		b.WriteString(` -"` + x + `"`)
	}
	if b.Len() > maxQueryBytes {
		return "", care.Errorf(care.EINVALID, "The subject's terms and exclusions make a Bluesky search of %d bytes, more than the %d Parley sends: shorten the subject's terms or use fewer of them.",
			b.Len(), maxQueryBytes)
	}
	return b.String(), nil
}

// searchPhrases cleans terms into phrases that are safe between double
// quotes, lower-case, without duplicates or terms that have no letter or
// digit (the index finds nothing in those).
func searchPhrases(terms []string) []string {
	var out []string
	for _, t := range terms {
		p := searchPhrase(t)
		if p != "" && strings.ContainsFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) &&
			!slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// searchPhrase turns a term into the inside of a quoted phrase: valid
// UTF-8, lower-case, each run of white space, controls, invisible format
// characters, double quotes and backslashes one space, trimmed.
func searchPhrase(t string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(t, " ") {
		if r == '"' || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// searchMark is the cursor of a search: everything with a sortAt before
// since was read; when top is set, so was everything from until (the
// oldest post a call read) to top, which becomes the mark once the gap
// from since to until is read.
type searchMark struct {
	since, top, until time.Time
}

func (m searchMark) gap() bool { return !m.top.IsZero() }

type searchCursorJSON struct {
	Since string `json:"s"`
	Top   string `json:"t,omitempty"`
	Until string `json:"u,omitempty"`
}

func (m searchMark) encode() string {
	c := searchCursorJSON{Since: m.since.UTC().Format(time.RFC3339Nano)}
	if m.gap() {
		c.Top, c.Until = m.top.UTC().Format(time.RFC3339Nano), m.until.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// decodeSearchMark reads a cursor of encode's; ok is false for anything
// else.
func decodeSearchMark(s string) (searchMark, bool) {
	var c searchCursorJSON
	if len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &c) != nil {
		return searchMark{}, false
	}
	m := searchMark{since: parseTime(c.Since), top: parseTime(c.Top), until: parseTime(c.Until)}
	switch {
	case m.since.IsZero(),
		m.top.IsZero() != (c.Top == ""), m.until.IsZero() != (c.Until == ""),
		m.top.IsZero() != m.until.IsZero(),
		m.gap() && !m.until.After(m.since):
		return searchMark{}, false
	}
	return m, true
}

func oldestOf(items []searchItem) time.Time {
	var t time.Time
	for _, it := range items {
		if !it.at.IsZero() && (t.IsZero() || it.at.Before(t)) {
			t = it.at
		}
	}
	return t
}

func laterOf(ts ...time.Time) time.Time {
	var t time.Time
	for _, x := range ts {
		if x.After(t) {
			t = x
		}
	}
	return t
}
