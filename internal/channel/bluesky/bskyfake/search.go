package bskyfake

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SearchPosts is the post search the AppView serves behind the PDS.
const SearchPosts = "app.bsky.feed.searchPosts"

// Post search, as Bluesky's search service (palomar, in
// github.com/bluesky-social/indigo, search/) answers it through the AppView
// (lexicon app.bsky.feed.searchPosts):
//
//   - q is split on spaces outside double quotes; a bare #tag becomes a tag
//     filter, a bare @handle or mentions:/to:handle a mention filter,
//     from:handle an author filter, lang:xx a language filter (all ANDed
//     with the rest), other since:, until:, domain: and URL tokens are
//     dropped (search/parse_query.go). What is left is an OpenSearch
//     simple_query_string with the flags AND|NOT|OR|PHRASE|PRECEDENCE|
//     WHITESPACE and default operator AND (search/query.go): "phrase",
//     a | b, -word, +word, (grouping), \ escapes. A bare OR is a word.
//     Where OpenSearch quietly drops an unbalanced parenthesis or quote,
//     the fake answers 400 BadQueryString, the lexicon's error, so that a
//     malformed query fails loudly in tests.
//   - Text is matched case-insensitively by words, the way the ICU
//     tokenizer splits it: # and @ and punctuation are not part of a word,
//     so "#acme" and "acme" find the same posts.
//   - Results are newest first by the earlier of createdAt and indexedAt;
//     since (inclusive) and until (exclusive) bound that time; tag (no #,
//     repeatable) filters by hashtag, every one required.
//   - limit 1 to 100, default 25; the cursor is an offset, given only when
//     the page is full and below 10,000 (search/handlers.go).
//   - hitsTotal counts every match.
type searchParams struct {
	expr     queryNode // nil matches every post
	tags     []string
	author   string
	mentions string
	lang     string
	since    time.Time
	until    time.Time
}

// PublishRecord stores record, a post record as raw JSON, as a post of
// author's, without the checks createRecord makes: for tests of what a
// stranger's post may hold. Its createdAt is the record's own; the
// accounts it concerns are notified as for Publish.
func (f *Fake) PublishRecord(author string, record json.RawMessage) (Post, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accounts[author] == nil {
		return Post{}, fmt.Errorf("bskyfake: no account %s", author)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(record, &obj); err != nil {
		return Post{}, fmt.Errorf("bskyfake: the record is not a JSON object: %w", err)
	}
	now := f.now()
	p, err := f.addPost(author, f.nextTID(now), append(json.RawMessage(nil), record...), now)
	if err != nil {
		return Post{}, err
	}
	return *p, nil
}

// searchPosts answers app.bsky.feed.searchPosts.
func (f *Fake) searchPosts(req *request) answer {
	v := req.r.URL.Query()
	if _, ok := v["q"]; !ok {
		return invalid(`Error: Params must have the property "q"`)
	}
	q := strings.TrimSpace(v.Get("q"))
	if q == "" {
		return xrpcError(400, "BadQueryString", "must pass non-empty search query")
	}
	limit := 25
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return invalid("Error: limit must be an integer from 1 to 100")
		}
		limit = n
	}
	offset := 0
	if s := v.Get("cursor"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return invalid("invalid value for 'cursor': %q", s)
		}
		if n > 10000 {
			return invalid("invalid value for 'cursor' (can't paginate so deep)")
		}
		offset = n
	}
	if s := v.Get("sort"); s != "" && s != "latest" && s != "top" {
		return invalid("Error: sort must be one of top, latest")
	}
	params, err := f.parseSearch(q)
	if err != nil {
		return xrpcError(400, "BadQueryString", err.Error())
	}
	for _, key := range []string{"since", "until"} {
		s := v.Get(key)
		if s == "" {
			continue
		}
		t, err := parseSearchTime(s)
		if err != nil {
			return xrpcError(400, "BadRequest", fmt.Sprintf("invalid Datetime for '%s': %s", key, s))
		}
		if key == "since" {
			params.since = t
		} else {
			params.until = t
		}
	}
	params.tags = append(params.tags, v["tag"]...)

	type hit struct {
		p  *Post
		at time.Time
	}
	var hits []hit
	for _, p := range f.posts {
		if f.matches(p, &params) {
			hits = append(hits, hit{p, sortAt(p)})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(b.p.RKey, a.p.RKey)
	})
	out := map[string]any{"hitsTotal": len(hits)}
	page := []any{}
	for i := offset; i < len(hits) && len(page) < limit; i++ {
		page = append(page, f.postView(hits[i].p))
	}
	out["posts"] = page
	if len(page) == limit && offset+limit < 10000 {
		out["cursor"] = strconv.Itoa(offset + limit)
	}
	return ok(out)
}

