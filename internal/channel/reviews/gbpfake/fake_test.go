package gbpfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type server struct {
	t     *testing.T
	f     *Fake
	srv   *httptest.Server
	clock *clock
}

func newServer(t *testing.T) *server {
	s := &server{t: t, f: New(), clock: &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}}
	s.f.Now = s.clock.Now
	s.srv = httptest.NewServer(s.f.Handler())
	t.Cleanup(s.srv.Close)
	return s
}

// token gets an access token with the default client.
func (s *server) token() string {
	s.t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	code := s.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {DefaultRefreshToken},
		"client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, &tok)
	if code != http.StatusOK || !strings.HasPrefix(tok.AccessToken, "ya29.") || tok.ExpiresIn != 3599 || tok.TokenType != "Bearer" {
		s.t.Fatalf("token = %d %+v", code, tok)
	}
	return tok.AccessToken
}

func (s *server) post(path string, form url.Values, out any) int {
	s.t.Helper()
	resp, err := http.PostForm(s.srv.URL+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode
}

// do makes an API request and decodes the answer into out.
func (s *server) do(method, path, token, body string, out any) int {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: %v in %q", method, path, err, b)
		}
	}
	return resp.StatusCode
}

type apiErr struct {
	Error struct {
		Code    int
		Message string
		Status  string
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.token()
	for _, tc := range []struct {
		form url.Values
		code int
		err  string
	}{
		{url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, 400, "invalid_grant"},
		{url.Values{"grant_type": {"refresh_token"}, "refresh_token": {DefaultRefreshToken}, "client_id": {DefaultClientID}, "client_secret": {"x"}}, 401, "invalid_client"},
		{url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
	} {
		var e struct {
			Error string `json:"error"`
		}
		if code := s.post("/token", tc.form, &e); code != tc.code || e.Error != tc.err {
			t.Errorf("token(%v) = %d %q, want %d %q", tc.form, code, e.Error, tc.code, tc.err)
		}
	}
	if s.f.TokensIssued() != 1 {
		t.Errorf("tokens issued = %d", s.f.TokensIssued())
	}
	s.f.Revoke()
	var e struct {
		Error string `json:"error"`
	}
	if code := s.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {DefaultRefreshToken},
		"client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, &e); code != 400 || e.Error != "invalid_grant" {
		t.Errorf("token after Revoke = %d %q", code, e.Error)
	}
}

// TestList pages reviews newest first, with the list's totals.
func TestList(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	var names []string
	for i := range 7 {
		s.clock.Add(time.Second)
		names = append(names, s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "R"}, Stars: i%5 + 1, Comment: "c"}))
	}
	path := "/v4/" + s.f.Location + "/reviews"
	var got []string
	token := ""
	for range 5 {
		var page struct {
			Reviews []struct {
				Name       string `json:"name"`
				StarRating string `json:"starRating"`
				UpdateTime string `json:"updateTime"`
			} `json:"reviews"`
			AverageRating    float64 `json:"averageRating"`
			TotalReviewCount int     `json:"totalReviewCount"`
			NextPageToken    string  `json:"nextPageToken"`
		}
		q := "?pageSize=3&orderBy=updateTime%20desc"
		if token != "" {
			q += "&pageToken=" + token
		}
		if code := s.do("GET", path+q, tok, "", &page); code != 200 {
			t.Fatalf("list = %d", code)
		}
		if page.TotalReviewCount != 7 || page.AverageRating != 2.6 {
			t.Errorf("totals = %d, %v", page.TotalReviewCount, page.AverageRating)
		}
		for _, r := range page.Reviews {
			got = append(got, r.Name)
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	if len(got) != 7 || got[0] != names[6] || got[6] != names[0] {
		t.Errorf("listed %q", got)
	}
	if q := s.f.ListQueries(); len(q) != 3 {
		t.Errorf("queries = %q", q)
	}
	for _, q := range []string{"?pageSize=x", "?orderBy=createTime", "?pageToken=bad"} {
		var e apiErr
		if code := s.do("GET", path+q, tok, "", &e); code != 400 || e.Error.Status != "INVALID_ARGUMENT" {
			t.Errorf("list%s = %d %+v", q, code, e)
		}
	}
}

// TestReviewJSON: a review is served as the API documents it.
func TestReviewJSON(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	anon := s.f.Review(ReviewInput{Reviewer: Reviewer{Anonymous: true}, Stars: 0})
	tr := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "María"}, Stars: 4, Comment: "Muy bien", Translation: "Very good"})
	var got map[string]any
	if code := s.do("GET", "/v4/"+anon, tok, "", &got); code != 200 {
		t.Fatalf("get = %d", code)
	}
	rv := got["reviewer"].(map[string]any)
	if got["starRating"] != "STAR_RATING_UNSPECIFIED" || rv["displayName"] != "A Google User" || rv["isAnonymous"] != true || rv["profilePhotoUrl"] != nil ||
		got["comment"] != nil || got["createTime"] != "2026-11-24T10:00:00Z" || got["name"] != anon || !strings.HasSuffix(anon, "/reviews/"+got["reviewId"].(string)) {
		t.Errorf("anonymous review = %v", got)
	}
	if code := s.do("GET", "/v4/"+tr, tok, "", &got); code != 200 || got["comment"] != "(Translated by Google) Very good\n\n(Original)\nMuy bien" || got["starRating"] != "FOUR" {
		t.Errorf("translated review = %v", got)
	}
	if _, ok := got["reviewMediaItems"]; ok {
		t.Errorf("review without media = %v, want no reviewMediaItems", got)
	}
	withMedia := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "Priya"}, Stars: 2, Comment: "See the photos",
		Media: []Media{{ThumbnailURL: "https://lh3.googleusercontent.com/p/photo1"}, {ThumbnailURL: "https://lh3.googleusercontent.com/p/frame2", VideoURL: "https://lh3.googleusercontent.com/v/video2"}}})
	var media struct {
		Items []map[string]string `json:"reviewMediaItems"`
	}
	if code := s.do("GET", "/v4/"+withMedia, tok, "", &media); code != 200 || len(media.Items) != 2 ||
		media.Items[0]["thumbnailUrl"] != "https://lh3.googleusercontent.com/p/photo1" || len(media.Items[0]) != 1 ||
		media.Items[1]["videoUrl"] != "https://lh3.googleusercontent.com/v/video2" || media.Items[1]["thumbnailUrl"] != "https://lh3.googleusercontent.com/p/frame2" {
		t.Errorf("review with media = %d %+v", code, media)
	}
	if Timestamp(time.Date(2026, 1, 2, 3, 4, 5, 120_000_000, time.UTC)) != "2026-01-02T03:04:05.120Z" ||
		Timestamp(time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC)) != "2026-01-02T03:04:05.000000001Z" {
		t.Error("timestamps are not written as Google writes them")
	}
}

