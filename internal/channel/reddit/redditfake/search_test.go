package redditfake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	post := func(title, body string) *item {
		return &item{kind: "t3", title: title, body: body, author: "anna", subreddit: "acme"}
	}
	tests := []struct {
		q    string
		it   *item
		want bool
		ok   bool
	}{
		{`acme`, post("Acme router", ""), true, true},
		{`"rival co"`, post("the Rival Co. phone", ""), true, true},
		{`"co rival"`, post("the Rival Co. phone", ""), false, true},
		{`("acme" OR "rival") NOT "giveaway"`, post("acme giveaway", ""), false, true},
		{`("acme" OR "rival") NOT "giveaway"`, post("rival", "no gifts"), true, true},
		{`acme -router`, post("Acme router", ""), false, true},
		{`acme AND phone`, post("Acme", "phone"), true, true},
		{`acme phone`, post("Acme", "tablet"), false, true},
		{`"or" OR "not"`, post("or else", ""), true, true},
		{`title:acme`, post("x", "acme"), false, true},
		{`author:anna acme`, post("acme", ""), true, true},
		{`site:acme.com`, post("acme", ""), false, true},
		{`"unclosed`, post("unclosed", ""), false, false},
		{`(acme`, post("acme", ""), false, false},
		{`acme)`, post("acme", ""), false, false},
		{``, post("acme", ""), false, false},
		{`NOT`, post("acme", ""), false, false},
	}
	for _, tt := range tests {
		n, ok := parseQuery(tt.q)
		if ok != tt.ok || ok && n.match(tt.it) != tt.want {
			t.Errorf("parseQuery(%s) ok %v, match %q = %v; want %v, %v", tt.q, ok, tt.it.title+" "+tt.it.body, ok && n.match(tt.it), tt.ok, tt.want)
		}
	}
}

// TestSearch: matches newest first, Reddit's listing paging, deleted and
// removed posts left out, the 512-character limit, 403 when forbidden.
func TestSearch(t *testing.T) {
	t.Parallel()
	f := New()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Now = func() time.Time { return now }
	c := newClient(t, f)
	a := f.Submit(Submission{From: "anna", Title: "acme one"})
	late := f.Submit(Submission{From: "anna", Title: "acme late", Age: time.Hour})
	b := f.Submit(Submission{From: "ben", Subreddit: "gadgets", Title: "acme two", Body: "**acme**"})
	gone := f.Submit(Submission{From: "ben", Title: "acme gone"})
	f.Delete(gone)
	f.Submit(Submission{From: "ben", Title: "other"})

	search := func(v url.Values) (int, []string, string, string) {
		t.Helper()
		status, body, _ := c.do(http.MethodGet, "/search?"+v.Encode(), nil, nil)
		if status != http.StatusOK {
			return status, nil, "", ""
		}
		list, before, after := names(t, body)
		return status, list, before, after
	}
	if _, got, _, after := search(url.Values{"q": {"acme"}, "sort": {"new"}, "type": {"link"}}); !cmp.Equal(got, []string{b, a, late}) || after != "" {
		t.Errorf("search = %v, after %q", got, after)
	}
	if _, got, _, after := search(url.Values{"q": {"acme"}, "limit": {"1"}, "after": {b}}); !cmp.Equal(got, []string{a}) || after != a {
		t.Errorf("page after %s = %v, after %q", b, got, after)
	}
	if _, got, _, _ := search(url.Values{"q": {"acme"}, "before": {late}}); !cmp.Equal(got, []string{b, a}) {
		t.Errorf("page before %s = %v", late, got)
	}
	if _, got, _, _ := search(url.Values{"q": {"acme"}, "type": {"sr,user"}}); len(got) != 0 {
		t.Errorf("search without type link = %v", got)
	}
	if status, _, _, _ := search(url.Values{"q": {strings.Repeat("é", 513)}}); status != http.StatusBadRequest {
		t.Errorf("a 513-character query = %d, want 400", status)
	}
	f.ForbidSearch()
	if status, _, _, _ := search(url.Values{"q": {"acme"}}); status != http.StatusForbidden {
		t.Errorf("forbidden search = %d", status)
	}
	if n := len(f.SearchQueries()); n != 6 {
		t.Errorf("%d queries recorded", n)
	}
}
