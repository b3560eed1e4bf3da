package mastofake

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Listening: posts that are about the brand without addressing it, for
// GET /api/v2/search?type=statuses (docs.joinmastodon.org/methods/search#v2)
// and GET /api/v1/timelines/tag/:hashtag
// (docs.joinmastodon.org/methods/timelines#tag).
//
// Search follows Mastodon 4.2+ with Elasticsearch: it finds the public
// posts of indexed authors (Post.Unindexed leaves one out), newest first
// by created_at, limit 20 by default and 40 at most, offset to page; min_id
// and max_id are turned into created_at bounds to the second, as
// StatusesSearchService does with Mastodon::Snowflake.to_time. The query is
// parsed with the grammar of SearchQueryParser: clauses with an optional +
// or -, an optional prefix, and a "phrase", #hashtag, :shortcode: or term.
// Bare terms and phrases are alternatives (at least one must match; a
// query with none matches nothing, as minimum_should_match 1 does), + ones
// are required, - ones excluded; hashtags filter on the post's tags;
// lang:, from:, before: and after: filter, the other prefixes match
// nothing here. Text is matched by tokens, letters and digits lower-cased,
// roughly as Elasticsearch's standard analyzer: a term's tokens must all
// occur, a phrase's in a row. As SearchService does, a query with an "@"
// and no space, or one that starts with "#" and has no space, searches no
// posts. A query the grammar rejects finds nothing (Mastodon rescues
// Parslet::ParseFailed).
//
// Hashtag timelines list the public posts with the tag or any of any[],
// all of all[] and none of none[] (4 of each at most, TagFeed's
// LIMIT_PER_MODE), paged by id as notifications are, with Link headers; a
// tag no post has is 404. local, remote and only_media are ignored.
//
// Only posts added with Publish are found, not mentions.

// Post is a public post that listening can find.
type Post struct {
	From Account
	// Text is the post's text; the fake writes it as Mastodon's HTML, with
	// its #hashtags linked and added to the post's tags.
	Text string
	// HTML, when set, is the post's content as is, instead of Text's.
	HTML string
	// Tags are hashtags of the post besides those in Text, without "#".
	Tags []string
	// Language is the post's ISO 639 code, "" for null.
	Language string
	// Visibility is public (the default), unlisted, private or direct.
	Visibility  string
	SpoilerText string
	// Unindexed marks an author who has not opted in to search
	// (Account.indexable false): only hashtag timelines find the post.
	Unindexed bool
	// At is when it was written; zero means the fake's clock.
	At time.Time
	// URL and URI, when set, are served instead of the post's page and
	// ActivityPub id on its instance, as another server may send them.
	URL, URI string
}

// Publish stores p and returns its id: a Mastodon snowflake, the time in
// milliseconds above 16 bits of sequence, so that search's min_id and
// max_id read as times the way Mastodon reads them.
func (f *Fake) Publish(p Post) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	at := p.At.UTC()
	if p.At.IsZero() {
		at = f.now()
	}
	if p.Visibility == "" {
		p.Visibility = "public"
	}
	f.seq++
	id := strconv.FormatInt(at.UnixMilli()<<16|f.seq&0xffff, 10)
	s := &status{id: id, createdAt: at, account: p.From, visibility: p.Visibility, spoilerText: p.SpoilerText,
		content: p.HTML, language: p.Language, published: true, unindexed: p.Unindexed, url: p.URL, uri: p.URI}
	for _, m := range hashtagPattern.FindAllStringSubmatch(p.Text, -1) {
		s.tags = appendTag(s.tags, m[2])
	}
	for _, t := range p.Tags {
		s.tags = appendTag(s.tags, t)
	}
	if s.content == "" {
		s.content = tagLinks(contentHTML(p.Text, nil, f.Domain), f.Domain)
	}
	f.statuses[id] = s
	i, _ := slices.BinarySearchFunc(f.publishedPosts, s, func(a, b *status) int { return compareIDs(a.id, b.id) })
	f.publishedPosts = slices.Insert(f.publishedPosts, i, s)
	return id
}

// ListenRequests returns the request URIs (path and query) of the search
// and hashtag timeline requests served so far.
func (f *Fake) ListenRequests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.listenRequests...)
}

// hashtagPattern finds "#tag" in text: after a start, a space or
// punctuation other than "&" (an entity) and "/" (a link).
var hashtagPattern = regexp.MustCompile(`(^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]+)`)

