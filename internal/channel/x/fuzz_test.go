package x

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// FuzzAPIResponses feeds whatever X might answer to the sender and the
// poller: every outcome must be a sane result or a *channel.SendError with a
// one-line reason, and every polled event a valid one.
func FuzzAPIResponses(f *testing.F) {
	f.Add(201, []byte(`{"data":{"id":"1445880548472328192","text":"Hello"}}`), "", "")
	f.Add(201, []byte(`{"data":{"dm_conversation_id":"1-2","dm_event_id":"1582103724607971332"}}`), "", "")
	f.Add(403, []byte(`{"title":"Forbidden","detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","status":403}`), "", "")
	f.Add(429, []byte(`{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`), "1772532675", `{"m":{"n":"5"},"d":{"n":"0"}}`)
	f.Add(200, []byte(`{"data":[{"id":"7","text":"@acme hi","author_id":"9","edit_history_tweet_ids":["7"]}],"includes":{"users":[{"id":"9","username":"u"}]},"meta":{"newest_id":"7","result_count":1,"next_token":"t"}}`), "", `{"m":{"p":"tok","r":"9"}}`)
	f.Add(200, []byte(`{"data":[{"id":"8","event_type":"MessageCreate","text":"dm","sender_id":"9","dm_conversation_id":"1-9"}]}`), "", "")
	f.Add(502, []byte("<html>bad gateway</html>"), "", "not json")
	f.Add(200, []byte(`{"errors":[{"value":"5","detail":"Could not find user with id: [5].","title":"Not Found Error","resource_type":"user","parameter":"id","type":"https://api.twitter.com/2/problems/resource-not-found"}]}`), "", "")

	var mu sync.Mutex
	var status int
	var body []byte
	var reset string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("x-rate-limit-limit", "15")
		w.Header().Set("x-rate-limit-remaining", "0")
		w.Header().Set("x-rate-limit-reset", reset)
		w.WriteHeader(status)
		w.Write(body)
	}))
	f.Cleanup(srv.Close)

	f.Fuzz(func(t *testing.T, code int, answer []byte, resetHeader, cursor string) {
		if code < 200 || code > 599 {
			code = 200
		}
		mu.Lock()
		status, body, reset = code, answer, resetHeader
		mu.Unlock()
		a := quietAdapter()
		a.Client = srv.Client()
		in := care.Inbox{ID: 1, Channel: care.ChannelX, ExternalID: "1",
			Credentials: map[string]string{CredAccessToken: "t", CredAPIBase: srv.URL, CredMode: ModePoll}}
		ctx := context.Background()
		for _, out := range []channel.Outbound{
			{Inbox: in, IdempotencyKey: "k", Message: care.Message{Visibility: care.Public, Text: "hi", ReplyToPlatformID: "7"}},
			{Inbox: in, IdempotencyKey: "k", Message: care.Message{Visibility: care.Private, Text: "hi"},
				Contact: care.Contact{Identities: []care.Identity{{Platform: care.ChannelX, PlatformUserID: "9"}}}},
		} {
			for range 2 { // the second attempt may reconcile
				res, err := a.Send(ctx, out)
				checkSendOutcome(t, res, err)
			}
		}
		evs, next, err := a.Poll(ctx, in, cursor)
		if err != nil {
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Poll error %v is not a *channel.SendError", err)
			}
		}
		var c pollCursor
		if len(next) > maxCursorBytes || json.Unmarshal([]byte(next), &c) != nil || !c.Mentions.valid() || !c.DMs.valid() {
			if next != cursor {
				t.Fatalf("Poll returned a cursor it cannot read back: %q", next)
			}
		}
		for _, ev := range evs {
			checkEvent(t, ev)
		}
	})
}

func checkSendOutcome(t *testing.T, res channel.Result, err error) {
	t.Helper()
	if err == nil {
		if res.PlatformID != "" && !validID(res.PlatformID) || res.Status != care.DeliverySent {
			t.Fatalf("Send = %+v", res)
		}
		return
	}
	var se *channel.SendError
	if !errors.As(err, &se) {
		t.Fatalf("Send error %v is not a *channel.SendError", err)
	}
	if se.Reason == "" || strings.ContainsAny(se.Reason, "\n\r\x00") || len(se.Reason) > 1024 {
		t.Fatalf("Reason %q", se.Reason)
	}
	if se.RetryAfter < 0 || se.RetryAfter > maxDayWait {
		t.Fatalf("RetryAfter %v", se.RetryAfter)
	}
}