// parseSearchTime reads an atproto datetime, or a bare date as the lexicon
// allows.
func parseSearchTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

// postView is app.bsky.feed.defs#postView.
func (f *Fake) postView(p *Post) map[string]any {
	return map[string]any{"uri": p.URI, "cid": p.CID, "author": f.profileView(f.accounts[p.Author], false),
		"record": p.Record, "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
		"indexedAt": stamp(p.IndexedAt), "labels": []any{}}
}

// searchRecord is what search reads of a post's record.
type searchRecord struct {
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Tags      []string `json:"tags"`
	Facets    []facet  `json:"facets"`
}

func recordOf(p *Post) searchRecord {
	var rec searchRecord
	json.Unmarshal(p.Record, &rec)
	return rec
}

// sortAt is the time search sorts a post by: its createdAt, unless that
// is later than when it was indexed or not a time.
func sortAt(p *Post) time.Time {
	t, err := time.Parse(time.RFC3339Nano, recordOf(p).CreatedAt)
	if err != nil || t.After(p.IndexedAt) {
		return p.IndexedAt
	}
	return t
}

var hashtagRE = regexp.MustCompile(`(?:^|\s)#([^\s#]+)`)

func (f *Fake) matches(p *Post, s *searchParams) bool {
	rec := recordOf(p)
	at := sortAt(p)
	switch {
	case !s.since.IsZero() && at.Before(s.since),
		!s.until.IsZero() && !at.Before(s.until),
		s.author != "" && p.Author != s.author,
		s.lang != "" && !slices.ContainsFunc(rec.Langs, func(l string) bool { return strings.EqualFold(strings.SplitN(l, "-", 2)[0], s.lang) }):
		return false
	}
	if s.mentions != "" {
		found := false
		for _, fc := range rec.Facets {
			for _, ft := range fc.Features {
				found = found || ft.Type == "app.bsky.richtext.facet#mention" && ft.DID == s.mentions
			}
		}
		if !found {
			return false
		}
	}
	if len(s.tags) > 0 {
		have := map[string]bool{}
		for _, t := range rec.Tags {
			have[strings.ToLower(t)] = true
		}
		for _, m := range hashtagRE.FindAllStringSubmatch(rec.Text, -1) {
			have[strings.ToLower(strings.TrimRightFunc(m[1], unicode.IsPunct))] = true
		}
		for _, t := range s.tags {
			if !have[strings.ToLower(t)] {
				return false
			}
		}
	}
	return s.expr == nil || s.expr.match(words(rec.Text))
}

// parseSearch reads q as the search service does: filters first, then the
// simple query string.
func (f *Fake) parseSearch(q string) (searchParams, error) {
	var s searchParams
	quoted := false
	parts := strings.FieldsFunc(q, func(r rune) bool {
		if r == '"' {
			quoted = !quoted
		}
		return r == ' ' && !quoted
	})
	var keep []string
	for _, p := range parts {
		switch {
		case strings.HasPrefix(p, `"`):
			keep = append(keep, p)
			continue
		case strings.HasPrefix(p, "#") && len(p) > 1:
			s.tags = append(s.tags, p[1:])
			continue
		case strings.HasPrefix(p, "@") && len(p) > 1:
			if did, ok := f.handles[lower(p[1:])]; ok {
				s.mentions = did
			}
			continue
		}
		key, val, found := strings.Cut(p, ":")
		if !found {
			keep = append(keep, p)
			continue
		}
		switch key {
		case "from", "to", "mentions":
			did, ok := f.handles[lower(strings.TrimPrefix(val, "@"))]
			if !ok {
				continue
			}
			if key == "from" {
				s.author = did
			} else {
				s.mentions = did
			}
		case "lang":
			s.lang = strings.ToLower(val)
		case "did", "http", "https", "domain", "since", "until":
		default:
			keep = append(keep, p)
		}
	}
	rest := strings.Join(keep, " ")
	if rest == "" || rest == "*" {
		return s, nil
	}
	p := &sqsParser{in: []rune(rest)}
	expr, err := p.parse()
	if err != nil {
		return searchParams{}, err
	}
	s.expr = expr
	return s, nil
}

