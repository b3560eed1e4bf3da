package xfake

import (
	"errors"
	"fmt"
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

// SearchRecent is X's recent search.
const SearchRecent Endpoint = "GET /2/tweets/search/recent"

// Recent search as docs.x.com describes it (x-api/posts/search/introduction,
// …/integrate/build-a-query, …/integrate/operators, …/integrate/paginate):
// the public posts of the last seven days that match a query of at most
// 512 characters on self-serve access, newest first, max_results 10..100
// (10 by default), since_id for polling, and next_token (or
// pagination_token) for the next page with the same parameters. Tokens
// never expire. sort_order=relevancy is accepted and served by recency.
const (
	searchWindow   = 7 * 24 * time.Hour
	maxQueryRunes  = 512
	maxQueryDepth  = 16
	defaultResults = 10
)

// Searches returns the parameters of every search request that passed the
// token and rate-limit checks, answered or refused, oldest first.
func (f *Fake) Searches() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]url.Values, len(f.searches))
	for i, v := range f.searches {
		out[i] = cloneValues(v)
	}
	return out
}

func (f *Fake) searchRecent(r *http.Request, _ []byte, _ User) reply {
	q := r.URL.Query()
	f.searches = append(f.searches, cloneValues(q))
	query := q.Get("query")
	switch n := utf8.RuneCountInString(query); {
	case query == "":
		return invalidParam("query", query, "The `query` query parameter can not be empty")
	case n > maxQueryRunes:
		return invalidParam("query", query, fmt.Sprintf("The `query` query parameter value is %d characters long; it must be at most %d.", n, maxQueryRunes))
	}
	match, err := parseQuery(query)
	if err != nil {
		return invalidParam("query", query, "There were errors processing your request: "+err.Error())
	}
	pq := pageQuery{max: defaultResults}
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 || n > 100 {
			return invalidParam("max_results", v, "The `max_results` query parameter value ["+v+"] is not between 10 and 100")
		}
		pq.max = n
	}
	switch v := q.Get("sort_order"); v {
	case "", "recency", "relevancy":
	default:
		return invalidParam("sort_order", v, "The `sort_order` query parameter value ["+v+"] is not one of [recency,relevancy]")
	}
	now := f.now()
	oldest := now.Add(-searchWindow)
	if v := q.Get("since_id"); v != "" {
		if !isDigits(v) {
			return invalidParam("since_id", v, "The `since_id` query parameter value ["+v+"] does not match ^[0-9]{1,19}$")
		}
		if p := f.post(v); p != nil && p.CreatedAt.Before(oldest) {
			return invalidParam("since_id", v, "Invalid 'since_id':'"+v+"'. 'since_id' must be a tweet id created after "+
				oldest.UTC().Format(v2Time)+".")
		}
		pq.sinceID = v
	}
	token, name := q.Get("next_token"), "next_token"
	if token == "" {
		token, name = q.Get("pagination_token"), "pagination_token"
	}
	if token != "" {
		id, ok := strings.CutPrefix(token, "before-")
		if !ok || !isDigits(id) {
			return invalidParam(name, token, "The `"+name+"` query parameter value ["+token+"] is not valid.")
		}
		pq.before = id
	}
	var ids []string
	for _, p := range f.posts {
		if !p.Deleted && !p.CreatedAt.Before(oldest) && !p.CreatedAt.After(now) && match(f.searchable(p)) {
			ids = append(ids, p.ID)
		}
	}
	picked, next := pq.pick(ids)
	return f.postPage(picked, next)
}

// invalidParam is X's invalid-request problem naming the parameter it
// refuses.
func invalidParam(name, value, msg string) reply {
	return reply{http.StatusBadRequest, map[string]any{
		"errors": []map[string]any{{"parameters": map[string][]string{name: {value}}, "message": msg}},
		"title":  "Invalid Request", "detail": "One or more parameters to your request was invalid.",
		"type": "https://api.x.com/2/problems/invalid-request",
	}}
}

func isDigits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// searchable is what a query matches a post on.
type searchable struct {
	tokens   []string // the text's words, lower case
	hashtags []string // lower case, without "#"
	handles  []string // @mentioned usernames, lower case
	author   User
	lang     string
	repost   bool
	reply    bool
	quote    bool
}

var hashtagPattern = regexp.MustCompile(`#([\p{L}\p{M}\p{N}_]+)`)

func (f *Fake) searchable(p *Post) searchable {
	s := searchable{tokens: tokenize(p.Text), author: f.users[p.AuthorID], lang: strings.ToLower(p.Lang),
		repost: p.Reposts != "", reply: p.InReplyTo != "", quote: p.Quotes != ""}
	if s.lang == "" {
		s.lang = "en"
	}
	for _, m := range hashtagPattern.FindAllStringSubmatch(p.Text, -1) {
		s.hashtags = append(s.hashtags, strings.ToLower(m[1]))
	}
	for _, m := range handlePattern.FindAllStringSubmatch(p.Text, -1) {
		s.handles = append(s.handles, strings.ToLower(m[1]))
	}
	return s
}