func appendTag(tags []string, t string) []string {
	t = strings.ToLower(t)
	if t == "" || slices.Contains(tags, t) {
		return tags
	}
	return append(tags, t)
}

// tagLinks links the hashtags of escaped HTML as Mastodon's formatter does.
func tagLinks(s, domain string) string {
	return hashtagPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := hashtagPattern.FindStringSubmatch(m)
		return sub[1] + `<a href="https://` + domain + `/tags/` + url.PathEscape(strings.ToLower(sub[2])) +
			`" class="mention hashtag" rel="tag">#<span>` + sub[2] + `</span></a>`
	})
}

// tagJSON is a status's Tag.
type tagJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// publishedJSON adds to a published post's JSON what Publish set.
func (f *Fake) publishedJSON(out *statusJSON, s *status) {
	if s.language != "" {
		lang := s.language
		out.Language = &lang
	}
	tags := make([]any, 0, len(s.tags))
	for _, t := range s.tags {
		tags = append(tags, tagJSON{Name: t, URL: "https://" + f.Domain + "/tags/" + url.PathEscape(t)})
	}
	out.Tags = tags
	if s.url != "" {
		out.URL = s.url
	}
	if s.uri != "" {
		out.URI = s.uri
	}
}

type searchJSON struct {
	Accounts []any         `json:"accounts"`
	Statuses []*statusJSON `json:"statuses"`
	Hashtags []any         `json:"hashtags"`
}

func (f *Fake) recordListen(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listenRequests = append(f.listenRequests, r.URL.RequestURI())
}

// search answers GET /api/v2/search (see the top of this file).
func (f *Fake) search(w http.ResponseWriter, r *http.Request) {
	f.recordListen(r)
	f.mu.Lock()
	noScope := f.NoSearchScope
	f.mu.Unlock()
	if noScope {
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return
	}
	q := r.URL.Query()
	out := searchJSON{Accounts: []any{}, Statuses: []*statusJSON{}, Hashtags: []any{}}
	query := strings.TrimSpace(q.Get("q"))
	typ := q.Get("type")
	if query == "" || typ != "" && typ != "statuses" ||
		(strings.HasPrefix(query, "#") || strings.Contains(query, "@")) && !strings.Contains(query, " ") {
		writeJSON(w, http.StatusOK, out)
		return
	}
	clauses, ok := parseSearchQuery(query)
	if !ok {
		writeJSON(w, http.StatusOK, out)
		return
	}
	limit := limitParam(q, 20, 40)
	offset, err := strconv.Atoi(q.Get("offset"))
	if err != nil || offset < 0 {
		offset = 0
	}
	var after, before time.Time
	if q.Has("min_id") {
		after = snowflakeSecond(q.Get("min_id"))
	}
	if q.Has("max_id") {
		before = snowflakeSecond(q.Get("max_id"))
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	var match []*status
	for _, s := range f.publishedPosts {
		if s.deleted || s.visibility != "public" || s.unindexed ||
			q.Has("min_id") && !s.createdAt.After(after) || q.Has("max_id") && !s.createdAt.Before(before) {
			continue
		}
		if clauses.match(s, f.Domain) {
			match = append(match, s)
		}
	}
	slices.SortStableFunc(match, func(a, b *status) int {
		if c := b.createdAt.Compare(a.createdAt); c != 0 {
			return c
		}
		return compareIDs(b.id, a.id)
	})
	for _, s := range match[min(offset, len(match)):min(offset+limit, len(match))] {
		out.Statuses = append(out.Statuses, f.statusJSON(s))
	}
	writeJSON(w, http.StatusOK, out)
}

// snowflakeSecond is Mastodon::Snowflake.to_time of an id, to the second,
// as search bounds read it; an id that is not a number (to_i gives 0) is
// 1970.
func snowflakeSecond(id string) time.Time {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		n = 0
	}
	return time.Unix((n>>16)/1000, 0).UTC()
}