// queryNode is a parsed simple query string.
type queryNode interface {
	match(text []string) bool
}

type (
	orNode   []queryNode
	andNode  []queryNode
	notNode  struct{ q queryNode }
	wordNode []string // one word or a phrase, as words
)

func (n orNode) match(t []string) bool {
	return slices.ContainsFunc(n, func(q queryNode) bool { return q.match(t) })
}

// match of an AND needs every positive clause, and none of the negated
// ones; a query of negations alone matches what none of them matches.
func (n andNode) match(t []string) bool {
	for _, q := range n {
		if !q.match(t) {
			return false
		}
	}
	return true
}

func (n notNode) match(t []string) bool { return !n.q.match(t) }

// match reports whether the words appear in t, in order and together; a
// word the tokenizer makes nothing of matches nothing.
func (n wordNode) match(t []string) bool {
	if len(n) == 0 {
		return false
	}
	for i := 0; i+len(n) <= len(t); i++ {
		if slices.Equal(t[i:i+len(n)], n) {
			return true
		}
	}
	return false
}

// words splits text as the ICU tokenizer and folding filter roughly do
// (Unicode word boundaries, UAX #29): lower-case runs of letters, digits,
// marks and underscores, a full stop or apostrophe between two of them
// staying inside the word, so "acme.example.com" and "don't" are one word
// each while "#acme" and "@acme" are the word acme.
func words(s string) []string {
	rs := []rune(strings.ToLower(s))
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' }
	var out []string
	var w []rune
	for i, r := range rs {
		switch {
		case inWord(r):
			w = append(w, r)
			continue
		case (r == '.' || r == '\'' || r == '’') && len(w) > 0 && i+1 < len(rs) && inWord(rs[i+1]):
			w = append(w, r)
			continue
		}
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	if len(w) > 0 {
		out = append(out, string(w))
	}
	return out
}

// sqsParser parses the simple query string subset: OR (|) binds loosest,
// then AND (+ or white space), then - and grouping.
type sqsParser struct {
	in  []rune
	pos int
}

var errUnbalanced = errors.New("unbalanced parentheses or quotes")

func (p *sqsParser) parse() (queryNode, error) {
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.in) {
		return nil, errUnbalanced
	}
	return n, nil
}

func (p *sqsParser) space() {
	for p.pos < len(p.in) && unicode.IsSpace(p.in[p.pos]) {
		p.pos++
	}
}

func (p *sqsParser) peek() rune {
	p.space()
	if p.pos < len(p.in) {
		return p.in[p.pos]
	}
	return 0
}

func (p *sqsParser) or() (queryNode, error) {
	var alts orNode
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		if n != nil {
			alts = append(alts, n)
		}
		if p.peek() != '|' {
			break
		}
		for p.peek() == '|' {
			p.pos++
		}
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return alts, nil
}

func (p *sqsParser) and() (queryNode, error) {
	var all andNode
	for {
		switch c := p.peek(); c {
		case 0, '|', ')':
			if len(all) == 0 {
				return nil, nil
			}
			if len(all) == 1 {
				return all[0], nil
			}
			return all, nil
		case '+':
			p.pos++
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n != nil {
			all = append(all, n)
		}
	}
}

func (p *sqsParser) unary() (queryNode, error) {
	switch p.peek() {
	case '-':
		p.pos++
		n, err := p.unary()
		if err != nil || n == nil {
			return nil, err
		}
		return notNode{n}, nil
	case '(':
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, errUnbalanced
		}
		p.pos++
		return n, nil
	case '"':
		p.pos++
		var b strings.Builder
		for ; p.pos < len(p.in) && p.in[p.pos] != '"'; p.pos++ {
			if p.in[p.pos] == '\\' && p.pos+1 < len(p.in) {
				p.pos++
			}
			b.WriteRune(p.in[p.pos])
		}
		if p.pos == len(p.in) {
			return nil, errUnbalanced
		}
		p.pos++
		return wordNode(words(b.String())), nil
	}
	var b strings.Builder
	for ; p.pos < len(p.in); p.pos++ {
		c := p.in[p.pos]
		if unicode.IsSpace(c) || strings.ContainsRune(`|+()"`, c) {
			break
		}
		if c == '\\' && p.pos+1 < len(p.in) {
			p.pos++
			c = p.in[p.pos]
		}
		b.WriteRune(c)
	}
	return wordNode(words(b.String())), nil
}