// tokenize splits text as X's keyword matching does: on punctuation,
// symbols and separators, each emoji a token of its own; lower case.
func tokenize(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r):
			b.WriteRune(r)
		case unicode.Is(unicode.So, r):
			flush()
			out = append(out, string(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// containsRun reports whether words appear in tokens, in order and next to
// each other.
func containsRun(tokens, words []string) bool {
	if len(words) == 0 {
		return false
	}
	for i := 0; i+len(words) <= len(tokens); i++ {
		if slices.Equal(tokens[i:i+len(words)], words) {
			return true
		}
	}
	return false
}

// matcher is a compiled query.
type matcher func(searchable) bool

// queryParser reads X's query syntax: terms separated by spaces (AND),
// OR between them (AND binds first), parentheses, a leading "-" negating a
// term, "exact phrases", #hashtags, @mentions and name:value operators.
type queryParser struct {
	toks       []queryToken
	pos        int
	depth      int
	standalone bool // a term that is neither negated nor conjunction-required
}

type queryToken struct {
	kind byte // '(' ')' 'O' (OR) 't' (term)
	neg  bool
	text string
	quot bool
}

func parseQuery(query string) (matcher, error) {
	toks, err := lexQuery(query)
	if err != nil {
		return nil, err
	}
	p := &queryParser{toks: toks}
	m, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, errors.New("unbalanced parentheses")
	}
	if !p.standalone {
		return nil, errors.New("rules must contain at least one positive, non-stopword clause that is not a conjunction-required operator")
	}
	return m, nil
}

func lexQuery(s string) ([]queryToken, error) {
	var toks []queryToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, queryToken{kind: c})
			i++
		default:
			neg := false
			if c == '-' {
				neg = true
				i++
				if i == len(s) || s[i] == ' ' {
					return nil, fmt.Errorf("a lone '-' at position %d", i)
				}
				if s[i] == '(' {
					return nil, fmt.Errorf("negating a group (position %d) is not supported; negate each operator", i)
				}
			}
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, fmt.Errorf("unterminated quoted phrase at position %d", i)
				}
				toks = append(toks, queryToken{kind: 't', neg: neg, text: s[i+1 : i+1+end], quot: true})
				i += end + 2
				continue
			}
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n()\"", rune(s[j])) {
				j++
			}
			word := s[i:j]
			i = j
			if word == "OR" && !neg {
				toks = append(toks, queryToken{kind: 'O'})
				continue
			}
			toks = append(toks, queryToken{kind: 't', neg: neg, text: word})
		}
	}
	return toks, nil
}

func (p *queryParser) peek() byte {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return 0
}

func (p *queryParser) or() (matcher, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	alts := []matcher{first}
	for p.peek() == 'O' {
		p.pos++
		m, err := p.and()
		if err != nil {
			return nil, err
		}
		alts = append(alts, m)
	}
	if len(alts) == 1 {
		return first, nil
	}
	return func(s searchable) bool {
		return slices.ContainsFunc(alts, func(m matcher) bool { return m(s) })
	}, nil
}

func (p *queryParser) and() (matcher, error) {
	var all []matcher
	for {
		switch p.peek() {
		case 0, ')', 'O':
			if len(all) == 0 {
				return nil, errors.New("an operator is missing a term")
			}
			return func(s searchable) bool {
				for _, m := range all {
					if !m(s) {
						return false
					}
				}
				return true
			}, nil
		case '(':
			if p.depth++; p.depth > maxQueryDepth {
				return nil, errors.New("parentheses nested too deep")
			}
			p.pos++
			m, err := p.or()
			if err != nil {
				return nil, err
			}
			if p.peek() != ')' {
				return nil, errors.New("unbalanced parentheses")
			}
			p.pos++
			p.depth--
			all = append(all, m)
		default:
			m, err := p.term(p.toks[p.pos])
			if err != nil {
				return nil, err
			}
			p.pos++
			all = append(all, m)
		}
	}
}

// term compiles one term, negated when its token says so.
func (p *queryParser) term(t queryToken) (matcher, error) {
	m, standalone, err := compileTerm(t)
	if err != nil {
		return nil, err
	}
	if t.neg {
		return func(s searchable) bool { return !m(s) }, nil
	}
	p.standalone = p.standalone || standalone
	return m, nil
}

func compileTerm(t queryToken) (m matcher, standalone bool, err error) {
	text := t.text
	if t.quot {
		words := tokenize(text)
		if len(words) == 0 {
			return nil, false, fmt.Errorf("the phrase %q has nothing to match", text)
		}
		return func(s searchable) bool { return containsRun(s.tokens, words) }, true, nil
	}
	switch {
	case strings.HasPrefix(text, "#") && len(text) > 1:
		tag := strings.ToLower(text[1:])
		return func(s searchable) bool { return slices.Contains(s.hashtags, tag) }, true, nil
	case strings.HasPrefix(text, "@") && len(text) > 1:
		handle := strings.ToLower(text[1:])
		return func(s searchable) bool { return slices.Contains(s.handles, handle) }, true, nil
	}
	if name, value, ok := strings.Cut(text, ":"); ok && name != "" && strings.Trim(strings.ToLower(name), "abcdefghijklmnopqrstuvwxyz_") == "" {
		return compileOperator(strings.ToLower(name), value)
	}
	words := tokenize(text)
	if len(words) == 0 {
		return nil, false, fmt.Errorf("the term %q has nothing to match", text)
	}
	return func(s searchable) bool { return containsRun(s.tokens, words) }, true, nil
}

func compileOperator(name, value string) (matcher, bool, error) {
	lower := strings.ToLower(value)
	switch name + ":" {
	case "is:":
		switch lower {
		case "retweet":
			return func(s searchable) bool { return s.repost }, false, nil
		case "reply":
			return func(s searchable) bool { return s.reply }, false, nil
		case "quote":
			return func(s searchable) bool { return s.quote }, false, nil
		case "verified":
			return func(s searchable) bool { return s.author.Verified }, false, nil
		}
	case "lang:":
		if lower != "" {
			return func(s searchable) bool { return s.lang == lower }, false, nil
		}
	case "from:":
		if lower != "" {
			return func(s searchable) bool {
				return s.author.ID == value || strings.EqualFold(s.author.Username, value)
			}, true, nil
		}
	}
	return nil, false, fmt.Errorf("reference to invalid operator '%s:%s'", name, value)
}
