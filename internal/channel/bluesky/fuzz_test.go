package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// seedItems adds the notifications and log entries of testdata as seeds.
func seedItems(f *testing.F, files ...string) {
	for _, file := range files {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		var page struct {
			Notifications []json.RawMessage `json:"notifications"`
			Logs          []json.RawMessage `json:"logs"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			f.Fatal(err)
		}
		for _, raw := range append(page.Notifications, page.Logs...) {
			f.Add([]byte(raw))
		}
	}
}

// FuzzNotification feeds notificationInbound whatever a notification might
// hold: it must not panic, and what it accepts must become a valid public
// message of the author's post.
func FuzzNotification(f *testing.F) {
	seedItems(f, "listNotifications_mention_reply_CONSTRUCTED.json", "listNotifications_thread_quote_CONSTRUCTED.json")
	a := &Adapter{Logger: quiet}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, _, why := notificationInbound(raw, brandDID, testNow)
		if why != "" {
			return
		}
		u, ok := parsePostURI(in.PlatformID)
		if !ok || u.DID != in.Author.PlatformUserID || in.Visibility != care.Public {
			t.Fatalf("accepted %+v", in)
		}
		if ev, ok := a.finish(in, raw); ok {
			if err := ev.Inbound.Validate(); err != nil {
				t.Fatalf("finished event does not validate: %v", err)
			}
		}
	})
}

// FuzzLogEntry does the same for chat log entries.
func FuzzLogEntry(f *testing.F) {
	seedItems(f, "getLog_CONSTRUCTED.json")
	a := &Adapter{Logger: quiet}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, why := logInbound(raw, brandDID, testNow)
		if why != "" {
			return
		}
		convo, msg, ok := strings.Cut(in.PlatformID, ":")
		if !ok || !validKey(convo) || !validKey(msg) || in.Author.PlatformUserID == brandDID || !validDID(in.Author.PlatformUserID) {
			t.Fatalf("accepted %+v", in)
		}
		if ev, ok := a.finish(in, raw); ok {
			if err := ev.Inbound.Validate(); err != nil {
				t.Fatalf("finished event does not validate: %v", err)
			}
		}
	})
}

// FuzzGraphemes checks the counter's invariants on any string: at least
// one cluster for any text, at most one per rune (a bad byte counts as
// one), and a line break always a cluster of its own.
func FuzzGraphemes(f *testing.F) {
	for _, s := range []string{"", "a", "e\u0301", "👨\u200d👩\u200d👧", "🇫🇷🇩", "\r\n", "한국어", "a\xff", "🏴\U000E0067\U000E007F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Graphemes(s)
		switch runes := utf8.RuneCountInString(s); {
		case s == "" && n != 0, s != "" && n < 1, n > runes:
			t.Fatalf("Graphemes(%q) = %d for %d runes", s, n, runes)
		}
		if !strings.HasSuffix(s, "\r") {
			if m := Graphemes(s + "\n"); m != n+1 {
				t.Fatalf("Graphemes(%q + LF) = %d, want %d", s, m, n+1)
			}
		}
	})
}

// FuzzFacets checks that facets found in any text are byte ranges of it,
// on character boundaries when the text is valid UTF-8 (replies are),
// mentions starting with @.
func FuzzFacets(f *testing.F) {
	for _, s := range []string{"✨ @atproto.com https://en.wikipedia.org/wiki/CBOR.", "@a.b", "x@y.z", "https://a.b/(c)", "\xff@a.bc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mentions, links := findSpans(s)
		for _, sp := range append(mentions, links...) {
			if sp.start < 0 || sp.end > len(s) || sp.start >= sp.end {
				t.Fatalf("span %+v outside %q", sp, s)
			}
			if utf8.ValidString(s) && (sp.end < len(s) && !utf8.RuneStart(s[sp.end]) || !utf8.RuneStart(s[sp.start])) {
				t.Fatalf("span %+v splits a character of %q", sp, s)
			}
		}
		for _, m := range mentions {
			if s[m.start] != '@' {
				t.Fatalf("mention %+v does not start with @ in %q", m, s)
			}
		}
	})
}

// FuzzAPIResponses has every XRPC method but the session's answer whatever
// a server might: every outcome must be a sane result or a
// *channel.SendError with a one-line reason, every polled event a valid
// one, every cursor one Poll can read back.
func FuzzAPIResponses(f *testing.F) {
	f.Add(200, []byte(`{"notifications":[],"logs":[],"cursor":"3lbq7g2222222"}`), "", "")
	f.Add(200, []byte(`{"uri":"at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k4duaz5vfs2b","cid":"bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm"}`), "", "")
	f.Add(200, []byte(`{"posts":[{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y","cid":"bafyreihwgwozmvqxcxrhbr65agcaa4v357p27ccrhzkjf3mz5xiozjvzfa","record":{"text":"hi"}}],"convo":{"id":"3ku7w6h4vog2d"},"id":"3ku7w6h4vog2e"}`), "", `{"n":"2024-11-20T18:00:01.000Z","c":"3lbq7g2222222"}`)
	f.Add(400, []byte(`{"error":"ExpiredToken","message":"Token has expired"}`), "", "")
	f.Add(400, []byte(`{"error":"InvalidToken","message":"Bad token method"}`), "", "")
	f.Add(429, []byte(`{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`), "1795000000", "")
	f.Add(500, []byte(`{"error":"InternalServerError","message":"Internal Server Error"}`), "", "not json")
	if b, err := os.ReadFile("testdata/listNotifications_thread_quote_CONSTRUCTED.json"); err == nil {
		f.Add(200, b, "", "")
	}
	if b, err := os.ReadFile("testdata/getLog_CONSTRUCTED.json"); err == nil {
		f.Add(200, b, "", `{"n":"2024-11-20T18:00:01.000Z","c":"3lbq7g2222222"}`)
	}

	var mu sync.Mutex
	var status int
	var body []byte
	var reset string
	access := "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJleHAiOjQwMDAwMDAwMDB9.c2ln" // exp 2096
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".createSession") || strings.HasSuffix(r.URL.Path, ".refreshSession") {
			w.Write([]byte(`{"accessJwt":"` + access + `","refreshJwt":"r.e.f","handle":"acme.example.com","did":"` + brandDID + `"}`))
			return
		}
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("RateLimit-Limit", "3000")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", reset)
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
		a := &Adapter{Client: srv.Client(), Logger: quiet, Now: func() time.Time { return testNow }}
		in := care.Inbox{ID: 1, Channel: care.ChannelBluesky,
			Credentials: map[string]string{CredIdentifier: brandHandle, CredAppPassword: brandPass, CredAPIBase: srv.URL}}
		ctx := context.Background()
		for _, out := range []channel.Outbound{
			publicReply(in, "Thanks @ana.bsky.social https://acme.example.com", "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y", 1),
			dm(in, "hi", anaDID),
		} {
			res, err := a.Send(ctx, out)
			checkSendOutcome(t, res, err)
		}
		evs, next, err := a.Poll(ctx, in, cursor)
		if err != nil {
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Poll error %v is not a *channel.SendError", err)
			}
		}
		var c pollCursor
		if next != cursor && (len(next) > maxCursorBytes || json.Unmarshal([]byte(next), &c) != nil || !c.valid()) {
			t.Fatalf("Poll returned a cursor it cannot read back: %q", next)
		}
		for _, ev := range evs {
			if err := ev.Inbound.Validate(); err != nil {
				t.Fatalf("polled event %+v: %v", ev.Inbound, err)
			}
		}
	})
}

func checkSendOutcome(t *testing.T, res channel.Result, err error) {
	t.Helper()
	if err == nil {
		if res.Status != care.DeliverySent || len(res.PlatformID) > care.MaxPlatformIDBytes || !utf8.ValidString(res.PlatformID) {
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
	if se.RetryAfter < 0 || se.RetryAfter > channel.MaxRetryAfter {
		t.Fatalf("RetryAfter %v", se.RetryAfter)
	}
}
