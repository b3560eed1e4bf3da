package x

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"unicode/utf16"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening searches X with GET /2/tweets/search/recent, as the inbox's
// account (its OAuth 2.0 user token, refreshed as for every other call, or
// its OAuth 1.0a token: docs.x.com x-api/posts/search/introduction accepts
// both). It sees the public posts of the last seven days.
//
// Interval and rate limit: X allows each user 300 recent-search requests
// per 15 minutes, 450 per App (docs.x.com x-api/fundamentals/rate-limits).
// A round every 5 minutes costs one request per subject when little is
// said, at most searchPages when much is; the endpoint's budget is apart
// from the mentions' and DMs' that polling spends.
//
// Cost: X bills every post a read returns, $0.005 at its pay-per-use list
// price (x-api/getting-started/pricing, ChargePostRead), each post once per
// UTC day however often it is read. The Searcher contract has no place for
// a charge, so listening's reads are not on the inbox's spend line: with
// since_id a quiet round reads nothing, but a busy subject reads up to
// searchPages×searchPerPage posts a round (≈ $2.50). That ceiling, and the
// 5-minute interval, are kept low on purpose.
//
// Cursor: a compact JSON object. "n" is the newest post id fully read ("0"
// once searched and found nothing) and "t" when that post was made; while a
// burst larger than one call's pages is read, "p" is X's next_token to
// continue from (X's tokens do not expire, x-api/posts/search/integrate/paginate),
// "r" and "rt" the newest post of the burst and its time, "k" the pages read
// of it; "q" fingerprints the query the token belongs to. "n" moves only
// when a burst has been read down to it, so a call that stops early never
// skips what it left: the next one continues with the token, and newer
// posts wait for the burst's end. Two things are given up on purpose: a
// burst longer than searchRunPages pages (an outage's backlog, a post gone
// viral) is cut there, its oldest part unread, which is logged; and X
// refuses a since_id older than seven days, so once "n" is that old none is
// sent and what recent search still holds is read as a burst, newer than
// "n" by construction, the rest being beyond X's reach.
//
// Page size: a page of 100 long posts (note_tweet, up to 25,000
// characters each) can be larger than maxResponseBytes. Such a page is
// asked for again, same position, with fewer posts (searchPageSizes), and
// the rest of the call keeps the smaller size; only a page too large even
// for X's smallest, 10 posts, fails the call, with a temporary error that
// says so. Asking again costs a request of the window's budget but no
// second charge: the posts are those the large answer held, billed once a
// UTC day.
const (
	searchPath     = "/2/tweets/search/recent"
	searchInterval = 5 * time.Minute
	searchPerPage  = 100
	searchPages    = 5
	searchRunPages = 20
	// maxSearchQuery is the query length X allows self-serve (pay-per-use)
	// Projects on recent search; Enterprise allows 4,096
	// (x-api/posts/search/integrate/build-a-query, "Query limitations").
	maxSearchQuery = 512
	// searchWindow is how far back recent search reaches, and so how old a
	// since_id X still accepts; sinceMargin keeps clear of the edge.
	searchWindow = 7 * 24 * time.Hour
	sinceMargin  = time.Hour
)

// searchPageSizes are the max_results a search asks for, each after the
// one before came back larger than maxResponseBytes: 100; 25, which holds
// 25 long posts of plain text; 10, X's smallest, which holds any 10 (at
// most about 150 KB each, every character of a 25,000-character post
// escaped in the JSON).
var searchPageSizes = [...]int{searchPerPage, 25, 10}

var _ channel.Searcher = (*Adapter)(nil)

// SearchInterval is 5 minutes for an inbox whose credentials can make user
// requests, 0 for one that cannot: no access token and no refresh token, a
// refresh token without the client id to redeem it, or an OAuth 1.0a token
// without the consumer key and secret to sign with. Whether X lets the
// token search at all (its scopes, the App's access) only a search tells;
// its refusal is a permanent error.
func (a *Adapter) SearchInterval(in care.Inbox) time.Duration {
	c := in.Credentials
	switch {
	case usesOAuth1(in) && (c[CredConsumerKey] == "" || c[CredConsumerSecret] == "" || c[CredAccessToken] == ""):
		return 0
	case refreshes(in) && c[CredClientID] == "":
		return 0
	case !refreshes(in) && c[CredAccessToken] == "":
		return 0
	}
	return searchInterval
}