// TestReply: PUT creates and replaces the reply, DELETE removes it; both
// are recorded.
func TestReply(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	name := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "Jane"}, Stars: 2, Comment: "slow"})
	var r struct {
		Comment    string `json:"comment"`
		UpdateTime string `json:"updateTime"`
	}
	if code := s.do("PUT", "/v4/"+name+"/reply", tok, `{"comment":"Sorry!"}`, &r); code != 200 || r.Comment != "Sorry!" || r.UpdateTime != "2026-11-24T10:00:00Z" {
		t.Fatalf("put = %d %+v", code, r)
	}
	s.do("PUT", "/v4/"+name+"/reply", tok, `{"comment":"Sorry again!"}`, &r)
	if got, _ := s.f.Reply(name); got != "Sorry again!" {
		t.Errorf("reply = %q", got)
	}
	for _, body := range []string{`{"comment":""}`, `{"comment":"` + strings.Repeat("é", 2049) + `"}`, `{`} {
		var e apiErr
		if code := s.do("PUT", "/v4/"+name+"/reply", tok, body, &e); code != 400 || e.Error.Status != "INVALID_ARGUMENT" {
			t.Errorf("put %.20q = %d %+v", body, code, e)
		}
	}
	if code := s.do("DELETE", "/v4/"+name+"/reply", tok, "", &struct{}{}); code != 200 {
		t.Errorf("delete = %d", code)
	}
	var e apiErr
	if code := s.do("DELETE", "/v4/"+name+"/reply", tok, "", &e); code != 404 || e.Error.Status != "NOT_FOUND" {
		t.Errorf("second delete = %d %+v", code, e)
	}
	calls := s.f.Calls()
	if len(calls) != 7 || calls[0].Method != "PUT" || calls[0].Comment != "Sorry!" || calls[5].Method != "DELETE" || calls[5].Status != 200 || calls[6].Status != 404 {
		t.Errorf("calls = %+v", calls)
	}
}

