package redditfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Search: GET /search (www.reddit.com/dev/api#GET_search), a Listing of
// the posts (t3) whose title or text matches q, with Reddit's listing
// parameters (before, after, limit: 25 by default, 100 at most) and the
// newest ListingCap posts at most. q is at most 512 characters (r2's
// VLength; a longer one is 400) and is read in Reddit's syntax: words,
// "phrases", AND (also implied between clauses), OR, NOT and "-",
// parentheses, and the fields title:, selftext:, author: and subreddit:
// (others match nothing). Words are matched as lower-case tokens of
// letters and digits: a word's tokens must all be there, a phrase's in a
// row. A query that does not parse finds nothing. Every sort is by
// creation, newest first, as sort=new; type must include link (the API
// searches no comments), restrict_sr is ignored. Deleted and removed
// posts are not found, as on Reddit.

// MaxSelfTextChars is r2's limit on a self post's text, in characters
// (Submit does not enforce it: tests use it to build the longest posts
// Reddit serves).
const MaxSelfTextChars = 40000

// Submission is a post for Submit.
type Submission struct {
	From string
	// Subreddit is where it is posted; "" means the first of Moderates.
	Subreddit   string
	Title, Body string
	// Age makes the post that much older than now, as one the search
	// indexed late.
	Age time.Duration
	// Permalink, when set, is served instead of the post's own path, as
	// a hostile or broken answer would.
	Permalink string
}

// Submit creates s and returns its fullname.
func (f *Fake) Submit(s Submission) string {
	name := f.Post(s.From, s.Title, s.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.things[name]
	if s.Subreddit != "" {
		it.subreddit = s.Subreddit
	}
	it.created = it.created.Add(-s.Age)
	it.permalinkAs = s.Permalink
	return name
}

// ForbidSearch makes GET /search answer 403, as for an authorisation
// without the read scope.
func (f *Fake) ForbidSearch() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.searchForbidden = true
}

// SearchQueries returns the query strings of the GET /search requests
// served so far.
func (f *Fake) SearchQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.searchQueries...)
}

// search serves GET /search (see the top of this file).
func (f *Fake) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.searchQueries = append(f.searchQueries, r.URL.RawQuery)
	if f.searchForbidden {
		writeHTTPError(w, http.StatusForbidden)
		return
	}
	text := q.Get("q")
	if utf8.RuneCountInString(text) > 512 {
		writeHTTPError(w, http.StatusBadRequest)
		return
	}
	expr, ok := parseQuery(text)
	if t := q.Get("type"); t != "" && !slices.Contains(strings.Split(t, ","), "link") {
		ok = false
	}
	var posts []*item
	if ok {
		for _, it := range f.things {
			if it.kind == "t3" && !it.deleted && !it.removed && expr.match(it) {
				posts = append(posts, it)
			}
		}
	}
	slices.SortFunc(posts, func(a, b *item) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		x, _ := strconv.ParseInt(a.id, 36, 64)
		y, _ := strconv.ParseInt(b.id, 36, 64)
		return int(x - y)
	})
	names := make([]string, 0, len(posts))
	for _, it := range posts {
		names = append(names, it.name())
	}
	page, before, after := paginate(names, q.Get("before"), q.Get("after"), limitOf(q.Get("limit")))
	children := make([]any, 0, len(page))
	for _, n := range page {
		children = append(children, f.linkJSON(f.things[n]))
	}
	writeJSON(w, http.StatusOK, listingJSON(children, before, after))
}

// linkJSON is a post as listings show it (the "Submission" schema of
// github.com/Pyprohly/reddit-api-doc-notes, the fields a client reads).
func (f *Fake) linkJSON(it *item) map[string]any {
	author, authorID, body := it.shown()
	created := float64(it.created.Unix())
	permalink := "/r/" + it.subreddit + "/comments/" + it.id + "/" + slugOf(it.title) + "/"
	if it.permalinkAs != "" {
		permalink = it.permalinkAs
	}
	d := map[string]any{
		"id": it.id, "name": it.name(), "title": it.title, "selftext": body, "selftext_html": nil,
		"author": author, "author_fullname": nil, "subreddit": it.subreddit, "subreddit_name_prefixed": "r/" + it.subreddit,
		"subreddit_type": "public", "permalink": permalink, "url": "https://www.reddit.com" + permalink, "domain": "self." + it.subreddit,
		"is_self": true, "created": created, "created_utc": created, "score": 1, "ups": 1, "downs": 0, "upvote_ratio": 1.0,
		"num_comments": f.countComments(it.name()), "over_18": false, "spoiler": false, "locked": it.locked, "stickied": false,
		"archived": false, "removed_by_category": nil, "link_flair_text": nil, "thumbnail": "self", "edited": editedJSON(it),
		"distinguished": nil, "is_video": false,
	}
	if body != "" {
		d["selftext_html"] = bodyHTML(body)
	}
	if authorID != "" {
		d["author_fullname"] = "t2_" + authorID
	}
	return thingJSON("t3", d)
}

