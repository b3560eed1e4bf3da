package wpfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %s", a.status, a.body)
	}
}

func (a answer) code(t *testing.T) string {
	var e struct {
		Code string `json:"code"`
		Data struct {
			Status int `json:"status"`
		} `json:"data"`
	}
	a.decode(t, &e)
	if e.Data.Status != a.status {
		t.Errorf("error body status %d, HTTP %d", e.Data.Status, a.status)
	}
	return e.Code
}

func newFake(t *testing.T) (*Fake, *httptest.Server) {
	t.Helper()
	f := New()
	now := testNow
	f.Now = func() time.Time { now = now.Add(time.Minute); return now }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return f, srv
}

// do calls route on srv, by /wp-json/ or by ?rest_route=.
func do(t *testing.T, srv *httptest.Server, method, route string, q url.Values, body string, auth bool, pretty bool) answer {
	t.Helper()
	u := srv.URL + "/wp-json" + route
	if !pretty {
		if q == nil {
			q = url.Values{}
		}
		q.Set("rest_route", route)
		u = srv.URL + "/"
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if auth {
		req.SetBasicAuth(DefaultUsername, DefaultAppPassword)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	if a := do(t, srv, "GET", "/wp/v2/users/me", url.Values{"context": {"edit"}}, "", true, true); a.status != 200 {
		t.Fatalf("users/me = %d %s", a.status, a.body)
	} else {
		var u struct {
			ID           int             `json:"id"`
			Capabilities map[string]bool `json:"capabilities"`
		}
		a.decode(t, &u)
		if u.ID != DefaultUserID || !u.Capabilities["moderate_comments"] {
			t.Errorf("users/me = %s", a.body)
		}
	}
	if a := do(t, srv, "GET", "/wp/v2/users/me", nil, "", false, true); a.status != 401 || a.code(t) != "rest_not_logged_in" {
		t.Errorf("anonymous users/me = %d %s", a.status, a.body)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/wp-json/wp/v2/users/me", nil)
	req.SetBasicAuth(DefaultUsername, "wrong")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong password = %d", resp.StatusCode)
	}
	// Spaces in the password do not matter; the email works as a name.
	req.SetBasicAuth("support@acme.test", strings.ReplaceAll(DefaultAppPassword, " ", ""))
	if resp, err = srv.Client().Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("email and unspaced password = %v, %v", resp, err)
	}
	resp.Body.Close()
	f.PrettyPermalinks = false
	if a := do(t, srv, "GET", "/wp/v2/users/me", nil, "", true, true); a.status != 404 || !strings.Contains(string(a.body), "<html>") {
		t.Errorf("/wp-json/ without pretty permalinks = %d", a.status)
	}
	if a := do(t, srv, "GET", "/wp/v2/users/me", nil, "", true, false); a.status != 200 {
		t.Errorf("?rest_route= = %d", a.status)
	}
}

func TestCommentsEndpoints(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	post := f.AddPost("Hello, world")
	jane := f.Comment(Visitor{PostID: post, Name: "Jane", Email: "jane@example.com", Text: "It's broken"})
	f.Comment(Visitor{PostID: post, Name: "Sam", Text: "held", Held: true})

	// Anonymous: approved only, no emails.
	a := do(t, srv, "GET", "/wp/v2/comments", nil, "", false, true)
	var list []map[string]any
	a.decode(t, &list)
	if a.status != 200 || len(list) != 1 || list[0]["author_email"] != nil || a.header.Get("X-WP-Total") != "1" {
		t.Errorf("anonymous list = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "GET", "/wp/v2/comments", url.Values{"status": {"all"}}, "", false, true); a.status != 401 || a.code(t) != "rest_forbidden_param" {
		t.Errorf("anonymous status=all = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "GET", "/wp/v2/comments", url.Values{"per_page": {"101"}}, "", true, true); a.status != 400 || a.code(t) != "rest_invalid_param" {
		t.Errorf("per_page=101 = %d %s", a.status, a.body)
	}
	a = do(t, srv, "GET", "/wp/v2/comments", url.Values{"status": {"all"}, "context": {"edit"}, "order": {"asc"}}, "", true, true)
	list = nil
	a.decode(t, &list)
	if len(list) != 2 || list[0]["author_email"] != "jane@example.com" || list[1]["status"] != "hold" {
		t.Errorf("edit list = %s", a.body)
	}
	if c := list[0]["content"].(map[string]any); c["rendered"] != "<p>It&#8217;s broken</p>\n" || c["raw"] != "It's broken" {
		t.Errorf("content = %v", c)
	}
	// after is exclusive, on the comment's local date.
	a = do(t, srv, "GET", "/wp/v2/comments", url.Values{"status": {"all"}, "after": {testNow.Add(90 * time.Second).Format(time.RFC3339)}}, "", true, true)
	list = nil
	a.decode(t, &list)
	if len(list) != 1 || list[0]["author_name"] != "Sam" {
		t.Errorf("after = %s", a.body)
	}

	// Create, duplicate, update, delete.
	body := `{"post":` + itoa(post) + `,"parent":` + itoa(jane) + `,"content":"Fixed!"}`
	a = do(t, srv, "POST", "/wp/v2/comments", nil, body, true, false)
	var created map[string]any
	a.decode(t, &created)
	if a.status != 201 || created["status"] != "approved" || created["author"] != float64(DefaultUserID) || a.header.Get("Location") == "" {
		t.Fatalf("create = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "POST", "/wp/v2/comments", nil, body, true, true); a.status != 409 || a.code(t) != "comment_duplicate" {
		t.Errorf("duplicate = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "POST", "/wp/v2/comments", nil, body, false, true); a.status != 401 || a.code(t) != "rest_comment_login_required" {
		t.Errorf("anonymous create = %d %s", a.status, a.body)
	}
	id := itoa(int(created["id"].(float64)))
	if a := do(t, srv, "POST", "/wp/v2/comments/"+id, nil, `{"status":"hold"}`, true, true); a.status != 200 {
		t.Errorf("hold = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "DELETE", "/wp/v2/comments/"+id, nil, "", true, true); a.status != 200 {
		t.Errorf("trash = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "DELETE", "/wp/v2/comments/"+id, nil, "", true, true); a.status != 410 || a.code(t) != "rest_already_trashed" {
		t.Errorf("trash again = %d %s", a.status, a.body)
	}
	if a := do(t, srv, "GET", "/wp/v2/comments/9999", nil, "", true, true); a.status != 404 || a.code(t) != "rest_comment_invalid_id" {
		t.Errorf("missing = %d %s", a.status, a.body)
	}
	if m := f.Moderations(); len(m) != 2 || m[0].Status != "hold" || m[1].Status != "trash" {
		t.Errorf("moderations = %+v", m)
	}
	if r := f.Replies(); len(r) != 1 || r[0].Content != "Fixed!" {
		t.Errorf("replies = %+v", r)
	}
	f.CloseComments(post)
	if a := do(t, srv, "POST", "/wp/v2/comments", nil, `{"post":`+itoa(post)+`,"content":"x"}`, true, true); a.status != 403 || a.code(t) != "rest_comment_closed" {
		t.Errorf("closed = %d %s", a.status, a.body)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	post := f.AddPost("p")
	f.FailNext(1, 429, 30*time.Second)
	if a := do(t, srv, "GET", "/wp/v2/comments", nil, "", true, true); a.status != 429 || a.header.Get("Retry-After") != "30" {
		t.Errorf("throttled = %d %v", a.status, a.header)
	}
	f.LoseNextReply()
	if a := do(t, srv, "POST", "/wp/v2/comments", nil, `{"post":`+itoa(post)+`,"content":"x"}`, true, true); a.status != 502 {
		t.Errorf("lost reply = %d", a.status)
	}
	if len(f.Replies()) != 1 {
		t.Error("the lost reply was not stored")
	}
	if reqs := f.Requests(); len(reqs) != 2 || reqs[1].User != DefaultUsername || reqs[1].Status != 502 {
		t.Errorf("requests = %+v", reqs)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
