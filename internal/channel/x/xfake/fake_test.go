package xfake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

const (
	brand = "1111111111111111111"
	ana   = "2222222222222222222"
)

type env struct {
	fake *xfake.Fake
	srv  *httptest.Server
	now  time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{fake: xfake.New("secret"), now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	e.fake.SetClock(func() time.Time { return e.now })
	e.fake.AddUser(xfake.User{ID: brand, Username: "acme", Name: "Acme"})
	e.fake.AddUser(xfake.User{ID: ana, Username: "ana", Name: "Ana", Followers: 10})
	e.fake.Authorize("tok", brand)
	e.srv = httptest.NewServer(e.fake)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) do(t *testing.T, method, path, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &v)
	return resp, v
}

func TestReplyRule(t *testing.T) {
	e := newEnv(t)
	summons := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "hey @acme"})
	plain := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "hey you"})
	ours := e.fake.AddPost(xfake.Post{AuthorID: brand, Text: "news"})
	quote := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "look", Quotes: ours.ID})
	gone := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "hey @acme, never mind"})
	e.fake.DeletePost(gone.ID)
	tests := []struct {
		name, target, text string
		want               int
	}{
		{"mention", summons.ID, "one", 201},
		{"quote of ours", quote.ID, "two", 201},
		{"our own post", ours.ID, "three", 201},
		{"no summons", plain.ID, "four", 403},
		// X's 403 "deleted or not visible to you", as for a deleted one.
		{"unknown post", "42", "five", 403},
		{"deleted post", gone.ID, "six", 403},
		{"duplicate text", summons.ID, "one", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do(t, "POST", "/2/tweets", fmt.Sprintf(`{"text":%q,"reply":{"in_reply_to_tweet_id":%q}}`, tt.text, tt.target))
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tt.want, body)
			}
			if resp.Header.Get("x-rate-limit-limit") != "100" || resp.Header.Get("x-rate-limit-reset") == "" {
				t.Errorf("rate-limit headers missing: %v", resp.Header)
			}
			if tt.want == 201 {
				data := body["data"].(map[string]any)
				if p, ok := e.fake.Post(data["id"].(string)); !ok || p.InReplyTo != tt.target || p.AuthorID != brand {
					t.Errorf("stored %+v", p)
				}
			} else if body["detail"] == nil && body["errors"] == nil {
				t.Errorf("no problem body: %v", body)
			}
		})
	}
}

func TestRateLimitWindow(t *testing.T) {
	e := newEnv(t)
	e.fake.SetLimit(xfake.Mentions, 2)
	for i, want := range []int{200, 200, 429} {
		resp, _ := e.do(t, "GET", "/2/users/"+brand+"/mentions", "")
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
		if got := resp.Header.Get("x-rate-limit-remaining"); got != fmt.Sprint(max(1-i, 0)) {
			t.Errorf("request %d: remaining %s", i, got)
		}
		if got, want := resp.Header.Get("x-rate-limit-reset"), fmt.Sprint(e.now.Add(15*time.Minute).Unix()); got != want {
			t.Errorf("reset %s, want %s", got, want)
		}
	}
	e.now = e.now.Add(15 * time.Minute)
	if resp, _ := e.do(t, "GET", "/2/users/"+brand+"/mentions", ""); resp.StatusCode != 200 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
	if n := e.fake.Calls(xfake.Mentions); n != 4 {
		t.Errorf("Calls = %d, want 4", n)
	}
}

func TestDailyLimit(t *testing.T) {
	e := newEnv(t)
	e.fake.SetDailyLimit(xfake.CreatePost, 2)
	p := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "hey @acme"})
	reset := fmt.Sprint(e.now.Add(xfake.Day).Unix())
	for i, want := range []int{201, 201, 429} {
		resp, _ := e.do(t, "POST", "/2/tweets", fmt.Sprintf(`{"text":"answer %d","reply":{"in_reply_to_tweet_id":%q}}`, i, p.ID))
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
		h := resp.Header
		if h.Get("x-user-limit-24hour-limit") != "2" || h.Get("x-user-limit-24hour-remaining") != fmt.Sprint(max(1-i, 0)) || h.Get("x-user-limit-24hour-reset") != reset {
			t.Errorf("request %d: daily headers %v", i, h)
		}
		if h.Get("x-rate-limit-remaining") != fmt.Sprint(99-min(i, 1)) {
			t.Errorf("request %d: window remaining %s", i, h.Get("x-rate-limit-remaining"))
		}
	}
	e.now = e.now.Add(xfake.Day)
	if resp, _ := e.do(t, "POST", "/2/tweets", fmt.Sprintf(`{"text":"next day","reply":{"in_reply_to_tweet_id":%q}}`, p.ID)); resp.StatusCode != 201 {
		t.Errorf("after the day: %d", resp.StatusCode)
	}
	if resp, _ := e.do(t, "GET", "/2/users/"+brand+"/mentions", ""); resp.Header.Get("x-user-limit-24hour-limit") != "" {
		t.Errorf("an endpoint without a daily cap reports one: %v", resp.Header)
	}
}

func TestFaultsAndAuth(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(2, 503)
	for range 2 {
		if resp, _ := e.do(t, "GET", "/2/dm_events", ""); resp.StatusCode != 503 {
			t.Errorf("status %d, want 503", resp.StatusCode)
		}
	}
	if resp, _ := e.do(t, "GET", "/2/dm_events", ""); resp.StatusCode != 200 {
		t.Errorf("after the failures: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/2/dm_events", nil)
	req.Header.Set("Authorization", "Bearer nope")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("unknown token: %d", resp.StatusCode)
	}
}