// Search returns the public posts of the last seven days that match q and
// are newer than cursor, oldest first, and the cursor to save once they are
// stored (see the cursor's description above). Reposts are left out: they
// repeat a post, they are not a new voice.
//
// Errors are *channel.SendError: permanent for a query that X cannot take
// (too long, or without a term it can search), for credentials X refuses
// (401, 403) and for X's other 4xx; temporary, with RetryAfter at the
// window's reset, for 429 (at the cap's reset, see capReset, for X's
// usage-capped problem), and for 5xx, an answer that is not understood, or
// none. After a first page was read, an error comes with the posts read
// so far and a cursor for them, which a caller may keep or drop.
func (a *Adapter) Search(ctx context.Context, in care.Inbox, q care.ListenQuery, cursor string) ([]care.ListenPost, string, error) {
	if a.SearchInterval(in) == 0 {
		return nil, cursor, channel.Permanent("the X inbox has no usable access token; reconnect the account", nil)
	}
	query, err := searchQuery(q)
	if err != nil {
		return nil, cursor, err
	}
	c, ok := parseSearchCursor(cursor)
	if !ok {
		a.logger().Warn("x: search cursor not understood; starting from the newest", "inbox", in.ID)
	}
	if qh := queryHash(query); c.Query != qh {
		// A next_token belongs to the query that made it.
		c.Next, c.Run, c.RunAt, c.Pages = "", "", 0, 0
		c.Query = qh
	}
	now := a.now()
	first := c.Newest == "" && c.Next == ""
	var posts []care.ListenPost
	seen := map[string]bool{}
	read, restarted := 0, false
	size := 0 // the index in searchPageSizes of the page size asked for
	for read < searchPages {
		since := ""
		if c.Newest != "" && c.Newest != "0" && c.At > 0 && now.Sub(time.Unix(c.At, 0)) < searchWindow-sinceMargin {
			since = c.Newest
		}
		p, position, err := a.searchPage(ctx, in, query, since, c.Next, &size, now)
		if err != nil {
			if position && !restarted {
				// X no longer takes the since_id or token (a clock apart
				// from X's, a token X forgot): read from the newest again,
				// keeping only what is newer than "n".
				restarted = true
				a.logger().Warn("x: search position refused; reading from the newest", "inbox", in.ID, "err", err)
				c.Next, c.Run, c.RunAt, c.Pages, c.At = "", "", 0, 0, 0
				continue
			}
			if read == 0 {
				return nil, cursor, err
			}
			return posts, c.encode(), err
		}
		read++
		if c.Next == "" { // a burst starts at the top
			c.Run, c.RunAt, c.Pages = p.newest, p.newestAt, 0
		}
		c.Pages++
		reachedKnown := false
		for _, id := range p.ids {
			if c.Newest != "" && !idLess(c.Newest, id) {
				reachedKnown = true
			}
		}
		for _, lp := range p.posts {
			if idLess(c.Newest, lp.PlatformID) && !seen[lp.PlatformID] {
				seen[lp.PlatformID] = true
				posts = append(posts, lp)
			}
		}
		if !first && !reachedKnown && p.next != "" && c.Pages >= searchRunPages {
			a.logger().Warn("x: search burst longer than Parley reads; its oldest posts are skipped",
				"inbox", in.ID, "pages", c.Pages, "newest", c.Run)
		}
		if first || reachedKnown || p.next == "" || c.Pages >= searchRunPages {
			c.endRun()
			break
		}
		c.Next = p.next
	}
	slices.SortFunc(posts, func(x, y care.ListenPost) int {
		switch {
		case idLess(x.PlatformID, y.PlatformID):
			return -1
		case idLess(y.PlatformID, x.PlatformID):
			return 1
		}
		return 0
	})
	return posts, c.encode(), nil
}

