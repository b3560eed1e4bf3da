package youtube

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/channel"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzPage -fuzztime 30s ./internal/channel/youtube

// seedPages adds the pages of testdata/threads to f.
func seedPages(f *testing.F) {
	files, _ := filepath.Glob("testdata/threads/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzPage maps arbitrary pages of commentThreads.list: every event must
// pass the core's validation, whatever the page holds.
func FuzzPage(f *testing.F) {
	seedPages(f)
	f.Add([]byte(`{"items":[{"snippet":{"topLevelComment":{"id":"A","snippet":{"authorChannelId":{"value":"UC_x5XG1OV2P6uZZ5FSM9Ttw"},"textOriginal":"own","publishedAt":"2026-01-01T00:00:00Z"}}},"replies":{"comments":[{"id":"A.b","snippet":{"authorChannelId":{"value":"UCx"},"textOriginal":"\u0000","publishedAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z"}}]}}]}`))
	f.Add([]byte(`{"items":[{"snippet":{"totalReplyCount":"9223372036854775807","topLevelComment":{"id":"A","snippet":{"authorChannelId":{"value":"UCa"},"textOriginal":"x","likeCount":9223372036854775807,"publishedAt":"9999-12-31T23:59:59Z"}}}}]}`))
	m := mapper{brand: testChannel, now: testNow}
	f.Fuzz(func(t *testing.T, body []byte) {
		var page listResponse
		if json.Unmarshal(body, &page) != nil {
			return
		}
		for _, raw := range page.Items {
			mt, err := m.thread(raw)
			if err != nil {
				continue
			}
			for _, items := range mt.comments {
				if len(items) == 0 || len(items) > 2 {
					t.Fatalf("%d items of one comment", len(items))
				}
				for _, it := range items {
					if it.at.Before(youtubeEpoch) || it.at.After(testNow.Add(maxSkew)) {
						t.Fatalf("implausible time %v", it.at)
					}
					if it.ev == nil {
						if it.skip == "" {
							t.Fatalf("item %q neither an event nor skipped", it.id)
						}
						continue
					}
					in := it.ev.Inbound
					in.InboxID, in.Channel = 1, "youtube"
					if err := in.Validate(); err != nil {
						t.Fatalf("event %q does not validate: %v", in.PlatformID, err)
					}
					if in.PlatformID != it.id || in.Engagement < 0 {
						t.Fatalf("event %+v of item %q", in, it.id)
					}
				}
			}
		}
	})
}

func FuzzParseCursor(f *testing.F) {
	f.Add(`{"v":1,"mark":1795514400,"seen":{"UgzA":1795514391,"UgzB.9x:edit:1795514400":1795514400},"threads":{"UgzC":{"n":12},"UgzD":{"n":7,"p":1795513000}},"gap":{"token":"QURTSl9p","floor":1795510000}}`)
	f.Add(`{"v":1,"mark":1795514400,"from":1795514300,"gap":{"token":"","floor":1795510000}}`)
	f.Add(`{"v":1,"mark":-1}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCursor(s, testNow)
		if !ok {
			return
		}
		again, ok := parseCursor(formatCursor(c), testNow)
		if !ok || formatCursor(again) != formatCursor(c) {
			t.Fatalf("cursor %q does not round-trip", s)
		}
		if len(formatCursor(c)) > len(s)+64 {
			t.Fatalf("cursor %q grew on the way", s)
		}
	})
}

func FuzzCommentOf(f *testing.F) {
	f.Add("UgzDE2tasfmrYLyNkGt4AaABAg.9yhz7-apDiG9yjhI39vMgL:edit:1795513800")
	f.Add("UgzDE2tasfmrYLyNkGt4AaABAg")
	f.Add("a.b.c:edit:1:edit:2")
	f.Fuzz(func(t *testing.T, id string) {
		c, ok := CommentOf(id)
		if !ok {
			return
		}
		th, ok := ThreadOf(id)
		if !ok || !validCommentID(c) || !strings.HasPrefix(c, th) || strings.Contains(th, ".") || !strings.HasPrefix(id, c) {
			t.Fatalf("CommentOf(%q) = %q, ThreadOf = %q", id, c, th)
		}
	})
}

func FuzzHandleOf(f *testing.F) {
	f.Add("http://www.youtube.com/@somecustomer", "@somecustomer")
	f.Add("http://www.youtube.com/@%D9%8A%D9%88", "")
	f.Add("", "@\xff\xfe")
	f.Fuzz(func(t *testing.T, url, name string) {
		h := handleOf(url, name)
		if h != "" && (!utf8.ValidString(h) || utf8.RuneCountInString(h) > maxHandleChars || strings.ContainsAny(h, "@/ \x00")) {
			t.Fatalf("handleOf(%q, %q) = %q", url, name, h)
		}
	})
}

// FuzzAPIError classifies arbitrary error answers.
func FuzzAPIError(f *testing.F) {
	f.Add(403, []byte(`{"error":{"code":403,"message":"quota","errors":[{"domain":"youtube.quota","reason":"quotaExceeded"}]}}`), "")
	f.Add(429, []byte(`{"error":{"code":429}}`), "120")
	f.Add(500, []byte("\x00\n<html>"), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(400, []byte(`{"error":"invalid_grant"}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		if status < 100 || status > 999 {
			return
		}
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		for _, o := range []op{opPoll, opReply, opModerate} {
			e := apiError(&response{status: status, header: h, body: body}, o, nextReset(testNow), testNow)
			if e.RetryAfter < 0 || e.RetryAfter > 25*time.Hour || e.Permanent && e.RetryAfter != 0 {
				t.Fatalf("RetryAfter %v (permanent %v)", e.RetryAfter, e.Permanent)
			}
			if !utf8.ValidString(e.Reason) || strings.ContainsAny(e.Reason, "\x00\r\n") || len(e.Reason) > 600 {
				t.Fatalf("reason %q is not one short line of text", e.Reason)
			}
			var _ *channel.SendError = e
		}
	})
}
