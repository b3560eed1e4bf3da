package xfake_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// search asks the fake's recent search and returns the status, the ids
// found (newest first) and the body.
func (e *env) search(t *testing.T, params url.Values) (int, []string, map[string]any) {
	t.Helper()
	resp, body := e.do(t, "GET", "/2/tweets/search/recent?"+params.Encode(), "")
	var ids []string
	if data, ok := body["data"].([]any); ok {
		for _, d := range data {
			ids = append(ids, d.(map[string]any)["id"].(string))
		}
	}
	return resp.StatusCode, ids, body
}

func TestSearchMatching(t *testing.T) {
	e := newEnv(t)
	post := func(p xfake.Post) string { return e.fake.AddPost(p).ID }
	tent := post(xfake.Post{AuthorID: ana, Text: "My Acme tent leaked"})
	cola := post(xfake.Post{AuthorID: ana, Text: "I like coca-cola"})
	tag := post(xfake.Post{AuthorID: ana, Text: "camping with #AcmeTents"})
	mention := post(xfake.Post{AuthorID: ana, Text: "@acme where is my order?"})
	repost := post(xfake.Post{AuthorID: ana, Text: "RT @ana: My Acme tent leaked", Reposts: tent})
	pt := post(xfake.Post{AuthorID: ana, Text: "minha barraca acme", Lang: "pt"})
	brandPost := post(xfake.Post{AuthorID: brand, Text: "Acme news"})
	e.now = e.now.Add(-8 * 24 * time.Hour)
	post(xfake.Post{AuthorID: ana, Text: "acme long ago"}) // outside the window
	e.now = e.now.Add(8 * 24 * time.Hour)

	tests := []struct {
		query string
		want  []string // oldest first
	}{
		{"acme", []string{tent, mention, repost, pt, brandPost}},
		{"ACME -is:retweet", []string{tent, mention, pt, brandPost}},
		{"acme is:retweet", []string{repost}},
		{`"coca cola"`, []string{cola}},
		{`coca`, []string{cola}},
		{`"tent acme"`, nil},
		{"#acmetents", []string{tag}},
		{"#acme", nil},
		{"@acme", []string{mention}},
		{"(tent OR news) acme -is:retweet", []string{tent, brandPost}},
		{"tent OR news acme", []string{tent, repost, brandPost}},
		{"acme -leaked -news", []string{mention, pt}},
		{`acme -"my order"`, []string{tent, repost, pt, brandPost}},
		{"acme lang:pt", []string{pt}},
		{"acme from:acme", []string{brandPost}},
		{`"from:evil"`, nil},
	}
	for _, tt := range tests {
		status, ids, body := e.search(t, url.Values{"query": {tt.query}, "max_results": {"100"}})
		slices.Reverse(ids)
		if status != 200 || !slices.Equal(ids, tt.want) {
			t.Errorf("%s: %d %v, want %v (%v)", tt.query, status, ids, tt.want, body)
		}
	}
}

func TestSearchRefusals(t *testing.T) {
	e := newEnv(t)
	e.now = e.now.Add(-8 * 24 * time.Hour)
	old := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "acme long ago"})
	e.now = e.now.Add(8 * 24 * time.Hour)
	tests := []struct {
		name   string
		params url.Values
		param  string // the parameter the problem names
	}{
		{"no query", url.Values{}, "query"},
		{"too long", url.Values{"query": {strings.Repeat("a", 513)}}, "query"},
		{"unknown operator", url.Values{"query": {"acme url:x"}}, "query"},
		{"negation only", url.Values{"query": {"-acme"}}, "query"},
		{"conjunction-required only", url.Values{"query": {"is:retweet"}}, "query"},
		{"negated group", url.Values{"query": {"acme -(a OR b)"}}, "query"},
		{"unbalanced", url.Values{"query": {"(acme"}}, "query"},
		{"unterminated phrase", url.Values{"query": {`"acme`}}, "query"},
		{"dangling OR", url.Values{"query": {"acme OR"}}, "query"},
		{"max_results", url.Values{"query": {"acme"}, "max_results": {"5"}}, "max_results"},
		{"sort_order", url.Values{"query": {"acme"}, "sort_order": {"best"}}, "sort_order"},
		{"since_id over a week old", url.Values{"query": {"acme"}, "since_id": {old.ID}}, "since_id"},
		{"since_id not a number", url.Values{"query": {"acme"}, "since_id": {"x"}}, "since_id"},
		{"next_token", url.Values{"query": {"acme"}, "next_token": {"nope"}}, "next_token"},
		{"pagination_token", url.Values{"query": {"acme"}, "pagination_token": {"nope"}}, "pagination_token"},
	}
	for _, tt := range tests {
		status, _, body := e.search(t, tt.params)
		errs, _ := body["errors"].([]any)
		var named bool
		if len(errs) > 0 {
			params, _ := errs[0].(map[string]any)["parameters"].(map[string]any)
			_, named = params[tt.param]
		}
		if status != 400 || body["type"] != "https://api.x.com/2/problems/invalid-request" || !named {
			t.Errorf("%s: %d %v", tt.name, status, body)
		}
	}
	if n := len(e.fake.Searches()); n != len(tests) {
		t.Errorf("Searches() holds %d requests, want %d", n, len(tests))
	}
}

// Pages come newest first with a next_token, which gives the same page
// whenever it is used, under either name.
func TestSearchPaging(t *testing.T) {
	e := newEnv(t)
	var all []string
	for i := range 25 {
		all = append(all, e.fake.AddPost(xfake.Post{AuthorID: ana, Text: fmt.Sprintf("acme %d", i)}).ID)
	}
	slices.Reverse(all)
	since := all[22] // the three oldest are not new
	q := url.Values{"query": {"acme"}, "since_id": {since}}
	var got []string
	for range 5 {
		status, ids, body := e.search(t, q)
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		got = append(got, ids...)
		meta := body["meta"].(map[string]any)
		if meta["result_count"].(float64) != float64(len(ids)) {
			t.Errorf("meta %v", meta)
		}
		next, _ := meta["next_token"].(string)
		if next == "" {
			break
		}
		// Either name for the token; the same token, the same page.
		q = url.Values{"query": {"acme"}, "since_id": {since}, "pagination_token": {next}}
		_, again, _ := e.search(t, url.Values{"query": {"acme"}, "since_id": {since}, "next_token": {next}})
		_, once, _ := e.search(t, q)
		if !slices.Equal(again, once) {
			t.Errorf("token %s gave %v, then %v", next, again, once)
		}
	}
	if !slices.Equal(got, all[:22]) {
		t.Errorf("paged %v, want %v", got, all[:22])
	}
}

func TestSearchRateLimit(t *testing.T) {
	e := newEnv(t)
	e.fake.SetLimit(xfake.SearchRecent, 1)
	resp, _ := e.do(t, "GET", "/2/tweets/search/recent?query=acme", "")
	if resp.StatusCode != 200 || resp.Header.Get("x-rate-limit-limit") != "1" || resp.Header.Get("x-rate-limit-remaining") != "0" {
		t.Errorf("first: %d %v", resp.StatusCode, resp.Header)
	}
	resp, body := e.do(t, "GET", "/2/tweets/search/recent?query=acme", "")
	if resp.StatusCode != 429 || resp.Header.Get("x-rate-limit-reset") == "" || body["title"] != "Too Many Requests" {
		t.Errorf("second: %d %v %v", resp.StatusCode, resp.Header, body)
	}
}