// searchCursor is Search's position; see the description above.
type searchCursor struct {
	Newest string `json:"n,omitempty"`
	At     int64  `json:"t,omitempty"`
	Next   string `json:"p,omitempty"`
	Run    string `json:"r,omitempty"`
	RunAt  int64  `json:"rt,omitempty"`
	Pages  int    `json:"k,omitempty"`
	Query  string `json:"q,omitempty"`
}

// parseSearchCursor reads a cursor Search returned; ok is false, with the
// zero cursor, for one it cannot have written.
func parseSearchCursor(s string) (c searchCursor, ok bool) {
	if s == "" {
		return c, true
	}
	if len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &c) != nil || !c.valid() {
		return searchCursor{}, false
	}
	return c, true
}

func (c searchCursor) valid() bool {
	return (c.Newest == "" || validID(c.Newest)) && (c.Run == "" || validID(c.Run)) &&
		validToken(c.Next) && c.Pages >= 0 && c.Pages <= searchRunPages &&
		c.At >= 0 && c.RunAt >= 0 && len(c.Query) <= 64
}

func (c searchCursor) encode() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// endRun closes a burst: its newest post becomes the newest read, with
// the time it was made (refreshed when it was that post already).
func (c *searchCursor) endRun() {
	if c.Run != "" && !idLess(c.Run, c.Newest) {
		c.Newest, c.At = c.Run, c.RunAt
	}
	if c.Newest == "" {
		// Searched, nothing found: from now on every post is new, not
		// only the newest page.
		c.Newest = "0"
	}
	c.Next, c.Run, c.RunAt, c.Pages = "", "", 0, 0
}

// validToken reports whether s could be one of X's pagination tokens, as
// far as storing it and sending it back goes: short, printable ASCII.
func validToken(s string) bool {
	return len(s) <= 512 && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

func queryHash(query string) string {
	h := sha256.Sum256([]byte(query))
	return hex.EncodeToString(h[:8])
}

// searchResult is one page of search results, made safe.
type searchResult struct {
	posts    []care.ListenPost
	ids      []string // every valid post id on the page, reposts too
	newest   string
	newestAt int64 // when newest was made, unix seconds
	next     string
}

// searchPage reads one page of searchPageSizes[*size] posts. A page larger
// than maxResponseBytes is asked for again with the next smaller size,
// which *size keeps for the rest of the call. position reports that X
// refused the request for its since_id or pagination token.
func (a *Adapter) searchPage(ctx context.Context, in care.Inbox, query, since, next string, size *int, now time.Time) (searchResult, bool, error) {
	v := url.Values{
		"query":      {query},
		"sort_order": {"recency"},
		// lang for the post's language; note_tweet for the whole text of
		// a post over 280 characters; referenced_tweets to know a repost
		// should one slip past -is:retweet.
		"tweet.fields": {"created_at,lang,author_id,note_tweet,referenced_tweets"},
		"expansions":   {"author_id"},
		"user.fields":  {"username,name,public_metrics,verified,verified_type,created_at"},
	}
	if since != "" {
		v.Set("since_id", since)
	}
	if next != "" {
		// The next page of a polling run takes the same since_id
		// (x-api/posts/search/integrate/paginate).
		v.Set("next_token", next)
	}
	var resp *apiResponse
	var err error
	for {
		v.Set("max_results", strconv.Itoa(searchPageSizes[*size]))
		resp, err = a.call(ctx, in, http.MethodGet, searchPath, v, nil)
		var tl *tooLargeError
		if !errors.As(err, &tl) {
			break
		}
		if *size == len(searchPageSizes)-1 {
			return searchResult{}, false, &channel.SendError{
				Reason: fmt.Sprintf("X's search answer was larger than %d MB even for %d posts", maxResponseBytes>>20, searchPageSizes[*size]),
				Status: resp.status, RateLimit: rateLimitLine(resp.header), Err: fmt.Errorf("x: search: %w", err)}
		}
		*size++
		a.logger().Debug("x: search page too large; asking for fewer posts", "inbox", in.ID, "max_results", searchPageSizes[*size])
	}
	if isAuthError(err) {
		return searchResult{}, false, err
	}
	if err != nil {
		reason := "X could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "X did not answer in time"
		}
		return searchResult{}, false, channel.Temporary(reason, 0, fmt.Errorf("x: search: %w", err))
	}
	if resp.status < 200 || resp.status > 299 {
		return searchResult{}, resp.status == http.StatusBadRequest && (since != "" || next != "") && refusesPosition(resp.body),
			a.searchError(resp)
	}
	p, err := a.parseSearchPage(resp.body, now)
	if err != nil {
		return searchResult{}, false, channel.Temporary("X's answer to the search was not understood", 0, err)
	}
	return p, false, nil
}