// Queries.

// queryNode is a parsed query: an operator over kids, or a word or
// phrase (in a field, "" for title and text).
type queryNode struct {
	op     string // "and", "or", "not"; "" for a leaf
	kids   []*queryNode
	field  string
	words  []string
	phrase bool
}

// queryParser reads Reddit's search syntax:
//
//	or      = and ("OR" and)*
//	and     = unary (("AND")? unary)*
//	unary   = "NOT" unary | "-" primary | primary
//	primary = "(" or ")" | [field ":"] ('"' phrase '"' | word)
type queryParser struct {
	s   string
	i   int
	bad bool
}

// parseQuery parses q; ok is false for an empty query or one that does
// not parse.
func parseQuery(q string) (*queryNode, bool) {
	p := &queryParser{s: q}
	n := p.or()
	p.space()
	if p.bad || p.i < len(p.s) || n == nil {
		return nil, false
	}
	return n, true
}

func (p *queryParser) space() {
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += size
	}
}

// keyword reports whether the next word is kw (an operator), and reads it.
func (p *queryParser) keyword(kw string) bool {
	p.space()
	rest := p.s[p.i:]
	if !strings.HasPrefix(rest, kw) {
		return false
	}
	if end := rest[len(kw):]; end != "" {
		r, _ := utf8.DecodeRuneInString(end)
		if !unicode.IsSpace(r) && r != '(' && r != '"' && r != '-' {
			return false
		}
	}
	p.i += len(kw)
	return true
}

func (p *queryParser) or() *queryNode {
	n := &queryNode{op: "or", kids: []*queryNode{p.and()}}
	for !p.bad && p.keyword("OR") {
		n.kids = append(n.kids, p.and())
	}
	return n
}

func (p *queryParser) and() *queryNode {
	n := &queryNode{op: "and"}
	for !p.bad {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] == ')' {
			break
		}
		save := p.i
		if p.keyword("OR") {
			p.i = save
			break
		}
		p.keyword("AND")
		n.kids = append(n.kids, p.unary())
	}
	if len(n.kids) == 0 {
		p.bad = true
	}
	return n
}

func (p *queryParser) unary() *queryNode {
	p.space()
	if p.keyword("NOT") {
		return &queryNode{op: "not", kids: []*queryNode{p.unary()}}
	}
	if p.i < len(p.s) && p.s[p.i] == '-' && p.i+1 < len(p.s) && !unicode.IsSpace(rune(p.s[p.i+1])) {
		p.i++
		return &queryNode{op: "not", kids: []*queryNode{p.primary()}}
	}
	return p.primary()
}

func (p *queryParser) primary() *queryNode {
	p.space()
	if p.i >= len(p.s) {
		p.bad = true
		return &queryNode{}
	}
	if p.s[p.i] == '(' {
		p.i++
		n := p.or()
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			p.bad = true
			return n
		}
		p.i++
		return n
	}
	n := &queryNode{}
	for _, field := range []string{"title", "selftext", "author", "subreddit", "site", "url", "self", "nsfw", "flair"} {
		if strings.HasPrefix(p.s[p.i:], field+":") {
			n.field = field
			p.i += len(field) + 1
			break
		}
	}
	if p.i < len(p.s) && p.s[p.i] == '"' {
		end := strings.IndexByte(p.s[p.i+1:], '"')
		if end < 0 {
			p.bad = true
			return n
		}
		n.phrase, n.words = true, tokens(p.s[p.i+1:p.i+1+end])
		p.i += end + 2
		return n
	}
	start := p.i
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' {
			break
		}
		p.i += size
	}
	if p.i == start {
		p.bad = true
	}
	n.words = tokens(p.s[start:p.i])
	return n
}

// match reports whether the query finds post it.
func (n *queryNode) match(it *item) bool {
	switch n.op {
	case "or":
		return slices.ContainsFunc(n.kids, func(k *queryNode) bool { return k.match(it) })
	case "and":
		return !slices.ContainsFunc(n.kids, func(k *queryNode) bool { return !k.match(it) })
	case "not":
		return !n.kids[0].match(it)
	}
	var words []string
	switch n.field {
	case "":
		words = tokens(it.title + "\n" + it.body)
	case "title":
		words = tokens(it.title)
	case "selftext":
		words = tokens(it.body)
	case "author":
		words = tokens(it.author)
	case "subreddit":
		words = tokens(it.subreddit)
	default:
		return false
	}
	if len(n.words) == 0 {
		return false
	}
	if n.phrase {
		for i := 0; i+len(n.words) <= len(words); i++ {
			if slices.Equal(words[i:i+len(n.words)], n.words) {
				return true
			}
		}
		return false
	}
	for _, w := range n.words {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return true
}

// tokens splits text into lower-case words of letters, digits and marks.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}
