package feedfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func newFake(t *testing.T) (*Fake, *httptest.Server) {
	t.Helper()
	f := New()
	now := testNow
	f.Now = func() time.Time { now = now.Add(time.Second); return now }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return f, srv
}

func get(t *testing.T, srv *httptest.Server, path string, h map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	c := *srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	p := f.Post(Post{Author: "Maria", Title: "Hello & welcome", HTML: "<p>First <b>post</b> ]]> tricky</p>"})
	c := f.Comment(Comment{PostID: p.ID, Author: "Jane", HTML: "<p>Nice</p>"})
	r := f.Comment(Comment{PostID: p.ID, ParentID: c.ID, Author: "Maria", HTML: "<p>Thanks</p>"})
	if p.GUID != DefaultSite+"/?p=100" || p.Link != DefaultSite+"/hello-welcome/" || c.GUID != p.GUID+"#comment-500" {
		t.Errorf("items = %+v, %+v", p, c)
	}
	for _, tt := range []struct {
		path, ctype string
		has         []string
	}{
		{PostsRSS, rssType, []string{"<title>Hello &amp; welcome</title>", "<slash:comments>2</slash:comments>", "]]]]><![CDATA[>", `<guid isPermaLink="false">` + p.GUID}},
		{CommentsRSS, rssType, []string{"Comment on Hello &amp; welcome by Jane", "<guid isPermaLink=\"false\">" + c.GUID + "</guid>", "<dc:creator><![CDATA[Maria]]></dc:creator>"}},
		{PostsAtom, atomType, []string{"<id>" + p.GUID + "</id>", "<thr:total>2</thr:total>"}},
		{CommentsAtom, atomType, []string{`<thr:in-reply-to ref="` + p.GUID + `"`, `<thr:in-reply-to ref="` + c.GUID + `"`, "<id>" + r.GUID + "</id>"}},
	} {
		resp, body := get(t, srv, tt.path, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.ctype || resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
			t.Errorf("GET %s = %d %v", tt.path, resp.StatusCode, resp.Header)
		}
		for _, s := range tt.has {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s lacks %q:\n%s", tt.path, s, body)
			}
		}
	}
	if resp, _ := get(t, srv, "/elsewhere", nil); resp.StatusCode != 404 {
		t.Errorf("GET /elsewhere = %d", resp.StatusCode)
	}
}

func TestConditionalGet(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	p := f.Post(Post{Title: "a"})
	f.Comment(Comment{PostID: p.ID, Author: "w", HTML: "v"})
	resp, _ := get(t, srv, CommentsRSS, nil)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	for _, tt := range []struct {
		name string
		h    map[string]string
		want int
	}{
		{"etag", map[string]string{"If-None-Match": etag}, 304},
		{"weak etag", map[string]string{"If-None-Match": "W/" + etag}, 304},
		{"other etag", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": lm}, 200},
		{"date", map[string]string{"If-Modified-Since": lm}, 304},
		{"older date", map[string]string{"If-Modified-Since": testNow.Add(-time.Hour).Format(http.TimeFormat)}, 200},
	} {
		if resp, body := get(t, srv, CommentsRSS, tt.h); resp.StatusCode != tt.want || tt.want == 304 && body != "" {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
	f.Comment(Comment{PostID: p.ID, Author: "x", HTML: "y"})
	if resp, _ := get(t, srv, CommentsRSS, map[string]string{"If-None-Match": etag}); resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d, etag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	reqs := f.Requests()
	if len(reqs) != 7 || reqs[1].IfNoneMatch != etag || reqs[1].Status != 304 {
		t.Errorf("Requests = %+v", reqs)
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	f.Serve("/feed.json", "application/feed+json", []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[]}`))
	f.Gone("/gone")
	f.Move("/old", CommentsRSS, true)
	f.Move("/tmp", CommentsRSS, false)
	f.Fail(PostsRSS, 1, 429, 90*time.Second)
	if resp, body := get(t, srv, "/feed.json", nil); resp.StatusCode != 200 || !strings.Contains(body, "jsonfeed") {
		t.Errorf("served = %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, srv, "/gone", nil); resp.StatusCode != 410 {
		t.Errorf("gone = %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, "/old", nil); resp.StatusCode != 301 || resp.Header.Get("Location") != CommentsRSS {
		t.Errorf("moved = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get(t, srv, "/tmp", nil); resp.StatusCode != 302 {
		t.Errorf("moved for now = %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, PostsRSS, nil); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "90" {
		t.Errorf("failing = %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := get(t, srv, PostsRSS, nil); resp.StatusCode != 200 {
		t.Errorf("after the failures = %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+PostsRSS, nil)
	if resp, err := srv.Client().Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST = %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func TestItemsBound(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	p := f.Post(Post{Title: "p"})
	for range 15 {
		f.Comment(Comment{PostID: p.ID, Author: "a", HTML: "b"})
	}
	_, body := get(t, srv, CommentsRSS, nil)
	if n := strings.Count(body, "<item>"); n != DefaultItems || !strings.Contains(body, "#comment-514") || strings.Contains(body, "#comment-504<") {
		t.Errorf("the comments feed holds %d items; want the newest %d", n, DefaultItems)
	}
	defer func() {
		if recover() == nil {
			t.Error("a comment on a missing post did not panic")
		}
	}()
	f.Comment(Comment{PostID: 9999})
}
