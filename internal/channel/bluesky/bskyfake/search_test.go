package bskyfake

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestSearchSyntax checks the query language the fake shares with
// Bluesky's search service: phrases, | and -, and the tokens it takes as
// filters.
func TestSearchSyntax(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	texts := []string{
		"Loving my new Acme widget",         // 0
		"acme corp is hiring",               // 1
		"#AcmeFail the box was empty",       // 2
		"@acme.example.com where is it",     // 3
		"nothing about it, or anything",     // 4
		"Acme, the OR of widgets, from:you", // 5
	}
	uris := map[string]int{}
	for i, text := range texts {
		p, err := c.f.Publish(ana, PostInput{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		uris[p.URI] = i
		c.now = c.now.Add(time.Second)
	}
	c.login()
	tests := []struct {
		q    string
		want []int // newest first
	}{
		{`acme`, []int{5, 1, 0}},
		{`"acme"`, []int{5, 1, 0}},
		{`("acme" | "#acmefail")`, []int{5, 2, 1, 0}},
		{`("acme" | "#acmefail") -"hiring"`, []int{5, 2, 0}},
		{`#acmefail`, []int{2}},                  // a tag filter, and nothing else
		{`"acme" #acmefail`, nil},                // the filter is ANDed
		{`acme OR nothing`, nil},                 // OR is a word, ANDed
		{`"or of widgets"`, []int{5}},            // inside quotes, a phrase
		{`"from:you"`, []int{5}},                 // quoted, not a filter
		{`from:ana.bsky.social "box"`, []int{2}}, // a filter
		{`@acme.example.com`, []int{3}},          // a mention filter
		{`"@acme.example.com"`, []int{3}},        // words: acme, example, com
		{`"new acme"`, []int{0}},
		{`"acme new"`, nil},
		{`-acme`, []int{4, 3, 2}},
	}
	for _, tt := range tests {
		code, body, _ := c.call("GET", SearchPosts, url.Values{"q": {tt.q}}, nil)
		if code != 200 {
			t.Errorf("q=%s: %d %v", tt.q, code, body)
			continue
		}
		var got []int
		for _, p := range body["posts"].([]any) {
			got = append(got, uris[p.(map[string]any)["uri"].(string)])
		}
		if len(got) != len(tt.want) || len(got) > 0 && string(mustJSON(got)) != string(mustJSON(tt.want)) {
			t.Errorf("q=%s found %v, want %v", tt.q, got, tt.want)
		}
		if body["hitsTotal"] != float64(len(tt.want)) {
			t.Errorf("q=%s hitsTotal = %v", tt.q, body["hitsTotal"])
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestSearchPaging checks limit, the offset cursor and the time bounds.
func TestSearchPaging(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for i := range 7 {
		if _, err := c.f.Publish(ana, PostInput{Text: "acme " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		c.now = c.now.Add(time.Minute)
	}
	c.login()
	var seen []string
	cursor := ""
	for range 4 {
		q := url.Values{"q": {"acme"}, "limit": {"3"}, "sort": {"latest"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		code, body, h := c.call("GET", SearchPosts, q, nil)
		if code != 200 || h.Get("RateLimit-Remaining") == "" {
			t.Fatalf("searchPosts = %d %v", code, body)
		}
		for _, p := range body["posts"].([]any) {
			seen = append(seen, p.(map[string]any)["record"].(map[string]any)["text"].(string))
		}
		next, _ := body["cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	want := []string{"acme 6", "acme 5", "acme 4", "acme 3", "acme 2", "acme 1", "acme 0"}
	if string(mustJSON(seen)) != string(mustJSON(want)) {
		t.Errorf("pages = %v, want %v", seen, want)
	}
	since, until := start.Add(2*time.Minute).Format(time.RFC3339), start.Add(4*time.Minute).Format(time.RFC3339)
	_, body, _ := c.call("GET", SearchPosts, url.Values{"q": {"acme"}, "since": {since}, "until": {until}}, nil)
	if n := len(body["posts"].([]any)); n != 2 {
		t.Errorf("since/until found %d posts, want 2 (minutes 2 and 3)", n)
	}
	for _, q := range []url.Values{
		{"q": {"acme"}, "limit": {"0"}}, {"q": {"acme"}, "limit": {"101"}}, {"q": {"acme"}, "cursor": {"x"}},
		{"q": {"acme"}, "since": {"yesterday"}}, {"q": {"  "}}, {}, {"q": {"acme"}, "sort": {"oldest"}},
	} {
		if code, body, _ := c.call("GET", SearchPosts, q, nil); code != 400 || body["error"] == "" {
			t.Errorf("%v = %d %v, want 400 with an XRPC error", q, code, body)
		}
	}
	c.auth = ""
	if code, _, _ := c.call("GET", SearchPosts, url.Values{"q": {"acme"}}, nil); code != 401 {
		t.Errorf("without a session = %d, want 401", code)
	}
}

// TestPublishRecord checks that a raw record is stored as given and found.
func TestPublishRecord(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	if _, err := c.f.PublishRecord(ana, json.RawMessage(`[1]`)); err == nil {
		t.Error("a record that is not an object was stored")
	}
	p, err := c.f.PublishRecord(ana, json.RawMessage(`{"$type":"app.bsky.feed.post","text":"acme","createdAt":"2020-01-01T00:00:00Z","langs":[7]}`))
	if err != nil {
		t.Fatal(err)
	}
	c.login()
	_, body, _ := c.call("GET", SearchPosts, url.Values{"q": {"acme"}, "since": {"2019-12-31"}}, nil)
	posts := body["posts"].([]any)
	if len(posts) != 1 || posts[0].(map[string]any)["uri"] != p.URI {
		t.Errorf("found %v, want %s", posts, p.URI)
	}
}