func TestPaging(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 12 {
		ids = append(ids, e.fake.AddPost(xfake.Post{AuthorID: ana, Text: fmt.Sprintf("@acme %d", i)}).ID)
	}
	var got []string
	path := "/2/users/" + brand + "/mentions?max_results=5&since_id=" + ids[1]
	for range 5 {
		resp, body := e.do(t, "GET", path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		data, _ := body["data"].([]any)
		for _, d := range data {
			got = append(got, d.(map[string]any)["id"].(string))
		}
		next, _ := body["meta"].(map[string]any)["next_token"].(string)
		if next == "" {
			break
		}
		path = "/2/users/" + brand + "/mentions?max_results=5&since_id=" + ids[1] + "&pagination_token=" + next
	}
	if len(got) != 10 || got[0] != ids[11] || got[9] != ids[2] {
		t.Errorf("paged ids %v, want ids[11] down to ids[2]", got)
	}
	if resp, _ := e.do(t, "GET", "/2/users/"+brand+"/mentions?max_results=500", ""); resp.StatusCode != 400 {
		t.Errorf("max_results=500: %d, want 400", resp.StatusCode)
	}
}

func TestDMRule(t *testing.T) {
	e := newEnv(t)
	if resp, _ := e.do(t, "POST", "/2/dm_conversations/with/"+ana+"/messages", `{"text":"hi"}`); resp.StatusCode != 403 {
		t.Errorf("unsolicited DM: %d, want 403", resp.StatusCode)
	}
	e.fake.AddDM(xfake.DM{SenderID: ana, RecipientID: brand, Text: "help"})
	resp, body := e.do(t, "POST", "/2/dm_conversations/with/"+ana+"/messages", `{"text":"hi"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("DM after theirs: %d", resp.StatusCode)
	}
	data := body["data"].(map[string]any)
	if data["dm_conversation_id"] != brand+"-"+ana || data["dm_event_id"] == "" {
		t.Errorf("answer %v", data)
	}
}

func TestWebhookDelivery(t *testing.T) {
	e := newEnv(t)
	var gotSig string
	var gotBody []byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			token := r.URL.Query().Get("crc_token")
			json.NewEncoder(w).Encode(map[string]string{"response_token": xfake.Sign("secret", []byte(token))})
			return
		}
		gotSig = r.Header.Get("X-Twitter-Webhooks-Signature")
		gotBody, _ = io.ReadAll(r.Body)
	}))
	defer hook.Close()
	if err := e.fake.CRC(hook.URL); err != nil {
		t.Errorf("CRC: %v", err)
	}
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"response_token": "sha256=nope"})
	}))
	defer wrong.Close()
	if err := e.fake.CRC(wrong.URL); err == nil {
		t.Error("CRC passed a wrong token")
	}

	p := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: "hey @acme"})
	for _, tt := range []struct {
		format xfake.Format
		marker string
	}{{xfake.XAA, `"event_type":"post.mention.create"`}, {xfake.AAA, `"tweet_create_events"`}} {
		ev, err := e.fake.PostEvent(tt.format, brand, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if code, err := e.fake.Deliver(hook.URL, ev); err != nil || code != 200 {
			t.Fatalf("Deliver = %d, %v", code, err)
		}
		if gotSig != xfake.Sign("secret", gotBody) || !strings.Contains(string(gotBody), tt.marker) {
			t.Errorf("delivered %s signed %s", gotBody, gotSig)
		}
	}
	if _, err := e.fake.PostEvent(xfake.XAA, "999", p.ID); err == nil {
		t.Error("PostEvent for a user the post does not concern succeeded")
	}
}

func TestUsageCap(t *testing.T) {
	e := newEnv(t)
	e.fake.CapUsage(1)
	resp, body := e.do(t, "GET", "/2/users/"+brand+"/mentions", "")
	if resp.StatusCode != 429 || body["type"] != "https://api.x.com/2/problems/usage-capped" || body["detail"] == nil {
		t.Errorf("capped answer %d %v", resp.StatusCode, body)
	}
	if resp, _ := e.do(t, "GET", "/2/users/"+brand+"/mentions", ""); resp.StatusCode != 200 {
		t.Errorf("after the cap: %d", resp.StatusCode)
	}
}

// The shapes X documents where they are easy to get wrong: a long post's
// text cut with the whole in note_tweet, and the Account Activity API's
// user_has_blocked as a string.
func TestWireShapes(t *testing.T) {
	e := newEnv(t)
	long := "@acme " + strings.Repeat("x", 300)
	p := e.fake.AddPost(xfake.Post{AuthorID: ana, Text: long})
	_, body := e.do(t, "GET", "/2/users/"+brand+"/mentions", "")
	post := body["data"].([]any)[0].(map[string]any)
	note, _ := post["note_tweet"].(map[string]any)
	if text := post["text"].(string); len([]rune(text)) != 280 || note == nil || note["text"] != long {
		t.Errorf("long post %v", post)
	}
	ev, err := e.fake.PostEvent(xfake.AAA, brand, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(ev, &d); err != nil || d["user_has_blocked"] != "false" {
		t.Errorf("AAA mention %s", ev)
	}
}
