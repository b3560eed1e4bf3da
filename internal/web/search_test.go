package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	f := newFixture(t)
	parcel := f.conversation(f.inbox, "Ana", "Where is my parcel? <script>alert(1)</script>")
	other := f.conversation(f.inbox, "Zebulon", "hello there")
	c := f.login()

	res, body := c.get("/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `action="/search"`) || !strings.Contains(body, `id="search-q"`) {
		t.Fatalf("GET / = %d; want the search box in the header", res.StatusCode)
	}

	res, body = c.get("/search?q=" + url.QueryEscape("parcel"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /search?q=parcel = %d", res.StatusCode)
	}
	if !strings.Contains(body, `href="`+convPath(parcel, "")+`"`) {
		t.Errorf("search for parcel does not link to %s:\n%s", convPath(parcel, ""), body)
	}
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("snippet is not escaped:\n%s", body)
	}
	if strings.Contains(body, `href="`+convPath(other, "")+`"`) {
		t.Errorf("search for parcel links to an unrelated conversation")
	}
	if !strings.Contains(body, `value="parcel"`) {
		t.Errorf("search box does not keep the query")
	}

	// A contact by name.
	if _, body := c.get("/search?q=zebulon"); !strings.Contains(body, `href="`+convPath(other, "")+`"`) || !strings.Contains(body, "Contact") {
		t.Errorf("search for a contact's name does not find them:\n%s", body)
	}
	// Search syntax is only text; nothing found is a page, not an error.
	if res, body := c.get("/search?q=" + url.QueryEscape(`"NEAR(parcel* OR -x`)); res.StatusCode != http.StatusOK || !strings.Contains(body, "Nothing matches") {
		t.Errorf("GET /search with operators = %d", res.StatusCode)
	}
	if res, _ := c.get("/search"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /search without q = %d, want 200", res.StatusCode)
	}
	if res, _ := c.get("/search?q=" + strings.Repeat("a", 201)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /search with a long query = %d, want 400", res.StatusCode)
	}
	if res, _ := f.client().get("/search?q=parcel"); res.StatusCode == http.StatusOK && res.Request.URL.Path == "/search" {
		t.Errorf("GET /search without a session was served")
	}
}