// searchError turns X's refusal of a search into a *channel.SendError.
func (a *Adapter) searchError(resp *apiResponse) error {
	detail := problemDetail(resp.body)
	e := &channel.SendError{Permanent: !temporaryStatus(resp.status), Status: resp.status, RateLimit: rateLimitLine(resp.header),
		Err: fmt.Errorf("x: search: %s: %s", statusLine(resp.status), detail)}
	switch s := resp.status; {
	case s == http.StatusTooManyRequests && usageCapped(resp.body):
		usageCapError(e, resp.header, a.now(), "searching posts for listening")
	case s == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(resp.header, a.now())
		e.Reason = "X's rate limit for searching posts is reached"
	case !e.Permanent:
		e.RetryAfter, _ = channel.ParseRetryAfter(resp.header.Get("Retry-After"), a.now())
		e.Reason = "X is having trouble (" + statusLine(s) + ")"
	case s == http.StatusUnauthorized:
		e.Reason = "X refused the inbox's access token; reconnect the X account"
	case s == http.StatusForbidden:
		e.Reason = "X refused to search posts for this account; check that the App's access includes recent search and the token has the tweet.read and users.read scopes"
	case s == http.StatusBadRequest:
		e.Reason = "X refused the listening query; check the subject's terms"
	default:
		e.Reason = "X refused the search (" + statusLine(s) + ")"
	}
	if detail != "" {
		e.Reason += ". X said: " + detail
	}
	return e
}