// limitParam is Mastodon's limit_param: def when absent, at most max.
func limitParam(q url.Values, def, max int) int {
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

// compareIDs orders decimal ids by value.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// tagTimeline answers GET /api/v1/timelines/tag/{hashtag} (see the top of
// this file).
func (f *Fake) tagTimeline(w http.ResponseWriter, r *http.Request) {
	f.recordListen(r)
	q := r.URL.Query()
	name := strings.ToLower(r.PathValue("hashtag"))
	tags := func(key string) []string {
		var out []string
		for _, t := range q[key] {
			if len(out) == 4 {
				break
			}
			out = append(out, strings.ToLower(t))
		}
		return out
	}
	anyTags, allTags, noneTags := append([]string{name}, tags("any[]")...), tags("all[]"), tags("none[]")
	limit := limitParam(q, 20, 40)
	maxID, sinceID, minID := idParam(q, "max_id"), idParam(q, "since_id"), idParam(q, "min_id")

	f.mu.Lock()
	known := false
	var match []*status
	for _, s := range f.publishedPosts {
		known = known || slices.Contains(s.tags, name)
		id, _ := strconv.ParseInt(s.id, 10, 64)
		if s.deleted || s.visibility != "public" ||
			!slices.ContainsFunc(anyTags, func(t string) bool { return slices.Contains(s.tags, t) }) ||
			slices.ContainsFunc(allTags, func(t string) bool { return !slices.Contains(s.tags, t) }) ||
			slices.ContainsFunc(noneTags, func(t string) bool { return slices.Contains(s.tags, t) }) ||
			maxID >= 0 && id >= maxID || sinceID >= 0 && id <= sinceID || minID >= 0 && id <= minID {
			continue
		}
		match = append(match, s)
	}
	if !known {
		f.mu.Unlock()
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	var page []*status
	if minID >= 0 {
		page = match[:min(limit, len(match))] // oldest after min_id
	} else {
		page = match[max(len(match)-limit, 0):] // newest
	}
	out := make([]*statusJSON, 0, len(page))
	for i := len(page) - 1; i >= 0; i-- {
		out = append(out, f.statusJSON(page[i]))
	}
	f.mu.Unlock()

	if len(page) > 0 {
		link := func(param, id string) string {
			v := url.Values{}
			for _, k := range []string{"limit", "local", "remote", "only_media"} {
				if q.Has(k) {
					v.Set(k, q.Get(k))
				}
			}
			for _, k := range []string{"any[]", "all[]", "none[]"} {
				if q.Has(k) {
					v[k] = q[k]
				}
			}
			v.Set(param, id)
			return "http://" + r.Host + "/api/v1/timelines/tag/" + url.PathEscape(name) + "?" + v.Encode()
		}
		w.Header().Set("Link", `<`+link("max_id", page[0].id)+`>; rel="next", <`+link("min_id", page[len(page)-1].id)+`>; rel="prev"`)
	}
	writeJSON(w, http.StatusOK, out)
}

// Search queries.

// clause kinds.
const (
	termClause = iota
	phraseClause
	hashtagClause
	shortcodeClause
)

// searchClause is one clause of a query.
type searchClause struct {
	op     byte   // 0, '+' or '-'
	prefix string // "" or one of searchPrefixes
	kind   int
	value  string
}

// searchPrefixes are SearchQueryParser's prefixes.
var searchPrefixes = []string{"domain", "is", "has", "lang", "before", "after", "from", "mentions", "to", "scope", "sort"}

type searchQuery []searchClause

// parseSearchQuery parses q with SearchQueryParser's grammar:
//
//	query  = (clause space?)*
//	clause = ("+" | "-")? (prefix ":")? (phrase | shortcode | hashtag | term)
//	phrase = '"' [^"]+ '"'; shortcode = ":" [a-zA-Z0-9_]{2,} ":"
//	hashtag = "#" [^\s#]+; term = [^\s"]+
//
// ok is false when the grammar rejects q.
func parseSearchQuery(q string) (searchQuery, bool) {
	var out searchQuery
	for i := 0; i < len(q); {
		var c searchClause
		if q[i] == '+' || q[i] == '-' {
			c.op = q[i]
			i++
		}
		for _, p := range searchPrefixes {
			if strings.HasPrefix(q[i:], p+":") {
				c.prefix = p
				i += len(p) + 1
				break
			}
		}
		rest := q[i:]
		switch {
		case strings.HasPrefix(rest, `"`):
			end := strings.IndexByte(rest[1:], '"')
			if end <= 0 {
				return nil, false
			}
			c.kind, c.value = phraseClause, rest[1:1+end]
			i += end + 2
		case shortcodeAt(rest) > 0:
			n := shortcodeAt(rest)
			c.kind, c.value = shortcodeClause, rest[1:n-1]
			i += n
		case strings.HasPrefix(rest, "#") && len(rest) > 1 && !spaceOrHash(rest[1:]):
			n := 1 + strings.IndexFunc(rest[1:], func(r rune) bool { return unicode.IsSpace(r) || r == '#' })
			if n == 0 {
				n = len(rest)
			}
			c.kind, c.value = hashtagClause, rest[1:n]
			i += n
		default:
			n := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
			if n < 0 {
				n = len(rest)
			}
			if n == 0 {
				return nil, false
			}
			c.kind, c.value = termClause, rest[:n]
			i += n
		}
		out = append(out, c)
		for i < len(q) {
			r, size := utf8.DecodeRuneInString(q[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
	}
	return out, true
}

// spaceOrHash reports whether s starts with white space or "#".
func spaceOrHash(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r) || r == '#'
}

// shortcodeAt is the length of a ":shortcode:" at the start of s, 0 if none.
func shortcodeAt(s string) int {
	if !strings.HasPrefix(s, ":") {
		return 0
	}
	n := 1
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n < 3 || n >= len(s) || s[n] != ':' {
		return 0
	}
	return n + 1
}

// match reports whether the query finds s.
func (q searchQuery) match(s *status, domain string) bool {
	words := tokens(plainText(s.spoilerText + "\n" + s.content))
	should, shouldMatched := 0, false
	for _, c := range q {
		var ok bool
		switch {
		case c.prefix != "":
			ok = prefixMatch(c, s, domain)
			if c.op == '-' {
				ok = !ok
			}
			if !ok {
				return false
			}
			continue
		case c.kind == hashtagClause:
			ok = slices.Contains(s.tags, strings.ToLower(c.value))
			if c.op == '-' {
				ok = !ok
			}
			if !ok {
				return false
			}
			continue
		case c.kind == shortcodeClause:
			if c.op != '-' {
				return false // the fake's posts have no custom emoji
			}
			continue
		case c.kind == phraseClause:
			ok = containsRun(words, tokens(c.value))
		default:
			ok = containsAll(words, tokens(c.value))
		}
		switch c.op {
		case '+':
			if !ok {
				return false
			}
		case '-':
			if ok {
				return false
			}
		default:
			should++
			shouldMatched = shouldMatched || ok
		}
	}
	return should > 0 && shouldMatched
}

// prefixMatch is a prefix clause without its operator.
func prefixMatch(c searchClause, s *status, domain string) bool {
	switch c.prefix {
	case "lang":
		return strings.EqualFold(s.language, c.value)
	case "from":
		user, host, _ := strings.Cut(strings.TrimPrefix(c.value, "@"), "@")
		h := s.account.Domain
		if host == domain {
			host = ""
		}
		return strings.EqualFold(user, s.account.Username) && strings.EqualFold(host, h)
	case "before", "after":
		t, err := time.Parse(time.RFC3339, c.value)
		if err != nil {
			if t, err = time.Parse("2006-01-02", c.value); err != nil {
				return false
			}
		}
		if c.prefix == "before" {
			return s.createdAt.Before(t)
		}
		return s.createdAt.After(t)
	}
	return false
}

// plainText is the text of HTML content: tags dropped, entities decoded.
func plainText(s string) string {
	var b strings.Builder
	for {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:lt])
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			break
		}
		b.WriteByte(' ')
		s = s[lt+gt+1:]
	}
	return html.UnescapeString(b.String())
}

// tokens splits text into lower-case words of letters, digits, marks and
// "_", keeping a "." or "'" between two of them in the word, roughly as
// Elasticsearch's standard tokenizer does.
func tokens(s string) []string {
	var out []string
	var cur []rune
	rs := []rune(strings.ToLower(s))
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' }
	for i, r := range rs {
		switch {
		case word(r):
			cur = append(cur, r)
		case (r == '.' || r == '\'') && len(cur) > 0 && i+1 < len(rs) && word(rs[i+1]):
			cur = append(cur, r)
		default:
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// containsAll reports whether every one of want is among words.
func containsAll(words, want []string) bool {
	for _, w := range want {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return len(want) > 0
}

// containsRun reports whether want occurs in words in a row.
func containsRun(words, want []string) bool {
	if len(want) == 0 {
		return false
	}
	for i := 0; i+len(want) <= len(words); i++ {
		if slices.Equal(words[i:i+len(want)], want) {
			return true
		}
	}
	return false
}
