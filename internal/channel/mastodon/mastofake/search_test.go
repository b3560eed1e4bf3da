package mastofake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseSearchQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q    string
		want searchQuery
		ok   bool
	}{
		{`acme "rival co" -refund`, searchQuery{{kind: termClause, value: "acme"}, {kind: phraseClause, value: "rival co"}, {op: '-', kind: termClause, value: "refund"}}, true},
		{`+#acme from:@anna lang:en :blobcat:`, searchQuery{{op: '+', kind: hashtagClause, value: "acme"}, {prefix: "from", kind: termClause, value: "@anna"},
			{prefix: "lang", kind: termClause, value: "en"}, {kind: shortcodeClause, value: "blobcat"}}, true},
		{`"is:local" -"#ad"`, searchQuery{{kind: phraseClause, value: "is:local"}, {op: '-', kind: phraseClause, value: "#ad"}}, true},
		{`"unclosed`, nil, false},
		{`""`, nil, false},
		{`-`, nil, false},
	}
	for _, tt := range tests {
		got, ok := parseSearchQuery(tt.q)
		if ok != tt.ok || !cmp.Equal(got, tt.want, cmp.AllowUnexported(searchClause{})) {
			t.Errorf("parseSearchQuery(%s) = %+v, %v; want %+v, %v", tt.q, got, ok, tt.want, tt.ok)
		}
	}
}

func searchIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var s struct {
		Statuses []struct {
			ID string `json:"id"`
		} `json:"statuses"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, st := range s.Statuses {
		out = append(out, st.ID)
	}
	return out
}

// TestSearch: alternatives, exclusions and filters, public posts of
// indexed authors only, newest first, offset and min_id as Mastodon reads
// them.
func TestSearch(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	a := f.Publish(Post{From: anna, Text: "Acme is great", Language: "en"})
	b := f.Publish(Post{From: anna, Text: "the rival co. phone", At: testNow.Add(time.Second)})
	refund := f.Publish(Post{From: anna, Text: "acme refund", At: testNow.Add(2 * time.Second)})
	f.Publish(Post{From: anna, Text: "acme private", Visibility: "private"})
	f.Publish(Post{From: anna, Text: "acme unindexed", Unindexed: true})
	c := f.Publish(Post{From: anna, Text: "#acme only", At: testNow.Add(3 * time.Second)})

	get := func(q url.Values) []string {
		t.Helper()
		resp, body := do(t, srv, http.MethodGet, "/api/v2/search?"+q.Encode(), "", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%v: %d %s", q, resp.StatusCode, body)
		}
		return searchIDs(t, body)
	}
	tests := []struct {
		q    url.Values
		want []string
	}{
		{url.Values{"q": {`"acme" "rival co" -"refund"`}, "type": {"statuses"}}, []string{c, b, a}},
		{url.Values{"q": {`acme lang:en`}}, []string{a}},
		{url.Values{"q": {`acme #acme`}}, []string{c}},
		{url.Values{"q": {`acme`}, "limit": {"1"}, "offset": {"1"}}, []string{refund}},
		{url.Values{"q": {`acme`}, "min_id": {a}}, []string{c, refund}},                                                                               // after a's second, a excluded
		{url.Values{"q": {`acme`}, "min_id": {strconv.FormatInt(testNow.Add(-time.Second).UnixMilli()<<16, 10)}, "max_id": {c}}, []string{refund, a}}, // before c's second
		{url.Values{"q": {`+acme`}}, nil},                                                                                                             // no alternative: minimum_should_match 1
		{url.Values{"q": {`"acme"@`}}, nil},                                                                                                           // an @ and no space: no post search
		{url.Values{"q": {`"unclosed`}}, nil},                                                                                                         // rejected by the grammar
		{url.Values{"q": {`acme`}, "type": {"accounts"}}, nil},                                                                                        // another type
	}
	for _, tt := range tests {
		if got := get(tt.q); !cmp.Equal(got, tt.want) {
			t.Errorf("search %v = %v, want %v", tt.q, got, tt.want)
		}
	}

	f.mu.Lock()
	f.NoSearchScope = true
	f.mu.Unlock()
	if resp, body := do(t, srv, http.MethodGet, "/api/v2/search?q=acme", "", ""); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "outside the authorized scopes") {
		t.Errorf("search without the scope = %d %s", resp.StatusCode, body)
	}
}

// TestTagTimeline: any[], none[], paging by id with Link headers, 404 for
// a tag no post has.
func TestTagTimeline(t *testing.T) {
	t.Parallel()
	f, srv := newServer(t)
	var posts []string
	for i := range 5 {
		posts = append(posts, f.Publish(Post{From: anna, Text: "#acme " + strconv.Itoa(i), Unindexed: true}))
	}
	other := f.Publish(Post{From: anna, Text: "#AcmeCorp"})
	f.Publish(Post{From: anna, Text: "#acme #ad"})
	f.Publish(Post{From: anna, Text: "#acme", Visibility: "unlisted"})

	resp, body := do(t, srv, http.MethodGet, "/api/v1/timelines/tag/acme?limit=2&min_id="+posts[0]+"&any[]=acmecorp&none[]=ad", "", "")
	if got := ids(t, body); resp.StatusCode != http.StatusOK || !cmp.Equal(got, []string{posts[2], posts[1]}) {
		t.Fatalf("oldest page after %s = %d %v", posts[0], resp.StatusCode, got)
	}
	if link := resp.Header.Get("Link"); !strings.Contains(link, "min_id="+posts[2]) || !strings.Contains(link, "any%5B%5D=acmecorp") {
		t.Errorf("Link %q", link)
	}
	_, body = do(t, srv, http.MethodGet, "/api/v1/timelines/tag/ACME?any[]=acmecorp&none[]=ad", "", "")
	if got := ids(t, body); !cmp.Equal(got, []string{other, posts[4], posts[3], posts[2], posts[1], posts[0]}) {
		t.Errorf("newest page = %v", got)
	}
	if resp, body := do(t, srv, http.MethodGet, "/api/v1/timelines/tag/nobody", "", ""); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Record not found") {
		t.Errorf("unknown tag = %d %s", resp.StatusCode, body)
	}
	if n := len(f.ListenRequests()); n != 3 {
		t.Errorf("%d listening requests recorded, want 3", n)
	}
}