// TestReplyModeration: ModerateReplies gives replies set from then on a
// reviewReplyState and policyViolation, in updateReply's answer and in the
// review; a rejected reply is not the reply the review shows.
func TestReplyModeration(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	name := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "Jane"}, Stars: 2, Comment: "slow"})
	type replyBody struct {
		Comment          string `json:"comment"`
		ReviewReplyState string `json:"reviewReplyState"`
		PolicyViolation  string `json:"policyViolation"`
	}
	var r replyBody
	if code := s.do("PUT", "/v4/"+name+"/reply", tok, `{"comment":"Sorry!"}`, &r); code != 200 || r.ReviewReplyState != "" || r.PolicyViolation != "" {
		t.Errorf("put before moderation = %d %+v, want no state", code, r)
	}
	s.f.ModerateReplies("REJECTED", "PERSONAL_INFORMATION")
	r = replyBody{}
	if code := s.do("PUT", "/v4/"+name+"/reply", tok, `{"comment":"Call 555-0100"}`, &r); code != 200 || r.ReviewReplyState != "REJECTED" || r.PolicyViolation != "PERSONAL_INFORMATION" {
		t.Errorf("put when rejected = %d %+v", code, r)
	}
	var got struct {
		ReviewReply replyBody `json:"reviewReply"`
	}
	if code := s.do("GET", "/v4/"+name, tok, "", &got); code != 200 || got.ReviewReply.Comment != "Call 555-0100" || got.ReviewReply.ReviewReplyState != "REJECTED" {
		t.Errorf("review with a rejected reply = %d %+v", code, got)
	}
	if c, ok := s.f.Reply(name); ok {
		t.Errorf("Reply = %q, want none shown", c)
	}
	s.f.ModerateReplies("PENDING", "")
	if err := s.f.OwnerReply(name, "Sorry!"); err != nil {
		t.Fatal(err)
	}
	got.ReviewReply = replyBody{}
	if code := s.do("GET", "/v4/"+name, tok, "", &got); code != 200 || got.ReviewReply.ReviewReplyState != "PENDING" || got.ReviewReply.PolicyViolation != "" {
		t.Errorf("review with a pending reply = %d %+v", code, got)
	}
}

// TestErrors: Google's refusals, each with its status.
func TestErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	list := "/v4/" + s.f.Location + "/reviews"
	check := func(what, path, token string, code int, status string) {
		t.Helper()
		var e apiErr
		if got := s.do("GET", path, token, "", &e); got != code || e.Error.Status != status || e.Error.Code != code || e.Error.Message == "" {
			t.Errorf("%s = %d %+v, want %d %s", what, got, e, code, status)
		}
	}
	check("no token", list, "", 401, "UNAUTHENTICATED")
	check("unknown token", list, "ya29.x", 401, "UNAUTHENTICATED")
	check("another location", "/v4/accounts/1/locations/2/reviews", tok, 403, "PERMISSION_DENIED")
	check("unknown review", list+"/nope", tok, 404, "NOT_FOUND")
	check("unknown path", "/v1/x", tok, 404, "NOT_FOUND")
	s.f.SetVerified(false)
	check("unverified", list, tok, 400, "FAILED_PRECONDITION")
	s.f.SetVerified(true)
	s.f.Throttle(1)
	check("throttled", list, tok, 429, "RESOURCE_EXHAUSTED")
	s.f.FailNext(1)
	check("failing", list, tok, 503, "UNAVAILABLE")
	s.clock.Add(TokenLifetime)
	check("expired token", list, tok, 401, "UNAUTHENTICATED")
	tok = s.token()
	s.f.ExpireTokens()
	check("revoked token", list, tok, 401, "UNAUTHENTICATED")
}

// TestQuota: the 301st request of a minute is refused, and the next
// minute has a fresh quota.
func TestQuota(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tok := s.token()
	list := "/v4/" + s.f.Location + "/reviews"
	for i := range QuotaPerMinute {
		if code := s.do("GET", list, tok, "", nil); code != 200 {
			t.Fatalf("request %d = %d", i+1, code)
		}
	}
	if code := s.do("GET", list, tok, "", nil); code != 429 {
		t.Errorf("request over quota = %d", code)
	}
	s.clock.Add(time.Minute)
	if code := s.do("GET", list, tok, "", nil); code != 200 {
		t.Errorf("request in the next minute = %d", code)
	}
}

// TestCustomer: what customers and staff do shows in Reviews.
func TestCustomer(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "A"}, Stars: 1, Comment: "bad", At: s.clock.Now().Add(-time.Hour)})
	b := s.f.Review(ReviewInput{Reviewer: Reviewer{Name: "B"}, Stars: 5})
	s.clock.Add(time.Minute)
	if err := s.f.Edit(a, 3, "better"); err != nil {
		t.Fatal(err)
	}
	if err := s.f.OwnerReply(b, "Thanks"); err != nil {
		t.Fatal(err)
	}
	rs := s.f.Reviews()
	if len(rs) != 2 || rs[0].Name != a || rs[0].Stars != 3 || rs[0].Comment != "better" || !rs[0].Updated.Equal(s.clock.Now()) ||
		rs[1].Name != b || rs[1].Reply != "Thanks" || !rs[1].Updated.Equal(rs[1].Created) {
		t.Errorf("reviews = %+v", rs)
	}
	if s.f.Edit("nope", 1, "") == nil || s.f.OwnerReply("nope", "x") == nil {
		t.Error("an unknown review was changed")
	}
	s.f.DeleteOwnerReply(b)
	s.f.Remove(a)
	if rs := s.f.Reviews(); len(rs) != 1 || rs[0].Reply != "" {
		t.Errorf("reviews = %+v", rs)
	}
	if !strings.Contains(s.f.String(), "1 reviews") {
		t.Errorf("String = %q", s.f.String())
	}
}