// refusesPosition reports whether an invalid-request body names since_id,
// next_token or pagination_token among the parameters it refuses, as X
// does for a since_id older than recent search reaches:
//
//	{"errors": [{"parameters": {"since_id": ["1519056945277198339"]}, "message": "…"}],
//	 "title": "Invalid Request", "type": "https://api.x.com/2/problems/invalid-request"}
func refusesPosition(body []byte) bool {
	var p struct {
		Errors []struct {
			Parameters map[string]json.RawMessage `json:"parameters"`
			Message    string                     `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &p) != nil {
		return false
	}
	for _, e := range p.Errors {
		msg := strings.ToLower(e.Message)
		for _, name := range []string{"since_id", "next_token", "pagination_token"} {
			if _, ok := e.Parameters[name]; ok || strings.Contains(msg, name) {
				return true
			}
		}
	}
	return false
}

// searchPost is a v2 Post object as recent search returns it with the
// fields Search asks for.
type searchPost struct {
	v2Post
	Lang string `json:"lang"`
}

// parseSearchPage reads a page of recent search
// (x-api/posts/search/quickstart/recent-search):
//
//	{"data": [{"id": "1234567890123456789", "text": "…", "created_at": "2024-01-15T10:30:00.000Z",
//	           "author_id": "9876543210", "lang": "en", …}],
//	 "includes": {"users": [{"id": "9876543210", "username": "pythondev", …}]},
//	 "meta": {"newest_id": "…", "oldest_id": "…", "result_count": 1, "next_token": "…"}}
//
// A post or user that does not decode is skipped, not the page; a page
// that is not such an object is an error.
func (a *Adapter) parseSearchPage(body []byte, now time.Time) (searchResult, error) {
	var page struct {
		Data     []json.RawMessage `json:"data"`
		Includes struct {
			Users []json.RawMessage `json:"users"`
		} `json:"includes"`
		Meta struct {
			NewestID  flexString `json:"newest_id"`
			NextToken string     `json:"next_token"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return searchResult{}, fmt.Errorf("x: search: %s", jsonProblem(err))
	}
	authors := map[string]profile{}
	for _, raw := range page.Includes.Users {
		var u wireUser
		if json.Unmarshal(raw, &u) != nil {
			continue
		}
		if p := u.profile(); validID(p.ID) {
			authors[p.ID] = p
		}
	}
	var r searchResult
	if id := string(page.Meta.NewestID); validID(id) {
		r.newest = id
	}
	switch t := page.Meta.NextToken; {
	case validToken(t):
		r.next = t
	default:
		a.logger().Warn("x: search page with an unusable next_token; its older pages are not read", "len", len(t))
	}
	for _, raw := range page.Data {
		var p searchPost
		if json.Unmarshal(raw, &p) != nil {
			continue
		}
		id := string(p.ID)
		if !validID(id) {
			a.logger().Warn("x: found post without a valid id skipped", "id", channel.Cut(id, 64))
			continue
		}
		r.ids = append(r.ids, id)
		lp := listenPost(&p, authors, now)
		if r.newest == "" || !idLess(id, r.newest) {
			r.newest, r.newestAt = id, lp.PostedAt.Unix()
		}
		if p.isRepost() {
			continue
		}
		r.posts = append(r.posts, lp)
	}
	if r.newest != "" && r.newestAt == 0 {
		// The newest post is not among those read: its time is unknown,
		// and now is the latest it can be.
		r.newestAt = now.Unix()
	}
	return r, nil
}

// listenPost maps a found post. Its URL is built from the author's handle
// and the post's id, or from the id alone when the handle is not one X
// could have given.
func listenPost(p *searchPost, authors map[string]profile, now time.Time) care.ListenPost {
	id := string(p.ID)
	text := p.Text
	if p.NoteTweet != nil && p.NoteTweet.Text != "" {
		text = p.NoteTweet.Text
	}
	lp := care.ListenPost{Source: care.ChannelX, PlatformID: id,
		Text: channel.CleanText(unescapePost.Replace(text), listen.MaxMatchBytes), Lang: postLang(p.Lang),
		PostedAt: sentAt(now, parseRFC3339(p.CreatedAt))}
	if author := string(p.AuthorID); validID(author) {
		prof, ok := authors[author]
		if !ok {
			prof = profile{ID: author}
		}
		lp.Author = prof.author()
	}
	lp.URL = "https://x.com/i/web/status/" + id
	if validHandle(lp.Author.Handle) {
		lp.URL = "https://x.com/" + lp.Author.Handle + "/status/" + id
	}
	return lp
}

// validHandle reports whether s is an X username: 1 to 15 ASCII letters,
// digits and underscores.
func validHandle(s string) bool {
	if s == "" || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// postLang returns X's language of a post, a BCP 47 tag such as "en" or
// "zh-TW" (operators list, lang:), or "" when X could not tell: "und", and
// the codes X gives posts with no language of their own ("zxx", "qme" for
// media alone, "qht" for hashtags alone, …: the q codes are reserved for
// private use, so no language has one).
func postLang(s string) string {
	if s == "" || len(s) > 35 || strings.EqualFold(s, "und") || strings.EqualFold(s, "zxx") {
		return ""
	}
	subtags := strings.Split(s, "-")
	primary := subtags[0]
	if len(primary) < 2 || len(primary) > 3 || len(primary) == 3 && (primary[0] == 'q' || primary[0] == 'Q') {
		return ""
	}
	alnum := func(t string, letters bool) bool {
		for i := 0; i < len(t); i++ {
			c := t[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !letters && c >= '0' && c <= '9') {
				return false
			}
		}
		return t != ""
	}
	if !alnum(primary, true) {
		return ""
	}
	for _, sub := range subtags[1:] {
		if len(sub) > 8 || !alnum(sub, false) {
			return ""
		}
	}
	return s
}

// searchQuery writes q in X's search syntax
// (x-api/posts/search/integrate/build-a-query and …/operators): the terms
// joined by OR in parentheses, since AND binds before OR, then each
// exclusion negated, then -is:retweet, so that reposts, which repeat a
// post rather than say something, are not counted as voices:
//
//	(acme OR "acme corp" OR #acme OR @acme) -"acme bank" -is:retweet
//
// See searchTerm for how a term is written. It returns a permanent
// *channel.SendError when no term is left to search or the query is longer
// than X's 512 characters.
func searchQuery(q care.ListenQuery) (string, error) {
	var terms, excludes []string
	for _, t := range q.Terms {
		if s := searchTerm(t); s != "" && !slices.Contains(terms, s) {
			terms = append(terms, s)
		}
	}
	for _, t := range q.Exclude {
		if s := searchTerm(t); s != "" && !slices.Contains(excludes, "-"+s) {
			excludes = append(excludes, "-"+s)
		}
	}
	if len(terms) == 0 {
		return "", channel.Permanent("the listening subject has no term X can search",
			care.Errorf(care.EINVALID, "Add a word, a phrase, a #hashtag or an @handle to the listening subject's terms."))
	}
	query := strings.Join(terms, " OR ")
	if len(terms) > 1 {
		query = "(" + query + ")"
	}
	query = strings.Join(append(append([]string{query}, excludes...), "-is:retweet"), " ")
	if n := queryLength(query); n > maxSearchQuery {
		return "", channel.Permanent(
			fmt.Sprintf("the listening subject's terms make an X search of %d characters, and X allows %d; shorten the subject's terms or remove some", n, maxSearchQuery),
			care.Errorf(care.EINVALID, "The listening subject's terms make an X search of %d characters; X allows %d. Shorten the subject's terms or remove some of them.", n, maxSearchQuery))
	}
	return query, nil
}

// queryLength counts a query as X is most likely to: in UTF-16 code units,
// which is also the upper bound of any other count of characters, so a
// query that fits here fits X.
func queryLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// searchTerm writes one term so that it can only ever match text, never
// act as an operator. A #hashtag of letters, digits and underscores, and an
// @handle as X allows them, stay bare: quoted they would only match the
// word, not the entity. A single word of letters and digits stays bare too,
// but for OR and AND. Anything else is an exact phrase in double quotes,
// inside which OR, a minus, parentheses and colons are only text; X
// documents no escape for a double quote inside a phrase, so quotes and
// backslashes become spaces, which X's tokenizer treats as the punctuation
// they were. A term with nothing to match (only punctuation) is dropped:
// "" is returned.
func searchTerm(t string) string {
	// Cut only what could never fit (a UTF-16 unit is at most 3 bytes of
	// UTF-8), so that a term is refused as too long, not searched cut.
	t = strings.Join(strings.FieldsFunc(channel.CleanName(t, 4*maxSearchQuery), func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\\' || unicode.IsControl(r)
	}), " ")
	switch {
	case t == "":
		return ""
	case isHashtag(t) || strings.HasPrefix(t, "@") && validHandle(t[1:]):
		return t
	case isWord(t) && !strings.EqualFold(t, "or") && !strings.EqualFold(t, "and"):
		return t
	case !strings.ContainsFunc(t, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsSymbol(r)
	}):
		return ""
	}
	return `"` + t + `"`
}

func isWord(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
}

// isHashtag reports whether s is "#" and a tag X recognizes as one: letters
// (with their marks), digits and underscores, not digits alone.
func isHashtag(s string) bool {
	tag, ok := strings.CutPrefix(s, "#")
	if !ok || tag == "" || utf8.RuneCountInString(tag) > 139 {
		return false
	}
	letter := false
	for _, r := range tag {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			letter = true
		case unicode.IsDigit(r) || r == '_':
		default:
			return false
		}
	}
	return letter
}
